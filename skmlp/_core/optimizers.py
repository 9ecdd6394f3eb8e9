"""Optimizers that update a network's parameters in place.

Each optimizer keeps its own state (velocities, moments, the current learning
rate), so that training can resume where it stopped (``warm_start``,
``partial_fit``).
"""

import numpy as np

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
        for p, g, v in zip(params, grads, self.velocities):
            v *= mu
            g *= eta
            v -= g
            if self.nesterov:
                p += mu * v
                p -= g
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
        for p, g, m, v in zip(params, grads, self.ms, self.vs):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            g *= g
            g *= 1 - b2
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
