"""The teacher-to-student meta-estimator of weak-to-strong regression."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context, clone
from sklearn.utils.metadata_routing import (
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    _estimator_has,
    _num_samples,
    check_is_fitted,
    validate_data,
)

from ._base import _BaseWeakToStrong
from ._compat import _VisualBlock
from ._validation import _DOC_LINK_TEMPLATE, _check_not_1d, _validate_w2s_target

__all__ = ["WeakToStrongRegressor"]


def _as_1d_predictions(pred, n_rows, who):
    pred = np.asarray(pred)
    if pred.ndim == 2 and pred.shape[1] == 1:
        pred = pred[:, 0]
    if pred.shape != (n_rows,):
        raise ValueError(
            f"The {who} must return one prediction per row (shape ({n_rows},)); "
            f"got shape {pred.shape}."
        )
    return pred.astype(np.float64, copy=False)


class WeakToStrongRegressor(RegressorMixin, _BaseWeakToStrong):
    """Train a student regressor on the predictions of a weaker teacher.

    The *teacher* is fit on rows with true labels. The *student* is fit on the
    teacher's predictions (pseudo-labels) for its own rows and never sees a
    true label. ``predict`` and ``score`` are the student's. This is
    weak-to-strong training (Burns et al., 2023) for regression, as analysed by
    Moniri & Hassani (2025).

    Rows with a finite ``y`` are *labeled*; rows whose ``y`` is NaN are
    *unlabeled*. Which rows train which model:

    - **Unlabeled rows present** (``cv=None``). The teacher is fit on all labeled
      rows (with their true labels); the unlabeled rows are the student's rows.
    - **Every row labeled** (``cv=None``). ``teacher_size`` rows, drawn at random
      with ``random_state``, train the teacher; the remaining rows are the
      student's rows and their true labels are hidden from the student (replaced
      by the teacher's predictions). This is what lets
      ``GridSearchCV(WeakToStrongRegressor(...), {"student__alpha": ...})``
      score the student against held-out ground truth.
    - **Cross-fitting** (``cv`` given). The labeled rows are split by ``cv``;
      each labeled row receives the prediction of a teacher fit on the other
      folds (so no row is labeled by a teacher that saw it). ``teacher_`` is then
      refit on all labeled rows and labels the unlabeled rows. The student is fit
      on every row.
    - **Frozen teacher** (wrapped in :class:`~sklearn.frozen.FrozenEstimator`).
      The teacher is used as trained and is not refit; every row is a student
      row, ``y`` may be all NaN (or None), and ``teacher_size`` and ``cv`` are
      ignored. A frozen teacher must not have been trained on the rows passed
      here, otherwise the pseudo-labels carry its training fit (and noise).

    Parameters
    ----------
    teacher : estimator object
        The weak model: a regressor implementing ``fit`` and ``predict``. A
        clone is fit (unless it is a :class:`~sklearn.frozen.FrozenEstimator`).

    student : estimator object
        The strong model: a regressor implementing ``fit`` and ``predict``. A
        clone is fit on the teacher's predictions for the student's rows.

    teacher_size : float or int, default=0.5
        Used only when every row is labeled, ``cv=None`` and the teacher is not
        frozen. A float in (0, 1) is the fraction of rows (rounded down) that
        train the teacher, an int is their number; the other rows become student
        rows with hidden labels.

    cv : int, cross-validation generator, iterable or None, default=None
        If None, no cross-fitting (see above). Otherwise the splitting strategy
        of the labeled rows for cross-fitting, with
        :func:`~sklearn.model_selection.check_cv` semantics (an int is the
        number of :class:`~sklearn.model_selection.KFold` folds). The folds are
        computed once per fit, so every fold uses the same split; an iterable of
        ``(train, test)`` pairs indexes the labeled rows and must be a partition.

    memory : str or object with the joblib.Memory interface, default=None
        Caches the teacher's fits (as ``memory`` does for the steps of a
        :class:`~sklearn.pipeline.Pipeline`): a str is the path of the cache
        directory. A fit is reused when the teacher's parameters, its rows and
        their labels are the same, so a grid search over the student's
        parameters (``GridSearchCV(..., {"student__alpha": ...})``) fits each
        fold's teacher once instead of once per candidate. Use it when the
        teacher is expensive; hashing ``X`` costs time of its own. ``None``
        caches nothing.

    n_jobs : int, default=None
        Number of jobs fitting the cross-fitting teachers in parallel (joblib).
        ``None`` means 1 unless in a :obj:`joblib.parallel_backend` context.

    random_state : int, RandomState instance or None, default=None
        Seeds the teacher/student split when every row is labeled, and the
        ``cv`` splitter if it has a ``random_state`` left at None.

    Attributes
    ----------
    teacher_ : estimator object
        The fitted teacher (the given object itself if it is frozen). With
        ``cv``, the teacher refit on all labeled rows.

    student_ : estimator object
        The fitted student.

    teacher_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows ``teacher_`` was fit on (all False for a frozen teacher).

    student_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows the student was fit on.

    pseudo_labels_ : ndarray of shape (n_samples,)
        The targets the student was fit on (teacher predictions; out-of-fold
        ones for labeled rows under ``cv``); NaN on rows that are not student
        rows.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    sklearn.semi_supervised.SelfTrainingClassifier : Iterative pseudo-labeling
        for classification with a single model.
    sklearn.ensemble.StackingRegressor : Uses base predictions as features, not
        as targets.

    Notes
    -----
    ``sample_weight`` (and, with metadata routing enabled, any sample-aligned
    metadata) is sliced to the rows each model is fit on: the teacher receives
    the weights of its rows, the student those of the student's rows.
    Weighting is therefore not equivalent to repeating rows when every row is
    labeled, because the random teacher/student split is drawn over rows.

    References
    ----------
    .. [1] C. Burns et al., "Weak-to-Strong Generalization: Eliciting Strong
       Capabilities With Weak Supervision", arXiv:2312.09390, 2023.
    .. [2] B. Moniri and H. Hassani, "On the Mechanisms of Weak-to-Strong
       Generalization: A Theoretical Perspective", arXiv:2505.18346, 2025.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s import WeakToStrongRegressor, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> X, y = make_w2s_regression(n_samples=300, n_features=20, random_state=0)
    >>> y_train = y.copy()
    >>> y_train[100:] = np.nan          # rows 100..299 are unlabeled
    >>> w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3),
    ...                             WeightedRidge(alpha=10.0))
    >>> w2s.fit(X, y_train)
    WeakToStrongRegressor(student=WeightedRidge(alpha=10.0),
                          teacher=WeightedRidge(alpha=0.001))
    >>> int(w2s.teacher_rows_.sum()), int(w2s.student_rows_.sum())
    (100, 200)
    >>> w2s.predict(X[:2]).shape
    (2,)
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {**_BaseWeakToStrong._parameter_constraints}

    def __init__(
        self,
        teacher,
        student,
        *,
        teacher_size=0.5,
        cv=None,
        memory=None,
        n_jobs=None,
        random_state=None,
    ):
        self.teacher = teacher
        self.student = student
        self.teacher_size = teacher_size
        self.cv = cv
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------- protocol hooks
    def _validate_target(self, y, n_samples):
        y = _validate_w2s_target(y, n_samples, owner=type(self).__name__)
        return y, np.isfinite(y)

    def _unlabeled_target(self, n_samples):
        return np.full(n_samples, np.nan)

    def _teacher_outputs(self, teacher, X, predict_params, who):
        """The teacher's predictions, one finite float per row."""
        pred = _as_1d_predictions(
            teacher.predict(X, **predict_params), _num_samples(X), who
        )
        if not np.all(np.isfinite(pred)):
            raise ValueError(
                f"The {who} produced non-finite predictions (NaN or inf) for "
                "the student's rows; the student cannot be trained on them."
            )
        return pred

    # ------------------------------------------------------------------ fit
    @_fit_context(
        # teacher and student are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None, sample_weight=None, **fit_params):
        """Fit the teacher on labeled rows, then the student on its predictions.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to teacher and student as given (row-sliced).

        y : array-like of shape (n_samples,), default=None
            Targets; NaN marks an unlabeled row. May be None or all NaN only
            with a frozen teacher.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of all rows; each model receives the weights of the rows it
            is fit on. Without metadata routing, both teacher and student must
            accept ``sample_weight`` (a frozen teacher is not refit and ignores
            it).

        **fit_params : dict
            Only with metadata routing enabled: sample-aligned metadata routed
            to ``teacher`` and ``student`` ``fit`` (and to ``teacher.predict``),
            sliced to each model's rows.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        step = self._pseudo_label(X, y, sample_weight=sample_weight, **fit_params)
        self.student_ = self._fit_student(
            clone(self.student), step.X, step.targets, step.fit_params
        )
        self.teacher_rows_ = step.teacher_rows
        self.student_rows_ = step.student_rows
        self.pseudo_labels_ = np.full(step.y.shape[0], np.nan)
        self.pseudo_labels_[step.rows] = step.targets
        return self

    # ------------------------------------------------------------- predict
    @available_if(_estimator_has("predict", delegates=("student_", "student")))
    def predict(self, X, **predict_params):
        """Predict with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the student as given.

        **predict_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The student's predictions.
        """
        check_is_fitted(self)
        _raise_for_params(predict_params, self, "predict")
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        if _routing_enabled():
            params = process_routing(self, "predict", **predict_params).student.predict
        else:
            params = {}
        return self.student_.predict(X, **params)

    @available_if(_estimator_has("score", delegates=("student_", "student")))
    def score(self, X, y, sample_weight=None, **score_params):
        """Score of the student on ``(X, y)`` (the student's ``score``).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the student's ``score``.

        **score_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.score``.

        Returns
        -------
        score : float
            The student's score (:math:`R^2` for scikit-learn regressors).
        """
        check_is_fitted(self)
        _raise_for_params(score_params, self, "score")
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        if _routing_enabled():
            if sample_weight is not None:
                score_params["sample_weight"] = sample_weight
            params = process_routing(self, "score", **score_params).student.score
        else:
            params = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.student_.score(X, y, **params)

    # ------------------------------------------------------- sklearn hooks
    def get_metadata_routing(self):
        """Get metadata routing of this object.

        The teacher receives metadata in ``fit`` (its own ``fit`` and the
        ``predict`` that makes the pseudo-labels); the student in ``fit``,
        ``predict`` and ``score``. Sample-aligned metadata is sliced to each
        model's rows.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        router = self._metadata_router()
        return router

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags, student_tags = self._combined_input_tags(tags)
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        if (
            teacher_tags.regressor_tags is not None
            and student_tags.regressor_tags is not None
        ):
            tags.regressor_tags.poor_score = (
                teacher_tags.regressor_tags.poor_score
                or student_tags.regressor_tags.poor_score
            )
        return tags

    def _sk_visual_block_(self):
        return _VisualBlock(
            "serial",
            [self.teacher, self.student],
            names=["teacher", "student"],
            name_details=[str(self.teacher), str(self.student)],
            dash_wrapped=False,
        )
