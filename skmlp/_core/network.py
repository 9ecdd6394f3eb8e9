"""The network: initialisation, forward propagation and backpropagation.

A network is a list of dense layers.  Layer ``l`` has weights ``W[l]`` of shape
``(fan_in, fan_out)`` and an intercept ``b[l]`` of shape ``(fan_out,)``.  For a
batch ``A[0] = X`` (samples in rows)::

    Z[l] = A[l-1] @ W[l] + b[l]        A[l] = phi_l(Z[l])

With per-sample weights ``s_i`` and ``S = sum_i s_i``, the objective is::

    J = (1/S) sum_i s_i sum_j ell(t_ij, a_ij)  +  alpha / (2 S) sum_l ||W[l]||_F^2

Nothing here validates its input: the estimators do that once, at the public
boundary.  Everything computes in the namespace of the parameters
(``Network.xp``): NumPy, through preallocated buffers, or any array API
namespace, on the parameters' device (see ``_xp``).
"""

from dataclasses import dataclass

import numpy as np

from . import _compiled_epoch, _kernels, _xp
from ._xp import into
from .activations import ACTIVATIONS, DERIVATIVES
from .losses import LOSSES_OF_Z, OUTPUT_LOSSES


def _matmul_into(A, B, out, xp=np):
    """``A @ B`` (written into ``out`` with NumPy), for a dense or a scipy.sparse ``A``."""
    if xp is not np:
        return A @ B
    if isinstance(A, np.ndarray) and isinstance(B, np.ndarray):
        return np.matmul(A, B, out=out)
    out[...] = A @ B
    return out


@dataclass(eq=False)
class Network:
    """Dense layers with one hidden activation and one output activation.

    Parameters
    ----------
    coefs : list of ndarray of shape (fan_in, fan_out)
        The weights ``W[l]`` of each layer, updated in place by training.
    intercepts : list of ndarray of shape (fan_out,)
        The intercepts ``b[l]`` of each layer.
    activation : str
        The hidden layers' activation, a key of ``ACTIVATIONS``.
    output_activation : str
        The output layer's activation; it fixes the loss (``OUTPUT_LOSSES``).
    xp : namespace, default=numpy
        The array namespace of the parameters, in which everything is
        computed (NumPy itself, or an array API namespace).
    """

    coefs: list
    intercepts: list
    activation: str
    output_activation: str
    xp: object = np

    @property
    def device(self):
        return _xp.device_of(self.coefs[0])

    @property
    def params(self):
        """All parameters, weights first, in the order of ``gradients``."""
        return self.coefs + self.intercepts

    @property
    def layer_sizes(self):
        return [self.coefs[0].shape[0]] + [W.shape[1] for W in self.coefs]

    @property
    def dtype(self):
        return self.coefs[0].dtype

    def squared_norm(self):
        """``sum_l ||W[l]||_F^2``, the quantity the L2 penalty scales."""
        if self.xp is np:
            return float(sum(np.vdot(W, W) for W in self.coefs))
        return float(sum(self.xp.sum(W * W) for W in self.coefs))

    def penalty(self, alpha, S):
        """The penalty term of ``J``: ``alpha / (2 S) sum_l ||W[l]||_F^2``.

        A zero ``alpha`` contributes exactly zero, also where the squared
        norm overflows (``0 * inf`` would be NaN).
        """
        if alpha == 0:
            return 0.0
        return alpha / (2 * S) * self.squared_norm()

    def copy_params(self):
        return [_xp.copy(self.xp, p) for p in self.params]

    def copy(self):
        """A network with copies of the parameters."""
        return Network(
            [_xp.copy(self.xp, W) for W in self.coefs],
            [_xp.copy(self.xp, b) for b in self.intercepts],
            self.activation,
            self.output_activation,
            self.xp,
        )

    def set_params(self, values):
        """Copy ``values`` into the parameters in place."""
        for p, v in zip(self.params, values):
            p[...] = v


@dataclass
class Architecture:
    """The network to build.

    Attributes
    ----------
    layer_sizes : list of int
        ``[n_features, *hidden_layer_sizes, n_outputs]``.
    activation, output_activation : str
        Keys of ``ACTIVATIONS``.
    init : {"zeros", "glorot"}
        ``"zeros"`` for the linear models; ``"glorot"`` draws each layer from
        ``U(-r, r)`` with ``r = sqrt(f / (fan_in + fan_out))``, ``f = 2`` for a
        logistic activation and ``6`` otherwise (Glorot and Bengio, 2010).
    """

    layer_sizes: list
    activation: str
    output_activation: str
    init: str = "glorot"


