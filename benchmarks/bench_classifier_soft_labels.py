"""Fit time of WeakToStrongClassifier (soft labels) against the same work by hand.

The baseline is what a user would write with scikit-learn alone: fit the
teacher on the labeled rows, take its ``predict_proba`` on the unlabeled rows,
build the expanded data set (every unlabeled row once per class, weighted by
the probability) with ``np.repeat``/``np.tile``, drop the zero-probability
rows (a second copy) and fit the student with ``sample_weight``. The ratio
weighs the meta-estimator's overhead (input checks, routing) against its
saving (it takes the kept rows of ``X`` in one copy); expected: about 1, below
1 when many probabilities are 0 (deep trees, many classes). On a shared
machine single ratios vary by +-30%: use ``--repeats``. The hard-label fit
(student on ``teacher.predict``) is shown for scale.

Run: python benchmarks/bench_classifier_soft_labels.py [--repeats 5]
"""

import argparse
import time

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skw2s import WeakToStrongClassifier
from skw2s.datasets import make_w2s_classification


def _by_hand(teacher, student, X, y, labeled):
    t = clone(teacher).fit(X[labeled], y[labeled])
    Xu = X[~labeled]
    proba = t.predict_proba(Xu)
    k = proba.shape[1]
    X_rep = np.repeat(Xu, k, axis=0)
    y_rep = np.tile(t.classes_, Xu.shape[0])
    w = proba.ravel()
    keep = w > 0
    return clone(student).fit(X_rep[keep], y_rep[keep], sample_weight=w[keep])


def _time(fn, repeats, *args):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _w2s_fit(mode, teacher, student, X, y_semi):
    return WeakToStrongClassifier(teacher, student, pseudo_labels=mode).fit(X, y_semi)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    teacher = DecisionTreeClassifier(max_depth=6, random_state=0)
    student = LogisticRegression(max_iter=500)
    print(f"{'n_rows':>7} {'d':>4} {'classes':>7} {'by hand':>9} {'skw2s soft':>11}"
          f" {'ratio':>6} {'skw2s hard':>11}")
    for n, d, k in [(20000, 50, 2), (20000, 50, 5), (5000, 200, 10)]:
        X, y = make_w2s_classification(n, d, n_classes=k, random_state=0)
        labeled = np.zeros(n, dtype=bool)
        labeled[: n // 10] = True
        y_semi = np.where(labeled, y, -1)
        r = args.repeats
        base = _time(_by_hand, r, teacher, student, X, y, labeled)
        soft = _time(_w2s_fit, r, "soft", teacher, student, X, y_semi)
        hard = _time(_w2s_fit, r, "hard", teacher, student, X, y_semi)
        print(f"{n:>7} {d:>4} {k:>7} {base:>8.3f}s {soft:>10.3f}s {soft / base:>6.2f}"
              f" {hard:>10.3f}s")


if __name__ == "__main__":
    main()
