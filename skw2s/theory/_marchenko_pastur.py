"""Marchenko-Pastur closed forms for the isotropic model (``Sigma = G = I``).

The limit spectrum ``mu_g`` of the ``d x d`` sample covariance ``X'X / n`` with
``g = d / n`` is the Marchenko-Pastur law: a density on
``[(1 - sqrt g)^2, (1 + sqrt g)^2]`` plus an atom of mass ``1 - 1/g`` at zero
when ``g > 1``.
"""

import numpy as np


def mp_stieltjes(lam, ratio):
    """Stieltjes transform ``m(lambda; g) = int dmu_g(s) / (s + lambda)``.

    Uses the rationalized root ``2 / (a + sqrt(a^2 + 4 g lambda))`` with
    ``a = 1 - g + lambda`` when ``a >= 0`` and the textbook form otherwise, so
    that neither form cancels catastrophically. ``m(0; g) = 1 / (1 - g)`` for
    ``g < 1`` and ``+inf`` for ``g >= 1`` (the atom at zero, or the hard edge).

    Parameters
    ----------
    lam : array-like
        Non-negative ``lambda``.
    ratio : float
        Aspect ratio ``g = d / n > 0``.

    Returns
    -------
    m : ndarray
    """
    lam = np.asarray(lam, dtype=float)
    g = float(ratio)
    a = 1.0 - g + lam
    disc = np.sqrt(a * a + 4.0 * g * lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        m_pos = 2.0 / (a + disc)
        m_neg = (disc - a) / (2.0 * g * lam)
    m = np.where(a >= 0, m_pos, m_neg)
    return np.where((lam == 0) & (g >= 1), np.inf, m)


def mp_stieltjes_derivative(lam, ratio):
    """Derivative ``m'(lambda; g) = int dmu_g(s) / (s + lambda)^2``.

    Computed as ``m^2 (1 + g m) / (1 + g lambda m^2)``.

    Parameters
    ----------
    lam : array-like
        Positive ``lambda`` (at ``lambda = 0`` with ``g < 1`` the limit
        ``1 / (1 - g)^3`` is returned).
    ratio : float
        Aspect ratio ``g = d / n > 0``.

    Returns
    -------
    dm : ndarray
    """
    lam = np.asarray(lam, dtype=float)
    g = float(ratio)
    m = mp_stieltjes(lam, g)
    with np.errstate(invalid="ignore"):
        return m * m * (1.0 + g * m) / (1.0 + g * lam * m * m)


def iso_kappa(lam, ratio):
    """Closed-form effective regularization of isotropic ridge.

    ``kappa`` is the non-negative root of
    ``kappa^2 + (1 - g - lambda) kappa - lambda = 0`` (the fixed point
    ``lambda = kappa (1 - g / (1 + kappa))``); it equals
    ``lambda m / (1 - lambda m)`` with ``m`` the Marchenko-Pastur Stieltjes
    transform, and ``max(0, g - 1)`` at ``lambda = 0``.

    Parameters
    ----------
    lam : array-like
        Non-negative ``lambda``.
    ratio : float
        Aspect ratio ``g``.

    Returns
    -------
    kappa : ndarray
    """
    lam = np.asarray(lam, dtype=float)
    b = 1.0 - ratio - lam
    # sqrt(b^2 + 4 lambda) without squaring b (which overflows for lambda
    # beyond ~1e154 and made kappa infinite and the risk NaN)
    disc = np.hypot(b, 2.0 * np.sqrt(lam))
    with np.errstate(divide="ignore", invalid="ignore"):
        k_pos = 2.0 * lam / (b + disc)
    k_neg = (disc - b) / 2.0
    return np.where(b > 0, k_pos, k_neg)


def _safe_ratio(num, den):
    """``num / den`` for ``den >= 0``: 0 where ``num == 0``, inf where ``den == 0``."""
    num, den = np.broadcast_arrays(num, den)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf)
    return np.where(num == 0, 0.0, out)


def iso_teacher(lam, ratio, r2, s2):
    """Isotropic teacher: risk ``R_t``, ``P = b*' E b_t`` and ``Q = E ||b_t||^2``.

    With ``kappa = iso_kappa(lambda, g)``, ``a = 1 / (1 + kappa) = 1 - lambda m``
    and ``delta = g a^2``, the variance is ``V = delta / (1 - delta) (r2 kappa^2
    a^2 + s2)`` and ``R_t = r2 kappa^2 a^2 + V``, ``P = r2 a``, ``Q = r2 a^2 + V``:
    algebraically the Marchenko-Pastur expressions of the docs' theory page
    (:ref:`theory`), but finite at ``lambda = 0``.

    Parameters
    ----------
    lam : ndarray
    ratio, r2, s2 : float

    Returns
    -------
    risk, P, Q : ndarray
    """
    kappa = iso_kappa(lam, ratio)
    a = 1.0 / (1.0 + kappa)
    delta = ratio * a * a
    # kappa a = kappa / (1 + kappa) -> 1 as alpha -> inf (risk of predicting 0)
    with np.errstate(divide="ignore"):
        bias = r2 * (1.0 / (1.0 + 1.0 / kappa)) ** 2
    var = _safe_ratio(delta * (bias + s2), 1.0 - delta)
    return bias + var, r2 * a, r2 * a * a + var


