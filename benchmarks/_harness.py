"""What the benchmarks share: declarative cases, timing and reporting.

A benchmark row is one :class:`Case`: the data it runs on (a :class:`DataMaker`,
named by its function), skmlp's side (``ours``), the peer's side
(scikit-learn's estimator, or a "floor" of the computation that cannot be
avoided), the goal for the ratio ours / peer, and an optional footnote.
:func:`main` turns a list of cases into ``bench.py``'s command line, times
every case and prints the header, the Markdown table and the footnotes.

A side is a callable ``side(X, y, epochs)`` returning the callable to time.
:func:`fits` and :func:`predicts` make sides from an estimator class
(or any maker taking ``max_iter``); a floor is a plain function of the same
signature.  When the returned callable has a ``last`` attribute (the
estimator its last call fitted), per-epoch rows divide by that estimator's
``n_iter_``; otherwise by ``epochs``.  When it has a ``calls`` attribute
(it makes that many calls, as :func:`predicts` does), its time is divided
by it.  A case's ``detail`` finds the quoted time of each side in its
callable's ``seconds``.

Timing: every case times skmlp and its peers in the same process,
interleaved (ours, peer, ours, peer, ...) after one warm-up call of each, and
quotes medians (:func:`compare_many`).  BLAS and OpenMP threads are limited
with ``threadpoolctl`` (:func:`thread_limits`).  Peak memory is measured with
``tracemalloc`` (:func:`traced`), for a memory case in fresh subprocesses
(:func:`memory_probe`).  ``bench_gpu.py`` and ``bench_dask.py`` use the same
timers and :func:`markdown_table`.

Only the standard library and NumPy are imported here at first: scipy,
scikit-learn, threadpoolctl and skmlp are imported where they are used, so
that a script may set its environment (``SCIPY_ARRAY_API``) first.
"""

import argparse
import contextlib
import dataclasses
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
from collections.abc import Callable
from typing import Any

import numpy as np

#: Prefixes used when skmlp's per-sample loop does not fit the budget are
#: multiples of this many rows.
PREFIX_STEP = 1_000

#: "linear in n" is met at an n when skmlp's time per sample there is at most
#: this many times its time per sample at the smallest n.
LINEAR_TOLERANCE = 1.5

#: A memory probe fits this many rows first, to import (and compile) everything.
PROBE_WARMUP_ROWS = 400


# -- timing ------------------------------------------------------------------


def _timed(fn, sync=None):
    """Seconds one call of ``fn()`` takes; ``sync()`` (a device's) around it."""
    if sync is not None:
        sync()
    tic = time.perf_counter()
    fn()
    if sync is not None:
        sync()
    return time.perf_counter() - tic


def timed(fn, *args):
    """``fn(*args)``'s result and the seconds the call took."""
    tic = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - tic


