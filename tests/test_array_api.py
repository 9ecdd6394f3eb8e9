"""Array API dispatch: the estimators compute in the namespace of their input.

scikit-learn's own array API checks run from ``test_common.py`` (the
estimators declare ``array_api_support``); these tests add what those checks
do not look at: equality with the NumPy fit for every solver, the fitted
weights' namespace and device, pipelines, validation data, warm starts and
clear errors.  They run with ``array-api-strict`` (a test dependency) and
with PyTorch or CuPy where those are installed.
"""

import pickle

import numpy as np
import pytest
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._array_api import yield_namespace_device_dtype_combinations

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)
from skmlp._base import ARRAY_API_SUPPORTED
from skmlp._core._xp import device_of, to_numpy

needs_support = pytest.mark.skipif(
    not ARRAY_API_SUPPORTED, reason="array API input needs scikit-learn >= 1.9"
)


def _namespace(name, device_name):
    """The array API namespace ``name`` and a device of it, or skip."""
    if name == "array_api_strict":
        xp = pytest.importorskip("array_api_strict")
        return xp, xp.Device(device_name or "CPU_DEVICE")
    if name == "torch":
        torch = pytest.importorskip("torch")
        device = torch.device(device_name or "cpu")
        if device.type == "cuda" and not torch.cuda.is_available():
            pytest.skip("no CUDA device")
        if device.type not in ("cpu", "cuda"):
            pytest.skip(f"{device.type} is not tested here")
        from sklearn.utils._array_api import get_namespace

        with config_context(array_api_dispatch=True):
            return get_namespace(torch.zeros(1))[0], device
    pytest.importorskip(name)
    pytest.skip(f"{name} is not tested here")


# Every non-NumPy namespace and device scikit-learn knows (those not
# installed are skipped), once each.
NAMESPACES = sorted(
    {(name, device) for name, device, _ in yield_namespace_device_dtype_combinations()}
    - {("numpy", None)},
    key=str,
)


@pytest.fixture(params=NAMESPACES, ids=lambda p: f"{p[0]}-{p[1]}")
def namespace(request):
    return _namespace(*request.param)


def _data(n_classes=3, n_samples=120, seed=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        random_state=seed,
    )
    return StandardScaler().fit_transform(X), y


def _data_on(namespace):
    """``_data()`` on the host and on the device of ``namespace``."""
    X, y = _data()
    return (X, y, *_to(*namespace, X, y))


def _to(xp, device, *arrays, dtype=None):
    """The arrays in ``xp`` on ``device``: floats as ``dtype`` (float64), the rest int64."""
    return [
        xp.asarray(
            a, dtype=(dtype or xp.float64) if a.dtype.kind == "f" else xp.int64, device=device
        )
        for a in arrays
    ]


ESTIMATORS = {
    "perceptron": PerceptronClassifier(max_iter=5, random_state=0),
    "perceptron-batch": PerceptronClassifier(batch_size=16, alpha=0.01, random_state=0),
    "adaline-full": AdalineClassifier(max_iter=30, random_state=0),
    "adaline-sgd": AdalineClassifier(batch_size=1, max_iter=3, random_state=0),
    "adaline-minibatch": AdalineClassifier(
        batch_size=16, eta0=0.01, learning_rate="invscaling", max_iter=5, random_state=0
    ),
    "mlp-adam": MLPBackpropClassifier(hidden_layer_sizes=(7, 5), max_iter=5, random_state=0),
    "mlp-sgd": MLPBackpropClassifier(
        hidden_layer_sizes=(7,),
        solver="sgd",
        learning_rate_init=0.1,
        batch_size=32,
        max_iter=5,
        activation="tanh",
        random_state=0,
    ),
    "mlp-lbfgs": MLPBackpropClassifier(
        hidden_layer_sizes=(5,), solver="lbfgs", max_iter=20, random_state=0
    ),
    "mlp-softmax-dropout": MLPBackpropClassifier(
        hidden_layer_sizes=(8,),
        output_activation="softmax",
        activation="relu",
        dropout=0.3,
        max_iter=5,
        random_state=0,
    ),
    "mlp-elu-binary": MLPBackpropClassifier(
        hidden_layer_sizes=(4,), activation="elu", max_iter=5, random_state=0
    ),
}


def _weights(clf):
    if hasattr(clf, "coefs_"):
        return [*clf.coefs_, *clf.intercepts_]
    return [clf.coef_, clf.intercept_]


