"""Step sizes that hold at any scale; a call that diverges raises and changes nothing."""

import numpy as np
import pytest
from _state import assert_same_state, frozen

from skmlp import AdalineClassifier, PerceptronClassifier
from skmlp._core import objective
from skmlp._core.optimizers import squared_error_step_size

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_adaline_modes_all_learn(iris):
    X, y = iris
    for batch_size in [None, 1, 16]:
        for learning_rate in ["constant", "invscaling", "adaptive"]:
            clf = AdalineClassifier(
                batch_size=batch_size, learning_rate=learning_rate, random_state=0
            ).fit(X, y)
            assert clf.score(X, y) > 0.75, (batch_size, learning_rate)


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


def test_diverging_warm_start_changes_nothing(raw_iris):
    X, y = raw_iris
    clf = AdalineClassifier(eta0=0.01).fit(X, y)
    before = frozen(clf)
    with pytest.raises(ValueError, match="diverged.*eta0=1000000.0"):
        clf.set_params(warm_start=True, eta0=1e6).fit(X, y)
    clf.set_params(warm_start=False, eta0=0.01)
    assert_same_state(clf, before)


@pytest.mark.parametrize(
    "name, match, state",
    [
        ("mlp-sgd", "diverged", lambda opt: opt.velocities),
        ("mlp-adam", "overflowed", lambda opt: opt.ms + opt.vs),
    ],
)
def test_a_huge_row_in_partial_fit_keeps_the_optimizer_clean(
    solver_makers, iris, name, match, state
):
    X, y = iris
    clf = solver_makers[name](activation="relu")
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


@pytest.mark.parametrize("kernel_path", ["numpy", "numba"], indirect=True)
@pytest.mark.parametrize(
    "name, huge",
    # Rosenblatt's rule is exact at any scale: a row of 1e200 leaves the
    # Perceptron finite weights (and a zero penalty adds nothing to them), so
    # its divergence is a row whose updates overflow the weights.
    [("adaline-sgd", 1e200), ("perceptron", 1e308)],
)
def test_a_huge_row_is_divergence_on_every_path(solver_makers, iris, kernel_path, name, huge):
    X, y = iris
    clf = solver_makers[name](max_iter=2, eta0=0.05).fit(X, y)
    before = frozen(clf)
    bad = X.copy()
    bad[5] = huge
    with pytest.raises(ValueError, match="diverged"):
        clf.set_params(warm_start=True).fit(bad, y)
    clf.set_params(warm_start=False)
    assert_same_state(clf, before)


@pytest.mark.parametrize("kernel_path", ["numpy", "numba"], indirect=True)
@pytest.mark.parametrize("name", ["mlp-adam", "mlp-sgd"])
@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_an_overflowing_gradient_is_divergence(solver_makers, iris, kernel_path, name, activation):
    # A 1e200 row makes the first layer's gradient too large to square.
    # Adam's loss stays finite (m / sqrt(inf) is 0: the weights it touches
    # just stop moving), so only its moment estimates show it; momentum's
    # loss overflows.  Either way the call raises and changes nothing, on
    # the fused (numba) updates as on NumPy's passes.
    X, y = iris
    clf = solver_makers[name](max_iter=2, activation=activation, batch_size=30).fit(X, y)
    before = frozen(clf)
    bad = X.copy()
    bad[5] = 1e200
    with pytest.raises(ValueError, match="diverged") as excinfo:
        clf.set_params(warm_start=True).fit(bad, y)
    if name == "mlp-adam":
        assert "overflowed the optimizer's running averages" in str(excinfo.value)
    clf.set_params(warm_start=False)
    assert_same_state(clf, before)
