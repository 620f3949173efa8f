"""The demo behind ``python -m skw2s`` (grows as capabilities land)."""

import argparse
import time

import numpy as np
from sklearn.linear_model import Ridge

from ._weighted_ridge import WeightedRidge


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m skw2s",
        description="A short demo of weak-to-strong generalization on synthetic data.",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    X = rng.standard_normal((2000, 200))
    y = X @ rng.standard_normal(200) / np.sqrt(200) + rng.standard_normal(2000)
    t0 = time.perf_counter()
    a = WeightedRidge(alpha=10.0).fit(X, y)
    b = Ridge(alpha=10.0).fit(X, y)
    diff = np.max(np.abs(a.coef_ - b.coef_))
    print(f"WeightedRidge vs Ridge: max |coef diff| = {diff:.2e} "
          f"({time.perf_counter() - t0:.2f} s)")
    return 0
