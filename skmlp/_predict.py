"""Prediction: the public methods, dispatched to the source of their input.

Each public method asks ``source_for(X)`` to predict: the in-memory source
validates ``X`` against what was fitted (features, namespace, device) and
calls the estimator's ``_<method>``; the Dask source maps the public method
over ``X``'s row blocks, lazily.

``PredictMixin`` holds what every estimator shares: ``predict`` is
``_decide`` of the network's outputs, ``score`` the scikit-learn mixin's,
and the score's sums over rows (``_score_terms``) for data held in blocks.
``ClassifierPredictMixin`` adds the class methods, whose output map
(``_proba``, ``_log_proba``) each classifier defines; ``RegressorPredictMixin``
predicts the output units' values.
"""

import numpy as np
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted, validate_data

from ._core import _xp, predict_output
from ._docs import shared_docs
from ._source import source_for
from ._validation import array_namespace, float_dtypes, validated_as_is


class PredictMixin:
    """``predict`` and ``score``, for every estimator."""

    def _dispatch(self, method, X, **kwargs):
        return source_for(X).predict(self, method, X, **kwargs)

    def _dispatch_score(self, X, y, sample_weight):
        return source_for(X).score(self, X, y, sample_weight)

    # -- in memory: X validated against the fit ------------------------------

    def _prediction_input(self, X, method):
        """``X`` validated for prediction by ``method`` against what was fitted:
        features, namespace and device."""
        if validated_as_is(self, X):
            return X
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=float_dtypes(X), reset=False)
        self._check_namespace(X, method)
        return X

    def _score(self, X, y, sample_weight):
        # The score of the estimator's scikit-learn mixin (accuracy for a
        # classifier, R^2 for a regressor), which predicts through ``predict``.
        return super().score(X, y, sample_weight=sample_weight)

    def _predict(self, X):
        return self._decide(*predict_output(self._network(), X))

    # -- the output map ------------------------------------------------------

    def _decide(self, A, Z):
        """Predictions from the output activations ``A`` and pre-activations ``Z``."""
        raise NotImplementedError

    def _score_predictions(self, y, predicted, sample_weight):
        """The default score of predictions (in memory), from its sums."""
        return self._score_of_terms(self._score_terms(y, predicted, sample_weight))

    def _score_terms(self, y, predicted, sample_weight):
        """The default score's sums over the rows of a block (a tuple that
        adds elementwise over blocks); ``_score_of_terms`` makes the score."""
        raise NotImplementedError

    def _score_of_terms(self, terms):
        raise NotImplementedError


