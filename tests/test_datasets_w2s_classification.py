"""Tests of skw2s.datasets.make_w2s_classification."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm

from skw2s.datasets import make_w2s_classification


def test_shapes_seed_and_coef_first():
    X, y, p = make_w2s_classification(50, 4, return_params=True, random_state=3)
    assert X.shape == (50, 4) and y.shape == (50,) and p.proba.shape == (50, 2)
    X2, y2 = make_w2s_classification(50, 4, random_state=3)
    assert_array_equal(X, X2)
    assert_array_equal(y, y2)
    _, _, p3 = make_w2s_classification(10, 4, return_params=True, random_state=3)
    assert_array_equal(p.coef, p3.coef)


@pytest.mark.parametrize("link", ["logistic", "probit"])
def test_binary_probabilities_are_the_link_of_the_logit(link):
    X, _, p = make_w2s_classification(200, 5, link=link, return_params=True,
                                      random_state=0)
    z = X @ p.coef
    expected = 1 / (1 + np.exp(-z)) if link == "logistic" else norm.cdf(z)
    assert_allclose(p.proba[:, 1], expected)
    assert_allclose(p.proba.sum(axis=1), 1.0)


def test_multiclass_softmax_and_label_frequencies():
    n = 20_000
    X, y, p = make_w2s_classification(n, 3, n_classes=4, return_params=True,
                                      random_state=0)
    z = X @ p.coef
    soft = np.exp(z - z.max(axis=1, keepdims=True))
    assert_allclose(p.proba, soft / soft.sum(axis=1, keepdims=True))
    # labels drawn from proba: each class frequency within 4 s.e. of its mean
    for k in range(4):
        freq = np.mean(y == k)
        mean = p.proba[:, k].mean()
        se = np.sqrt(mean * (1 - mean) / n)
        assert abs(freq - mean) < 4 * se


def test_fixed_coef_and_covariance():
    coef = np.array([2.0, 0.0, -1.0])
    X, _, p = make_w2s_classification(30, 3, coef=coef, covariance=[1.0, 4.0, 0.25],
                                      return_params=True, random_state=0)
    assert_array_equal(p.coef, coef)
    assert_array_equal(p.covariance, [1.0, 4.0, 0.25])


def test_bad_input():
    with pytest.raises(ValueError, match="probit"):
        make_w2s_classification(10, 3, n_classes=3, link="probit")
    with pytest.raises(ValueError, match="coef must have shape"):
        make_w2s_classification(10, 3, coef=np.ones(4))
    with pytest.raises(ValueError, match="NaN or infinite"):
        make_w2s_classification(10, 3, coef=[np.nan, 1.0, 1.0])
