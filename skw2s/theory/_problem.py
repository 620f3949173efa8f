"""Teacher/student ridge problems, one class per structure, and their factory.

A problem is (covariance, coef, teacher penalty, student penalty). The factory
:func:`_make_problem` validates it and picks the cheapest exact representation
(the only place that looks at the structure):

- :class:`_IsotropicProblem`: ``Sigma = c I`` and every penalty ``g I``; the
  Marchenko-Pastur closed forms of the rescaled problem
  (``lambda -> lambda g / c``, ``r2 -> c r2``).
- :class:`_DiagonalProblem`: ``Sigma`` and every penalty diagonal in one basis
  (possibly after one eigendecomposition of ``Sigma`` when the penalties are
  multiples of the identity); ``O(d)`` work per alpha.
- :class:`_DenseProblem`: anything else; one generalized eigendecomposition per
  penalty, then ``O(d^2)`` work per teacher alpha and ``O(d)`` per student alpha.

Every class answers the same questions (teacher risk, ``P`` and ``Q`` for given
lambdas; the student's risk curve given the teacher; the natural lambda scale
of each role; the optimal alphas; whether a student can beat the teacher), so
the public functions never branch on the structure. The formulas are those of
the documentation's theory page (:ref:`theory`).
"""

from abc import ABC, abstractmethod

import numpy as np
import scipy.linalg

from .._validation import check_psd, check_psd_eigenvalues, psd_tolerance
from ._alpha_search import _minimize_alpha
from ._fixed_point import (
    ratio_terms,
    shrinkage_terms,
    solve_kappa,
    whitened_spectrum,
)
from ._marchenko_pastur import (
    _safe_ratio,
    iso_kappa,
    iso_student_shared,
    iso_student_taus,
    iso_student_threshold,
    iso_teacher,
)

#: Eigenvalues of a second-moment ``coef`` matrix below this fraction of
#: ``max(1, largest)`` are dropped from its low-rank factor.
_RANK_RTOL = 1e-8


# ------------------------------------------------------------------ input checks
def _is_diagonal(M):
    return not np.any(M - np.diag(np.diag(M)))


def _is_const(v):
    return v.size > 0 and np.all(v == v[0])


def _magnitude(M):
    """``max |M|``, the scale of :func:`~skw2s._validation.check_psd`'s tolerance."""
    return max(np.max(np.abs(M)), np.finfo(float).tiny)


def _as_float_array(x, name):
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers.") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must not contain NaN or infinite values.")
    return arr


def _check_covariance(covariance):
    """Return ``("diag", eigenvalues)`` or ``("full", matrix)``.

    A 2-D matrix is checked for shape, finiteness and symmetry here; its
    positive semi-definiteness is checked on the eigenvalues that the chosen
    class computes anyway (one eigendecomposition fewer at large ``d``), with
    :func:`~skw2s._validation.check_psd`'s tolerance.
    """
    S = check_psd(covariance, name="covariance", allow_1d=True,
                  check_eigenvalues=False)
    if S.ndim == 1:
        return "diag", S
    if _is_diagonal(S):
        return "diag", check_psd_eigenvalues(np.diag(S), name="covariance",
                                             scale=_magnitude(S))
    return "full", S


def _check_coef(coef, d):
    """Return ``("vector", b)`` or ``("matrix", B)``."""
    b = _as_float_array(coef, "coef")
    if b.ndim == 1:
        if b.shape[0] != d:
            raise ValueError(
                f"coef has {b.shape[0]} entries but covariance has {d} features."
            )
        return "vector", b
    if b.ndim == 2:
        return "matrix", check_psd(b, name="coef (second-moment matrix)",
                                   n_features=d, allow_1d=False)
    raise ValueError(
        "coef must be a 1-D target (n_features,) or a 2-D second-moment matrix "
        f"(n_features, n_features), got {b.ndim} dimensions."
    )


def _not_definite(name):
    return ValueError(
        f"{name} must be positive definite when covariance and the penalties "
        "are not diagonal in one basis (zero weights are supported only for "
        "diagonal problems)."
    )


