"""Training state: n_iter_, t_ and loss_curve_, stopping, warm_start and partial_fit."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Perceptron
from sklearn.neural_network import MLPClassifier

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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


def test_n_iter_is_one_after_partial_fit(make_solver, iris):
    X, y = iris
    clf = make_solver()
    for _ in range(3):
        clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.n_iter_ == 1
    assert len(clf.loss_curve_) == 3
    assert clf.t_ == 3 * len(y)


def test_warm_start_n_iter_is_per_call(make_any_solver, iris):
    X, y = iris
    clf = make_any_solver(max_iter=3, tol=None).fit(X, y)
    clf.set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_ == 3
    assert len(clf.loss_curve_) == 6


def test_loss_curve_is_recorded_each_epoch(make_estimator, iris):
    X, y = iris
    clf = make_estimator(max_iter=7, tol=None).fit(X, y)
    assert len(clf.loss_curve_) == clf.n_iter_ == 7 or isinstance(clf, PerceptronClassifier)
    assert all(np.isfinite(clf.loss_curve_))
    assert clf.t_ == clf.n_iter_ * len(y)


def test_linear_models_stop_after_n_iter_no_change_epochs(raw_iris, iris):
    X, y = raw_iris
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


def test_convergence_warning_when_max_iter_is_reached(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        MLPBackpropClassifier(max_iter=2, random_state=0).fit(X, y)


def test_streaming_partial_fit(make_estimator, iris):
    X, y = iris
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    clf = make_estimator()
    for _ in range(20):
        for chunk in np.array_split(order, 5):
            clf.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    # n_iter_ counts the epochs of the last call, as in scikit-learn.
    assert clf.n_iter_ == 1
    assert len(clf.loss_curve_) == 100
    assert clf.t_ == 20 * len(y)
    assert clf.score(X, y) > 0.8


def test_partial_fit_needs_classes_first(make_estimator, iris):
    X, y = iris
    with pytest.raises(ValueError, match="classes must be passed"):
        make_estimator().partial_fit(X, y)


def test_partial_fit_rejects_unseen_labels(make_estimator, iris):
    X, y = iris
    clf = make_estimator().partial_fit(X[y < 2], y[y < 2], classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[2\]"):
        clf.partial_fit(X, y)
    with pytest.raises(ValueError, match=r"labels \[2\]"):
        make_estimator().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="not the same"):
        clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])


def test_warm_start_continues_from_the_previous_weights(make_estimator, iris):
    X, y = iris
    clf = make_estimator(warm_start=True, max_iter=3, tol=None).fit(X, y)
    first = clf.n_iter_
    clf.fit(X, y)
    # n_iter_ counts the epochs of the last call; the history keeps growing.
    assert clf.n_iter_ == first
    assert len(clf.loss_curve_) == 2 * first
    assert clf.t_ == 2 * first * len(y)
    if isinstance(clf, MLPBackpropClassifier):
        # The second fit starts where the first stopped, not from scratch.
        assert clf.loss_curve_[first] < clf.loss_curve_[0]
    else:
        # Plain gradient descent has no state besides the weights.
        cold = make_estimator(max_iter=2 * first, tol=None).fit(X, y)
        np.testing.assert_allclose(clf.coef_, cold.coef_, rtol=1e-10)


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
