"""The multi-layer perceptron trained by backpropagation."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from . import _dask
from ._base import BaseNetworkClassifier, IntInterval, Rates, _array_namespace
from ._core import HIDDEN_ACTIVATIONS, LEARNING_RATES, Network, make_optimizer, predict_output


def _log_softmax(Z, xp=np):
    Z = Z - xp.max(Z, axis=1, keepdims=True)
    Z -= xp.log(xp.sum(xp.exp(Z), axis=1, keepdims=True))
    return Z


def _log_logistic(Z, xp=np):
    """``log(1 / (1 + exp(-Z)))``, finite wherever ``Z`` is."""
    return -xp.logaddexp(xp.zeros_like(Z), -Z)


def _is_stochastic(estimator):
    if estimator.solver == "lbfgs":
        raise AttributeError(
            f"partial_fit is only available for stochastic solvers, not {estimator.solver!r}."
        )
    return True


class MLPBackpropClassifier(BaseNetworkClassifier):
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
        class trained on the categorical cross-entropy.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        The optimizer: Adam, stochastic gradient descent (with momentum), or
        L-BFGS-B on the whole training set (SciPy).
    alpha : float, default=1e-4
        L2 penalty: the ``lambda`` of the textbook cost summed over the
        samples, ``sum_i ell_i + lambda / 2 sum_l ||W[l]||^2`` (see the Notes).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights.
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
    power_t : float, default=0.5
        The exponent of ``"invscaling"``.
    max_iter : int, default=200
        The maximum number of epochs (iterations for ``"lbfgs"``).
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling and the early-stopping split.
    tol : float or None, default=1e-4
        Training stops when the loss (or validation score) has not improved
        by at least ``tol`` for ``n_iter_no_change`` consecutive epochs;
        None disables the rule.  For ``"lbfgs"``, the gradient tolerance.
    verbose : bool, default=False
        Print the loss after each epoch.
    warm_start : bool, default=False
        Continue from the previous fit's weights.  The fitted network's
        ``hidden_layer_sizes``, ``activation`` and ``output_activation`` must
        not have changed since (a ``ValueError`` says so); prediction always
        uses the fitted network, whatever the parameters say now.
    momentum : float, default=0.9
        Momentum of the ``"sgd"`` solver.
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``"sgd"``.
    early_stopping : bool, default=False
        Monitor the validation data (``X_val`` given to ``fit``, or else a
        stratified ``validation_fraction`` of the training data), stop when
        its ``scoring`` has not improved by ``tol`` for ``n_iter_no_change``
        epochs, and keep the weights of the best epoch.
    validation_fraction : float, default=0.1
        The share of the training data held out for early stopping.
    scoring : str, callable or None, default=None
        What ``validation_scores_`` records and early stopping monitors:
        None for accuracy, ``"loss"`` for ``J`` on the validation data (the
        scores are then ``-J``), or any scikit-learn scorer name or callable.
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
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    coefs_ : list of ndarray of shape (fan_in, fan_out)
        The weights of each layer.
    intercepts_ : list of ndarray of shape (fan_out,)
        The biases of each layer.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the features seen during fit, when they are all strings.
    n_layers_ : int
        Layers, the input and output layers included.
    n_outputs_ : int
        Output units.
    out_activation_ : str
        The output activation.
    n_iter_ : int
        Epochs (or L-BFGS iterations) run by the last call: at most
        ``max_iter`` for ``fit``, 1 for ``partial_fit``, as in scikit-learn.
    t_ : int
        Training samples seen, over all calls (``loss_curve_`` too).
    loss_ : float
        The last value of ``loss_curve_``.
    loss_curve_ : list of float
        ``J`` for each epoch: the weighted mean of the mini-batch losses as
        they were visited plus the penalty at the epoch's end (``J`` after
        each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        The lowest ``loss_curve_`` value (None under early stopping).
    validation_loss_curve_ : list of float or None
        ``J`` on the validation data after each epoch (with the validation
        weights' total in place of ``S``), when there is validation data.
    validation_scores_ : list of float or None
        The ``scoring`` value on the validation data after each epoch.
    best_validation_score_ : float or None
        The best of ``validation_scores_``.

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

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmlp import MLPBackpropClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(
    ...     StandardScaler(),
    ...     MLPBackpropClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0),
    ... ).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    >>> round(clf.score(X, y), 2) > 0.9
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

    _neg_label = 0
    _multilabel = True
    _learning_rate_param = "learning_rate_init"

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
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.solver = solver
        self.alpha = alpha
        self.class_weight = class_weight
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.scoring = scoring
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.dropout = dropout

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if np.ndim(sizes) == 0 else list(sizes)
        if any(not isinstance(k, Integral) or isinstance(k, bool) or k < 1 for k in sizes):
            raise ValueError(
                f"hidden_layer_sizes must hold positive integers, got {self.hidden_layer_sizes!r}."
            )
        return [int(k) for k in sizes]

    def _layer_sizes(self, n_features, n_outputs):
        return [n_features, *self._hidden_sizes(), n_outputs]

    def _activations(self, multilabel):
        if multilabel and self.output_activation == "softmax":
            raise ValueError(
                "output_activation='softmax' needs single-label targets; use 'logistic' "
                "for a multilabel y."
            )
        return self.activation, self.output_activation

    def _initializer(self):
        return "glorot"

    def _targets(self, lb, y, output_activation):
        T = lb.transform(y)
        if output_activation == "softmax" and T.shape[1] == 1:
            T = np.hstack([1 - T, T])
        return T

    def _make_optimizer(self, params, X, sample_weight, batch_size, xp):
        if self.solver == "adam":
            return make_optimizer(
                "adam",
                params,
                xp=xp,
                learning_rate_init=self.learning_rate_init,
                beta_1=self.beta_1,
                beta_2=self.beta_2,
                epsilon=self.epsilon,
            )
        return make_optimizer(
            "sgd",
            params,
            xp=xp,
            learning_rate_init=self.learning_rate_init,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            nesterov=self.nesterovs_momentum,
            power_t=self.power_t,
        )

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return self.batch_size

    def _uses_lbfgs(self):
        return self.solver == "lbfgs"

    def _patience(self):
        # MLPClassifier stops after more than n_iter_no_change such epochs.
        return self.n_iter_no_change + 1

    def _dropout_rates(self):
        n_hidden = len(self._hidden_sizes())
        rates = np.asarray(self.dropout, dtype=float)
        if rates.ndim == 0:
            rates = np.full(n_hidden, rates)
        if rates.shape != (n_hidden,):
            raise ValueError(
                f"dropout must be a rate in [0, 1) or one per hidden layer ({n_hidden}), "
                f"got {self.dropout!r}."
            )
        return [float(p) for p in rates]

    def hidden_activations(self, X, layer=-1):
        """The activations of a hidden layer, for plots and inspection.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        layer : int, default=-1
            Which hidden layer, counting from 0 (negative values count from
            the last hidden layer).

        Returns
        -------
        activations : ndarray of shape (n_samples, hidden_layer_sizes[layer])
            ``A[l] = phi(A[l-1] W[l] + b[l])`` for that layer.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skmlp import MLPBackpropClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(5, 2), solver="lbfgs",
        ...                             random_state=0).fit(X, y)
        >>> clf.hidden_activations(X[:3]).shape
        (3, 2)
        """
        check_is_fitted(self)
        n_hidden = len(self.coefs_) - 1
        if not -n_hidden <= layer < n_hidden:
            raise IndexError(f"layer={layer} is out of range for {n_hidden} hidden layer(s).")
        layer %= n_hidden
        if _dask.is_dask_collection(X):
            width = self.coefs_[layer].shape[1]
            return _dask.predict(self, "hidden_activations", X, width=width, layer=layer)
        X = self._prediction_input(X, "hidden_activations")
        net = self._network()
        hidden = Network(
            net.coefs[: layer + 1],
            net.intercepts[: layer + 1],
            net.activation,
            net.activation,
            net.xp,
        )
        return predict_output(hidden, X)[0]

    def _network(self):
        # What was fitted, not the parameters, which may have changed since.
        return Network(
            self.coefs_,
            self.intercepts_,
            self._fitted_activation,
            self.out_activation_,
            self._fitted_namespace(),
        )

    def _network_arrays(self):
        return self.coefs_

    def _network_attributes(self, net):
        return {
            "coefs_": net.coefs,
            "intercepts_": net.intercepts,
            "n_layers_": len(net.coefs) + 1,
            "n_outputs_": net.coefs[-1].shape[1],
            "out_activation_": net.output_activation,
            "_fitted_activation": net.activation,
        }

    def _log_proba(self, A, Z, multilabel):
        # From Z, not from the output activations, which round to 0 or 1.
        xp = _array_namespace(Z)
        if self.out_activation_ == "softmax":
            return _log_softmax(Z, xp)
        log_a = _log_logistic(Z, xp)
        if multilabel:
            return log_a
        if Z.shape[1] == 1:
            return xp.stack([_log_logistic(-Z[:, 0], xp), log_a[:, 0]], axis=1)
        # Normalised logistic units, sigma(z_j) / sum_k sigma(z_k): a softmax
        # of log sigma(z), so that saturated units neither vanish nor tie.
        return _log_softmax(log_a, xp)

    def _proba(self, A, Z, multilabel):
        return _array_namespace(Z).exp(self._log_proba(A, Z, multilabel))

    @available_if(_is_stochastic)
    def partial_fit(
        self,
        X,
        y,
        classes=None,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        return super().partial_fit(
            X,
            y,
            classes=classes,
            sample_weight=sample_weight,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=sample_weight_val,
        )

    partial_fit.__doc__ = BaseNetworkClassifier.partial_fit.__doc__
