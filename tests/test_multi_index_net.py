"""MultiIndexNet: readout, feature learning, pre-training, warm start, bad input."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skw2s import MultiIndexNet, subspace_overlap
from skw2s.datasets import make_multi_index


@pytest.fixture
def data():
    return make_multi_index(300, 10, noise=0.2, return_params=True, random_state=0)


def test_readout_is_closed_form_ridge_on_hidden_features(data):
    X, y, _ = data
    sw = np.random.default_rng(3).uniform(0.5, 2.0, size=len(y))
    net = MultiIndexNet(n_hidden=32, alpha=0.3, random_state=0).fit(
        X, y, sample_weight=sw
    )
    Phi = net.transform(X)
    # independent: hidden features recomputed by hand, normal equations solved here
    W, b = net.hidden_weights_, net.hidden_bias_
    Phi_hand = np.maximum(X @ W.T + b, 0) / np.sqrt(32)
    np.testing.assert_allclose(Phi, Phi_hand, rtol=1e-12)
    m_phi, m_y = np.average(Phi_hand, axis=0, weights=sw), np.average(y, weights=sw)
    Pc, yc = Phi_hand - m_phi, y - m_y
    a = np.linalg.solve(Pc.T @ (sw[:, None] * Pc) + 0.3 * np.eye(32), Pc.T @ (sw * yc))
    np.testing.assert_allclose(net.coef_, a, rtol=1e-7, atol=1e-10)
    assert net.intercept_ == pytest.approx(m_y - m_phi @ a)
    ridge = Ridge(alpha=0.3).fit(Phi, y, sample_weight=sw)
    np.testing.assert_allclose(net.coef_, ridge.coef_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(net.predict(X), Phi @ net.coef_ + net.intercept_)


def test_first_layer_is_one_width_scaled_step(data):
    X, y, _ = data
    net = MultiIndexNet(n_hidden=16, learning_rate=0.7, random_state=1).fit(X, y)
    # re-derive the initialization from the documented recipe
    rng = np.random.RandomState(1)
    W0 = rng.standard_normal((16, 10)) / np.sqrt(10)
    b = rng.standard_normal(16)
    a0 = rng.standard_normal(16) / np.sqrt(16)
    Z = X @ W0.T + b
    r = np.maximum(Z, 0) @ a0 / 4 + y.mean() - y
    grad = ((Z > 0) * r[:, None] * a0 / 4).T @ X / len(y)
    np.testing.assert_allclose(net.hidden_weights_, W0 - 0.7 * 16 * grad, rtol=1e-10)
    np.testing.assert_allclose(net.hidden_bias_, b)
    assert net.n_iter_ == 1 and len(net.loss_curve_) == 2


@pytest.mark.parametrize("seed", range(4))
def test_one_large_step_learns_exponent_one_but_not_exponent_two(seed):
    # d = 50, n = 8 d: random baseline overlap sqrt(1/d) = 0.14
    d, n = 50, 400
    ov = {}
    for link in ["linear", "hermite2"]:
        X, y, p = make_multi_index(
            n, d, n_easy=1, n_hard=0, easy_link=link, noise=0.1,
            return_params=True, random_state=seed,
        )
        net = MultiIndexNet(n_hidden=256, random_state=seed).fit(X, y)
        ov[link] = net.subspace_overlap(p.u_easy, n_components=1)[0]
    # measured over seeds 0-4: linear 0.93-0.96, hermite2 0.07-0.31
    assert ov["linear"] > 0.85
    assert ov["hermite2"] < 0.5


def test_sample_weight_equals_repeated_rows(data):
    X, y, _ = data
    X, y = X[:60], y[:60]
    w = np.random.default_rng(0).integers(0, 3, size=60)
    net_w = MultiIndexNet(n_hidden=16, n_steps=2, random_state=0).fit(
        X, y, sample_weight=w
    )
    net_r = MultiIndexNet(n_hidden=16, n_steps=2, random_state=0).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    np.testing.assert_allclose(net_w.hidden_weights_, net_r.hidden_weights_, rtol=1e-8)
    np.testing.assert_allclose(net_w.predict(X), net_r.predict(X), rtol=1e-6)


def test_float32_is_kept(data):
    X, y, _ = data
    net = MultiIndexNet(n_hidden=16, random_state=0).fit(X.astype(np.float32), y)
    assert net.hidden_weights_.dtype == np.float32
    assert net.predict(X.astype(np.float32)).dtype == np.float32
    assert net.transform(X.astype(np.float32)).dtype == np.float32


def test_init_weights_used_survive_clone_and_grid_search(data):
    X, y, _ = data
    W0 = np.random.default_rng(5).standard_normal((16, 10))
    net = MultiIndexNet(n_hidden=16, learning_rate=0.0, init_weights=W0, random_state=0)
    np.testing.assert_array_equal(net.fit(X, y).hidden_weights_, W0)
    cloned = clone(net)
    np.testing.assert_array_equal(cloned.init_weights, W0)
    search = GridSearchCV(
        net, {"alpha": [0.1, 10.0], "learning_rate": [0.0, 0.5]}, cv=3
    ).fit(X, y)
    for params in search.cv_results_["params"]:
        est = clone(search.estimator).set_params(**params)
        np.testing.assert_array_equal(est.init_weights, W0)
    best = search.best_estimator_
    np.testing.assert_array_equal(best.init_weights, W0)
    if best.learning_rate == 0.0:
        np.testing.assert_array_equal(best.hidden_weights_, W0)
    # W0 was not modified in place by any fit
    W0_again = np.random.default_rng(5).standard_normal((16, 10))
    np.testing.assert_array_equal(W0, W0_again)


@pytest.mark.parametrize("training", ["two_stage", "alternating"])
def test_warm_start_continues(data, training):
    X, y, _ = data
    params = dict(n_hidden=16, learning_rate=0.3, training=training, random_state=0)
    two = MultiIndexNet(n_steps=2, **params).fit(X, y)
    warm = MultiIndexNet(n_steps=1, warm_start=True, **params).fit(X, y)
    W1 = warm.hidden_weights_.copy()
    warm.fit(X, y)
    assert not np.allclose(W1, warm.hidden_weights_)
    np.testing.assert_allclose(warm.hidden_weights_, two.hidden_weights_, rtol=1e-10)
    np.testing.assert_allclose(warm.predict(X), two.predict(X), rtol=1e-8)


def test_alternating_training_lowers_the_loss(data):
    X, y, _ = data
    net = MultiIndexNet(
        n_hidden=32, n_steps=5, learning_rate=0.05, training="alternating",
        random_state=0,
    ).fit(X, y)
    assert np.all(np.diff(net.loss_curve_[1:]) < 0)


def test_is_a_regressor_and_a_transformer():
    from sklearn.base import is_regressor
    from sklearn.utils import get_tags

    net = MultiIndexNet()
    assert is_regressor(net)
    tags = get_tags(net)
    assert tags.estimator_type == "regressor"
    assert tags.regressor_tags is not None and tags.transformer_tags is not None


def test_pipeline_and_transform(data):
    X, y, _ = data
    net = MultiIndexNet(n_hidden=8, random_state=0)
    pipe = make_pipeline(net, Ridge()).fit(X, y)
    assert pipe[-1].coef_.shape == (8,)
    names = net.fit(X, y).get_feature_names_out()
    assert list(names[:2]) == ["multiindexnet0", "multiindexnet1"]


def test_learned_subspace_is_orthonormal(data):
    X, y, p = data
    net = MultiIndexNet(n_hidden=32, random_state=0).fit(X, y)
    B = net.learned_subspace(3)
    np.testing.assert_allclose(B @ B.T, np.eye(3), atol=1e-10)
    np.testing.assert_allclose(
        net.subspace_overlap(p.directions, n_components=3),
        subspace_overlap(net.hidden_weights_, p.directions, n_components=3),
    )
    with pytest.raises(ValueError, match="n_components"):
        net.learned_subspace(0)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"init_weights": np.ones((8, 3))}, "init_weights must have shape"),
        ({"init_weights": np.full((8, 10), np.nan)}, "init_weights"),
        ({"init_weights": np.full((8, 10), np.inf)}, "init_weights"),
        ({"n_hidden": 0}, "n_hidden"),
        ({"n_steps": 0}, "n_steps"),
        ({"n_steps": -1}, "n_steps"),
        ({"activation": "sigmoid"}, "activation"),
        ({"learning_rate": -1.0}, "learning_rate"),
    ],
)
def test_bad_parameters(data, params, match):
    X, y, _ = data
    with pytest.raises(ValueError, match=match):
        MultiIndexNet(**{"n_hidden": 8, **params}).fit(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_X(data, bad):
    X, y, _ = data
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match="X"):
        MultiIndexNet(n_hidden=8).fit(X, y)
    net = MultiIndexNet(n_hidden=8).fit(data[0], y)
    with pytest.raises(ValueError, match="X"):
        net.predict(X)


def test_subspace_overlap_bad_input():
    with pytest.raises(ValueError, match="features"):
        subspace_overlap(np.eye(3), np.ones(4))
    with pytest.raises(ValueError, match="non-zero"):
        subspace_overlap(np.eye(3), np.zeros(3))
    with pytest.raises(ValueError, match="n_components"):
        subspace_overlap(np.eye(3)[:2], np.ones(3), n_components=3)
    with pytest.raises(ValueError, match="directions"):
        subspace_overlap(np.eye(3), [np.nan, 0.0, 1.0])
