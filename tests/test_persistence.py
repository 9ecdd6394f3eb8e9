"""Fitted estimators survive pickle, joblib and skops, and train on alike.

For skops, the types a user must trust are those README.md's "Saving models"
section lists; the tests read that list from the README and compare it with
``skops.io.get_untrusted_types`` before loading with exactly those types.
"""

import io
import pickle
import re
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import is_regressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)
from skmlp._callbacks import HAVE_CALLBACKS

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

README = Path(__file__).resolve().parent.parent / "README.md"

LABELS = np.array(["setosa", "versicolor", "virginica"])

#: Each case: (estimator, README's label of its row in "Saving models").
CASES = {
    "perceptron": (lambda: PerceptronClassifier(random_state=0), "`PerceptronClassifier`"),
    "adaline": (
        lambda: AdalineClassifier(batch_size=16, random_state=0),
        "`AdalineClassifier`",
    ),
    "mlp-adam": (
        lambda: MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
        '`MLPBackpropClassifier`, `solver="adam"`',
    ),
    "mlp-sgd": (
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(8,), solver="sgd", momentum=0.9, max_iter=50, random_state=0
        ),
        '`MLPBackpropClassifier`, `solver="sgd"`',
    ),
    "mlp-lbfgs": (
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(8,), solver="lbfgs", max_iter=50, random_state=0
        ),
        '`MLPBackpropClassifier`, `solver="lbfgs"`',
    ),
    # More of the fitted state: the best epoch's weights, validation curves,
    # class weights, dropout, a user's RandomState, float32 parameters.
    "mlp-early-stopping": (
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(8,),
            early_stopping=True,
            dropout=0.1,
            class_weight={"setosa": 2.0, "versicolor": 1.0, "virginica": 1.0},
            output_activation="softmax",
            max_iter=50,
            random_state=np.random.RandomState(0),
        ),
        '`MLPBackpropClassifier`, `solver="adam"`',
    ),
    "adaline-invscaling-float32": (
        lambda: AdalineClassifier(
            learning_rate="invscaling", batch_size=8, early_stopping=True, random_state=0
        ),
        "`AdalineClassifier`",
    ),
    "adaline-regressor": (
        lambda: AdalineRegressor(batch_size=8, random_state=0),
        "`AdalineRegressor`",
    ),
    "mlp-regressor-adam-2-targets": (
        lambda: MLPBackpropRegressor(hidden_layer_sizes=(6,), max_iter=20, random_state=0),
        '`MLPBackpropRegressor`, `solver="adam"`',
    ),
    "mlp-regressor-lbfgs": (
        lambda: MLPBackpropRegressor(
            hidden_layer_sizes=(6,), solver="lbfgs", max_iter=20, random_state=0
        ),
        '`MLPBackpropRegressor`, `solver="lbfgs"`',
    ),
}


@pytest.fixture(scope="module")
def data(iris):
    X, y = iris
    return X, LABELS[y]


def _fit(case, data):
    X, y = data
    if case.endswith("float32"):
        X = X.astype(np.float32)
    est = CASES[case][0]()
    if is_regressor(est):
        # Values: one target, or two.
        y = X[:, 0] - 2 * X[:, 1]
        if case.endswith("2-targets"):
            y = np.column_stack([y, X[:, 2]])
    return est.fit(X, y), X, y


def _assert_same_predictions(a, b, X):
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        if hasattr(a, method):
            np.testing.assert_array_equal(
                getattr(a, method)(X), getattr(b, method)(X), err_msg=method
            )


def _assert_trains_on_alike(original, loaded, X, y):
    """Training further gives bit-identical models: the training state (RNG,
    optimizer moments, history) came back too."""
    copies = [pickle.loads(pickle.dumps(m)) for m in (original, loaded)]
    for m in copies:
        if m.get_params().get("solver") == "lbfgs":
            m.set_params(warm_start=True, max_iter=5).fit(X, y)
        else:
            m.partial_fit(X, y)
    _assert_same_predictions(*copies, X)
    assert copies[0].loss_curve_ == copies[1].loss_curve_


