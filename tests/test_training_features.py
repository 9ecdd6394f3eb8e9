"""Validation data, early stopping, progress, callbacks, interrupts, dropout."""

import copy

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier, check_gradients
from skmlp._callbacks import HAVE_CALLBACKS
from skmlp._core import objective_value

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

MAKERS = {
    "perceptron": lambda **kw: PerceptronClassifier(**{"random_state": 0, **kw}),
    "adaline": lambda **kw: AdalineClassifier(**{"random_state": 0, "batch_size": 16, **kw}),
    "mlp": lambda **kw: MLPBackpropClassifier(
        **{"hidden_layer_sizes": (16,), "learning_rate_init": 0.01, "random_state": 0, **kw}
    ),
}


@pytest.fixture(params=list(MAKERS))
def make(request):
    return MAKERS[request.param]


@pytest.fixture(scope="module")
def split():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def test_validation_curves_are_recorded_per_epoch(make, split):
    X, X_val, y, y_val = split
    clf = make(max_iter=6, tol=None).fit(X, y, X_val=X_val, y_val=y_val)
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == clf.n_iter_
    # The last entry is J and the accuracy on the validation data.
    T_val = clf._objective_data(X_val, y_val, None)[1]
    J = objective_value(clf._network(), X_val, T_val, None, clf.alpha)[0]
    assert clf.validation_loss_curve_[-1] == pytest.approx(J, rel=1e-10)
    assert clf.validation_scores_[-1] == pytest.approx(clf.score(X_val, y_val))
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_early_stopping_on_validation_loss_restores_the_best_epoch(make, split):
    X, X_val, y, y_val = split
    clf = make(early_stopping=True, scoring="loss", max_iter=300, n_iter_no_change=3, tol=0.0).fit(
        X, y, X_val=X_val, y_val=y_val
    )
    best = int(np.argmin(clf.validation_loss_curve_))
    assert clf.n_iter_ < 300
    assert clf.validation_scores_ == [-v for v in clf.validation_loss_curve_]
    # The weights are those of the best epoch, not of the last.
    T_val = clf._objective_data(X_val, y_val, None)[1]
    J = objective_value(clf._network(), X_val, T_val, None, clf.alpha)[0]
    assert J == pytest.approx(clf.validation_loss_curve_[best], rel=1e-10)
    # Linear models stop after n_iter_no_change epochs without improvement,
    # the MLP after more than that (as their scikit-learn counterparts).
    assert clf.n_iter_ - 1 - best >= 3 + isinstance(clf, MLPBackpropClassifier)


def test_given_validation_data_replaces_the_internal_split(split):
    X, X_val, y, y_val = split
    clf = MLPBackpropClassifier(early_stopping=True, max_iter=5, random_state=0)
    clf.fit(X, y, X_val=X_val, y_val=y_val)
    # Every training row was trained on: t_ counts them all.
    assert clf.t_ == clf.n_iter_ * len(y)
    internal = MLPBackpropClassifier(early_stopping=True, max_iter=5, random_state=0).fit(X, y)
    assert internal.t_ < internal.n_iter_ * len(y)


@pytest.mark.parametrize("scoring", ["balanced_accuracy", "neg_log_loss"])
def test_any_scorer_can_be_monitored(split, scoring):
    from sklearn.metrics import get_scorer

    X, X_val, y, y_val = split
    clf = MLPBackpropClassifier(
        early_stopping=True, scoring=scoring, max_iter=30, random_state=0
    ).fit(X, y, X_val=X_val, y_val=y_val)
    assert clf.best_validation_score_ == pytest.approx(
        get_scorer(scoring)(clf, X_val, y_val), rel=1e-9
    )


