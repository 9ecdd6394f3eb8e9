"""Test-suite configuration shared by ``tests/`` and the doctests of ``skmlp/``."""

import os
import re

# scikit-learn's array API dispatch (tests/test_array_api.py and the array API
# estimator checks) needs SciPy's array API support, which SciPy reads when it
# is first imported: before any test module imports it.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _skmlp_cache(tmp_path_factory):
    """Keep the measured logistic form (``activations.logistic_form``) out of
    the user's cache directory (the tests' subprocesses inherit this)."""
    if "SKMLP_CACHE_DIR" not in os.environ:
        os.environ["SKMLP_CACHE_DIR"] = str(tmp_path_factory.mktemp("skmlp-cache"))


# A doctest example that imports scikit-learn's callback API (new in 1.9).
_USES_SKLEARN_CALLBACK = re.compile(r"\bsklearn\.callback\b")


def pytest_collection_modifyitems(config, items):
    """Skip the doctests that need ``sklearn.callback`` on an older scikit-learn.

    A doctest item is a whole docstring, so this skips all of it, also the
    examples before the one that imports ``sklearn.callback`` (on scikit-learn
    < 1.9 that is the whole ``fit`` doctest of ``skmlp/_base.py``; those
    examples still run on 1.9 and newer).
    """
    from skmlp._callbacks import HAVE_CALLBACKS

    if HAVE_CALLBACKS:
        return
    skip = pytest.mark.skip(reason="needs sklearn.callback (scikit-learn >= 1.9)")
    for item in items:
        dtest = getattr(item, "dtest", None)  # set on doctest items only
        if dtest is not None and any(
            _USES_SKLEARN_CALLBACK.search(example.source) for example in dtest.examples
        ):
            item.add_marker(skip)
