"""The teacher-to-student meta-estimator of weak-to-strong regression."""

from inspect import signature
from numbers import Integral

import numpy as np
from sklearn.base import RegressorMixin, _fit_context, clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import r2_score
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval
from sklearn.utils.metadata_routing import (
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    _check_method_params,
    _estimator_has,
    _num_samples,
    check_is_fitted,
    validate_data,
)

from ._base import _BaseWeakToStrong, _concat_rows, _take
from ._split import NO_LABELED_ROWS_HINT
from ._streaming import (
    _Progress,
    _pseudo_label_chunk,
    _stream_rows_attributes,
    _student_has_partial_fit,
    _timed,
)
from ._trust import TRUST_CONSTRAINTS, predicts_std, variance_confidence
from ._validation import (
    _DOC_LINK_TEMPLATE,
    _check_not_1d,
    _labeled_rows,
    _validate_w2s_target,
)

__all__ = ["WeakToStrongRegressor"]


def _streams(self):
    """``available_if`` check of ``partial_fit``: a streaming student, and none
    of the fit-only selective-trust options (a confidence scale and a kept
    fraction need all the student's rows)."""
    _student_has_partial_fit(self)
    if (self.pseudo_label_weights is not None
            or self.pseudo_label_filter is not None or self.n_rounds != 1):
        raise AttributeError(
            "partial_fit streams plain weak-to-strong training: "
            "pseudo_label_weights, pseudo_label_filter and n_rounds apply to "
            "fit only. Set them to None, None and 1, or use fit."
        )
    return True


def _as_1d_predictions(pred, n_rows, who, n_outputs=1):
    """Predictions of shape (n_rows,) or (n_rows, n_outputs), as float64.

    ``n_outputs=None`` accepts either (the outputs of a frozen teacher when
    no row is labeled: ``y`` says nothing about their number).
    """
    pred = np.asarray(pred)
    if n_outputs is None:
        n_outputs = pred.shape[1] if pred.ndim == 2 and pred.shape[1] > 1 else 1
    if n_outputs == 1:
        if pred.ndim == 2 and pred.shape[1] == 1:
            pred = pred[:, 0]
        shape = (n_rows,)
    else:
        shape = (n_rows, n_outputs)
    if pred.shape != shape:
        raise ValueError(
            f"The {who} must return one prediction per row (shape {shape}); "
            f"got shape {pred.shape}."
        )
    return pred.astype(np.float64, copy=False)


def _labeled_part(X, y, params):
    """The labeled rows of ``(X, y)`` and of the sample-aligned ``params``."""
    n_samples = _num_samples(X)
    y = _validate_w2s_target(y, n_samples, owner="score", multi_output=True)
    labeled = _labeled_rows(y)
    if labeled.all():
        return X, y, params
    if not labeled.any():
        raise ValueError(
            "score: y has no labeled row (every target is NaN), so there is "
            f"nothing to score. {NO_LABELED_ROWS_HINT}"
        )
    idx = np.flatnonzero(labeled)
    return _take(X, idx), y[idx], _check_method_params(X, params, indices=idx)


