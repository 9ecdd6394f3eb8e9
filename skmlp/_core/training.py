"""The epoch loop: batches, shuffling, stopping rules and the training history."""

import copy
import math
import time

import numpy as np

from . import _xp
from ._kernels import linear_sgd_epoch
from .network import (
    Dropout,
    Workspace,
    add_penalty,
    backward,
    data_terms,
    objective,
    total_weight,
)

#: An epoch loss this many times the first epoch's of a fit means divergence.
DIVERGENCE_FACTOR = 1e4


class DivergenceError(ArithmeticError):
    """Training diverged; the parameters were restored to the last good epoch."""

    def __init__(self, epoch, loss, first_loss=None, message=None):
        self.epoch = epoch
        self.loss = loss
        if message is not None:
            message = f"{message} during epoch {epoch}"
        elif first_loss is None:
            message = f"the loss became {loss} during epoch {epoch}"
        else:
            message = f"the loss grew from {first_loss:.6g} to {loss:.6g} by epoch {epoch}"
        super().__init__(message)


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


class _Batches:
    """Rows of ``X``, ``T`` and ``s`` batch by batch, through reused buffers."""

    def __init__(self, X, T, s, indices, batch_size, shuffle, random_state, xp=np):
        self.X, self.T, self.s = X, T, s
        self.indices = indices
        self.batch_size = batch_size
        self.shuffle = shuffle and batch_size < len(indices)
        self.random_state = random_state
        self.xp = xp
        self.sparse = xp is np and not isinstance(X, np.ndarray)
        # Consecutive rows of the whole data set are views; anything else is
        # gathered into buffers allocated once (NumPy) or taken on the
        # data's device.
        self.contiguous = not self.shuffle and len(indices) == X.shape[0]
        if not self.contiguous and xp is np:
            self.T_buf = np.empty((batch_size, T.shape[1]), dtype=T.dtype)
            self.s_buf = None if s is None else np.empty(batch_size, dtype=s.dtype)
            if not self.sparse:
                self.X_buf = np.empty((batch_size, X.shape[1]), dtype=X.dtype)

    def __iter__(self):
        n, bs = len(self.indices), self.batch_size
        if self.contiguous:
            # (The Ellipsis: the array API standard has no implicit trailing
            # axes; NumPy's sparse matrices take no Ellipsis.)
            rest = () if self.xp is np else (...,)
            for start in range(0, n, bs):
                stop = min(start + bs, n)
                s = None if self.s is None else self.s[start:stop]
                yield self.X[(slice(start, stop), *rest)], self.T[start:stop, ...], s
            return
        order = self.random_state.permutation(self.indices) if self.shuffle else self.indices
        if self.xp is not np:
            # The order is drawn on the host (the same as with NumPy for a
            # seed) and moved to the data's device once per epoch.
            xp = self.xp
            order = xp.asarray(order, device=_xp.device_of(self.X))
            for start in range(0, n, bs):
                rows = order[start : min(start + bs, n)]
                s = None if self.s is None else xp.take(self.s, rows)
                yield xp.take(self.X, rows, axis=0), xp.take(self.T, rows, axis=0), s
            return
        # mode="clip" lets np.take write straight into out= (the rows are
        # valid indices); the default mode buffers the whole result first.
        for start in range(0, n, bs):
            rows = order[start : start + bs]
            nb = len(rows)
            if self.sparse:
                Xb = self.X[rows]
            else:
                Xb = self.X.take(rows, axis=0, out=self.X_buf[:nb], mode="clip")
            Tb = self.T.take(rows, axis=0, out=self.T_buf[:nb], mode="clip")
            sb = None if self.s is None else self.s.take(rows, out=self.s_buf[:nb], mode="clip")
            yield Xb, Tb, sb


