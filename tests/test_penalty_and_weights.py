"""alpha, class_weight and sample_weight: what they do to a fit, and the values refused."""

import numpy as np
import pytest

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_alpha_shrinks_the_weights(make_estimator, iris):
    X, y = iris
    small = make_estimator(alpha=1e-4).fit(X, y)
    large = make_estimator(alpha=100.0).fit(X, y)
    norm = lambda clf: sum(float((W**2).sum()) for W in clf._network().coefs)  # noqa: E731
    assert norm(large) < norm(small)


def test_perceptron_penalty_only_shrinks(raw_iris):
    X, y = raw_iris
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


def test_randomized_search_over_perceptron_alpha(raw_iris):
    from sklearn.model_selection import RandomizedSearchCV

    X, y = raw_iris
    search = RandomizedSearchCV(
        PerceptronClassifier(random_state=0),
        {"alpha": np.logspace(-4, 4, 50)},
        n_iter=8,
        cv=3,
        random_state=0,
        error_score="raise",
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_class_weight_moves_the_decision(make_estimator, iris):
    X, y = iris
    mask = y > 0
    X, y = X[mask], y[mask]
    plain = make_estimator().fit(X, y)
    heavy = make_estimator(class_weight={1: 1.0, 2: 50.0}).fit(X, y)
    assert np.mean(heavy.predict(X) == 2) > np.mean(plain.predict(X) == 2)
    balanced = make_estimator(class_weight="balanced").fit(X[:80], y[:80])
    assert balanced.score(X, y) > 0.5


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier])
@pytest.mark.parametrize("weight", [-1.0, np.nan, np.inf])
def test_class_weight_must_be_non_negative_and_finite(iris, cls, weight):
    X, y = iris
    with pytest.raises(ValueError, match="class_weight.*non-negative"):
        cls(class_weight={0: 1.0, 1: weight, 2: 1.0}).fit(X, y)


def test_sample_weight_of_zero_ignores_a_sample_in_batch_training(iris):
    X, y = iris
    w = np.ones(len(y))
    w[::3] = 0
    a = AdalineClassifier(tol=None, max_iter=50).fit(X, y, sample_weight=w)
    b = AdalineClassifier(tol=None, max_iter=50).fit(X[w > 0], y[w > 0])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10)


@pytest.mark.parametrize("name", ["perceptron", "adaline-sgd", "mlp-adam"])
def test_huge_float32_sample_weights_train_as_equal_weights(solver_makers, iris, name):
    X, y = iris
    X = X.astype(np.float32)
    make = solver_makers[name]
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