def _check_penalty(pw, d, name):
    """Return ``("diag", g)`` or ``("full", G)`` (``None`` is ``diag`` of ones).

    A matrix that is not diagonal is only usable by :class:`_DenseProblem`,
    which needs it positive definite: an eigenvalue within
    :func:`~skw2s._validation.check_psd`'s tolerance of zero is rejected here
    (the generalized eigensolver would return garbage instead of failing).
    """
    if pw is None:
        return "diag", np.ones(d)
    G = check_psd(pw, name=name, n_features=d, allow_1d=True,
                  check_eigenvalues=False)
    if G.ndim == 1:
        return "diag", G
    if _is_diagonal(G):
        return "diag", check_psd_eigenvalues(np.diag(G), name=name,
                                             scale=_magnitude(G))
    eig = np.linalg.eigvalsh(G)
    check_psd_eigenvalues(eig, name=name, scale=_magnitude(G))
    if eig[0] <= psd_tolerance(_magnitude(G), d):
        raise _not_definite(name)
    return "full", G


def _diagonal_form(ckind, S, bkind, b):
    """Eigenvalues of ``Sigma`` and the target's energy along each eigenvector."""
    if ckind == "diag":
        return S, (b**2 if bkind == "vector" else np.diag(b).copy())
    sig, U = np.linalg.eigh(S)
    sig = check_psd_eigenvalues(sig, name="covariance", scale=_magnitude(S))
    if bkind == "vector":
        return sig, (U.T @ b) ** 2
    return sig, np.einsum("ij,ij->j", U, b @ U)


# ---------------------------------------------------------------------- factory
def _make_problem(covariance, coef, penalties, path=None):
    """Validate a problem and return it as the class of its structure.

    Parameters
    ----------
    covariance, coef : array-like
        As in the public functions.
    penalties : list of (value, name)
        The penalty weights of each role (teacher first) and their argument names.
    path : {None, "iso", "diag", "dense"}, default=None
        Force a class (used by the tests); ``None`` picks the fastest exact one.

    Returns
    -------
    problem : _RidgeProblem
    """
    if path not in (None, *_PATHS):
        raise ValueError(f"path must be None or one of {sorted(_PATHS)}.")
    ckind, S = _check_covariance(covariance)
    d = S.shape[0]
    bkind, b = _check_coef(coef, d)
    pens = [_check_penalty(pw, d, name) for pw, name in penalties]
    all_diag = all(k == "diag" for k, _ in pens)
    const_pens = all_diag and all(_is_const(g) for _, g in pens)

    if path is None:
        if ckind == "diag" and all_diag:
            path = "diag"
        elif ckind == "full" and const_pens:
            path = "diag"
        else:
            path = "dense"
        if path == "diag" and ckind == "diag" and _is_const(S) and S[0] > 0:
            if const_pens and all(g[0] > 0 for _, g in pens):
                path = "iso"

    if path == "dense":
        Sm = np.diag(S) if ckind == "diag" else S
        return _DenseProblem(Sm, bkind, b, pens, [name for _, name in penalties])
    if ckind == "full" and not const_pens:
        raise ValueError("The diagonal path needs commuting penalties.")
    sig, w = _diagonal_form(ckind, S, bkind, b)
    if not all_diag:
        raise ValueError("The diagonal path needs diagonal penalties.")
    return _PATHS[path](sig, w, [g for _, g in pens])


def _w2s_problem(covariance, coef, tpw, spw, path=None):
    """:func:`_make_problem` for a teacher and a student."""
    return _make_problem(covariance, coef, [(tpw, "teacher_penalty_weights"),
                                            (spw, "student_penalty_weights")],
                         path=path)


