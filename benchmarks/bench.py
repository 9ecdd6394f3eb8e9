"""Speed and memory of skmlp against its peers, as one Markdown table.

Run from the repository root::

    python benchmarks/bench.py               # full run, 5 repeats (several minutes)
    python benchmarks/bench.py --quick       # small data, 2 repeats, well under a minute
    python benchmarks/bench.py --rows 1,3    # only some rows (1-25)
    python benchmarks/bench.py --repeats 9   # more repeats
    python benchmarks/bench.py --blas-threads 1  # single-threaded BLAS (threadpoolctl)
    python benchmarks/bench.py --single-thread   # one thread for BLAS and OpenMP alike
    python benchmarks/bench.py --budget 120  # seconds of timing allowed per row
    python benchmarks/bench.py --numpy       # skmlp's NumPy path even with numba installed

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

The rows are the list ``CASES``: one :class:`_harness.Case` each, naming its
data maker, skmlp's side, the peer's side, the goal and a footnote.  Timing,
the command line and the table are in ``_harness.py``.

The quick mode asserts nothing about time; it only keeps the script working.
Progress goes to stderr; the header and the table go to stdout.
"""

import functools
import os
import sys

import numpy as np
import scipy.sparse
from sklearn.linear_model import Perceptron, SGDClassifier, SGDRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # loaded by path (tests), not run as a script
    sys.path.append(HERE)

from _harness import (  # noqa: E402
    LINEAR_TOLERANCE,
    Case,
    Dataset,
    Skip,
    backprop_products,
    batch_note,
    case_notes,
    check_cases,
    data_maker,
    describe,
    epochs_note,
    fits,
    mark,
    n_iter_note,
    predicts,
    predicts_proba,
    thousands,
)
from _harness import footnotes as _footnotes  # noqa: E402
from _harness import main as _main  # noqa: E402

__all__ = ["CASES", "FOOTNOTES", "LINEAR_TOLERANCE", "ROWS", "footnotes", "main", "mark"]

HIDDEN, N_CLASSES, BATCH = 100, 10, 200


# -- data --------------------------------------------------------------------


@functools.cache
def _normal(n, d):
    """``X`` of shape (n, d) standard normal, float64, and 10-class labels."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, d)), rng.integers(0, N_CLASSES, n)


@functools.cache
def _normal_as(n, d, dtype):
    X, y = _normal(n, d)
    return X.astype(dtype) if np.dtype(dtype) != X.dtype else X, y


@data_maker(full=(60_000, 784), quick=(2_000, 64), variants=("float32", "float64"))
def mlp(n, d, dtype):
    """Standard normal ``X`` in each dtype, 10 classes; kept for the later rows."""
    return Dataset(describe(n, d, dtype), *_normal_as(n, d, dtype))


@data_maker(full=(60_000, 784), quick=(2_000, 64), variants=("float32", "float64"))
def mlp_regression(n, d, dtype):
    """``mlp``'s ``X`` and one target, a noisy smooth function of it."""
    X, _ = _normal_as(n, d, dtype)
    noise = np.random.default_rng(1).standard_normal(n)
    y = (np.tanh(X[:, :10].sum(axis=1) / 3) + 0.1 * noise).astype(X.dtype)
    return Dataset(describe(n, d, dtype) + ", one target", X, y)


@data_maker(
    full=[(10_000, 784), (30_000, 784), (100_000, 784)],
    quick=[(1_000, 64), (2_000, 64), (4_000, 64)],
)
def mlp_growing_n(n, d, _):
    """As ``mlp`` in float64 at several n, made afresh (not kept) for each n."""
    return Dataset(describe(n, d), *_normal.__wrapped__(n, d))


@data_maker(full=(60_000, 784), quick=(2_000, 64))
def mlp_float32_probe(n, d, _):
    """Float32 standard normal ``X``, made by the memory probe's process only."""

    def load():
        rng = np.random.default_rng(0)
        return rng.standard_normal((n, d), dtype=np.float32), rng.integers(0, N_CLASSES, n)

    return Dataset(describe(n, d, "float32") + ", C-contiguous", load=load)


