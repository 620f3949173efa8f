"""Fit time and test error of MultiIndexNet versus MLPRegressor at the same width.

Data: ``make_multi_index`` with d = 100, one easy direction (linear link), one
hard direction (He2 link), noise 0.5; n = 20000 training rows, 10000 test rows.
Test MSE is against the noiseless target (the best possible is 0; a constant
predictor scores about 2).

- MultiIndexNet(n_hidden=512): one large first-layer step (learning_rate=1)
  and the closed-form ridge readout (alpha=1); also with 3 steps.
- MLPRegressor(hidden_layer_sizes=(512,), solver="adam", learning_rate_init=1e-3,
  batch_size=200, max_iter=30, early_stopping=False, alpha=1e-4, relu): the
  scikit-learn baseline, trained end to end. max_iter=30 epochs is modest; it
  may warn that it did not converge (the warning is silenced and reported).
  The same with max_iter=1 (one epoch, 100 Adam steps) is a time-matched
  baseline.

Run: ``python benchmarks/bench_multi_index.py``.
"""

import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from skw2s import MultiIndexNet
from skw2s.datasets import make_multi_index

N_TRAIN, N_TEST, D, WIDTH = 20000, 10000, 100, 512


def timed_fit(est, X, y):
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        est.fit(X, y)
    elapsed = time.perf_counter() - t0
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return elapsed, converged


def main():
    X, y, p = make_multi_index(
        N_TRAIN, D, noise=0.5, return_params=True, random_state=0
    )
    X_te, f_te = make_multi_index(N_TEST, D, directions=p.directions, random_state=1)

    models = {
        "MultiIndexNet (1 step)": MultiIndexNet(WIDTH, random_state=0),
        "MultiIndexNet (3 steps)": MultiIndexNet(WIDTH, n_steps=3, random_state=0),
        "MLPRegressor (adam, 1 epoch)": MLPRegressor(
            hidden_layer_sizes=(WIDTH,), solver="adam", learning_rate_init=1e-3,
            batch_size=200, max_iter=1, early_stopping=False, random_state=0,
        ),
        "MLPRegressor (adam, 30 epochs)": MLPRegressor(
            hidden_layer_sizes=(WIDTH,), solver="adam", learning_rate_init=1e-3,
            batch_size=200, max_iter=30, early_stopping=False, random_state=0,
        ),
    }
    rows = {}
    for name, est in models.items():
        elapsed, converged = timed_fit(est, X, y)
        mse = np.mean((est.predict(X_te) - f_te) ** 2)
        rows[name] = (elapsed, mse)
        note = "" if converged else "  (ConvergenceWarning)"
        print(f"{name:32s} fit {elapsed:7.2f} s   test MSE {mse:.3f}{note}")
        if isinstance(est, MultiIndexNet):
            ov = est.subspace_overlap(p.directions, n_components=2)
            print(f"{'':32s} overlap u_easy {ov[0]:.2f}, u_hard {ov[1]:.2f}")
    t_mlp, mse_mlp = rows["MLPRegressor (adam, 30 epochs)"]
    t_mlp1, mse_mlp1 = rows["MLPRegressor (adam, 1 epoch)"]
    for name in ["MultiIndexNet (1 step)", "MultiIndexNet (3 steps)"]:
        t, mse = rows[name]
        print(
            f"{name}: fit time ratio MLPRegressor(30 epochs) / MultiIndexNet ="
            f" {t_mlp / t:.1f}x (test MSE {mse:.3f} vs {mse_mlp:.3f});"
            f" MLPRegressor(1 epoch) / MultiIndexNet = {t_mlp1 / t:.2f}x"
            f" (test MSE {mse:.3f} vs {mse_mlp1:.3f})"
        )


if __name__ == "__main__":
    main()
