"""The "should I use weak-to-strong here?" report over teacher/student pairs."""

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.metrics import get_scorer_names
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _make_indexable

from .._weak_to_strong import WeakToStrongRegressor
from .._weak_to_strong_classifier import WeakToStrongClassifier
from ._w2s_validation import (
    _aggregate,
    _check_scoring,
    _check_w2s_estimator,
    _check_w2s_target,
    _fit_and_score_w2s,
    _labeled_folds,
)

__all__ = ["compare_w2s"]

#: Table columns of the models, in report order (``student`` is the W2S one).
_MODELS = (
    ("teacher", "teacher"),
    ("w2s", "student"),
    ("supervised", "supervised"),
    ("pseudo_true", "pseudo_true"),
    ("ceiling", "ceiling"),
)


def _check_named_estimators(estimators, name):
    if not estimators:
        raise ValueError(f"{name} is empty; give at least one named estimator.")
    for key, est in estimators.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str names; got {key!r}.")
        if not (hasattr(est, "fit") and hasattr(est, "predict")):
            raise TypeError(
                f"{name}[{key!r}] must be an estimator with fit and predict; "
                f"got {type(est).__name__}."
            )


def _verdict(margin, se):
    """'yes'/'no' by the sign of the margin, with the margin and its s.e."""
    if not np.isfinite(margin):
        return "undefined (no supervised student)"
    answer = "yes" if margin > 0 else "no"
    noise = ""
    if np.isfinite(se) and abs(margin) < 2 * se:
        noise = ", within 2 s.e."
    return f"{answer} (margin {margin:.4g}, s.e. {se:.3g}{noise})"


def _table(rows):
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in every extra
        return {k: np.asarray([r[k] for r in rows]) for k in rows[0]}
    return pd.DataFrame(rows)


