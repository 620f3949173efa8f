"""skw2s.datasets.make_multi_index."""

import numpy as np
import pytest
from scipy.integrate import quad

from skw2s.datasets import make_multi_index
from skw2s.datasets._multi_index import LINKS


def test_shapes_and_orthonormal_directions():
    X, y, p = make_multi_index(
        50, 12, n_easy=2, n_hard=3, return_params=True, random_state=0
    )
    assert X.shape == (50, 12) and y.shape == (50,)
    assert p.u_easy.shape == (2, 12) and p.u_hard.shape == (3, 12)
    np.testing.assert_allclose(p.directions @ p.directions.T, np.eye(5), atol=1e-12)
    np.testing.assert_array_equal(p.directions, np.vstack([p.u_easy, p.u_hard]))


def test_target_is_sum_of_links_of_projections():
    X, y, p = make_multi_index(
        200, 8, n_easy=2, n_hard=1, easy_link="tanh", hard_link="hermite3",
        return_params=True, random_state=1,
    )
    t = X @ p.directions.T
    expected = np.tanh(t[:, 0]) + np.tanh(t[:, 1]) + (t[:, 2] ** 3 - 3 * t[:, 2]) / (
        np.sqrt(6)
    )
    np.testing.assert_allclose(y, expected)


def test_noise_standard_deviation():
    X, y, p = make_multi_index(
        20000, 5, noise=0.7, return_params=True, random_state=2
    )
    t = X @ p.directions.T
    resid = y - t[:, 0] - (t[:, 1] ** 2 - 1) / np.sqrt(2)
    # s.e. of the sample variance of a Gaussian: s2 sqrt(2 / n)
    assert abs(resid.var() - 0.49) < 4 * 0.49 * np.sqrt(2 / 20000)


def test_directions_passed_back_give_the_same_model():
    _, _, p = make_multi_index(10, 6, return_params=True, random_state=0)
    X2, y2, p2 = make_multi_index(
        30, 6, directions=p.directions, return_params=True, random_state=5
    )
    np.testing.assert_array_equal(p2.directions, p.directions)
    t = X2 @ p.directions.T
    np.testing.assert_allclose(y2, t[:, 0] + (t[:, 1] ** 2 - 1) / np.sqrt(2))


@pytest.mark.parametrize(
    "name, exponent",
    [("linear", 1), ("tanh", 1), ("relu", 1), ("hermite2", 2), ("abs", 2),
     ("hermite3", 3)],
)
def test_links_information_exponent(name, exponent):
    # independent: E[h(t) He_k(t)], t ~ N(0, 1), by adaptive quadrature split at
    # the kink t = 0 of relu/abs
    link = LINKS[name][0]
    assert LINKS[name][1] == exponent

    def moment(k):
        he_k = np.polynomial.hermite_e.HermiteE(np.eye(k + 1)[k])

        def integrand(t):
            return link(np.array(t)) * he_k(t) * np.exp(-t * t / 2) / np.sqrt(2 * np.pi)

        return sum(quad(integrand, lo, hi)[0] for lo, hi in [(-np.inf, 0), (0, np.inf)])

    assert abs(moment(0)) < 1e-8  # centered
    if exponent >= 2:  # hard links are documented to have unit variance

        def square(t):
            return link(np.array(t)) ** 2 * np.exp(-t * t / 2) / np.sqrt(2 * np.pi)

        var = sum(quad(square, lo, hi)[0] for lo, hi in [(-np.inf, 0), (0, np.inf)])
        assert var == pytest.approx(1.0, abs=1e-8)
    for k in range(1, 4):
        if k < exponent:
            assert abs(moment(k)) < 1e-8
        elif k == exponent:
            assert abs(moment(k)) > 0.1


def test_callable_link():
    X, y, p = make_multi_index(
        20, 4, n_hard=0, easy_link=np.sin, return_params=True, random_state=0
    )
    np.testing.assert_allclose(y, np.sin(X @ p.u_easy[0]))


def test_bad_input():
    with pytest.raises(ValueError, match="n_easy \\+ n_hard"):
        make_multi_index(10, 2, n_easy=2, n_hard=1)
    with pytest.raises(ValueError, match="directions must have shape"):
        make_multi_index(10, 4, directions=np.eye(4)[:3])
    with pytest.raises(ValueError, match="orthonormal"):
        make_multi_index(10, 4, directions=2 * np.eye(4)[:2])
    with pytest.raises(ValueError, match="directions"):
        make_multi_index(10, 4, directions=np.full((2, 4), np.nan))
    with pytest.raises(ValueError, match="hard_link"):
        make_multi_index(10, 4, hard_link="square")
    with pytest.raises(ValueError, match="noise"):
        make_multi_index(10, 4, noise=-1.0)
