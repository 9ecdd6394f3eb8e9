"""Per-sample losses, keyed by the output activation they are matched with.

Each loss takes the targets ``T``, the output activations ``A``, the output
pre-activations ``Z`` and the output delta ``D = A - T`` (which the backward
pass has anyway) and returns one value per sample, summed over the output
units, so that the caller can weight samples.  Every pair is matched: the derivative of the
loss with respect to the output layer's pre-activations is ``A - T``, which is
what the backward pass uses (for the unit step, ``A - T`` is Rosenblatt's rule
rather than a derivative).
"""

import numpy as np


def squared_error(T, A, Z, D, xp=np):
    """``1/2 sum_j (t_j - a_j)**2`` per sample, for the identity output."""
    if xp is np:
        return 0.5 * np.einsum("ij,ij->i", D, D)
    return 0.5 * xp.sum(D * D, axis=1)


def binary_log_loss(T, A, Z, D, xp=np):
    """``-sum_j t_j log a_j + (1 - t_j) log(1 - a_j)`` per sample.

    The logistic cost summed over the output units, for independent logistic output
    units.  With ``t`` in ``{0, 1}`` each term is ``-log(1 - |a - t|)``, one
    pass over ``D``.  ``|a - t|`` is clipped below 1 so that a saturated
    unit costs a large finite amount (``-log(eps)``) rather than infinity.
    """
    largest = 1 - xp.finfo(D.dtype).eps
    if xp is not np:
        return -xp.sum(xp.log1p(-xp.clip(xp.abs(D), max=largest)), axis=1)
    err = np.abs(D)
    np.minimum(err, largest, out=err)
    np.negative(err, out=err)
    np.log1p(err, out=err)
    # Row sums as a product with ones: BLAS beats a reduction along short rows.
    return -(err @ np.ones(err.shape[1], dtype=err.dtype))


def log_loss(T, A, Z, D, xp=np):
    """``-sum_j t_j log a_j`` per sample, for the softmax output."""
    eps = xp.finfo(A.dtype).eps
    return -xp.sum(T * xp.log(xp.clip(A, min=eps, max=1)), axis=1)


def perceptron_loss(T, A, Z, D, xp=np):
    """``sum_j max(0, -t_j z_j)`` per sample: the perceptron criterion."""
    return xp.sum(xp.clip(-T * Z, min=0), axis=1)


#: The loss matched with each output activation.
OUTPUT_LOSSES = {
    "identity": squared_error,
    "logistic": binary_log_loss,
    "softmax": log_loss,
    "step": perceptron_loss,
}
