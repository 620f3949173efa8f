"""Sufficient statistics of weighted ridge regression: accumulate, merge, solve.

Ridge regression depends on the data only through the weighted means and the
centered co-moments

.. code-block:: text

    W   = sum_i s_i                           (total weight)
    m_x = sum_i s_i x_i / W,  m_y = sum_i s_i y_i / W
    Cxx = sum_i s_i (x_i - m_x)(x_i - m_x)'   (d x d)
    Cxy = sum_i s_i (x_i - m_x)(y_i - m_y)'   (d x k)
    Cyy = sum_i s_i (y_i - m_y)(y_i - m_y)'   (k x k)

These add up across chunks (and machines) with the pairwise update of Chan,
Golub & LeVeque (1979): the means merge as a weighted average and the
co-moments as ``C_a + C_b + (W_a W_b / W) delta delta'`` with ``delta`` the
difference of the means. Keeping the *centered* co-moments (never
``sum s x x'`` minus ``W m m'``) avoids the cancellation of the textbook
one-pass formula when the mean is large against the spread. Everything is
accumulated in float64 whatever the dtype of the chunks.

Without an intercept the uncentered moments are ``Cxx + W m_x m_x'`` (a sum of
positive semi-definite terms, no cancellation).

The solvers here work from the Gram matrix only: ``(A + alpha Gamma) w = b``
by Cholesky, or the eigendecomposition of the penalty-transformed Gram
(the same reparametrization ``w = T c + V0 u`` as :mod:`skw2s._ridge_solvers`)
which gives the coefficients for any number of alphas. The Dask helpers at the
end compute the statistics blockwise on a cluster (only d x d results travel).
"""

import numpy as np
from scipy import linalg

from ._ridge_solvers import (
    _check_penalty_weights,
    _cho_solve_pd,
    _SingularSystem,
)


class _SufficientStats:
    """Weighted means and centered co-moments of ``(X, y)`` rows, in float64.

    Attributes
    ----------
    n_samples : int
        Number of rows accumulated (zero-weight rows included).
    sum_weights : float
        ``W``, the total sample weight.
    X_mean, y_mean : ndarray of shape (d,) and (k,)
    XX, Xy, yy : ndarray of shape (d, d), (d, k), (k, k)
        Centered co-moments (weighted sums, not averages).
    y_1d : bool
        Whether the targets were given 1-D (the shape of the coefficients).
    """

    y_1d = False

    def __init__(self, n_samples, sum_weights, X_mean, y_mean, XX, Xy, yy):
        self.n_samples = int(n_samples)
        self.sum_weights = float(sum_weights)
        self.X_mean = X_mean
        self.y_mean = y_mean
        self.XX = XX
        self.Xy = Xy
        self.yy = yy

    @property
    def n_features(self):
        return self.X_mean.shape[0]

    @property
    def n_targets(self):
        return self.y_mean.shape[0]

    def gram(self, fit_intercept=True):
        """``(A, b, yy)``: the centered or uncentered weighted Gram and cross terms."""
        if fit_intercept:
            return self.XX, self.Xy, self.yy
        W = self.sum_weights
        return (
            self.XX + W * np.outer(self.X_mean, self.X_mean),
            self.Xy + W * np.outer(self.X_mean, self.y_mean),
            self.yy + W * np.outer(self.y_mean, self.y_mean),
        )

    def __repr__(self):
        return (
            f"_SufficientStats(n_samples={self.n_samples}, "
            f"n_features={self.n_features}, n_targets={self.n_targets})"
        )


