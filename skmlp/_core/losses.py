"""Per-sample losses, keyed by the output activation they are matched with.

Each loss returns one value per sample, summed over the output units, so that
the caller can weight samples.  Every pair is matched: the derivative of the
loss with respect to the output layer's pre-activations is ``A - T``, which is
what the backward pass uses (for the unit step, ``A - T`` is Rosenblatt's rule
rather than a derivative).
"""

import numpy as np


def squared_error(T, A, Z):
    """``1/2 sum_j (t_j - a_j)**2`` per sample, for the identity output."""
    diff = A - T
    return 0.5 * np.einsum("ij,ij->i", diff, diff)


def binary_log_loss(T, A, Z):
    """``-sum_j t_j log a_j + (1 - t_j) log(1 - a_j)`` per sample.

    The summed logistic cost of the notes, for independent logistic output
    units.  ``A`` is clipped away from 0 and 1 so that a saturated unit costs
    a large finite amount rather than infinity.
    """
    eps = np.finfo(A.dtype).eps
    A = np.clip(A, eps, 1 - eps)
    return -(np.einsum("ij,ij->i", T, np.log(A)) + np.einsum("ij,ij->i", 1 - T, np.log1p(-A)))


def log_loss(T, A, Z):
    """``-sum_j t_j log a_j`` per sample, for the softmax output."""
    eps = np.finfo(A.dtype).eps
    return -np.einsum("ij,ij->i", T, np.log(np.clip(A, eps, 1)))


def perceptron_loss(T, A, Z):
    """``sum_j max(0, -t_j z_j)`` per sample: the perceptron criterion."""
    return np.maximum(-T * Z, 0).sum(axis=1)


#: The loss matched with each output activation.
OUTPUT_LOSSES = {
    "identity": squared_error,
    "logistic": binary_log_loss,
    "softmax": log_loss,
    "step": perceptron_loss,
}
