"""The linear models' base: one layer of output units with ``+1 / -1`` targets."""

from ._base import BaseNetworkClassifier
from ._core import Network
from ._probability import LinearOutputMap


class BaseLinearClassifier(LinearOutputMap, BaseNetworkClassifier):
    """One layer of ``n_units`` output units with ``+1 / -1`` targets and the
    unit step's decision (see ``LinearOutputMap`` for ``predict_proba``)."""

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

    def _network_spec(self, multilabel):
        return [], "identity", self._output_activation, "zeros"

    def _training_config(self, incremental, monitor, n_train):
        # scikit-learn's linear models stop after n_iter_no_change epochs
        # without improvement.
        return self._base_config(incremental, monitor, self.batch_size)

    def _network_attributes(self, net):
        # coef_ is a transposed view of the core's weights, so that training
        # updates it in place.
        return {"coef_": net.coefs[0].T, "intercept_": net.intercepts[0]}
