"""Bootstrapping chains: weak -> intermediate -> strong."""

from numbers import Integral

import numpy as np
from sklearn.base import MetaEstimatorMixin, _fit_context, clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch, check_random_state, get_tags
from sklearn.utils._param_validation import Interval
from sklearn.utils.metaestimators import _BaseComposition, available_if
from sklearn.utils.validation import (
    _check_sample_weight,
    _make_indexable,
    _num_samples,
    check_is_fitted,
    validate_data,
)

from ._base import _take, _teacher_split
from ._compat import labeled_serial_block
from ._trust import TRUST_CONSTRAINTS, sample_weight_key
from ._validation import _DOC_LINK_TEMPLATE, _check_not_1d, _real_not_int_interval
from ._weak_to_strong import WeakToStrongRegressor

__all__ = ["WeakToStrongChain"]


def _link_class(classification):
    if classification:
        try:
            from ._weak_to_strong_classifier import WeakToStrongClassifier
        except ImportError:  # pragma: no cover - until the classifier lands
            raise NotImplementedError(
                "WeakToStrongChain with classifiers needs "
                "skw2s.WeakToStrongClassifier, which this version lacks."
            ) from None
        return WeakToStrongClassifier
    return WeakToStrongRegressor


def _share_counts(sizes, n_rows, n_links):
    """Number of student rows of each link (``sizes`` validated here)."""
    if sizes is None:
        sizes = np.full(n_links, 1.0 / n_links)
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.shape[0] != n_links:
        raise ValueError(
            f"sizes must have one entry per stage after the first "
            f"(len(estimators) - 1 = {n_links}); got {sizes.tolist()!r}."
        )
    if sizes.dtype.kind in "iu":
        counts = sizes.astype(int)
        if (counts < 1).any() or counts.sum() != n_rows:
            raise ValueError(
                f"sizes={sizes.tolist()!r} (ints: numbers of rows) must be "
                f"positive and sum to the {n_rows} rows left after the first "
                "stage's rows. Pass fractions summing to 1 to make it size-free."
            )
        return counts
    if sizes.dtype.kind != "f" or not np.all(np.isfinite(sizes)):
        raise ValueError(f"sizes must be numbers; got {sizes.tolist()!r}.")
    if sizes.dtype != np.float64:
        # float32 / float16 fractions mean the decimals they print as (0.3, not
        # 0.30004883), as a NumPy float teacher_size does
        sizes = np.array([float(str(v)) for v in sizes])
    if (sizes <= 0).any() or abs(sizes.sum() - 1.0) > 1e-8:
        raise ValueError(
            f"sizes={sizes.tolist()!r} (floats: fractions of the rows left "
            "after the first stage's rows) must be positive and sum to 1."
        )
    raw = sizes * n_rows
    counts = np.floor(raw).astype(int)
    rest = n_rows - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:rest]] += 1
    if (counts < 1).any():
        raise ValueError(
            f"sizes={sizes.tolist()!r} leaves a stage without rows: only "
            f"{n_rows} rows are left after the first stage's rows, shared as "
            f"{counts.tolist()}."
        )
    return counts


def _final_has(method):
    def check(self):
        if hasattr(self, "links_"):
            return hasattr(self.links_[-1], method)
        return hasattr(self.estimators[-1][1], method)

    return check


