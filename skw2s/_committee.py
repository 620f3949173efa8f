"""Committees of weak teachers, combined by their estimated reliability.

:class:`TeacherCommittee` (regression) and :class:`TeacherCommitteeClassifier`
fit (or take as trained) several weak teachers and combine their outputs with
weights estimated from labeled rows, from the teachers' agreement alone, or
both. The math is in :mod:`skw2s._committee_math`; this module validates,
fits the teachers (cross-fitted where an honest estimate needs it) and stores
the results.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv
from sklearn.utils import Bunch, _safe_indexing, get_tags
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _make_indexable,
    _num_samples,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._committee_math import (
    DS_PSEUDO_COUNT,
    clip_variances,
    dawid_skene,
    dawid_skene_posterior,
    informativeness_weights,
    linear_pool_weights,
    min_variance_weights,
    nonnegative_stacking,
    row_variances,
    shrunk_error_covariance,
    triplet_error_variances,
)
from ._compat import _VisualBlock
from ._validation import (
    _DOC_LINK_TEMPLATE,
    _as_label_array,
    _check_cv_folds,
    _check_not_1d,
    _unlabeled_mask,
    _validate_w2s_target,
)
from ._weak_to_strong_classifier import _align_columns, _class_indices, _one_hot

__all__ = ["TeacherCommittee", "TeacherCommitteeClassifier"]

#: ``method="auto"`` (regression): from this many labeled rows per teacher on,
#: the inverse-variance weights (fewer: equal weights, or label-free ones that
#: pass their check) ...
AUTO_INVERSE_VARIANCE_FROM = 10
#: ... and from this many, stacking. Measured on five development data sets with
#: three sources each (benchmarks/committee_real_data.py).
AUTO_STACKING_FROM = 50

#: Relative misfit of the pairwise equations above which a significant
#: inconsistency (``pvalue < INDEPENDENCE_ALPHA``) triggers a warning.
INDEPENDENCE_MISFIT = 0.1
INDEPENDENCE_ALPHA = 0.01


def _take(X, idx):
    return _safe_indexing(X, idx, axis=0)


def _fit_on(estimator, X, y, idx):
    """A clone of ``estimator`` fit on rows ``idx`` (object labels made plain)."""
    return clone(estimator).fit(_take(X, idx), _as_label_array(y[idx]))


def _fit_fold(estimator, X, y, train, test, output, who):
    """Fit a clone of ``estimator`` on rows ``train``; its outputs for ``test``."""
    est = _fit_on(estimator, X, y, train)
    return output(est, _take(X, test), who)


class _BaseCommittee(MetaEstimatorMixin, _BaseComposition):
    """What both committees share: the teachers, their fits and cross-fits."""

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        "teachers": [list],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
    }

    #: The methods that need honest (out-of-fold) teacher outputs.
    _honest_methods: frozenset = frozenset()

    # ------------------------------------------------------ composition API
    def get_params(self, deep=True):
        """Get parameters, including ``<teacher>__<param>`` of every teacher.

        Parameters
        ----------
        deep : bool, default=True
            If True, also the parameters of the teachers.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("teachers", deep=deep)

    def set_params(self, **params):
        """Set parameters, including ``<teacher>__<param>`` and whole teachers.

        Parameters
        ----------
        **params : dict
            Parameters of the committee or of its teachers.

        Returns
        -------
        self : object
            This estimator.
        """
        self._set_params("teachers", **params)
        return self

    # ------------------------------------------------------------ checks
    def _validate_teachers(self):
        """Names and estimators of ``teachers``; ValueError/TypeError name it."""
        owner = type(self).__name__
        for entry in self.teachers:
            if not (isinstance(entry, tuple) and len(entry) == 2
                    and isinstance(entry[0], str)):
                raise TypeError(
                    "teachers must be a list of (name, estimator) tuples; got "
                    f"{entry!r}."
                )
        if len(self.teachers) < 2:
            raise ValueError(
                f"teachers holds {len(self.teachers)} estimator(s); a {owner} "
                "combines at least two. With a single teacher, pass it directly "
                "(e.g. WeakToStrongRegressor(teacher, student))."
            )
        names, ests = zip(*self.teachers, strict=True)
        self._validate_names(names)
        wrong_kind = is_regressor if self._is_classification else is_classifier
        kind = "classifier" if self._is_classification else "regressor"
        for name, est in self.teachers:
            if not (hasattr(est, "fit") and hasattr(est, "predict")):
                raise TypeError(
                    f"teachers[{name!r}] ({est!r}) must implement fit and predict."
                )
            if wrong_kind(est):
                other = ("TeacherCommittee" if self._is_classification
                         else "TeacherCommitteeClassifier")
                raise TypeError(
                    f"teachers[{name!r}] ({type(est).__name__}) is not a {kind}; "
                    f"every teacher of a {owner} must be one (use {other} for "
                    "the other kind)."
                )
        return list(names), list(ests)

    # ------------------------------------------------------------ fitting
    def _teacher_outputs(self, X, y, labeled, names, ests, honest, output):
        """Fit the teachers; their honest outputs.

        Returns ``(fitted, outputs, rows)``: the fitted teachers (frozen ones
        as given, unfitted ones refit on every labeled row), each teacher's
        outputs for the rows of the mask ``rows`` from a model that did not
        see them, and that mask. ``honest`` says which rows: None, none
        (``outputs`` is None); ``"unlabeled"``, the rows no teacher was
        trained on (every row if all teachers are frozen; as
        ``"cross_fit"`` if fewer than three rows are unlabeled); ``"cross_fit"``,
        every row, the labeled rows of an unfitted teacher getting the
        outputs of the fold teachers (under ``cv``) that did not see them.
        """
        n = _num_samples(X)
        l_idx = np.flatnonzero(labeled)
        u_idx = np.flatnonzero(~labeled)
        frozen = [isinstance(e, FrozenEstimator) for e in ests]
        unfitted = [name for name, f in zip(names, frozen, strict=True) if not f]
        if unfitted and l_idx.size == 0:
            raise ValueError(
                f"y has no labeled rows, but teachers {unfitted} are not trained "
                "(not wrapped in sklearn.frozen.FrozenEstimator), so nothing can "
                "train them. Give true labels for some rows, or wrap already "
                "trained teachers in FrozenEstimator."
            )
        folds = ()
        rows = np.ones(n, dtype=bool)
        if honest == "unlabeled" and unfitted:
            if u_idx.size < 3:  # too few: every row, out-of-fold where labeled
                honest = "cross_fit"
            else:
                rows = ~labeled
        if honest == "cross_fit" and unfitted:
            folds = self._folds(X, y, l_idx)
        r_idx = np.flatnonzero(rows)
        jobs = []
        for name, est, is_frozen in zip(names, ests, frozen, strict=True):
            if is_frozen:
                continue
            jobs.append(delayed(_fit_on)(est, X, y, l_idx))
            for train, test in folds:
                jobs.append(delayed(_fit_fold)(
                    est, X, y, l_idx[train], l_idx[test], output,
                    f"teacher {name!r} (a cross-fit)",
                ))
        results = iter(Parallel(n_jobs=self.n_jobs)(jobs))
        fitted, outputs = [], []
        for name, est, is_frozen in zip(names, ests, frozen, strict=True):
            who = f"teacher {name!r}"
            if is_frozen:
                est.fit(X, y)  # no-op; checks the wrapped model is fitted
                fitted.append(est)
                if honest is not None:
                    outputs.append(output(est, _take(X, r_idx), who))
                continue
            model = next(results)
            fitted.append(model)
            if honest is None:
                continue
            if honest == "unlabeled":
                outputs.append(output(model, _take(X, r_idx), who))
                continue
            pieces = [(l_idx[test], next(results)) for _, test in folds]
            if u_idx.size:
                pieces.append((u_idx, output(model, _take(X, u_idx), who)))
            outputs.append(self._assemble(pieces, n))
        return fitted, (outputs if honest is not None else None), rows

    def _folds(self, X, y, l_idx):
        y_l = _as_label_array(y[l_idx])
        cv = check_cv(self.cv, y=y_l, classifier=self._is_classification)
        try:
            folds = list(cv.split(_take(X, l_idx), y_l))
        except ValueError as exc:
            raise ValueError(
                f"{type(self).__name__} cross-fits its teachers on the "
                f"{l_idx.size} labeled rows with cv={self.cv!r}, which failed: "
                f"{exc} Give more labeled rows, a smaller cv, or "
                "method='mean'."
            ) from exc
        folds = _check_cv_folds(
            folds, l_idx.size,
            rows="labeled rows; indices of an iterable cv refer to them in order",
            disjoint=True,
        )
        covered = np.concatenate([test for _, test in folds]) if folds else []
        if len(covered) != l_idx.size or not np.array_equal(
            np.sort(covered), np.arange(l_idx.size)
        ):
            raise ValueError(
                f"cv={self.cv!r} must partition the labeled rows: every labeled "
                "row must be in exactly one test fold so that each teacher's "
                "error on it is measured by a model that did not see it."
            )
        return folds

    def _assemble(self, pieces, n_rows):  # pragma: no cover - abstract
        """One teacher's outputs for every row from ``(rows, outputs)`` pieces."""
        raise NotImplementedError

    def _validate_X(self, X, reset):
        _check_not_1d(X)
        validate_data(self, X, reset=reset, skip_check_array=True)
        return _make_indexable(X)

    def _all_frozen(self):
        return all(isinstance(e, FrozenEstimator) for _, e in self.teachers)

    def _missing_y_error(self):
        return ValueError(
            f"{type(self).__name__} requires y to be passed, but the target y is "
            "None. Mark unlabeled rows in y (y may be omitted only when every "
            "teacher is wrapped in sklearn.frozen.FrozenEstimator)."
        )

    # --------------------------------------------------------------- hooks
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            teacher_tags = [get_tags(est) for _, est in self.teachers]
        except (TypeError, ValueError, AttributeError):
            return tags
        if teacher_tags:
            for name in ("allow_nan", "sparse", "string", "categorical"):
                setattr(
                    tags.input_tags, name,
                    all(getattr(t.input_tags, name) for t in teacher_tags),
                )
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        return tags

    def _sk_visual_block_(self):
        names, ests = zip(*self.teachers, strict=True)
        return _VisualBlock(
            "parallel", list(ests), names=list(names),
            name_details=[str(e) for e in ests],
        )


