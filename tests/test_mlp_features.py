"""The MLP's own features: solvers, outputs, layers, activations, dropout, check_gradients."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_multilabel_classification
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import MLPBackpropClassifier, PerceptronClassifier, check_gradients

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("output_activation", ["logistic", "softmax"])
def test_mlp_solvers_and_outputs(iris, solver, output_activation):
    X, y = iris
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(10,),
        solver=solver,
        output_activation=output_activation,
        learning_rate_init=0.1 if solver == "sgd" else 0.01,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.9
    assert clf.out_activation_ == output_activation
    assert clf.n_layers_ == 3
    assert clf.n_outputs_ == 3
    assert [W.shape for W in clf.coefs_] == [(4, 10), (10, 3)]


def test_mlp_softmax_binary_has_two_units(iris):
    X, y = iris
    clf = MLPBackpropClassifier(output_activation="softmax", random_state=0).fit(
        X[y < 2], y[y < 2]
    )
    assert clf.n_outputs_ == 2
    assert clf.score(X[y < 2], y[y < 2]) == 1.0


def test_mlp_multilabel():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    X = StandardScaler().fit_transform(X)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(20,), max_iter=500, random_state=0).fit(X, Y)
    pred = clf.predict(X)
    assert pred.shape == Y.shape
    np.testing.assert_array_equal(pred, (clf.predict_proba(X) > 0.5).astype(int))
    assert np.mean(pred == Y) > 0.8
    clf.partial_fit(X, Y)
    with pytest.raises(ValueError, match="1d array"):
        PerceptronClassifier().fit(X, Y)


def test_mlp_hidden_layers_and_activations(iris):
    X, y = iris
    for activation in ["logistic", "tanh", "relu", "identity"]:
        clf = MLPBackpropClassifier(
            hidden_layer_sizes=(6, 5), activation=activation, solver="lbfgs", random_state=0
        ).fit(X, y)
        assert [W.shape for W in clf.coefs_] == [(4, 6), (6, 5), (5, 3)]
        assert clf.score(X, y) > 0.9, activation


@pytest.mark.parametrize("activation", ["leaky_relu", "elu", "softplus"])
def test_new_activations_learn(raw_iris, activation):
    X, y = raw_iris
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(8,), activation=activation, solver="lbfgs", random_state=0
    ).fit(X, y)
    assert clf.score(X, y) > 0.95
    assert check_gradients(clf, X[::15], y[::15]).max() < 1e-6


def test_mlp_partial_fit_is_not_offered_by_lbfgs():
    clf = MLPBackpropClassifier(solver="lbfgs")
    assert not hasattr(clf, "partial_fit")


def test_mlp_defaults_match_sklearn_on_digits():
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X[:600]
    y = y[:600]
    ours = cross_val_score(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(random_state=0)), X, y, cv=3
    ).mean()
    theirs = cross_val_score(
        make_pipeline(StandardScaler(), MLPClassifier(activation="logistic", random_state=0)),
        X,
        y,
        cv=3,
    ).mean()
    assert ours > theirs - 0.03


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


def test_check_gradients_finds_a_broken_derivative(raw_iris, monkeypatch):
    from skmlp._core import activations

    X, y = raw_iris
    clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), activation="tanh", random_state=0)
    assert check_gradients(clf, X[::10], y[::10]).max() < 1e-6
    monkeypatch.setitem(activations.DERIVATIVES, "tanh", lambda A, delta, xp=None: delta)
    errors = check_gradients(clf, X[::10], y[::10])
    assert errors[0] > 1e-2  # the first layer's gradient is now wrong
    assert errors[1] < 1e-6  # the output layer's is not affected
    with pytest.raises(ValueError, match="not the gradient"):
        check_gradients(PerceptronClassifier(), X, y)