def chunk_stats(X, y, sample_weight=None):
    """Sufficient statistics of one chunk (validated arrays; ``y`` 2-D).

    The chunk is cast to float64 and centered at its own weighted mean before
    the products, so the co-moments carry no cancellation error.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    n, d = np.shape(X)
    if n == 0:
        return _empty_stats(d, y.shape[1])
    if sample_weight is None:
        W = float(n)
        # the mean in float64 straight from the chunk, then one pass that
        # casts and centers (the only copy of the chunk)
        X_mean = np.mean(X, axis=0, dtype=np.float64)
        y_mean = y.mean(axis=0)
        Xc = np.subtract(X, X_mean, dtype=np.float64)
        yc = y - y_mean
        XX = Xc.T @ Xc  # numpy uses syrk for a.T @ a
        Xy = Xc.T @ yc
        yy = yc.T @ yc
    else:
        sw = np.asarray(sample_weight, dtype=np.float64)
        W = float(sw.sum())
        if W == 0:
            stats = _empty_stats(d, y.shape[1])
            stats.n_samples = n
            return stats
        Xc = np.array(X, dtype=np.float64, copy=True, order="C")
        X_mean = (sw @ Xc) / W
        y_mean = (sw @ y) / W
        Xc -= X_mean
        yc = y - y_mean
        # scale the rows by sqrt(w): a symmetric product (syrk) again
        sq = np.sqrt(sw)[:, None]
        Xc *= sq
        yc = yc * sq
        XX = Xc.T @ Xc
        Xy = Xc.T @ yc
        yy = yc.T @ yc
    return _SufficientStats(n, W, X_mean, y_mean, XX, Xy, yy)


def _empty_stats(d, k):
    return _SufficientStats(
        0, 0.0, np.zeros(d), np.zeros(k), np.zeros((d, d)), np.zeros((d, k)),
        np.zeros((k, k)),
    )


def merge_stats(a, b):
    """Merge two statistics (Chan et al.'s pairwise update); returns a new object."""
    if a.n_features != b.n_features or a.n_targets != b.n_targets:
        raise ValueError(
            "Cannot merge statistics of different shapes: "
            f"({a.n_features} features, {a.n_targets} targets) and "
            f"({b.n_features} features, {b.n_targets} targets)."
        )
    n = a.n_samples + b.n_samples
    if b.sum_weights == 0:
        return _SufficientStats(
            n, a.sum_weights, a.X_mean.copy(), a.y_mean.copy(), a.XX.copy(),
            a.Xy.copy(), a.yy.copy(),
        )
    if a.sum_weights == 0:
        return _SufficientStats(
            n, b.sum_weights, b.X_mean.copy(), b.y_mean.copy(), b.XX.copy(),
            b.Xy.copy(), b.yy.copy(),
        )
    W = a.sum_weights + b.sum_weights
    f = b.sum_weights / W
    c = a.sum_weights * f  # W_a W_b / W
    dx = b.X_mean - a.X_mean
    dy = b.y_mean - a.y_mean
    return _SufficientStats(
        n,
        W,
        a.X_mean + f * dx,
        a.y_mean + f * dy,
        a.XX + b.XX + c * np.outer(dx, dx),
        a.Xy + b.Xy + c * np.outer(dx, dy),
        a.yy + b.yy + c * np.outer(dy, dy),
    )


def reduce_stats(stats):
    """Merge a list of statistics pairwise (a balanced tree)."""
    stats = list(stats)
    if not stats:
        raise ValueError("No statistics to merge.")
    while len(stats) > 1:
        pairs = zip(stats[::2], stats[1::2], strict=False)
        merged = [merge_stats(a, b) for a, b in pairs]
        if len(stats) % 2:
            merged.append(stats[-1])
        stats = merged
    return stats[0]


# ---------------------------------------------------------------------------
# solving from the Gram matrix
# ---------------------------------------------------------------------------


def _check_solvable(stats):
    if stats.sum_weights <= 0:
        raise ValueError(
            "The accumulated sample weights sum to zero (or no row was "
            "accumulated); there is nothing to fit."
        )


def _null_check(A, A_unc, penalty, n_samples):
    """Clear error if the Gram is singular on the unpenalized directions.

    Returns ``N = V0' A V0`` (or None when ``Gamma`` is definite). A
    direction counts as missing when its eigenvalue is below
    ``max(n, q) * eps`` times the larger of the largest eigenvalue, the
    uncentered energy on ``V0`` and the mean diagonal of the uncentered Gram
    (the Gram analogue of :func:`skw2s._ridge_solvers._null_scale`).
    """
    if penalty.n_null == 0:
        return None
    N = penalty.null_x(penalty.null_x(A).T)
    N = (N + N.T) / 2
    q = N.shape[0]
    lam = linalg.eigvalsh(N, check_finite=False)
    ref = max(
        float(lam[-1]) if lam.size else 0.0,
        float(np.trace(penalty.null_x(penalty.null_x(A_unc).T))),
        float(np.trace(A_unc)) / A.shape[0],
    )
    rank = int((lam > max(n_samples, q) * np.finfo(np.float64).eps * ref).sum())
    if ref <= 0 or rank < q:
        raise ValueError(
            f"penalty_weights leaves {q} coefficient direction(s) unpenalized "
            "(zero weights or a singular matrix), but X (after centering for the "
            f"intercept) has rank {rank} < {q} on them, so the weighted ridge "
            "solution is not unique. Give these directions a positive penalty or "
            "remove the collinear/constant features."
        )
    return N


class _GramPath:
    """Eigendecomposition of a ridge problem given by its Gram matrix.

    ``coef(alpha) = B (r / (s + alpha)) + b0`` as in
    :class:`skw2s._ridge_solvers._RidgePath` (method ``"eigen"``, primal
    side), computed from ``stats`` alone.
    """

    def __init__(self, stats, penalty_weights=None, fit_intercept=True):
        _check_solvable(stats)
        d = stats.n_features
        penalty = _check_penalty_weights(penalty_weights, d, np.float64)
        A, b, _ = stats.gram(fit_intercept)
        N = _null_check(A, stats.gram(False)[0], penalty, stats.n_samples)
        AT = penalty.to_z(A)  # A T, (d, p)
        Zg = penalty.to_z(AT.T)  # T' A T, (p, p)
        Zb = penalty.to_z(b.T).T  # T' b, (p, k)
        if N is not None:
            C = penalty.null_x(AT.T)  # T' A V0, (p, q)
            Vb = penalty.null_x(b.T).T  # V0' b, (q, k)
            H = linalg.solve(N, C.T, assume_a="pos", check_finite=False)  # (q, p)
            u0 = linalg.solve(N, Vb, assume_a="pos", check_finite=False)  # (q, k)
            Zg = Zg - C @ H
            Zb = Zb - C @ u0
        Zg = (Zg + Zg.T) / 2
        p = Zg.shape[0]
        if p:
            s, Q = linalg.eigh(Zg, driver="evd", check_finite=False)
            eps = np.finfo(np.float64).eps
            keep = s > max(stats.n_samples, p) * eps * max(s[-1], 0)
            s, Q = s[keep], Q[:, keep]
        else:
            s, Q = np.zeros(0), np.zeros((0, 0))
        B = penalty.back(Q)
        self.b0_ = None
        if N is not None:
            B = B + penalty.null_embed(-(H @ Q))
            self.b0_ = penalty.null_embed(u0)
        self.B_ = np.ascontiguousarray(B)
        self.r_ = Q.T @ Zb
        self.s_ = s
        self.fit_intercept = fit_intercept
        self.X_offset_ = stats.X_mean if fit_intercept else np.zeros(d)
        self.y_offset_ = stats.y_mean if fit_intercept else np.zeros(stats.n_targets)

    def coefs(self, alphas):
        """Coefficients (n_alphas, k, d) and intercepts (n_alphas, k)."""
        alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
        factors = self.r_[None] / (self.s_[None, :, None] + alphas[:, None, None])
        coef = np.matmul(self.B_, factors)
        if self.b0_ is not None:
            coef += self.b0_
        coef = coef.transpose(0, 2, 1)
        if self.fit_intercept:
            intercept = self.y_offset_ - coef @ self.X_offset_
        else:
            intercept = np.zeros(coef.shape[:2])
        return coef, intercept

    def predict(self, X, alphas):
        """Predictions (n_alphas, n_samples, k) on ``X`` for every alpha."""
        Xc = np.asarray(X, dtype=np.float64) - self.X_offset_
        factors = self.r_[None] / (
            self.s_[None, :, None]
            + np.asarray(alphas, float).reshape(-1)[:, None, None]
        )
        pred = np.matmul(Xc @ self.B_, factors)
        if self.b0_ is not None:
            pred += Xc @ self.b0_
        return pred + self.y_offset_


def solve_from_stats(stats, alpha, penalty_weights=None, fit_intercept=True,
                     solver="auto"):
    """Weighted ridge coefficients from sufficient statistics.

    ``solver``: ``"auto"``/``"cholesky"`` solve ``(A + alpha Gamma) w = b``
    by Cholesky (``"eigen"`` for ``alpha == 0`` or when the system is
    numerically singular); ``"eigen"`` uses :class:`_GramPath`, and so do
    ``"svd"`` and ``"dual"``, which would need the rows.

    Returns ``coef`` (k, d), ``intercept`` (k,) and the solver used.
    """
    _check_solvable(stats)
    d = stats.n_features
    penalty = _check_penalty_weights(penalty_weights, d, np.float64)
    if solver in ("svd", "dual"):
        # both need the rows; the eigendecomposition of the Gram is the
        # closest (exact for alpha = 0 as the minimum-norm solution)
        solver = "eigen"
    if solver == "auto":
        solver = "eigen" if alpha == 0 else "cholesky"
    coef = None
    if solver == "cholesky":
        A, b, _ = stats.gram(fit_intercept)
        _null_check(A, stats.gram(False)[0], penalty, stats.n_samples)
        A = A.copy()
        penalty.add_to_gram(A, alpha)
        try:
            coef = _cho_solve_pd(A, b.copy()).T
        except _SingularSystem:
            solver = "eigen"
    if coef is None:
        coef_a, _ = _GramPath(stats, penalty, fit_intercept).coefs([alpha])
        coef = coef_a[0]
    if fit_intercept:
        intercept = stats.y_mean - coef @ stats.X_mean
    else:
        intercept = np.zeros(stats.n_targets)
    return coef, intercept, solver


# ---------------------------------------------------------------------------
# Dask: statistics computed blockwise on a cluster
# ---------------------------------------------------------------------------


def is_dask_array(X):
    """Whether ``X`` is a ``dask.array.Array`` (without importing Dask)."""
    return type(X).__module__.startswith("dask.") and hasattr(X, "to_delayed")


def _import_dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - guarded by is_dask_array
        raise ImportError(
            "Dask arrays need the optional dependency dask: pip install "
            "'skw2s[dask]'."
        ) from exc
    return dask, da


def _block_stats(X, y, sample_weight):
    """:func:`chunk_stats` of one block after a finiteness check."""
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError(
            "Input X or y contains NaN or infinity (found in a block of the "
            "Dask array)."
        )
    if sample_weight is not None and (
        not np.isfinite(sample_weight).all() or (sample_weight < 0).any()
    ):
        raise ValueError(
            "sample_weight must be finite and non-negative (found otherwise in "
            "a block of the Dask array)."
        )
    return chunk_stats(X, y, sample_weight)


def dask_stats(X, y, sample_weight=None):
    """Sufficient statistics of Dask arrays, computed blockwise.

    ``X`` is rechunked to whole rows (one block along the features); ``y`` and
    ``sample_weight`` (Dask or NumPy) are aligned to its row blocks. Each block's
    statistics are computed where the block lives and merged in a tree; only
    the d x d result is returned to the client. Raises a ValueError naming
    ``X`` if its chunk sizes are unknown.
    """
    dask, da = _import_dask()
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D Dask array; got {X.ndim} dimension(s)."
        )
    if any(np.isnan(c) for c in X.chunks[0]) or np.isnan(X.shape[1]):
        raise ValueError(
            "X is a Dask array with unknown chunk sizes (e.g. after boolean "
            "indexing or from a dataframe's .values). Call "
            "X.compute_chunk_sizes() (or use .to_dask_array(lengths=True)) "
            "first."
        )
    if X.dtype.kind not in "fiub":
        raise ValueError(f"X must be a numeric Dask array; got dtype {X.dtype}.")
    n, d = X.shape
    row_chunks = X.chunks[0]
    X = X.rechunk({1: -1})

    def _aligned(a, name):
        if a is None:
            return None
        if is_dask_array(a):
            if any(np.isnan(c) for c in a.chunks[0]):
                raise ValueError(
                    f"{name} is a Dask array with unknown chunk sizes; call "
                    f"{name}.compute_chunk_sizes() first."
                )
        else:
            a = np.asarray(a)
            if a.ndim == 0:
                a = np.full(n, float(a))
        if a.shape[0] != n:
            raise ValueError(
                f"X and {name} have inconsistent numbers of samples: X has {n}, "
                f"{name} has {a.shape[0]}."
            )
        a = da.asarray(a)
        chunks = (row_chunks,) + tuple((s,) for s in a.shape[1:])
        return a.rechunk(chunks)

    y = _aligned(y, "y")
    if y.ndim > 2:
        raise ValueError(f"y must be 1-D or 2-D; got shape {y.shape}.")
    sw = _aligned(sample_weight, "sample_weight")
    xb = X.to_delayed().ravel()
    yb = y.to_delayed().ravel()
    wb = sw.to_delayed().ravel() if sw is not None else [None] * len(xb)
    parts = [
        dask.delayed(_block_stats)(a, b, w) for a, b, w in zip(xb, yb, wb, strict=True)
    ]
    while len(parts) > 1:
        pairs = zip(parts[::2], parts[1::2], strict=False)
        merged = [dask.delayed(merge_stats)(a, b) for a, b in pairs]
        if len(parts) % 2:
            merged.append(parts[-1])
        parts = merged
    stats = parts[0].compute()
    if stats.n_features != d:  # pragma: no cover - defensive
        raise ValueError("Dask blocks returned statistics of the wrong width.")
    return stats


