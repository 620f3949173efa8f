"""Validation of the model description and reduction to a computational path.

A problem is (covariance, coef, teacher penalty, student penalty). It is reduced
to one of three representations:

- ``"iso"``: ``Sigma = c I`` and both penalties ``g I``; rescaled to the
  Marchenko-Pastur closed forms (``lambda -> lambda g / c``, ``r2 -> c r2``).
- ``"diag"``: ``Sigma`` and both penalties diagonal in one basis (possibly after
  one eigendecomposition of ``Sigma`` when the penalties are multiples of the
  identity); ``O(d)`` work per alpha.
- ``"dense"``: anything else; one generalized eigendecomposition per penalty,
  then ``O(d^2)`` work per teacher alpha and ``O(d)`` per student alpha.
"""

import numpy as np
import scipy.linalg

from .._validation import check_psd
from ._fixed_point import ratio_terms, solve_kappa, whitened_spectrum
from ._marchenko_pastur import _safe_ratio

_SYM_TOL = 1e-8


def _is_diagonal(M):
    return not np.any(M - np.diag(np.diag(M)))


def _check_sym_psd(M, name, d=None):
    return check_psd(M, name=name, n_features=d, allow_1d=False)


def _as_float_array(x, name):
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers.") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must not contain NaN or infinite values.")
    return arr


def _not_psd(name, min_eig):
    return ValueError(
        f"{name} must be positive semi-definite; its smallest eigenvalue is "
        f"{min_eig:.3g}."
    )


def _psd_tol(values):
    return 1e3 * np.finfo(float).eps * max(np.abs(values).max(initial=0.0), 1e-300) * (
        values.size
    )


def check_covariance(covariance):
    """Return ``("diag", eigenvalues)`` or ``("full", matrix)``.

    A 2-D matrix is checked for shape, finiteness and symmetry here; its
    positive semi-definiteness is checked on the eigenvalues that the chosen
    path computes anyway (one eigendecomposition fewer at large ``d``).
    """
    S = np.asarray(covariance)
    if S.ndim != 2:
        return "diag", check_psd(covariance, name="covariance", allow_1d=True)
    S = check_psd(S, name="covariance", allow_1d=False, check_eigenvalues=False)
    if _is_diagonal(S):
        diag = np.diag(S).copy()
        if diag.min() < 0:
            raise _not_psd("covariance", diag.min())
        return "diag", diag
    return "full", S


def check_coef(coef, d):
    """Return ``("vector", b)`` or ``("matrix", B)``."""
    b = _as_float_array(coef, "coef")
    if b.ndim == 1:
        if b.shape[0] != d:
            raise ValueError(
                f"coef has {b.shape[0]} entries but covariance has {d} features."
            )
        return "vector", b
    if b.ndim == 2:
        return "matrix", _check_sym_psd(b, "coef (second-moment matrix)", d)
    raise ValueError(
        "coef must be a 1-D target (n_features,) or a 2-D second-moment matrix "
        f"(n_features, n_features), got {b.ndim} dimensions."
    )


def check_penalty(pw, d, name):
    """Return ``("diag", g)`` or ``("full", G)`` (``None`` is ``diag`` of ones)."""
    if pw is None:
        return "diag", np.ones(d)
    G = _as_float_array(pw, name)
    if G.ndim == 1:
        if G.shape[0] != d:
            raise ValueError(f"{name} has {G.shape[0]} entries, expected {d}.")
        if np.any(G < 0):
            raise ValueError(f"{name} must be non-negative.")
        return "diag", G
    if G.ndim == 2:
        G = _check_sym_psd(G, name, d)
        if _is_diagonal(G):
            return "diag", np.clip(np.diag(G).copy(), 0, None)
        return "full", G
    raise ValueError(f"{name} must be None, a 1-D or a 2-D array.")


def _is_const(v):
    return v.size > 0 and np.all(v == v[0])


