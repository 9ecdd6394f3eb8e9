"""What a user of scikit-learn expects of a drop-in: the counterparts' semantics
of training state, exact rollback of failed calls, and hostile input."""

import warnings

import numpy as np
import pytest
from _state import assert_same_state, frozen
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import Perceptron
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier
from skmlp._core import _kernels, epochs, objective, training
from skmlp._core.optimizers import squared_error_step_size

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ESTIMATORS = {
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


@pytest.fixture(params=list(ESTIMATORS))
def make(request):
    return ESTIMATORS[request.param]


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


# -- training state ------------------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_n_iter_counts_the_epochs_of_the_last_call_mlp(iris, solver):
    X, y = iris
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(5,), solver=solver, max_iter=3, tol=None, random_state=0
    )
    clf.fit(X, y)
    first = len(clf.loss_curve_)
    clf.set_params(warm_start=True).fit(X, y)
    reference = MLPClassifier(
        hidden_layer_sizes=(5,), solver=solver, max_iter=3, tol=0.0, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit(X, y).set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_ == reference.n_iter_ == 3
    assert len(clf.loss_curve_) == first + 3
    assert clf.t_ == len(clf.loss_curve_) * len(y)


def test_n_iter_is_one_after_partial_fit(make, iris):
    X, y = iris
    clf = make()
    for _ in range(3):
        clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.n_iter_ == 1
    assert len(clf.loss_curve_) == 3
    assert clf.t_ == 3 * len(y)


def test_warm_start_n_iter_is_per_call(make, iris):
    X, y = iris
    clf = make(max_iter=3, tol=None).fit(X, y)
    clf.set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_ == 3
    assert len(clf.loss_curve_) == 6


def test_linear_models_stop_after_n_iter_no_change_epochs(iris):
    X, y = load_iris(return_X_y=True)
    ours = PerceptronClassifier(tol=1e9, n_iter_no_change=5, random_state=0).fit(X, y)
    theirs = Perceptron(tol=1e9, n_iter_no_change=5, random_state=0).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 6
    adaline = AdalineClassifier(tol=1e9, n_iter_no_change=5).fit(*iris)
    assert adaline.n_iter_ == 6


def test_mlp_stops_after_more_than_n_iter_no_change_epochs(iris):
    X, y = iris
    ours = MLPBackpropClassifier(tol=1e9, n_iter_no_change=5, random_state=0).fit(X, y)
    theirs = MLPClassifier(tol=1e9, n_iter_no_change=5, random_state=0).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 7


@pytest.mark.parametrize("name", ["perceptron", "adaline-sgd"])
def test_early_stopping_without_shuffle_trains_in_data_order(iris, name):
    X, y = iris
    make = ESTIMATORS[name]
    clf = make(early_stopping=True, shuffle=False, max_iter=1, validation_fraction=0.2)
    clf.fit(X, y)
    # The split early stopping makes, with the same random state.
    train_rows, _ = train_test_split(
        np.arange(len(y)), test_size=0.2, random_state=np.random.RandomState(0), stratify=y
    )
    rows = np.sort(train_rows)
    plain = make(shuffle=False, max_iter=1).fit(X[rows], y[rows])
    np.testing.assert_allclose(clf.coef_, plain.coef_, rtol=1e-12, atol=1e-12)


def test_early_stopping_split_keeps_the_data_order(make, iris, monkeypatch):
    from skmlp._source import MemorySource

    seen = []

    def spy(self, data, indices):
        seen.append(indices)
        return original(self, data, indices)

    original = MemorySource.rows
    monkeypatch.setattr(MemorySource, "rows", spy)
    make(early_stopping=True, shuffle=False, max_iter=2).fit(*iris)
    assert len(seen[0]) < len(iris[1])
    assert np.all(np.diff(seen[0]) > 0)


def test_perceptron_penalty_only_shrinks(iris):
    X, y = load_iris(return_X_y=True)
    norms = []
    for alpha in [0.0, 1e-2, 1.0, 1e2]:
        clf = PerceptronClassifier(alpha=alpha, random_state=0).fit(X, y)
        norms.append(np.linalg.norm(clf.coef_))
    assert np.all(np.diff(norms) < 0)
    # Any penalty gives finite weights and a working model, even where the
    # decay 1 - eta0 alpha / S would be negative (alpha > S / eta0 = 150).
    largest_update = 2 * np.linalg.norm(X, axis=1).max()
    for alpha in np.logspace(-4, 8, 13).tolist() + [350.0]:
        clf = PerceptronClassifier(alpha=alpha, random_state=0).fit(X, y)
        assert np.all(np.isfinite(clf.coef_))
        if alpha >= len(y):
            # The decay clips to zero: only the last update survives.
            assert np.linalg.norm(clf.coef_, axis=1).max() <= largest_update
        P = clf.predict_proba(X)
        assert np.all(np.isfinite(P))


def test_randomized_search_over_perceptron_alpha(iris):
    from sklearn.model_selection import RandomizedSearchCV

    X, y = load_iris(return_X_y=True)
    search = RandomizedSearchCV(
        PerceptronClassifier(random_state=0),
        {"alpha": np.logspace(-4, 4, 50)},
        n_iter=8,
        cv=3,
        random_state=0,
        error_score="raise",
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


# -- prediction ----------------------------------------------------------------


def _check_proba_contract(clf, X):
    Z = clf.decision_function(X)
    P = clf.predict_proba(X)
    pred = clf.predict(X)
    winners = (Z >= 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)
    np.testing.assert_array_equal(pred, clf.classes_[winners])
    assert np.all(np.isfinite(P)) and np.all(P >= 0)
    np.testing.assert_allclose(P.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(clf.classes_[np.argmax(P, axis=1)], pred)


PREDICTION_METHODS = ["predict", "predict_proba", "predict_log_proba", "decision_function"]


@pytest.mark.parametrize("scale", [1.0, 1e-3, 1e3])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_prediction_raises_no_floating_point_error(make, iris, n_classes, scale):
    """Prediction works under ``np.errstate(all="raise")``, as scikit-learn's does."""
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    clf = make(max_iter=20).fit(X, y)
    X = X * scale  # small and large scores alike
    with np.errstate(all="raise"):
        results = {method: getattr(clf, method)(X) for method in PREDICTION_METHODS}
        score = clf.score(X, y)
    with np.errstate(all="ignore"):
        for method in PREDICTION_METHODS:
            np.testing.assert_array_equal(results[method], getattr(clf, method)(X))
    assert score == clf.score(X, y)


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_linear_predictions_follow_the_decision_function_at_any_scale(cls):
    X, y = load_iris(return_X_y=True)
    clf = cls(random_state=0).fit(X * 1e8, y)
    _check_proba_contract(clf, X * 1e8)
    Z = clf.decision_function(X * 1e8)
    assert clf.score(X * 1e8, y) == np.mean(clf.classes_[np.argmax(Z, axis=1)] == y)

    Xd, yd = load_digits(return_X_y=True)
    Xd = (Xd * 100).astype(np.float32)
    clf = cls(random_state=0, max_iter=20).fit(Xd, yd)
    _check_proba_contract(clf, Xd)


def test_perceptron_learning_rate_does_not_change_predictions():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ones = PerceptronClassifier(shuffle=False, max_iter=20, tol=None).fit(X, y)
    huge = PerceptronClassifier(shuffle=False, max_iter=20, tol=None, eta0=1e15).fit(X, y)
    _check_proba_contract(huge, X)
    np.testing.assert_array_equal(ones.predict(X), huge.predict(X))
    np.testing.assert_allclose(ones.predict_proba(X)[:, :], huge.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("eta0", [1e155, 1e200])
def test_a_zero_penalty_adds_nothing_at_any_weight_scale(iris, eta0):
    """With ``alpha=0`` weights whose squared norm overflows are no divergence."""
    X, y = iris
    ones = PerceptronClassifier(shuffle=False, max_iter=20, tol=None).fit(X, y)
    huge = PerceptronClassifier(shuffle=False, max_iter=20, tol=None, eta0=eta0).fit(X, y)
    assert np.all(np.isfinite(huge.coef_)) and np.all(np.isfinite(huge.loss_curve_))
    with np.errstate(over="ignore"):
        assert np.isinf(np.sum(huge.coef_.astype(np.float64) ** 2))  # the norm overflows
    np.testing.assert_array_equal(ones.predict(X), huge.predict(X))
    assert huge.errors_ == ones.errors_
    # The core's objective says the same: J is the data term alone.
    T = np.where(y[:, None] == huge.classes_, 1.0, -1.0)
    J, _ = objective(huge._network(), X, T, alpha=0.0)
    assert np.isfinite(J)


def test_linear_binary_proba_at_zero_and_infinity():
    X, y = load_iris(return_X_y=True)
    clf = PerceptronClassifier(random_state=0).fit(X[y < 2], y[y < 2])
    clf.coef_[...] = 0
    clf.intercept_[...] = 0
    _check_proba_contract(clf, X)  # z = 0 everywhere: the positive class
    assert np.all(clf.predict(X) == 1)
    clf.coef_[...] = 1e300
    _check_proba_contract(clf, X)  # z overflows to +inf


def _log_sigmoid(z):
    return -np.logaddexp(0, -z)


@pytest.mark.parametrize("output", ["logistic", "softmax"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_mlp_log_proba_is_finite_where_proba_underflows(iris, output, n_classes):
    X, y = iris
    mask = y < n_classes
    X, y = X[mask], y[mask]
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(4,), output_activation=output, solver="lbfgs", random_state=0
    ).fit(X, y)
    # Saturate the output units far beyond where the logistic rounds to 0.
    clf.coefs_[-1] *= 1e3
    clf.intercepts_[-1] *= 1e3
    Z = clf.decision_function(X)
    assert np.abs(Z).max() > 100
    L = clf.predict_log_proba(X)
    assert np.all(np.isfinite(L))
    if output == "softmax":
        Z2 = np.column_stack([-Z, Z]) * 0 + Z[:, None] if Z.ndim == 1 else Z
        expected = Z2 - np.logaddexp.reduce(Z2, axis=1, keepdims=True)
    elif n_classes == 2:
        expected = np.column_stack([_log_sigmoid(-Z), _log_sigmoid(Z)])
    else:
        S = _log_sigmoid(Z)
        expected = S - np.logaddexp.reduce(S, axis=1, keepdims=True)
    np.testing.assert_allclose(L, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.exp(L), clf.predict_proba(X), rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(
        clf.classes_[np.argmax(clf.predict_proba(X), axis=1)], clf.predict(X)
    )


def test_mlp_multilabel_log_proba():
    from sklearn.datasets import make_multilabel_classification

    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0)
    clf.fit(X, Y)
    clf.coefs_[-1] *= 1e3
    L = clf.predict_log_proba(X)
    assert np.all(np.isfinite(L))
    np.testing.assert_allclose(L, _log_sigmoid(clf.decision_function(X)), rtol=1e-10)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_prediction_uses_the_fitted_output_activation(iris, n_classes):
    X, y = iris
    mask = y < n_classes
    X, y = X[mask], y[mask]
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0).fit(X, y)
    P = clf.predict_proba(X)
    before = frozen(clf)
    clf.set_params(output_activation="softmax")
    np.testing.assert_array_equal(clf.predict_proba(X), P)
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1)
    with pytest.raises(ValueError, match="output activation 'softmax'"):
        clf.partial_fit(X, y)
    with pytest.raises(ValueError, match="warm_start"):
        clf.set_params(warm_start=True).fit(X, y)
    clf.set_params(warm_start=False, output_activation="logistic")
    assert_same_state(clf, before)


@pytest.mark.parametrize(
    "change",
    [{"hidden_layer_sizes": (5,)}, {"hidden_layer_sizes": (4, 4)}, {"activation": "tanh"}],
    ids=["width", "depth", "activation"],
)
def test_warm_start_refuses_a_changed_architecture(iris, change):
    X, y = iris
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
    P = clf.predict_proba(X)
    clf.set_params(warm_start=True, **change)
    with pytest.raises(ValueError, match="hidden layers"):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="hidden layers"):
        clf.partial_fit(X, y)
    # Prediction still uses the fitted network.
    np.testing.assert_array_equal(clf.predict_proba(X), P)
    assert clf.hidden_activations(X).shape == (len(X), 4)
    clf.set_params(warm_start=False).fit(X, y)  # a fresh fit builds the new network


# -- a failed call changes nothing ---------------------------------------------


class Boom(RuntimeError):
    pass


def _raise_on_call(n, exc=Boom):
    calls = {"n": 0}

    def wrap(original):
        def inner(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == n:
                raise exc("injected")
            return original(*args, **kwargs)

        return inner

    return wrap


STAGES = {
    # Where a fit can fail: inside an epoch's batches, after an epoch in the
    # optimizer's schedule, in the stopping rule, in the validation scoring.
    "batches": (epochs._Epoch, "run"),
    "schedule": (None, "epoch_end"),
    "stopping-rule": (training.History, "record"),
}


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("call", ["warm-fit", "partial_fit"])
def test_an_exception_at_any_stage_changes_nothing(make, iris, stage, call, monkeypatch):
    X, y = iris
    clf = make(max_iter=4, tol=None, early_stopping=True, warm_start=True).fit(X, y)
    if call == "partial_fit":
        clf.set_params(early_stopping=False).partial_fit(X, y)
    before = frozen(clf)
    twin = frozen(clf)
    owner, name = STAGES[stage]
    if owner is None:
        owner = type(clf._state.optimizer)
    monkeypatch.setattr(
        owner, name, _raise_on_call(2 if call == "warm-fit" else 1)(getattr(owner, name))
    )
    with pytest.raises(Boom):
        if call == "warm-fit":
            clf.fit(X, y)
        else:
            clf.partial_fit(X, y)
    assert_same_state(clf, before)
    monkeypatch.undo()
    # And it trains on exactly as an estimator that never failed.
    if call == "warm-fit":
        clf.fit(X, y), twin.fit(X, y)
    else:
        clf.partial_fit(X, y), twin.partial_fit(X, y)
    assert_same_state(clf, twin)


@pytest.mark.parametrize("exc", [Boom, KeyboardInterrupt])
def test_a_scorer_that_raises_changes_nothing(make, iris, exc):
    X, y = iris
    X, X_val, y, y_val = train_test_split(X, y, random_state=0, stratify=y)
    calls = {"n": 0}

    def scorer(estimator, X, y):
        calls["n"] += 1
        if calls["n"] == 6:
            raise exc("injected")
        return estimator.score(X, y)

    clf = make(max_iter=4, tol=None, scoring=scorer, warm_start=True)
    clf.fit(X, y, X_val=X_val, y_val=y_val)
    before = frozen(clf)
    with pytest.raises(exc):
        clf.fit(X, y, X_val=X_val, y_val=y_val)
    assert_same_state(clf, before)


def test_a_callback_that_raises_changes_nothing(make, iris):
    from skmlp._callbacks import HAVE_CALLBACKS

    if not HAVE_CALLBACKS:
        pytest.skip("scikit-learn has no sklearn.callback")
    from sklearn.callback import ScoringMonitor

    X, y = iris
    clf = make(max_iter=4, tol=None, warm_start=True).fit(X, y)
    before = frozen(clf)

    class Failing(ScoringMonitor):
        def on_fit_task_end(self, *args, **kwargs):
            raise Boom("injected")

    with pytest.raises(Boom):
        clf.set_callbacks(Failing(scoring="accuracy")).fit(X, y)
    clf.set_callbacks()  # back to none
    assert_same_state(clf, before.set_callbacks())


def test_diverging_warm_start_changes_nothing(iris):
    X, y = load_iris(return_X_y=True)
    clf = AdalineClassifier(eta0=0.01).fit(X, y)
    before = frozen(clf)
    with pytest.raises(ValueError, match="diverged.*eta0=1000000.0"):
        clf.set_params(warm_start=True, eta0=1e6).fit(X, y)
    clf.set_params(warm_start=False, eta0=0.01)
    assert_same_state(clf, before)


def test_a_failed_first_fit_leaves_an_unfitted_estimator(make, iris, monkeypatch):
    X, y = iris
    clf = make(max_iter=3)
    monkeypatch.setattr(training.History, "record", _raise_on_call(2)(training.History.record))
    with pytest.raises(Boom):
        clf.fit(X, y)
    assert_same_state(clf, make(max_iter=3))


def test_a_random_state_instance_is_put_back_after_a_failure(iris, monkeypatch):
    X, y = iris
    rng = np.random.RandomState(0)
    clf = PerceptronClassifier(random_state=rng, max_iter=3)
    monkeypatch.setattr(training.History, "record", _raise_on_call(2)(training.History.record))
    with pytest.raises(Boom):
        clf.fit(X, y)
    assert rng.randint(1 << 30) == np.random.RandomState(0).randint(1 << 30)


@pytest.mark.parametrize(
    "name, match, state",
    [
        ("mlp-sgd", "diverged", lambda opt: opt.velocities),
        ("mlp-adam", "overflowed", lambda opt: opt.ms + opt.vs),
    ],
)
def test_a_huge_row_in_partial_fit_keeps_the_optimizer_clean(iris, name, match, state):
    X, y = iris
    clf = ESTIMATORS[name](activation="relu")
    clf.partial_fit(X, y, classes=np.unique(y))
    before = frozen(clf)
    bad = X.copy()
    bad[7] = 1e200
    with pytest.raises(ValueError, match=match):
        clf.partial_fit(bad, y)
    assert_same_state(clf, before)
    for _ in range(3):
        clf.partial_fit(X, y)  # clean data trains on
    assert all(np.all(np.isfinite(a)) for a in state(clf._state.optimizer))
    assert clf.score(X, y) > 0.6


@pytest.mark.parametrize("path", ["numpy", "numba"])
@pytest.mark.parametrize(
    "name, huge",
    # Rosenblatt's rule is exact at any scale: a row of 1e200 leaves the
    # Perceptron finite weights (and a zero penalty adds nothing to them), so
    # its divergence is a row whose updates overflow the weights.
    [("adaline-sgd", 1e200), ("perceptron", 1e308)],
)
def test_a_huge_row_is_divergence_on_every_path(iris, monkeypatch, path, name, huge):
    if path == "numba" and not _kernels.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(_kernels, "USE_NUMBA", path == "numba")
    X, y = iris
    clf = ESTIMATORS[name](max_iter=2, eta0=0.05).fit(X, y)
    before = frozen(clf)
    bad = X.copy()
    bad[5] = huge
    with pytest.raises(ValueError, match="diverged"):
        clf.set_params(warm_start=True).fit(bad, y)
    clf.set_params(warm_start=False)
    assert_same_state(clf, before)


@pytest.mark.parametrize("path", ["numpy", "numba"])
@pytest.mark.parametrize("name", ["mlp-adam", "mlp-sgd"])
@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_an_overflowing_gradient_is_divergence(iris, monkeypatch, path, name, activation):
    # A 1e200 row makes the first layer's gradient too large to square.
    # Adam's loss stays finite (m / sqrt(inf) is 0: the weights it touches
    # just stop moving), so only its moment estimates show it; momentum's
    # loss overflows.  Either way the call raises and changes nothing, on
    # the fused (numba) updates as on NumPy's passes.
    if path == "numba" and not _kernels.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(_kernels, "USE_NUMBA", path == "numba")
    X, y = iris
    clf = ESTIMATORS[name](max_iter=2, activation=activation, batch_size=30).fit(X, y)
    before = frozen(clf)
    bad = X.copy()
    bad[5] = 1e200
    with pytest.raises(ValueError, match="diverged") as excinfo:
        clf.set_params(warm_start=True).fit(bad, y)
    if name == "mlp-adam":
        assert "overflowed the optimizer's running averages" in str(excinfo.value)
    clf.set_params(warm_start=False)
    assert_same_state(clf, before)


# Before call 9 of this warm start every evaluated point was accepted; call
# 16 is a line-search trial that L-BFGS rejects, so an interrupt at call 17
# finds the last evaluated point rejected: it must not be kept.
@pytest.mark.parametrize("call", [9, 17])
def test_lbfgs_interrupt_keeps_the_last_accepted_iterate(iris, monkeypatch, call):
    X, y = iris
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, tol=0.0, random_state=0
    ).fit(X, y)
    from skmlp._core import lbfgs, rows_objective

    monkeypatch.setattr(
        lbfgs, "rows_objective", _raise_on_call(call, KeyboardInterrupt)(rows_objective)
    )
    with pytest.warns(UserWarning, match="interrupted"):
        clf.set_params(warm_start=True, max_iter=50).fit(X, y)
    monkeypatch.undo()
    assert 0 < clf.n_iter_ < call
    assert len(clf.loss_curve_) == 5 + clf.n_iter_
    # The kept weights are the accepted iterate whose J was recorded last.
    T = clf._objective_data(X, y, None)[1]
    J = objective(clf._network(), X, T, None, clf.alpha)[0]
    assert J == pytest.approx(clf.loss_curve_[-1], rel=1e-12)


# -- bad input gets a clear error ----------------------------------------------


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier])
@pytest.mark.parametrize("weight", [-1.0, np.nan, np.inf])
def test_class_weight_must_be_non_negative_and_finite(iris, cls, weight):
    X, y = iris
    with pytest.raises(ValueError, match="class_weight.*non-negative"):
        cls(class_weight={0: 1.0, 1: weight, 2: 1.0}).fit(X, y)


