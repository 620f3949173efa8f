"""Tests of skw2s.theory._estimate: estimate_problem."""

import warnings

import numpy as np
import pytest
from _theory_helpers import single_thread_blas  # noqa: F401
from sklearn.linear_model import Ridge

from skw2s.theory import estimate_problem, ridge_risk

pytestmark = pytest.mark.usefixtures("single_thread_blas")

N_SEEDS = 20


def _data(seed, *, d, n_labeled, n_unlabeled, n_test=0, noise=1.0, signal=2.0):
    """Gaussian linear data, anisotropic Sigma, b* drawn from the isotropic prior.

    Returns ``X, y`` (NaN on the unlabeled rows), the test rows, the true
    coefficients and the eigenvalues of the diagonal Sigma. The prior's second
    moment is ``c I`` with ``c tr(Sigma) = signal``.
    """
    rng = np.random.default_rng(seed)
    eig = np.linspace(0.2, 2.0, d)
    n = n_labeled + n_unlabeled + n_test
    X = rng.standard_normal((n, d)) * np.sqrt(eig)
    b = rng.standard_normal(d) * np.sqrt(signal / eig.sum())
    y = X @ b + noise * rng.standard_normal(n)
    n_train = n_labeled + n_unlabeled
    y_train = y[:n_train].copy()
    y_train[n_labeled:] = np.nan
    return X[:n_train], y_train, X[n_train:], y[n_train:], b, eig


def test_noise_and_signal_recovered():
    # d=20, 400 labeled + 2000 unlabeled rows. The standard error of a variance
    # estimate with k degrees of freedom is var * sqrt(2 / k); the noise has at
    # least n_l - 1 - d residual degrees of freedom (df <= d) and the signal
    # tau^2 = var(y_L) - sigma^2 at most the sum of both errors. Each seed is
    # within 4 standard errors, and the mean over the seeds (the bias) within
    # 4 standard errors of a mean.
    d, n_l, sigma = 20, 400, 1.0
    noise2, signal_err = [], []
    for seed in range(N_SEEDS):
        X, y, _, _, b, eig = _data(seed, d=d, n_labeled=n_l, n_unlabeled=2000,
                                   noise=sigma)
        est = estimate_problem(X, y)
        tau2 = float(b @ (eig * b))  # E[(x'b*)^2] for this b*
        se_noise2 = sigma**2 * np.sqrt(2 / (n_l - 1 - d))
        se_signal = (tau2 + sigma**2) * np.sqrt(2 / (n_l - 1)) + se_noise2
        assert abs(est.noise**2 - sigma**2) < 4 * se_noise2
        assert abs(est.signal - tau2) < 4 * se_signal
        noise2.append(est.noise**2)
        signal_err.append(est.signal - tau2)
    noise2, signal_err = np.array(noise2), np.array(signal_err)
    assert abs(noise2.mean() - sigma**2) < 4 * noise2.std() / np.sqrt(N_SEEDS)
    assert abs(signal_err.mean()) < 4 * signal_err.std() / np.sqrt(N_SEEDS)
    # The spread matches the standard error above (not a vacuous tolerance).
    assert noise2.std() < 1.5 * sigma**2 * np.sqrt(2 / (n_l - 1 - d))


def test_covariance_uses_all_rows_and_coef_is_isotropic():
    X, y, _, _, _, _ = _data(0, d=5, n_labeled=30, n_unlabeled=200)
    est = estimate_problem(X, y)
    np.testing.assert_allclose(est.covariance, np.cov(X.T, bias=True), atol=1e-12)
    assert not np.allclose(est.covariance, np.cov(X[:30].T, bias=True))
    c = est.signal / np.trace(est.covariance)
    np.testing.assert_allclose(est.coef, c * np.eye(5))
    assert (est.n_labeled, est.n_samples, est.n_features) == (30, 230, 5)
    assert all(isinstance(est[k], float) for k in ("noise", "signal", "alpha"))


def test_gcv_and_noise_match_sklearn_ridge():
    # The closed form (SVD) against explicit hat matrices of sklearn's Ridge
    # with an intercept on the labeled rows.
    X, y, _, _, _, _ = _data(1, d=8, n_labeled=40, n_unlabeled=50)
    XL, yL = X[:40], y[:40]
    alphas = np.logspace(-2, 3, 11)
    Xc = XL - XL.mean(axis=0)
    gcv, sigma2 = [], []
    for a in alphas:
        rss = np.sum((Ridge(alpha=a).fit(XL, yL).predict(XL) - yL) ** 2)
        df = np.trace(Xc @ np.linalg.solve(Xc.T @ Xc + a * np.eye(8), Xc.T))
        gcv.append(rss / (40 - 1 - df) ** 2)
        sigma2.append(rss / (40 - 1 - df))
    best = int(np.argmin(gcv))
    est = estimate_problem(X, y, alphas=alphas)
    assert est.alpha == alphas[best]
    assert est.noise**2 == pytest.approx(sigma2[best], rel=1e-10)
    assert est.signal == pytest.approx(np.var(yL, ddof=1) - sigma2[best], rel=1e-10)


