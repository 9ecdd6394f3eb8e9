"""Compiled kernels (numba, optional) and their NumPy fallbacks.

Sample-by-sample epochs of a single linear layer (Perceptron, Adaline SGD)
are a loop that NumPy cannot vectorise.  ``linear_sgd_epoch`` runs one on a
dense or a CSR ``X``.  When numba is installed (``pip install skmlp[fast]``)
the loop is compiled, performing the floating-point operations of the
generic ``network.backward`` and ``SGD.step`` in the same order, so that the
weights agree with the generic training loop up to the summation order of
the dot products ``x . w``; on CSR input it touches only each row's
non-zeros, keeping a decaying ``W`` as a scale times a matrix.  Without
numba, the Perceptron scans blocks of samples with one product each (a
sample it already classifies right only shrinks the weights, or changes
nothing), so its weights agree up to rounding, bit for bit without a
penalty; Adaline solves each block's linear recursion at once (dense ``X``)
or loops over the samples in Python (CSR), which agrees up to rounding.

The mini-batch loop also uses, when numba is there, the momentum and Adam
updates, the penalty's gradient and the logistic and tanh derivatives, each
fused into one pass over its arrays (Adam's twelve NumPy passes take about
three times as long).  They perform the floating-point operations of their
NumPy versions, which live where they are used (``activations``,
``network``, ``optimizers``), in the same order, so that both paths compute
the same bits.  Nothing here runs threads of its own: on two cores, numba's
parallel threads spinning between batches starve OpenBLAS's.
"""

import math

import numpy as np
from scipy.linalg import solve_triangular
from scipy.sparse import issparse

try:  # pragma: no cover - depends on the environment
    import numba

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    numba = None
    HAVE_NUMBA = False

#: Whether the compiled kernels are used; tests switch it off to compare.
USE_NUMBA = HAVE_NUMBA

#: A CSR kernel folds its weight scale back into ``W`` once it leaves
#: ``[1 / FOLD, FOLD]``.
FOLD = 1e9


def gamma_powers(gamma, exponents):
    """``gamma ** exponents`` in float64, exactly one when ``gamma`` is (``0 ** 0 == 1``)."""
    if gamma == 1:
        return np.ones(np.shape(exponents))
    return np.float64(gamma) ** np.asarray(exponents, dtype=float)


def _shrink(W, wscale, factor):
    """Multiply the true weights ``wscale * W`` by ``factor``; return the new scale.

    Zero resets ``W``; a scale that grows too small or too large is folded
    back into ``W``.
    """
    wscale *= factor
    if wscale == 0:
        W[...] = 0
        return 1.0
    if not 1 / FOLD <= abs(wscale) <= FOLD:
        W *= wscale
        return 1.0
    return wscale


# -- NumPy fallbacks, dense X --------------------------------------------------


def _perceptron_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, decay):
    """Rosenblatt's rule over ``order``, scanning blocks until the next mistake.

    Between mistakes the weights only shrink, so the ``r``-th sample of a
    block that starts from ``(W0, b0)`` sees ``z_r = decay**r x_r . W0 + b0``.
    """
    n = len(order)
    loss = 0.0
    errors = 0
    block = 64
    pos = 0
    while pos < n:
        rows = order[pos : pos + block]
        Z = X[rows] @ W
        if decay != 1:
            Z *= gamma_powers(decay, np.arange(len(rows)))[:, None]
        Z += b
        Tb = T[rows]
        wrong = np.any((Z >= 0) != (Tb > 0), axis=1)
        first = int(np.argmax(wrong)) if wrong.any() else len(rows)
        seen = slice(0, min(first + 1, len(rows)))
        sample_loss = np.maximum(-Tb[seen] * Z[seen], 0).sum(axis=1)
        loss += float(sample_loss.sum() if s is None else s[rows[seen]] @ sample_loss)
        if first == len(rows):
            if decay != 1:
                W *= np.float64(decay) ** len(rows)
            pos += len(rows)
            block = min(2 * block, 4096)
            continue
        i = rows[first]
        d = _perceptron_delta(Z[first], T[i], s, i, inv_norm, W.dtype)
        if decay != 1:
            W *= np.float64(decay) ** (first + 1)
        g = np.multiply.outer(X[i], d)
        g *= eta
        W -= g
        gb = d * eta
        b -= gb
        errors += 1
        pos += first + 1
        block = max(16, 2 * (first + 1))
    return loss, errors


