"""Gaussian linear-regression data with known coefficients and covariance."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from .._validation import check_psd


def _spectrum(covariance, n_features, *, spike, n_spikes, decay):
    """Return the covariance as a 1-D spectrum or a validated 2-D matrix."""
    if isinstance(covariance, str):
        if covariance == "isotropic":
            return np.ones(n_features)
        if covariance == "spiked":
            if n_spikes > n_features:
                raise ValueError(
                    f"n_spikes={n_spikes} must not exceed n_features={n_features}."
                )
            eigenvalues = np.ones(n_features)
            eigenvalues[:n_spikes] = spike
            return eigenvalues
        # "power_law": eigenvalues j**-decay, scaled to trace n_features
        eigenvalues = np.arange(1, n_features + 1, dtype=float) ** -decay
        return eigenvalues * (n_features / eigenvalues.sum())
    return check_psd(covariance, name="covariance", n_features=n_features)


def _sqrt_psd(matrix):
    """A square root L with L @ L.T == matrix, for a symmetric PSD matrix."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    return eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "covariance": [StrOptions({"isotropic", "spiked", "power_law"}), "array-like"],
        "coef": [StrOptions({"random"}), "array-like"],
        "signal": [Interval(Real, 0, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "spike": [Interval(Real, 0, None, closed="left")],
        "n_spikes": [Interval(Integral, 0, None, closed="left")],
        "decay": [Interval(Real, 0, None, closed="left")],
        "return_params": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_w2s_regression(
    n_samples=100,
    n_features=20,
    *,
    covariance="isotropic",
    coef="random",
    signal=1.0,
    noise=1.0,
    spike=4.0,
    n_spikes=1,
    decay=1.0,
    return_params=False,
    random_state=None,
):
    r"""Generate Gaussian linear-regression data for weak-to-strong experiments.

    Inputs are drawn as :math:`x \sim \mathcal{N}(0, \Sigma)` and targets as

    .. math::
        y = x^\top \beta^* + \sigma \varepsilon, \qquad
        \varepsilon \sim \mathcal{N}(0, 1),

    the model under which :mod:`skw2s.theory` predicts the teacher's and the
    student's test errors. The true coefficients and the covariance are
    returned on request, so that excess risks can be computed exactly as
    :math:`(\hat\beta - \beta^*)^\top \Sigma (\hat\beta - \beta^*)`.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples.

    n_features : int, default=20
        Number of features ``d``.

    covariance : {"isotropic", "spiked", "power_law"} or array-like, default="isotropic"
        The covariance :math:`\Sigma` of the inputs.

        - ``"isotropic"``: the identity.
        - ``"spiked"``: diagonal, the first ``n_spikes`` eigenvalues equal to
          ``spike`` and the others to 1.
        - ``"power_law"``: diagonal with eigenvalues :math:`j^{-\text{decay}}`,
          scaled so that their sum is ``n_features``.
        - a 1-D array of shape ``(n_features,)``: a diagonal covariance with
          these non-negative entries.
        - a 2-D array of shape ``(n_features, n_features)``: a symmetric
          positive semi-definite covariance matrix.

    coef : "random" or array-like, default="random"
        The true coefficients :math:`\beta^*`.

        - ``"random"``: drawn as :math:`\mathcal{N}(0, (\text{signal}/d) I)`, so
          that :math:`E\|\beta^*\|^2 = \text{signal}`.
        - a 1-D array of shape ``(n_features,)``: fixed coefficients.
        - a 2-D array of shape ``(n_features, n_features)``: the second moment
          :math:`B = E[\beta^* \beta^{*\top}]`; the coefficients are drawn as
          :math:`\mathcal{N}(0, B)`.

    signal : float, default=1.0
        Expected squared norm of the coefficients when ``coef="random"``.

    noise : float, default=1.0
        Standard deviation :math:`\sigma` of the Gaussian label noise.

    spike : float, default=4.0
        Value of the spiked eigenvalues when ``covariance="spiked"``.

    n_spikes : int, default=1
        Number of spiked eigenvalues when ``covariance="spiked"``.

    decay : float, default=1.0
        Exponent of the power-law spectrum when ``covariance="power_law"``.

    return_params : bool, default=False
        If True, also return the parameters of the model.

    random_state : int, RandomState instance or None, default=None
        Seed of the draws. The coefficients are drawn first, so a given seed
        gives the same coefficients for every ``n_samples``.
        See :term:`Glossary <random_state>`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The inputs.

    y : ndarray of shape (n_samples,)
        The noisy targets.

    params : :class:`~sklearn.utils.Bunch`
        Only if ``return_params=True``. Attributes ``coef`` (the true
        coefficients, shape ``(n_features,)``), ``covariance`` (a 1-D spectrum of
        a diagonal covariance, or the 2-D matrix if one was given) and
        ``noise``. Passing ``coef=params.coef`` and
        ``covariance=params.covariance`` back draws fresh samples from the same
        model.

    See Also
    --------
    skw2s.theory.w2s_ridge_risk : Predicted teacher and student risks under
        this model.
    sklearn.datasets.make_regression : Regression data with a low-rank design.

    Examples
    --------
    >>> from skw2s.datasets import make_w2s_regression
    >>> X, y, params = make_w2s_regression(
    ...     n_samples=50, n_features=10, covariance="spiked", return_params=True,
    ...     random_state=0)
    >>> X.shape, y.shape, params.coef.shape
    ((50, 10), (50,), (10,))
    >>> params.covariance[:3]
    array([4., 1., 1.])
    """
    rng = check_random_state(random_state)
    sigma = _spectrum(
        covariance, n_features, spike=spike, n_spikes=n_spikes, decay=decay
    )

    if isinstance(coef, str):  # "random"
        true_coef = rng.standard_normal(n_features) * np.sqrt(signal / n_features)
    else:
        coef_array = np.asarray(coef, dtype=float)
        if coef_array.ndim == 1:
            if coef_array.shape != (n_features,):
                raise ValueError(
                    f"coef must have shape (n_features,) = ({n_features},) or "
                    f"(n_features, n_features); got shape {coef_array.shape}."
                )
            if not np.all(np.isfinite(coef_array)):
                raise ValueError("coef must not contain NaN or infinite values.")
            true_coef = coef_array.copy()
        else:
            second_moment = check_psd(
                coef_array, name="coef", n_features=n_features, allow_1d=False
            )
            true_coef = _sqrt_psd(second_moment) @ rng.standard_normal(n_features)

    Z = rng.standard_normal((n_samples, n_features))
    X = Z * np.sqrt(sigma) if sigma.ndim == 1 else Z @ _sqrt_psd(sigma).T
    y = X @ true_coef + noise * rng.standard_normal(n_samples)
    if not return_params:
        return X, y
    return X, y, Bunch(coef=true_coef, covariance=sigma, noise=float(noise))
