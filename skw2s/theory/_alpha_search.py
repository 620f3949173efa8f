"""One-dimensional search of the alpha that minimizes a vectorized risk curve."""

import numpy as np
from scipy.optimize import minimize_scalar


def _minimize_alpha(fun, k, scale, limit_at_inf):
    """Minimize ``fun`` (vectorized over alphas) over ``alpha >= 0``.

    A log-spaced grid of 121 alphas around the natural scale ``k * scale`` plus
    ``alpha = 0`` locates the basin; bounded Brent on ``log(alpha)`` refines it.
    Returns ``(alpha, risk)``; ``alpha = 0`` or ``inf`` when the infimum is there.
    """
    grid = k * scale * np.logspace(-8, 7, 121)
    vals = np.asarray(fun(np.concatenate([[0.0], grid])), dtype=float)
    vals = np.where(np.isnan(vals), np.inf, vals)
    i = int(np.argmin(vals))
    if i == 0:
        return 0.0, float(vals[0])
    if i == len(vals) - 1:
        if limit_at_inf <= vals[i]:
            return np.inf, float(limit_at_inf)
        return float(grid[-1]), float(vals[i])
    lo = np.log(grid[max(i - 2, 0)])
    hi = np.log(grid[min(i, len(grid) - 1)])
    res = minimize_scalar(
        lambda t: float(np.asarray(fun(np.array([np.exp(t)])))[0]),
        bounds=(lo, hi), method="bounded", options={"xatol": 1e-10},
    )
    if res.fun <= vals[i]:
        return float(np.exp(res.x)), float(res.fun)
    return float(grid[i - 1]), float(vals[i])
