"""Streaming and Dask benchmarks (ratios against baselines measured in the same run).

1. Stream ``--rows`` x ``--features`` float32 rows from a memory-mapped ``.npy``
   through ``WeightedRidge.partial_fit`` in chunks of ``--chunk`` rows: peak
   resident memory of the streaming process, throughput against the machine's
   own ``X'X`` GEMM rate (measured on one chunk, float64 -- the accumulation
   dtype -- and float32), and the coefficients of a streamed subsample against
   an in-memory ``fit`` of the same rows.
2. Frozen teacher -> ``WeightedRidge`` student over the same stream
   (``WeakToStrongRegressor.partial_fit``) against teacher-predict + Gram time.
3. ``WeightedRidge.fit`` on a Dask array held by a 2-worker ``LocalCluster``
   against the in-memory NumPy fit of the same data: same coefficients,
   overhead ratio.

Each measured phase runs in its own process so that its peak RSS (VmHWM) is its
own. The data file is written under ``--dir`` (default: the system's
temporary directory) and deleted at the end.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_streaming.py --rows 5000000
    python benchmarks/bench_streaming.py --rows 500000 --dask-rows 200000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

SEED = 0


def _peak_rss_mib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _chunk(path, start, stop, copy=True):
    """Rows [start, stop) of a .npy through a fresh memory map of that range.

    With ``copy=True`` the map is dropped after the copy; with ``copy=False``
    the map itself is returned and unmapped when the caller drops it. Either
    way mapped pages do not pile up in the process's resident set.
    """
    header = np.load(path, mmap_mode="r")
    shape, dtype, offset = header.shape, header.dtype, header.offset
    del header
    row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * dtype.itemsize
    mm = np.memmap(
        path, dtype=dtype, mode="r", offset=offset + start * row_bytes,
        shape=(stop - start,) + tuple(shape[1:]),
    )
    if not copy:
        return mm
    out = np.array(mm)
    del mm
    return out


def generate(args):
    rng = np.random.default_rng(SEED)
    n, d = args.rows, args.features
    beta = rng.standard_normal(d).astype(np.float32) / np.sqrt(d)
    X = np.lib.format.open_memmap(
        args.x_path, mode="w+", dtype=np.float32, shape=(n, d)
    )
    y = np.lib.format.open_memmap(args.y_path, mode="w+", dtype=np.float32, shape=(n,))
    for a in range(0, n, args.chunk):
        b = min(a + args.chunk, n)
        Xc = rng.standard_normal((b - a, d), dtype=np.float32) + 1.0
        X[a:b] = Xc
        y[a:b] = Xc @ beta + 0.5 * rng.standard_normal(b - a, dtype=np.float32)
        X.flush()
        y.flush()
    np.save(args.beta_path, beta)
    del X, y
    return {}


def _gemm_rates(Xc):
    """Rows per second of X'X on one chunk: float64 (syrk) and float32."""
    out = {}
    for name, A in (("float64", Xc.astype(np.float64)), ("float32", Xc)):
        A.T @ A  # warm-up
        reps, start = 0, time.perf_counter()
        while reps < 3 or time.perf_counter() - start < 1.0:
            A.T @ A
            reps += 1
        out[name] = reps * A.shape[0] / (time.perf_counter() - start)
    return out


