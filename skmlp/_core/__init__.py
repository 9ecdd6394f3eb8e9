"""The shared backprop core: pure NumPy, no scikit-learn.

The estimators validate their input, code their targets and then hand arrays
to these functions; nothing here knows about labels or validation.
"""

from .activations import ACTIVATIONS, DERIVATIVES, HIDDEN_ACTIVATIONS
from .losses import OUTPUT_LOSSES
from .network import (
    Network,
    add_penalty,
    data_terms,
    forward,
    initialize,
    loss_terms,
    numerical_gradient,
    objective,
    objective_value,
    predict_output,
)
from .optimizers import LEARNING_RATES, make_optimizer, squared_error_step_size
from .training import DivergenceError, History, TrainingState, train, train_lbfgs

__all__ = [
    "ACTIVATIONS",
    "DERIVATIVES",
    "HIDDEN_ACTIVATIONS",
    "LEARNING_RATES",
    "OUTPUT_LOSSES",
    "DivergenceError",
    "History",
    "Network",
    "add_penalty",
    "data_terms",
    "TrainingState",
    "forward",
    "initialize",
    "loss_terms",
    "make_optimizer",
    "numerical_gradient",
    "objective",
    "objective_value",
    "predict_output",
    "squared_error_step_size",
    "train",
    "train_lbfgs",
]
