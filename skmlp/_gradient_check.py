"""Gradient checking: comparing backpropagation with central differences."""

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from ._core import Network, numerical_gradient, objective


def check_gradients(estimator, X, y, sample_weight=None, *, epsilon=1e-6):
    """Compare backpropagation's gradient of ``J`` with central differences.

    Each parameter ``theta_k`` of a fitted estimator is moved by
    ``+- epsilon`` and ``(J(theta + epsilon e_k) - J(theta - epsilon e_k)) /
    (2 epsilon)`` is compared with the analytic ``dJ/dtheta_k``, in float64,
    on the given data and with the estimator's ``alpha`` and weights.  That
    costs two evaluations of ``J`` per parameter: use a small network and a
    few samples.  An unfitted estimator is first fitted for one epoch.

    Parameters
    ----------
    estimator : AdalineClassifier, AdalineRegressor, MLPBackpropClassifier \
            or MLPBackpropRegressor
        The model whose objective is checked (the Perceptron's rule is not
        the gradient of a differentiable objective).
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Labels among the estimator's classes, or target values.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    epsilon : float, default=1e-6
        The step of the central differences.

    Returns
    -------
    relative_errors : ndarray of shape (n_layers - 1,)
        For each layer ``l``, ``||g - n|| / (||g|| + ||n||)`` over its weights
        and intercept, with ``g`` the analytic and ``n`` the numerical
        gradient (0 when both vanish).  Values near ``1e-7`` or below mean
        that backpropagation is right; values near 1 mean it is not.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skmlp import MLPBackpropClassifier, check_gradients
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(3,), alpha=0.1, random_state=0)
    >>> errors = check_gradients(clf, X[::10], y[::10])
    >>> errors.shape
    (2,)
    >>> bool(errors.max() < 1e-6)
    True
    """
    if getattr(estimator, "_output_activation", None) == "step":
        raise ValueError(
            "The perceptron's update rule is not the gradient of a differentiable "
            "objective; there is no gradient to check."
        )
    try:
        check_is_fitted(estimator)
    except Exception:
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator = clone(estimator).set_params(max_iter=1).fit(X, y, sample_weight)
    X, T, s = estimator._objective_data(X, y, sample_weight)
    fitted = estimator._network()
    net = Network(
        [W.astype(np.float64) for W in fitted.coefs],
        [b.astype(np.float64) for b in fitted.intercepts],
        fitted.activation,
        fitted.output_activation,
    )
    X = X.astype(np.float64)
    T = T.astype(np.float64)
    s = None if s is None else s.astype(np.float64)
    alpha = estimator.alpha
    analytic = [g.copy() for g in objective(net, X, T, s, alpha)[1]]
    numeric = numerical_gradient(net, X, T, s, alpha, epsilon)
    n_layers = len(net.coefs)
    errors = np.empty(n_layers)
    for l in range(n_layers):
        a = np.concatenate([analytic[l].ravel(), analytic[n_layers + l]])
        n = np.concatenate([numeric[l].ravel(), numeric[n_layers + l]])
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        errors[l] = np.linalg.norm(a - n) / scale if scale else 0.0
    return errors
