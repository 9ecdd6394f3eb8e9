"""The epoch loop: batches, shuffling, stopping rules and the training history."""

import time

import numpy as np

from ._kernels import linear_sgd_epoch
from .network import Workspace, backward, objective


#: An epoch loss this many times the first epoch's of a fit means divergence.
DIVERGENCE_FACTOR = 1e4


class DivergenceError(ArithmeticError):
    """Training diverged; the parameters were restored to the last good epoch."""

    def __init__(self, epoch, loss, first_loss=None):
        self.epoch = epoch
        self.loss = loss
        if first_loss is None:
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
    validation_scores : list of float
        The validation score after each epoch, under early stopping.
    n_iter : int
        Epochs run.
    t : int
        Training samples seen.
    """

    def __init__(self):
        self.loss_curve = []
        self.errors = []
        self.validation_scores = []
        self.best_validation_score = -np.inf
        self.best_loss = np.inf
        self.best_params = None
        self.no_improvement_count = 0
        self.n_iter = 0
        self.t = 0

    def record(self, net, tol, early_stopping):
        """Update the stopping counters after an epoch; return whether it improved."""
        tol = 0.0 if tol is None else tol
        if early_stopping:
            score = self.validation_scores[-1]
            improved = score >= self.best_validation_score + tol
            if score > self.best_validation_score:
                self.best_validation_score = score
                self.best_params = net.copy_params()
        else:
            loss = self.loss_curve[-1]
            improved = loss <= self.best_loss - tol
            self.best_loss = min(self.best_loss, loss)
        self.no_improvement_count = 0 if improved else self.no_improvement_count + 1
        return improved


class _Batches:
    """Rows of ``X``, ``T`` and ``s`` batch by batch, through reused buffers."""

    def __init__(self, X, T, s, indices, batch_size, shuffle, random_state):
        self.X, self.T, self.s = X, T, s
        self.indices = indices
        self.batch_size = batch_size
        self.shuffle = shuffle and batch_size < len(indices)
        self.random_state = random_state
        self.sparse = not isinstance(X, np.ndarray)
        # Consecutive rows of the whole data set are views; anything else is
        # gathered into buffers allocated once.
        self.contiguous = not self.shuffle and len(indices) == X.shape[0]
        if not self.contiguous:
            self.T_buf = np.empty((batch_size, T.shape[1]), dtype=T.dtype)
            self.s_buf = None if s is None else np.empty(batch_size, dtype=s.dtype)
            if not self.sparse:
                self.X_buf = np.empty((batch_size, X.shape[1]), dtype=X.dtype)

    def __iter__(self):
        n, bs = len(self.indices), self.batch_size
        if self.contiguous:
            for start in range(0, n, bs):
                stop = min(start + bs, n)
                s = None if self.s is None else self.s[start:stop]
                yield self.X[start:stop], self.T[start:stop], s
            return
        order = self.random_state.permutation(self.indices) if self.shuffle else self.indices
        # mode="clip" lets np.take write straight into out= (the rows are
        # valid indices); the default mode buffers the whole result first.
        for start in range(0, n, bs):
            rows = order[start : start + bs]
            nb = len(rows)
            if self.sparse:
                Xb = self.X[rows]
            else:
                Xb = np.take(self.X, rows, axis=0, out=self.X_buf[:nb], mode="clip")
            Tb = np.take(self.T, rows, axis=0, out=self.T_buf[:nb], mode="clip")
            sb = None if self.s is None else np.take(self.s, rows, out=self.s_buf[:nb], mode="clip")
            yield Xb, Tb, sb


def train(
    net,
    optimizer,
    X,
    T,
    sample_weight,
    history,
    *,
    alpha,
    batch_size,
    max_iter,
    shuffle,
    random_state,
    tol,
    n_iter_no_change,
    indices=None,
    validation_score=None,
    stop=True,
    verbose=False,
):
    """Train ``net`` in place for up to ``max_iter`` epochs.

    Parameters
    ----------
    net : Network
    optimizer : SGD or Adam
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    T : ndarray of shape (n_samples, n_outputs)
        Coded targets.
    sample_weight : ndarray of shape (n_samples,) or None
    history : History
        Appended to; also carries the stopping counters between calls.
    alpha : float
        L2 penalty; its gradient ``(alpha / S) W`` is added at every step,
        with ``S`` the total weight of the training rows.
    batch_size : int or None
        Rows per step; ``None`` for the whole training set.
    max_iter : int
        Epochs.
    shuffle : bool
        Visit the rows in a new random order each epoch.
    random_state : numpy.random.RandomState or numpy.random.Generator
    tol : float or None
        Training stops after ``n_iter_no_change`` epochs that improve the loss
        (or the validation score) by less than ``tol``; ``None`` disables it.
    n_iter_no_change : int
    indices : ndarray of int, optional
        The training rows (the rest of ``X`` is left alone); all rows if None.
    validation_score : callable, optional
        ``validation_score() -> float``, higher is better: early stopping
        monitors it, and the parameters with the best score are restored.
    stop : bool
        Apply the stopping rules (``partial_fit`` runs one epoch without them).
    verbose : bool
        Print one line per epoch.

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
    ``S``).  A non-finite loss, or one ``DIVERGENCE_FACTOR`` times the first
    epoch's, restores the parameters of the last complete epoch and raises
    ``DivergenceError``.
    """
    indices = np.arange(X.shape[0]) if indices is None else indices
    n = len(indices)
    s_train = None if sample_weight is None else sample_weight[indices]
    S = float(n if s_train is None else s_train.sum())
    l2 = alpha / S
    bs = n if batch_size is None else min(batch_size, n)
    workspace = Workspace(net, bs)
    batches = _Batches(X, T, sample_weight, indices, bs, shuffle, random_state)
    count_errors = net.output_activation == "step"
    early_stopping = validation_score is not None
    # One update per sample of a single layer without momentum: a kernel runs
    # the whole epoch (compiled when numba is installed).
    per_sample = (
        bs == 1
        and len(net.coefs) == 1
        and isinstance(X, np.ndarray)
        and getattr(optimizer, "velocities", False) is None
        and net.output_activation in ("step", "identity")
    )

    converged = False
    first_loss = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(max_iter):
            tic = time.perf_counter()
            last_good = net.copy_params()
            total, errors = 0.0, 0
            if per_sample:
                order = random_state.permutation(indices) if shuffle and n > 1 else indices
                total, errors = linear_sgd_epoch(
                    net.coefs[0], net.intercepts[0], X, T, sample_weight, 1 / (S / n), order,
                    optimizer.learning_rate, l2, count_errors,
                )
                if not np.isfinite(total):
                    net.set_params(last_good)
                    raise DivergenceError(history.n_iter + 1, total)
            for Xb, Tb, sb in () if per_sample else batches:
                nb = Xb.shape[0]
                activations, deltas, output_z = workspace.rows(nb)
                norm = S if nb == n else nb * S / n
                loss = backward(
                    net, Xb, Tb, sb, norm, l2, activations, deltas, workspace.gradients,
                    workspace.penalty, workspace.ones, output_z,
                )
                if not np.isfinite(loss):
                    net.set_params(last_good)
                    raise DivergenceError(history.n_iter + 1, loss)
                total += loss
                if count_errors:
                    errors += int(np.count_nonzero((activations[-1] != Tb).any(axis=1)))
                optimizer.step(net.params, workspace.gradients)
            epoch_loss = total / S + alpha / (2 * S) * net.squared_norm()
            if not np.isfinite(epoch_loss):
                net.set_params(last_good)
                raise DivergenceError(history.n_iter + 1, epoch_loss)
            if first_loss is None:
                first_loss = epoch_loss
            elif not count_errors and epoch_loss > DIVERGENCE_FACTOR * first_loss:
                # A step too large for the curvature grows the loss
                # geometrically; catch it before it overflows.  (The
                # perceptron's criterion grows with its weights, harmlessly.)
                net.set_params(last_good)
                raise DivergenceError(history.n_iter + 1, epoch_loss, first_loss)

            history.n_iter += 1
            history.t += n
            history.loss_curve.append(epoch_loss)
            if count_errors:
                history.errors.append(errors)
            optimizer.epoch_end(history.t)
            if early_stopping:
                history.validation_scores.append(validation_score())
            history.record(net, tol, early_stopping)
            if verbose:
                line = f"Iteration {history.n_iter}, loss = {epoch_loss:.8f}"
                if early_stopping:
                    line += f", validation score = {history.validation_scores[-1]:.6f}"
                print(f"{line}, {time.perf_counter() - tic:.2f} s")
            if not stop:
                continue
            if count_errors and errors == 0:
                converged = True
                break
            if tol is not None and history.no_improvement_count > n_iter_no_change:
                if optimizer.should_stop():
                    converged = True
                    break
                history.no_improvement_count = 0
    if early_stopping and stop and history.best_params is not None:
        net.set_params(history.best_params)
    return converged


def train_lbfgs(net, X, T, sample_weight, history, *, alpha, max_iter, max_fun, tol, verbose):
    """Minimise ``J`` over the whole training set with L-BFGS-B (SciPy).

    Parameters
    ----------
    net : Network
        Trained in place.
    X, T, sample_weight
        As for ``train``.
    history : History
        ``loss_curve`` gets ``J`` after each iteration.
    alpha : float
    max_iter, max_fun : int
        Limits on iterations and on evaluations of ``J``.
    tol : float
        Gradient tolerance (``gtol``).
    verbose : bool

    Returns
    -------
    converged : bool
    """
    from scipy.optimize import minimize

    params = net.params
    shapes = [p.shape for p in params]
    splits = np.cumsum([p.size for p in params])[:-1]
    dtype = net.dtype

    def unpack(theta):
        for p, chunk, shape in zip(params, np.split(theta, splits), shapes):
            p[...] = chunk.reshape(shape)

    def fun(theta):
        unpack(theta)
        J, grads = objective(net, X, T, sample_weight, alpha)
        return J, np.concatenate([g.ravel() for g in grads]).astype(np.float64)

    def callback(intermediate_result):
        history.loss_curve.append(float(intermediate_result.fun))
        if verbose:
            print(f"Iteration {len(history.loss_curve)}, loss = {intermediate_result.fun:.8f}")

    theta0 = np.concatenate([p.ravel() for p in params]).astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(
            fun,
            theta0,
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        )
    if not np.all(np.isfinite(result.x)):
        unpack(theta0)
        raise DivergenceError(result.nit, result.fun)
    unpack(result.x.astype(dtype))
    history.n_iter += result.nit
    history.t += X.shape[0] * result.nit
    return result.status == 0
