"""Sphinx configuration: ``pip install -e ".[docs]"`` then ``sphinx-build doc doc/_build``."""

import skmlp

project = "skmlp"
author = "The skmlp developers"
release = version = skmlp.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
numpydoc_show_class_members = False
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
}
exclude_patterns = ["_build"]
html_theme = "alabaster"
