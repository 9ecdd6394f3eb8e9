"""The objective ``J``: on training rows with its gradient, on data without
it (for validation and scoring), and by central differences."""

import numpy as np

from . import _compiled_epoch, _xp
from .losses import OUTPUT_LOSSES
from .network import add_penalty, predict_output
from .rows import make_rows


def rows_objective(net, rows, alpha):
    """``J`` on all of ``rows`` and its gradient (see ``objective``)."""
    S = rows.total_weight
    loss, gradients = rows.data_terms(net, S)
    add_penalty(net, gradients, alpha / S)
    return loss / S + net.penalty(alpha, S), gradients


def objective(net, X, T, sample_weight=None, alpha=0.0):
    """The objective ``J`` on the whole of ``X`` and its gradient.

    Parameters
    ----------
    net : Network
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    T : ndarray of shape (n_samples, n_outputs)
    sample_weight : ndarray of shape (n_samples,) or None
    alpha : float

    Returns
    -------
    J : float
    gradients : list of ndarray
        ``dJ/dW[1], ..., dJ/dW[L], dJ/db[1], ..., dJ/db[L]``.
    """
    return rows_objective(net, make_rows(X, T, sample_weight, net.xp), alpha)


def loss_terms(net, X, T, sample_weight=None):
    """``sum_i s_i ell_i`` and ``S`` on ``X``, without gradients, in row chunks.

    Both are sums over the rows, so they add up over blocks of rows.  Where
    the compiled loops implement the network, they compute the forward pass
    and the loss in one call (``_compiled_epoch.evaluate``).

    Returns
    -------
    weighted_loss, S : float
    A : array of shape (n_samples, n_outputs)
        The output activations, for scoring.
    Z : array of shape (n_samples, n_outputs)
        The output pre-activations.
    """
    xp = net.xp
    if _compiled_epoch.evaluates(net, X):
        total, A, Z = _compiled_epoch.evaluate(net, X, T, sample_weight)
    else:
        A, Z = predict_output(net, X)
        losses = OUTPUT_LOSSES[net.output_activation](T, A, Z, A - T, xp)
        total = _xp.float64_sum(xp, losses, sample_weight)
    S = float(X.shape[0]) if sample_weight is None else _xp.float64_sum(xp, sample_weight)
    return total, S, A, Z


def objective_value(net, X, T, sample_weight=None, alpha=0.0):
    """``J`` on ``X`` without its gradient, computed in row chunks.

    Returns
    -------
    J : float
    A : ndarray of shape (n_samples, n_outputs)
        The output activations, for scoring.
    Z : ndarray of shape (n_samples, n_outputs)
        The output pre-activations.
    """
    total, S, A, Z = loss_terms(net, X, T, sample_weight)
    return total / S + net.penalty(alpha, S), A, Z


def numerical_gradient(net, X, T, sample_weight=None, alpha=0.0, epsilon=1e-6):
    """Central differences of ``J``, parameter by parameter.

    ``(J(theta + epsilon e_k) - J(theta - epsilon e_k)) / (2 epsilon)`` for
    every entry ``k`` of every parameter: two evaluations of ``J`` each, so
    only for small networks and data (gradient checking).

    Returns
    -------
    gradients : list of ndarray
        In the order of ``net.params``, on the host.
    """
    grads = []
    for p in net.params:
        g = np.empty(p.shape)
        for idx in np.ndindex(p.shape):
            old = float(p[idx])
            p[idx] = old + epsilon
            plus = objective(net, X, T, sample_weight, alpha)[0]
            p[idx] = old - epsilon
            minus = objective(net, X, T, sample_weight, alpha)[0]
            p[idx] = old
            g[idx] = (plus - minus) / (2 * epsilon)
        grads.append(g)
    return grads
