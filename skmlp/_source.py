"""Sources: the one place that looks at what kind of input a call was given.

``source_for(X)`` returns the source of ``X``, chosen once per call: an
engine registered here (the Dask one registers itself in ``skmlp._dask``)
that holds ``X``, or the in-memory source, which serves NumPy, SciPy sparse,
pandas and (under ``array_api_dispatch``) array API input alike.  The
estimators call a source's named steps and never ask what the input is:

- ``fit``: the whole fit (the in-memory source runs the estimator's one
  pipeline, ``_fit_with``; an engine may take over, as Dask does for
  stochastic training);
- ``validate``, ``targets``, ``weights``: the call's inputs, validated, and
  their coded targets ``T`` and weights ``s``, where the core computes;
- ``rows``: the training rows the core's solvers iterate (``skmlp._core.rows``);
- ``monitor``, ``split``, ``validator``: the per-epoch validation;
- ``train``: the core's solver;
- ``predict``, ``score``: prediction.
"""

import numpy as np

from ._core import _xp, make_rows, train, train_lbfgs
from ._monitor import Data, early_stopping_split, validation_data, validator
from ._validation import array_namespace, as_dtype, host, numpy_dtype, validate_xy

#: The engines that may hold an input, asked in turn by ``source_for``.
ENGINES = []


def register(engine):
    """Add a source class whose ``holds(X)`` claims the inputs it serves."""
    ENGINES.append(engine)
    return engine


def source_for(X):
    """The source of the input ``X``."""
    for engine in ENGINES:
        if engine.holds(X):
            return engine()
    return MemorySource()


class Source:
    """The steps every source shares; an engine overrides what differs."""

    def fit(self, estimator, X, y, sample_weight, call):
        return estimator._fit_with(self, X, y, sample_weight, call)

    def monitor(self, estimator, data, call, random_state):
        """``(train_indices, validate)``: the training rows (all if None) and
        the per-epoch validation (None without validation data)."""
        X_val, y_val, s_val = call.validation
        if X_val is None and y_val is None:
            if estimator.early_stopping and not call.incremental:
                indices, val = self.split(estimator, data, random_state)
                return indices, validator(estimator, val)
            return None, None
        if X_val is None or y_val is None:
            raise ValueError("X_val and y_val must be given together.")
        source = source_for(X_val)
        return None, source.validator(estimator, X_val, y_val, s_val, data.X.dtype)

    def split(self, estimator, data, random_state):
        """Split off the early-stopping validation data: ``(indices, Data)``."""
        return early_stopping_split(estimator, data, random_state)

    def validator(self, estimator, X_val, y_val, sample_weight_val, dtype):
        """``validate() -> (J, score)`` on validation data of this source's kind."""
        return validator(
            estimator, validation_data(estimator, X_val, y_val, sample_weight_val, dtype)
        )

    def train(self, estimator, net, state, rows, config, hooks):
        """Run the core's solver; return whether it converged."""
        if estimator._uses_lbfgs():
            return train_lbfgs(net, state, rows, config)
        return train(net, state, rows, config, hooks)


class MemorySource(Source):
    """Input in memory: NumPy, SciPy sparse, pandas, or an array API namespace."""

    def validate(self, estimator, X, y, sample_weight, call):
        """``Data`` of the validated ``X`` and host labels ``y`` (``T`` and
        ``s`` still None) and the sample weights as given."""
        X_input = X
        coder = estimator._target_coder()
        X, y = validate_xy(estimator, X, y, not call.continuing, coder.y_checks)
        if call.continuing:
            estimator._check_namespace(X, call.method)
            X = as_dtype(X, estimator._network().dtype)
        # Labels are coded on the host; the coded targets go where X is.
        y = coder.prepare(host(y))
        return Data(X_input, X, y, None, None, array_namespace(X)), y, sample_weight

    def targets(self, estimator, coding, data, output_activation):
        T = estimator._target_coder().transform(coding, data.y, output_activation)
        return _xp.asarray(data.xp, T, data.X.dtype, _xp.device_of(data.X))

    def weights(self, estimator, data, sample_weight, coding, incremental):
        coder = estimator._target_coder()
        s = coder.weights(coding, sample_weight, data.y, numpy_dtype(data.X), incremental)
        if s is not None and data.xp is not np:
            s = _xp.asarray(data.xp, s, data.X.dtype, _xp.device_of(data.X))
        return s

    def rows(self, data, indices):
        rows = make_rows(data.X, data.T, data.s, data.xp)
        return rows if indices is None else rows.subset(indices)

    def predict(self, estimator, method, X, **kwargs):
        """``estimator``'s in-memory ``_<method>`` on validated ``X``."""
        X = estimator._prediction_input(X, method)
        return getattr(estimator, "_" + method)(X, **kwargs)

    def score(self, estimator, X, y, sample_weight):
        return estimator._score(X, y, sample_weight)
