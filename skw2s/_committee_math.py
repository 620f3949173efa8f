"""Plain-array math of teacher committees: how much to trust each weak teacher.

Used by :class:`skw2s.TeacherCommittee` and
:class:`skw2s.TeacherCommitteeClassifier`, which validate their inputs, fit the
teachers and call these functions on the teachers' predictions. Every function
works on arrays only (no estimator state) and is tested on its own in
``tests/test_committee_math.py``.

Regression: the teachers' predictions of ``n`` rows are the columns of an
``(n, k)`` array ``F``; teacher ``a``'s error is ``e_a = F[:, a] - y``.

- :func:`triplet_error_variances`: error variances from the teachers'
  predictions alone (no label), under pairwise uncorrelated errors, with a
  check of that assumption;
- :func:`shrunk_error_covariance` and :func:`min_variance_weights`: the error
  covariance estimated on labeled rows, shrunk towards its diagonal, and the
  minimum-variance combination it implies;
- :func:`nonnegative_stacking`: non-negative least squares with an intercept;
- :func:`row_variances`: a per-row variance of a combination, from how much
  the teachers disagree on that row.

Classification: teacher ``a``'s labels of ``n`` rows, as class indices, are
the columns of an ``(n, k)`` integer array ``L``.

- :func:`dawid_skene` and :func:`dawid_skene_posterior`: per-teacher confusion
  matrices and class priors by EM, with optional labeled rows as anchors;
- :func:`linear_pool_weights`: simplex weights of the teachers'
  probabilities that maximize the likelihood of labeled rows;
- :func:`informativeness_weights`: each teacher's mutual information with the
  class under a fitted confusion model, normalized.
"""

from itertools import combinations

import numpy as np
from scipy import linalg, optimize, stats
from scipy.special import logsumexp
from sklearn.utils import Bunch

#: Pseudo-count added to every cell of a confusion matrix and to every class
#: of the prior in the M-step of Dawid-Skene (keeps every log finite).
DS_PSEUDO_COUNT = 1e-2

#: Probability mixed into one-hot or degenerate class probabilities before a
#: log is taken (``(1 - eps) p + eps / n_classes``).
PROBA_EPS = 1e-3


# ---------------------------------------------------------------- regression
def _pairs(k):
    return list(combinations(range(k), 2))


def triplet_error_variances(F):
    r"""Error variances of ``k >= 3`` teachers from their predictions alone.

    If teacher :math:`a` predicts :math:`f_a = y + e_a` and the errors of
    different teachers are uncorrelated, the variance of the difference of two
    teachers is the sum of their error variances,

    .. math::

        D_{ab} = \operatorname{Var}(f_a - f_b) = \sigma_a^2 + \sigma_b^2 ,

    whatever the distribution of :math:`y`. Any three teachers give
    :math:`\sigma_a^2 = (D_{ab} + D_{ac} - D_{bc}) / 2` (the triplet method of
    Shin et al., 2022, for continuous labels); with more teachers the
    :math:`k(k-1)/2` equations are solved by least squares. An error
    component shared by every teacher (label noise, a common bias) cancels in
    each difference: the estimates are the variances of the parts of the
    errors that the teachers do *not* share.

    Parameters
    ----------
    F : ndarray of shape (n_rows, k)
        The teachers' predictions, one column per teacher, ``k >= 3``,
        ``n_rows >= 2``.

    Returns
    -------
    result : Bunch
        ``variances`` (shape ``(k,)``, unclipped: a negative value means the
        model does not hold), ``se`` (their standard errors, delta method over
        rows), ``pair_variances`` (the ``D_ab``, one per pair ``a < b`` in
        lexicographic order), ``misfit`` (``D_ab`` minus its fit) and the
        consistency test of the pairwise equations: ``statistic`` (a Wald
        statistic of the misfit, chi-square with ``df`` degrees of freedom
        when the errors are uncorrelated), ``df`` (``k(k-1)/2 - k``: 0 for
        three teachers, which are always consistent) and ``pvalue`` (NaN when
        ``df == 0``).
    """
    F = np.asarray(F, dtype=np.float64)
    n, k = F.shape
    pairs = _pairs(k)
    A = np.zeros((len(pairs), k))
    U = np.empty((n, len(pairs)))
    for p, (a, b) in enumerate(pairs):
        A[p, a] = A[p, b] = 1.0
        U[:, p] = F[:, a] - F[:, b]
    Uc = U - U.mean(axis=0)
    Z = Uc**2 * (n / (n - 1))  # mean of Z = the unbiased pair variances
    D = Z.mean(axis=0)
    H = linalg.pinv(A)  # (A'A)^{-1} A'
    sigma2 = H @ D
    cov_D = np.cov(Z, rowvar=False, ddof=1).reshape(len(pairs), len(pairs)) / n
    se = np.sqrt(np.clip(np.diag(H @ cov_D @ H.T), 0, None))
    M = np.eye(len(pairs)) - A @ H
    misfit = M @ D
    df = len(pairs) - k
    if df > 0:
        cov_r = M @ cov_D @ M.T
        # the misfit lives in the df-dimensional complement of A's columns
        w, V = linalg.eigh(cov_r)
        keep = np.argsort(w)[-df:]
        w, V = w[keep], V[:, keep]
        proj = V.T @ misfit
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = float(np.sum(np.where(w > 0, proj**2 / w, np.inf)))
        pvalue = float(stats.chi2.sf(statistic, df))
    else:
        statistic, pvalue = 0.0, np.nan
    return Bunch(
        variances=sigma2, se=se, pair_variances=D, misfit=misfit,
        statistic=statistic, df=df, pvalue=pvalue,
    )


