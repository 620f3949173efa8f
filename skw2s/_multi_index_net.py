"""Two-layer network for multi-index targets: large gradient steps on the first
layer, then a closed-form ridge readout (Ba et al. 2022; Moniri et al. 2024)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    RegressorMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._nn_math import (
    ACTIVATIONS,
    gradient_step,
    hidden_features,
    loss_and_grad_first_layer,
    orthonormal_row_basis,
    projection_overlap,
    ridge_readout,
)
from ._validation import _DOC_LINK_TEMPLATE


class MultiIndexNet(
    ClassNamePrefixFeaturesOutMixin, RegressorMixin, TransformerMixin, BaseEstimator
):
    r"""Two-layer network trained by large first-layer steps and a ridge readout.

    The model is

    .. math::

        f(x) = \frac{1}{\sqrt{N}} a^\top s(W x + b) + c,

    with ``N = n_hidden`` units, first layer ``W`` (``N x d``), fixed random
    biases ``b``, readout ``a`` and intercept ``c``. Training follows the
    one-giant-step protocol of Ba et al. (2022) and Moniri et al. (2024):

    1. ``W`` starts at ``init_weights`` (pre-trained weights) or at random rows
       ``w_i ~ N(0, I_d / d)``; ``b_i ~ N(0, 1)``; a step readout
       ``a_i ~ N(0, 1 / N)`` is drawn and ``c`` is the weighted mean of ``y``.
    2. ``n_steps`` full-batch gradient steps on ``W`` only, on the weighted half
       mean squared loss :math:`L(W) = \sum_j w_j (f(x_j) - y_j)^2 / (2 \sum_j w_j)`:

       .. math:: W \leftarrow W - \eta \, N \, \nabla_W L(W).

       Because :math:`a_i \sim 1/\sqrt{N}` and the output carries
       :math:`1/\sqrt{N}`, the factor ``N`` makes each row move by
       ``O(learning_rate)`` whatever the width: ``learning_rate`` of order one
       is the large-step (feature-learning) regime, i.e. Ba et al.'s
       :math:`\eta_{Ba} = \texttt{learning\_rate} \cdot \sqrt{N}` in their
       update :math:`W_1 = W_0 + \eta_{Ba} \sqrt{N} G`. ``learning_rate=0``
       gives the random-features model.
    3. The readout ``(a, c)`` is replaced by the ridge solution on the scaled
       hidden features :math:`\phi(x) = s(W x + b) / \sqrt{N}`:
       :math:`\min_{a,c} \sum_j w_j (y_j - \phi(x_j)^\top a - c)^2 + \alpha \|a\|^2`
       (scikit-learn units, intercept unpenalized).

    With ``training="alternating"`` the readout is refit in closed form after
    every step and the next step uses it (block-coordinate training of both
    layers); the fitted readout is larger than the random step readout, so a
    smaller ``learning_rate`` is then appropriate.

    Parameters
    ----------
    n_hidden : int, default=256
        Width ``N`` of the hidden layer.

    activation : {"relu", "tanh", "erf", "hermite2"}, default="relu"
        Hidden activation ``s``. ``"hermite2"`` is the second Hermite polynomial
        ``(z**2 - 1) / sqrt(2)`` (information exponent 2); ``"erf"`` has closed
        Gaussian expectations; ``"tanh"`` and ``"erf"`` are odd, so even
        functions are reached only through the random biases.

    n_steps : int, default=1
        Number of full-batch gradient steps on the first layer.

    learning_rate : float, default=1.0
        Step size ``eta`` in the width-scaled update above (``>= 0``).

    alpha : float, default=1.0
        Ridge penalty of the readout against the unnormalized squared loss.

    training : {"two_stage", "alternating"}, default="two_stage"
        ``"two_stage"``: steps with the fixed random step readout, then the
        ridge readout. ``"alternating"``: the ridge readout is refit after
        each step and used by the next one.

    init_weights : array-like of shape (n_hidden, n_features), default=None
        Initial first-layer weights, e.g. ``hidden_weights_`` of a network
        pre-trained on another task. ``None`` draws random rows. An array (unlike
        a fitted sub-estimator) survives :func:`~sklearn.base.clone`. Not
        modified by ``fit``; ignored when ``warm_start`` continues a fitted
        network.

    warm_start : bool, default=False
        If True and the network is fitted, continue from the fitted first layer,
        biases and step readout (``"two_stage"``) or fitted readout
        (``"alternating"``) instead of re-initializing: ``k`` warm fits of one
        step each equal one fit of ``k`` steps on the same data.

    random_state : int, RandomState instance or None, default=None
        Seeds the random first layer, biases and step readout.
        See :term:`Glossary <random_state>`.

    Attributes
    ----------
    hidden_weights_ : ndarray of shape (n_hidden, n_features)
        Learned first layer ``W``.

    hidden_bias_ : ndarray of shape (n_hidden,)
        Biases ``b`` (fixed during training).

    coef_ : ndarray of shape (n_hidden,)
        Ridge readout ``a`` on the scaled hidden features.

    intercept_ : float
        Readout intercept ``c``.

    n_iter_ : int
        Number of gradient steps performed in the last call to ``fit``.

    loss_curve_ : list of float
        Training loss ``L`` before each gradient step, followed by the loss of
        the final network (with its ridge readout); length ``n_iter_ + 1``.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, defined only when ``X`` has
        string feature names.

    See Also
    --------
    subspace_overlap : Overlap of a learned first layer with given directions.
    sklearn.neural_network.MLPRegressor : Multi-layer perceptron trained end to
        end by a stochastic optimizer.

    Notes
    -----
    ``transform(X)`` returns the scaled hidden features
    :math:`\phi(x) = s(W x + b)/\sqrt{N}`, so ``predict(X) ==
    transform(X) @ coef_ + intercept_`` and
    ``Ridge(alpha).fit(transform(X), y)`` reproduces the readout.

    One large step on ``n`` of order ``d`` samples moves every row along the
    first-Hermite component of the target, so directions with information
    exponent 1 are learned while exponent-2 directions are not; a first layer
    that already contains them (``init_weights``) keeps them.

    References
    ----------
    J. Ba, M. A. Erdogdu, T. Suzuki, Z. Wang, D. Wu and G. Yang,
    "High-dimensional asymptotics of feature learning: how one gradient step
    improves the representation", NeurIPS 2022.

    B. Moniri, D. Lee, H. Hassani and E. Dobriban, "A theory of non-linear
    feature learning with one gradient step in two-layer neural networks",
    ICML 2024.

    Examples
    --------
    >>> from skw2s import MultiIndexNet
    >>> from skw2s.datasets import make_multi_index
    >>> X, y, params = make_multi_index(2000, 20, n_hard=0, noise=0.1,
    ...                                 return_params=True, random_state=0)
    >>> net = MultiIndexNet(n_hidden=128, random_state=0).fit(X, y)
    >>> net.transform(X[:3]).shape
    (3, 128)
    >>> round(net.score(X, y), 2) > 0.9
    True
    >>> net.subspace_overlap(params.u_easy, n_components=1) > 0.9
    array([ True])
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        "n_hidden": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "training": [StrOptions({"two_stage", "alternating"})],
        "init_weights": ["array-like", None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_hidden=256,
        *,
        activation="relu",
        n_steps=1,
        learning_rate=1.0,
        alpha=1.0,
        training="two_stage",
        init_weights=None,
        warm_start=False,
        random_state=None,
    ):
        self.n_hidden = n_hidden
        self.activation = activation
        self.n_steps = n_steps
        self.learning_rate = learning_rate
        self.alpha = alpha
        self.training = training
        self.init_weights = init_weights
        self.warm_start = warm_start
        self.random_state = random_state

    def _initialize(self, n_features, dtype):
        rng = check_random_state(self.random_state)
        N = self.n_hidden
        W = rng.standard_normal((N, n_features)) / np.sqrt(n_features)
        b = rng.standard_normal(N)
        a = rng.standard_normal(N) / np.sqrt(N)
        if self.init_weights is not None:
            W0 = check_array(
                self.init_weights,
                dtype=np.float64,
                ensure_all_finite=True,
                input_name="init_weights",
            )
            if W0.shape != (N, n_features):
                raise ValueError(
                    "init_weights must have shape (n_hidden, n_features) = "
                    f"({N}, {n_features}); got {W0.shape}."
                )
            W = W0.copy()
        return W.astype(dtype), b.astype(dtype), a.astype(dtype)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the first layer by gradient steps, then the ridge readout.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training inputs.

        y : array-like of shape (n_samples,)
            Targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the gradient and in the readout.

        Returns
        -------
        self : MultiIndexNet
            The fitted network.
        """
        warm = self.warm_start and hasattr(self, "hidden_weights_")
        X, y = validate_data(
            self,
            X,
            y,
            dtype=[np.float64, np.float32],
            y_numeric=True,
            reset=not warm,
        )
        y = y.astype(X.dtype, copy=False)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if not sample_weight.sum() > 0:
            raise ValueError(
                "sample_weight must have a positive sum (the loss is a weighted "
                "mean); got all-zero weights."
            )
        if warm:
            W = self.hidden_weights_
            b = self.hidden_bias_
            a_step = self._step_coef.astype(X.dtype)
            W, b = W.astype(X.dtype), b.astype(X.dtype)
        else:
            W, b, a_step = self._initialize(X.shape[1], X.dtype)
        c_step = X.dtype.type(np.average(y, weights=sample_weight))
        a, c = a_step, c_step
        alternating = self.training == "alternating"
        if alternating and warm:
            a, c = self.coef_.astype(X.dtype), X.dtype.type(self.intercept_)
        losses = []
        # Divergence (a too large learning_rate, badly scaled X or y) is caught
        # after every step, before a non-finite array reaches the readout's
        # solver, with one error naming the cause instead of NumPy warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for step in range(self.n_steps):
                W, loss = gradient_step(
                    X, y, W, b, a, c, self.activation, self.learning_rate,
                    sample_weight,
                )
                self._check_finite(step, loss, W)
                losses.append(loss)
                if alternating:
                    Phi = hidden_features(X, W, b, self.activation)
                    self._check_finite(step, Phi)
                    a, c = ridge_readout(Phi, y, self.alpha, sample_weight)
                    self._check_finite(step, a, c)
            if not alternating:
                Phi = hidden_features(X, W, b, self.activation)
                self._check_finite(self.n_steps, Phi)
                a, c = ridge_readout(Phi, y, self.alpha, sample_weight)
            final_loss, _ = loss_and_grad_first_layer(
                X, y, W, b, a, c, self.activation, sample_weight
            )
            self._check_finite(self.n_steps, a, c, final_loss)
        losses.append(final_loss)
        self.hidden_weights_ = W
        self.hidden_bias_ = b
        self._step_coef = a_step
        self.coef_ = a
        self.intercept_ = float(c)
        self.n_iter_ = self.n_steps
        self.loss_curve_ = losses
        self._n_features_out = self.n_hidden
        return self

    def _check_finite(self, step, *arrays):
        """A clear error naming ``learning_rate`` if the fit has diverged."""
        if all(np.isfinite(a).all() for a in arrays):
            return
        raise ValueError(
            f"MultiIndexNet diverged: non-finite weights or loss after gradient "
            f"step {step} with learning_rate={self.learning_rate!r}. Use a "
            "smaller learning_rate (any value >= 0 is allowed; the step is "
            "scaled by n_hidden) or standardize X and y (e.g. with "
            "sklearn.preprocessing.StandardScaler) so that their entries are of "
            "order one."
        )

    def transform(self, X):
        """Scaled hidden features ``s(X W' + b) / sqrt(n_hidden)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        Phi : ndarray of shape (n_samples, n_hidden)
            Hidden features; ``predict(X) == Phi @ coef_ + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return hidden_features(
            X, self.hidden_weights_.astype(X.dtype), self.hidden_bias_.astype(X.dtype),
            self.activation,
        )

    def predict(self, X):
        """Predict with the fitted network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``coef_' s(W x + b) / sqrt(n_hidden) + intercept_``.
        """
        Phi = self.transform(X)
        return Phi @ self.coef_.astype(Phi.dtype) + Phi.dtype.type(self.intercept_)

    def learned_subspace(self, n_components=1):
        """Top right singular directions of the learned first layer.

        Parameters
        ----------
        n_components : int, default=1
            Number of directions.

        Returns
        -------
        basis : ndarray of shape (n_components, n_features)
            Orthonormal rows spanning the top ``n_components`` right singular
            directions of ``hidden_weights_``.
        """
        check_is_fitted(self)
        if not (isinstance(n_components, Integral) and
                1 <= n_components <= self.n_features_in_):
            raise ValueError(
                "n_components must be an integer in [1, n_features_in_]; "
                f"got {n_components!r}."
            )
        return orthonormal_row_basis(self.hidden_weights_, int(n_components))

    def subspace_overlap(self, directions, n_components=1):
        """Overlap of the learned subspace with each given direction.

        Parameters
        ----------
        directions : array-like of shape (n_directions, n_features) or (n_features,)
            Directions (normalized to unit length internally).

        n_components : int, default=1
            Size of the learned subspace (see :meth:`learned_subspace`). A random
            subspace of this size has overlap about ``sqrt(n_components / d)``.

        Returns
        -------
        overlap : ndarray of shape (n_directions,)
            Norm of the projection of each unit direction on the subspace, in
            [0, 1].
        """
        return subspace_overlap(self.learned_subspace(n_components), directions)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        return tags


@validate_params(
    {
        "weights": ["array-like"],
        "directions": ["array-like"],
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def subspace_overlap(weights, directions, *, n_components=None):
    """Overlap of the row space of ``weights`` with each given direction.

    The subspace is spanned by the top ``n_components`` right singular vectors
    of ``weights`` (all of its row space when None); the overlap of a direction
    ``u`` is ``||P u|| / ||u||`` with ``P`` the orthogonal projector on it, a
    number in [0, 1]. A random ``k``-dimensional subspace of ``R^d`` has overlap
    about ``sqrt(k / d)``.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_features)
        A first-layer weight matrix (e.g. ``MultiIndexNet.hidden_weights_``) or
        a basis of a subspace.

    directions : array-like of shape (n_directions, n_features) or (n_features,)
        Directions to measure; each is normalized to unit length.

    n_components : int, default=None
        Number of top singular directions of ``weights`` that span the subspace.

    Returns
    -------
    overlap : ndarray of shape (n_directions,)
        Per-direction overlap in [0, 1].

    See Also
    --------
    MultiIndexNet.subspace_overlap : The same for a fitted network's first layer.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s import subspace_overlap
    >>> subspace_overlap(np.eye(3)[:2], [[1.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
    array([1.        , 0.70710678])
    """
    W = check_array(weights, dtype=np.float64, input_name="weights")
    U = check_array(
        np.atleast_2d(np.asarray(directions, dtype=np.float64)),
        input_name="directions",
    )
    if U.shape[1] != W.shape[1]:
        raise ValueError(
            f"directions have {U.shape[1]} features but weights have {W.shape[1]}."
        )
    if np.any(np.linalg.norm(U, axis=1) == 0):
        raise ValueError("directions must be non-zero vectors.")
    if n_components is not None and n_components > min(W.shape):
        raise ValueError(
            f"n_components={n_components} exceeds min(weights.shape)={min(W.shape)}."
        )
    return projection_overlap(orthonormal_row_basis(W, n_components), U)
