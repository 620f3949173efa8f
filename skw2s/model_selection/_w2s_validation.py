"""A splitter that keeps unlabeled rows out of test folds, and W2S evaluation."""

import time
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import check_cv
from sklearn.model_selection._split import BaseCrossValidator, GroupsConsumerMixin
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _make_indexable,
    _num_samples,
    has_fit_parameter,
)

from .._validation import _validate_w2s_target
from .._weak_to_strong import WeakToStrongRegressor
from ..metrics import performance_gap_recovered

__all__ = ["LabeledSplit", "cross_validate_w2s"]


class LabeledSplit(GroupsConsumerMixin, BaseCrossValidator):
    """Split the labeled rows; put every unlabeled row in every training fold.

    Rows whose ``y`` is NaN (unlabeled) carry no ground truth to score against,
    so they never go to a test fold. The labeled rows are split by ``cv``; each
    training fold is the labeled training rows plus all unlabeled rows, each
    test fold is labeled rows only. With it, scikit-learn's
    :class:`~sklearn.model_selection.GridSearchCV` and
    :func:`~sklearn.model_selection.cross_validate` can evaluate a
    :class:`~skw2s.WeakToStrongRegressor` on data with unlabeled rows with any
    ordinary scorer.

    Parameters
    ----------
    cv : int, cross-validation generator or iterable, default=5
        How to split the labeled rows, with
        :func:`~sklearn.model_selection.check_cv` semantics (an int is the
        number of :class:`~sklearn.model_selection.KFold` folds). Indices of an
        iterable refer to the labeled rows (in order).

    See Also
    --------
    cross_validate_w2s : Teacher, student and ceiling scores per fold.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.model_selection import LabeledSplit
    >>> y = np.array([1.0, np.nan, 2.0, 3.0, np.nan, 4.0])
    >>> for train, test in LabeledSplit(cv=2).split(np.zeros((6, 1)), y):
    ...     print(train, test)
    [3 5 1 4] [0 2]
    [0 2 1 4] [3 5]
    """

    def __init__(self, cv=5):
        self.cv = cv

    def _iter_test_indices(self, X=None, y=None, groups=None):  # pragma: no cover
        raise NotImplementedError  # split is overridden

    def split(self, X, y=None, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Targets; NaN marks an unlabeled row. Required.

        groups : array-like of shape (n_samples,), default=None
            Group labels, passed (restricted to the labeled rows) to ``cv``.

        Yields
        ------
        train : ndarray
            Training indices: the labeled training rows, then all unlabeled
            rows.

        test : ndarray
            Test indices (labeled rows only).
        """
        labeled, l_idx, u_idx = self._labeled(X, y)
        cv = check_cv(self.cv)
        X_l = _safe_indexing(_make_indexable(X), l_idx)
        g_l = None if groups is None else _safe_indexing(np.asarray(groups), l_idx)
        for train, test in cv.split(X_l, np.asarray(y, dtype=float)[l_idx], g_l):
            yield np.concatenate([l_idx[train], u_idx]), l_idx[test]

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splitting iterations (that of ``cv``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), default=None
            Training data.

        y : array-like of shape (n_samples,), default=None
            Targets; NaN marks an unlabeled row.

        groups : array-like of shape (n_samples,), default=None
            Group labels.

        Returns
        -------
        n_splits : int
            The number of splits.
        """
        cv = check_cv(self.cv)
        if y is None or isinstance(self.cv, Integral):
            return cv.get_n_splits(X, y, groups)
        _, l_idx, _ = self._labeled(X, y)
        X_l = None if X is None else _safe_indexing(_make_indexable(X), l_idx)
        g_l = None if groups is None else _safe_indexing(np.asarray(groups), l_idx)
        return cv.get_n_splits(X_l, np.asarray(y, dtype=float)[l_idx], g_l)

    @staticmethod
    def _labeled(X, y):
        if y is None:
            raise ValueError(
                "LabeledSplit.split needs y: NaN entries of y mark the unlabeled "
                "rows that must stay out of the test folds."
            )
        y = np.asarray(y, dtype=float)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D; got shape {y.shape}.")
        if X is not None and _num_samples(X) != y.shape[0]:
            raise ValueError(
                f"X has {_num_samples(X)} rows but y has {y.shape[0]}."
            )
        labeled = ~np.isnan(y)
        if not labeled.any():
            raise ValueError("y has no labeled rows (all NaN); nothing to test on.")
        return labeled, np.flatnonzero(labeled), np.flatnonzero(~labeled)


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
    results = Parallel(n_jobs=n_jobs)(
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
