"""The one fitting pipeline of every estimator, on any source.

``FitMixin._fit`` wraps a call so that a call that raises leaves the
estimator exactly as it was; ``_fit_with`` is the pipeline a source runs
(``skmlp._source``): validate, code targets and weights, start or continue
the network and the training state, build the training rows, the validation
monitor and the training configuration, train with the core, record.
"""

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ._callbacks import epoch_hooks
from ._core import Architecture, DivergenceError, History, Hooks, TrainingState, initialize
from ._core._xp import device_of
from ._monitor import monitored
from ._source import MemorySource, source_for
from ._validation import check_random_state
from ._warnings import warn


class FitCall:
    """What one call to ``fit`` or ``partial_fit`` was asked to do.

    Parameters
    ----------
    incremental : bool
        ``partial_fit`` (one epoch) rather than ``fit``.
    classes : array-like or None
        The classes given to ``partial_fit``.
    validation : tuple
        ``(X_val, y_val, sample_weight_val)``.
    continuing : bool
        Whether the call continues the fitted model (``warm_start`` or
        ``partial_fit`` after a fit).
    """

    def __init__(self, incremental, classes, validation, continuing):
        self.incremental, self.classes = incremental, classes
        self.validation, self.continuing = validation, continuing
        self.sample_weight = None  # as validated, for the callbacks' metadata
        self.method = "partial_fit" if incremental else "fit"


