"""WeightedRidge.partial_fit, solve_from_stats and path_from_stats."""

import numpy as np
import pytest

from skw2s import WeightedRidge, weighted_ridge_path


def _data(n=150, d=5, seed=0, k=None):
    rng = np.random.default_rng(seed)
    X = 3 * rng.standard_normal((n, d)) + 10
    beta = rng.standard_normal((d,) if k is None else (d, k))
    y = X @ beta + rng.standard_normal((n,) if k is None else (n, k))
    return X, y, rng


PENALTIES = {
    "none": None,
    "diag": np.array([1.0, 0.0, 2.0, 0.5, 3.0]),
    "full": np.array(
        [[2.0, 0.5, 0, 0, 0], [0.5, 1.0, 0, 0, 0], [0, 0, 1.0, 0, 0],
         [0, 0, 0, 1.0, 0.2], [0, 0, 0, 0.2, 1.0]]
    ),
    "singular": np.diag([1.0, 1.0, 1.0, 0.0, 0.0]) + 0.0,
}


@pytest.mark.parametrize("penalty", list(PENALTIES))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_partial_fit_equals_fit_on_concatenation(penalty, fit_intercept, weighted):
    X, y, rng = _data()
    w = rng.uniform(0.1, 2, X.shape[0]) if weighted else None
    pw = PENALTIES[penalty]
    est = WeightedRidge(alpha=2.0, penalty_weights=pw, fit_intercept=fit_intercept)
    for a, b in [(0, 1), (1, 40), (40, 41), (41, 150)]:
        est.partial_fit(X[a:b], y[a:b], None if w is None else w[a:b])
    ref = WeightedRidge(alpha=2.0, penalty_weights=pw, fit_intercept=fit_intercept)
    ref.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(est.predict(X[:5]), ref.predict(X[:5]), rtol=1e-10)
    assert est.sufficient_stats_.n_samples == 150


def test_params_change_after_last_chunk():
    X, y, _ = _data(seed=1)
    est = WeightedRidge(alpha=1.0)
    est.partial_fit(X[:70], y[:70]).partial_fit(X[70:], y[70:])
    pw = PENALTIES["full"]
    coef_before = est.coef_.copy()
    est.set_params(alpha=7.0, penalty_weights=pw, fit_intercept=False)
    assert not np.allclose(est.coef_, coef_before)  # solved again on access
    ref = WeightedRidge(alpha=7.0, penalty_weights=pw, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)
    assert est.intercept_ == 0.0
    alphas = [0.0, 1.0, 100.0]
    coefs, intercepts = est.path_from_stats(alphas)
    ref_c, ref_i = weighted_ridge_path(
        X, y, alphas, penalty_weights=pw, fit_intercept=False
    )
    np.testing.assert_allclose(coefs, ref_c, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(intercepts, ref_i, atol=1e-12)


def test_float32_chunks_multioutput():
    X, Y, _ = _data(seed=2, k=2)
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    est = WeightedRidge(alpha=0.5)
    for a in range(0, 150, 50):
        est.partial_fit(X32[a : a + 50], Y32[a : a + 50])
    assert est.coef_.dtype == np.float64 and est.coef_.shape == (2, 5)
    # equals a float64 fit on the float32 values (accumulated in float64)
    ref = WeightedRidge(alpha=0.5).fit(X32.astype(np.float64), Y32.astype(np.float64))
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)


@pytest.mark.parametrize("shape", [(120, 6), (5, 9)])
@pytest.mark.parametrize("weighted", [False, True])
def test_fit_resets_then_partial_fit_continues(shape, weighted):
    """fit starts afresh (forgets earlier chunks); partial_fit after fit keeps
    training on the fit's rows, wide fits (rows kept) included."""
    n, d = shape
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((2 * n, d)), rng.standard_normal(2 * n)
    w = rng.uniform(0.5, 2.0, 2 * n) if weighted else None

    def sw(sl):
        return None if w is None else w[sl]

    est = WeightedRidge().partial_fit(X[n:], y[n:], sample_weight=sw(slice(n, None)))
    est.fit(X[:n], y[:n], sample_weight=sw(slice(n)))
    assert est.sufficient_stats_.n_samples == n  # the earlier chunk is gone
    est.partial_fit(X[n:], y[n:], sample_weight=sw(slice(n, None)))
    ref = WeightedRidge().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-10,
                               atol=1e-12)


def test_partial_fit_bad_input():
    X, y, _ = _data(seed=4)
    est = WeightedRidge().partial_fit(X[:20], y[:20])
    with pytest.raises(ValueError, match="4 features, but WeightedRidge is expect"):
        est.partial_fit(X[20:40, :4], y[20:40])
    y_nan = y[20:40].copy()
    y_nan[3] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        est.partial_fit(X[20:40], y_nan)
    with pytest.raises(ValueError, match="same number of targets"):
        est.partial_fit(X[20:40], np.column_stack([y[20:40], y[20:40]]))
    with pytest.raises(ValueError, match="alpha"):
        WeightedRidge(alpha=-1.0).partial_fit(X, y)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        WeightedRidge().predict(X)
    assert not hasattr(WeightedRidge(), "coef_")
    # not identified yet: the error comes when the model is solved
    est = WeightedRidge(penalty_weights=[0.0, 1, 1, 1, 1]).partial_fit(X[:1], y[:1])
    with pytest.raises(ValueError, match="unpenalized"):
        est.predict(X[:2])
    with pytest.raises(NotFittedError):
        WeightedRidge().path_from_stats([1.0])
    # fit keeps its rows' statistics: the path from them is the in-memory path
    coefs, _ = WeightedRidge().fit(X, y).path_from_stats([1.0, 10.0])
    np.testing.assert_allclose(coefs, weighted_ridge_path(X, y, [1.0, 10.0])[0],
                               rtol=1e-10)
    # beyond the range of the float64 statistics: a clear error, no restart
    big = WeightedRidge().fit(X * 1e160, y)
    with pytest.raises(ValueError, match="cannot continue this fit.*Rescale X"):
        big.partial_fit(X * 1e160, y)


def test_pickle_and_clone_of_a_streamed_model():
    import pickle

    from sklearn.base import clone

    X, y, _ = _data(seed=5)
    est = WeightedRidge(alpha=3.0).partial_fit(X[:60], y[:60])
    est.partial_fit(X[60:], y[60:])
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X[:3]), est.predict(X[:3]))
    assert not hasattr(clone(est), "sufficient_stats_")
