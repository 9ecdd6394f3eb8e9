"""Output maps: how a network's outputs become labels and probabilities.

``LinearOutputMap`` is the linear models' decision (the unit step's) and
their uncalibrated, monotone probability map; ``NetworkOutputMap`` the MLP's
logistic or softmax units, whose log-probabilities come from the
pre-activations directly.
"""

import numpy as np

from ._core import _xp
from ._core.activations import certain_winners, log_logistic
from ._validation import array_namespace


def _log_softmax(Z, xp=np):
    Z = Z - xp.max(Z, axis=1, keepdims=True)
    Z -= xp.log(xp.sum(xp.exp(Z), axis=1, keepdims=True))
    return Z


class LinearOutputMap:
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

    @staticmethod
    def _winners(Z):
        """The index of ``predict``'s class in each row."""
        xp = array_namespace(Z)
        if Z.shape[1] == 1:
            return _xp.astype(xp, Z[:, 0] >= 0, np.intp if xp is np else xp.int64)
        return xp.argmax(Z, axis=1)

    def _decide(self, A, Z):
        return self._labels(self._winners(Z))

    def _proba(self, A, Z, multilabel):
        xp = array_namespace(Z)
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


class NetworkOutputMap:
    """Logistic units (normalised over the classes, or one per label) or a
    softmax: probabilities as ``exp`` of log-probabilities computed from ``Z``."""

    def _log_proba(self, A, Z, multilabel):
        # From Z, not from the output activations, which round to 0 or 1.
        xp = array_namespace(Z)
        if self.out_activation_ == "softmax":
            return _log_softmax(Z, xp)
        log_a = log_logistic(Z, None, xp)
        if multilabel:
            return log_a
        if Z.shape[1] == 1:
            return xp.stack([log_logistic(-Z[:, 0], None, xp), log_a[:, 0]], axis=1)
        # Normalised logistic units, sigma(z_j) / sum_k sigma(z_k): a softmax
        # of log sigma(z), so that saturated units neither vanish nor tie.
        return _log_softmax(log_a, xp)

    def _proba(self, A, Z, multilabel):
        return array_namespace(Z).exp(self._log_proba(A, Z, multilabel))

    def _decide(self, A, Z):
        # The probabilities' argmax, from Z alone where rounding cannot
        # decide it: the validation of every epoch asks for it.
        if not self._is_multilabel():
            winners = certain_winners(Z, self.out_activation_)
            if winners is not None:
                return self._labels(winners)
        return super()._decide(A, Z)
