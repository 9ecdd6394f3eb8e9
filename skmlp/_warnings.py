"""Warnings that point at the user's line, not at skmlp's internals.

``fit`` and ``partial_fit`` reach the code that warns through wrappers of
varying depth (scikit-learn's ``_fit_context`` and callback decorators,
skmlp's own helpers) and, inside a ``Pipeline``, ``GridSearchCV`` or
``cross_validate``, through scikit-learn's and joblib's machinery, so no fixed
``stacklevel`` is right.  :func:`warn` attributes the warning to the first
frame outside skmlp, scikit-learn and joblib: the user's ``fit`` line, or the
``search.fit`` line that started a grid search.
"""

import os
import sys
import warnings

import joblib
import sklearn

#: Frames in files under these directories are skipped when attributing a
#: warning.  Each ends with a separator, so that ``skmlp_extra/`` does not
#: match; the paths are spelled as the modules' ``__file__``, as the code
#: objects' ``co_filename`` are.
_SKIPPED_DIRS = tuple(
    os.path.dirname(path) + os.sep for path in (__file__, sklearn.__file__, joblib.__file__)
)

#: ``warnings.warn(skip_file_prefixes=...)`` is new in Python 3.12.
_HAVE_SKIP_FILE_PREFIXES = sys.version_info >= (3, 12)


def _stacklevel(skipped=_SKIPPED_DIRS):
    """The ``stacklevel`` of the first frame outside ``skipped``, for a
    ``warnings.warn`` in the function that calls this one (``warn``)."""
    # sys._getframe(2) is warn's caller: stacklevel 2 for a warnings.warn in warn.
    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(skipped):
        frame = frame.f_back
        level += 1
    return level


def warn(message, category=UserWarning):
    """``warnings.warn(message, category)``, attributed to the first frame
    outside skmlp, scikit-learn and joblib."""
    if _HAVE_SKIP_FILE_PREFIXES:
        warnings.warn(message, category, skip_file_prefixes=_SKIPPED_DIRS)
    else:
        warnings.warn(message, category, stacklevel=_stacklevel())