class Problem:
    """A validated problem reduced to its computational path.

    Parameters
    ----------
    covariance, coef : array-like
    penalties : list of (value, name)
        The penalty weights of each role (teacher first).
    path : {None, "iso", "diag", "dense"}
        Force a path (used by the tests); ``None`` picks the fastest exact one.
    """

    def __init__(self, covariance, coef, penalties, path=None):
        ckind, S = check_covariance(covariance)
        d = S.shape[0]
        self.n_features = d
        bkind, b = check_coef(coef, d)
        pens = [check_penalty(pw, d, name) for pw, name in penalties]
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
        self.path = path

        if path in ("iso", "diag"):
            if ckind == "full":
                if not const_pens:
                    raise ValueError("The diagonal path needs commuting penalties.")
                sig, U = np.linalg.eigh(S)
                if sig[0] < -_psd_tol(sig):
                    raise _not_psd("covariance", sig[0])
                sig = np.clip(sig, 0, None)
                if bkind == "vector":
                    w = (U.T @ b) ** 2
                else:
                    w = np.einsum("ij,ij->j", U, b @ U)
            else:
                sig = S
                w = b**2 if bkind == "vector" else np.diag(b).copy()
            if any(k != "diag" for k, _ in pens):
                raise ValueError("The diagonal path needs diagonal penalties.")
            self.sig, self.w = sig, w
            self.g = [g for _, g in pens]
            if path == "iso":
                if not (_is_const(sig) and const_pens):
                    raise ValueError("The isotropic path needs Sigma = c I, G = g I.")
                self.c = float(sig[0])
                self.r2 = float(w.sum())
                self.gscal = [float(g[0]) for g in self.g]
            self.tr_sigma_b = float(w @ sig)
        else:
            Sm = np.diag(S) if ckind == "diag" else S
            if bkind == "vector":
                L = b[:, None]
            else:
                lb, Ub = np.linalg.eigh(b)
                keep = lb > _SYM_TOL * max(1.0, lb.max(initial=0.0))
                L = Ub[:, keep] * np.sqrt(lb[keep])
            self.Sigma, self.L = Sm, L
            self.tr_sigma_b = float(np.sum(L * (Sm @ L)))
            self.roles = []
            self._C = None
            cache = []
            for (kind, G), (_, name) in zip(pens, penalties, strict=True):
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
        msg = (
            f"{name} must be positive definite when covariance and the penalties "
            "are not diagonal in one basis (zero weights are supported only for "
            "diagonal problems)."
        )
        if kind == "diag":
            if np.any(G <= 0):
                raise ValueError(msg)
            s = 1.0 / np.sqrt(G)
            e, U = np.linalg.eigh(Sm * s[:, None] * s[None, :])
            V = U * s[:, None]
            GV = U / s[:, None]
        else:
            try:
                e, V = scipy.linalg.eigh(Sm, G)
            except np.linalg.LinAlgError as exc:
                raise ValueError(msg) from exc
            GV = G @ V
        if e.min() < -_psd_tol(e):
            raise _not_psd("covariance", e.min())
        e = np.clip(e, 0, None)
        e[e <= 1e-13 * max(e.max(initial=0.0), 1e-300)] = 0.0
        Lw = GV.T @ self.L  # coordinates V^{-1} L
        return {"e": e, "V": V, "GV": GV, "Lw": Lw, "nrm": np.sum(Lw * Lw, axis=1)}

    # ------------------------------------------------------------------ teacher
    def teacher(self, lam, n, s2, role=0):
        """Teacher quantities for a vector of ``lambda``.

        Returns a dict with ``risk``, ``P`` (``b*' Sigma E b_t``), ``delta``
        (``df2 / n``), ``bias`` (``kappa^2 b*' G H G b*``), ``kappa``, ``a``, ``h``.
        """
        lam = np.asarray(lam, dtype=float)
        if self.path == "iso":
            raise RuntimeError("use the closed forms for the isotropic path")
        if self.path == "diag":
            sig, g = self.sig, self.g[role]
            e, u = whitened_spectrum(sig, g)
            kappa = solve_kappa(lam, e, n, u)
            a, h = ratio_terms(kappa, sig, g)
            bias = kappa**2 * ((h * (g * g * self.w)[None, :]).sum(axis=1))
            P = a @ (self.w * sig)
        else:
            r = self.roles[role]
            e = r["e"]
            kappa = solve_kappa(lam, e[e > 0], n, 0)
            a, h = ratio_terms(kappa, e, np.ones_like(e))
            bias = kappa**2 * (h @ r["nrm"])
            P = a @ (e * r["nrm"])
        delta = (a * a).sum(axis=1) / n
        risk = bias + _safe_ratio(delta * (bias + s2), 1.0 - delta)
        return {"risk": risk, "P": P, "delta": delta, "bias": bias,
                "kappa": kappa, "a": a, "h": h, "n": n}

    # ------------------------------------------------------------------ student
    def student_matrix(self, t, lam_s, m, s2):
        """Student risk for every (teacher lambda, student lambda) pair.

        Parameters
        ----------
        t : dict
            Output of :meth:`teacher` for ``n_t`` teacher lambdas.
        lam_s : ndarray of shape (n_s,)

        Returns
        -------
        risk : ndarray of shape (n_t, n_s)
        """
        lam_s = np.asarray(lam_s, dtype=float)
        if self.path == "diag":
            sig, g = self.sig, self.g[1]
            e, u = whitened_spectrum(sig, g)
            ks = solve_kappa(lam_s, e, m, u)
            a_s, h_s = ratio_terms(ks, sig, g)
            gg_h = h_s * (g * g)[None, :]
            v_s = a_s
            base = a_s * a_s * sig[None, :]
            a_t, h_t = t["a"], t["h"]
            T1 = a_t * a_t * self.w[None, :]
            T2 = a_t * (self.w * sig)[None, :]
            T3 = h_t
        else:
            rt, rs = self.roles
            e_s = rs["e"]
            ks = solve_kappa(lam_s, e_s[e_s > 0], m, 0)
            a_s, h_s = ratio_terms(ks, e_s, np.ones_like(e_s))
            gg_h = h_s
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
        delta_s = (a_s * a_s).sum(axis=1) / m
        extra = _safe_ratio(delta_s * ks * ks, 1.0 - delta_s)
        mu = base + extra[:, None] * gg_h
        ct_num = T3 @ mu.T  # tr(M_s H_t), (n_t, n_s)
        n = t["n"]
        noise_term = (t["bias"] + s2)[:, None]
        c_t = _safe_ratio(ct_num / n * noise_term, (1.0 - t["delta"])[:, None])
        return T1 @ mu.T - 2.0 * (T2 @ v_s.T) + self.tr_sigma_b + c_t
