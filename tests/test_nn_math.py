"""The network math of MultiIndexNet, each function on its own."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from skw2s._nn_math import (
    ACTIVATIONS,
    forward,
    gradient_step,
    hidden_features,
    loss_and_grad_first_layer,
    orthonormal_row_basis,
    projection_overlap,
    ridge_readout,
)


def _network(rng, n=30, d=5, N=7):
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    W = rng.standard_normal((N, d)) / np.sqrt(d)
    b = rng.standard_normal(N)
    a = rng.standard_normal(N)
    return X, y, W, b, a, 0.3


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_forward_matches_explicit_sum(rng, activation):
    X, _, W, b, a, c = _network(rng)
    s, _ = ACTIVATIONS[activation]
    N = W.shape[0]
    expected = [
        sum(a[i] * s(W[i] @ x + b[i]) for i in range(N)) / np.sqrt(N) + c for x in X
    ]
    np.testing.assert_allclose(forward(X, W, b, a, c, activation), expected)
    Phi = hidden_features(X, W, b, activation)
    np.testing.assert_allclose(Phi * np.sqrt(N), s(X @ W.T + b))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("weighted", [False, True])
def test_first_layer_gradient_matches_finite_differences(rng, activation, weighted):
    X, y, W, b, a, c = _network(rng)
    sw = rng.uniform(0.5, 2.0, size=len(X)) if weighted else None
    loss, grad = loss_and_grad_first_layer(X, y, W, b, a, c, activation, sw)
    f = forward(X, W, b, a, c, activation)
    p = np.ones(len(X)) if sw is None else sw
    assert loss == pytest.approx(0.5 * np.sum(p * (f - y) ** 2) / p.sum())
    eps = 1e-6
    num = np.zeros_like(W)
    for i in range(W.shape[0]):
        for k in range(W.shape[1]):
            Wp, Wm = W.copy(), W.copy()
            Wp[i, k] += eps
            Wm[i, k] -= eps
            lp = loss_and_grad_first_layer(X, y, Wp, b, a, c, activation, sw)[0]
            lm = loss_and_grad_first_layer(X, y, Wm, b, a, c, activation, sw)[0]
            num[i, k] = (lp - lm) / (2 * eps)
    np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-8)


def test_gradient_step_is_width_scaled(rng):
    X, y, W, b, a, c = _network(rng)
    loss, grad = loss_and_grad_first_layer(X, y, W, b, a, c, "tanh")
    W1, loss1 = gradient_step(X, y, W, b, a, c, "tanh", 0.5)
    assert loss1 == loss
    np.testing.assert_allclose(W1, W - 0.5 * W.shape[0] * grad)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("alpha", [0.0, 0.7])
def test_ridge_readout_matches_augmented_least_squares(rng, weighted, alpha):
    n, N = 40, 6
    Phi = rng.standard_normal((n, N))
    y = rng.standard_normal(n)
    sw = rng.uniform(0.5, 2.0, size=n) if weighted else np.ones(n)
    a, c = ridge_readout(Phi, y, alpha, sw if weighted else None)
    # independent: stack sqrt(w)-scaled rows [Phi, 1] with sqrt(alpha) I rows
    # penalizing only a
    A = np.hstack([Phi, np.ones((n, 1))]) * np.sqrt(sw)[:, None]
    P = np.hstack([np.sqrt(alpha) * np.eye(N), np.zeros((N, 1))])
    sol = np.linalg.lstsq(
        np.vstack([A, P]), np.concatenate([y * np.sqrt(sw), np.zeros(N)]), rcond=None
    )[0]
    np.testing.assert_allclose(a, sol[:N], rtol=1e-8, atol=1e-10)
    assert c == pytest.approx(sol[N], rel=1e-8, abs=1e-10)
    ridge = Ridge(alpha=alpha).fit(Phi, y, sample_weight=sw)
    np.testing.assert_allclose(a, ridge.coef_, rtol=1e-6, atol=1e-9)


def test_ridge_readout_keeps_float32(rng):
    Phi = rng.standard_normal((20, 4)).astype(np.float32)
    a, c = ridge_readout(Phi, rng.standard_normal(20), 1.0)
    assert a.dtype == np.float32
    assert np.asarray(c).dtype == np.float32


def test_orthonormal_row_basis_and_overlap():
    M = np.diag([3.0, 2.0, 1.0, 0.0])
    B = orthonormal_row_basis(M, 2)
    np.testing.assert_allclose(np.abs(B), np.eye(4)[:2], atol=1e-12)
    assert orthonormal_row_basis(M).shape == (3, 4)  # rank 3
    u = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 5.0], [1.0, 0.0, 1.0, 0.0]])
    np.testing.assert_allclose(
        projection_overlap(B, u), [1.0, 0.0, np.sqrt(0.5)], atol=1e-12
    )


def test_random_subspace_overlap_baseline():
    # E ||P u||^2 = k / d for a uniformly random k-dimensional subspace
    rng = np.random.default_rng(1)
    d, k, reps = 60, 4, 400
    u = np.eye(d)[0]
    ov2 = np.array(
        [
            projection_overlap(
                orthonormal_row_basis(rng.standard_normal((k, d))), u
            )[0]
            ** 2
            for _ in range(reps)
        ]
    )
    se = ov2.std(ddof=1) / np.sqrt(reps)
    assert abs(ov2.mean() - k / d) < 4 * se
