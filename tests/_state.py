"""Comparing estimators' whole state, for tests of calls that must change nothing."""

import copy
import pickle
import types

import numpy as np


def frozen(estimator):
    """A deep copy of an estimator, to compare with ``assert_same_state``."""
    return copy.deepcopy(estimator)


def state_diff(a, b, path="estimator"):
    """The paths at which two objects' states differ (arrays by dtype, layout and value)."""
    if type(a) is not type(b):
        return [path]
    if isinstance(a, dict):
        if set(a) != set(b):
            return [f"{path} keys"]
        return [d for k in a for d in state_diff(a[k], b[k], f"{path}[{k!r}]")]
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{path} length"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in state_diff(x, y, f"{path}[{i}]")]
    if isinstance(a, types.FunctionType):
        return [] if a is b else [path]
    if hasattr(a, "__dict__"):
        return state_diff(vars(a), vars(b), path)
    if isinstance(a, np.ndarray):
        same = (a.dtype, a.shape, a.flags.c_contiguous) == (b.dtype, b.shape, b.flags.c_contiguous)
        nan = a.dtype.kind in "fc"  # NaN compares equal; strings have none
        return [] if same and np.array_equal(a, b, equal_nan=nan) else [path]
    return [] if pickle.dumps(a) == pickle.dumps(b) else [path]


def assert_same_state(a, b):
    assert not state_diff(a, b)
