"""Rosenblatt's perceptron."""

from dataclasses import replace
from numbers import Real

from sklearn.utils._param_validation import Interval

from ._core import make_optimizer
from ._docs import shared_docs
from ._linear import BaseLinearClassifier


@shared_docs
class PerceptronClassifier(BaseLinearClassifier):
    """Rosenblatt's perceptron: a unit step per class, one update per sample.

    Parameters
    ----------
    alpha : float, default=0.0
        L2 penalty (the ``lambda`` of a cost summed over the samples): each
        update first shrinks the weights by ``max(0, 1 - eta0 * alpha / S)``,
        so any ``alpha`` only shrinks them.  The default keeps Rosenblatt's
        rule exact.  scikit-learn's ``Perceptron`` uses its ``alpha`` only
        with ``penalty="l2"`` (its default is no penalty), and then, like
        ``SGDClassifier``, shrinks the weights by ``1 - eta0 * alpha`` at
        each sample, without dividing by the number of samples: the same
        shrinkage takes ``alpha = sklearn_alpha * n_samples`` here (unit
        sample weights).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights.
        ``"balanced"`` uses ``n_samples / (n_classes * np.bincount(y))``.
    eta0 : float, default=1.0
        The learning rate.
    %(max_iter)s
    tol : float or None, default=1e-3
        Training stops when the loss has not improved by at least ``tol``
        for ``n_iter_no_change`` consecutive epochs; None disables the rule.
    %(n_iter_no_change)s
    %(shuffle)s
    %(linear_training)s
    batch_size : int or None, default=1
        Samples per update: 1 is Rosenblatt's rule; a larger batch applies
        the mean of the batch's updates once per batch; None uses the whole training set.

    Attributes
    ----------
    %(linear_fitted)s
    loss_curve_ : list of float
        The perceptron criterion ``J`` for each epoch, averaged over the
        samples as they were visited, plus the penalty at the epoch's end.
    errors_ : list of int
        The mistakes (samples whose step output differed from the target)
        made during each epoch.
    %(validation_attributes)s

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

    %(linear_proba)s

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
        self._store_params(locals())

    def _make_optimizer(self, X, sample_weight, batch_size, xp):
        return make_optimizer("sgd", learning_rate_init=self.eta0, clip_decay=True)

    def _training_config(self, incremental, monitor, n_train):
        # Rosenblatt's rule: count the mistakes; an epoch without any ends training.
        config = super()._training_config(incremental, monitor, n_train)
        return replace(config, count_errors=True)

    def _training_attributes(self, history, monitor):
        return {
            **super()._training_attributes(history, monitor),
            "errors_": list(history.errors),
        }
