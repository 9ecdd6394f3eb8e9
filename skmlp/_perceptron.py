"""Rosenblatt's perceptron."""

from numbers import Real

from sklearn.utils._param_validation import Interval

from ._base import BaseLinearClassifier
from ._core import make_optimizer


class PerceptronClassifier(BaseLinearClassifier):
    """Rosenblatt's perceptron: a unit step per class, one update per sample.

    Parameters
    ----------
    alpha : float, default=0.0
        L2 penalty (the ``lambda`` of a cost summed over the samples): each
        update first shrinks the weights by ``max(0, 1 - eta0 * alpha / S)``,
        so any ``alpha`` only shrinks them.  The default keeps Rosenblatt's
        rule exact.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights.
        ``"balanced"`` uses ``n_samples / (n_classes * np.bincount(y))``.
    eta0 : float, default=1.0
        The learning rate.
    max_iter : int, default=1000
        The maximum number of epochs.
    tol : float or None, default=1e-3
        Training stops when the loss has not improved by at least ``tol``
        for ``n_iter_no_change`` consecutive epochs; None disables the rule.
    n_iter_no_change : int, default=5
        Training stops after this many consecutive epochs without
        improvement (as scikit-learn's ``Perceptron`` and ``SGDClassifier``).
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch.
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
    batch_size : int or None, default=1
        Samples per update: 1 is Rosenblatt's rule; a larger batch applies
        the mean of the batch's updates once per batch; None uses the whole training set.

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
    loss_curve_ : list of float
        The perceptron criterion ``J`` for each epoch, averaged over the
        samples as they were visited, plus the penalty at the epoch's end.
    errors_ : list of int
        The mistakes (samples whose step output differed from the target)
        made during each epoch.
    validation_loss_curve_ : list of float or None
        ``J`` on the validation data after each epoch (with the validation
        weights' total in place of ``S``), when there is validation data.
    validation_scores_ : list of float or None
        The ``scoring`` value on the validation data after each epoch.
    best_validation_score_ : float or None
        The best of ``validation_scores_``.

    See Also
    --------
    AdalineClassifier : The same single layer with a linear activation.
    sklearn.linear_model.Perceptron : scikit-learn's compiled perceptron.

    Notes
    -----
    Targets are coded ``t in {-1, +1}`` per unit (one-vs-rest for several
    classes).  For each sample in turn, ``yhat = step(x . w + b)`` with
    ``step(z) = +1`` if ``z >= 0`` and ``-1`` otherwise, then::

        w <- w + eta0 (t - yhat) x        b <- b + eta0 (t - yhat)

    Weights start at zero, so with ``shuffle=False`` a fit is a
    deterministic function of the data.  This is the subgradient step of the
    perceptron criterion ``max(0, -t z)`` with step ``2 eta0``; its mean over
    an epoch is ``loss_curve_``.  An epoch without mistakes ends the fit.
    Sample weights ``s_i`` scale the update of sample ``i`` by
    ``s_i / mean(s)``.

    With ``alpha > 0`` the update for each sample, mistake or not, is
    ``w <- max(0, 1 - eta0 alpha / S) w + eta0 (t - yhat) x`` (``b`` is not
    penalised): the step of ``J``'s penalty
    ``alpha / (2S) ||w||^2`` with the decay clipped at zero as in
    scikit-learn's ``SGDClassifier``: past ``alpha = S / eta0`` a plain
    gradient step would flip and grow the weights, the clipped one keeps only
    the latest update.

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
    >>> from skmlp import PerceptronClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), PerceptronClassifier(random_state=0)).fit(X, y)
    >>> clf[-1].coef_.shape
    (3, 4)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    """

    _parameter_constraints: dict = {
        **BaseLinearClassifier._parameter_constraints,
        "eta0": [Interval(Real, 0, None, closed="neither")],
    }

    _output_activation = "step"

    def __init__(
        self,
        *,
        alpha=0.0,
        class_weight=None,
        eta0=1.0,
        max_iter=1000,
        tol=1e-3,
        n_iter_no_change=5,
        shuffle=True,
        random_state=None,
        early_stopping=False,
        scoring=None,
        validation_fraction=0.1,
        warm_start=False,
        verbose=False,
        batch_size=1,
    ):
        self.alpha = alpha
        self.class_weight = class_weight
        self.eta0 = eta0
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
        return make_optimizer("sgd", params, learning_rate_init=self.eta0, clip_decay=True, xp=xp)

    def _training_attributes(self, history, monitor):
        return {
            **super()._training_attributes(history, monitor),
            "errors_": list(history.errors),
        }
