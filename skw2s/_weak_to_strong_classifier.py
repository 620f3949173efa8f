"""The teacher-to-student meta-estimator of weak-to-strong classification."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context, clone, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import (
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_method_params,
    _estimator_has,
    _num_samples,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._base import _BaseWeakToStrong
from ._split import NO_LABELED_ROWS_HINT
from ._trust import TRUST_CONSTRAINTS, weight_hint
from ._validation import (
    _DOC_LINK_TEMPLATE,
    _as_label_array,
    _check_not_1d,
    _label_values,
    _unlabeled_mask,
)

__all__ = ["WeakToStrongClassifier"]

#: Tolerance on ``|sum_k p_k - 1|`` for a row of teacher probabilities.
_PROBA_SUM_ATOL = 1e-5


def _class_indices(values, classes, who):
    """Positions in ``classes`` of each entry of ``values`` (all must be found)."""
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError(f"The {who} must return a 1-D array of labels; got shape "
                         f"{values.shape}.")
    lookup = {c: i for i, c in enumerate(classes.tolist())}
    uniq, inverse = np.unique(values, return_inverse=True)
    positions = np.array([lookup.get(u, -1) for u in uniq.tolist()], dtype=np.intp)
    if (positions < 0).any():
        unknown = uniq[positions < 0][:5].tolist()
        raise ValueError(
            f"The {who} returned labels {unknown} that are not among the classes "
            f"seen in the labeled rows, {classes.tolist()}."
        )
    return positions[np.ravel(inverse)]


def _align_columns(proba, model_classes, classes, who, fill=0.0):
    """Columns of ``proba`` (one per ``model_classes``) placed into ``classes``."""
    proba = np.asarray(proba, dtype=np.float64)
    if model_classes is None:
        if proba.ndim != 2 or proba.shape[1] != classes.size:
            raise ValueError(
                f"The {who} has no classes_ and returned probabilities of shape "
                f"{proba.shape}; expected (n_rows, {classes.size})."
            )
        return proba
    model_classes = np.asarray(model_classes)
    if proba.ndim != 2 or proba.shape[1] != model_classes.size:
        raise ValueError(
            f"The {who} returned probabilities of shape {proba.shape}; expected "
            f"one column per class of its classes_ ({model_classes.size})."
        )
    if model_classes.size == classes.size and np.array_equal(model_classes, classes):
        return proba
    cols = _class_indices(model_classes, classes, who)
    out = np.full((proba.shape[0], classes.size), fill)
    out[:, cols] = proba
    return out


def _label_type(labels):
    """``"numbers"``, ``"strings"`` or ``"objects"``: what a label array holds."""
    kind = labels.dtype.kind
    if kind in "biuf":
        return "numbers"
    if kind in "US":
        return "strings"
    items = labels.ravel().tolist()
    if items and all(isinstance(v, str) for v in items):
        return "strings"
    if items and all(isinstance(v, Real | np.bool_) for v in items):
        return "numbers"
    return "objects"


def _check_same_label_type(known, y_lab):
    """A frozen teacher's classes and the labels of ``y`` must be comparable.

    numpy would silently convert one to the other (the integers 0 and 1 to the
    strings '0' and '1' beside 'a' and 'b'): a ValueError naming both instead.
    """
    a, b = _label_type(known), _label_type(y_lab)
    if a != b or a == "objects":
        if a == b:  # objects of mixed types: compare the element types
            ta = {type(v).__name__ for v in known.tolist()}
            tb = {type(v).__name__ for v in np.unique(y_lab).tolist()}
            if ta == tb:
                return
            a, b = "/".join(sorted(ta)), "/".join(sorted(tb))
        shown = np.unique(y_lab)[:5].tolist()
        raise ValueError(
            f"The frozen teacher's classes_ {known.tolist()[:5]} are {a}, but "
            f"the labels in y ({shown}) are {b}. A frozen classifier's classes "
            "and the labels in y must have the same type (e.g. both strings or "
            "both integers); convert y to the teacher's label type, or refit "
            "the teacher on labels of y's type."
        )


def _labeled_class_part(X, y, params):
    """The labeled rows of ``(X, y)`` and of the sample-aligned ``params``.

    The one rule of the package for class labels: ``-1``, NaN (float ``y``)
    and None (object ``y``) mark an unlabeled row, which is not scored.
    """
    unlabeled = _unlabeled_mask(y, minus_one=True)
    y = column_or_1d(np.asarray(y), warn=True)
    n_samples = _num_samples(X)
    if y.shape[0] != n_samples:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: X has {n_samples}, "
            f"y has {y.shape[0]}."
        )
    if not unlabeled.any():
        return X, _as_label_array(y), params
    if unlabeled.all():
        raise ValueError(
            "score: y has no labeled row (every label is -1, NaN or None), so "
            f"there is nothing to score. {NO_LABELED_ROWS_HINT}"
        )
    idx = np.flatnonzero(~unlabeled)
    return (
        _safe_indexing(X, idx, axis=0),
        _as_label_array(y[idx]),
        _check_method_params(X, params, indices=idx),
    )


def _one_hot(indices, n_classes):
    out = np.zeros((indices.size, n_classes))
    out[np.arange(indices.size), indices] = 1.0
    return out


class WeakToStrongClassifier(ClassifierMixin, _BaseWeakToStrong):
    r"""Train a student classifier on the labels or probabilities of a weaker teacher.

    The *teacher* is fit on rows with true labels. The *student* is fit on the
    teacher's outputs (pseudo-labels) for its own rows and never sees a true
    label. ``predict``, ``predict_proba`` and ``score`` are the student's. This
    is weak-to-strong training (Burns et al., 2023) for classification, with
    hard or soft pseudo-labels and optional confidence rounds.

    **Soft labels.** With ``pseudo_labels="soft"`` each student row :math:`i` is
    repeated once per class :math:`k` with weight :math:`p_{ik}\,w_i` (the
    teacher's probability times the row's sample weight; rows with
    :math:`p_{ik} = 0` are dropped). For a student that minimizes a weighted
    log-loss this is exactly the cross-entropy against the soft targets:

    .. math::

        \sum_i \sum_k p_{ik}\, w_i\, \bigl(-\log q_k(x_i)\bigr).

    Read more in the :ref:`User Guide <classification>`.

    Rows are *unlabeled* when their label is ``-1``, NaN (in a float ``y``) or
    None (in an object ``y``), scikit-learn's semi-supervised convention;
    ``classes_`` comes from the labeled rows. Which rows train which model:

    - **Unlabeled rows present** (``cv=None``). The teacher is fit on all labeled
      rows; the unlabeled rows are the student's rows.
    - **Every row labeled** (``cv=None``). ``teacher_size`` rows, drawn at random
      with ``random_state`` and stratified by class, train the teacher; the
      other rows are the student's rows and their true labels are hidden
      from the student. Every class with at least two labeled rows gets at
      least one row in each role, however rare (a ``teacher_size`` too small
      or too large for that raises a ``ValueError`` naming the classes; a
      class with a single labeled row goes to one role only). This lets a
      :class:`~sklearn.model_selection.GridSearchCV` such as
      ``GridSearchCV(WeakToStrongClassifier(...), {"student__C": ...})``
      score the student against held-out ground truth.
    - **Cross-fitting** (``cv`` given; an int means stratified folds). Each
      labeled row receives the output of a teacher fit on the other folds;
      ``teacher_`` is refit on all labeled rows and labels the unlabeled rows.
      The student is fit on every row.
    - **Frozen teacher** (wrapped in :class:`~sklearn.frozen.FrozenEstimator`).
      The teacher is used as trained; every row is a student row, ``y`` may be
      omitted, and ``classes_`` is the union of the teacher's classes and the
      labels in ``y``. A frozen teacher must not have been trained on the rows
      passed here.

    Parameters
    ----------
    teacher : estimator object
        The weak model: a classifier implementing ``fit`` and ``predict`` (and
        ``predict_proba`` for soft labels). A clone is fit, unless it is a
        :class:`~sklearn.frozen.FrozenEstimator`. A regressor is rejected.

    student : estimator object
        The strong model: a classifier implementing ``fit`` and ``predict``
        (its ``fit`` must accept ``sample_weight`` for soft labels; for a
        :class:`~sklearn.pipeline.Pipeline`, its final step). A regressor is
        rejected.

    pseudo_labels : {"auto", "hard", "soft"}, default="auto"
        What the student learns from. ``"hard"``: the teacher's ``predict``.
        ``"soft"``: the teacher's ``predict_proba``, through the weighted
        expansion above. ``"auto"``: ``"soft"`` when the teacher has
        ``predict_proba`` and the student accepts ``sample_weight``, otherwise
        ``"hard"``. The resolved mode is ``pseudo_labels_mode_``.

    confidence_weight : float in [0, 1], default=0.0
        :math:`\beta`, the weight of the student's own hardened predictions in
        the targets of the confidence rounds (see Notes). 0 is plain
        weak-to-strong training.

    n_rounds : int, default=1
        Number of fits of the student, :math:`R`. Rounds after the first refit
        the student on :math:`(1-\beta)\,p_{teacher} + \beta\,
        \mathrm{onehot}(\text{student's prediction})`. 1 is plain
        weak-to-strong training.

    student_targets : {"pseudo", "pseudo+true"}, default="pseudo"
        What the student is trained on. ``"pseudo"``: the teacher's labels for
        the student's rows only (weak-to-strong training). ``"pseudo+true"``:
        those, plus the rows the teacher was fit on with their **true** labels
        (one-hot probabilities in soft mode); with a frozen teacher, the
        labeled rows of ``y``. Confidence rounds leave the true labels
        unchanged. True labels hidden from the student (its rows when every
        row is labeled) are never used; ``true_label_rows_`` records which
        rows were added.

    labeled_weight : float, default=1.0
        With ``student_targets="pseudo+true"``, the weight of the true-label
        rows relative to the pseudo-labeled rows (it multiplies their
        ``sample_weight``). Ignored with ``"pseudo"``.

    pseudo_label_weights : None, "confidence" or callable, default=None
        Per-row weights of the pseudo-labels, multiplied into any
        ``sample_weight`` routed to the student (and, in soft mode, into the
        expansion's weights). ``"confidence"``: the teacher's margin for the
        row, its largest minus its second largest class probability
        :math:`p_{i(1)} - p_{i(2)}` (0 for a tie, 1 for a certain label; for
        two classes :math:`2\max_k p_{ik} - 1`), from the probabilities the
        student learns from in soft mode and from ``teacher_``'s
        ``predict_proba`` (which the teacher must have) in hard mode. A
        callable ``f(teacher_, X_student, pseudo_labels)``
        returns one non-negative weight per student row.

    pseudo_label_filter : float in (0, 1] or None, default=None
        Keep only the ``ceil(pseudo_label_filter * n)`` most confident of the
        ``n`` student rows (by the confidence above, or by the callable's
        weights); 1.0 keeps every row.

    threshold : float in (0, 1) or None, default=None
        Keep only the student rows whose largest teacher probability
        :math:`\max_k p_{ik}` is at least ``threshold``, like the
        ``"threshold"`` criterion of
        :class:`~sklearn.semi_supervised.SelfTrainingClassifier`. A threshold
        that drops every row raises. With ``pseudo_label_filter`` too, at most
        ``ceil(pseudo_label_filter * n)`` of the rows above the threshold are
        kept, the most confident first. A threshold or filter whose kept rows
        all carry one class raises when no other class is left to learn
        (hard labels, or soft labels of probability 1) and warns when soft
        labels keep the other classes only as small weights, as the
        confidence rounds warn when they would collapse to one class.

    teacher_size : float or int, default=0.5
        Used only when every row is labeled, ``cv=None`` and the teacher is not
        frozen. A float in (0, 1) is the fraction of rows (rounded down) that
        train the teacher, an int their number; the other rows become student
        rows with hidden labels.

    cv : int, cross-validation generator, iterable or None, default=None
        If None, no cross-fitting. Otherwise the splitting of the labeled rows
        for cross-fitting, with :func:`~sklearn.model_selection.check_cv`
        semantics for a classifier (an int is the number of
        :class:`~sklearn.model_selection.StratifiedKFold` folds). A class
        missing from a fold's training rows gets probability 0 from that
        fold's teacher.
        See :term:`Glossary <cv>`.

    memory : str or object with the joblib.Memory interface, default=None
        Caches the teacher's fits (a str is the cache directory), so a grid
        search over the student's parameters fits each fold's teacher once.
        ``None`` caches nothing.

    n_jobs : int, default=None
        Number of jobs fitting the cross-fitting teachers in parallel (joblib).
        ``None`` means 1 unless in a :obj:`joblib.parallel_backend` context.
        See :term:`Glossary <n_jobs>`.

    random_state : int, RandomState instance or None, default=None
        Seeds the teacher/student split when every row is labeled, and the
        ``cv`` splitter if it has a ``random_state`` left at None.
        See :term:`Glossary <random_state>`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (those of the labeled rows, sorted; with a frozen
        teacher, together with the teacher's classes).

    teacher_ : estimator object
        The fitted teacher (the given object itself if it is frozen). With
        ``cv``, the teacher refit on all labeled rows.

    student_ : estimator object
        The fitted student (of the last round).

    teacher_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows ``teacher_`` was fit on (all False for a frozen teacher).

    student_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows the teacher labeled for the student (before any filter).

    kept_rows_ : ndarray of shape (n_samples,), dtype=bool
        The student rows the student was fit on (all of ``student_rows_``
        unless ``pseudo_label_filter`` or ``threshold`` is set).

    dropped_rows_ : ndarray of shape (n_samples,), dtype=bool
        The student rows that the filter or threshold dropped.

    pseudo_label_weights_ : ndarray of shape (n_samples,)
        The weight of each student row's pseudo-label (1 without
        ``pseudo_label_weights``); NaN on rows that are not student rows.

    pseudo_label_confidence_ : ndarray of shape (n_samples,) or None
        The teacher's margin for each student row (NaN on other rows), or None
        when no option needed it.

    pseudo_labels_ : ndarray of shape (n_samples,) or (n_samples, n_classes)
        The teacher's outputs that the student learned from in the first
        round (out-of-fold ones for labeled rows under ``cv``). Hard mode: the
        labels, with NaN (numeric classes) or None (other classes) on rows that
        are not student rows. Soft mode: the probabilities, one column per
        class of ``classes_``, with NaN rows for rows that are not student
        rows.

    pseudo_labels_mode_ : {"hard", "soft"}
        The mode ``pseudo_labels`` resolved to.

    true_label_rows_ : ndarray of shape (n_samples,), dtype=bool
        The rows added to the student's training set with their true labels
        (``student_targets="pseudo+true"``; all False otherwise).

    round_agreement_ : ndarray of shape (n_rounds,)
        For each round, the fraction of the kept student rows on which the
        student's prediction equals the teacher's label (its argmax class in
        soft mode).

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    WeakToStrongRegressor : The same protocol for regression.
    sklearn.semi_supervised.SelfTrainingClassifier : One model pseudo-labels
        its own unlabeled rows with its confident hard predictions.

    Notes
    -----
    **Confidence rounds.** Burns et al. (2023) add to the student's
    cross-entropy against the weak labels an auxiliary term that pulls the
    student towards its own hardened predictions: their loss is the
    cross-entropy against :math:`(1-\beta)\,p_{weak} + \beta\,\hat{y}_{strong}`,
    where :math:`\hat{y}_{strong}` is the student's current prediction,
    hardened (in the binary case by a threshold chosen so that the fraction of
    positives matches the weak labels), and :math:`\beta` warms up from 0 to
    its final value during training (``logconf_loss_fn`` in
    openai/weak-to-strong). A scikit-learn student is fit in one call, not by
    gradient steps we control, so this estimator reaches the same fixed point
    by alternation: round 1 fits the student on :math:`p_{teacher}`, each later
    round refits it on :math:`(1-\beta)\,p_{teacher} + \beta\,
    \mathrm{onehot}(\arg\max_k q_k)`, with the previous round's student's
    predictions :math:`q` on the student's rows. The differences: the
    hardening is the plain argmax (no prior-matching threshold), :math:`\beta`
    is constant across rounds (the first round plays the warm-up), and the
    target is updated once per round rather than per minibatch.

    In **hard** mode the mixture is of two one-hot vectors and the student is
    refit on its argmax: the teacher's label while :math:`\beta \le 1/2` (ties
    go to the teacher, so such rounds change nothing), the student's own
    previous prediction when :math:`\beta > 1/2` (self-training).

    ``sample_weight`` is sliced to each model's rows as in
    :class:`WeakToStrongRegressor`; in soft mode it multiplies the
    probabilities of the expanded rows, so class weights can be passed as
    per-row weights. The expansion holds at most ``n_rows * n_classes`` rows
    and copies the student's rows of ``X`` once.

    ``predict_proba`` places the student's columns into ``classes_``: a class
    the student never saw (no pseudo-label of it) gets probability 0.

    References
    ----------
    .. [1] C. Burns et al., "Weak-to-Strong Generalization: Eliciting Strong
       Capabilities With Weak Supervision", arXiv:2312.09390, 2023.
    .. [2] B. Moniri and H. Hassani, "On the Mechanisms of Weak-to-Strong
       Generalization: A Theoretical Perspective", arXiv:2505.18346, 2025.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skw2s import WeakToStrongClassifier
    >>> from skw2s.datasets import make_w2s_classification
    >>> X, y = make_w2s_classification(n_samples=400, n_features=10,
    ...                                random_state=0)
    >>> y_train = y.copy()
    >>> y_train[100:] = -1              # rows 100..399 are unlabeled
    >>> w2s = WeakToStrongClassifier(DecisionTreeClassifier(max_depth=2),
    ...                              LogisticRegression())
    >>> w2s.fit(X, y_train).pseudo_labels_mode_
    'soft'
    >>> int(w2s.teacher_rows_.sum()), int(w2s.student_rows_.sum())
    (100, 300)
    >>> w2s.predict_proba(X[:2]).shape
    (2, 2)
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        **_BaseWeakToStrong._parameter_constraints,
        "pseudo_labels": [StrOptions({"auto", "hard", "soft"})],
        "confidence_weight": [Interval(Real, 0, 1, closed="both")],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        **TRUST_CONSTRAINTS,
        "threshold": [None, Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        teacher,
        student,
        *,
        pseudo_labels="auto",
        confidence_weight=0.0,
        n_rounds=1,
        student_targets="pseudo",
        labeled_weight=1.0,
        pseudo_label_weights=None,
        pseudo_label_filter=None,
        threshold=None,
        teacher_size=0.5,
        cv=None,
        memory=None,
        n_jobs=None,
        random_state=None,
    ):
        self.teacher = teacher
        self.student = student
        self.pseudo_labels = pseudo_labels
        self.confidence_weight = confidence_weight
        self.n_rounds = n_rounds
        self.student_targets = student_targets
        self.labeled_weight = labeled_weight
        self.pseudo_label_weights = pseudo_label_weights
        self.pseudo_label_filter = pseudo_label_filter
        self.threshold = threshold
        self.teacher_size = teacher_size
        self.cv = cv
        self.memory = memory
        self.n_jobs = n_jobs
        self.random_state = random_state

    # --------------------------------------------------------------- mode
    def _resolve_mode(self):
        """``"hard"`` or ``"soft"``: ``pseudo_labels`` with ``"auto"`` resolved."""
        has_proba = hasattr(self.teacher, "predict_proba")
        takes_weights = self._student_weight_key() is not None
        if self.pseudo_labels == "auto":
            return "soft" if has_proba and takes_weights else "hard"
        if self.pseudo_labels == "soft":
            if not has_proba:
                raise ValueError(
                    "pseudo_labels='soft' needs the teacher's predict_proba, but "
                    f"the teacher {type(self.teacher).__name__} has none. Use "
                    "pseudo_labels='hard' (or 'auto'), or a teacher with "
                    "predict_proba."
                )
            if not takes_weights:
                raise ValueError(
                    "pseudo_labels='soft' fits the student on rows weighted by "
                    f"the teacher's probabilities, but the student "
                    f"{type(self.student).__name__} does not accept "
                    "sample_weight in fit. Use pseudo_labels='hard' (or "
                    "'auto'), or a student that accepts sample_weight."
                    + weight_hint(self.student)
                )
        return self.pseudo_labels

    @property
    def _teacher_label_methods(self):
        """The teacher method that makes pseudo-labels (receives its metadata)."""
        mode = getattr(self, "_mode", None) or self._resolve_mode()
        return ("predict_proba",) if mode == "soft" else ("predict",)

    # ------------------------------------------------------- protocol hooks
    def _validate_target(self, y, n_samples):
        y_arr = _label_values(y)  # pandas' nullable dtypes: labels keep their type
        if y_arr.ndim == 2 and y_arr.shape[1] != 1:
            raise ValueError(
                f"y must be 1-D (one label per row); got shape {y_arr.shape}. "
                "WeakToStrongClassifier supports a single output only."
            )
        y_arr = column_or_1d(y_arr, warn=True)
        if y_arr.shape[0] != n_samples:
            raise ValueError(
                f"X and y have inconsistent numbers of samples: X has {n_samples}, "
                f"y has {y_arr.shape[0]}."
            )
        labeled = ~_unlabeled_mask(y_arr, minus_one=True)
        y_lab = _as_label_array(y_arr[labeled])
        frozen = isinstance(self.teacher, FrozenEstimator)
        if y_lab.size:
            check_classification_targets(y_lab)
        if frozen and hasattr(self.teacher, "classes_"):
            known = _as_label_array(np.asarray(self.teacher.classes_))
            if y_lab.size:
                _check_same_label_type(known, y_lab)
            classes = np.unique(np.concatenate([known, y_lab]) if y_lab.size
                                else known)
        else:
            classes = np.unique(y_lab)
        if labeled.any() or frozen:
            if classes.size < 2:
                raise ValueError(
                    "WeakToStrongClassifier needs at least 2 classes among the "
                    f"labeled rows of y; got {classes.size} class "
                    f"({classes.tolist()}). Rows labeled -1, NaN or None (or "
                    "pandas' NA) are unlabeled and do not count."
                )
        self.classes_ = classes
        # Labeled rows keep their labels; unlabeled rows hold a marker where
        # the dtype has one (NaN, -1) and a placeholder otherwise. The protocol
        # only ever reads y[labeled].
        if y_lab.dtype.kind == "f":
            out = np.full(n_samples, np.nan)
        elif y_lab.dtype.kind == "i":
            out = np.full(n_samples, -1, dtype=y_lab.dtype)
        else:
            fill = classes[0] if classes.size else None
            out = np.full(n_samples, fill, dtype=y_lab.dtype if y_lab.size
                          else object)
        out[labeled] = y_lab
        return out, labeled

    def _unlabeled_target(self, n_samples):
        return np.full(n_samples, None, dtype=object)

    def _teacher_outputs(self, teacher, X, predict_params, who):
        """Hard: the teacher's labels; soft: its probabilities over ``classes_``."""
        n_rows = _num_samples(X)
        if self._mode == "hard":
            pred = np.ravel(teacher.predict(X, **predict_params))
            if pred.shape[0] != n_rows:
                raise ValueError(
                    f"The {who} must return one label per row ({n_rows}); got "
                    f"{pred.shape[0]}."
                )
            return self.classes_[_class_indices(pred, self.classes_, who)]
        proba = _align_columns(
            teacher.predict_proba(X, **predict_params),
            getattr(teacher, "classes_", None),
            self.classes_,
            who,
        )
        if proba.shape[0] != n_rows:
            raise ValueError(
                f"The {who} must return one row of probabilities per row "
                f"({n_rows}); got {proba.shape[0]}."
            )
        if not np.all(np.isfinite(proba)):
            raise ValueError(
                f"The {who} returned non-finite probabilities (NaN or inf) for "
                "the student's rows; the student cannot be trained on them."
            )
        sums = proba.sum(axis=1)
        if (proba < 0).any() or np.abs(sums - 1).max(initial=0) > _PROBA_SUM_ATOL:
            raise ValueError(
                f"The {who} returned probabilities that are negative or whose "
                f"rows do not sum to 1 (max |sum - 1| = "
                f"{np.abs(sums - 1).max():.3g}); predict_proba must return a "
                "probability distribution over the classes per row."
            )
        return proba / sums[:, None]

    def _targets_from_labels(self, y_labels):
        """True labels in the format of ``_teacher_outputs``.

        Soft mode: one-hot probability rows over ``classes_``; hard mode: the
        labels (as ``classes_``'s dtype).
        """
        mode = getattr(self, "_mode", None) or self._resolve_mode()
        idx = _class_indices(_as_label_array(y_labels), self.classes_, "labels")
        if mode == "hard":
            return self.classes_[idx]
        return _one_hot(idx, self.classes_.size)

    def _cross_fit_stratified(self):
        return True

    _student_methods = (
        "predict", "predict_proba", "predict_log_proba", "decision_function", "score",
    )

    def _fit_student(self, student, X, targets, fit_params):
        """Hard: ``student.fit(X, labels)``; soft: the weighted expansion."""
        if self._mode == "hard":
            return student.fit(X, targets, **fit_params)
        proba = np.asarray(targets, dtype=np.float64)
        rows, cols = np.nonzero(proba > 0)
        weights = proba[rows, cols]
        params = dict(fit_params)
        key = self._student_weight_key()
        user_weight = params.pop(key, None)
        if user_weight is not None:
            weights = weights * np.asarray(user_weight, dtype=np.float64)[rows]
        # Other sample-aligned metadata follows its rows; X is copied once.
        params = _check_method_params(X, params, indices=rows)
        params[key] = weights
        X_rep = _safe_indexing(X, rows, axis=0)
        return student.fit(X_rep, self.classes_[cols], **params)

    # ------------------------------------------------------------------ fit
    @_fit_context(
        # teacher and student are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None, sample_weight=None, **fit_params):
        """Fit the teacher on labeled rows, then the student on its outputs.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to teacher and student as given (row-sliced).

        y : array-like of shape (n_samples,), default=None
            Labels; ``-1``, NaN (float ``y``) or None (object ``y``) marks an
            unlabeled row. May be None only with a frozen teacher.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of all rows; each model receives the weights of the rows it
            is fit on (in soft mode, multiplied into the expansion's weights).
            Without metadata routing, both teacher and student must accept
            ``sample_weight`` (a :class:`~sklearn.pipeline.Pipeline` through
            its final step; a frozen teacher ignores it).

        **fit_params : dict
            Only with metadata routing enabled: sample-aligned metadata routed
            to ``teacher`` and ``student`` ``fit`` (and to the teacher's
            ``predict`` or ``predict_proba``), sliced to each model's rows.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        for role in ("teacher", "student"):
            est = getattr(self, role)
            if is_regressor(est):
                raise TypeError(
                    f"{role}={type(est).__name__} is a regressor; "
                    "WeakToStrongClassifier needs classifiers. Use "
                    "skw2s.WeakToStrongRegressor for regression."
                )
        self._mode = self._resolve_mode()
        try:
            step = self._pseudo_label(X, y, sample_weight=sample_weight,
                                      **fit_params)
            pseudo_rows, pseudo_targets = step.rows, step.targets
            trust = self._trust(step)
            train = Bunch(**{
                **step, "X": trust.X, "targets": trust.targets,
                "fit_params": dict(trust.fit_params),
                "rows": step.rows[trust.kept],
            })
            train = self._add_true_targets(
                X, train, sample_weight=sample_weight, **fit_params
            )
            self._check_kept_classes(step, trust, train)
            self._fit_rounds(train, n_pseudo=int(trust.kept.sum()))
        finally:
            mode, self._mode = self._mode, None
        self.pseudo_labels_mode_ = mode
        self.teacher_rows_ = step.teacher_rows
        self.student_rows_ = step.student_rows
        self.true_label_rows_ = train.true_rows
        n_samples = step.y.shape[0]
        if mode == "soft":
            self.pseudo_labels_ = np.full((n_samples, self.classes_.size), np.nan)
        elif self.classes_.dtype.kind in "iuf":
            self.pseudo_labels_ = np.full(n_samples, np.nan)
        else:
            self.pseudo_labels_ = np.full(n_samples, None, dtype=object)
        self.pseudo_labels_[pseudo_rows] = pseudo_targets
        self._record_trust(step, trust)
        return self

    # ------------------------------------------------------ selective trust
    def _teacher_proba(self, step):
        """The teacher's probabilities for the student's rows (over ``classes_``)."""
        if self._mode == "soft":
            return step.targets
        teacher = self.teacher_
        if not hasattr(teacher, "predict_proba"):
            raise ValueError(
                "pseudo_label_weights='confidence', pseudo_label_filter and "
                "threshold need the teacher's class probabilities, but the "
                f"teacher {type(self.teacher).__name__} has no predict_proba. "
                "Use a teacher with predict_proba, or pass a callable "
                "pseudo_label_weights(teacher, X, pseudo_labels)."
            )
        proba = _align_columns(
            teacher.predict_proba(step.X),
            getattr(teacher, "classes_", None),
            self.classes_,
            f"teacher {self.teacher!r}",
        )
        if not np.all(np.isfinite(proba)):
            raise ValueError(
                f"The teacher {self.teacher!r} returned non-finite probabilities "
                "(NaN or inf) for the student's rows; no confidence can be "
                "derived from them."
            )
        return proba

    def _confidence(self, step):
        """The margin: largest minus second largest class probability."""
        top2 = np.sort(self._teacher_proba(step), axis=1)[:, -2:]
        return top2[:, 1] - top2[:, 0]

    def _threshold_scores(self, step, confidence):
        """``threshold`` compares the largest class probability (as
        SelfTrainingClassifier does)."""
        return np.max(self._teacher_proba(step), axis=1)

    def _target_classes(self, targets):
        """The classes the student is trained towards (argmax of soft rows)."""
        targets = np.asarray(targets)
        if self._mode == "soft":
            return np.unique(np.argmax(targets, axis=1)) if targets.size else targets
        return np.unique(_class_indices(targets, self.classes_, "teacher"))

    def _check_kept_classes(self, step, trust, train):
        """Warn or raise when ``threshold`` or ``pseudo_label_filter`` leaves the
        student a single class (as the confidence rounds warn when they would).

        Hard labels of one class cannot train a classifier: ValueError. Soft
        labels can (the expansion keeps every class with a positive
        probability) but the student then learns almost one class: a warning.
        """
        if trust.kept.all():
            return
        before = self._target_classes(step.targets)
        after = self._target_classes(train.targets)
        if before.size < 2 or after.size >= 2:
            return
        options = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("threshold", "pseudo_label_filter")
            if getattr(self, name) is not None
        )
        label = self.classes_[after].tolist()[0] if after.size else None
        msg = (
            f"{options} keeps {int(trust.kept.sum())} of {trust.kept.size} "
            f"student rows, and the teacher gives all of them the class "
            f"{label!r}: the student learns from a single class. Lower the "
            "threshold, raise pseudo_label_filter, or use "
            'student_targets="pseudo+true" to add the labeled rows.'
        )
        present = (
            np.count_nonzero(np.asarray(train.targets).sum(axis=0) > 0)
            if self._mode == "soft" else after.size
        )
        if present < 2:
            raise ValueError(
                msg + " A classifier cannot be trained on one class."
            )
        warnings.warn(
            msg + " (The other classes keep only their small soft-label "
            "weights.)", UserWarning, stacklevel=4,
        )

    def _fit_rounds(self, step, n_pseudo):
        """Round 1 on the teacher's outputs, then the confidence rounds.

        The first ``n_pseudo`` rows of ``step`` carry pseudo-labels; rows after
        them (``student_targets="pseudo+true"``) carry true labels, which the
        rounds leave unchanged. Agreement is measured on the pseudo rows.
        """
        n_classes = self.classes_.size
        if self._mode == "soft":
            teacher_idx = np.argmax(step.targets, axis=1)
            teacher_proba = step.targets
        else:
            teacher_idx = _class_indices(step.targets, self.classes_, "teacher")
            teacher_proba = None
        beta = float(self.confidence_weight)
        agreement = []
        targets = step.targets
        for round_ in range(self.n_rounds):
            if round_ and beta == 0.0:
                # beta = 0: every round's targets are the teacher's; one fit.
                agreement.append(agreement[-1])
                continue
            self.student_ = self._fit_student(
                clone(self.student), step.X, targets, step.fit_params
            )
            pred_idx = _class_indices(
                np.ravel(self.student_.predict(step.X)), self.classes_, "student"
            )
            agreement.append(
                float(np.mean(pred_idx[:n_pseudo] == teacher_idx[:n_pseudo]))
            )
            if round_ + 1 == self.n_rounds:
                break
            if self._mode == "soft":
                targets = (1 - beta) * teacher_proba + beta * _one_hot(
                    pred_idx, n_classes
                )
                targets[n_pseudo:] = teacher_proba[n_pseudo:]  # true labels
                n_present = np.count_nonzero(targets.sum(axis=0) > 0)
            else:
                # argmax of (1-beta) onehot(teacher) + beta onehot(student):
                # ties (beta = 1/2) go to the teacher.
                new_idx = pred_idx.copy() if beta > 0.5 else teacher_idx
                new_idx[n_pseudo:] = teacher_idx[n_pseudo:]  # true labels
                targets = self.classes_[new_idx]
                n_present = np.unique(new_idx).size
            if n_present < 2:
                warnings.warn(
                    f"Confidence round {round_ + 2} of {self.n_rounds} stopped: "
                    "the student predicts a single class on its rows, so the "
                    f"targets with confidence_weight={beta} have one class "
                    "and cannot train a classifier. The student of round "
                    f"{round_ + 1} is kept; a smaller confidence_weight avoids "
                    "this collapse.",
                    UserWarning,
                    stacklevel=3,
                )
                agreement += [agreement[-1]] * (self.n_rounds - round_ - 1)
                break
        self.round_agreement_ = np.asarray(agreement)

    # ------------------------------------------------------------- predict
    def _student_params(self, method, params):
        _raise_for_params(params, self, method)
        if _routing_enabled():
            return getattr(process_routing(self, method, **params).student, method)
        return {}

    def _check_X(self, X):
        check_is_fitted(self)
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)

    @available_if(_estimator_has("predict", delegates=("student_", "student")))
    def predict(self, X, **predict_params):
        """Predict class labels with the student.

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
            The student's predicted labels.
        """
        self._check_X(X)
        params = self._student_params("predict", predict_params)
        return self.student_.predict(X, **params)

    @available_if(_estimator_has("predict_proba", delegates=("student_", "student")))
    def predict_proba(self, X, **predict_proba_params):
        """Class probabilities of the student, one column per class of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the student as given.

        **predict_proba_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.predict_proba``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The student's probabilities; a class the student never saw has
            probability 0.
        """
        self._check_X(X)
        params = self._student_params("predict_proba", predict_proba_params)
        return _align_columns(
            self.student_.predict_proba(X, **params),
            getattr(self.student_, "classes_", None), self.classes_, "student",
        )

    @available_if(
        _estimator_has("predict_log_proba", delegates=("student_", "student"))
    )
    def predict_log_proba(self, X, **predict_log_proba_params):
        """Log of the student's class probabilities (columns of ``classes_``).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the student as given.

        **predict_log_proba_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.predict_log_proba``.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            The student's log-probabilities; ``-inf`` for a class the student
            never saw.
        """
        self._check_X(X)
        params = self._student_params("predict_log_proba", predict_log_proba_params)
        return _align_columns(
            self.student_.predict_log_proba(X, **params),
            getattr(self.student_, "classes_", None), self.classes_, "student",
            fill=-np.inf,
        )

    @available_if(
        _estimator_has("decision_function", delegates=("student_", "student"))
    )
    def decision_function(self, X, **decision_function_params):
        """Decision function of the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the student as given.

        **decision_function_params : dict
            Only with metadata routing enabled: metadata routed to
            ``student.decision_function``.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The student's decision function. When the student saw fewer
            classes than ``classes_``, its columns are placed into
            ``classes_`` (``-inf`` for the missing classes; a binary
            student's score ``d`` becomes the columns ``-d/2`` and ``d/2``,
            which have the same softmax).
        """
        self._check_X(X)
        params = self._student_params("decision_function", decision_function_params)
        scores = self.student_.decision_function(X, **params)
        student_classes = getattr(self.student_, "classes_", None)
        if student_classes is None or np.array_equal(student_classes, self.classes_):
            return scores
        if np.ndim(scores) == 1:
            # A binary student's score d is the log-odds of its second class:
            # the columns (-d/2, d/2) have the same softmax (sigma(-d), sigma(d)).
            scores = np.column_stack([-scores / 2, scores / 2])
        return _align_columns(scores, student_classes, self.classes_, "student",
                              fill=-np.inf)

    @available_if(_estimator_has("score", delegates=("student_", "student")))
    def score(self, X, y, sample_weight=None, **score_params):
        """Score of the student on the labeled rows of ``(X, y)``.

        Rows whose label marks them unlabeled (``-1``, NaN in a float ``y``,
        None in an object ``y``) are skipped together with their weights, as
        :meth:`WeakToStrongRegressor.score` skips NaN rows: a plain
        :class:`~sklearn.model_selection.GridSearchCV` or
        :func:`~sklearn.model_selection.cross_val_score` with the default
        scoring then scores the student on the true labels of each test fold.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True labels; ``-1``, NaN or None marks an unlabeled row, which is
            not scored.

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
            The student's score on the labeled rows (the accuracy for
            scikit-learn classifiers).

        Raises
        ------
        ValueError
            If no row of ``y`` is labeled (a test fold of unlabeled rows only):
            split with :class:`~skw2s.model_selection.LabeledSplit`, which keeps
            unlabeled rows out of the test folds.
        """
        self._check_X(X)
        _raise_for_params(score_params, self, "score")
        if _routing_enabled():
            if sample_weight is not None:
                score_params["sample_weight"] = sample_weight
            params = process_routing(self, "score", **score_params).student.score
        else:
            params = {} if sample_weight is None else {"sample_weight": sample_weight}
        X, y, params = _labeled_class_part(X, y, params)
        return self.student_.score(X, y, **params)

    # ------------------------------------------------------- sklearn hooks
    def get_metadata_routing(self):
        """Get metadata routing of this object.

        The teacher receives metadata in ``fit`` (its own ``fit`` and the
        ``predict`` or ``predict_proba`` that makes the pseudo-labels); the
        student in ``fit``, ``predict``, ``predict_proba``,
        ``predict_log_proba``, ``decision_function`` and ``score``.
        Sample-aligned metadata is sliced to each model's rows.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        return self._metadata_router()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags, student_tags = self._combined_input_tags(tags)
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        if (
            teacher_tags.classifier_tags is not None
            and student_tags.classifier_tags is not None
        ):
            tags.classifier_tags.poor_score = (
                teacher_tags.classifier_tags.poor_score
                or student_tags.classifier_tags.poor_score
            )
        tags.classifier_tags.multi_label = False
        return tags
