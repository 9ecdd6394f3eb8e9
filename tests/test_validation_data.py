"""Validation data and early stopping: X_val, the internal split, the monitored scoring."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skmlp import AdalineClassifier, MLPBackpropClassifier
from skmlp._core import objective_value

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_validation_curves_are_recorded_per_epoch(make_any_for_digits, split):
    X, X_val, y, y_val = split
    clf = make_any_for_digits(max_iter=6, tol=None).fit(X, y, X_val=X_val, y_val=y_val)
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == clf.n_iter_
    # The last entry is J and the score (accuracy, R^2) on the validation data.
    T_val = clf._objective_data(X_val, y_val, None)[1]
    J = objective_value(clf._network(), X_val, T_val, None, clf.alpha)[0]
    assert clf.validation_loss_curve_[-1] == pytest.approx(J, rel=1e-10)
    assert clf.validation_scores_[-1] == pytest.approx(clf.score(X_val, y_val))
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_early_stopping_keeps_the_best_weights(make_estimator, iris):
    X, y = iris
    clf = make_estimator(early_stopping=True, validation_fraction=0.2, max_iter=100).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    no_es = make_estimator(max_iter=100).fit(X, y)
    assert no_es.validation_scores_ is None


def test_early_stopping_on_validation_loss_restores_the_best_epoch(make_any_for_digits, split):
    X, X_val, y, y_val = split
    clf = make_any_for_digits(
        early_stopping=True, scoring="loss", max_iter=300, n_iter_no_change=3, tol=0.0
    ).fit(X, y, X_val=X_val, y_val=y_val)
    best = int(np.argmin(clf.validation_loss_curve_))
    assert clf.n_iter_ < 300
    assert clf.validation_scores_ == [-v for v in clf.validation_loss_curve_]
    # The weights are those of the best epoch, not of the last.
    T_val = clf._objective_data(X_val, y_val, None)[1]
    J = objective_value(clf._network(), X_val, T_val, None, clf.alpha)[0]
    assert J == pytest.approx(clf.validation_loss_curve_[best], rel=1e-10)
    # Linear models stop after n_iter_no_change epochs without improvement,
    # the MLP after more than that (as their scikit-learn counterparts).
    assert clf.n_iter_ - 1 - best >= 3 + hasattr(clf, "coefs_")


def test_given_validation_data_replaces_the_internal_split(split):
    X, X_val, y, y_val = split
    clf = MLPBackpropClassifier(early_stopping=True, max_iter=5, random_state=0)
    clf.fit(X, y, X_val=X_val, y_val=y_val)
    # Every training row was trained on: t_ counts them all.
    assert clf.t_ == clf.n_iter_ * len(y)
    internal = MLPBackpropClassifier(early_stopping=True, max_iter=5, random_state=0).fit(X, y)
    assert internal.t_ < internal.n_iter_ * len(y)


@pytest.mark.parametrize("name", ["perceptron", "adaline-sgd"])
def test_early_stopping_without_shuffle_trains_in_data_order(solver_makers, iris, name):
    X, y = iris
    make = solver_makers[name]
    clf = make(early_stopping=True, shuffle=False, max_iter=1, validation_fraction=0.2)
    clf.fit(X, y)
    # The split early stopping makes, with the same random state.
    train_rows, _ = train_test_split(
        np.arange(len(y)), test_size=0.2, random_state=np.random.RandomState(0), stratify=y
    )
    rows = np.sort(train_rows)
    plain = make(shuffle=False, max_iter=1).fit(X[rows], y[rows])
    np.testing.assert_allclose(clf.coef_, plain.coef_, rtol=1e-12, atol=1e-12)


def test_early_stopping_split_keeps_the_data_order(make_any_solver, iris, monkeypatch):
    from skmlp._source import MemorySource

    seen = []

    def spy(self, data, indices):
        seen.append(indices)
        return original(self, data, indices)

    original = MemorySource.rows
    monkeypatch.setattr(MemorySource, "rows", spy)
    make_any_solver(early_stopping=True, shuffle=False, max_iter=2).fit(*iris)
    assert len(seen[0]) < len(iris[1])
    assert np.all(np.diff(seen[0]) > 0)


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


def test_lbfgs_says_it_does_not_use_validation_data(split):
    X, X_val, y, y_val = split
    with pytest.warns(UserWarning, match="lbfgs"):
        clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=5).fit(
            X, y, X_val=X_val, y_val=y_val
        )
    assert clf.validation_scores_ is None


@pytest.mark.parametrize("target", ["labels", "strings", "multilabel"])
def test_validation_accuracy_is_accuracy_score(split, target):
    """The default validation score is scikit-learn's (weighted, subset)
    accuracy of the epoch's predictions."""
    from sklearn.metrics import accuracy_score

    X, X_val, y, y_val = split
    if target == "strings":
        y, y_val = np.array(["a", "b", "c"])[y % 3], np.array(["a", "b", "c"])[y_val % 3]
    elif target == "multilabel":
        y = np.column_stack([y % 2, y % 3 == 0, y > 4]).astype(int)
        y_val = np.column_stack([y_val % 2, y_val % 3 == 0, y_val > 4]).astype(int)
    s_val = np.random.default_rng(0).uniform(0.1, 3, len(X_val))
    clf = MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=2, tol=None, random_state=0)
    clf.fit(X, y, X_val=X_val, y_val=y_val, sample_weight_val=s_val)
    expected = accuracy_score(y_val, clf.predict(X_val), sample_weight=s_val)
    assert clf.validation_scores_[-1] == pytest.approx(expected, rel=1e-12)