def _roundtrip_pickle(est, tmp_path):
    return pickle.loads(pickle.dumps(est))


def _roundtrip_joblib(est, tmp_path):
    path = tmp_path / "model.joblib"
    joblib.dump(est, path)
    return joblib.load(path)


def _roundtrip_joblib_compressed(est, tmp_path):
    buffer = io.BytesIO()
    joblib.dump(est, buffer, compress=3)
    buffer.seek(0)
    return joblib.load(buffer)


@pytest.mark.parametrize(
    "roundtrip", [_roundtrip_pickle, _roundtrip_joblib, _roundtrip_joblib_compressed]
)
@pytest.mark.parametrize("case", list(CASES))
def test_pickle_and_joblib_round_trip(case, roundtrip, data, tmp_path):
    est, X, y = _fit(case, data)
    loaded = roundtrip(est, tmp_path)
    assert type(loaded) is type(est)
    _assert_same_predictions(est, loaded, X)
    _assert_trains_on_alike(est, loaded, X, y)


# -- skops ------------------------------------------------------------------------


def documented_untrusted_types():
    """README's "Saving models": {row label: the types to trust}, each row's
    types plus those the section says every estimator needs."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Saving models\n(.*?)^## ", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no 'Saving models' section"
    section = section.group(1)
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 2:
            rows[cells[0]] = re.findall(r"`(skmlp\.[\w.]+)`", cells[1])
    common = re.search(r"for each of them, (.*?)\(", section, re.DOTALL)
    assert common, "README.md does not list the types every estimator needs"
    common = re.findall(r"`([\w.]+)`", common.group(1))
    assert rows and common
    return {label: sorted(types + common) for label, types in rows.items()}


def test_readme_documents_every_case():
    documented = documented_untrusted_types()
    assert {label for _, label in CASES.values()} == set(documented)
    assert documented["`PerceptronClassifier`"] == [
        "skmlp._core.optimizers.SGD",
        "skmlp._core.training.History",
        "skmlp._core.training.TrainingState",
        "skmlp._perceptron.PerceptronClassifier",
        "skmlp._targets.LabelCoding",
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_skops_round_trip_with_the_documented_types(case, data, tmp_path):
    sio = pytest.importorskip("skops.io")
    est, X, y = _fit(case, data)
    payload = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=payload)
    assert sorted(untrusted) == documented_untrusted_types()[CASES[case][1]]
    # Nothing loads until the user trusts those types.
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.loads(payload)
    loaded = sio.loads(payload, trusted=untrusted)
    assert type(loaded) is type(est)
    _assert_same_predictions(est, loaded, X)
    _assert_trains_on_alike(est, loaded, X, y)
    # The same through a file.
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    assert sorted(sio.get_untrusted_types(file=path)) == sorted(untrusted)
    _assert_same_predictions(est, sio.load(path, trusted=untrusted), X)


def test_skops_round_trip_in_a_pipeline(data):
    sio = pytest.importorskip("skops.io")
    X, y = data
    pipe = make_pipeline(StandardScaler(), PerceptronClassifier(random_state=0)).fit(X, y)
    payload = sio.dumps(pipe)
    untrusted = sio.get_untrusted_types(data=payload)
    # scikit-learn's Pipeline and StandardScaler are trusted by default.
    assert sorted(untrusted) == documented_untrusted_types()["`PerceptronClassifier`"]
    loaded = sio.loads(payload, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
def test_skops_saves_callbacks_with_their_own_types(data):
    # README: an estimator with callbacks saves them, and they add their types.
    sio = pytest.importorskip("skops.io")
    from sklearn.callback import ScoringMonitor

    X, y = data
    clf = AdalineClassifier(max_iter=3, tol=None).set_callbacks(ScoringMonitor(scoring="accuracy"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    untrusted = sio.get_untrusted_types(data=sio.dumps(clf))
    extra = set(untrusted) - set(documented_untrusted_types()["`AdalineClassifier`"])
    assert any(name.startswith("sklearn.callback.") for name in extra), untrusted
    loaded = sio.loads(sio.dumps(clf), trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
