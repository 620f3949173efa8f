"""The math of teacher committees (``skw2s._committee_math``), on arrays.

Closed forms are checked exactly; estimators by simulation with tolerances
derived from their standard errors, decided before looking at the results.
"""

from itertools import combinations

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import LinearRegression

from skw2s._committee_math import (
    clip_variances,
    combined_variance,
    dawid_skene,
    dawid_skene_posterior,
    informativeness_weights,
    linear_pool_weights,
    min_variance_weights,
    nonnegative_stacking,
    row_variances,
    shrunk_error_covariance,
    smooth_proba,
    triplet_error_variances,
)

SDS = np.array([0.3, 0.6, 1.0, 2.0])


def _gaussian_triplet_se(sds, n):
    """Closed-form s.e. of the least-squares triplet estimates, Gaussian errors.

    ``D_p`` is the variance of ``U_p = e_a - e_b``; for Gaussian errors the
    sample variances have ``Cov(D_p, D_q) = 2 Cov(U_p, U_q)^2 / n``, and
    ``Cov(U_ab, U_cd) = [a=c] s_a^2 - [a=d] s_a^2 - [b=c] s_b^2 + [b=d] s_b^2``.
    The estimates are ``pinv(A) D``. Independent of the code under test.
    """
    k = len(sds)
    pairs = list(combinations(range(k), 2))
    A = np.zeros((len(pairs), k))
    for p, (a, b) in enumerate(pairs):
        A[p, [a, b]] = 1
    var = np.asarray(sds) ** 2
    C = np.zeros((len(pairs), len(pairs)))
    for p, (a, b) in enumerate(pairs):
        for q, (c, d) in enumerate(pairs):
            C[p, q] = ((a == c) * var[a] - (a == d) * var[a] - (b == c) * var[b]
                       + (b == d) * var[b])
    cov_D = 2 * C**2 / n
    H = np.linalg.pinv(A)
    return np.sqrt(np.diag(H @ cov_D @ H.T))


# ---------------------------------------------------------------- triplets
def test_triplet_three_teachers_is_the_closed_form(rng):
    F = rng.normal(size=(50, 3)) * [1.0, 2.0, 3.0] + rng.normal(size=(50, 1))
    d = {(a, b): np.var(F[:, a] - F[:, b], ddof=1)
         for a, b in combinations(range(3), 2)}
    expected = [
        (d[0, 1] + d[0, 2] - d[1, 2]) / 2,
        (d[0, 1] + d[1, 2] - d[0, 2]) / 2,
        (d[0, 2] + d[1, 2] - d[0, 1]) / 2,
    ]
    res = triplet_error_variances(F)
    np.testing.assert_allclose(res.variances, expected, rtol=1e-12)
    assert res.df == 0 and np.isnan(res.pvalue)
    np.testing.assert_allclose(res.misfit, 0, atol=1e-12)


def test_triplet_recovers_known_error_variances(rng):
    """y + independent noise of s.d. 0.3, 0.6, 1, 2: variances within 15 %.

    n = 100 000 makes 15 % at least four standard errors of every estimate
    (closed form above; the hardest is the smallest variance, 0.09, whose
    relative s.e. is about 3.3 %). y is skewed: the method does not need its
    distribution.
    """
    n = 100_000
    se = _gaussian_triplet_se(SDS, n)
    assert np.all(0.15 * SDS**2 >= 4 * se)
    y = rng.exponential(size=n) * 3
    F = y[:, None] + rng.normal(size=(n, 4)) * SDS
    res = triplet_error_variances(F)
    np.testing.assert_allclose(res.variances, SDS**2, rtol=0.15)
    # the reported standard errors agree with the closed form (delta method)
    np.testing.assert_allclose(res.se, se, rtol=0.1)


def test_triplet_ignores_an_error_shared_by_every_teacher(rng):
    F = rng.normal(size=(200, 4)) * SDS
    shared = rng.normal(size=(200, 1)) * 5
    a = triplet_error_variances(F)
    b = triplet_error_variances(F + shared)
    np.testing.assert_allclose(a.variances, b.variances, rtol=1e-9)