def clip_variances(variances):
    """Non-positive variances raised to the smallest positive one.

    A non-positive estimate gives that teacher at most the weight of the most
    precise teacher with a positive estimate; if none is positive, every
    variance becomes 1 (equal weights).
    """
    v = np.asarray(variances, dtype=np.float64).copy()
    positive = v > 0
    if not positive.any():
        return np.ones_like(v)
    v[~positive] = v[positive].min()
    return v


def shrunk_error_covariance(E, shrinkage="auto"):
    r"""Covariance of the teachers' errors, shrunk towards its diagonal.

    :math:`\hat\Sigma = (1-\rho) S + \rho\,\operatorname{diag}(S)`, where
    :math:`S` is the sample covariance of the rows of ``E``. With
    ``shrinkage="auto"``, :math:`\rho` is the estimate of Schäfer & Strimmer
    (2005, target "D": diagonal, unequal variances) that minimizes the
    expected squared error of :math:`\hat\Sigma`,

    .. math::

        \rho = \frac{\sum_{a \neq b} \widehat{\operatorname{Var}}(s_{ab})}
                    {\sum_{a \neq b} s_{ab}^2} \quad \text{clipped to } [0, 1],

    so that the off-diagonal covariances are shrunk more when there are few
    rows to estimate them from.

    Parameters
    ----------
    E : ndarray of shape (n_rows, k)
        The teachers' errors (prediction minus true label), ``n_rows >= 2``.
    shrinkage : "auto" or float in [0, 1], default="auto"
        :math:`\rho`; 0 keeps the sample covariance, 1 its diagonal.

    Returns
    -------
    cov : ndarray of shape (k, k)
        The shrunk covariance.
    mean : ndarray of shape (k,)
        The mean error of each teacher (its bias).
    rho : float
        The shrinkage used.
    """
    E = np.asarray(E, dtype=np.float64)
    n, k = E.shape
    mean = E.mean(axis=0)
    Ec = E - mean
    S = Ec.T @ Ec / (n - 1)
    off = ~np.eye(k, dtype=bool)
    if shrinkage == "auto":
        W = Ec[:, :, None] * Ec[:, None, :]  # (n, k, k)
        var_s = n / (n - 1) ** 3 * np.sum((W - W.mean(axis=0)) ** 2, axis=0)
        denom = np.sum(S[off] ** 2)
        rho = 1.0 if denom <= 0 else float(np.clip(var_s[off].sum() / denom, 0, 1))
    else:
        rho = float(shrinkage)
    cov = S.copy()
    cov[off] *= 1 - rho
    return cov, mean, rho


