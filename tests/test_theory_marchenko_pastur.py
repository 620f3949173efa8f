"""Tests of skw2s.theory._marchenko_pastur against direct integration."""

import numpy as np
import pytest
from _theory_helpers import _unit, single_thread_blas  # noqa: F401
from scipy import integrate

from skw2s.theory import (
    w2s_ridge_risk,
)
from skw2s.theory._marchenko_pastur import (
    iso_kappa,
    iso_student_shared,
    mp_stieltjes,
    mp_stieltjes_derivative,
)

pytestmark = pytest.mark.usefixtures("single_thread_blas")


def _mp_density(s, g):
    lo, hi = (1 - np.sqrt(g)) ** 2, (1 + np.sqrt(g)) ** 2
    return np.sqrt(max((hi - s) * (s - lo), 0.0)) / (2 * np.pi * g * s), lo, hi


@pytest.mark.parametrize("g", [0.3, 0.9, 1.7])
@pytest.mark.parametrize("lam", [1e-3, 0.2, 3.0])
def test_mp_stieltjes_against_direct_integration(g, lam):
    _, lo, hi = _mp_density(1.0, g)
    atom = max(0.0, 1 - 1 / g)

    def integral(p):
        f = lambda s: _mp_density(s, g)[0] / (s + lam) ** p  # noqa: E731
        return integrate.quad(f, lo, hi, limit=200, epsabs=1e-13)[0] + atom / lam**p

    assert mp_stieltjes(lam, g) == pytest.approx(integral(1), rel=1e-7)
    assert mp_stieltjes_derivative(lam, g) == pytest.approx(integral(2), rel=1e-6)
    # kappa = lambda m / (1 - lambda m) is the isotropic fixed point
    lm = lam * mp_stieltjes(lam, g)
    assert iso_kappa(lam, g) == pytest.approx(lm / (1 - lm), rel=1e-10)


def test_mp_ridgeless_limits():
    assert mp_stieltjes(0.0, 0.5) == pytest.approx(2.0)
    assert np.isinf(mp_stieltjes(0.0, 2.0))
    assert mp_stieltjes_derivative(0.0, 0.5) == pytest.approx(8.0)
    assert iso_kappa(0.0, 0.5) == 0.0
    assert iso_kappa(0.0, 2.5) == pytest.approx(1.5)


def test_shared_inputs_limits_and_partial_fractions():
    d, n, r2, s2 = 200, 300, 1.0, 0.5
    kw = dict(covariance=np.ones(d), coef=_unit(d), noise=np.sqrt(s2),
              student_inputs="shared", n_teacher=n, n_student=n)
    res = w2s_ridge_risk(30.0, [0.0, 1e12], **kw)
    assert res.student_risk[0] == pytest.approx(res.teacher_risk[0], rel=1e-8)
    assert res.student_risk[1] == pytest.approx(r2, rel=1e-6)
    # closed form through m and m' (partial fractions, lambda_s != lambda_t):
    # 1 - f = (lt^2/(s+lt) - ls^2/(s+ls)) / (lt - ls),
    # s h^2 = s^3 / ((s+ls)^2 (s+lt)^2) expanded likewise.
    g, lt, ls = d / n, 0.1, 0.3
    m = lambda x: mp_stieltjes(x, g)  # noqa: E731
    dm = lambda x: mp_stieltjes_derivative(x, g)  # noqa: E731
    cross = (m(ls) - m(lt)) / (lt - ls)  # int 1/((s+ls)(s+lt))
    bias = (lt**4 * dm(lt) + ls**4 * dm(ls) - 2 * lt**2 * ls**2 * cross) / (
        lt - ls) ** 2
    # s/((s+ls)(s+lt)) = (lt/(s+lt) - ls/(s+ls)) / (lt - ls); s h^2 = s * that^2
    # / s^2 * s ... integrate s^3/((s+ls)^2(s+lt)^2) numerically instead:
    f = lambda s: _mp_density(s, g)[0] * s**3 / ((s + ls) ** 2 * (s + lt) ** 2)  # noqa: E731
    _, lo, hi = _mp_density(1.0, g)
    var = integrate.quad(f, lo, hi, limit=200)[0]
    expected = r2 * bias + s2 * g * var
    got = iso_student_shared(lt, ls, g, r2, s2)
    assert got == pytest.approx(expected, rel=1e-8)