def initialize(architecture, random_state, dtype, xp=np, device=None):
    """Make a network with fresh parameters.

    Parameters
    ----------
    architecture : Architecture
    random_state : numpy.random.RandomState or numpy.random.Generator
        Source of the Glorot draws.
    dtype : dtype
        float32 or float64, of ``xp``.
    xp : namespace, default=numpy
        The namespace of the parameters.
    device : device, optional
        Where ``xp`` keeps them.  The Glorot draws are made on the host, so
        that a seed gives the same network in every namespace.
    """
    layer_sizes, activation = architecture.layer_sizes, architecture.activation
    init, output_activation = architecture.init, architecture.output_activation
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        if init == "zeros":
            W, b = np.zeros((fan_in, fan_out)), np.zeros(fan_out)
        else:
            factor = 2.0 if activation == "logistic" else 6.0
            bound = np.sqrt(factor / (fan_in + fan_out))
            W = random_state.uniform(-bound, bound, (fan_in, fan_out))
            b = random_state.uniform(-bound, bound, fan_out)
        coefs.append(_xp.asarray(xp, W, dtype, device))
        intercepts.append(_xp.asarray(xp, b, dtype, device))
    return Network(coefs, intercepts, activation, output_activation, xp)


class Dropout:
    """Inverted dropout of hidden units during training.

    Each hidden unit of layer ``l`` is kept with probability ``1 - p_l`` and
    scaled by ``1 / (1 - p_l)``, so the expected activation is unchanged and
    prediction uses the network as it is.

    Parameters
    ----------
    rates : list of float
        ``p_l`` for each hidden layer.
    random_state : numpy.random.RandomState or numpy.random.Generator
    """

    def __init__(self, rates, random_state):
        self.rates = rates
        self.random_state = random_state
        self.masks = [None] * len(rates)
        self.outputs = [None] * len(rates)

    def apply(self, l, A, xp=np):
        """Drop units of the hidden activations ``A`` of layer ``l``."""
        p = self.rates[l]
        if not p:
            return A
        # Drawn on the host, so that a seed drops the same units everywhere.
        draw = getattr(self.random_state, "random_sample", None) or self.random_state.random
        mask = (draw(A.shape) >= p) * (1 / (1 - p))
        mask = _xp.asarray(xp, mask, A.dtype, _xp.device_of(A))
        self.masks[l] = mask
        self.outputs[l] = A * mask
        return self.outputs[l]

    def input_of(self, l, A):
        """What layer ``l + 1`` saw of the hidden activations ``A``."""
        return self.outputs[l] if self.rates[l] else A


class Workspace:
    """Buffers for one batch size, reused across batches.

    The training loop runs every batch through the same buffers (the last,
    smaller batch through views of their first rows), so that it allocates
    nothing per batch but what NumPy's reductions need.  Namespaces without
    ``out=`` get no buffers: each pass stores its new arrays here instead.
    """

    def __init__(self, net, batch_size):
        sizes = net.layer_sizes[1:]
        self.batch_size = batch_size
        self.output_z = self.ones = None
        if net.xp is not np:
            self.activations = [None] * len(sizes)
            self.deltas = [None] * len(sizes)
            self.gradients = [None] * len(net.params)
            self.penalty = [None] * len(net.coefs)
            return
        dtype = net.dtype
        self.activations = [np.empty((batch_size, k), dtype=dtype) for k in sizes]
        self.deltas = [np.empty((batch_size, k), dtype=dtype) for k in sizes]
        # The losses of the logistic and the unit step read the output's
        # pre-activations, which the activation in place would overwrite.
        if net.output_activation in LOSSES_OF_Z:
            self.output_z = np.empty((batch_size, sizes[-1]), dtype=dtype)
        self.gradients = [np.empty_like(p) for p in net.params]
        # Room for the penalty's gradient, so that adding it allocates nothing.
        self.penalty = [np.empty_like(W) for W in net.coefs]
        self.ones = np.ones(batch_size, dtype=dtype)

    def rows(self, n):
        """Views of the buffers for a batch of ``n`` rows."""
        if self.ones is None or n == self.batch_size:
            return self.activations, self.deltas, self.output_z
        return (
            [A[:n] for A in self.activations],
            [D[:n] for D in self.deltas],
            None if self.output_z is None else self.output_z[:n],
        )