def _perceptron_delta(z, t, s, i, inv_norm, dtype):
    """``(step(z) - t) s_i inv_norm`` for one sample."""
    d = np.where(z >= 0, 1, -1).astype(dtype) - t
    if s is None:
        if inv_norm != 1:
            d *= inv_norm
    else:
        d *= s[i] * inv_norm
    return d


def _adaline_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, decay, block=64):
    """Adaline's per-sample updates over ``order``, a block at a time.

    The recursion is linear.  With ``gamma = decay`` and ``c_r`` the weight
    factor of the ``r``-th sample of a block, its residual before its own
    update is::

        e_r = gamma**r x_r . w_0 + b_0 - t_r
              - eta sum_{q<r} (gamma**(r-1-q) x_r . x_q + 1) c_q e_q

    a unit lower-triangular system in the block's residuals, solved at once;
    the weights then move by ``-eta sum_q gamma**(B-1-q) c_q e_q x_q``.  The
    result is the per-sample rule's up to rounding.  Non-finite data or
    weights return an infinite loss (the weights are then left half-updated).
    """
    loss = 0.0
    n = len(order)
    gamma = decay
    for start in range(0, n, block):
        rows = order[start : start + block]
        nb = len(rows)
        Xb = X[rows]
        c = np.full(nb, inv_norm) if s is None else s[rows] * inv_norm
        r = np.arange(nb)
        powers = gamma_powers(gamma, np.maximum(r[:, None] - 1 - r[None, :], 0))
        system = np.tril(powers * (Xb @ Xb.T) + 1, -1) * (eta * c)[None, :]
        rhs = gamma_powers(gamma, r)[:, None] * (Xb @ W) + b - T[rows]
        if not (np.isfinite(system).all() and np.isfinite(rhs).all()):
            return float("inf"), 0
        E = solve_triangular(system, rhs, lower=True, unit_diagonal=True, check_finite=False)
        sample_loss = 0.5 * np.einsum("ij,ij->i", E, E)
        loss += float(sample_loss.sum() if s is None else s[rows] @ sample_loss)
        step = (eta * c * gamma_powers(gamma, nb - 1 - r))[:, None] * E
        if gamma != 1:
            W *= np.float64(gamma) ** nb
        W -= Xb.T @ step
        b -= eta * (c @ E)
    return loss, 0


# -- NumPy fallbacks, CSR X ----------------------------------------------------


def _csr_gather(data, indices, indptr, order):
    """The non-zeros of the rows ``order`` of a CSR ``X``, in that order.

    Returns their values, their columns and ``bounds``: row ``order[r]``'s
    non-zeros are ``bounds[r]:bounds[r + 1]``.
    """
    starts = indptr[order]
    lengths = indptr[order + 1] - starts
    bounds = np.zeros(len(order) + 1, dtype=np.intp)
    np.cumsum(lengths, out=bounds[1:])
    at = np.repeat(starts - bounds[:-1], lengths) + np.arange(bounds[-1])
    return data[at], indices[at], bounds


def _perceptron_epoch_csr_blocks(W, b, data, indices, indptr, T, s, inv_norm, order, eta, decay):
    """``_perceptron_epoch_blocks`` on a CSR ``X``; the true weights are ``wscale * W``.

    The rows' non-zeros are gathered in visiting order once per epoch; a
    block's products then touch only its own non-zeros.
    """
    n = len(order)
    loss = 0.0
    errors = 0
    block = 64
    pos = 0
    wscale = 1.0
    values, columns, bounds = _csr_gather(data, indices, indptr, order)
    T = T[order]
    s = None if s is None else s[order]
    while pos < n:
        stop = min(pos + block, n)
        nb = stop - pos
        lo, hi = bounds[pos], bounds[stop]
        products = W[columns[lo:hi]]
        products *= values[lo:hi, None]
        Z = np.zeros((nb, W.shape[1]), dtype=products.dtype)
        starts = bounds[pos:stop]
        filled = starts < bounds[pos + 1 : stop + 1]
        if hi > lo:
            Z[filled] = np.add.reduceat(products, starts[filled] - lo, axis=0)
        if decay != 1:
            Z *= (wscale * gamma_powers(decay, np.arange(nb)))[:, None]
        Z += b
        Tb = T[pos:stop]
        wrong = np.any((Z >= 0) != (Tb > 0), axis=1)
        first = int(np.argmax(wrong)) if wrong.any() else nb
        seen = slice(0, min(first + 1, nb))
        sample_loss = np.maximum(-Tb[seen] * Z[seen], 0).sum(axis=1)
        loss += float(sample_loss.sum() if s is None else s[pos:stop][seen] @ sample_loss)
        if first == nb:
            if decay != 1:
                wscale = _shrink(W, wscale, np.float64(decay) ** nb)
            pos = stop
            block = min(2 * block, 4096)
            continue
        r = pos + first
        d = _perceptron_delta(Z[first], T[r], s, r, inv_norm, W.dtype)
        if decay != 1:
            wscale = _shrink(W, wscale, np.float64(decay) ** (first + 1))
        lo, hi = bounds[r], bounds[r + 1]
        g = np.multiply.outer(values[lo:hi], d)
        g *= eta
        if wscale != 1:
            g /= wscale
        # ufunc.at: a non-canonical row may repeat a column.
        np.subtract.at(W, columns[lo:hi], g)
        gb = d * eta
        b -= gb
        errors += 1
        pos = r + 1
        block = max(16, 2 * (first + 1))
    if wscale != 1:
        W *= wscale
    return loss, errors