@pytest.mark.parametrize("name", ["perceptron", "adaline-sgd", "mlp-adam"])
def test_huge_float32_sample_weights_train_as_equal_weights(iris, name):
    X, y = iris
    X = X.astype(np.float32)
    make = ESTIMATORS[name]
    huge = make(max_iter=5, tol=None).fit(X, y, sample_weight=np.full(len(y), 3e36, np.float32))
    plain = make(max_iter=5, tol=None).fit(X, y)
    assert 0 < huge.loss_ < np.inf
    assert huge.loss_ == pytest.approx(plain.loss_, rel=1e-3)
    np.testing.assert_array_equal(huge.predict(X), plain.predict(X))


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier])
def test_sample_weights_whose_total_is_not_finite(iris, cls):
    X, y = iris
    with pytest.raises(ValueError, match="sum to inf"):
        cls().fit(X, y, sample_weight=np.full(len(y), 1e307))


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier])
def test_all_zero_weights_are_refused_by_every_call(iris, cls):
    X, y = iris
    zero = np.zeros(len(y))
    with pytest.raises(ValueError, match="non-zero"):
        cls().fit(X, y, sample_weight=zero)
    with pytest.raises(ValueError, match="non-zero"):
        cls().partial_fit(X, y, classes=np.unique(y), sample_weight=zero)
    fitted = cls(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="non-zero"):
        fitted.fit(X, y, X_val=X, y_val=y, sample_weight_val=zero)


