"""Tests of skw2s.theory._optimal: optimal_teacher_alpha, optimal_student_alpha."""

import numpy as np
import pytest
from _theory_helpers import _unit, single_thread_blas  # noqa: F401

from skw2s.theory import (
    optimal_student_alpha,
    optimal_teacher_alpha,
    w2s_gain_possible,
)
from skw2s.theory._alpha_search import _minimize_alpha
from skw2s.theory._marchenko_pastur import (
    mp_stieltjes,
    mp_stieltjes_derivative,
)
from skw2s.theory._problem import _w2s_problem

pytestmark = pytest.mark.usefixtures("single_thread_blas")


def _teacher_arrays(problem, lam, n, s2):
    # The helper this test was written against, now a method of the
    # problem classes.
    return problem.teacher_arrays(lam, n, s2)


@pytest.mark.parametrize("lam_t", [0.01, 0.1])
def test_infinite_student_data(lam_t):
    # gamma_s -> 0: lambda_s* = Q/P - 1 and R_s* = r2 - P^2 / Q.
    d, n, r2, s2 = 200, 400, 1.0, 1.0
    kw = dict(covariance=np.ones(d), coef=_unit(d), noise=1.0)
    m_s, dm_s = mp_stieltjes(lam_t, d / n), mp_stieltjes_derivative(lam_t, d / n)
    P = r2 * (1 - lam_t * m_s)
    Q = r2 * (1 - 2 * lam_t * m_s + lam_t**2 * dm_s) + s2 * d / n * (
        m_s - lam_t * dm_s)
    m = 10**10
    best = optimal_student_alpha(lam_t * n, n_teacher=n, n_student=m, **kw)
    assert best.risk == pytest.approx(r2 - P**2 / Q, rel=1e-6)
    assert best.alpha / m == pytest.approx(Q / P - 1, rel=1e-4)


def test_mechanism_2_worked_example():
    d, n, m = 300, 600, 600
    v = _unit(d, seed=7)
    B = 4 * np.outer(v, v) + np.eye(d) / d
    kw = dict(covariance=np.ones(d), coef=B, noise=1.0)
    teacher = optimal_teacher_alpha(n_samples=n, **kw)
    assert teacher.alpha / n == pytest.approx(0.1, abs=5e-4)
    assert teacher.risk == pytest.approx(0.7417, abs=5e-4)
    iso = optimal_student_alpha(teacher.alpha, n_teacher=n, n_student=m, **kw)
    assert iso.risk == pytest.approx(0.7417, abs=5e-4)
    assert not w2s_gain_possible(teacher.alpha, n_teacher=n, n_student=m, **kw)
    Gs = np.linalg.inv(d * B / np.trace(B))
    aligned = optimal_student_alpha(teacher.alpha, n_teacher=n, n_student=m,
                                    student_penalty_weights=Gs, **kw)
    assert aligned.risk == pytest.approx(0.5997, abs=5e-4)
    assert aligned.alpha / m == pytest.approx(0.0684, abs=5e-4)
    assert w2s_gain_possible(teacher.alpha, n_teacher=n, n_student=m,
                             student_penalty_weights=Gs, **kw)


def test_optimal_teacher_closed_form_matches_numeric_search():
    d, n = 200, 500
    coef = 0.8 * _unit(d)
    kw = dict(covariance=2.0 * np.ones(d), coef=coef, noise=0.9)
    best = optimal_teacher_alpha(n_samples=n, penalty_weights=3.0 * np.ones(d), **kw)
    # rescaled closed form: lambda* = s2 gamma / (g r2)
    assert best.alpha == pytest.approx(n * 0.81 * (d / n) / (3.0 * 0.64), rel=1e-12)
    problem = _w2s_problem(2.0 * np.ones(d), coef, 3.0 * np.ones(d), None,
                           path="diag")
    alpha, risk = _minimize_alpha(
        lambda a: _teacher_arrays(problem, a / n, n, 0.81)[0], n, 1.0,
        problem.tr_sigma_b)
    assert alpha == pytest.approx(best.alpha, rel=1e-4)
    assert risk == pytest.approx(best.risk, rel=1e-10)


def test_optimal_alpha_boundaries():
    d = 100
    kw = dict(covariance=np.ones(d), coef=_unit(d), noise=1.0)
    # over-regularized teacher, lots of student data: Q/P - 1 < 0, so alpha = 0
    best = optimal_student_alpha(200.0, n_teacher=100, n_student=10**6, **kw)
    assert best.alpha == 0.0
    # no signal: the zero estimator is optimal
    assert optimal_teacher_alpha(n_samples=50, covariance=np.ones(d),
                                 coef=np.zeros(d), noise=1.0).alpha == np.inf
    best = optimal_teacher_alpha(n_samples=50, covariance=np.linspace(0.5, 1, d),
                                 coef=np.zeros(d), noise=1.0)
    assert best.alpha == np.inf and best.risk == 0.0
    # noiseless over-parameterized teacher: interpolation is optimal (alpha = 0)
    best = optimal_teacher_alpha(n_samples=50, covariance=np.linspace(0.5, 1, d),
                                 coef=_unit(d), noise=0.0)
    assert best.alpha < 1e-3 * 50
