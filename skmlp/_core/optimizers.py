"""Optimizers that update a network's parameters in place.

Each optimizer keeps its own state (velocities, moments, the current learning
rate), so that training can resume where it stopped (``warm_start``,
``partial_fit``).
"""

import numpy as np

from . import _kernels, _xp
from ._xp import into

LEARNING_RATES = ("constant", "invscaling", "adaptive")


def _all_finite(arrays, xp):
    """Whether every entry of every array is finite."""
    if xp is np and _kernels.USE_NUMBA and len({a.dtype for a in arrays}) == 1:
        return _kernels.all_finite(tuple(a.reshape(-1) for a in arrays))
    if xp is np:
        return all(bool(np.isfinite(a).all()) for a in arrays)
    return all(bool(xp.all(xp.isfinite(a))) for a in arrays)


class SGD:
    """Stochastic gradient descent with optional momentum.

    Parameters
    ----------
    learning_rate_init : float
        The step size ``eta``.
    learning_rate : {"constant", "invscaling", "adaptive"}
        ``"invscaling"`` sets ``eta = learning_rate_init / (t + 1) ** power_t``
        after each epoch, with ``t`` the number of samples seen;
        ``"adaptive"`` divides ``eta`` by 5 whenever training stops improving,
        and lets training stop only once ``eta`` is below ``1e-6``.
    momentum : float
        ``mu`` in ``v <- mu v - eta g``; 0 gives plain gradient descent.
    nesterov : bool
        Use Nesterov's momentum: ``theta <- theta + mu v - eta g``.
    power_t : float
        Exponent of ``"invscaling"``.
    clip_decay : bool
        Apply the L2 penalty as a decay of the weights by
        ``max(0, 1 - eta l2)`` before each step (``decays_weights``), so that
        a penalty only ever shrinks the weights, whatever its size; the
        gradient passed to ``step`` is then that of the data term alone.
        Without momentum only.

    The velocities are made by the first ``step``, like the parameters it is
    given, in their namespace (``step`` is given it each time: a namespace is
    not kept, so that the optimizer pickles).

    Notes
    -----
    Without momentum the step is ``theta <- theta - eta g``.  With momentum,
    ``v <- mu v - eta g`` and ``theta <- theta + v`` (classical) or
    ``theta <- theta + mu v - eta g`` (Nesterov).  The penalty's gradient
    ``l2 W`` in ``g`` makes a plain step ``W <- (1 - eta l2) W - eta g_data``,
    which ``clip_decay`` turns into ``W <- max(0, 1 - eta l2) W - eta g_data``.
    """

    def __init__(
        self,
        learning_rate_init,
        learning_rate="constant",
        momentum=0.0,
        nesterov=False,
        power_t=0.5,
        clip_decay=False,
    ):
        if clip_decay and momentum:
            raise ValueError("clip_decay applies to SGD without momentum only.")
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.schedule = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocities = None
        self.decays_weights = clip_decay

    @property
    def plain(self):
        """Whether a step is ``theta <- theta - eta g`` (no momentum)."""
        return not self.momentum

    def weight_decay(self, l2):
        """The factor ``1 - eta l2`` (clipped at 0 with ``clip_decay``) of one step."""
        decay = 1.0 - self.learning_rate * l2
        return max(decay, 0.0) if self.decays_weights else decay

    def step(self, params, grads, xp=np):
        """Update ``params`` in place along ``grads`` (scratch space from here on)."""
        eta = self.learning_rate
        if self.plain:
            for p, g in zip(params, grads):
                g *= eta
                p -= g
            return
        if self.velocities is None:
            self.velocities = [_xp.zeros_like(xp, p) for p in params]
        mu = self.momentum
        if xp is np and _kernels.USE_NUMBA:
            for p, g, v in zip(params, grads, self.velocities):
                _kernels.momentum_step(p, g, v, p.dtype.type(eta), p.dtype.type(mu), self.nesterov)
            return
        # The gradients are scratch space from here on: nothing is allocated.
        for p, g, v in zip(params, grads, self.velocities):
            v *= mu
            g *= eta
            v -= g
            if self.nesterov:
                p -= g
                p += np.multiply(v, mu, out=g) if xp is np else v * mu
            else:
                p += v

    def state_is_finite(self, xp=np):
        """Whether the velocities are finite (checked after each epoch)."""
        return self.velocities is None or _all_finite(self.velocities, xp)

    def epoch_end(self, samples_seen):
        if self.schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (samples_seen + 1) ** self.power_t

    def should_stop(self):
        """Called when training stops improving: stop, or lower the rate."""
        if self.schedule == "adaptive" and self.learning_rate > 1e-6:
            self.learning_rate /= 5.0
            return False
        return True


