"""The multi-layer networks: hidden layers, solvers, dropout, the fitted
layers as attributes, and the activations of the hidden layers, for
``MLPBackpropClassifier`` and ``MLPBackpropRegressor`` alike."""

from dataclasses import replace
from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._core import Network, make_optimizer, predict_output
from ._source import source_for


class MLPNetwork:
    """What the MLP parameters make of the shared base: the network to build
    (its output units from ``_output_unit``), its training configuration and
    optimizer, and the fitted layers."""

    _learning_rate_param = "learning_rate_init"

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if np.ndim(sizes) == 0 else list(sizes)
        if any(not isinstance(k, Integral) or isinstance(k, bool) or k < 1 for k in sizes):
            raise ValueError(
                f"hidden_layer_sizes must hold positive integers, got {self.hidden_layer_sizes!r}."
            )
        return [int(k) for k in sizes]

    def _output_unit(self, multilabel):
        """The output activation (the loss is matched with it)."""
        raise NotImplementedError

    def _network_spec(self, multilabel):
        output = self._output_unit(multilabel)
        return self._hidden_sizes(), self.activation, output, "glorot"

    def _make_optimizer(self, X, sample_weight, batch_size, xp):
        if self.solver == "adam":
            options = {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
        else:
            options = {
                "learning_rate": self.learning_rate,
                "momentum": self.momentum,
                "nesterov": self.nesterovs_momentum,
                "power_t": self.power_t,
            }
        return make_optimizer(self.solver, learning_rate_init=self.learning_rate_init, **options)

    def _uses_lbfgs(self):
        return self.solver == "lbfgs"

    def _training_config(self, incremental, monitor, n_train):
        batch_size = min(200, n_train) if self.batch_size == "auto" else self.batch_size
        dropout = None if self._uses_lbfgs() else self._dropout_rates()
        config = self._base_config(
            incremental, monitor, batch_size, dropout=dropout, max_fun=self.max_fun
        )
        # MLPClassifier stops after more than n_iter_no_change such epochs.
        return replace(config, patience=self.n_iter_no_change + 1)

    def _dropout_rates(self):
        n_hidden = len(self._hidden_sizes())
        rates = np.asarray(self.dropout, dtype=float)
        if rates.ndim == 0:
            rates = np.full(n_hidden, rates)
        if rates.shape != (n_hidden,):
            raise ValueError(
                f"dropout must be a rate in [0, 1) or one per hidden layer ({n_hidden}), "
                f"got {self.dropout!r}."
            )
        return [float(p) for p in rates]

    def hidden_activations(self, X, layer=-1):
        """The activations of a hidden layer, for plots and inspection.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        layer : int, default=-1
            Which hidden layer, counting from 0 (negative values count from
            the last hidden layer).

        Returns
        -------
        activations : ndarray of shape (n_samples, hidden_layer_sizes[layer])
            ``A[l] = phi(A[l-1] W[l] + b[l])`` for that layer.

        Examples
        --------
        >>> from sklearn.datasets import load_wine
        >>> from sklearn.preprocessing import scale
        >>> X, y = load_wine(return_X_y=True)
        >>> X = scale(X)  # zero mean, unit variance
        >>> from skmlp import MLPBackpropClassifier
        >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(5, 2), solver="lbfgs",
        ...                             random_state=0).fit(X, y)
        >>> clf.hidden_activations(X[:3]).shape
        (3, 2)
        """
        check_is_fitted(self)
        n_hidden = len(self.coefs_) - 1
        if not -n_hidden <= layer < n_hidden:
            raise IndexError(f"layer={layer} is out of range for {n_hidden} hidden layer(s).")
        layer %= n_hidden
        return source_for(X).predict(self, "hidden_activations", X, layer=layer)

    def _hidden_activations(self, X, layer):
        net = self._network()
        hidden = Network(
            net.coefs[: layer + 1],
            net.intercepts[: layer + 1],
            net.activation,
            net.activation,
            net.xp,
        )
        return predict_output(hidden, X)[0]

    def _network(self):
        # What was fitted, not the parameters, which may have changed since.
        return Network(
            self.coefs_,
            self.intercepts_,
            self._fitted_activation,
            self.out_activation_,
            self._fitted_namespace(),
        )

    def _network_arrays(self):
        return self.coefs_

    def _network_attributes(self, net):
        return {
            "coefs_": net.coefs,
            "intercepts_": net.intercepts,
            "n_layers_": len(net.coefs) + 1,
            "n_outputs_": net.coefs[-1].shape[1],
            "out_activation_": net.output_activation,
            "_fitted_activation": net.activation,
        }
