"""Widrow and Hoff's adaptive linear neuron: the classifier and the regressor."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseNetworkRegressor
from ._core import LEARNING_RATES, make_optimizer, squared_error_step_size
from ._docs import shared_docs
from ._linear import BaseLinearClassifier, LinearNetwork
from ._validation import numpy_dtype


class AdalineRule:
    """Adaline's training: identity units on the squared error, descended with
    the step ``eta0`` (or ``1 / L`` for ``"auto"``) on its schedule."""

    _parameter_constraints: dict = {
        "eta0": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "learning_rate": [StrOptions(set(LEARNING_RATES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
    }

    _output_activation = "identity"

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


@shared_docs
class AdalineClassifier(AdalineRule, BaseLinearClassifier):
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
    %(adaline_training)s

    Attributes
    ----------
    %(linear_fitted)s
    %(adaline_fitted)s
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
        **AdalineRule._parameter_constraints,
    }

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


@shared_docs
class AdalineRegressor(AdalineRule, LinearNetwork, BaseNetworkRegressor):
    """Adaline: Widrow and Hoff's linear unit on the squared error, one unit
    per target.

    Parameters
    ----------
    alpha : float, default=1e-4
        L2 penalty: the ``lambda`` of the textbook cost summed over the
        samples, ``sum_i ell_i + lambda / 2 ||w||^2`` (see the Notes), with
        the same meaning for every ``batch_size``.  The minimiser is
        ``Ridge``'s with the same ``alpha``.  scikit-learn's ``SGDRegressor``
        minimises the mean loss plus ``alpha / 2 ||w||^2`` instead (it
        shrinks ``w`` by ``1 - eta * alpha`` at each sample): its ``alpha``
        corresponds to ``alpha = sklearn_alpha * n_samples`` here (unit
        sample weights).
    %(adaline_training)s

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        The weights: one row per target, flattened for a one-dimensional
        ``y`` (as ``Ridge``'s).
    %(intercept)s
    %(n_features_in)s
    %(feature_names_in)s
    %(n_iter)s
    %(t)s
    %(adaline_fitted)s
    %(validation_attributes)s

    See Also
    --------
    AdalineClassifier : The same unit, with the sign of its output as the class.
    sklearn.linear_model.Ridge : The minimiser of the same objective, solved
        in closed form.
    sklearn.linear_model.SGDRegressor : The same per-sample rule with
        ``loss="squared_error"``, ``penalty="l2"``, another scale of ``alpha``.

    Notes
    -----
    The targets ``t`` are the values of ``y`` (one unit per column), the
    activation is the identity, and with sample weights ``s_i`` summing to
    ``S`` the objective is::

        J(w, b) = 1/(2S) sum_i s_i (t_i - x_i . w - b)^2 + alpha/(2S) ||w||^2

    whose minimiser is ridge regression's with the same ``alpha``.  Each
    update is ``w <- w - eta dJ/dw``, ``b <- b - eta dJ/db`` with::

        dJ/dw = -(1/S) sum_i s_i (t_i - z_i) x_i + (alpha/S) w
        dJ/db = -(1/S) sum_i s_i (t_i - z_i)

    over the whole training set by default (batch gradient descent, which
    converges to ridge's solution for ``eta`` below ``2 / L``), over one
    sample or a mini-batch (its expected weight in place of ``S`` in the
    data terms) with ``batch_size``.  With ``batch_size=1`` and unit
    weights this is Widrow and Hoff's LMS rule
    ``w <- w + eta ((t_i - z_i) x_i - (alpha/n) w)``, which is
    ``SGDRegressor``'s with ``alpha = n * sklearn_alpha`` and a constant
    learning rate.  Weights start at zero.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmlp import AdalineRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> reg = AdalineRegressor(alpha=1.0, tol=None, max_iter=5000).fit(X, y)
    >>> reg.coef_.shape
    (10,)
    >>> ridge = Ridge(alpha=1.0).fit(X, y)
    >>> bool(abs(reg.score(X, y) - ridge.score(X, y)) < 1e-6)
    True
    """

    _parameter_constraints: dict = {
        **BaseNetworkRegressor._parameter_constraints,
        **AdalineRule._parameter_constraints,
    }

    def __init__(
        self,
        *,
        alpha=1e-4,
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
