"""Activation functions and their derivatives, keyed by the names users pass.

Every activation computes ``phi(Z)`` in the namespace ``xp`` of its input
and returns it; with NumPy it writes into ``out`` (which may be ``Z`` itself,
to work in place).  Every derivative is written in terms of the activation's
output ``A``, multiplies ``delta`` (in place with NumPy) and returns it, so
that the backward pass needs no copy of the pre-activations ``Z``.
"""

import json
import os
import platform
import time

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


def _logistic_tanh(Z, out):
    """``(1 + tanh(Z / 2)) / 2``, free of overflow."""
    np.multiply(Z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _logistic_exp(Z, out):
    """``1 / (1 + exp(-Z))``: ``exp(-Z)`` is ``inf`` below ``Z = -709``
    (float64), where ``1 / inf`` is the limit, 0, and underflows to 0 above
    ``Z = 745``, where the limit is 1."""
    with np.errstate(over="ignore", under="ignore"):
        np.negative(Z, out=out)
        np.exp(out, out=out)
    out += 1
    # 1 / out by divide: 7.7 us against reciprocal's 14.1 us on 200 x 100
    # float64 values (AMD EPYC with AVX-512, numpy 2.4.6).
    np.divide(1.0, out, out=out)
    return out


#: The two forms of the logistic function NumPy computes, by name.
LOGISTIC_FORMS = {"tanh": _logistic_tanh, "exp": _logistic_exp}

#: The exp form is used where it takes at most this share of the tanh form's
#: time: it must win clearly, because the tanh form rounds a saturated unit
#: to 0 or 1 exactly, where the exp form may output a subnormal number,
#: which makes the products that read it slow.
LOGISTIC_EXP_MARGIN = 0.8

#: The block both forms are timed on: a batch of 200 rows of 100 units.
LOGISTIC_PROBE_SHAPE = (200, 100)

#: Per dtype: ``(form, {form: seconds per call})``, chosen on first use.
_logistic_choice = {}


def choose_logistic_form(seconds):
    """The form to use given each form's ``seconds`` per call: ``"exp"``
    where it takes at most ``LOGISTIC_EXP_MARGIN`` of the tanh form's time."""
    return "exp" if seconds["exp"] <= LOGISTIC_EXP_MARGIN * seconds["tanh"] else "tanh"


def _time_logistic_forms(dtype, rounds=5, calls=10):
    """The best time per call of each form on ``LOGISTIC_PROBE_SHAPE``
    values of ``dtype``, the forms timed in turn."""
    Z = np.linspace(-8, 8, np.prod(LOGISTIC_PROBE_SHAPE)).astype(dtype)
    Z = Z.reshape(LOGISTIC_PROBE_SHAPE)
    out = np.empty_like(Z)
    best = dict.fromkeys(LOGISTIC_FORMS, float("inf"))
    for _ in range(rounds):
        for name, form in LOGISTIC_FORMS.items():
            tic = time.perf_counter()
            for _ in range(calls):
                form(Z, out)
            best[name] = min(best[name], (time.perf_counter() - tic) / calls)
    return best


def logistic_form(dtype):
    """``(form, seconds)``: the logistic form used for arrays of ``dtype``
    and the times per call it was chosen by.

    Which of NumPy's ``tanh`` and ``exp`` is the cheaper depends on the CPU
    and on the SIMD kernels NumPy dispatches to: on an AMD EPYC with
    AVX-512 (numpy 2.4.6), the tanh form took 41 to 53 us and the exp form
    31 to 43 us on 200 x 100 float64 values, but 13 to 19 us against 17 to
    23 us in float32; on an AMD EPYC without AVX-512, ``np.tanh`` has been
    measured at twice ``np.exp``'s time.  So the forms are timed, once per
    CPU model, NumPy version and dtype (``choose_logistic_form``), and the
    choice is kept in ``logistic_form.json`` in the cache directory
    (``SKMLP_CACHE_DIR``, by default ``$XDG_CACHE_HOME/skmlp`` or
    ``~/.cache/skmlp``), so that every later process on the machine makes
    the same one: the forms round differently in the last bits, and a fit
    with a given ``random_state`` must not depend on how loaded the machine
    was when a process started.  Where the file cannot be written, each
    process measures.  The environment variable ``SKMLP_LOGISTIC_FORM``
    (``"tanh"`` or ``"exp"``) fixes the form instead (for results that
    agree to the bit across machines).
    """
    dtype = np.dtype(dtype)
    choice = _logistic_choice.get(dtype)
    if choice is None:
        fixed = os.environ.get("SKMLP_LOGISTIC_FORM")
        if fixed is not None and fixed not in LOGISTIC_FORMS:
            raise ValueError(
                f"SKMLP_LOGISTIC_FORM must be one of {sorted(LOGISTIC_FORMS)}, got {fixed!r}."
            )
        choice = _logistic_choice[dtype] = (fixed, {}) if fixed else _measured_form(dtype)
    return choice


def _measured_form(dtype):
    """``(form, seconds)`` from the cache file, or measured and stored there."""
    key = f"{cpu_model()} | numpy {np.__version__} | {dtype.name}"
    path = os.path.join(_cache_dir(), "logistic_form.json")
    try:
        with open(path) as f:
            stored = json.load(f)
    except (OSError, ValueError):
        stored = {}
    entry = stored.get(key) if isinstance(stored, dict) else None
    if isinstance(entry, dict) and entry.get("form") in LOGISTIC_FORMS:
        return entry["form"], dict(entry.get("seconds", {}))
    seconds = _time_logistic_forms(dtype)
    form = choose_logistic_form(seconds)
    stored = stored if isinstance(stored, dict) else {}
    stored[key] = {"form": form, "seconds": seconds}
    try:  # written whole, then renamed: a reader never sees half a file
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "w") as f:
            json.dump(stored, f, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        pass
    return form, seconds


def _cache_dir():
    if os.environ.get("SKMLP_CACHE_DIR"):
        return os.environ["SKMLP_CACHE_DIR"]
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "skmlp")