@data_maker(full=(50_000, 100), quick=(2_000, 64), variants=("DataFrame", "asfortranarray"))
def fortran(n, d, kind):
    """The float64 ``mlp`` data held column by column."""
    X, y = _normal(n, d)
    if kind == "asfortranarray":
        return Dataset(describe(n, d) + ", np.asfortranarray", np.asfortranarray(X), y)
    try:
        import pandas
    except ImportError:
        raise Skip("pandas is not installed; the DataFrame case is skipped") from None
    # Built from columns, a DataFrame holds its values Fortran-ordered.
    frame = pandas.DataFrame({f"x{j}": X[:, j] for j in range(d)})
    return Dataset(describe(n, d) + ", DataFrame built by columns", frame, y)


@functools.cache
def _linear(n, d, margin=0.1, flip=0.02):
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


LINEAR_SIZES = dict(full=(100_000, 100), quick=(2_000, 20))


@data_maker(**LINEAR_SIZES, variants=("separable", "2 % flipped"))
def linear(n, d, variant):
    """Separable two-class data, and the same with 2 % of labels flipped;
    skmlp's cost per sample is probed on the flipped labels."""
    X, y, y_noisy = _linear(n, d)
    return Dataset(
        describe(n, d),
        X,
        y if variant == "separable" else y_noisy,
        variant=variant,
        probe_y=y_noisy,
    )


@data_maker(**LINEAR_SIZES)
def linear_flipped(n, d, _):
    """The ``linear`` data with 2 % of labels flipped."""
    X, _, y_noisy = _linear(n, d)
    return Dataset(describe(n, d), X, y_noisy)


@data_maker(**LINEAR_SIZES)
def linear_values(n, d, _):
    """The ``linear`` data's ``X`` with a noisy linear target."""
    X, _, _ = _linear(n, d)
    w = np.random.default_rng(2).standard_normal(d)
    y = X @ w + 0.1 * np.random.default_rng(3).standard_normal(n)
    return Dataset(describe(n, d) + ", one target", X, y)


#: The small data sets scikit-learn ships, by name.
SMALL_DATA = {
    "iris": "load_iris",
    "wine": "load_wine",
    "breast cancer": "load_breast_cancer",
    "digits": "load_digits",
}


def _small(name, dtype="float64"):
    """A shipped data set, standardized, in ``dtype``: ``(X, y)``."""
    import sklearn.datasets
    from sklearn.preprocessing import StandardScaler

    X, y = getattr(sklearn.datasets, SMALL_DATA[name])(return_X_y=True)
    return StandardScaler().fit_transform(X).astype(dtype), y


def _small_variants(names, dtypes=("float64", "float32")):
    return tuple(f"{name}, {dtype}" for name in names for dtype in dtypes)


def _small_dataset(variant):
    name, dtype = variant.split(", ")
    X, y = _small(name, dtype)
    return Dataset(
        f"{name} {X.shape[0]} x {X.shape[1]} {describe(1, 1, dtype)[-3:]}", X, y, variant=variant
    )


# The sizes are the data sets' own; the harness's (n, d) are not used.
@data_maker(full=(0, 0), quick=(0, 0), variants=_small_variants(SMALL_DATA))
def small(n, d, variant):
    """The shipped classification data sets, standardized, in float64 and float32."""
    return _small_dataset(variant)


@data_maker(full=(0, 0), quick=(0, 0), variants=_small_variants(["digits"], ["float64"]))
def small_digits(n, d, variant):
    """The digits, standardized."""
    return _small_dataset(variant)


