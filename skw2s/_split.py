"""A splitter that keeps unlabeled rows out of test folds."""

from numbers import Integral

import numpy as np
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.model_selection._split import (
    BaseCrossValidator,
    GroupsConsumerMixin,
    _BaseKFold,
    _RepeatedSplits,
)
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _make_indexable, _num_samples

from ._validation import (
    _as_label_array,
    _check_cv_folds,
    _label_values,
    _unlabeled_mask,
)

__all__ = ["LabeledSplit"]

#: What to do when a cross-validation fold has no labeled row (appended to the
#: errors of ``score``, the NaN-aware scorers and ``fit``).
NO_LABELED_ROWS_HINT = (
    "In a cross-validation this happens when a fold holds only unlabeled rows: "
    "split with skw2s.model_selection.LabeledSplit (e.g. GridSearchCV(..., "
    "cv=LabeledSplit(5))), which puts every unlabeled row in the training "
    "folds and only labeled rows in the test folds."
)


def _k_folds(cv):
    """The number of folds of a K-fold splitter (each row tested once), or None."""
    if isinstance(cv, _BaseKFold):
        return int(cv.n_splits)
    if isinstance(cv, _RepeatedSplits):
        return int(cv.cvargs.get("n_splits", 5))
    return None


class LabeledSplit(GroupsConsumerMixin, BaseCrossValidator):
    """Split the labeled rows; put every unlabeled row in every training fold.

    Unlabeled rows carry no ground truth to score against, so they never go to
    a test fold. The labeled rows are split by ``cv``; each
    training fold is the labeled training rows plus all unlabeled rows, each
    test fold is labeled rows only. With it, scikit-learn's
    :class:`~sklearn.model_selection.GridSearchCV` and
    :func:`~sklearn.model_selection.cross_validate` can evaluate a
    :class:`~skw2s.WeakToStrongRegressor` or a
    :class:`~skw2s.WeakToStrongClassifier` on data with unlabeled rows with
    any ordinary scorer.

    Which rows are unlabeled depends on the task. Regression: NaN (and None).
    Classification (scikit-learn's semi-supervised convention): ``-1``, NaN in
    a float ``y`` or None in an object ``y``; labels may be strings.

    Parameters
    ----------
    cv : int, cross-validation generator or iterable, default=5
        How to split the labeled rows, with
        :func:`~sklearn.model_selection.check_cv` semantics (an int is the
        number of :class:`~sklearn.model_selection.KFold` folds, or of
        :class:`~sklearn.model_selection.StratifiedKFold` folds for
        classification). Indices of an iterable refer to the labeled rows (in
        order).
        See :term:`Glossary <cv>`.

    classifier : bool or None, default=None
        Whether ``y`` holds class labels. None decides from ``y``'s dtype: a
        float ``y`` is a regression target (only NaN marks an unlabeled row,
        ``-1`` is a value), any other ``y`` (integers, strings, objects, bools)
        holds class labels. Pass True for class labels stored as floats, where
        ``-1`` then marks an unlabeled row too.

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

    Class labels, with ``-1`` and None marking unlabeled rows:

    >>> y = np.array(["a", None, "b", "a", -1, "b"], dtype=object)
    >>> for train, test in LabeledSplit(cv=2).split(np.zeros((6, 1)), y):
    ...     print(train, test)
    [3 5 1 4] [0 2]
    [0 2 1 4] [3 5]
    """

    def __init__(self, cv=5, *, classifier=None):
        self.cv = cv
        self.classifier = classifier

    def _iter_test_indices(self, X=None, y=None, groups=None):  # pragma: no cover
        raise NotImplementedError  # split is overridden

    def split(self, X, y=None, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Targets or class labels with their unlabeled rows marked (see
            above). Required.

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
        y_l, l_idx, u_idx, classifier = self._labeled(X, y)
        cv = check_cv(self.cv, y_l, classifier=classifier)
        n_folds = _k_folds(cv)
        if n_folds is not None and n_folds > l_idx.size:
            raise ValueError(
                f"cv={self.cv!r} asks for {n_folds} folds, but y has only "
                f"{l_idx.size} labeled row(s) (of {l_idx.size + u_idx.size} "
                "rows): every test fold needs a labeled row, and unlabeled rows "
                f"are never tested. Use at most {l_idx.size} folds, or label "
                "more rows."
            )
        if n_folds is not None and isinstance(cv, StratifiedKFold):
            classes, counts = np.unique(y_l, return_counts=True)
            if n_folds > counts.max():
                top = int(np.argmax(counts))
                raise ValueError(
                    f"cv={self.cv!r} asks for {n_folds} stratified folds, but no "
                    f"class of y has that many labeled rows (the largest, "
                    f"{classes[top].tolist()!r}, has {counts[top]} of the "
                    f"{l_idx.size} labeled rows). Use at most {counts.max()} "
                    "folds, or label more rows."
                )
        X_l = _safe_indexing(_make_indexable(X), l_idx)
        g_l = None if groups is None else _safe_indexing(np.asarray(groups), l_idx)
        folds = cv.split(X_l, y_l, g_l)
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
            Targets or class labels with their unlabeled rows marked.

        groups : array-like of shape (n_samples,), default=None
            Group labels.

        Returns
        -------
        n_splits : int
            The number of splits.
        """
        if y is None or isinstance(self.cv, Integral):
            return check_cv(self.cv).get_n_splits(X, y, groups)
        y_l, l_idx, _, classifier = self._labeled(X, y)
        cv = check_cv(self.cv, y_l, classifier=classifier)
        X_l = None if X is None else _safe_indexing(_make_indexable(X), l_idx)
        g_l = None if groups is None else _safe_indexing(np.asarray(groups), l_idx)
        return cv.get_n_splits(X_l, y_l, g_l)

    def _labeled(self, X, y):
        """``(y of the labeled rows, their indices, unlabeled indices, classifier)``."""
        if y is None:
            raise ValueError(
                "LabeledSplit.split needs y: its unlabeled entries (NaN; -1 or "
                "None for class labels) mark the rows that must stay out of the "
                "test folds."
            )
        kind = getattr(getattr(y, "dtype", None), "kind", None)
        y = _label_values(y)  # pd.NA of pandas' nullable dtypes becomes None
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D; got shape {y.shape}.")
        if X is not None and _num_samples(X) != y.shape[0]:
            raise ValueError(
                f"X has {_num_samples(X)} rows but y has {y.shape[0]}."
            )
        classifier = self.classifier
        if classifier is None:
            # a float y (NumPy, or pandas' Float64) is a regression target
            classifier = (kind or y.dtype.kind) != "f"
        unlabeled = _unlabeled_mask(y, minus_one=bool(classifier))
        if unlabeled.all():
            raise ValueError(
                "y has no labeled rows (every row is marked unlabeled); nothing "
                "to test on."
            )
        y_l = _as_label_array(y[~unlabeled])
        if not classifier:
            try:
                y_l = y_l.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    "y must hold real numbers for regression (classifier=False); "
                    f"{exc}. Pass classifier=True for class labels."
                ) from exc
        return y_l, np.flatnonzero(~unlabeled), np.flatnonzero(unlabeled), classifier
