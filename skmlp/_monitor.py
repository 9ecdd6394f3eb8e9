"""The validation monitor: validation data of one's own or an early-stopping
split, and the per-epoch ``validate() -> (J, score)`` the core calls."""

import numpy as np
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils import _safe_indexing

from ._core import _xp, objective_value
from ._validation import (
    array_namespace,
    as_dtype,
    check_weight_total,
    checked_score,
    host,
    numpy_dtype,
    validate_named,
)
from ._weights import check_sample_weight


class Data:
    """The data of one call: as given (for scorers), validated, and coded.

    ``X``, ``T`` and ``s`` are in the namespace ``xp`` the core computes in;
    the labels ``y`` are on the host.
    """

    def __init__(self, X_input, X, y, T, s, xp=np):
        self.X_input, self.X, self.y, self.T, self.s = X_input, X, y, T, s
        self.xp = xp

    def subset(self, indices):
        """The rows ``indices`` of this data."""
        xp = self.xp
        return Data(
            _safe_indexing(self.X_input, indices) if xp is np else _xp.take(xp, self.X, indices),
            _xp.take(xp, self.X, indices),
            self.y[indices],
            _xp.take(xp, self.T, indices),
            None if self.s is None else _xp.take(xp, self.s, indices),
            xp,
        )


def monitored(estimator):
    """What early stopping watches: None, ``"loss"`` or ``"score"``."""
    if not estimator.early_stopping:
        return None
    return "loss" if estimator.scoring == "loss" else "score"


def early_stopping_split(estimator, data, random_state):
    """``(train_indices, validation Data)``: a stratified ``validation_fraction``
    of the data for validation, both parts in data order."""
    train_rows, val_rows = train_test_split(
        np.arange(data.X.shape[0]),
        test_size=estimator.validation_fraction,
        random_state=random_state,
        stratify=estimator._target_coder().stratify(estimator._coding(), data.y),
    )
    return np.sort(train_rows), data.subset(np.sort(val_rows))


def validation_data(estimator, X_val, y_val, sample_weight_val, dtype):
    """Validate and code in-memory validation data of one's own."""
    X_input = X_val
    X_val = validate_named(estimator, X_val, "X_val")
    xp = array_namespace(X_val)
    estimator._check_namespace(X_val, "fit")
    X_val = as_dtype(X_val, dtype)
    coder = estimator._target_coder()
    y_val = coder.check_validation(estimator._coding(), np.asarray(host(y_val)))
    if len(y_val) != X_val.shape[0]:
        raise ValueError(f"X_val has {X_val.shape[0]} samples but y_val has {len(y_val)}.")
    device = _xp.device_of(X_val)
    T_val = estimator._code(y_val, estimator._network().output_activation)
    T_val = _xp.asarray(xp, T_val, dtype, device)
    s_val = None
    if sample_weight_val is not None:
        s_val = check_sample_weight(sample_weight_val, X_val.shape[0], numpy_dtype(X_val))
        check_weight_total(s_val, "validation sample weights")
        s_val = _xp.asarray(xp, s_val, dtype, device)
    return Data(X_input, X_val, y_val, T_val, s_val, xp)


def validator(estimator, val):
    """``validate() -> (J, score)`` on the validation ``Data``, for the core.

    The default score is the estimator's own (``_score_predictions``:
    accuracy for a classifier, R^2 for a regressor), from the outputs ``J``
    needed anyway."""
    scorer = None
    if estimator.scoring not in (None, "loss"):
        scorer = check_scoring(estimator, scoring=estimator.scoring)

    def validate():
        net = estimator._network()
        J, A, Z = objective_value(net, val.X, val.T, val.s, estimator.alpha)
        if estimator.scoring == "loss":
            return J, -J
        if scorer is None:
            predicted = host(estimator._decide(A, Z))
            return J, estimator._score_predictions(val.y, predicted, host(val.s))
        kwargs = {} if val.s is None else {"sample_weight": val.s}
        score = scorer(estimator, val.X_input, val.y, **kwargs)
        return J, checked_score(score, estimator.scoring)

    return validate
