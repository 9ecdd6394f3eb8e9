"""Sphinx configuration of the skmlp documentation.

Build it, gallery included, from the repository root with::

    pip install -e ".[docs]"
    sphinx-build -W -b html doc doc/_build/html

The build is offline: nothing is fetched (no intersphinx).  References to
scikit-learn are resolved by :func:`_link_scikit_learn` below, which builds
the address of scikit-learn's page from the name of the object.  The pages
are offline too: MathJax comes from the ``sphinx-mathjax-offline`` package
(the docs extra) and is copied into ``_static/mathjax``, and no page loads a
script or a style sheet from elsewhere (``doc/check_offline.py`` checks the
built pages).
"""

import importlib
import inspect
import warnings

from sklearn.exceptions import ConvergenceWarning
from sphinx_gallery.sorting import ExplicitOrder
from threadpoolctl import threadpool_limits

import skmlp

# -- Project -----------------------------------------------------------------

project = "skmlp"
author = "The skmlp developers"
copyright = "2026, The skmlp developers"
release = version = skmlp.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax 3 from a Python package, copied into the build: the maths
    # renders without the network (Sphinx would load MathJax from a CDN).
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
exclude_patterns = ["_build"]
default_role = "literal"
# Warn about every cross-reference that resolves to nothing (with -W: fail).
nitpicky = True

# API pages: autosummary writes one page per class or function into
# doc/generated/ from the templates doc/_templates/class.rst and
# function.rst.  A class page holds its docstring, a table of its methods
# and each method's documentation, inherited ones included (score,
# get_params, ...).
autosummary_generate = True
autodoc_typehints = "none"
# The class template makes the table of methods; numpydoc's would repeat it.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- HTML --------------------------------------------------------------------

html_theme = "alabaster"
html_theme_options = {
    "description": "Perceptron, Adaline and a backpropagation MLP for scikit-learn",
    "fixed_sidebar": True,
    "page_width": "1100px",
    "sidebar_width": "240px",
}
html_title = f"skmlp {release}"
html_show_sourcelink = False
# doc/_static/skmlp.css: the gallery's printed output wraps at the page width.
html_static_path = ["_static"]
html_css_files = ["skmlp.css"]

# -- The gallery -------------------------------------------------------------


# The examples run in this process.  One that stopped at max_iter would print a
# ConvergenceWarning on its page: fail the build instead.  An example that
# means to run a fixed number of epochs says so with tol=None.
warnings.filterwarnings("error", category=ConvergenceWarning)

# The examples multiply small matrices, for which BLAS threads cost more than
# they save; on a busy two-core machine they made the gallery five times
# slower.  (threadpoolctl comes with scikit-learn.)
threadpool_limits(limits=1, user_api="blas")

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # The comparison of the three models on top, then a section per model in
    # the order of the user guide, then training.
    "subsection_order": ExplicitOrder(
        [
            "../examples/perceptron",
            "../examples/adaline",
            "../examples/mlp",
            "../examples/regression",
            "../examples/training",
        ]
    ),
    "within_subsection_order": "FileNameSortKey",
    # "Examples using X" on the API pages.
    "doc_module": ("skmlp",),
    "backreferences_dir": "generated/backreferences",
    "abort_on_example_error": True,
    "remove_config_comments": True,
    # Show what the examples print, not the repr of a cell's last value
    # (often a fitted estimator's HTML diagram).
    "capture_repr": (),
    "show_memory": False,
    "min_reported_time": 1,
    # No pages of computation times: they load jQuery and DataTables from
    # CDNs, and the reader has no use for them.
    "write_computation_times": False,
}

# -- References to scikit-learn, offline --------------------------------------

SKLEARN_URL = "https://scikit-learn.org/stable/"

#: Labels and glossary terms of scikit-learn's documentation that the
#: docstrings inherited from scikit-learn refer to: ``ClassifierMixin.score``
#: (``:ref:`accuracy <accuracy_score>```), ``get_metadata_routing`` and the
#: ``set_*_request`` methods (``:ref:`User Guide <metadata_routing>```,
#: ``:term:`meta-estimator```).
SKLEARN_LABELS = {
    "accuracy_score": "modules/model_evaluation.html#accuracy-score",
    "metadata_routing": "metadata_routing.html",
}
SKLEARN_TERMS = {"meta-estimator": "glossary.html#term-meta-estimator"}


def _sklearn_page(target):
    """The address of scikit-learn's page for the dotted name ``target``, or None."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        owner = None
        try:
            for name in parts[split:]:
                owner, obj = obj, getattr(obj, name)
        except AttributeError:
            return None
        if inspect.ismodule(obj):
            return f"{SKLEARN_URL}api/{target}.html"
        if inspect.isclass(owner):  # a method or attribute of a class
            page = ".".join(parts[:-1])
            return f"{SKLEARN_URL}modules/generated/{page}.html#{target}"
        return f"{SKLEARN_URL}modules/generated/{target}.html"
    return None


def _link_scikit_learn(app, env, node, contnode):
    """Resolve a reference to scikit-learn that Sphinx could not resolve.

    Python objects under ``sklearn.`` link to their page of scikit-learn's
    stable documentation, and the labels of ``SKLEARN_LABELS`` and the terms
    of ``SKLEARN_TERMS`` to theirs.  Any other unresolved reference is left
    to Sphinx, which warns (for ``:ref:`` and ``:term:``) or, for Python
    objects, renders it as plain code.
    """
    from docutils import nodes

    domain, target = node.get("refdomain"), node.get("reftarget", "")
    url = None
    if domain == "py" and target.startswith("sklearn."):
        url = _sklearn_page(target)
    elif domain == "std" and node.get("reftype") == "ref" and target in SKLEARN_LABELS:
        url = SKLEARN_URL + SKLEARN_LABELS[target]
    elif domain == "std" and node.get("reftype") == "term" and target in SKLEARN_TERMS:
        url = SKLEARN_URL + SKLEARN_TERMS[target]
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    reference += contnode
    return reference


def setup(app):
    app.connect("missing-reference", _link_scikit_learn)