# ---------------------------------------------------------------------- classes
class _RidgeProblem(ABC):
    """A validated teacher/student ridge problem.

    Lambdas are in theory units (``alpha / n``), ``s2`` is the noise variance.
    Role 0 is the teacher, role 1 the student.

    Attributes
    ----------
    n_features : int
    tr_sigma_b : float
        ``b*' Sigma b*`` (or ``tr(Sigma B)``): the risk of the zero estimator.
    """

    @abstractmethod
    def teacher_arrays(self, lam, n, s2):
        """Teacher risk, ``P`` and ``Q`` for a flat vector of lambdas.

        ``P = b*' Sigma E[b_t]``, ``Q = E[b_t' Sigma b_t]``, so that
        ``risk = Q - 2 P + tr_sigma_b``.

        Returns
        -------
        risk, P, Q : ndarray of shape (n_lambdas,)
        """

    def student_curve(self, lam_t, n, m, s2, student_inputs="fresh"):
        """Teacher risks for the teacher lambdas ``lam_t`` and the student's curve.

        The teacher's state is computed once; the returned function maps a
        vector of student alphas (scikit-learn units) to the
        ``(len(lam_t), len(alphas))`` matrix of student risks.

        Returns
        -------
        teacher_risk : ndarray of shape (n_teacher_lambdas,)
        curve : callable
        """
        if student_inputs == "shared":
            return self._shared_student_curve(lam_t, n, m, s2)
        return self._fresh_student_curve(lam_t, n, m, s2)

    @abstractmethod
    def _fresh_student_curve(self, lam_t, n, m, s2):
        """:meth:`student_curve` for a student on fresh inputs."""

    def _shared_student_curve(self, lam_t, n, m, s2):
        """:meth:`student_curve` for a student on the teacher's own inputs."""
        raise NotImplementedError(
            "student_inputs='shared' is implemented for the isotropic model "
            "only (covariance and both penalty_weights multiples of the "
            "identity)."
        )

    @abstractmethod
    def lambda_scale(self, role):
        """A natural lambda scale ``tr(Sigma) / tr(G)`` of one role."""

    def qp_ratio(self, lam, n, s2):
        """The teacher's ``Q / P`` for a vector of lambdas (``inf`` where ``Q`` is)."""
        _, P, Q = self.teacher_arrays(lam, n, s2)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(np.isinf(Q), np.inf, Q / P)

    def optimal_teacher(self, n, s2):
        """The teacher alpha (scikit-learn units) of least risk: ``(alpha, risk)``."""
        return _minimize_alpha(
            lambda a: self.teacher_arrays(a / n, n, s2)[0], n, self.lambda_scale(0),
            self.tr_sigma_b,
        )

    def optimal_student(self, lam_t, n, m, s2, student_inputs="fresh"):
        """The student alpha of least risk: ``(alpha, risk, teacher_risk)``."""
        rt, curve = self.student_curve(np.atleast_1d(lam_t), n, m, s2,
                                       student_inputs)
        alpha, risk = _minimize_alpha(lambda sa: curve(sa)[0], m,
                                      self.lambda_scale(1), self.tr_sigma_b)
        return alpha, risk, float(rt[0])

    def gain_possible(self, lam_t, n, m, s2):
        """Whether some fresh-input student beats the teacher of lambda ``lam_t``.

        The best student risk is compared with the teacher's (a relative margin
        of ``1e-9`` guards against round-off).
        """
        _, risk, rt = self.optimal_student(lam_t, n, m, s2)
        return bool(risk < rt * (1 - 1e-9))


