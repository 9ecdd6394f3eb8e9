"""Bad input gets a clear error that names the problem."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CLASSES = [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier]


@pytest.fixture(params=CLASSES, ids=lambda cls: cls.__name__)
def cls(request):
    return request.param


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_input(cls, raw_iris, bad):
    X, y = raw_iris
    X = X.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        cls().fit(X, y)
    fitted = cls(max_iter=5).fit(raw_iris[0], y)
    with pytest.raises(ValueError, match="NaN|infinity"):
        fitted.predict(X)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("dask", [False, True], ids=["memory", "dask"])
def test_non_finite_validation_data_is_named(cls, raw_iris, bad, dask):
    X, y = raw_iris
    X_val = X[::5].copy()
    X_val[2, 1] = bad
    if dask:
        da = pytest.importorskip("dask.array")
        X_val = da.from_array(X_val, chunks=10)
    with pytest.raises(ValueError, match=r"Input X_val contains (NaN|infinity)"):
        cls(max_iter=5).fit(X, y, X_val=X_val, y_val=y[::5])


def test_empty_data(cls):
    with pytest.raises(ValueError, match="0 sample"):
        cls().fit(np.empty((0, 3)), np.empty(0))


def test_wrong_number_of_features(cls, raw_iris):
    X, y = raw_iris
    clf = cls(max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        clf.predict(X[:, :3])
    with pytest.raises(ValueError, match="4 features"):
        clf.partial_fit(X[:, :3], y)


def test_single_class(cls, raw_iris):
    X, _ = raw_iris
    with pytest.raises(ValueError, match="at least 2 classes"):
        cls().fit(X, np.zeros(len(X)))


def test_continuous_target(cls, raw_iris):
    X, _ = raw_iris
    with pytest.raises(ValueError, match="Unknown label type"):
        cls().fit(X, np.linspace(0, 1, len(X)))


@pytest.mark.parametrize(
    "weights, message",
    [(-1.0, "[Nn]egative"), (0.0, "non-zero|sum to zero")],
    ids=["negative", "all-zero"],
)
def test_bad_sample_weight(cls, raw_iris, weights, message):
    X, y = raw_iris
    sw = np.ones(len(y))
    sw[: len(y) if weights == 0 else 1] = weights
    with pytest.raises(ValueError, match=message):
        cls().fit(X, y, sample_weight=sw)


def test_class_weights_that_zero_everything(cls, raw_iris):
    X, y = raw_iris
    with pytest.raises(ValueError, match="all zero"):
        cls(class_weight={0: 0, 1: 0, 2: 0}).fit(X, y)


def test_class_weight_for_an_unknown_class(cls, raw_iris):
    X, y = raw_iris
    with pytest.raises(ValueError, match="not found|not present|class"):
        cls(class_weight={7: 2.0}).fit(X, y)


def test_balanced_class_weight_is_refused_by_partial_fit(cls, raw_iris):
    X, y = raw_iris
    with pytest.raises(ValueError, match="balanced"):
        cls(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_invalid_parameter_is_named(cls, raw_iris):
    X, y = raw_iris
    with pytest.raises(ValueError, match="'alpha' parameter"):
        cls(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="'max_iter' parameter"):
        cls(max_iter=0).fit(X, y)


def test_hidden_layer_sizes_must_be_positive(raw_iris):
    X, y = raw_iris
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPBackpropClassifier(hidden_layer_sizes=(5, 0)).fit(X, y)


def test_softmax_refuses_multilabel():
    X, Y = make_multilabel_classification(n_samples=50, random_state=0)
    with pytest.raises(ValueError, match="softmax"):
        MLPBackpropClassifier(output_activation="softmax").fit(X, Y)


@pytest.mark.parametrize("call", ["fit", "partial_fit"])
def test_several_columns_of_classes_are_refused(call):
    """A y of several columns of classes (not 0/1 indicators) is not a target
    this network codes: a clear error, and nothing fitted."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(30, 3)), rng.integers(0, 3, (30, 2))
    clf = MLPBackpropClassifier(max_iter=2)
    with pytest.raises(ValueError, match="multioutput targets.*MultiOutputClassifier"):
        getattr(clf, call)(X, Y)
    assert not hasattr(clf, "classes_")


def test_unfitted_model_says_so(cls, raw_iris):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        cls().predict(raw_iris[0])


def test_warm_start_with_other_classes(cls, raw_iris):
    X, y = raw_iris
    clf = cls(warm_start=True, max_iter=3).fit(X, y)
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X[y < 2], y[y < 2])


@pytest.mark.parametrize(
    "make",
    [
        lambda: AdalineClassifier(eta0=1.0, batch_size=None),
        lambda: AdalineClassifier(eta0=1.0, batch_size=1),
        lambda: MLPBackpropClassifier(
            solver="sgd", activation="relu", learning_rate_init=10.0, momentum=0.0
        ),
    ],
    ids=["adaline-batch", "adaline-sgd", "mlp-sgd"],
)
def test_divergence_is_an_error_and_leaves_no_nan(make, raw_iris):
    X, y = raw_iris
    X = X * 100  # unscaled features make a fixed step far too large
    clf = make()
    name = "eta0" if isinstance(clf, AdalineClassifier) else "learning_rate_init"
    with pytest.raises(ValueError, match=f"diverged.*{name}="):
        clf.fit(X, y)
    assert not hasattr(clf, "classes_")
    # A fitted model that diverges while training further keeps finite weights.
    clf.set_params(warm_start=True, max_iter=1)
    safe = {name: 1e-9}
    clf.set_params(**safe).fit(X, y)
    clf.set_params(**{name: 1e3 if name == "eta0" else 1e4}, max_iter=200)
    with pytest.raises(ValueError, match="diverged"):
        clf.fit(X, y)
    for p in clf._network().params:
        assert np.all(np.isfinite(p))
    assert np.all(np.isfinite(clf.predict_proba(X)))
