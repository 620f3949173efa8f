"""Tests of skw2s.theory._problem: the problem classes and the input checks."""

import numpy as np
import pytest
from _theory_helpers import _orthogonal, _unit, single_thread_blas  # noqa: F401

from skw2s._validation import check_psd, psd_tolerance
from skw2s.theory import (
    optimal_student_alpha,
    ridge_risk,
    student_threshold,
    teacher_qp_ratio,
    w2s_ridge_risk,
)
from skw2s.theory._problem import (
    _DenseProblem,
    _DiagonalProblem,
    _IsotropicProblem,
    _make_problem,
    _RidgeProblem,
    _w2s_problem,
)
from skw2s.theory._risks import _w2s

pytestmark = pytest.mark.usefixtures("single_thread_blas")


def _paths(cov, coef, gt, gs, ta, sa, n, m, s2, paths):
    out = {}
    for path in paths:
        problem = _w2s_problem(cov, coef, gt, gs, path=path)
        out[path] = _w2s(problem, ta, sa, n, m, s2, "fresh")
    return out


@pytest.mark.parametrize("n, m", [(400, 100), (100, 400), (200, 200), (150, 1000)])
def test_isotropic_closed_form_equals_general_paths(n, m):
    d = 200
    ta = np.array([0.0, 0.3, 30.0, 3000.0])[:, None]
    sa = np.array([0.0, 0.1, 10.0, 100.0, 1e4])[None, :]
    coef = 1.3 * _unit(d)
    Q = _orthogonal(d)
    # Sigma = 2 I, G_t = 3 I, G_s = 0.5 I exercises the rescaling of the closed form;
    # the rotated 2-D penalties (diagonal only up to round-off) force the dense path.
    out = _paths(2.0 * np.ones(d), coef, 3.0 * np.ones(d), 0.5 * np.ones(d),
                 ta, sa, n, m, 0.7, ["iso", "diag"])
    dense = _paths(2.0 * np.eye(d), Q @ coef, Q @ (3.0 * np.eye(d)) @ Q.T,
                   Q @ (0.5 * np.eye(d)) @ Q.T, ta, sa, n, m, 0.7, ["dense"])
    out.update(dense)
    ref_t, ref_s = out["iso"]
    finite = np.isfinite(ref_s)
    assert finite.sum() >= 15  # only n = d with alpha_t = 0 is infinite
    for path in ("diag", "dense"):
        rt, rs = out[path]
        np.testing.assert_allclose(rt, ref_t, rtol=1e-10)
        np.testing.assert_allclose(rs[finite], ref_s[finite], rtol=1e-10)
        assert np.array_equal(np.isfinite(rs), finite)


def test_diagonal_path_equals_dense_path_anisotropic():
    d, n, m = 120, 90, 200
    rng = np.random.default_rng(3)
    sig = rng.uniform(0.2, 4.0, d)
    gt, gs = rng.uniform(0.5, 2.0, d), rng.uniform(0.1, 3.0, d)
    coef = rng.standard_normal(d) / np.sqrt(d)
    Bm = np.diag(rng.uniform(0, 2, d)) / d
    Q = _orthogonal(d, seed=5)
    rot = lambda v: Q @ np.diag(v) @ Q.T  # noqa: E731
    ta = np.array([0.0, 5.0, 50.0])[:, None]
    sa = np.array([0.0, 1.0, 20.0, 400.0])[None, :]
    for target, rtarget in [(coef, Q @ coef), (Bm, Q @ Bm @ Q.T)]:
        diag = _paths(sig, target, gt, gs, ta, sa, n, m, 0.4, ["diag"])["diag"]
        dense = _paths(rot(sig), rtarget, rot(gt), rot(gs), ta, sa, n, m, 0.4,
                       ["dense"])["dense"]
        np.testing.assert_allclose(dense[0], diag[0], rtol=1e-9)
        np.testing.assert_allclose(dense[1], diag[1], rtol=1e-9)
        # public API routes a 2-D Sigma with identity penalties to the diagonal
        # path through one eigendecomposition of Sigma
        r1 = ridge_risk([0.0, 7.0], n_samples=n, covariance=rot(sig), coef=rtarget,
                        noise=0.63)
        r2 = ridge_risk([0.0, 7.0], n_samples=n, covariance=sig, coef=target,
                        noise=0.63)
        np.testing.assert_allclose(r1, r2, rtol=1e-9)