def _adaline_epoch_csr(W, b, data, indices, indptr, T, s, inv_norm, order, eta, decay):
    """Adaline's per-sample updates on a CSR ``X``, one Python step per sample.

    Each step touches only the row's non-zeros; the true weights are
    ``wscale * W``, as in the compiled kernel.
    """
    loss = 0.0
    wscale = 1.0
    ptr = indptr.tolist()
    for i in order.tolist():
        lo, hi = ptr[i], ptr[i + 1]
        cols = indices[lo:hi]
        x = data[lo:hi]
        z = x @ W[cols]
        if wscale != 1:
            z *= wscale
        z += b
        e = z - T[i]
        sample_loss = 0.5 * float(e @ e)
        if s is None:
            loss += sample_loss
            d = e if inv_norm == 1 else (e * inv_norm).astype(W.dtype, copy=False)
        else:
            loss += float(s[i]) * sample_loss
            d = (e * (s[i] * inv_norm)).astype(W.dtype, copy=False)
        if decay != 1:
            wscale = _shrink(W, wscale, decay)
        elif not d.any():
            continue
        g = np.multiply.outer(x, d)
        g *= eta
        if wscale != 1:
            g /= wscale
        np.subtract.at(W, cols, g)
        gb = d * eta
        b -= gb
    if wscale != 1:
        W *= wscale
    return loss, 0


# -- compiled kernels ----------------------------------------------------------