@pytest.mark.parametrize(
    "returned", [None, np.array([0.5, 0.7]), "0.9", True], ids=["none", "array", "str", "bool"]
)
@pytest.mark.parametrize("dask", [False, True], ids=["memory", "dask"])
def test_a_scorer_that_returns_no_number_is_named(split, returned, dask):
    from _state import assert_same_state, frozen

    X, X_val, y, y_val = split

    def scorer(estimator, X, y, sample_weight=None):
        return returned

    clf = AdalineClassifier(max_iter=2, tol=None).fit(X, y)
    before = frozen(clf)
    clf.set_params(warm_start=True, early_stopping=True, scoring=scorer)
    if dask:
        da = pytest.importorskip("dask.array")
        X_val, y_val = da.from_array(X_val, chunks=200), da.from_array(y_val, chunks=200)
    with pytest.raises(ValueError, match=r"scoring=.*scorer.* returned .*single number"):
        clf.fit(X, y, X_val=X_val, y_val=y_val)
    clf.set_params(warm_start=False, early_stopping=False, scoring=None)
    assert_same_state(clf, before)


def test_early_stopping_across_partial_fit(split):
    X, X_val, y, y_val = split
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(16,),
        learning_rate_init=0.05,
        early_stopping=True,
        scoring="loss",
        n_iter_no_change=2,
        tol=0.0,
        random_state=0,
    )
    for _ in range(200):
        clf.partial_fit(X, y, classes=np.unique(y), X_val=X_val, y_val=y_val)
        if clf._state.history.stopped:
            break
    assert clf._state.history.stopped
    n_iter = clf.n_iter_
    best = int(np.argmin(clf.validation_loss_curve_))
    T_val = clf._objective_data(X_val, y_val, None)[1]
    J = objective_value(clf._network(), X_val, T_val, None, clf.alpha)[0]
    assert J == pytest.approx(clf.validation_loss_curve_[best], rel=1e-10)
    clf.partial_fit(X, y)  # stopped: trains no more
    assert clf.n_iter_ == n_iter


def test_validation_labels_must_be_known(split):
    X, X_val, y, y_val = split
    with pytest.raises(ValueError, match="y_val contains labels"):
        MLPBackpropClassifier(max_iter=2).fit(X[y < 5], y[y < 5], X_val=X_val, y_val=y_val)
    with pytest.raises(ValueError, match="together"):
        MLPBackpropClassifier(max_iter=2).fit(X, y, X_val=X_val)


def test_verbose_prints_a_table(capsys, split):
    X, X_val, y, y_val = split
    MLPBackpropClassifier(max_iter=3, tol=None, verbose=True, random_state=0).fit(
        X, y, X_val=X_val, y_val=y_val
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == ["epoch", "train", "loss", "val", "loss", "val", "score", "seconds"]
    assert len(lines) == 4
    for k, line in enumerate(lines[1:], start=1):
        fields = line.split()
        assert int(fields[0]) == k and len(fields) == 5
        assert all(np.isfinite(float(f)) for f in fields[1:])


def test_interrupt_keeps_the_last_completed_epoch(make, split, monkeypatch):
    X, _, y, _ = split
    clf = make(max_iter=3, tol=None, shuffle=False).fit(X, y)
    before = [p.copy() for p in clf._network().params]
    from skmlp._core import epochs

    calls = {"n": 0}
    run = epochs._Epoch.run

    def interrupting_run(self, *args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return run(self, *args)

    monkeypatch.setattr(epochs._Epoch, "run", interrupting_run)
    clf.set_params(warm_start=True, max_iter=10)
    with pytest.warns(UserWarning, match="interrupted after 2 epochs"):
        clf.fit(X, y)
    assert clf.n_iter_ == 2
    assert len(clf.loss_curve_) == 5
    monkeypatch.setattr(epochs._Epoch, "run", run)
    # The same two epochs without the interrupt give the same weights.
    reference = make(max_iter=3, tol=None, shuffle=False).fit(X, y)
    reference.set_params(warm_start=True, max_iter=2).fit(X, y)
    for a, b in zip(clf._network().params, reference._network().params):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert any(not np.array_equal(a, b) for a, b in zip(before, clf._network().params))
    assert clf.score(X, y) > 0.5


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
def test_progress_bar_inside_a_grid_search(split):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar

    X, _, y, _ = split
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(max_iter=3, random_state=0)),
        {"mlpbackpropclassifier__alpha": [1e-4, 1.0]},
        cv=2,
    ).set_callbacks(ProgressBar(max_propagation_depth=None))
    search.fit(X, y)
    assert search.best_estimator_[-1].n_iter_ == 3


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
def test_a_callback_sees_each_epoch_and_can_stop_training(make, split):
    X, _, y, _ = split
    seen = []

    class StopAfterFour:
        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context):
            pass

        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "epoch":
                seen.append(fitted_estimator.n_iter_)
                return fitted_estimator.n_iter_ >= 4
            return False

    clf = make(max_iter=50, tol=None).set_callbacks(StopAfterFour()).fit(X, y)
    assert seen == [1, 2, 3, 4]
    assert clf.n_iter_ == 4


