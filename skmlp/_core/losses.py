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

from .activations import softplus


def squared_error(T, A, Z, D, xp=np):
    """``1/2 sum_j (t_j - a_j)**2`` per sample, for the identity output."""
    if xp is np:
        return 0.5 * np.einsum("ij,ij->i", D, D)
    return 0.5 * xp.sum(D * D, axis=1)


def binary_log_loss_cap(dtype, xp=np):
    """The most a logistic unit's loss costs in ``dtype``: ``-log(eps)``."""
    return float(-np.log(xp.finfo(dtype).eps))


def binary_log_loss(T, A, Z, D, xp=np):
    """``-sum_j t_j log a_j + (1 - t_j) log(1 - a_j)`` per sample.

    The logistic cost summed over the output units, for independent logistic
    output units.  With ``a = 1 / (1 + exp(-z))`` and ``t`` in ``{0, 1}``
    each term is ``softplus((1 - 2 t) z) = max((1 - 2 t) z, 0) +
    log1p(exp(-|z|))``, computed from the pre-activation ``z``: accurate to
    rounding however close ``a`` is to ``t``, where ``-log(1 - |a - t|)``
    would lose the small terms to the rounding of ``a`` (a relative error of
    up to 1e-2 in a row's loss in float32).  Each term is capped at
    ``-log(eps)`` of the dtype, so that a saturated wrong unit costs a large
    finite amount rather than infinity.
    """
    cap = binary_log_loss_cap(Z.dtype, xp)
    # (1 - 2 t) z is z or -z: exact, and infinite only where z is.
    terms = T * -2
    terms += 1
    terms *= Z
    terms = softplus(terms, out=terms, xp=xp)
    if xp is not np:
        return xp.sum(xp.clip(terms, max=cap), axis=1)
    np.minimum(terms, cap, out=terms)
    # Row sums as a product with ones: BLAS beats a reduction along short rows.
    return terms @ np.ones(terms.shape[1], dtype=terms.dtype)


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

#: The output activations whose loss reads the pre-activations ``Z``, which
#: the forward pass must therefore keep apart from the activations.
LOSSES_OF_Z = frozenset({"logistic", "step"})
