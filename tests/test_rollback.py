"""A call that fails changes nothing; an interrupted one keeps its last completed step."""

import numpy as np
import pytest
from _state import assert_same_state, frozen
from sklearn.model_selection import train_test_split

from skmlp import MLPBackpropClassifier, PerceptronClassifier
from skmlp._core import epochs, objective, training

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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
def test_an_exception_at_any_stage_changes_nothing(
    make_any_solver, iris, stage, call, monkeypatch
):
    X, y = iris
    clf = make_any_solver(max_iter=4, tol=None, early_stopping=True, warm_start=True).fit(X, y)
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
def test_a_scorer_that_raises_changes_nothing(make_any_solver, iris, exc):
    X, y = iris
    X, X_val, y, y_val = train_test_split(X, y, random_state=0, stratify=y)
    calls = {"n": 0}

    def scorer(estimator, X, y):
        calls["n"] += 1
        if calls["n"] == 6:
            raise exc("injected")
        return estimator.score(X, y)

    clf = make_any_solver(max_iter=4, tol=None, scoring=scorer, warm_start=True)
    clf.fit(X, y, X_val=X_val, y_val=y_val)
    before = frozen(clf)
    with pytest.raises(exc):
        clf.fit(X, y, X_val=X_val, y_val=y_val)
    assert_same_state(clf, before)


def test_a_callback_that_raises_changes_nothing(make_any_solver, iris):
    from skmlp._callbacks import HAVE_CALLBACKS

    if not HAVE_CALLBACKS:
        pytest.skip("scikit-learn has no sklearn.callback")
    from sklearn.callback import ScoringMonitor

    X, y = iris
    clf = make_any_solver(max_iter=4, tol=None, warm_start=True).fit(X, y)
    before = frozen(clf)

    class Failing(ScoringMonitor):
        def on_fit_task_end(self, *args, **kwargs):
            raise Boom("injected")

    with pytest.raises(Boom):
        clf.set_callbacks(Failing(scoring="accuracy")).fit(X, y)
    clf.set_callbacks()  # back to none
    assert_same_state(clf, before.set_callbacks())


def test_a_failed_first_fit_leaves_an_unfitted_estimator(make_any_solver, iris, monkeypatch):
    X, y = iris
    clf = make_any_solver(max_iter=3)
    monkeypatch.setattr(training.History, "record", _raise_on_call(2)(training.History.record))
    with pytest.raises(Boom):
        clf.fit(X, y)
    assert_same_state(clf, make_any_solver(max_iter=3))


def test_a_random_state_instance_is_put_back_after_a_failure(iris, monkeypatch):
    X, y = iris
    rng = np.random.RandomState(0)
    clf = PerceptronClassifier(random_state=rng, max_iter=3)
    monkeypatch.setattr(training.History, "record", _raise_on_call(2)(training.History.record))
    with pytest.raises(Boom):
        clf.fit(X, y)
    assert rng.randint(1 << 30) == np.random.RandomState(0).randint(1 << 30)


def test_interrupt_keeps_the_last_completed_epoch(make_any_for_digits, split, monkeypatch):
    X, _, y, _ = split
    clf = make_any_for_digits(max_iter=3, tol=None, shuffle=False).fit(X, y)
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
    reference = make_any_for_digits(max_iter=3, tol=None, shuffle=False).fit(X, y)
    reference.set_params(warm_start=True, max_iter=2).fit(X, y)
    for a, b in zip(clf._network().params, reference._network().params):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert any(not np.array_equal(a, b) for a, b in zip(before, clf._network().params))
    # It predicts as the model of those epochs does.
    assert clf.score(X, y) == pytest.approx(reference.score(X, y), rel=1e-9)


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