def iso_student_taus(lam, ratio):
    """Student factors ``tau1 = 1 - lambda m``, ``tau2 = 1 - 2 lambda m + lambda^2 m'``.

    Computed as ``tau1 = a`` and ``tau2 = a^2 (1 + delta kappa^2 / (1 - delta))``
    with ``a = 1 / (1 + kappa)``, ``delta = g a^2``; at ``lambda = 0`` both are
    ``min(1, 1 / g)``.

    Parameters
    ----------
    lam : ndarray
    ratio : float

    Returns
    -------
    tau1, tau2 : ndarray
    """
    kappa = iso_kappa(lam, ratio)
    a = 1.0 / (1.0 + kappa)
    delta = ratio * a * a
    extra = _safe_ratio(delta * kappa * kappa, 1.0 - delta)
    return a, a * a * (1.0 + extra)


def iso_student_threshold(ratio):
    """Smallest teacher ``Q / P`` that an isotropic ridge student can exploit.

    ``g*(g) = 1`` for ``g < 1`` and ``4 / (3 - sqrt(1 - 1/g))`` for ``g >= 1``: the
    minimum over ``lambda_s`` of ``2 (1 - tau1) / (1 - tau2)``.

    Parameters
    ----------
    ratio : ndarray
        Student aspect ratios ``g = d / m > 0``.

    Returns
    -------
    threshold : ndarray
    """
    gs = np.asarray(ratio, dtype=float)
    with np.errstate(invalid="ignore"):
        over = 4.0 / (3.0 - np.sqrt(np.clip(1.0 - 1.0 / gs, 0, None)))
    return np.where(gs < 1, 1.0, over)


def mp_quadrature(ratio, n_nodes=2000):
    """Gauss-Chebyshev rule for the continuous part of the Marchenko-Pastur law.

    With ``s = (1 + g) + 2 sqrt(g) x`` the density
    ``sqrt((s_+ - s)(s - s_-)) / (2 pi g s)`` becomes ``sqrt(1 - x^2)`` times a
    smooth function, integrated by Gauss-Chebyshev quadrature of the second kind
    (exact for polynomials of degree ``2 n_nodes - 1`` in ``x``).

    Parameters
    ----------
    ratio : float
        Aspect ratio ``g``.
    n_nodes : int, default=2000

    Returns
    -------
    nodes : ndarray of shape (n_nodes,)
    weights : ndarray of shape (n_nodes,)
        They sum to ``min(1, 1 / g)``.
    atom : float
        Mass ``max(0, 1 - 1/g)`` at zero.
    """
    g = float(ratio)
    i = np.arange(1, n_nodes + 1)
    theta = i * np.pi / (n_nodes + 1)
    x = np.cos(theta)
    w = np.pi / (n_nodes + 1) * np.sin(theta) ** 2
    c, r = 1.0 + g, 2.0 * np.sqrt(g)
    s = c + r * x
    weights = w * r * r / (2.0 * np.pi * g * s)
    return s, weights, max(0.0, 1.0 - 1.0 / g)


def iso_student_shared(lam_t, lam_s, ratio, r2, s2, n_nodes=2000):
    """Isotropic student fit on the teacher's own inputs.

    ``R_s = r2 int (1 - f)^2 dmu + s2 g int s h^2 dmu`` with
    ``f(s) = s^2 / ((s + lambda_s)(s + lambda_t))`` and
    ``h(s) = s / ((s + lambda_s)(s + lambda_t))``; the atom at zero (``g > 1``)
    has ``f = 0`` (minimum-norm fits leave the null space at zero).

    Parameters
    ----------
    lam_t, lam_s : ndarray of the same shape
    ratio, r2, s2 : float
    n_nodes : int, default=2000

    Returns
    -------
    risk : ndarray
    """
    s, w, atom = mp_quadrature(ratio, n_nodes)
    lam_t = np.asarray(lam_t, dtype=float)[..., None]
    lam_s = np.asarray(lam_s, dtype=float)[..., None]
    den = (s + lam_s) * (s + lam_t)
    f = s * s / den
    h = s / den
    bias = r2 * (((1.0 - f) ** 2) @ w + atom)
    var = s2 * ratio * ((s * h * h) @ w)
    return bias + var
