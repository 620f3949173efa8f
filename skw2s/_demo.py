"""The demo behind ``python -m skw2s``: one table row per W2S mechanism.

Each ``_mechanismK(seed, size)`` runs one mechanism end to end and returns a row
dict with the keys of ``_COLUMNS`` (plus private ``_``-prefixed details);
:func:`run_demo` collects the rows, :func:`format_table` renders them and
:func:`plot_mechanism1` draws the mechanism-1 figure. :func:`main` is the
command line.

All errors are *excess* test errors: the mean of ``(prediction - f(x))**2`` over
fresh test rows, against the noiseless target ``f``, i.e. the test MSE on noisy
labels minus the noise variance. The theory columns are the deterministic
equivalents of :mod:`skw2s.theory`, which are excess risks too, so both sides
are on the same scale.
"""

import argparse
import sys
import time

import numpy as np
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV
from threadpoolctl import threadpool_limits

from ._multi_index_net import MultiIndexNet
from ._weak_to_strong import WeakToStrongRegressor
from ._weak_to_strong_classifier import WeakToStrongClassifier
from ._weighted_ridge import WeightedRidge
from .datasets import (
    make_multi_index,
    make_w2s_classification,
    make_w2s_regression,
)
from .metrics import neg_mse_nan_scorer
from .model_selection import LabeledSplit
from .theory import optimal_teacher_alpha, ridge_risk, w2s_ridge_risk

# Problem sizes: the full demo, and a quick one (for tests and --quick).
_SIZES = {
    "full": {
        "m1": dict(n_features=100, n_labeled=200, n_unlabeled=800, n_alphas=9),
        "m2": dict(n_features=100, n_labeled=150, n_unlabeled=600, n_alphas=9),
        "m3": dict(n_features=30, n_hidden=256, n_labeled=1000, n_unlabeled=4000,
                   n_pretrain=2000),
        "clf": dict(n_features=10, n_labeled=200, n_unlabeled=2000),
        "n_test": 4000,
        "folds": 5,
    },
    "quick": {
        "m1": dict(n_features=40, n_labeled=80, n_unlabeled=320, n_alphas=5),
        "m2": dict(n_features=40, n_labeled=60, n_unlabeled=240, n_alphas=5),
        "m3": dict(n_features=16, n_hidden=128, n_labeled=500, n_unlabeled=1500,
                   n_pretrain=600),
        "clf": dict(n_features=10, n_labeled=200, n_unlabeled=1000),
        "n_test": 1000,
        "folds": 3,
    },
}

# (key, header, width, format of a value); None / NaN values print as "-".
_COLUMNS = [
    ("mechanism", "mechanism", -31, "{}"),
    ("setting", "setting", -26, "{}"),
    ("teacher", "teacher", 8, "{:.3f}"),
    ("student", "student", 8, "{:.3f}"),
    ("supervised", "superv.", 8, "{:.3f}"),
    ("ceiling", "ceiling", 8, "{:.3f}"),
    ("pgr", "PGR", 7, "{:.2f}"),
    ("theory_teacher", "teacher", 9, "{:.3f}"),
    ("theory_student", "student", 8, "{:.3f}"),
    ("theory_supervised", "superv.", 8, "{:.3f}"),
    ("theory_ceiling", "ceiling", 8, "{:.3f}"),
    ("theory_pgr", "PGR", 7, "{:.2f}"),
    ("student_model", "  student model", -40, "  {}"),
]
_GROUPS = [  # (title, first column index, last column index) of the header's top line
    ("simulation", 2, 6),
    ("theory", 7, 11),
]


def _pgr(teacher, student, ceiling):
    gap = teacher - ceiling
    return (teacher - student) / gap if gap > 0 else float("nan")


def _excess(model, X_test, f_test):
    """Mean of (prediction - noiseless target)**2: the excess test MSE."""
    return float(np.mean((np.ravel(model.predict(X_test)) - f_test) ** 2))


def _alpha_grid(center, n_alphas):
    """Log-spaced grid over two decades either side of ``center``."""
    return np.logspace(-2, 2, n_alphas) * center


