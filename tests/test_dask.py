"""Dask: blockwise Gram for WeightedRidge / weighted_ridge_path, joblib fan-out.

Skipped when the ``dask`` extra is missing. One module-scoped LocalCluster
(two single-threaded in-process workers, in-process transport, no dashboard)
serves every test; the benchmark benchmarks/bench_streaming.py uses worker
processes.
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from joblib import parallel_config  # noqa: E402
from sklearn.frozen import FrozenEstimator  # noqa: E402
from sklearn.tree import DecisionTreeRegressor  # noqa: E402

from skw2s import (  # noqa: E402
    WeakToStrongRegressor,
    WeakToStrongRegressorCV,
    WeightedRidge,
    weighted_ridge_path,
)
from skw2s.datasets import make_w2s_regression  # noqa: E402
from skw2s.model_selection import cross_validate_w2s  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        # in-process workers: no slow interpreter start-up; they talk over
        # Dask's in-process transport, so nothing listens on the network
        processes=False,
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = 2 * rng.standard_normal((500, 6)) + 3
    y = X @ rng.standard_normal(6) + rng.standard_normal(500)
    w = rng.uniform(0.5, 2, 500)
    return X, y, w


@pytest.mark.parametrize("penalty_weights", [None, [1.0, 0.0, 2.0, 1.0, 1.0, 3.0]])
def test_weighted_ridge_fit_on_dask_array(client, data, penalty_weights):
    X, y, w = data
    Xd = da.from_array(X, chunks=(120, 3))  # split along both axes
    yd = da.from_array(y, chunks=70)  # not aligned with X's row blocks
    est = WeightedRidge(alpha=3.0, penalty_weights=penalty_weights)
    est.fit(Xd, yd, sample_weight=w)
    ref = WeightedRidge(alpha=3.0, penalty_weights=penalty_weights)
    ref.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-10)
    assert est.n_features_in_ == 6 and est.sufficient_stats_.n_samples == 500
    alphas = [0.0, 1.0, 100.0]
    coefs, intercepts = weighted_ridge_path(
        Xd, yd, alphas, penalty_weights=penalty_weights, sample_weight=w
    )
    ref_c, ref_i = weighted_ridge_path(
        X, y, alphas, penalty_weights=penalty_weights, sample_weight=w
    )
    np.testing.assert_allclose(coefs, ref_c, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(intercepts, ref_i, rtol=1e-9)


def test_dask_bad_input(client, data):
    X, y, _ = data
    Xd = da.from_array(X, chunks=100)
    unknown = Xd[Xd[:, 0] > 3]  # boolean indexing: unknown chunk sizes
    with pytest.raises(ValueError, match="unknown chunk sizes.*compute_chunk_sizes"):
        WeightedRidge().fit(unknown, y[: 10])
    y_nan = y.copy()
    y_nan[7] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        WeightedRidge().fit(Xd, da.from_array(y_nan, chunks=100))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        WeightedRidge().fit(Xd, y[:-1])


def _fanout_results():
    X, y = make_w2s_regression(n_samples=120, n_features=5, random_state=0)
    y_nan = y.copy()
    y_nan[60:] = np.nan
    w2s = WeakToStrongRegressor(
        DecisionTreeRegressor(max_depth=3, random_state=0), WeightedRidge(), cv=3,
        n_jobs=2,
    ).fit(X, y_nan)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-3), alphas=[0.1, 10.0], cv=3, random_state=0,
        n_jobs=2,
    ).fit(X, y)
    scores = cross_validate_w2s(
        WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge(),
                              random_state=0),
        X, y, cv=3, n_jobs=2,
    )
    return (
        w2s.pseudo_labels_,
        search.cv_results_["mean_test_score"],
        scores["test_student_mse"],
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_joblib_dask_backend_identical_results(client):
    local = _fanout_results()
    with parallel_config(backend="dask", n_jobs=2):
        remote = _fanout_results()
    # the tree teacher's pseudo-labels involve no BLAS: bitwise equal
    np.testing.assert_array_equal(local[0], remote[0])
    # the ridge scores: equal up to rounding. loky's worker processes and
    # dask's worker threads run BLAS with different thread counts, which can
    # change the last bit of a reduction (seen once with numpy 1.24: 1.1e-16)
    for a, b in zip(local[1:], remote[1:], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)


def test_fanout_runs_on_the_cluster(client):
    X, y = make_w2s_regression(n_samples=60, n_features=4, random_state=1)
    with distributed.get_task_stream(client) as ts, parallel_config(backend="dask"):
        WeakToStrongRegressorCV(
            WeightedRidge(alpha=1e-3), alphas=[1.0], cv=2, random_state=0, n_jobs=2
        ).fit(X, y)
    workers = {task["worker"] for task in ts.data}
    assert len(ts.data) >= 2 and workers <= set(client.scheduler_info()["workers"])


def test_frozen_teacher_stream_from_dask_blocks(client, data):
    X, y, _ = data
    teacher = WeightedRidge(alpha=1e-3).fit(X[:50], y[:50])
    Xd = da.from_array(X[50:], chunks=(100, 6))
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge())
    for block in Xd.blocks:
        w2s.partial_fit(block.compute())
    ref = WeightedRidge().fit(X[50:], teacher.predict(X[50:]))
    np.testing.assert_allclose(w2s.student_.coef_, ref.coef_, rtol=1e-10)
