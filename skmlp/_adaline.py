"""Widrow and Hoff's adaptive linear neuron."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseLinearClassifier, _numpy_dtype
from ._core import LEARNING_RATES, make_optimizer, squared_error_step_size


class AdalineClassifier(BaseLinearClassifier):
    """Adaline: a linear unit per class trained on the squared error.

    Parameters
    ----------
    alpha : float, default=1e-4
        L2 penalty: the ``lambda`` of the textbook cost summed over the
        samples, ``sum_i ell_i + lambda / 2 ||w||^2`` (see the Notes).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights.
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
    power_t : float, default=0.5
        The exponent of ``"invscaling"``.
    max_iter : int, default=1000
        The maximum number of epochs.
    tol : float or None, default=1e-4
        Training stops when the loss has not improved by at least ``tol``
        for ``n_iter_no_change`` consecutive epochs; None disables the rule.
    n_iter_no_change : int, default=5
        Training stops after this many consecutive epochs without
        improvement (as scikit-learn's ``Perceptron`` and ``SGDClassifier``).
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch (mini-batch and
        stochastic descent only).
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling and the early-stopping split.
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
    warm_start : bool, default=False
        Continue from the previous fit's weights instead of starting from zero.
    verbose : bool, default=False
        Print the loss after each epoch.
    batch_size : int or None, default=None
        Samples per update: None is batch gradient descent (one update per
        epoch), 1 stochastic gradient descent, anything between mini-batch
        descent.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    coef_ : ndarray of shape (n_units, n_features)
        The weights: one unit for two classes, one per class otherwise.
    intercept_ : ndarray of shape (n_units,)
        The biases.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the features seen during fit, when they are all strings.
    n_iter_ : int
        Epochs run by the last call: at most ``max_iter`` for ``fit`` (so
        ``n_iter_ == max_iter`` means training did not converge), 1 for
        ``partial_fit``, as in scikit-learn.
    t_ : int
        Training samples seen, over all calls (``loss_curve_`` too).
    eta_ : float
        The learning rate used: ``eta0``, or the value ``"auto"`` chose.
    loss_curve_ : list of float
        ``J`` for each epoch (exact for batch descent; the mean over the
        mini-batches as they were visited otherwise).
    validation_loss_curve_ : list of float or None
        ``J`` on the validation data after each epoch (with the validation
        weights' total in place of ``S``), when there is validation data.
    validation_scores_ : list of float or None
        The ``scoring`` value on the validation data after each epoch.
    best_validation_score_ : float or None
        The best of ``validation_scores_``.

    See Also
    --------
    PerceptronClassifier : The same single layer with a unit step.
    sklearn.linear_model.RidgeClassifier : The minimiser of the same objective,
        solved in closed form.

    Notes
    -----
    Targets are coded ``t in {-1, +1}`` per unit (one-vs-rest for several
    classes), the activation is the identity, and with sample weights ``s_i``
    summing to ``S`` the objective is::

        J(w, b) = 1/(2S) sum_i s_i (t_i - x_i . w - b)^2 + alpha/(2S) ||w||^2

    whose minimiser is ridge regression's on the coded targets.  Each
    update is ``w <- w - eta0 dJ/dw`` with::

        dJ/dw = -(1/S) sum_i s_i (t_i - z_i) x_i + (alpha/S) w

    over the whole training set by default, over one sample or a
    mini-batch (its expected weight in place of ``S`` in the first term)
    with ``batch_size``.  Weights start at zero.

    ``predict`` is the unit step's decision (``classes_[1]`` where
    ``z >= 0`` for two classes, the largest ``z`` otherwise) at any scale of
    ``z``.  ``predict_proba`` is an uncalibrated, monotone map of
    ``decision_function`` whose argmax is exactly ``predict``: ``[1 - g, g]``
    with ``g = (1 + z / (1 + |z|)) / 2`` for two classes; for several,
    ``p_k = (1 + u_k) / sum_j (1 + u_j)`` with ``u = z / max_j |z_j|``, so
    that no scale of ``z`` saturates it into ties.  Wrap the model in
    ``CalibratedClassifierCV`` for calibrated probabilities (scikit-learn's
    linear counterpart has no ``predict_proba``).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmlp import AdalineClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), AdalineClassifier()).fit(X, y)
    >>> round(clf.score(X, y), 2) > 0.8
    True
    """

    _parameter_constraints: dict = {
        **BaseLinearClassifier._parameter_constraints,
        "eta0": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "learning_rate": [StrOptions(set(LEARNING_RATES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
    }

    _output_activation = "identity"

    def __init__(
        self,
        *,
        alpha=1e-4,
        class_weight=None,
        eta0="auto",
        learning_rate="constant",
        power_t=0.5,
        max_iter=1000,
        tol=1e-4,
        n_iter_no_change=5,
        shuffle=True,
        random_state=None,
        early_stopping=False,
        scoring=None,
        validation_fraction=0.1,
        warm_start=False,
        verbose=False,
        batch_size=None,
    ):
        self.alpha = alpha
        self.class_weight = class_weight
        self.eta0 = eta0
        self.learning_rate = learning_rate
        self.power_t = power_t
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.scoring = scoring
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        self.verbose = verbose
        self.batch_size = batch_size

    def _make_optimizer(self, params, X, sample_weight, batch_size, xp):
        eta = self.eta0
        if eta == "auto":
            full_batch = batch_size is None or batch_size >= X.shape[0]
            eta = squared_error_step_size(X, sample_weight, self.alpha, full_batch, xp=xp)
            dtype = _numpy_dtype(X)
            if not (np.isfinite(eta) and eta >= np.finfo(dtype).tiny):
                raise ValueError(
                    f"{type(self).__name__}: the features' scale is beyond what "
                    f"{dtype} arithmetic can train on (eta0='auto' would be {eta:.3g}); "
                    "standardize the features, for instance with StandardScaler."
                )
        self.eta_ = eta
        return make_optimizer(
            "sgd",
            params,
            learning_rate_init=eta,
            learning_rate=self.learning_rate,
            power_t=self.power_t,
            xp=xp,
        )
