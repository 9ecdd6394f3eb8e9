"""ONNX export: skl2onnx converters for the skmlp estimators.

Importing this module registers a converter with skl2onnx for each of the
five estimators, so that ``skl2onnx.to_onnx(model, X[:1])`` converts a fitted
estimator, alone or as a step of a ``Pipeline`` (after a ``StandardScaler``
or a ``ColumnTransformer``, say), and onnxruntime serves the graph from
Python, C++, C#, Java or a browser.  It needs the ``onnx`` extra::

    pip install "skmlp[onnx]"

The graph computes what the estimator computes, in the dtype of its input
(float32 or float64, the weights cast to it):

- the network: ``A[l] = phi(A[l-1] W[l] + b[l])`` for every layer, with the
  fitted hidden activation; the output layer's pre-activations ``Z`` are
  ``decision_function``;
- a classifier's outputs ``label`` (``predict``) and ``probabilities``
  (``predict_proba``), by its output map: the MLP's softmax, its logistic
  units normalised over the classes (``softmax(log sigma(Z))``) or one per
  label (multilabel, with 0/1 labels), and the linear models' unit-step
  decision and their monotone probability map (``LinearOutputMap``);
- a regressor's output ``variable`` (``predict``), one column per target.

Classifiers take skl2onnx's parser options: ``zipmap`` (``True``, the
default, gives a list of ``{label: probability}`` maps; ``False`` the
probability matrix; ``"columns"`` one output per class) and ``nocl``
(``True``: labels are the class indices ``0 .. n_classes - 1``).  Labels are
integers or strings, as ``classes_`` holds them (integral float labels
become integers).  Only a model fitted on NumPy arrays can be exported: a
model fitted in another array namespace (on a GPU, say) is refused with a
``ValueError``.

Examples
--------
>>> import numpy as np
>>> import onnxruntime as ort
>>> from skl2onnx import to_onnx
>>> from sklearn.datasets import load_iris
>>> import skmlp.onnx  # registers the converters
>>> from skmlp import MLPBackpropClassifier
>>> X, y = load_iris(return_X_y=True)
>>> X = X.astype(np.float32)
>>> clf = MLPBackpropClassifier(solver="lbfgs", max_iter=1000,
...                             random_state=0).fit(X, y)
>>> onx = to_onnx(clf, X[:1], options={"zipmap": False})
>>> session = ort.InferenceSession(onx.SerializeToString(),
...                                providers=["CPUExecutionProvider"])
>>> label, proba = session.run(None, {"X": X})
>>> bool((label == clf.predict(X)).all())
True
>>> bool(np.allclose(proba, clf.predict_proba(X), atol=1e-5))
True
"""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

try:
    from onnx import TensorProto
    from onnx.numpy_helper import from_array
    from skl2onnx import update_registered_converter
    from skl2onnx._parse import _parse_sklearn_classifier
    from skl2onnx.common.data_types import (
        DoubleTensorType,
        FloatTensorType,
        Int64TensorType,
        StringTensorType,
    )
    from skl2onnx.common.utils import check_input_and_output_numbers, check_input_and_output_types
except ImportError as exc:  # pragma: no cover - the message is what is tested
    raise ImportError(
        f"skmlp.onnx needs skl2onnx and onnxruntime ({exc}): install them with "
        'pip install "skmlp[onnx]".'
    ) from exc

from ._core.activations import LEAKY_SLOPE
from ._probability import LinearOutputMap, NetworkOutputMap

__all__ = []

#: The parser options registered for every classifier (skl2onnx's names).
_CLASSIFIER_OPTIONS = {"zipmap": [True, False, "columns"], "nocl": [True, False]}


class _Graph:
    """Nodes added to a skl2onnx container, in one float dtype."""

    def __init__(self, scope, container, dtype):
        self.scope, self.container, self.dtype = scope, container, dtype

    def const(self, value, dtype=None):
        """An initializer holding ``value`` (in the graph's dtype by default)."""
        value = np.asarray(value, dtype=self.dtype if dtype is None else dtype)
        name = self.scope.get_unique_variable_name("c")
        if value.dtype == object:  # strings: skl2onnx copies only a tensor's raw data
            content = [str(v).encode("utf-8") for v in value.ravel()]
            self.container.add_initializer(name, TensorProto.STRING, list(value.shape), content)
        else:
            self.container.add_initializer(name, None, None, from_array(value, name))
        return name

    def op(self, op_type, *inputs, output=None, **attrs):
        """The output name of an ``op_type`` node on ``inputs``."""
        if output is None:
            output = self.scope.get_unique_variable_name(op_type.lower())
        self.container.add_node(
            op_type,
            list(inputs),
            output,
            name=self.scope.get_unique_operator_name(op_type),
            **attrs,
        )
        return output

    def reduce(self, op_type, X):
        """``op_type`` (``ReduceMax``, ``ReduceSum``) over the rows' columns,
        keeping the dimension: the axes are an input from opset 18 (13 for
        ``ReduceSum``), an attribute before."""
        since = 13 if op_type == "ReduceSum" else 18
        if (self.container.target_opset or since) >= since:
            return self.op(op_type, X, self.const([1], np.int64), keepdims=1)
        return self.op(op_type, X, axes=[1], keepdims=1)


