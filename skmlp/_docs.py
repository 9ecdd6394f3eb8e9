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
    "score_X": (
        "Parameters\n"
        "----------\n"
        "X : {array-like, sparse matrix, Dask array} of shape (n_samples, n_features)\n"
        "    Test samples; Dask input is scored block by block on the cluster."
    ),
    "score_sample_weight": (
        "sample_weight : array-like of shape (n_samples,), default=None\n"
        "    Sample weights.\n"
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
        "    ``validation_fraction`` of the training data, stratified for a\n"
        "    classifier), stop when\n"
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
    "partial_fit_rest": (
        "sample_weight : array-like of shape (n_samples,), default=None\n"
        "    Non-negative weights of the samples.\n"
        "X_val, y_val, sample_weight_val : default=None\n"
        "    Validation data, as for ``fit``.  With ``early_stopping``, the\n"
        "    calls count as epochs for the stopping rule; once it fires, the\n"
        "    best weights seen are restored and further calls train no more\n"
        "    (until ``fit``).\n"
        "\n"
        "Returns\n"
        "-------\n"
        "self : object\n"
        "    The updated estimator."
    ),
    "random_state": (
        "random_state : int, RandomState instance or None, default=None\n"
        "    Seeds the shuffling and the early-stopping split."
    ),
    "scoring": (
        "scoring : str, callable or None, default=None\n"
        "    What ``validation_scores_`` records and early stopping monitors:\n"
        "    None for the estimator's ``score`` (accuracy for a classifier, R^2\n"
        '    for a regressor), ``"loss"`` for ``J`` on the validation data (the\n'
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

# The multi-layer networks' entries, in the order their docstrings list them.
SHARED.update(
    {
        "mlp_layers": """\
hidden_layer_sizes : array-like of shape (n_layers - 2,) or int, default=(100,)
    The number of units of each hidden layer.
activation : {"logistic", "tanh", "relu", "leaky_relu", "elu", "softplus", \
        "identity"}, default="logistic"
    The hidden layers' activation: ``leaky_relu`` has slope 0.01 below
    zero, ``elu`` is ``exp(z) - 1`` there, ``softplus`` is
    ``log(1 + exp(z))``.""",
        "mlp_solver": """\
solver : {"adam", "sgd", "lbfgs"}, default="adam"
    The optimizer: Adam, stochastic gradient descent (with momentum), or
    L-BFGS-B on the whole training set (SciPy).
alpha : float, default=1e-4
    L2 penalty: the ``lambda`` of the textbook cost summed over the
    samples, ``sum_i ell_i + lambda / 2 sum_l ||W[l]||^2`` (see the Notes).
    Its meaning does not depend on ``batch_size``.  It is scikit-learn's
    ``MLPClassifier`` (``MLPRegressor``) ``alpha`` for full-batch training
    only (``solver="lbfgs"``, or ``batch_size`` of at least ``n_samples``):
    on mini-batches, scikit-learn's ``"sgd"`` and ``"adam"`` add
    ``alpha * W / batch_size`` to each step, a penalty
    ``n_samples / batch_size`` times stronger than this one.  The same
    penalty then takes ``alpha = sklearn_alpha * n_samples / batch_size``
    here (unit sample weights).""",
        "mlp_training": """\
batch_size : int, "auto" or None, default="auto"
    Samples per update; ``"auto"`` is ``min(200, n_samples)``, None the
    whole training set.  Ignored by ``"lbfgs"``.
learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
    The schedule of the ``"sgd"`` solver: ``"invscaling"`` sets
    ``eta = learning_rate_init / (t + 1) ** power_t`` after each epoch;
    ``"adaptive"`` divides ``eta`` by 5 each time training stops
    improving and stops below ``1e-6``.
learning_rate_init : float, default=0.001
    The initial step size of ``"sgd"`` and ``"adam"``.
%(power_t)s
max_iter : int, default=200
    The maximum number of epochs (iterations for ``"lbfgs"``).
%(shuffle)s
random_state : int, RandomState instance or None, default=None
    Seeds the initial weights, the shuffling and the early-stopping split.
tol : float or None, default=1e-4
    Training stops when the loss (or validation score) has not improved
    by at least ``tol`` for ``n_iter_no_change`` consecutive epochs;
    None disables the rule.  For ``"lbfgs"``, the gradient tolerance.
%(verbose)s
warm_start : bool, default=False
    Continue from the previous fit's weights.  The fitted network's
    ``hidden_layer_sizes`` and ``activation`` (and a classifier's
    ``output_activation``) must not have changed since (a ``ValueError``
    says so); prediction always uses the fitted network, whatever the
    parameters say now.
momentum : float, default=0.9
    Momentum of the ``"sgd"`` solver.
nesterovs_momentum : bool, default=True
    Use Nesterov's momentum with ``"sgd"``.
%(early_stopping)s
%(validation_fraction)s
%(scoring)s
beta_1 : float, default=0.9
    Decay rate of Adam's first moment estimate (the mean of the gradients).
beta_2 : float, default=0.999
    Decay rate of Adam's second moment estimate (the mean of their squares).
epsilon : float, default=1e-8
    Adam's numerical stabiliser.
n_iter_no_change : int, default=10
    Training stops after more than this many consecutive epochs without
    improvement (as ``MLPClassifier`` and ``MLPRegressor``; the linear
    models stop after exactly this many, as their scikit-learn
    counterparts).
max_fun : int, default=15000
    The maximum number of evaluations of ``J`` by ``"lbfgs"``.
dropout : float or array-like of shape (n_layers - 2,), default=0.0
    The probability of dropping each hidden unit during training, for
    all hidden layers or one per hidden layer (inverted dropout: kept
    units are scaled by ``1 / (1 - p)``, so prediction uses the whole
    network).  Drawn from ``random_state``.  The training loss in
    ``loss_curve_`` is then that of the thinned networks.  Not used by
    ``"lbfgs"``, whose objective must be deterministic.""",
        "mlp_fitted": """\
coefs_ : list of ndarray of shape (fan_in, fan_out)
    The weights of each layer.
intercepts_ : list of ndarray of shape (fan_out,)
    The biases of each layer.
%(n_features_in)s
%(feature_names_in)s
n_layers_ : int
    Layers, the input and output layers included.
n_outputs_ : int
    Output units.
out_activation_ : str
    The output activation.
n_iter_ : int
    Epochs (or L-BFGS iterations) run by the last call: at most
    ``max_iter`` for ``fit``, 1 for ``partial_fit``, as in scikit-learn.
%(t)s
loss_ : float
    The last value of ``loss_curve_``.
loss_curve_ : list of float
    ``J`` for each epoch: the weighted mean of the mini-batch losses as
    they were visited plus the penalty at the epoch's end (``J`` after
    each iteration for ``"lbfgs"``).
best_loss_ : float or None
    The lowest ``loss_curve_`` value (None under early stopping).""",
    }
)

# Adaline's entries, shared by its classifier and regressor.
SHARED.update(
    {
        "adaline_training": """\
eta0 : float or "auto", default="auto"
    The learning rate.  ``"auto"`` takes ``1 / L``, with ``L`` a bound on
    the curvature of ``J`` on the training data (the largest eigenvalue of
    the weighted Gram matrix of ``[X, 1]`` for batch descent, the largest
    weighted squared norm of a row of ``[X, 1]`` for smaller batches), so
    that descent does not diverge whatever the scale of the features
    (badly scaled features still make it slow: standardize them).  It is
    computed overflow-safely in ``X``'s dtype; features too large for
    that dtype to train on at all (beyond about ``1e150`` in float64)
    raise a ``ValueError`` that says to standardize them.
learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
    The schedule: ``"invscaling"`` sets ``eta = eta0 / (t + 1) ** power_t``
    after each epoch (``t`` samples seen); ``"adaptive"`` divides it by 5
    each time the loss stops improving and stops below ``1e-6``.
%(power_t)s
%(max_iter)s
tol : float or None, default=1e-4
    Training stops when the loss has not improved by at least ``tol``
    for ``n_iter_no_change`` consecutive epochs; None disables the rule.
%(n_iter_no_change)s
shuffle : bool, default=True
    Visit the samples in a new random order each epoch (mini-batch and
    stochastic descent only).
%(linear_training)s
batch_size : int or None, default=None
    Samples per update: None is batch gradient descent (one update per
    epoch), 1 stochastic gradient descent, anything between mini-batch
    descent.""",
        "adaline_fitted": """\
eta_ : float
    The learning rate used: ``eta0``, or the value ``"auto"`` chose.
loss_curve_ : list of float
    ``J`` for each epoch (exact for batch descent; the mean over the
    mini-batches as they were visited otherwise).""",
    }
)

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
        # Entries may name shared entries themselves.
        text = _PLACEHOLDER.sub(fill, SHARED[name])
        return "\n".join(indent + line if line else line for line in text.splitlines())

    obj.__doc__ = _PLACEHOLDER.sub(fill, obj.__doc__)
    return obj
