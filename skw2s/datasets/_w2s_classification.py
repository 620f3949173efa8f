"""Gaussian-design classification data with known class probabilities."""

from numbers import Integral, Real

import numpy as np
from scipy.special import expit, ndtr, softmax
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._w2s_regression import _spectrum, _sqrt_psd


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "n_classes": [Interval(Integral, 2, None, closed="left")],
        "link": [StrOptions({"logistic", "probit"})],
        "covariance": [StrOptions({"isotropic", "spiked", "power_law"}), "array-like"],
        "coef": [StrOptions({"random"}), "array-like"],
        "signal": [Interval(Real, 0, None, closed="left")],
        "spike": [Interval(Real, 0, None, closed="left")],
        "n_spikes": [Interval(Integral, 0, None, closed="left")],
        "decay": [Interval(Real, 0, None, closed="left")],
        "return_params": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_w2s_classification(
    n_samples=100,
    n_features=20,
    *,
    n_classes=2,
    link="logistic",
    covariance="isotropic",
    coef="random",
    signal=4.0,
    spike=4.0,
    n_spikes=1,
    decay=1.0,
    return_params=False,
    random_state=None,
):
    r"""Generate Gaussian-design classification data for weak-to-strong experiments.

    Inputs are drawn as :math:`x \sim \mathcal{N}(0, \Sigma)`, with the same
    covariances as :func:`make_w2s_regression`, and labels from a generalized
    linear model with known class probabilities. Binary (``n_classes=2``):

    .. math::
        P(y = 1 \mid x) = \sigma(x^\top \beta^*) \quad \text{(logistic)}, \qquad
        P(y = 1 \mid x) = \Phi(x^\top \beta^*) \quad \text{(probit)}.

    Multiclass (logistic only): :math:`P(y = k \mid x) =
    \operatorname{softmax}_k(x^\top B^*)` with one coefficient column per
    class. The true probabilities of the drawn rows are returned on request,
    so that the Bayes classifier and its accuracy are known.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples.

    n_features : int, default=20
        Number of features ``d``.

    n_classes : int, default=2
        Number of classes; the labels are ``0, ..., n_classes - 1``.

    link : {"logistic", "probit"}, default="logistic"
        The link of the model. ``"probit"`` needs ``n_classes=2``.

    covariance : {"isotropic", "spiked", "power_law"} or array-like, default="isotropic"
        The covariance :math:`\Sigma` of the inputs, as in
        :func:`make_w2s_regression`.

    coef : "random" or array-like, default="random"
        The true coefficients.

        - ``"random"``: i.i.d. :math:`\mathcal{N}(0, \text{signal}/d)` entries,
          shape ``(n_features,)`` for two classes and
          ``(n_features, n_classes)`` otherwise.
        - an array of one of these shapes: fixed coefficients.

    signal : float, default=4.0
        Expected squared norm of each coefficient vector when
        ``coef="random"``: with an isotropic design the logits have variance
        about ``signal``, so a larger ``signal`` gives more confident labels.

    spike : float, default=4.0
        Value of the spiked eigenvalues when ``covariance="spiked"``.

    n_spikes : int, default=1
        Number of spiked eigenvalues when ``covariance="spiked"``.

    decay : float, default=1.0
        Exponent of the power-law spectrum when ``covariance="power_law"``.

    return_params : bool, default=False
        If True, also return the parameters of the model and the true
        probabilities.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws. The coefficients are drawn first, so a given seed
        gives the same coefficients for every ``n_samples``.
        See :term:`Glossary <random_state>`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The inputs.

    y : ndarray of shape (n_samples,)
        The labels, integers in ``[0, n_classes)``.

    params : :class:`~sklearn.utils.Bunch`
        Only if ``return_params=True``. Attributes ``coef`` (the true
        coefficients), ``covariance`` (a 1-D spectrum, or the 2-D matrix if
        one was given), ``link`` and ``proba`` (the true class probabilities
        of the returned rows, shape ``(n_samples, n_classes)``). Passing
        ``coef=params.coef`` and ``covariance=params.covariance`` back draws
        fresh samples from the same model.

    See Also
    --------
    make_w2s_regression : The regression counterpart.
    sklearn.datasets.make_classification : Clustered classification data.

    Examples
    --------
    >>> from skw2s.datasets import make_w2s_classification
    >>> X, y, params = make_w2s_classification(
    ...     n_samples=50, n_features=10, return_params=True, random_state=0)
    >>> X.shape, y.shape, params.proba.shape
    ((50, 10), (50,), (50, 2))
    >>> sorted(set(y.tolist()))
    [0, 1]
    """
    if link == "probit" and n_classes != 2:
        raise ValueError(
            f"link='probit' is binary; got n_classes={n_classes}. Use "
            "link='logistic' for more than two classes."
        )
    rng = check_random_state(random_state)
    sigma = _spectrum(
        covariance, n_features, spike=spike, n_spikes=n_spikes, decay=decay
    )
    shape = (n_features,) if n_classes == 2 else (n_features, n_classes)
    if isinstance(coef, str):  # "random"
        true_coef = rng.standard_normal(shape) * np.sqrt(signal / n_features)
    else:
        true_coef = np.asarray(coef, dtype=float)
        if true_coef.shape != shape:
            raise ValueError(
                f"coef must have shape {shape} for n_features={n_features} and "
                f"n_classes={n_classes}; got shape {true_coef.shape}."
            )
        if not np.all(np.isfinite(true_coef)):
            raise ValueError("coef must not contain NaN or infinite values.")
        true_coef = true_coef.copy()

    Z = rng.standard_normal((n_samples, n_features))
    X = Z * np.sqrt(sigma) if sigma.ndim == 1 else Z @ _sqrt_psd(sigma).T
    logits = X @ true_coef
    if n_classes == 2:
        p1 = expit(logits) if link == "logistic" else ndtr(logits)
        proba = np.column_stack([1 - p1, p1])
    else:
        proba = softmax(logits, axis=1)
    u = rng.uniform(size=(n_samples, 1))
    y = np.minimum((u > np.cumsum(proba, axis=1)).sum(axis=1), n_classes - 1)
    if not return_params:
        return X, y
    return X, y, Bunch(coef=true_coef, covariance=sigma, link=link, proba=proba)