def _fitted_state(estimator):
    """The estimator's state, less the callback machinery's own attributes."""
    return {
        key: value
        for key, value in vars(estimator).items()
        if not key.startswith(("_callback", "_skl_callbacks"))
    }


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
@pytest.mark.parametrize("full_batch", [False, True], ids=["minibatch", "full-batch"])
def test_the_estimator_a_callback_receives_is_a_model_stopped_at_that_epoch(
    make, split, full_batch
):
    """A callback that keeps ``fitted_estimator`` keeps the model of that epoch:
    it does not change as training goes on, training does not see it, and it
    continues exactly as a fit stopped there would."""
    from _state import state_diff

    X, _, y, _ = split
    params = {"max_iter": 5, "tol": None, **({"batch_size": None} if full_batch else {})}
    kept = {}

    class KeepEpochTwo:
        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context):
            pass

        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "epoch" and fitted_estimator.n_iter_ == 2:
                kept["model"] = fitted_estimator
                kept["then"] = copy.deepcopy(_fitted_state(fitted_estimator))
            return False

    clf = make(**params).set_callbacks(KeepEpochTwo()).fit(X, y)
    plain = make(**params).fit(X, y)
    assert not state_diff(_fitted_state(plain), _fitted_state(clf))
    snapshot = kept["model"]
    assert not state_diff(kept["then"], _fitted_state(snapshot))
    assert snapshot.n_iter_ == 2 and snapshot.t_ == 2 * len(y)
    assert snapshot.loss_curve_ == clf.loss_curve_[:2]
    # It goes on as a fit of two epochs does.
    snapshot.partial_fit(X, y)
    stopped = make(**{**params, "max_iter": 2}).fit(X, y).set_params(max_iter=5)
    stopped.partial_fit(X, y)
    assert snapshot.t_ == 3 * len(y) and len(snapshot.loss_curve_) == 3
    assert not state_diff(_fitted_state(stopped), _fitted_state(snapshot))
    assert not state_diff(_fitted_state(plain), _fitted_state(clf))


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
def test_scoring_monitor_records_every_epoch(split):
    from sklearn.callback import ScoringMonitor

    X, _, y, _ = split
    monitor = ScoringMonitor(scoring=["accuracy"])
    MLPBackpropClassifier(max_iter=4, tol=None, random_state=0).set_callbacks(monitor).fit(X, y)
    rows = monitor.get_logs().data
    epochs = [row for row in rows if row["task_name"] == "epoch"]
    assert len(epochs) == 4
    assert all(0 <= row["accuracy"] <= 1 for row in epochs)