def _linear_w2s(seed, *, n_features, n_labeled, n_unlabeled, n_alphas, coef,
                teacher_alpha, student_penalty, n_test, folds, noise):
    """Shared protocol of mechanisms 1 and 2 (ridge teacher, weighted-ridge student).

    ``n_labeled`` rows with true labels train the teacher, ``n_unlabeled`` rows
    (NaN in ``y``) are the student's. The student's ``alpha`` is chosen by
    ``GridSearchCV`` with :class:`LabeledSplit` (scored on held-out TRUE labels
    only), the ceiling (same student class, true labels of the student's rows)
    by ordinary ``GridSearchCV``.
    """
    n_train = n_labeled + n_unlabeled
    X, y, params = make_w2s_regression(
        n_train + n_test, n_features, coef=coef, noise=noise, return_params=True,
        random_state=seed,
    )
    b_star = params.coef
    X_train, y_true = X[:n_train], y[:n_train]
    X_test, f_test = X[n_train:], X[n_train:] @ b_star  # noiseless test target
    y_train = y_true.copy()
    y_train[n_labeled:] = np.nan  # the student's rows: labels unseen

    student = WeightedRidge(penalty_weights=student_penalty)
    # Grid centred on the theory's optimal alpha for a ridge fit on n_unlabeled
    # clean-ish labels; wide enough to contain the selected value.
    center = n_unlabeled * n_features / n_labeled
    alphas = _alpha_grid(center, n_alphas)
    w2s = WeakToStrongRegressor(
        teacher=WeightedRidge(alpha=teacher_alpha), student=student,
        random_state=seed,
    )
    search = GridSearchCV(
        w2s, {"student__alpha": alphas}, cv=LabeledSplit(folds),
        scoring=neg_mse_nan_scorer,
    ).fit(X_train, y_train)
    best = search.best_estimator_
    ceiling = GridSearchCV(
        clone(student), {"alpha": _alpha_grid(noise**2 * n_features, n_alphas)},
        cv=folds, scoring="neg_mean_squared_error",
    ).fit(X_train[n_labeled:], y_true[n_labeled:])
    # the supervised student: the student's model on the teacher's true labels
    supervised = GridSearchCV(
        clone(student), {"alpha": _alpha_grid(noise**2 * n_features, n_alphas)},
        cv=folds, scoring="neg_mean_squared_error",
    ).fit(X_train[:n_labeled], y_true[:n_labeled])

    errors = {
        "teacher": _excess(best.teacher_, X_test, f_test),
        "student": _excess(best, X_test, f_test),
        "ceiling": _excess(ceiling, X_test, f_test),
        "supervised": _excess(supervised, X_test, f_test),
    }
    student_alpha = search.best_params_["student__alpha"]
    ceiling_alpha = ceiling.best_params_["alpha"]
    # Theory for the realized target b*, at the alphas actually used.
    common = dict(covariance=params.covariance, coef=b_star, noise=noise)
    th = w2s_ridge_risk(
        teacher_alpha, student_alpha, n_teacher=n_labeled, n_student=n_unlabeled,
        student_penalty_weights=student_penalty, **common,
    )
    th_ceiling = float(ridge_risk(ceiling_alpha, n_samples=n_unlabeled,
                                  penalty_weights=student_penalty, **common))
    supervised_alpha = supervised.best_params_["alpha"]
    theory = {
        "teacher": float(th.teacher_risk),
        "student": float(th.student_risk),
        "ceiling": th_ceiling,
        "supervised": float(ridge_risk(
            supervised_alpha, n_samples=n_labeled,
            penalty_weights=student_penalty, **common,
        )),
    }
    details = dict(
        X_student=X_train[best.student_rows_],
        pseudo_labels=best.pseudo_labels_[best.student_rows_],
        X_test=X_test, f_test=f_test, alphas=alphas,
        student_alpha=student_alpha, teacher_alpha=teacher_alpha,
        ceiling_alpha=ceiling_alpha, common=common, n_labeled=n_labeled,
        n_unlabeled=n_unlabeled, student_penalty=student_penalty,
    )
    return errors, theory, student_alpha, details


