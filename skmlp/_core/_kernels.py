"""Compiled kernels (numba, optional) and their NumPy fallbacks.

Sample-by-sample epochs of a single linear layer (Perceptron, Adaline SGD):

One update per sample is a loop that NumPy cannot vectorise.  When numba is
installed (``pip install skmlp[fast]``) the loop is compiled; otherwise the
Perceptron scans blocks of samples with one product each, since a sample it
already classifies right changes nothing, and Adaline runs the loop in
Python.  Every path performs the floating-point operations of the generic
``network.backward`` and ``SGD.step`` in the same order, so the weights agree
with the generic training loop (up to the summation order of the dot
products ``x . w``).

The mini-batch loop also uses, when numba is there, the momentum update and
the penalty's gradient fused into one pass over the parameters (about three
times faster than NumPy's passes; a fused Adam measured slower than NumPy's
and is not used); their NumPy versions live where they are
used (``network``, ``optimizers``).  Nothing here runs threads of its own:
on two cores, numba's parallel threads spinning between batches starve
OpenBLAS's.
"""

import numpy as np

try:  # pragma: no cover - depends on the environment
    import numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    numba = None
    HAVE_NUMBA = False

#: Whether the compiled kernels are used; tests switch it off to compare.
USE_NUMBA = HAVE_NUMBA


def _linear_sgd_epoch_python(W, b, X, T, s, inv_norm, order, eta, l2, step):
    n_out = W.shape[1]
    loss = 0.0
    errors = 0
    z = np.empty(n_out, dtype=W.dtype)
    d = np.empty(n_out, dtype=W.dtype)
    for i in order:
        x = X[i]
        t = T[i]
        np.matmul(x, W, out=z)
        z += b
        if step:
            a = np.where(z >= 0, 1, -1).astype(W.dtype)
            errors += int(np.any(a != t))
            sample_loss = float(np.maximum(-t * z, 0).sum())
        else:
            a = z
            sample_loss = 0.5 * float(np.dot(z - t, z - t))
        np.subtract(a, t, out=d)
        if s is None:
            loss += sample_loss
            if inv_norm != 1:
                d *= inv_norm
        else:
            loss += float(s[i]) * sample_loss
            d *= s[i] * inv_norm
        if not d.any() and not l2:
            continue
        g = np.multiply.outer(x, d)
        if l2:
            g += W * l2
        g *= eta
        W -= g
        gb = d * eta
        b -= gb
    return loss, errors


def _perceptron_epoch_blocks(W, b, X, T, s, inv_norm, order, eta):
    """Rosenblatt's rule over ``order``, scanning blocks until the next mistake."""
    n = len(order)
    loss = 0.0
    errors = 0
    block = 64
    pos = 0
    while pos < n:
        rows = order[pos : pos + block]
        Z = X[rows] @ W
        Z += b
        Tb = T[rows]
        wrong = np.any((Z >= 0) != (Tb > 0), axis=1)
        first = int(np.argmax(wrong)) if wrong.any() else len(rows)
        seen = slice(0, min(first + 1, len(rows)))
        sample_loss = np.maximum(-Tb[seen] * Z[seen], 0).sum(axis=1)
        loss += float(sample_loss.sum() if s is None else s[rows[seen]] @ sample_loss)
        if first == len(rows):
            pos += len(rows)
            block = min(2 * block, 4096)
            continue
        i = rows[first]
        d = np.where(Z[first] >= 0, 1, -1).astype(W.dtype) - T[i]
        if s is None:
            if inv_norm != 1:
                d *= inv_norm
        else:
            d *= s[i] * inv_norm
        g = np.multiply.outer(X[i], d)
        g *= eta
        W -= g
        gb = d * eta
        b -= gb
        errors += 1
        pos += first + 1
        block = max(16, 2 * (first + 1))
    return loss, errors


