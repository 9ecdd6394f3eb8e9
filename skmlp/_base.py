"""The estimator base: validation, label coding and weights around the core."""

import reprlib
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, check_scoring, get_scorer_names
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import _safe_indexing, check_random_state, compute_class_weight
from sklearn.utils._array_api import _is_numpy_namespace, get_namespace
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.fixes import parse_version
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from . import _dask
from ._callbacks import CallbackSupportMixin, with_callbacks
from ._core import (
    DivergenceError,
    History,
    Network,
    TrainingState,
    _xp,
    initialize,
    objective_value,
    predict_output,
    train,
    train_lbfgs,
)
from ._warnings import warn


def _check_known_labels(y, classes, name):
    """Raise if ``y`` holds labels outside ``classes``, naming them."""
    unseen = np.setdiff1d(unique_labels(y), classes)
    if len(unseen):
        raise ValueError(
            f"{name} contains labels {unseen.tolist()!r} that are not among the "
            f"classes {classes.tolist()!r}."
        )


#: The home of the documentation; each estimator's page is under generated/.
DOCS_URL = "https://skmlp.readthedocs.io/en/stable/"

#: Whether array API input is supported: skmlp follows the array API helpers
#: and estimator checks of scikit-learn 1.9.
ARRAY_API_SUPPORTED = parse_version(sklearn.__version__).release >= (1, 9)


def _array_namespace(X):
    """The namespace the core computes in for ``X``: NumPy itself, or (with
    ``array_api_dispatch``) the array API namespace of ``X``."""
    xp, is_array_api = get_namespace(X)
    if not is_array_api or _is_numpy_namespace(xp):
        return np
    if not ARRAY_API_SUPPORTED:
        raise ValueError(
            f"skmlp computes on {xp.__name__} arrays with scikit-learn 1.9 or newer only "
            f"(scikit-learn {sklearn.__version__} is installed): upgrade it, or pass NumPy "
            "arrays."
        )
    return xp


def _float_dtypes(X):
    """The float dtypes ``validate_data`` may keep, in the namespace of ``X``."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


def _numpy_dtype(X):
    """The NumPy float dtype matching the float32 or float64 ``X``."""
    return np.dtype(np.float32 if "float32" in str(X.dtype) else np.float64)


def _host(a):
    """``a`` on the host as NumPy, or as it is (None, lists, Dask collections)."""
    if a is None or _dask.is_dask_collection(a) or not hasattr(a, "shape"):
        return a
    return _xp.to_numpy(a) if not hasattr(a, "tocsr") else a


class IntInterval(Interval):
    """An ``Interval`` of integers that refuses booleans: ``True`` is not a size."""

    def is_satisfied_by(self, val):
        return not isinstance(val, bool) and super().is_satisfied_by(val)


class Rates(Interval):
    """A rate in ``[0, 1)``, or a 1-d array-like of such rates (not booleans)."""

    def __init__(self):
        super().__init__(Real, 0, 1, closed="left")

    def is_satisfied_by(self, val):
        if isinstance(val, (bool, np.bool_, str, bytes, dict, set)):
            return False
        if isinstance(val, Real):
            return super().is_satisfied_by(val)
        try:
            rates = np.asarray(val)
        except (TypeError, ValueError):
            return False
        return (
            rates.ndim == 1
            and rates.dtype.kind in "iuf"
            and bool(np.all((rates >= 0) & (rates < 1)))
        )

    def __str__(self):
        return f"{super().__str__()} or a 1-d array-like of such floats"


def _checked_score(value, scoring):
    """A scorer's result as a float; a ValueError naming ``scoring`` unless it is a number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise ValueError(
            f"scoring={scoring!r} returned {reprlib.repr(value)} of type "
            f"{type(value).__name__}: a scorer must return a single number."
        )
    return float(value)


def _canonical(X):
    """``X``, with a CSR matrix's duplicate entries summed and its indices
    sorted (on a copy): SciPy reads duplicates as their sum, and so must
    every kernel that squares the stored values."""
    if sp.issparse(X) and not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X


def _check_weight_total(s, name):
    """Raise unless the weights ``s`` (or None) have a positive, finite total."""
    if s is None:
        return
    with np.errstate(over="ignore"):
        total = s.sum(dtype=np.float64)
    if not np.isfinite(total):
        raise ValueError(
            f"The {name} sum to {total}, beyond floating point; rescale them (only their "
            "ratios matter)."
        )
    if total <= 0:
        raise ValueError(f"The {name} are all zero: at least one must be non-zero.")