def _solve_ones(cov):
    """``cov^{-1} 1`` (a pseudo-inverse if ``cov`` is singular)."""
    k = cov.shape[0]
    ones = np.ones(k)
    try:
        c, low = linalg.cho_factor(cov)
        return linalg.cho_solve((c, low), ones)
    except linalg.LinAlgError:
        return linalg.pinv(cov, atol=1e-12 * max(np.abs(cov).max(), 1e-300)) @ ones


def min_variance_weights(cov):
    r"""Weights :math:`w = \Sigma^{-1}\mathbf 1 / \mathbf 1^\top\Sigma^{-1}\mathbf 1`.

    Among combinations :math:`\sum_a w_a f_a` with :math:`\sum_a w_a = 1`
    (which keep an unbiased combination unbiased) this one has the smallest
    error variance, :math:`1 / \mathbf 1^\top\Sigma^{-1}\mathbf 1` (Bates &
    Granger, 1969). For a diagonal :math:`\Sigma` these are inverse-variance
    weights; with correlated errors a weight can be negative.

    Parameters
    ----------
    cov : ndarray of shape (k, k)
        Error covariance (symmetric positive semi-definite); a 1-D array is a
        diagonal.

    Returns
    -------
    weights : ndarray of shape (k,)
        Summing to 1.
    """
    cov = np.asarray(cov, dtype=np.float64)
    if cov.ndim == 1:
        cov = np.diag(cov)
    x = _solve_ones(cov)
    total = x.sum()
    if not np.isfinite(total) or total <= 0:
        return np.full(cov.shape[0], 1.0 / cov.shape[0])
    return x / total


def combined_variance(cov, weights):
    """Error variance ``w' cov w`` of the combination with ``weights``."""
    cov = np.asarray(cov, dtype=np.float64)
    if cov.ndim == 1:
        cov = np.diag(cov)
    w = np.asarray(weights, dtype=np.float64)
    return float(w @ cov @ w)


