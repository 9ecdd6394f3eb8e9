"""The switch for the compiled (numba) kernels, the fused mini-batch updates
and the classifier's decision.

``USE_NUMBA`` is the one switch for every compiled kernel of the core: the
callers below test ``_kernels.USE_NUMBA`` before each call, and
``_linear_epochs.linear_sgd_epoch`` reads it at every call (tests set it to
compare the two paths).  It is on when numba is installed (``HAVE_NUMBA``;
``pip install skmlp[fast]``).

Here live the mini-batch loop's updates, each fused into one pass over its
arrays (Adam's twelve NumPy passes take about three times as long).  Each
performs the floating-point operations of its NumPy twin, which lives where
it is used, in the same order, so that both paths compute the same bits:

=======================  ============================================  =====================
kernel                   NumPy twin (its NumPy branch)                 held to it by
=======================  ============================================  =====================
``all_finite``           ``optimizers._all_finite``                    [overflow]
``add_scaled``           the penalty of ``network.backward``:          [fused], ``alpha``
                         ``g += np.multiply(W, l2)``                   0.5
``momentum_step``        ``optimizers.SGD.step`` with momentum,        [fused] ``sgd``,
                         Nesterov's or not                             [overflow] ``mlp-sgd``
``adam_step``            ``optimizers.Adam.step``                      [fused] ``adam``,
                                                                       [overflow] ``mlp-adam``
``scale_by_derivative``  ``activations.inplace_logistic_derivative``   [fused] ``logistic``
                         and ``inplace_tanh_derivative`` (``tanh``)    and ``tanh``
=======================  ============================================  =====================

[fused] is ``tests/test_kernels.py::test_fused_mlp_updates_equal_the_numpy_ones``
(an MLP fitted on both paths: the same bits, float32 and float64), and
[overflow] ``tests/test_divergence.py::test_an_overflowing_gradient_is_divergence``
(both paths).

``certain_winners`` is no twin: it gives the class of the largest
probability of ``predict_proba`` (``NetworkOutputMap``'s rule, the
``argmax`` of NumPy's probabilities) where rounding cannot decide it, and
no answer where it could, so that the caller computes the probabilities
(``tests/test_properties.py::test_predict_is_the_argmax_of_predict_proba_at_ties``).

The per-sample epochs of a single linear layer (the Perceptron, Adaline
SGD) are in ``_linear_epochs`` (``linear_sgd_epoch``), with their NumPy
versions in ``_linear_numpy``.  Nothing here runs
threads of its own: on two cores, numba's parallel threads spinning between
batches starve OpenBLAS's.
"""

import math

import numpy as np

try:  # pragma: no cover - depends on the environment
    import numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    numba = None
    HAVE_NUMBA = False

#: Whether the compiled kernels are used; tests switch it off to compare.
USE_NUMBA = HAVE_NUMBA


