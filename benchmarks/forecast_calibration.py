"""Is forecast_w2s calibrated? Its intervals against realized test errors.

Not a speed benchmark: over many seeds of synthetic ridge problems, runs
``forecast_w2s(Ridge(alpha=t), Ridge(alpha=s), X, y, random_state=seed)`` and
then trains every contender on all the rows and scores it on a fresh test set.

**The problems.** ``x ~ N(0, Sigma)`` in ``d`` dimensions, ``Sigma = Q
diag(e) Q'`` with a power-law spectrum ``e_j ~ j^-1`` (trace ``d``) and a
random rotation ``Q``; ``y = x'b + eps`` with ``b ~ N(0, (r2/d) I)``
(``r2 = 4``, the signal variance) and ``eps ~ N(0, 1)``; ``n`` labeled rows
(50 or 200), ``m = 1500`` unlabeled rows, and ``20000`` test rows. ``Q`` and
``b`` are drawn anew for each seed.

**The settings** (``d`` in {20, 100}, each with both ``n``):

- ``ridgeless/oracle``: an under-regularized teacher (``t = 1e-3``) and the
  student alpha that minimizes the true W2S risk of the theory
  (``skw2s.theory.optimal_student_alpha`` with the true ``Sigma``, prior and
  noise): the case where W2S improves on its teacher;
- ``bayes/oracle``: the Bayes-tuned teacher (``t = d / r2``, the posterior
  mean of the prior above) and the same oracle for that teacher (at least
  ``1e-3``): W2S cannot improve on it;
- ``ridgeless/over``: the under-regularized teacher and a student 100 times
  more regularized than its oracle: W2S is worse than its teacher.

**The realized values** (what the forecast forecasts, trained on all the
rows): the teacher ``Ridge(t)`` on the labeled rows; the W2S student
``WeakToStrongRegressor(Ridge(t), Ridge(s))`` (teacher on the labeled rows,
student on its labels of the unlabeled rows); the supervised student as the
forecast defines it with ``param_grid=None``, a ridge whose alpha is chosen
for the labeled rows by exact leave-one-out (``supervised_err``); and, as a
reference, ``RidgeCV`` over ``logspace(-3, 5, 33)`` on the labeled rows
(``supervised_cv_err``). Errors are test MSEs (``*_err``) and exact
population MSEs ``(b^ - b)' Sigma (b^ - b) + c^2 + 1`` (``*_pop``).

**Recorded per seed** (``results/forecast_calibration.csv``): the forecast's
point and interval of each error and whether the interval covers the realized
test MSE; the verdict against the realized best of the three contenders
(``right``/``wrong``/``undecided``; ``outcome_tie`` when the best and the
second are within 2 paired test standard errors); the plug-in theory's
``best_student_alpha`` against the realized best alpha on the same grid
``theory.student_alphas`` (``Ridge(alpha=a)`` fit on the teacher's labels of
the unlabeled rows, test MSE, argmin), their index difference, the regret
(the realized MSE at the plug-in alpha over the realized best on the grid,
minus 1; the curve is often flat, then "within one grid step" is a lottery
and the regret says more), and the plug-in predicted W2S MSE at ``s``
(``theory.student_mse_at_alpha``) against the realized one.

The summary also gives, per contender, ``z = (forecast - realized) /
(half-width / 1.645)``: mean 0 and s.d. 1 for unbiased, Gaussian-calibrated
90 % intervals; s.d. above 1 means too narrow, below 1 too wide.

Requirement (the forecast issue): coverage of the student's error >= 85 %,
best alpha within one grid step in most seeds.

Run (``OMP_NUM_THREADS=1``; the full run is 12 settings x 50 seeds)::

    python benchmarks/forecast_calibration.py            # full run
    python benchmarks/forecast_calibration.py --quick    # 12 x 4 seeds, no CSV
    python benchmarks/forecast_calibration.py --seeds 100 --out /tmp/c.csv
"""

import argparse
import csv
import math
import os
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import Ridge, RidgeCV

from skw2s import WeakToStrongRegressor
from skw2s.model_selection import forecast_w2s
from skw2s.model_selection._forecast import _SUPERVISED_ALPHAS
from skw2s.model_selection._tuning import tuned
from skw2s.theory import optimal_student_alpha

RESULTS = Path(__file__).resolve().parent / "results"
CONTENDERS = ("teacher", "w2s", "supervised")
FORECAST_KEY = {"teacher": "teacher_error", "w2s": "student_error",
                "supervised": "supervised_error"}