def nonnegative_stacking(F, y):
    r"""Non-negative least squares of ``y`` on the columns of ``F``, with intercept.

    Minimizes :math:`\|y - c - F w\|^2` over :math:`c` and :math:`w \geq 0`
    (Breiman's stacked regressions, 1996): the intercept is free, so the
    problem is solved on centered data and :math:`c = \bar y - \bar F w`.

    Parameters
    ----------
    F : ndarray of shape (n_rows, k)
    y : ndarray of shape (n_rows,)

    Returns
    -------
    weights : ndarray of shape (k,)
    intercept : float
    """
    F = np.asarray(F, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    f_mean, y_mean = F.mean(axis=0), y.mean()
    w, _ = optimize.nnls(F - f_mean, y - y_mean)
    return w, float(y_mean - f_mean @ w)


def row_variances(G, prediction, cov):
    r"""Variance of a combination on each row, from the teachers' disagreement.

    If the errors of row :math:`i` are :math:`\tau_i^2`-times a common
    covariance :math:`\Sigma`, the generalized residual of the row,
    :math:`r_i = g_i - \hat y_i \mathbf 1`, has
    :math:`E[r_i^\top\Sigma^{-1} r_i] = (k-1)\,\tau_i^2` (a chi-square with
    :math:`k-1` degrees of freedom for the minimum-variance combination), so

    .. math::

        v_i = \frac{r_i^\top \Sigma^{-1} r_i / (k - 1)}
                   {\mathbf 1^\top \Sigma^{-1} \mathbf 1}

    estimates the variance of the combination's error on row :math:`i`
    (rows where the teachers agree get a small variance); its mean over rows
    is about :math:`1/\mathbf 1^\top\Sigma^{-1}\mathbf 1`. Only the shape of
    :math:`\Sigma` matters, not its scale.

    Parameters
    ----------
    G : ndarray of shape (n_rows, k)
        The teachers' (bias-corrected) predictions.
    prediction : ndarray of shape (n_rows,)
        The combination's prediction of each row.
    cov : ndarray of shape (k, k) or (k,)
        Error covariance (or its diagonal), up to scale.

    Returns
    -------
    var : ndarray of shape (n_rows,)
    """
    G = np.asarray(G, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    if cov.ndim == 1:
        cov = np.diag(cov)
    k = G.shape[1]
    R = G - np.asarray(prediction, dtype=np.float64)[:, None]
    prec = linalg.pinv(cov, atol=1e-12 * max(np.abs(cov).max(), 1e-300))
    q = np.einsum("ia,ab,ib->i", R, prec, R)
    total = prec.sum()
    if k < 2 or not total > 0:
        return np.zeros(G.shape[0])
    return np.clip(q, 0, None) / (k - 1) / total


# ------------------------------------------------------------ classification
def _one_hot(indices, n_classes):
    out = np.zeros((indices.shape[0], n_classes))
    out[np.arange(indices.shape[0]), indices] = 1.0
    return out


def _log_likelihood_terms(L, log_confusion, log_prior):
    """``log p_j + sum_a log pi_a[j, L_ia]`` for every row ``i`` and class ``j``."""
    out = np.broadcast_to(log_prior, (L.shape[0], log_prior.size)).copy()
    for a in range(L.shape[1]):
        out += log_confusion[a][:, L[:, a]].T
    return out


def dawid_skene_posterior(L, confusion, prior):
    """Posterior class probabilities of rows labeled ``L`` by the teachers.

    Parameters
    ----------
    L : ndarray of shape (n_rows, k), dtype=int
        Each teacher's label of each row, as an index into the classes.
    confusion : ndarray of shape (k, n_classes, n_classes)
        ``confusion[a, j, l]``: the probability that teacher ``a`` says ``l``
        when the class is ``j``.
    prior : ndarray of shape (n_classes,)
        Class probabilities.

    Returns
    -------
    posterior : ndarray of shape (n_rows, n_classes)
    """
    with np.errstate(divide="ignore"):
        terms = _log_likelihood_terms(
            np.asarray(L), np.log(confusion), np.log(prior)
        )
    return np.exp(terms - logsumexp(terms, axis=1, keepdims=True))


def _dawid_skene_em(L, one_hot, T, known, anchor, n_classes, max_iter, tol):
    """EM from the posteriors ``T`` (anchored rows held fixed)."""
    n = L.shape[0]
    anchored_T = T[known]
    previous = -np.inf
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        # M-step
        counts = np.stack([T.T @ oh for oh in one_hot]) + DS_PSEUDO_COUNT
        confusion = counts / counts.sum(axis=2, keepdims=True)
        prior = (T.sum(axis=0) + DS_PSEUDO_COUNT) / (
            T.sum() + n_classes * DS_PSEUDO_COUNT
        )
        # E-step
        terms = _log_likelihood_terms(L, np.log(confusion), np.log(prior))
        norm = logsumexp(terms, axis=1)
        loglik = (norm[~known].sum() + terms[known, anchor[known]].sum()) / n
        T = np.exp(terms - norm[:, None])
        T[known] = anchored_T
        if loglik - previous < tol:
            converged = True
            break
        previous = loglik
    return Bunch(
        confusion=confusion, prior=prior, posterior=T, n_iter=n_iter,
        converged=converged, log_likelihood=float(loglik),
    )


def dawid_skene(L, n_classes, *, anchor=None, max_iter=100, tol=1e-6):
    r"""Confusion matrices of ``k`` teachers and class priors by EM (Dawid & Skene).

    Each teacher :math:`a` labels row :math:`i` with :math:`l` with
    probability :math:`\pi_a[j, l]` when its class is :math:`j`,
    independently of the other teachers given the class. EM alternates the
    posterior class probabilities :math:`T_{ij}` of every row (E-step) and
    the confusion matrices and prior that maximize the expected complete
    log-likelihood (M-step, with :data:`DS_PSEUDO_COUNT` added to every count).

    Rows with a known class (``anchor >= 0``) keep it as their posterior: they
    anchor the EM. EM starts from the teachers' vote shares on the other rows;
    when some rows are anchored, a second run starts from the confusion
    matrices counted on the anchored rows alone, and the run of larger
    likelihood is kept. The second start resolves the permutation of the
    classes that the vote shares get wrong when most teachers are worse than
    chance (a fit without labels cannot resolve it).

    Parameters
    ----------
    L : ndarray of shape (n_rows, k), dtype=int
        Each teacher's label of each row, as an index in ``[0, n_classes)``.
    n_classes : int
    anchor : ndarray of shape (n_rows,), dtype=int, default=None
        The known class index of each row, ``-1`` where unknown.
    max_iter : int, default=100
        Maximum number of EM iterations (per start).
    tol : float, default=1e-6
        Stop when the log-likelihood per row improves by less than ``tol``.

    Returns
    -------
    result : Bunch
        ``confusion`` (shape ``(k, n_classes, n_classes)``, rows summing to 1),
        ``prior`` (shape ``(n_classes,)``), ``posterior`` (shape
        ``(n_rows, n_classes)``), ``n_iter``, ``converged`` (bool) and
        ``log_likelihood`` (per row, of the observed labels and anchors), of
        the run kept.
    """
    L = np.asarray(L, dtype=np.intp)
    n, k = L.shape
    anchor = np.full(n, -1) if anchor is None else np.asarray(anchor, dtype=np.intp)
    known = anchor >= 0
    one_hot = [_one_hot(L[:, a], n_classes) for a in range(k)]
    truth = _one_hot(anchor[known], n_classes)
    starts = [sum(one_hot) / k]
    if known.any():
        starts.append(np.zeros((n, n_classes)))  # the anchored rows alone
    best = None
    for T in starts:
        T[known] = truth
        res = _dawid_skene_em(L, one_hot, T, known, anchor, n_classes,
                              max_iter, tol)
        if best is None or res.log_likelihood > best.log_likelihood + 1e-12:
            best = res
    return best


def smooth_proba(P, eps=PROBA_EPS):
    """``(1 - eps) P + eps / n_classes``: no probability is exactly 0."""
    P = np.asarray(P, dtype=np.float64)
    return (1 - eps) * P + eps / P.shape[-1]


def linear_pool_weights(P, y_idx, *, max_iter=500, tol=1e-8):
    r"""Simplex weights of a linear opinion pool, by maximum likelihood.

    Maximizes :math:`\sum_i \log \sum_a w_a P_a(y_i \mid x_i)` over
    :math:`w \geq 0`, :math:`\sum_a w_a = 1`: a mixture whose components are
    fixed, so EM's update :math:`w_a \leftarrow \frac1n \sum_i w_a P_{ia} /
    \sum_b w_b P_{ib}` increases the (concave) likelihood to its maximum.

    Parameters
    ----------
    P : ndarray of shape (k, n_rows, n_classes)
        Each teacher's class probabilities (made positive with
        :func:`smooth_proba`).
    y_idx : ndarray of shape (n_rows,), dtype=int
        The true class index of each row.
    max_iter : int, default=500
    tol : float, default=1e-8
        Stop when no weight changes by more than ``tol``.

    Returns
    -------
    weights : ndarray of shape (k,)
    n_iter : int
        Number of EM iterations run.
    """
    P = smooth_proba(P)
    k, n, _ = P.shape
    q = P[:, np.arange(n), np.asarray(y_idx, dtype=np.intp)]  # (k, n)
    w = np.full(k, 1.0 / k)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        mix = w @ q
        new = w * (q / mix).mean(axis=1)
        new /= new.sum()
        done = np.max(np.abs(new - w)) < tol
        w = new
        if done:
            break
    return w, n_iter


def informativeness_weights(confusion, prior):
    r"""Each teacher's mutual information with the class, normalized to sum to 1.

    :math:`I_a = \sum_{j,l} p_j \pi_a[j,l] \log(\pi_a[j,l] / m_a[l])` with
    :math:`m_a[l] = \sum_j p_j \pi_a[j,l]`: 0 for a teacher whose label does not
    depend on the class, :math:`H(p)` for a teacher that is always right. If
    every :math:`I_a` is 0, the weights are equal.
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    prior = np.asarray(prior, dtype=np.float64)
    joint = prior[None, :, None] * confusion  # (k, C, C)
    marginal = joint.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(joint > 0, joint * np.log(confusion / marginal), 0.0)
    info = np.clip(terms.sum(axis=(1, 2)), 0, None)
    total = info.sum()
    if not total > 0:
        return np.full(confusion.shape[0], 1.0 / confusion.shape[0])
    return info / total