@pytest.mark.parametrize("alpha", ["gcv", 50.0])
def test_plug_in_predicts_ridge_test_mse(alpha):
    # End to end: estimates -> ridge_risk -> predicted test MSE (excess risk +
    # noise^2) of sklearn's Ridge on the labeled rows, against its realized MSE
    # on 4000 fresh rows. d=100, 200 labeled + 2000 unlabeled rows. Per seed
    # the prediction errs by ~15% (the noise estimate's standard error
    # sqrt(2 / (n_l - 1 - df)) ~ 13% of sigma^2, plus the finite-size
    # fluctuation of the realized risk and the test set's ~2%), so the test is
    # that the relative error is unbiased over the seeds: its mean within 4
    # standard errors of a mean, each seed within 50%, and a spread below 30%.
    d, n_l = 100, 200
    rel = []
    for seed in range(N_SEEDS):
        X, y, X_test, y_test, _, _ = _data(seed, d=d, n_labeled=n_l,
                                           n_unlabeled=2000, n_test=4000)
        est = estimate_problem(X, y)
        a = est.alpha if alpha == "gcv" else alpha
        risk = ridge_risk(a, n_samples=est.n_labeled, covariance=est.covariance,
                          coef=est.coef, noise=est.noise)
        predicted = risk + est.noise**2
        model = Ridge(alpha=a).fit(X[:n_l], y[:n_l])
        realized = np.mean((model.predict(X_test) - y_test) ** 2)
        rel.append(predicted / realized - 1)
    rel = np.array(rel)
    assert np.all(np.isfinite(rel))
    assert abs(rel.mean()) < 4 * rel.std() / np.sqrt(N_SEEDS)
    assert np.max(np.abs(rel)) < 0.5
    assert rel.std() < 0.3


def test_more_features_than_labeled_rows_and_constant_feature():
    X, y, _, _, _, _ = _data(2, d=150, n_labeled=50, n_unlabeled=300)
    X[:, 0] = 3.0  # a constant feature: a zero eigenvalue
    est = estimate_problem(X, y)
    assert est.covariance.shape == est.coef.shape == (150, 150)
    assert np.all(np.isfinite(est.covariance)) and np.all(np.isfinite(est.coef))
    for key in ("noise", "signal", "alpha"):
        assert np.isfinite(est[key]) and est[key] >= 0
    assert est.noise > 0
    assert est.covariance[0, 0] == 0
    # alpha = 0 is allowed when others leave residual degrees of freedom.
    assert estimate_problem(X, y, alphas=[0.0, 10.0]).alpha == 10.0


def test_pandas_missing_values_mark_unlabeled_rows():
    pd = pytest.importorskip("pandas")
    X, y, _, _, _, _ = _data(3, d=4, n_labeled=20, n_unlabeled=30)
    y_na = pd.Series(y, dtype="Float64")
    assert y_na.isna().sum() == 30
    ref, got = estimate_problem(X, y), estimate_problem(pd.DataFrame(X), y_na)
    assert got.n_labeled == 20
    assert got.noise == ref.noise and got.alpha == ref.alpha
    y_obj = np.where(np.isnan(y), None, y).astype(object)
    assert estimate_problem(X, y_obj).noise == ref.noise


def test_no_signal_warns_and_clips():
    X, _, _, _, _, _ = _data(4, d=3, n_labeled=10, n_unlabeled=5)
    y = np.full(15, 2.0)
    y[10:] = np.nan
    with pytest.warns(UserWarning, match="no signal is detected"):
        est = estimate_problem(X, y)
    assert est.signal == 0 and est.noise == 0
    assert not est.coef.any()


def test_signal_warning_absent_with_signal():
    X, y, _, _, _, _ = _data(5, d=3, n_labeled=50, n_unlabeled=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        estimate_problem(X, y)


@pytest.mark.parametrize(
    "X, y, kwargs, match",
    [
        (np.ones(6), np.ones(6), {}, "X must be a 2-D array"),
        (np.ones((6, 2, 1)), np.ones(6), {}, "X must be a 2-D array"),
        (np.where(np.eye(6, 2) > 0, np.nan, 1.0), np.ones(6), {},
         "X must not contain NaN"),
        (np.where(np.eye(6, 2) > 0, np.inf, 1.0), np.ones(6), {},
         "X must not contain NaN"),
        (np.ones((6, 2)), np.array([1, 2, np.inf, 4, 5, 6.0]), {},
         "y contains infinity"),
        (np.ones((6, 2)), np.ones(5), {}, "X and y have inconsistent"),
        (np.ones((6, 2)), np.ones((6, 2)), {}, "y must be 1-D"),
        (np.ones((6, 2)), np.array([1, 2, np.nan, np.nan, np.nan, np.nan]), {},
         "y has 2 labeled row"),
        (np.ones((6, 2)), np.array(["a"] * 6, dtype=object), {},
         "y must hold real numbers"),
        (np.ones((6, 2)), np.arange(6.0), {"alphas": [-1.0]},
         "alphas must be non-negative"),
        (np.ones((6, 2)), np.arange(6.0), {"alphas": []}, "alphas is empty"),
    ],
)
def test_errors_name_the_argument(X, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        estimate_problem(X, y, **kwargs)


def test_interpolating_alpha_only_is_an_error():
    # alpha = 0 with d >= n_l - 1: the centered labeled rows are interpolated.
    X, y, _, _, _, _ = _data(6, d=10, n_labeled=8, n_unlabeled=4)
    with pytest.raises(ValueError, match="Every alpha in alphas leaves no residual"):
        estimate_problem(X, y, alphas=[0.0])
