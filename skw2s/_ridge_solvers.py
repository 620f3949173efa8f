"""Solvers of (weighted) ridge regression, their choice, and the regularization path.

Everything here works on validated NumPy arrays; the estimator
:class:`~skw2s.WeightedRidge` and the public :func:`~skw2s.weighted_ridge_path`
validate their input and call these functions.

Notation. After weighted centering (for the intercept) and scaling the rows by
``sqrt(sample_weight)``, the problem is ``min_b ||y - X b||^2 + alpha b' G b``
with ``G = Gamma`` symmetric positive semi-definite. It is solved through the
reparametrization ``b = T c + V0 u`` where the columns of ``T`` span the range
of ``G`` scaled so that ``T' G T = I`` and ``V0`` spans the null space of ``G``.
In ``c`` the penalty is the plain ``alpha ||c||^2`` on the design ``Z = X T``;
``u`` is unpenalized (like an intercept): it is projected out and recovered by
least squares, which is unique iff ``X V0`` has full column rank.

Every solution then has the form ``b(alpha) = B (r / (s + alpha)) + b0``: one
decomposition (eigendecomposition of the smaller Gram matrix of ``Z``, or the
SVD of ``Z``) gives the coefficients for every ``alpha`` at ``O(d * rank)``
each. :class:`_RidgePath` stores that form.
"""

import numpy as np
from scipy import linalg

from ._compat import eigh_evd
from ._validation import check_psd, psd_tolerance

# ---------------------------------------------------------------------------
# penalty_weights
# ---------------------------------------------------------------------------