SIGNAL, NOISE, M, N_TEST = 4.0, 1.0, 1500, 20000
RIDGELESS = 1e-3
CV_ALPHAS = np.logspace(-3, 5, 33)
Z90 = 1.6448536269514722  # the normal quantile of a two-sided 90 % interval


# ---------------------------------------------------------------- settings


def spectrum(d):
    e = np.arange(1, d + 1, dtype=float) ** -1.0
    return e * d / e.sum()


def settings():
    """``(name, d, n, teacher_alpha, student_alpha)`` of every setting."""
    out = []
    for d in (20, 100):
        eig = spectrum(d)
        prior = np.eye(d) * SIGNAL / d
        bayes = NOISE**2 * d / SIGNAL
        for n in (50, 200):
            s_ridgeless, s_bayes = (
                max(float(optimal_student_alpha(
                    t, n_teacher=n, n_student=M, covariance=np.diag(eig),
                    coef=prior, noise=NOISE).alpha), 1e-3)
                for t in (RIDGELESS, bayes)
            )
            out += [
                ("ridgeless/oracle", d, n, RIDGELESS, s_ridgeless),
                ("bayes/oracle", d, n, bayes, s_bayes),
                ("ridgeless/over", d, n, RIDGELESS, 100 * s_ridgeless),
            ]
    return out


def draw(setting_id, seed, d, n):
    """``(X, y, X_test, y_test, coef, sigma)``; ``y`` NaN on the unlabeled rows."""
    rng = np.random.default_rng([setting_id, seed])
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    half = q * np.sqrt(spectrum(d))  # Sigma = half @ half.T
    coef = rng.standard_normal(d) * math.sqrt(SIGNAL / d)
    X = rng.standard_normal((n + M, d)) @ half.T
    y = X @ coef + NOISE * rng.standard_normal(n + M)
    y[n:] = np.nan
    X_test = rng.standard_normal((N_TEST, d)) @ half.T
    y_test = X_test @ coef + NOISE * rng.standard_normal(N_TEST)
    return X, y, X_test, y_test, coef, half @ half.T


# ------------------------------------------------------------------ one run


def linear_parts(model):
    return np.asarray(model.coef_, dtype=float), float(model.intercept_)


def run_one(setting_id, seed, name, d, n, t, s):
    X, y, X_test, y_test, coef, sigma = draw(setting_id, seed, d, n)
    row = {"setting": name, "d": d, "n": n, "m": M, "teacher_alpha": t,
           "student_alpha": s, "seed": seed}
    t0 = time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = forecast_w2s(Ridge(alpha=t), Ridge(alpha=s), X, y, random_state=seed)
    row["forecast_cpu_s"] = time.process_time() - t0
    row["n_splits"] = f.n_splits
    row["n_warnings"] = len(caught)
    lab = ~np.isnan(y)
    Xl, yl, Xu = X[lab], y[lab], X[~lab]

    # the realized contenders, trained on all the rows
    w2s = WeakToStrongRegressor(Ridge(alpha=t), Ridge(alpha=s)).fit(X, y)
    teacher = w2s.teacher_
    models = {
        "teacher": teacher,
        "w2s": w2s.student_,
        # as the forecast trains it: a fixed ridge student gets its own alpha
        # for the labeled rows (exact leave-one-out over a wide grid)
        "supervised": tuned(Ridge(alpha=s), {"alpha": list(_SUPERVISED_ALPHAS)},
                            scoring="neg_mean_squared_error").fit(
                                Xl, yl).best_estimator_,
        "supervised_cv": RidgeCV(alphas=CV_ALPHAS).fit(Xl, yl),
    }
    # the realized W2S curve on the theory's grid: Ridge(a) on the teacher's labels
    theory = f.theory
    grid = np.asarray(theory.student_alphas) if theory is not None else np.array([])
    pseudo = teacher.predict(Xu)
    curve = [Ridge(alpha=a).fit(Xu, pseudo) for a in grid]
    parts = [linear_parts(mod) for mod in [*models.values(), *curve]]
    B = np.column_stack([p[0] for p in parts])
    c = np.array([p[1] for p in parts])
    sq = (y_test[:, None] - (X_test @ B + c)) ** 2  # per-row test losses
    test = sq.mean(axis=0)
    dev = B - coef[:, None]
    pop = np.einsum("ij,ik,kj->j", dev, sigma, dev) + c**2 + NOISE**2
    for i, key in enumerate(models):
        row[f"{key}_err"] = test[i]
        row[f"{key}_pop"] = pop[i]

    # coverage of the forecast's intervals
    for key in [*CONTENDERS, "supervised_cv"]:
        fk = FORECAST_KEY["supervised" if key == "supervised_cv" else key]
        lo, hi = f[f"{fk}_low"], f[f"{fk}_high"]
        if key != "supervised_cv":
            row[f"{key}_fc"] = f[fk]
            row[f"{key}_fc_low"], row[f"{key}_fc_high"] = lo, hi
        row[f"{key}_covered"] = int(lo <= row[f"{key}_err"] <= hi)
        row[f"{key}_covered_pop"] = int(lo <= row[f"{key}_pop"] <= hi)

    # the verdict against the realized best of its three contenders
    errs = test[:3]
    order = np.argsort(errs)
    best = CONTENDERS[order[0]]
    diff = sq[:, order[1]] - sq[:, order[0]]
    tie = diff.mean() <= 2 * diff.std(ddof=1) / math.sqrt(N_TEST)
    row.update(verdict=f.verdict, leader=f.leader, realized_best=best,
               outcome_tie=int(tie))
    if f.verdict == "undecided":
        row["verdict_result"] = "undecided"
    else:
        row["verdict_result"] = "right" if f.verdict == best else "wrong"

    # the plug-in theory
    if theory is not None:
        curve_test = test[len(models):]
        i_real = int(np.argmin(curve_test))
        i_pop = int(np.argmin(pop[len(models):]))
        i_plug = int(np.argmin(np.abs(np.log(grid / theory.best_student_alpha))))
        row.update(
            plugin_best_alpha=theory.best_student_alpha,
            realized_best_alpha=grid[i_real],
            alpha_index_diff=i_plug - i_real,
            alpha_within_one=int(abs(i_plug - i_real) <= 1),
            alpha_within_one_pop=int(abs(i_plug - i_pop) <= 1),
            alpha_regret=curve_test[i_plug] / curve_test[i_real] - 1,
            plugin_w2s_mse=theory.student_mse_at_alpha,
            plugin_w2s_relerr=theory.student_mse_at_alpha / row["w2s_err"] - 1,
            plugin_teacher_mse=theory.teacher_mse,
            plugin_teacher_relerr=theory.teacher_mse / row["teacher_err"] - 1,
            plugin_best_mse=theory.best_student_mse,
            realized_best_curve_mse=curve_test[i_real],
        )
    else:
        row["theory_note"] = f.theory_note
    return row