class _IsotropicProblem(_RidgeProblem):
    """``Sigma = c I``, penalties ``g I``: Marchenko-Pastur closed forms."""

    def __init__(self, sig, w, g):
        if not (_is_const(sig) and all(_is_const(gi) for gi in g)):
            raise ValueError("The isotropic path needs Sigma = c I, G = g I.")
        self.n_features = sig.shape[0]
        self.c = float(sig[0])
        self.r2 = float(w.sum())
        self.gscal = [float(gi[0]) for gi in g]
        self.tr_sigma_b = float(w @ sig)

    def teacher_arrays(self, lam, n, s2):
        return iso_teacher(lam * self.gscal[0] / self.c, self.n_features / n,
                           self.c * self.r2, s2)

    def _fresh_student_curve(self, lam_t, n, m, s2):
        c, gs, r2 = self.c, self.gscal[1], self.c * self.r2
        rt, P, Q = self.teacher_arrays(lam_t, n, s2)

        def curve(sa):
            tau1, tau2 = iso_student_taus(np.asarray(sa) / m * gs / c,
                                          self.n_features / m)
            with np.errstate(invalid="ignore"):
                rs = tau2[None, :] * Q[:, None] - 2 * tau1[None, :] * P[:, None]
            return np.where(np.isinf(Q)[:, None], np.inf, rs + r2)

        return rt, curve

    def _shared_student_curve(self, lam_t, n, m, s2):
        c, (gt, gs), r2 = self.c, self.gscal, self.c * self.r2
        rt = self.teacher_arrays(lam_t, n, s2)[0]

        def curve(sa):
            lam_s = (np.asarray(sa, dtype=float) / m * gs / c)[None, :]
            return iso_student_shared((lam_t * gt / c)[:, None], lam_s,
                                      self.n_features / n, r2, s2)

        return rt, curve

    def lambda_scale(self, role):
        return self.c / self.gscal[role]

    def qp_ratio(self, lam, n, s2):
        """``Q / P = a (1 + g (bias + s2) / ((1 - delta) r2))``, ``a = 1/(1+kappa)``.

        Written as one product so that it stays positive at any alpha: ``P``
        and ``Q`` themselves underflow to 0 (``~1/alpha``, ``~1/alpha^2``).
        """
        r2 = self.c * self.r2
        if r2 == 0:
            return super().qp_ratio(lam, n, s2)
        g = self.n_features / n
        kappa = iso_kappa(np.asarray(lam) * self.gscal[0] / self.c, g)
        a = 1.0 / (1.0 + kappa)
        delta = g * a * a
        with np.errstate(divide="ignore"):
            bias = r2 * (1.0 / (1.0 + 1.0 / kappa)) ** 2
        return a * (1.0 + _safe_ratio(g * (bias + s2) / r2, 1.0 - delta))

    def optimal_teacher(self, n, s2):
        """Closed form ``lambda* = s2 gamma / r2`` of the rescaled problem."""
        r2 = self.c * self.r2
        if r2 == 0:
            return np.inf, 0.0
        lam = s2 * (self.n_features / n) / r2 * self.c / self.gscal[0]
        risk = float(self.teacher_arrays(np.array([lam]), n, s2)[0][0])
        return float(n * lam), risk

    def gain_possible(self, lam_t, n, m, s2):
        """Closed-form test ``Q / P > g*(d / m)``."""
        _, P, Q = self.teacher_arrays(np.atleast_1d(lam_t), n, s2)
        thr = iso_student_threshold(self.n_features / float(m))
        return bool(Q[0] > thr * P[0] * (1 + 1e-12))


