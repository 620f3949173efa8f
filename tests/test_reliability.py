"""Numerical range, divergence, custom folds and NumPy scalars (issue 14).

Each class of hostile input is swept over a range of values, not one value.
Reference solutions are exact: the ridge normal equations are solved in
rational arithmetic (:mod:`fractions`) from the float inputs, so they do not
share any rounding with the code under test.
"""

from fractions import Fraction

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from skw2s import (
    MultiIndexNet,
    WeakToStrongRegressor,
    WeakToStrongRegressorCV,
    WeightedRidge,
    weighted_ridge_path,
)
from skw2s.model_selection import LabeledSplit, cross_validate_w2s

EPS = np.finfo(np.float64).eps
SOLVERS = ["auto", "cholesky", "dual", "svd", "eigen"]


def _exact_ridge(X, y, alpha, g, fit_intercept=True):
    """Exact ``argmin ||y - c - X b||^2 + alpha b' G b`` (rationals).

    ``g`` is the diagonal of ``G`` (1-D) or ``G`` itself (2-D).
    """
    G = np.diag(g) if np.ndim(g) == 1 else np.asarray(g)
    n, d = X.shape
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    yf = [Fraction(float(v)) for v in y]
    if fit_intercept:
        mx = [sum(Xf[i][j] for i in range(n)) / n for j in range(d)]
        my = sum(yf) / n
        Xf = [[Xf[i][j] - mx[j] for j in range(d)] for i in range(n)]
        yf = [v - my for v in yf]
    a = Fraction(float(alpha))
    A = [
        [sum(Xf[i][j] * Xf[i][k] for i in range(n)) + a * Fraction(float(G[j, k]))
         for k in range(d)] + [sum(Xf[i][j] * yf[i] for i in range(n))]
        for j in range(d)
    ]
    for c in range(d):  # Gauss-Jordan, exact
        p = next(r for r in range(c, d) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        for r in range(d):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [u - f * v for u, v in zip(A[r], A[c], strict=True)]
    return np.array([float(A[j][d] / A[j][j]) for j in range(d)])


# --------------------------------------------------- 1. penalty dynamic range
@pytest.mark.parametrize("span", [1e4, 1e8, 1e12, 1e16, 1e20, 1e24])
@pytest.mark.parametrize("shape", [(9, 4), (4, 6)])
def test_penalty_spread_path_matches_exact_solution(span, shape):
    n, d = shape
    rng = np.random.default_rng(int(np.log10(span)) + n)
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    g = np.logspace(0, np.log10(span), d)
    alphas = [1e-12, 1e-6, 1.0, 1e3]
    coefs, _ = weighted_ridge_path(X, y, alphas, penalty_weights=g)
    for a, coef in zip(alphas, coefs, strict=True):
        exact = _exact_ridge(X, y, a, g)
        # a direction carries weight only down to eps times the largest one
        np.testing.assert_allclose(
            coef, exact, rtol=1e-7, atol=1e-9 * np.abs(exact).max()
        )


@pytest.mark.parametrize("tiny", [1e-8, 1e-16, 1e-30, 1e-100, 1e-300])
@pytest.mark.parametrize("solver", SOLVERS)
def test_tiny_positive_weight_with_fewer_rows_than_features(tiny, solver):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((4, 7))
    y = rng.standard_normal(4)
    g = np.ones(7)
    g[[0, 3]] = tiny
    exact = _exact_ridge(X, y, 1.0, g)
    est = WeightedRidge(alpha=1.0, penalty_weights=g, solver=solver).fit(X, y)
    np.testing.assert_allclose(est.coef_, exact, rtol=1e-9, atol=1e-12)
    assert est.solver_ == ("lstsq" if tiny < 1e-6 else est.solver_)


def test_wide_full_penalty_matches_exact_solution():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 4))
    y = rng.standard_normal(5)
    Q = np.linalg.qr(rng.standard_normal((4, 4)))[0]
    lam = np.array([1e-20, 1.0, 1e3, 1e10])
    G = (Q * lam) @ Q.T
    G = (G + G.T) / 2
    est = WeightedRidge(alpha=0.5, penalty_weights=G).fit(X, y)
    exact = _exact_ridge(X, y, 0.5, G)  # with G as stored (rounded)
    # G itself is only defined to eps * ||G|| (rounding of its entries, of any
    # factorization): the solution's sensitivity to that is the tolerance
    Xc = X - X.mean(axis=0)
    A_inv = np.linalg.inv(Xc.T @ Xc + 0.5 * G)
    rtol = 10 * 0.5 * EPS * np.linalg.norm(G, 2) * np.linalg.norm(A_inv, 2)
    assert rtol < 1e-5
    np.testing.assert_allclose(est.coef_, exact, rtol=rtol)
    assert est.solver_ == "lstsq"


def test_wide_spread_cv_selects_like_grid_search():
    from sklearn.model_selection import GridSearchCV, KFold

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 6))
    y = X @ rng.standard_normal(6) + 0.5 * rng.standard_normal(60)
    g = np.logspace(-8, 12, 6)
    alphas = np.logspace(-6, 2, 7)
    teacher = WeightedRidge(alpha=1.0)
    cv = KFold(3)
    w2s = WeakToStrongRegressor(
        teacher, WeightedRidge(penalty_weights=g), random_state=0
    )
    grid = GridSearchCV(
        w2s, {"student__alpha": alphas}, cv=LabeledSplit(cv),
        scoring="neg_mean_squared_error",
    ).fit(X, y)
    fast = WeakToStrongRegressorCV(
        teacher, student=WeightedRidge(penalty_weights=g), alphas=alphas, cv=cv,
        scoring="neg_mean_squared_error", random_state=0,
    ).fit(X, y)
    # the path (one decomposition per fold) against independent fits per alpha
    np.testing.assert_allclose(
        fast.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"],
        rtol=1e-9,
    )
    assert fast.alpha_ == grid.best_params_["student__alpha"]


# ----------------------------------------------- 2. eigen at alpha=0, ill-cond
@pytest.mark.parametrize("cond", [1e3, 1e6, 1e9, 1e12])
def test_alpha_zero_is_least_squares_for_every_solver(cond):
    rng = np.random.default_rng(int(np.log10(cond)))
    n, d = 12, 5
    U = np.linalg.qr(rng.standard_normal((n, d)))[0]
    V = np.linalg.qr(rng.standard_normal((d, d)))[0]
    X = U @ np.diag(np.logspace(0, -np.log10(cond), d)) @ V.T
    b = rng.standard_normal(d)
    y = X @ b  # consistent: forward error of least squares ~ cond * eps
    exact = _exact_ridge(X, y, 0.0, np.zeros(d), fit_intercept=False)
    tol = 1e3 * cond * EPS
    for solver in ["svd", "eigen", "auto"]:
        est = WeightedRidge(alpha=0.0, solver=solver, fit_intercept=False).fit(X, y)
        err = np.abs(est.coef_ - exact).max() / np.abs(exact).max()
        assert err < tol, (solver, err)
    coef = weighted_ridge_path(X, y, [0.0], fit_intercept=False)[0][0]
    assert np.abs(coef - exact).max() / np.abs(exact).max() < tol


