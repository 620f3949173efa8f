"""Cross-validation of weak-to-strong estimators against teacher and ceiling."""

import time
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_squared_error
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _make_indexable,
    _num_samples,
    has_fit_parameter,
)

from .._split import LabeledSplit
from .._validation import _validate_w2s_target
from .._weak_to_strong import WeakToStrongRegressor
from ..metrics import performance_gap_recovered

__all__ = ["LabeledSplit", "cross_validate_w2s"]


def _fit_and_score_w2s(estimator, X, y, train, test, params, return_estimator):
    """Fit one fold; score teacher, student and ceiling on the test rows."""
    X_tr, y_tr = _safe_indexing(X, train), y[train]
    X_te, y_te = _safe_indexing(X, test), y[test]
    fit_params = _check_method_params(X, params, indices=train)
    start = time.perf_counter()
    estimator.fit(X_tr, y_tr, **fit_params)
    fit_time = time.perf_counter() - start

    ceiling_rows = np.flatnonzero(estimator.student_rows_ & np.isfinite(y_tr))
    ceiling = None
    if ceiling_rows.size:
        ceiling = clone(estimator.student)
        ceiling_params = {}
        sw = fit_params.get("sample_weight")
        if sw is not None and has_fit_parameter(ceiling, "sample_weight"):
            ceiling_params["sample_weight"] = _safe_indexing(sw, ceiling_rows)
        ceiling.fit(
            _safe_indexing(X_tr, ceiling_rows), y_tr[ceiling_rows], **ceiling_params
        )

    start = time.perf_counter()
    y_weak = np.ravel(estimator.teacher_.predict(X_te))
    y_w2s = np.ravel(estimator.predict(X_te))
    result = {
        "fit_time": fit_time,
        "test_teacher_mse": mean_squared_error(y_te, y_weak),
        "test_student_mse": mean_squared_error(y_te, y_w2s),
        "n_teacher_rows": int(estimator.teacher_rows_.sum()),
        "n_student_rows": int(estimator.student_rows_.sum()),
        "n_ceiling_rows": int(ceiling_rows.size),
    }
    if ceiling is None:
        warnings.warn(
            "No student row of this training fold has a true label (the "
            "student's rows are all unlabeled), so the ceiling cannot be "
            "trained: its MSE and the PGR are NaN.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        result["test_ceiling_mse"] = np.nan
        result["test_pgr"] = np.nan
    else:
        y_ceiling = np.ravel(ceiling.predict(X_te))
        result["test_ceiling_mse"] = mean_squared_error(y_te, y_ceiling)
        result["test_pgr"] = performance_gap_recovered(y_te, y_weak, y_w2s, y_ceiling)
    result["score_time"] = time.perf_counter() - start
    if return_estimator:
        result["estimator"] = estimator
        result["ceiling"] = ceiling
    return result


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "cv": ["cv_object"],
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
    n_jobs=None,
    params=None,
    return_estimator=False,
    verbose=0,
):
    """Cross-validate a weak-to-strong estimator against its teacher and ceiling.

    The labeled rows are split by ``cv`` (through :class:`LabeledSplit`:
    unlabeled rows go to every training fold and never to a test fold). On each
    training fold a clone of ``estimator`` is fit with its own data protocol
    (teacher on labeled rows, student on the teacher's predictions for the
    student's rows). The *ceiling* is a clone of the student fit on the **true**
    labels of the student's rows that have one; when every row is labeled
    these are exactly the student's rows (whose labels were hidden from the
    student). On the held-out labeled rows, the mean squared errors of the
    fitted teacher (``teacher_``), the student and the ceiling, and the
    performance gap recovered, are recorded.

    Parameters
    ----------
    estimator : WeakToStrongRegressor
        The weak-to-strong estimator to evaluate (cloned per fold).

    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        Data, passed to the estimator as given.

    y : array-like of shape (n_samples,)
        Targets; NaN marks unlabeled rows.

    groups : array-like of shape (n_samples,), default=None
        Group labels for a group splitter (restricted to the labeled rows).

    cv : int, cross-validation generator or iterable, default=5
        Splitting of the labeled rows (see :class:`LabeledSplit`).

    n_jobs : int, default=None
        Number of folds fit in parallel (joblib).

    params : dict, default=None
        Parameters passed to ``estimator.fit``; sample-aligned ones are sliced to
        the training fold. A ``sample_weight`` entry also reaches the ceiling
        (sliced to its rows) if the student accepts it.

    return_estimator : bool, default=False
        Whether to also return the fitted estimators and ceilings.

    verbose : int, default=0
        Progress of the fan-out: joblib's count of folds done (passed to
        :class:`joblib.Parallel`).

    Returns
    -------
    scores : dict of ndarray, each of shape (n_splits,)
        ``test_teacher_mse``, ``test_student_mse``, ``test_ceiling_mse``,
        ``test_pgr`` (see :func:`~skw2s.metrics.performance_gap_recovered`;
        NaN with a warning where undefined), ``fit_time``, ``score_time``,
        ``n_teacher_rows``, ``n_student_rows``, ``n_ceiling_rows``, and with
        ``return_estimator=True`` the lists ``estimator`` and ``ceiling``. The
        ceiling's MSE and the PGR are NaN where no student row has a true label.

    See Also
    --------
    LabeledSplit : The splitter used on the labeled rows.
    skw2s.metrics.performance_gap_recovered : The PGR of one fold.

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
    ['test_ceiling_mse', 'test_pgr', 'test_student_mse', 'test_teacher_mse']
    >>> bool((res["test_student_mse"] < res["test_teacher_mse"]).all())
    True
    """
    if not isinstance(estimator, WeakToStrongRegressor):
        raise TypeError(
            "estimator must be a WeakToStrongRegressor (it needs teacher_, "
            f"student_rows_ and student); got {type(estimator).__name__}."
        )
    X = _make_indexable(X)
    y = _validate_w2s_target(y, _num_samples(X), owner="cross_validate_w2s")
    splitter = cv if isinstance(cv, LabeledSplit) else LabeledSplit(cv)
    folds = list(splitter.split(X, y, groups))
    results = Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_and_score_w2s)(
            clone(estimator), X, y, train, test, params or {}, return_estimator
        )
        for train, test in folds
    )
    out = {}
    for key in results[0]:
        values = [r[key] for r in results]
        out[key] = values if key in ("estimator", "ceiling") else np.asarray(values)
    return out