def _row(mechanism, setting, errors, theory, student_model, details=None):
    row = {
        "mechanism": mechanism,
        "setting": setting,
        **errors,
        "pgr": _pgr(errors["teacher"], errors["student"], errors["ceiling"]),
        "student_model": student_model,
    }
    row.setdefault("supervised", None)
    for key in ("teacher", "student", "supervised", "ceiling"):
        row["theory_" + key] = None if theory is None else theory.get(key)
    row["theory_pgr"] = (
        None if theory is None
        else _pgr(theory["teacher"], theory["student"], theory["ceiling"])
    )
    row["_details"] = details
    return row


def _mechanism1(seed=0, size="full", *, noise=1.0):
    """Regularization compensation: ridge student of an under-regularized teacher.

    The teacher is a nearly ridgeless ``WeightedRidge(alpha=1e-3)`` on
    ``n_labeled`` rows (d/n = 1/2: it overfits its label noise); the student is
    an isotropic ``WeightedRidge`` on the teacher's predictions for
    ``n_unlabeled`` fresh rows, its ``alpha`` tuned honestly.

    The cross-validation folds train the teacher on fewer rows than the final
    refit ((k-1)/k of them), so near the interpolation threshold d = n the
    fold teachers are much noisier and CV picks too large a student alpha;
    with d/n = 1/2 and 5 folds the theory's loss from that is small (0.55
    instead of 0.52), with d/n = 2/3 and 4 folds it was not (0.84 vs 0.69).
    """
    p = dict(_SIZES[size]["m1"])
    errors, theory, alpha, details = _linear_w2s(
        seed, **p, coef="random", teacher_alpha=1e-3, student_penalty=None,
        n_test=_SIZES[size]["n_test"], folds=_SIZES[size]["folds"], noise=noise,
    )
    setting = f"d={p['n_features']} n={p['n_labeled']} m={p['n_unlabeled']}"
    return _row("1 regularization compensation", setting, errors, theory,
                f"ridge, alpha={alpha:.3g} (CV)", details)


def _mechanism2(seed=0, size="full", *, noise=1.0, n_strong=5):
    """Aligned regularization: weighted-ridge student of a TUNED ridge teacher.

    The target's coefficients are drawn with a diagonal second moment ``B``:
    ``n_strong`` coordinates carry 90% of the signal. The teacher is an
    isotropic ridge at the theory's optimal alpha (it cannot be beaten by an
    isotropic student); the student's penalty is ``Gamma = (d B / tr B)^-1``,
    aligned with the target.
    """
    p = dict(_SIZES[size]["m2"])
    d = p["n_features"]
    b = np.r_[np.full(n_strong, 0.9 / n_strong),
              np.full(d - n_strong, 0.1 / (d - n_strong))]
    penalty = b.sum() / (d * b)
    rng_coef = np.random.default_rng(seed + 1000)
    coef = rng_coef.standard_normal(d) * np.sqrt(b)
    teacher_alpha = optimal_teacher_alpha(
        n_samples=p["n_labeled"], covariance=np.ones(d), coef=coef, noise=noise
    ).alpha
    errors, theory, alpha, details = _linear_w2s(
        seed + 1, **p, coef=coef, teacher_alpha=teacher_alpha,
        student_penalty=penalty, n_test=_SIZES[size]["n_test"],
        folds=_SIZES[size]["folds"], noise=noise,
    )
    setting = f"d={d} n={p['n_labeled']} m={p['n_unlabeled']}"
    return _row("2 aligned regularization", setting, errors, theory,
                f"weighted ridge, alpha={alpha:.3g} (CV)", details)