# ------------------------------------------------------- 3. scale of the data
@pytest.mark.parametrize("sx", [1e-150, 1e-100, 1e-30, 1.0, 1e30, 1e100, 1e150, 1e153])
@pytest.mark.parametrize("sy", [1e-150, 1.0, 1e154])
def test_data_scale_gives_the_scaled_solution(sx, sy):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((15, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * rng.standard_normal(15)
    ref = WeightedRidge(alpha=2.0).fit(X, y)
    for solver in SOLVERS:
        est = WeightedRidge(alpha=2.0 * sx * sx, solver=solver).fit(X * sx, y * sy)
        np.testing.assert_allclose(est.coef_ * sx / sy, ref.coef_, rtol=1e-9)
        np.testing.assert_allclose(est.intercept_ / sy, ref.intercept_, rtol=1e-9,
                                   atol=1e-12)
        assert np.isfinite(est.predict(X * sx)).all()
    coefs, _ = weighted_ridge_path(X * sx, y * sy, [2.0 * sx * sx])
    np.testing.assert_allclose(coefs[0] * sx / sy, ref.coef_, rtol=1e-9)


@pytest.mark.parametrize("sw", [1e-200, 1e200])
def test_sample_weight_scale(sw):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal(10)
    w = rng.uniform(0.5, 2, 10)
    ref = WeightedRidge(alpha=1.0).fit(X, y, sample_weight=w)
    est = WeightedRidge(alpha=sw).fit(X, y, sample_weight=w * sw)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-9)


def test_unrepresentable_coefficients_raise():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal(10)
    with pytest.raises(ValueError, match="overflow.*Rescale X or y"):
        WeightedRidge(alpha=0.0).fit(X * 1e-200, y * 1e200)


# ----------------------------------------------------------- 4. MultiIndexNet
@pytest.mark.parametrize("activation", ["relu", "tanh", "erf", "hermite2"])
@pytest.mark.parametrize("learning_rate", [0.1, 10.0, 1e4, 1e8])
@pytest.mark.parametrize("scale", [1e-100, 1.0, 1e50, 1e154, 1e200])
def test_multi_index_net_finite_or_clear_error(activation, learning_rate, scale):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 4))
    y = np.tanh(X[:, 0]) + 0.1 * rng.standard_normal(30)
    net = MultiIndexNet(
        n_hidden=8, activation=activation, n_steps=3, learning_rate=learning_rate,
        training="alternating", random_state=0,
    )
    try:
        net.fit(X * scale, y * scale)
    except ValueError as exc:
        assert "learning_rate" in str(exc) and "standardize" in str(exc)
        return
    assert np.isfinite(net.loss_curve_).all()
    assert np.isfinite(net.predict(X * scale)).all()


@pytest.mark.parametrize("bad", [-1.0, -1e-12])
def test_multi_index_net_negative_sample_weight(bad):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal(10)
    sw = np.ones(10)
    sw[3] = bad
    with pytest.raises(ValueError, match="sample_weight"):
        MultiIndexNet(n_hidden=4).fit(X, y, sample_weight=sw)
    with pytest.raises(ValueError, match="(?i)sample.weights? must"):
        MultiIndexNet(n_hidden=4).fit(X, y, sample_weight=np.zeros(10))


# ------------------------------------------------------------ 5. custom folds
OUT_OF_RANGE = [
    [(np.arange(10), np.arange(10, 25))],
    [(np.arange(-3, 10), np.arange(10, 20))],
    [(np.arange(10), np.array([10, 20, 1000]))],
    [(np.arange(10), np.arange(10, 20).astype(float))],
]


@pytest.mark.parametrize("folds", OUT_OF_RANGE)
def test_out_of_range_folds_name_cv(folds):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = X.sum(axis=1)
    y[[2, 5]] = np.nan  # indices refer to the 18 labeled rows
    w2s = WeakToStrongRegressor(Ridge(), Ridge(), random_state=0)
    calls = [
        lambda: list(LabeledSplit(folds).split(X, y)),
        lambda: cross_validate_w2s(w2s, X, y, cv=folds),
        lambda: WeakToStrongRegressorCV(Ridge(), alphas=[1.0], cv=folds).fit(X, y),
        lambda: WeakToStrongRegressor(Ridge(), Ridge(), cv=folds).fit(X, y),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=r"cv fold 0: the (train|test) indices"):
            call()


@pytest.mark.parametrize("n_overlap", [1, 5, 10])
def test_cross_fit_folds_must_not_train_on_their_test_rows(n_overlap):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = X.sum(axis=1)
    half = np.arange(10)
    folds = [
        (np.concatenate([half + 10, half[:n_overlap]]), half),
        (half, half + 10),
    ]
    with pytest.raises(ValueError, match=f"cv fold 0: {n_overlap} test row"):
        WeakToStrongRegressor(Ridge(), Ridge(), cv=folds).fit(X, y)
    ok = [(half + 10, half), (half, half + 10)]
    WeakToStrongRegressor(Ridge(), Ridge(), cv=ok).fit(X, y)


# ---------------------------------------------------------- 7. NumPy scalars
@pytest.mark.parametrize("to", [np.float16, np.float32, np.float64])
def test_numpy_float_teacher_size(to):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = X.sum(axis=1)
    for frac in [0.1, 0.3, 0.7, 0.95]:
        a = WeakToStrongRegressor(Ridge(), Ridge(), teacher_size=to(frac),
                                  random_state=0).fit(X, y)
        b = WeakToStrongRegressor(Ridge(), Ridge(), teacher_size=frac,
                                  random_state=0).fit(X, y)
        np.testing.assert_array_equal(a.teacher_rows_, b.teacher_rows_)


@pytest.mark.parametrize("to", [np.int8, np.int32, np.int64, np.uint16])
def test_numpy_int_parameters(to):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = X.sum(axis=1)
    w2s = WeakToStrongRegressor(Ridge(), Ridge(), teacher_size=to(5)).fit(X, y)
    assert w2s.teacher_rows_.sum() == 5
    WeakToStrongRegressor(Ridge(), Ridge(), cv=to(3)).fit(X, y)
    MultiIndexNet(n_hidden=to(4), n_steps=to(2)).fit(X, y)
    WeightedRidge(alpha=to(2)).fit(X, y)


