"""The estimator bases: parameters, the hooks an estimator defines, and the
public ``fit`` and ``partial_fit``.

``BaseNetwork`` gathers what every estimator shares from modules named for
what they hold: the fitting pipeline (``_fitting``), prediction
(``_predict``), the sources of input (``_source``), input validation
(``_validation``), target coding (``_targets``), weights (``_weights``), the
validation monitor (``_monitor``) and callbacks (``_callbacks``).
``BaseNetworkClassifier`` and ``BaseNetworkRegressor`` add what makes a
classifier or a regressor: the target coder (``_target_coder``), the
prediction methods and score, ``partial_fit``'s signature and the tags.

A model defines the network to build (``_network_spec``, with ``_network``
and ``_network_attributes`` between the core's network and its fitted
attributes), the training configuration (``_training_config``) and the
optimizer (``_make_optimizer``); a classifier also its output map
(``_decide``, ``_proba``, ``_log_proba``).  The linear models take theirs
from ``_linear``, the networks from ``_mlp_base``.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.metrics import get_scorer_names
from sklearn.utils._param_validation import Interval, Options, StrOptions

from . import _dask  # noqa: F401  (registers the Dask source)
from ._callbacks import CallbackSupportMixin, with_callbacks
from ._core import TrainingConfig
from ._docs import shared_docs
from ._fitting import FitMixin
from ._predict import ClassifierPredictMixin, RegressorPredictMixin
from ._targets import LabelCoder, ValueCoder, is_multilabel
from ._validation import (
    ARRAY_API_SUPPORTED,
    IntInterval,
    check_same_namespace,
    fitted_namespace,
)

#: The home of the documentation; each estimator's page is under generated/.
DOCS_URL = "https://skmlp.readthedocs.io/en/stable/"


class BaseNetwork(CallbackSupportMixin, FitMixin, BaseEstimator):
    """What every estimator shares: validation, targets, weights, fitting.

    A subclass says what network it is (``_network_spec``, ``_network``,
    ``_network_attributes``, ``_network_arrays``), how it trains
    (``_training_config``, ``_make_optimizer``), how its targets are coded
    (``_target_coder``) and how its outputs become predictions
    (``_decide``); this class does everything else.

    A call to ``fit`` or ``partial_fit`` trains copies of the parameters and
    of the training state (optimizer, history, random state) and keeps them
    only if it succeeds: a call that raises leaves the estimator exactly as
    it was.
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "max_iter": [IntInterval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [
            IntInterval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "batch_size": [IntInterval(Integral, 1, None, closed="left"), None],
        "scoring": [StrOptions({"loss", *get_scorer_names()}), callable, None],
    }

    # The "?" link of the HTML repr and the tooltips of its parameter table:
    # the estimator's page in the API reference.
    _doc_link_module = "skmlp"
    _doc_link_template = DOCS_URL + "generated/{estimator_module}.{estimator_name}.html"

    #: The parameter to name when training diverges.
    _learning_rate_param = "eta0"

    def _store_params(self, params):
        """Keep the constructor's parameters as attributes, as given (no
        validation: scikit-learn validates them when fitting)."""
        for name, value in params.items():
            if name != "self":
                setattr(self, name, value)

    # -- what a subclass defines ---------------------------------------------

    def _network_spec(self, multilabel):
        """``(hidden_layer_sizes, hidden activation, output activation, init)``
        of the network to build (``init`` as ``skmlp._core.initialize`` takes it)."""
        raise NotImplementedError

    def _network(self):
        """The fitted parameters as a core ``Network`` (sharing their memory)."""
        raise NotImplementedError

    def _network_attributes(self, net):
        """The fitted parameter attributes (a dict) of a core ``Network``."""
        raise NotImplementedError

    def _network_arrays(self):
        """The fitted weight arrays, first layer first."""
        raise NotImplementedError

    def _make_optimizer(self, X, sample_weight, batch_size, xp):
        """The optimizer for a fresh fit on ``X`` (validation rows included),
        in the namespace ``xp`` of ``params``."""
        raise NotImplementedError

    def _target_coder(self):
        """How ``y`` becomes the output units' targets (``skmlp._targets``)."""
        raise NotImplementedError

    def _targets_1d(self):
        """Whether the fitted outputs are one-dimensional (a regressor fitted
        on a one-dimensional ``y``)."""
        return False

    def _uses_lbfgs(self):
        """Whether training is one L-BFGS run rather than epochs."""
        return False

    def _base_config(self, incremental, monitor, batch_size, **settings):
        """The ``TrainingConfig`` of this estimator's parameters, with ``settings``."""
        return TrainingConfig(
            alpha=self.alpha,
            batch_size=batch_size,
            max_iter=1 if incremental else self.max_iter,
            shuffle=self.shuffle,
            tol=self.tol,
            patience=self.n_iter_no_change,
            monitor=monitor,
            stop=not incremental,
            verbose=self.verbose,
            **settings,
        )

    # -- fitting -------------------------------------------------------------

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
        """Fit the model to data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data is trained in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target labels for a classifier (an indicator matrix for
            multilabel targets, where supported), target values for a
            regressor (one output unit per column).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples (a classifier's multiplied by
            the class weights); all ones if None.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            Validation data of one's own.  After each epoch, ``J`` on it goes
            to ``validation_loss_curve_`` and the ``scoring`` value to
            ``validation_scores_``; with ``early_stopping`` it is monitored
            instead of an internal split of ``X``.  The MLP's ``"lbfgs"``
            solver has no epochs and ignores it.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Validation targets, required with ``X_val``.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation samples.

        Returns
        -------
        self : object
            The fitted estimator.

        Examples
        --------
        >>> from sklearn.datasets import load_digits
        >>> from sklearn.model_selection import train_test_split
        >>> from skmlp import AdalineClassifier
        >>> X, y = load_digits(return_X_y=True)
        >>> X, X_val, y, y_val = train_test_split(X / 16, y, random_state=0)
        >>> clf = AdalineClassifier(early_stopping=True, scoring="loss")
        >>> clf = clf.fit(X, y, X_val=X_val, y_val=y_val)
        >>> len(clf.validation_loss_curve_) == clf.n_iter_
        True
        >>> bool(clf.best_validation_score_ == -min(clf.validation_loss_curve_))
        True

        Every epoch is reported to scikit-learn's callbacks (scikit-learn 1.9
        or newer; ``ProgressBar`` draws a bar per fit, also inside
        ``GridSearchCV``):

        >>> from sklearn.callback import ScoringMonitor
        >>> monitor = ScoringMonitor(scoring="accuracy")
        >>> clf = AdalineClassifier(max_iter=3, tol=None).set_callbacks(monitor).fit(X, y)
        >>> [row["task_name"] for row in monitor.get_logs().data]
        ['fit', 'epoch', 'epoch', 'epoch']

        Ctrl-C (KeyboardInterrupt) during ``fit`` ends training after the
        current batch: the model keeps the weights of the last completed
        epoch (the best one under early stopping), warns, and predicts as
        usual.
        """
        return self._fit(
            X, y, sample_weight, incremental=False, validation=(X_val, y_val, sample_weight_val)
        )

    # -- what was fitted ------------------------------------------------------

    def _fitted_namespace(self):
        """The namespace of the fitted parameters (NumPy itself for ndarrays)."""
        return fitted_namespace(self, self._network_arrays()[0])

    def _check_namespace(self, X, method):
        """Raise unless ``X`` is in the namespace and on the device of the fit."""
        check_same_namespace(self, self._network_arrays()[0], X, method)

    def _coding(self):
        """The fitted coding of the targets."""
        return self._target_coder().coding_of(self)

    def _code(self, y, output_activation):
        """The coded targets of ``y`` for the fitted coding (host)."""
        return self._target_coder().transform(self._coding(), y, output_activation)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # Under array_api_dispatch, the core computes in X's namespace.
        tags.array_api_support = ARRAY_API_SUPPORTED
        return tags


class BaseNetworkClassifier(ClassifierPredictMixin, ClassifierMixin, BaseNetwork):
    """A classifier: labels coded one unit per class (``LabelCoder``), class
    weights, ``partial_fit(classes=)``, the class prediction methods."""

    _parameter_constraints: dict = {
        **BaseNetwork._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    #: The value of the negative target (-1 for the linear models, 0 for the MLP).
    _neg_label = -1
    #: Whether a multilabel indicator ``y`` is accepted.
    _multilabel = False

    def _target_coder(self):
        return LabelCoder(
            type(self).__name__, self._neg_label, self.class_weight, indicator=self._multilabel
        )

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    @shared_docs
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
        """Train for one epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Target labels.
        classes : array-like of shape (n_classes,), default=None
            All the classes that ``y`` can hold over every call; required on
            the first call, optional (and checked) afterwards.
        %(partial_fit_rest)s
        """
        return self._fit(
            X,
            y,
            sample_weight,
            incremental=True,
            classes=classes,
            validation=(X_val, y_val, sample_weight_val),
        )

    def _is_multilabel(self):
        return is_multilabel(self._label_coding)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = self._multilabel
        return tags


class BaseNetworkRegressor(RegressorPredictMixin, RegressorMixin, BaseNetwork):
    """A regressor: one identity output unit per target column
    (``ValueCoder``), predictions of the shape of ``y``, R^2 as its score."""

    _to_standardize = (
        "features and the targets",
        "StandardScaler (and TransformedTargetRegressor for y)",
    )

    def _target_coder(self):
        return ValueCoder(type(self).__name__)

    def _targets_1d(self):
        return self._target_coding.one_dimensional

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    @shared_docs
    def partial_fit(
        self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None
    ):
        """Train for one epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values, with as many columns on every call.
        %(partial_fit_rest)s
        """
        return self._fit(
            X, y, sample_weight, incremental=True, validation=(X_val, y_val, sample_weight_val)
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
