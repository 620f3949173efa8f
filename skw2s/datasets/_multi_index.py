"""Gaussian multi-index data with easy (exponent 1) and hard (exponent >= 2)
index directions."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_array, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

_SQRT2 = np.sqrt(2.0)
_SQRT6 = np.sqrt(6.0)

# name -> (link, information exponent). Each link has mean zero and unit
# variance under t ~ N(0, 1) except "tanh" (variance about 0.39) and "relu".
LINKS = {
    "linear": (lambda t: t, 1),
    "tanh": (np.tanh, 1),
    "relu": (lambda t: np.maximum(t, 0) - 1 / np.sqrt(2 * np.pi), 1),
    "hermite2": (lambda t: (t * t - 1) / _SQRT2, 2),
    "abs": (lambda t: (np.abs(t) - np.sqrt(2 / np.pi)) / np.sqrt(1 - 2 / np.pi), 2),
    "hermite3": (lambda t: (t**3 - 3 * t) / _SQRT6, 3),
}


def _link(link, name):
    if callable(link):
        return link
    return LINKS[link][0]


def _check_directions(directions, n_directions, n_features):
    D = check_array(directions, dtype=np.float64, input_name="directions")
    if D.shape != (n_directions, n_features):
        raise ValueError(
            "directions must have shape (n_easy + n_hard, n_features) = "
            f"({n_directions}, {n_features}); got {D.shape}."
        )
    if not np.allclose(D @ D.T, np.eye(n_directions), atol=1e-6):
        raise ValueError("directions must have orthonormal rows.")
    return D


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "n_easy": [Interval(Integral, 0, None, closed="left")],
        "n_hard": [Interval(Integral, 0, None, closed="left")],
        "easy_link": [StrOptions(set(LINKS)), callable],
        "hard_link": [StrOptions(set(LINKS)), callable],
        "noise": [Interval(Real, 0, None, closed="left")],
        "directions": ["array-like", None],
        "return_params": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_multi_index(
    n_samples=100,
    n_features=20,
    *,
    n_easy=1,
    n_hard=1,
    easy_link="linear",
    hard_link="hermite2",
    noise=0.0,
    directions=None,
    return_params=False,
    random_state=None,
):
    r"""Generate Gaussian multi-index regression data with easy and hard directions.

    Inputs are :math:`x \sim \mathcal{N}(0, I_d)` and

    .. math::
        y = \sum_{k=1}^{n_e} h_e(u_{e,k}^\top x) + \sum_{k=1}^{n_h}
        h_h(u_{h,k}^\top x) + \sigma \varepsilon,
        \qquad \varepsilon \sim \mathcal{N}(0, 1),

    with orthonormal directions :math:`u`. The *easy* link has information
    exponent 1 (non-zero first Hermite coefficient), so one large gradient step
    on order-``d`` samples finds its direction; the *hard* link has exponent 2
    or more (e.g. :math:`He_2(t) = (t^2 - 1)/\sqrt{2}`), whose direction a
    first step from random initialization does not find at that sample size.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples.

    n_features : int, default=20
        Input dimension ``d``; must be at least ``n_easy + n_hard``.

    n_easy : int, default=1
        Number of easy directions.

    n_hard : int, default=1
        Number of hard directions.

    easy_link : {"linear", "tanh", "relu"} or callable, default="linear"
        Link of the easy directions: ``t``, ``tanh(t)`` or the centered
        ``max(t, 0)`` (information exponent 1). Any name of ``hard_link`` or a
        vectorized callable is also accepted.

    hard_link : {"hermite2", "abs", "hermite3"} or callable, default="hermite2"
        Link of the hard directions: ``(t**2 - 1)/sqrt(2)`` and the standardized
        ``|t|`` (exponent 2), ``(t**3 - 3 t)/sqrt(6)`` (exponent 3). All have
        mean zero and unit variance under ``t ~ N(0, 1)``.

    noise : float, default=0.0
        Standard deviation :math:`\sigma` of the Gaussian label noise.

    directions : array-like of shape (n_easy + n_hard, n_features), default=None
        Orthonormal rows, easy directions first. ``None`` draws random ones;
        pass ``params.directions`` back to draw fresh samples from the same
        model.

    return_params : bool, default=False
        If True, also return the parameters of the model.

    random_state : int, RandomState instance or None, default=None
        Seeds the directions (when drawn), the inputs and the noise.
        See :term:`Glossary <random_state>`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Inputs.

    y : ndarray of shape (n_samples,)
        Targets.

    params : :class:`~sklearn.utils.Bunch`
        Only if ``return_params=True``: ``u_easy`` (n_easy, n_features),
        ``u_hard`` (n_hard, n_features), ``directions`` (both stacked, easy
        first), ``noise``, ``easy_link``, ``hard_link``.

    See Also
    --------
    make_w2s_regression : Gaussian linear-regression data for mechanisms 1 and 2.
    skw2s.MultiIndexNet : The two-layer network that learns such targets.

    Examples
    --------
    >>> from skw2s.datasets import make_multi_index
    >>> X, y, params = make_multi_index(500, 10, return_params=True, random_state=0)
    >>> X.shape, y.shape, params.u_easy.shape, params.u_hard.shape
    ((500, 10), (500,), (1, 10), (1, 10))
    >>> X2, y2 = make_multi_index(5, 10, directions=params.directions, random_state=1)
    >>> X2.shape
    (5, 10)
    """
    n_dir = n_easy + n_hard
    if n_dir > n_features:
        raise ValueError(
            f"n_easy + n_hard = {n_dir} must not exceed n_features = {n_features}."
        )
    rng = check_random_state(random_state)
    if directions is None:
        if n_dir == 0:
            D = np.zeros((0, n_features))
        else:
            Q, R = np.linalg.qr(rng.standard_normal((n_features, n_dir)))
            D = (Q * np.sign(np.diag(R))).T
    else:
        D = _check_directions(directions, n_dir, n_features)
    X = rng.standard_normal((n_samples, n_features))
    T = X @ D.T
    h_e, h_h = _link(easy_link, "easy_link"), _link(hard_link, "hard_link")
    y = np.zeros(n_samples)
    for k in range(n_easy):
        y += h_e(T[:, k])
    for k in range(n_easy, n_dir):
        y += h_h(T[:, k])
    if noise > 0:
        y += noise * rng.standard_normal(n_samples)
    if not return_params:
        return X, y
    params = Bunch(
        u_easy=D[:n_easy].copy(),
        u_hard=D[n_easy:].copy(),
        directions=D.copy(),
        noise=noise,
        easy_link=easy_link,
        hard_link=hard_link,
    )
    return X, y, params