@pytest.mark.parametrize("to", [np.float32, np.float64])
def test_numpy_float_parameters(to):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = X.sum(axis=1)
    WeightedRidge(alpha=to(0.5)).fit(X, y)
    MultiIndexNet(n_hidden=4, learning_rate=to(0.5), alpha=to(0.1)).fit(X, y)
    WeakToStrongRegressorCV(Ridge(), alphas=np.array([0.1, 1.0], dtype=to),
                            teacher_size=to(0.5), cv=3).fit(X, y)


# ------------------------------------------------------- 6. theory at the limits
THEORY_D = 40
THEORY_SIG = np.linspace(0.2, 3.0, THEORY_D)
THEORY_COEF = np.random.default_rng(5).standard_normal(THEORY_D) / np.sqrt(THEORY_D)
COVARIANCES = {
    "isotropic": np.full(THEORY_D, 1.5),
    "diagonal": THEORY_SIG,
    "dense": np.diag(THEORY_SIG),
}


@pytest.mark.parametrize("kind", list(COVARIANCES))
def test_ridge_risk_tends_to_the_zero_predictor(kind):
    from skw2s.theory import ridge_risk

    cov = COVARIANCES[kind]
    sig = np.diag(cov) if cov.ndim == 2 else cov
    zero_risk = THEORY_COEF @ (sig * THEORY_COEF)  # risk of predicting 0
    alphas = np.logspace(20, 308, 30)
    risk = ridge_risk(alphas, n_samples=60, covariance=cov, coef=THEORY_COEF,
                      noise=1.0)
    np.testing.assert_allclose(risk, zero_risk, rtol=1e-12)


@pytest.mark.parametrize("kind", list(COVARIANCES))
def test_teacher_qp_ratio_positive_with_its_asymptote(kind):
    """Q / P ~ C / kappa, kappa ~ alpha / n, with C from the leading order of
    ``a = sig / (sig + kappa g) ~ sig / (kappa g)`` (here g = 1):
    C = [sum sig^2 w sig + (sum sig^2 / n)(b*' Sigma b* + s2)] / sum sig w sig.
    """
    from skw2s.theory import teacher_qp_ratio

    cov = COVARIANCES[kind]
    sig = np.diag(cov) if cov.ndim == 2 else cov
    n, s2 = 60, 1.0
    ws = THEORY_COEF**2 * sig
    C = (sig**2 @ ws + (sig**2).sum() / n * (ws.sum() + s2)) / (sig @ ws)
    alphas = np.logspace(12, 306, 40)
    ratio = teacher_qp_ratio(alphas, n_teacher=n, covariance=cov, coef=THEORY_COEF,
                             noise=1.0)
    assert np.all(ratio > 0)
    # next order is O(1 / kappa) relative: below 1e-8 from alpha = 1e12 on
    np.testing.assert_allclose(ratio * alphas / n, C, rtol=1e-8)


@pytest.mark.parametrize("noise", [1.35e154, 1e200, 1e300])
def test_huge_noise_is_a_clear_error(noise):
    from skw2s.theory import ridge_risk, teacher_qp_ratio, w2s_ridge_risk

    kw = dict(covariance=THEORY_SIG, coef=THEORY_COEF, noise=noise)
    for call in (
        lambda: ridge_risk(1.0, n_samples=60, **kw),
        lambda: teacher_qp_ratio(1.0, n_teacher=60, **kw),
        lambda: w2s_ridge_risk(1.0, 1.0, n_teacher=60, n_student=60, **kw),
    ):
        with pytest.raises(ValueError, match="noise=.* is too large"):
            call()
    # just below the limit the risk is finite
    assert np.isfinite(ridge_risk(1.0, n_samples=60, covariance=THEORY_SIG,
                                  coef=THEORY_COEF, noise=1e150))


@pytest.mark.parametrize("shapes", [((3,), (2,)), ((2, 3), (4,)), ((5, 1), (2, 3))])
def test_non_broadcastable_alphas_name_both_arguments(shapes):
    from skw2s.theory import w2s_ridge_risk

    ta, sa = np.ones(shapes[0]), np.ones(shapes[1])
    with pytest.raises(ValueError, match="teacher_alpha .* and student_alpha"):
        w2s_ridge_risk(ta, sa, n_teacher=60, n_student=60, covariance=THEORY_SIG,
                       coef=THEORY_COEF, noise=1.0)


# =====================================================================
# Issue 24: the second wave's reliability classes. Each class is swept over
# generated hostile inputs (seeded), not only the reported instance.
# =====================================================================


def _chunked(n, rng, n_chunks=None):
    """Random chunk boundaries over ``n`` rows (1 to 5 chunks, some tiny)."""
    k = int(rng.integers(1, 6)) if n_chunks is None else n_chunks
    cuts = np.sort(rng.choice(np.arange(1, n), size=min(k - 1, n - 1), replace=False))
    edges = np.concatenate([[0], cuts, [n]])
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _hostile_columns(rng, n, d):
    """A Gaussian design whose columns live on scales from 1e-8 to 1e8."""
    X = rng.standard_normal((n, d)) + rng.standard_normal(d)
    scales = 10.0 ** rng.uniform(-8, 8, d)
    scales[rng.integers(d)] = 10.0 ** rng.choice([-8.0, 8.0])  # always one extreme
    return X * scales, scales


def _equilibrated_cond(X, alpha, g):
    """Condition number of the centered ridge system after unit-diagonal scaling."""
    Xc = X - X.mean(axis=0)
    A = Xc.T @ Xc + alpha * np.diag(g)
    s = 1 / np.sqrt(np.diag(A))
    return np.linalg.cond(A * s[:, None] * s[None, :])


# ------------------------------------------------ 1. streaming numerics
N_SCALE_CASES = 25