def stream(args):
    from skw2s import WeightedRidge

    n = args.rows
    gemm = _gemm_rates(_chunk(args.x_path, 0, min(args.chunk, n)))
    est = WeightedRidge(alpha=1.0)
    start = time.perf_counter()
    for a in range(0, n, args.chunk):
        b = min(a + args.chunk, n)
        est.partial_fit(
            _chunk(args.x_path, a, b, copy=False), _chunk(args.y_path, a, b)
        )
    coef = est.coef_  # the solve happens here
    seconds = time.perf_counter() - start
    peak = _peak_rss_mib()  # before the in-memory subsample check below
    # subsample check: stream the first rows, fit them in memory
    m = min(n, args.check_rows)
    sub = WeightedRidge(alpha=1.0)
    for a in range(0, m, args.chunk // 4):
        b = min(a + args.chunk // 4, m)
        sub.partial_fit(_chunk(args.x_path, a, b), _chunk(args.y_path, a, b))
    Xm = _chunk(args.x_path, 0, m).astype(np.float64)
    ym = _chunk(args.y_path, 0, m).astype(np.float64)
    ref = WeightedRidge(alpha=1.0).fit(Xm, ym)
    del Xm, ym
    beta = np.load(args.beta_path)
    return {
        "rows_per_s": n / seconds,
        "seconds": seconds,
        "gemm64_rows_per_s": gemm["float64"],
        "gemm32_rows_per_s": gemm["float32"],
        "subsample_rows": m,
        "subsample_max_rel_diff": float(
            np.abs(sub.coef_ - ref.coef_).max() / np.abs(ref.coef_).max()
        ),
        "coef_vs_truth_max_abs": float(np.abs(coef - beta).max()),
        "peak_rss_mib": peak,
    }


def stream_w2s(args):
    from sklearn.frozen import FrozenEstimator

    from skw2s import WeakToStrongRegressor, WeightedRidge

    n, d = args.rows, args.features
    rng = np.random.default_rng(SEED + 1)
    beta = np.load(args.beta_path)
    X_lab = rng.standard_normal((2 * d, d)).astype(np.float32) + 1.0
    y_lab = X_lab @ beta + 0.5 * rng.standard_normal(2 * d).astype(np.float32)
    teacher = WeightedRidge(alpha=1e-3).fit(X_lab, y_lab)
    # baseline: teacher predictions + the float64 Gram of every chunk
    start = time.perf_counter()
    for a in range(0, n, args.chunk):
        b = min(a + args.chunk, n)
        Xc = _chunk(args.x_path, a, b, copy=False)
        teacher.predict(Xc)
        X64 = Xc.astype(np.float64)
        X64.T @ X64
    base = time.perf_counter() - start
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge(alpha=10.0))
    start = time.perf_counter()
    for a in range(0, n, args.chunk):
        b = min(a + args.chunk, n)
        w2s.partial_fit(_chunk(args.x_path, a, b, copy=False))
    w2s.student_.coef_  # noqa: B018 - the solve
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "baseline_seconds": base,
        "peak_rss_mib": _peak_rss_mib(),
    }


def dask_fit(args):
    import dask.array as da
    from distributed import Client, LocalCluster

    from skw2s import WeightedRidge

    n, d = args.dask_rows, args.features
    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster, Client(cluster) as client:
        rs = da.random.RandomState(SEED)
        X = (rs.standard_normal((n, d), chunks=(args.chunk, d)) + 1.0).persist()
        beta = np.random.default_rng(SEED).standard_normal(d) / np.sqrt(d)
        y = (X @ beta + 0.5 * rs.standard_normal(n, chunks=args.chunk)).persist()
        client.wait_for_workers(2)
        X_np, y_np = X.compute(), y.compute()
        WeightedRidge(alpha=1.0).fit(X[: args.chunk], y[: args.chunk])  # warm-up
        t_dask, t_np = [], []
        for _ in range(3):  # best of three: the machine is shared
            start = time.perf_counter()
            est = WeightedRidge(alpha=1.0).fit(X, y)
            coef = est.coef_
            t_dask.append(time.perf_counter() - start)
            start = time.perf_counter()
            ref = WeightedRidge(alpha=1.0).fit(X_np, y_np)
            t_np.append(time.perf_counter() - start)
        t_dask, t_np = min(t_dask), min(t_np)
    return {
        "rows": n,
        "dask_seconds": t_dask,
        "numpy_seconds": t_np,
        "max_rel_diff": float(np.abs(coef - ref.coef_).max() / np.abs(ref.coef_).max()),
    }


PHASES = {"generate": generate, "stream": stream, "stream_w2s": stream_w2s,
          "dask": dask_fit}


