"""Numerical and bad-input tests of WeightedRidge and weighted_ridge_path.

Every expected value is computed independently in the test (np.linalg.solve,
np.linalg.pinv, eigh) or by scikit-learn's Ridge, never by the code under test.
"""

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import Ridge

from skw2s import WeightedRidge, weighted_ridge_path

SOLVERS = ["cholesky", "dual", "svd", "eigen"]
SHAPES = [(40, 10), (15, 30)]  # n > d and n < d


def _data(n, d, n_targets=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + rng.uniform(-2, 2, d)  # non-zero means
    shape = (d,) if n_targets is None else (d, n_targets)
    y = X @ rng.standard_normal(shape) + 0.5 * rng.standard_normal(
        (n,) if n_targets is None else (n, n_targets)
    )
    y += 3.0
    sw = rng.uniform(0.2, 3.0, n)
    return X, y, sw


def _spd(d, seed=1):
    A = np.random.default_rng(seed).standard_normal((d, d))
    return A @ A.T / d + 0.5 * np.eye(d)


def _closed_form(X, y, alpha, G, sw=None, fit_intercept=True):
    """(X'WX + alpha G)^{-1} X'Wy after weighted centering, by np.linalg.solve."""
    n = X.shape[0]
    w = np.ones(n) if sw is None else sw
    if fit_intercept:
        xm = np.average(X, axis=0, weights=w)
        ym = np.average(y, axis=0, weights=w)
    else:
        xm, ym = np.zeros(X.shape[1]), np.zeros(y.shape[1:])
    Xc, yc = X - xm, y - ym
    A = Xc.T @ (w[:, None] * Xc) + alpha * G
    coef = np.linalg.solve(A, Xc.T @ (w.reshape(-1, *([1] * (y.ndim - 1))) * yc)).T
    intercept = ym - coef @ xm if fit_intercept else 0.0
    return coef, intercept


def _rel_close(actual, desired, rtol):
    """Relative agreement: entrywise rtol plus rtol times the largest entry."""
    desired = np.asarray(desired)
    atol = rtol * max(np.abs(desired).max(), 1e-300)
    assert_allclose(actual, desired, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------
# (a) penalty_weights=None equals sklearn's Ridge
# --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_targets", [None, 3])
def test_identity_equals_sklearn_ridge(
    solver, n, d, fit_intercept, weighted, n_targets
):
    X, y, sw = _data(n, d, n_targets)
    sw = sw if weighted else None
    alpha = 2.5
    ours = WeightedRidge(alpha, fit_intercept=fit_intercept, solver=solver)
    ours.fit(X, y, sample_weight=sw)
    ref = Ridge(alpha, fit_intercept=fit_intercept, solver="cholesky")
    ref.fit(X, y, sample_weight=sw)
    assert ours.coef_.shape == ref.coef_.shape
    _rel_close(ours.coef_, ref.coef_, 1e-10)
    _rel_close(ours.intercept_, ref.intercept_, 1e-10)
    _rel_close(ours.predict(X), ref.predict(X), 1e-10)
    expected = {"auto": "cholesky" if n >= d else "dual"}.get(solver, solver)
    assert ours.solver_ == expected


# --------------------------------------------------------------------------
# (b) diagonal and full Gamma equal the closed form
# --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("kind", ["diagonal", "full"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("n_targets", [None, 2])
def test_gamma_equals_closed_form(solver, n, d, kind, fit_intercept, n_targets):
    X, y, sw = _data(n, d, n_targets, seed=3)
    rng = np.random.default_rng(4)
    if kind == "diagonal":
        pw = rng.uniform(0.1, 10.0, d)
        G = np.diag(pw)
    else:
        pw = G = _spd(d)
    alpha = 0.7
    est = WeightedRidge(
        alpha, penalty_weights=pw, fit_intercept=fit_intercept, solver=solver
    ).fit(X, y, sample_weight=sw)
    coef, intercept = _closed_form(X, y, alpha, G, sw, fit_intercept)
    _rel_close(est.coef_, coef, 1e-9)
    _rel_close(est.intercept_, intercept, 1e-9)
    if solver == "auto":
        assert est.solver_ == (
            "dual" if (kind, n < d) == ("diagonal", True) else "cholesky"
        )


def test_penalty_as_list_and_matrix_forms_agree():
    X, y, _ = _data(30, 5)
    g = [1.0, 2.0, 0.5, 3.0, 1.5]
    a = WeightedRidge(1.0, penalty_weights=g).fit(X, y)
    b = WeightedRidge(1.0, penalty_weights=np.diag(g)).fit(X, y)
    _rel_close(a.coef_, b.coef_, 1e-12)


# --------------------------------------------------------------------------
# (c) integer weights equal repeated rows
# --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("n, d", SHAPES)
def test_integer_weights_equal_repeated_rows(solver, n, d):
    X, y, _ = _data(n, d, seed=5)
    rng = np.random.default_rng(6)
    sw = rng.integers(0, 4, n)
    sw[0] = 1
    pw = rng.uniform(0.5, 2.0, d)
    a = WeightedRidge(1.3, penalty_weights=pw, solver=solver).fit(X, y, sw)
    Xr, yr = np.repeat(X, sw, axis=0), np.repeat(y, sw)
    b = WeightedRidge(1.3, penalty_weights=pw, solver=solver).fit(Xr, yr)
    _rel_close(a.coef_, b.coef_, 1e-9)
    _rel_close(a.intercept_, b.intercept_, 1e-9)


# --------------------------------------------------------------------------
# (d) alpha = 0: minimum-norm solution in the Gamma metric
# --------------------------------------------------------------------------


def _inv_sqrt(G):
    lam, V = np.linalg.eigh(G)
    return (V / np.sqrt(lam)) @ V.T


@pytest.mark.parametrize("solver", ["auto", "svd", "eigen", "dual", "cholesky"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_alpha_zero_min_gamma_norm_interpolator(solver, fit_intercept):
    n, d = 15, 40
    X, y, _ = _data(n, d, seed=7)
    G = _spd(d, seed=8)
    est = WeightedRidge(
        0.0, penalty_weights=G, fit_intercept=fit_intercept, solver=solver
    ).fit(X, y)
    Xc = X - X.mean(0) if fit_intercept else X
    yc = y - y.mean() if fit_intercept else y
    Gih = _inv_sqrt(G)
    expected = Gih @ np.linalg.pinv(Xc @ Gih) @ yc
    _rel_close(est.coef_, expected, 1e-8)
    _rel_close(est.predict(X), y, 1e-8)  # interpolates when n < d
    if solver == "auto":
        assert est.solver_ == "svd"
    # the alpha -> 0+ limit: |b(alpha) - b(0)| = O(alpha / s_min)
    small = WeightedRidge(
        1e-7, penalty_weights=G, fit_intercept=fit_intercept, solver="svd"
    ).fit(X, y)
    _rel_close(small.coef_, expected, 1e-5)


@pytest.mark.parametrize("solver", ["auto", "svd", "eigen", "cholesky"])
def test_alpha_zero_rank_deficient_is_min_norm(solver):
    # n > d but a duplicated column: X'X is singular, alpha=0 -> pinv solution
    X, y, _ = _data(40, 6, seed=9)
    X = np.hstack([X, X[:, :2]])
    g = np.array([1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 0.5, 1.0])
    est = WeightedRidge(0.0, penalty_weights=g, solver=solver).fit(X, y)
    Xc, yc = X - X.mean(0), y - y.mean()
    Gih = np.diag(1 / np.sqrt(g))
    expected = Gih @ np.linalg.pinv(Xc @ Gih) @ yc
    _rel_close(est.coef_, expected, 1e-7)
    # Cholesky of a singular system falls back to svd (documented)
    assert est.solver_ in ("svd", "eigen")


# --------------------------------------------------------------------------
# (e) singular Gamma: unpenalized directions
# --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("kind", ["diagonal", "full"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_singular_gamma_matches_closed_form(solver, n, d, kind, fit_intercept):
    X, y, sw = _data(n, d, seed=10)
    rng = np.random.default_rng(11)
    q = 3  # unpenalized directions, q < n
    if kind == "diagonal":
        g = rng.uniform(0.5, 4.0, d)
        g[[1, 4, 7]] = 0.0
        pw = G = g
        G = np.diag(g)
    else:
        V = np.linalg.qr(rng.standard_normal((d, d)))[0]
        lam = rng.uniform(0.5, 4.0, d)
        lam[:q] = 0.0
        pw = G = (V * lam) @ V.T
    alpha = 1.5
    est = WeightedRidge(
        alpha, penalty_weights=pw, fit_intercept=fit_intercept, solver=solver
    ).fit(X, y, sample_weight=sw)
    coef, intercept = _closed_form(X, y, alpha, G, sw, fit_intercept)
    _rel_close(est.coef_, coef, 1e-8)
    _rel_close(est.intercept_, intercept, 1e-8)


def test_all_zero_penalty_is_least_squares():
    X, y, _ = _data(40, 5, seed=12)
    for solver in SOLVERS:
        est = WeightedRidge(3.0, penalty_weights=np.zeros(5), solver=solver).fit(X, y)
        expected = np.linalg.lstsq(np.hstack([X, np.ones((40, 1))]), y, rcond=None)[0]
        _rel_close(est.coef_, expected[:5], 1e-9)
        _rel_close(est.intercept_, expected[5], 1e-9)


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
def test_singular_gamma_not_unique_raises(solver):
    X, y, _ = _data(30, 6, seed=13)
    msg = "penalty_weights leaves .* unpenalized .* not unique"
    # two unpenalized, identical columns
    X1 = X.copy()
    X1[:, 1] = X1[:, 0]
    with pytest.raises(ValueError, match=msg):
        WeightedRidge(1.0, penalty_weights=[0, 0, 1, 1, 1, 1], solver=solver).fit(X1, y)
    # an unpenalized constant column is not determined with an intercept
    X2 = X.copy()
    X2[:, 2] = 5.0
    with pytest.raises(ValueError, match=msg):
        WeightedRidge(1.0, penalty_weights=[1, 1, 0, 1, 1, 1], solver=solver).fit(X2, y)
    # ... but it is without one
    WeightedRidge(
        1.0, penalty_weights=[1, 1, 0, 1, 1, 1], fit_intercept=False, solver=solver
    ).fit(X2, y)
    # more unpenalized directions than samples
    with pytest.raises(ValueError, match=msg):
        WeightedRidge(1.0, penalty_weights=[0, 0, 0, 1, 1, 1], solver=solver).fit(
            X[:3], y[:3]
        )
    # a singular full matrix whose null direction X does not see
    v = np.ones(6) / np.sqrt(6)
    X3 = X - np.outer(X @ v, v)
    G = np.eye(6) - np.outer(v, v)
    with pytest.raises(ValueError, match=msg):
        WeightedRidge(1.0, penalty_weights=G, solver=solver).fit(X3, y)


# --------------------------------------------------------------------------
# (f) the path equals individual fits
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("kind", ["identity", "diagonal", "full", "singular"])
@pytest.mark.parametrize("n_targets", [None, 2])
def test_path_equals_individual_fits(n, d, kind, n_targets):
    X, y, sw = _data(n, d, n_targets, seed=14)
    rng = np.random.default_rng(15)
    pw = {
        "identity": None,
        "diagonal": rng.uniform(0.2, 5.0, d),
        "full": _spd(d, seed=16),
        "singular": np.r_[0.0, 0.0, rng.uniform(0.2, 5.0, d - 2)],
    }[kind]
    alphas = np.r_[np.logspace(-3, 3, 9), 0.05]
    coefs, intercepts = weighted_ridge_path(
        X, y, alphas, penalty_weights=pw, sample_weight=sw
    )
    k = () if n_targets is None else (n_targets,)
    assert coefs.shape == (len(alphas), *k, d)
    assert intercepts.shape == (len(alphas), *k)
    G = np.eye(d) if pw is None else (np.diag(pw) if np.ndim(pw) == 1 else pw)
    for i, a in enumerate(alphas):
        coef, intercept = _closed_form(X, y, a, G, sw)
        _rel_close(coefs[i], coef, 1e-8)
        _rel_close(intercepts[i], intercept, 1e-8)


def test_path_alpha_zero_is_min_norm():
    X, y, _ = _data(12, 30, seed=20)
    coefs, intercepts = weighted_ridge_path(X, y, [0.0, 1e-8], fit_intercept=False)
    expected = np.linalg.pinv(X) @ y
    _rel_close(coefs[0], expected, 1e-8)
    _rel_close(coefs[1], expected, 1e-6)
    assert_allclose(intercepts, 0.0)


# --------------------------------------------------------------------------
# (g) float32, (h) pandas
# --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS + ["auto"])
@pytest.mark.parametrize("kind", ["identity", "diagonal", "full"])
@pytest.mark.parametrize("n, d", SHAPES)
def test_float32_preserved(solver, kind, n, d):
    X, y, sw = _data(n, d, seed=21)
    pw = {"identity": None, "diagonal": np.linspace(0.5, 2, d), "full": _spd(d)}[kind]
    est32 = WeightedRidge(1.0, penalty_weights=pw, solver=solver).fit(
        X.astype(np.float32), y.astype(np.float32), sample_weight=sw
    )
    est64 = WeightedRidge(1.0, penalty_weights=pw, solver=solver).fit(
        X, y, sample_weight=sw
    )
    assert est32.coef_.dtype == np.float32
    assert est32.predict(X.astype(np.float32)).dtype == np.float32
    _rel_close(est32.coef_, est64.coef_, 2e-3)
    coefs, _ = weighted_ridge_path(X.astype(np.float32), y, [1.0], penalty_weights=pw)
    assert coefs.dtype == np.float32


def test_pandas_feature_names():
    pd = pytest.importorskip("pandas")
    X, y, _ = _data(30, 4, seed=22)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    est = WeightedRidge(penalty_weights=[1, 2, 3, 4]).fit(df, pd.Series(y))
    assert list(est.feature_names_in_) == ["a", "b", "c", "d"]
    assert est.n_features_in_ == 4
    assert_allclose(
        est.predict(df),
        WeightedRidge(penalty_weights=[1, 2, 3, 4]).fit(X, y).predict(X),
    )
    with pytest.raises(ValueError, match="feature names"):
        est.predict(df[["b", "a", "c", "d"]])


# --------------------------------------------------------------------------
# private building blocks
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# (i) bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pw, err, match",
    [
        (np.ones(4), ValueError,
         r"penalty_weights must have shape .* n_features=3; got shape \(4,\)"),
        (np.ones((3, 4)), ValueError, r"penalty_weights must have shape .*\(3, 4\)"),
        (np.ones((3, 3, 3)), ValueError,
         r"penalty_weights must have shape .*\(3, 3, 3\)"),
        (5.0, ValueError, r"penalty_weights.* must be an array-like or None"),
        ([1.0, np.nan, 1.0], ValueError, "penalty_weights must not contain NaN"),
        ([1.0, np.inf, 1.0], ValueError, "penalty_weights must not contain NaN or inf"),
        (np.diag([1.0, np.nan, 1.0]), ValueError, "penalty_weights must not contain"),
        ([1.0, -0.5, 1.0], ValueError, "penalty_weights must be non-negative"),
        (np.array([[1.0, 0.5, 0], [0, 1, 0], [0, 0, 1]]), ValueError,
         "penalty_weights must be a symmetric"),
        (np.diag([1.0, -1.0, 2.0]), ValueError,
         "penalty_weights must be positive semi-definite"),
        (np.array([1.0, 1j, 1.0]), TypeError, "penalty_weights must be real"),
        (["a", "b", "c"], TypeError, "penalty_weights must be numeric"),
    ],
)
def test_bad_penalty_weights(pw, err, match):
    X, y, _ = _data(10, 3)
    with pytest.raises(err, match=match):
        WeightedRidge(penalty_weights=pw).fit(X, y)
    with pytest.raises(err, match=match):
        weighted_ridge_path(X, y, [1.0], penalty_weights=pw)


def test_symmetry_tolerance_is_relative():
    X, y, _ = _data(10, 3)
    G = 1e6 * _spd(3)
    G[0, 1] += 1e-5  # relative asymmetry 1e-11: accepted and symmetrized
    WeightedRidge(penalty_weights=G).fit(X, y)


@pytest.mark.parametrize(
    "alpha, err, match",
    [
        (
            -1.0,
            ValueError,
            r"'alpha' parameter of WeightedRidge must be a float in "
            r"the range \[0.0, inf\)",
        ),
        (np.nan, ValueError, "'alpha' parameter"),
        (np.inf, ValueError, r"'alpha' parameter .* range \[0.0, inf\)"),
        ("1", ValueError, "'alpha' parameter"),
    ],
)
def test_bad_alpha(alpha, err, match):
    X, y, _ = _data(10, 3)
    with pytest.raises(err, match=match):
        WeightedRidge(alpha=alpha).fit(X, y)


@pytest.mark.parametrize(
    "alphas, match",
    [
        ([1.0, -1.0], "alphas must be non-negative"),
        ([1.0, np.inf], "alphas must be finite"),
        ([np.nan], "alphas must be finite"),
        ([[1.0, 2.0]], "alphas must be a 1-D array of real numbers"),
        (["a"], "alphas must be a 1-D array of real numbers"),
        ([], "alphas is empty"),
    ],
)
def test_bad_alphas_in_path(alphas, match):
    X, y, _ = _data(10, 3)
    with pytest.raises(ValueError, match=match):
        weighted_ridge_path(X, y, alphas)


def test_bad_X_y():
    X, y, _ = _data(10, 3)
    est = WeightedRidge()
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        est.fit(Xn, y)
    Xi = X.copy()
    Xi[0, 0] = np.inf
    with pytest.raises(ValueError, match="Input X contains infinity"):
        est.fit(Xi, y)
    yn = y.copy()
    yn[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        est.fit(X, yn)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, y[:-1])
    with pytest.raises(ValueError, match="0 sample"):
        est.fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="[Cc]omplex data not supported"):
        est.fit(X + 1j, y)
    with pytest.raises(ValueError, match="[Cc]omplex data not supported"):
        weighted_ridge_path(X + 1j, y, [1.0])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        weighted_ridge_path(Xn, y, [1.0])
    with pytest.raises(ValueError, match="Negative values in data passed to"):
        est.fit(X, y, sample_weight=-np.ones(10))
    with pytest.raises(ValueError, match=re.escape("sample_weight.shape == (9,)")):
        est.fit(X, y, sample_weight=np.ones(9))


def test_predict_wrong_n_features():
    X, y, _ = _data(10, 3)
    est = WeightedRidge().fit(X, y)
    with pytest.raises(
        ValueError,
        match="X has 4 features, but WeightedRidge is expecting 3 features as input",
    ):
        est.predict(np.ones((2, 4)))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize(
    "fit_intercept, weighted", [(True, False), (True, True), (False, True)]
)
@pytest.mark.parametrize("kind", ["identity", "diagonal"])
def test_memory_layout_and_x_not_modified(
    solver, n, d, order, fit_intercept, weighted, kind
):
    X, y, sw = _data(n, d, 2, seed=24)
    X = np.asarray(X, order=order)
    X_before = X.copy()
    sw = sw if weighted else None
    pw = None if kind == "identity" else np.linspace(0.5, 3.0, d)
    est = WeightedRidge(
        0.9, penalty_weights=pw, fit_intercept=fit_intercept, solver=solver
    ).fit(X, y, sample_weight=sw)
    G = np.eye(d) if pw is None else np.diag(pw)
    coef, intercept = _closed_form(X, y, 0.9, G, sw, fit_intercept)
    _rel_close(est.coef_, coef, 1e-10)
    _rel_close(est.intercept_, intercept, 1e-10)
    assert_allclose(X, X_before, rtol=0, atol=0)  # X is never modified


def test_path_param_validation():
    from sklearn.utils._param_validation import InvalidParameterError

    X, y, _ = _data(10, 3)
    with pytest.raises(InvalidParameterError, match="'fit_intercept' parameter"):
        weighted_ridge_path(X, y, [1.0], fit_intercept="yes")
    with pytest.raises(InvalidParameterError, match="'alphas' parameter"):
        weighted_ridge_path(X, y, 1.0)
