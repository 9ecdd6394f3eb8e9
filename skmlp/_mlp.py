"""The multi-layer perceptrons trained by backpropagation: the classifier
and the regressor."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from ._base import BaseNetworkClassifier, BaseNetworkRegressor
from ._core import HIDDEN_ACTIVATIONS, LEARNING_RATES
from ._docs import shared_docs
from ._mlp_base import MLPNetwork
from ._probability import NetworkOutputMap
from ._targets import LabelCoder
from ._validation import IntInterval, Rates

#: The constraints of the parameters both networks take (beyond the base's).
MLP_CONSTRAINTS = {
    "hidden_layer_sizes": ["array-like", IntInterval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
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


def _is_stochastic(estimator):
    if estimator.solver == "lbfgs":
        raise AttributeError(
            f"partial_fit is only available for stochastic solvers, not {estimator.solver!r}."
        )
    return True


@shared_docs
class MLPBackpropClassifier(NetworkOutputMap, MLPNetwork, BaseNetworkClassifier):
    """A multi-layer sigmoid network trained by backpropagation.

    Parameters
    ----------
    %(mlp_layers)s
    output_activation : {"logistic", "softmax"}, default="logistic"
        ``"logistic"``: one logistic unit per class (one for two classes)
        trained on the binary cross-entropy summed over the units, normalised
        over the classes by ``predict_proba``.  ``"softmax"``: one unit per
        class trained on the categorical cross-entropy, whose multiclass
        probabilities are the better calibrated (see the Notes).
    %(mlp_solver)s
    %(class_weight)s
    %(mlp_training)s

    Attributes
    ----------
    %(classes)s
    %(mlp_fitted)s
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
        **MLP_CONSTRAINTS,
        "output_activation": [StrOptions({"logistic", "softmax"})],
    }

    _neg_label = 0
    _multilabel = True

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

    def _output_unit(self, multilabel):
        if multilabel and self.output_activation == "softmax":
            raise ValueError(
                "output_activation='softmax' needs single-label targets; use 'logistic' "
                "for a multilabel y."
            )
        return self.output_activation

    def _target_coder(self):
        # A softmax output gives two classes two units.
        return LabelCoder(
            type(self).__name__,
            self._neg_label,
            self.class_weight,
            two_units_for_softmax=True,
            indicator=self._multilabel,
        )


@shared_docs
class MLPBackpropRegressor(MLPNetwork, BaseNetworkRegressor):
    """A multi-layer network with identity outputs, trained by
    backpropagation on the squared error.

    Parameters
    ----------
    %(mlp_layers)s
    %(mlp_solver)s
    %(mlp_training)s

    Attributes
    ----------
    %(mlp_fitted)s
    %(validation_attributes)s

    See Also
    --------
    MLPBackpropClassifier : The same network with logistic or softmax outputs.
    sklearn.neural_network.MLPRegressor : scikit-learn's network; with the
        same architecture, solver and full-batch training (``"lbfgs"``) it
        minimises the same ``J`` for one target (see the Notes).

    Notes
    -----
    For a batch ``A[0] = X``, layer ``l`` computes ``Z[l] = A[l-1] W[l] + b[l]``
    and ``A[l] = phi(Z[l])``, with the identity ``A[L] = Z[L]`` at the
    output: one unit per target column, whose targets ``t`` are the values
    of ``y`` themselves.  With sample weights ``s_i`` summing to ``S``, the
    objective is::

        J = (1/S) sum_i s_i sum_j 1/2 (t_ij - a_ij)^2 + alpha/(2S) sum_l ||W[l]||_F^2

    The identity output and the squared error are matched: the output delta
    is ``D[L] = A[L] - T``, the same as the classifier's, and
    backpropagation goes on as there::

        D[l] = (D[l+1] W[l+1]^T) * phi'(A[l])
        dJ/dW[l] = A[l-1]^T (s * D[l]) / S + (alpha/S) W[l]
        dJ/db[l] = sum_i s_i D[l]_i / S

    A mini-batch uses its expected weight in place of ``S`` in the data
    terms; the penalty keeps ``alpha / S``.

    scikit-learn's ``MLPRegressor`` halves the mean squared error the same
    way, but also averages over the ``k`` target columns, and divides its
    penalty by the batch's size: for one target and full-batch training
    (``"lbfgs"``) the two ``J`` are equal with equal ``alpha``; for ``k``
    targets this ``J`` is ``k`` times ``MLPRegressor``'s with
    ``alpha = k * sklearn_alpha``.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skmlp import MLPBackpropRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y / 100, random_state=0)
    >>> reg = MLPBackpropRegressor(hidden_layer_sizes=(10,), solver="lbfgs", alpha=1.0,
    ...                            random_state=0)
    >>> reg = make_pipeline(StandardScaler(), reg).fit(X_train, y_train)
    >>> reg.predict(X_test[:2]).shape
    (2,)
    >>> bool(reg.score(X_test, y_test) > 0.3)
    True
    """

    _parameter_constraints: dict = {
        **BaseNetworkRegressor._parameter_constraints,
        **MLP_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="logistic",
        solver="adam",
        alpha=1e-4,
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

    # scikit-learn's MLPRegressor has no partial_fit with solver="lbfgs".
    partial_fit = available_if(_is_stochastic)(BaseNetworkRegressor.partial_fit)

    def _output_unit(self, multilabel):
        return "identity"
