"""Selecting the student's alpha: WeakToStrongRegressorCV vs GridSearchCV.

Baseline: ``GridSearchCV(WeakToStrongRegressor(WeightedRidge, WeightedRidge),
{"student__alpha": alphas}, cv=5)`` with ``n_jobs=1``, which refits the teacher
and the student for every alpha and fold, then refits the best. Candidate:
``WeakToStrongRegressorCV`` with the same teacher, grid, folds and seed (one
teacher fit and one path decomposition per fold, then the same refit). Both are
timed (wall clock, and process CPU time over all BLAS threads) in the same run.

Peak memory is the ``tracemalloc`` peak of a separate run of each method
(NumPy reports its array allocations to tracemalloc), above what was allocated
before (the data). For the baseline this run uses only 2 alphas: at
``n_jobs=1`` its peak is that of one fit and does not depend on the number of
candidates. It is compared with the size of an n x n (n > d) or d x d (d > n)
float64 matrix, which the path must never build.

Target (issue 6): >= 20x faster with identical selection. Measured on the
shared 2-core machine (one run, load ~3): 20000 x 500: grid 355.5 s, path
3.0 s (118x wall); 2000 x 4000: grid 101.4 s, path 3.4 s (30x wall); same
alpha in both, mean scores equal to 2e-16.

Run: python benchmarks/bench_student_alpha_search.py [--quick] [--shapes 2000x4000]
"""

import argparse
import time
import tracemalloc

import numpy as np
from sklearn.model_selection import GridSearchCV

from skw2s import WeakToStrongRegressor, WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression


def _make(method, alphas, cv, seed):
    teacher = WeightedRidge(alpha=1.0)
    if method == "grid":
        w2s = WeakToStrongRegressor(teacher, WeightedRidge(), random_state=seed)
        return GridSearchCV(w2s, {"student__alpha": list(alphas)}, cv=cv, n_jobs=1)
    return WeakToStrongRegressorCV(teacher, alphas=alphas, cv=cv, random_state=seed)


def _timed_fit(est, X, y):
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(X, y)
    return time.perf_counter() - t0, time.process_time() - c0


def _peak_mb(est, X, y):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    est.fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 2**20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="shapes divided by 4 (smoke test)"
    )
    parser.add_argument(
        "--shapes",
        nargs="+",
        default=["20000x500", "2000x4000"],
        help="n_samples x n_features pairs",
    )
    args = parser.parse_args(argv)
    shapes = [tuple(int(v) for v in s.split("x")) for s in args.shapes]
    if args.quick:
        shapes = [(n // 4, d // 4) for n, d in shapes]
    n_alphas, cv, seed = 50, 5, 0
    print(f"{n_alphas} alphas, {cv} folds, teacher WeightedRidge(alpha=1), "
          "student WeightedRidge, teacher_size=0.5")
    for n, d in shapes:
        X, y = make_w2s_regression(
            n_samples=n, n_features=d, noise=1.0, signal=4.0, random_state=seed
        )
        alphas = np.logspace(-1, 5, n_alphas)
        print(f"\nn = {n}, d = {d}")
        res = {}
        for method in ["grid", "path"]:
            est = _make(method, alphas, cv, seed)
            wall, cpu = _timed_fit(est, X, y)
            res[method] = (est, wall, cpu)
            print(f"  {method:4s}: wall {wall:8.2f} s   cpu {cpu:8.2f} s")
        grid, path = res["grid"][0], res["path"][0]
        same = grid.best_params_["student__alpha"] == path.alpha_
        diff = np.abs(
            grid.cv_results_["mean_test_score"] - path.cv_results_["mean_test_score"]
        ).max()
        print(
            f"  speed-up (grid / path): wall {res['grid'][1] / res['path'][1]:.1f}x"
            f", cpu {res['grid'][2] / res['path'][2]:.1f}x"
        )
        print(
            f"  identical selection: {same} (alpha = {path.alpha_:.4g}); "
            f"max |mean score difference| = {diff:.2e}"
        )
        peak_grid = _peak_mb(_make("grid", alphas[:2], cv, seed), X, y)
        peak_path = _peak_mb(_make("path", alphas, cv, seed), X, y)
        big = max(n, d) ** 2 * 8 / 2**20
        side = "n x n" if n > d else "d x d"
        print(
            f"  tracemalloc peak above the data: grid {peak_grid:.1f} MB, "
            f"path {peak_path:.1f} MB (X itself: {X.nbytes / 2**20:.1f} MB; "
            f"both peaks are mostly row copies of X); one {side} float64 "
            f"matrix = {big:.1f} MB (path peak below it: {peak_path < big})"
        )


if __name__ == "__main__":
    main()