def _run_phase(name, args):
    cmd = [sys.executable, os.path.abspath(__file__), "--phase", name]
    for key in ("rows", "features", "chunk", "check_rows", "dask_rows", "dir"):
        cmd += [f"--{key.replace('_', '-')}", str(getattr(args, key))]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--features", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--check-rows", type=int, default=200_000)
    parser.add_argument("--dask-rows", type=int, default=500_000)
    parser.add_argument(
        "--dir", default=None,
        help="folder of the temporary data files (default: the system's "
        "temporary directory, tempfile.gettempdir())",
    )
    parser.add_argument("--phase", choices=sorted(PHASES), default=None)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    if args.dir is None:
        args.dir = tempfile.gettempdir()
    tag = f"skw2s_bench_{args.rows}x{args.features}"
    args.x_path = os.path.join(args.dir, tag + "_X.npy")
    args.y_path = os.path.join(args.dir, tag + "_y.npy")
    args.beta_path = os.path.join(args.dir, tag + "_beta.npy")
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return
    os.makedirs(args.dir, exist_ok=True)
    gib = args.rows * args.features * 4 / 2**30
    print(f"rows={args.rows} features={args.features} chunk={args.chunk} "
          f"float32 file={gib:.2f} GiB in {args.dir} "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    try:
        t0 = time.perf_counter()
        _run_phase("generate", args)
        print(f"wrote the memory-mapped data in {time.perf_counter() - t0:.1f} s")
        r = _run_phase("stream", args)
        print("\n[1] WeightedRidge.partial_fit over the stream")
        print(f"    {r['rows_per_s']:,.0f} rows/s ({r['seconds']:.1f} s); "
              f"X'X GEMM on one chunk: float64 {r['gemm64_rows_per_s']:,.0f} "
              f"rows/s, float32 {r['gemm32_rows_per_s']:,.0f} rows/s")
        print(f"    slowdown vs float64 GEMM: "
              f"{r['gemm64_rows_per_s'] / r['rows_per_s']:.2f}x (target <= 1.5); "
              f"vs float32 GEMM: {r['gemm32_rows_per_s'] / r['rows_per_s']:.2f}x")
        print(f"    peak RSS of the streaming process: {r['peak_rss_mib']:.0f} MiB "
              "(target < 1024)")
        print(f"    streamed vs in-memory fit on {r['subsample_rows']} rows: max "
              f"relative coefficient difference {r['subsample_max_rel_diff']:.2e}")
        print(f"    full-stream coefficients vs the generating ones: max abs "
              f"{r['coef_vs_truth_max_abs']:.2e}")
        r = _run_phase("stream_w2s", args)
        print("\n[2] frozen teacher -> WeightedRidge student, WeakToStrongRegressor."
              "partial_fit")
        print(f"    {r['seconds']:.1f} s vs teacher predict + float64 Gram "
              f"{r['baseline_seconds']:.1f} s: ratio "
              f"{r['seconds'] / r['baseline_seconds']:.2f}x (target <= 1.5); "
              f"peak RSS {r['peak_rss_mib']:.0f} MiB")
    finally:
        for p in (args.x_path, args.y_path, args.beta_path):
            if os.path.exists(p):
                os.remove(p)
        print("\n(data files deleted)")
    if not args.skip_dask:
        try:
            r = _run_phase("dask", args)
        except RuntimeError as exc:
            print(f"\n[3] Dask phase failed (is skw2s[dask] installed?):\n{exc}")
            return
        print(f"\n[3] WeightedRidge.fit on a Dask array, 2-worker LocalCluster, "
              f"{r['rows']} x {args.features} float64")
        print(f"    Dask {r['dask_seconds']:.2f} s vs in-memory NumPy "
              f"{r['numpy_seconds']:.2f} s: overhead ratio "
              f"{r['dask_seconds'] / r['numpy_seconds']:.2f}x; max relative "
              f"coefficient difference {r['max_rel_diff']:.2e}")


if __name__ == "__main__":
    tempfile.tempdir = None
    main()
