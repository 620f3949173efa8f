"""The demo behind ``python -m skw2s``: one table row per W2S mechanism.

Each ``_mechanismK(seed)`` returns a row dict with the keys of ``_COLUMNS``;
``_print_table`` prints the rows. Mechanisms 2 and 3 add their own functions.
"""

import argparse
import time

import numpy as np
from sklearn.base import clone
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV

from ._weak_to_strong import WeakToStrongRegressor
from ._weighted_ridge import WeightedRidge
from .datasets import make_w2s_regression
from .metrics import neg_mse_nan_scorer, performance_gap_recovered
from .model_selection import LabeledSplit

_COLUMNS = [
    ("mechanism", "{:<31}"),
    ("setting", "{:<27}"),
    ("teacher_mse", "{:>12.3f}"),
    ("student_mse", "{:>12.3f}"),
    ("ceiling_mse", "{:>12.3f}"),
    ("pgr", "{:>7.2f}"),
    ("student", "{:>24}"),
]


def _mechanism1(seed=0, *, n_labeled=150, n_unlabeled=750, n_features=100,
                n_test=2000, noise=1.0):
    """Regularization compensation: ridge student of an under-regularized teacher.

    The teacher is a nearly ridgeless ``WeightedRidge(alpha=1e-3)`` fit on
    ``n_labeled`` rows (d/n = 2/3, so it overfits its label noise); the student
    is a ``WeightedRidge`` fit on the teacher's predictions for
    ``n_unlabeled`` fresh rows, its ``alpha`` chosen by ``GridSearchCV`` with
    :class:`LabeledSplit` (held-out labeled rows are the only ground truth it
    is scored on). The ceiling is the same student class, tuned the same way,
    fit on the true labels of the student's rows. Test MSEs on ``n_test``
    fresh rows (noise variance ``noise**2`` included).
    """
    n_train = n_labeled + n_unlabeled
    X, y, params = make_w2s_regression(
        n_train + n_test, n_features, noise=noise, return_params=True,
        random_state=seed,
    )
    X_train, y_train_true = X[:n_train], y[:n_train]
    X_test, y_test = X[n_train:], y[n_train:]
    y_train = y_train_true.copy()
    y_train[n_labeled:] = np.nan  # the student's rows: labels unseen

    alphas = np.logspace(1, 5, 9)
    w2s = WeakToStrongRegressor(
        teacher=WeightedRidge(alpha=1e-3), student=WeightedRidge(), random_state=seed
    )
    search = GridSearchCV(
        w2s,
        {"student__alpha": alphas},
        cv=LabeledSplit(4),
        scoring=neg_mse_nan_scorer,
    ).fit(X_train, y_train)
    best = search.best_estimator_

    ceiling = GridSearchCV(
        clone(w2s.student), {"alpha": alphas}, cv=4,
        scoring="neg_mean_squared_error",
    ).fit(X_train[n_labeled:], y_train_true[n_labeled:])

    y_weak = best.teacher_.predict(X_test)
    y_w2s = best.predict(X_test)
    y_ceiling = ceiling.predict(X_test)
    alpha = search.best_params_["student__alpha"]
    return {
        "mechanism": "1 regularization compensation",
        "setting": f"d={n_features} n={n_labeled} m={n_unlabeled}",
        "teacher_mse": mean_squared_error(y_test, y_weak),
        "student_mse": mean_squared_error(y_test, y_w2s),
        "ceiling_mse": mean_squared_error(y_test, y_ceiling),
        "pgr": performance_gap_recovered(y_test, y_weak, y_w2s, y_ceiling),
        "student": f"grid alpha={alpha:.3g}",
    }


def _print_table(rows, *, noise=1.0):
    """Print the rows of the mechanism functions as an aligned table."""
    header = "".join(
        fmt.split(":")[0] + ":" + fmt.split(":")[1].split(".")[0].rstrip("f}") + "}"
        for _, fmt in _COLUMNS
    ).format(*(name for name, _ in _COLUMNS))
    print(header)
    print("-" * len(header))
    for row in rows:
        print("".join(fmt.format(row[name]) for name, fmt in _COLUMNS))
    print(f"Test MSE on fresh rows (noise variance {noise**2:g} included); "
          "PGR = (teacher - student) / (teacher - ceiling).")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m skw2s",
        description="A short demo of weak-to-strong generalization on synthetic data.",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    rows = [_mechanism1(args.seed)]
    _print_table(rows)
    print(f"({time.perf_counter() - t0:.1f} s)")
    return 0
