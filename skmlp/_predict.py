"""Prediction: the public methods, dispatched to the source of their input.

Each public method asks ``source_for(X)`` to predict: the in-memory source
validates ``X`` against what was fitted (features, namespace, device) and
calls the estimator's ``_<method>``; the Dask source maps the public method
over ``X``'s row blocks, lazily.  How outputs become labels and
probabilities (``_decide``, ``_proba``, ``_log_proba``) is the output map
each estimator defines.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from ._core import _xp, predict_output
from ._docs import shared_docs
from ._source import source_for
from ._validation import array_namespace, float_dtypes


class PredictMixin:
    """``decision_function``, ``predict_proba``, ``predict_log_proba``,
    ``predict`` and ``score`` for ``BaseNetworkClassifier``."""

    @shared_docs
    def decision_function(self, X):
        """The output layer's pre-activations.

        %(predict_X)s
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column per output unit, flattened when there is one unit (two
            classes); positive values favour ``classes_[1]`` there.
        """
        return source_for(X).predict(self, "decision_function", X)

    @shared_docs
    def predict_proba(self, X):
        """Probability estimates.

        %(predict_X)s
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to one (multilabel targets: one independent probability
            per label) and their argmax is exactly ``predict``.
        """
        return source_for(X).predict(self, "predict_proba", X)

    @shared_docs
    def predict_log_proba(self, X):
        """Logarithm of the probability estimates.

        %(predict_X)s
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``, computed from the decision function
            directly where the model has a probability model (the MLP), so
            that it stays finite where ``predict_proba`` rounds to 0.
        """
        return source_for(X).predict(self, "predict_log_proba", X)

    @shared_docs
    def predict(self, X):
        """Predict class labels.

        %(predict_X)s
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The class of the largest ``predict_proba`` column (an indicator
            matrix for multilabel targets).
        """
        return source_for(X).predict(self, "predict", X)

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
        return source_for(X).score(self, X, y, sample_weight)

    # -- in memory: X validated against the fit ------------------------------

    def _prediction_input(self, X, method):
        """``X`` validated for prediction by ``method`` against what was fitted:
        features, namespace and device."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=float_dtypes(X), reset=False)
        self._check_namespace(X, method)
        return X

    def _score(self, X, y, sample_weight):
        # The score of the estimator's scikit-learn mixin (accuracy for a
        # classifier), which predicts through ``predict`` above.
        return super().score(X, y, sample_weight=sample_weight)

    def _decision_function(self, X):
        Z = predict_output(self._network(), X)[1]
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def _predict_proba(self, X):
        return self._proba(*predict_output(self._network(), X), self._is_multilabel())

    def _predict_log_proba(self, X):
        return self._log_proba(*predict_output(self._network(), X), self._is_multilabel())

    def _predict(self, X):
        return self._decide(*predict_output(self._network(), X), self._is_multilabel())

    # -- the output map: how outputs become labels and probabilities ---------

    def _proba(self, A, Z, multilabel):
        """Probabilities from the output activations ``A`` and pre-activations ``Z``."""
        raise NotImplementedError

    def _log_proba(self, A, Z, multilabel):
        """Log-probabilities (by default the logarithm of ``_proba``)."""
        xp = array_namespace(Z)
        with np.errstate(divide="ignore"):
            return xp.log(self._proba(A, Z, multilabel))

    def _decide(self, A, Z, multilabel):
        """Labels: the class of the largest probability (multilabel: those above 0.5)."""
        xp = array_namespace(Z)
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
