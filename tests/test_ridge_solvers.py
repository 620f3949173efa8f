"""The ridge building blocks in skw2s._ridge_solvers: preprocessing, penalties,
the solver choice, the path object and the path's test predictions.

Expected values are computed independently (np.linalg.solve) or by another
route through the module that is itself tested against a closed form.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skw2s._ridge_solvers import (
    _check_penalty_weights,
    _path_predictions,
    _preprocess,
    _RidgePath,
    solve_weighted_ridge,
)

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


def _diag_penalty(d, seed=1):
    g = np.random.default_rng(seed).uniform(0.2, 3.0, d)
    g[0] = 0.0  # one unpenalized coefficient
    return g


def _full_penalty(d, seed=2):
    return _spd(d, seed)


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
    desired = np.asarray(desired)
    atol = rtol * max(np.abs(desired).max(), 1e-300)
    assert_allclose(actual, desired, rtol=rtol, atol=atol)


@pytest.mark.parametrize(
    "alpha, n, d, kind, expected",
    [
        (0.0, 40, 10, "identity", "svd"),
        (1.0, 40, 10, "identity", "cholesky"),
        (1.0, 15, 30, "identity", "dual"),
        (1.0, 15, 30, "diagonal", "dual"),
        (1.0, 15, 30, "full", "cholesky"),
    ],
)
def test_solver_choice_auto(alpha, n, d, kind, expected):
    X, y, sw = _data(n, d, seed=3)
    pw = {"identity": None, "diagonal": np.linspace(0.5, 2, d), "full": _spd(d)}[kind]
    penalty = _check_penalty_weights(pw, d)
    coef, intercept, used = solve_weighted_ridge(X, y, alpha, penalty, sw, True, "auto")
    assert used == expected
    if alpha > 0:
        G = np.eye(d) if pw is None else (np.diag(pw) if kind == "diagonal" else pw)
        c, b = _closed_form(X, y, alpha, G, sw)
        _rel_close(coef, c, 1e-8)
        _rel_close(intercept, b, 1e-8)


def test_undetermined_null_space_raises_naming_penalty_weights():
    # an unpenalized coefficient (zero weight) on a column X does not see:
    # the solution is not unique, and the error names penalty_weights
    X, y, _ = _data(15, 30, seed=4)
    X[:, 0] = 0.0
    pw = np.ones(30)
    pw[0] = 0.0
    penalty = _check_penalty_weights(pw, 30)
    with pytest.raises(ValueError, match="penalty_weights"):
        solve_weighted_ridge(X, y, 1.0, penalty, None, True, "cholesky")


@pytest.mark.parametrize("n, d", SHAPES)
@pytest.mark.parametrize("method", ["eigen", "svd"])
def test_ridge_path_object_predict_and_rank(n, d, method):
    X, y, sw = _data(n, d, 2, seed=17)
    Xnew = np.random.default_rng(18).standard_normal((7, d))
    pw = np.random.default_rng(19).uniform(0.5, 2.0, d)
    path = _RidgePath(X, y, sw, pw, True, method=method)
    # never more columns than min(n, d): no n x n object when n > d, no d x d
    # one when d > n
    assert path.B_.shape[0] == d and path.B_.shape[1] <= min(n, d)
    alphas = [0.01, 1.0, 100.0]
    pred = path.predict(Xnew, alphas)
    coef, intercept = path.coefs(alphas)
    assert pred.shape == (3, 7, 2)
    for i, a in enumerate(alphas):
        c, b = _closed_form(X, y, a, np.diag(pw), sw)
        _rel_close(coef[i], c, 1e-8)
        _rel_close(pred[i], Xnew @ c.T + b, 1e-8)


def test_preprocess_weighted_centering_and_no_copy():
    X, y, sw = _data(20, 3, 2, seed=23)
    Xs, ys, xo, yo = _preprocess(X, y, sw, True)
    assert_allclose(xo, np.average(X, axis=0, weights=sw))
    assert_allclose(Xs, (X - xo) * np.sqrt(sw)[:, None])
    assert_allclose(ys, (y - yo) * np.sqrt(sw)[:, None])
    Xs, ys, _, _ = _preprocess(X, y, None, False)
    assert Xs is X and ys is y  # no copy when there is nothing to do


def test_check_penalty_weights_kinds():
    assert _check_penalty_weights(None, 3).kind == "identity"
    p = _check_penalty_weights([1.0, 0.0, 2.0], 3)
    assert p.kind == "diagonal" and p.n_null == 1
    p = _check_penalty_weights(_spd(3), 3)
    assert p.kind == "full" and p.L is not None and p.n_null == 0
    v = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    p = _check_penalty_weights(np.eye(3) - np.outer(v, v), 3)
    assert p.n_null == 1
    assert_allclose(np.abs(p.V0[:, 0]), np.abs(v), atol=1e-12)


@pytest.mark.parametrize("n, d", [(30, 80), (80, 30)])
@pytest.mark.parametrize("penalty", [None, "diag", "diag0", "full"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_path_predictions_equal_ridge_path(n, d, penalty, weighted, fit_intercept):
    """The dual shortcut of _path_predictions equals _RidgePath.predict."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    X_test = rng.standard_normal((7, d))
    sw = rng.uniform(0.1, 2.0, n) if weighted else None
    pw = {
        None: None,
        "diag": rng.uniform(0.2, 3.0, d),
        "diag0": _diag_penalty(d),
        "full": _full_penalty(d),
    }[penalty]
    alphas = [0.0, 0.1, 1.0, 10.0]
    expected = _RidgePath(X, y, sw, pw, fit_intercept).predict(X_test, alphas)
    got = _path_predictions(X, y, X_test, alphas, sw, pw, fit_intercept)
    assert got.shape == (4, 7, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