class FitMixin:
    """Fitting on top of the core, for ``BaseNetworkClassifier``.

    A call trains copies of the parameters and of the training state
    (optimizer, history, random state) and keeps them only if it succeeds.
    """

    def _fit(self, X, y, sample_weight, *, incremental, classes=None, validation=(None,) * 3):
        # Training works on copies of the parameters and of the training
        # state, so a call that raises only has to put back the attributes it
        # set (and the state of a RandomState the user passed).
        saved = dict(self.__dict__)
        rng = self.random_state
        rng_state = rng.get_state() if isinstance(rng, np.random.RandomState) else None
        try:
            if incremental and self._uses_lbfgs():
                raise AttributeError("partial_fit is not available with solver='lbfgs'.")
            continuing = hasattr(self, "_state") and (incremental or self.warm_start)
            call = FitCall(incremental, classes, validation, continuing)
            return source_for(X).fit(self, X, y, sample_weight, call)
        except BaseException:
            for key in set(self.__dict__) - set(saved):
                # The callback machinery tears down its own state.
                if not key.startswith(("_callback", "_skl_callbacks")):
                    del self.__dict__[key]
            self.__dict__.update(saved)
            if rng_state is not None:
                rng.set_state(rng_state)
            raise

    def _fit_with(self, source, X, y, sample_weight, call):
        """The pipeline: ``source`` validates, codes and trains; this records."""
        data, labels, sample_weight = source.validate(self, X, y, sample_weight, call)
        return self._fit_validated(source, data, labels, sample_weight, call)

    def _fit_validated(self, source, data, labels, sample_weight, call):
        """The pipeline from validated ``data`` (``T`` and ``s`` still to code)."""
        coder = self._target_coder()
        fitted = coder.coding_of(self) if call.continuing else None
        coding = coder.fit(labels, fitted, call.incremental, call.classes)
        multilabel = coder.multilabel(coding)
        if call.continuing:
            net = self._network().copy()
            self._check_architecture(net, multilabel)
            state = self._state.copy()
            if call.incremental and state.history.stopped:
                # Early stopping has ended training; fit starts it again.
                return self
            if not call.incremental:
                # A warm-started fit runs until its own stopping rule fires.
                state.history.stopped = False
                state.history.no_improvement_count = 0
            output = net.output_activation
        else:
            state = TrainingState(None, History(), check_random_state(self.random_state))
            hidden_sizes, hidden, output, init = self._network_spec(multilabel)
        data.T = source.targets(self, coding, data, output)
        data.s = source.weights(self, data, sample_weight, coding, call.incremental)
        call.sample_weight = sample_weight
        if not call.continuing:
            X = data.X
            sizes = [X.shape[1], *hidden_sizes, data.T.shape[1]]
            architecture = Architecture(sizes, hidden, output, init)
            net = initialize(architecture, state.random_state, X.dtype, data.xp, device_of(X))
        # Scorers and callbacks need a fitted-looking estimator during
        # training; these attributes share the network's memory.
        self._state = state
        # The coding first: the network's attributes may depend on it.
        vars(self).update(coder.attributes(coding))
        vars(self).update(self._network_attributes(net))
        return self._train(source, data, net, state, call)

    def _train(self, source, data, net, state, call):
        """Train the started network on ``data``; record what training did."""
        indices, validate, monitor = None, None, None
        X_val = call.validation[0]
        if self._uses_lbfgs():
            if X_val is not None:
                warn(
                    "solver='lbfgs' has no epochs to validate: X_val and y_val are not used.",
                    UserWarning,
                )
        else:
            monitor = monitored(self)
            indices, validate = source.monitor(self, data, call, state.random_state)
        rows = source.rows(data, indices)
        callbacks = self._init_callback_context(
            task_name=call.method,
            max_subtasks=0 if call.incremental or self._uses_lbfgs() else self.max_iter,
        )
        X, y = data.X, data.y
        metadata = {} if call.sample_weight is None else {"sample_weight": call.sample_weight}
        callbacks.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
        hooks = Hooks(validate=validate)
        # Epochs are reported only to callbacks there are (the estimator's
        # own or those a meta-estimator propagated to it): with none, an
        # epoch costs no callback bookkeeping at all.
        if not call.incremental and getattr(self, "_skl_callbacks", None):
            hooks.on_epoch_begin, hooks.on_epoch_end = epoch_hooks(
                self, callbacks, X, y, metadata, monitor
            )
        config = self._training_config(call.incremental, monitor, rows.n)
        if (state.optimizer is None or not call.incremental) and not self._uses_lbfgs():
            # Like scikit-learn, a warm-started fit gets a fresh optimizer (and
            # so the current learning-rate parameters); partial_fit keeps its own.
            state.optimizer = self._make_optimizer(X, data.s, config.batch_size, data.xp)
        try:
            converged = source.train(self, net, state, rows, config, hooks)
        except DivergenceError as exc:
            raise ValueError(self._divergence_message(exc)) from None
        self._record(monitor, call.incremental, converged)
        callbacks.call_on_fit_task_end(
            estimator=self, X=X, y=y, metadata=metadata, reconstruction_attributes={}
        )
        return self

    def _training_config(self, incremental, monitor, n_train):
        """The core's ``TrainingConfig`` for a call training ``n_train`` rows."""
        raise NotImplementedError

    def _full_batch(self, n_samples):
        """Whether each step uses the whole training set."""
        batch_size = self._training_config(False, None, n_samples).batch_size
        return self._uses_lbfgs() or batch_size is None or batch_size >= n_samples

    def _check_architecture(self, net, multilabel):
        """Raise if the parameters now describe another network than the fitted one."""
        wanted, hidden, output, _ = self._network_spec(multilabel)
        fitted = net.layer_sizes[1:-1]
        if (wanted, hidden, output) != (fitted, net.activation, net.output_activation):
            raise ValueError(
                f"{type(self).__name__} was fitted with hidden layers {fitted}, activation "
                f"{net.activation!r} and output activation {net.output_activation!r}, but its "
                f"parameters now ask for hidden layers {wanted}, activation {hidden!r} and "
                f"output activation {output!r}. warm_start and partial_fit continue the "
                "fitted network: set the parameters back, or fit with warm_start=False."
            )

    #: What to rescale when training diverges, and how (a regressor's
    #: targets enter the loss as its features do).
    _to_standardize = ("features", "StandardScaler")

    def _divergence_message(self, exc):
        name = self._learning_rate_param
        value = getattr(self, name)
        what, how = self._to_standardize
        if value == "auto":
            advice = (
                f"{name}='auto' is stable for the data's curvature, so the scale of the "
                f"{what} is beyond what floating point can train on: standardize them"
            )
        else:
            advice = f"Lower the learning rate ({name}={value!r}) or standardize the {what}"
        return f"{type(self).__name__} diverged: {exc}. {advice}, for instance with {how}."

    def _training_attributes(self, history, monitor):
        """The fitted attributes that describe the training recorded in ``history``."""
        validated = bool(history.validation_scores)
        return {
            "n_iter_": history.n_iter_call,
            "t_": history.t,
            "loss_curve_": list(history.loss_curve),
            "loss_": history.loss_curve[-1] if history.loss_curve else None,
            "best_loss_": None if monitor else history.best_loss,
            "validation_loss_curve_": (list(history.validation_loss_curve) if validated else None),
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

    def _objective_data(self, X, y, sample_weight):
        """``X``, the coded targets ``T`` and the weights ``s`` of a fitted model's ``J``."""
        source = MemorySource()
        call = FitCall(False, None, (None,) * 3, continuing=True)
        data, labels, sample_weight = source.validate(self, X, y, sample_weight, call)
        coder = self._target_coder()
        coding = coder.fit(labels, coder.coding_of(self), True, None)
        T = source.targets(self, coding, data, self._network().output_activation)
        return data.X, T, source.weights(self, data, sample_weight, coding, False)