class WeakToStrongRegressor(RegressorMixin, _BaseWeakToStrong):
    r"""Train a student regressor on the predictions of a weaker teacher.

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

    pseudo_label_weights : None, "confidence" or callable, default=None
        Per-row weights of the pseudo-labels, multiplied into any
        ``sample_weight`` routed to the student (the student must accept
        ``sample_weight``). None: no weighting. ``"confidence"``: the weight
        :math:`c_i = 1 / (1 + v_i / \hat\sigma^2)`, where :math:`v_i` is the
        variance of row :math:`i`'s pseudo-label and :math:`\hat\sigma^2` the
        median of :math:`v` over the student's rows (a row of typical
        uncertainty weighs 1/2; the weights do not depend on the scale of
        ``y``). :math:`v_i` is the teacher's own predictive variance where its
        ``predict`` takes ``return_std`` (e.g.
        :class:`~sklearn.linear_model.BayesianRidge`,
        :class:`~sklearn.gaussian_process.GaussianProcessRegressor`), otherwise,
        with ``cv``, the variance of the cross-fitted fold teachers'
        predictions for that row; otherwise ``fit`` raises. For a
        multi-output ``y``, :math:`v_i` is the mean over the outputs. With
        ``student_targets="pseudo+true"`` the weights apply to the
        pseudo-labeled rows only; the true-label rows keep
        ``labeled_weight``. A callable
        ``f(teacher_, X_student, pseudo_labels)`` returns one non-negative
        weight per student row.

    pseudo_label_filter : float in (0, 1] or None, default=None
        Keep only the ``ceil(pseudo_label_filter * n)`` most trusted of the
        ``n`` student rows (never fewer than one): ranked by the confidence
        above, or by the callable's weights if ``pseudo_label_weights`` is a
        callable. 1.0 keeps every row. The rows kept and dropped are
        ``kept_rows_`` and ``dropped_rows_``.

    n_rounds : int, default=1
        Number of fits of the student. Round 1 fits it on the teacher's
        pseudo-labels; each later round relabels every student row with the
        previous round's student and refits a fresh clone on those labels, on
        the same kept rows and with the same weights. 1 is plain
        weak-to-strong training.

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
        See :term:`Glossary <cv>`.

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
        See :term:`Glossary <n_jobs>`.

    random_state : int, RandomState instance or None, default=None
        Seeds the teacher/student split when every row is labeled, and the
        ``cv`` splitter if it has a ``random_state`` left at None.
        See :term:`Glossary <random_state>`.

    student_targets : {"pseudo", "pseudo+true"}, default="pseudo"
        What the student is trained on. ``"pseudo"``: the teacher's
        predictions for the student's rows only (weak-to-strong training).
        ``"pseudo+true"``: those, plus the rows the teacher was fit on with
        their **true** labels (semi-supervised distillation); with a frozen
        teacher, the labeled rows of ``y`` (and in :meth:`partial_fit`, the
        labeled rows of each chunk's ``y``). These rows are appended to the
        student's training set: under ``cv`` a labeled row then appears twice,
        once with its out-of-fold pseudo-label and once with its true label.
        True labels hidden from the student (its rows when every row is
        labeled) are never used. ``true_label_rows_`` records which rows were
        added.

    labeled_weight : float, default=1.0
        With ``student_targets="pseudo+true"``, the weight of the true-label
        rows in the student's fit relative to the pseudo-labeled rows (it
        multiplies their ``sample_weight``); finite and non-negative. A value
        other than 1 needs a student that accepts ``sample_weight``. Ignored
        with ``"pseudo"``.

    verbose : int, default=0
        Progress reports: with ``cv``, joblib's count of cross-fitting fits
        done (passed to :class:`joblib.Parallel`); in :meth:`partial_fit`, one
        line per chunk (chunks and rows so far, rows per second).

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
        The rows the teacher labeled for the student (before any filter).

    pseudo_labels_ : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        The teacher's predictions the student was fit on (out-of-fold ones for
        labeled rows under ``cv``); NaN on rows that are not student rows.
        After :meth:`partial_fit`, ``teacher_rows_``, ``student_rows_`` and
        ``pseudo_labels_`` describe the last chunk.

    true_label_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows whose true labels were added to the student's training set
        (``student_targets="pseudo+true"``); all False with ``"pseudo"``.

    kept_rows_ : ndarray of shape (n_samples,), dtype=bool
        The student rows the student was fit on (all of ``student_rows_``
        unless ``pseudo_label_filter`` is set).

    dropped_rows_ : ndarray of shape (n_samples,), dtype=bool
        The student rows that ``pseudo_label_filter`` dropped.

    pseudo_label_weights_ : ndarray of shape (n_samples,)
        The weight of each student row's pseudo-label (1 without
        ``pseudo_label_weights``); NaN on rows that are not student rows.

    pseudo_label_confidence_ : ndarray of shape (n_samples,) or None
        The confidence :math:`c_i` of each student row's pseudo-label (NaN on
        other rows), or None when no option needed it.

    round_agreement_ : ndarray of shape (n_rounds,)
        For each round, the :math:`R^2` of that round's student on the student
        rows against the labels it learned from (the teacher's in round 1, the
        previous round's student's afterwards): 1 means the round reproduced
        the previous round's labels exactly.

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
    Every weight given to the student (``sample_weight``, the
    ``pseudo_label_weights`` and ``labeled_weight``) follows one rule: a
    plain student receives it as ``sample_weight``; a
    :class:`~sklearn.pipeline.Pipeline` student in its final step only (as
    ``<last step>__sample_weight``; with metadata routing enabled, when that
    step requests ``sample_weight`` and the pipeline's other steps that
    accept it have a request set).

    The confidence weighting and filtering are heuristics: the theory module
    (:mod:`skw2s.theory`) does not predict what they do to the student's risk.
    The user guide measures them by simulation instead.
    ``partial_fit`` is offered only with ``pseudo_label_weights=None``,
    ``pseudo_label_filter=None`` and ``n_rounds=1``: the confidence scale and
    the kept fraction are defined over all the student's rows.

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
        **_BaseWeakToStrong._parameter_constraints,
        **TRUST_CONSTRAINTS,
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teacher,
        student,
        *,
        pseudo_label_weights=None,
        pseudo_label_filter=None,
        n_rounds=1,
        teacher_size=0.5,
        cv=None,
        memory=None,
        n_jobs=None,
        random_state=None,
        student_targets="pseudo",
        labeled_weight=1.0,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.pseudo_label_weights = pseudo_label_weights
        self.pseudo_label_filter = pseudo_label_filter
        self.n_rounds = n_rounds
        self.teacher_size = teacher_size
        self.cv = cv
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.student_targets = student_targets
        self.labeled_weight = labeled_weight
        self.verbose = verbose

    # ------------------------------------------------------- protocol hooks
    def _validate_target(self, y, n_samples):
        for role in ("teacher", "student"):
            est = getattr(self, role)
            if is_classifier(est):
                raise TypeError(
                    f"{role}={type(est).__name__} is a classifier; "
                    "WeakToStrongRegressor needs regressors. Use "
                    "skw2s.WeakToStrongClassifier for classification."
                )
        y = _validate_w2s_target(
            y, n_samples, owner=type(self).__name__, multi_output=True
        )
        labeled = _labeled_rows(y)
        if y.ndim == 1 and not labeled.any() and isinstance(
            self.teacher, FrozenEstimator
        ):
            # no label says how many outputs: a frozen teacher's own number
            self._n_outputs = None
        else:
            self._n_outputs = 1 if y.ndim == 1 else y.shape[1]
        return y, labeled

    def _unlabeled_target(self, n_samples):
        return np.full(n_samples, np.nan)

    def _targets_from_labels(self, y_labels):
        """True labels as student targets: the same floats (identity)."""
        return np.asarray(y_labels, dtype=np.float64)

    def _teacher_outputs(self, teacher, X, predict_params, who):
        """The teacher's predictions, one finite float (per target) per row."""
        pred = _as_1d_predictions(
            teacher.predict(X, **predict_params),
            _num_samples(X),
            who,
            getattr(self, "_n_outputs", 1),
        )
        if getattr(self, "_n_outputs", 1) is None:
            self._n_outputs = 1 if pred.ndim == 1 else pred.shape[1]
        if not np.all(np.isfinite(pred)):
            raise ValueError(
                f"The {who} produced non-finite predictions (NaN or inf) for "
                "the student's rows; the student cannot be trained on them."
            )
        return pred

    # ------------------------------------------------------ selective trust
    def _uses_confidence(self):
        return self.pseudo_label_weights == "confidence" or (
            self.pseudo_label_filter is not None
            and not callable(self.pseudo_label_weights)
        )

    def _needs_fold_outputs(self):
        return self._uses_confidence() and not predicts_std(self.teacher)

    def _confidence(self, step):
        """``1 / (1 + v / median(v))`` of the pseudo-labels' variances ``v``."""
        n_rows = step.rows.size
        if predicts_std(self.teacher_):
            _, std = self.teacher_.predict(step.X, return_std=True)
            var = _as_1d_predictions(
                std, n_rows, f"teacher {self.teacher!r} (return_std=True)",
                getattr(self, "_n_outputs", 1),
            ) ** 2
        elif step.fold_outputs is not None:
            var = np.var(step.fold_outputs[:, step.rows], axis=0)
        else:
            var = None
        if var is not None and var.ndim == 2:  # multi-output: mean over outputs
            var = var.mean(axis=1)
        if var is None:
            raise ValueError(
                "pseudo_label_weights='confidence' and pseudo_label_filter need "
                "a confidence for each pseudo-label, but the teacher "
                f"{type(self.teacher).__name__} has no predict(X, "
                "return_std=True) and no cross-fitted teachers exist (cv is "
                "None, or the teacher is frozen). Use a teacher with a "
                "predictive standard deviation (e.g. BayesianRidge or "
                "GaussianProcessRegressor), pass cv (e.g. cv=5) to use the "
                "spread of the cross-fitted teachers' predictions, or pass a "
                "callable pseudo_label_weights(teacher, X, pseudo_labels)."
            )
        if not np.all(np.isfinite(var)):
            raise ValueError(
                f"The teacher {type(self.teacher).__name__} gave non-finite "
                "predictive variances; no confidence can be derived from them."
            )
        return variance_confidence(var)

    def _fit_rounds(self, X, step, trust, sample_weight=None, **fit_params):
        """Round 1 on the teacher's labels; later rounds on the student's own.

        Each round fits a clone of the student on the kept rows (with their
        weights) and, with ``student_targets="pseudo+true"``, the true-label
        rows appended by ``_add_true_targets``. Returns the mask of those
        true-label rows.
        """
        n_rows = step.rows.size
        n_outputs = getattr(self, "_n_outputs", 1)
        who = f"student {self.student!r}"
        labels, targets, agreement = step.targets, trust.targets, []
        for _ in range(self.n_rounds):
            train = self._add_true_targets(
                X,
                Bunch(**{**step, "X": trust.X, "targets": targets,
                         "fit_params": dict(trust.fit_params),
                         "rows": step.rows[trust.kept]}),
                sample_weight=sample_weight,
                **fit_params,
            )
            student = self._fit_student(
                clone(self.student), train.X, train.targets, train.fit_params
            )
            pred = _as_1d_predictions(student.predict(step.X), n_rows, who, n_outputs)
            agreement.append(float(r2_score(labels, pred)) if n_rows > 1 else 1.0)
            labels, targets = pred, pred[trust.kept]
        self.student_ = student
        self.round_agreement_ = np.asarray(agreement)
        return train.true_rows

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

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
                default=None
            Targets; NaN marks an unlabeled row (with several outputs, NaN in
            every column: a row is labeled for all targets or for none). May be
            None or all NaN only with a frozen teacher.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of all rows; each model receives the weights of the rows it
            is fit on. Without metadata routing, both teacher and student must
            accept ``sample_weight`` (a :class:`~sklearn.pipeline.Pipeline`
            through its final step; a frozen teacher is not refit and ignores
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
        self.pseudo_labels_ = np.full(
            step.y.shape[:1] + np.shape(step.targets)[1:], np.nan
        )
        self.pseudo_labels_[step.rows] = step.targets
        trust = self._trust(step)
        true_rows = self._fit_rounds(
            X, step, trust, sample_weight=sample_weight, **fit_params
        )
        self.teacher_rows_ = step.teacher_rows
        self.student_rows_ = step.student_rows
        self.true_label_rows_ = true_rows
        self._record_trust(step, trust)
        self.__dict__.pop("_progress", None)  # a later stream counts afresh
        return self

    @available_if(_streams)
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Pseudo-label one chunk with the trained teacher; update the student.

        Streaming weak-to-strong training: every row of the chunk is a student
        row, labeled by the teacher's predictions (the same step as in
        :meth:`fit`) and passed to the student's ``partial_fit``. The teacher
        must already be trained: a :class:`~sklearn.frozen.FrozenEstimator`,
        or the ``teacher_`` of an earlier :meth:`fit` (which ``partial_fit``
        keeps, and whose student it keeps training: a :class:`WeightedRidge`
        student continues from the statistics of the rows it was fit on). The
        first call with a frozen teacher starts from a clone of ``student``.

        With ``student_targets="pseudo+true"`` the chunk's labeled rows (finite
        ``y``) are also passed to the student with their **true** labels and
        weight ``labeled_weight``, as :meth:`fit` does with a frozen teacher
        (the teacher of a stream never saw the chunk): each such row appears
        twice, once with its pseudo-label and once with its true label.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            One chunk of rows, passed to teacher and student as given.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
                default=None
            With ``student_targets="pseudo"``, ignored: the student never sees
            true labels (accepted for API compatibility). With
            ``"pseudo+true"``, the true labels of the chunk's labeled rows, NaN
            on the others.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the chunk's rows, passed to the student's
            ``partial_fit``.

        Returns
        -------
        self : object
            The estimator, with the student updated.
        """
        if not hasattr(self, "n_features_in_"):
            # a new stream: the number of outputs is the teacher's
            self._n_outputs = None
        (X, targets, sample_weight), seconds = _timed(
            _pseudo_label_chunk, self, X, sample_weight
        )
        n_rows = targets.shape[0]
        X_fit, targets_fit, weights = X, targets, sample_weight
        true_rows = np.zeros(n_rows, dtype=bool)
        if self.student_targets == "pseudo+true" and y is not None:
            y = self._validate_stream_target(y, n_rows)
            true_rows = _labeled_rows(y)
            idx = np.flatnonzero(true_rows)
            if idx.size:
                X_fit = _concat_rows(X, _take(X, idx))
                targets_fit = np.concatenate(
                    [targets, self._targets_from_labels(y[idx])]
                )
                weight = float(self.labeled_weight)
                sw = np.ones(n_rows) if sample_weight is None else np.asarray(
                    sample_weight, dtype=np.float64
                )
                if sample_weight is not None or weight != 1.0:
                    weights = np.concatenate([sw, weight * sw[idx]])
        if not hasattr(self, "student_"):
            self.student_ = clone(self.student)
        kw = {}
        if weights is not None:
            if "sample_weight" not in signature(self.student_.partial_fit).parameters:
                raise ValueError(
                    "sample_weight or labeled_weight weights the rows of the "
                    f"stream, but the student {type(self.student_).__name__} "
                    "does not accept sample_weight in partial_fit."
                )
            kw = {"sample_weight": weights}
        _, fit_seconds = _timed(self.student_.partial_fit, X_fit, targets_fit, **kw)
        _stream_rows_attributes(self, n_rows, targets)
        self.true_label_rows_ = true_rows
        progress = self.__dict__.setdefault(
            "_progress", _Progress(type(self).__name__)
        )
        progress.update(n_rows, seconds + fit_seconds, self.verbose)
        return self

    def _validate_stream_target(self, y, n_rows):
        """The chunk's labels, with the stream's number of outputs."""
        y = _validate_w2s_target(
            y, n_rows, owner=type(self).__name__, multi_output=True
        )
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if n_outputs != self._n_outputs:
            raise ValueError(
                f"y has {n_outputs} output(s) but the stream's teacher predicts "
                f"{self._n_outputs}; the true labels must have the teacher's "
                "shape."
            )
        return y

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
        """Score of the student on the labeled rows of ``(X, y)``.

        Rows whose ``y`` is NaN (unlabeled) are skipped, together with their
        weights, so a plain :class:`~sklearn.model_selection.GridSearchCV`,
        :func:`~sklearn.model_selection.cross_val_score` or
        :func:`~sklearn.model_selection.validation_curve` on NaN-marked data
        scores the student on the true labels of each test fold.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets; NaN marks an unlabeled row, which is not scored.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the student's ``score`` (those of
            unlabeled rows are dropped).

        **score_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.score`` (sample-aligned entries are restricted to the
            labeled rows).

        Returns
        -------
        score : float
            The student's score on the labeled rows (:math:`R^2` for
            scikit-learn regressors).

        Raises
        ------
        ValueError
            If no row of ``y`` is labeled (a test fold of unlabeled rows only):
            split with :class:`~skw2s.model_selection.LabeledSplit`, which keeps
            unlabeled rows out of the test folds.
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
        X, y, params = _labeled_part(X, y, params)
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
        tags.target_tags.multi_output = (
            teacher_tags.target_tags.multi_output
            and student_tags.target_tags.multi_output
        )
        if (
            teacher_tags.regressor_tags is not None
            and student_tags.regressor_tags is not None
        ):
            tags.regressor_tags.poor_score = (
                teacher_tags.regressor_tags.poor_score
                or student_tags.regressor_tags.poor_score
            )
        return tags
