"""Tests of skw2s.theory._gain: the Q/P ratio, the threshold, w2s_gain_possible."""

import numpy as np
import pytest
from _theory_helpers import _unit, single_thread_blas  # noqa: F401

from skw2s.theory import (
    optimal_student_alpha,
    ridge_risk,
    student_threshold,
    teacher_qp_ratio,
    w2s_gain_possible,
)
from skw2s.theory._marchenko_pastur import (
    mp_stieltjes,
    mp_stieltjes_derivative,
)

pytestmark = pytest.mark.usefixtures("single_thread_blas")


@pytest.mark.parametrize(
    "lam_t, r_t, qp, rows",
    [
        (0.01, 0.9273, 1.926, [(1e-9, 0.926, 0.4908), (0.5, 0.709, 0.5587),
                               (2.0, 1.417, 0.7793)]),
        (0.1, 0.6036, 1.535, [(1e-9, 0.535, 0.4450), (0.5, 0.291, 0.4861),
                              (2.0, None, 0.7431)]),
        (0.5, 0.4142, 1.000, [(1e-9, None, None), (0.5, None, None),
                              (2.0, None, None)]),
    ],
)
def test_theory_worked_table(lam_t, r_t, qp, rows):
    d = 300
    n = 2 * d
    kw = dict(covariance=np.ones(d), coef=_unit(d), noise=1.0)
    assert ridge_risk(lam_t * n, n_samples=n, **kw) == pytest.approx(r_t, abs=5e-4)
    assert teacher_qp_ratio(lam_t * n, n_teacher=n, **kw) == pytest.approx(
        qp, abs=5e-4)
    for gs, lam_s, r_s in rows:
        m = int(round(d / gs))
        best = optimal_student_alpha(lam_t * n, n_teacher=n, n_student=m, **kw)
        possible = w2s_gain_possible(lam_t * n, n_teacher=n, n_student=m, **kw)
        if r_s is None:  # no gain
            assert best.risk >= best.teacher_risk * (1 - 1e-9)
            assert not possible
            continue
        assert best.risk == pytest.approx(r_s, abs=5e-4)
        if lam_s is None:  # "best 0.7431 > R_t: no W2S"
            assert best.risk > best.teacher_risk and not possible
        else:
            assert best.alpha / m == pytest.approx(lam_s, abs=5e-4)
            assert possible


@pytest.mark.parametrize("gs", [0.5, 1.0, 1.5, 2.0, 8.0])
def test_student_threshold_is_min_of_g(gs):
    lam = np.logspace(-6, 3, 20001)
    m, dm = mp_stieltjes(lam, gs), mp_stieltjes_derivative(lam, gs)
    tau1, tau2 = 1 - lam * m, 1 - 2 * lam * m + lam**2 * dm
    g = 2 * (1 - tau1) / (1 - tau2)
    d = 600
    thr = student_threshold(int(round(d / gs)), d)
    assert g.min() >= thr * (1 - 1e-12)
    if gs <= 1.0:
        # infimum at lambda_s -> 0 (approached like sqrt(lambda_s) at gs = 1)
        assert np.argmin(g) == 0 and g.min() == pytest.approx(thr, abs=1e-3)
    else:
        assert g.min() == pytest.approx(thr, rel=1e-6)
    if gs > 1:
        assert lam[np.argmin(g)] == pytest.approx(gs - 1, rel=2e-3)


def test_student_threshold_values_and_arrays():
    assert student_threshold(400, 200) == 1.0
    assert student_threshold(200, 200) == pytest.approx(4 / 3)
    out = student_threshold(np.array([400, 100, 1]), 200)
    assert out.shape == (3,) and out[1] == pytest.approx(4 / (3 - np.sqrt(0.5)))
    assert out[2] < 2