class WeakToStrongChain(MetaEstimatorMixin, _BaseComposition):
    """Bootstrap through intermediate models: each stage labels the next one's rows.

    Stage 0 (the weakest model) is fit on the rows with true labels. Every
    later stage :math:`k` is fit, as the student of a weak-to-strong
    meta-estimator whose teacher is the fitted stage :math:`k-1`, on the
    pseudo-labels that stage :math:`k-1` gives to *its own share* of the
    remaining rows, and never sees a true label. ``predict`` (and ``score``,
    ``predict_proba``, ...) are the last stage's. This is the bootstrapping of
    Burns et al. (2023): weak -> intermediate -> strong, instead of weak ->
    strong directly.

    The chain follows the last estimator's type, as a
    :class:`~sklearn.pipeline.Pipeline` does: with classifiers each link is a
    :class:`WeakToStrongClassifier`, with regressors a
    :class:`WeakToStrongRegressor`, and :func:`~sklearn.base.is_classifier`
    answers accordingly.

    Which rows train which stage:

    - **Unlabeled rows present** (NaN in ``y`` for regression; ``-1``, NaN or
      None for classification). Stage 0 is fit on all labeled rows; the
      unlabeled rows are shuffled (``random_state``) and shared between the
      later stages in the proportions ``sizes``.
    - **Every row labeled** (e.g. inside
      :class:`~sklearn.model_selection.GridSearchCV`). ``teacher_size`` rows,
      drawn with ``random_state``, train stage 0; the other rows are shared
      between the later stages, whose true labels are hidden from them.
      With classifiers the draw is stratified by class, as in
      :class:`WeakToStrongClassifier`: every class with at least two labeled
      rows has a row in stage 0 and one among the other rows.

    Stage 0 of a classification chain must see at least two classes: fit
    raises a ``ValueError`` saying so before any stage is fit.

    Read more in the :ref:`User Guide <selective_trust>`.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The stages, weakest first (at least two). Each implements ``fit`` and
        ``predict``; names are used as ``name__param`` in ``set_params`` and
        grid searches, like the steps of a Pipeline.

    sizes : array-like of shape (len(estimators) - 1,), default=None
        How the rows that stage 0 does not train on are shared between stages
        1, 2, ...: floats are fractions (positive, summing to 1), ints are
        numbers of rows (positive, summing to that number of rows). None
        shares them equally.

    teacher_size : float or int, default=0.5
        Used only when every row is labeled: a float in (0, 1) is the
        fraction of rows (rounded down) that train stage 0, an int their number.

    pseudo_label_weights : None, "confidence" or callable, default=None
        Passed to every link (see :class:`WeakToStrongRegressor`). A link's
        teacher is a fitted, frozen stage, so ``"confidence"`` needs stages
        whose ``predict`` takes ``return_std`` (regression) or that have
        ``predict_proba`` (classification).

    pseudo_label_filter : float in (0, 1] or None, default=None
        Passed to every link: the fraction of each share's rows kept, the
        most confident first.

    random_state : int, RandomState instance or None, default=None
        Seeds the stage-0 split (every row labeled) and the shuffle of the
        rows before they are shared between the later stages.
        See :term:`Glossary <random_state>`.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted stages, weakest first (stage :math:`k \\geq 1` is
        ``links_[k - 1].student_``).

    named_estimators_ : :class:`~sklearn.utils.Bunch`
        The fitted stages by name.

    links_ : list of estimators
        The fitted weak-to-strong meta-estimators, one per stage after the
        first: link :math:`k-1` has the frozen stage :math:`k-1` as teacher and
        stage :math:`k` as student, with their ``pseudo_labels_``,
        ``kept_rows_`` etc. over that stage's share of rows.

    stage_rows_ : ndarray of shape (n_samples,), dtype=int
        The stage each row of ``X`` trained (0 for the true-label rows of the
        first stage).

    classes_ : ndarray of shape (n_classes,)
        The class labels. Defined only for classification chains.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    WeakToStrongRegressor : One teacher, one student (regression).
    sklearn.pipeline.Pipeline : Chains transformers; this chains labelers.

    Notes
    -----
    Each stage sees only its own share of the rows, so a longer chain gives
    each stage fewer rows: whether an intermediate model helps is an empirical
    question that the user guide measures on examples where it does and where
    it does not. The theory module does not cover chains.

    References
    ----------
    .. [1] C. Burns et al., "Weak-to-Strong Generalization: Eliciting Strong
       Capabilities With Weak Supervision", arXiv:2312.09390, 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import KNeighborsRegressor
    >>> from skw2s import WeakToStrongChain, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> X, y = make_w2s_regression(n_samples=300, n_features=10, random_state=0)
    >>> y_train = y.copy()
    >>> y_train[60:] = np.nan          # rows 60..299 are unlabeled
    >>> chain = WeakToStrongChain(
    ...     [("weak", WeightedRidge(alpha=1e-3)),
    ...      ("mid", KNeighborsRegressor(n_neighbors=10)),
    ...      ("strong", WeightedRidge(alpha=10.0))],
    ...     sizes=[0.5, 0.5], random_state=0)
    >>> chain.fit(X, y_train).stage_rows_[:62]
    array([0, 0, ...])
    >>> np.bincount(chain.stage_rows_)
    array([ 60, 120, 120])
    >>> chain.set_params(strong__alpha=1.0).get_params()["strong__alpha"]
    1.0
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        "estimators": [list],
        "sizes": ["array-like", None],
        "teacher_size": [
            # NumPy floats such as np.float32(0.3) too (as in the meta-estimators)
            _real_not_int_interval(0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        **TRUST_CONSTRAINTS,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimators,
        *,
        sizes=None,
        teacher_size=0.5,
        pseudo_label_weights=None,
        pseudo_label_filter=None,
        random_state=None,
    ):
        self.estimators = estimators
        self.sizes = sizes
        self.teacher_size = teacher_size
        self.pseudo_label_weights = pseudo_label_weights
        self.pseudo_label_filter = pseudo_label_filter
        self.random_state = random_state

    # ------------------------------------------------------ composition API
    def get_params(self, deep=True):
        """Get parameters, including ``<stage>__<param>`` of every stage.

        Parameters
        ----------
        deep : bool, default=True
            If True, also the parameters of the stages.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        """Set parameters, including ``<stage>__<param>`` and whole stages.

        Parameters
        ----------
        **params : dict
            Parameters of the chain or of its stages.

        Returns
        -------
        self : WeakToStrongChain
            This estimator.
        """
        self._set_params("estimators", **params)
        return self

    def _validate_stages(self):
        if len(self.estimators) < 2:
            raise ValueError(
                "WeakToStrongChain needs at least two estimators (a weak "
                f"first stage and a student); got {len(self.estimators)}."
            )
        for entry in self.estimators:
            if not (isinstance(entry, tuple) and len(entry) == 2
                    and isinstance(entry[0], str)):
                raise TypeError(
                    "estimators must be a list of (name, estimator) tuples; got "
                    f"{entry!r}."
                )
        names, ests = zip(*self.estimators, strict=True)
        self._validate_names(names)
        for name, est in self.estimators:
            if not (hasattr(est, "fit") and hasattr(est, "predict")):
                raise TypeError(
                    f"Stage {name!r} ({est!r}) must implement fit and predict."
                )
        classification = is_classifier(ests[-1])
        for name, est in self.estimators:
            if is_classifier(est) != classification:
                kind = "classifier" if classification else "regressor"
                raise TypeError(
                    f"Stage {name!r} ({type(est).__name__}) is not a {kind} like "
                    f"the last stage {names[-1]!r}; every stage of a chain must "
                    "be of the same kind."
                )
        return list(names), list(ests), classification

    # ------------------------------------------------------------------ fit
    @_fit_context(
        # the stages are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None):
        """Fit stage 0 on labeled rows, then each stage on the previous one's labels.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to the stages as given (row-sliced).

        y : array-like of shape (n_samples,)
            Targets; unlabeled rows are marked as in
            :class:`WeakToStrongRegressor` (NaN) or the classifier (``-1``,
            NaN, None). One output: a 2-D ``y`` with several columns raises.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of all rows; each stage receives those of its rows (every
            stage must accept ``sample_weight``; a
            :class:`~sklearn.pipeline.Pipeline` stage in its final step).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        names, ests, classification = self._validate_stages()
        link_cls = _link_class(classification)
        if y is None:
            raise ValueError(
                "WeakToStrongChain requires y to be passed, but the target y is "
                "None; the first stage is fit on the labeled rows. Mark "
                "unlabeled rows as described in the docstring."
            )
        _check_not_1d(X)
        validate_data(self, X, skip_check_array=True)
        X = _make_indexable(X)
        n_samples = _num_samples(X)
        y_shape = np.asarray(y).shape
        if len(y_shape) > 2 or (len(y_shape) == 2 and y_shape[1] != 1):
            raise ValueError(
                "WeakToStrongChain supports a single output: y must be 1-D (one "
                f"target or label per row); got shape {y_shape}. Chain each "
                "output separately, or use WeakToStrongRegressor, which accepts "
                "several outputs."
            )
        proto = link_cls(ests[0], ests[-1])
        y, labeled = proto._validate_target(y, n_samples)
        if not labeled.any():
            raise ValueError(
                "y has no labeled rows; the first stage needs true labels."
            )
        weight_keys = {}
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            for name, est in self.estimators:
                # the rule of the meta-estimators: a Pipeline's final step
                weight_keys[name] = sample_weight_key(est)
                if weight_keys[name] is None:
                    raise ValueError(
                        f"sample_weight was passed but stage {name!r} "
                        f"({type(est).__name__}) does not accept it in fit."
                    )
        rng = check_random_state(self.random_state)
        if labeled.all():
            # classification: stratified, every class with two or more rows
            # in stage 0 and in the rest (as WeakToStrongClassifier's split)
            first = _teacher_split(
                n_samples, self.teacher_size, rng,
                stratify=y if classification else None,
            )
        else:
            first = labeled
        idx0 = np.flatnonzero(first)
        if classification and np.unique(y[idx0]).size < 2:
            raise ValueError(
                f"The first stage {names[0]!r} is fit on {idx0.size} rows that "
                f"hold a single class ({y[idx0][:1].tolist()[0]!r}); it cannot "
                "label the next stage's rows. Give it rows of at least two "
                "classes (more labeled rows, or a larger teacher_size)."
            )
        rest = rng.permutation(np.flatnonzero(~first))
        counts = _share_counts(self.sizes, rest.size, len(ests) - 1)
        shares = np.split(rest, np.cumsum(counts)[:-1])

        def weights(idx, key="sample_weight"):
            if sample_weight is None:
                return {}
            return {key: sample_weight[idx]}

        stage = clone(ests[0]).fit(
            _take(X, idx0), y[idx0], **weights(idx0, weight_keys.get(names[0]))
        )
        stage_rows = np.zeros(n_samples, dtype=int)
        fitted, links = [stage], []
        for k, (est, idx) in enumerate(zip(ests[1:], shares, strict=True), start=1):
            idx = np.sort(idx)
            link = link_cls(
                FrozenEstimator(stage),
                clone(est),
                pseudo_label_weights=self.pseudo_label_weights,
                pseudo_label_filter=self.pseudo_label_filter,
            ).fit(_take(X, idx), None, **weights(idx))
            stage = link.student_
            stage_rows[idx] = k
            fitted.append(stage)
            links.append(link)
        self.estimators_ = fitted
        self.named_estimators_ = Bunch(**dict(zip(names, fitted, strict=True)))
        self.links_ = links
        self.stage_rows_ = stage_rows
        if classification:
            self.classes_ = links[-1].classes_
        return self

    # ------------------------------------------------------------- predict
    @available_if(_final_has("predict"))
    def predict(self, X):
        """Predict with the last stage.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The last stage's predictions.
        """
        check_is_fitted(self)
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        return self.links_[-1].predict(X)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the last stage (classification chains).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        return self.links_[-1].predict_proba(X)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log of the last stage's class probabilities (classification chains).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        return self.links_[-1].predict_log_proba(X)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the last stage (classification chains).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The last stage's decision function.
        """
        check_is_fitted(self)
        _check_not_1d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        return self.links_[-1].decision_function(X)

    @available_if(_final_has("score"))
    def score(self, X, y, sample_weight=None):
        """Score of the last stage on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            :math:`R^2` for regressors, accuracy for classifiers (the last
            stage's ``score``).
        """
        check_is_fitted(self)
        return self.links_[-1].score(X, y, sample_weight=sample_weight)

    # ------------------------------------------------------- sklearn hooks
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            stage_tags = [get_tags(est) for _, est in self.estimators]
        except (TypeError, ValueError, AttributeError):
            return tags
        if not stage_tags:
            return tags
        last = stage_tags[-1]
        tags.estimator_type = last.estimator_type
        tags.classifier_tags = last.classifier_tags
        tags.regressor_tags = last.regressor_tags
        for name in ("allow_nan", "sparse", "string", "categorical"):
            setattr(
                tags.input_tags, name,
                all(getattr(t.input_tags, name) for t in stage_tags),
            )
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        return tags

    def _sk_visual_block_(self):
        names, ests = zip(*self.estimators, strict=True)
        return labeled_serial_block(ests, names)