@pytest.mark.parametrize("batch_size", [None, 10])
def test_adaline_auto_step_at_extreme_feature_scales(iris, batch_size):
    X, y = iris
    with np.errstate(all="raise"):
        big = AdalineClassifier(batch_size=batch_size, random_state=0).fit(X * 1e77, y)
        assert big.eta_ > 0 and np.all(np.isfinite(big.coef_))
        assert big.score(X * 1e77, y) > 0.75
        for scale in [1e160, 1e300]:
            with pytest.raises(ValueError, match="standardize the features"):
                AdalineClassifier(batch_size=batch_size).fit(X * scale, y)


def test_adaline_step_size_stays_in_float32():
    import tracemalloc

    X = np.random.default_rng(0).normal(size=(20000, 50)).astype(np.float32)
    for full_batch in [True, False]:
        tracemalloc.start()
        eta = squared_error_step_size(X, None, 0.0, full_batch)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 0.5 * X.nbytes
        expected = squared_error_step_size(X.astype(np.float64), None, 0.0, full_batch)
        assert eta == pytest.approx(expected, rel=1e-3)


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


# -- every input layout --------------------------------------------------------


def _non_canonical(D, parts, seed):
    """``D`` (CSR) with each entry stored as ``parts`` duplicates that sum to
    it, and each row's column indices in a random order."""
    rng = np.random.default_rng(seed)
    indices, data = [], []
    for i in range(D.shape[0]):
        row = slice(D.indptr[i], D.indptr[i + 1])
        order = rng.permutation((D.indptr[i + 1] - D.indptr[i]) * parts)
        indices.append(np.repeat(D.indices[row], parts)[order])
        data.append(np.repeat(D.data[row] / parts, parts)[order])
    indptr = np.concatenate([[0], np.cumsum([len(c) for c in indices])])
    out = sparse.csr_matrix((np.concatenate(data), np.concatenate(indices), indptr), D.shape)
    assert not out.has_canonical_format
    return out