def cpu_model():
    """The CPU's model name (Linux's ``/proc/cpuinfo``), or what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def logistic(Z, out, xp=np):
    """The logistic sigmoid ``1 / (1 + exp(-Z))``.

    With NumPy, in the form the CPU computes fastest (``logistic_form``):
    ``(1 + tanh(Z / 2)) / 2`` or ``1 / (1 + exp(-Z))``.  Other namespaces
    take the tanh form.
    """
    if xp is np:
        return LOGISTIC_FORMS[logistic_form(Z.dtype)[0]](Z, out)
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


def _log1p_exp_minus_abs(Z, out):
    """``log1p(exp(-|Z|))`` into ``out``: the part of ``softplus`` and of
    ``log_logistic`` that is not linear.  Where ``exp`` underflows it
    signals so, as ``np.logaddexp`` does (NumPy ignores underflow by
    default)."""
    out = np.abs(Z, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    return np.log1p(out, out=out)


def softplus(Z, out, xp=np):
    """``log(1 + exp(Z))`` as ``max(Z, 0) + log1p(exp(-|Z|))``: without
    overflow, and accurate where it is tiny.

    With NumPy, six vectorised calls: on an AMD EPYC (AVX-512) 58 to 76 us
    on 200 x 100 float64 values, where ``np.logaddexp(0, Z)`` (a C library
    call per element) took 247 to 256.
    """
    if xp is not np:
        return xp.logaddexp(xp.zeros_like(Z), Z)
    positive = np.maximum(Z, 0)
    out = _log1p_exp_minus_abs(Z, out)
    out += positive
    return out


def log_logistic(Z, out, xp=np):
    """``log(1 / (1 + exp(-Z))) = -softplus(-Z)``, finite wherever ``Z`` is,
    as ``min(Z, 0) - log1p(exp(-|Z|))``."""
    if xp is not np:
        return -xp.logaddexp(xp.zeros_like(Z), -Z)
    negative = np.minimum(Z, 0)
    out = _log1p_exp_minus_abs(Z, out)
    return np.subtract(negative, out, out=out)


#: How many times its bound on rounding the gap between a row's two largest
#: log-probabilities must exceed for ``certain_winners`` to answer.
WINNER_MARGIN = 64


def certain_winners(Z, output):
    """The column of the largest probability in each row, read off the output
    pre-activations ``Z`` of ``output`` units (``"logistic"`` or
    ``"softmax"``; one logistic column stands for two classes), or None.

    The probabilities are ``exp`` of ``log_softmax(log_logistic(Z))`` (or of
    ``log_softmax(Z)``), whose largest lies in the column of the largest
    ``Z`` unless rounding ties or swaps it with the runner-up.  The compiled
    ``_kernels.certain_winners`` answers where that is impossible in every
    row, in one pass (6 us for 120 rows of 10 classes, against 30 us for
    the probabilities and their ``argmax``; AMD EPYC, float64); None
    where it is possible anywhere, or without the compiled kernels: the
    caller then takes the probabilities' ``argmax``, which is the rule.
    """
    if not (
        _kernels.USE_NUMBA
        and isinstance(Z, np.ndarray)
        and Z.ndim == 2
        and Z.dtype in (np.float32, np.float64)
    ):
        return None
    winners = np.empty(Z.shape[0], dtype=np.intp)
    eps = float(np.finfo(Z.dtype).eps)
    logistic = output == "logistic"
    Z = np.ascontiguousarray(Z)
    if _kernels.certain_winners(Z, logistic, float(WINNER_MARGIN), eps, winners):
        return winners
    return None


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
