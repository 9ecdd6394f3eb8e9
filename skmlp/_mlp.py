"""The multi-layer perceptron trained by backpropagation."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from ._base import BaseNetworkClassifier
from ._core import HIDDEN_ACTIVATIONS, LEARNING_RATES
from ._docs import shared_docs
from ._mlp_base import BaseMLPClassifier
from ._validation import IntInterval, Rates


def _is_stochastic(estimator):
    if estimator.solver == "lbfgs":
        raise AttributeError(
            f"partial_fit is only available for stochastic solvers, not {estimator.solver!r}."
        )
    return True


@shared_docs
class MLPBackpropClassifier(BaseMLPClassifier):
    """A multi-layer sigmoid network trained by backpropagation.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,) or int, default=(100,)
        The number of units of each hidden layer.
    activation : {"logistic", "tanh", "relu", "leaky_relu", "elu", "softplus", \
            "identity"}, default="logistic"
        The hidden layers' activation: ``leaky_relu`` has slope 0.01 below
        zero, ``elu`` is ``exp(z) - 1`` there, ``softplus`` is
        ``log(1 + exp(z))``.
    output_activation : {"logistic", "softmax"}, default="logistic"
        ``"logistic"``: one logistic unit per class (one for two classes)
        trained on the binary cross-entropy summed over the units, normalised
        over the classes by ``predict_proba``.  ``"softmax"``: one unit per
        class trained on the categorical cross-entropy, whose multiclass
        probabilities are the better calibrated (see the Notes).
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        The optimizer: Adam, stochastic gradient descent (with momentum), or
        L-BFGS-B on the whole training set (SciPy).
    alpha : float, default=1e-4
        L2 penalty: the ``lambda`` of the textbook cost summed over the
        samples, ``sum_i ell_i + lambda / 2 sum_l ||W[l]||^2`` (see the Notes).
        Its meaning does not depend on ``batch_size``.  It is scikit-learn's
        ``MLPClassifier`` ``alpha`` for full-batch training only
        (``solver="lbfgs"``, or ``batch_size`` of at least ``n_samples``):
        on mini-batches, ``MLPClassifier``'s ``"sgd"`` and ``"adam"`` add
        ``alpha * W / batch_size`` to each step, a penalty
        ``n_samples / batch_size`` times stronger than this one.  The same
        penalty then takes ``alpha = sklearn_alpha * n_samples / batch_size``
        here (unit sample weights).
    %(class_weight)s
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
        ``hidden_layer_sizes``, ``activation`` and ``output_activation`` must
        not have changed since (a ``ValueError`` says so); prediction always
        uses the fitted network, whatever the parameters say now.
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
        improvement (as ``MLPClassifier``; the linear models stop after
        exactly this many, as their scikit-learn counterparts).
    max_fun : int, default=15000
        The maximum number of evaluations of ``J`` by ``"lbfgs"``.
    dropout : float or array-like of shape (n_layers - 2,), default=0.0
        The probability of dropping each hidden unit during training, for
        all hidden layers or one per hidden layer (inverted dropout: kept
        units are scaled by ``1 / (1 - p)``, so prediction uses the whole
        network).  Drawn from ``random_state``.  The training loss in
        ``loss_curve_`` is then that of the thinned networks.  Not used by
        ``"lbfgs"``, whose objective must be deterministic.

    Attributes
    ----------
    %(classes)s
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
        The lowest ``loss_curve_`` value (None under early stopping).
    %(validation_attributes)s

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's network; with
        ``activation="logistic"`` it has this one's architecture with
        ``output_activation="softmax"``, but divides its penalty by the
        batch's size instead of the training set's, so that its ``alpha``
        means more for smaller batches.

    Notes
    -----
    For a batch ``A[0] = X``, layer ``l`` computes ``Z[l] = A[l-1] W[l] + b[l]``
    and ``A[l] = phi(Z[l])``.  Targets are coded ``t in {0, 1}`` (one unit
    for two classes, one-hot for several, the indicator matrix for
    multilabel ``y``), and with sample weights ``s_i`` summing to ``S`` the
    objective is::

        J = -(1/S) sum_i s_i sum_j [t_ij log a_ij + (1 - t_ij) log(1 - a_ij)]
            + alpha/(2S) sum_l ||W[l]||_F^2

    Backpropagation gives the output delta ``D[L] = A[L] - T``, then
    ``D[l] = (D[l+1] W[l+1]^T) * phi'(A[l])`` going down, and::

        dJ/dW[l] = A[l-1]^T (s * D[l]) / S + (alpha/S) W[l]
        dJ/db[l] = sum_i s_i D[l]_i / S

    A mini-batch uses its expected weight in place of ``S`` in the data
    terms (an unbiased estimate of the gradient); the penalty keeps
    ``alpha / S``, so ``alpha`` means the same for every ``batch_size``.

    With more than two classes, the default logistic output units are each
    trained as a separate yes-or-no problem, and ``predict_proba`` only
    normalises them over the classes: these probabilities are less well
    calibrated than a softmax output's (on the standardised digits data,
    with the other parameters at their defaults, a 5-fold cross-validated
    log-loss of 0.153 against 0.102).  Use
    ``output_activation="softmax"`` when the probabilities matter, or
    calibrate the model with ``CalibratedClassifierCV``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmlp import MLPBackpropClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = (X - X.mean(axis=0)) / X.std(axis=0)
    >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0)
    >>> clf = clf.fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    >>> bool(clf.score(X, y) > 0.9)
    True

    Dropout, another activation and a table of the training, one row per
    epoch:

    >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(20,), activation="elu", dropout=0.2,
    ...                             max_iter=2, tol=None, verbose=True, random_state=0)
    >>> clf = clf.fit(X, y)  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
     epoch    train loss   seconds
         1      ...
         2      ...
    """

    _parameter_constraints: dict = {
        **BaseNetworkClassifier._parameter_constraints,
        "hidden_layer_sizes": ["array-like", IntInterval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
        "output_activation": [StrOptions({"logistic", "softmax"})],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "batch_size": [
            StrOptions({"auto"}),
            IntInterval(Integral, 1, None, closed="left"),
            None,
        ],
        "learning_rate": [StrOptions(set(LEARNING_RATES))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "max_fun": [IntInterval(Integral, 1, None, closed="left")],
        "dropout": [Rates()],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="logistic",
        output_activation="logistic",
        solver="adam",
        alpha=1e-4,
        class_weight=None,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        scoring=None,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dropout=0.0,
    ):
        self._store_params(locals())

    # scikit-learn's MLPClassifier has no partial_fit with solver="lbfgs".
    partial_fit = available_if(_is_stochastic)(BaseNetworkClassifier.partial_fit)