def forward(net, X, activations=None, output_z=None, dropout=None):
    """Propagate ``X`` through the network.

    Parameters
    ----------
    net : Network
    X : {array, sparse matrix} of shape (n_samples, n_features)
        In the namespace of ``net`` (a sparse matrix with NumPy only).
    activations : list of array, optional
        Buffers of shape ``(n_samples, fan_out)`` for each layer (NumPy);
        allocated when not given.  The list receives ``A[1], ..., A[L]``.
    output_z : ndarray, optional
        Buffer that keeps the output layer's pre-activations; without it they
        are overwritten by the activation, unless its loss reads them
        (``losses.LOSSES_OF_Z``), which gives them a buffer of their own.
    dropout : Dropout, optional
        Drops hidden units (training only).

    Returns
    -------
    activations : list of array
        ``A[1], ..., A[L]`` (``A[0]`` is ``X``).
    output_z : array
        The output layer's pre-activations (the same array as ``A[L]`` when
        its activation works in place).
    """
    xp = net.xp
    n = X.shape[0]
    if activations is None:
        activations = [
            np.empty((n, W.shape[1]), dtype=net.dtype) if xp is np else None for W in net.coefs
        ]
    last = len(net.coefs) - 1
    A_prev = X
    for l, (W, b) in enumerate(zip(net.coefs, net.intercepts)):
        name = net.activation if l < last else net.output_activation
        A = Z = activations[l]
        if l == last and output_z is not None:
            Z = output_z
        elif l == last and name in LOSSES_OF_Z and xp is np:
            Z = np.empty_like(A)
        Z = _matmul_into(A_prev, W, Z, xp)
        Z += b
        A = activations[l] = ACTIVATIONS[name](Z, out=A, xp=xp)
        A_prev = A if dropout is None or l == last else dropout.apply(l, A, xp)
    return activations, Z


def backward(net, batch, norm, l2, workspace, dropout=None):
    """Forward and backward pass of one batch: loss and gradient of ``J``.

    The gradient is ``A[l-1].T @ (s * D[l]) / norm + l2 * W[l]`` for the
    weights and ``sum_i s_i D[l]_i / norm`` for the intercepts, with
    ``D[L] = A[L] - T`` and ``D[l] = (D[l+1] @ W[l+1].T) * phi'(A[l])``.

    Parameters
    ----------
    net : Network
    batch : tuple
        ``(X, T, s)``: ``X`` {array, sparse matrix} of shape (n, n_features),
        the coded targets ``T`` of shape (n, n_outputs), and the sample
        weights ``s`` of shape (n,) or None (all ones).
    norm : float
        The denominator of the data term's gradient (``S`` for the whole
        data set; for a mini-batch its expected weight).
    l2 : float
        ``alpha / S``, the coefficient of the penalty's gradient.
    workspace : Workspace
        Buffers for at least ``n`` rows; its ``gradients`` receive the
        gradients, in the order of ``net.params``, and its ``activations``
        the batch's activations.
    dropout : Dropout, optional
        Drops hidden units; the gradient is that of the thinned network.

    Returns
    -------
    weighted_loss : float or 0-d array
        ``sum_i s_i sum_j ell(t_ij, a_ij)`` over the batch (no penalty), in
        float64; a 0-d array of ``net.xp`` outside NumPy, so that a batch
        does not wait for the device to report it.
    """
    X, T, s = batch
    xp = net.xp
    n = X.shape[0]
    activations, deltas, output_z = workspace.rows(n)
    gradients, penalty = workspace.gradients, workspace.penalty
    activations, Z = forward(net, X, activations, output_z, dropout)
    n_layers = len(net.coefs)
    deltas[-1], weighted_loss = output_delta(
        net.output_activation, activations[-1], Z, T, s, norm, deltas[-1], xp
    )
    for l in range(n_layers - 1, -1, -1):
        A_prev = X if l == 0 else activations[l - 1]
        if dropout is not None and l > 0:
            A_prev = dropout.input_of(l - 1, A_prev)
        g = gradients[l] = _matmul_into(A_prev.T, deltas[l], gradients[l], xp)
        if l2 and xp is np and _kernels.USE_NUMBA:
            _kernels.add_scaled(g, net.coefs[l], g.dtype.type(l2))
        elif l2 and xp is np:
            g += np.multiply(net.coefs[l], l2, out=penalty[l])
        elif l2:
            g += l2 * net.coefs[l]
        # Column sums as a product with ones: BLAS beats a strided reduction.
        if xp is np:
            np.matmul(workspace.ones[:n], deltas[l], out=gradients[n_layers + l])
        else:
            gradients[n_layers + l] = xp.sum(deltas[l], axis=0)
        if l > 0:
            delta = deltas[l - 1] = _matmul_into(deltas[l], net.coefs[l].T, deltas[l - 1], xp)
            if dropout is not None and dropout.rates[l - 1]:
                delta *= dropout.masks[l - 1]
            deltas[l - 1] = DERIVATIVES[net.activation](activations[l - 1], delta, xp)
    return weighted_loss


