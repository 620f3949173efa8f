"""Plain-numpy math of the two-layer network used by :class:`MultiIndexNet`.

The network is ``f(x) = a' s(W x + b) / sqrt(N) + c`` with ``N`` hidden units.
Every function here works on arrays only (no estimator state) and is tested on
its own in ``tests/test_nn_math.py``.
"""

import numpy as np
from scipy import linalg
from scipy.special import erf

from ._ridge_solvers import _check_penalty_weights, solve_weighted_ridge

_SQRT2 = np.sqrt(2.0)
_SQRT_PI = np.sqrt(np.pi)


def _relu(z):
    return np.maximum(z, 0)


def _relu_grad(z):
    return (z > 0).astype(z.dtype)


def _tanh_grad(z):
    t = np.tanh(z)
    return 1 - t * t


def _erf_grad(z):
    return (2 / _SQRT_PI) * np.exp(-z * z)


def _hermite2(z):
    return (z * z - 1) / _SQRT2


def _hermite2_grad(z):
    return _SQRT2 * z


# name -> (activation, derivative)
ACTIVATIONS = {
    "relu": (_relu, _relu_grad),
    "tanh": (np.tanh, _tanh_grad),
    "erf": (erf, _erf_grad),
    "hermite2": (_hermite2, _hermite2_grad),
}


def _activation(name):
    """Return ``(s, s')`` for an activation name; ValueError names the argument."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}; got {name!r}."
        ) from None


def hidden_features(X, W, b, activation):
    """Scaled hidden features ``Phi = s(X W' + b) / sqrt(N)``, shape (n, N)."""
    s, _ = _activation(activation)
    n_hidden = W.shape[0]
    Z = X @ W.T
    Z += b
    H = s(Z)
    H /= np.sqrt(n_hidden)
    return H.astype(X.dtype, copy=False)


def forward(X, W, b, a, c, activation):
    """Network output ``f(x) = a' s(W x + b) / sqrt(N) + c`` for each row of X."""
    return hidden_features(X, W, b, activation) @ a + c


def _normalized_weights(sample_weight, n_samples, dtype):
    if sample_weight is None:
        return np.full(n_samples, 1.0 / n_samples, dtype=dtype)
    sw = np.asarray(sample_weight, dtype=dtype)
    return sw / sw.sum()


def loss_and_grad_first_layer(X, y, W, b, a, c, activation, sample_weight=None):
    """Weighted half mean squared loss and its gradient with respect to ``W``.

    ``L(W) = sum_j w_j (f(x_j) - y_j)^2 / (2 sum_j w_j)`` with the readout
    ``(a, c)`` and the biases ``b`` held fixed. The gradient of row ``i`` is
    ``sum_j w_j r_j a_i s'(w_i' x_j + b_i) x_j / (sqrt(N) sum_j w_j)`` with the
    residual ``r_j = f(x_j) - y_j``.

    Returns
    -------
    loss : float
    grad : ndarray of shape (n_hidden, n_features)
    """
    s, ds = _activation(activation)
    n_hidden = W.shape[0]
    p = _normalized_weights(sample_weight, X.shape[0], X.dtype)
    Z = X @ W.T
    Z += b
    f = (s(Z) @ a) / np.sqrt(n_hidden) + c
    r = f - y
    loss = 0.5 * float(p @ (r * r))
    # (n, N): d f_j / d z_ji times the weighted residual
    G = ds(Z)
    G *= (p * r)[:, None]
    G *= a / np.sqrt(n_hidden)
    grad = G.T @ X
    return loss, grad.astype(X.dtype, copy=False)


def ridge_readout(Phi, y, alpha, sample_weight=None):
    """Closed-form ridge readout on the hidden features, intercept unpenalized.

    Solves ``min_{a, c} sum_j w_j (y_j - Phi_j a - c)^2 + alpha ||a||^2``
    (scikit-learn units: ``alpha`` against the unnormalized squared loss).

    Returns
    -------
    a : ndarray of shape (n_hidden,)
    c : float
    """
    # The same solver as WeightedRidge (identity penalty, unpenalized intercept)
    dtype = Phi.dtype
    a, c, _ = solve_weighted_ridge(
        Phi.astype(np.float64, copy=False),
        np.asarray(y, dtype=np.float64),
        alpha,
        _check_penalty_weights(None, Phi.shape[1]),
        None if sample_weight is None else np.asarray(sample_weight, np.float64),
        True,
        "auto",
    )
    return a.astype(dtype, copy=False), dtype.type(c)


def gradient_step(X, y, W, b, a, c, activation, step, sample_weight=None):
    """One full-batch gradient step ``W <- W - step * N * grad_W L``.

    The factor ``N`` (the width) is the large-step scaling of Ba et al. (2022):
    with ``a_i ~ N(0, 1/N)`` each row moves by ``O(step)`` whatever ``N``.

    Returns
    -------
    W_new : ndarray of shape (n_hidden, n_features)
    loss : float
        The loss before the step.
    """
    loss, grad = loss_and_grad_first_layer(X, y, W, b, a, c, activation, sample_weight)
    n_hidden = W.shape[0]
    return W - (step * n_hidden) * grad, loss


def orthonormal_row_basis(M, n_components=None):
    """Orthonormal basis (rows) of the top ``n_components`` right singular
    directions of ``M``; all non-null directions when ``n_components`` is None."""
    M = np.atleast_2d(np.asarray(M, dtype=np.float64))
    _, sv, Vt = linalg.svd(M, full_matrices=False)
    if n_components is None:
        tol = sv.max(initial=0.0) * max(M.shape) * np.finfo(float).eps
        n_components = int(np.sum(sv > tol))
    return Vt[:n_components]


def projection_overlap(basis, directions):
    """Norm of the projection of each unit direction on the row space of ``basis``.

    ``basis`` must have orthonormal rows. Returns values in [0, 1].
    """
    U = np.atleast_2d(np.asarray(directions, dtype=np.float64))
    U = U / np.linalg.norm(U, axis=1, keepdims=True)
    ov = np.linalg.norm(U @ basis.T, axis=1)
    return np.clip(ov, 0.0, 1.0)
