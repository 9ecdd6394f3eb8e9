"""Parameter values of the wrong kind are refused with the parameter named."""

import numpy as np
import pytest

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize(
    "params",
    [
        {"batch_size": True},
        {"batch_size": False},
        {"max_iter": True},
        {"n_iter_no_change": True},
        {"max_fun": True},
        {"hidden_layer_sizes": True},
        {"hidden_layer_sizes": (True, 4)},
        {"dropout": [np.nan]},
        {"dropout": [None]},
        {"dropout": {0: 0.1}},
        {"dropout": {0.1}},
        {"dropout": 0.1 + 0.2j},
        {"dropout": [0.1j]},
        {"dropout": True},
        {"dropout": "0.1"},
        {"dropout": [[0.1]]},
    ],
    ids=str,
)
def test_bad_parameters_are_named(iris, params):
    X, y = iris
    name = next(iter(params))
    with pytest.raises(ValueError, match=name):
        MLPBackpropClassifier(**{"max_iter": 2, **params}).fit(X, y)


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_linear_models_refuse_boolean_sizes(iris, cls):
    X, y = iris
    for params in [{"batch_size": True}, {"max_iter": True}, {"n_iter_no_change": True}]:
        with pytest.raises(ValueError, match=next(iter(params))):
            cls(**params).fit(X, y)
