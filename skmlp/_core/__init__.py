"""The shared backprop core: pure NumPy, no scikit-learn.

The estimators validate their input, code their targets and then hand arrays
to these functions; nothing here knows about labels, validation or which
estimator is training.  Which module does what:

- ``activations``, ``losses``: tables of small functions keyed by the
  strings users pass (the derivatives written in terms of the outputs).
- ``network``: ``Network``, ``initialize``, ``forward``, ``backward`` (the
  data term of ``J`` and its gradient), ``predict_output``.
- ``objective``: ``J`` with its gradient on all rows, ``J`` alone on data
  (``objective_value``, ``loss_terms``), central differences.
- ``optimizers``: SGD (momentum, Nesterov, schedules), Adam, Adaline's
  safe step size.
- ``rows``: the training data as the solver sees it (number of rows, total
  weight, batches in an order, sums over all rows, a subset), for NumPy
  (dense and CSR) and array API arrays; the Dask rows are ``skmlp._dask``'s.
- ``epochs``: one epoch of the kind the rows and the network call for
  (compiled per-sample, a whole compiled epoch of batches, batch by batch,
  or from the whole set's sums) and the divergence checks.
- ``training``: ``TrainingConfig`` (how a call trains), ``Hooks`` (what it
  calls around each epoch), ``History`` and ``TrainingState`` (what training
  keeps between calls) and ``train``, the epoch loop with its stopping rules.
- ``lbfgs``: ``train_lbfgs``, full-batch training with SciPy's L-BFGS-B.
- ``_kernels`` and the modules beside it: the compiled (numba) kernels, each
  a bit-identical twin of a NumPy function named in their docstrings;
  ``_compiled_epoch``, a whole mini-batch epoch in one compiled call, which
  agrees with the batch-by-batch path to rounding.
- ``_xp``: the few helpers the core needs to compute in any array namespace.
"""

from .activations import ACTIVATIONS, DERIVATIVES, HIDDEN_ACTIVATIONS
from .epochs import DivergenceError
from .lbfgs import train_lbfgs
from .losses import OUTPUT_LOSSES
from .network import (
    Architecture,
    Network,
    add_penalty,
    data_terms,
    forward,
    initialize,
    predict_output,
)
from .objective import (
    loss_terms,
    numerical_gradient,
    objective,
    objective_value,
    rows_objective,
)
from .optimizers import LEARNING_RATES, make_optimizer, squared_error_step_size
from .rows import make_rows
from .training import History, Hooks, TrainingConfig, TrainingState, train

__all__ = [
    "ACTIVATIONS",
    "Architecture",
    "DERIVATIVES",
    "HIDDEN_ACTIVATIONS",
    "LEARNING_RATES",
    "OUTPUT_LOSSES",
    "DivergenceError",
    "History",
    "Hooks",
    "Network",
    "TrainingConfig",
    "TrainingState",
    "add_penalty",
    "data_terms",
    "forward",
    "initialize",
    "loss_terms",
    "make_optimizer",
    "make_rows",
    "numerical_gradient",
    "objective",
    "objective_value",
    "predict_output",
    "rows_objective",
    "squared_error_step_size",
    "train",
    "train_lbfgs",
]
