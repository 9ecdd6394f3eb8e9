"""One epoch of training, of the kind the rows and the network call for.

``make_epoch`` chooses once, before the first epoch:

- ``PerSampleEpoch``: one update per sample of a single linear layer without
  momentum (the Perceptron, Adaline SGD), run by a compiled kernel on rows
  that offer one (``rows.per_sample``);
- ``FullDataEpoch``: one step along the gradient of the whole training set,
  from the sums the rows give (``rows.data_terms``), for rows that cannot be
  gathered batch by batch (held in blocks on a cluster);
- ``CompiledEpoch``: a dense network on dense NumPy rows, every batch of
  the epoch in one compiled call (a large epoch in a few;
  ``_compiled_epoch``), where numba is installed and the network, rows and
  optimizer are ones it implements;
- ``BatchEpoch``: everything else, batch by batch through reused buffers.

Each returns the epoch's ``J`` and mistakes, or raises ``DivergenceError``
(the caller restores the weights of the epoch's start).
"""

import math

from . import _compiled_epoch
from .network import Dropout, Workspace, add_penalty, backward

#: An epoch loss this many times the first epoch's of a fit means divergence.
DIVERGENCE_FACTOR = 1e4

#: The output activations the compiled per-sample kernel implements.
PER_SAMPLE_OUTPUTS = ("step", "identity")


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


def make_epoch(net, state, rows, config):
    """The epoch that trains ``net`` on ``rows`` as ``config`` says."""
    bs = rows.n if config.batch_size is None else min(config.batch_size, rows.n)
    if not rows.batchable:
        return FullDataEpoch(net, state, rows, config, bs)
    if (
        rows.per_sample
        and bs == 1
        and len(net.coefs) == 1
        and state.optimizer.plain
        and net.output_activation in PER_SAMPLE_OUTPUTS
    ):
        return PerSampleEpoch(net, state, rows, config, bs)
    dropout = bool(config.dropout) and any(config.dropout)
    if not config.count_errors and _compiled_epoch.supports(
        net, rows, state.optimizer, dropout, bs
    ):
        return CompiledEpoch(net, state, rows, config, bs)
    return BatchEpoch(net, state, rows, config, bs)


class _Epoch:
    """What every epoch does around its pass: ``J`` and the divergence checks."""

    def __init__(self, net, state, rows, config, bs):
        self.net, self.optimizer, self.rows = net, state.optimizer, rows
        self.random_state = state.random_state
        self.bs, self.config = bs, config
        self.S = rows.total_weight
        self.l2 = config.alpha / self.S
        self.first_loss = None

    def run(self, number):
        """Train epoch ``number``; return ``(J, mistakes)``."""
        total, errors = self.train_pass(number)
        if not math.isfinite(total):
            raise DivergenceError(number, total)
        loss = total / self.S + self.net.penalty(self.config.alpha, self.S)
        if not math.isfinite(loss):
            raise DivergenceError(number, loss)
        if not self.state_is_finite():
            # A gradient too large to square (Adam) or to accumulate
            # (momentum) leaves the loss finite but freezes or wrecks the
            # weights it touches from then on.
            raise DivergenceError(
                number, loss, message="a gradient overflowed the optimizer's running averages"
            )
        if self.first_loss is None:
            self.first_loss = loss
        elif not self.config.count_errors and loss > DIVERGENCE_FACTOR * self.first_loss:
            # A step too large for the curvature grows the loss geometrically;
            # catch it before it overflows.  (The perceptron's criterion grows
            # with its weights, harmlessly.)
            raise DivergenceError(number, loss, self.first_loss)
        return loss, errors

    def train_pass(self, number):
        """One pass over the rows: ``(sum_i s_i ell_i, mistakes)``."""
        raise NotImplementedError

    def state_is_finite(self):
        """Whether the optimizer's state is finite after the pass."""
        return self.optimizer.state_is_finite(self.net.xp)

    def step(self, gradients, penalised=False):
        """One optimizer step along ``gradients`` (of the data term alone unless
        ``penalised``), with the penalty as the optimizer applies it."""
        net, optimizer = self.net, self.optimizer
        if optimizer.decays_weights and self.l2:
            decay = optimizer.weight_decay(self.l2)
            for W in net.coefs:
                W *= decay
        elif not penalised:
            add_penalty(net, gradients, self.l2)
        optimizer.step(net.params, gradients, net.xp)


class PerSampleEpoch(_Epoch):
    """One update per sample of a single linear layer, by a compiled kernel."""

    def train_pass(self, number):
        rows, optimizer = self.rows, self.optimizer
        order = rows.order(self.config.shuffle and rows.n > 1, self.random_state)
        return rows.linear_epoch(
            self.net,
            order,
            1 / (self.S / rows.n),
            optimizer.learning_rate,
            optimizer.weight_decay(self.l2),
            self.net.output_activation == "step",
        )


class FullDataEpoch(_Epoch):
    """One step along the whole training set's gradient, from the rows' sums."""

    def train_pass(self, number):
        loss, gradients = self.rows.data_terms(self.net, self.S)
        if not math.isfinite(loss):
            raise DivergenceError(number, loss)
        self.step(gradients)
        return loss, 0


class BatchEpoch(_Epoch):
    """Batch by batch, through buffers allocated once."""

    def __init__(self, net, state, rows, config, bs):
        super().__init__(net, state, rows, config, bs)
        self.workspace = Workspace(net, bs)
        rates = config.dropout
        self.dropout = Dropout(rates, state.random_state) if rates and any(rates) else None

    def train_pass(self, number):
        net, rows, ws, n, S = self.net, self.rows, self.workspace, self.rows.n, self.S
        count_errors = self.config.count_errors
        penalised = not self.optimizer.decays_weights
        l2 = self.l2 if penalised else 0.0
        total, errors = 0.0, 0
        order = rows.order(self.config.shuffle and self.bs < n, self.random_state)
        for batch in rows.batches(self.bs, order):
            Xb, Tb, _ = batch
            nb = Xb.shape[0]
            norm = S if nb == n else nb * S / n
            loss = backward(net, batch, norm, l2, ws, self.dropout)
            if not rows.batch_loss_ok(loss):
                raise DivergenceError(number, loss)
            total += loss
            if count_errors:
                errors += rows.count_wrong(ws.activations[-1][:nb, ...], Tb)
            self.step(ws.gradients, penalised=penalised)
        return float(total), int(errors)


class CompiledEpoch(BatchEpoch):
    """``BatchEpoch``'s batches, all in one compiled call (``_compiled_epoch``),
    which checks the optimizer's state too."""

    def __init__(self, net, state, rows, config, bs):
        super().__init__(net, state, rows, config, bs)
        self.compiled = _compiled_epoch.CompiledPass(
            net, rows, self.optimizer, self.workspace, bs, self.S, self.l2
        )

    def train_pass(self, number):
        rows = self.rows
        order = rows.order(self.config.shuffle and self.bs < rows.n, self.random_state)
        total, ok = self.compiled(order)
        if not ok:
            raise DivergenceError(number, total)
        return total, 0

    def state_is_finite(self):
        return self.compiled.state_is_finite