def test_triplet_consistency_test_has_its_level_under_independence():
    """p-values of independent errors: rejection rate at 5 % within 3 s.e."""
    rng = np.random.default_rng(1)
    reps, n = 300, 400
    pvalues = np.array([
        triplet_error_variances(
            rng.normal(size=(n, 1)) + rng.normal(size=(n, 4)) * SDS
        ).pvalue
        for _ in range(reps)
    ])
    rate = np.mean(pvalues < 0.05)
    assert abs(rate - 0.05) < 3 * np.sqrt(0.05 * 0.95 / reps)


def test_triplet_consistency_test_detects_correlated_errors(rng):
    n = 5000
    E = rng.normal(size=(n, 4)) * SDS
    E[:, 2] += 0.9 * E[:, 3]  # teachers 2 and 3 share most of their errors
    res = triplet_error_variances(rng.normal(size=(n, 1)) + E)
    assert res.df == 2
    assert res.pvalue < 1e-6


def test_clip_variances():
    np.testing.assert_array_equal(clip_variances([0.5, -1.0, 2.0]), [0.5, 0.5, 2.0])
    np.testing.assert_array_equal(clip_variances([-1.0, 0.0]), [1.0, 1.0])


# ------------------------------------------------------- labeled estimates
def test_shrunk_covariance_endpoints(rng):
    E = rng.normal(size=(30, 3)) @ rng.normal(size=(3, 3))
    S = np.cov(E, rowvar=False)
    cov0, mean, rho0 = shrunk_error_covariance(E, 0.0)
    cov1, _, _ = shrunk_error_covariance(E, 1.0)
    np.testing.assert_allclose(cov0, S)
    np.testing.assert_allclose(cov1, np.diag(np.diag(S)))
    np.testing.assert_allclose(mean, E.mean(axis=0))
    assert rho0 == 0.0


def test_shrunk_covariance_auto_is_schafer_strimmer(rng):
    """The "auto" intensity against a direct transcription of the formula."""
    n, k = 25, 3
    E = rng.normal(size=(n, k)) @ [[1, 0.5, 0.2], [0, 1, 0.3], [0, 0, 1]]
    Ec = E - E.mean(axis=0)
    num = den = 0.0
    for a in range(k):
        for b in range(k):
            if a == b:
                continue
            w = Ec[:, a] * Ec[:, b]
            s_ab = w.sum() / (n - 1)
            num += n / (n - 1) ** 3 * np.sum((w - w.mean()) ** 2)
            den += s_ab**2
    expected = min(1.0, max(0.0, num / den))
    cov, _, rho = shrunk_error_covariance(E, "auto")
    assert rho == pytest.approx(expected, rel=1e-12)
    S = np.cov(E, rowvar=False)
    np.testing.assert_allclose(cov, (1 - rho) * S + rho * np.diag(np.diag(S)))


def test_shrinkage_falls_as_rows_grow(rng):
    L = np.array([[1.0, 0, 0], [0.8, 0.6, 0], [0.5, 0.3, 0.8]])
    rhos = [shrunk_error_covariance(rng.normal(size=(n, 3)) @ L.T)[2]
            for n in (10, 100, 10_000)]
    assert rhos[0] > rhos[1] > rhos[2]
    assert rhos[2] < 0.01


def test_min_variance_weights_closed_forms():
    v = SDS**2
    np.testing.assert_allclose(min_variance_weights(v), (1 / v) / np.sum(1 / v))
    # a common error component changes nothing: Sigma = D + c 11'
    cov = np.diag(v) + 3.0
    np.testing.assert_allclose(min_variance_weights(cov), min_variance_weights(v))
    assert combined_variance(v, min_variance_weights(v)) == pytest.approx(
        1 / np.sum(1 / v)
    )


def test_min_variance_weights_are_optimal(rng):
    A = rng.normal(size=(4, 4))
    cov = A @ A.T + 0.1 * np.eye(4)
    w = min_variance_weights(cov)
    assert w.sum() == pytest.approx(1.0)
    best = combined_variance(cov, w)
    for _ in range(200):
        other = rng.normal(size=4)
        other /= other.sum()
        assert combined_variance(cov, other) >= best - 1e-12