def test_streamed_ridge_is_exact_whatever_the_column_scales():
    """partial_fit, path_from_stats and fit on columns spanning 1e-8..1e8:
    every coefficient in units of its column equals the exact (rational)
    solution; a streamed solve once took a fallback that lost whole columns.
    """
    failures = []
    for seed in range(N_SCALE_CASES):
        rng = np.random.default_rng(24_000 + seed)
        d = int(rng.integers(2, 6))
        n = int(rng.integers(d + 3, 30))
        X, scales = _hostile_columns(rng, n, d)
        y = rng.standard_normal(n)
        g = rng.uniform(0.5, 2.0, d) if rng.random() < 0.5 else np.ones(d)
        alpha = float(10 ** rng.uniform(-2, 2))
        exact = _exact_ridge(X, y, alpha, g)
        # a backward-stable solve of the equilibrated system: error ~ kappa * eps
        tol = 1e3 * d * _equilibrated_cond(X, alpha, g) * EPS
        assert tol < 1e-6, tol  # the designs are well conditioned once equilibrated
        unit = np.linalg.norm(X - X.mean(axis=0), axis=0)  # coef * unit: scale-free
        streamed = WeightedRidge(alpha=alpha, penalty_weights=g)
        for sl in _chunked(n, rng):
            streamed.partial_fit(X[sl], y[sl])
        fitted = WeightedRidge(alpha=alpha, penalty_weights=g).fit(X, y)
        path = streamed.path_from_stats([alpha, 2 * alpha])[0][0]
        for name, coef in [("streamed", streamed.coef_), ("fit", fitted.coef_),
                           ("path", path)]:
            err = np.abs((coef - exact) * unit).max() / np.abs(exact * unit).max()
            if not err < tol:
                failures.append((seed, name, f"{err:.2g} > {tol:.2g}"))
    assert not failures, failures


@pytest.mark.parametrize("solver", ["auto", "cholesky", "eigen"])
def test_streamed_solution_scale_equivariance_matches_fit(solver):
    """Scaling column j by c_j (and its penalty weight by c_j**2) divides the
    coefficient by c_j: streamed exactly like the in-memory fit."""
    for seed in range(10):
        rng = np.random.default_rng(24_100 + seed)
        n, d = 40, 4
        X = rng.standard_normal((n, d))
        y = X @ rng.standard_normal(d) + rng.standard_normal(n)
        c = 10.0 ** rng.uniform(-6, 6, d)
        w = rng.uniform(0.2, 3.0, n)
        ref = WeightedRidge(alpha=3.0, solver=solver).fit(X, y, sample_weight=w)
        est = WeightedRidge(alpha=3.0, penalty_weights=c**2, solver=solver)
        for sl in _chunked(n, rng):
            est.partial_fit(X[sl] * c, y[sl], sample_weight=w[sl])
        fit = WeightedRidge(alpha=3.0, penalty_weights=c**2, solver=solver).fit(
            X * c, y, sample_weight=w
        )
        # "eigen" (and the in-memory path) carries the penalty's spread into a
        # Gram matrix: accurate to sqrt(eps) there, exact for the others
        rtol = 1e-6 if solver == "eigen" else 1e-10
        np.testing.assert_allclose(est.coef_ * c, ref.coef_, rtol=rtol)
        np.testing.assert_allclose(fit.coef_ * c, ref.coef_, rtol=rtol)