@validate_params(
    {
        "teachers": [dict],
        "students": [dict],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "w2s": [HasMethods(["fit", "predict"]), None],
        "groups": ["array-like", None],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "params": [dict, None],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def compare_w2s(
    teachers,
    students,
    X,
    y,
    *,
    w2s=None,
    groups=None,
    cv=5,
    scoring=None,
    params=None,
    n_jobs=None,
    verbose=0,
):
    """Should I use weak-to-strong here? The report for every teacher/student pair.

    For every pair of a teacher in ``teachers`` and a student in ``students``,
    cross-validates (on the same :class:`LabeledSplit` folds of the labeled
    rows) the teacher, the weak-to-strong (W2S) student, the *supervised
    student* (the student fit on the true labels the teacher was fit on), the
    *pseudo+true student* (the W2S estimator with
    ``student_targets="pseudo+true"``: pseudo-labels plus the teacher's rows
    with their true labels) and the *ceiling* (the student on the true labels
    of its own rows), as :func:`cross_validate_w2s` does, and answers the
    practitioner's question: does the W2S student beat the student trained
    directly on the same true labels?

    Parameters
    ----------
    teachers : dict of str to estimator
        Named weak models.

    students : dict of str to estimator
        Named strong models.

    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        Data.

    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets; NaN marks unlabeled rows. For classifiers: class labels, with
        ``-1``, NaN or None marking unlabeled rows (the default metric is then
        the accuracy).

    w2s : estimator, default=None
        The weak-to-strong estimator whose ``teacher`` and ``student`` are set
        to each pair (through ``set_params`` on a clone), carrying its other
        parameters (``teacher_size``, ``cv``, ``random_state``, ...). ``None``
        means ``WeakToStrongRegressor(teacher, student, random_state=0)``
        (``WeakToStrongClassifier`` when the first teacher is a classifier):
        every pair sees the same teacher/student split of each training fold.

    groups : array-like of shape (n_samples,), default=None
        Group labels for a group splitter ``cv``.

    cv : int, cross-validation generator or iterable, default=5
        Splitting of the labeled rows (see :class:`LabeledSplit`).

    scoring : str, callable or None, default=None
        One metric for the table: ``None`` is the mean squared error (lower is
        better); a scikit-learn scorer name or a callable
        ``scorer(estimator, X, y)`` is a score (greater is better).

    params : dict, default=None
        Parameters of ``fit`` (sample-aligned ones sliced to the training fold),
        as in :func:`cross_validate_w2s`.

    n_jobs : int, default=None
        Number of (pair, fold) fits run in parallel (joblib).

    verbose : int, default=0
        Verbosity of joblib's progress messages over the ``n_pairs * n_splits``
        fits.

    Returns
    -------
    table : pandas.DataFrame or dict of ndarray
        One row per pair (a dict of columns if pandas is not installed):
        ``teacher`` and ``student`` (the names); ``metric``; the cross-validated
        means ``teacher_<metric>``, ``w2s_<metric>``, ``supervised_<metric>``,
        ``pseudo_true_<metric>`` and ``ceiling_<metric>`` each with a ``_se``
        column (standard error over folds; ``<metric>`` is ``mse`` or the
        scorer's name, ``score`` for a callable); ``pgr`` (the PGR of the
        mean errors, :func:`cross_validate_w2s`'s ``pgr_of_means``) and
        ``pgr_se``; ``mean_fold_pgr`` (the mean of the per-fold PGRs) and
        ``mean_fold_pgr_se``; ``margin`` (how much better the W2S student is
        than the supervised student, positive when it wins) and ``margin_se``;
        ``verdict``, the answer "W2S beats supervised: yes/no (margin, s.e.)",
        with ", within 2 s.e." when the margin is smaller than two standard
        errors; and ``n_splits``.

    See Also
    --------
    cross_validate_w2s : The per-fold numbers of one pair.
    W2SReportDisplay : A bar chart of this table.

    Notes
    -----
    The standard errors are across folds, which overlap in their training
    rows; they are optimistic. The pseudo+true column is NaN if the W2S
    estimator has no ``student_targets`` parameter.

    Examples
    --------
    >>> from skw2s import WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> from skw2s.model_selection import compare_w2s
    >>> X, y = make_w2s_regression(n_samples=300, n_features=40, random_state=0)
    >>> table = compare_w2s({"ridgeless": WeightedRidge(alpha=1e-6)},
    ...                     {"ridge": WeightedRidge(alpha=30.0)}, X, y, cv=3)
    >>> table[["teacher", "student"]].values.tolist()
    [['ridgeless', 'ridge']]
    >>> bool(table["verdict"].str.startswith(("yes", "no")).all())
    True
    """
    _check_named_estimators(teachers, "teachers")
    _check_named_estimators(students, "students")
    if w2s is None:
        first = next(iter(teachers.values())), next(iter(students.values()))
        template = (
            WeakToStrongClassifier if is_classifier(first[0]) else WeakToStrongRegressor
        )
        w2s = template(*first, random_state=0)
    _check_w2s_estimator(w2s, "w2s")
    scorers = _check_scoring(scoring)
    X = _make_indexable(X)
    y, classification = _check_w2s_target(w2s, X, y, "compare_w2s")
    default = "accuracy" if classification else "mse"
    metric = default if scorers is None else next(iter(scorers))
    folds = _labeled_folds(X, y, groups, cv, classifier=classification)
    pairs = [(t, s) for t in teachers for s in students]
    jobs = [
        (pair, train, test) for pair in pairs for train, test in folds
    ]
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_and_score_w2s)(
            clone(w2s).set_params(
                teacher=clone(teachers[t]), student=clone(students[s])
            ),
            X, y, train, test, params or {}, scorers, False, True,
        )
        for (t, s), train, test in jobs
    )
    n_splits = len(folds)
    rows = []
    for i, (t, s) in enumerate(pairs):
        summary = _aggregate(results[i * n_splits:(i + 1) * n_splits])["summary"]
        summ = summary[metric]
        row = {"teacher": t, "student": s, "metric": metric}
        for col, role in _MODELS:
            row[f"{col}_{metric}"] = summ[role]
            row[f"{col}_{metric}_se"] = summ[f"{role}_se"]
        row["pgr"] = summ["pgr_of_means"]
        row["pgr_se"] = summ["pgr_of_means_se"]
        row["mean_fold_pgr"] = summ["mean_of_fold_pgrs"]
        row["mean_fold_pgr_se"] = summ["mean_of_fold_pgrs_se"]
        row["margin"] = summ["margin"]
        row["margin_se"] = summ["margin_se"]
        row["verdict"] = _verdict(summ["margin"], summ["margin_se"])
        row["n_splits"] = n_splits
        rows.append(row)
    return _table(rows)
