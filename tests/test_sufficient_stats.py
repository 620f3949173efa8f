"""Sufficient statistics: accumulation, Chan et al. merging, solving from the Gram."""

import numpy as np
import pytest

from skw2s import WeightedRidge, weighted_ridge_path
from skw2s._sufficient_stats import (
    _GramPath,
    chunk_stats,
    merge_stats,
    reduce_stats,
    solve_from_stats,
)


def _direct_moments(X, y, w):
    """Two-pass weighted means and co-moments in extended precision."""
    X = X.astype(np.longdouble)
    y = y.astype(np.longdouble).reshape(len(y), -1)
    w = np.ones(len(X), np.longdouble) if w is None else w.astype(np.longdouble)
    W = w.sum()
    mx = (w[:, None] * X).sum(0) / W
    my = (w[:, None] * y).sum(0) / W
    Xc, yc = X - mx, y - my
    return (
        float(W),
        mx.astype(float),
        my.astype(float),
        (Xc.T @ (w[:, None] * Xc)).astype(float),
        (Xc.T @ (w[:, None] * yc)).astype(float),
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_merge_equals_two_pass_moments(weighted):
    rng = np.random.default_rng(0)
    # a large mean against a unit spread: the one-pass textbook formula loses
    # about 12 digits here, the pairwise merge does not
    X = rng.standard_normal((300, 4)) + 1e6
    y = rng.standard_normal(300) - 3e5
    w = rng.uniform(0, 3, 300) if weighted else None
    cuts = [0, 1, 2, 50, 51, 200, 300]
    parts = [
        chunk_stats(X[a:b], y[a:b], None if w is None else w[a:b])
        for a, b in zip(cuts[:-1], cuts[1:], strict=True)
    ]
    seq = parts[0]
    for p in parts[1:]:
        seq = merge_stats(seq, p)
    tree = reduce_stats(parts)
    W, mx, my, XX, Xy = _direct_moments(X, y, w)
    for st in (seq, tree):
        assert st.n_samples == 300
        np.testing.assert_allclose(st.sum_weights, W, rtol=1e-13)
        np.testing.assert_allclose(st.X_mean, mx, rtol=1e-14)
        np.testing.assert_allclose(st.y_mean, my, rtol=1e-14)
        # the means are stored to ~1e6 * eps absolute, so the co-moments are
        # exact to ~n * 1e6 * eps on the scale of their diagonal (the one-pass
        # formula sum(x x') - W m m' would be off by ~n * 1e12 * eps ~ 0.1)
        scale = np.sqrt(np.abs(XX).max() * np.sum((y - y.mean()) ** 2))
        np.testing.assert_allclose(st.XX, XX, rtol=0, atol=1e-9 * np.abs(XX).max())
        np.testing.assert_allclose(st.Xy, Xy, rtol=0, atol=1e-9 * scale)


def test_float32_chunks_accumulate_in_float64():
    rng = np.random.default_rng(1)
    X = (rng.standard_normal((100, 3)) + 50).astype(np.float32)
    y = rng.standard_normal(100).astype(np.float32)
    st = chunk_stats(X, y)
    assert st.XX.dtype == np.float64 and st.X_mean.dtype == np.float64
    # the statistics of the float32 values taken exactly (as float64)
    _, mx, _, XX, _ = _direct_moments(X.astype(np.float64), y.astype(np.float64), None)
    np.testing.assert_allclose(st.X_mean, mx, rtol=1e-14)
    np.testing.assert_allclose(st.XX, XX, rtol=1e-10)


def test_zero_weight_chunk_is_neutral():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    a = chunk_stats(X[:10], y[:10])
    z = chunk_stats(X[10:], y[10:], np.zeros(10))
    for m in (merge_stats(a, z), merge_stats(z, a)):
        assert m.n_samples == 20
        np.testing.assert_array_equal(m.XX, a.XX)
        np.testing.assert_array_equal(m.X_mean, a.X_mean)
    with pytest.raises(ValueError, match="sum to zero"):
        solve_from_stats(z, 1.0)


def test_merge_shape_mismatch():
    rng = np.random.default_rng(3)
    a = chunk_stats(rng.standard_normal((5, 3)), rng.standard_normal(5))
    b = chunk_stats(rng.standard_normal((5, 2)), rng.standard_normal(5))
    with pytest.raises(ValueError, match="different shapes"):
        merge_stats(a, b)


def _penalties(d, rng):
    G = rng.standard_normal((d, d))
    v = rng.standard_normal(d)
    g = rng.uniform(0.5, 2, d)
    g[[1, 4]] = 0.0
    return {
        "identity": None,
        "diagonal": g,
        "full": G @ G.T + 0.1 * np.eye(d),
        "singular": np.eye(d) - np.outer(v, v) / (v @ v),
    }


@pytest.mark.parametrize("kind", ["identity", "diagonal", "full", "singular"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_solve_and_path_equal_in_memory_fit(kind, fit_intercept, weighted):
    rng = np.random.default_rng(4)
    n, d = 120, 6
    X = 2 * rng.standard_normal((n, d)) + 5
    y = X @ rng.standard_normal(d) + rng.standard_normal(n)
    w = rng.uniform(0, 2, n) if weighted else None
    pw = _penalties(d, rng)[kind]
    cuts = [0, 7, 8, 60, n]
    st = reduce_stats(
        chunk_stats(X[a:b], y[a:b], None if w is None else w[a:b])
        for a, b in zip(cuts[:-1], cuts[1:], strict=True)
    )
    alphas = [0.0, 0.3, 30.0]
    for alpha in alphas:
        coef, icpt, _ = solve_from_stats(st, alpha, pw, fit_intercept)
        ref = WeightedRidge(
            alpha=alpha, penalty_weights=pw, fit_intercept=fit_intercept
        )
        ref.fit(X, y, sample_weight=w)
        np.testing.assert_allclose(coef[0], ref.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(icpt[0], ref.intercept_, rtol=1e-10, atol=1e-10)
    coefs, icpts = _GramPath(st, pw, fit_intercept).coefs(alphas)
    ref_c, ref_i = weighted_ridge_path(
        X, y, alphas, penalty_weights=pw, sample_weight=w, fit_intercept=fit_intercept
    )
    np.testing.assert_allclose(coefs[:, 0], ref_c, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(icpts[:, 0], ref_i, rtol=1e-10, atol=1e-10)
    # predictions along the path
    Xt = rng.standard_normal((5, d))
    pred = _GramPath(st, pw, fit_intercept).predict(Xt, alphas)[:, :, 0]
    np.testing.assert_allclose(pred, (Xt @ ref_c.T + ref_i).T, rtol=1e-10, atol=1e-10)


def test_solve_more_features_than_rows_and_multioutput():
    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((8, 15)), rng.standard_normal((8, 2))
    st = merge_stats(chunk_stats(X[:3], Y[:3]), chunk_stats(X[3:], Y[3:]))
    coef, icpt, solver = solve_from_stats(st, 2.0)
    ref = WeightedRidge(alpha=2.0).fit(X, Y)
    assert solver == "cholesky"
    np.testing.assert_allclose(coef, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(icpt, ref.intercept_, rtol=1e-10, atol=1e-12)
    # alpha = 0: the minimum-norm interpolator, as the SVD solver of fit
    coef0, _, solver0 = solve_from_stats(st, 0.0)
    assert solver0 == "eigen"
    ref0 = WeightedRidge(alpha=0.0).fit(X, Y)
    np.testing.assert_allclose(coef0, ref0.coef_, rtol=1e-8, atol=1e-10)


def test_unpenalized_constant_column_is_a_clear_error():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((30, 3))
    X[:, 1] = 5.0
    st = chunk_stats(X, rng.standard_normal(30))
    with pytest.raises(ValueError, match="unpenalized"):
        solve_from_stats(st, 1.0, np.array([1.0, 0.0, 1.0]))


@pytest.mark.parametrize("solver", ["svd", "dual", "eigen"])
def test_solvers_needing_rows_use_the_eigen_path(solver):
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    coef, _, used = solve_from_stats(chunk_stats(X, y), 1.0, solver=solver)
    assert used == "eigen"
    ref = WeightedRidge(alpha=1.0, solver=solver).fit(X, y)
    np.testing.assert_allclose(coef[0], ref.coef_, rtol=1e-12)


@pytest.mark.parametrize("metric", ["r2", "neg_mean_squared_error"])
def test_path_scores_from_stats_equal_sklearn_metrics(metric):
    from sklearn.metrics import mean_squared_error, r2_score

    from skw2s._sufficient_stats import path_scores_from_stats

    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((40, 3)) + 2, rng.standard_normal(40)
    w = rng.uniform(0.5, 2, 40)
    coefs, intercepts = rng.standard_normal((4, 3)), rng.standard_normal(4)
    val = merge_stats(chunk_stats(X[:15], y[:15], w[:15]),
                      chunk_stats(X[15:], y[15:], w[15:]))
    got = path_scores_from_stats(coefs, intercepts, val, metric)
    preds = X @ coefs.T + intercepts
    if metric == "r2":
        want = [r2_score(y, preds[:, i], sample_weight=w) for i in range(4)]
    else:
        want = [-mean_squared_error(y, preds[:, i], sample_weight=w) for i in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-10)
