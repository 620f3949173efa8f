"""The kappa fixed point of a (weighted) ridge fit and its derived quantities.

For a ridge fit on ``k`` samples with covariance ``Sigma`` and penalty
``lambda * G``, the effective regularization ``kappa >= 0`` solves

    lambda = kappa * (1 - df1(kappa) / k),
    df1(kappa) = tr[Sigma (Sigma + kappa G)^{-1}].

After whitening, ``df1(kappa) = u + sum_i e_i / (e_i + kappa)`` where ``e_i > 0``
are the finite positive eigenvalues of ``G^{-1/2} Sigma G^{-1/2}`` and ``u`` counts
the unpenalized directions that carry signal (``G`` zero there, ``Sigma`` not).
The map ``F(kappa) = kappa (1 - df1(kappa) / k)`` is increasing and convex on the
half line where it is non-negative, so Newton's method started to the right of
the root converges monotonically; this module solves it for a whole vector of
``lambda`` at once.
"""

import numpy as np


def solve_kappa(lam, eigenvalues, n_samples, n_unpenalized=0, *, max_iter=200):
    """Solve ``lambda = kappa (1 - (u + sum e/(e + kappa)) / k)`` for each lambda.

    Parameters
    ----------
    lam : ndarray of shape (n_lambdas,)
        Non-negative regularization strengths in theory units (``alpha / k``).
    eigenvalues : ndarray of shape (p,)
        Positive finite eigenvalues ``e_i`` of the whitened covariance.
    n_samples : int
        Sample size ``k`` of the fit.
    n_unpenalized : int, default=0
        Number ``u`` of unpenalized directions that carry signal.

    Returns
    -------
    kappa : ndarray of shape (n_lambdas,)
        The solutions; ``0`` when ``lambda = 0`` and the rank ``u + p`` is at most
        ``k``.
    """
    lam = np.asarray(lam, dtype=float)
    e = np.asarray(eigenvalues, dtype=float)
    k = float(n_samples)
    u = float(n_unpenalized)
    if u >= k:
        raise ValueError(
            f"The fit has {int(u)} unpenalized directions with signal but only "
            f"{int(k)} samples: the ridge problem has no unique solution. Give "
            "those coefficients a positive penalty weight or use more samples."
        )
    rank = u + e.size
    kappa = np.empty_like(lam)
    zero = (lam == 0) & (rank <= k)
    kappa[zero] = 0.0
    todo = ~zero
    if not np.any(todo):
        return kappa
    lt = lam[todo]
    # Bracket: F(kappa) <= kappa (1 - u/k) and F(kappa) >= kappa (1 - u/k) - sum(e)/k.
    slope = 1.0 - u / k
    kap = (lt + e.sum() / k) / slope
    kap = kap * (1.0 + 1e-12) + 1e-300
    for _ in range(max_iter):
        r = e[None, :] / (e[None, :] + kap[:, None])
        df1 = u + r.sum(axis=1)
        df2 = u + (r * r).sum(axis=1)
        f = kap * (1.0 - df1 / k) - lt
        fprime = 1.0 - df2 / k
        step = f / fprime
        new = kap - step
        # Newton from the right of a convex increasing function stays right of
        # the root; guard against round-off pushing it below zero.
        new = np.where(new > 0, new, kap / 2.0)
        done = np.abs(new - kap) <= 4 * np.finfo(float).eps * np.abs(kap)
        kap = new
        if np.all(done | (step <= 0)):
            break
    kappa[todo] = kap
    return kappa


def ratio_terms(kappa, sig, g):
    """Per-direction ``a = sig/(sig + kappa g)`` and ``h = sig/(sig + kappa g)^2``.

    Directions with ``sig + kappa g = 0`` (no signal, no effective penalty) get
    ``a = h = 0``: the minimum-norm fit leaves them at zero.

    Parameters
    ----------
    kappa : ndarray of shape (n_lambdas,)
    sig : ndarray of shape (p,)
    g : ndarray of shape (p,)

    Returns
    -------
    a, h : ndarray of shape (n_lambdas, p)
    """
    den = sig[None, :] + kappa[:, None] * g[None, :]
    pos = den > 0
    safe = np.where(pos, den, 1.0)
    with np.errstate(over="ignore", under="ignore"):  # h -> 0 at huge kappa
        a = np.where(pos, sig[None, :] / safe, 0.0)
        h = np.where(pos, sig[None, :] / safe**2, 0.0)
    return a, h


def whitened_spectrum(sig, g):
    """Eigenvalues ``e`` and unpenalized count ``u`` of a diagonal pair.

    Parameters
    ----------
    sig : ndarray of shape (p,)
        Diagonal of ``Sigma`` (non-negative).
    g : ndarray of shape (p,)
        Diagonal of ``G`` (non-negative).

    Returns
    -------
    e : ndarray
        ``sig / g`` over directions with ``sig > 0`` and ``g > 0``.
    u : int
        Number of directions with ``sig > 0`` and ``g = 0``.
    """
    penalized = (sig > 0) & (g > 0)
    u = int(np.sum((sig > 0) & (g == 0)))
    return sig[penalized] / g[penalized], u


def shrinkage_terms(kappa, sig, g):
    """Per-direction shrinkage ``c = kappa g / (sig + kappa g) = 1 - a``.

    Computed directly, not as ``kappa^2 h`` (which is ``inf * 0`` once
    ``kappa g`` squared overflows) nor as ``1 - a`` (which loses all digits
    when ``a`` is near 1). Directions with ``sig + kappa g = 0`` get ``0``.

    Parameters
    ----------
    kappa : ndarray of shape (n_lambdas,)
    sig : ndarray of shape (p,)
    g : ndarray of shape (p,)

    Returns
    -------
    c : ndarray of shape (n_lambdas, p)
    """
    kg = kappa[:, None] * g[None, :]
    den = sig[None, :] + kg
    pos = den > 0
    with np.errstate(invalid="ignore"):
        c = np.where(pos, kg / np.where(pos, den, 1.0), 0.0)
    # kappa = inf: the shrinkage is total wherever the penalty is positive
    return np.where(np.isnan(c), 1.0, c)
