"""One MLP epoch on a PyTorch device against the NumPy path and the device's matmul floor.

Fits ``MLPBackpropClassifier(hidden_layer_sizes=(100,), batch_size=200,
max_iter=1)`` on 60 000 x 784 float32 data (10 classes) with ``solver="sgd"``
and ``"adam"``: on PyTorch tensors under ``array_api_dispatch`` (CUDA when
available, else the CPU), and on NumPy arrays (skmlp's NumPy path, on this
machine's CPU).  The floor is the five matrix products of every batch
(``X W1``, ``H W2``, ``H^T D2``, ``D2 W2^T``, ``X^T D1``) timed alone on
preallocated tensors on the same device.  Prints one Markdown table; the
goal is an epoch within 2 x the floor.

    python benchmarks/bench_gpu.py            # the full size
    python benchmarks/bench_gpu.py --quick    # 6 000 rows, to check the script

Needs PyTorch (and the project installed); nothing is downloaded.
"""

import argparse
import os
import warnings

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from _harness import backprop_products, markdown_table, median_time  # noqa: E402
from sklearn import config_context  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from skmlp import MLPBackpropClassifier  # noqa: E402


def synchronizer(device):
    """What waits for ``device``'s queued work (CUDA), or None."""
    return torch.cuda.synchronize if device.type == "cuda" else None


def floor(n, d, hidden, k, batch, device):
    """The five products of every batch of an epoch, on preallocated tensors."""
    g = torch.Generator(device="cpu").manual_seed(0)
    X = torch.rand(batch, d, generator=g).to(device)
    W1 = torch.rand(d, hidden, generator=g).to(device)
    W2 = torch.rand(hidden, k, generator=g).to(device)
    H = torch.empty(batch, hidden, device=device)
    O = torch.empty(batch, k, device=device)
    D1 = torch.empty(batch, hidden, device=device)
    G1 = torch.empty(d, hidden, device=device)
    G2 = torch.empty(hidden, k, device=device)

    def epoch():
        for _ in range(n // batch):  # the output's buffer stands in for its gradient
            backprop_products(torch.matmul, X, W1, W2, H, O, O, D1, G1, G2)

    return epoch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="6 000 rows, 2 repeats")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    n, d, hidden, k, batch = (6_000 if args.quick else 60_000), 784, 100, 10, 200
    repeats = args.repeats or (2 if args.quick else 5)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    warnings.simplefilter("ignore", ConvergenceWarning)

    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d), dtype=np.float32)
    y = rng.integers(0, k, n)
    X_t, y_t = torch.asarray(X, device=device), torch.asarray(y, device=device)
    sync = synchronizer(device)
    t_floor = median_time(floor(n, d, hidden, k, batch, device), repeats, sync)

    rows = []
    for solver in ("sgd", "adam"):
        params = dict(
            hidden_layer_sizes=(hidden,),
            batch_size=batch,
            max_iter=1,
            solver=solver,
            learning_rate_init=0.01,
            random_state=0,
        )

        def fit_device(params=params):
            with config_context(array_api_dispatch=True):
                MLPBackpropClassifier(**params).fit(X_t, y_t)

        def fit_numpy(params=params):
            MLPBackpropClassifier(**params).fit(X, y)

        t_dev = median_time(fit_device, repeats, sync)
        t_np = median_time(fit_numpy, repeats)
        rows.append((solver, t_dev, t_np, t_floor))

    name = torch.cuda.get_device_name() if device.type == "cuda" else "CPU"
    print(f"- torch {torch.__version__} on {device} ({name}); numpy {np.__version__}")
    print(f"- {n} x {d} float32 -> {hidden} -> {k}, batch {batch}, medians of {repeats}")
    print()
    columns = [
        "solver",
        f"epoch on {device.type} (s)",
        "NumPy path, CPU (s)",
        f"{device.type} floor (s)",
        "vs floor",
        "vs NumPy",
        "goal",
    ]
    lines = [
        [
            solver,
            f"{t_dev:.4g}",
            f"{t_np:.4g}",
            f"{t_fl:.4g}",
            f"{t_dev / t_fl:.2f}",
            f"{t_dev / t_np:.2f}",
            f"<= 2 x floor: {'met' if t_dev / t_fl <= 2 else 'not met'}",
        ]
        for solver, t_dev, t_np, t_fl in rows
    ]
    print(markdown_table(columns, lines))


if __name__ == "__main__":
    main()