if HAVE_NUMBA:  # pragma: no branch

    @numba.njit(cache=True, nogil=True, inline="always")
    def _delta(z, T, s, i, weighted, inv_norm, step, d):
        """``d <- (a - t) s_i inv_norm`` for sample ``i`` with outputs ``z``.

        Returns its weighted loss, whether its step output is wrong and
        whether ``d`` has a non-zero.
        """
        sample_loss = 0.0
        mistake = False
        for j in range(z.shape[0]):
            if step:
                a = 1.0 if z[j] >= 0 else -1.0
                if a != T[i, j]:
                    mistake = True
                sample_loss += max(-T[i, j] * z[j], 0.0)
            else:
                a = z[j]
                sample_loss += 0.5 * (z[j] - T[i, j]) ** 2
            d[j] = a - T[i, j]
        if weighted:
            sample_loss *= s[i]
            c = s[i] * inv_norm
            for j in range(d.shape[0]):
                d[j] *= c
        elif inv_norm != 1:
            for j in range(d.shape[0]):
                d[j] *= inv_norm
        nonzero = False
        for j in range(d.shape[0]):
            if d[j] != 0:
                nonzero = True
        return sample_loss, mistake, nonzero

    @numba.njit(cache=True, nogil=True)
    def _linear_sgd_epoch_numba(W, b, X, T, s, weighted, inv_norm, order, eta, decay, step):
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
            if not nonzero and decay == 1:
                continue
            for j in range(n_out):
                if decay == 1:
                    for k in range(n_features):
                        g = X[i, k] * d[j]
                        g *= eta
                        W[k, j] -= g
                else:
                    for k in range(n_features):
                        g = X[i, k] * d[j]
                        g *= eta
                        W[k, j] = W[k, j] * decay - g
                b[j] -= d[j] * eta
        return loss, errors

    @numba.njit(cache=True, nogil=True)
    def _fold(W, wscale):
        for k in range(W.shape[0]):
            for j in range(W.shape[1]):
                W[k, j] *= wscale

    @numba.njit(cache=True, nogil=True, inline="always")
    def _decay_scale(W, wscale, decay):
        """Multiply the true weights ``wscale * W`` by ``decay != 1``; return the new scale."""
        if decay == 0:
            W[:, :] = 0
            return 1.0
        wscale *= decay
        if not 1 / FOLD <= abs(wscale) <= FOLD:
            _fold(W, wscale)
            return 1.0
        return wscale

    @numba.njit(cache=True, nogil=True)
    def _linear_sgd_epoch_csr_numba(
        W, b, data, indices, indptr, T, s, weighted, inv_norm, order, eta, decay, step
    ):
        # The true weights are wscale * W: a decay costs O(1), not O(n_features).
        n_out = W.shape[1]
        loss = 0.0
        errors = 0
        wscale = 1.0
        z = np.empty(n_out, dtype=W.dtype)
        d = np.empty(n_out, dtype=W.dtype)
        step_over_scale = np.empty(n_out)
        for r in range(order.shape[0]):
            i = order[r]
            lo = indptr[i]
            hi = indptr[i + 1]
            for j in range(n_out):
                acc = 0.0
                for p in range(lo, hi):
                    acc += data[p] * W[indices[p], j]
                z[j] = acc * wscale + b[j]
            sample_loss, mistake, nonzero = _delta(z, T, s, i, weighted, inv_norm, step, d)
            loss += sample_loss
            if mistake:
                errors += 1
            if decay != 1:
                wscale = _decay_scale(W, wscale, decay)
            if not nonzero:
                continue
            if wscale == 1:
                for p in range(lo, hi):
                    k = indices[p]
                    x = data[p]
                    for j in range(n_out):
                        g = x * d[j]
                        g *= eta
                        W[k, j] -= g
            else:
                for j in range(n_out):
                    step_over_scale[j] = d[j] * eta / wscale
                for p in range(lo, hi):
                    k = indices[p]
                    x = data[p]
                    for j in range(n_out):
                        W[k, j] -= x * step_over_scale[j]
            for j in range(n_out):
                b[j] -= d[j] * eta
        if wscale != 1:
            _fold(W, wscale)
        return loss, errors

    @numba.njit(cache=True, nogil=True)
    def _linear_sgd_epoch_csr1_numba(
        W, b, data, indices, indptr, T, s, weighted, inv_norm, order, eta, decay, step
    ):
        # _linear_sgd_epoch_csr_numba for one output, in scalars (a third
        # faster); z and d still round to W's dtype, so the results are equal.
        loss = 0.0
        errors = 0
        wscale = 1.0
        zbuf = np.empty(1, dtype=W.dtype)
        dbuf = np.empty(1, dtype=W.dtype)
        for r in range(order.shape[0]):
            i = order[r]
            lo = indptr[i]
            hi = indptr[i + 1]
            acc = 0.0
            for p in range(lo, hi):
                acc += data[p] * W[indices[p], 0]
            zbuf[0] = acc * wscale + b[0]
            z = zbuf[0]
            t = T[i, 0]
            if step:
                a = 1.0 if z >= 0 else -1.0
                if a != t:
                    errors += 1
                sample_loss = max(-t * z, 0.0)
            else:
                a = z
                sample_loss = 0.5 * (z - t) ** 2
            dbuf[0] = a - t
            if weighted:
                sample_loss *= s[i]
                dbuf[0] *= s[i] * inv_norm
            elif inv_norm != 1:
                dbuf[0] *= inv_norm
            loss += sample_loss
            d = dbuf[0]
            if decay != 1:
                wscale = _decay_scale(W, wscale, decay)
            if d == 0:
                continue
            if wscale == 1:
                for p in range(lo, hi):
                    g = data[p] * d
                    g *= eta
                    W[indices[p], 0] -= g
            else:
                step_over_scale = d * eta / wscale
                for p in range(lo, hi):
                    W[indices[p], 0] -= data[p] * step_over_scale
            b[0] -= d * eta
        if wscale != 1:
            _fold(W, wscale)
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
        """``v <- mu v - eta g``; ``p <- p + v`` (or ``p - eta g + mu v``)."""
        p = p.reshape(-1)
        g = g.reshape(-1)
        v = v.reshape(-1)
        for i in range(p.shape[0]):
            step = g[i] * eta
            vi = v[i] * mu - step
            v[i] = vi
            if nesterov:
                p[i] = (p[i] - step) + vi * mu
            else:
                p[i] += vi

    @numba.njit(cache=True, nogil=True)
    def logistic_derivative(A, delta, one):
        """``delta <- delta A (1 - A)`` in one pass (``one``: 1 in the dtype of ``A``)."""
        A = A.reshape(-1)
        delta = delta.reshape(-1)
        for i in range(A.shape[0]):
            a = A[i]
            delta[i] = delta[i] * a * (one - a)

    @numba.njit(cache=True, nogil=True)
    def tanh_derivative(A, delta, one):
        """``delta <- delta (1 - A**2)`` in one pass."""
        A = A.reshape(-1)
        delta = delta.reshape(-1)
        for i in range(A.shape[0]):
            a = A[i]
            delta[i] = delta[i] * (one - a * a)

    # error_model="numpy": a division by zero gives inf, as in NumPy, with no
    # check per element that would keep the loop from being vectorised.
    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def adam_step(p, g, m, v, b1, b2, c1, c2, eps, eta):
        """Adam's update of one parameter in one pass.

        ``m <- b1 m + c1 g``, ``v <- b2 v + c2 (c1 g)**2`` and
        ``p <- p - eta m / (sqrt(v) + eps)``, with ``c2 = (1 - b2) / c1**2``:
        the operations of ``Adam.step``'s NumPy passes, in their order.
        """
        p = p.reshape(-1)
        g = g.reshape(-1)
        m = m.reshape(-1)
        v = v.reshape(-1)
        for i in range(p.shape[0]):
            gi = g[i] * c1
            mi = m[i] * b1 + gi
            vi = v[i] * b2 + gi * gi * c2
            m[i] = mi
            v[i] = vi
            p[i] -= mi / (math.sqrt(vi) + eps) * eta