@needs_support
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_fit_equals_the_numpy_fit(namespace, name, weighted):
    """Same seed, same data: the weights agree to 1e-5 and the predictions exactly."""
    xp, device = namespace
    n_classes = 2 if "binary" in name else 3
    X, y = _data(n_classes)
    sample_weight = np.random.default_rng(0).uniform(0.5, 2, len(y)) if weighted else None
    ref = ESTIMATORS[name].__class__(**ESTIMATORS[name].get_params())
    ref.fit(X, y, sample_weight=sample_weight)

    X_xp, y_xp = _to(xp, device, X, y)
    kwargs = {}
    if weighted:
        kwargs["sample_weight"] = xp.asarray(sample_weight, device=device)
    clf = ESTIMATORS[name].__class__(**ESTIMATORS[name].get_params())
    with config_context(array_api_dispatch=True):
        clf.fit(X_xp, y_xp, **kwargs)
        for W, W_ref in zip(_weights(clf), _weights(ref)):
            assert type(W) is type(X_xp)
            assert device_of(W) == device_of(X_xp)
            np.testing.assert_allclose(to_numpy(W), W_ref, rtol=1e-5, atol=1e-7)
        predicted = clf.predict(X_xp)
        assert type(predicted) is type(X_xp)
        np.testing.assert_array_equal(to_numpy(predicted), ref.predict(X))
        for method in ("predict_proba", "predict_log_proba", "decision_function"):
            result = getattr(clf, method)(X_xp)
            assert type(result) is type(X_xp) and device_of(result) == device_of(X_xp)
            np.testing.assert_allclose(
                to_numpy(result), getattr(ref, method)(X), rtol=1e-5, atol=1e-7
            )
        assert clf.score(X_xp, y_xp) == pytest.approx(ref.score(X, y))
    assert clf.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(clf.loss_curve_, ref.loss_curve_, rtol=1e-6)


REGRESSORS = {
    "adaline-full": AdalineRegressor(max_iter=30, random_state=0),
    "adaline-sgd": AdalineRegressor(batch_size=1, eta0=0.01, max_iter=3, random_state=0),
    "mlp-adam": MLPBackpropRegressor(hidden_layer_sizes=(7, 5), max_iter=5, random_state=0),
    "mlp-lbfgs": MLPBackpropRegressor(
        hidden_layer_sizes=(6,), solver="lbfgs", max_iter=20, random_state=0
    ),
}


@needs_support
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", REGRESSORS)
@pytest.mark.parametrize("targets", [1, 2])
def test_regressor_fit_equals_the_numpy_fit(namespace, name, targets):
    """Values as targets, one column or two, float32 kept: the weights and
    predictions agree with the NumPy fit, and stay in the namespace."""
    xp, device = namespace
    X, labels = _data()
    y = X[:, 0] - 0.5 * X[:, 1] + 0.1 * labels
    Y = y if targets == 1 else np.column_stack([y, X[:, 2]])
    sample_weight = np.random.default_rng(0).uniform(0.5, 2, len(y))
    for dtype in (np.float64, np.float32):
        ref = clone(REGRESSORS[name]).fit(X.astype(dtype), Y, sample_weight=sample_weight)
        X_xp, Y_xp, s_xp = _to(xp, device, X, Y, sample_weight, dtype=getattr(xp, dtype.__name__))
        reg = clone(REGRESSORS[name])
        with config_context(array_api_dispatch=True):
            reg.fit(X_xp, Y_xp, sample_weight=s_xp)
            predicted = reg.predict(X_xp)
            assert type(predicted) is type(X_xp) and device_of(predicted) == device_of(X_xp)
            assert predicted.dtype == X_xp.dtype and tuple(predicted.shape) == Y.shape
            rtol = 1e-5 if dtype == np.float64 else 2e-3
            np.testing.assert_allclose(
                to_numpy(predicted), ref.predict(X.astype(dtype)), rtol=rtol, atol=rtol
            )
            for W, W_ref in zip(_weights(reg), _weights(ref)):
                assert W.dtype == X_xp.dtype
                np.testing.assert_allclose(to_numpy(W), W_ref, rtol=rtol, atol=rtol)
            assert reg.score(X_xp, Y_xp) == pytest.approx(ref.score(X.astype(dtype), Y), rel=1e-4)


@needs_support
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier])
def test_float32_trains_in_float32(namespace, cls):
    xp, device = namespace
    X, y = _data()
    X32 = X.astype(np.float32)
    (X_xp,) = _to(xp, device, X32, dtype=xp.float32)
    (y_xp,) = _to(xp, device, y)
    params = {"hidden_layer_sizes": (5,)} if cls is MLPBackpropClassifier else {}
    ref = cls(max_iter=5, random_state=0, **params).fit(X32, y)
    with config_context(array_api_dispatch=True):
        clf = cls(max_iter=5, random_state=0, **params).fit(X_xp, y_xp)
        assert all(W.dtype == xp.float32 for W in _weights(clf))
        proba = clf.predict_proba(X_xp)
        assert proba.dtype == xp.float32
        agree = np.mean(to_numpy(clf.predict(X_xp)) == ref.predict(X32))
    for W, W_ref in zip(_weights(clf), _weights(ref)):
        np.testing.assert_allclose(to_numpy(W), W_ref, rtol=1e-3, atol=1e-4)
    assert agree >= 0.97