def test_min_variance_weights_of_a_singular_covariance():
    # two identical teachers: their weights share the mass; still sums to 1
    cov = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 4.0]])
    w = min_variance_weights(cov)
    assert w.sum() == pytest.approx(1.0)
    assert w[0] + w[1] == pytest.approx(0.8)


def test_nonnegative_stacking_matches_positive_linear_regression(rng):
    F = rng.normal(size=(100, 3))
    y = 2 + F @ [1.0, -0.5, 0.3] + 0.1 * rng.normal(size=100)
    w, c = nonnegative_stacking(F, y)
    ref = LinearRegression(positive=True).fit(F, y)
    np.testing.assert_allclose(w, ref.coef_, atol=1e-8)
    assert c == pytest.approx(ref.intercept_)
    assert w[1] == 0.0


# ------------------------------------------------------------ row variances
def test_row_variances_mean_is_the_combined_variance(rng):
    """Gaussian errors: mean of v_i = 1 / 1'S^-1 1, within 5 s.e.

    v_i is that constant times a chi-square(k-1)/(k-1), whose relative s.e.
    over n rows is sqrt(2 / ((k-1) n)).
    """
    n, k = 20_000, 4
    A = rng.normal(size=(k, k))
    cov = A @ A.T + np.eye(k)
    y = rng.normal(size=n)
    G = y[:, None] + rng.multivariate_normal(np.zeros(k), cov, size=n)
    w = min_variance_weights(cov)
    v = row_variances(G, G @ w, cov)
    target = 1 / np.linalg.inv(cov).sum()
    rel_se = np.sqrt(2 / ((k - 1) * n))
    assert abs(v.mean() / target - 1) < 5 * rel_se
    # only the shape of the covariance matters
    np.testing.assert_allclose(row_variances(G, G @ w, 7 * cov), v)


def test_row_variances_follow_the_disagreement(rng):
    n = 4000
    tau = np.where(np.arange(n) < n // 2, 1.0, 2.0)
    G = rng.normal(size=(n, 1)) + rng.normal(size=(n, 3)) * tau[:, None]
    v = row_variances(G, G.mean(axis=1), np.ones(3))
    ratio = v[n // 2:].mean() / v[: n // 2].mean()
    # each half's mean has relative s.e. sqrt(2 / (2 * 2000)) ~ 2.2 %
    assert ratio == pytest.approx(4.0, rel=0.1)


def test_row_variances_of_identical_predictions_are_zero():
    G = np.repeat(np.arange(5.0)[:, None], 3, axis=1)  # every teacher agrees
    np.testing.assert_array_equal(row_variances(G, G[:, 0], np.ones(3)), 0.0)


# -------------------------------------------------------------- Dawid-Skene
PRIOR = np.array([0.5, 0.3, 0.2])
CONFUSION = np.array([
    [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]],
    [[0.6, 0.2, 0.2], [0.1, 0.8, 0.1], [0.3, 0.1, 0.6]],
    [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.1, 0.1, 0.8]],
    [[0.5, 0.3, 0.2], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]],
])


def _sample_labels(rng, n, confusion=CONFUSION, prior=PRIOR):
    z = rng.choice(prior.size, size=n, p=prior)
    cum = confusion.cumsum(axis=2)  # (k, C, C)
    u = rng.random(size=(n, confusion.shape[0]))
    L = np.stack(
        [(u[:, a, None] > cum[a, z]).sum(axis=1) for a in range(confusion.shape[0])],
        axis=1,
    )
    return z, L


def test_dawid_skene_recovers_known_confusion_matrices_without_labels(rng):
    """Within 0.05: with n = 10 000 the rarest class has ~2 000 rows, so a
    cell's s.e. is at most sqrt(0.25 / 2000) = 0.011 and 0.05 is > 4 s.e."""
    z, L = _sample_labels(rng, 10_000)
    res = dawid_skene(L, 3)
    assert res.converged
    assert np.max(np.abs(res.confusion - CONFUSION)) < 0.05
    assert np.max(np.abs(res.prior - PRIOR)) < 0.05
    assert np.mean(res.posterior.argmax(axis=1) == z) > 0.8


