"""Speed and memory of skmlp against its peers, as one Markdown table.

Run from the repository root::

    python benchmarks/bench.py               # full run, 5 repeats (several minutes)
    python benchmarks/bench.py --quick       # small data, 2 repeats, well under a minute
    python benchmarks/bench.py --rows 1,3    # only some rows (1-10)
    python benchmarks/bench.py --repeats 9   # more repeats
    python benchmarks/bench.py --blas-threads 1  # single-threaded BLAS (threadpoolctl)
    python benchmarks/bench.py --budget 120  # seconds of timing allowed per row

Every row times skmlp and its peer (scikit-learn, or a "floor" made of the
matrix products the computation cannot avoid) in the same process,
interleaved (skmlp, peer, skmlp, peer, ...), after one warm-up call of each,
and quotes the medians and the ratio skmlp / peer next to the goal, marked
"met" or "not met" (the footnotes give the rules; row 8's "linear in n" is
met at an n when skmlp's time per sample there is at most 1.5 x that at the
smallest n).  The "#" column is the row's number, as in ``--rows`` and the
footnotes.  Each fit uses a fresh estimator.  The data are generated
(``np.random.default_rng(0)``).

Rows whose skmlp side loops over samples in Python (the perceptron, Adaline
with ``batch_size=1``) have a time budget (``--budget``): when a fit on all
rows would not fit in it, skmlp is timed on a prefix of the rows and its time
per epoch is scaled to the full data, which the row's data column says.

Row 9 fits the MLP on Fortran-ordered input (a ``pandas.DataFrame`` built
column by column, when pandas is installed, and ``np.asfortranarray``); row 10
fits the Perceptron on a sparse CSR ``X``.

Peak memory (row 7) is measured with ``tracemalloc`` (which sees NumPy's
allocations) in a fresh subprocess, ``python benchmarks/bench.py
--memory-probe {skmlp,sklearn}``.

The quick mode asserts nothing about time; it only keeps the script working.
Progress goes to stderr; the header and the table go to stdout.
"""

import argparse
import contextlib
import datetime
import functools
import gc
import importlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings

import numpy as np
import scipy
import scipy.sparse
import sklearn
import threadpoolctl
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Perceptron, SGDClassifier
from sklearn.neural_network import MLPClassifier

import skmlp
from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

#: Data sizes: (full, quick).
MLP_SHAPE = {"full": (60_000, 784), "quick": (2_000, 64)}
LINEAR_SHAPE = {"full": (100_000, 100), "quick": (2_000, 20)}
SCALING_NS = {"full": (10_000, 30_000, 100_000), "quick": (1_000, 2_000, 4_000)}
HIDDEN, N_CLASSES, BATCH = 100, 10, 200
PERCEPTRON_EPOCHS = 10
FORTRAN_SHAPE = {"full": (50_000, 100), "quick": (2_000, 64)}
CSR_SHAPE = {"full": (20_000, 2_000), "quick": (2_000, 500)}
CSR_DENSITY = 0.01
CSR_EPOCHS = 5
ADALINE_SGD_EPOCHS = {"full": 2, "quick": 1}
ADALINE_BATCH_EPOCHS = {"full": 20, "quick": 5}
#: Prefixes used when skmlp's per-sample loop does not fit the budget are
#: multiples of this many rows.
PREFIX_STEP = 1_000


# -- timing ------------------------------------------------------------------


def _timed(fn):
    tic = time.perf_counter()
    fn()
    return time.perf_counter() - tic


def median_time(fn, repeats):
    """Median wall time of ``fn()`` over ``repeats`` calls, after one warm-up call."""
    fn()
    return statistics.median(_timed(fn) for _ in range(repeats))


def compare_many(fns, repeats, budget=None):
    """Time several callables interleaved (a, b, ..., a, b, ...); return medians.

    Each callable is called once first to warm up.  When ``budget`` (seconds)
    is given and the warm-up calls show that ``repeats`` rounds would exceed
    it, fewer rounds (at least one) are run.

    Returns
    -------
    medians : list of float
    repeats : int
        The rounds actually run.
    """
    gc.collect()
    warm = sum(_timed(fn) for fn in fns)
    if budget is not None and warm * repeats > budget:
        repeats = max(1, int(budget / warm))
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            ts.append(_timed(fn))
    return [statistics.median(ts) for ts in times], repeats


