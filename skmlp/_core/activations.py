"""Activation functions and their derivatives, keyed by the names users pass.

Every activation computes ``phi(Z)`` in the namespace ``xp`` of its input
and returns it; with NumPy it writes into ``out`` (which may be ``Z`` itself,
to work in place).  Every derivative is written in terms of the activation's
output ``A``, multiplies ``delta`` (in place with NumPy) and returns it, so
that the backward pass needs no copy of the pre-activations ``Z``.
"""

import numpy as np

from . import _kernels
from ._xp import into

#: The slope of ``leaky_relu`` below zero.
LEAKY_SLOPE = 0.01


def identity(Z, out, xp=np):
    """``Z`` itself (written into ``out`` with NumPy)."""
    if xp is np and out is not Z:
        out[...] = Z
        return out
    return Z


def logistic(Z, out, xp=np):
    """The logistic sigmoid ``1 / (1 + exp(-Z))``.

    Computed as ``(1 + tanh(Z / 2)) / 2``: the same function, free of
    overflow for large ``|Z|``.  Whether NumPy's ``tanh`` or ``exp`` is the
    cheaper depends on the CPU and on the SIMD kernels NumPy dispatches to:
    on an AMD EPYC with AVX-512 (numpy 2.4), ``np.tanh`` took 33 to 43 us
    and ``np.exp`` 55 us on 200 x 100 float64 values, while CPUs without
    AVX-512 have been measured the other way round (``benchmarks/README.md``).
    """
    if xp is np:
        np.multiply(Z, 0.5, out=out)
        np.tanh(out, out=out)
    else:
        out = xp.tanh(Z * 0.5)
    out *= 0.5
    out += 0.5
    return out


def tanh(Z, out, xp=np):
    """The hyperbolic tangent of ``Z``."""
    return into(xp, "tanh", Z, out=out)


def relu(Z, out, xp=np):
    """``max(Z, 0)``."""
    if xp is np:
        return np.maximum(Z, 0, out=out)
    return xp.where(Z > 0, Z, xp.zeros_like(Z))


def leaky_relu(Z, out, xp=np):
    """``Z`` where positive and ``0.01 Z`` elsewhere."""
    if xp is np:
        return np.maximum(Z, LEAKY_SLOPE * Z, out=out)
    return xp.where(Z > 0, Z, LEAKY_SLOPE * Z)


def elu(Z, out, xp=np):
    """``Z`` where positive and ``exp(Z) - 1`` elsewhere."""
    if xp is not np:
        return xp.where(Z <= 0, xp.expm1(xp.minimum(Z, xp.zeros_like(Z))), Z)
    nonpositive = Z <= 0
    negative = np.expm1(np.minimum(Z, 0))
    if out is not Z:
        np.copyto(out, Z)
    np.copyto(out, negative, where=nonpositive)
    return out


def softplus(Z, out, xp=np):
    """``log(1 + exp(Z))``, without overflow."""
    if xp is np:
        return np.logaddexp(0, Z, out=out)
    return xp.logaddexp(xp.zeros_like(Z), Z)


def softmax(Z, out, xp=np):
    """The row-wise softmax of ``Z``."""
    shifted = Z - xp.max(Z, axis=1, keepdims=True)
    out = into(xp, "exp", shifted, out=out)
    out /= xp.sum(out, axis=1, keepdims=True)
    return out


def step(Z, out, xp=np):
    """The unit step, ``+1`` where ``Z >= 0`` and ``-1`` elsewhere."""
    if xp is not np:
        return xp.where(Z >= 0, xp.ones_like(Z), -xp.ones_like(Z))
    np.greater_equal(Z, 0, out=out)
    out *= 2
    out -= 1
    return out


def inplace_identity_derivative(A, delta, xp=np):
    """``delta`` as it is: the identity's derivative is one."""
    return delta


def inplace_logistic_derivative(A, delta, xp=np):
    """``delta`` times ``A (1 - A)``, the logistic's derivative."""
    if xp is np and _kernels.USE_NUMBA:
        _kernels.scale_by_derivative(A, delta, A.dtype.type(1), False)
        return delta
    delta *= A
    delta *= 1 - A
    return delta


def inplace_tanh_derivative(A, delta, xp=np):
    """``delta`` times ``1 - A**2``, the hyperbolic tangent's derivative."""
    if xp is np and _kernels.USE_NUMBA:
        _kernels.scale_by_derivative(A, delta, A.dtype.type(1), True)
        return delta
    delta *= 1 - A**2
    return delta


def inplace_relu_derivative(A, delta, xp=np):
    """``delta``, zero where the unit is off."""
    if xp is not np:
        return xp.where(A <= 0, xp.zeros_like(delta), delta)
    delta[A <= 0] = 0
    return delta


def inplace_leaky_relu_derivative(A, delta, xp=np):
    """``delta`` times the leak where the unit is negative."""
    if xp is not np:
        return xp.where(A <= 0, LEAKY_SLOPE * delta, delta)
    delta[A <= 0] *= LEAKY_SLOPE
    return delta


def inplace_elu_derivative(A, delta, xp=np):
    """``delta`` times ``A + 1 = exp(Z)`` where the unit is negative."""
    if xp is not np:
        return xp.where(A <= 0, delta * (A + 1), delta)
    negative = A <= 0
    delta[negative] *= A[negative] + 1
    return delta


def inplace_softplus_derivative(A, delta, xp=np):
    """``delta`` times the logistic of ``Z``, which is ``1 - exp(-A)``."""
    delta *= -xp.expm1(-A)
    return delta


#: Activations of hidden and output layers, keyed by the names users pass.
ACTIVATIONS = {
    "identity": identity,
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "softplus": softplus,
    "softmax": softmax,
    "step": step,
}

#: Derivatives of the hidden-layer activations, in terms of their output.
DERIVATIVES = {
    "identity": inplace_identity_derivative,
    "logistic": inplace_logistic_derivative,
    "tanh": inplace_tanh_derivative,
    "relu": inplace_relu_derivative,
    "leaky_relu": inplace_leaky_relu_derivative,
    "elu": inplace_elu_derivative,
    "softplus": inplace_softplus_derivative,
}

#: Activations a hidden layer may use (those with a derivative).
HIDDEN_ACTIVATIONS = tuple(DERIVATIVES)
