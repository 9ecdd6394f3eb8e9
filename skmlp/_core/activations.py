"""Activation functions and their derivatives, keyed by the names users pass.

Every activation writes ``phi(Z)`` into ``out`` (which may be ``Z`` itself, to
work in place).  Every derivative is written in terms of the activation's
output ``A`` and multiplies ``delta`` in place, so that the backward pass needs
no copy of the pre-activations ``Z``.
"""

import numpy as np

#: The slope of ``leaky_relu`` below zero.
LEAKY_SLOPE = 0.01


def identity(Z, out):
    """Write ``Z`` into ``out``."""
    if out is not Z:
        out[...] = Z
    return out


def logistic(Z, out):
    """Write the logistic sigmoid ``1 / (1 + exp(-Z))`` into ``out``.

    Computed as ``(1 + tanh(Z / 2)) / 2``: the same function, several times
    cheaper than ``exp`` in NumPy and free of overflow for large ``|Z|``.
    """
    np.multiply(Z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def tanh(Z, out):
    """Write the hyperbolic tangent of ``Z`` into ``out``."""
    return np.tanh(Z, out=out)


def relu(Z, out):
    """Write ``max(Z, 0)`` into ``out``."""
    return np.maximum(Z, 0, out=out)


def leaky_relu(Z, out):
    """Write ``Z`` where positive and ``0.01 Z`` elsewhere into ``out``."""
    return np.maximum(Z, LEAKY_SLOPE * Z, out=out)


def elu(Z, out):
    """Write ``Z`` where positive and ``exp(Z) - 1`` elsewhere into ``out``."""
    nonpositive = Z <= 0
    negative = np.expm1(np.minimum(Z, 0))
    if out is not Z:
        np.copyto(out, Z)
    np.copyto(out, negative, where=nonpositive)
    return out


def softplus(Z, out):
    """Write ``log(1 + exp(Z))`` into ``out``, without overflow."""
    return np.logaddexp(0, Z, out=out)


def softmax(Z, out):
    """Write the row-wise softmax of ``Z`` into ``out``."""
    np.subtract(Z, Z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def step(Z, out):
    """Write the unit step, ``+1`` where ``Z >= 0`` and ``-1`` elsewhere."""
    np.greater_equal(Z, 0, out=out)
    out *= 2
    out -= 1
    return out


def inplace_identity_derivative(A, delta):
    """Leave ``delta`` as it is: the identity's derivative is one."""


def inplace_logistic_derivative(A, delta):
    """Multiply ``delta`` by ``A (1 - A)``, the logistic's derivative."""
    delta *= A
    delta *= 1 - A


def inplace_tanh_derivative(A, delta):
    """Multiply ``delta`` by ``1 - A**2``, the hyperbolic tangent's derivative."""
    delta *= 1 - A**2


def inplace_relu_derivative(A, delta):
    """Set ``delta`` to zero where the unit is off."""
    delta[A <= 0] = 0


def inplace_leaky_relu_derivative(A, delta):
    """Multiply ``delta`` by the leak where the unit is negative."""
    delta[A <= 0] *= LEAKY_SLOPE


def inplace_elu_derivative(A, delta):
    """Multiply ``delta`` by ``A + 1 = exp(Z)`` where the unit is negative."""
    negative = A <= 0
    delta[negative] *= A[negative] + 1


def inplace_softplus_derivative(A, delta):
    """Multiply ``delta`` by the logistic of ``Z``, which is ``1 - exp(-A)``."""
    delta *= -np.expm1(-A)


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