def compare(fn_a, fn_b, repeats, budget=None):
    """Interleave ``fn_a`` and ``fn_b``; return both medians and the rounds run."""
    (a, b), repeats = compare_many([fn_a, fn_b], repeats, budget)
    return a, b, repeats


def fitter(make, X, y):
    """A callable fitting a fresh ``make()`` on ``X, y``; the last fit is kept in ``.last``."""

    def run():
        run.last = make().fit(X, y)

    run.last = None
    return run


def per_sample_cost(make_one_epoch, X, y, n_probe):
    """Seconds per sample and epoch of one fit on the first ``n_probe`` rows (an upper bound)."""
    est = make_one_epoch()
    est.fit(X[:n_probe], y[:n_probe])  # imports and warms up
    return _timed(lambda: make_one_epoch().fit(X[:n_probe], y[:n_probe])) / n_probe


def prefix_rows(cost, n, epochs, calls, budget):
    """The rows of ``X`` skmlp can afford: all ``n``, or a prefix fitting the budget."""
    affordable = int(budget / (calls * epochs * cost))
    if affordable >= n:
        return n
    return min(n, max(PREFIX_STEP, affordable // PREFIX_STEP * PREFIX_STEP))


# -- data --------------------------------------------------------------------

_DATA = {}


def mlp_data(n, d, dtype):
    """``X`` of shape (n, d) standard normal and 10-class labels, cached."""
    key = (n, d)
    if key not in _DATA:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((n, d))
        _DATA[key] = {"float64": X, "y": rng.integers(0, N_CLASSES, n)}
    data = _DATA[key]
    name = np.dtype(dtype).name
    if name not in data:
        data[name] = data["float64"].astype(name)
    return data[name], data["y"]


def linear_data(n, d, margin=0.1, flip=0.02):
    """Two-class data: separable with a margin, and the same with ``flip`` of labels flipped."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d)
    w /= np.linalg.norm(w)
    y = (X @ w >= 0).astype(np.int64)
    # Push every row at least ``margin`` away from the hyperplane.
    X += np.outer((2 * y - 1) * margin, w)
    y_noisy = y.copy()
    flipped = rng.choice(n, int(flip * n), replace=False)
    y_noisy[flipped] = 1 - y_noisy[flipped]
    return X, y, y_noisy


def csr_data(n, d, density):
    """A CSR ``X`` with about ``density * n * d`` standard normal non-zeros at
    uniform positions, and labels separable by a random hyperplane."""
    rng = np.random.default_rng(0)
    nnz = int(round(density * n * d))
    rows, cols = rng.integers(0, n, nnz), rng.integers(0, d, nnz)
    X = scipy.sparse.csr_matrix((rng.standard_normal(nnz), (rows, cols)), shape=(n, d))
    y = (X @ rng.standard_normal(d) >= 0).astype(np.int64)
    return X, y


def describe(n, d, dtype="float64"):
    short = {"float64": "f64", "float32": "f32"}[np.dtype(dtype).name]
    return f"{thousands(n)} x {d} {short}"


def thousands(n):
    return f"{n:,}".replace(",", " ")


# -- estimators --------------------------------------------------------------


# The settings both networks share: the row's network, batch and momentum.
MLP_SETTINGS = dict(
    hidden_layer_sizes=(HIDDEN,),
    activation="logistic",
    batch_size=BATCH,
    momentum=0.9,
    shuffle=True,
    random_state=0,
    learning_rate_init=0.001,
)


def skmlp_mlp(solver, max_iter=1):
    return MLPBackpropClassifier(solver=solver, max_iter=max_iter, tol=None, **MLP_SETTINGS)


def sklearn_mlp(solver, max_iter=1):
    return MLPClassifier(solver=solver, max_iter=max_iter, tol=0.0, **MLP_SETTINGS)


def matmul_floor(X):
    """One epoch of the five products of a 1-hidden-layer backprop, batch by batch.

    Forward ``X_b @ W1`` and ``H @ W2``; backward ``H.T @ D2``, ``D2 @ W2.T``
    and ``X_b.T @ D1``, into preallocated arrays.
    """
    n, d = X.shape
    rng = np.random.default_rng(1)

    def arr(*shape):
        return (0.01 * rng.standard_normal(shape)).astype(X.dtype)

    W1, W2 = arr(d, HIDDEN), arr(HIDDEN, N_CLASSES)
    H, Out = arr(BATCH, HIDDEN), arr(BATCH, N_CLASSES)
    D2, D1 = arr(BATCH, N_CLASSES), arr(BATCH, HIDDEN)
    G1, G2 = arr(d, HIDDEN), arr(HIDDEN, N_CLASSES)

    def run():
        for start in range(0, n, BATCH):
            Xb = X[start : start + BATCH]
            nb = Xb.shape[0]
            h, o, d2, d1 = H[:nb], Out[:nb], D2[:nb], D1[:nb]
            np.matmul(Xb, W1, out=h)
            np.matmul(h, W2, out=o)
            np.matmul(h.T, d2, out=G2)
            np.matmul(d2, W2.T, out=d1)
            np.matmul(Xb.T, d1, out=G1)

    return run


# -- rows --------------------------------------------------------------------


#: "linear in n" (row 8) is met at an n when skmlp's time per sample there is
#: at most this many times its time per sample at the smallest n.
LINEAR_TOLERANCE = 1.5


def row(name, data, skmlp_value, peer_value, ratio, goal, measure=None):
    """One line of the table.

    ``measure`` is the number the goal judges: ``ratio`` unless given (row 7's
    ratio is text; row 8 sets it once every n has been timed).
    """
    return {
        "row": name,
        "data": data,
        "skmlp": skmlp_value,
        "peer": peer_value,
        "ratio": ratio,
        "goal": goal,
        "measure": ratio if measure is None else measure,
    }


def mark(goal, measure):
    """ "met" or "not met": ``goal`` ("<= 1.15", "<= 0.25 x X.nbytes" or
    "linear in n") against the row's ``measure`` (ratio, fraction of
    ``X.nbytes``, or time per sample relative to the smallest n)."""
    if goal == "linear in n":
        limit = LINEAR_TOLERANCE
    else:
        match = re.fullmatch(r"<= (\d+(?:\.\d+)?)(?: x X\.nbytes)?", goal)
        if match is None:
            raise ValueError(f"no rule to judge the goal {goal!r}")
        limit = float(match.group(1))
    if not isinstance(measure, (int, float)) or measure != measure:
        return "n/a"
    return "met" if measure <= limit else "not met"


def row_mlp_sgd(cfg):
    """1. One epoch of sgd: against the matmul floor and against sklearn."""
    n, d = MLP_SHAPE[cfg.mode]
    rows = []
    for dtype in ("float32", "float64"):
        progress(f"row 1: MLP sgd {dtype}")
        X, y = mlp_data(n, d, dtype)
        ours = fitter(lambda: skmlp_mlp("sgd"), X, y)
        theirs = fitter(lambda: sklearn_mlp("sgd"), X, y)
        (t_ours, t_floor, t_sk), reps = compare_many(
            [ours, matmul_floor(X), theirs], cfg.repeats, cfg.budget
        )
        data = describe(n, d, dtype) + repeats_note(reps, cfg)
        rows.append(
            row(
                "MLP epoch, sgd vs matmul floor",
                data,
                t_ours,
                t_floor,
                t_ours / t_floor,
                "<= 1.15",
            )
        )
        rows.append(row("MLP epoch, sgd vs sklearn", data, t_ours, t_sk, t_ours / t_sk, "<= 0.6"))
        check_dtype(theirs.last, dtype)
    return rows


def row_mlp_adam(cfg):
    """2. One epoch of adam against sklearn."""
    n, d = MLP_SHAPE[cfg.mode]
    rows = []
    for dtype in ("float32", "float64"):
        progress(f"row 2: MLP adam {dtype}")
        X, y = mlp_data(n, d, dtype)
        ours = fitter(lambda: skmlp_mlp("adam"), X, y)
        theirs = fitter(lambda: sklearn_mlp("adam"), X, y)
        t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget)
        data = describe(n, d, dtype) + repeats_note(reps, cfg)
        rows.append(row("MLP epoch, adam vs sklearn", data, t_ours, t_sk, t_ours / t_sk, "<= 0.6"))
        check_dtype(theirs.last, dtype)
    return rows


def row_perceptron(cfg):
    """3. Perceptron, time per epoch, separable and with 2 % of labels flipped."""
    n, d = LINEAR_SHAPE[cfg.mode]
    X, y_sep, y_noisy = linear_data(n, d)

    def ours_make(max_iter=PERCEPTRON_EPOCHS):
        return PerceptronClassifier(max_iter=max_iter, tol=None, shuffle=False)

    def theirs_make():
        return Perceptron(max_iter=PERCEPTRON_EPOCHS, tol=None, shuffle=False)

    progress("row 3: perceptron, probing skmlp's cost per sample")
    cost = per_sample_cost(lambda: ours_make(1), X, y_noisy, min(n, PREFIX_STEP))
    rows = []
    for case, y in (("separable", y_sep), ("2 % flipped", y_noisy)):
        progress(f"row 3: perceptron, {case}")
        m = prefix_rows(cost, n, PERCEPTRON_EPOCHS, cfg.repeats + 1, cfg.budget / 2)
        ours = fitter(ours_make, X[:m], y[:m])
        theirs = fitter(theirs_make, X, y)
        t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget / 2)
        it_ours, it_sk = ours.last.n_iter_, theirs.last.n_iter_
        e_ours = t_ours / it_ours * n / m
        e_sk = t_sk / it_sk
        data = (
            describe(n, d)
            + prefix_note(m, n)
            + f"; n_iter_ {it_ours} vs {it_sk}"
            + repeats_note(reps, cfg)
        )
        rows.append(
            row(f"Perceptron fit, {case}, per epoch", data, e_ours, e_sk, e_ours / e_sk, "<= 1.0")
        )
    return rows


def row_adaline_sgd(cfg):
    """4. Adaline with one sample per update against SGDClassifier, per epoch."""
    n, d = LINEAR_SHAPE[cfg.mode]
    X, _, y = linear_data(n, d)
    epochs = ADALINE_SGD_EPOCHS[cfg.mode]

    def ours_make(max_iter=epochs):
        # alpha=0 matches the peer's penalty=None.
        return AdalineClassifier(
            alpha=0.0, batch_size=1, eta0=1e-4, max_iter=max_iter, tol=None, shuffle=False
        )

    def theirs_make():
        return SGDClassifier(
            loss="squared_error",
            penalty=None,
            learning_rate="constant",
            eta0=1e-4,
            max_iter=epochs,
            tol=None,
            shuffle=False,
        )

    progress("row 4: Adaline SGD")
    cost = per_sample_cost(lambda: ours_make(1), X, y, min(n, PREFIX_STEP))
    m = prefix_rows(cost, n, epochs, cfg.repeats + 1, cfg.budget)
    ours = fitter(ours_make, X[:m], y[:m])
    theirs = fitter(theirs_make, X, y)
    t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget)
    e_ours = t_ours / ours.last.n_iter_ * n / m
    e_sk = t_sk / theirs.last.n_iter_
    epochs_note = f"; {epochs} epoch{'s' if epochs != 1 else ''} per fit"
    data = describe(n, d) + prefix_note(m, n) + epochs_note + repeats_note(reps, cfg)
    return [row("Adaline epoch, SGD (batch 1)", data, e_ours, e_sk, e_ours / e_sk, "<= 1.0")]


def row_adaline_batch(cfg):
    """5. Full-batch Adaline per epoch against ``X @ w`` plus ``X.T @ e``."""
    n, d = LINEAR_SHAPE[cfg.mode]
    X, _, y = linear_data(n, d)
    k = ADALINE_BATCH_EPOCHS[cfg.mode]
    progress("row 5: Adaline full batch")
    ours = fitter(
        lambda: AdalineClassifier(batch_size=None, eta0=0.01, max_iter=k, tol=None), X, y
    )
    w, g = np.full(d, 0.01), np.empty(d)
    z, e = np.empty(n), np.full(n, 0.01)

    def floor():
        for _ in range(k):
            np.matmul(X, w, out=z)
            np.matmul(X.T, e, out=g)

    t_ours, t_floor, reps = compare(ours, floor, cfg.repeats, cfg.budget)
    e_ours = t_ours / ours.last.n_iter_
    e_floor = t_floor / k
    data = describe(n, d) + f"; {k} epochs per fit" + repeats_note(reps, cfg)
    return [
        row(
            "Adaline epoch, full batch vs floor", data, e_ours, e_floor, e_ours / e_floor, "<= 1.2"
        )
    ]


def row_predict_proba(cfg):
    """6. ``predict_proba`` of the fitted sgd networks of row 1."""
    n, d = MLP_SHAPE[cfg.mode]
    rows = []
    for dtype in ("float32", "float64"):
        progress(f"row 6: predict_proba {dtype}")
        X, y = mlp_data(n, d, dtype)
        ours = skmlp_mlp("sgd").fit(X, y)
        theirs = sklearn_mlp("sgd").fit(X, y)
        t_ours, t_sk, reps = compare(
            functools.partial(ours.predict_proba, X),
            functools.partial(theirs.predict_proba, X),
            cfg.repeats,
            cfg.budget,
        )
        data = describe(n, d, dtype) + repeats_note(reps, cfg)
        rows.append(row("predict_proba vs sklearn", data, t_ours, t_sk, t_ours / t_sk, "<= 1.0"))
    return rows


def _proc_status_bytes(field):
    """A ``kB`` field of ``/proc/self/status`` (Linux) in bytes, or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _reset_peak_rss():
    """Reset the kernel's peak-RSS mark (VmHWM) of this process; False if impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def memory_probe(which, n, d):
    """Peak memory of one sgd epoch on float32 data; run in a fresh process.

    Prints JSON: ``peak``, the largest memory traced by ``tracemalloc``
    (NumPy's buffers included) during the fit; ``rss_growth``, the peak RSS
    during the fit (VmHWM, reset just before) minus the RSS before it, or
    None where Linux's ``/proc`` is missing; ``nbytes``, ``X.nbytes``.
    """
    warnings.simplefilter("ignore", ConvergenceWarning)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d), dtype=np.float32)
    y = rng.integers(0, N_CLASSES, n)
    make = (lambda: skmlp_mlp("sgd")) if which == "skmlp" else (lambda: sklearn_mlp("sgd"))
    make().fit(X[: 2 * BATCH], y[: 2 * BATCH])  # imports (and compiles) everything
    gc.collect()
    reset = _reset_peak_rss()
    rss_before = _proc_status_bytes("VmRSS")
    tracemalloc.start()
    make().fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = _proc_status_bytes("VmHWM")
    growth = None
    if reset and rss_before is not None and rss_peak is not None:
        growth = rss_peak - rss_before
    print(json.dumps({"peak": peak, "rss_growth": growth, "nbytes": X.nbytes}))


def run_memory_probe(which, n, d):
    cmd = [sys.executable, os.path.abspath(__file__), "--memory-probe", which]
    cmd += ["--probe-shape", f"{n},{d}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def row_memory(cfg):
    """7. Peak memory added by one sgd fit, as a fraction of ``X.nbytes``."""
    n, d = MLP_SHAPE[cfg.mode]
    progress("row 7: peak memory (subprocesses)")
    ours = run_memory_probe("skmlp", n, d)
    theirs = run_memory_probe("sklearn", n, d)
    nbytes = ours["nbytes"]
    if ours["rss_growth"] is not None:
        cfg.notes.append(
            f"Row {NUMBER[row_memory]}: X.nbytes = {mb(nbytes)}; peak RSS during the fit "
            f"(VmHWM) minus RSS before it, tracemalloc running: skmlp {mb(ours['rss_growth'])}, "
            f"sklearn {mb(theirs['rss_growth'])}."
        )
    return [
        row(
            "peak memory of fit (sgd, tracemalloc)",
            describe(n, d, "float32") + ", C-contiguous",
            mb(ours["peak"]),
            f"{mb(theirs['peak'])} ({theirs['peak'] / nbytes:.3f} x X)",
            f"{ours['peak'] / nbytes:.3f} x X.nbytes",
            "<= 0.25 x X.nbytes",
            measure=ours["peak"] / nbytes,
        )
    ]


def row_scaling(cfg):
    """8. One sgd epoch at growing n, float64: time per epoch and per sample."""
    d = MLP_SHAPE[cfg.mode][1]
    ns = SCALING_NS[cfg.mode]
    rows, per_sample = [], []
    for n in ns:
        progress(f"row 8: scaling n={n}")
        X, y = mlp_data(n, d, "float64")
        ours = fitter(lambda: skmlp_mlp("sgd"), X, y)
        theirs = fitter(lambda: sklearn_mlp("sgd"), X, y)
        t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget)
        per_sample.append(t_ours / n)
        data = (
            describe(n, d)
            + f"; skmlp {1e6 * t_ours / n:.2f} us/sample"
            + f" ({per_sample[-1] / per_sample[0]:.2f} x that at n = {thousands(ns[0])})"
            + f", sklearn {1e6 * t_sk / n:.2f} us/sample"
            + repeats_note(reps, cfg)
        )
        rows.append(
            row(
                "scaling: MLP sgd epoch vs sklearn",
                data,
                t_ours,
                t_sk,
                t_ours / t_sk,
                "linear in n",
                measure=per_sample[-1] / per_sample[0],
            )
        )
        _DATA.pop((n, d), None)
    return rows


def row_fortran(cfg):
    """9. One sgd epoch on Fortran-ordered input, against sklearn on the same input."""
    n, d = FORTRAN_SHAPE[cfg.mode]
    X, y = mlp_data(n, d, "float64")
    inputs = [("np.asfortranarray", np.asfortranarray(X))]
    try:
        import pandas
    except ImportError:
        progress("row 9: pandas is not installed; the DataFrame case is skipped")
    else:
        # Built from columns, a DataFrame holds its values Fortran-ordered.
        frame = pandas.DataFrame({f"x{j}": X[:, j] for j in range(d)})
        inputs.insert(0, ("DataFrame built by columns", frame))
    rows = []
    for name, X_in in inputs:
        progress(f"row 9: MLP sgd, {name}")
        ours = fitter(lambda: skmlp_mlp("sgd"), X_in, y)
        theirs = fitter(lambda: sklearn_mlp("sgd"), X_in, y)
        t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget)
        data = describe(n, d) + f", {name}" + repeats_note(reps, cfg)
        rows.append(
            row(
                "MLP epoch, sgd, Fortran-ordered input vs sklearn",
                data,
                t_ours,
                t_sk,
                t_ours / t_sk,
                "<= 1.0",
            )
        )
    return rows


def row_perceptron_csr(cfg):
    """10. Perceptron on a sparse CSR ``X``, time per epoch, against sklearn's."""
    n, d = CSR_SHAPE[cfg.mode]
    X, y = csr_data(n, d, CSR_DENSITY)

    def ours_make(max_iter=CSR_EPOCHS):
        return PerceptronClassifier(max_iter=max_iter, tol=None, shuffle=True, random_state=0)

    def theirs_make():
        return Perceptron(max_iter=CSR_EPOCHS, tol=None, shuffle=True, random_state=0)

    progress("row 10: perceptron on CSR, probing skmlp's cost per sample")
    cost = per_sample_cost(lambda: ours_make(1), X, y, min(n, PREFIX_STEP))
    m = prefix_rows(cost, n, CSR_EPOCHS, cfg.repeats + 1, cfg.budget)
    progress("row 10: perceptron on CSR")
    ours = fitter(ours_make, X[:m], y[:m])
    theirs = fitter(theirs_make, X, y)
    t_ours, t_sk, reps = compare(ours, theirs, cfg.repeats, cfg.budget)
    it_ours, it_sk = ours.last.n_iter_, theirs.last.n_iter_
    e_ours = t_ours / it_ours * n / m
    e_sk = t_sk / it_sk
    data = (
        f"{thousands(n)} x {d} f64 CSR, {X.nnz / (n * d):.2%} non-zero"
        + prefix_note(m, n)
        + f"; n_iter_ {it_ours} vs {it_sk}"
        + repeats_note(reps, cfg)
    )
    return [row("Perceptron fit on CSR, per epoch", data, e_ours, e_sk, e_ours / e_sk, "<= 2.0")]


ROWS = {
    1: row_mlp_sgd,
    2: row_mlp_adam,
    3: row_perceptron,
    4: row_adaline_sgd,
    5: row_adaline_batch,
    6: row_predict_proba,
    7: row_memory,
    8: row_scaling,
    9: row_fortran,
    10: row_perceptron_csr,
}


# -- reporting ---------------------------------------------------------------


def progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def mb(nbytes):
    return f"{nbytes / 2**20:.2f} MB"


def repeats_note(reps, cfg):
    return "" if reps == cfg.repeats else f" ({reps} repeats: budget)"


def prefix_note(m, n):
    if m == n:
        return ""
    return f"; skmlp on first {thousands(m)} rows, scaled x{n / m:.3g}"


def check_dtype(est, dtype):
    if est is not None and est.coefs_[0].dtype != np.dtype(dtype):
        progress(f"note: sklearn trained in {est.coefs_[0].dtype} on {dtype} data")


def skmlp_path():
    """ "numba" when ``skmlp._core._kernels`` says compiled kernels are used, else "numpy"."""
    try:
        kernels = importlib.import_module("skmlp._core._kernels")
    except ImportError:
        return "numpy"
    if not getattr(kernels, "HAVE_NUMBA", False):
        return "numpy"
    numba = getattr(kernels, "numba", None)
    version = f" {numba.__version__}" if numba is not None else ""
    used = "" if getattr(kernels, "USE_NUMBA", True) else " (available, switched off)"
    return f"numba{version}{used}"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def header(cfg):
    lines = [
        "# skmlp benchmarks",
        "",
        f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- mode: {cfg.mode}, {cfg.repeats} repeats (medians), budget {cfg.budget:g} s per row",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}",
        f"- python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}, skmlp {skmlp.__version__}",
        f"- skmlp path: {cfg.skmlp_path}",
        f"- load average (1 min) at start / end: {cfg.load_start:.2f} / {os.getloadavg()[0]:.2f}",
        f"- OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(unset)')!s}",
    ]
    libs = sorted(threadpoolctl.threadpool_info(), key=lambda lib: lib.get("filepath", ""))
    for lib in libs:
        lines.append(
            f"- threadpool: {lib.get('internal_api')} {lib.get('version')}, "
            f"num_threads={lib.get('num_threads')}, "
            f"architecture={lib.get('architecture', '-')}, "
            f"{os.path.basename(lib.get('filepath', ''))}"
        )
    return "\n".join(lines)


def _cell(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def table(rows):
    columns = ["#", "row", "data", "skmlp (s)", "peer (s)", "ratio", "goal", "mark"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for r in rows:
        cells = [
            str(r["number"]),
            r["row"],
            r["data"],
            _cell(r["skmlp"]),
            _cell(r["peer"]),
            f"{r['ratio']:.2f}" if isinstance(r["ratio"], float) else r["ratio"],
            r["goal"],
            mark(r["goal"], r["measure"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: The number of each row, as in ``--rows`` and the table's "#" column; the
#: footnotes take their numbers from here.
NUMBER = {function: number for number, function in ROWS.items()}

#: The footnotes: (the rows a note is about, or () for any table; the note).
#: A note is printed when all its rows are in the table.
FOOTNOTES = [
    (
        (),
        "Times are seconds (medians); ratio = skmlp / peer. MLP rows time `fit` with "
        "`max_iter=1` (one epoch); per-epoch rows divide a fit by its `n_iter_`. Peers are "
        "scikit-learn (`MLPClassifier`, `Perceptron`, `SGDClassifier`) unless the row "
        "names a floor.",
    ),
    (
        (),
        'mark: "met" when the ratio is at most the goal; for peak memory, when skmlp\'s '
        'peak is at most that fraction of `X.nbytes`. "linear in n" is met at an n when '
        f"skmlp's time per sample there is at most {LINEAR_TOLERANCE:g} x its time per "
        "sample at the smallest n (quoted in the data column), so the smallest n meets it "
        "by definition.",
    ),
    (
        (NUMBER[row_mlp_sgd],),
        f"Matmul floor (row {NUMBER[row_mlp_sgd]}): the five products of each batch of "
        f"{BATCH} rows alone (preallocated, `out=`).",
    ),
    (
        (NUMBER[row_perceptron],),
        f"Perceptron (row {NUMBER[row_perceptron]}): skmlp's stops after an epoch without "
        "mistakes (so may the separable case); sklearn's runs all `max_iter` epochs with "
        "`tol=None`.",
    ),
    (
        (NUMBER[row_adaline_batch],),
        f"Full-batch Adaline floor (row {NUMBER[row_adaline_batch]}): `X @ w` plus "
        "`X.T @ e` per epoch.",
    ),
    (
        (NUMBER[row_fortran],),
        f"Fortran-ordered input (row {NUMBER[row_fortran]}): the sgd network of the MLP "
        f"rows ({HIDDEN} logistic hidden units, batches of {BATCH}, momentum 0.9) on a "
        "float64 `X` held column by column (a `pandas.DataFrame` built from columns, and "
        "`np.asfortranarray`), both estimators fitted on the same object.",
    ),
    (
        (NUMBER[row_perceptron_csr],),
        f"Perceptron on CSR (row {NUMBER[row_perceptron_csr]}): `PerceptronClassifier` "
        f"against `Perceptron`, both `max_iter={CSR_EPOCHS}, tol=None, shuffle=True, "
        "random_state=0`, on a CSR `X` with standard normal non-zeros at random positions "
        "and labels separable by a random hyperplane; time per epoch (fit / `n_iter_`).",
    ),
]


def footnotes(rows, extra=()):
    """The notes to print under ``rows``: those whose rows all appear, then ``extra``.

    Raises if a note names a row ("row 9", "Row 7") that is not in the table,
    or other rows than it declares: no note may point at a missing row or at
    a row by a wrong number.
    """
    present = {r["number"] for r in rows}
    notes = [(about, text) for about, text in FOOTNOTES if set(about) <= present]
    notes += [(None, text) for text in extra]
    for about, text in notes:
        named = {int(n) for n in re.findall(r"\brows? (\d+)", text, flags=re.IGNORECASE)}
        if not named <= present:
            raise RuntimeError(
                f"a footnote names rows {sorted(named - present)}, not in the table: {text!r}"
            )
        if about is not None and named != set(about):
            raise RuntimeError(
                f"a footnote declares rows {list(about)} but names {sorted(named)}: {text!r}"
            )
    return [text for _, text in notes]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small data, 2 repeats")
    parser.add_argument("--repeats", type=int, help="timed rounds per row (default 5, quick 2)")
    parser.add_argument("--rows", help="comma-separated row numbers, e.g. 1,3 (default all)")
    parser.add_argument(
        "--budget", type=float, help="seconds of timing per row (default 60, quick 10)"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="limit BLAS threads with threadpoolctl (default: leave them as they are)",
    )
    parser.add_argument(
        "--single-thread",
        action="store_true",
        help="one thread for BLAS and OpenMP alike (what a noisy shared machine measures "
        "best); the same as --blas-threads 1 plus OpenMP",
    )
    parser.add_argument(
        "--numpy",
        action="store_true",
        help="time skmlp's pure NumPy path even when numba is installed",
    )
    parser.add_argument("--memory-probe", choices=("skmlp", "sklearn"), help=argparse.SUPPRESS)
    parser.add_argument("--probe-shape", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.mode = "quick" if args.quick else "full"
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.budget is None:
        args.budget = 10.0 if args.quick else 60.0
    if args.rows:
        args.rows = sorted({int(r) for r in args.rows.split(",")})
        unknown = set(args.rows) - set(ROWS)
        if unknown:
            parser.error(f"unknown rows {sorted(unknown)}; choose from {sorted(ROWS)}")
    else:
        args.rows = sorted(ROWS)
    args.notes = []
    return args


def main(argv=None):
    cfg = parse_args(argv)
    if cfg.memory_probe:
        n, d = (int(v) for v in cfg.probe_shape.split(","))
        memory_probe(cfg.memory_probe, n, d)
        return
    warnings.simplefilter("ignore", ConvergenceWarning)
    if cfg.numpy:
        importlib.import_module("skmlp._core._kernels").USE_NUMBA = False
    limits = contextlib.nullcontext()
    if cfg.single_thread:
        limits = threadpoolctl.threadpool_limits(limits=1)
    elif cfg.blas_threads:
        limits = threadpoolctl.threadpool_limits(limits=cfg.blas_threads, user_api="blas")
    cfg.skmlp_path = skmlp_path()  # before timing: the code under test may change meanwhile
    cfg.load_start = os.getloadavg()[0]
    with limits:
        tic = time.perf_counter()
        rows = []
        for number in cfg.rows:
            for r in ROWS[number](cfg):
                rows.append({**r, "number": number})
        elapsed = time.perf_counter() - tic
        print(header(cfg))
    print()
    print(table(rows))
    print()
    for note in footnotes(rows, cfg.notes):
        print(f"- {note}")
    print(f"- Total run time: {elapsed:.0f} s.")


if __name__ == "__main__":
    main()