def test_dropout_trains_and_is_reproducible(split):
    X, X_val, y, y_val = split
    make = lambda d: MLPBackpropClassifier(  # noqa: E731
        hidden_layer_sizes=(32,),
        dropout=d,
        learning_rate_init=0.01,
        max_iter=30,
        tol=None,
        random_state=0,
    )
    a = make(0.3).fit(X, y)
    b = make(0.3).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    plain = make(0.0).fit(X, y)
    assert not np.allclose(a.coefs_[0], plain.coefs_[0])
    assert a.score(X_val, y_val) > 0.9
    # Dropping units makes the training loss higher than without dropout.
    assert a.loss_curve_[-1] > plain.loss_curve_[-1]
    make([0.2, 0.1])  # one rate per layer is accepted at construction
    with pytest.raises(ValueError, match="dropout"):
        make([0.2, 0.1]).fit(X, y)


def test_dropout_gradient_is_that_of_the_thinned_network():
    from skmlp._core import Architecture, initialize, objective
    from skmlp._core.network import Dropout, Workspace, backward

    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 4))
    T = np.eye(3)[rng.integers(0, 3, 10)]
    net = initialize(Architecture([4, 6, 3], "tanh", "logistic", "glorot"), rng, np.float64)
    dropout = Dropout([0.5], np.random.default_rng(1))
    ws = Workspace(net, 10)
    backward(net, (X, T, None), 10.0, 0.0, ws, dropout)
    # The thinned network: the mask folded into the second layer's weights.
    mask = dropout.masks[0][:, :]
    assert set(np.unique(mask)) <= {0.0, 2.0}
    thinned_X_grad = ws.gradients[1]
    H = np.tanh(X @ net.coefs[0] + net.intercepts[0]) * mask
    A = 1 / (1 + np.exp(-(H @ net.coefs[1] + net.intercepts[1])))
    np.testing.assert_allclose(thinned_X_grad, H.T @ (A - T) / 10, rtol=1e-10)
    assert np.isfinite(objective(net, X, T)[0])


@pytest.mark.parametrize("activation", ["leaky_relu", "elu", "softplus"])
def test_new_activations_learn(activation):
    X, y = load_iris(return_X_y=True)
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(8,), activation=activation, solver="lbfgs", random_state=0
    ).fit(X, y)
    assert clf.score(X, y) > 0.95
    assert check_gradients(clf, X[::15], y[::15]).max() < 1e-6


def test_hidden_activations(split):
    X, _, y, _ = split
    clf = MLPBackpropClassifier(hidden_layer_sizes=(7, 5), max_iter=3, random_state=0).fit(X, y)
    H1 = clf.hidden_activations(X, layer=0)
    H2 = clf.hidden_activations(X)
    assert H1.shape == (len(X), 7) and H2.shape == (len(X), 5)
    expected = 1 / (1 + np.exp(-(H1 @ clf.coefs_[1] + clf.intercepts_[1])))
    np.testing.assert_allclose(H2, expected, rtol=1e-10)
    with pytest.raises(IndexError, match="out of range"):
        clf.hidden_activations(X, layer=2)


def test_check_gradients_finds_a_broken_derivative(monkeypatch):
    from skmlp._core import activations

    X, y = load_iris(return_X_y=True)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), activation="tanh", random_state=0)
    assert check_gradients(clf, X[::10], y[::10]).max() < 1e-6
    monkeypatch.setitem(activations.DERIVATIVES, "tanh", lambda A, delta, xp=None: delta)
    errors = check_gradients(clf, X[::10], y[::10])
    assert errors[0] > 1e-2  # the first layer's gradient is now wrong
    assert errors[1] < 1e-6  # the output layer's is not affected
    with pytest.raises(ValueError, match="not the gradient"):
        check_gradients(PerceptronClassifier(), X, y)


def test_lbfgs_says_it_does_not_use_validation_data(split):
    X, X_val, y, y_val = split
    with pytest.warns(UserWarning, match="lbfgs"):
        clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=5).fit(
            X, y, X_val=X_val, y_val=y_val
        )
    assert clf.validation_scores_ is None
