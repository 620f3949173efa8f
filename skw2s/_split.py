"""A splitter that keeps unlabeled rows out of test folds."""

from numbers import Integral

import numpy as np
from sklearn.model_selection import check_cv
from sklearn.model_selection._split import BaseCrossValidator, GroupsConsumerMixin
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _make_indexable, _num_samples

from ._validation import _check_cv_folds

__all__ = ["LabeledSplit"]


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
        folds = cv.split(X_l, np.asarray(y, dtype=float)[l_idx], g_l)
        # an iterable cv is the user's: its indices refer to the labeled rows
        rows = "labeled rows; indices of an iterable cv refer to them in order"
        for train, test in _check_cv_folds(folds, l_idx.size, rows=rows):
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