# onnxruntime (1.32) has no float64 kernel for Softplus, Elu or LeakyRelu:
# these three are written with operators it has in both dtypes.


def _softplus(g, Z):
    # max(z, 0) + log(1 + exp(-|z|)), free of overflow.
    tail = g.op("Log", g.op("Add", g.const(1), g.op("Exp", g.op("Neg", g.op("Abs", Z)))))
    return g.op("Add", g.op("Relu", Z), tail)


def _elu(g, Z):
    # z where positive, exp(z) - 1 elsewhere.
    negative = g.op("Sub", g.op("Exp", g.op("Min", Z, g.const(0))), g.const(1))
    return g.op("Where", g.op("Greater", Z, g.const(0)), Z, negative)


#: The ONNX of each activation of ``skmlp._core.activations``.
_ACTIVATIONS = {
    "identity": lambda g, Z: Z,
    "logistic": lambda g, Z: g.op("Sigmoid", Z),
    "tanh": lambda g, Z: g.op("Tanh", Z),
    "relu": lambda g, Z: g.op("Relu", Z),
    "leaky_relu": lambda g, Z: g.op("Max", Z, g.op("Mul", Z, g.const(LEAKY_SLOPE))),
    "elu": _elu,
    "softplus": _softplus,
}


def _host_network(model):
    """The fitted network, refused unless its weights are NumPy arrays."""
    check_is_fitted(model)
    fitted = model._network_arrays()[0]
    if not isinstance(fitted, np.ndarray):
        where = getattr(fitted, "device", None)
        raise ValueError(
            f"{type(model).__name__} was fitted on {type(fitted).__module__.split('.')[0]} arrays"
            f"{'' if where is None else f' on {where}'}; ONNX export reads its weights as "
            "NumPy arrays on the host: fit it on NumPy input, or convert its fitted "
            "arrays to NumPy first."
        )
    return model._network()


def _decision(g, model, X):
    """The output layer's pre-activations ``Z`` for the input ``X``, and
    their number of columns (of output units)."""
    net = _host_network(model)
    A = X  # float32 or float64, the graph's dtype
    last = len(net.coefs) - 1
    for l, (W, b) in enumerate(zip(net.coefs, net.intercepts)):
        Z = g.op("Add", g.op("MatMul", A, g.const(W)), g.const(np.reshape(b, (1, -1))))
        if l < last:
            A = _ACTIVATIONS[net.activation](g, Z)
    return Z, net.coefs[-1].shape[1]


def _network_outputs(g, model, Z, n_units):
    """The MLP's ``(label indices or 0/1 labels, probabilities)``."""
    if model.out_activation_ == "softmax":
        P = g.op("Softmax", Z, axis=1)
    elif model._is_multilabel():
        P = g.op("Sigmoid", Z)
        return g.op("Cast", g.op("Greater", P, g.const(0.5)), to=TensorProto.INT64), P
    elif n_units == 1:
        P = g.op("Concat", g.op("Sigmoid", g.op("Neg", Z)), g.op("Sigmoid", Z), axis=1)
    else:
        # sigma(z_j) / sum_k sigma(z_k), as a softmax of log sigma(z).
        P = g.op("Softmax", g.op("Neg", _softplus(g, g.op("Neg", Z))), axis=1)
    return g.op("ArgMax", P, axis=1, keepdims=0), P


def _linear_outputs(g, model, Z, n_units):
    """The linear models' unit-step decision and probability map."""
    if n_units == 1:
        # [1 - g(z), g(z)] with g(z) = (1 + z / (1 + |z|)) / 2; classes_[1] where z >= 0.
        ratio = g.op("Div", Z, g.op("Add", g.const(1), g.op("Abs", Z)))
        positive = g.op("Add", g.const(0.5), g.op("Mul", g.const(0.5), ratio))
        P = g.op("Concat", g.op("Sub", g.const(1), positive), positive, axis=1)
        winner = g.op("Cast", g.op("Not", g.op("Less", Z, g.const(0))), to=TensorProto.INT64)
        return g.op("Reshape", winner, g.const([-1], np.int64)), P
    # p_k = (1 + u_k) / sum_j (1 + u_j) with u = z / max_j |z_j|, that is
    # (s + z_k) / sum_j (s + z_j) with s = max_j |z_j|; uniform where that sum is 0.
    P = g.op("Add", Z, g.reduce("ReduceMax", g.op("Abs", Z)))
    total = g.reduce("ReduceSum", P)
    some = g.op("Greater", total, g.const(0))
    normalised = g.op("Div", P, g.op("Where", some, total, g.const(1)))
    P = g.op("Where", some, normalised, g.const(1 / n_units))
    return g.op("ArgMax", Z, axis=1, keepdims=0), P


