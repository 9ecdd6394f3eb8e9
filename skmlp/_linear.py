"""The linear models: one layer of output units, ``coef_`` and ``intercept_``."""

from ._base import BaseNetworkClassifier
from ._core import Network
from ._probability import LinearOutputMap


class LinearNetwork:
    """One layer of output units with the estimator's ``_output_activation``
    and zero initial weights, fitted as ``coef_`` and ``intercept_`` (for a
    regressor fitted on a one-dimensional ``y``, a ``coef_`` of shape
    ``(n_features,)``, as ``Ridge``'s)."""

    def _network(self):
        coef = self.coef_
        return Network(
            [coef.T if coef.ndim == 2 else coef[:, None]],
            [self.intercept_],
            "identity",
            self._output_activation,
            self._fitted_namespace(),
        )

    def _network_arrays(self):
        return [self.coef_]

    def _network_spec(self, multilabel):
        return [], "identity", self._output_activation, "zeros"

    def _training_config(self, incremental, monitor, n_train):
        # scikit-learn's linear models stop after n_iter_no_change epochs
        # without improvement.
        return self._base_config(incremental, monitor, self.batch_size)

    def _network_attributes(self, net):
        # coef_ is a view of the core's weights, so that training updates it
        # in place.
        W = net.coefs[0]
        return {"coef_": W[:, 0] if self._targets_1d() else W.T, "intercept_": net.intercepts[0]}


class BaseLinearClassifier(LinearOutputMap, LinearNetwork, BaseNetworkClassifier):
    """One layer of ``n_units`` output units with ``+1 / -1`` targets and the
    unit step's decision (see ``LinearOutputMap`` for ``predict_proba``)."""
