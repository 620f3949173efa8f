"""Cross-validation of weak-to-strong estimators against teacher and ceiling."""

import time
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import get_scorer, get_scorer_names, mean_squared_error
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _make_indexable,
    _num_samples,
    column_or_1d,
    has_fit_parameter,
)

from .._split import LabeledSplit
from .._validation import _as_label_array, _unlabeled_mask, _validate_w2s_target
from ..metrics import performance_gap_recovered

__all__ = ["LabeledSplit", "cross_validate_w2s"]


#: The models scored on each fold, in report order.
ROLES = ("teacher", "student", "supervised", "pseudo_true", "ceiling")


def _check_scoring(scoring):
    """``{name: scorer}`` for ``scoring``, or None for the default MSE."""
    if scoring is None:
        return None
    if callable(scoring):
        return {"score": scoring}
    if isinstance(scoring, str):
        return {scoring: get_scorer(scoring)}
    if isinstance(scoring, dict):
        if not scoring:
            raise ValueError("scoring is an empty dict; give at least one scorer.")
        out = {}
        for name, value in scoring.items():
            if not isinstance(name, str):
                raise ValueError(f"scoring dict keys must be str; got {name!r}.")
            if isinstance(value, str):
                value = get_scorer(value)
            elif not callable(value):
                raise ValueError(
                    f"scoring[{name!r}] must be a scorer name or a callable "
                    f"scorer(estimator, X, y); got {value!r}."
                )
            out[name] = value
        return out
    names = list(scoring)
    if not names or not all(isinstance(n, str) for n in names):
        raise ValueError(
            "scoring must be None, a scorer name, a callable, a dict of them, or "
            f"a non-empty list of scorer names; got {scoring!r}."
        )
    if len(set(names)) != len(names):
        raise ValueError(f"scoring lists a scorer twice: {names!r}.")
    return {n: get_scorer(n) for n in names}


def _fit_on_true(student, X_tr, y_tr, rows, sw):
    """A clone of ``student`` fit on rows ``rows`` of the fold with true labels."""
    est = clone(student)
    kw = {}
    if sw is not None and has_fit_parameter(est, "sample_weight"):
        kw["sample_weight"] = _safe_indexing(sw, rows)
    y_rows = y_tr[rows]
    if y_rows.dtype.kind == "O":  # class labels of an object y with None markers
        y_rows = _as_label_array(y_rows)
    return est.fit(_safe_indexing(X_tr, rows), y_rows, **kw)