class _FixedPointProblem(_RidgeProblem):
    """General deterministic equivalent through the kappa fixed point.

    Subclasses give the per-direction terms in their basis; this class
    assembles the teacher's and the student's risks from them.
    """

    @abstractmethod
    def _teacher_terms(self, lam, n):
        """``kappa, a, h, bias, P, M`` of the teacher for a vector of lambdas.

        ``M = E[b_t]' Sigma E[b_t]``, summed over directions (never by
        subtraction).
        """

    @abstractmethod
    def _student_terms(self, t, lam_s, m):
        """``kappa_s, a_s, gg_h, v_s, base, T1, T2, T3`` of the student given ``t``."""

    def teacher_state(self, lam, n, s2):
        """Teacher quantities for a vector of ``lambda``.

        Returns a dict with ``risk``, ``P`` (``b*' Sigma E b_t``), ``delta``
        (``df2 / n``), ``bias`` (``kappa^2 b*' G H G b*``), ``kappa``, ``a``, ``h``
        and ``n``.
        """
        lam = np.asarray(lam, dtype=float)
        kappa, a, h, bias, P, M = self._teacher_terms(lam, n)
        delta = (a * a).sum(axis=1) / n
        var = _safe_ratio(delta * (bias + s2), 1.0 - delta)
        risk = bias + var
        return {"risk": risk, "P": P, "delta": delta, "bias": bias,
                "kappa": kappa, "a": a, "h": h, "n": n, "M": M, "var": var}

    def teacher_arrays(self, lam, n, s2):
        t = self.teacher_state(lam, n, s2)
        # Q = E[b_t]' Sigma E[b_t] + variance, summed directly: as
        # risk + 2 P - b*' Sigma b* it cancels catastrophically at large alpha
        # (Q ~ 1/alpha^2 below the rounding of b*' Sigma b*; it came out 0 or
        # negative)
        Q = t["M"] + t["var"]
        return t["risk"], t["P"], Q

    def qp_ratio(self, lam, n, s2):
        """``Q / P`` with ``a`` normalized by its largest entry ``a_max``.

        ``Q / P = a_max [sum a'^2 w + (sum a'^2 / n)(bias + s2)/(1 - delta)]
        / sum a' w`` with ``a' = a / a_max``: positive at any alpha, where
        ``P ~ 1/alpha`` and ``Q ~ 1/alpha^2`` themselves underflow.
        """
        t = self.teacher_state(lam, n, s2)
        a, ws = t["a"], self._signal_weights()
        amax = a.max(axis=1, initial=0.0)
        if not np.all(amax > 0):
            return super().qp_ratio(lam, n, s2)
        ap = a / amax[:, None]
        ap2 = ap * ap
        var_part = _safe_ratio((ap2.sum(axis=1) / n) * (t["bias"] + s2),
                               1.0 - t["delta"])
        with np.errstate(divide="ignore", invalid="ignore"):
            return amax * (ap2 @ ws + var_part) / (ap @ ws)

    def _fresh_student_curve(self, lam_t, n, m, s2):
        t = self.teacher_state(lam_t, n, s2)

        def curve(sa):
            return self.student_matrix(t, np.asarray(sa, dtype=float) / m, m, s2)

        return t["risk"], curve

    def student_matrix(self, t, lam_s, m, s2):
        """Student risk for every (teacher lambda, student lambda) pair.

        Parameters
        ----------
        t : dict
            Output of :meth:`teacher_state` for ``n_t`` teacher lambdas.
        lam_s : ndarray of shape (n_s,)

        Returns
        -------
        risk : ndarray of shape (n_t, n_s)
        """
        lam_s = np.asarray(lam_s, dtype=float)
        ks, a_s, gg_h, v_s, base, T1, T2, T3 = self._student_terms(t, lam_s, m)
        delta_s = (a_s * a_s).sum(axis=1) / m
        extra = _safe_ratio(delta_s * ks * ks, 1.0 - delta_s)
        mu = base + extra[:, None] * gg_h
        ct_num = T3 @ mu.T  # tr(M_s H_t), (n_t, n_s)
        n = t["n"]
        noise_term = (t["bias"] + s2)[:, None]
        c_t = _safe_ratio(ct_num / n * noise_term, (1.0 - t["delta"])[:, None])
        return T1 @ mu.T - 2.0 * (T2 @ v_s.T) + self.tr_sigma_b + c_t


class _DiagonalProblem(_FixedPointProblem):
    """``Sigma`` and every penalty diagonal in one basis: ``O(d)`` per alpha."""

    def __init__(self, sig, w, g):
        self.n_features = sig.shape[0]
        self.sig, self.w, self.g = sig, w, g
        self.tr_sigma_b = float(w @ sig)

    def _teacher_terms(self, lam, n):
        sig, g = self.sig, self.g[0]
        e, u = whitened_spectrum(sig, g)
        kappa = solve_kappa(lam, e, n, u)
        a, h = ratio_terms(kappa, sig, g)
        c = shrinkage_terms(kappa, sig, g)
        ws = self.w * sig
        bias = (c * c) @ ws  # = kappa^2 b*' G H G b*, without overflow
        P = a @ ws
        M = (a * a) @ ws  # E[b_t]' Sigma E[b_t]
        return kappa, a, h, bias, P, M

    def _signal_weights(self):
        return self.w * self.sig

    def _student_terms(self, t, lam_s, m):
        sig, g = self.sig, self.g[1]
        e, u = whitened_spectrum(sig, g)
        ks = solve_kappa(lam_s, e, m, u)
        a_s, h_s = ratio_terms(ks, sig, g)
        gg_h = h_s * (g * g)[None, :]
        base = a_s * a_s * sig[None, :]
        a_t = t["a"]
        T1 = a_t * a_t * self.w[None, :]
        T2 = a_t * (self.w * sig)[None, :]
        return ks, a_s, gg_h, a_s, base, T1, T2, t["h"]

    def lambda_scale(self, role):
        return float(self.sig.sum() / max(self.g[role].sum(), 1e-300))


