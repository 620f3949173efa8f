"""Ridge regression with a structured penalty ``alpha * b' Gamma b``."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import (
    _check_feature_names,
    _check_n_features,
    _check_sample_weight,
    check_is_fitted,
    check_X_y,
    validate_data,
)

from ._ridge_solvers import _check_penalty_weights, _RidgePath, solve_weighted_ridge
from ._sufficient_stats import (
    _GramPath,
    _SufficientStats,
    chunk_stats,
    dask_stats,
    is_dask_array,
    merge_stats,
    solve_from_stats,
)
from ._validation import (
    _DOC_LINK_TEMPLATE,
    _check_alpha,
    _check_alphas,
    _check_weight_sum,
)


class WeightedRidge(RegressorMixin, BaseEstimator):
    r"""Ridge regression with a structured quadratic penalty.

    Minimizes the sample-weighted squared loss plus a quadratic penalty with
    matrix :math:`\Gamma` (the intercept is not penalized):

    .. math::

        \min_{w_0, w} \; \sum_{i=1}^{n} s_i \, (y_i - w_0 - x_i^\top w)^2
        + \alpha \, w^\top \Gamma \, w .

    With ``penalty_weights=None`` (:math:`\Gamma = I`) this is
    :class:`sklearn.linear_model.Ridge`. A diagonal :math:`\Gamma` penalizes
    each coefficient with its own weight (a zero weight leaves it
    unpenalized); a full positive semi-definite :math:`\Gamma` aligns the
    penalty with any basis, e.g. the prior covariance of the target's
    coefficients (:math:`\Gamma = B^{-1}` is the Bayes-optimal choice for a
    Gaussian prior :math:`w \sim N(0, B)`).

    Parameters
    ----------
    alpha : float, default=1.0
        Regularization strength, a finite non-negative float. Same units as
        :class:`~sklearn.linear_model.Ridge`: it multiplies the penalty against
        the unnormalized (summed) squared loss. ``alpha=0`` gives the
        minimum-norm least-squares solution in the :math:`\Gamma` metric (the
        limit :math:`\alpha \to 0^+`), e.g. the minimum-norm interpolator when
        ``n_samples < n_features``.

    penalty_weights : array-like, default=None
        The penalty matrix :math:`\Gamma`, of shape ``(n_features,)`` (diagonal)
        or ``(n_features, n_features)``. ``None`` is the identity; a 1-D
        array of non-negative weights is a diagonal :math:`\Gamma`; a 2-D array
        must be symmetric positive semi-definite. If :math:`\Gamma` is singular,
        the solution exists and is unique only if ``X`` (centered when
        ``fit_intercept=True``) has full column rank on the null space of
        :math:`\Gamma`; otherwise :meth:`fit` raises a ``ValueError``.

    fit_intercept : bool, default=True
        Whether to fit an unpenalized intercept (``X`` and ``y`` are centered
        with the sample weights).

    solver : {"auto", "cholesky", "dual", "svd", "eigen"}, default="auto"
        - ``"cholesky"``: primal normal equations
          :math:`(X^\top S X + \alpha\Gamma) w = X^\top S y` by Cholesky.
          Cheapest when ``n_samples >= n_features`` and for a full
          :math:`\Gamma`.
        - ``"dual"``: kernel form
          :math:`w = T Z^\top (Z Z^\top + \alpha I)^{-1} y` with
          :math:`Z = X T`, :math:`T^\top \Gamma T = I`; an
          ``n_samples x n_samples`` system, cheapest when
          ``n_samples < n_features`` and :math:`\Gamma` is diagonal.
        - ``"svd"``: singular value decomposition of :math:`Z`; the most
          accurate, and the default for ``alpha=0``.
        - ``"eigen"``: eigendecomposition of the smaller Gram matrix of
          :math:`Z`; the solver behind :func:`weighted_ridge_path`.
        - ``"auto"``: ``"svd"`` if ``alpha == 0``, else ``"cholesky"`` for a
          full :math:`\Gamma` or ``n_samples >= n_features``, else ``"dual"``.

        ``"cholesky"`` and ``"dual"`` fall back to ``"svd"`` when their system
        is singular or numerically singular (reciprocal condition number below
        ``n * eps`` after an exact equilibration by powers of two, so that
        columns on different scales do not count as singular); ``solver_``
        then reads ``"svd"``. ``"eigen"`` switches
        to ``"svd"`` when ``alpha`` is below the rounding of the Gram matrix
        (``sqrt(eps)`` times its largest eigenvalue, e.g. ``alpha=0`` on
        ill-conditioned data).

        Whatever ``solver``, a :math:`\Gamma` whose positive eigenvalues span
        more than a factor ``1e6`` is solved in the original coordinates by
        least squares on :math:`[X; \sqrt{\alpha}\,\Gamma^{1/2}]` with
        equilibrated columns (``solver_`` reads ``"lstsq"``): the
        reparametrization :math:`Z = X T` would carry that spread into a Gram
        matrix and lose the directions with extreme weights. Data whose largest
        entry is beyond ``1e100`` (or below ``1e-100``) are rescaled internally
        by a power of two (exact), since ridge squares the data.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients :math:`w`.

    intercept_ : float or ndarray of shape (n_targets,)
        Intercept :math:`w_0`; ``0.0`` if ``fit_intercept=False``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings.

    solver_ : str
        The solver that computed the coefficients (``"cholesky"``, ``"dual"``,
        ``"svd"``, ``"eigen"`` or ``"lstsq"``).

    sufficient_stats_ : object
        The accumulated sufficient statistics (total weight, weighted means
        and centered co-moments, in float64) of every row seen: those of
        :meth:`fit` and of the :meth:`partial_fit` calls after it (for
        ``n_samples < n_features`` a fit keeps its centered weighted rows
        instead of the ``n_features x n_features`` co-moment). After
        :meth:`partial_fit` or :meth:`fit` on a Dask array, ``coef_`` and
        ``intercept_`` are solved from it on access, with the current
        parameters; :meth:`path_from_stats` uses it.

    See Also
    --------
    sklearn.linear_model.Ridge : The identity-penalty special case.
    weighted_ridge_path : Coefficients for many alphas from one decomposition.

    Notes
    -----
    After weighted centering and scaling the rows by :math:`\sqrt{s_i}`, the
    problem is solved through the reparametrization :math:`w = T c + V_0 u`
    where :math:`T` spans the range of :math:`\Gamma` with
    :math:`T^\top \Gamma T = I` (:math:`T = \Gamma^{-1/2}` for a diagonal
    :math:`\Gamma`, :math:`L^{-\top}` with :math:`\Gamma = L L^\top` for a
    definite one) and :math:`V_0` spans its null space. The unpenalized
    coordinates :math:`u` are projected out like an intercept and recovered by
    least squares. The primal Cholesky solver needs none of this: it forms
    :math:`X^\top S X + \alpha \Gamma` directly.

    ``float32`` input is kept in ``float32`` by :meth:`fit`.

    **Streaming and Dask.** :meth:`partial_fit` accumulates the sufficient
    statistics of each chunk (weighted means and centered co-moments, merged
    with Chan et al.'s pairwise update, always in float64) and solves from the
    ``n_features x n_features`` Gram matrix; after any sequence of chunks the
    model equals :meth:`fit` on their concatenation up to rounding, and
    :meth:`partial_fit` after :meth:`fit` continues from the rows of the fit
    (like :class:`~sklearn.preprocessing.StandardScaler`). ``alpha``,
    ``penalty_weights``, ``fit_intercept`` and ``solver`` may be changed
    afterwards (the statistics do not depend on them): ``coef_`` and
    ``intercept_`` are solved on first access with the parameters then in
    force, and :meth:`path_from_stats` gives a whole regularization path.
    :meth:`fit` on a ``dask.array`` computes the same statistics blockwise on
    the cluster. Solving from statistics uses ``"cholesky"``
    (``solver="auto"`` with ``alpha > 0``) on the Gram matrix equilibrated
    by powers of two (exact), so columns on very different scales are solved
    as accurately as by :meth:`fit`; ``"eigen"`` (``"svd"``, ``"dual"``,
    ``alpha=0`` and systems singular even after equilibration) runs the
    in-memory eigendecomposition path on a square root of the Gram matrix. It
    squares the condition number of the design, so for nearly collinear
    features in-memory :meth:`fit` with ``solver="svd"`` is more accurate.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s import WeightedRidge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 3))
    >>> y = X @ np.array([1.0, 0.0, -2.0]) + 0.1 * rng.standard_normal(50)
    >>> reg = WeightedRidge(alpha=1.0, penalty_weights=[1.0, 10.0, 0.0]).fit(X, y)
    >>> reg.coef_.round(2)
    array([ 1.  , -0.01, -1.99])
    >>> reg.solver_
    'cholesky'
    >>> reg.predict(X[:2]).shape
    (2,)
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "penalty_weights": ["array-like", None],
        "fit_intercept": ["boolean"],
        "solver": [StrOptions({"auto", "cholesky", "dual", "svd", "eigen"})],
    }

    def __init__(
        self, alpha=1.0, *, penalty_weights=None, fit_intercept=True, solver="auto"
    ):
        self.alpha = alpha
        self.penalty_weights = penalty_weights
        self.fit_intercept = fit_intercept
        self.solver = solver

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the weighted ridge model.

        Parameters
        ----------
        X : {array-like, dask array} of shape (n_samples, n_features)
            Training data. A ``dask.array`` (with ``y`` and ``sample_weight``
            NumPy or Dask arrays) is fit from its sufficient statistics,
            computed blockwise where the blocks live: only
            ``n_features x n_features`` results reach the client (needs
            ``skw2s[dask]``; see the "Scaling out" user guide).

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.

        sample_weight : float or array-like of shape (n_samples,), default=None
            Non-negative individual weights for each sample.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        alpha = _check_alpha(self.alpha)
        if is_dask_array(X):
            return self._fit_dask(X, y, sample_weight)
        X, y = validate_data(
            self,
            X,
            y,
            dtype=[np.float64, np.float32],
            multi_output=True,
            y_numeric=True,
        )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
            _check_weight_sum(sample_weight)
        penalty = _check_penalty_weights(self.penalty_weights, X.shape[1], X.dtype)
        moments = []
        coef, intercept, solver = solve_weighted_ridge(
            X, y, alpha, penalty, sample_weight, self.fit_intercept, self.solver,
            moments=moments,
        )
        if moments:  # formed by the solver itself
            n, W, X_mean, y_mean, XX, Xy, yy, rows = moments[0]
            stats = _SufficientStats(n, W, X_mean, y_mean, XX, Xy, yy, rows=rows)
        else:
            with np.errstate(over="ignore", invalid="ignore"):
                stats = chunk_stats(X, y, sample_weight, rows=True)
        stats.y_1d = y.ndim == 1
        for name in ("_stats_solution", "sufficient_stats_", "_stats_overflow"):
            self.__dict__.pop(name, None)
        if all(np.isfinite(a).all() for a in (stats.X_mean, stats.y_mean, stats.Xy,
                                               stats.yy)) and (
            stats.rows is not None or np.isfinite(stats.XX).all()
        ):
            # the statistics of these rows: a later partial_fit continues
            self.sufficient_stats_ = stats
        else:
            # data beyond ~1e154 (the squares overflow): fit rescales them,
            # the float64 statistics cannot hold them
            self._stats_overflow = True
        self.coef_ = coef
        self.intercept_ = intercept
        self.solver_ = solver
        return self

    def _fit_dask(self, X, y, sample_weight):
        """``fit`` on a Dask array: statistics blockwise, solved on access."""
        _check_n_features(self, X, reset=True)
        _check_feature_names(self, X, reset=True)
        if y is None:
            raise ValueError("WeightedRidge requires y to be passed, but y is None.")
        stats = dask_stats(X, y, sample_weight)
        stats.y_1d = getattr(y, "ndim", 1) == 1
        self._set_stats(stats)
        self._solution()  # surface a non-unique solution now
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Accumulate one chunk of rows; the model is solved when first used.

        The first call starts a new accumulation; later calls add to it, and
        so does a call after :meth:`fit` (whose rows' statistics are kept), so
        the model keeps training on every row it has seen. Each call costs one
        ``n_features x n_features`` product of the chunk. The coefficients are
        solved from the statistics when ``coef_``, ``intercept_``,
        ``solver_`` or :meth:`predict` are first used, with the parameters
        (``alpha``, ``penalty_weights``, ``fit_intercept``, ``solver``) in
        force at that time, and solved again if those change. After any
        sequence of chunks they equal those of :meth:`fit` on the concatenated
        chunks (up to rounding).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One chunk of training data (``float32`` chunks are accumulated in
            ``float64``).

        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values of the chunk; must be finite (NaN is an error here,
            not an unlabeled row).

        sample_weight : float or array-like of shape (n_samples,), default=None
            Non-negative weights of the chunk's rows.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if self.__dict__.get("_stats_overflow"):
            raise ValueError(
                "partial_fit cannot continue this fit: the squares of its X or "
                "y overflow float64 (entries beyond about 1e154), so their "
                "sufficient statistics could not be kept. Rescale X and y (e.g. "
                "with sklearn.preprocessing.StandardScaler) before fit and "
                "partial_fit."
            )
        first = "sufficient_stats_" not in self.__dict__
        X, y = validate_data(
            self,
            X,
            y,
            reset=first,
            dtype=[np.float64, np.float32],
            multi_output=True,
            y_numeric=True,
        )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
        stats = chunk_stats(X, y, sample_weight)
        stats.y_1d = y.ndim == 1
        if not first:
            prev = self.sufficient_stats_
            if stats.n_targets != prev.n_targets:
                raise ValueError(
                    f"y has {stats.n_targets} target(s) but the previous chunks "
                    f"had {prev.n_targets}; every chunk must have the same "
                    "number of targets."
                )
            stats = merge_stats(prev, stats)
            stats.y_1d = prev.y_1d
        self._set_stats(stats)
        return self

    def _set_stats(self, stats):
        """Store the statistics; the coefficients become solved on access."""
        for name in ("coef_", "intercept_", "solver_", "_stats_solution"):
            self.__dict__.pop(name, None)
        self.sufficient_stats_ = stats

    def _solution(self):
        """``{"coef_", "intercept_", "solver_"}`` from the statistics (cached)."""
        stats = self.__dict__["sufficient_stats_"]
        key = (
            stats,
            float(self.alpha),
            self.penalty_weights,
            self.fit_intercept,
            self.solver,
        )
        cached = self.__dict__.get("_stats_solution")
        if cached is not None and all(
            a is b or (type(a) is not np.ndarray and a == b)
            for a, b in zip(cached[0], key, strict=True)
        ):
            return cached[1]
        alpha = _check_alpha(self.alpha)
        coef, intercept, solver = solve_from_stats(
            stats, alpha, self.penalty_weights, self.fit_intercept, self.solver
        )
        if stats.y_1d:
            coef, intercept = coef[0], float(intercept[0])
        result = {"coef_": coef, "intercept_": intercept, "solver_": solver}
        self.__dict__["_stats_solution"] = (key, result)
        return result

    def __getattr__(self, name):
        # coefficients of a model fit from sufficient statistics are solved on
        # first access, with the parameters in force then
        if name in ("coef_", "intercept_", "solver_"):
            if "sufficient_stats_" in self.__dict__:
                return self._solution()[name]
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}"
        )

    def path_from_stats(self, alphas):
        """Compute coefficients for many alphas from the accumulated statistics.

        Each alpha is solved by a Cholesky factorization of the
        ``n_features x n_features`` Gram matrix plus its penalty, equilibrated
        by powers of two (exact: a column on another scale than the others
        costs no accuracy); a system singular even then (e.g. ``alpha=0`` on
        rank-deficient data) by the eigendecomposition path of
        :func:`weighted_ridge_path` on a square root of the Gram matrix. Uses
        the current ``penalty_weights`` and ``fit_intercept``; after
        :meth:`fit`, the statistics of its rows.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            Finite non-negative regularization strengths.

        Returns
        -------
        coefs : ndarray
            Of shape ``(n_alphas, n_features)`` for 1-D ``y``, else
            ``(n_alphas, n_targets, n_features)``.

        intercepts : ndarray of shape (n_alphas,) or (n_alphas, n_targets)
            Intercepts for each alpha.
        """
        check_is_fitted(self, "sufficient_stats_")
        alphas = _check_alphas(alphas)
        path = _GramPath(
            self.sufficient_stats_, self.penalty_weights, self.fit_intercept
        )
        coefs, intercepts = path.coefs(alphas)
        if self.sufficient_stats_.y_1d:
            coefs, intercepts = coefs[:, 0], intercepts[:, 0]
        return coefs, intercepts

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return X @ self.coef_.T + self.intercept_

    def _ridge_path_spec(self):
        """Keyword arguments of the ridge path that ``alpha`` moves along.

        Declares that this student can be tuned along one regularization path
        (one decomposition per fold, :class:`WeakToStrongRegressorCV`).
        """
        return {
            "penalty_weights": self.penalty_weights,
            "fit_intercept": self.fit_intercept,
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "alphas": ["array-like"],
        "penalty_weights": ["array-like", None],
        "sample_weight": ["array-like", Real, None],
        "fit_intercept": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def weighted_ridge_path(
    X, y, alphas, *, penalty_weights=None, sample_weight=None, fit_intercept=True
):
    r"""Weighted ridge coefficients for many alphas from one decomposition.

    For each ``alpha`` in ``alphas``, the solution of
    :class:`WeightedRidge` with the same ``penalty_weights``,
    ``sample_weight`` and ``fit_intercept``:

    .. math::

        \min_{w_0, w} \; \sum_{i} s_i (y_i - w_0 - x_i^\top w)^2
        + \alpha \, w^\top \Gamma w .

    One eigendecomposition of the smaller Gram matrix of the transformed design
    (``n_features x n_features`` or ``n_samples x n_samples``) serves every
    alpha; each further alpha costs ``O(n_features * min(n_samples,
    n_features))``. Two cases are solved differently, for accuracy: a
    ``penalty_weights`` whose positive weights span more than a factor ``1e6``
    is solved per alpha in the original coordinates (as
    :class:`WeightedRidge` does, ``solver_ == "lstsq"``), and alphas below the
    rounding of the Gram matrix (e.g. ``0`` on ill-conditioned data) use the
    SVD of the transformed design.

    Parameters
    ----------
    X : {array-like, dask array} of shape (n_samples, n_features)
        Training data. For a ``dask.array`` the Gram matrix is computed
        blockwise on the cluster and the path comes from its
        eigendecomposition (``skw2s[dask]``).

    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target values.

    alphas : array-like of shape (n_alphas,)
        Finite non-negative regularization strengths (scikit-learn units).
        ``0`` gives the minimum-norm solution in the :math:`\Gamma` metric.

    penalty_weights : array-like, default=None
        The penalty matrix :math:`\Gamma`, of shape ``(n_features,)`` (diagonal)
        or ``(n_features, n_features)``, as in :class:`WeightedRidge`.

    sample_weight : float or array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    fit_intercept : bool, default=True
        Whether to fit an unpenalized intercept.

    Returns
    -------
    coefs : ndarray
        Coefficients for each alpha, of shape ``(n_alphas, n_features)`` when
        ``y`` is 1-D and ``(n_alphas, n_targets, n_features)`` otherwise.

    intercepts : ndarray of shape (n_alphas,) or (n_alphas, n_targets)
        Intercepts for each alpha (zeros if ``fit_intercept=False``).

    See Also
    --------
    WeightedRidge : The estimator for one alpha.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s import weighted_ridge_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((30, 4))
    >>> y = X @ np.array([1.0, 2.0, 0.0, -1.0]) + rng.standard_normal(30)
    >>> coefs, intercepts = weighted_ridge_path(X, y, [0.1, 1.0, 10.0])
    >>> coefs.shape, intercepts.shape
    ((3, 4), (3,))
    >>> norms = np.linalg.norm(coefs, axis=1)  # shrinks as alpha grows
    >>> bool(np.all(np.diff(norms) < 0))
    True
    """
    if is_dask_array(X):
        alphas = _check_alphas(alphas)
        stats = dask_stats(X, y, sample_weight)
        coefs, intercepts = _GramPath(stats, penalty_weights, fit_intercept).coefs(
            alphas
        )
        if getattr(y, "ndim", 1) == 1:
            coefs, intercepts = coefs[:, 0], intercepts[:, 0]
        return coefs, intercepts
    X, y = check_X_y(
        X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True
    )
    alphas = _check_alphas(alphas)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        _check_weight_sum(sample_weight)
    penalty = _check_penalty_weights(penalty_weights, X.shape[1], X.dtype)
    path = _RidgePath(X, y, sample_weight, penalty, fit_intercept, method="eigen")
    coefs, intercepts = path.coefs(alphas)
    if y.ndim == 1:
        coefs, intercepts = coefs[:, 0], intercepts[:, 0]
    return coefs, intercepts
