"""The epoch loop: what a call trains with, what training keeps, and the loop.

``TrainingConfig`` says how to train (built by the estimator), ``Hooks`` what
to call around each epoch, ``History`` and ``TrainingState`` what training
keeps between calls; ``train`` runs the epochs (of ``epochs``) over rows (of
``rows``) and applies the stopping rules.
"""

import copy
import time
from dataclasses import dataclass

import numpy as np

from .epochs import DivergenceError, make_epoch


class History:
    """What training has done so far; kept across ``warm_start`` and ``partial_fit``.

    Attributes
    ----------
    loss_curve : list of float
        ``J`` for each epoch: the weighted mean of the mini-batch losses seen
        during the epoch plus the penalty at the epoch's end (``J`` itself for
        full-batch training).
    errors : list of int
        Samples misclassified during each epoch (unit-step outputs only).
    validation_loss_curve, validation_scores : list of float
        ``J`` on the validation data and the validation score after each
        epoch, when there is validation data.
    best_params : list of ndarray or None
        The parameters of the best epoch under early stopping.
    stopped : bool
        Whether early stopping has ended training (``partial_fit`` then
        trains no more).
    interrupted : bool
        Whether the last call was interrupted (KeyboardInterrupt).
    n_iter : int
        Epochs run, over all calls.
    call_start : int
        ``n_iter`` when the last call began.
    t : int
        Training samples seen.
    """

    def __init__(self):
        self.loss_curve = []
        self.errors = []
        self.validation_loss_curve = []
        self.validation_scores = []
        self.best_validation_score = -np.inf
        self.best_validation_loss = np.inf
        self.best_loss = np.inf
        self.best_params = None
        self.no_improvement_count = 0
        self.stopped = False
        self.interrupted = False
        self.n_iter = 0
        self.call_start = 0
        self.t = 0

    def begin_call(self):
        """Mark the start of a call to ``train`` or ``train_lbfgs``."""
        self.call_start = self.n_iter
        self.interrupted = False

    @property
    def n_iter_call(self):
        """Epochs run by the last call."""
        return self.n_iter - self.call_start

    def record(self, net, tol, monitor):
        """Update the stopping counters after an epoch.

        ``monitor`` is None (the training loss), ``"loss"`` (the validation
        loss) or ``"score"`` (the validation score); with the last two, the
        parameters of the best epoch are kept.
        """
        tol = 0.0 if tol is None else tol
        if monitor == "score":
            score = self.validation_scores[-1]
            improved = score >= self.best_validation_score + tol
            better = score > self.best_validation_score
        elif monitor == "loss":
            loss = self.validation_loss_curve[-1]
            improved = loss <= self.best_validation_loss - tol
            better = loss < self.best_validation_loss
        else:
            loss = self.loss_curve[-1]
            improved = loss <= self.best_loss - tol
            better = False
        if self.validation_scores:
            self.best_validation_score = max(
                self.best_validation_score, self.validation_scores[-1]
            )
        if self.validation_loss_curve:
            self.best_validation_loss = min(
                self.best_validation_loss, self.validation_loss_curve[-1]
            )
        self.best_loss = min(self.best_loss, self.loss_curve[-1])
        if better:
            self.best_params = net.copy_params()
        self.no_improvement_count = 0 if improved else self.no_improvement_count + 1

    def print_row(self, seconds, header):
        """One line of the verbose table, after its header if asked."""
        has_val = bool(self.validation_loss_curve)
        if header:
            header = f"{'epoch':>6}  {'train loss':>12}"
            if has_val:
                header += f"  {'val loss':>12}  {'val score':>10}"
            print(header + f"  {'seconds':>8}")
        row = f"{self.n_iter:>6}  {self.loss_curve[-1]:>12.6f}"
        if has_val:
            row += (
                f"  {self.validation_loss_curve[-1]:>12.6f}  {self.validation_scores[-1]:>10.4f}"
            )
        print(row + f"  {seconds:>8.2f}", flush=True)


class TrainingState:
    """What training changes besides the parameters, kept between calls.

    A call trains a ``copy`` of it (and of the network) and keeps the copy
    only if it succeeds, so that a call that raises changes nothing.

    Parameters
    ----------
    optimizer : SGD, Adam or None
        None until the first call makes one (and always for L-BFGS).
    history : History
    random_state : numpy.random.RandomState or numpy.random.Generator
        The source of shuffling, dropout and early-stopping splits.
    """

    def __init__(self, optimizer, history, random_state):
        self.optimizer = optimizer
        self.history = history
        self.random_state = random_state

    def copy(self):
        """A deep copy: training the copy leaves this state untouched."""
        return copy.deepcopy(self)


