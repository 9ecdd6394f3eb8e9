"""Each estimator against an independent statement of its mathematics."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import Ridge
from sklearn.preprocessing import LabelBinarizer, StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier


def rosenblatt(X, y, classes, eta0, n_epochs, sample_weight=None):
    """Rosenblatt's rule, one sample at a time, exactly as the notes state it."""
    T = LabelBinarizer(neg_label=-1).fit(classes).transform(y).astype(float)
    s = np.ones(len(X)) if sample_weight is None else sample_weight / np.mean(sample_weight)
    W = np.zeros((T.shape[1], X.shape[1]))
    b = np.zeros(T.shape[1])
    errors = []
    for _ in range(n_epochs):
        mistakes = 0
        for x, t, w in zip(X, T, s):
            yhat = np.where(W @ x + b >= 0, 1.0, -1.0)
            mistakes += int(np.any(yhat != t))
            W += eta0 * w * np.outer(t - yhat, x)
            b += eta0 * w * (t - yhat)
        errors.append(mistakes)
        if mistakes == 0:
            break
    return W, b, errors


@pytest.mark.parametrize("eta0", [1.0, 0.1])
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_perceptron_equals_sample_by_sample_rule(dataset, eta0):
    X, y = (load_iris if dataset == "iris" else load_breast_cancer)(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = PerceptronClassifier(eta0=eta0, shuffle=False, max_iter=15, tol=None).fit(X, y)
    W, b, errors = rosenblatt(X, y, np.unique(y), eta0, 15)
    np.testing.assert_array_equal(clf.coef_, W)
    np.testing.assert_array_equal(clf.intercept_, b)
    assert clf.errors_ == errors
    assert clf.n_iter_ == len(errors)


def test_perceptron_with_sample_weights_equals_rule():
    X, y = load_iris(return_X_y=True)
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    clf = PerceptronClassifier(shuffle=False, max_iter=5, tol=None).fit(X, y, sample_weight=sw)
    W, b, _ = rosenblatt(X, y, np.unique(y), 1.0, 5, sample_weight=sw)
    np.testing.assert_allclose(clf.coef_, W, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(clf.intercept_, b, rtol=1e-12, atol=1e-12)


def test_perceptron_stops_after_an_epoch_without_mistakes():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(int)
    X = X[np.abs(X @ np.array([1.0, -2.0, 0.5])) > 0.2]
    y = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(int)
    clf = PerceptronClassifier(max_iter=1000, tol=None, random_state=0).fit(X, y)
    assert clf.errors_[-1] == 0
    assert all(e > 0 for e in clf.errors_[:-1])
    assert clf.n_iter_ < 1000
    assert clf.score(X, y) == 1.0


def test_perceptron_sparse_equals_dense():
    X, y = load_iris(return_X_y=True)
    dense = PerceptronClassifier(shuffle=False, max_iter=5, tol=None).fit(X, y)
    sp = PerceptronClassifier(shuffle=False, max_iter=5, tol=None).fit(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(dense.coef_, sp.coef_)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("alpha", [0.1, 10.0])
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_adaline_converges_to_ridge(dataset, alpha, weighted):
    X, y = (load_iris if dataset == "iris" else load_breast_cancer)(return_X_y=True)
    # Features that are not nearly collinear, so that descent converges in
    # a few thousand epochs.
    X = StandardScaler().fit_transform(X)[
        :, [0, 1, 2, 3] if dataset == "iris" else [1, 4, 8, 9, 14, 21]
    ]
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y)) if weighted else None
    clf = AdalineClassifier(alpha=alpha, max_iter=20000, tol=None).fit(X, y, sample_weight=sw)
    T = LabelBinarizer(neg_label=-1).fit_transform(y)
    ridge = Ridge(alpha=alpha).fit(X, T, sample_weight=sw)
    np.testing.assert_allclose(
        clf.coef_, ridge.coef_.reshape(clf.coef_.shape), rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(clf.intercept_, np.ravel(ridge.intercept_), rtol=1e-4, atol=1e-6)


def test_adaline_stochastic_descent_is_the_per_sample_rule():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    eta, alpha, epochs = 0.01, 0.5, 3
    clf = AdalineClassifier(
        eta0=eta, alpha=alpha, batch_size=1, shuffle=False, max_iter=epochs, tol=None
    ).fit(X, y)
    T = LabelBinarizer(neg_label=-1).fit_transform(y).astype(float)
    W, b = np.zeros((3, 4)), np.zeros(3)
    for _ in range(epochs):
        for x, t in zip(X, T):
            e = t - (W @ x + b)
            W += eta * (np.outer(e, x) - alpha / len(X) * W)
            b += eta * e
    np.testing.assert_allclose(clf.coef_, W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(clf.intercept_, b, rtol=1e-10, atol=1e-12)


def test_mlp_lbfgs_reaches_a_stationary_point_of_J():
    from skmlp._core import objective

    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(4,),
        solver="lbfgs",
        alpha=1.0,
        max_iter=2000,
        tol=1e-10,
        random_state=0,
    ).fit(X, y)
    T = LabelBinarizer().fit_transform(y).astype(float)
    J, grads = objective(clf._network(), X, T, None, 1.0)
    assert J == pytest.approx(clf.loss_curve_[-1], rel=1e-6)
    assert max(np.abs(g).max() for g in grads) < 1e-5
