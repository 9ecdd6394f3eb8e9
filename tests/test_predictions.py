"""predict, predict_proba, predict_log_proba and decision_function agree at any scale."""

import numpy as np
import pytest
from _state import assert_same_state, frozen
from sklearn.datasets import load_digits

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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


def test_proba_rows_sum_to_one_and_argmax_is_predict(make_estimator, iris):
    X, y = iris
    for classes in [[0, 1, 2], [0, 1]]:
        mask = np.isin(y, classes)
        clf = make_estimator().fit(X[mask], y[mask])
        P = clf.predict_proba(X)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        np.testing.assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))
        np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_ties_go_the_same_way_in_predict_and_proba(make_estimator, iris, n_classes):
    X, y = iris
    mask = y < n_classes
    clf = make_estimator().fit(X[mask], y[mask])
    # Zero weights put every sample on a tie.
    for p in clf._network().params:
        p[...] = 0
    P = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))
    if isinstance(clf, PerceptronClassifier) and n_classes == 2:
        # The unit step sends z = 0 to the positive class.
        assert np.all(clf.predict(X) == clf.classes_[1])


@pytest.mark.parametrize("scale", [1.0, 1e-3, 1e3])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_prediction_raises_no_floating_point_error(make_solver, iris, n_classes, scale):
    """Prediction works under ``np.errstate(all="raise")``, as scikit-learn's does."""
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    clf = make_solver(max_iter=20).fit(X, y)
    X = X * scale  # small and large scores alike
    with np.errstate(all="raise"):
        results = {method: getattr(clf, method)(X) for method in PREDICTION_METHODS}
        score = clf.score(X, y)
    with np.errstate(all="ignore"):
        for method in PREDICTION_METHODS:
            np.testing.assert_array_equal(results[method], getattr(clf, method)(X))
    assert score == clf.score(X, y)


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_linear_predictions_follow_the_decision_function_at_any_scale(raw_iris, cls):
    X, y = raw_iris
    clf = cls(random_state=0).fit(X * 1e8, y)
    _check_proba_contract(clf, X * 1e8)
    Z = clf.decision_function(X * 1e8)
    assert clf.score(X * 1e8, y) == np.mean(clf.classes_[np.argmax(Z, axis=1)] == y)

    Xd, yd = load_digits(return_X_y=True)
    Xd = (Xd * 100).astype(np.float32)
    clf = cls(random_state=0, max_iter=20).fit(Xd, yd)
    _check_proba_contract(clf, Xd)


def test_perceptron_learning_rate_does_not_change_predictions(iris):
    X, y = iris
    ones = PerceptronClassifier(shuffle=False, max_iter=20, tol=None).fit(X, y)
    huge = PerceptronClassifier(shuffle=False, max_iter=20, tol=None, eta0=1e15).fit(X, y)
    _check_proba_contract(huge, X)
    np.testing.assert_array_equal(ones.predict(X), huge.predict(X))
    np.testing.assert_allclose(ones.predict_proba(X)[:, :], huge.predict_proba(X), atol=1e-6)


def test_linear_binary_proba_at_zero_and_infinity(raw_iris):
    X, y = raw_iris
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


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_one_at_a_time_in_every_layout_predict_alike(make_any_solver, iris, dtype):
    # Prediction validates plain NumPy rows more cheaply than other input:
    # every layout, and every row alone, must give the same answers.
    X, y = iris
    model = make_any_solver().fit(X.astype(dtype), y)
    methods = [m for m in PREDICTION_METHODS if hasattr(model, m)]
    X = X[::10].astype(dtype)
    layouts = {
        "fortran": np.asfortranarray(X),
        "strided": np.repeat(X, 2, axis=0)[::2],
        "list": X.tolist(),
        "float64": X.astype(np.float64),
    }
    for method in methods:
        expected = getattr(model, method)(X)
        # A list becomes float64 rows, computed against float32 weights.
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        finite = expected[np.isfinite(expected)] if expected.dtype.kind == "f" else [0]
        atol = rtol * np.abs(finite).max()
        for name, layout in layouts.items():
            got = getattr(model, method)(layout)
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=name)
        rows = np.concatenate([getattr(model, method)(X[i : i + 1]) for i in range(len(X))])
        np.testing.assert_allclose(rows, expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize(
    "row, error",
    [
        ([np.nan, 0, 0, 0], "NaN"),
        ([np.inf, 0, 0, 0], "infinity"),
        ([0, 0, 0], "3 features"),
        ([[[0, 0, 0, 0]]], "dim 3"),
    ],
)
def test_a_bad_row_is_refused_by_every_method(make_any_solver, iris, row, error):
    X, y = iris
    model = make_any_solver().fit(X, y)
    for method in [m for m in PREDICTION_METHODS if hasattr(model, m)]:
        with pytest.raises(ValueError, match=error):
            getattr(model, method)(np.atleast_2d(np.asarray(row, dtype=float)))


def test_rows_whose_sum_overflows_are_still_predicted(make_any_solver, iris):
    # Finite values whose sum is not: validated element by element, and accepted.
    X, y = iris
    model = make_any_solver().fit(X, y)
    big = np.full((1, 4), np.finfo(np.float64).max)
    with np.errstate(all="ignore"):
        assert model.predict(big).shape[0] == 1
