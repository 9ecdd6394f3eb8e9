"""Optimizers that update a network's parameters in place.

Each optimizer keeps its own state (velocities, moments, the current learning
rate), so that training can resume where it stopped (``warm_start``,
``partial_fit``).
"""

import numpy as np

from . import _kernels

LEARNING_RATES = ("constant", "invscaling", "adaptive")


class SGD:
    """Stochastic gradient descent with optional momentum.

    Parameters
    ----------
    params : list of ndarray
        The parameters to update.
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

    Notes
    -----
    Without momentum the step is ``theta <- theta - eta g``.  With momentum,
    ``v <- mu v - eta g`` and ``theta <- theta + v`` (classical) or
    ``theta <- theta + mu v - eta g`` (Nesterov).
    """

    def __init__(
        self,
        params,
        learning_rate_init,
        learning_rate="constant",
        momentum=0.0,
        nesterov=False,
        power_t=0.5,
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.schedule = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocities = [np.zeros_like(p) for p in params] if momentum else None

    def step(self, params, grads):
        """Update ``params`` in place along ``grads``."""
        eta = self.learning_rate
        if self.velocities is None:
            for p, g in zip(params, grads):
                g *= eta
                p -= g
            return
        mu = self.momentum
        if _kernels.USE_NUMBA:
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
                p += np.multiply(v, mu, out=g)
            else:
                p += v

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
    params : list of ndarray
    learning_rate_init : float
        The step size ``eta``.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates.
    epsilon : float
        Added to the denominator for numerical stability.

    Notes
    -----
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2`` and
    ``theta <- theta - eta sqrt(1 - b2**k) / (1 - b1**k) m / (sqrt(v) + eps)``
    at step ``k``.
    """

    def __init__(self, params, learning_rate_init, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        """Update ``params`` in place along ``grads``."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        eta = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        # The gradients are scratch space from here on: nothing is allocated.
        for p, g, m, v in zip(params, grads, self.ms, self.vs):
            m *= b1
            v *= b2
            g *= 1 - b1
            m += g
            g *= g
            g *= (1 - b2) / (1 - b1) ** 2
            v += g
            np.sqrt(v, out=g)
            g += self.epsilon
            np.divide(m, g, out=g)
            g *= eta
            p -= g

    def epoch_end(self, samples_seen):
        pass

    def should_stop(self):
        return True


def make_optimizer(name, params, **options):
    """Make the optimizer ``name`` (``"sgd"`` or ``"adam"``) for ``params``."""
    if name == "adam":
        return Adam(params, **options)
    return SGD(params, **options)


def squared_error_step_size(X, sample_weight, alpha, full_batch, n_power_iter=20):
    """A safe step size ``1 / L`` for a linear unit on the squared error.

    ``L`` bounds the curvature of ``J``.  For the whole training set it is
    the largest eigenvalue of ``[X, 1]^T diag(s) [X, 1] / S + alpha / S``,
    estimated by power iteration; for mini-batches it is the largest
    ``(||x_i||^2 + 1) s_i / mean(s) + alpha / S``, which bounds the
    curvature of every batch.  Gradient descent on a quadratic with step
    ``1 / L`` decreases ``J`` at every step.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    sample_weight : ndarray of shape (n_samples,) or None
    alpha : float
    full_batch : bool
    n_power_iter : int

    Returns
    -------
    step : float
    """
    n, m = X.shape
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    S = s.sum()
    if full_batch:
        v = np.full(m + 1, 1 / np.sqrt(m + 1))
        L = 0.0
        for _ in range(n_power_iter):
            u = s * (X @ v[:-1] + v[-1])
            w = np.append(X.T @ u, u.sum()) / S
            L = np.linalg.norm(w)
            if L == 0:
                break
            v = w / L
    else:
        if isinstance(X, np.ndarray):
            row_norms = np.einsum("ij,ij->i", X, X)
        else:
            row_norms = np.asarray(X.multiply(X).sum(axis=1)).ravel()
        L = float(np.max((row_norms + 1) * s)) / (S / n)
    return 1.0 / (L + alpha / S)