def traced(fn, *args):
    """``fn(*args)``'s result, its seconds, and the peak memory ``tracemalloc`` saw."""
    tracemalloc.start()
    try:
        result, seconds = timed(fn, *args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def median_time(fn, repeats, sync=None):
    """Median wall time of ``fn()`` over ``repeats`` calls, after one warm-up call."""
    fn()
    return statistics.median(_timed(fn, sync) for _ in range(repeats))


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


def fitter(make, X, y):
    """A callable fitting a fresh ``make()`` on ``X, y``; the last fit is kept in ``.last``."""

    def run():
        run.last = make().fit(X, y)

    run.last = None
    return run


def per_sample_cost(make_one_epoch, X, y, n_probe):
    """Seconds per sample and epoch of one fit on the first ``n_probe`` rows (an upper bound)."""
    make_one_epoch().fit(X[:n_probe], y[:n_probe])  # imports and warms up
    return _timed(lambda: make_one_epoch().fit(X[:n_probe], y[:n_probe])) / n_probe


def prefix_rows(cost, n, epochs, calls, budget):
    """The rows of ``X`` skmlp can afford: all ``n``, or a prefix fitting the budget."""
    affordable = int(budget / (calls * epochs * cost))
    if affordable >= n:
        return n
    return min(n, max(PREFIX_STEP, affordable // PREFIX_STEP * PREFIX_STEP))


def thread_limits(blas_threads=None, single_thread=False):
    """``threadpoolctl`` limits: one thread for BLAS and OpenMP, or ``blas_threads`` for BLAS."""
    import threadpoolctl

    if single_thread:
        return threadpoolctl.threadpool_limits(limits=1)
    if blas_threads:
        return threadpoolctl.threadpool_limits(limits=blas_threads, user_api="blas")
    return contextlib.nullcontext()


def backprop_products(matmul, Xb, W1, W2, H, O, D2, D1, G1, G2):
    """The five matrix products of one batch of a one-hidden-layer backprop.

    Forward ``Xb @ W1`` and ``H @ W2``; backward ``H.T @ D2``, ``D2 @ W2.T``
    and ``Xb.T @ D1``, each into its preallocated array (``matmul(a, b,
    out=)``: NumPy's or PyTorch's).  A floor for an epoch calls it per batch.
    """
    matmul(Xb, W1, out=H)
    matmul(H, W2, out=O)
    matmul(H.T, D2, out=G2)
    matmul(D2, W2.T, out=D1)
    matmul(Xb.T, D1, out=G1)


# -- memory --------------------------------------------------------------------


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


def memory_probe(make, X, y):
    """Peak memory of one ``make().fit(X, y)``; meant for a fresh process.

    Returns a dict (what the probe prints as JSON): ``peak``, the largest
    memory traced by ``tracemalloc`` (NumPy's buffers included) during the
    fit; ``rss_growth``, the peak RSS during the fit (VmHWM, reset just
    before) minus the RSS before it, or None where Linux's ``/proc`` is
    missing; ``nbytes``, ``X.nbytes``.
    """
    make().fit(X[:PROBE_WARMUP_ROWS], y[:PROBE_WARMUP_ROWS])  # imports (and compiles)
    gc.collect()
    reset = _reset_peak_rss()
    rss_before = _proc_status_bytes("VmRSS")
    _, _, peak = traced(lambda: make().fit(X, y))
    rss_peak = _proc_status_bytes("VmHWM")
    growth = None
    if reset and rss_before is not None and rss_peak is not None:
        growth = rss_peak - rss_before
    return {"peak": peak, "rss_growth": growth, "nbytes": X.nbytes}


def run_memory_probe(script, number, which, shape):
    """Run ``script --memory-probe`` for row ``number``'s side ``which`` in a fresh process."""
    cmd = [sys.executable, os.path.abspath(script), "--memory-probe", which]
    cmd += ["--probe-shape", ",".join(str(s) for s in shape), "--probe-row", str(number)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- data ----------------------------------------------------------------------


class Dataset:
    """One variant of a data maker's data.

    ``label`` starts the table's data column (a string, or a function of
    ``X``); ``variant`` fills ``{variant}`` in the row's name.  The arrays are
    given (``X``, ``y``), or made on first use by ``load()``, which returns
    ``(X, y)``.  ``probe_y`` are the labels skmlp's cost per sample is probed
    on (default ``y``).
    """

    def __init__(self, label, X=None, y=None, *, load=None, variant="", probe_y=None):
        self._label, self._load = label, load
        self._arrays = None if load is not None else (X, y)
        self.variant, self._probe_y = variant, probe_y

    def load(self):
        """``(X, y)``, made on the first call."""
        if self._arrays is None:
            self._arrays = self._load()
        return self._arrays

    @property
    def X(self):
        return self.load()[0]

    @property
    def y(self):
        return self.load()[1]

    @property
    def probe_y(self):
        return self.y if self._probe_y is None else self._probe_y

    @property
    def label(self):
        return self._label(self.X) if callable(self._label) else self._label


@dataclasses.dataclass(frozen=True)
class DataMaker:
    """A named data maker: ``make(n, d, variant)`` returns a :class:`Dataset`;
    ``sizes`` holds the shapes ``(n, d)`` of each mode."""

    name: str
    make: Callable[[int, int, Any], Dataset]
    sizes: dict
    variants: tuple = (None,)

    def datasets(self, mode, number, load=True):
        """``((n, d), Dataset)`` for each size of ``mode`` and each variant.

        With ``load``, the arrays are made here; a variant whose maker raises
        :class:`Skip` is left out, with its reason on stderr (row ``number``).
        """
        for n, d in self.sizes[mode]:
            for variant in self.variants:
                try:
                    ds = self.make(n, d, variant)
                    if load:
                        ds.load()
                except Skip as reason:
                    progress(f"row {number}: {reason}")
                    continue
                yield (n, d), ds


def data_maker(full, quick, variants=(None,)):
    """Decorator: a function ``(n, d, variant) -> Dataset`` becomes a :class:`DataMaker`.

    ``full`` and ``quick`` are a shape ``(n, d)`` or a list of shapes.
    """

    def shapes(s):
        return [s] if isinstance(s[0], int) else list(s)

    def wrap(make):
        sizes = {"full": shapes(full), "quick": shapes(quick)}
        return DataMaker(make.__name__, make, sizes, tuple(variants))

    return wrap


class Skip(Exception):
    """Raised by a data maker for a variant this machine cannot make (the reason)."""


# -- sides -------------------------------------------------------------------


class fits:
    """A side that fits a fresh ``make(max_iter=epochs, **params)`` per call."""

    def __init__(self, make, **params):
        self.make, self.params = make, params

    def estimator(self, epochs):
        return self.make(max_iter=epochs, **self.params)

    def __call__(self, X, y, epochs):
        return fitter(lambda: self.estimator(epochs), X, y)


class predicts(fits):
    """A side that fits once on ``X, y``, then times ``calls`` calls of
    ``method`` on the first ``rows`` rows of ``X`` (all by default); the
    table quotes the time per call."""

    def __init__(self, make, *, method="predict", rows=None, calls=1, **params):
        super().__init__(make, **params)
        self.method, self.rows, self.calls = method, rows, calls

    def __call__(self, X, y, epochs):
        predict = getattr(self.estimator(epochs).fit(X, y), self.method)
        X = X if self.rows is None else X[: self.rows]
        calls = range(self.calls)

        def run():
            for _ in calls:
                predict(X)

        run.calls = self.calls
        return run


def predicts_proba(make, **params):
    """A side that fits once, then times ``predict_proba`` on the same ``X``."""
    return predicts(make, method="predict_proba", **params)


# -- cases ---------------------------------------------------------------------


def _tuple(value):
    return value if isinstance(value, tuple) else (value,)


@dataclasses.dataclass(eq=False)
class Case:
    """One row of the benchmark table (one line per variant of its data).

    ``number``: the row's number (``--rows``, the "#" column, footnotes);
    ``name``: the "row" column, where ``{variant}`` stands for the data's
    variant; ``about``: what it measures, in a sentence.  ``data``: a
    :class:`DataMaker`; ``ours``: skmlp's side; ``peer``: the peer's side;
    ``goal``: "<= r" for the ratio ours / peer, "<= f x X.nbytes" for a
    memory case, or "linear in n".  Several peers, timed with ours in one
    interleaved round, are given as tuples of ``name``, ``peer`` and
    ``goal``.  ``note``: a footnote, printed when the row is in the table;
    it names the row as "(row N)".

    ``epochs``: ``max_iter`` of the fits (an int, or one per mode);
    ``per_epoch``: quote times per epoch (a fit's time over its ``n_iter_``,
    a floor's over ``epochs``); ``per_sample``: skmlp loops over samples, so
    it is timed on a prefix of the rows when the whole data would not fit
    in the budget, and its time is scaled; ``budget``: the share of
    ``--budget`` each variant may use; ``detail``: a function ``(ours_fn,
    peer_fns, epochs) -> str`` adding to the data column; ``memory``: the
    case measures peak memory (``tracemalloc``, in subprocesses) instead of
    time.
    """

    number: int
    name: Any
    _: dataclasses.KW_ONLY
    about: str
    data: DataMaker
    ours: Callable
    peer: Any
    goal: Any
    note: str = ""
    epochs: Any = 1
    per_epoch: bool = False
    per_sample: bool = False
    budget: float = 1.0
    detail: Callable | None = None
    memory: bool = False

    def __post_init__(self):
        self.vs = list(zip(_tuple(self.name), _tuple(self.peer), _tuple(self.goal), strict=True))
        # As a row's function: "N. What it measures."
        self.__doc__ = f"{self.number}. {self.about}"
        self.__name__ = f"row {self.number}"

    def epochs_in(self, mode):
        return self.epochs[mode] if isinstance(self.epochs, dict) else self.epochs


def n_iter_note(ours, peers, epochs):
    """``; n_iter_ a vs b``: the iterations of skmlp's last fit and of the first peer's."""
    return f"; n_iter_ {ours.last.n_iter_} vs {peers[0].last.n_iter_}"


def epochs_note(ours, peers, epochs):
    """``; k epochs per fit``."""
    return f"; {epochs} epoch{'s' if epochs != 1 else ''} per fit"


def batch_note(ours, peers, epochs):
    """``epochs_note``, then the time per batch of skmlp's last fit (a
    one-hidden-layer network) and of the first peer's, and how much of
    skmlp's is the five products of backpropagation (``backprop_products``,
    timed here on arrays of the batch's shapes) and how much the rest."""
    est, peer = ours.last, peers[0].last
    n, batch = est.t_ // est.n_iter_, est.batch_size
    batches = -(-n // batch)
    full, rest = divmod(n, batch)
    products = full * _products_seconds(est, batch) + (rest and _products_seconds(est, rest))
    per_batch = ours.seconds / (est.n_iter_ * batches)
    per_products = products / batches
    peer_batch = peers[0].seconds / (peer.n_iter_ * batches)
    return (
        epochs_note(ours, peers, epochs)
        + f"; per batch: skmlp {1e6 * per_batch:.0f} us (products {1e6 * per_products:.0f}, "
        f"the rest {1e6 * (per_batch - per_products):.0f}), sklearn {1e6 * peer_batch:.0f} us"
    )


def _products_seconds(est, rows, calls=200):
    """Median seconds of ``backprop_products`` for ``rows`` rows of ``est``'s network."""
    (W1, W2), dtype = est.coefs_, est.coefs_[0].dtype
    (d, h), k = W1.shape, W2.shape[1]
    X = np.ones((rows, d), dtype)
    H, D1 = np.empty((rows, h), dtype), np.empty((rows, h), dtype)
    O, D2 = np.empty((rows, k), dtype), np.ones((rows, k), dtype)
    G1, G2 = np.empty_like(W1), np.empty_like(W2)

    def run():
        for _ in range(calls):
            backprop_products(np.matmul, X, W1, W2, H, O, D2, D1, G1, G2)

    return median_time(run, 5) / calls


def _epochs_done(fn, epochs):
    last = getattr(fn, "last", None)
    return epochs if last is None else last.n_iter_


def _check_dtype(fn, X):
    est, dtype = getattr(fn, "last", None), getattr(X, "dtype", None)
    coefs = getattr(est, "coefs_", None)
    if coefs is not None and dtype is not None and coefs[0].dtype != dtype:
        progress(f"note: {type(est).__name__} trained in {coefs[0].dtype} on {dtype} data")


def row(name, data, skmlp_value, peer_value, ratio, goal, measure=None):
    """One line of the table.

    ``measure`` is the number the goal judges: ``ratio`` unless given (a
    memory row's ratio is text; a scaling row's is relative to the first n).
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


def run_case(case, cfg):
    """The table's lines for ``case``."""
    if case.memory:
        return _run_memory_case(case, cfg)
    epochs = case.epochs_in(cfg.mode)
    budget = cfg.budget * case.budget
    rows, cost, first_per_sample = [], None, None
    for (n, _), ds in case.data.datasets(cfg.mode, case.number):
        X, y = ds.X, ds.y
        m = n
        if case.per_sample:
            if cost is None:
                progress(f"row {case.number}: probing skmlp's cost per sample")
                probe = functools.partial(case.ours.estimator, 1)
                cost = per_sample_cost(probe, X, ds.probe_y, min(n, PREFIX_STEP))
            m = prefix_rows(cost, n, epochs, cfg.repeats + 1, budget)
        progress(f"row {case.number}: {case.vs[0][0].format(variant=ds.variant)}, {ds.label}")
        ours = case.ours(X[:m], y[:m], epochs) if m < n else case.ours(X, y, epochs)
        peers = [peer(X, y, epochs) for _, peer, _ in case.vs]
        (t_ours, *t_peers), reps = compare_many([ours, *peers], cfg.repeats, budget)
        t_ours /= getattr(ours, "calls", 1)
        t_peers = [t / getattr(p, "calls", 1) for t, p in zip(t_peers, peers)]
        for peer in peers:
            _check_dtype(peer, X)
        if case.per_epoch:
            t_ours = t_ours / _epochs_done(ours, epochs) * n / m
            t_peers = [t / _epochs_done(p, epochs) for t, p in zip(t_peers, peers)]
        data = ds.label + prefix_note(m, n)
        ours.seconds = t_ours
        for peer, t_peer in zip(peers, t_peers):
            peer.seconds = t_peer
        if case.detail is not None:
            data += case.detail(ours, peers, epochs)
        measure = None
        if case.goal == "linear in n":
            per_sample = t_ours / n
            first_per_sample = first_per_sample or (per_sample, n)
            measure = per_sample / first_per_sample[0]
            data += (
                f"; skmlp {1e6 * per_sample:.2f} us/sample"
                f" ({measure:.2f} x that at n = {thousands(first_per_sample[1])})"
                f", sklearn {1e6 * t_peers[0] / n:.2f} us/sample"
            )
        data += repeats_note(reps, cfg)
        for (name, _, goal), t_peer in zip(case.vs, t_peers):
            name = name.format(variant=ds.variant)
            rows.append(row(name, data, t_ours, t_peer, t_ours / t_peer, goal, measure))
    return rows


def _run_memory_case(case, cfg):
    ((name, peer, goal),) = case.vs
    rows = []
    for shape, ds in case.data.datasets(cfg.mode, case.number, load=False):
        progress(f"row {case.number}: {name} (subprocesses)")
        ours = run_memory_probe(cfg.script, case.number, "skmlp", shape)
        theirs = run_memory_probe(cfg.script, case.number, "sklearn", shape)
        nbytes = ours["nbytes"]
        if ours["rss_growth"] is not None:
            cfg.notes.append(
                f"Row {case.number}: X.nbytes = {mb(nbytes)}; peak RSS during the fit "
                "(VmHWM) minus RSS before it, tracemalloc running: skmlp "
                f"{mb(ours['rss_growth'])}, sklearn {mb(theirs['rss_growth'])}."
            )
        rows.append(
            row(
                name,
                ds.label,
                mb(ours["peak"]),
                f"{mb(theirs['peak'])} ({theirs['peak'] / nbytes:.3f} x X)",
                f"{ours['peak'] / nbytes:.3f} x X.nbytes",
                goal,
                measure=ours["peak"] / nbytes,
            )
        )
    return rows


def _probe_case(cases, cfg):
    """The subprocess side of a memory case: print the probe's JSON."""
    case = next(c for c in cases if c.memory and cfg.probe_row in (None, c.number))
    n, d = (int(v) for v in cfg.probe_shape.split(","))
    ds = case.data.make(n, d, case.data.variants[0])
    side = case.ours if cfg.memory_probe == "skmlp" else case.vs[0][1]
    epochs = case.epochs_in(cfg.mode)
    print(json.dumps(memory_probe(lambda: side.estimator(epochs), ds.X, ds.y)))


# -- reporting -----------------------------------------------------------------


def progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def mb(nbytes):
    return f"{nbytes / 2**20:.2f} MB"


def thousands(n):
    return f"{n:,}".replace(",", " ")


def describe(n, d, dtype="float64"):
    short = {"float64": "f64", "float32": "f32"}[np.dtype(dtype).name]
    return f"{thousands(n)} x {d} {short}"


def repeats_note(reps, cfg):
    return "" if reps == cfg.repeats else f" ({reps} repeats: budget)"


def prefix_note(m, n):
    if m == n:
        return ""
    return f"; skmlp on first {thousands(m)} rows, scaled x{n / m:.3g}"


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


def markdown_table(columns, lines):
    """A Markdown table: a header of ``columns``, then one row per list of cells."""
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(str(cell) for cell in cells) + " |" for cells in lines]
    return "\n".join(out)


def _cell(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def table(rows):
    """``bench.py``'s table: one line per row dict (see :func:`row`)."""
    columns = ["#", "row", "data", "skmlp (s)", "peer (s)", "ratio", "goal", "mark"]
    lines = [
        [
            str(r["number"]),
            r["row"],
            r["data"],
            _cell(r["skmlp"]),
            _cell(r["peer"]),
            f"{r['ratio']:.2f}" if isinstance(r["ratio"], float) else r["ratio"],
            r["goal"],
            mark(r["goal"], r["measure"]),
        ]
        for r in rows
    ]
    return markdown_table(columns, lines)


def footnotes(notes, rows, extra=()):
    """The notes to print under ``rows``: those of ``notes`` (pairs of the rows
    a note is about, or () for any table, and its text) whose rows all appear,
    then ``extra``.

    Raises if a note names a row ("row 9", "Row 7") that is not in the table,
    or other rows than it declares: no note may point at a missing row or at
    a row by a wrong number.
    """
    present = {r["number"] for r in rows}
    chosen = [(about, text) for about, text in notes if set(about) <= present]
    chosen += [(None, text) for text in extra]
    for about, text in chosen:
        named = {int(n) for n in re.findall(r"\brows? (\d+)", text, flags=re.IGNORECASE)}
        if not named <= present:
            raise RuntimeError(
                f"a footnote names rows {sorted(named - present)}, not in the table: {text!r}"
            )
        if about is not None and named != set(about):
            raise RuntimeError(
                f"a footnote declares rows {list(about)} but names {sorted(named)}: {text!r}"
            )
    return [text for _, text in chosen]


def case_notes(cases):
    """The footnotes the cases carry, as ``((number,), text)`` pairs."""
    return [((case.number,), case.note) for case in cases if case.note]


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
    """The CPU's model name, as skmlp keys its measured choices by it."""
    from skmlp._core.activations import cpu_model

    return cpu_model()


def simd_flags():
    """The widest x86 SIMD extensions NumPy dispatches to here."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:
        return "unknown"
    shown = ["AVX2", "FMA3", "AVX512F", "AVX512_SKX"]
    return ", ".join(name for name in shown if features.get(name)) or "none of AVX2, AVX-512"


def logistic_forms():
    """The form of the logistic function skmlp measured as the faster in
    each dtype, and the times (per 200 x 100 values) it chose by."""
    try:
        from skmlp._core.activations import logistic_form
    except ImportError:
        return "unknown"
    parts = []
    for dtype in ("float64", "float32"):
        form, seconds = logistic_form(dtype)
        timed = ", ".join(f"{name} {1e6 * t:.0f} us" for name, t in seconds.items())
        parts.append(f"{dtype} {form}" + (f" ({timed})" if timed else " (fixed)"))
    return "; ".join(parts)


def header(title, cfg):
    """The run's title and environment: versions, load, BLAS and OpenMP pools."""
    import scipy
    import sklearn
    import threadpoolctl

    import skmlp

    lines = [
        f"# {title}",
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
        f"- SIMD (numpy's dispatch): {simd_flags()}",
        f"- logistic form: {logistic_forms()}",
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


# -- the command line ------------------------------------------------------------


def check_cases(cases):
    """The rows by number; raises unless the numbers are unique and in order."""
    numbers = [case.number for case in cases]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"row numbers must be unique and in order: {numbers}")
    return {case.number: case for case in cases}


def parse_args(argv, description, rows):
    parser = argparse.ArgumentParser(description=description)
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
    parser.add_argument("--probe-row", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.mode = "quick" if args.quick else "full"
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.budget is None:
        args.budget = 10.0 if args.quick else 60.0
    if args.rows:
        args.rows = sorted({int(r) for r in args.rows.split(",")})
        unknown = set(args.rows) - set(rows)
        if unknown:
            parser.error(f"unknown rows {sorted(unknown)}; choose from {sorted(rows)}")
    else:
        args.rows = sorted(rows)
    args.notes = []
    return args


def main(cases, notes, *, script, description, title, argv=None):
    """Run ``cases`` as the command line asks; print the header, table and footnotes.

    ``notes``: the footnotes, as :func:`footnotes` takes them; ``script``: the
    file to run again for memory probes.
    """
    from sklearn.exceptions import ConvergenceWarning

    rows_by_number = check_cases(cases)
    cfg = parse_args(argv, description, rows_by_number)
    cfg.script = script
    warnings.simplefilter("ignore", ConvergenceWarning)
    if cfg.memory_probe:
        _probe_case(cases, cfg)
        return
    if cfg.numpy:
        importlib.import_module("skmlp._core._kernels").USE_NUMBA = False
    cfg.skmlp_path = skmlp_path()  # before timing: the code under test may change meanwhile
    cfg.load_start = os.getloadavg()[0]
    with thread_limits(cfg.blas_threads, cfg.single_thread):
        tic = time.perf_counter()
        rows = []
        for number in cfg.rows:
            for r in run_case(rows_by_number[number], cfg):
                rows.append({**r, "number": number})
        elapsed = time.perf_counter() - tic
        print(header(title, cfg))
    print()
    print(table(rows))
    print()
    for note in footnotes(notes, rows, cfg.notes):
        print(f"- {note}")
    print(f"- Total run time: {elapsed:.0f} s.")
