"""Fit time of skw2s.WeightedRidge relative to sklearn.linear_model.Ridge.

For each shape, the baseline is Ridge's fastest solver among "auto", "cholesky"
and "svd" (median of the repeats; a solver whose first run is more than 3x the
best so far is not repeated: it cannot be the fastest). WeightedRidge is timed
with the identity, a diagonal and a full penalty matrix; the ratio is always
against Ridge's identity fit (Ridge cannot fit the other two).

Targets (issue 2): ratio <= 1.2 for identity/diagonal and <= 1.5 for full at
(20000, 1000); <= 1.0 at (2000, 4000).

Run: python benchmarks/bench_weighted_ridge.py [--repeats 5]
"""

import argparse
import time

import numpy as np
from sklearn.linear_model import Ridge

from skw2s import WeightedRidge


def _fit_time(est, X, y):
    """Wall-clock and process CPU time (all BLAS threads) of one fit."""
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(X, y)
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    alpha = 10.0
    rows = []
    for n, d in [(20000, 1000), (2000, 4000)]:
        X = rng.standard_normal((n, d))
        y = X @ rng.standard_normal(d) / np.sqrt(d) + rng.standard_normal(n)
        A = rng.standard_normal((d, d))
        penalties = {
            "identity": None,
            "diagonal": rng.uniform(0.5, 2.0, d),
            "full": A @ A.T / d + np.eye(d),
        }
        del A
        makers = {
            f"Ridge {s}": (lambda s=s: Ridge(alpha=alpha, solver=s))
            for s in ["auto", "cholesky", "svd"]
        }
        makers.update(
            {
                name: (lambda pw=pw: WeightedRidge(alpha=alpha, penalty_weights=pw))
                for name, pw in penalties.items()
            }
        )
        times = {k: [] for k in makers}
        solvers = {}
        # Interleaved rounds: every candidate is timed once per round, so a
        # change of machine load hits all of them alike.
        keys = list(makers)
        for rnd in range(args.repeats):
            # rotate the order each round so no candidate always runs first
            for key in keys[rnd % len(keys) :] + keys[: rnd % len(keys)]:
                make = makers[key]
                if key.startswith("Ridge") and times[key]:
                    best_first = min(
                        v[0][0] for k, v in times.items() if k.startswith("Ridge")
                    )
                    if times[key][0][0] > 3 * best_first:
                        continue  # cannot be the fastest: do not repeat
                est = make()
                times[key].append(_fit_time(est, X, y))
                if not key.startswith("Ridge"):
                    solvers[key] = est.solver_
        wall = {k: float(np.median([t[0] for t in v])) for k, v in times.items()}
        cpu = {k: float(np.median([t[1] for t in v])) for k, v in times.items()}
        best = min((k for k in wall if k.startswith("Ridge")), key=wall.get)
        for name in penalties:
            rows.append(
                (
                    n,
                    d,
                    name,
                    solvers[name],
                    wall[name],
                    best.split()[1],
                    wall[best],
                    wall[name] / wall[best],
                    cpu[name] / cpu[best],
                )
            )
        del X
    header = (
        f"{'n':>6} {'d':>5} {'Gamma':>9} {'solver_':>8} {'WR [s]':>8} "
        f"{'Ridge':>9} {'Ridge [s]':>9} {'ratio':>6} {'cpu ratio':>9}"
    )
    print(
        f"median of {args.repeats} interleaved repeats; ratio = wall-clock "
        "WeightedRidge / Ridge(best); cpu ratio = same with process CPU time"
    )
    print(header)
    print("-" * len(header))
    for n, d, name, solver, t, bname, b, ratio, cratio in rows:
        print(
            f"{n:>6} {d:>5} {name:>9} {solver:>8} {t:>8.3f} "
            f"{bname:>9} {b:>9.3f} {ratio:>6.2f} {cratio:>9.2f}"
        )


if __name__ == "__main__":
    main()
