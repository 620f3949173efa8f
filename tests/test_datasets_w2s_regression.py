import numpy as np
import pytest

from skw2s.datasets import make_w2s_regression


def test_shapes_and_seed():
    X, y = make_w2s_regression(30, 5, random_state=0)
    assert X.shape == (30, 5) and y.shape == (30,)
    X2, y2 = make_w2s_regression(30, 5, random_state=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_coef_independent_of_n_samples():
    *_, p1 = make_w2s_regression(10, 7, return_params=True, random_state=3)
    *_, p2 = make_w2s_regression(500, 7, return_params=True, random_state=3)
    np.testing.assert_array_equal(p1.coef, p2.coef)


@pytest.mark.parametrize(
    "covariance, expected",
    [
        ("isotropic", np.ones(4)),
        ("spiked", np.array([4.0, 1.0, 1.0, 1.0])),
        ("power_law", np.arange(1, 5) ** -1.0 * 4 / np.sum(np.arange(1, 5) ** -1.0)),
        ([1.0, 2.0, 0.5, 3.0], np.array([1.0, 2.0, 0.5, 3.0])),
    ],
)
def test_spectrum_and_sample_covariance(covariance, expected):
    # The sample covariance of n draws estimates Sigma with entry-wise standard
    # error sqrt((S_ii S_jj + S_ij^2) / n) <= sqrt(2 / n) max(S); 5 s.e. bound.
    n = 40_000
    X, _, params = make_w2s_regression(
        n, 4, covariance=covariance, return_params=True, random_state=0
    )
    np.testing.assert_allclose(params.covariance, expected)
    S = X.T @ X / n
    se = np.sqrt(2 / n) * expected.max()
    np.testing.assert_allclose(S, np.diag(expected), atol=5 * se)


def test_full_covariance_and_noise():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 3))
    Sigma = A @ A.T + np.eye(3)
    coef = np.array([1.0, -2.0, 0.5])
    n = 40_000
    X, y, params = make_w2s_regression(
        n, 3, covariance=Sigma, coef=coef, noise=0.5, return_params=True,
        random_state=1,
    )
    np.testing.assert_allclose(params.covariance, Sigma)
    se = np.sqrt(2 / n) * np.max(np.diag(Sigma))
    np.testing.assert_allclose(X.T @ X / n, Sigma, atol=5 * se)
    residual = y - X @ coef
    # variance of the noise estimate: 2 sigma^4 / n
    assert abs(residual.var() - 0.25) < 5 * np.sqrt(2 / n) * 0.25
    assert params.noise == 0.5


def test_random_coef_second_moment():
    # E[b b'] = B: average b b' over seeds; entry-wise s.e. <= sqrt(2/k) max(B)
    B = np.diag([4.0, 1.0, 0.25])
    k = 4000
    coefs = np.array([
        make_w2s_regression(1, 3, coef=B, return_params=True, random_state=s)[2].coef
        for s in range(k)
    ])
    np.testing.assert_allclose(coefs.T @ coefs / k, B, atol=5 * np.sqrt(2 / k) * 4)


def test_random_coef_signal():
    k = 2000
    norms = [
        np.sum(make_w2s_regression(1, 50, signal=2.0, return_params=True,
                                   random_state=s)[2].coef ** 2)
        for s in range(k)
    ]
    # ||b||^2 ~ (2/50) chi2_50: mean 2, variance 2 * 4 / 50
    assert abs(np.mean(norms) - 2.0) < 5 * np.sqrt(8 / 50 / k)


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"covariance": [1.0, -1.0, 1.0]}, ValueError, "covariance must be non-neg"),
        ({"covariance": [1.0, 1.0]}, ValueError, "covariance must have shape"),
        ({"covariance": [[1.0, 2.0, 0], [0, 1.0, 0], [0, 0, 1]]}, ValueError,
         "covariance must be a symmetric"),
        ({"covariance": np.diag([1.0, -1.0, 1.0])}, ValueError,
         "covariance must be positive semi-definite"),
        ({"covariance": [1.0, np.nan, 1.0]}, ValueError, "covariance must not"),
        ({"coef": [1.0, 2.0]}, ValueError, "coef must have shape"),
        ({"coef": [1.0, np.inf, 2.0]}, ValueError, "coef must not contain"),
        ({"coef": -np.eye(3)}, ValueError, "coef must be positive semi-definite"),
        ({"covariance": "banana"}, ValueError, "covariance"),
        ({"noise": -1.0}, ValueError, "noise"),
        ({"n_spikes": 5, "covariance": "spiked"}, ValueError, "n_spikes=5"),
        ({"covariance": [1.0, 1j, 1.0]}, TypeError, "covariance must be real"),
    ],
)
def test_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        make_w2s_regression(10, 3, **kwargs)