@data_maker(full=(0, 0), quick=(0, 0), variants=_small_variants(SMALL_DATA))
def small_torch(n, d, variant):
    """``small``'s data sets, where PyTorch is installed."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise Skip("PyTorch is not installed") from None
    return _small_dataset(variant)


@data_maker(
    full=(0, 0),
    quick=(0, 0),
    variants=_small_variants(["iris", "wine", "breast cancer"], ["float64"]),
)
def small_linear(n, d, variant):
    """Iris, wine and breast cancer, standardized."""
    return _small_dataset(variant)


@data_maker(full=(20_000, 2_000), quick=(2_000, 500))
def csr(n, d, _, density=0.01):
    """A CSR ``X`` with about ``density * n * d`` standard normal non-zeros at
    uniform positions, and labels separable by a random hyperplane."""
    rng = np.random.default_rng(0)
    nnz = int(round(density * n * d))
    rows, cols = rng.integers(0, n, nnz), rng.integers(0, d, nnz)
    X = scipy.sparse.csr_matrix((rng.standard_normal(nnz), (rows, cols)), shape=(n, d))
    y = (X @ rng.standard_normal(d) >= 0).astype(np.int64)
    return Dataset(lambda X: f"{thousands(n)} x {d} f64 CSR, {X.nnz / (n * d):.2%} non-zero", X, y)


# -- sides -------------------------------------------------------------------

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


def skmlp_mlp(solver, side=fits):
    return side(MLPBackpropClassifier, solver=solver, tol=None, **MLP_SETTINGS)


def sklearn_mlp(solver, side=fits):
    return side(MLPClassifier, solver=solver, tol=0.0, **MLP_SETTINGS)


# The networks of the small-data rows: batch 200, logistic hidden units, every
# epoch run (scikit-learn's tol must be a number: it never stops within 100
# epochs when waiting 10**6 for an improvement).
SMALL_SETTINGS = dict(activation="logistic", batch_size=200, random_state=0)


def small_mlp(make, solver, hidden, activation="logistic"):
    stop = {"tol": None} if make is MLPBackpropClassifier else {"n_iter_no_change": 10**6}
    settings = {**SMALL_SETTINGS, "activation": activation}
    return fits(make, solver=solver, hidden_layer_sizes=(hidden,), **settings, **stop)


def small_case(number, name, about, solver, hidden, activation="logistic", note=""):
    """A small-data row: whole fits of 100 epochs of both networks."""
    return Case(
        number,
        name,
        about=about,
        data=small,
        ours=small_mlp(MLPBackpropClassifier, solver, hidden, activation),
        peer=small_mlp(MLPClassifier, solver, hidden, activation),
        goal="<= 0.25",
        epochs={"full": 100, "quick": 5},
        detail=batch_note,
        note=note,
    )


class torch_fits(fits):
    """The small-data network in PyTorch on the CPU, trained by the loop a
    PyTorch (or skorch) user runs: per batch ``zero_grad``, forward, loss,
    ``backward`` and ``step``.

    The same network and training as ``small_mlp``'s: ``hidden`` logistic
    units, one logistic output unit per class (one for two classes) on the
    summed binary log-loss averaged over the batch, the solver with
    scikit-learn's defaults (Nesterov momentum 0.9, or Adam), the L2
    penalty ``alpha / n`` on the weights only, batches of 200 rows shuffled
    each epoch, in the data's dtype, one thread (``torch.set_num_threads``).
    """

    def __init__(self, solver, hidden, alpha=1e-4, learning_rate_init=1e-3):
        super().__init__(None)
        self.solver, self.hidden = solver, hidden
        self.alpha, self.lr = alpha, learning_rate_init

    def __call__(self, X, y, epochs):
        import torch

        torch.set_num_threads(1)
        classes = np.unique(y)
        T = y[:, None] == classes[None, 1:] if len(classes) == 2 else y[:, None] == classes
        Xt = torch.from_numpy(np.ascontiguousarray(X))
        Tt = torch.from_numpy(T.astype(X.dtype))
        n, d = X.shape
        batch = SMALL_SETTINGS["batch_size"]

        def run():
            torch.manual_seed(0)
            model = torch.nn.Sequential(
                torch.nn.Linear(d, self.hidden),
                torch.nn.Sigmoid(),
                torch.nn.Linear(self.hidden, Tt.shape[1]),
            ).to(Xt.dtype)
            weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
            biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
            groups = [
                {"params": weights, "weight_decay": self.alpha / n},
                {"params": biases, "weight_decay": 0.0},
            ]
            if self.solver == "adam":
                opt = torch.optim.Adam(groups, lr=self.lr, betas=(0.9, 0.999), eps=1e-8)
            else:
                opt = torch.optim.SGD(groups, lr=self.lr, momentum=0.9, nesterov=True)
            loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
            for _ in range(epochs):
                order = torch.randperm(n)
                for start in range(0, n, batch):
                    rows = order[start : start + batch]
                    opt.zero_grad()
                    loss = loss_fn(model(Xt[rows]), Tt[rows]) / len(rows)
                    loss.backward()
                    opt.step()

        return run


#: Calls per timing of the one-row prediction rows (each quotes one call).
ROW_CALLS = 1_000


def one_row_case(number, name, about, ours, peer, method, note="", **params):
    """A prediction-latency row: ``method`` on one row of the digits, fitted
    with ``max_iter=20``."""
    sides = [
        predicts(make, method=method, rows=1, calls=ROW_CALLS, random_state=0, **params)
        for make in (ours, peer)
    ]
    return Case(
        number,
        name,
        about=about,
        data=small_digits,
        ours=sides[0],
        peer=sides[1],
        goal="<= 1.0",
        epochs=20,
        note=note,
    )


class searches(fits):
    """A side that runs the README's grid search with ``make`` as the network."""

    def __call__(self, X, y, epochs):
        from sklearn.model_selection import GridSearchCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        def run():
            pipe = make_pipeline(StandardScaler(), self.make(**self.params))
            grid = {
                f"{pipe.steps[-1][0]}__alpha": [1e-4, 1e-2, 1.0],
                f"{pipe.steps[-1][0]}__hidden_layer_sizes": [(30,), (100,)],
            }
            run.last = GridSearchCV(pipe, grid, cv=3).fit(X, y)

        run.last = None
        return run