class ClassifierPredictMixin(PredictMixin):
    """``decision_function``, ``predict_proba``, ``predict_log_proba``,
    ``predict`` and ``score`` for a classifier."""

    @shared_docs
    def decision_function(self, X):
        """The output layer's pre-activations.

        %(predict_X)s
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column per output unit, flattened when there is one unit (two
            classes); positive values favour ``classes_[1]`` there.
        """
        return self._dispatch("decision_function", X)

    @shared_docs
    def predict_proba(self, X):
        """Probability estimates.

        %(predict_X)s
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to one (multilabel targets: one independent probability
            per label) and their argmax is exactly ``predict``.
        """
        return self._dispatch("predict_proba", X)

    @shared_docs
    def predict_log_proba(self, X):
        """Logarithm of the probability estimates.

        %(predict_X)s
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``, computed from the decision function
            directly where the model has a probability model (the MLP), so
            that it stays finite where ``predict_proba`` rounds to 0.
        """
        return self._dispatch("predict_log_proba", X)

    @shared_docs
    def predict(self, X):
        """Predict class labels.

        %(predict_X)s
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The class of the largest ``predict_proba`` column (an indicator
            matrix for multilabel targets).
        """
        return self._dispatch("predict", X)

    @shared_docs
    def score(self, X, y, sample_weight=None):
        """Mean accuracy on the given data (subset accuracy for multilabel targets).

        %(score_X)s
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            True labels.
        %(score_sample_weight)s
        score : float
            The weighted share of samples whose ``predict`` is right.
        """
        return self._dispatch_score(X, y, sample_weight)

    def _decision_function(self, X):
        Z = predict_output(self._network(), X)[1]
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def _predict_proba(self, X):
        return self._proba(*predict_output(self._network(), X), self._is_multilabel())

    def _predict_log_proba(self, X):
        return self._log_proba(*predict_output(self._network(), X), self._is_multilabel())

    def _score_terms(self, y, predicted, sample_weight):
        # accuracy_score's value without its input checks, which cost more
        # than an epoch of a small network: the weighted share of rows (of
        # indicator rows, for multilabel targets) predicted exactly.
        right = np.asarray(predicted == y)
        if right.ndim == 2:
            right = right.all(axis=1)
        if sample_weight is None:
            return float(right.sum()), float(len(right))
        s = np.asarray(sample_weight, dtype=np.float64)
        return float(s[right].sum()), float(s.sum())

    def _score_of_terms(self, terms):
        correct, total = terms
        return correct / total

    # -- the output map: how outputs become labels and probabilities ---------

    def _proba(self, A, Z, multilabel):
        """Probabilities from the output activations ``A`` and pre-activations ``Z``."""
        raise NotImplementedError

    def _log_proba(self, A, Z, multilabel):
        """Log-probabilities (by default the logarithm of ``_proba``)."""
        xp = array_namespace(Z)
        with np.errstate(divide="ignore"):
            return xp.log(self._proba(A, Z, multilabel))

    def _decide(self, A, Z):
        """Labels: the class of the largest probability (multilabel: those above 0.5)."""
        xp = array_namespace(Z)
        multilabel = self._is_multilabel()
        P = self._proba(A, Z, multilabel)
        if multilabel:
            return _xp.astype(xp, P > 0.5, int if xp is np else xp.int64)
        return self._labels(xp.argmax(P, axis=1))

    def _labels(self, indices):
        """``classes_[indices]``, in the namespace and on the device of ``indices``."""
        xp = array_namespace(indices)
        if xp is np:
            return self.classes_[indices]
        if self.classes_.dtype.kind not in "iufb":
            # Labels no array API namespace can hold: returned as NumPy.
            return self.classes_[_xp.to_numpy(indices)]
        classes = xp.asarray(self.classes_, device=_xp.device_of(indices))
        return xp.take(classes, indices)


class RegressorPredictMixin(PredictMixin):
    """``predict`` and ``score`` (R^2) for a regressor: the output units' values."""

    @shared_docs
    def predict(self, X):
        """Predict target values.

        %(predict_X)s
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The output units' activations: one-dimensional when the model was
            fitted on a one-dimensional ``y``, one column per target otherwise.
        """
        return self._dispatch("predict", X)

    @shared_docs
    def score(self, X, y, sample_weight=None):
        """The coefficient of determination R^2 on the given data.

        %(score_X)s
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True values.
        %(score_sample_weight)s
        score : float
            ``1 - sum_i s_i (y_i - p_i)^2 / sum_i s_i (y_i - mean(y))^2``,
            averaged over the outputs (scikit-learn's ``r2_score``).
        """
        return self._dispatch_score(X, y, sample_weight)

    def _decide(self, A, Z):
        return A[:, 0] if self._targets_1d() else A

    def _score_predictions(self, y, predicted, sample_weight):
        return r2_score(y, predicted, sample_weight=sample_weight)

    def _score_terms(self, y, predicted, sample_weight):
        # Per output: the weighted squared residuals, and the weighted sums
        # of y and of its squares (the total sum of squares, by
        # ``sum s y^2 - (sum s y)^2 / S``).
        y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        residual = y - np.asarray(predicted, dtype=np.float64).reshape(y.shape)
        s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
        return (s @ residual**2, s @ y, s @ y**2, float(s.sum()))

    def _score_of_terms(self, terms):
        residual, total, squares, S = terms
        variance = squares - total**2 / S
        # scikit-learn's convention for constant targets: 1 if predicted
        # exactly, 0 otherwise.
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(variance > 0, 1 - residual / variance, np.where(residual == 0, 1.0, 0.0))
        return float(np.mean(r2))
