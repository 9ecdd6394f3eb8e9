"""skmlp: the classic neural networks as scikit-learn estimators.

``PerceptronClassifier`` (Rosenblatt's rule), ``AdalineClassifier`` and
``AdalineRegressor`` (the linear neuron on the squared error), and
``MLPBackpropClassifier`` and ``MLPBackpropRegressor`` (a sigmoid network
trained by backpropagation) share one NumPy backprop core.

Where things are:

- ``_perceptron``, ``_adaline``, ``_mlp``: the estimators: their parameters,
  the network each builds, its training configuration, optimizer and output
  map.  ``_linear``: the linear models' single layer;
  ``_mlp_base``: the multi-layer networks; ``_probability``: the
  classifiers' probability maps.
- ``_base``: ``BaseNetwork``, the parameters every estimator shares and the
  public ``fit``, and ``BaseNetworkClassifier`` and ``BaseNetworkRegressor``,
  what makes a classifier or a regressor, assembled from:

  - ``_fitting``: the one fitting pipeline and its rollback of failed calls;
  - ``_predict``: the prediction methods;
  - ``_source``: the sources of input, the one place that asks what kind of
    input a call holds (in memory, array API) and builds the core's rows;
    ``_dask`` adds the Dask source and rows;
  - ``_validation``: input validation and array namespaces;
  - ``_targets``: target coding (labels or values); ``_weights``: sample
    and class weights;
  - ``_monitor``: validation data, the early-stopping split and scorers;
  - ``_callbacks``: scikit-learn's callbacks, reported epoch by epoch.
- ``_core``: the backprop core, pure NumPy, no scikit-learn (its own
  docstring maps it).
- ``_gradient_check``: ``check_gradients``; ``_warnings``: warnings that
  point at the user's line; ``__main__``: the demo.
- ``onnx``: ONNX export, skl2onnx converters registered on import (the
  ``onnx`` extra).
"""

from ._adaline import AdalineClassifier, AdalineRegressor
from ._gradient_check import check_gradients
from ._mlp import MLPBackpropClassifier, MLPBackpropRegressor
from ._perceptron import PerceptronClassifier

__version__ = "0.1.0"

__all__ = [
    "AdalineClassifier",
    "AdalineRegressor",
    "MLPBackpropClassifier",
    "MLPBackpropRegressor",
    "PerceptronClassifier",
    "__version__",
    "check_gradients",
]