# ------------------------------------------------------------------ summary


def rate(values):
    """``(rate, binomial s.e., count)`` of 0/1 values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.nan, np.nan, 0
    p = v.mean()
    return p, math.sqrt(p * (1 - p) / v.size), v.size


def fmt_rate(values):
    p, se, k = rate(values)
    return f"{100 * p:5.1f} +- {100 * se:4.1f} %" if k else "    n/a"


def summarize(rows):
    groups = {}
    for r in rows:
        groups.setdefault((r["setting"], r["d"], r["n"]), []).append(r)
    keys = ["teacher", "w2s", "supervised"]
    splits = sorted({r["n_splits"] for r in rows})
    print(f"\nforecast_w2s folds: {splits}")
    print("Coverage of the 90 % intervals of the realized "
          "test MSE (rate +- binomial s.e.), verdicts, and the plug-in theory")
    head = (f"{'setting':<17}{'d':>4}{'n':>5}{'seeds':>6}  "
            + "".join(f"{k + ' cover':>18}" for k in keys)
            + f"{'right/wrong/und':>17}{'alpha +-1':>18}{'plug-in rel.err':>17}")
    print(head)
    for (name, d, n), rs in groups.items():
        counts = [sum(r["verdict_result"] == v for r in rs)
                  for v in ("right", "wrong", "undecided")]
        rel = np.array([r.get("plugin_w2s_relerr", np.nan) for r in rs], float)
        print(f"{name:<17}{d:>4}{n:>5}{len(rs):>6}  "
              + "".join(f"{fmt_rate([r[k + '_covered'] for r in rs]):>18}"
                        for k in keys)
              + f"{'/'.join(map(str, counts)):>17}"
              + f"{fmt_rate([r.get('alpha_within_one', np.nan) for r in rs]):>18}"
              + f"{np.nanmean(rel):>+16.3f}")
    print("\nAll settings pooled:")
    for k in keys:
        fc = np.array([r[f"{k}_fc"] for r in rows])
        real = np.array([r[f"{k}_err"] for r in rows])
        lo = np.array([r[f"{k}_fc_low"] for r in rows])
        hi = np.array([r[f"{k}_fc_high"] for r in rows])
        below = np.mean(real < lo)
        above = np.mean(real > hi)
        z = (fc - real) / ((hi - lo) / 2 / Z90)
        print(f"  {k:<10} coverage {fmt_rate([r[k + '_covered'] for r in rows])}"
              f" (population MSE: {fmt_rate([r[k + '_covered_pop'] for r in rows])});"
              f" realized below / above the interval {100 * below:.1f} / "
              f"{100 * above:.1f} %; mean (forecast - realized) / realized "
              f"{np.mean(fc / real - 1):+.3f}; mean half-width / realized "
              f"{np.mean((hi - lo) / 2 / real):.3f}; z = (forecast - realized) / "
              f"(half-width / 1.645): mean {z.mean():+.2f}, s.d. {z.std(ddof=1):.2f}")
    print("  supervised RidgeCV (reference, GCV on another grid): "
          f"covered by supervised_error's interval "
          f"{fmt_rate([r['supervised_cv_covered'] for r in rows])}")
    res = [r["verdict_result"] for r in rows]
    wrong_ties = sum(r["verdict_result"] == "wrong" and r["outcome_tie"]
                     for r in rows)
    und_clear = sum(r["verdict_result"] == "undecided" and not r["outcome_tie"]
                    for r in rows)
    print(f"  verdicts: right {res.count('right')}, wrong {res.count('wrong')} "
          f"({wrong_ties} of them within 2 test s.e. of the realized best), "
          f"undecided {res.count('undecided')} ({und_clear} of them with a "
          "realized best clear by 2 test s.e.)")
    within = [r["alpha_within_one"] for r in rows if "alpha_within_one" in r]
    if within:
        th = [r for r in rows if "alpha_within_one" in r]
        rel = np.array([r["plugin_w2s_relerr"] for r in th])
        relt = np.array([r["plugin_teacher_relerr"] for r in th])
        diffs = np.array([r["alpha_index_diff"] for r in th])
        print(f"  plug-in best alpha within one grid step of the realized best: "
              f"{fmt_rate(within)} (against the population-MSE argmin: "
              f"{fmt_rate([r['alpha_within_one_pop'] for r in th])}); "
              f"index difference plug-in - realized: median {np.median(diffs):+.0f},"
              f" mean {diffs.mean():+.2f}")
        regret = np.array([r["alpha_regret"] for r in th])
        print(f"  realized W2S MSE at the plug-in best alpha over the realized best "
              f"on the grid: median {100 * np.median(regret):.2f} %, 90th percentile "
              f"{100 * np.quantile(regret, 0.9):.2f} %, within 1 %: "
              f"{fmt_rate(regret <= 0.01)}")
        print(f"  plug-in predicted W2S MSE at the student's alpha vs realized: mean "
              f"relative error {rel.mean():+.3f} (mean |.| {np.abs(rel).mean():.3f});"
              f" teacher: {relt.mean():+.3f} (mean |.| {np.abs(relt).mean():.3f})")
    cpu = np.array([r["forecast_cpu_s"] for r in rows])
    print(f"  forecast_w2s CPU time per call: median {np.median(cpu):.3f} s, "
          f"max {cpu.max():.3f} s; calls with warnings: "
          f"{sum(r['n_warnings'] > 0 for r in rows)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="4 seeds per setting, no CSV unless --out (smoke run)")
    parser.add_argument("--seeds", type=int, default=None,
                        help="seeds per setting (default 50, 4 with --quick)")
    parser.add_argument("--out", default=None,
                        help="CSV path (default results/forecast_calibration.csv)")
    args = parser.parse_args(argv)
    n_seeds = args.seeds or (4 if args.quick else 50)
    out = args.out
    if out is None and not args.quick:
        out = RESULTS / "forecast_calibration.csv"
    if os.environ.get("OMP_NUM_THREADS") != "1":
        print("note: set OMP_NUM_THREADS=1 for the measured timings")
    t0, c0 = time.perf_counter(), time.process_time()
    rows = []
    for sid, (name, d, n, t, s) in enumerate(settings()):
        for seed in range(n_seeds):
            rows.append(run_one(sid, seed, name, d, n, t, s))
        print(f"{name:<17} d={d:<4} n={n:<4} t={t:<8.3g} s={s:<9.4g} "
              f"{n_seeds} seeds done ({time.perf_counter() - t0:6.1f} s)", flush=True)
    summarize(rows)
    print(f"\nwall {time.perf_counter() - t0:.1f} s, CPU "
          f"{time.process_time() - c0:.1f} s")
    if out is not None:
        fields = list(dict.fromkeys(k for r in rows for k in r))
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            for r in rows:
                w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v)
                            for k, v in r.items()})
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