class Adam:
    """Adam (Kingma and Ba, 2014).

    Parameters
    ----------
    learning_rate_init : float
        The step size ``eta``.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates.
    epsilon : float
        Added to the denominator for numerical stability.

    The moment estimates are made by the first ``step`` (see ``SGD``).

    Notes
    -----
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2`` and
    ``theta <- theta - eta sqrt(1 - b2**k) / (1 - b1**k) m / (sqrt(v) + eps)``
    at step ``k``.
    """

    def __init__(self, learning_rate_init, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.ms = self.vs = None

    def step(self, params, grads, xp=np):
        """Update ``params`` in place along ``grads`` (scratch space from here on)."""
        if self.ms is None:
            self.ms = [_xp.zeros_like(xp, p) for p in params]
            self.vs = [_xp.zeros_like(xp, p) for p in params]
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        eta = float(self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t))
        c2 = (1 - b2) / (1 - b1) ** 2
        if xp is np and _kernels.USE_NUMBA:
            # The passes below fused into one, with the same constants.
            dtype = params[0].dtype.type
            constants = [dtype(c) for c in (b1, b2, 1 - b1, c2, self.epsilon, eta)]
            for p, g, m, v in zip(params, grads, self.ms, self.vs):
                _kernels.adam_step(p, g, m, v, *constants)
            return
        # The gradients are scratch space from here on: nothing is allocated.
        for p, g, m, v in zip(params, grads, self.ms, self.vs):
            m *= b1
            v *= b2
            g *= 1 - b1
            m += g
            g *= g
            g *= c2
            v += g
            g = into(xp, "sqrt", v, out=g)
            g += self.epsilon
            g = into(xp, "divide", m, g, out=g)
            g *= eta
            p -= g

    #: Adam takes the penalty's gradient in ``g``, and has its own step rule.
    decays_weights = False
    plain = False

    def state_is_finite(self, xp=np):
        """Whether the moment estimates are finite (checked after each epoch).

        A gradient whose square overflows makes ``v`` infinite, after which
        ``m / sqrt(v)`` is 0 and the weights it touched never move again.
        """
        return self.ms is None or _all_finite(self.ms + self.vs, xp)

    def epoch_end(self, samples_seen):
        pass

    def should_stop(self):
        return True


def make_optimizer(name, **options):
    """Make the optimizer ``name`` (``"sgd"`` or ``"adam"``) with ``options``."""
    if name == "adam":
        return Adam(**options)
    return SGD(**options)


def squared_error_step_size(X, sample_weight, alpha, full_batch, n_power_iter=20, xp=np):
    """A safe step size ``1 / L`` for a linear unit on the squared error.

    ``L`` bounds the curvature of ``J``.  For the whole training set it is
    the largest eigenvalue of ``[X, 1]^T diag(s) [X, 1] / S + alpha / S``,
    estimated by power iteration; for mini-batches it is the largest
    ``(||x_i||^2 + 1) s_i / mean(s) + alpha / S``, which bounds the
    curvature of every batch.  Gradient descent on a quadratic with step
    ``1 / L`` decreases ``J`` at every step.

    Every pass over ``X`` is made in its dtype, on ``c [X, 1]`` with ``c`` a
    power of two that brings the largest ``|x_ij|`` to at most one, and the
    weights divided by their largest, so that nothing overflows whatever the
    scale of the data; ``L`` is then that of the scaled data over ``c**2``.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    sample_weight : ndarray of shape (n_samples,) or None
    alpha : float
    full_batch : bool
    n_power_iter : int
    xp : namespace, default=numpy
        The namespace of ``X`` (and of ``sample_weight``); the few numbers
        the power iteration carries live on the host.

    Returns
    -------
    step : float
        May be 0 or not finite when the data's scale is beyond what floating
        point can train on; the caller decides what to say.
    """
    n, m = X.shape
    dtype = X.dtype
    values = X.data if hasattr(X, "indptr") else X  # the non-zeros of a sparse X
    # max and min rather than abs: no copy of X.
    largest = 1.0
    if n * m and xp is not np:
        largest = max(largest, float(xp.max(values)), -float(xp.min(values)))
    elif values.size:
        # One pass (Dask evaluates both extremes together).
        largest = max(largest, float(np.max(np.stack([values.max(), -values.min()]))))
    c = float(np.ldexp(1.0, -np.frexp(largest)[1]))
    if sample_weight is None:
        s = None
        S = S_scaled = float(n)
    else:
        s = _xp.astype(xp, sample_weight, xp.float64)
        S = _xp.float64_sum(xp, s)
        s = s / xp.max(s)
        S_scaled = _xp.float64_sum(xp, s)
    device = _xp.device_of(X)
    with np.errstate(all="ignore"):
        if full_batch:
            s_dt = None if s is None else _xp.astype(xp, s, dtype)
            v = np.full(m + 1, 1 / np.sqrt(m + 1))
            L_scaled = 0.0
            for _ in range(n_power_iter):
                u = X @ _xp.asarray(xp, c * v[:-1], dtype, device)
                u += float(c * v[-1])
                if s_dt is not None:
                    u *= s_dt
                u *= c
                # X^T u and the intercept's sum u in one pass over X.
                if xp is np:
                    w = np.concatenate([X.T @ u, u.sum(keepdims=True)])
                else:
                    w = _xp.to_numpy(xp.concat([X.T @ u, xp.sum(u, keepdims=True)]))
                w = np.asarray(w, dtype=np.float64)
                w /= S_scaled
                L_scaled = float(np.linalg.norm(w))
                if not L_scaled > 0 or not np.isfinite(L_scaled):
                    break
                v = w / L_scaled
        else:
            row_norms = _scaled_row_norms(X, c, xp)
            row_norms += c * c
            if s is not None:
                row_norms *= _xp.to_numpy(s)
            L_scaled = float(np.max(row_norms)) / (S_scaled / n)
        return c * c / (L_scaled + c * c * alpha / S)


def _scaled_row_norms(X, c, xp=np, chunk=4096):
    """``||c x_i||^2`` for each row, in float64 on the host, one pass over ``X`` in its dtype."""
    n = X.shape[0]
    if xp is not np:
        scaled = X * c
        return np.asarray(_xp.to_numpy(xp.sum(scaled * scaled, axis=1)), dtype=np.float64)
    if not isinstance(X, np.ndarray):
        data = np.asarray(X.data * X.dtype.type(c), dtype=np.float64)
        rows = np.repeat(np.arange(n), np.diff(X.indptr))
        return np.bincount(rows, weights=data * data, minlength=n)
    norms = np.empty(n)
    for start in range(0, n, chunk):
        block = np.multiply(X[start : start + chunk], X.dtype.type(c))
        norms[start : start + chunk] = np.einsum("ij,ij->i", block, block)
    return norms
