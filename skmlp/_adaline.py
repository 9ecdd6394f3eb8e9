"""Widrow and Hoff's adaptive linear neuron."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._core import LEARNING_RATES, make_optimizer, squared_error_step_size
from ._docs import shared_docs
from ._linear import BaseLinearClassifier
from ._validation import numpy_dtype


@shared_docs
class AdalineClassifier(BaseLinearClassifier):
    """Adaline: a linear unit per class trained on the squared error.

    Parameters
    ----------
    alpha : float, default=1e-4
        L2 penalty: the ``lambda`` of the textbook cost summed over the
        samples, ``sum_i ell_i + lambda / 2 ||w||^2`` (see the Notes), with
        the same meaning for every ``batch_size``.  The minimiser is
        ``RidgeClassifier``'s with the same ``alpha``.  scikit-learn's
        ``SGDClassifier`` (``loss="squared_error"``) minimises the mean loss
        plus ``alpha / 2 ||w||^2`` instead (it shrinks ``w`` by
        ``1 - eta * alpha`` at each sample): its ``alpha`` corresponds to
        ``alpha = sklearn_alpha * n_samples`` here (unit sample weights).
    %(class_weight)s
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
        descent.

    Attributes
    ----------
    %(linear_fitted)s
    eta_ : float
        The learning rate used: ``eta0``, or the value ``"auto"`` chose.
    loss_curve_ : list of float
        ``J`` for each epoch (exact for batch descent; the mean over the
        mini-batches as they were visited otherwise).
    %(validation_attributes)s

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

    %(linear_proba)s

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmlp import AdalineClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> clf = make_pipeline(StandardScaler(), AdalineClassifier()).fit(X_train, y_train)
    >>> clf[-1].coef_.shape
    (1, 30)
    >>> bool(clf.score(X_test, y_test) > 0.9)
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
        self._store_params(locals())

    def _make_optimizer(self, X, sample_weight, batch_size, xp):
        eta = self.eta0
        if eta == "auto":
            full_batch = batch_size is None or batch_size >= X.shape[0]
            eta = squared_error_step_size(X, sample_weight, self.alpha, full_batch, xp=xp)
            dtype = numpy_dtype(X)
            if not (np.isfinite(eta) and eta >= np.finfo(dtype).tiny):
                raise ValueError(
                    f"{type(self).__name__}: the features' scale is beyond what "
                    f"{dtype} arithmetic can train on (eta0='auto' would be {eta:.3g}); "
                    "standardize the features, for instance with StandardScaler."
                )
        self.eta_ = eta
        return make_optimizer(
            "sgd",
            learning_rate_init=eta,
            learning_rate=self.learning_rate,
            power_t=self.power_t,
        )
