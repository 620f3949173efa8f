"""The teacher-to-student meta-estimator of weak-to-strong training."""

from copy import deepcopy
from numbers import Integral

import numpy as np
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
)
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt
from sklearn.utils._repr_html.estimator import _VisualBlock
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _estimator_has,
    _make_indexable,
    _num_samples,
    check_is_fitted,
    check_memory,
    has_fit_parameter,
    validate_data,
)

from ._validation import _DOC_LINK_TEMPLATE, _check_not_1d, _validate_w2s_target

__all__ = ["WeakToStrongRegressor"]


def _teacher_split(n_samples, teacher_size, random_state):
    """Boolean mask of the teacher's rows when every row is labeled."""
    if isinstance(teacher_size, Integral):
        n_teacher = int(teacher_size)
    else:
        n_teacher = int(np.floor(teacher_size * n_samples))
    if n_teacher < 1 or n_teacher >= n_samples:
        raise ValueError(
            f"teacher_size={teacher_size!r} gives {n_teacher} teacher rows out of "
            f"n_samples = {n_samples} labeled rows; the teacher needs at least one "
            "row and at least one row must be left for the student. Pass an int in "
            f"[1, {n_samples - 1}] or a float in (0, 1), or mark the student's "
            "rows as unlabeled (NaN in y)."
        )
    rng = check_random_state(random_state)
    mask = np.zeros(n_samples, dtype=bool)
    mask[rng.permutation(n_samples)[:n_teacher]] = True
    return mask


def _slice(X, params, indices):
    """Rows ``indices`` of every sample-aligned entry of ``params``."""
    return _check_method_params(X, params or {}, indices=indices)


def _take(X, indices):
    return _safe_indexing(X, indices, axis=0)


def _fit_teacher(teacher, X, y, fit_params):
    """A clone of ``teacher`` fit on ``(X, y)``; cached through ``memory``."""
    return clone(teacher).fit(X, y, **fit_params)


def _fit_predict_fold(
    fit_teacher, teacher, X, y, train, test, fit_params, predict_params
):
    """Fit a clone of ``teacher`` on rows ``train``; predict rows ``test``."""
    est = fit_teacher(teacher, _take(X, train), y[train], _slice(X, fit_params, train))
    return est.predict(_take(X, test), **_slice(X, predict_params, test))


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


class WeakToStrongRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
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

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit", "predict"])],
        "student": [HasMethods(["fit", "predict"])],
        "teacher_size": [
            Interval(RealNotInt, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "cv": [None, "cv_object"],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

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

    # ------------------------------------------------------------------ fit
    def _route_fit_params(self, X, sample_weight, fit_params, frozen):
        """Per-role ``{"fit": ..., "predict": ...}`` params, full length."""
        if _routing_enabled():
            params = dict(fit_params)
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            if "sample_weight" in params and params["sample_weight"] is not None:
                params["sample_weight"] = _check_sample_weight(
                    params["sample_weight"], X
                )
            routed = process_routing(self, "fit", **params)
            return (
                {
                    "fit": dict(routed.teacher.fit),
                    "predict": dict(routed.teacher.predict),
                },
                {"fit": dict(routed.student.fit)},
            )
        _raise_for_params(fit_params, self, "fit")
        teacher_p = {"fit": {}, "predict": {}}
        student_p = {"fit": {}}
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            roles = [("student", self.student, student_p)]
            if not frozen:
                roles.insert(0, ("teacher", self.teacher, teacher_p))
            for name, est, p in roles:
                if not has_fit_parameter(est, "sample_weight"):
                    raise ValueError(
                        f"sample_weight was passed but the {name} "
                        f"{type(est).__name__} does not accept sample_weight in "
                        "fit. Use metadata routing (sklearn.set_config("
                        "enable_metadata_routing=True) and "
                        "set_fit_request(sample_weight=...)) to choose which "
                        "model receives it."
                    )
                p["fit"]["sample_weight"] = sample_weight
        return teacher_p, student_p

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
        owner = type(self).__name__
        frozen = isinstance(self.teacher, FrozenEstimator)
        _check_not_1d(X)
        validate_data(self, X, skip_check_array=True)
        X = _make_indexable(X)
        n_samples = _num_samples(X)
        if frozen and y is None:
            y = np.full(n_samples, np.nan)
        y = _validate_w2s_target(y, n_samples, owner=owner)
        teacher_p, student_p = self._route_fit_params(
            X, sample_weight, fit_params, frozen
        )

        labeled = np.isfinite(y)
        teacher_name = f"teacher {self.teacher!r}"
        fit_teacher = check_memory(self.memory).cache(_fit_teacher)
        if frozen:
            self.teacher_ = self.teacher
            self.teacher_.fit(X, y)  # no-op; checks the wrapped model is fitted
            teacher_rows = np.zeros(n_samples, dtype=bool)
            student_rows = np.ones(n_samples, dtype=bool)
            pseudo = _as_1d_predictions(
                self.teacher_.predict(X, **teacher_p["predict"]),
                n_samples,
                teacher_name,
            )
        else:
            if not labeled.any():
                raise ValueError(
                    "y has no labeled rows (every value is NaN); the teacher "
                    "needs labeled rows to be trained. Give true labels for some "
                    "rows, or wrap an already trained teacher in "
                    "sklearn.frozen.FrozenEstimator."
                )
            if self.cv is not None:
                teacher_rows, student_rows, pseudo = self._cross_fit(
                    X, y, labeled, teacher_p, teacher_name, fit_teacher
                )
            else:
                if labeled.all():
                    teacher_rows = _teacher_split(
                        n_samples, self.teacher_size, self.random_state
                    )
                else:
                    teacher_rows = labeled
                student_rows = ~teacher_rows
                t_idx = np.flatnonzero(teacher_rows)
                s_idx = np.flatnonzero(student_rows)
                self.teacher_ = fit_teacher(
                    self.teacher,
                    _take(X, t_idx),
                    y[t_idx],
                    _slice(X, teacher_p["fit"], t_idx),
                )
                pseudo = _as_1d_predictions(
                    self.teacher_.predict(
                        _take(X, s_idx), **_slice(X, teacher_p["predict"], s_idx)
                    ),
                    s_idx.size,
                    teacher_name,
                )
        if not np.all(np.isfinite(pseudo)):
            raise ValueError(
                f"The {teacher_name} produced non-finite predictions (NaN or "
                "inf) for the student's rows; the student cannot be trained on "
                "them."
            )

        s_idx = np.flatnonzero(student_rows)
        self.student_ = clone(self.student).fit(
            _take(X, s_idx), pseudo, **_slice(X, student_p["fit"], s_idx)
        )
        self.teacher_rows_ = teacher_rows
        self.student_rows_ = student_rows
        self.pseudo_labels_ = np.full(n_samples, np.nan)
        self.pseudo_labels_[s_idx] = pseudo
        return self

    def _cross_fit(self, X, y, labeled, teacher_p, teacher_name, fit_teacher):
        """Out-of-fold teacher labels for the labeled rows; refit on all."""
        n_samples = y.shape[0]
        l_idx = np.flatnonzero(labeled)
        u_idx = np.flatnonzero(~labeled)
        cv = deepcopy(check_cv(self.cv, y=y[l_idx], classifier=False))
        if (
            self.random_state is not None
            and hasattr(cv, "random_state")
            and getattr(cv, "shuffle", True)
            and cv.random_state is None
        ):
            cv.random_state = check_random_state(self.random_state).randint(
                np.iinfo(np.int32).max
            )
        folds = list(cv.split(_take(X, l_idx), y[l_idx]))
        covered = np.concatenate([test for _, test in folds]) if folds else []
        if len(covered) != l_idx.size or not np.array_equal(
            np.sort(covered), np.arange(l_idx.size)
        ):
            raise ValueError(
                f"cv={self.cv!r} must partition the labeled rows: every labeled "
                "row must be in exactly one test fold so that it receives one "
                "out-of-fold teacher label."
            )
        # positions of the labeled rows in the full arrays
        fold_preds = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_predict_fold)(
                fit_teacher,
                self.teacher,
                X,
                y,
                l_idx[train],
                l_idx[test],
                teacher_p["fit"],
                teacher_p["predict"],
            )
            for train, test in folds
        )
        pseudo = np.empty(n_samples)
        for (_, test), pred in zip(folds, fold_preds, strict=True):
            pseudo[l_idx[test]] = _as_1d_predictions(pred, test.size, teacher_name)
        self.teacher_ = fit_teacher(
            self.teacher, _take(X, l_idx), y[l_idx], _slice(X, teacher_p["fit"], l_idx)
        )
        if u_idx.size:
            pseudo[u_idx] = _as_1d_predictions(
                self.teacher_.predict(
                    _take(X, u_idx), **_slice(X, teacher_p["predict"], u_idx)
                ),
                u_idx.size,
                teacher_name,
            )
        return labeled.copy(), np.ones(n_samples, dtype=bool), pseudo

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
        router = MetadataRouter(owner=self)
        router.add(
            teacher=self.teacher,
            method_mapping=MethodMapping()
            .add(caller="fit", callee="fit")
            .add(caller="fit", callee="predict"),
        )
        router.add(
            student=self.student,
            method_mapping=MethodMapping()
            .add(caller="fit", callee="fit")
            .add(caller="predict", callee="predict")
            .add(caller="score", callee="score"),
        )
        return router

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self.teacher)
        student_tags = get_tags(self.student)
        for name in ("allow_nan", "sparse"):
            setattr(
                tags.input_tags,
                name,
                getattr(teacher_tags.input_tags, name)
                and getattr(student_tags.input_tags, name),
            )
        tags.input_tags.string = (
            teacher_tags.input_tags.string and student_tags.input_tags.string
        )
        tags.input_tags.categorical = (
            teacher_tags.input_tags.categorical
            and student_tags.input_tags.categorical
        )
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
