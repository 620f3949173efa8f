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
by Cholesky after an exact equilibration (powers of two bring the diagonal to
order one, so a column on another scale than the others costs no accuracy),
one factorization per alpha; a system that is singular even then is solved by
the in-memory path of :mod:`skw2s._ridge_solvers` on rows ``R`` with
``R'R`` equal to the Gram (a square root of the equilibrated Gram, or the rows
themselves when a chunk kept them). The Dask helpers at the end compute the
statistics blockwise on a cluster (only d x d results travel).
"""

import numpy as np
from scipy import linalg

from ._ridge_solvers import (
    _check_penalty_weights,
    _cho_solve_pd,
    _equilibration,
    _RidgePath,
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
    rows : tuple of two ndarrays or None
        ``(F, Fy)`` of shapes (r, d) and (r, k) with ``XX = F'F``,
        ``Xy = F'Fy`` and ``yy = Fy'Fy`` (the centered rows scaled by
        ``sqrt(sample_weight)``), kept instead of ``XX`` for a chunk with fewer
        rows than features (``chunk_stats(..., rows=True)``): then ``XX`` is
        formed only when first needed, and the solvers use the rows
        themselves. None once merged with other statistics.
    y_1d : bool
        Whether the targets were given 1-D (the shape of the coefficients).
    """

    y_1d = False

    def __init__(self, n_samples, sum_weights, X_mean, y_mean, XX, Xy, yy,
                 rows=None):
        self.n_samples = int(n_samples)
        self.sum_weights = float(sum_weights)
        self.X_mean = X_mean
        self.y_mean = y_mean
        self._XX = XX
        self.Xy = Xy
        self.yy = yy
        self.rows = rows

    @property
    def XX(self):
        if self._XX is None:
            F = self.rows[0]
            self._XX = F.T @ F
        return self._XX

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

    def copy(self):
        out = _SufficientStats(
            self.n_samples, self.sum_weights, self.X_mean.copy(),
            self.y_mean.copy(), None if self._XX is None else self._XX.copy(),
            self.Xy.copy(), self.yy.copy(), self.rows,
        )
        out.y_1d = self.y_1d
        return out

    def __repr__(self):
        return (
            f"_SufficientStats(n_samples={self.n_samples}, "
            f"n_features={self.n_features}, n_targets={self.n_targets})"
        )