class _DenseProblem(_FixedPointProblem):
    """Anything else: one generalized eigendecomposition per distinct penalty."""

    def __init__(self, Sm, bkind, b, pens, names):
        self.n_features = Sm.shape[0]
        if bkind == "vector":
            L = b[:, None]
        else:
            lb, Ub = np.linalg.eigh(b)
            keep = lb > _RANK_RTOL * max(1.0, lb.max(initial=0.0))
            L = Ub[:, keep] * np.sqrt(lb[keep])
        self.Sigma, self.L = Sm, L
        self.tr_sigma_b = float(np.sum(L * (Sm @ L)))
        self.roles = []
        self._C = None
        cache = []
        for (kind, G), name in zip(pens, names, strict=True):
            for (k2, G2), res in cache:
                if k2 == kind and G2.shape == G.shape and np.array_equal(G2, G):
                    self.roles.append(res)
                    break
            else:
                res = self._whiten(Sm, kind, G, name)
                cache.append(((kind, G), res))
                self.roles.append(res)

    def _whiten(self, Sm, kind, G, name):
        """Generalized eigenpairs: ``Sigma V = G V diag(e)``, ``V' G V = I``."""
        if kind == "diag":
            if np.any(G <= 0):
                raise _not_definite(name)
            s = 1.0 / np.sqrt(G)
            e, U = np.linalg.eigh(Sm * s[:, None] * s[None, :])
            V = U * s[:, None]
            GV = U / s[:, None]
        else:
            try:
                e, V = scipy.linalg.eigh(Sm, G)
            except np.linalg.LinAlgError as exc:
                raise _not_definite(name) from exc
            GV = G @ V
        # Sylvester: the whitened covariance is PSD iff Sigma is.
        e = check_psd_eigenvalues(e, name="covariance", scale=_magnitude(e))
        e[e <= 1e-13 * max(e.max(initial=0.0), 1e-300)] = 0.0
        Lw = GV.T @ self.L  # coordinates V^{-1} L
        return {"e": e, "V": V, "GV": GV, "Lw": Lw, "nrm": np.sum(Lw * Lw, axis=1)}

    def _teacher_terms(self, lam, n):
        r = self.roles[0]
        e = r["e"]
        kappa = solve_kappa(lam, e[e > 0], n, 0)
        ones = np.ones_like(e)
        a, h = ratio_terms(kappa, e, ones)
        c = shrinkage_terms(kappa, e, ones)
        en = e * r["nrm"]
        bias = (c * c) @ en  # = kappa^2 h @ nrm, without overflow
        P = a @ en
        M = (a * a) @ en  # E[b_t]' Sigma E[b_t]
        return kappa, a, h, bias, P, M

    def _signal_weights(self):
        return self.roles[0]["e"] * self.roles[0]["nrm"]

    def _student_terms(self, t, lam_s, m):
        rt, rs = self.roles
        e_s = rs["e"]
        ks = solve_kappa(lam_s, e_s[e_s > 0], m, 0)
        a_s, h_s = ratio_terms(ks, e_s, np.ones_like(e_s))
        v_s = a_s * e_s[None, :]
        base = a_s * a_s * e_s[None, :]
        if self._C is None:
            self._C = rs["GV"].T @ rt["V"]  # V_s' G_s V_t
            self._CC = self._C * self._C
        C = self._C
        a_t, h_t = t["a"], t["h"]
        T3 = h_t @ self._CC.T
        if rt["Lw"].shape[1] == 1:
            Y = (a_t * rt["Lw"][:, 0][None, :]) @ C.T  # (n_t, d)
            T1 = Y * Y
            T2 = Y * rs["Lw"][:, 0][None, :]
        else:
            T1 = np.empty_like(a_t)
            T2 = np.empty_like(a_t)
            for i in range(a_t.shape[0]):
                Y = C @ (a_t[i][:, None] * rt["Lw"])
                T1[i] = np.sum(Y * Y, axis=1)
                T2[i] = np.sum(Y * rs["Lw"], axis=1)
        return ks, a_s, h_s, v_s, base, T1, T2, T3

    def lambda_scale(self, role):
        return float(max(self.roles[role]["e"].mean(), 1e-300))


_PATHS = {"iso": _IsotropicProblem, "diag": _DiagonalProblem, "dense": _DenseProblem}
