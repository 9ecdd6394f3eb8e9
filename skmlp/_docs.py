"""Docstring entries the estimators share, written once.

A class docstring names a shared entry by a line holding only
``%(name)s``; ``shared_docs`` replaces it with the entry, indented as that
line is.  The rendered docstrings (``help``, the API pages, numpydoc) are
the complete ones.
"""

import re

#: The shared entries, by name, indented as numpydoc entries are at column 0.
SHARED = {
    "predict_X": (
        "Parameters\n"
        "----------\n"
        "X : {array-like, sparse matrix} of shape (n_samples, n_features)\n"
        "    Input data.\n"
        "\n"
        "Returns\n"
        "-------"
    ),
    "best_validation_score": (
        "best_validation_score_ : float or None\n    The best of ``validation_scores_``."
    ),
    "class_weight": (
        'class_weight : dict, "balanced" or None, default=None\n'
        "    Weights of the classes, multiplied into the sample weights."
    ),
    "classes": ("classes_ : ndarray of shape (n_classes,)\n    The class labels."),
    "coef": (
        "coef_ : ndarray of shape (n_units, n_features)\n"
        "    The weights: one unit for two classes, one per class otherwise."
    ),
    "early_stopping": (
        "early_stopping : bool, default=False\n"
        "    Monitor the validation data (``X_val`` given to ``fit``, or else a\n"
        "    stratified ``validation_fraction`` of the training data), stop when\n"
        "    its ``scoring`` has not improved by ``tol`` for ``n_iter_no_change``\n"
        "    epochs, and keep the weights of the best epoch."
    ),
    "feature_names_in": (
        "feature_names_in_ : ndarray of shape (``n_features_in_``,)\n"
        "    Names of the features seen during fit, when they are all strings."
    ),
    "intercept": ("intercept_ : ndarray of shape (n_units,)\n    The biases."),
    "linear_proba": (
        "``predict`` is the unit step's decision (``classes_[1]`` where\n"
        "``z >= 0`` for two classes, the largest ``z`` otherwise) at any scale of\n"
        "``z``.  ``predict_proba`` is an uncalibrated, monotone map of\n"
        "``decision_function`` whose argmax is exactly ``predict``: ``[1 - g, g]``\n"
        "with ``g = (1 + z / (1 + |z|)) / 2`` for two classes; for several,\n"
        "``p_k = (1 + u_k) / sum_j (1 + u_j)`` with ``u = z / max_j |z_j|``, so\n"
        "that no scale of ``z`` saturates it into ties.  It is not a probability,\n"
        "yet scikit-learn's tools that take ``predict_proba`` first when it exists\n"
        'use it: ``StackingClassifier`` (``stack_method="auto"``),\n'
        '``TunedThresholdClassifierCV`` (``response_method="auto"``),\n'
        "``SelfTrainingClassifier`` and the log-loss and Brier scorers.  Wrap the\n"
        "model in ``CalibratedClassifierCV`` for calibrated probabilities\n"
        "(scikit-learn's linear counterpart has no ``predict_proba``), or pass\n"
        '``stack_method="decision_function"`` or\n'
        '``response_method="decision_function"`` where a ranking is enough.'
    ),
    "max_iter": ("max_iter : int, default=1000\n    The maximum number of epochs."),
    "n_features_in": ("n_features_in_ : int\n    Number of features seen during fit."),
    "n_iter": (
        "n_iter_ : int\n"
        "    Epochs run by the last call: at most ``max_iter`` for ``fit`` (so\n"
        "    ``n_iter_ == max_iter`` means training did not converge), 1 for\n"
        "    ``partial_fit``, as in scikit-learn."
    ),
    "n_iter_no_change": (
        "n_iter_no_change : int, default=5\n"
        "    Training stops after this many consecutive epochs without\n"
        "    improvement (as scikit-learn's ``Perceptron`` and ``SGDClassifier``)."
    ),
    "power_t": ('power_t : float, default=0.5\n    The exponent of ``"invscaling"``.'),
    "random_state": (
        "random_state : int, RandomState instance or None, default=None\n"
        "    Seeds the shuffling and the early-stopping split."
    ),
    "scoring": (
        "scoring : str, callable or None, default=None\n"
        "    What ``validation_scores_`` records and early stopping monitors:\n"
        '    None for accuracy, ``"loss"`` for ``J`` on the validation data (the\n'
        "    scores are then ``-J``), or any scikit-learn scorer name or callable."
    ),
    "shuffle": (
        "shuffle : bool, default=True\n    Visit the samples in a new random order each epoch."
    ),
    "t": ("t_ : int\n    Training samples seen, over all calls (``loss_curve_`` too)."),
    "validation_fraction": (
        "validation_fraction : float, default=0.1\n"
        "    The share of the training data held out for early stopping."
    ),
    "validation_loss_curve": (
        "validation_loss_curve_ : list of float or None\n"
        "    ``J`` on the validation data after each epoch (with the validation\n"
        "    weights' total in place of ``S``), when there is validation data."
    ),
    "validation_scores": (
        "validation_scores_ : list of float or None\n"
        "    The ``scoring`` value on the validation data after each epoch."
    ),
    "verbose": ("verbose : bool, default=False\n    Print the loss after each epoch."),
    "warm_start": (
        "warm_start : bool, default=False\n"
        "    Continue from the previous fit's weights instead of starting from zero."
    ),
}

# Runs of entries that several docstrings share in the same order.
for _group, _names in {
    "linear_training": [
        "random_state",
        "early_stopping",
        "validation_fraction",
        "scoring",
        "warm_start",
        "verbose",
    ],
    "linear_fitted": [
        "classes",
        "coef",
        "intercept",
        "n_features_in",
        "feature_names_in",
        "n_iter",
        "t",
    ],
    "validation_attributes": [
        "validation_loss_curve",
        "validation_scores",
        "best_validation_score",
    ],
}.items():
    SHARED[_group] = "\n".join(SHARED[name] for name in _names)

_PLACEHOLDER = re.compile(r"^( *)%\((\w+)\)s$", re.MULTILINE)


def shared_docs(obj):
    """Decorator of a class or function: fill the ``%(name)s`` lines of its docstring."""

    def fill(match):
        indent, name = match.groups()
        return "\n".join(indent + line if line else line for line in SHARED[name].splitlines())

    obj.__doc__ = _PLACEHOLDER.sub(fill, obj.__doc__)
    return obj