def _mechanism3(seed=0, size="full", *, noise=0.5):
    """Easy/hard features: pre-trained network student of a network teacher.

    Target ``u_e'x + He2(u_h'x)`` from :func:`~skw2s.datasets.make_multi_index`.
    The teacher (one large step from random initialization, ridge readout)
    learns ``u_e`` but not ``u_h``. The student's first layer is pre-trained on
    a related task in which ``u_h`` is easy (``y' = u_h'x + noise``); trained
    on the teacher's labels of fresh rows through
    :class:`~skw2s.WeakToStrongRegressor`, it adds ``u_e``. Returns two rows:
    the pre-trained student, and the same student without pre-training
    (a control, taught by the same frozen teacher). No closed form exists.
    """
    p = _SIZES[size]["m3"]
    d, n, m = p["n_features"], p["n_labeled"], p["n_unlabeled"]
    n_test = _SIZES[size]["n_test"]

    def net(**kw):
        return MultiIndexNet(n_hidden=p["n_hidden"], learning_rate=1.0, **kw)

    X_l, y_l, params = make_multi_index(n, d, noise=noise, return_params=True,
                                        random_state=seed)
    dirs = params.directions
    X_s, y_s_true = make_multi_index(m, d, noise=noise, directions=dirs,
                                     random_state=seed + 100)
    X_test, f_test = make_multi_index(n_test, d, directions=dirs,  # noise=0
                                      random_state=seed + 200)
    rng = np.random.default_rng(seed + 300)
    X_pre = rng.standard_normal((p["n_pretrain"], d))
    y_pre = X_pre @ params.u_hard[0] + noise * rng.standard_normal(p["n_pretrain"])
    pretrained = net(random_state=seed + 300).fit(X_pre, y_pre).hidden_weights_

    X = np.vstack([X_l, X_s])
    y = np.r_[y_l, np.full(m, np.nan)]  # the student's rows are unlabeled
    student = net(alpha=1.0, init_weights=pretrained, random_state=seed + 2)
    w2s = WeakToStrongRegressor(net(alpha=0.1, random_state=seed + 1), student)
    w2s.fit(X, y)
    # Control: the same teacher, frozen, teaches a student without pre-training.
    plain = WeakToStrongRegressor(
        FrozenEstimator(w2s.teacher_), net(alpha=1.0, random_state=seed + 2)
    ).fit(X_s)
    ceiling = clone(student).fit(X_s, y_s_true)
    plain_ceiling = net(alpha=1.0, random_state=seed + 2).fit(X_s, y_s_true)
    # supervised students: the same models on the teacher's n true labels
    supervised = clone(student).fit(X_l, y_l)
    plain_supervised = net(alpha=1.0, random_state=seed + 2).fit(X_l, y_l)

    teacher_err = _excess(w2s.teacher_, X_test, f_test)
    setting = f"d={d} N={p['n_hidden']} n={n} m={m}"
    overlap = {
        "teacher": w2s.teacher_.subspace_overlap(dirs, n_components=2),
        "student": w2s.student_.subspace_overlap(dirs, n_components=2),
        "plain": plain.student_.subspace_overlap(dirs, n_components=2),
    }
    rows = [
        _row("3 easy/hard features", setting,
             {"teacher": teacher_err, "student": _excess(w2s, X_test, f_test),
              "ceiling": _excess(ceiling, X_test, f_test),
              "supervised": _excess(supervised, X_test, f_test)},
             None, "pre-trained net", {"overlap": overlap}),
        _row("3 control: no pre-training", setting,
             {"teacher": teacher_err, "student": _excess(plain, X_test, f_test),
              "ceiling": _excess(plain_ceiling, X_test, f_test),
              "supervised": _excess(plain_supervised, X_test, f_test)},
             None, "net from random init", {"overlap": overlap}),
    ]
    return rows


def _expected_accuracy(model, X_test, proba_test):
    """Mean over test rows of P(y = prediction | x): accuracy on a fresh label."""
    classes = np.arange(proba_test.shape[1])
    pred = np.searchsorted(classes, model.predict(X_test))
    return float(np.mean(proba_test[np.arange(len(pred)), pred]))