NON_CANONICAL_CASES = {
    "adaline-sgd-auto": lambda: AdalineClassifier(batch_size=1, random_state=0),
    "adaline-minibatch-auto": lambda: AdalineClassifier(batch_size=16, random_state=0),
    "adaline-full-auto": lambda: AdalineClassifier(random_state=0),
    "perceptron": lambda: PerceptronClassifier(random_state=0),
    "mlp": lambda: MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=20, random_state=0),
}


@pytest.mark.parametrize("parts", [1, 2, 10])
@pytest.mark.parametrize("case", list(NON_CANONICAL_CASES))
def test_non_canonical_csr_fits_like_its_dense_form(iris, case, parts):
    """Duplicate entries (read as their sum) and unsorted indices fit exactly
    as the matrix they stand for, and the input is left as it was."""
    X, y = iris
    D = _non_canonical(sparse.csr_matrix(X), parts, seed=parts)
    given = D.copy()
    clf = NON_CANONICAL_CASES[case]().fit(D, y)
    same = NON_CANONICAL_CASES[case]().fit(sparse.csr_matrix(D.toarray()), y)
    assert_same_state(clf, same)
    dense = NON_CANONICAL_CASES[case]().fit(D.toarray(), y)
    if hasattr(dense, "eta_"):
        assert clf.eta_ == pytest.approx(dense.eta_, rel=1e-12)
    np.testing.assert_allclose(clf.predict_proba(D), dense.predict_proba(X), atol=1e-10)
    clf.partial_fit(D, y)
    same.partial_fit(sparse.csr_matrix(D.toarray()), y)
    assert_same_state(clf, same)
    for name in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(D, name), getattr(given, name))
    assert not D.has_canonical_format