# ===================================================================== regression
def _regression_output(est, X, who="teacher"):
    return np.asarray(est.predict(X))


class TeacherCommittee(RegressorMixin, _BaseCommittee):
    r"""Several weak regression teachers combined by their estimated reliability.

    A committee is a teacher like any other: it plugs in wherever a teacher
    goes (``WeakToStrongRegressor(TeacherCommittee([...]), student)``) and
    also works alone. It predicts the combination

    .. math::

        \hat y(x) = c + \sum_{a=1}^k w_a f_a(x)

    of its teachers' predictions :math:`f_a(x)`, with weights :math:`w`
    (``weights_``) and intercept :math:`c` (``intercept_``) chosen by
    ``method``:

    - ``"mean"``: :math:`w_a = 1/k`, :math:`c = 0`. Needs no estimate.
    - ``"inverse_variance"``: the minimum-variance combination
      :math:`w = \Sigma^{-1}\mathbf 1 / \mathbf 1^\top\Sigma^{-1}\mathbf 1`
      (Bates & Granger, 1969), where :math:`\Sigma` is the covariance of the
      teachers' errors on the labeled rows, *cross-fitted* (each labeled row's
      error comes from a teacher that did not see it, ``cv``) and shrunk
      towards its diagonal (``shrinkage``; by default the Schäfer–Strimmer
      estimate, which shrinks more when labeled rows are few). Correlated
      errors are accounted for; a teacher whose errors duplicate another's
      can get a negative weight. Each teacher's mean error (its bias) is
      subtracted first: :math:`c = -\sum_a w_a \bar e_a`.
    - ``"label_free"``: no label is used. The error variances come from the
      teachers' predictions alone, by the triplet method (Shin et al., 2022):
      if errors of different teachers are uncorrelated,
      :math:`\operatorname{Var}(f_a - f_b) = \sigma_a^2 + \sigma_b^2`, so any
      three teachers give :math:`\sigma_a^2`; with more teachers the
      equations are solved by least squares and their consistency is tested.
      Then :math:`w_a \propto 1/\sigma_a^2`, :math:`c = 0`. Needs three
      teachers or more. A warning says when the assumption is visibly broken
      (a non-positive variance estimate, or pairwise equations that disagree
      significantly and by more than 10 %); the estimates are then unreliable.
    - ``"stacking"``: non-negative least squares with an intercept of the
      true labels on the cross-fitted predictions of the labeled rows
      (Breiman, 1996); the weights need not sum to 1.
    - ``"auto"``: by the number :math:`n_\ell` of labeled rows and :math:`k`
      of teachers. :math:`n_\ell \geq 50k`: ``"stacking"``;
      :math:`10k \leq n_\ell < 50k`: ``"inverse_variance"``; fewer:
      ``"label_free"`` if :math:`k \geq 4` and the label-free estimate passes
      its independence check (which needs four teachers to have any power),
      otherwise ``"mean"``. The thresholds come from measurements on real
      data (user guide): with fewer than about ten labeled rows per teacher,
      estimated weights did not beat equal ones, and with three real teachers
      the label-free weights did not either (once, within noise). The method
      used is ``method_``.

    Which rows train what: an unfitted teacher is fit (a clone) on every
    labeled row; this ``teachers_`` member makes the predictions. A teacher
    wrapped in :class:`~sklearn.frozen.FrozenEstimator` is used as trained and
    must not have seen the rows passed here. The weights are estimated from
    *honest* predictions, from teachers that did not see the row:
    ``"inverse_variance"`` and ``"stacking"`` measure the errors on the
    labeled rows with the out-of-fold predictions of the unfitted teachers
    (cross-fitted with ``cv``; frozen teachers predict every row as they
    are); ``"label_free"`` ignores the labels and compares the teachers on
    the rows none of them was trained on (the unlabeled rows, or every row
    when all teachers are frozen; when fewer than three rows are unlabeled,
    every row with the out-of-fold predictions of the labeled ones).

    ``predict(X, return_std=True)`` also returns a per-row standard deviation
    of the combination, from how much the teachers disagree on that row (see
    Notes), so that ``WeakToStrongRegressor(committee, student,
    pseudo_label_weights="confidence")`` weights each pseudo-label by the
    committee's confidence.

    Read more in the :ref:`User Guide <teacher_committee>`.

    Parameters
    ----------
    teachers : list of (str, estimator) tuples
        At least two named regressors implementing ``fit`` and ``predict``
        (one prediction per row). Unfitted ones are fit on the labeled rows;
        :class:`~sklearn.frozen.FrozenEstimator` ones are used as they are.
        Names are used as ``name__param`` in ``set_params`` and grid searches.

    method : str, default="auto"
        How the teachers are weighted: ``"auto"``, ``"mean"``,
        ``"inverse_variance"``, ``"label_free"`` or ``"stacking"`` (see
        above).

    cv : int, cross-validation generator, iterable or None, default=5
        The splitting of the labeled rows for the cross-fitted predictions of
        the unfitted teachers, with :func:`~sklearn.model_selection.check_cv`
        semantics (an int is the number of
        :class:`~sklearn.model_selection.KFold` folds, not shuffled: pass
        ``KFold(5, shuffle=True, random_state=0)`` if the rows are ordered).
        Not used by ``"mean"``.

    shrinkage : "auto" or float in [0, 1], default="auto"
        ``"inverse_variance"`` only: :math:`\rho` in
        :math:`\hat\Sigma = (1-\rho) S + \rho \operatorname{diag}(S)`; 1
        ignores the correlations of the errors, 0 uses their sample
        covariance. ``"auto"`` is the Schäfer–Strimmer estimate.

    n_jobs : int, default=None
        Number of jobs fitting the teachers and their cross-fits (joblib).

    Attributes
    ----------
    teachers_ : list of estimators
        The fitted teachers, in the order of ``teachers`` (frozen ones as
        given).

    named_teachers_ : :class:`~sklearn.utils.Bunch`
        The fitted teachers by name.

    method_ : str
        The method used (what ``"auto"`` resolved to).

    weights_ : ndarray of shape (n_teachers,)
        The weight :math:`w_a` of each teacher.

    intercept_ : float
        :math:`c`.

    error_variances_ : ndarray of shape (n_teachers,) or None
        Each teacher's estimated error variance: on the labeled rows
        (cross-fitted) for ``"inverse_variance"`` and ``"stacking"``; from
        the triplet method for ``"label_free"`` (there: the variance of the
        part of each error that the other teachers do not share, clipped to
        the smallest positive estimate). None for ``"mean"``.

    error_covariance_ : ndarray of shape (n_teachers, n_teachers) or None
        The (shrunk) error covariance used for ``"inverse_variance"``; the
        sample covariance for ``"stacking"``; None otherwise.

    shrinkage_ : float or None
        The :math:`\rho` used by ``"inverse_variance"``; None otherwise.

    independence_check_ : :class:`~sklearn.utils.Bunch` or None
        For ``"label_free"`` (and for ``"auto"`` with few labeled rows and
        four teachers or more, whether or not it resolved to
        ``"label_free"``): the raw triplet estimates ``variances`` and their
        standard errors ``se``, the consistency test of the pairwise
        equations (``statistic``, ``df``, ``pvalue``; ``df = 0`` for three
        teachers), ``max_relative_misfit`` and ``passed`` (False when the
        assumption is visibly broken: a warning with
        ``method="label_free"``, equal weights with ``"auto"``). None
        otherwise.

    n_labeled_ : int
        Number of labeled rows in ``y``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    TeacherCommitteeClassifier : The same for classifiers (Dawid–Skene).
    WeakToStrongRegressor : Trains a student on a teacher's (or committee's)
        predictions.
    sklearn.ensemble.StackingRegressor : Stacking with any final estimator.

    Notes
    -----
    **Why two classes.** As :class:`~sklearn.ensemble.VotingRegressor` and
    :class:`~sklearn.ensemble.VotingClassifier`, a committee is a regressor
    or a classifier by its class, so :func:`~sklearn.base.is_classifier`
    answers before ``fit`` (the weak-to-strong estimators and
    :func:`~skw2s.model_selection.compare_w2s` rely on it), and each class
    has only the methods, parameters and fitted attributes that mean
    something for its targets (error variances and ``return_std`` here,
    confusion matrices and ``predict_proba`` there).

    **Per-row spread.** With :math:`g_i` the row's bias-corrected teacher
    predictions, :math:`r_i = g_i - \hat y_i\mathbf 1` and :math:`\Sigma` the
    error covariance of the method (the identity for ``"mean"``), the
    variance returned by ``predict(X, return_std=True)`` is

    .. math::

        v_i = \frac{r_i^\top\Sigma^{-1} r_i / (k-1)}
                   {\mathbf 1^\top\Sigma^{-1}\mathbf 1},

    whose mean is the combination's error variance when errors scale with a
    per-row factor. An error that every teacher shares moves every
    prediction alike and is invisible to it. For ``"stacking"``, whose
    weights need not sum to 1, it is a heuristic (the same formula with the
    sample error covariance of the cross-fitted predictions).

    Out-of-fold predictions come from teachers trained on fewer rows than
    the refit ``teachers_`` that make the predictions, as in stacking: the
    estimated variances are slightly pessimistic. The label-free estimate
    cannot see a teacher's bias (a constant offset), only its variance.

    References
    ----------
    .. [1] J. M. Bates and C. W. J. Granger, "The Combination of Forecasts",
       Operational Research Quarterly 20(4), 1969.
    .. [2] C. Shin, W. Li, H. Vishwakarma, N. Roberts and F. Sala,
       "Universalizing Weak Supervision", ICLR 2022, arXiv:2112.03865.
    .. [3] J. Schäfer and K. Strimmer, "A Shrinkage Approach to Large-Scale
       Covariance Matrix Estimation", Statistical Applications in Genetics and
       Molecular Biology 4(1), 2005.
    .. [4] L. Breiman, "Stacked Regressions", Machine Learning 24, 1996.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.frozen import FrozenEstimator
    >>> from sklearn.linear_model import LinearRegression
    >>> from skw2s import TeacherCommittee
    >>> rng = np.random.default_rng(0)
    >>> y = rng.normal(size=20000)
    >>> X = np.column_stack([y, rng.normal(size=(20000, 3)) * [0.5, 1.0, 2.0]])
    >>> X_old = rng.normal(size=(50, 4))    # rows seen elsewhere
    >>> def trained_elsewhere(j):            # predicts X[:, 0] + X[:, j]
    ...     model = LinearRegression().fit(X_old, X_old[:, 0] + X_old[:, j])
    ...     return FrozenEstimator(model)
    >>> committee = TeacherCommittee(
    ...     [("a", trained_elsewhere(1)), ("b", trained_elsewhere(2)),
    ...      ("c", trained_elsewhere(3))],
    ...     method="label_free").fit(X)      # no label at all
    >>> committee.error_variances_.round(2)  # truth: 0.25, 1, 4
    array([0.28, 0.98, 3.99])
    >>> committee.weights_.round(2)
    array([0.74, 0.21, 0.05])
    """

    _parameter_constraints: dict = {
        **_BaseCommittee._parameter_constraints,
        "method": [StrOptions(
            {"auto", "mean", "inverse_variance", "label_free", "stacking"}
        )],
        "shrinkage": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
    }

    _is_classification = False

    def __init__(self, teachers, *, method="auto", cv=5, shrinkage="auto",
                 n_jobs=None):
        self.teachers = teachers
        self.method = method
        self.cv = cv
        self.shrinkage = shrinkage
        self.n_jobs = n_jobs

    def _resolve_method(self, n_labeled, k):
        """The method to run; ``"auto"`` may resolve to ``"label_free?"``
        (label-free if its check passes, else the mean)."""
        method = self.method
        if method == "auto":
            if n_labeled >= AUTO_STACKING_FROM * k:
                method = "stacking"
            elif n_labeled >= AUTO_INVERSE_VARIANCE_FROM * k:
                method = "inverse_variance"
            else:
                method = "label_free?" if k >= 4 else "mean"
        if method == "label_free" and k < 3:
            raise ValueError(
                f"method='label_free' needs at least three teachers (the triplet "
                f"method compares them in threes); teachers holds {k}. Use "
                "method='inverse_variance' with labeled rows, or 'mean'."
            )
        if method in ("inverse_variance", "stacking") and n_labeled < 2:
            raise ValueError(
                f"method={method!r} estimates the teachers' errors on labeled "
                f"rows, but y has n_samples={n_labeled} labeled rows (at least "
                "2 are needed). Label more rows, or use method='label_free' "
                "(three teachers or more) or 'mean'."
            )
        return method

    def _check_output(self, value, n_rows, who):
        pred = np.asarray(value)
        if pred.ndim == 2 and pred.shape[1] == 1:
            pred = pred[:, 0]
        if pred.shape != (n_rows,):
            raise ValueError(
                f"The {who} of the committee returned predictions of shape "
                f"{pred.shape}; every teacher of a TeacherCommittee must return "
                f"one prediction per row, shape ({n_rows},)."
            )
        try:
            pred = pred.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"The {who} of the committee returned non-numeric predictions "
                f"({pred.dtype}); a TeacherCommittee combines numbers."
            ) from exc
        if not np.all(np.isfinite(pred)):
            raise ValueError(
                f"The {who} of the committee returned NaN or infinite "
                "predictions; they cannot be combined."
            )
        return pred

    def _output(self, est, X, who="teacher"):
        return self._check_output(_regression_output(est, X), _num_samples(X), who)

    def _assemble(self, pieces, n_rows):
        out = np.empty(n_rows)
        for idx, value in pieces:
            out[idx] = value
        return out

    @_fit_context(
        # the teachers are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None):
        """Fit the unfitted teachers on the labeled rows and estimate the weights.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to the teachers as given (row-sliced).

        y : array-like of shape (n_samples,), default=None
            Targets; NaN marks an unlabeled row. May be None (or all NaN) only
            when every teacher is a :class:`~sklearn.frozen.FrozenEstimator`.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        names, ests = self._validate_teachers()
        X = self._validate_X(X, reset=True)
        n = _num_samples(X)
        if y is None:
            if not self._all_frozen():
                raise self._missing_y_error()
            y = np.full(n, np.nan)
        y = _validate_w2s_target(y, n, owner=type(self).__name__)
        labeled = np.isfinite(y)
        k = len(ests)
        self.n_labeled_ = int(labeled.sum())
        method = self._resolve_method(self.n_labeled_, k)
        honest = {"mean": None, "label_free": "unlabeled",
                  "label_free?": "unlabeled"}.get(method, "cross_fit")
        fitted, outputs, rows = self._teacher_outputs(
            X, y, labeled, names, ests, honest=honest, output=self._output,
        )
        self.teachers_ = fitted
        self.named_teachers_ = Bunch(**dict(zip(names, fitted, strict=True)))
        self.method_ = method
        self.error_variances_ = self.error_covariance_ = None
        self.shrinkage_ = self.independence_check_ = None
        self._offsets = np.zeros(k)
        if method == "mean":
            self.weights_ = np.full(k, 1.0 / k)
            self.intercept_ = 0.0
            self._row_cov = np.ones(k)
            return self
        F = np.column_stack(outputs)
        if method in ("label_free", "label_free?"):
            auto = method == "label_free?"
            self._fit_label_free(F, names, warn=not auto)
            if auto and not self.independence_check_.passed:
                self.method_ = "mean"
                self.weights_ = np.full(k, 1.0 / k)
                self.error_variances_ = None
                self._row_cov = np.ones(k)
            else:
                self.method_ = "label_free"
        else:
            E = F[labeled] - y[labeled][:, None]
            if method == "inverse_variance":
                cov, bias, rho = shrunk_error_covariance(E, self.shrinkage)
                self.weights_ = min_variance_weights(cov)
                self.intercept_ = float(-self.weights_ @ bias)
                self.shrinkage_ = rho
            else:  # stacking
                self.weights_, self.intercept_ = nonnegative_stacking(
                    F[labeled], y[labeled]
                )
                cov, bias, _ = shrunk_error_covariance(E, 0.0)
            self._offsets = bias
            self.error_covariance_ = cov
            self.error_variances_ = np.diag(cov).copy()
            self._row_cov = cov
        return self

    def _fit_label_free(self, F, names, warn=True):
        if F.shape[0] < 3:
            raise ValueError(
                "method='label_free' estimates error variances from the "
                "teachers' predictions on rows that no teacher was trained on "
                "(the unlabeled rows, or every row if all teachers are "
                f"frozen); there are {F.shape[0]}. Pass more unlabeled rows."
            )
        trip = triplet_error_variances(F)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(trip.misfit) / trip.pair_variances
        max_rel = float(np.nanmax(rel)) if rel.size else 0.0
        problems = []
        bad = np.flatnonzero(trip.variances <= 0)
        if bad.size:
            listed = ", ".join(
                f"{names[a]!r} ({trip.variances[a]:.3g})" for a in bad
            )
            problems.append(
                f"the error variance of teacher(s) {listed} is estimated "
                "non-positive (raised to the smallest positive estimate)"
            )
        if trip.df > 0 and trip.pvalue < INDEPENDENCE_ALPHA and (
            max_rel > INDEPENDENCE_MISFIT
        ):
            problems.append(
                "the pairwise equations Var(f_a - f_b) = s_a^2 + s_b^2 disagree "
                f"(misfit up to {max_rel:.0%} of a pair's variance, p = "
                f"{trip.pvalue:.2g})"
            )
        if problems and warn:
            warnings.warn(
                "TeacherCommittee(method='label_free') assumes that the "
                "teachers' errors are uncorrelated, and the data say "
                f"otherwise: {'; and '.join(problems)}. The weights are "
                "unreliable: label some rows and use "
                "method='inverse_variance', or drop teachers that share "
                "their errors (e.g. trained on the same features).",
                UserWarning,
                stacklevel=3,
            )
        variances = clip_variances(trip.variances)
        self.independence_check_ = Bunch(
            variances=trip.variances, se=trip.se, statistic=trip.statistic,
            df=trip.df, pvalue=trip.pvalue, max_relative_misfit=max_rel,
            passed=not problems,
        )
        self.error_variances_ = variances
        self.weights_ = min_variance_weights(variances)
        self.intercept_ = 0.0
        self._row_cov = variances

    def _teacher_matrix(self, X):
        return np.column_stack([
            self._output(est, X, f"teacher {name!r}")
            for (name, _), est in zip(self.teachers, self.teachers_, strict=True)
        ])

    def predict(self, X, return_std=False):
        """Predict with the weighted combination of the teachers.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the teachers as given.

        return_std : bool, default=False
            Whether to also return the per-row standard deviation of the
            combination (from the teachers' disagreement on the row; see
            Notes).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The committee's predictions.

        y_std : ndarray of shape (n_samples,)
            The per-row standard deviations. Only returned if ``return_std``
            is True.
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        F = self._teacher_matrix(X)
        pred = self.intercept_ + F @ self.weights_
        if not return_std:
            return pred
        var = row_variances(F - self._offsets, pred, self._row_cov)
        return pred, np.sqrt(var)


# ================================================================ classification
class TeacherCommitteeClassifier(ClassifierMixin, _BaseCommittee):
    r"""Several weak classification teachers combined by their estimated reliability.

    A committee is a teacher like any other: it plugs in wherever a teacher
    goes (``WeakToStrongClassifier(TeacherCommitteeClassifier([...]),
    student)``) and also works alone. ``predict_proba`` is the combination's
    class probabilities (what soft pseudo-labels and
    ``pseudo_label_weights="confidence"`` read), ``predict`` their argmax.
    ``method`` chooses the combination:

    - ``"mean"``: the average of the teachers' probabilities (a teacher
      without ``predict_proba`` contributes its one-hot label).
    - ``"dawid_skene"``: each teacher :math:`a` is described by a confusion
      matrix :math:`\pi_a[j, l]`, the probability that it says :math:`l` when
      the class is :math:`j`; teachers err independently given the class.
      The matrices and the class prior :math:`p` are estimated by EM from
      the teachers' labels (Dawid & Skene, 1979), with no labeled row at all
      (three teachers or more) or with labeled rows, whose true class is then
      held fixed and anchors the EM. A row's probabilities are the posterior
      :math:`P(j \mid \text{labels}) \propto p_j \prod_a \pi_a[j, l_a]`.
    - ``"stacking"``: a weighted average of the teachers' probabilities
      with simplex weights that maximize the likelihood of the true labels of
      the labeled rows under their cross-fitted probabilities (a linear
      opinion pool).
    - ``"auto"``: with no labeled row, ``"dawid_skene"`` (three teachers or
      more; ``"mean"`` with two); with fewer than :math:`50k` labeled rows
      (:math:`k` teachers), ``"mean"``; from :math:`50k` on, ``"stacking"``.
      On two real data sets (user guide), Dawid–Skene and the pool lost to
      the plain mean of the probabilities with 30 to 100 labeled rows. The
      method used is ``method_``.

    Which rows train what: unfitted teachers are fit (clones) on every
    labeled row (``-1``, NaN or None mark unlabeled rows); these
    ``teachers_`` make the predictions. A
    :class:`~sklearn.frozen.FrozenEstimator` teacher is used as trained and
    must not have seen the rows passed here. The reliabilities are estimated
    from honest outputs: a frozen teacher's on every row, an unfitted
    teacher's on the unlabeled rows and, under ``cv``, out-of-fold on the
    labeled rows.

    Read more in the :ref:`User Guide <teacher_committee>`.

    Parameters
    ----------
    teachers : list of (str, estimator) tuples
        At least two named classifiers implementing ``fit`` and ``predict``
        (``predict_proba`` is used where present). Unfitted ones are fit on
        the labeled rows; :class:`~sklearn.frozen.FrozenEstimator` ones are
        used as they are.

    method : {"auto", "mean", "dawid_skene", "stacking"}, default="auto"
        How the teachers are combined (see above).

    cv : int, cross-validation generator, iterable or None, default=5
        The splitting of the labeled rows for the out-of-fold outputs of the
        unfitted teachers (an int is the number of
        :class:`~sklearn.model_selection.StratifiedKFold` folds). Not used by
        ``"mean"``.

    max_iter : int, default=100
        Maximum number of EM iterations (of Dawid–Skene, or of the pool
        weights for ``"stacking"``).

    tol : float, default=1e-6
        EM stops when the log-likelihood per row (Dawid–Skene) improves by
        less than ``tol``, or when no pool weight (``"stacking"``) changes by
        more than ``tol``.

    n_jobs : int, default=None
        Number of jobs fitting the teachers and their cross-fits (joblib).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels: those of the labeled rows together with the
        classes of the frozen teachers, sorted.

    teachers_ : list of estimators
        The fitted teachers, in the order of ``teachers``.

    named_teachers_ : :class:`~sklearn.utils.Bunch`
        The fitted teachers by name.

    method_ : str
        The method used (what ``"auto"`` resolved to).

    weights_ : ndarray of shape (n_teachers,)
        Each teacher's share of the combination: ``1/k`` for ``"mean"``, the
        pool weights for ``"stacking"``, and for ``"dawid_skene"`` each
        teacher's mutual information with the class under the fitted model,
        normalized to sum to 1 (0 for a teacher whose label says nothing
        about the class).

    confusion_matrices_ : ndarray of shape (n_teachers, n_classes, n_classes) or None
        ``confusion_matrices_[a, j, l]``: the estimated probability that
        teacher ``a`` says class ``l`` when the class is ``j`` (rows sum to
        1). From EM for ``"dawid_skene"``; counted on the cross-fitted labels
        of the labeled rows for ``"stacking"``; None for ``"mean"``.

    class_prior_ : ndarray of shape (n_classes,) or None
        ``"dawid_skene"``: the estimated class probabilities; None otherwise.

    n_iter_ : int
        The number of EM iterations run (Dawid–Skene, or the pool weights of
        ``"stacking"``); 0 for ``"mean"``.

    n_labeled_ : int
        Number of labeled rows in ``y``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    TeacherCommittee : The same for regression (and why there are two
        classes).
    WeakToStrongClassifier : Trains a student on a teacher's (or
        committee's) labels or probabilities.
    sklearn.ensemble.VotingClassifier : Fixed-weight voting of fitted models.

    Notes
    -----
    Dawid–Skene uses the teachers' hard labels (``predict``); the
    probabilities it outputs are the posterior under its model, which is
    overconfident when the teachers' errors are correlated given the class.
    Without labeled rows the classes are identified only if the teachers
    are better than chance on the whole (EM starts from their vote shares);
    a labeled row pins them down. EM stops at a local maximum; a
    :class:`~sklearn.exceptions.ConvergenceWarning` says when ``max_iter``
    was reached first.

    References
    ----------
    .. [1] A. P. Dawid and A. M. Skene, "Maximum Likelihood Estimation of
       Observer Error-Rates Using the EM Algorithm", Journal of the Royal
       Statistical Society C 28(1), 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skw2s import TeacherCommitteeClassifier
    >>> from skw2s.datasets import make_w2s_classification
    >>> X, y = make_w2s_classification(n_samples=600, n_features=6,
    ...                                random_state=0)
    >>> y_train = y.copy()
    >>> y_train[100:] = -1                  # 100 labeled rows
    >>> committee = TeacherCommitteeClassifier(
    ...     [("logistic", LogisticRegression()), ("nb", GaussianNB()),
    ...      ("tree", DecisionTreeClassifier(max_depth=2, random_state=0))],
    ...     method="dawid_skene",
    ... ).fit(X, y_train)
    >>> committee.confusion_matrices_.shape
    (3, 2, 2)
    >>> committee.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **_BaseCommittee._parameter_constraints,
        "method": [StrOptions({"auto", "mean", "dawid_skene", "stacking"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    _is_classification = True

    def __init__(self, teachers, *, method="auto", cv=5, max_iter=100, tol=1e-6,
                 n_jobs=None):
        self.teachers = teachers
        self.method = method
        self.cv = cv
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs

    def _resolve_method(self, n_labeled, k):
        method = self.method
        if method == "auto":
            if n_labeled == 0:
                method = "dawid_skene" if k >= 3 else "mean"
            elif n_labeled >= AUTO_STACKING_FROM * k:
                method = "stacking"
            else:
                method = "mean"
        if method == "dawid_skene" and n_labeled == 0 and k < 3:
            raise ValueError(
                "method='dawid_skene' without labeled rows needs at least three "
                f"teachers to identify their confusion matrices; teachers holds "
                f"{k}. Label some rows (they anchor the EM) or use method='mean'."
            )
        if method == "stacking" and n_labeled < 2:
            raise ValueError(
                "method='stacking' fits the pool weights on labeled rows, but y "
                f"has n_samples={n_labeled} labeled rows (at least 2 are "
                "needed). Label more rows, or use method='dawid_skene'."
            )
        return method

    # ----------------------------------------------------------- targets
    def _classes(self, y, labeled, names, ests):
        """``classes_`` from the labeled rows and the frozen teachers' classes."""
        sources = []
        if labeled.any():
            sources.append(("the labeled rows of y", _as_label_array(y[labeled])))
        for name, est in zip(names, ests, strict=True):
            if isinstance(est, FrozenEstimator) and hasattr(est, "classes_"):
                sources.append((f"teachers[{name!r}]", np.asarray(est.classes_)))
        if not sources:
            raise ValueError(
                "The classes are unknown: y has no labeled rows and no teacher "
                "has classes_. Label some rows."
            )

        def kind(values):
            if values.dtype.kind in "iufb":
                return "numeric"
            if values.dtype.kind == "O" and all(
                isinstance(v, Real) and not isinstance(v, bool)
                for v in values.tolist()
            ):
                return "numeric"
            return "string"

        first_name, first = sources[0]
        for name, values in sources[1:]:
            if kind(values) != kind(first):
                raise ValueError(
                    f"{name} has {kind(values)} classes {values.tolist()[:5]} but "
                    f"{first_name} has {kind(first)} classes "
                    f"{first.tolist()[:5]}; every teacher of a "
                    "TeacherCommitteeClassifier must predict the same kind of "
                    "labels as y."
                )
        classes = np.unique(np.concatenate([_as_label_array(v) for _, v in sources]))
        if classes.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes; the labeled "
                f"rows and the frozen teachers know only one class, "
                f"{classes.tolist()}."
            )
        return classes

    def _assemble(self, pieces, n_rows):
        labels = np.empty(n_rows, dtype=np.intp)
        proba = np.empty((n_rows, self.classes_.size))
        for idx, (lab, prob) in pieces:
            labels[idx] = lab
            proba[idx] = prob
        return labels, proba

    def _output(self, est, X, who="teacher"):
        """``(labels, proba)``: class indices and probabilities over ``classes_``."""
        n_rows = _num_samples(X)
        pred = np.asarray(est.predict(X))
        if pred.ndim == 2 and pred.shape[1] == 1:
            pred = pred[:, 0]
        if pred.shape != (n_rows,):
            raise ValueError(
                f"The {who} of the committee returned predictions of shape "
                f"{pred.shape}; every teacher of a TeacherCommitteeClassifier "
                f"must return one label per row, shape ({n_rows},)."
            )
        labels = _class_indices(_as_label_array(pred), self.classes_,
                                f"{who} of the committee")
        if hasattr(est, "predict_proba"):
            proba = _align_columns(
                est.predict_proba(X), getattr(est, "classes_", None),
                self.classes_, f"{who} of the committee",
            )
        else:
            proba = _one_hot(labels, self.classes_.size)
        return labels, proba

    @_fit_context(
        # the teachers are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y=None):
        """Fit the unfitted teachers on the labeled rows and estimate their reliability.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to the teachers as given (row-sliced).

        y : array-like of shape (n_samples,), default=None
            Labels; ``-1``, NaN (float ``y``) or None (object ``y``) marks an
            unlabeled row. May be None only when every teacher is a
            :class:`~sklearn.frozen.FrozenEstimator`.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        names, ests = self._validate_teachers()
        X = self._validate_X(X, reset=True)
        n = _num_samples(X)
        if y is None:
            if not self._all_frozen():
                raise self._missing_y_error()
            y = np.full(n, None, dtype=object)
        y = column_or_1d(np.asarray(y), warn=True)
        if y.shape[0] != n:
            raise ValueError(
                f"X and y have inconsistent numbers of samples: X has {n}, y has "
                f"{y.shape[0]}."
            )
        labeled = ~_unlabeled_mask(y)
        if labeled.any():
            check_classification_targets(_as_label_array(y[labeled]))
        self.classes_ = self._classes(y, labeled, names, ests)
        k = len(ests)
        self.n_labeled_ = int(labeled.sum())
        method = self._resolve_method(self.n_labeled_, k)
        fitted, outputs, _ = self._teacher_outputs(
            X, y, labeled, names, ests,
            honest=None if method == "mean" else "cross_fit", output=self._output,
        )
        self.teachers_ = fitted
        self.named_teachers_ = Bunch(**dict(zip(names, fitted, strict=True)))
        self.method_ = method
        self.confusion_matrices_ = self.class_prior_ = None
        self.n_iter_ = 0
        n_classes = self.classes_.size
        if method == "mean":
            self.weights_ = np.full(k, 1.0 / k)
            return self
        L = np.column_stack([labels for labels, _ in outputs])
        y_idx = np.full(n, -1, dtype=np.intp)
        if labeled.any():
            y_idx[labeled] = _class_indices(
                _as_label_array(y[labeled]), self.classes_, "y"
            )
        if method == "dawid_skene":
            res = dawid_skene(
                L, n_classes, anchor=y_idx, max_iter=self.max_iter, tol=self.tol
            )
            if not res.converged:
                warnings.warn(
                    f"Dawid-Skene EM reached max_iter={self.max_iter} before "
                    f"the log-likelihood settled (tol={self.tol}); increase "
                    "max_iter.",
                    ConvergenceWarning,
                    stacklevel=2,
                )
            self.confusion_matrices_ = res.confusion
            self.class_prior_ = res.prior
            self.n_iter_ = int(res.n_iter)
            self.weights_ = informativeness_weights(res.confusion, res.prior)
        else:  # stacking
            P = np.stack([proba[labeled] for _, proba in outputs])
            self.weights_, self.n_iter_ = linear_pool_weights(
                P, y_idx[labeled], max_iter=self.max_iter, tol=self.tol
            )
            truth = _one_hot(y_idx[labeled], n_classes)
            counts = np.stack([
                truth.T @ _one_hot(L[labeled, a], n_classes) for a in range(k)
            ]) + DS_PSEUDO_COUNT
            self.confusion_matrices_ = counts / counts.sum(axis=2, keepdims=True)
        return self

    def predict_proba(self, X):
        """Class probabilities of the combination, one column per class of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the teachers as given.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The committee's class probabilities.
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        outputs = [
            self._output(est, X, f"teacher {name!r}")
            for (name, _), est in zip(self.teachers, self.teachers_, strict=True)
        ]
        if self.method_ == "dawid_skene":
            L = np.column_stack([labels for labels, _ in outputs])
            return dawid_skene_posterior(
                L, self.confusion_matrices_, self.class_prior_
            )
        return sum(w * proba for w, (_, proba) in
                   zip(self.weights_, outputs, strict=True))

    def predict(self, X):
        """Predict the class of largest combined probability.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples, passed to the teachers as given.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The committee's labels.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