# ---------------------------------------------------------------------------
# held-out scores of a path from the held-out rows' statistics
# ---------------------------------------------------------------------------


def path_scores_from_stats(coefs, intercepts, val, metric="r2"):
    """R^2 or negated MSE of each linear model on held-out rows, from their stats.

    ``coefs`` (n_alphas, d) and ``intercepts`` (n_alphas,) are the models;
    ``val`` the sufficient statistics of the held-out rows (one target). The
    weighted residual sum of squares of ``x' b + c`` is
    ``W (m_y - m_x' b - c)^2 + b' Cxx b - 2 b' Cxy + Cyy``, so the held-out rows
    themselves need not be kept. Same conventions as
    :func:`sklearn.metrics.r2_score` (``force_finite=True``) and
    :func:`sklearn.metrics.mean_squared_error` with sample weights.
    """
    _check_solvable(val)
    W = val.sum_weights
    Xy, yy = val.Xy[:, 0], float(val.yy[0, 0])
    mean_res = val.y_mean[0] - coefs @ val.X_mean - intercepts
    quad = np.einsum("ad,de,ae->a", coefs, val.XX, coefs)
    sse = W * mean_res**2 + quad - 2 * coefs @ Xy + yy
    sse = np.maximum(sse, 0.0)
    if metric == "neg_mean_squared_error":
        return -sse / W
    if yy == 0:
        return np.where(sse == 0, 1.0, 0.0)
    return 1.0 - sse / yy
