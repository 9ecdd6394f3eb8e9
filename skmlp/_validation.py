"""Input validation at the public boundary: parameters, arrays, namespaces.

Everything here checks or converts what a user passed: the parameter
constraints scikit-learn lacks, the float dtypes and array namespace the core
computes in, canonical sparse input, weight totals and scorer results.
"""

import reprlib
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import sklearn
from numpy.random.bit_generator import ISeedSequence
from sklearn.utils import check_random_state as sklearn_check_random_state
from sklearn.utils._array_api import _is_numpy_namespace, get_namespace
from sklearn.utils._param_validation import Interval
from sklearn.utils.fixes import parse_version
from sklearn.utils.validation import check_array, column_or_1d, validate_data

from ._core import _xp

#: Whether array API input is supported: skmlp follows the array API helpers
#: and estimator checks of scikit-learn 1.9.
ARRAY_API_SUPPORTED = parse_version(sklearn.__version__).release >= (1, 9)


class _FixedSeedSequence(ISeedSequence):
    """A seed sequence that hands out one fixed state: for a generator whose
    state is set at once afterwards, entropy and hashing would be wasted."""

    def generate_state(self, n_words, dtype=np.uint32):
        return np.ones(n_words, dtype=dtype)


_FIXED_SEED = _FixedSeedSequence()


def check_random_state(seed):
    """scikit-learn's ``check_random_state``, cheaper for an integer seed.

    ``np.random.RandomState(seed)`` seeds a new ``MT19937`` from the
    operating system's entropy (through a ``SeedSequence`` that hashes 624
    words) before it replaces that state with the legacy seeding of
    ``seed``: 87 us, of which this skips 57 (AMD EPYC), for the same
    generator: ``RandomState(MT19937(fixed)).seed(seed)`` sets the state
    ``RandomState(seed)`` has.  None and ``RandomState`` instances go to
    scikit-learn's function, as do seeds it refuses, for its message.
    """
    if isinstance(seed, Integral) and 0 <= seed < 2**32:
        random_state = np.random.RandomState(np.random.MT19937(_FIXED_SEED))
        random_state.seed(seed)
        return random_state
    return sklearn_check_random_state(seed)


class IntInterval(Interval):
    """An ``Interval`` of integers that refuses booleans: ``True`` is not a size."""

    def is_satisfied_by(self, val):
        return not isinstance(val, bool) and super().is_satisfied_by(val)


class Rates(Interval):
    """A rate in ``[0, 1)``, or a 1-d array-like of such rates (not booleans)."""

    def __init__(self):
        super().__init__(Real, 0, 1, closed="left")

    def is_satisfied_by(self, val):
        if isinstance(val, (bool, np.bool_, str, bytes, dict, set)):
            return False
        if isinstance(val, Real):
            return super().is_satisfied_by(val)
        try:
            rates = np.asarray(val)
        except (TypeError, ValueError):
            return False
        return (
            rates.ndim == 1
            and rates.dtype.kind in "iuf"
            and bool(np.all((rates >= 0) & (rates < 1)))
        )

    def __str__(self):
        return f"{super().__str__()} or a 1-d array-like of such floats"


def validated_as_is(estimator, X):
    """Whether ``validate_data(estimator, X, reset=False)`` would return ``X``
    itself, silently: a non-empty 2-d NumPy float32 or float64 array with
    the fitted number of features and finite values, for an estimator
    fitted on NumPy arrays without feature names.  Prediction skips the
    validation there, which costs more than a small network's forward pass
    on a few rows; any other input (or a sum that overflows) is validated."""
    fitted = vars(estimator)
    return (
        _plain_array(X)
        and X.shape[1] == fitted.get("n_features_in_")
        and "feature_names_in_" not in fitted
        and isinstance(estimator._network_arrays()[0], np.ndarray)
        and _finite_sum(X)
    )


def _plain_array(X):
    """Whether ``X`` is a 2-d NumPy float32 or float64 array (not a subclass)
    with at least one row and one column."""
    return (
        type(X) is np.ndarray
        and X.ndim == 2
        and X.dtype.type in (np.float64, np.float32)
        and X.shape[0] > 0
        and X.shape[1] > 0
    )


def _finite_sum(X):
    """Whether the sum of ``X`` is finite: every value is, unless it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(X.sum()))


def array_namespace(X):
    """The namespace the core computes in for ``X``: NumPy itself, or (with
    ``array_api_dispatch``) the array API namespace of ``X``."""
    xp, is_array_api = get_namespace(X)
    if not is_array_api or _is_numpy_namespace(xp):
        return np
    if not ARRAY_API_SUPPORTED:
        raise ValueError(
            f"skmlp computes on {xp.__name__} arrays with scikit-learn 1.9 or newer only "
            f"(scikit-learn {sklearn.__version__} is installed): upgrade it, or pass NumPy "
            "arrays."
        )
    return xp


def float_dtypes(X):
    """The float dtypes ``validate_data`` may keep, in the namespace of ``X``."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


def numpy_dtype(X):
    """The NumPy float dtype matching the float32 or float64 ``X``."""
    return np.dtype(np.float32 if "float32" in str(X.dtype) else np.float64)


