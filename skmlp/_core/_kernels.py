"""Compiled kernels (numba, optional) and their NumPy fallbacks.

Sample-by-sample epochs of a single linear layer (Perceptron, Adaline SGD)
are a loop that NumPy cannot vectorise.  When numba is installed
(``pip install skmlp[fast]``) the loop is compiled, performing the
floating-point operations of the generic ``network.backward`` and
``SGD.step`` in the same order, so that the weights agree with the generic
training loop up to the summation order of the dot products ``x . w``.
Without numba, the Perceptron scans blocks of samples with one product each
(a sample it already classifies right changes nothing), so its weights agree
the same way, and Adaline solves each block's linear recursion at once,
which agrees up to rounding.

The mini-batch loop also uses, when numba is there, the momentum update and
the penalty's gradient fused into one pass over the parameters (about three
times faster than NumPy's passes; a fused Adam measured slower than NumPy's
and is not used); their NumPy versions live where they are used
(``network``, ``optimizers``).  Nothing here runs threads of its own: on two
cores, numba's parallel threads spinning between batches starve OpenBLAS's.
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


def _adaline_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, l2, block=64):
    """Adaline's per-sample updates over ``order``, a block at a time.

    The recursion is linear.  With ``gamma = 1 - eta l2`` and ``c_r`` the
    weight factor of the ``r``-th sample of a block, its residual before its
    own update is::

        e_r = gamma**r x_r . w_0 + b_0 - t_r
              - eta sum_{q<r} (gamma**(r-1-q) x_r . x_q + 1) c_q e_q

    a unit lower-triangular system in the block's residuals, solved at once;
    the weights then move by ``-eta sum_q gamma**(B-1-q) c_q e_q x_q``.  The
    result is the per-sample rule's up to rounding.
    """
    loss = 0.0
    n = len(order)
    gamma = 1 - eta * l2
    for start in range(0, n, block):
        rows = order[start : start + block]
        nb = len(rows)
        Xb = X[rows]
        c = np.full(nb, inv_norm) if s is None else s[rows] * inv_norm
        r = np.arange(nb)
        decay = gamma_powers(gamma, np.maximum(r[:, None] - 1 - r[None, :], 0))
        system = np.tril(decay * (Xb @ Xb.T) + 1, -1) * (eta * c)[None, :]
        system[r, r] = 1
        E = np.linalg.solve(system, gamma_powers(gamma, r)[:, None] * (Xb @ W) + b - T[rows])
        sample_loss = 0.5 * np.einsum("ij,ij->i", E, E)
        loss += float(sample_loss.sum() if s is None else s[rows] @ sample_loss)
        step = (eta * c * gamma_powers(gamma, nb - 1 - r))[:, None] * E
        if gamma != 1:
            W *= gamma**nb
        W -= Xb.T @ step
        b -= eta * (c @ E)
    return loss, 0


def gamma_powers(gamma, exponents):
    """``gamma ** exponents``, exactly one when ``gamma`` is."""
    if gamma == 1:
        return np.ones(np.shape(exponents))
    return gamma ** np.asarray(exponents, dtype=float)


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
    if step:
        return _perceptron_epoch_blocks(W, b, X, T, s, inv_norm, order, eta)
    return _adaline_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, l2)


def has_linear_sgd_epoch(step, l2):
    """Whether ``linear_sgd_epoch`` covers this case (the Perceptron's block
    scan needs ``l2 == 0``: with a penalty every sample changes the weights)."""
    return USE_NUMBA or not step or not l2