def output_delta(output_activation, A_out, Z, T, s, norm, D, xp=np):
    """The output layer's share of ``backward``: ``D = A - T`` (into ``D``
    with NumPy), weighted by ``s`` and divided by ``norm``, and the weighted
    loss ``sum_i s_i ell_i`` in float64.

    Returns
    -------
    D : array
        The output delta (``D`` itself with NumPy).
    weighted_loss : float or 0-d array
        As ``backward`` returns it.
    """
    # Every output activation is matched with its loss, so the derivative of
    # the loss with respect to Z[L] is A[L] - T whatever the pair.
    D = into(xp, "subtract", A_out, T, out=D)
    losses = OUTPUT_LOSSES[output_activation](T, A_out, Z, D, xp)
    # Weighting and normalising the output delta once weights every delta
    # below it too, since backpropagation is linear in D[L].  The loss is
    # summed in float64: float32 weights may be too large to sum, or to
    # divide by their total, in float32.
    if xp is np and s is None:
        weighted_loss = float(losses.sum(dtype=np.float64))
        if norm != 1:
            D *= 1 / norm
    elif xp is np:
        s64 = s.astype(np.float64)
        weighted_loss = float(s64 @ losses)
        s64 *= 1 / norm
        D *= s64[:, None]
    elif s is None:
        weighted_loss = xp.sum(xp.astype(losses, xp.float64))
        if norm != 1:
            D *= 1 / norm
    else:
        s64 = xp.astype(s, xp.float64)
        weighted_loss = xp.sum(s64 * xp.astype(losses, xp.float64))
        D *= xp.expand_dims(xp.astype(s64 * (1 / norm), D.dtype), axis=1)
    return D, weighted_loss


def data_terms(net, X, T, sample_weight, norm):
    """The data term of ``J``: ``sum_i s_i ell_i`` and its gradient over ``norm``.

    No penalty: ``add_penalty`` adds its gradient.  Both are sums over the
    rows, so they add up over blocks of rows (``rows.data_terms``).

    Returns
    -------
    weighted_loss : float
    gradients : list of ndarray
        In the order of ``net.params``.
    """
    ws = Workspace(net, X.shape[0])
    loss = backward(net, (X, T, sample_weight), norm, 0.0, ws)
    return float(loss), ws.gradients


def add_penalty(net, gradients, l2):
    """Add the penalty's gradient ``l2 * W[l]`` to the weights' gradients
    (nothing for a zero ``l2``)."""
    if not l2:
        return
    for W, g in zip(net.coefs, gradients):
        g += W * l2


def predict_output(net, X, chunk_size=4096):
    """The output layer's activations for ``X``, computed in row chunks (in
    one compiled call a chunk, ``_compiled_epoch.evaluate``, where the
    compiled loops implement the network and ``X`` is a dense array).

    Returns
    -------
    A : array of shape (n_samples, n_outputs)
    Z : array of shape (n_samples, n_outputs)
        The output pre-activations (the decision function).
    """
    if _compiled_epoch.evaluates(net, X):
        _, A, Z = _compiled_epoch.evaluate(net, X, chunk_size=chunk_size)
        return A, Z
    if net.xp is np:
        # A saturated logistic unit may output a subnormal number (its exp
        # form, chosen by speed), whose products underflow: harmless here.
        with np.errstate(under="ignore"):
            return _predict_output(net, X, chunk_size)
    return _predict_output(net, X, chunk_size)


def _predict_output(net, X, chunk_size):
    xp, n = net.xp, X.shape[0]
    if xp is not np:
        starts = range(0, n, chunk_size)
        chunks = [forward(net, X[start : min(start + chunk_size, n), ...]) for start in starts]
        return (
            xp.concat([acts[-1] for acts, _ in chunks]),
            xp.concat([Z for _, Z in chunks]),
        )
    n_out = net.coefs[-1].shape[1]
    A_out = np.empty((n, n_out), dtype=net.dtype)
    Z_out = np.empty_like(A_out)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        acts = [np.empty((stop - start, W.shape[1]), dtype=net.dtype) for W in net.coefs[:-1]]
        forward(net, X[start:stop], acts + [A_out[start:stop]], Z_out[start:stop])
    return A_out, Z_out
