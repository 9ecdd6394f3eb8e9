"""The warnings of ``fit`` and ``partial_fit`` point at the user's line.

Each warning is raised deep inside skmlp, below scikit-learn's wrappers (and,
in a ``Pipeline`` or ``GridSearchCV``, below scikit-learn's and joblib's
machinery); ``skmlp._warnings.warn`` attributes it to the first frame outside
those, which here is this file's ``fit`` line.
"""

import inspect
import warnings

import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier
from skmlp import _warnings as skmlp_warnings
from skmlp._core import epochs

STEP = "mlpbackpropclassifier"


@pytest.fixture(params=["skip_file_prefixes", "stacklevel"])
def mechanism(request, monkeypatch):
    """Both ways of finding the user's frame: Python 3.12's ``skip_file_prefixes``
    (only where it exists) and the stack walk of older Pythons (everywhere)."""
    if request.param == "skip_file_prefixes":
        if not skmlp_warnings._HAVE_SKIP_FILE_PREFIXES:
            pytest.skip("warnings.warn has no skip_file_prefixes before Python 3.12")
    else:
        monkeypatch.setattr(skmlp_warnings, "_HAVE_SKIP_FILE_PREFIXES", False)
    return request.param


@pytest.fixture
def interrupt(monkeypatch):
    """Make the first epoch of the next fit raise KeyboardInterrupt (as Ctrl-C would)."""

    def interrupted_run(self, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(epochs._Epoch, "run", interrupted_run)


def _line_after():
    """The number of the line after the caller's current one."""
    return inspect.currentframe().f_back.f_lineno + 1


def _only(caught, category, match):
    found = [w for w in caught if issubclass(w.category, category) and match in str(w.message)]
    assert len(found) == 1, [str(w.message) for w in caught]
    return found[0]


def _assert_here(w, line):
    assert (w.filename, w.lineno) == (__file__, line), (w.filename, w.lineno, str(w.message))


# -- each warning, from each kind of call -----------------------------------------


def _pipeline(estimator):
    return make_pipeline(StandardScaler(), estimator)


def _lbfgs():
    return MLPBackpropClassifier(solver="lbfgs", max_iter=5, tol=None, random_state=0)


CONVERGENCE = (ConvergenceWarning, "maximum number of iterations")
INTERRUPTION = (UserWarning, "training was interrupted")
NO_EPOCHS = (UserWarning, "no epochs to validate")

#: (the estimator, the method, its keyword arguments given X and y, the
#: warning and a part of its message).
CALLS = {
    "convergence-perceptron": (
        lambda: PerceptronClassifier(max_iter=1, random_state=0),
        "fit",
        None,
        CONVERGENCE,
    ),
    "convergence-adaline": (
        lambda: AdalineClassifier(max_iter=1, random_state=0),
        "fit",
        None,
        CONVERGENCE,
    ),
    "convergence-mlp": (
        lambda: MLPBackpropClassifier(max_iter=1, random_state=0),
        "fit",
        None,
        CONVERGENCE,
    ),
    "convergence-pipeline": (
        lambda: _pipeline(MLPBackpropClassifier(max_iter=1, random_state=0)),
        "fit",
        None,
        CONVERGENCE,
    ),
    "interruption-mlp": (
        lambda: MLPBackpropClassifier(max_iter=5, random_state=0),
        "fit",
        None,
        INTERRUPTION,
    ),
    "interruption-partial_fit": (
        lambda: AdalineClassifier(random_state=0),
        "partial_fit",
        lambda X, y: {"classes": [0, 1, 2]},
        INTERRUPTION,
    ),
    "interruption-pipeline": (
        lambda: _pipeline(MLPBackpropClassifier(max_iter=5, random_state=0)),
        "fit",
        None,
        INTERRUPTION,
    ),
    "lbfgs-validation-mlp": (_lbfgs, "fit", lambda X, y: {"X_val": X, "y_val": y}, NO_EPOCHS),
    "lbfgs-validation-pipeline": (
        lambda: _pipeline(_lbfgs()),
        "fit",
        lambda X, y: {f"{STEP}__X_val": X, f"{STEP}__y_val": y},
        NO_EPOCHS,
    ),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_the_warning_points_at_the_calling_line(raw_iris, mechanism, request, call):
    make, method, arguments, (category, message) = CALLS[call]
    if call.startswith("interruption"):
        request.getfixturevalue("interrupt")
    X, y = raw_iris
    estimator = make()
    kwargs = {} if arguments is None else arguments(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        getattr(estimator, method)(X, y, **kwargs)
    _assert_here(_only(caught, category, message), line)


def test_convergence_warning_in_a_grid_search(raw_iris, mechanism):
    # GridSearchCV fits through joblib (even with n_jobs=None): those frames
    # are skipped too, so the warnings point at search.fit.
    X, y = raw_iris
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(max_iter=1, random_state=0)),
        {f"{STEP}__alpha": [1e-4, 1.0]},
        cv=2,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        search.fit(X, y)
    found = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(found) == 2 * 2 + 1  # 2 candidates x 2 folds, and the refit
    for w in found:
        _assert_here(w, line)


# -- the helper --------------------------------------------------------------------


def test_skipped_directories_end_with_a_separator():
    import os

    import sklearn

    import skmlp

    dirs = skmlp_warnings._SKIPPED_DIRS
    assert all(d.endswith(os.sep) for d in dirs)
    assert os.path.dirname(skmlp.__file__) + os.sep in dirs
    assert os.path.dirname(sklearn.__file__) + os.sep in dirs


def test_a_warning_from_outside_skipped_directories_is_attributed_to_its_caller(mechanism):
    # Called from outside skmlp, warn behaves like stacklevel=2.
    lines = []

    def library_function():
        lines.append(_line_after())
        skmlp_warnings.warn("from here", UserWarning)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        library_function()
    _assert_here(_only(caught, UserWarning, "from here"), lines[0])