def _kw(d=5):
    return dict(covariance=np.ones(d), coef=np.ones(d) / d, noise=1.0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ridge_risk(-1.0, n_samples=10, **_kw()), "alpha"),
        (lambda: ridge_risk([1.0, -1.0], n_samples=10, **_kw()), "alpha"),
        (lambda: ridge_risk(1.0, n_samples=0, **_kw()), "n_samples"),
        (lambda: ridge_risk(1.0, n_samples=-3, **_kw()), "n_samples"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {"noise": -1.0})),
         "noise"),
        (lambda: w2s_ridge_risk(1.0, -2.0, n_teacher=10, n_student=10, **_kw()),
         "student_alpha"),
        (lambda: w2s_ridge_risk(1.0, 1.0, n_teacher=10, n_student=0, **_kw()),
         "n_student"),
        (lambda: w2s_ridge_risk(1.0, 1.0, n_teacher=10, n_student=10,
                                student_inputs="reused", **_kw()),
         "student_inputs"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {"covariance": 2.0})),
         "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10,
                            **(_kw() | {"covariance": -np.ones(5)})), "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10,
                            **(_kw() | {"covariance": np.ones((5, 4))})),
         "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10,
                            **(_kw() | {"covariance": np.ones((2, 5, 5))})),
         "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10,
                            **(_kw() | {"covariance": np.triu(np.ones((5, 5)))})),
         "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {
            "covariance": np.eye(5) - 2 * np.outer(np.ones(5), np.ones(5)) / 5})),
         "positive semi-definite"),
        (lambda: w2s_ridge_risk(1.0, 1.0, n_teacher=10, n_student=10,
                                student_penalty_weights=np.eye(5) + 0.1, **(_kw() | {
            "covariance": np.eye(5) - 2 * np.outer(np.ones(5), np.ones(5)) / 5})),
         "positive semi-definite"),
        (lambda: ridge_risk(1.0, n_samples=10,
                            **(_kw() | {"covariance": [1.0, np.nan, 1, 1, 1]})),
         "covariance"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {"coef": np.ones(4)})),
         "coef"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {"coef": np.ones((5, 4))})),
         "coef"),
        (lambda: ridge_risk(1.0, n_samples=10, **(_kw() | {"coef": -np.eye(5)})),
         "coef"),
        (lambda: ridge_risk(1.0, n_samples=10, penalty_weights=-np.ones(5), **_kw()),
         "penalty_weights"),
        (lambda: ridge_risk(1.0, n_samples=10, penalty_weights=np.ones(3), **_kw()),
         "penalty_weights"),
        (lambda: w2s_ridge_risk(1.0, 1.0, n_teacher=10, n_student=10,
                                student_penalty_weights=np.ones((4, 4)), **_kw()),
         "student_penalty_weights"),
        (lambda: student_threshold(0, 10), "n_student"),
        (lambda: teacher_qp_ratio(-1.0, n_teacher=10, **_kw()), "teacher_alpha"),
        (lambda: optimal_student_alpha(1.0, n_teacher=10, n_student=10,
                                       student_inputs="x", **_kw()),
         "student_inputs"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_singular_full_penalty_in_dense_problem():
    d = 6
    Q = _orthogonal(d, seed=2)
    G = Q @ np.diag([0, 1, 1, 1, 1, 1.0]) @ Q.T
    with pytest.raises(ValueError, match="positive definite"):
        w2s_ridge_risk(1.0, 1.0, n_teacher=10, n_student=10,
                       covariance=np.linspace(1, 2, d), coef=np.ones(d),
                       noise=1.0, student_penalty_weights=G)


# ------------------------------------------------------------ the three classes
@pytest.mark.parametrize(
    "covariance, tpw, spw, expected",
    [
        (np.ones(4), None, None, _IsotropicProblem),
        (2.0 * np.eye(4), 3.0 * np.ones(4), 0.5 * np.eye(4), _IsotropicProblem),
        (np.linspace(1, 2, 4), None, None, _DiagonalProblem),
        (np.ones(4), np.linspace(1, 2, 4), None, _DiagonalProblem),
        (np.diag(np.linspace(1, 2, 4)), None, np.diag([1.0, 0, 2, 3]),
         _DiagonalProblem),
        # zero variance or zero penalty: not isotropic, still diagonal
        (np.zeros(4), None, None, _DiagonalProblem),
        (np.ones(4), None, np.zeros(4), _DiagonalProblem),
        # a full Sigma with penalties g I: diagonal in Sigma's eigenbasis
        (np.eye(4) + 0.1, None, 2.0 * np.ones(4), _DiagonalProblem),
        (np.eye(4) + 0.1, np.linspace(1, 2, 4), None, _DenseProblem),
        (np.linspace(1, 2, 4), None, np.eye(4) + 0.1, _DenseProblem),
    ],
)
def test_factory_picks_the_structure(covariance, tpw, spw, expected):
    problem = _w2s_problem(covariance, np.ones(4), tpw, spw)
    assert type(problem) is expected
    assert isinstance(problem, _RidgeProblem)
    assert problem.n_features == 4


def test_factory_rejects_unknown_path():
    with pytest.raises(ValueError, match="path"):
        _make_problem(np.ones(3), np.ones(3), [(None, "penalty_weights")],
                      path="isotropic")


@pytest.mark.parametrize("target", ["vector", "matrix"])
def test_three_classes_answer_the_same_questions(target):
    # One isotropic problem forced through each class: every question the
    # public functions ask gets the same answer to 1e-10.
    d, n, m, s2 = 80, 120, 60, 0.7
    coef = 1.3 * _unit(d) if target == "vector" else np.eye(d) / d
    args = (2.0 * np.ones(d), coef, 3.0 * np.ones(d), 0.5 * np.ones(d))
    problems = {p: _w2s_problem(*args, path=p) for p in ("iso", "diag", "dense")}
    assert [type(p) for p in problems.values()] == [
        _IsotropicProblem, _DiagonalProblem, _DenseProblem]
    lam = np.array([0.0, 1e-3, 0.2, 5.0])
    sa = np.array([0.0, 1.0, 30.0, 1e3])
    ref = problems["iso"]
    for problem in problems.values():
        assert problem.tr_sigma_b == pytest.approx(ref.tr_sigma_b, rel=1e-12)
        for role in (0, 1):
            assert problem.lambda_scale(role) == pytest.approx(
                ref.lambda_scale(role), rel=1e-10)
        for got, want in zip(problem.teacher_arrays(lam, n, s2),
                             ref.teacher_arrays(lam, n, s2), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-10)
        rt, curve = problem.student_curve(lam, n, m, s2)
        rt_ref, curve_ref = ref.student_curve(lam, n, m, s2)
        np.testing.assert_allclose(rt, rt_ref, rtol=1e-10)
        np.testing.assert_allclose(curve(sa), curve_ref(sa), rtol=1e-10)
        # the optimisers: closed form (iso) against the numeric search
        alpha, risk = problem.optimal_teacher(n, s2)
        assert alpha == pytest.approx(ref.optimal_teacher(n, s2)[0], rel=1e-4)
        assert risk == pytest.approx(ref.optimal_teacher(n, s2)[1], rel=1e-10)
        best = problem.optimal_student(0.01, n, m, s2)
        np.testing.assert_allclose(best, ref.optimal_student(0.01, n, m, s2),
                                   rtol=1e-6)
        for lam_t in (0.01, 0.1, 1.0):
            assert problem.gain_possible(lam_t, n, m, s2) == ref.gain_possible(
                lam_t, n, m, s2)


def test_shared_inputs_only_isotropic():
    d, n = 30, 60
    for path in ("diag", "dense"):
        problem = _w2s_problem(np.ones(d), _unit(d), None, None, path=path)
        with pytest.raises(NotImplementedError, match="isotropic"):
            problem.student_curve(np.array([0.1]), n, n, 1.0, "shared")
    iso = _w2s_problem(np.ones(d), _unit(d), None, None)
    rt, curve = iso.student_curve(np.array([0.1]), n, n, 1.0, "shared")
    assert curve(np.array([1e14]))[0, 0] == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("path", [None, "dense"])
def test_covariance_psd_tolerance_is_check_psds(path):
    # A 2-D covariance is accepted or rejected exactly as check_psd would, though
    # its eigenvalues come from the class's own decomposition.
    d = 10
    Q = _orthogonal(d, seed=6)
    tol = psd_tolerance(2.0, d)
    for factor, ok in [(0.5, True), (3.0, False)]:
        S = Q @ np.diag(np.r_[-factor * tol, np.linspace(1, 2, d - 1)]) @ Q.T
        if ok:
            check_psd(S, name="covariance")
            _make_problem(S, np.ones(d), [(None, "pw")], path=path)
            continue
        with pytest.raises(ValueError, match="positive semi-definite"):
            check_psd(S, name="covariance")
        with pytest.raises(ValueError, match="positive semi-definite"):
            _make_problem(S, np.ones(d), [(None, "pw")], path=path)
