"""The few things the core needs to know about array namespaces.

The core computes in the namespace of its network's parameters (``net.xp``):
NumPy itself, or any array API namespace (``array-api-strict``, PyTorch or
CuPy through ``array_api_compat``) that the estimators hand it.  Every
function is written once against that namespace; where the namespace is
NumPy, it writes into preallocated buffers (``out=``) and may call the
compiled kernels instead, computing the same values.
"""

import numpy as np


def into(xp, name, *args, out):
    """``xp.<name>(*args)``, written into ``out`` where ``xp`` is NumPy.

    Other namespaces have no ``out=``: the result is a new array.  Callers
    use the returned array either way.
    """
    if xp is np:
        return getattr(np, name)(*args, out=out)
    return getattr(xp, name)(*args)


def float64_sum(xp, x, weights=None):
    """``sum_i x_i`` (or ``sum_i w_i x_i``) in float64, as a Python float."""
    if xp is np and weights is None:
        return float(x.sum(dtype=np.float64))
    if xp is np:
        return float(weights.astype(np.float64) @ x)
    x = xp.astype(x, xp.float64)
    if weights is not None:
        x = x * xp.astype(weights, xp.float64)
    return float(xp.sum(x))


def astype(xp, x, dtype):
    return x.astype(dtype) if xp is np else xp.astype(x, dtype)


def device_of(x):
    """The device of an array (None for NumPy)."""
    return None if isinstance(x, np.ndarray) else getattr(x, "device", None)


def zeros_like(xp, x):
    return np.zeros_like(x) if xp is np else xp.zeros_like(x)


def copy(xp, x):
    """A copy of ``x`` in its namespace and on its device."""
    return x.copy() if xp is np else xp.asarray(x, copy=True)


def asarray(xp, values, dtype, device):
    """``values`` (host data) as an array of ``xp`` on ``device``."""
    if xp is np:
        return np.asarray(values, dtype=dtype)
    return xp.asarray(np.ascontiguousarray(values), dtype=dtype, device=device)


def take(xp, a, indices):
    """The rows ``indices`` (host integers) of ``a``, in ``a``'s namespace."""
    if xp is np:
        return a[indices]
    return xp.take(a, xp.asarray(indices, device=device_of(a)), axis=0)


def to_numpy(x):
    """``x`` as a NumPy array on the host (a view where it already is one)."""
    if isinstance(x, np.ndarray):
        return x
    module = type(x).__module__.split(".")[0]
    if module == "torch":
        return x.detach().cpu().numpy()
    if module == "cupy":
        return x.get()
    if module == "array_api_strict":
        import array_api_strict

        return np.asarray(
            array_api_strict.asarray(x, device=array_api_strict.Device("CPU_DEVICE"))
        )
    return np.asarray(x)