class _Data:
    """The data of one call: as given (for scorers), validated, and coded.

    ``X``, ``T`` and ``s`` are in the namespace ``xp`` the core computes in;
    the labels ``y`` are on the host.
    """

    def __init__(self, X_input, X, y, T, s, xp=np):
        self.X_input, self.X, self.y, self.T, self.s = X_input, X, y, T, s
        self.xp = xp

    def rows(self, indices):
        xp = self.xp
        return _Data(
            _safe_indexing(self.X_input, indices) if xp is np else _xp.take(xp, self.X, indices),
            _xp.take(xp, self.X, indices),
            self.y[indices],
            _xp.take(xp, self.T, indices),
            None if self.s is None else _xp.take(xp, self.s, indices),
            xp,
        )


class BaseNetworkClassifier(CallbackSupportMixin, ClassifierMixin, BaseEstimator):
    """What the three classifiers share: validation, targets, weights, fitting.

    A subclass says what network it is (``_layer_sizes``, ``_activations``,
    ``_make_optimizer``, ``_network``, ``_network_attributes``) and how its
    outputs become labels and probabilities (``_decide``, ``_proba``,
    ``_log_proba``); this class does everything else.

    A call to ``fit`` or ``partial_fit`` trains copies of the parameters and
    of the training state (optimizer, history, random state) and keeps them
    only if it succeeds: a call that raises leaves the estimator exactly as
    it was.
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
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

    #: The value of the negative target (-1 for the linear models, 0 for the MLP).
    _neg_label = -1
    #: Whether a multilabel indicator ``y`` is accepted.
    _multilabel = False
    #: The parameter to name when training diverges.
    _learning_rate_param = "eta0"

    # -- what a subclass defines ---------------------------------------------

    def _layer_sizes(self, n_features, n_outputs):
        return [n_features, n_outputs]

    def _activations(self, multilabel):
        """``(hidden activation, output activation)``."""
        raise NotImplementedError

    def _initializer(self):
        return "zeros"

    def _make_optimizer(self, params, X, sample_weight, batch_size, xp):
        """The optimizer for a fresh fit on ``X`` (validation rows included),
        in the namespace ``xp`` of ``params``."""
        raise NotImplementedError

    def _batch_size(self, n_samples):
        return self.batch_size

    def _full_batch(self, n_samples):
        """Whether each step uses the whole training set."""
        batch_size = self._batch_size(n_samples)
        return self._uses_lbfgs() or batch_size is None or batch_size >= n_samples

    def _patience(self):
        """Epochs without improvement that end training (scikit-learn's linear
        models stop after ``n_iter_no_change`` of them)."""
        return self.n_iter_no_change

    def _uses_lbfgs(self):
        return False

    def _dropout_rates(self):
        """Dropout rate of each hidden layer during training, or None."""
        return None

    def _network(self):
        """The fitted parameters as a core ``Network`` (sharing their memory)."""
        raise NotImplementedError

    def _network_attributes(self, net):
        """The fitted parameter attributes (a dict) of a core ``Network``."""
        raise NotImplementedError

    def _network_arrays(self):
        """The fitted weight arrays, first layer first."""
        raise NotImplementedError

    def _targets(self, lb, y, output_activation):
        """The coded targets ``T`` of shape (n_samples, n_outputs)."""
        return lb.transform(y)

    def _proba(self, A, Z, multilabel):
        """Probabilities from the output activations ``A`` and pre-activations ``Z``."""
        raise NotImplementedError

    def _log_proba(self, A, Z, multilabel):
        """Log-probabilities (by default the logarithm of ``_proba``)."""
        xp = _array_namespace(Z)
        with np.errstate(divide="ignore"):
            return xp.log(self._proba(A, Z, multilabel))

    def _decide(self, A, Z, multilabel):
        """Labels: the class of the largest probability (multilabel: those above 0.5)."""
        xp = _array_namespace(Z)
        P = self._proba(A, Z, multilabel)
        if multilabel:
            return _xp.astype(xp, P > 0.5, int if xp is np else xp.int64)
        return self._labels(xp.argmax(P, axis=1))

    # -- fitting -------------------------------------------------------------

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
        """Fit the model to data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data is trained in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Target labels (an indicator matrix for multilabel targets, where
            supported).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples, multiplied by the class
            weights; all ones if None.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            Validation data of one's own.  After each epoch, ``J`` on it goes
            to ``validation_loss_curve_`` and the ``scoring`` value to
            ``validation_scores_``; with ``early_stopping`` it is monitored
            instead of an internal split of ``X``.  The MLP's ``"lbfgs"``
            solver has no epochs and ignores it.
        y_val : array-like of shape (n_val,) or (n_val, n_classes), default=None
            Validation labels, required with ``X_val``.
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

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
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
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.
        X_val, y_val, sample_weight_val : default=None
            Validation data, as for ``fit``.  With ``early_stopping``, the
            calls count as epochs for the stopping rule; once it fires, the
            best weights seen are restored and further calls train no more
            (until ``fit``).

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight,
            incremental=True,
            classes=classes,
            validation=(X_val, y_val, sample_weight_val),
        )

    def _code_targets(self, y, continuing, incremental, classes):
        """The label binarizer for ``y`` (fitted anew unless ``continuing``)."""
        check_classification_targets(y)
        multilabel = type_of_target(y).startswith("multilabel")
        if continuing:
            lb = self._label_binarizer
            if incremental and classes is not None:
                if not np.array_equal(unique_labels(classes), self.classes_):
                    raise ValueError(
                        f"classes={classes!r} is not the same as on the first call to "
                        f"partial_fit, which was {self.classes_!r}."
                    )
            if multilabel != lb.y_type_.startswith("multilabel"):
                raise ValueError("y changed between multilabel and single-label targets.")
            if not multilabel:
                _check_known_labels(y, self.classes_, "y")
                if not incremental and not np.array_equal(unique_labels(y), self.classes_):
                    raise ValueError(
                        "warm_start needs y to hold the same classes as the previous fit: "
                        f"{self.classes_.tolist()!r}, but y has {unique_labels(y).tolist()!r}."
                    )
            return lb, multilabel
        lb = LabelBinarizer(neg_label=self._neg_label, pos_label=1)
        if incremental and not multilabel:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            lb.fit(classes)
            _check_known_labels(y, lb.classes_, "y")
        else:
            lb.fit(y)
        if not multilabel and len(lb.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {lb.classes_[0]!r}."
            )
        return lb, multilabel

    def _sample_weight(self, sample_weight, X, y, classes, multilabel, incremental):
        """Sample weights times class weights, or None when all are one."""
        if multilabel and self.class_weight is not None:
            raise ValueError("class_weight is not supported for multilabel targets.")
        if _dask.is_dask_collection(y):
            s = _dask.weights(self, sample_weight, y, classes, incremental)
        else:
            s = None
            dtype = _numpy_dtype(X)
            if sample_weight is not None:
                # Checked on the host, against X's number of rows.
                s = _check_sample_weight(
                    _host(sample_weight),
                    np.empty((X.shape[0], 0)),
                    dtype=dtype,
                    ensure_non_negative=True,
                )
            if self.class_weight is not None:
                if incremental and self.class_weight == "balanced":
                    raise ValueError(
                        "class_weight='balanced' is not supported by partial_fit: the class "
                        "frequencies of one call are not those of the data; pass a dict."
                    )
                cw = self._class_weights(classes, y=y)
                cw = cw[np.searchsorted(classes, y)].astype(dtype)
                s = cw if s is None else s * cw
        _check_weight_total(s, "sample weights (times the class weights)")
        return s

    def _class_weights(self, classes, counts=None, y=None):
        """The weight of each class: from ``class_weight``, and for ``"balanced"``
        from ``y`` or from the ``counts`` of the classes."""
        if self.class_weight == "balanced" and counts is not None:
            weights = counts.sum() / (len(classes) * np.asarray(counts, dtype=float))
        else:
            weights = compute_class_weight(
                self.class_weight, classes=classes, y=classes if y is None else y
            )
        bad = ~(np.isfinite(weights) & (weights >= 0))
        if np.any(bad):
            raise ValueError(
                "class_weight must give each class a non-negative, finite weight; got "
                f"{dict(zip(classes[bad].tolist(), weights[bad].tolist()))!r}."
            )
        return weights

    def _fit(self, X, y, sample_weight, *, incremental, classes=None, validation=(None,) * 3):
        # Training works on copies of the parameters and of the training
        # state, so a call that raises only has to put back the attributes it
        # set (and the state of a RandomState the user passed).
        saved = dict(self.__dict__)
        rng = self.random_state
        rng_state = rng.get_state() if isinstance(rng, np.random.RandomState) else None
        try:
            return self._fit_unsafe(X, y, sample_weight, incremental, classes, validation)
        except BaseException:
            for key in set(self.__dict__) - set(saved):
                # The callback machinery tears down its own state.
                if not key.startswith(("_callback", "_skl_callbacks")):
                    del self.__dict__[key]
            self.__dict__.update(saved)
            if rng_state is not None:
                rng.set_state(rng_state)
            raise

    def _fit_unsafe(self, X, y, sample_weight, incremental, classes, validation):
        if incremental and self._uses_lbfgs():
            raise AttributeError("partial_fit is not available with solver='lbfgs'.")
        continuing = hasattr(self, "classes_") and (incremental or self.warm_start)
        X_input = X
        xp = np
        if not _dask.is_dask_collection(X):
            method = "partial_fit" if incremental else "fit"
            X, y = self._validate_xy(X, y, reset=not continuing, method=method)
            xp = _array_namespace(X)
            # Labels are coded on the host; the coded targets go where X is.
            y = labels = _host(y)
        else:
            X, y, sample_weight, labels = _dask.validate(
                self, X, y, sample_weight, reset=not continuing
            )
            if not self._full_batch(X.shape[0]):
                return _dask.fit_stochastic(
                    self, X, y, sample_weight, labels, incremental, classes, validation
                )
        lb, multilabel = self._code_targets(labels, continuing, incremental, classes)
        if continuing:
            net = self._network().copy()
            self._check_architecture(net, multilabel)
            state = self._state.copy()
            if incremental and state.history.stopped:
                # Early stopping has ended training; fit starts it again.
                return self
            if not incremental:
                # A warm-started fit runs until its own stopping rule fires.
                state.history.stopped = False
                state.history.no_improvement_count = 0
            hidden, output = net.activation, net.output_activation
        else:
            state = TrainingState(None, History(), check_random_state(self.random_state))
            hidden, output = self._activations(multilabel)
        device = _xp.device_of(X)
        if _dask.is_dask_collection(y):
            T = _dask.targets(self, lb, y, output, X.dtype)
        else:
            T = _xp.asarray(xp, self._targets(lb, y, output), X.dtype, device)
        s = self._sample_weight(sample_weight, X, y, lb.classes_, multilabel, incremental)
        if s is not None and xp is not np:
            s = _xp.asarray(xp, s, X.dtype, device)
        data = _Data(X_input, X, y, T, s, xp)
        if not continuing:
            net = initialize(
                self._layer_sizes(X.shape[1], T.shape[1]),
                hidden,
                output,
                self._initializer(),
                state.random_state,
                X.dtype,
                xp,
                device,
            )
        # Scorers and callbacks need a fitted-looking estimator during
        # training; these attributes share the network's memory.
        self._state = state
        self._label_binarizer = lb
        self.classes_ = lb.classes_
        for name, value in self._network_attributes(net).items():
            setattr(self, name, value)

        indices, validate, monitor = self._validation(data, validation, incremental)
        callbacks = self._init_callback_context(
            task_name="partial_fit" if incremental else "fit",
            max_subtasks=0 if incremental or self._uses_lbfgs() else self.max_iter,
        )
        metadata = {} if sample_weight is None else {"sample_weight": sample_weight}
        callbacks.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
        on_epoch_begin, on_epoch_end = (None, None)
        if not incremental:
            on_epoch_begin, on_epoch_end = self._epoch_hooks(
                callbacks, X, y, metadata, monitor
            )

        n_train = X.shape[0] if indices is None else len(indices)
        batch_size = self._batch_size(n_train)
        if (state.optimizer is None or not incremental) and not self._uses_lbfgs():
            # Like scikit-learn, a warm-started fit gets a fresh optimizer (and
            # so the current learning-rate parameters); partial_fit keeps its own.
            state.optimizer = self._make_optimizer(net.params, X, s, batch_size, xp)
        X_train, T_train, s_train = X, T, s
        if _dask.is_dask_collection(X):
            # The rows stay on the cluster; the core sums over their blocks.
            X_train, T_train, s_train = _dask.BlockData(X, T, s), None, None
        try:
            if self._uses_lbfgs():
                converged = train_lbfgs(
                    net,
                    state,
                    X_train,
                    T_train,
                    s_train,
                    alpha=self.alpha,
                    max_iter=self.max_iter,
                    max_fun=self.max_fun,
                    tol=0.0 if self.tol is None else self.tol,
                    verbose=self.verbose,
                )
            else:
                converged = train(
                    net,
                    state,
                    X_train,
                    T_train,
                    s_train,
                    alpha=self.alpha,
                    batch_size=batch_size,
                    max_iter=1 if incremental else self.max_iter,
                    shuffle=self.shuffle,
                    tol=self.tol,
                    patience=self._patience(),
                    indices=indices,
                    validate=validate,
                    monitor=monitor,
                    stop=not incremental,
                    verbose=self.verbose,
                    dropout=self._dropout_rates(),
                    on_epoch_begin=on_epoch_begin,
                    on_epoch_end=on_epoch_end,
                )
        except DivergenceError as exc:
            raise ValueError(self._divergence_message(exc)) from None

        self._record(monitor, incremental, converged)
        callbacks.call_on_fit_task_end(
            estimator=self, X=X, y=y, metadata=metadata, reconstruction_attributes={}
        )
        return self

    def _check_architecture(self, net, multilabel):
        """Raise if the parameters now describe another network than the fitted one."""
        hidden, output = self._activations(multilabel)
        wanted = self._layer_sizes(net.layer_sizes[0], net.layer_sizes[-1])[1:-1]
        fitted = net.layer_sizes[1:-1]
        if (wanted, hidden, output) != (fitted, net.activation, net.output_activation):
            raise ValueError(
                f"{type(self).__name__} was fitted with hidden layers {fitted}, activation "
                f"{net.activation!r} and output activation {net.output_activation!r}, but its "
                f"parameters now ask for hidden layers {wanted}, activation {hidden!r} and "
                f"output activation {output!r}. warm_start and partial_fit continue the "
                "fitted network: set the parameters back, or fit with warm_start=False."
            )

    def _divergence_message(self, exc):
        name = self._learning_rate_param
        value = getattr(self, name)
        if value == "auto":
            advice = (
                f"{name}='auto' is stable for the data's curvature, so the features' scale "
                "is beyond what floating point can train on: standardize them"
            )
        else:
            advice = f"Lower the learning rate ({name}={value!r}) or standardize the features"
        return (
            f"{type(self).__name__} diverged: {exc}. {advice}, for instance with StandardScaler."
        )

    def _validation(self, data, validation, incremental):
        """``(indices, validate, monitor)``: the training rows, the per-epoch
        validation and what early stopping watches.

        Validation data of one's own is used as given; otherwise early stopping
        splits off a stratified ``validation_fraction`` of the training data.
        Either way the training rows keep their order in the data.
        """
        X_val, y_val, s_val = validation
        if self._uses_lbfgs():
            if X_val is not None:
                warn(
                    "solver='lbfgs' has no epochs to validate: X_val and y_val are not used.",
                    UserWarning,
                )
            return None, None, None
        indices = None
        monitor = None
        if self.early_stopping:
            monitor = "loss" if self.scoring == "loss" else "score"
        if _dask.is_dask_collection(X_val):
            return None, _dask.validator(self, X_val, y_val, s_val, data.X.dtype), monitor
        if X_val is not None or y_val is not None:
            if X_val is None or y_val is None:
                raise ValueError("X_val and y_val must be given together.")
            val = self._validation_data(X_val, y_val, s_val, data.X.dtype)
        elif self.early_stopping and not incremental:
            if _dask.is_dask_collection(data.X):
                raise ValueError(
                    "early_stopping with Dask input needs validation data of one's own: "
                    "pass X_val and y_val to fit."
                )
            train_rows, val_rows = train_test_split(
                np.arange(data.X.shape[0]),
                test_size=self.validation_fraction,
                random_state=self._state.random_state,
                stratify=None if self._is_multilabel() else data.y,
            )
            indices = np.sort(train_rows)
            val = data.rows(np.sort(val_rows))
        else:
            return None, None, None
        return indices, self._validator(val), monitor

    def _epoch_hooks(self, callbacks, X, y, metadata, monitor):
        """``(on_epoch_begin, on_epoch_end)`` reporting each epoch to callbacks."""
        epochs = []

        def on_epoch_begin():
            epochs.append(callbacks.subcontext(task_name="epoch"))
            epochs[-1].call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

        def on_epoch_end():
            return epochs[-1].call_on_fit_task_end(
                estimator=self,
                X=X,
                y=y,
                metadata=metadata,
                reconstruction_attributes=lambda: self._snapshot(monitor),
            )

        return on_epoch_begin, on_epoch_end

    def _training_attributes(self, history, monitor):
        """The fitted attributes that describe the training recorded in ``history``."""
        validated = bool(history.validation_scores)
        return {
            "n_iter_": history.n_iter_call,
            "t_": history.t,
            "loss_curve_": list(history.loss_curve),
            "loss_": history.loss_curve[-1] if history.loss_curve else None,
            "best_loss_": None if monitor else history.best_loss,
            "validation_loss_curve_": (
                list(history.validation_loss_curve) if validated else None
            ),
            "validation_scores_": list(history.validation_scores) if validated else None,
            "best_validation_score_": history.best_validation_score if validated else None,
        }

    def _record(self, monitor, incremental, converged):
        """Set the fitted attributes that describe training, and warn if due."""
        history = self._state.history
        for name, value in self._training_attributes(history, monitor).items():
            setattr(self, name, value)
        if history.interrupted:
            kept = (
                "the best epoch's"
                if monitor and history.best_params
                else "the last completed epoch's"
            )
            warn(
                f"{type(self).__name__}: training was interrupted after {self.n_iter_} "
                f"epochs; the model keeps {kept} weights.",
                UserWarning,
            )
        elif not incremental and not converged and self.tol is not None:
            warn(
                f"{type(self).__name__}: the maximum number of iterations "
                f"(max_iter={self.max_iter}) was reached before training converged.",
                ConvergenceWarning,
            )

    def _snapshot(self, monitor):
        """The model as it stands after the current epoch, for callbacks: copies
        of the parameters and of the whole training state (optimizer, history,
        random state) with the attributes that describe them, so that the
        snapshot neither changes as training goes on nor changes it."""
        state = self._state.copy()
        return {
            **self._network_attributes(self._network().copy()),
            "_state": state,
            **self._training_attributes(state.history, monitor),
        }

    def _validate_xy(self, X, y, reset, method="fit"):
        """Validated ``X`` (float32 or float64, CSR if sparse) and ``y``."""
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            dtype=_float_dtypes(X),
            # Training gathers rows batch by batch: one C-ordered copy of a
            # Fortran-ordered X (or column-built DataFrame) now, not per batch.
            order="C",
            multi_output=self._multilabel,
            reset=reset,
        )
        X = _canonical(X)
        if not reset:
            self._check_namespace(X, method)
            dtype = self._network().dtype
            xp = _array_namespace(X)
            X = X.astype(dtype, copy=False) if xp is np else xp.astype(X, dtype)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _objective_data(self, X, y, sample_weight):
        """``X``, the coded targets ``T`` and the weights ``s`` of a fitted model's ``J``."""
        X, y = self._validate_xy(X, y, reset=False)
        lb, multilabel = self._code_targets(y, True, True, None)
        T = self._targets(lb, y, self._network().output_activation).astype(X.dtype)
        s = self._sample_weight(sample_weight, X, y, lb.classes_, multilabel, False)
        return X, T, s

    def _validation_data(self, X_val, y_val, sample_weight_val, dtype):
        """Validate and code validation data of one's own."""
        X_input = X_val
        # The feature count and names against the fit's, then the values,
        # with errors that name X_val.
        validate_data(self, X_val, reset=False, skip_check_array=True)
        X_val = _canonical(
            check_array(
                X_val, accept_sparse="csr", dtype=_float_dtypes(X_val), input_name="X_val"
            )
        )
        xp = _array_namespace(X_val)
        self._check_namespace(X_val, "fit")
        X_val = X_val.astype(dtype, copy=False) if xp is np else xp.astype(X_val, dtype)
        y_val = np.asarray(_host(y_val))
        if y_val.ndim == 2 and y_val.shape[1] == 1:
            y_val = column_or_1d(y_val, warn=True)
        if len(y_val) != X_val.shape[0]:
            raise ValueError(f"X_val has {X_val.shape[0]} samples but y_val has {len(y_val)}.")
        if y_val.ndim == 1:
            _check_known_labels(y_val, self.classes_, "y_val")
        device = _xp.device_of(X_val)
        T_val = self._targets(self._label_binarizer, y_val, self._network().output_activation)
        T_val = _xp.asarray(xp, T_val, dtype, device)
        s_val = None
        if sample_weight_val is not None:
            s_val = _check_sample_weight(
                _host(sample_weight_val),
                np.empty((X_val.shape[0], 0)),
                dtype=_numpy_dtype(X_val),
                ensure_non_negative=True,
            )
            _check_weight_total(s_val, "validation sample weights")
            s_val = _xp.asarray(xp, s_val, dtype, device)
        return _Data(X_input, X_val, y_val, T_val, s_val, xp)

    def _validator(self, val):
        """``validate() -> (J, score)`` on the validation data ``val``, for the core."""
        scorer = None
        if self.scoring not in (None, "loss"):
            scorer = check_scoring(self, scoring=self.scoring)
        multilabel = self._is_multilabel()

        def validate():
            J, A, Z = objective_value(self._network(), val.X, val.T, val.s, self.alpha)
            if self.scoring == "loss":
                return J, -J
            if scorer is None:
                labels = _host(self._decide(A, Z, multilabel))
                return J, accuracy_score(val.y, labels, sample_weight=_host(val.s))
            kwargs = {} if val.s is None else {"sample_weight": val.s}
            return J, _checked_score(scorer(self, val.X_input, val.y, **kwargs), self.scoring)

        return validate

    # -- prediction ----------------------------------------------------------

    def _prediction_input(self, X, method):
        """``X`` validated for prediction by ``method`` against what was fitted:
        features, namespace and device."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=_float_dtypes(X), reset=False)
        self._check_namespace(X, method)
        return X

    def _output(self, X, method):
        """The output activations and pre-activations for ``X``."""
        X = self._prediction_input(X, method)
        return predict_output(self._network(), X)

    def _fitted_namespace(self):
        """The namespace of the fitted parameters (NumPy itself for ndarrays)."""
        W = self._network_arrays()[0]
        if isinstance(W, np.ndarray):
            return np
        xp, is_array_api = get_namespace(W)
        if not is_array_api:
            raise ValueError(
                f"{type(self).__name__} was fitted on {type(W).__module__} arrays: enable "
                "sklearn.set_config(array_api_dispatch=True) to use it."
            )
        return xp

    def _check_namespace(self, X, method):
        """Raise unless ``X`` is in the namespace and on the device of the fit."""
        fitted, W = self._fitted_namespace(), self._network_arrays()[0]
        given = _array_namespace(X)
        if fitted is np and given is np:
            return
        if given is not fitted or _xp.device_of(X) != _xp.device_of(W):
            fitted_name = "numpy" if fitted is np else fitted.__name__
            given_name = "numpy" if given is np else given.__name__
            raise ValueError(
                f"Inputs passed to {type(self).__name__}.{method}() must use the same "
                "namespace and the same device as those passed to fit(): fit used "
                f"{fitted_name} on {_xp.device_of(W)}, {method} got {given_name} on "
                f"{_xp.device_of(X)}."
            )

    def _labels(self, indices):
        """``classes_[indices]``, in the namespace and on the device of ``indices``."""
        xp = _array_namespace(indices)
        if xp is np:
            return self.classes_[indices]
        if self.classes_.dtype.kind not in "iufb":
            # Labels no array API namespace can hold: returned as NumPy.
            return self.classes_[_xp.to_numpy(indices)]
        classes = xp.asarray(self.classes_, device=_xp.device_of(indices))
        return xp.take(classes, indices)

    def _is_multilabel(self):
        return self._label_binarizer.y_type_.startswith("multilabel")

    def decision_function(self, X):
        """The output layer's pre-activations.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column per output unit, flattened when there is one unit (two
            classes); positive values favour ``classes_[1]`` there.
        """
        if _dask.is_dask_collection(X):
            return _dask.predict(self, "decision_function", X)
        Z = self._output(X, "decision_function")[1]
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X):
        """Probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to one (multilabel targets: one independent probability
            per label) and their argmax is exactly ``predict``.
        """
        if _dask.is_dask_collection(X):
            return _dask.predict(self, "predict_proba", X)
        return self._proba(*self._output(X, "predict_proba"), self._is_multilabel())

    def predict_log_proba(self, X):
        """Logarithm of the probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``, computed from the decision function
            directly where the model has a probability model (the MLP), so
            that it stays finite where ``predict_proba`` rounds to 0.
        """
        if _dask.is_dask_collection(X):
            return _dask.predict(self, "predict_log_proba", X)
        return self._log_proba(*self._output(X, "predict_log_proba"), self._is_multilabel())

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The class of the largest ``predict_proba`` column (an indicator
            matrix for multilabel targets).
        """
        if _dask.is_dask_collection(X):
            return _dask.predict(self, "predict", X)
        return self._decide(*self._output(X, "predict"), self._is_multilabel())

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on the given data (subset accuracy for multilabel targets).

        Parameters
        ----------
        X : {array-like, sparse matrix, Dask array} of shape (n_samples, n_features)
            Test samples; Dask input is scored block by block on the cluster.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            The weighted share of samples whose ``predict`` is right.
        """
        if _dask.is_dask_collection(X):
            return _dask.score(self, X, y, sample_weight)
        return super().score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # Under array_api_dispatch, the core computes in X's namespace.
        tags.array_api_support = ARRAY_API_SUPPORTED
        tags.classifier_tags.multi_label = self._multilabel
        return tags


class BaseLinearClassifier(BaseNetworkClassifier):
    """One layer of ``n_units`` output units with ``+1 / -1`` targets.

    ``predict`` is the unit step's decision: ``classes_[1]`` where ``z >= 0``
    for two classes, the class of the largest ``z`` otherwise, at any scale
    of ``z``.  ``predict_proba`` is an uncalibrated, monotone map of the
    decision function whose argmax is exactly ``predict``:

    - two classes: ``[1 - g(z), g(z)]`` with ``g(z) = (1 + z / (1 + |z|)) / 2``,
      which keeps the ranking of ``z`` for ``|z|`` below about ``1e15``;
    - several classes: with ``u = z / max_k |z_k|`` (the row scaled by its
      largest magnitude, so that nothing saturates however large ``z``),
      ``p_k = (1 + u_k) / sum_j (1 + u_j)`` (uniform where all ``z`` are equal).

    Where rounding would make a tie of ``predict``'s class with an earlier
    one (``z = 0`` for two classes, say), its probability is nudged up by one
    unit in the last place.  Wrap the estimator in ``CalibratedClassifierCV``
    for calibrated probabilities.
    """

    def _network(self):
        return Network(
            [self.coef_.T],
            [self.intercept_],
            "identity",
            self._output_activation,
            self._fitted_namespace(),
        )

    def _network_arrays(self):
        return [self.coef_]

    def _activations(self, multilabel):
        return "identity", self._output_activation

    def _network_attributes(self, net):
        # coef_ is a transposed view of the core's weights, so that training
        # updates it in place.
        return {"coef_": net.coefs[0].T, "intercept_": net.intercepts[0]}

    @staticmethod
    def _winners(Z):
        """The index of ``predict``'s class in each row."""
        xp = _array_namespace(Z)
        if Z.shape[1] == 1:
            return _xp.astype(xp, Z[:, 0] >= 0, np.intp if xp is np else xp.int64)
        return xp.argmax(Z, axis=1)

    def _decide(self, A, Z, multilabel):
        return self._labels(self._winners(Z))

    def _proba(self, A, Z, multilabel):
        xp = _array_namespace(Z)
        with np.errstate(all="ignore"):
            if Z.shape[1] == 1:
                z = Z[:, 0]
                g = 0.5 + 0.5 * (z / (1 + xp.abs(z)))
                g = xp.where(xp.isinf(z), _xp.astype(xp, z > 0, z.dtype), g)
                P = xp.stack([1 - g, g], axis=1)
            else:
                zeros = xp.zeros_like(Z)
                scale = xp.max(xp.abs(Z), axis=1, keepdims=True)
                positive = scale > 0
                U = xp.where(positive, Z / xp.where(positive, scale, xp.ones_like(scale)), zeros)
                # Rows holding an infinite score: its sign, and zero for the rest.
                U = xp.where(xp.isinf(scale), xp.where(xp.isinf(Z), xp.sign(Z), zeros), U)
                P = 1 + U
                total = xp.sum(P, axis=1, keepdims=True)
                uniform = xp.full_like(P, 1 / Z.shape[1])
                P = xp.where(
                    total > 0, P / xp.where(total > 0, total, xp.ones_like(total)), uniform
                )
            # Monotone maps can only round a strictly smaller score into a
            # tie: nudge the winner up by one unit in the last place there
            # (nextafter of a tiny probability underflows, harmlessly).
            winners = xp.expand_dims(self._winners(Z), axis=1)
            columns = xp.expand_dims(xp.arange(P.shape[1], device=_xp.device_of(P)), axis=0)
            ties = xp.expand_dims(xp.argmax(P, axis=1), axis=1) != winners
            nudged = xp.nextafter(P, xp.full_like(P, 2))
        return xp.where(ties & (columns == winners), nudged, P)