if HAVE_NUMBA:  # pragma: no branch

    @numba.njit(cache=True, nogil=True)
    def _linear_sgd_epoch_numba(W, b, X, T, s, weighted, inv_norm, order, eta, l2, step):
        n_features, n_out = W.shape
        loss = 0.0
        errors = 0
        z = np.empty(n_out, dtype=W.dtype)
        d = np.empty(n_out, dtype=W.dtype)
        for r in range(order.shape[0]):
            i = order[r]
            sample_loss = 0.0
            mistake = False
            for j in range(n_out):
                acc = 0.0
                for k in range(n_features):
                    acc += X[i, k] * W[k, j]
                z[j] = acc + b[j]
                if step:
                    a = 1.0 if z[j] >= 0 else -1.0
                    if a != T[i, j]:
                        mistake = True
                    sample_loss += max(-T[i, j] * z[j], 0.0)
                else:
                    a = z[j]
                    sample_loss += 0.5 * (z[j] - T[i, j]) ** 2
                d[j] = a - T[i, j]
            if mistake:
                errors += 1
            if weighted:
                loss += s[i] * sample_loss
                c = s[i] * inv_norm
                for j in range(n_out):
                    d[j] *= c
            else:
                loss += sample_loss
                if inv_norm != 1:
                    for j in range(n_out):
                        d[j] *= inv_norm
            nonzero = False
            for j in range(n_out):
                if d[j] != 0:
                    nonzero = True
            if not nonzero and l2 == 0:
                continue
            for j in range(n_out):
                for k in range(n_features):
                    g = X[i, k] * d[j]
                    if l2 != 0:
                        g += W[k, j] * l2
                    g *= eta
                    W[k, j] -= g
                b[j] -= d[j] * eta
        return loss, errors


if HAVE_NUMBA:  # pragma: no branch

    @numba.njit(cache=True, nogil=True)
    def add_scaled(g, p, c):
        """``g += c * p`` in one pass."""
        g = g.reshape(-1)
        p = p.reshape(-1)
        for i in range(g.shape[0]):
            g[i] += p[i] * c

    @numba.njit(cache=True, nogil=True)
    def momentum_step(p, g, v, eta, mu, nesterov):
        """``v <- mu v - eta g``; ``p <- p + v`` (or ``p + mu v - eta g``)."""
        p = p.reshape(-1)
        g = g.reshape(-1)
        v = v.reshape(-1)
        for i in range(p.shape[0]):
            step = g[i] * eta
            vi = v[i] * mu - step
            v[i] = vi
            if nesterov:
                p[i] += vi * mu - step
            else:
                p[i] += vi


def linear_sgd_epoch(W, b, X, T, s, inv_norm, order, eta, l2, step):
    """One epoch of per-sample gradient descent on a single linear layer.

    Parameters
    ----------
    W : ndarray of shape (n_features, n_outputs)
        Weights, updated in place.
    b : ndarray of shape (n_outputs,)
        Intercepts, updated in place.
    X : ndarray of shape (n_samples, n_features)
        Dense, C-contiguous.
    T : ndarray of shape (n_samples, n_outputs)
        Targets in ``{-1, +1}``.
    s : ndarray of shape (n_samples,) or None
        Sample weights.
    inv_norm : float
        ``1 / norm``, the inverse of a sample's expected weight.
    order : ndarray of int
        The samples to visit, in order.
    eta : float
        Learning rate.
    l2 : float
        ``alpha / S``.
    step : bool
        Unit-step output (Rosenblatt's rule) rather than identity (Adaline).

    Returns
    -------
    weighted_loss : float
        ``sum_i s_i ell_i`` with each sample's loss taken before its update.
    errors : int
        Samples whose step output was wrong (0 for the identity).

    Notes
    -----
    For each sample, ``d = (a - t) s_i / norm`` and then
    ``W <- W - eta (x d^T + l2 W)``, ``b <- b - eta d``.
    """
    if USE_NUMBA:
        weighted = s is not None
        s_arr = s if weighted else np.empty(0, dtype=W.dtype)
        loss, errors = _linear_sgd_epoch_numba(
            W,
            b,
            X,
            T,
            s_arr,
            weighted,
            W.dtype.type(inv_norm),
            order,
            W.dtype.type(eta),
            W.dtype.type(l2),
            step,
        )
        return float(loss), int(errors)
    if step and not l2:
        return _perceptron_epoch_blocks(W, b, X, T, s, inv_norm, order, eta)
    return _linear_sgd_epoch_python(W, b, X, T, s, inv_norm, order, eta, l2, step)