def host(a):
    """``a`` on the host as NumPy, or as it is (None, lists, sparse matrices)."""
    if a is None or not hasattr(a, "shape") or sp.issparse(a):
        return a
    return _xp.to_numpy(a)


def as_dtype(X, dtype):
    """``X`` (of any namespace) in ``dtype``, without a copy where it is already."""
    xp = array_namespace(X)
    return X.astype(dtype, copy=False) if xp is np else xp.astype(X, dtype)


def canonical(X):
    """``X``, with a CSR matrix's duplicate entries summed and its indices
    sorted (on a copy): SciPy reads duplicates as their sum, and so must
    every kernel that squares the stored values."""
    if sp.issparse(X) and not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X


def validate_xy(estimator, X, y, reset, y_checks):
    """Validated ``X`` (float32 or float64, C-ordered, canonical CSR if
    sparse) and ``y``, checked with the options ``y_checks`` (the target
    coder's)."""
    if _plain_xy(estimator, X, y, reset):
        # What validate_data records, and returns: X and y themselves.
        if reset:
            estimator.n_features_in_ = X.shape[1]
            vars(estimator).pop("feature_names_in_", None)
        return X, y
    X, y = validate_data(
        estimator,
        X,
        y,
        accept_sparse="csr",
        dtype=float_dtypes(X),
        # Training gathers rows batch by batch: one C-ordered copy of a
        # Fortran-ordered X (or column-built DataFrame) now, not per batch.
        order="C",
        reset=reset,
        **y_checks,
    )
    return canonical(X), y


def _plain_xy(estimator, X, y, reset):
    """Whether ``validate_xy`` would return ``X`` and ``y`` themselves,
    silently: ``X`` a non-empty, C-contiguous 2-d NumPy float32 or float64
    array with finite values (and, continuing a fit, its number of features,
    without feature names), ``y`` a 1-d NumPy array of as many numbers
    (finite), booleans or strings.  ``validate_data`` took 115 us of a
    760 us Perceptron fit on the breast cancer data (AMD EPYC); these checks
    take about 10.  Anything else (or a sum that overflows) is validated."""
    if not (
        _plain_array(X)
        and X.flags.c_contiguous
        and type(y) is np.ndarray
        and y.ndim == 1
        and y.shape[0] == X.shape[0]
        and y.dtype.kind in "biufUS"
    ):
        return False
    if not reset:
        fitted = vars(estimator)
        if fitted.get("n_features_in_") != X.shape[1] or "feature_names_in_" in fitted:
            return False
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        return False
    return _finite_sum(X)


def validate_named(estimator, X, name):
    """``X`` checked against the fitted features, with errors that name it."""
    # The feature count and names against the fit's, then the values.
    validate_data(estimator, X, reset=False, skip_check_array=True)
    return canonical(check_array(X, accept_sparse="csr", dtype=float_dtypes(X), input_name=name))


def one_column_flat(y):
    """``y`` with a single column flattened (with scikit-learn's warning)."""
    if y.ndim == 2 and y.shape[1] == 1:
        return column_or_1d(y, warn=True)
    return y


def check_weight_total(s, name):
    """Raise unless the weights ``s`` (or None) have a positive, finite total."""
    if s is None:
        return
    with np.errstate(over="ignore"):
        total = s.sum(dtype=np.float64)
    if not np.isfinite(total):
        raise ValueError(
            f"The {name} sum to {total}, beyond floating point; rescale them (only their "
            "ratios matter)."
        )
    if total <= 0:
        raise ValueError(f"The {name} are all zero: at least one must be non-zero.")


def checked_score(value, scoring):
    """A scorer's result as a float; a ValueError naming ``scoring`` unless it is a number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise ValueError(
            f"scoring={scoring!r} returned {reprlib.repr(value)} of type "
            f"{type(value).__name__}: a scorer must return a single number."
        )
    return float(value)


def check_same_namespace(estimator, fitted, X, method):
    """Raise unless ``X`` is in the namespace and on the device of the fitted
    array ``fitted``."""
    fitted_xp = fitted_namespace(estimator, fitted)
    given = array_namespace(X)
    if fitted_xp is np and given is np:
        return
    if given is not fitted_xp or _xp.device_of(X) != _xp.device_of(fitted):
        fitted_name = "numpy" if fitted_xp is np else fitted_xp.__name__
        given_name = "numpy" if given is np else given.__name__
        raise ValueError(
            f"Inputs passed to {type(estimator).__name__}.{method}() must use the same "
            "namespace and the same device as those passed to fit(): fit used "
            f"{fitted_name} on {_xp.device_of(fitted)}, {method} got {given_name} on "
            f"{_xp.device_of(X)}."
        )


def fitted_namespace(estimator, fitted):
    """The namespace of the fitted array ``fitted`` (NumPy itself for ndarrays)."""
    if isinstance(fitted, np.ndarray):
        return np
    xp, is_array_api = get_namespace(fitted)
    if not is_array_api:
        raise ValueError(
            f"{type(estimator).__name__} was fitted on {type(fitted).__module__} arrays: "
            "enable sklearn.set_config(array_api_dispatch=True) to use it."
        )
    return xp
