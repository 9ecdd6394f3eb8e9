"""Watching training: sklearn.callback callbacks, progress bar, ScoringMonitor, verbose."""

import copy

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import MLPBackpropClassifier
from skmlp._callbacks import HAVE_CALLBACKS

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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


class _EpochEndCallback:
    """A callback that does nothing but at the end of a task (``on_fit_task_end``)."""

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass


@pytest.mark.skipif(not HAVE_CALLBACKS, reason="scikit-learn has no sklearn.callback")
def test_a_callback_sees_each_epoch_and_can_stop_training(make_any_for_digits, split):
    X, _, y, _ = split
    seen = []

    class StopAfterFour(_EpochEndCallback):
        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "epoch":
                seen.append(fitted_estimator.n_iter_)
                return fitted_estimator.n_iter_ >= 4
            return False

    clf = make_any_for_digits(max_iter=50, tol=None).set_callbacks(StopAfterFour()).fit(X, y)
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
    make_any_for_digits, split, full_batch
):
    """A callback that keeps ``fitted_estimator`` keeps the model of that epoch:
    it does not change as training goes on, training does not see it, and it
    continues exactly as a fit stopped there would."""
    from _state import state_diff

    X, _, y, _ = split
    params = {"max_iter": 5, "tol": None, **({"batch_size": None} if full_batch else {})}
    kept = {}

    class KeepEpochTwo(_EpochEndCallback):
        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "epoch" and fitted_estimator.n_iter_ == 2:
                kept["model"] = fitted_estimator
                kept["then"] = copy.deepcopy(_fitted_state(fitted_estimator))
            return False

    clf = make_any_for_digits(**params).set_callbacks(KeepEpochTwo()).fit(X, y)
    plain = make_any_for_digits(**params).fit(X, y)
    assert not state_diff(_fitted_state(plain), _fitted_state(clf))
    snapshot = kept["model"]
    assert not state_diff(kept["then"], _fitted_state(snapshot))
    assert snapshot.n_iter_ == 2 and snapshot.t_ == 2 * len(y)
    assert snapshot.loss_curve_ == clf.loss_curve_[:2]
    # It goes on as a fit of two epochs does.
    snapshot.partial_fit(X, y)
    stopped = make_any_for_digits(**{**params, "max_iter": 2}).fit(X, y).set_params(max_iter=5)
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
