"""Benchmark of skw2s.theory against Monte Carlo with the estimators.

Times
1. a 200-point student-alpha curve at d = 1000 with a general (non-diagonal)
   Sigma, an identity teacher penalty and a diagonal student penalty (the dense
   path: two eigendecompositions, then O(d) per student alpha);
2. a 10,000-point curve in the isotropic model (Marchenko-Pastur closed forms);
3. a Monte Carlo estimate of curve 1 (teacher and student refit per trial)
   with skw2s.WeightedRidge, and with scikit-learn's Ridge on the equivalently
   rescaled features as the baseline. Only a few (alpha, trial) fits are timed;
   the cost of the full curve (200 alphas x 20 trials) is extrapolated
   linearly from them, and the printout says so.

Run: python benchmarks/bench_theory.py
"""

import time

import numpy as np
from sklearn.linear_model import Ridge

from skw2s import WeightedRidge
from skw2s.theory import w2s_ridge_risk

D, N, M = 1000, 2000, 1500
N_ALPHAS, N_TRIALS = 200, 20
rng = np.random.default_rng(0)
Q, _ = np.linalg.qr(rng.standard_normal((D, D)))
eig = np.arange(1, D + 1, dtype=float) ** -0.5
eig *= D / eig.sum()
SIGMA = (Q * eig) @ Q.T
SIGMA_HALF = (Q * np.sqrt(eig)) @ Q.T
COEF = rng.standard_normal(D) / np.sqrt(D)
G_S = rng.uniform(0.5, 2.0, D)
NOISE, TEACHER_ALPHA = 1.0, 50.0
STUDENT_ALPHAS = np.logspace(-1, 4, N_ALPHAS)


def best_of(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def general_curve():
    return w2s_ridge_risk(TEACHER_ALPHA, STUDENT_ALPHAS, n_teacher=N, n_student=M,
                          covariance=SIGMA, coef=COEF, noise=NOISE,
                          student_penalty_weights=G_S)


def same_penalty_curve():
    return w2s_ridge_risk(TEACHER_ALPHA, STUDENT_ALPHAS, n_teacher=N, n_student=M,
                          covariance=SIGMA, coef=COEF, noise=NOISE,
                          teacher_penalty_weights=G_S, student_penalty_weights=G_S)


def iso_curve():
    return w2s_ridge_risk(TEACHER_ALPHA, np.logspace(-2, 5, 10_000), n_teacher=N,
                          n_student=M, covariance=np.ones(D),
                          coef=np.full(D, 1 / np.sqrt(D)), noise=NOISE)


def monte_carlo(make_student, alphas, n_trials, seed=0):
    """Student risks for ``alphas`` x ``n_trials``; returns (risks, seconds)."""
    r = np.random.default_rng(seed)
    risks = np.empty((n_trials, len(alphas)))
    t0 = time.perf_counter()
    for t in range(n_trials):
        X = r.standard_normal((N, D)) @ SIGMA_HALF
        y = X @ COEF + NOISE * r.standard_normal(N)
        teacher = WeightedRidge(TEACHER_ALPHA, fit_intercept=False).fit(X, y)
        Xs = r.standard_normal((M, D)) @ SIGMA_HALF
        ys = teacher.predict(Xs)
        for j, a in enumerate(alphas):
            coef = make_student(a, Xs, ys)
            diff = coef - COEF
            risks[t, j] = diff @ SIGMA @ diff
    return risks, time.perf_counter() - t0


def skw2s_student(a, Xs, ys):
    return WeightedRidge(a, penalty_weights=G_S, fit_intercept=False).fit(Xs, ys).coef_


def sklearn_student(a, Xs, ys):
    # alpha * b' diag(g) b is plain ridge on the features X / sqrt(g).
    scale = 1.0 / np.sqrt(G_S)
    return Ridge(a, fit_intercept=False).fit(Xs * scale, ys).coef_ * scale


if __name__ == "__main__":
    general_curve()  # warm-up (imports, caches)
    t_gen, res = best_of(general_curve)
    t_iso, _ = best_of(iso_curve)
    t_eigh, _ = best_of(lambda: np.linalg.eigh(SIGMA))
    t_same, _ = best_of(same_penalty_curve)
    mc_alphas = STUDENT_ALPHAS[[50, 100, 150]]
    mc_trials = 2
    risks, t_mc = monte_carlo(skw2s_student, mc_alphas, mc_trials)
    _, t_sk = monte_carlo(sklearn_student, mc_alphas, mc_trials)
    n_fits = len(mc_alphas) * mc_trials
    full = N_ALPHAS * N_TRIALS / n_fits
    t_mc_full, t_sk_full = t_mc * full, t_sk * full

    print(f"d = {D}, n_teacher = {N}, n_student = {M}")
    print(f"theory, general Sigma, diagonal student penalty, {N_ALPHAS} alphas: "
          f"{t_gen:.3f} s  (target < 0.5 s)")
    print(f"  reference: one numpy eigh of Sigma {t_eigh:.3f} s; the dense path needs "
          f"two (teacher and student bases): theory / eigh = {t_gen / t_eigh:.1f}")
    print(f"theory, same diagonal penalty for teacher and student (one basis), "
          f"{N_ALPHAS} alphas: {t_same:.3f} s")
    print(f"theory, isotropic closed form, 10,000 alphas: {1e3 * t_iso:.1f} ms  "
          f"(target < 20 ms)")
    print(f"Monte Carlo, measured: {n_fits} (alpha, trial) student fits + "
          f"{mc_trials} teacher fits: skw2s.WeightedRidge {t_mc:.2f} s, "
          f"sklearn Ridge {t_sk:.2f} s")
    print(f"Monte Carlo, EXTRAPOLATED linearly to {N_ALPHAS} alphas x {N_TRIALS} "
          f"trials: WeightedRidge {t_mc_full:.0f} s, sklearn Ridge {t_sk_full:.0f} s")
    print(f"ratio Monte Carlo (sklearn Ridge) / theory: {t_sk_full / t_gen:.0f}x")
    print(f"ratio Monte Carlo (WeightedRidge) / theory: {t_mc_full / t_gen:.0f}x")
    se = risks.std(axis=0, ddof=1) / np.sqrt(mc_trials)
    for a, th, mc, s in zip(mc_alphas, res.student_risk[[50, 100, 150]],
                            risks.mean(axis=0), se, strict=True):
        print(f"  student alpha {a:9.2f}: theory {th:.4f}  MC ({mc_trials} trials) "
              f"{mc:.4f} +- {s:.4f}")
