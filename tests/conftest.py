"""Estimator makers and data sets shared by the test modules.

A maker takes keyword arguments that override its defaults and returns a new,
unfitted estimator: ``make_estimator(max_iter=3)``.
"""

import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)
from skmlp._core import _kernels

# One of each estimator, with the defaults of its own solver.
ESTIMATOR_MAKERS = {
    "perceptron": lambda **kw: PerceptronClassifier(**{"random_state": 0, **kw}),
    "adaline": lambda **kw: AdalineClassifier(**{"random_state": 0, **kw}),
    "mlp": lambda **kw: MLPBackpropClassifier(
        **{
            "hidden_layer_sizes": (8,),
            "learning_rate_init": 0.05,
            "max_iter": 100,
            "random_state": 0,
            **kw,
        }
    ),
}

# Every training path: Adaline full-batch and per-sample, the MLP with Adam and
# with momentum SGD.
SOLVER_MAKERS = {
    "perceptron": lambda **kw: PerceptronClassifier(**{"random_state": 0, **kw}),
    "adaline": lambda **kw: AdalineClassifier(**{"random_state": 0, **kw}),
    "adaline-sgd": lambda **kw: AdalineClassifier(
        **{"random_state": 0, "batch_size": 1, "eta0": 0.01, **kw}
    ),
    "mlp-adam": lambda **kw: MLPBackpropClassifier(
        **{"hidden_layer_sizes": (6,), "learning_rate_init": 0.05, "random_state": 0, **kw}
    ),
    "mlp-sgd": lambda **kw: MLPBackpropClassifier(
        **{
            "hidden_layer_sizes": (6,),
            "solver": "sgd",
            "learning_rate_init": 0.05,
            "random_state": 0,
            **kw,
        }
    ),
}

# The regressors on every training path: Adaline full-batch and per-sample,
# the MLP with Adam and with momentum SGD.  Tests whose assertions hold for
# any estimator take them too (``make_any_solver``), fitted on the same data
# with the labels as values.
REGRESSOR_MAKERS = {
    "adaline-reg": lambda **kw: AdalineRegressor(**{"random_state": 0, **kw}),
    "adaline-reg-sgd": lambda **kw: AdalineRegressor(
        **{"random_state": 0, "batch_size": 1, "eta0": 0.01, **kw}
    ),
    "mlp-reg-adam": lambda **kw: MLPBackpropRegressor(
        **{"hidden_layer_sizes": (6,), "learning_rate_init": 0.05, "random_state": 0, **kw}
    ),
    "mlp-reg-sgd": lambda **kw: MLPBackpropRegressor(
        **{
            "hidden_layer_sizes": (6,),
            "solver": "sgd",
            "learning_rate_init": 0.01,
            "random_state": 0,
            **kw,
        }
    ),
}

ANY_SOLVER_MAKERS = {**SOLVER_MAKERS, **REGRESSOR_MAKERS}

# One of each estimator, sized for the digits: Adaline on mini-batches, a wider MLP.
DIGITS_MAKERS = {
    "perceptron": lambda **kw: PerceptronClassifier(**{"random_state": 0, **kw}),
    "adaline": lambda **kw: AdalineClassifier(**{"random_state": 0, "batch_size": 16, **kw}),
    "mlp": lambda **kw: MLPBackpropClassifier(
        **{"hidden_layer_sizes": (16,), "learning_rate_init": 0.01, "random_state": 0, **kw}
    ),
}


@pytest.fixture(params=list(ESTIMATOR_MAKERS))
def make_estimator(request):
    """A maker of each ``ESTIMATOR_MAKERS`` in turn."""
    return ESTIMATOR_MAKERS[request.param]


@pytest.fixture(params=list(SOLVER_MAKERS))
def make_solver(request):
    """A maker of each ``SOLVER_MAKERS`` in turn."""
    return SOLVER_MAKERS[request.param]


@pytest.fixture(params=list(ANY_SOLVER_MAKERS))
def make_any_solver(request):
    """A maker of each classifier's and regressor's training path in turn."""
    return ANY_SOLVER_MAKERS[request.param]


@pytest.fixture(params=list(REGRESSOR_MAKERS))
def make_regressor(request):
    """A maker of each ``REGRESSOR_MAKERS`` in turn."""
    return REGRESSOR_MAKERS[request.param]


@pytest.fixture
def solver_makers():
    """``SOLVER_MAKERS`` by name, for tests of some of them."""
    return SOLVER_MAKERS


@pytest.fixture(params=list(DIGITS_MAKERS))
def make_for_digits(request):
    """A maker of each ``DIGITS_MAKERS`` in turn."""
    return DIGITS_MAKERS[request.param]


# The regressors sized for the digits, fitted on the digit as a value.
DIGITS_ANY_MAKERS = {
    **DIGITS_MAKERS,
    "adaline-reg": lambda **kw: AdalineRegressor(**{"random_state": 0, "batch_size": 16, **kw}),
    "mlp-reg": lambda **kw: MLPBackpropRegressor(
        **{"hidden_layer_sizes": (16,), "learning_rate_init": 0.01, "random_state": 0, **kw}
    ),
}


@pytest.fixture(params=list(DIGITS_ANY_MAKERS))
def make_any_for_digits(request):
    """A maker of each ``DIGITS_ANY_MAKERS`` (classifiers and regressors) in turn."""
    return DIGITS_ANY_MAKERS[request.param]


@pytest.fixture(scope="module")
def raw_iris():
    """The iris data as loaded: ``X, y``."""
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def iris():
    """The iris data, standardized: ``X, y``."""
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def digits():
    """The digits data, standardized: ``X, y``."""
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def split(digits):
    """The standardized digits split 70/30, stratified: ``X, X_val, y, y_val``."""
    X, y = digits
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture
def kernel_path(request, monkeypatch):
    """Train on the numba kernels or on NumPy's, as parametrized indirectly with
    ``"numba"`` or ``"numpy"``; ``"numba"`` is skipped where numba is not installed."""
    if request.param == "numba" and not _kernels.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(_kernels, "USE_NUMBA", request.param == "numba")
    return request.param