def linear_sgd_epoch(W, b, X, T, s, inv_norm, order, eta, decay, step):
    """One epoch of per-sample gradient descent on a single linear layer.

    Parameters
    ----------
    W : ndarray of shape (n_features, n_outputs)
        Weights, updated in place.
    b : ndarray of shape (n_outputs,)
        Intercepts, updated in place.
    X : ndarray or scipy.sparse CSR matrix of shape (n_samples, n_features)
        Dense (C-contiguous is fastest) or CSR, of ``W``'s dtype.  A CSR
        ``X`` may have unsorted or repeated column indices; only its
        non-zeros are touched.
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
    decay : float
        The factor the weights (not the intercepts) are multiplied by at
        every sample: ``1 - eta alpha / S`` (Adaline) or its maximum with 0
        (Perceptron).  With ``decay == 1`` nothing is multiplied.
    step : bool
        Unit-step output (Rosenblatt's rule) rather than identity (Adaline).

    Returns
    -------
    weighted_loss : float
        ``sum_i s_i ell_i`` with each sample's loss taken before its update;
        not finite when the weights or the data overflow (the weights are
        then garbage: the caller restores them).
    errors : int
        Samples whose step output was wrong (0 for the identity).

    Notes
    -----
    For each sample ``i`` of ``order``: ``z = x_i . W + b``,
    ``d = (a - t_i) s_i / norm`` and then ``W <- decay W - eta x_i d^T``,
    ``b <- b - eta d``.  With ``decay == 1`` a sample with ``d == 0``
    changes nothing.
    """
    csr = issparse(X)
    if csr:
        if X.format != "csr":
            raise TypeError(f"linear_sgd_epoch takes a CSR matrix, not {X.format!r}")
        parts = (X.data, X.indices, X.indptr)
    if USE_NUMBA:
        weighted = s is not None
        s_arr = s if weighted else np.empty(0, dtype=W.dtype)
        dtype = W.dtype.type
        args = (T, s_arr, weighted, dtype(inv_norm), order, dtype(eta), float(decay), step)
        if csr and W.shape[1] == 1:
            loss, errors = _linear_sgd_epoch_csr1_numba(W, b, *parts, *args)
        elif csr:
            loss, errors = _linear_sgd_epoch_csr_numba(W, b, *parts, *args)
        else:
            loss, errors = _linear_sgd_epoch_numba(W, b, X, *args)
        return float(loss), int(errors)
    # Overflow shows in the returned loss, whatever the caller's np.errstate.
    with np.errstate(all="ignore"):
        if csr and step:
            return _perceptron_epoch_csr_blocks(W, b, *parts, T, s, inv_norm, order, eta, decay)
        if csr:
            return _adaline_epoch_csr(W, b, *parts, T, s, inv_norm, order, eta, decay)
        if step:
            return _perceptron_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, decay)
        return _adaline_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, decay)