# scikit-learn's Ridge (the reference) warns about the raw condition number;
# its Cholesky solution is accurate all the same (diagonal scaling invariance)
@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")
def test_cv_stream_and_dask_fit_on_a_column_at_1e8():
    """Everything built on the statistics: WeakToStrongRegressorCV.partial_fit's
    held-out scores and a Dask fit, against in-memory fits."""
    from sklearn.frozen import FrozenEstimator

    from skw2s import WeakToStrongRegressorCV

    rng = np.random.default_rng(24_200)
    X = rng.standard_normal((300, 5))
    X[:, 1] *= 1e8
    coef = rng.standard_normal(5) / np.array([1, 1e8, 1, 1, 1])
    y = X @ coef + rng.standard_normal(300)
    teacher = Ridge(alpha=1e-3).fit(X[:40], y[:40])
    y_stream = y.copy()
    held = rng.random(300) < 0.3
    y_stream[~held] = np.nan
    alphas = [0.1, 10.0, 1000.0]
    search = WeakToStrongRegressorCV(FrozenEstimator(teacher), alphas=alphas,
                                     scoring="neg_mean_squared_error")
    for sl in _chunked(300, rng, n_chunks=4):
        search.partial_fit(X[sl], y_stream[sl])
    Xu, Xl = X[~held], X[held]
    scores = [
        -np.mean((y[held] - Ridge(alpha=a).fit(Xu, teacher.predict(Xu)).predict(Xl))
                 ** 2)
        for a in alphas
    ]
    np.testing.assert_allclose(search.cv_results_["split0_test_score"], scores,
                               rtol=1e-8)
    da = pytest.importorskip("dask.array")
    est = WeightedRidge(alpha=10.0).fit(da.from_array(X, chunks=(70, 5)), y)
    ref = Ridge(alpha=10.0, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(est.coef_ * X.std(axis=0), ref.coef_ * X.std(axis=0),
                               rtol=1e-9)


# ------------------------------------------------ 2. partial_fit continuity
def _stream_data(seed, n=160, d=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 1.0
    y = X @ rng.standard_normal(d) + rng.standard_normal(n)
    return rng, X, y


@pytest.mark.parametrize("seed", range(6))
def test_partial_fit_after_fit_keeps_training_the_student(seed):
    """fit, then partial_fit chunks: the WeightedRidge student equals a fit on
    every row it saw (fit's student rows, then the chunks, pseudo-labeled);
    the wide case (fewer student rows than features) too."""
    from skw2s import WeakToStrongRegressor

    d = 12 if seed % 2 else 5
    rng, X, y = _stream_data(24_300 + seed, d=d)
    n_fit = int(rng.integers(d // 2 + 6, 40))
    y_fit = y[:n_fit].copy()
    y_fit[n_fit // 3:] = np.nan  # a third labeled (teacher), the rest student rows
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1.0), WeightedRidge(alpha=2.0))
    w2s.fit(X[:n_fit], y_fit)
    teacher = w2s.teacher_
    rows = [X[:n_fit][w2s.student_rows_]]
    for sl in _chunked(len(X) - n_fit, rng):
        chunk = X[n_fit:][sl]
        w2s.partial_fit(chunk)
        rows.append(chunk)
    assert w2s.teacher_ is teacher
    X_all = np.vstack(rows)
    ref = WeightedRidge(alpha=2.0).fit(X_all, teacher.predict(X_all))
    np.testing.assert_allclose(w2s.student_.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(w2s.predict(X[:5]), ref.predict(X[:5]), rtol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_partial_fit_pseudo_true_uses_the_chunks_labels(seed):
    """student_targets="pseudo+true" in partial_fit: every chunk row with its
    pseudo-label, its labeled rows again with their true labels and weight
    labeled_weight (times sample_weight) -- as fit with a frozen teacher."""
    from sklearn.frozen import FrozenEstimator

    from skw2s import WeakToStrongRegressor

    rng, X, y = _stream_data(24_400 + seed)
    teacher = Ridge(alpha=1.0).fit(X[:20] + 0.3, y[:20])
    y_s = np.where(rng.random(len(y)) < 0.3, y, np.nan)
    lw = float(rng.choice([0.0, 0.5, 1.0, 3.0]))
    w = rng.uniform(0.5, 2.0, len(y)) if seed % 2 else None
    kw = dict(student_targets="pseudo+true", labeled_weight=lw)
    stream = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge(), **kw)
    for sl in _chunked(len(y), rng):
        stream.partial_fit(X[sl], y_s[sl],
                           sample_weight=None if w is None else w[sl])
    once = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge(), **kw)
    once.fit(X, y_s, sample_weight=w)
    lab = np.isfinite(y_s)
    ones = np.ones(len(y)) if w is None else w
    ref = WeightedRidge().fit(
        np.vstack([X, X[lab]]), np.concatenate([teacher.predict(X), y_s[lab]]),
        sample_weight=np.concatenate([ones, lw * ones[lab]]),
    )
    np.testing.assert_allclose(stream.student_.coef_, ref.coef_, rtol=1e-9)
    np.testing.assert_allclose(once.student_.coef_, ref.coef_, rtol=1e-9)
    np.testing.assert_array_equal(stream.true_label_rows_, lab[sl])


def test_partial_fit_weights_need_a_student_taking_them():
    from sklearn.base import BaseEstimator, RegressorMixin
    from sklearn.frozen import FrozenEstimator

    from skw2s import WeakToStrongRegressor

    class NoWeights(RegressorMixin, BaseEstimator):
        def fit(self, X, y):
            return self

        def partial_fit(self, X, y):
            self.n_ = getattr(self, "n_", 0) + len(y)
            return self

        def predict(self, X):
            return np.zeros(len(X))

    rng, X, y = _stream_data(24_450)
    teacher = FrozenEstimator(Ridge().fit(X, y))
    y_s = np.where(np.arange(len(y)) % 3 == 0, y, np.nan)
    est = WeakToStrongRegressor(teacher, NoWeights(), student_targets="pseudo+true",
                                labeled_weight=2.0)
    with pytest.raises(ValueError, match="labeled_weight weights the rows"):
        est.partial_fit(X, y_s)
    # weight 1: no weights are needed; the true-label rows are appended
    est.set_params(labeled_weight=1.0).partial_fit(X, y_s)
    assert est.student_.n_ == len(y) + int(np.isfinite(y_s).sum())


@pytest.mark.parametrize("seed", range(8))
def test_cv_stream_keeps_every_held_out_chunk(seed):
    """Chunks of only held-out rows, only rows to pseudo-label, or both, in a
    random order: the selection scores every held-out row seen so far, and no
    prediction is made before an alpha has been selected."""
    from sklearn.exceptions import NotFittedError
    from sklearn.frozen import FrozenEstimator

    from skw2s import WeakToStrongRegressorCV

    rng, X, y = _stream_data(24_500 + seed, n=240)
    teacher = Ridge(alpha=1.0).fit(X[:30] + 0.5, y[:30])
    kinds = rng.choice(["held", "pseudo", "both"], size=5)
    kinds[0] = rng.choice(["held", "pseudo"])  # the reported case: one kind first
    alphas = [0.01, 1.0, 100.0, 1e4]
    search = WeakToStrongRegressorCV(FrozenEstimator(teacher), alphas=alphas)
    held_rows, pseudo_rows = [], []
    for kind, sl in zip(kinds, _chunked(240, rng, n_chunks=5), strict=True):
        idx = np.arange(sl.start, sl.stop)
        if kind == "held":
            held = np.ones(idx.size, bool)
        elif kind == "pseudo":
            held = np.zeros(idx.size, bool)
        else:
            held = rng.random(idx.size) < 0.4
        y_chunk = np.where(held, y[idx], np.nan)
        search.partial_fit(X[idx], y_chunk)
        held_rows += list(idx[held])
        pseudo_rows += list(idx[~held])
        if not (held_rows and pseudo_rows):
            with pytest.raises(NotFittedError, match="selected no alpha yet"):
                search.predict(X[:2])
            assert not hasattr(search, "alpha_")
            continue
        Xu, Xl = X[pseudo_rows], X[held_rows]
        from sklearn.metrics import r2_score

        scores = [
            r2_score(y[held_rows], Ridge(alpha=a).fit(Xu, teacher.predict(Xu))
                     .predict(Xl))
            for a in alphas
        ]
        np.testing.assert_allclose(search.cv_results_["split0_test_score"], scores,
                                   rtol=1e-8, atol=1e-10)
        assert search.alpha_ == alphas[int(np.argmax(scores))]
        best = Ridge(alpha=search.alpha_).fit(Xu, teacher.predict(Xu))
        np.testing.assert_allclose(search.predict(X[:3]), best.predict(X[:3]),
                                   rtol=1e-8)


def test_cv_stream_after_fit_continues_the_refit_student():
    from skw2s import WeakToStrongRegressorCV

    rng, X, y = _stream_data(24_600, n=300)
    y_fit = y[:200].copy()
    y_fit[60:] = np.nan
    search = WeakToStrongRegressorCV(WeightedRidge(alpha=1.0), alphas=[0.1, 10.0],
                                     cv=3).fit(X[:200], y_fit)
    alpha, teacher = search.alpha_, search.teacher_
    student_rows = X[:200][search.student_rows_]
    search.partial_fit(X[200:])  # unlabeled rows only: fit's alpha is kept
    assert search.alpha_ == alpha
    X_all = np.vstack([student_rows, X[200:]])
    ref = WeightedRidge(alpha=alpha).fit(X_all, teacher.predict(X_all))
    np.testing.assert_allclose(search.predict(X[:4]), ref.predict(X[:4]), rtol=1e-9)


# ------------------------------------- 3. frozen teachers and target types
@pytest.mark.parametrize("n_outputs", [2, 3])
@pytest.mark.parametrize("y_kind", ["none", "all_nan"])
def test_frozen_multi_output_teacher_without_labels(n_outputs, y_kind):
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LinearRegression

    from skw2s import WeakToStrongRegressor

    rng = np.random.default_rng(24_700 + n_outputs)
    X = rng.standard_normal((80, 4))
    Y = X @ rng.standard_normal((4, n_outputs))
    teacher = FrozenEstimator(LinearRegression().fit(X[:30], Y[:30]))
    y = None if y_kind == "none" else np.full(50, np.nan)
    w2s = WeakToStrongRegressor(teacher, Ridge(alpha=1.0)).fit(X[30:], y)
    assert w2s.pseudo_labels_.shape == (50, n_outputs)
    np.testing.assert_allclose(w2s.pseudo_labels_, teacher.predict(X[30:]))
    assert w2s.predict(X[:3]).shape == (3, n_outputs)
    stream = WeakToStrongRegressor(teacher, WeightedRidge())
    stream.partial_fit(X[30:60]).partial_fit(X[60:])
    ref = WeightedRidge().fit(X[30:], teacher.predict(X[30:]))
    np.testing.assert_allclose(stream.student_.coef_, ref.coef_, rtol=1e-9)


_LABEL_KINDS = {
    "int": lambda k: np.arange(k),
    "str": lambda k: np.array([f"c{i}" for i in range(k)]),
    "float": lambda k: np.arange(k, dtype=float),
    "obj": lambda k: np.array([f"c{i}" for i in range(k)], dtype=object),
    "digits": lambda k: np.array([str(i) for i in range(k)]),
}
_SAME_TYPE = {"int": "num", "float": "num", "str": "str", "obj": "str", "digits": "str"}


@pytest.mark.parametrize("teacher_kind", list(_LABEL_KINDS))
@pytest.mark.parametrize("y_kind", list(_LABEL_KINDS))
def test_frozen_classifier_label_types_must_match(teacher_kind, y_kind):
    """Every pair of label types: the same type works, another type raises
    naming both (numpy would silently turn 0 and 1 into '0' and '1')."""
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    rng = np.random.default_rng(24_800)
    X = rng.standard_normal((90, 3))
    idx = (X[:, 0] > 0).astype(int)
    teacher = LogisticRegression().fit(X[:40], _LABEL_KINDS[teacher_kind](2)[idx[:40]])
    y = _LABEL_KINDS[y_kind](2)[idx[40:]].astype(object)
    y[::3] = None  # unlabeled rows
    w2s = WeakToStrongClassifier(FrozenEstimator(teacher), LogisticRegression())
    if _SAME_TYPE[teacher_kind] == _SAME_TYPE[y_kind]:
        w2s.fit(X[40:], y)
        union = set(teacher.classes_.tolist()) | set(y[y != None].tolist())  # noqa: E711
        assert set(w2s.classes_.tolist()) == union  # nothing converted
        assert set(w2s.predict(X[:10]).tolist()) <= union
    else:
        with pytest.raises(ValueError, match="frozen teacher's classes_") as exc:
            w2s.fit(X[40:], y)
        msg = str(exc.value)
        assert "labels in y" in msg and "numbers" in msg and "strings" in msg, msg


# ------------------------- 4. routing and weights through Pipeline students
def _recording_pipeline():
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    class RecordingScaler(StandardScaler):
        def fit(self, X, y=None, sample_weight=None):
            self.seen_weight_ = sample_weight
            return super().fit(X, y, sample_weight=sample_weight)

    class RecordingLR(ClassifierMixin, BaseEstimator):
        def fit(self, X, y, sample_weight=None):
            self.seen_weight_ = sample_weight
            self.model_ = LogisticRegression().fit(X, y, sample_weight=sample_weight)
            self.classes_ = self.model_.classes_
            return self

        def predict(self, X):
            return self.model_.predict(X)

        def predict_proba(self, X):
            return self.model_.predict_proba(X)

    return make_pipeline(RecordingScaler(), RecordingLR())


_WEIGHT_SOURCES = {
    "soft": dict(pseudo_labels="soft"),
    "confidence": dict(pseudo_labels="hard", pseudo_label_weights="confidence"),
    "labeled_weight": dict(pseudo_labels="hard", student_targets="pseudo+true",
                           labeled_weight=2.5),
    "sample_weight": dict(pseudo_labels="hard"),
}


@pytest.mark.parametrize("source", list(_WEIGHT_SOURCES))
@pytest.mark.parametrize("routing", [False, True])
def test_every_weight_reaches_a_pipeline_students_final_step(source, routing):
    """Soft-label, confidence, labeled_weight and user weights: one rule, the
    final step receives them and the scaler does not; with routing on, the
    same fit once the final step requests them (and the scaler says no)."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    rng = np.random.default_rng(24_900)
    X = rng.standard_normal((150, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(150) > 0).astype(int)
    y[60:] = -1
    sw = rng.uniform(0.5, 2.0, 150) if source == "sample_weight" else None
    fits = []
    for use_routing in sorted({False, routing}):
        student = _recording_pipeline()
        with sklearn.config_context(enable_metadata_routing=use_routing):
            if use_routing:
                student.steps[0][1].set_fit_request(sample_weight=False)
                student.steps[-1][1].set_fit_request(sample_weight=True)
                # the teacher takes the user's weights, as without routing
                teacher = LogisticRegression().set_fit_request(sample_weight=True)
            else:
                teacher = LogisticRegression()
            w2s = WeakToStrongClassifier(teacher, student, **_WEIGHT_SOURCES[source])
            w2s.fit(X, y, sample_weight=sw)
            fits.append(w2s.predict_proba(X))
        scaler, last = (step for _, step in w2s.student_.steps)
        assert scaler.seen_weight_ is None
        seen = last.seen_weight_
        assert seen is not None and np.all(np.isfinite(seen)), source
        if source == "labeled_weight":
            assert np.isclose(seen, 2.5).sum() == 60
        if source == "sample_weight":
            np.testing.assert_allclose(seen, sw[60:])
    np.testing.assert_allclose(fits[0], fits[-1], rtol=1e-12)


def test_routing_never_complains_about_weights_the_user_did_not_pass():
    """Routing on, no request set anywhere: "auto" gives hard labels (the
    final step did not ask for weights) and fit runs; asking for soft labels
    raises and says which request to set."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    rng = np.random.default_rng(24_901)
    X = rng.standard_normal((120, 3))
    y = (X[:, 0] > 0).astype(int)
    y[50:] = -1
    with sklearn.config_context(enable_metadata_routing=True):
        for final_request in (None, True):
            student = _recording_pipeline()
            if final_request:  # the scaler's request left unset
                student.steps[-1][1].set_fit_request(sample_weight=True)
            w2s = WeakToStrongClassifier(LogisticRegression(), student).fit(X, y)
            assert w2s.pseudo_labels_mode_ == "hard"
            assert w2s.student_.steps[-1][1].seen_weight_ is None
            with pytest.raises(ValueError, match="set_fit_request") as exc:
                WeakToStrongClassifier(LogisticRegression(), _recording_pipeline(),
                                       pseudo_labels="soft").fit(X, y)
            assert "final step 'recordinglr'" in str(exc.value)


def test_labeled_weight_with_a_pipeline_regression_student():
    from sklearn.frozen import FrozenEstimator
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skw2s import WeakToStrongRegressor

    rng, X, y = _stream_data(24_902, n=120)
    teacher = Ridge().fit(X[:30] + 0.5, y[:30])
    y_l = np.where(np.arange(120) < 40, y, np.nan)
    for lw in (0.0, 0.5, 4.0):
        w2s = WeakToStrongRegressor(
            FrozenEstimator(teacher), make_pipeline(StandardScaler(), WeightedRidge()),
            student_targets="pseudo+true", labeled_weight=lw,
        ).fit(X, y_l)
        lab = np.isfinite(y_l)
        ref = make_pipeline(StandardScaler(), WeightedRidge()).fit(
            np.vstack([X, X[lab]]), np.concatenate([teacher.predict(X), y[lab]]),
            weightedridge__sample_weight=np.r_[np.ones(120), np.full(40, lw)],
        )
        np.testing.assert_allclose(w2s.predict(X), ref.predict(X), rtol=1e-10)


# ------------------------------------------------------------ 5. markers
_PANDAS_DTYPES = ["string", "boolean", "Int64", "Float64", "category", "object"]


def _pandas_labels(pd, dtype, rng, n):
    """A pandas label Series of ``dtype`` with pd.NA/None/NaN at random rows."""
    k = 2 if dtype == "boolean" else 3
    base = rng.integers(0, k, n)
    base[:k] = np.arange(k)  # every class present
    missing = rng.random(n) < 0.3
    missing[:k] = False
    if dtype == "boolean":
        values = [bool(v) for v in base]
    elif dtype in ("Int64", "Float64"):
        values = [int(v) for v in base]
    else:
        values = [f"c{v}" for v in base]
    values = [None if m else v for v, m in zip(values, missing, strict=True)]
    return pd.Series(values, dtype=dtype), missing


@pytest.mark.parametrize("dtype", _PANDAS_DTYPES)
def test_pandas_missing_labels_are_unlabeled_rows(dtype):
    """pd.NA (and None/NaN) in every pandas label dtype: _unlabeled_mask marks
    exactly those rows; the classifier trains its teacher on the others and
    keeps the labels' type (Int64 -> integer classes_); LabeledSplit never
    tests a missing row."""
    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier
    from skw2s._validation import _unlabeled_mask

    for seed in range(5):
        rng = np.random.default_rng(25_000 + seed)
        n = int(rng.integers(30, 80))
        y, missing = _pandas_labels(pd, dtype, rng, n)
        np.testing.assert_array_equal(_unlabeled_mask(y), missing)
        np.testing.assert_array_equal(_unlabeled_mask(y.array), missing)
        X = rng.standard_normal((n, 3))
        w2s = WeakToStrongClassifier(LogisticRegression(), LogisticRegression())
        w2s.fit(X, y)
        np.testing.assert_array_equal(w2s.student_rows_, missing)
        kind = w2s.classes_.dtype.kind
        expected = {"boolean": "b", "Int64": "i", "Float64": "f"}.get(dtype, "U")
        assert kind == expected, (dtype, w2s.classes_)
        for _, test in LabeledSplit(3).split(X, y):
            assert not missing[test].any()


def test_int64_labels_with_minus_one_and_na():
    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    y = pd.Series([0, 1, 2, -1, None] * 12, dtype="Int64")
    X = np.random.default_rng(25_100).standard_normal((60, 2))
    w2s = WeakToStrongClassifier(LogisticRegression(), LogisticRegression()).fit(X, y)
    assert w2s.classes_.tolist() == [0, 1, 2]
    assert w2s.classes_.dtype.kind == "i"
    assert w2s.student_rows_.sum() == 24


# --------------------------------------- 6. the stratified split's promise
def test_stratified_split_gives_every_class_to_both_roles():
    """Generated label vectors with rare classes (2 or 3 rows among many):
    every class with two or more rows lands in both roles, or the split raises
    naming teacher_size and the classes."""
    from skw2s._base import _teacher_split

    checked = raised = 0
    for seed in range(300):
        rng = np.random.default_rng(26_000 + seed)
        k = int(rng.integers(2, 6))
        counts = rng.integers(1, 40, k)
        counts[rng.integers(k)] = rng.integers(1, 4)  # a rare class
        y = np.repeat(np.arange(k), counts)
        rng.shuffle(y)
        n = y.size
        ts = (float(rng.uniform(0.02, 0.98)) if rng.random() < 0.7
              else int(rng.integers(1, n)))
        try:
            mask = _teacher_split(n, ts, seed, stratify=y)
        except ValueError as exc:
            msg = str(exc)
            assert "teacher_size" in msg, msg
            if "gives 0 teacher rows" in msg or "must be left" in msg:
                raised += 1  # no teacher or no student row at all
                continue
            assert "classes with at least 2" in msg, msg
            # only when impossible: fewer rows in a role than such classes
            n_t = int(np.floor(ts * n)) if isinstance(ts, float) else ts
            need = int((counts >= 2).sum())
            if 1 <= n_t < n:
                assert n_t < need or n - n_t < need, (n_t, need, counts)
            raised += 1
            continue
        n_t = int(np.floor(ts * n)) if isinstance(ts, float) else ts
        assert mask.sum() == n_t
        for c in np.flatnonzero(counts >= 2):
            assert mask[y == c].any() and (~mask[y == c]).any(), (seed, c, counts)
        # still proportional: no class further than one row from its share
        # beyond what the guarantee moved
        share = counts * n_t / n
        got = np.bincount(y[mask], minlength=k)
        assert np.all(np.abs(got - share) < np.maximum(2, 1 + (counts >= 2))), (
            got, share)
        checked += 1
    assert checked > 200 and raised > 0, (checked, raised)


def test_classifier_teacher_sees_the_rare_class():
    """The reported case: 3 positives in 120 rows, teacher_size=0.1."""
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    rng = np.random.default_rng(26_100)
    X = rng.standard_normal((120, 3))
    for seed in range(10):
        y = np.zeros(120, int)
        y[rng.choice(120, 3, replace=False)] = 1
        w2s = WeakToStrongClassifier(LogisticRegression(), LogisticRegression(),
                                     teacher_size=0.1, random_state=seed).fit(X, y)
        assert set(y[w2s.teacher_rows_]) == {0, 1}
        assert set(y[w2s.student_rows_]) == {0, 1}
    y = np.zeros(120, int)
    y[:3] = 1
    with pytest.raises(ValueError, match=r"teacher_size=1 gives 1 teacher row.*1 \(3"):
        WeakToStrongClassifier(LogisticRegression(), LogisticRegression(),
                               teacher_size=1).fit(X, y)


# ------------------------------------------------------------- 7. chains
@pytest.mark.parametrize("to", [np.float16, np.float32, np.float64, float])
def test_chain_numpy_scalar_parameters(to):
    from skw2s import WeakToStrongChain

    rng = np.random.default_rng(27_000)
    X = rng.standard_normal((90, 3))
    y = X.sum(axis=1)
    for ts in (0.3, 0.5, 0.7):
        a = WeakToStrongChain([("a", Ridge()), ("b", Ridge()), ("c", Ridge())],
                              teacher_size=to(ts), sizes=np.array([0.3, 0.7],
                                                                  dtype=to),
                              random_state=0).fit(X, y)
        b = WeakToStrongChain([("a", Ridge()), ("b", Ridge()), ("c", Ridge())],
                              teacher_size=ts, sizes=[0.3, 0.7],
                              random_state=0).fit(X, y)
        np.testing.assert_array_equal(a.stage_rows_, b.stage_rows_)


@pytest.mark.parametrize("first", ["logistic", "svc", "tree"])
def test_chain_single_class_first_stage_error_comes_first(first):
    """Classifiers that refuse one class (LogisticRegression, SVC) no longer
    pre-empt the chain's own message."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    from skw2s import WeakToStrongChain

    stage = {"logistic": LogisticRegression(), "svc": SVC(),
             "tree": DecisionTreeClassifier()}[first]
    rng = np.random.default_rng(27_100)
    X = rng.standard_normal((60, 3))
    for n_lab in (1, 2, 5):
        y = np.full(60, -1)
        y[:n_lab] = 1
        y[-1] = 0  # the other class only in a row that is unlabeled... below
        y[-1] = -1
        chain = WeakToStrongChain([("weak", stage), ("strong", LogisticRegression())])
        with pytest.raises(ValueError, match=r"(single class|at least 2 classes)") as e:
            chain.fit(X, y)
        assert "This solver needs" not in str(e.value)
        assert "needs samples of at least 2 classes" not in str(e.value)
    # every row labeled, the minority class in a single row: when the
    # stratified draw leaves it out of stage 0, the chain says so first
    y = np.zeros(60, int)
    y[7] = 1
    seen = set()
    for seed in range(12):
        chain = WeakToStrongChain([("weak", stage), ("strong", LogisticRegression())],
                                  random_state=seed)
        try:
            chain.fit(X, y)
        except ValueError as exc:
            if "'weak'" in str(exc):
                assert "single class (0)" in str(exc), str(exc)
                seen.add("stage 0")
    assert "stage 0" in seen


@pytest.mark.parametrize("kind", ["regression", "classification"])
@pytest.mark.parametrize("shape", [(2,), (3,), (1, 2)])
def test_chain_two_dimensional_y_error_names_y(kind, shape):
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongChain

    rng = np.random.default_rng(27_200)
    X = rng.standard_normal((40, 3))
    est = Ridge() if kind == "regression" else LogisticRegression()
    y = rng.integers(0, 2, (40,) + shape).astype(float)
    with pytest.raises(ValueError, match="single output: y must be 1-D") as exc:
        WeakToStrongChain([("a", clone_of(est)), ("b", clone_of(est))]).fit(X, y)
    assert "FrozenEstimator" not in str(exc.value)
    # one column is one output: accepted (with scikit-learn's usual warning)
    from sklearn.exceptions import DataConversionWarning

    with pytest.warns(DataConversionWarning, match="column-vector y"):
        WeakToStrongChain([("a", clone_of(est)), ("b", clone_of(est))],
                          random_state=0).fit(X, y.reshape(40, -1)[:, :1])


def clone_of(est):
    from sklearn.base import clone

    return clone(est)


# ------------------------------------------- 8. errors that name the problem
def test_all_zero_confidence_weights_name_the_option():
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    rng = np.random.default_rng(28_000)
    X = rng.standard_normal((80, 2))
    for k in (2, 3, 4):
        y = np.r_[np.arange(40) % k, -np.ones(40, int)]
        for mode in ("soft", "hard"):
            w2s = WeakToStrongClassifier(
                DummyClassifier(strategy="uniform"), LogisticRegression(),
                pseudo_labels=mode, pseudo_label_weights="confidence",
            )
            with pytest.raises(ValueError, match="pseudo_label_weights='confidence' "
                                                 "gives every student row"):
                w2s.fit(X, y)


@pytest.mark.parametrize("n_labeled", [1, 2, 3, 4])
@pytest.mark.parametrize("n_rows", [10, 90])
def test_more_folds_than_labeled_rows_report_the_labeled_count(n_labeled, n_rows):
    from sklearn.model_selection import KFold, RepeatedKFold

    from skw2s import WeakToStrongRegressor

    X = np.random.default_rng(28_100).standard_normal((n_rows, 2))
    y = np.full(n_rows, np.nan)
    y[:n_labeled] = 1.0 + np.arange(n_labeled)
    expected = (rf"only {n_labeled} labeled row\(s\) \(of {n_rows} rows\)")
    for cv in (5, KFold(5), RepeatedKFold(n_splits=5, n_repeats=2)):
        with pytest.raises(ValueError, match=expected):
            list(LabeledSplit(cv).split(X, y))
        with pytest.raises(ValueError, match=expected):
            cross_validate_w2s(WeakToStrongRegressor(Ridge(), Ridge()), X, y, cv=cv)


@pytest.mark.parametrize("weighted", [False, True])
def test_pgr_is_scale_invariant_over_the_float_range(weighted):
    from skw2s.metrics import performance_gap_recovered

    for seed in range(5):
        rng = np.random.default_rng(28_200 + seed)
        y = rng.standard_normal(40)
        preds = [y + rng.normal(0, s, 40) for s in (1.0, 0.5, 0.2)]
        w = rng.uniform(0, 2, 40) if weighted else None
        ref = performance_gap_recovered(y, *preds, sample_weight=w)
        assert np.isfinite(ref)
        for e in range(-300, 301, 20):
            s = 10.0 ** e
            got = performance_gap_recovered(y * s, *(p * s for p in preds),
                                            sample_weight=None if w is None
                                            else w * 10.0 ** (-e))
            np.testing.assert_allclose(got, ref, rtol=1e-12, err_msg=str(e))