def _classification(seed=0, size="full"):
    """Classification: logistic student of a tree teacher's soft labels.

    Labels from a logistic model (:func:`~skw2s.datasets.make_w2s_classification`,
    signal 9). The teacher is a depth-4 decision tree fit on ``n_labeled``
    labeled rows; the student is a logistic regression fit on its
    probabilities for ``n_unlabeled`` fresh rows (soft labels). Values are
    *accuracies* (higher is better), as expected accuracy on a fresh label,
    computed from the known true probabilities. The student model is also
    shown trained on the teacher's true labels (supervised); the PGR is on
    the errors ``1 - accuracy``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    p = _SIZES[size]["clf"]
    n, m, d = p["n_labeled"], p["n_unlabeled"], p["n_features"]
    n_test = _SIZES[size]["n_test"]
    X, y, params = make_w2s_classification(
        n + m + n_test, d, signal=9.0, return_params=True, random_state=seed
    )
    X_train, X_test, proba_test = X[: n + m], X[n + m:], params.proba[n + m:]
    y_train = y[: n + m].copy()
    y_train[n:] = -1  # the student's rows: labels unseen
    w2s = WeakToStrongClassifier(
        DecisionTreeClassifier(max_depth=4, random_state=seed),
        LogisticRegression(), pseudo_labels="soft",
    ).fit(X_train, y_train)
    supervised = LogisticRegression().fit(X[:n], y[:n])
    ceiling = LogisticRegression().fit(X[n: n + m], y[n: n + m])
    acc = {
        "teacher": _expected_accuracy(w2s.teacher_, X_test, proba_test),
        "student": _expected_accuracy(w2s, X_test, proba_test),
        "ceiling": _expected_accuracy(ceiling, X_test, proba_test),
        "supervised": _expected_accuracy(supervised, X_test, proba_test),
    }
    row = _row("+ classification (accuracy)", f"d={d} n={n} m={m}", acc, None,
               "logistic, soft labels")
    row["pgr"] = _pgr(1 - acc["teacher"], 1 - acc["student"], 1 - acc["ceiling"])
    return row


def run_demo(seed=0, *, quick=False):
    """Run the three mechanisms and a classification row; return the table rows.

    Parameters
    ----------
    seed : int, default=0
        Seed of every random draw.
    quick : bool, default=False
        Smaller problems (seconds; the effects are noisier).

    Returns
    -------
    rows : list of dict
        One dict per table row with the keys of ``_COLUMNS``.
    """
    size = "quick" if quick else "full"
    # Every matrix here is small (d <= 100, a few thousand rows): a multi-threaded
    # BLAS spends more on synchronization than it saves, badly so on a busy
    # machine (measured on a loaded 2-core machine: 21 s with 2 threads, 4 s
    # with 1).
    with threadpool_limits(limits=1, user_api="blas"):
        return [
            _mechanism1(seed, size), _mechanism2(seed, size), *_mechanism3(seed, size),
            _classification(seed, size),
        ]


def _format_cell(value, width, fmt):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        text = "-"
    else:
        text = fmt.format(value)
    return text.ljust(-width) if width < 0 else text.rjust(width)


def format_table(rows, *, notes=True):
    """Render the rows of :func:`run_demo` as an aligned text table.

    Parameters
    ----------
    rows : list of dict
        Rows as returned by :func:`run_demo`.
    notes : bool, default=True
        Whether to append the explanation of the columns.

    Returns
    -------
    table : str
        The table, lines separated by newlines.
    """
    widths = [abs(w) for _, _, w, _ in _COLUMNS]
    starts = np.cumsum([0, *widths])
    header = "".join(
        _format_cell(title, w, "{}") for _, title, w, _ in _COLUMNS
    ).rstrip()
    top = [" "] * int(starts[-1])
    for title, first, last in _GROUPS:
        start, stop = int(starts[first]) + 1, int(starts[last + 1])
        top[start:stop] = list(f" {title} ".center(stop - start, "-"))
    lines = ["".join(top).rstrip(), header, "-" * len(header)]
    for row in rows:
        lines.append("".join(
            _format_cell(row[key], w, fmt) for key, _, w, fmt in _COLUMNS
        ).rstrip())
    if notes:
        lines += [
            "",
            "Errors are excess test MSE: the mean of (prediction - f(x))^2 over "
            "fresh test rows, with f",
            "the noiseless target (= MSE on noisy labels minus the noise "
            "variance). Theory: excess risks",
            "from skw2s.theory (w2s_ridge_risk; ridge_risk for the ceiling) at the "
            "alphas used; '-' means",
            "no closed form (or PGR undefined). Ceiling: the student's model fit "
            "on the true labels of",
            "the student's rows. Superv.: the student's model fit on the "
            "teacher's n true labels (the",
            "baseline W2S must beat to be worth it). PGR = (teacher - student) / "
            "(teacher - ceiling).",
            "n: teacher's labeled rows, m: student's rows, N: hidden units. "
            "Classification row: expected",
            "test ACCURACY (from the true class probabilities; higher is "
            "better), a tree teacher and",
            "a logistic student on its soft labels; its PGR is on 1 - accuracy.",
            "Read honestly: in these settings the student beats its teacher, "
            "but the supervised",
            "student beats the W2S student (in theory too): the mechanisms "
            "explain how W2S can beat",
            "the teacher, not a reason to hide the teacher's labels from the "
            "student.",
        ]
    return "\n".join(lines)


def plot_mechanism1(row, filename):
    """Save the mechanism-1 figure: student error against student alpha.

    Parameters
    ----------
    row : dict
        The mechanism-1 row of :func:`run_demo` (with its private details).
    filename : str or path-like
        Where to save the figure (format from the extension).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    det = row["_details"]
    fine = np.logspace(np.log10(det["alphas"][0]), np.log10(det["alphas"][-1]), 60)
    theory = w2s_ridge_risk(
        det["teacher_alpha"], fine, n_teacher=det["n_labeled"],
        n_student=det["n_unlabeled"], **det["common"],
    )
    sim = [
        _excess(WeightedRidge(alpha=a).fit(det["X_student"], det["pseudo_labels"]),
                det["X_test"], det["f_test"])
        for a in det["alphas"]
    ]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    ax.plot(fine, theory.student_risk, color="C0", label="student, theory")
    ax.plot(det["alphas"], sim, "o", color="C0", label="student, simulation")
    ax.axhline(row["teacher"], color="C3", ls="--", label="teacher (simulation)")
    ax.axhline(row["theory_teacher"], color="C3", ls=":", label="teacher (theory)")
    ax.axhline(row["ceiling"], color="C2", ls="--", label="ceiling (simulation)")
    ax.axvline(det["student_alpha"], color="0.5", lw=1, label="alpha chosen by CV")
    ax.set_xscale("log")
    ax.set_xlabel("student alpha")
    ax.set_ylabel("excess test MSE")
    ax.set_title("Mechanism 1: ridge student of a ridgeless teacher "
                 f"({row['setting']})", fontsize=9)
    ax.legend(fontsize=8)
    fig.savefig(filename)
    plt.close(fig)