def _fit_and_score_w2s(
    estimator, X, y, train, test, params, scorers, return_estimator,
    pseudo_true=False,
):
    """Fit one fold; score teacher, W2S student, supervised student, (the
    pseudo+true student) and ceiling on the test rows.

    ``result["goodness"][name]`` holds, per role, a greater-is-better value
    (minus the MSE for the default metric) used for the PGR and the margins.
    """
    X_tr, y_tr = _safe_indexing(X, train), y[train]
    X_te, y_te = _safe_indexing(X, test), y[test]
    fit_params = _check_method_params(X, params, indices=train)
    sw = fit_params.get("sample_weight")
    start = time.perf_counter()
    estimator.fit(X_tr, y_tr, **fit_params)
    fit_time = time.perf_counter() - start

    classification = is_classifier(estimator)
    if classification:
        labeled_tr = ~_unlabeled_mask(y_tr)
        y_te = _as_label_array(y_te)
    else:
        labeled_tr = np.isfinite(y_tr) if y_tr.ndim == 1 else np.isfinite(y_tr).all(1)
    models = {"teacher": estimator.teacher_, "student": estimator}
    # the supervised student: the student on the true labels the teacher saw
    sup_rows = np.flatnonzero(estimator.teacher_rows_)
    models["supervised"] = (
        _fit_on_true(estimator.student, X_tr, y_tr, sup_rows, sw)
        if sup_rows.size else None
    )
    if pseudo_true:
        models["pseudo_true"] = None
        if "student_targets" in estimator.get_params(deep=False):
            pt = clone(estimator).set_params(student_targets="pseudo+true")
            models["pseudo_true"] = pt.fit(X_tr, y_tr, **fit_params)
    ceiling_rows = np.flatnonzero(estimator.student_rows_ & labeled_tr)
    models["ceiling"] = (
        _fit_on_true(estimator.student, X_tr, y_tr, ceiling_rows, sw)
        if ceiling_rows.size else None
    )
    if models["supervised"] is None:
        warnings.warn(
            "The teacher of this training fold was fit on no row of it (a "
            "frozen teacher), so there is no supervised student: its scores "
            "are NaN.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
    if models["ceiling"] is None:
        warnings.warn(
            "No student row of this training fold has a true label (the "
            "student's rows are all unlabeled), so the ceiling cannot be "
            "trained: its MSE and the PGR are NaN.",
            UndefinedMetricWarning,
            stacklevel=2,
        )

    start = time.perf_counter()
    result = {
        "fit_time": fit_time,
        "n_teacher_rows": int(estimator.teacher_rows_.sum()),
        "n_student_rows": int(estimator.student_rows_.sum()),
        "n_supervised_rows": int(sup_rows.size),
        "n_ceiling_rows": int(ceiling_rows.size),
    }
    goodness = {}
    if scorers is None and classification:
        # the default metric of a classifier: accuracy; the PGR on 1 - accuracy
        acc = {
            role: np.nan if m is None else float(np.mean(m.predict(X_te) == y_te))
            for role, m in models.items()
        }
        for role, value in acc.items():
            result[f"test_{role}_accuracy"] = value
        goodness["accuracy"] = acc
        result["test_pgr"] = _pgr(acc["teacher"], acc["student"], acc["ceiling"])
    elif scorers is None:
        preds = {
            role: None if m is None else np.asarray(m.predict(X_te), dtype=float)
            for role, m in models.items()
        }
        raw = {
            role: (
                np.full(1 if y_te.ndim == 1 else y_te.shape[1], np.nan)
                if p is None
                else np.atleast_1d(
                    mean_squared_error(y_te, p.reshape(y_te.shape),
                                       multioutput="raw_values")
                )
            )
            for role, p in preds.items()
        }
        for role, value in raw.items():
            result[f"test_{role}_mse"] = float(np.mean(value))
        goodness["mse"] = {role: -result[f"test_{role}_mse"] for role in models}
        if preds["ceiling"] is None:
            result["test_pgr"] = np.nan
        else:
            result["test_pgr"] = performance_gap_recovered(
                y_te.ravel(), preds["teacher"].ravel(), preds["student"].ravel(),
                preds["ceiling"].ravel(),
            )
        if y_te.ndim == 2:
            for role, value in raw.items():
                result[f"test_{role}_mse_per_target"] = value
            result["test_pgr_per_target"] = _pgr(
                -raw["teacher"], -raw["student"], -raw["ceiling"]
            )
    else:
        for name, scorer in scorers.items():
            goodness[name] = {}
            for role, m in models.items():
                value = np.nan if m is None else float(scorer(m, X_te, y_te))
                result[f"test_{role}_{name}"] = value
                goodness[name][role] = value
            g = goodness[name]
            pgr = _pgr(g["teacher"], g["student"], g["ceiling"])
            result["test_pgr" if len(scorers) == 1 else f"test_pgr_{name}"] = pgr
    result["score_time"] = time.perf_counter() - start
    result["goodness"] = goodness
    if return_estimator:
        result["estimator"] = estimator
        result["supervised"] = models["supervised"]
        result["ceiling"] = models["ceiling"]
    return result


def _pgr(teacher, student, ceiling):
    """PGR from greater-is-better values (elementwise; NaN where the ceiling is
    no better than the teacher)."""
    teacher, student, ceiling = (np.asarray(v, dtype=float)
                                 for v in (teacher, student, ceiling))
    gap = ceiling - teacher
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(gap > 0, (student - teacher) / gap, np.nan)
    return float(out) if out.ndim == 0 else out


def _se(values):
    """Standard error of the mean of the finite ``values`` (NaN if < 2)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return np.nan
    return float(values.std(ddof=1) / np.sqrt(values.size))


def _summary(goodness, sign):
    """Means, standard errors, the two PGRs and the W2S-vs-supervised margin.

    ``goodness`` maps each role to its per-fold greater-is-better values;
    ``sign`` is -1 for the MSE (reported as an error) and +1 for a score.
    """
    g = {role: np.asarray(v, dtype=float) for role, v in goodness.items()}
    out = {}
    for role, v in g.items():
        out[role] = float(sign * v.mean())
        out[f"{role}_se"] = _se(v)
    num = g["student"] - g["teacher"]
    den = g["ceiling"] - g["teacher"]
    ratio = _pgr(g["teacher"].mean(), g["student"].mean(), g["ceiling"].mean())
    out["pgr_of_means"] = ratio
    # delta method for a ratio of means, over the folds
    out["pgr_of_means_se"] = (
        _se((num - ratio * den) / den.mean()) if np.isfinite(ratio) else np.nan
    )
    fold_pgrs = _pgr(g["teacher"], g["student"], g["ceiling"])
    finite = np.isfinite(fold_pgrs)
    out["mean_of_fold_pgrs"] = (
        float(fold_pgrs[finite].mean()) if finite.any() else np.nan
    )
    out["mean_of_fold_pgrs_se"] = _se(fold_pgrs)
    margin = g["student"] - g["supervised"]
    out["margin"] = float(margin.mean())
    out["margin_se"] = _se(margin)
    return out


def _aggregate(results):
    """Stack per-fold results; add the per-metric ``summary``."""
    out = {}
    for key in results[0]:
        if key == "goodness":
            continue
        values = [r[key] for r in results]
        if key in ("estimator", "supervised", "ceiling"):
            out[key] = values
        else:
            out[key] = np.asarray(values)
    summary = {}
    for name in results[0]["goodness"]:
        roles = results[0]["goodness"][name]
        per_role = {
            role: [r["goodness"][name][role] for r in results] for role in roles
        }
        summary[name] = _summary(per_role, -1 if name == "mse" else 1)
    if "test_pgr_per_target" in out:
        means = {
            role: out[f"test_{role}_mse_per_target"].mean(axis=0)
            for role in ("teacher", "student", "ceiling")
        }
        summary["mse"]["pgr_of_means_per_target"] = _pgr(
            -means["teacher"], -means["student"], -means["ceiling"]
        )
    out["summary"] = summary
    return out


def _labeled_folds(X, y, groups, cv, classifier=False):
    splitter = (
        cv if isinstance(cv, LabeledSplit) else LabeledSplit(cv, classifier=classifier)
    )
    # with several targets a row is labeled for all or none: split on the first
    return list(splitter.split(X, y if y.ndim == 1 else y[:, 0], groups))


def _check_w2s_target(estimator, X, y, owner):
    """``(y, classification)``: class labels (1-D) for a classifier, else
    regression targets with NaN for unlabeled rows (1-D or 2-D)."""
    classification = is_classifier(estimator)
    if classification:
        y = column_or_1d(np.asarray(y))
        if y.shape[0] != _num_samples(X):
            raise ValueError(
                f"X and y have inconsistent numbers of samples: X has "
                f"{_num_samples(X)} rows, y has {y.shape[0]}."
            )
        return y, True
    y = _validate_w2s_target(y, _num_samples(X), owner=owner, multi_output=True)
    return y, False


def _check_w2s_estimator(estimator, name="estimator"):
    params = estimator.get_params(deep=False)
    if "teacher" not in params or "student" not in params:
        raise TypeError(
            f"{name} must be a weak-to-strong estimator with teacher and student "
            "parameters (e.g. skw2s.WeakToStrongRegressor); got "
            f"{type(estimator).__name__}."
        )


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "cv": ["cv_object"],
        "scoring": [
            StrOptions(set(get_scorer_names())), callable, list, tuple, dict, None
        ],
        "n_jobs": [Integral, None],
        "params": [dict, None],
        "return_estimator": ["boolean"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def cross_validate_w2s(
    estimator,
    X,
    y,
    *,
    groups=None,
    cv=5,
    scoring=None,
    n_jobs=None,
    params=None,
    return_estimator=False,
    verbose=0,
):
    """Cross-validate a weak-to-strong estimator against its baselines.

    The labeled rows are split by ``cv`` (through :class:`LabeledSplit`:
    unlabeled rows go to every training fold and never to a test fold). On each
    training fold a clone of ``estimator`` is fit with its own data protocol
    (teacher on labeled rows, student on the teacher's predictions for the
    student's rows). Beside it, two clones of the student are fit on **true**
    labels:

    - the *supervised student*, on the rows the teacher was fit on
      (``teacher_rows_``) with their true labels: the strong model trained
      directly on the labels the weak-to-strong pipeline spent on the teacher.
      If it beats the weak-to-strong student, training the strong model on the
      labels is the better use of them;
    - the *ceiling*, on the student's rows that have a true label (when every
      row is labeled these are exactly the student's rows, whose labels were
      hidden from the student).

    On the held-out labeled rows, the teacher (``teacher_``), the W2S student,
    the supervised student and the ceiling are scored, and the performance gap
    recovered (PGR) is computed.

    Parameters
    ----------
    estimator : estimator object
        The weak-to-strong estimator to evaluate (cloned per fold), e.g. a
        :class:`~skw2s.WeakToStrongRegressor`: it must have ``teacher`` and
        ``student`` parameters and set ``teacher_``, ``teacher_rows_`` and
        ``student_rows_`` in ``fit``.

    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        Data, passed to the estimator as given.

    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets; NaN marks unlabeled rows (with several outputs, a row is
        labeled for every target or for none). For a
        :class:`~skw2s.WeakToStrongClassifier`, class labels with ``-1``, NaN
        or None marking unlabeled rows; the labeled rows are split with
        stratified folds, and the default metric is the accuracy (the PGR is
        computed on ``1 - accuracy``: ``test_<model>_accuracy``).

    groups : array-like of shape (n_samples,), default=None
        Group labels for a group splitter (restricted to the labeled rows).

    cv : int, cross-validation generator or iterable, default=5
        Splitting of the labeled rows (see :class:`LabeledSplit`).
        See :term:`Glossary <cv>`.

    scoring : str, callable, list, tuple, dict or None, default=None
        ``None`` records the mean squared error (keys ``test_<model>_mse``,
        lower is better). Otherwise scikit-learn scorers (greater is better):
        a scorer name, a callable ``scorer(estimator, X, y)``, a list of names
        or a dict ``{name: name or callable}``; keys ``test_<model>_<name>``
        (``<name>`` is ``score`` for a single callable).

    n_jobs : int, default=None
        Number of folds fit in parallel (joblib).
        See :term:`Glossary <n_jobs>`.

    params : dict, default=None
        Parameters passed to ``estimator.fit``; sample-aligned ones are sliced to
        the training fold. A ``sample_weight`` entry also reaches the supervised
        student and the ceiling (sliced to their rows) if the student accepts
        it.

    return_estimator : bool, default=False
        Whether to also return the fitted estimators, supervised students and
        ceilings.

    verbose : int, default=0
        Verbosity of the joblib progress messages (one per fold).

    verbose : int, default=0
        Progress of the fan-out: joblib's count of folds done (passed to
        :class:`joblib.Parallel`).

    Returns
    -------
    scores : dict
        Arrays of shape (n_splits,): ``test_<model>_<metric>`` for the models
        ``teacher``, ``student`` (the W2S student), ``supervised`` and
        ``ceiling``; ``test_pgr`` (``test_pgr_<name>`` for several scorers; NaN
        where the ceiling is no better than the teacher); ``fit_time``,
        ``score_time`` and the row counts ``n_teacher_rows``,
        ``n_student_rows``, ``n_supervised_rows``, ``n_ceiling_rows``. With a
        2-D ``y`` and the default metric also ``test_<model>_mse_per_target``
        and ``test_pgr_per_target`` (shape (n_splits, n_outputs)). With
        ``return_estimator=True`` the lists ``estimator``, ``supervised`` and
        ``ceiling``. Supervised and ceiling scores are NaN (with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`) where they cannot
        be trained.

        ``summary`` is a dict ``{metric: dict}`` (``metric`` is ``"mse"`` or a
        scorer's name) of the cross-validated means: ``<model>`` (mean over
        folds; an error for ``"mse"``, a score otherwise) and ``<model>_se``;
        ``pgr_of_means``, the PGR of the mean errors (scores) over the folds,
        with ``pgr_of_means_se`` (delta method over folds); and
        ``mean_of_fold_pgrs``, the mean of the per-fold PGRs (finite ones),
        with ``mean_of_fold_pgrs_se``. The two differ: a fold whose ceiling
        barely beats its teacher gives a huge per-fold PGR of either sign, so
        ``pgr_of_means`` is the one to read. ``margin`` is how much better the
        W2S student is than the supervised student (mean over folds of the
        error difference, positive when W2S wins) and ``margin_se`` its
        standard error. With a 2-D ``y``: ``pgr_of_means_per_target``.

    See Also
    --------
    LabeledSplit : The splitter used on the labeled rows.
    compare_w2s : The same report for every teacher/student pair.
    skw2s.metrics.performance_gap_recovered : The PGR of one fold.

    Notes
    -----
    The standard errors treat the folds as independent, which they are not
    (training folds overlap): read them as optimistic, as for any standard
    error across cross-validation folds.

    Examples
    --------
    >>> from skw2s import WeakToStrongRegressor, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> from skw2s.model_selection import cross_validate_w2s
    >>> X, y = make_w2s_regression(n_samples=600, n_features=50, random_state=0)
    >>> w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3),
    ...                             WeightedRidge(alpha=30.0),
    ...                             teacher_size=0.25, random_state=0)
    >>> res = cross_validate_w2s(w2s, X, y, cv=4)
    >>> sorted(k for k in res if k.startswith("test_"))
    ['test_ceiling_mse', 'test_pgr', 'test_student_mse', 'test_supervised_mse',
     'test_teacher_mse']
    >>> bool((res["test_student_mse"] < res["test_teacher_mse"]).all())
    True
    >>> sorted(res["summary"]["mse"])[:4]
    ['ceiling', 'ceiling_se', 'margin', 'margin_se']
    """
    _check_w2s_estimator(estimator)
    scorers = _check_scoring(scoring)
    X = _make_indexable(X)
    y, classification = _check_w2s_target(estimator, X, y, "cross_validate_w2s")
    folds = _labeled_folds(X, y, groups, cv, classifier=classification)
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_and_score_w2s)(
            clone(estimator), X, y, train, test, params or {}, scorers,
            return_estimator,
        )
        for train, test in folds
    )
    return _aggregate(results)