def train(
    net,
    state,
    X,
    T,
    sample_weight,
    *,
    alpha,
    batch_size,
    max_iter,
    shuffle,
    tol,
    patience,
    indices=None,
    validate=None,
    monitor=None,
    stop=True,
    verbose=False,
    dropout=None,
    on_epoch_begin=None,
    on_epoch_end=None,
):
    """Train ``net`` in place for up to ``max_iter`` epochs.

    Parameters
    ----------
    net : Network
    state : TrainingState
        Its optimizer steps, its history is appended to (and carries the
        stopping counters between calls), its random state shuffles.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        A dense ``X`` is C-contiguous, a sparse one CSR.  Or data held
        elsewhere in row blocks (see ``network.data_terms``; ``T`` and
        ``sample_weight`` are then None), for full-batch training.
    T : ndarray of shape (n_samples, n_outputs)
        Coded targets.
    sample_weight : ndarray of shape (n_samples,) or None
    alpha : float
        L2 penalty; its gradient ``(alpha / S) W`` is added at every step,
        with ``S`` the total weight of the training rows.
    batch_size : int or None
        Rows per step; ``None`` for the whole training set.
    max_iter : int
        Epochs.
    shuffle : bool
        Visit the rows in a new random order each epoch (else in data order).
    tol : float or None
        Training stops after ``patience`` consecutive epochs that improve
        the monitored quantity by less than ``tol``; ``None`` disables it.
    patience : int or float
        See ``tol``.
    indices : ndarray of int, optional
        The training rows, in increasing order (the rest of ``X`` is left
        alone); all rows if None.
    validate : callable, optional
        ``validate() -> (loss, score)`` on the validation data, called after
        each epoch.
    monitor : {None, "loss", "score"}
        What the stopping rule watches: the training loss, or (early
        stopping) the validation loss or score, in which case the parameters
        of the best epoch are restored at the end.
    stop : bool
        Whether reaching the stopping rule ends the call (``partial_fit``
        runs one epoch and only records it).
    verbose : bool
        Print a table row per epoch.
    dropout : list of float, optional
        Dropout rate of each hidden layer during training.
    on_epoch_begin : callable, optional
        Called before each epoch.
    on_epoch_end : callable, optional
        ``on_epoch_end() -> bool`` after each recorded epoch; True stops
        training.

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
    history, optimizer = state.history, state.optimizer
    n = X.shape[0] if indices is None else len(indices)
    if indices is None:
        S = total_weight(X, sample_weight, net.xp)
        if not hasattr(X, "data_terms"):
            indices = np.arange(n)
    elif sample_weight is None:
        S = float(n)
    else:
        S = _xp.float64_sum(net.xp, _xp.take(net.xp, sample_weight, indices))
    l2 = alpha / S
    bs = n if batch_size is None else min(batch_size, n)
    if dropout is not None and any(dropout):
        dropout = Dropout(dropout, state.random_state)
    else:
        dropout = None
    epoch = _Epoch(
        net,
        optimizer,
        X,
        T,
        sample_weight,
        indices,
        S,
        l2,
        bs,
        shuffle,
        state.random_state,
        dropout,
    )

    history.begin_call()
    converged = False
    first_loss = None
    with np.errstate(all="ignore"):
        for k in range(max_iter):
            tic = time.perf_counter()
            last_good = net.copy_params()
            if on_epoch_begin is not None:
                on_epoch_begin()
            try:
                total, errors = epoch.run(history.n_iter + 1, last_good)
            except KeyboardInterrupt:
                net.set_params(last_good)
                history.interrupted = True
                break
            epoch_loss = total / S + net.penalty(alpha, S)
            if not np.isfinite(epoch_loss):
                net.set_params(last_good)
                raise DivergenceError(history.n_iter + 1, epoch_loss)
            if not optimizer.state_is_finite(net.xp):
                # A gradient too large to square (Adam) or to accumulate
                # (momentum) leaves the loss finite but freezes or wrecks
                # the weights it touches from then on.
                net.set_params(last_good)
                raise DivergenceError(
                    history.n_iter + 1,
                    epoch_loss,
                    message="a gradient overflowed the optimizer's running averages",
                )
            if first_loss is None:
                first_loss = epoch_loss
            elif not epoch.count_errors and epoch_loss > DIVERGENCE_FACTOR * first_loss:
                # A step too large for the curvature grows the loss
                # geometrically; catch it before it overflows.  (The
                # perceptron's criterion grows with its weights, harmlessly.)
                net.set_params(last_good)
                raise DivergenceError(history.n_iter + 1, epoch_loss, first_loss)

            history.n_iter += 1
            history.t += n
            history.loss_curve.append(epoch_loss)
            if epoch.count_errors:
                history.errors.append(errors)
            optimizer.epoch_end(history.t)
            if validate is not None:
                val_loss, val_score = validate()
                history.validation_loss_curve.append(val_loss)
                history.validation_scores.append(val_score)
            history.record(net, tol, monitor)
            if verbose:
                history.print_row(time.perf_counter() - tic, header=k == 0)
            if on_epoch_end is not None and on_epoch_end():
                converged = True  # a callback ended training: not max_iter
                break
            if epoch.count_errors and errors == 0 and stop:
                converged = True
                break
            if tol is not None and history.no_improvement_count >= patience:
                if optimizer.should_stop():
                    converged = True
                    history.stopped = monitor is not None
                    if stop:
                        break
                else:
                    history.no_improvement_count = 0
    if monitor is not None and (stop or history.stopped) and history.best_params is not None:
        net.set_params(history.best_params)
    return converged


class _Epoch:
    """One pass over the training rows, batch by batch or sample by sample."""

    def __init__(
        self, net, optimizer, X, T, s, indices, S, l2, bs, shuffle, random_state, dropout
    ):
        self.net, self.optimizer, self.dropout = net, optimizer, dropout
        self.X, self.T, self.s = X, T, s
        self.indices, self.S, self.l2, self.bs = indices, S, l2, bs
        self.shuffle, self.random_state = shuffle, random_state
        self.count_errors = net.output_activation == "step"
        # An optimizer that decays the weights itself takes the gradient of
        # the data term alone.
        self.decays = getattr(optimizer, "decays_weights", False)
        # Data held elsewhere in row blocks gives the whole set's gradient.
        self.blocks = hasattr(X, "data_terms")
        # One update per sample of a single layer without momentum: a kernel
        # runs the whole epoch (compiled when numba is installed), dense or
        # CSR.  Other namespaces take the batch loop with batches of one,
        # which computes the same updates.
        self.per_sample = (
            net.xp is np
            and bs == 1
            and len(net.coefs) == 1
            and getattr(optimizer, "velocities", False) is None
            and net.output_activation in ("step", "identity")
            and not self.blocks
        )
        if not self.per_sample and not self.blocks:
            self.workspace = Workspace(net, bs)
            self.batches = _Batches(X, T, s, indices, bs, shuffle, random_state, net.xp)

    def run(self, number, last_good):
        """Train one epoch; return ``(sum_i s_i ell_i, mistakes)``."""
        net, n = self.net, self.X.shape[0] if self.indices is None else len(self.indices)
        if self.per_sample:
            order = self.indices
            if self.shuffle and n > 1:
                order = self.random_state.permutation(self.indices)
            total, errors = linear_sgd_epoch(
                net.coefs[0],
                net.intercepts[0],
                self.X,
                self.T,
                self.s,
                1 / (self.S / n),
                order,
                self.optimizer.learning_rate,
                self.optimizer.weight_decay(self.l2),
                self.count_errors,
            )
            if not np.isfinite(total):
                net.set_params(last_good)
                raise DivergenceError(number, total)
            return total, errors
        if self.blocks:
            # The whole training set at once (full batch).
            loss, gradients = data_terms(net, self.X, None, None, self.S)
            if not np.isfinite(loss):
                net.set_params(last_good)
                raise DivergenceError(number, loss)
            self._step(gradients)
            return loss, 0
        xp = net.xp
        total, errors = 0.0, 0
        ws = self.workspace
        l2 = 0.0 if self.decays else self.l2
        for Xb, Tb, sb in self.batches:
            nb = Xb.shape[0]
            norm = self.S if nb == n else nb * self.S / n
            loss = backward(net, Xb, Tb, sb, norm, l2, ws, self.dropout)
            # NumPy checks every batch; on a device the sums stay there until
            # the epoch ends (the weights are restored to the epoch's start
            # either way).
            if xp is np and not math.isfinite(loss):
                net.set_params(last_good)
                raise DivergenceError(number, loss)
            total += loss
            if self.count_errors:
                wrong = xp.any(ws.activations[-1][:nb, ...] != Tb, axis=1)
                if xp is np:
                    errors += int(np.count_nonzero(wrong))
                else:
                    errors += xp.sum(xp.astype(wrong, xp.int64))
            self._step(ws.gradients, penalised=not self.decays)
        total, errors = float(total), int(errors)
        if not np.isfinite(total):
            net.set_params(last_good)
            raise DivergenceError(number, total)
        return total, errors

    def _step(self, gradients, penalised=False):
        """One optimizer step along ``gradients`` (of the data term alone unless
        ``penalised``), with the penalty as the optimizer applies it."""
        net = self.net
        if self.decays and self.l2:
            decay = self.optimizer.weight_decay(self.l2)
            for W in net.coefs:
                W *= decay
        elif not penalised and self.l2:
            add_penalty(net, gradients, self.l2)
        self.optimizer.step(net.params, gradients, net.xp)


def train_lbfgs(net, state, X, T, sample_weight, *, alpha, max_iter, max_fun, tol, verbose):
    """Minimise ``J`` over the whole training set with L-BFGS-B (SciPy).

    Parameters
    ----------
    net : Network
        Trained in place.
    state : TrainingState
        Its history's ``loss_curve`` gets ``J`` after each iteration.
    X, T, sample_weight
        As for ``train``.
    alpha : float
    max_iter, max_fun : int
        Limits on iterations and on evaluations of ``J``.
    tol : float
        Gradient tolerance (``gtol``).
    verbose : bool

    Returns
    -------
    converged : bool

    Notes
    -----
    A KeyboardInterrupt keeps the last iterate that L-BFGS accepted (not a
    point of its line search), sets ``history.interrupted`` and returns.
    """
    from scipy.optimize import minimize

    history = state.history
    params = net.params
    shapes = [tuple(p.shape) for p in params]
    splits = np.cumsum([int(np.prod(shape)) for shape in shapes])[:-1]
    xp, dtype, device = net.xp, net.dtype, net.device

    # SciPy's iterate lives on the host in float64; J and its gradient are
    # computed where the parameters are.
    def unpack(theta):
        for p, chunk, shape in zip(params, np.split(theta, splits), shapes):
            p[...] = _xp.asarray(xp, chunk.reshape(shape), dtype, device)

    def flat(arrays):
        return np.concatenate([_xp.to_numpy(a).ravel() for a in arrays]).astype(np.float64)

    def fun(theta):
        unpack(theta)
        J, grads = objective(net, X, T, sample_weight, alpha)
        return J, flat(grads)

    theta0 = flat(params)
    accepted = [theta0]

    def callback(intermediate_result):
        accepted[0] = intermediate_result.x.copy()
        history.loss_curve.append(float(intermediate_result.fun))
        history.n_iter += 1
        history.t += X.shape[0]
        if verbose:
            print(f"Iteration {history.n_iter}, loss = {intermediate_result.fun:.8f}")

    history.begin_call()
    with np.errstate(all="ignore"):
        try:
            result = minimize(
                fun,
                theta0,
                method="L-BFGS-B",
                jac=True,
                callback=callback,
                options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
            )
        except KeyboardInterrupt:
            unpack(accepted[0])
            history.interrupted = True
            return False
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        unpack(theta0)
        raise DivergenceError(history.n_iter, result.fun)
    unpack(result.x)
    return result.status == 0