def test_dawid_skene_anchors_fix_the_classes_of_adversarial_teachers(rng):
    """Two teachers that swap the classes 80 % of the time: without labels EM
    would read them as good teachers of swapped classes; 300 labeled rows
    anchor the truth (the confusion matrices are then recovered within 0.05)."""
    confusion = np.array([
        [[0.2, 0.8], [0.8, 0.2]],
        [[0.25, 0.75], [0.7, 0.3]],
        [[0.3, 0.7], [0.8, 0.2]],
    ])
    prior = np.array([0.6, 0.4])
    z, L = _sample_labels(rng, 10_000, confusion, prior)
    anchor = np.full(z.size, -1)
    anchor[:300] = z[:300]
    free = dawid_skene(L, 2)
    anchored = dawid_skene(L, 2, anchor=anchor)
    assert np.max(np.abs(anchored.confusion - confusion)) < 0.05
    assert np.max(np.abs(free.confusion - confusion)) > 0.3  # label switching
    np.testing.assert_array_equal(anchored.posterior[:300].argmax(axis=1), z[:300])


def test_dawid_skene_posterior_is_bayes_rule():
    confusion = CONFUSION[:2]
    L = np.array([[0, 1], [2, 2]])
    post = dawid_skene_posterior(L, confusion, PRIOR)
    for i, (l0, l1) in enumerate(L):
        joint = PRIOR * confusion[0][:, l0] * confusion[1][:, l1]
        np.testing.assert_allclose(post[i], joint / joint.sum())


def test_dawid_skene_log_likelihood_never_decreases(rng):
    _, L = _sample_labels(rng, 500)
    lls = [dawid_skene(L, 3, max_iter=m, tol=-np.inf).log_likelihood
           for m in (1, 2, 3, 5, 10, 20)]
    assert np.all(np.diff(lls) >= -1e-10)


def test_dawid_skene_reports_non_convergence(rng):
    _, L = _sample_labels(rng, 500)
    res = dawid_skene(L, 3, max_iter=1, tol=0.0)
    assert not res.converged and res.n_iter == 1


# ------------------------------------------------- pools and informativeness
def test_linear_pool_weights_maximize_the_likelihood(rng):
    k, n, C = 3, 400, 3
    P = rng.dirichlet(np.ones(C), size=(k, n))
    y_idx = rng.integers(0, C, size=n)
    w, n_iter = linear_pool_weights(P, y_idx)
    assert n_iter >= 1 and w.sum() == pytest.approx(1.0) and np.all(w >= 0)
    q = smooth_proba(P)[:, np.arange(n), y_idx]

    def neg_ll(theta):
        v = np.exp(theta - theta.max())
        v /= v.sum()
        return -np.sum(np.log(v @ q))

    best = optimize.minimize(neg_ll, np.zeros(k), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12,
                                      "maxiter": 20_000})
    assert neg_ll(np.log(np.clip(w, 1e-300, None))) <= best.fun + 1e-6


def test_linear_pool_prefers_the_teacher_that_is_right(rng):
    n, C = 300, 2
    y_idx = rng.integers(0, C, size=n)
    right = np.eye(C)[y_idx] * 0.9 + 0.05
    noise = rng.dirichlet(np.ones(C), size=n)
    w, _ = linear_pool_weights(np.stack([right, noise]), y_idx)
    assert w[0] > 0.9


def test_informativeness_weights():
    prior = np.array([0.5, 0.5])
    perfect = np.eye(2)
    useless = np.full((2, 2), 0.5)
    w = informativeness_weights(np.stack([perfect, useless]), prior)
    np.testing.assert_allclose(w, [1.0, 0.0])
    # a perfect teacher's information is the entropy of the prior, H(p); a
    # teacher that confuses two of three classes (always says the first of
    # them) keeps H(p) - (p1 + p2) H(p1, p2 normalized)
    p = np.array([0.2, 0.3, 0.5])
    merged = np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 0, 1.0]])
    info = informativeness_weights(np.stack([np.eye(3), merged]), p)
    h_all = stats.entropy(p)
    h_lost = 0.5 * stats.entropy([0.4, 0.6])
    np.testing.assert_allclose(info, np.array([h_all, h_all - h_lost]) /
                               (2 * h_all - h_lost))
    np.testing.assert_allclose(
        informativeness_weights(np.stack([useless, useless]), prior), [0.5, 0.5]
    )
