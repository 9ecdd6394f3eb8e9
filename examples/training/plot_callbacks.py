"""
========================================
Watching training: verbose and callbacks
========================================

Three ways to see what happens during ``fit``: ``verbose=True`` prints a
table with a row per epoch; scikit-learn's callbacks (``sklearn.callback``,
new in scikit-learn 1.9) record scores per epoch (``ScoringMonitor``), draw
progress bars (``ProgressBar``), or run code of one's own after each epoch,
which may stop the training.  On an older scikit-learn the estimators work
the same, without ``set_callbacks``; this example then shows the table
only.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skmlp import MLPBackpropClassifier

try:
    from sklearn.callback import ProgressBar, ScoringMonitor
except ImportError:  # scikit-learn older than 1.9
    ProgressBar = ScoringMonitor = None

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(
    X / 16, y, test_size=0.3, stratify=y, random_state=0
)
params = dict(
    hidden_layer_sizes=(32,),
    solver="sgd",
    learning_rate_init=0.1,
    batch_size=10,
    random_state=0,
)

# %%
# A table per epoch
# -----------------
# ``verbose=True`` prints, after each epoch, the training loss :math:`J`,
# and with validation data the validation loss and score (accuracy unless
# ``scoring`` says otherwise), and the seconds the epoch took.
mlp = MLPBackpropClassifier(max_iter=5, tol=None, verbose=True, **params)
mlp.fit(X_train, y_train, X_val=X_val, y_val=y_val)

# %%
# Scores per epoch
# ----------------
# ``set_callbacks`` attaches callbacks to an estimator (and returns it).
# ``ScoringMonitor`` evaluates scikit-learn scorers on the training data at
# the end of every epoch, here the accuracy and the log-loss, and keeps them
# in a log.  Each row of the log describes a task: the whole ``fit``, or one
# epoch.
if ScoringMonitor is not None:
    monitor = ScoringMonitor(scoring=["accuracy", "neg_log_loss"])
    mlp = MLPBackpropClassifier(max_iter=30, tol=None, **params)
    mlp.set_callbacks(monitor)
    mlp.fit(X_train, y_train)
    rows = [
        row for row in monitor.get_logs().data if row["task_name"] == "epoch"
    ]

    fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.5))
    epochs = np.arange(1, len(rows) + 1)
    ax_acc.plot(epochs, [row["accuracy"] for row in rows])
    ax_acc.set(xlabel="epoch", ylabel="training accuracy")
    ax_loss.plot(epochs, [-row["neg_log_loss"] for row in rows], color="C1")
    ax_loss.set(xlabel="epoch", ylabel="training log-loss")
    fig.tight_layout()
    plt.show()

# %%
# A callback of one's own
# -----------------------
# A callback is any object with four methods: ``setup`` and ``teardown``,
# called once around ``fit``, and ``on_fit_task_begin`` and
# ``on_fit_task_end``, called around the whole fit and around each epoch.
# ``on_fit_task_end`` receives ``fitted_estimator``, a copy of the model as
# it stands after the epoch, ready to predict; returning ``True`` stops the
# training.  This one stops as soon as the validation accuracy reaches 95%.
# ``tol=None`` turns the built-in stopping rule off, so that the callback
# alone decides (within ``max_iter`` epochs).


class StopAtAccuracy:
    """Stop training once the accuracy on (X, y) reaches ``target``."""

    def __init__(self, X, y, target):
        self.X, self.y, self.target = X, y, target
        self.scores = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(
        self, estimator, context, *, fitted_estimator=None, **kwargs
    ):
        if context.task_name != "epoch":
            return False
        self.scores.append(fitted_estimator.score(self.X, self.y))
        return self.scores[-1] >= self.target


if ScoringMonitor is not None:
    stopper = StopAtAccuracy(X_val, y_val, target=0.95)
    mlp = MLPBackpropClassifier(tol=None, **params).set_callbacks(stopper)
    mlp.fit(X_train, y_train)
    print(
        f"stopped after {mlp.n_iter_} epochs, "
        f"validation accuracy {stopper.scores[-1]:.3f}"
    )

# %%
# The same rule is built in: ``early_stopping=True`` with validation data
# stops once the validation score stops improving.  A callback is for the
# rules that are not built in.
#
# Progress bars
# -------------
# ``ProgressBar`` (it needs the ``rich`` package: ``pip install
# "skmlp[progress]"``) draws a bar per fit that advances with the epochs.  Set
# on a :class:`~sklearn.model_selection.GridSearchCV` with
# ``max_propagation_depth=None``, it draws one for every fit of the search.
# (In a terminal the bar moves; on this page only its last state shows.)
if ProgressBar is not None:
    try:
        bar = ProgressBar()
    except ImportError:  # rich is not installed
        bar = None
    if bar is not None:
        mlp = MLPBackpropClassifier(max_iter=20, tol=None, **params)
        mlp.set_callbacks(bar)
        mlp.fit(X_train, y_train)