def main(argv=None):
    """Command line of ``python -m skw2s``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m skw2s",
        description=(
            "Demo of weak-to-strong generalization on synthetic data: for each of "
            "the three mechanisms of Moniri & Hassani (2025), a teacher, a student "
            "trained only on the teacher's labels (through WeakToStrongRegressor; "
            "the ridge students' alpha is chosen by cross-validation on held-out "
            "true labels) and a "
            "ceiling (the student's model on true labels), with the excess test "
            "errors, the performance gap recovered (PGR) and, for the two ridge "
            "mechanisms, the prediction of skw2s.theory."
        ),
    )
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of every random draw (default: 0)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller problems: a few seconds, noisier numbers")
    parser.add_argument(
        "--plot", metavar="FILE",
        help="also save the mechanism-1 figure (student error against student "
             "alpha, theory curve and simulation) to FILE, e.g. w2s.png; needs "
             "matplotlib",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    rows = run_demo(args.seed, quick=args.quick)
    print(format_table(rows))
    status = 0
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("--plot needs matplotlib, which is not installed (it comes with "
                  "the 'examples' and 'docs' extras: pip install skw2s[examples]).",
                  file=sys.stderr)
            status = 1
        else:
            plot_mechanism1(rows[0], args.plot)
            print(f"Saved the mechanism-1 figure to {args.plot}")
    print(f"({time.perf_counter() - t0:.1f} s)")
    return status
