"""Tests of skw2s.theory._risks: ridge_risk and w2s_ridge_risk."""

import numpy as np
import pytest
from _theory_helpers import _unit, single_thread_blas  # noqa: F401

from skw2s.theory import (
    ridge_risk,
    teacher_qp_ratio,
    w2s_ridge_risk,
)
from skw2s.theory._marchenko_pastur import (
    mp_stieltjes,
    mp_stieltjes_derivative,
)

pytestmark = pytest.mark.usefixtures("single_thread_blas")


@pytest.mark.parametrize("gamma", [0.5, 2.0])
@pytest.mark.parametrize("lam", [0.01, 0.3, 2.0])
def test_isotropic_teacher_matches_theory_formulas(gamma, lam):
    # THEORY.md: R_t = r2 lam^2 m' + s2 g (m - lam m'), P = r2 (1 - lam m),
    # Q = r2 (1 - 2 lam m + lam^2 m') + s2 g (m - lam m').
    d, r2, s2 = 200, 1.7, 0.6
    n = int(d / gamma)
    m, dm = mp_stieltjes(lam, gamma), mp_stieltjes_derivative(lam, gamma)
    coef = np.sqrt(r2) * _unit(d)
    kw = dict(covariance=np.ones(d), coef=coef, noise=np.sqrt(s2))
    risk = ridge_risk(lam * n, n_samples=n, **kw)
    assert risk == pytest.approx(r2 * lam**2 * dm + s2 * gamma * (m - lam * dm),
                                 rel=1e-10)
    P = r2 * (1 - lam * m)
    Q = r2 * (1 - 2 * lam * m + lam**2 * dm) + s2 * gamma * (m - lam * dm)
    assert teacher_qp_ratio(lam * n, n_teacher=n, **kw) == pytest.approx(Q / P,
                                                                        rel=1e-10)
    # student: R_s = tau2 Q - 2 tau1 P + r2
    for gs, ls in [(0.5, 0.3), (2.0, 0.7)]:
        ms, dms = mp_stieltjes(ls, gs), mp_stieltjes_derivative(ls, gs)
        tau1, tau2 = 1 - ls * ms, 1 - 2 * ls * ms + ls**2 * dms
        m_s = int(d / gs)
        res = w2s_ridge_risk(lam * n, ls * m_s, n_teacher=n, n_student=m_s, **kw)
        assert res.student_risk == pytest.approx(tau2 * Q - 2 * tau1 * P + r2,
                                                 rel=1e-10)


def test_alpha_limits():
    d, n, r2, s2 = 150, 300, 1.2, 0.8
    rng = np.random.default_rng(0)
    sig = rng.uniform(0.5, 2, d)
    coef = np.sqrt(r2) * _unit(d)
    b_sigma_b = coef @ (sig * coef)
    kw = dict(covariance=sig, coef=coef, noise=np.sqrt(s2))
    # alpha -> inf: the zero estimator
    assert ridge_risk(1e13, n_samples=n, **kw) == pytest.approx(b_sigma_b, rel=1e-6)
    res = w2s_ridge_risk(3.0, 1e13, n_teacher=n, n_student=50, **kw)
    assert res.student_risk == pytest.approx(b_sigma_b, rel=1e-6)
    # alpha -> 0 is continuous and ridgeless OLS (d < n) has risk s2 d / (n - d)
    r0 = ridge_risk(0.0, n_samples=n, **kw)
    assert r0 == pytest.approx(s2 * d / (n - d), rel=1e-12)
    assert ridge_risk(1e-7, n_samples=n, **kw) == pytest.approx(r0, rel=1e-6)
    # isotropic over-parameterized ridgeless: r2 (1 - 1/g) + s2 / (g - 1)
    g = 2.5
    iso = dict(covariance=np.ones(d), coef=coef, noise=np.sqrt(s2))
    assert ridge_risk(0.0, n_samples=60, **iso) == pytest.approx(
        r2 * (1 - 1 / g) + s2 / (g - 1), rel=1e-12)
    # anisotropic over-parameterized: continuity at alpha = 0
    assert ridge_risk(0.0, n_samples=60, **kw) == pytest.approx(
        ridge_risk(1e-7, n_samples=60, **kw), rel=1e-5)


def test_ridgeless_student_limits():
    d, r2, s2 = 200, 1.0, 0.5
    kw = dict(covariance=np.ones(d), coef=_unit(d), noise=np.sqrt(s2))
    rt = ridge_risk(20.0, n_samples=250, **kw)
    # over-parameterized ridgeless student: R_t / g_s + r2 (1 - 1 / g_s)
    res = w2s_ridge_risk(20.0, 0.0, n_teacher=250, n_student=80, **kw)
    gs = d / 80
    assert res.student_risk == pytest.approx(rt / gs + r2 * (1 - 1 / gs), rel=1e-12)
    # under-parameterized ridgeless student reproduces the teacher
    res = w2s_ridge_risk(20.0, 0.0, n_teacher=250, n_student=400, **kw)
    assert res.student_risk == pytest.approx(rt, rel=1e-12)
    # a noiseless-label student at m = d, alpha = 0 also copies the teacher
    res = w2s_ridge_risk(20.0, 0.0, n_teacher=250, n_student=d, covariance=np.ones(d),
                         coef=_unit(d), noise=np.sqrt(s2),
                         student_penalty_weights=np.linspace(1, 2, d))
    assert res.student_risk == pytest.approx(rt, rel=1e-9)


def test_broadcasting_shapes():
    d = 50
    kw = dict(n_teacher=100, n_student=80, covariance=np.linspace(1, 2, d),
              coef=_unit(d), noise=1.0)
    res = w2s_ridge_risk(np.array([1.0, 2.0, 3.0])[:, None], np.ones(4), **kw)
    assert res.teacher_risk.shape == res.student_risk.shape == (3, 4)
    assert np.allclose(res.teacher_risk[:, 0], res.teacher_risk[:, 3])
    single = w2s_ridge_risk(2.0, 1.0, **kw)
    assert isinstance(single.student_risk, float)
    assert single.student_risk == pytest.approx(res.student_risk[1, 0], rel=1e-14)
    assert isinstance(ridge_risk(1.0, n_samples=10, covariance=np.ones(d),
                                 coef=_unit(d), noise=1.0), float)


def test_unpenalized_coordinates():
    d, n = 60, 100
    g = np.ones(d)
    g[:5] = 0.0
    kw = dict(covariance=np.linspace(0.5, 2, d), coef=_unit(d), noise=1.0)
    r = ridge_risk([1.0, 10.0], n_samples=n, penalty_weights=g, **kw)
    r_small = ridge_risk([1.0, 10.0], n_samples=n, penalty_weights=g + 1e-9, **kw)
    np.testing.assert_allclose(r, r_small, rtol=1e-6)
    with pytest.raises(ValueError, match="unpenalized"):
        ridge_risk(1.0, n_samples=4, penalty_weights=g, **kw)


def test_shared_inputs_not_isotropic_raises():
    d = 20
    kw = dict(n_teacher=40, n_student=40, coef=_unit(d), noise=1.0,
              student_inputs="shared")
    with pytest.raises(NotImplementedError, match="isotropic"):
        w2s_ridge_risk(1.0, 1.0, covariance=np.linspace(1, 2, d), **kw)
    with pytest.raises(ValueError, match="n_student"):
        w2s_ridge_risk(1.0, 1.0, covariance=np.ones(d), **(kw | {"n_student": 50}))