@dataclass
class TrainingConfig:
    """How a call trains: what the estimator's parameters make of the core's loop.

    Attributes
    ----------
    alpha : float
        L2 penalty; its gradient ``(alpha / S) W`` is added at every step,
        with ``S`` the total weight of the training rows.
    batch_size : int or None
        Rows per step; None for the whole training set.
    max_iter : int
        Epochs (L-BFGS: iterations).
    shuffle : bool
        Visit the rows in a new random order each epoch (else in data order).
    tol : float or None
        Training stops after ``patience`` consecutive epochs that improve
        the monitored quantity by less than ``tol``; None disables it.
    patience : int or float
        See ``tol``.
    monitor : {None, "loss", "score"}
        What the stopping rule watches: the training loss, or (early
        stopping) the validation loss or score, in which case the parameters
        of the best epoch are restored at the end.
    stop : bool
        Whether reaching a stopping rule ends the call (``partial_fit`` runs
        one epoch and only records it).
    count_errors : bool
        Count the misclassified samples of each epoch (unit-step outputs);
        an epoch without mistakes ends training, and the loss (the
        perceptron criterion, which grows with the weights) is not watched
        for growth.
    dropout : list of float or None
        Dropout rate of each hidden layer during training.
    verbose : bool
        Print a table row per epoch (L-BFGS: a line per iteration).
    max_fun : int
        L-BFGS's limit on evaluations of ``J``.
    """

    alpha: float = 0.0
    batch_size: int | None = None
    max_iter: int = 200
    shuffle: bool = False
    tol: float | None = None
    patience: float = 10
    monitor: str | None = None
    stop: bool = True
    count_errors: bool = False
    dropout: list | None = None
    verbose: bool = False
    max_fun: int = 15000


@dataclass
class Hooks:
    """What ``train`` calls around each epoch (each may be None).

    Attributes
    ----------
    validate : callable
        ``validate() -> (loss, score)`` on the validation data, after each epoch.
    on_epoch_begin : callable
        Called before each epoch.
    on_epoch_end : callable
        ``on_epoch_end() -> bool`` after each recorded epoch; True stops training.
    """

    validate: object = None
    on_epoch_begin: object = None
    on_epoch_end: object = None


def train(net, state, rows, config, hooks=None):
    """Train ``net`` in place for up to ``config.max_iter`` epochs over ``rows``.

    Parameters
    ----------
    net : Network
    state : TrainingState
        Its optimizer steps, its history is appended to (and carries the
        stopping counters between calls), its random state shuffles.
    rows : rows
        The training rows (``rows.make_rows``, or the Dask rows).
    config : TrainingConfig
    hooks : Hooks, optional

    Returns
    -------
    converged : bool
        Whether a stopping rule ended training before ``max_iter`` epochs.

    Notes
    -----
    A mini-batch ``B`` steps along
    ``sum_{i in B} s_i grad ell_i / (|B| S / n) + (alpha / S) W``, an unbiased
    estimate of the gradient of ``J`` for batches drawn uniformly (the
    denominator is the batch's expected weight; for the whole set it is
    ``S``, summed in float64).  A non-finite loss, or one
    ``DIVERGENCE_FACTOR`` times the first epoch's, or an optimizer state
    (velocities, moment estimates) that is no longer finite, restores the
    parameters of the last complete epoch and raises ``DivergenceError``.  A
    KeyboardInterrupt during an epoch restores them too, sets
    ``history.interrupted`` and returns; anywhere else it propagates.
    """
    loop = _Loop(net, state, rows, config, Hooks() if hooks is None else hooks)
    history = state.history
    epoch = make_epoch(net, state, rows, config)
    history.begin_call()
    converged = False
    with np.errstate(all="ignore"):
        for k in range(config.max_iter):
            tic = time.perf_counter()
            last_good = net.copy_params()
            loop.begin()
            try:
                loss, errors = epoch.run(history.n_iter + 1)
            except KeyboardInterrupt:
                net.set_params(last_good)
                history.interrupted = True
                break
            except DivergenceError:
                net.set_params(last_good)
                raise
            loop.record(loss, errors)
            if config.verbose:
                history.print_row(time.perf_counter() - tic, header=k == 0)
            ended, stopped = loop.stopping(errors)
            converged = converged or stopped
            if ended:
                break
    if config.monitor is not None and (config.stop or history.stopped):
        if history.best_params is not None:
            net.set_params(history.best_params)
    return converged


class _Loop:
    """What ``train`` does around each epoch: hooks, history, stopping rules."""

    def __init__(self, net, state, rows, config, hooks):
        self.net, self.state, self.rows = net, state, rows
        self.config, self.hooks = config, hooks

    def begin(self):
        if self.hooks.on_epoch_begin is not None:
            self.hooks.on_epoch_begin()

    def record(self, loss, errors):
        """Append an epoch to the history: its loss, mistakes, validation and
        the stopping counters."""
        history, config = self.state.history, self.config
        history.n_iter += 1
        history.t += self.rows.n
        history.loss_curve.append(loss)
        if config.count_errors:
            history.errors.append(errors)
        self.state.optimizer.epoch_end(history.t)
        if self.hooks.validate is not None:
            val_loss, val_score = self.hooks.validate()
            history.validation_loss_curve.append(val_loss)
            history.validation_scores.append(val_score)
        history.record(self.net, config.tol, config.monitor)

    def stopping(self, errors):
        """``(ended, converged)`` after an epoch: the stopping rules, applied."""
        history, optimizer, config = self.state.history, self.state.optimizer, self.config
        if self.hooks.on_epoch_end is not None and self.hooks.on_epoch_end():
            return True, True  # a callback ended training: not max_iter
        if config.count_errors and errors == 0 and config.stop:
            return True, True
        if config.tol is not None and history.no_improvement_count >= config.patience:
            if optimizer.should_stop():
                history.stopped = config.monitor is not None
                return config.stop, True
            history.no_improvement_count = 0
        return False, False