def chunk_stats(X, y, sample_weight=None, rows=False):
    """Sufficient statistics of one chunk (validated arrays; ``y`` 2-D).

    The chunk is cast to float64 and centered at its own weighted mean before
    the products, so the co-moments carry no cancellation error. With
    ``rows=True`` and fewer rows than features, the centered weighted rows are
    kept instead of the ``d x d`` co-moment (see :class:`_SufficientStats`).
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
    Xy = Xc.T @ yc
    yy = yc.T @ yc
    if rows and n < d:
        return _SufficientStats(n, W, X_mean, y_mean, None, Xy, yy, rows=(Xc, yc))
    XX = Xc.T @ Xc  # numpy uses syrk for a.T @ a
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
    if b.sum_weights == 0 or a.sum_weights == 0:
        out = (a if b.sum_weights == 0 else b).copy()
        out.n_samples = n
        return out
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


def _gram_rows(stats, fit_intercept=True):
    """Rows ``(R, q)`` with the statistics' Gram: ``R'R = A`` and ``R'q = b``.

    A ridge problem on the rows ``(R, q)`` without intercept has the same
    solution as the one given by ``stats``, so the in-memory solvers (SVD, the
    eigendecomposition path, least squares for a penalty of large spread) run
    on them unchanged. A chunk that kept its rows gives them exactly.
    Otherwise ``A`` is first equilibrated (:func:`_equilibration`: a diagonal
    of order one, exactly), ``S A S = V diag(lam) V'``, and
    ``R = diag(sqrt(lam)) V' S^{-1}`` over the eigenvalues above
    ``max(n, d) * eps * max(lam)`` (the rounding of the accumulated Gram),
    so columns on very different scales keep their digits.
    """
    if stats.rows is not None:
        F, Fy = stats.rows
        if fit_intercept:
            return F, Fy
        W = stats.sum_weights
        return (
            np.vstack([F, np.sqrt(W) * stats.X_mean[None, :]]),
            np.vstack([Fy, np.sqrt(W) * stats.y_mean[None, :]]),
        )
    A, b, _ = stats.gram(fit_intercept)
    d = A.shape[0]
    s = _equilibration(np.diag(A))
    B = (A * s[:, None]) * s[None, :]
    lam, V = linalg.eigh((B + B.T) / 2, check_finite=False)
    keep = lam > max(stats.n_samples, d) * np.finfo(np.float64).eps * max(lam[-1], 0)
    lam, V = lam[keep], V[:, keep]
    root = np.sqrt(lam)
    R = (root[:, None] * V.T) / s[None, :]
    q = (V.T @ (s[:, None] * b)) / root[:, None]
    return R, q


class _GramPath:
    """Weighted ridge solutions for any alpha from sufficient statistics.

    Each positive-definite system ``(A + alpha Gamma) w = b`` is solved by
    Cholesky after an exact equilibration (:func:`_cho_solve_pd`), which is as
    accurate as an in-memory fit whatever the scales of the columns; a system
    that is singular even after equilibration (``alpha = 0`` on
    rank-deficient data, say) is solved on the rows of :func:`_gram_rows` by
    :class:`skw2s._ridge_solvers._RidgePath` (the minimum-norm solution in
    the ``Gamma`` metric at ``alpha = 0``, as the SVD solver of ``fit``).
    ``method_`` is the solver of the last :meth:`coefs` call (``"cholesky"``
    if every alpha was solved so).
    """

    def __init__(self, stats, penalty_weights=None, fit_intercept=True):
        _check_solvable(stats)
        d = stats.n_features
        self.stats = stats
        self.penalty = _check_penalty_weights(penalty_weights, d, np.float64)
        self.fit_intercept = fit_intercept
        A, self.b_, _ = stats.gram(fit_intercept)
        _null_check(A, stats.gram(False)[0], self.penalty, stats.n_samples)
        self.A_ = A
        self.X_offset_ = stats.X_mean if fit_intercept else np.zeros(d)
        self.y_offset_ = stats.y_mean if fit_intercept else np.zeros(stats.n_targets)
        self._rows = None
        self.method_ = "cholesky"

    def _decomposition(self, method, alpha_min):
        if self._rows is None:
            self._rows = _gram_rows(self.stats, self.fit_intercept)
        R, q = self._rows
        return _RidgePath(R, q, None, self.penalty, False, method, alpha_min)

    def _cholesky(self, alpha):
        A = self.A_.copy()
        self.penalty.add_to_gram(A, alpha)
        return _cho_solve_pd(A, self.b_.copy()).T

    def coefs(self, alphas, method="auto"):
        """Coefficients (n_alphas, k, d) and intercepts (n_alphas, k).

        ``method="auto"`` tries the equilibrated Cholesky for each alpha and
        falls back to the decomposition; ``"eigen"``/``"svd"`` use the
        decomposition of :func:`_gram_rows` for every alpha.
        """
        alphas = np.asarray(alphas, dtype=np.float64).reshape(-1)
        k, d = self.stats.n_targets, self.stats.n_features
        coef = np.empty((alphas.size, k, d))
        rest = []
        methods = set()
        for i, alpha in enumerate(alphas):
            if method == "auto":
                try:
                    coef[i] = self._cholesky(alpha)
                    methods.add("cholesky")
                    continue
                except _SingularSystem:
                    pass
            rest.append(i)
        if rest:
            path = self._decomposition(
                "svd" if method == "svd" else "eigen", float(alphas[rest].min())
            )
            coef[rest] = path.coefs(alphas[rest])[0]
            methods.add(path.method_)
        self.method_ = (methods - {"cholesky"}).pop() if len(methods) > 1 else (
            methods.pop() if methods else "cholesky")
        if self.fit_intercept:
            intercept = self.y_offset_ - coef @ self.X_offset_
        else:
            intercept = np.zeros(coef.shape[:2])
        return coef, intercept

    def predict(self, X, alphas):
        """Predictions (n_alphas, n_samples, k) on ``X`` for every alpha."""
        coef, intercept = self.coefs(alphas)
        X = np.asarray(X, dtype=np.float64)
        return np.matmul(X, coef.transpose(0, 2, 1)) + intercept[:, None, :]


def solve_from_stats(stats, alpha, penalty_weights=None, fit_intercept=True,
                     solver="auto"):
    """Weighted ridge coefficients from sufficient statistics.

    ``solver``: ``"auto"``/``"cholesky"`` solve ``(A + alpha Gamma) w = b``
    by Cholesky after an exact equilibration (``"auto"`` with ``alpha == 0``
    goes straight to the decomposition, the minimum-norm solution like the SVD
    solver of ``fit``); a system singular even after equilibration falls back
    to the decomposition. ``"eigen"`` (and ``"svd"``/``"dual"``, which name
    solvers of the rows) solve on the rows of :func:`_gram_rows` with
    :class:`skw2s._ridge_solvers._RidgePath`, whose eigendecomposition
    switches to an SVD when ``alpha`` is below the rounding of the Gram matrix.

    Returns ``coef`` (k, d), ``intercept`` (k,) and the solver used.
    """
    path = _GramPath(stats, penalty_weights, fit_intercept)
    if solver in ("auto", "cholesky") and (alpha > 0 or solver == "cholesky"):
        method = "auto"
    else:
        method = "eigen"
    coef, intercept = path.coefs([alpha], method)
    return coef[0], intercept[0], path.method_


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