def skmlp_mlp_regressor(solver):
    return fits(MLPBackpropRegressor, solver=solver, tol=None, **MLP_SETTINGS)


def sklearn_mlp_regressor(solver):
    return fits(MLPRegressor, solver=solver, tol=0.0, **MLP_SETTINGS)


def matmul_floor(X, y, epochs):
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
            backprop_products(np.matmul, Xb, W1, W2, H[:nb], Out[:nb], D2[:nb], D1[:nb], G1, G2)

    return run


def adaline_floor(X, y, epochs):
    """``X @ w`` plus ``X.T @ e`` per epoch, into preallocated arrays."""
    n, d = X.shape
    w, g = np.full(d, 0.01), np.empty(d)
    z, e = np.empty(n), np.full(n, 0.01)

    def run():
        for _ in range(epochs):
            np.matmul(X, w, out=z)
            np.matmul(X.T, e, out=g)

    return run


# -- rows --------------------------------------------------------------------


#: One entry per row of the table, in the order of their numbers (see ``Case``).
# fmt: off
CASES = [
    Case(1, ("MLP epoch, sgd vs matmul floor", "MLP epoch, sgd vs sklearn"),
         about="One epoch of sgd: against the matmul floor and against sklearn.",
         data=mlp, ours=skmlp_mlp("sgd"), peer=(matmul_floor, sklearn_mlp("sgd")),
         goal=("<= 1.15", "<= 0.6"),
         note=f"Matmul floor (row 1): the five products of each batch of {BATCH} rows "
         "alone (preallocated, `out=`)."),
    Case(2, "MLP epoch, adam vs sklearn", about="One epoch of adam against sklearn.",
         data=mlp, ours=skmlp_mlp("adam"), peer=sklearn_mlp("adam"), goal="<= 0.6"),
    Case(3, "Perceptron fit, {variant}, per epoch",
         about="Perceptron, time per epoch, separable and with 2 % of labels flipped.",
         data=linear, ours=fits(PerceptronClassifier, tol=None, shuffle=False),
         peer=fits(Perceptron, tol=None, shuffle=False), goal="<= 1.0",
         note="Perceptron (row 3): skmlp's stops after an epoch without mistakes (so may "
         "the separable case); sklearn's runs all `max_iter` epochs with `tol=None`.",
         epochs=10, per_epoch=True, per_sample=True, budget=1 / 2, detail=n_iter_note),
    Case(4, "Adaline epoch, SGD (batch 1)",
         about="Adaline with one sample per update against SGDClassifier, per epoch.",
         data=linear_flipped,
         # alpha=0 matches the peer's penalty=None.
         ours=fits(AdalineClassifier, alpha=0.0, batch_size=1, eta0=1e-4, tol=None,
                   shuffle=False),
         peer=fits(SGDClassifier, loss="squared_error", penalty=None,
                   learning_rate="constant", eta0=1e-4, tol=None, shuffle=False),
         goal="<= 1.0", epochs={"full": 2, "quick": 1}, per_epoch=True, per_sample=True,
         detail=epochs_note),
    Case(5, "Adaline epoch, full batch vs floor",
         about="Full-batch Adaline per epoch against ``X @ w`` plus ``X.T @ e``.",
         data=linear_flipped, ours=fits(AdalineClassifier, batch_size=None, eta0=0.01, tol=None),
         peer=adaline_floor, goal="<= 1.2",
         note="Full-batch Adaline floor (row 5): `X @ w` plus `X.T @ e` per epoch.",
         epochs={"full": 20, "quick": 5}, per_epoch=True, detail=epochs_note),
    Case(6, "predict_proba vs sklearn",
         about="``predict_proba`` of the fitted sgd networks of row 1.",
         data=mlp, ours=skmlp_mlp("sgd", predicts_proba),
         peer=sklearn_mlp("sgd", predicts_proba), goal="<= 1.0"),
    Case(7, "peak memory of fit (sgd, tracemalloc)",
         about="Peak memory added by one sgd fit, as a fraction of ``X.nbytes``.",
         data=mlp_float32_probe, ours=skmlp_mlp("sgd"), peer=sklearn_mlp("sgd"),
         goal="<= 0.25 x X.nbytes", memory=True),
    Case(8, "scaling: MLP sgd epoch vs sklearn",
         about="One sgd epoch at growing n, float64: time per epoch and per sample.",
         data=mlp_growing_n, ours=skmlp_mlp("sgd"), peer=sklearn_mlp("sgd"),
         goal="linear in n"),
    Case(9, "MLP epoch, sgd, Fortran-ordered input vs sklearn",
         about="One sgd epoch on Fortran-ordered input, against sklearn on the same input.",
         data=fortran, ours=skmlp_mlp("sgd"), peer=sklearn_mlp("sgd"), goal="<= 1.0",
         note="Fortran-ordered input (row 9): the sgd network of the MLP rows "
         f"({HIDDEN} logistic hidden units, batches of {BATCH}, momentum 0.9) on a float64 "
         "`X` held column by column (a `pandas.DataFrame` built from columns, and "
         "`np.asfortranarray`), both estimators fitted on the same object."),
    Case(10, "Perceptron fit on CSR, per epoch",
         about="Perceptron on a sparse CSR ``X``, time per epoch, against sklearn's.",
         data=csr, ours=fits(PerceptronClassifier, tol=None, shuffle=True, random_state=0),
         peer=fits(Perceptron, tol=None, shuffle=True, random_state=0), goal="<= 2.0",
         note="Perceptron on CSR (row 10): `PerceptronClassifier` against `Perceptron`, "
         "both `max_iter=5, tol=None, shuffle=True, random_state=0`, on a CSR `X` with "
         "standard normal non-zeros at random positions and labels separable by a random "
         "hyperplane; time per epoch (fit / `n_iter_`).",
         epochs=5, per_epoch=True, per_sample=True, detail=n_iter_note),
    Case(11, "MLP regressor epoch, sgd vs sklearn",
         about="One sgd epoch of the MLP regressors, one target.",
         data=mlp_regression, ours=skmlp_mlp_regressor("sgd"),
         peer=sklearn_mlp_regressor("sgd"), goal="<= 0.6",
         note="MLP regressors (row 11): the sgd network and batches of the MLP rows with "
         "one identity output unit, `MLPBackpropRegressor` against `MLPRegressor`."),
    Case(12, "Adaline regressor epoch, SGD (batch 1)",
         about="AdalineRegressor with one sample per update against SGDRegressor, per epoch.",
         data=linear_values,
         # alpha=0 matches the peer's penalty=None.
         ours=fits(AdalineRegressor, alpha=0.0, batch_size=1, eta0=1e-4, tol=None,
                   shuffle=False),
         peer=fits(SGDRegressor, loss="squared_error", penalty=None,
                   learning_rate="constant", eta0=1e-4, tol=None, shuffle=False),
         goal="<= 1.0", epochs={"full": 2, "quick": 1}, per_epoch=True, per_sample=True,
         detail=epochs_note),
    *[small_case(number, f"small data, {solver}, {hidden} hidden, {{variant}}",
                 f"Small data: fits of 100 epochs, {solver}, {hidden} logistic hidden units.",
                 solver, hidden,
                 note="" if number != 13 else "Small data (rows 13 to 16): the data sets "
                 "scikit-learn ships, standardized; both networks with `batch_size=200`, "
                 "logistic hidden units, every epoch run, `random_state=0`, the solver's "
                 "defaults. Per batch: a fit's time over its batches; products: the five "
                 "matrix products of backpropagation for the batch's shapes, timed alone; "
                 "the rest: all else, per-epoch and per-fit costs spread over the batches.")
      for number, solver, hidden in [(13, "sgd", 30), (14, "sgd", 100), (15, "adam", 30),
                                     (16, "adam", 100)]],
    Case(17, "README grid search, {variant}",
         about="The README grid search: 3 alphas x 2 hidden sizes, cv=3, with the refit.",
         data=small_digits,
         ours=searches(MLPBackpropClassifier, learning_rate_init=0.01, early_stopping=True,
                       random_state=0),
         peer=searches(MLPClassifier, learning_rate_init=0.01, early_stopping=True,
                       activation="logistic", random_state=0),
         goal="<= 0.35",
         note="README grid search (row 17): `GridSearchCV` over `alpha` in {1e-4, 1e-2, 1} "
         "and `hidden_layer_sizes` in {(30,), (100,)} with `cv=3`, each network behind a "
         "`StandardScaler` with `learning_rate_init=0.01, early_stopping=True`, "
         "`random_state=0`; scikit-learn's with logistic hidden units."),
    Case(18, "Perceptron fit, {variant}",
         about="Linear models on small data: PerceptronClassifier against Perceptron.",
         data=small_linear,
         ours=fits(PerceptronClassifier, random_state=0),
         peer=fits(Perceptron, random_state=0), goal="<= 1.0", epochs=1000,
         detail=n_iter_note,
         note="Linear models on small data (rows 18 and 19): whole fits with "
         "`max_iter=1000` and each side's stopping rule, `random_state=0`; the Adaline "
         "rows with `batch_size=1` against `SGDClassifier(loss=\"squared_error\")`, both "
         "with a constant `eta0=0.01`."),
    Case(19, "Adaline SGD fit vs SGDClassifier, {variant}",
         about="AdalineClassifier with batch_size=1 against SGDClassifier, whole fits.",
         data=small_linear,
         ours=fits(AdalineClassifier, batch_size=1, eta0=0.01, random_state=0),
         peer=fits(SGDClassifier, loss="squared_error", learning_rate="constant", eta0=0.01,
                   random_state=0),
         goal="<= 1.0", epochs=1000, detail=n_iter_note),
    small_case(20, "small data, adam, 30 relu hidden, {variant}",
               "Small data with relu hidden units: fits of 100 epochs, adam, 30 units.",
               "adam", 30, "relu",
               note="Relu hidden units (row 20): the small-data networks with "
               "`activation=\"relu\"`, which skmlp trains with its compiled epoch "
               "(`skmlp/_core/_compiled_epoch.py`)."),
    *[one_row_case(number, f"one-row {method}, {kind}, {{variant}}",
                   f"One-row prediction latency: {method} of one row, {kind}.", ours, peer, method,
                   note="" if number != 21 else "One-row prediction (rows 21 to 23): "
                   f"{ROW_CALLS} calls on the first row of the digits per timing, the "
                   "time of one quoted; the models fitted on all of the digits with "
                   "`max_iter=20`, the MLPs with 100 logistic hidden units.",
                   **params)
      for number, method, kind, ours, peer, params in [
          (21, "predict", "MLP", MLPBackpropClassifier, MLPClassifier,
           {"activation": "logistic"}),
          (22, "predict_proba", "MLP", MLPBackpropClassifier, MLPClassifier,
           {"activation": "logistic"}),
          (23, "predict", "Perceptron", PerceptronClassifier, Perceptron, {}),
      ]],
    *[Case(number, f"small data vs PyTorch CPU, {solver}, {hidden} hidden, {{variant}}",
           about=f"Small data against PyTorch on the CPU: fits of 100 epochs, {solver}.",
           data=small_torch, ours=small_mlp(MLPBackpropClassifier, solver, hidden),
           peer=torch_fits(solver, hidden), goal="<= 1.0",
           epochs={"full": 100, "quick": 5}, detail=epochs_note,
           note="" if number != 24 else "Small data against PyTorch (rows 24 and 25, "
           "where PyTorch is installed): the networks of the small-data rows trained in "
           "PyTorch on the CPU, one thread, by the per-batch loop its users (and skorch) "
           "run: `zero_grad`, forward, `BCEWithLogitsLoss`, `backward`, `step`.")
      for number, solver, hidden in [(24, "sgd", 30), (25, "adam", 30)]],
]
# fmt: on

#: The rows by number (``--rows``, the "#" column, the footnotes).
ROWS = check_cases(CASES)

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
    *case_notes(CASES),
]


def footnotes(rows, extra=()):
    """The notes to print under ``rows`` (dicts with a "number"), then ``extra``."""
    return _footnotes(FOOTNOTES, rows, extra)


def main(argv=None):
    _main(
        CASES,
        FOOTNOTES,
        script=__file__,
        description=__doc__.split("\n", 1)[0],
        title="skmlp benchmarks",
        argv=argv,
    )


if __name__ == "__main__":
    main()
