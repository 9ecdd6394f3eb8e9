"""ONNX export: onnxruntime computes what the estimator computes.

For every estimator, activation, output unit, kind of target, label type and
dtype: onnxruntime's ``label`` equals ``predict`` and its ``probabilities``
equal ``predict_proba`` on held-out rows (to 1e-5 in float32, 1e-9 in
float64), alone and at the end of a ``Pipeline``.
"""

import importlib
import sys
import warnings

import numpy as np
import pytest
from sklearn import config_context
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris, load_wine, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

import skmlp
from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)
from skmlp._base import ARRAY_API_SUPPORTED

ort = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")
skmlp_onnx = importlib.import_module("skmlp.onnx")

TOLERANCE = {np.float32: 1e-5, np.float64: 1e-9}
DTYPES = [np.float32, np.float64]


def _data(dtype, n_classes=3):
    """Wine, standardised, split into training and held-out rows."""
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(dtype)
    keep = y < n_classes
    X, y = X[keep], y[keep]
    rng = np.random.RandomState(0)
    held_out = rng.rand(len(y)) < 0.3
    return X[~held_out], y[~held_out], X[held_out], y[held_out]


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _run(model, X, **options):
    """onnxruntime's outputs for ``X`` from the model exported on ``X[:1]``."""
    onx = skl2onnx.to_onnx(model, X[:1], options=options or None)
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X})


def _assert_classifier(model, X, **options):
    label, proba = _run(model, X, zipmap=False, **options)
    expected = model.predict(X)
    assert label.shape == expected.shape
    np.testing.assert_array_equal(label, expected)
    np.testing.assert_allclose(proba, model.predict_proba(X), rtol=0, atol=TOLERANCE[X.dtype.type])


