"""Cost of forecast_w2s against compare_w2s on the same data.

Baseline: ``compare_w2s({"t": teacher}, {"s": student}, X, y, cv=5)`` (the
report after training: teacher, W2S student and supervised student
cross-validated on 5 folds). Candidate: ``forecast_w2s(teacher, student, X, y,
random_state=0)`` with its defaults (its own folds, 200 bootstrap resamples,
the plug-in theory for a ridge teacher and a ridge student). Both run in the
same process on the same data, alternating, ``--repeats`` times; the ratio is
that of the median wall times (CPU times are printed too).

Settings (``n`` labeled rows, ``m`` unlabeled rows, ``d`` features):

- ``ridge/ridge``: ``Ridge(alpha=1e-3)`` teacher, ``Ridge(alpha=100)``
  student, regression, n = 200, m = 5000, d = 50 (the forecast also computes
  the plug-in theory);
- ``tree/RidgeCV``: a depth-4 regression tree teacher, ``RidgeCV`` student;
- ``kNN/logistic``: a 10-nearest-neighbours classifier teacher, a
  ``LogisticRegression`` student (soft labels), classification;
- ``frozen/ridge``: a gradient-boosting teacher trained elsewhere (on 2000
  other rows) wrapped in ``FrozenEstimator``, ``Ridge(alpha=100)`` student.

Requirement (the forecast issue): forecast <= 3x compare_w2s.

Run: OMP_NUM_THREADS=1 python benchmarks/bench_forecast.py [--repeats 5] [--quick]
"""

import argparse
import time
import warnings
from functools import partial

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeRegressor

from skw2s.datasets import make_w2s_classification, make_w2s_regression
from skw2s.model_selection import compare_w2s, forecast_w2s


def _regression(n, m, d, seed, extra=0):
    X, y = make_w2s_regression(
        n_samples=n + m + extra, n_features=d, covariance="spiked", signal=4.0,
        noise=1.0, random_state=seed,
    )
    y = y.astype(float)
    y[n:n + m] = np.nan
    return X[:n + m], y[:n + m], X[n + m:], y[n + m:]


def settings(n, m, d):
    """``(name, teacher, student, X, y)`` of every setting."""
    out = []
    X, y, _, _ = _regression(n, m, d, 0)
    out.append(("ridge/ridge", Ridge(alpha=1e-3), Ridge(alpha=100.0), X, y))
    X, y, _, _ = _regression(n, m, d, 1)
    out.append(("tree/RidgeCV", DecisionTreeRegressor(max_depth=4, random_state=0),
                RidgeCV(alphas=np.logspace(-2, 4, 13)), X, y))
    Xc, yc = make_w2s_classification(n_samples=n + m, n_features=d // 2,
                                     random_state=2)
    yc = yc.astype(float)
    yc[n:] = np.nan
    out.append(("kNN/logistic", KNeighborsClassifier(n_neighbors=10),
                LogisticRegression(), Xc, yc))
    X, y, X_src, y_src = _regression(n, m, d, 3, extra=2000)
    source = HistGradientBoostingRegressor(max_iter=50, random_state=0)
    out.append(("frozen/ridge", FrozenEstimator(source.fit(X_src, y_src)),
                Ridge(alpha=100.0), X, y))
    return out


def _timed(call, out, key):
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out[key] = call()
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed runs of each call (median reported)")
    parser.add_argument("--quick", action="store_true",
                        help="m = 1000 and 2 repeats (smoke run)")
    args = parser.parse_args(argv)
    n, m, d = 200, (1000 if args.quick else 5000), 50
    repeats = 2 if args.quick else args.repeats
    print(f"n = {n} labeled, m = {m} unlabeled, d = {d} features; median of "
          f"{repeats} runs, alternating; wall (CPU) seconds")
    print(f"{'setting':<14}{'compare_w2s cv=5':>22}{'forecast_w2s':>22}"
          f"{'ratio':>8}   forecast folds, verdicts")
    for name, teacher, student, X, y in settings(n, m, d):
        times = {"compare": [], "forecast": []}
        out = {}
        calls = {
            "compare": partial(compare_w2s, {"t": teacher}, {"s": student}, X, y,
                               cv=5),
            "forecast": partial(forecast_w2s, teacher, student, X, y,
                                random_state=0),
        }
        for _ in range(repeats):
            for key, call in calls.items():
                times[key].append(_timed(call, out, key))
        med = {k: np.median(np.array(v), axis=0) for k, v in times.items()}
        f = out["forecast"]
        verdict = out["compare"]["best"][0]
        theory = "theory" if f.theory is not None else "no theory"
        print(f"{name:<14}"
              f"{med['compare'][0]:>12.3f} ({med['compare'][1]:6.3f})"
              f"{med['forecast'][0]:>12.3f} ({med['forecast'][1]:6.3f})"
              f"{med['forecast'][0] / med['compare'][0]:>7.2f}x"
              f"   K={f.n_splits}, {theory}; forecast {f.verdict}, report {verdict}")


if __name__ == "__main__":
    main()