@needs_support
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_validation_data_early_stopping_and_partial_fit(namespace):
    xp, device = namespace
    X, y = _data(n_samples=200)
    X_xp, y_xp = _to(xp, device, X, y)
    params = dict(hidden_layer_sizes=(6,), max_iter=15, random_state=0, n_iter_no_change=3)

    # An internal split (early stopping) and validation data of one's own.
    ref = MLPBackpropClassifier(early_stopping=True, **params).fit(X, y)
    ref_val = MLPBackpropClassifier(scoring="loss", **params).fit(
        X[:150], y[:150], X_val=X[150:], y_val=y[150:]
    )
    with config_context(array_api_dispatch=True):
        clf = MLPBackpropClassifier(early_stopping=True, **params).fit(X_xp, y_xp)
        clf_val = MLPBackpropClassifier(scoring="loss", **params).fit(
            X_xp[:150, ...], y_xp[:150], X_val=X_xp[150:, ...], y_val=y_xp[150:]
        )
    np.testing.assert_allclose(clf.validation_scores_, ref.validation_scores_)
    np.testing.assert_allclose(clf_val.validation_loss_curve_, ref_val.validation_loss_curve_)

    # partial_fit and a warm start continue on the device.
    ref = MLPBackpropClassifier(**params)
    clf = MLPBackpropClassifier(**params)
    for start in (0, 100):
        rows = slice(start, start + 100)
        ref.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        with config_context(array_api_dispatch=True):
            clf.partial_fit(X_xp[rows, ...], y_xp[rows], classes=[0, 1, 2])
    ref.set_params(warm_start=True, max_iter=3).fit(X, y)
    with config_context(array_api_dispatch=True):
        clf.set_params(warm_start=True, max_iter=3).fit(X_xp, y_xp)
    for W, W_ref in zip(_weights(clf), _weights(ref)):
        assert device_of(W) == device_of(X_xp)
        np.testing.assert_allclose(to_numpy(W), W_ref, rtol=1e-5, atol=1e-7)
    assert clf.t_ == ref.t_ == 2 * 100 + 3 * 200


@needs_support
def test_pipeline_runs_in_the_namespace(namespace):
    xp, device = namespace
    X, y = load_iris(return_X_y=True)
    X_xp, y_xp = _to(xp, device, X, y)
    pipe = make_pipeline(
        StandardScaler(),
        MLPBackpropClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0),
    )
    with config_context(array_api_dispatch=True):
        pipe.fit(X_xp, y_xp)
        mlp = pipe[-1]
        assert type(mlp.coefs_[0]) is type(X_xp)
        assert device_of(mlp.coefs_[0]) == device_of(X_xp)
        proba = pipe.predict_proba(X_xp)
        assert type(proba) is type(X_xp)
        assert pipe.score(X_xp, y_xp) > 0.95


@needs_support
def test_grid_search_on_torch():
    """GridSearchCV over a pipeline on PyTorch tensors (array-api-strict
    refuses the NumPy fold indices scikit-learn's splitters produce)."""
    torch = pytest.importorskip("torch")
    from sklearn.model_selection import GridSearchCV

    X, y = load_iris(return_X_y=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    X_t = torch.asarray(X, device=device)
    y_t = torch.asarray(y, device=device)
    grid = {"mlpbackpropclassifier__alpha": [1e-4, 1.0]}
    pipe = make_pipeline(
        StandardScaler(),
        MLPBackpropClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0),
    )
    with config_context(array_api_dispatch=True):
        search = GridSearchCV(pipe, grid, cv=3).fit(X_t, y_t)
        assert isinstance(search.predict(X_t), torch.Tensor)
    best = search.best_estimator_[-1]
    assert all(isinstance(W, torch.Tensor) and W.device == X_t.device for W in best.coefs_)
    # L-BFGS amplifies the last bits in which the two scalers differ, so a
    # fold may classify a sample differently.
    reference = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"],
        reference.cv_results_["mean_test_score"],
        atol=0.02,
    )


@needs_support
def test_string_labels_come_back_as_numpy(namespace):
    xp, device = namespace
    X, y = _data()
    labels = np.array(["ant", "bee", "cat"])[y]
    (X_xp,) = _to(xp, device, X)
    with config_context(array_api_dispatch=True):
        clf = AdalineClassifier(random_state=0).fit(X_xp, labels)
        predicted = clf.predict(X_xp)
    assert isinstance(predicted, np.ndarray)
    np.testing.assert_array_equal(predicted, AdalineClassifier().fit(X, labels).predict(X))


