"""skmlp: the classic neural classifiers as scikit-learn estimators.

``PerceptronClassifier`` (Rosenblatt's rule), ``AdalineClassifier`` (the
linear neuron on the squared error) and ``MLPBackpropClassifier`` (a sigmoid
network trained by backpropagation) share one NumPy backprop core.
"""

from ._adaline import AdalineClassifier
from ._gradient_check import check_gradients
from ._mlp import MLPBackpropClassifier
from ._perceptron import PerceptronClassifier

__version__ = "0.1.0"

__all__ = [
    "AdalineClassifier",
    "MLPBackpropClassifier",
    "PerceptronClassifier",
    "__version__",
    "check_gradients",
]
