"""A scaled student: WeakToStrongRegressorCV's pipeline fast path vs GridSearchCV.

Student ``make_pipeline(StandardScaler(), WeightedRidge())``. Baseline:
``GridSearchCV(WeakToStrongRegressor(teacher, student),
{"student__weightedridge__alpha": alphas}, cv=5)`` with ``n_jobs=1``, which
refits the teacher, the scaler and the ridge for every alpha and fold, then
refits the best. Candidate:
``WeakToStrongRegressorCV(teacher, student, alphas=alphas, cv=5)`` with the
same teacher, grid, folds and seed: per fold one teacher fit, one scaler fit
on the student's rows and one decomposition of the ridge path on the scaled
rows (the path student is the pipeline's last step, declared by its private
``_ridge_path_spec()``), then the same refit. Both are timed (wall clock and
process CPU time) in the same run; the selection and the mean scores are
compared.

The features are put on very different scales (column j multiplied by a
factor between 0.1 and 10) so that the scaler matters.

Target (issue 12): >= 10x faster at n = 20000, d = 500, 50 alphas, 5 folds,
identical selection. Measured on the shared 2-core machine (one run, other
jobs running; OMP_NUM_THREADS=1): 20000 x 500: grid 189.7 s, path 6.0 s
(31.6x wall, 28.7x cpu); 5000 x 200: grid 13.1 s, path 0.32 s (41.1x wall);
same alpha in both, mean scores equal to 2e-16.

Run: python benchmarks/bench_pipeline_path.py [--quick] [--shapes 20000x500 5000x200]
"""

import argparse
import time

import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import WeakToStrongRegressor, WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression


def _student():
    return make_pipeline(StandardScaler(), WeightedRidge())


def _make(method, alphas, cv, seed):
    teacher = WeightedRidge(alpha=1.0)
    if method == "grid":
        w2s = WeakToStrongRegressor(teacher, _student(), random_state=seed)
        return GridSearchCV(
            w2s, {"student__weightedridge__alpha": list(alphas)}, cv=cv, n_jobs=1
        )
    return WeakToStrongRegressorCV(
        teacher, _student(), alphas=alphas, cv=cv, random_state=seed
    )


def _timed_fit(est, X, y):
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(X, y)
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="shapes divided by 4 (smoke test)"
    )
    parser.add_argument(
        "--shapes", nargs="+", default=["20000x500"],
        help="n_samples x n_features pairs",
    )
    args = parser.parse_args(argv)
    shapes = [tuple(int(v) for v in s.split("x")) for s in args.shapes]
    if args.quick:
        shapes = [(n // 4, d // 4) for n, d in shapes]
    n_alphas, cv, seed = 50, 5, 0
    print(f"{n_alphas} alphas, {cv} folds, teacher WeightedRidge(alpha=1), student "
          "make_pipeline(StandardScaler(), WeightedRidge()), teacher_size=0.5")
    for n, d in shapes:
        X, y = make_w2s_regression(
            n_samples=n, n_features=d, noise=1.0, signal=4.0, random_state=seed
        )
        X = X * np.geomspace(0.1, 10.0, d)
        alphas = np.logspace(-1, 5, n_alphas)
        print(f"\nn = {n}, d = {d}", flush=True)
        res = {}
        for method in ["path", "grid"]:
            est = _make(method, alphas, cv, seed)
            wall, cpu = _timed_fit(est, X, y)
            res[method] = (est, wall, cpu)
            print(f"  {method:4s}: wall {wall:8.2f} s   cpu {cpu:8.2f} s", flush=True)
        grid, path = res["grid"][0], res["path"][0]
        same = grid.best_params_["student__weightedridge__alpha"] == path.alpha_
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


if __name__ == "__main__":
    main()