def _captured_training_X(monkeypatch, estimator, X, y):
    from skmlp._source import MemorySource

    seen = []
    original = MemorySource.rows

    def spy(self, data, indices):
        seen.append(data.X)
        return original(self, data, indices)

    monkeypatch.setattr(MemorySource, "rows", spy)
    estimator.fit(X, y)
    return seen[0]


@pytest.mark.parametrize("layout", ["fortran", "dataframe-by-column", "strided"])
def test_training_sees_c_ordered_data(make, iris, layout, monkeypatch):
    X, y = iris
    if layout == "fortran":
        given = np.asfortranarray(X)
    elif layout == "strided":
        wide = np.repeat(X, 2, axis=1)
        given = wide[:, ::2]
    else:
        pd = pytest.importorskip("pandas")
        given = pd.DataFrame({f"f{j}": X[:, j] for j in range(X.shape[1])})
    seen = _captured_training_X(monkeypatch, make(max_iter=2), given, y)
    assert seen.flags.c_contiguous
    reference = make(max_iter=2).fit(np.ascontiguousarray(X), y)
    ours = make(max_iter=2).fit(given, y)
    for a, b in zip(ours._network().params, reference._network().params):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_csr_input_takes_the_per_sample_kernel(iris, cls, monkeypatch):
    X, y = iris
    params = dict(batch_size=1, max_iter=3, tol=None, shuffle=False)
    if cls is AdalineClassifier:
        params["eta0"] = 0.01
    dense = cls(**params).fit(X, y)

    def no_batches(*args, **kwargs):
        raise AssertionError("the per-sample rule gathered mini-batches")

    from skmlp._core.rows import ArrayRows

    monkeypatch.setattr(ArrayRows, "batches", no_batches)
    sp = cls(**params).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sp.coef_, dense.coef_, rtol=1e-10, atol=1e-12)


def test_clone_of_a_fitted_model_is_unfitted_and_independent(make, iris):
    X, y = iris
    clf = make(max_iter=2).fit(X, y)
    twin = clone(clf)
    assert not hasattr(twin, "classes_")