if HAVE_NUMBA:  # pragma: no branch

    @numba.njit(cache=True, nogil=True)
    def all_finite(arrays):
        """Whether every entry of a tuple of contiguous arrays of one dtype
        and one number of dimensions is finite (the optimizers' check after
        each epoch: one call, not two NumPy passes and a reduction per
        array)."""
        for a in arrays:
            for v in a.reshape(-1):
                if not math.isfinite(v):
                    return False
        return True

    @numba.njit(cache=True, nogil=True)
    def add_scaled(g, p, c):
        """``g += c * p`` in one pass."""
        g = g.reshape(-1)
        p = p.reshape(-1)
        for i in range(g.shape[0]):
            g[i] += p[i] * c

    @numba.njit(cache=True, nogil=True)
    def momentum_step(p, g, v, eta, mu, nesterov):
        """``v <- mu v - eta g``; ``p <- p + v`` (or ``p - eta g + mu v``)."""
        p = p.reshape(-1)
        g = g.reshape(-1)
        v = v.reshape(-1)
        for i in range(p.shape[0]):
            step = g[i] * eta
            vi = v[i] * mu - step
            v[i] = vi
            if nesterov:
                p[i] = (p[i] - step) + vi * mu
            else:
                p[i] += vi

    @numba.njit(cache=True, nogil=True)
    def scale_by_derivative(A, delta, one, tanh):
        """``delta <- delta A (1 - A)`` (the logistic), or ``delta (1 - A**2)``
        with ``tanh``, in one pass (``one``: 1 in the dtype of ``A``)."""
        A = A.reshape(-1)
        delta = delta.reshape(-1)
        for i in range(A.shape[0]):
            a = A[i]
            if tanh:
                delta[i] = delta[i] * (one - a * a)
            else:
                delta[i] = delta[i] * a * (one - a)

    # error_model="numpy": a division by zero gives inf, as in NumPy, with no
    # check per element that would keep the loop from being vectorised.
    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def adam_step(p, g, m, v, b1, b2, c1, c2, eps, eta):
        """Adam's update of one parameter in one pass.

        ``m <- b1 m + c1 g``, ``v <- b2 v + c2 (c1 g)**2`` and
        ``p <- p - eta m / (sqrt(v) + eps)``, with ``c2 = (1 - b2) / c1**2``:
        the operations of ``Adam.step``'s NumPy passes, in their order.
        """
        p = p.reshape(-1)
        g = g.reshape(-1)
        m = m.reshape(-1)
        v = v.reshape(-1)
        for i in range(p.shape[0]):
            gi = g[i] * c1
            mi = m[i] * b1 + gi
            vi = v[i] * b2 + gi * gi * c2
            m[i] = mi
            v[i] = vi
            p[i] -= mi / (math.sqrt(vi) + eps) * eta

    @numba.njit(cache=True, nogil=True)
    def _log_logistic(z):
        """``log(1 / (1 + exp(-z)))`` in float64, as ``activations.log_logistic``."""
        return min(z, 0.0) - math.log1p(math.exp(-abs(z)))

    @numba.njit(cache=True, nogil=True)
    def certain_winners(Z, logistic, margin, eps, winners):
        """The column of each row's largest probability into ``winners``, and
        whether that is certain in every row (``False`` as soon as it is not).

        The probabilities are ``exp(log_softmax(l(Z)))`` row by row, with
        ``l`` the log-sigmoid for ``logistic`` output units and the identity
        for a softmax; one logistic column ``z`` stands for the two columns
        ``l(-z), l(z)``.  In exact arithmetic the largest is that of the
        largest ``z``.  Rounding (each step within ``eps`` of the dtype of
        ``Z``, times the magnitudes involved) can only tie it with the
        runner-up, or reverse them, where ``l1 - l2``, the gap between the two
        largest values of ``l``, is within ``eps (4 (|l1| + |l2|) + log(k) +
        33)`` (``k`` columns, ``exp``, ``log1p`` within 4 ``eps``).  A row is
        certain where the gap is over ``margin`` ``eps (|l1| + |l2| + log(k) +
        2)``, with ``l`` computed in float64; an exact tie, a NaN or an
        infinity is never certain.
        """
        n, k = Z.shape
        log_k = math.log(max(k, 2))
        for i in range(n):
            if k == 1:
                z = np.float64(Z[i, 0])
                first = _log_logistic(z)
                second = _log_logistic(-z)
                if first >= second:
                    winners[i] = 1
                else:
                    first, second = second, first
                    winners[i] = 0
            else:
                best = 0
                for j in range(k):
                    if not math.isfinite(Z[i, j]):
                        return False
                    if Z[i, j] > Z[i, best]:
                        best = j
                runner = 1 if best == 0 else 0
                for j in range(k):
                    if j != best and Z[i, j] > Z[i, runner]:
                        runner = j
                first = np.float64(Z[i, best])
                second = np.float64(Z[i, runner])
                if logistic:
                    first = _log_logistic(first)
                    second = _log_logistic(second)
                winners[i] = best
            bound = margin * eps * (abs(first) + abs(second) + log_k + 2.0)
            if not first - second > bound:
                return False
        return True
