"""Tests of skw2s.theory._fixed_point: the kappa fixed point."""

import numpy as np
import pytest
from _theory_helpers import single_thread_blas  # noqa: F401

from skw2s.theory._fixed_point import solve_kappa

pytestmark = pytest.mark.usefixtures("single_thread_blas")


@pytest.mark.parametrize("k, u", [(50, 0), (150, 0), (150, 20)])
def test_solve_kappa_is_the_root(k, u):
    e = np.random.default_rng(0).uniform(0.1, 3.0, 100)
    lam = np.array([0.0, 1e-8, 1e-3, 0.5, 10.0, 1e4])
    kappa = solve_kappa(lam, e, k, u)
    df1 = u + (e[None, :] / (e[None, :] + kappa[:, None])).sum(axis=1)
    if u + e.size > k:
        np.testing.assert_allclose(kappa * (1 - df1 / k), lam, rtol=1e-10, atol=1e-13)
        assert kappa[0] > 0  # ridgeless over-parameterized: tr[...] = k
        assert df1[0] == pytest.approx(k, rel=1e-12)
    else:
        assert kappa[0] == 0
        np.testing.assert_allclose(kappa * (1 - df1 / k), lam, rtol=1e-10)


def test_solve_kappa_too_many_unpenalized():
    with pytest.raises(ValueError, match="unpenalized"):
        solve_kappa(np.array([1.0]), np.ones(5), 10, n_unpenalized=10)