CLASSIFIERS = {
    "perceptron": lambda: PerceptronClassifier(random_state=0),
    "adaline": lambda: AdalineClassifier(random_state=0),
    "adaline-sgd": lambda: AdalineClassifier(batch_size=1, eta0=0.01, random_state=0),
    "mlp-logistic": lambda: MLPBackpropClassifier(hidden_layer_sizes=(7, 5), random_state=0),
    "mlp-softmax": lambda: MLPBackpropClassifier(
        hidden_layer_sizes=(7,), output_activation="softmax", random_state=0
    ),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_labels_and_probabilities(name, n_classes, dtype):
    X, y, X_test, _ = _data(dtype, n_classes)
    model = _fit(CLASSIFIERS[name](), X, y)
    _assert_classifier(model, X_test)


def _mlp_activations():
    return sorted(MLPBackpropClassifier._parameter_constraints["activation"][0].options)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", _mlp_activations())
def test_every_hidden_activation(activation, dtype):
    X, y, X_test, _ = _data(dtype)
    model = _fit(
        MLPBackpropClassifier(hidden_layer_sizes=(6, 4), activation=activation, random_state=0),
        X,
        y,
    )
    _assert_classifier(model, X_test)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_string_labels(name, dtype):
    X, y, X_test, _ = _data(dtype)
    names = np.array(["barolo", "grignolino", "barbera"], dtype=object)
    model = _fit(CLASSIFIERS[name](), X, names[y])
    _assert_classifier(model, X_test)
    label, _ = _run(model, X_test, zipmap=False)
    assert label.dtype == object


@pytest.mark.parametrize("labels", [[-1, 1], [3, 7, 11], [0.0, 2.0, 5.0], [False, True]])
def test_numeric_labels_become_integers(labels):
    X, y, X_test, _ = _data(np.float64, len(labels))
    model = _fit(
        MLPBackpropClassifier(hidden_layer_sizes=(5,), random_state=0), X, np.asarray(labels)[y]
    )
    label, _ = _run(model, X_test, zipmap=False)
    assert label.dtype == np.int64
    np.testing.assert_array_equal(label, model.predict(X_test).astype(np.int64))


@pytest.mark.parametrize("dtype", DTYPES)
def test_multilabel(dtype):
    X, Y = make_multilabel_classification(n_samples=200, n_features=6, n_classes=4, random_state=0)
    X = StandardScaler().fit_transform(X).astype(dtype)
    model = _fit(MLPBackpropClassifier(hidden_layer_sizes=(10,), random_state=0), X[:150], Y[:150])
    label, proba = _run(model, X[150:], zipmap=False)
    np.testing.assert_array_equal(label, model.predict(X[150:]))
    np.testing.assert_allclose(proba, model.predict_proba(X[150:]), atol=TOLERANCE[dtype])
    label, maps = _run(model, X[150:])  # zipmap: one {label: probability} per row
    np.testing.assert_array_equal(label, model.predict(X[150:]))
    np.testing.assert_allclose([[m[k] for k in range(4)] for m in maps], proba, atol=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_zipmap_and_class_indices(dtype):
    # ZipMap holds float32 probabilities, also for float64 input.
    X, y, X_test, _ = _data(dtype)
    names = np.array(["barolo", "grignolino", "barbera"], dtype=object)
    model = _fit(CLASSIFIERS["mlp-logistic"](), X, names[y])
    proba = model.predict_proba(X_test)
    label, maps = _run(model, X_test)  # zipmap=True, the default
    np.testing.assert_array_equal(label, model.predict(X_test))
    assert [list(m) for m in maps] == [list(model.classes_)] * len(X_test)
    np.testing.assert_allclose([[m[c] for c in model.classes_] for m in maps], proba, atol=1e-5)
    label, *columns = _run(model, X_test, zipmap="columns")
    np.testing.assert_allclose(np.column_stack(columns), proba, atol=1e-5)
    label, _ = _run(model, X_test, zipmap=False, nocl=True)
    np.testing.assert_array_equal(model.classes_[label], model.predict(X_test))


REGRESSORS = {
    "adaline": lambda: AdalineRegressor(random_state=0),
    "adaline-sgd": lambda: AdalineRegressor(batch_size=1, eta0=0.001, random_state=0),
    "mlp": lambda: MLPBackpropRegressor(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0),
    "mlp-relu": lambda: MLPBackpropRegressor(
        hidden_layer_sizes=(8, 4), activation="relu", random_state=0
    ),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n_targets", [1, 3])
@pytest.mark.parametrize("name", REGRESSORS)
def test_regressor_values(name, n_targets, dtype):
    X, _, X_test, _ = _data(dtype)
    rng = np.random.RandomState(1)
    W = rng.randn(X.shape[1], n_targets)
    y = np.tanh(X @ W) + 0.1 * rng.randn(len(X), n_targets)
    model = _fit(REGRESSORS[name](), X, y[:, 0] if n_targets == 1 else y)
    (values,) = _run(model, X_test)
    assert values.shape == (len(X_test), n_targets)
    expected = model.predict(X_test).reshape(len(X_test), n_targets)
    np.testing.assert_allclose(values, expected, rtol=0, atol=10 * TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["perceptron", "mlp-logistic"])
def test_pipeline(name, dtype):
    X, y = load_iris(return_X_y=True)
    X = X.astype(dtype)
    columns = ColumnTransformer(
        [("scaled", StandardScaler(), [0, 1]), ("ranged", MinMaxScaler(), [2, 3])]
    )
    pipe = _fit(make_pipeline(columns, CLASSIFIERS[name]()), X[::2], y[::2])
    label, proba = _run(pipe, X[1::2], zipmap=False)
    np.testing.assert_array_equal(label, pipe.predict(X[1::2]))
    np.testing.assert_allclose(proba, pipe.predict_proba(X[1::2]), atol=TOLERANCE[dtype])

    regressor = _fit(make_pipeline(StandardScaler(), REGRESSORS["mlp"]()), X[::2], X[::2, 0])
    (values,) = _run(regressor, X[1::2])
    np.testing.assert_allclose(values[:, 0], regressor.predict(X[1::2]), atol=1e-4)


@pytest.mark.parametrize("name", [n for n in skmlp.__all__ if isinstance(getattr(skmlp, n), type)])
def test_every_estimator_is_registered_and_refused_unfitted(name):
    X = np.zeros((2, 3), dtype=np.float32)
    with pytest.raises(NotFittedError):
        skl2onnx.to_onnx(getattr(skmlp, name)(), X)


def test_a_model_fitted_off_numpy_is_refused():
    xp = pytest.importorskip("array_api_strict")
    if not ARRAY_API_SUPPORTED:
        pytest.skip("array API input needs a newer scikit-learn")
    X, y, _, _ = _data(np.float64)
    with config_context(array_api_dispatch=True):
        model = _fit(
            MLPBackpropClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0),
            xp.asarray(X),
            xp.asarray(y),
        )
    with pytest.raises(ValueError, match="fitted on array_api_strict arrays.*NumPy"):
        skl2onnx.to_onnx(model, X[:1])


def test_importing_without_skl2onnx_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "skl2onnx", None)
    monkeypatch.delitem(sys.modules, "skmlp.onnx")
    with pytest.raises(ImportError, match=r'pip install "skmlp\[onnx\]"'):
        importlib.import_module("skmlp.onnx")