@needs_support
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("layer", [0, -1])
def test_hidden_activations_in_the_namespace(namespace, layer):
    """``hidden_activations`` takes the prediction path of ``predict_proba``."""
    xp, device = namespace
    X, y = _data()
    params = ESTIMATORS["mlp-adam"].get_params()
    ref = MLPBackpropClassifier(**params).fit(X, y)
    X_xp, y_xp = _to(xp, device, X, y)
    with config_context(array_api_dispatch=True):
        clf = MLPBackpropClassifier(**params).fit(X_xp, y_xp)
        H = clf.hidden_activations(X_xp, layer=layer)
        assert type(H) is type(X_xp) and device_of(H) == device_of(X_xp)
        np.testing.assert_allclose(
            to_numpy(H), ref.hidden_activations(X, layer=layer), rtol=1e-5, atol=1e-7
        )
        with pytest.raises(ValueError, match="hidden_activations.*same namespace"):
            clf.hidden_activations(X)
    with pytest.raises(ValueError, match="array_api_dispatch=True"):
        clf.hidden_activations(X)


@needs_support
@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_another_namespace_at_prediction_is_a_clear_error(namespace, method):
    X, y, X_xp, y_xp = _data_on(namespace)
    with config_context(array_api_dispatch=True):
        clf = PerceptronClassifier(random_state=0).fit(X_xp, y_xp)
        with pytest.raises(ValueError, match=f"PerceptronClassifier.{method}.*same namespace"):
            getattr(clf, method)(X)
        fitted_on_numpy = PerceptronClassifier(random_state=0).fit(X, y)
        with pytest.raises(ValueError, match="same namespace"):
            getattr(fitted_on_numpy, method)(X_xp)
    # Without dispatch the fitted arrays cannot be used: say how to.
    with pytest.raises(ValueError, match="array_api_dispatch=True"):
        getattr(clf, method)(X)


@needs_support
def test_divergence_and_failed_calls_change_nothing(namespace):
    """A diverging warm start raises and leaves the device weights as they were."""
    X, y, X_xp, y_xp = _data_on(namespace)
    with config_context(array_api_dispatch=True):
        clf = AdalineClassifier(eta0=0.01, max_iter=5, tol=None).fit(X_xp, y_xp)
        before = to_numpy(clf.coef_).copy()
        clf.set_params(warm_start=True, eta0=1e6)
        with pytest.raises(ValueError, match="diverged"):
            clf.fit(X_xp, y_xp)
    np.testing.assert_array_equal(to_numpy(clf.coef_), before)
    assert clf.n_iter_ == 5


@needs_support
def test_an_overflowing_adam_state_is_divergence_on_the_device(namespace):
    """Adam's moment estimates are checked where they live."""
    xp, device = namespace
    X, y = _data()
    bad = X.copy()
    bad[3] = 1e200
    X_xp, bad_xp, y_xp = _to(xp, device, X, bad, y)
    with config_context(array_api_dispatch=True):
        clf = MLPBackpropClassifier(
            hidden_layer_sizes=(4,), activation="relu", max_iter=2, tol=None, random_state=0
        ).fit(X_xp, y_xp)
        before = [to_numpy(W).copy() for W in clf.coefs_]
        clf.set_params(warm_start=True)
        with pytest.raises(ValueError, match="overflowed the optimizer"):
            clf.fit(bad_xp, y_xp)
    for W, old in zip(clf.coefs_, before):
        np.testing.assert_array_equal(to_numpy(W), old)
    assert clf.n_iter_ == 2


@needs_support
def test_fitted_model_pickles(namespace):
    X, y, X_xp, y_xp = _data_on(namespace)
    with config_context(array_api_dispatch=True):
        clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), max_iter=3, tol=None).fit(X_xp, y_xp)
        try:
            restored = pickle.loads(pickle.dumps(clf))
        except (TypeError, pickle.PicklingError) as exc:
            pytest.skip(f"{namespace[0].__name__} arrays do not pickle: {exc}")
        np.testing.assert_array_equal(
            to_numpy(restored.predict_proba(X_xp)), to_numpy(clf.predict_proba(X_xp))
        )


@pytest.mark.skipif(ARRAY_API_SUPPORTED, reason="scikit-learn < 1.9 only")
def test_older_scikit_learn_says_array_api_input_is_not_supported():
    xp = pytest.importorskip("array_api_strict")
    pytest.importorskip("array_api_compat")
    X, y = _data()
    with config_context(array_api_dispatch=True):
        with pytest.raises(ValueError, match="scikit-learn 1.9 or newer"):
            PerceptronClassifier().fit(xp.asarray(X), xp.asarray(y))
    assert not PerceptronClassifier().__sklearn_tags__().array_api_support
