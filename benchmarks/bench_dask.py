"""Data-parallel full-batch training on a Dask cluster against one process.

Run from the repository root (needs ``pip install -e ".[dask]"``)::

    python benchmarks/bench_dask.py             # 1M x 100, about two minutes
    python benchmarks/bench_dask.py --rows 200000

An ``MLPBackpropClassifier(solver="lbfgs")`` is fitted for a fixed number of
iterations on the same data twice: in memory in this process, and as a Dask
array held (persisted) by a two-worker ``LocalCluster`` on 127.0.0.1, where
each iteration sums the core's ``data_terms`` over the blocks on the
workers.  The table gives both times, their ratio, the largest relative
difference of the coefficients, and the client's peak memory during the
Dask fit (``tracemalloc``) against the array's size.
"""

import argparse
import warnings

import numpy as np
from _harness import markdown_table, timed, traced


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=10)
    args = parser.parse_args(argv)

    import dask.array as da
    import distributed

    from skmlp import MLPBackpropClassifier

    n, m = args.rows, args.features
    chunk = max(n // 8, 1)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, m))
    y = (X @ np.linspace(-1, 1, m) + 0.5 * rng.standard_normal(n) > 0).astype(int)

    def make():
        return MLPBackpropClassifier(
            hidden_layer_sizes=(10,), solver="lbfgs", max_iter=args.iterations, random_state=0
        )

    def fit(X, y):
        return make().fit(X, y)

    warnings.simplefilter("ignore")
    memory, t_memory = timed(fit, X, y)

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        Xd = client.persist(da.from_array(X, chunks=(chunk, m)))
        yd = client.persist(da.from_array(y, chunks=chunk))
        distributed.wait([Xd, yd])
        del X
        make().fit(Xd[:1000], yd[:1000])  # imports and caches
        cluster_fit, t_cluster, peak = traced(fit, Xd, yd)

    diff = max(
        float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
        for a, b in zip(cluster_fit._network().params, memory._network().params)
    )
    nbytes = n * m * 8
    columns = [
        "data",
        "in memory (s)",
        "2-worker LocalCluster (s)",
        "ratio",
        "n_iter_",
        "max rel. coef diff",
        "client peak",
    ]
    line = [
        f"{n:,} x {m} f64, {n // chunk} blocks",
        f"{t_memory:.2f}",
        f"{t_cluster:.2f}",
        f"{t_cluster / t_memory:.2f}",
        f"{cluster_fit.n_iter_} vs {memory.n_iter_}",
        f"{diff:.1e}",
        f"{peak / 1e6:.1f} MB ({peak / nbytes:.4f} x X)",
    ]
    print(markdown_table(columns, [line]))


if __name__ == "__main__":
    main()