class _Penalty:
    """A validated penalty matrix ``Gamma`` and its reparametrization.

    ``kind`` is ``"identity"``, ``"diagonal"`` or ``"full"``. For a diagonal
    penalty ``g`` holds the weights; ``pos`` marks the penalized coefficients.
    For a full positive definite ``G``, ``L`` is its lower Cholesky factor and
    ``T = L^{-T}``; for a singular one, ``T`` and ``V0`` come from its
    eigendecomposition.
    """

    def __init__(self, kind, n_features, *, g=None, G=None, L=None, T=None, V0=None):
        self.kind = kind
        self.n_features = n_features
        self.g = g
        self.G = G
        self.L = L
        self.T = T
        self.V0 = V0
        #: Ratio of the largest to the smallest positive eigenvalue of G.
        self.spread = 1.0
        if kind == "diagonal":
            self.pos = g > 0
            self.all_pos = bool(self.pos.all())
            self.scale = 1.0 / np.sqrt(g[self.pos])
            self.n_null = int(n_features - self.pos.sum())
            if self.pos.any():
                self.spread = float(g[self.pos].max() / g[self.pos].min())
        elif kind == "full" and V0 is not None:
            self.n_null = V0.shape[1]
        else:
            self.n_null = 0
        if kind == "full" and G is not None and G.size and self.n_null < n_features:
            lam = np.linalg.eigvalsh(G.astype(np.float64))
            lam = lam[lam > psd_tolerance(abs(lam[-1]), n_features)]
            if lam.size:
                self.spread = float(lam[-1] / lam[0])

    def scaled(self, e):
        """The penalty ``2**e * G`` (exact; ``e`` even)."""
        f, h = np.ldexp(1.0, e), np.ldexp(1.0, e // 2)
        return _Penalty(
            self.kind, self.n_features,
            g=None if self.g is None else self.g * f,
            G=None if self.G is None else self.G * f,
            L=None if self.L is None else self.L * h,
            T=None if self.T is None else self.T / h,
            V0=self.V0,
        )

    def magnitude(self):
        """Binary exponent of the largest entry of G (0 for the identity)."""
        if self.kind == "identity":
            return 0
        M = self.g if self.kind == "diagonal" else self.G
        m = float(np.abs(M).max()) if M.size else 0.0
        return int(np.frexp(m)[1]) if m > 0 else 0

    def root(self):
        """``R`` with ``R' R = G`` (rows for the penalized directions only)."""
        if self.kind == "identity":
            return np.eye(self.n_features)
        if self.kind == "diagonal":
            R = np.zeros((int(self.pos.sum()), self.n_features))
            R[np.arange(R.shape[0]), np.flatnonzero(self.pos)] = np.sqrt(
                self.g[self.pos]
            )
            return R
        if self.L is not None:
            return self.L.T.astype(np.float64)
        lam, V = np.linalg.eigh(self.G.astype(np.float64))
        keep = lam > psd_tolerance(abs(lam[-1]), self.n_features)
        return np.sqrt(lam[keep])[:, None] * V[:, keep].T

    def astype(self, dtype):
        """The same penalty with its arrays cast to ``dtype`` (no copy if equal)."""
        conv = {
            k: None if v is None else v.astype(dtype, copy=False)
            for k, v in dict(g=self.g, G=self.G, L=self.L, T=self.T, V0=self.V0).items()
        }
        return _Penalty(self.kind, self.n_features, **conv)

    # --- linear maps of the reparametrization b = T c + V0 u ---------------
    def to_z(self, X, overwrite=False):
        """``X T``; returns ``X`` itself (no copy) for the identity.

        With ``overwrite=True`` a positive diagonal scaling is done in place.
        """
        if self.kind == "identity":
            return X
        if self.kind == "diagonal":
            if self.all_pos:
                if overwrite:
                    X *= self.scale
                    return X
                return X * self.scale
            return X[:, self.pos] * self.scale
        if self.L is not None:
            # X L^{-T} = (L^{-1} X')'
            return linalg.solve_triangular(
                self.L, X.T, lower=True, check_finite=False
            ).T
        return X @ self.T

    def back(self, C):
        """``T C`` for ``C`` of shape (rank, m): coefficients from ``c``."""
        if self.kind == "identity":
            return C
        if self.kind == "diagonal":
            if self.all_pos:
                return C * self.scale[:, None]
            out = np.zeros((self.n_features, C.shape[1]), dtype=C.dtype)
            out[self.pos] = C * self.scale[:, None]
            return out
        if self.L is not None:
            return linalg.solve_triangular(
                self.L, C, lower=True, trans="T", check_finite=False
            )
        return self.T @ C

    def null_x(self, X):
        """``X V0`` of shape (n_samples, n_null), or None if ``G`` is definite."""
        if self.n_null == 0:
            return None
        if self.kind == "diagonal":
            return X[:, ~self.pos]
        return X @ self.V0

    def null_embed(self, U):
        """``V0 U`` for ``U`` of shape (n_null, m)."""
        if self.kind == "diagonal":
            out = np.zeros((self.n_features, U.shape[1]), dtype=U.dtype)
            out[~self.pos] = U
            return out
        return self.V0 @ U

    def add_to_gram(self, A, alpha):
        """In place ``A += alpha * G`` for a (n_features, n_features) ``A``."""
        d = self.n_features
        if self.kind == "identity":
            A.flat[:: d + 1] += alpha
        elif self.kind == "diagonal":
            A.flat[:: d + 1] += alpha * self.g
        else:
            A += alpha * self.G


def _check_penalty_weights(penalty_weights, n_features, dtype=np.float64):
    """Validate ``penalty_weights`` and return a :class:`_Penalty`.

    Raises a ValueError naming ``penalty_weights`` for a wrong shape, NaN or
    infinite entries, negative weights, a non-symmetric or an indefinite matrix.
    """
    if penalty_weights is None:
        return _Penalty("identity", n_features)
    if isinstance(penalty_weights, _Penalty):
        return penalty_weights.astype(dtype)
    d = n_features
    P = check_psd(
        penalty_weights, name="penalty_weights", n_features=d,
        check_eigenvalues=False,  # decided below by Cholesky, or eigh if singular
    )
    if P.ndim == 1:
        return _Penalty("diagonal", d, g=P.astype(dtype))

    G = P
    scale = np.abs(G).max()
    if scale == 0:
        return _Penalty(
            "full", d, G=G.astype(dtype), T=np.zeros((d, 0), dtype), V0=np.eye(d)
        ).astype(dtype)
    try:
        L = linalg.cholesky(G, lower=True, check_finite=False)
    except linalg.LinAlgError:
        L = None
    if L is not None:
        piv = np.diag(L) ** 2
        if piv.min() > 100 * d * np.finfo(np.float64).eps * piv.max():
            return _Penalty("full", d, G=G.astype(dtype), L=L.astype(dtype))
    lam, V = linalg.eigh(G, check_finite=False)
    tol = psd_tolerance(np.abs(lam).max(), d)
    if lam[0] < -tol:
        raise ValueError(
            "penalty_weights must be positive semi-definite; its smallest "
            f"eigenvalue is {lam[0]:.3g} (largest {lam[-1]:.3g})."
        )
    pos = lam > tol
    T = V[:, pos] / np.sqrt(lam[pos])
    V0 = V[:, ~pos]
    return _Penalty("full", d, G=G, T=T, V0=V0).astype(dtype)


# ---------------------------------------------------------------------------
# data preprocessing
# ---------------------------------------------------------------------------


def _preprocess(X, y, sample_weight=None, fit_intercept=True):
    """Weighted centering then row scaling by ``sqrt(sample_weight)``.

    ``y`` must be 2-D. Returns ``Xs, ys, X_offset, y_offset``. ``X`` is never
    modified; ``Xs`` is ``X`` itself (no copy) when there is neither an
    intercept nor sample weights.
    """
    dtype = X.dtype
    if fit_intercept:
        if sample_weight is None:
            X_offset = X.mean(axis=0, dtype=dtype)
            y_offset = y.mean(axis=0, dtype=dtype)
        else:
            sw_sum = sample_weight.sum()
            X_offset = (sample_weight @ X) / sw_sum
            y_offset = (sample_weight @ y) / sw_sum
        Xs = X - X_offset
        ys = y - y_offset
    else:
        X_offset = np.zeros(X.shape[1], dtype=dtype)
        y_offset = np.zeros(y.shape[1], dtype=dtype)
        Xs, ys = X, y
    if sample_weight is not None:
        sq = np.sqrt(sample_weight)[:, None]
        if Xs is X:
            Xs = X * sq
            ys = y * sq
        else:
            Xs *= sq
            ys *= sq
    return Xs, ys, X_offset, y_offset


def _null_scale(penalty, X, sample_weight):
    """Scale for the rank test of ``X V0``.

    The larger of the norm of the uncentered, weighted ``X V0`` and the RMS
    column norm of the weighted ``X``: a constant unpenalized column (which
    centering turns into rounding noise) or a null direction of ``Gamma`` that
    ``X`` annihilates up to rounding is then caught.
    """
    XV0 = penalty.null_x(X)
    if sample_weight is not None:
        sq = np.sqrt(sample_weight)[:, None]
        XV0 = XV0 * sq
        x_norm = np.sqrt(np.einsum("ij,ij->", X, X * sample_weight[:, None]))
    else:
        x_norm = np.linalg.norm(X)
    return max(float(np.linalg.norm(XV0)), float(x_norm) / np.sqrt(X.shape[1]))


def _unpenalized_part(XV0, ref=0.0):
    """SVD of ``X V0``; a clear ValueError if it does not have full column rank.

    A singular value counts as zero below ``max(n, q) * eps * max(S, ref)``,
    with ``ref`` from :func:`_null_scale`.
    """
    n, q = XV0.shape
    U0, S0, Vt0 = linalg.svd(XV0, full_matrices=False, check_finite=False)
    eps = np.finfo(XV0.dtype).eps
    ref = max(float(S0.max()) if S0.size else 0.0, ref)
    rank = int((S0 > max(n, q) * eps * ref).sum()) if ref > 0 else 0
    if rank < q:
        raise ValueError(
            f"penalty_weights leaves {q} coefficient direction(s) unpenalized "
            "(zero weights or a singular matrix), but X (after centering for the "
            f"intercept) has rank {rank} < {q} on them, so the weighted ridge "
            "solution is not unique. Give these directions a positive penalty or "
            "remove the collinear/constant features."
        )
    return U0, S0, Vt0


def _project_unpenalized(Z, ys, XV0, ref=0.0):
    """Project the unpenalized directions out of ``Z`` and ``ys``.

    Returns ``Zp, yp, H, u0`` such that, with ``c`` the ridge solution on
    ``(Zp, yp)``, the unpenalized coordinates are ``u = u0 - H c``.
    """
    U0, S0, Vt0 = _unpenalized_part(XV0, ref)
    M = Vt0.T / S0  # (q, q): (X V0)^+ = M U0'
    W = U0.T @ Z
    w = U0.T @ ys
    Zp = Z - U0 @ W
    yp = ys - U0 @ w
    return Zp, yp, M @ W, M @ w


# ---------------------------------------------------------------------------
# numerical range: the scale of the data, the spread of the penalty
# ---------------------------------------------------------------------------

#: Data whose largest entry lies outside [1 / _SAFE_SCALE, _SAFE_SCALE] are
#: divided by a power of two (exact) before solving: ridge squares the data,
#: so ``X'X`` overflows from about 1e154 and underflows below about 1e-154.
_SAFE_SCALE = 1e100

#: A penalty whose positive eigenvalues span more than this ratio is not
#: whitened: ``Z = X Gamma^{-1/2}`` would carry the ratio into the Gram matrix
#: of ``Z``, whose rounding (relative ``eps``) then drops or distorts the
#: directions with the largest or smallest weights. Such problems are solved
#: per alpha in the original coordinates (:func:`_solve_augmented`).
_MAX_PENALTY_SPREAD = 1e6


def _exponent(a, dtype=np.float64, force=False):
    """Binary exponent ``e`` with ``max|a| = f 2**e``, ``f`` in [0.5, 1); 0 if safe.

    Safe is ``[1 / _SAFE_SCALE, _SAFE_SCALE]`` for float64 and the same
    fraction (power 0.3) of float32's range (about ``[4e-12, 3e11]``).
    """
    if a is None or a.size == 0:
        return 0
    m = float(np.max(np.abs(a)))
    fi = np.finfo(dtype)
    hi = _SAFE_SCALE if dtype == np.float64 else float(fi.max) ** 0.3
    lo = 1 / _SAFE_SCALE if dtype == np.float64 else float(fi.tiny) ** 0.3
    if m == 0 or (lo <= m <= hi and not force):
        return 0
    return int(np.frexp(m)[1])


class _Scaling:
    """Exact power-of-two rescaling of a ridge problem into a safe range.

    With ``X = 2**ex X'``, ``y = 2**ey y'``, ``s = 2**es s'`` and
    ``G = 2**eg G'``, the solution is ``b = 2**(ey - ex) b'`` where ``b'``
    solves the problem in the primed units with
    ``alpha' = alpha 2**(eg - es - 2 ex)``; the intercept is ``2**ey`` times
    the primed one.
    """

    def __init__(self, X, y, sample_weight, penalty):
        dt = X.dtype
        eg = penalty.magnitude()
        self.eg = 2 * (eg // 2) if abs(eg) > 300 else 0
        self.active = bool(
            self.eg or any(_exponent(a, dt) for a in (X, y, sample_weight))
        )
        # all of X, y and sample_weight to order one, so that alpha' (their
        # combination) stays as representable as the problem allows
        self.ex, self.ey, self.es = (
            _exponent(a, dt, force=self.active) for a in (X, y, sample_weight)
        )

    def data(self, X, y, sample_weight, penalty):
        if not self.active:
            return X, y, sample_weight, penalty
        return (
            np.ldexp(X, -self.ex).astype(X.dtype, copy=False) if self.ex else X,
            np.ldexp(y, -self.ey).astype(y.dtype, copy=False) if self.ey else y,
            sample_weight if sample_weight is None or not self.es
            else np.ldexp(sample_weight, -self.es).astype(sample_weight.dtype),
            penalty.scaled(-self.eg) if self.eg else penalty,
        )

    def alpha(self, alpha):
        """``alpha'``; a huge one is capped (the penalized part is then 0)."""
        with np.errstate(over="ignore"):
            a = np.ldexp(np.asarray(alpha, dtype=np.float64),
                         self.eg - self.es - 2 * self.ex)
        return np.minimum(a, np.finfo(np.float64).max / 4)

    def unscale(self, coef, intercept):
        """Coefficients and intercepts in the user's units; an error on overflow.

        float32 results that float32 cannot represent (beyond its range, or
        nonzero values that would underflow to zero) are returned in float64.
        """
        if not self.active:
            return coef, intercept
        dtype = coef.dtype
        with np.errstate(over="ignore", under="ignore"):
            out = np.ldexp(coef.astype(np.float64), self.ey - self.ex)
            icpt = np.ldexp(np.asarray(intercept, dtype=np.float64), self.ey)
            if dtype != np.float64:
                c32, i32 = out.astype(dtype), icpt.astype(dtype)
                lost = ((c32 == 0) & (out != 0)).any() or (
                    (i32 == 0) & (icpt != 0)
                ).any()
                if np.isfinite(c32).all() and np.isfinite(i32).all() and not lost:
                    out, icpt = c32, i32
        coef, intercept = out, icpt
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise ValueError(
                "The ridge coefficients overflow the floating-point range: y is "
                f"about 2**{self.ey} and X about 2**{self.ex}, so coef ~ "
                f"2**{self.ey - self.ex}. Rescale X or y (e.g. with "
                "sklearn.preprocessing.StandardScaler)."
            )
        return coef, intercept


def _solve_augmented(Xs, ys, alpha, penalty, null_ref=0.0):
    """Per-alpha solution in the original coordinates, for any penalty spread.

    For ``alpha > 0``, least squares on ``[sqrt(alpha) R; Xs] b = [0; ys]``
    with ``R' R = G`` by Householder QR with column pivoting, the rows sorted
    by decreasing norm: this is accurate row-wise even when some rows (large
    weights times alpha) outweigh the others by many orders of magnitude (Cox
    and Higham, 1998), which an SVD or the Gram matrix of ``X G^{-1/2}`` is
    not. For ``alpha = 0``, the least-squares solution of smallest ``b' G b``
    (the ``alpha -> 0+`` limit) from the SVD of the column-equilibrated ``Xs``.
    """
    if penalty.n_null:
        _unpenalized_part(penalty.null_x(Xs), null_ref)  # uniqueness, clear error
    dtype = Xs.dtype
    Xs, ys = Xs.astype(np.float64), ys.astype(np.float64)
    R = penalty.root()
    n, d = Xs.shape
    if alpha > 0:
        A = np.vstack([np.sqrt(alpha) * R, Xs])
        B = np.vstack([np.zeros((R.shape[0], ys.shape[1])), ys])
        order = np.argsort(-np.abs(A).max(axis=1), kind="stable")
        A, B = A[order], B[order]
        Q, T, piv = linalg.qr(A, mode="economic", pivoting=True, check_finite=False)
        z = linalg.solve_triangular(T, Q.T @ B, check_finite=False)
        coef = np.empty_like(z)
        coef[piv] = z
        return coef.astype(dtype, copy=False)
    c = np.linalg.norm(Xs, axis=0)
    c[c == 0] = 1.0
    U, S, Vt = linalg.svd(Xs / c, full_matrices=True, check_finite=False)
    tol = max(n, d) * np.finfo(np.float64).eps * (S[0] if S.size else 0.0)
    r = int((S > tol).sum())
    coef = Vt[:r].T @ ((U[:, :r].T @ ys) / S[:r, None]) / c[:, None]
    if r < d and R.shape[0]:
        # the null space of Xs: move within it to the smallest b' G b
        N = Vt[r:].T / c[:, None]
        z = np.linalg.lstsq(R @ N, R @ coef, rcond=None)[0]
        coef = coef - N @ z
    return coef.astype(dtype, copy=False)


# ---------------------------------------------------------------------------
# direct solvers (one alpha)
# ---------------------------------------------------------------------------


class _SingularSystem(Exception):
    """Raised by a Cholesky-based solver when its system is not (numerically) PD."""


def _equilibration(diag):
    """Powers of two ``s`` with ``s_i^2 diag_i`` in [1/4, 1) (1 where ``diag_i <= 0``).

    ``S A S`` with ``S = diag(s)`` then has a diagonal of order one, exactly
    (a power of two changes no digit). Cholesky is invariant under such a
    scaling, so the scaled matrix's condition number, not ``A``'s, measures
    how accurate the solution is (van der Sluis, 1969): a column of ``X`` on
    another scale than the others (x 1e8) no longer looks singular.
    """
    diag = np.asarray(diag, dtype=np.float64)
    good = np.isfinite(diag) & (diag > 0)
    e = np.zeros(diag.shape, dtype=int)
    e[good] = np.frexp(np.sqrt(diag[good]))[1]
    return np.ldexp(1.0, -e)


def _cho_solve_pd(A, B):
    """Solve ``A x = B`` for symmetric PD ``A``, overwriting ``A``.

    ``A`` is equilibrated first (:func:`_equilibration`, exact), so that the
    test of the reciprocal condition number measures the problem and not the
    units of its columns. Raises :class:`_SingularSystem` if ``A`` is not
    positive definite or the equilibrated matrix's reciprocal condition number
    is below ``n * eps``.
    """
    n = A.shape[0]
    if n == 0:
        return np.zeros_like(B)
    s = _equilibration(A.diagonal()).astype(A.dtype, copy=False)
    A *= s[:, None]
    A *= s[None, :]
    anorm = np.abs(A).sum(axis=0).max()
    try:
        c, low = linalg.cho_factor(A, lower=False, overwrite_a=True, check_finite=False)
    except linalg.LinAlgError as exc:
        raise _SingularSystem(str(exc)) from exc
    (pocon,) = linalg.get_lapack_funcs(("pocon",), (c,))
    rcond, _ = pocon(c, anorm, uplo="U")
    if not np.isfinite(rcond) or rcond < n * np.finfo(A.dtype).eps:
        raise _SingularSystem(f"reciprocal condition number {rcond:.3g}")
    sB = s.reshape((n,) + (1,) * (np.ndim(B) - 1))
    x = linalg.cho_solve((c, low), B * sB, overwrite_b=True, check_finite=False)
    return x * sB


def _solve_primal_cholesky(Xs, ys, alpha, penalty, null_ref=0.0, gram=None):
    """``(X'X + alpha G)^{-1} X'y`` by Cholesky; works for a singular ``G``.

    ``null_ref`` is :func:`_null_scale` (only used when ``G`` is singular);
    ``gram`` is ``Xs'Xs`` if the caller has it (it is not modified).
    """
    if penalty.n_null:
        _unpenalized_part(penalty.null_x(Xs), null_ref)  # uniqueness, clear error
    A = Xs.T @ Xs if gram is None else gram.copy()
    penalty.add_to_gram(A, alpha)
    rhs = Xs.T @ ys
    return _cho_solve_pd(A, rhs)


def _solve_dual_cholesky(Xs, ys, alpha, penalty, null_ref=0.0, overwrite=False):
    """Kernel form ``b = T Z'(Z Z' + alpha I)^{-1} y`` with ``Z = X T``.

    ``overwrite=True`` allows scaling ``Xs`` in place (when it is a copy).
    """
    XV0 = penalty.null_x(Xs)
    Z = penalty.to_z(Xs, overwrite=overwrite and XV0 is None)
    if XV0 is not None:
        Z, yp, H, u0 = _project_unpenalized(Z, ys, XV0, null_ref)
    else:
        yp = ys
    n = Z.shape[0]
    K = Z @ Z.T
    K.flat[:: n + 1] += alpha
    dual = _cho_solve_pd(K, yp.copy())
    c = Z.T @ dual
    coef = penalty.back(c)
    if XV0 is not None:
        coef = coef + penalty.null_embed(u0 - H @ c)
    return coef


# ---------------------------------------------------------------------------
# the path: one decomposition, many alphas
# ---------------------------------------------------------------------------


def _gram_too_coarse(s, alpha_min, dtype):
    """Whether eigenvalues ``s`` of a Gram matrix are too coarse for ``alpha_min``.

    Their absolute rounding is about ``eps * max(s)``; the solution's relative
    error along eigenvalue ``s_i`` is that over ``s_i + alpha``. Above
    ``sqrt(eps)`` the SVD of ``Z`` is used instead.
    """
    if s.size == 0 or s[-1] <= 0:
        return False
    return max(s[0], 0) + alpha_min < np.sqrt(np.finfo(dtype).eps) * s[-1]


class _RidgePath:
    """One decomposition of a weighted ridge problem, solutions for any alpha.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64
        Validated design (not modified).
    y : ndarray of shape (n_samples,) or (n_samples, n_targets)
        Validated targets, cast to ``X.dtype``.
    sample_weight : ndarray of shape (n_samples,) or None
        Validated non-negative weights.
    penalty_weights : None, array-like or _Penalty
        As in :class:`~skw2s.WeightedRidge`.
    fit_intercept : bool
        Whether to center (with weights) for an unpenalized intercept.
    method : {"eigen", "svd"}
        ``"eigen"``: eigendecomposition of the smaller of the Gram matrices
        ``Z'Z`` (d x d) and ``Z Z'`` (n x n), so never an n x n matrix when
        n > d nor a d x d one when d > n. ``"svd"``: SVD of ``Z``, more
        accurate for ill-conditioned designs and ``alpha = 0``.

    Notes
    -----
    The solution is ``coef(alpha) = B (r / (s + alpha)) + b0``. Directions
    whose eigenvalue ``s`` is numerically zero (below ``max(n, d) * eps *
    max(s)`` for ``"eigen"``, the ``pinv`` cut-off on singular values for
    ``"svd"``) are dropped, so ``alpha = 0`` gives the minimum-norm solution in
    the ``Gamma`` metric (the ``alpha -> 0+`` limit).
    """

    def __init__(
        self,
        X,
        y,
        sample_weight=None,
        penalty_weights=None,
        fit_intercept=True,
        method="eigen",
        alpha_min=0.0,
    ):
        dtype = X.dtype
        self.y_1d_ = y.ndim == 1
        y2 = y.reshape(-1, 1) if self.y_1d_ else y
        penalty = _check_penalty_weights(penalty_weights, X.shape[1], dtype)
        # scaled before the cast: y beyond X.dtype's range must not overflow
        self.scaling_ = _Scaling(X, y2, sample_weight, penalty)
        X, y2, sample_weight, penalty = self.scaling_.data(
            X, y2, sample_weight, penalty
        )
        y2 = y2.astype(dtype, copy=False)
        if sample_weight is not None:
            sample_weight = sample_weight.astype(dtype, copy=False)
        Xs, ys, self.X_offset_, self.y_offset_ = _preprocess(
            X, y2, sample_weight, fit_intercept
        )
        self.fit_intercept = fit_intercept
        self.method_ = method
        self.per_alpha_ = None
        if penalty.spread > _MAX_PENALTY_SPREAD:
            null_ref = _null_scale(penalty, X, sample_weight) if penalty.n_null else 0
            self.per_alpha_ = (Xs, ys, penalty, null_ref)
            self.method_ = "lstsq"
            self.B_ = np.zeros((X.shape[1], 0), dtype)
            return
        Z = penalty.to_z(Xs)
        XV0 = penalty.null_x(Xs)
        if XV0 is not None:
            ref = _null_scale(penalty, X, sample_weight)
            Z, ys, H, u0 = _project_unpenalized(Z, ys, XV0, ref)
        n, p = Z.shape
        eps = np.finfo(dtype).eps
        k = ys.shape[1]
        if method == "eigen" and n and p:
            alpha_min = float(np.min(self.scaling_.alpha(alpha_min)))
            s, Q = eigh_evd(Z.T @ Z) if n >= p else eigh_evd(Z @ Z.T)
            if _gram_too_coarse(s, alpha_min, dtype):
                # the Gram matrix squares the condition number: its rounding
                # (eps * max(s)) swamps the small eigenvalues that a small
                # alpha leaves unregularized; the SVD of Z resolves them
                method = "svd"
        self.method_ = method
        if n == 0 or p == 0:
            Bc = np.zeros((p, 0), dtype)
            r = np.zeros((0, k), dtype)
            s = np.zeros(0, dtype)
        elif method == "svd":
            U, S, Vt = linalg.svd(Z, full_matrices=False, check_finite=False)
            keep = S > max(n, p) * eps * S[0]
            U, S, Vt = U[:, keep], S[keep], Vt[keep]
            Bc = Vt.T
            r = S[:, None] * (U.T @ ys)
            s = S**2
        elif method == "eigen":
            keep = s > max(n, p) * eps * max(s[-1], 0)
            s, Q = s[keep], Q[:, keep]
            if n >= p:
                Bc = Q
                r = Q.T @ (Z.T @ ys)
            else:
                Bc = Z.T @ Q
                r = Q.T @ ys
        else:  # pragma: no cover - internal misuse
            raise ValueError(f"unknown method {method!r}")
        B = penalty.back(Bc)
        b0 = None
        if XV0 is not None:
            B = B + penalty.null_embed(-(H @ Bc))
            b0 = penalty.null_embed(u0)
        self.B_ = np.ascontiguousarray(B, dtype=dtype)
        self.r_ = r.astype(dtype, copy=False)
        self.s_ = s.astype(dtype, copy=False)
        self.b0_ = b0

    def _factors(self, alphas):
        alphas = self.scaling_.alpha(alphas).astype(self.s_.dtype).reshape(-1)
        # (n_alphas, rank, k)
        return self.r_[None] / (self.s_[None, :, None] + alphas[:, None, None])

    def coefs(self, alphas):
        """Coefficients and intercepts for each alpha.

        Returns ``coef`` of shape (n_alphas, n_targets, n_features) and
        ``intercept`` of shape (n_alphas, n_targets).
        """
        if self.per_alpha_ is not None:
            Xs, ys, penalty, null_ref = self.per_alpha_
            coef = np.stack([
                _solve_augmented(Xs, ys, a, penalty, null_ref)
                for a in self.scaling_.alpha(alphas).reshape(-1)
            ])
        else:
            coef = np.matmul(self.B_, self._factors(alphas))  # (a, d, k)
            if self.b0_ is not None:
                coef += self.b0_
        coef = coef.transpose(0, 2, 1)
        if self.fit_intercept:
            intercept = self.y_offset_ - coef @ self.X_offset_
        else:
            intercept = np.zeros(coef.shape[:2], dtype=coef.dtype)
        return self.scaling_.unscale(coef, intercept)

    def predict(self, X, alphas):
        """Predictions on ``X`` for each alpha, shape (n_alphas, n_samples, n_targets).

        Costs one ``X B`` product and then ``O(n_samples * rank)`` per alpha.
        """
        if self.per_alpha_ is not None or self.scaling_.active:
            coef, intercept = self.coefs(alphas)
            return np.matmul(X, coef.transpose(0, 2, 1)) + intercept[:, None, :]
        Xc = X - self.X_offset_ if self.fit_intercept else X
        P = Xc @ self.B_  # (m, rank)
        pred = np.matmul(P, self._factors(alphas))  # (a, m, k)
        if self.b0_ is not None:
            pred += Xc @ self.b0_
        if self.fit_intercept:
            pred += self.y_offset_
        return pred


def _path_predictions(
    X, y, X_test, alphas, sample_weight=None, penalty_weights=None, fit_intercept=True
):
    """Predictions on ``X_test`` for every alpha, shape (n_alphas, n_test, n_targets).

    Equal to ``_RidgePath(X, y, ...).predict(X_test, alphas)`` (method
    ``"eigen"``). On the dual side (fewer rows than penalized directions, no
    unpenalized direction) it never forms the (n_features, rank) coefficient
    basis: with ``Z = X T`` and ``Z Z' = U diag(s) U'``, the predictions are
    ``(X_test T) Z' U diag(r / (s + alpha))``, so the largest products are
    (n_test, n_samples) and (n_samples, n_samples) matrices.
    """
    dtype = X.dtype
    penalty = _check_penalty_weights(penalty_weights, X.shape[1], dtype)
    alphas = np.asarray(alphas, dtype=dtype).reshape(-1)
    alpha_min = float(alphas.min()) if alphas.size else 0.0
    # without unpenalized directions Z = X T has n_features columns
    if (
        penalty.n_null or X.shape[0] >= X.shape[1] or X.shape[0] == 0
        or penalty.spread > _MAX_PENALTY_SPREAD
        or _Scaling(X, y, sample_weight, penalty).active
    ):
        path = _RidgePath(
            X, y, sample_weight, penalty, fit_intercept, "eigen", alpha_min
        )
        return path.predict(X_test, alphas)
    y2 = (y.reshape(-1, 1) if y.ndim == 1 else y).astype(dtype, copy=False)
    Xs, ys, X_offset, y_offset = _preprocess(X, y2, sample_weight, fit_intercept)
    Z = penalty.to_z(Xs, overwrite=Xs is not X)
    n, p = Z.shape
    s, U = eigh_evd(Z @ Z.T)
    if _gram_too_coarse(s, alpha_min, dtype):
        path = _RidgePath(X, y, sample_weight, penalty, fit_intercept, "svd")
        return path.predict(X_test, alphas)
    keep = s > max(n, p) * np.finfo(dtype).eps * max(s[-1], 0)
    s, U = s[keep], U[:, keep]
    r = U.T @ ys  # (rank, k)
    Xt = X_test - X_offset if fit_intercept else X_test
    Zt = penalty.to_z(Xt, overwrite=Xt is not X_test)
    P = (Zt @ Z.T) @ U  # (m, rank)
    factors = r[None] / (s[None, :, None] + alphas[:, None, None])
    pred = np.matmul(P, factors)
    if fit_intercept:
        pred += y_offset
    return pred


# ---------------------------------------------------------------------------
# solver choice
# ---------------------------------------------------------------------------


def solve_weighted_ridge(X, y, alpha, penalty, sample_weight, fit_intercept, solver,
                         moments=None):
    """Solve one weighted ridge on validated arrays, choosing the solver.

    Returns ``coef, intercept, solver_used``. With ``moments`` (a list), the
    centered weighted moments of the data are appended to it as
    ``(n, W, X_offset, y_offset, XX or None, Xy, yy, rows or None)`` when the
    solver forms them anyway (float64 data with an intercept: the primal
    Gram, or the centered weighted rows when ``n < d``); the caller computes
    them otherwise. ``solver="auto"`` picks svd for
    ``alpha=0``, cholesky for a full penalty or ``n >= d``, dual otherwise; a
    singular Cholesky system falls back to svd, and ``"eigen"`` switches to svd
    when ``alpha`` is too small for the rounding of the Gram matrix. A penalty
    whose positive weights span more than ``_MAX_PENALTY_SPREAD`` is solved by
    :func:`_solve_augmented` (``solver_used = "lstsq"``) whatever ``solver``;
    data outside the safe range are rescaled (:class:`_Scaling`).

    ``coef`` has shape (n_features,) for 1-D ``y`` else (n_targets, n_features).
    """
    n, d = X.shape
    y1d = y.ndim == 1
    y2 = y.reshape(-1, 1) if y1d else y
    # scaled before the cast: y beyond X.dtype's range must not overflow
    scaling = _Scaling(X, y2, sample_weight, penalty)
    X, y2, sample_weight, penalty = scaling.data(X, y2, sample_weight, penalty)
    y2 = y2.astype(X.dtype, copy=False)
    if sample_weight is not None:
        sample_weight = sample_weight.astype(X.dtype, copy=False)
    alpha_s = float(scaling.alpha(alpha)) if alpha > 0 else 0.0
    if penalty.spread > _MAX_PENALTY_SPREAD:
        solver = "lstsq"
    elif solver == "auto":
        if alpha == 0:
            solver = "svd"
        elif penalty.kind == "full" or n >= d:
            solver = "cholesky"
        else:
            solver = "dual"
    null_ref = _null_scale(penalty, X, sample_weight) if penalty.n_null else 0.0
    coef = None
    share = (
        moments is not None and fit_intercept and X.dtype == np.float64
        and not scaling.active
    )
    if solver in ("cholesky", "dual"):
        Xs, ys, X_offset, y_offset = _preprocess(X, y2, sample_weight, fit_intercept)
        if share:
            W = float(n if sample_weight is None else sample_weight.sum())
            XX = Xs.T @ Xs if solver == "cholesky" else None
            rows = None if XX is not None or n >= d else (Xs.copy(), ys.copy())
            if XX is None and rows is None:
                XX = Xs.T @ Xs
            moments.append(
                (n, W, X_offset.copy(), y_offset.copy(), XX, Xs.T @ ys, ys.T @ ys,
                 rows)
            )
        try:
            if solver == "cholesky":
                coef = _solve_primal_cholesky(
                    Xs, ys, alpha_s, penalty, null_ref,
                    gram=moments[-1][4] if share else None,
                )
            else:
                coef = _solve_dual_cholesky(
                    Xs, ys, alpha_s, penalty, null_ref, overwrite=Xs is not X
                )
            coef = coef.T  # (k, d)
        except _SingularSystem:
            solver = "svd"
        del Xs, ys
    if coef is None:
        path = _RidgePath(
            X, y2, sample_weight, penalty, fit_intercept,
            method="eigen" if solver == "lstsq" else solver, alpha_min=alpha_s,
        )
        coef_a, intercept_a = path.coefs([alpha_s])
        coef, intercept, solver = coef_a[0], intercept_a[0], path.method_
    elif fit_intercept:
        intercept = y_offset - coef @ X_offset
    else:
        intercept = np.zeros(coef.shape[0], dtype=coef.dtype)
    coef, intercept = scaling.unscale(coef, intercept)
    if not fit_intercept:
        intercept = 0.0
    if y1d:
        coef = coef.ravel()
        if fit_intercept:
            intercept = intercept[0]
    return coef, intercept, solver