#: Each classifier output map's graph:
#: ``(g, model, Z, n_units) -> (label indices or 0/1 labels, probabilities)``.
_OUTPUT_MAPS = {NetworkOutputMap: _network_outputs, LinearOutputMap: _linear_outputs}


def _graph(scope, operator, container):
    dtype = np.float64 if isinstance(operator.inputs[0].type, DoubleTensorType) else np.float32
    return _Graph(scope, container, dtype)


def _class_labels(model, nocl):
    """The labels the graph outputs: strings, or int64 for numeric labels
    (which the classifiers accept only where they are integral)."""
    classes = model.classes_
    if nocl:
        return np.arange(len(classes), dtype=np.int64)
    if all(isinstance(c, str) for c in classes.tolist()):
        return np.array(classes.tolist(), dtype=object)
    return classes.astype(np.int64)


def _nocl(scope, model):
    return bool(scope.get_options(model, {"nocl": False})["nocl"])


def _float_probabilities(scope, model, input_type):
    """Whether the probabilities are float32 whatever the input: the maps of
    ``zipmap=True`` hold float32 values only."""
    zipmap = scope.get_options(model, {"zipmap": True})["zipmap"]
    return zipmap is True and isinstance(input_type, DoubleTensorType)


def _parse_classifier(scope, model, inputs, custom_parsers=None):
    # Fitted first: skl2onnx's parser reads classes_ before any converter runs.
    check_is_fitted(model)
    return _parse_sklearn_classifier(scope, model, inputs, custom_parsers=custom_parsers)


def _classifier_shapes(operator):
    check_input_and_output_numbers(operator, input_count_range=1, output_count_range=2)
    check_input_and_output_types(operator, good_input_types=[FloatTensorType, DoubleTensorType])
    model = operator.raw_operator
    N = operator.inputs[0].get_first_dimension()
    labels = _class_labels(model, _nocl(operator.scope_inst, model))
    label_type = StringTensorType if labels.dtype == object else Int64TensorType
    multilabel = model._is_multilabel()
    operator.outputs[0].type = label_type([N, len(labels)] if multilabel else [N])
    input_type = operator.inputs[0].type
    if _float_probabilities(operator.scope_inst, model, input_type):
        operator.outputs[1].type = FloatTensorType([N, len(labels)])
    else:
        operator.outputs[1].type = input_type.__class__([N, len(labels)])


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    g = _graph(scope, operator, container)
    Z, n_units = _decision(g, model, operator.inputs[0].full_name)
    outputs = next(build for kind, build in _OUTPUT_MAPS.items() if isinstance(model, kind))
    labels, P = outputs(g, model, Z, n_units)
    if _float_probabilities(scope, model, operator.inputs[0].type):
        P = g.op("Cast", P, to=TensorProto.FLOAT)
    g.op("Identity", P, output=operator.outputs[1].full_name)
    if model._is_multilabel():
        g.op("Identity", labels, output=operator.outputs[0].full_name)
        return
    classes = _class_labels(model, _nocl(scope, model))
    label = operator.outputs[0].full_name
    g.op("Gather", g.const(classes, classes.dtype), labels, axis=0, output=label)


def _regressor_shapes(operator):
    check_input_and_output_numbers(operator, input_count_range=1, output_count_range=1)
    check_input_and_output_types(operator, good_input_types=[FloatTensorType, DoubleTensorType])
    N = operator.inputs[0].get_first_dimension()
    n_outputs = _host_network(operator.raw_operator).coefs[-1].shape[1]
    operator.outputs[0].type = operator.inputs[0].type.__class__([N, n_outputs])


def _convert_regressor(scope, operator, container):
    g = _graph(scope, operator, container)
    Z, _ = _decision(g, operator.raw_operator, operator.inputs[0].full_name)
    g.op("Identity", Z, output=operator.outputs[0].full_name)


def _register():
    """A converter for every estimator skmlp exports: by its kind."""
    import skmlp

    for name in skmlp.__all__:
        cls = getattr(skmlp, name)
        if isinstance(cls, type) and issubclass(cls, ClassifierMixin):
            update_registered_converter(
                cls,
                f"Skmlp{name}",
                _classifier_shapes,
                _convert_classifier,
                parser=_parse_classifier,
                options=_CLASSIFIER_OPTIONS,
            )
        elif isinstance(cls, type) and issubclass(cls, RegressorMixin):
            update_registered_converter(cls, f"Skmlp{name}", _regressor_shapes, _convert_regressor)


_register()
