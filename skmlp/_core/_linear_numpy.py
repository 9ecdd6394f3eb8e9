"""NumPy versions of the per-sample epochs of a single linear layer.

``linear_sgd_epoch`` (in ``_linear_epochs``) runs these when numba is not
installed or ``_kernels.USE_NUMBA`` is off.  They reproduce the compiled
kernels' rule with NumPy's whole-array operations:

=============================  ==========================================  ===================
function                       what it reproduces                          held to it by
=============================  ==========================================  ===================
``_perceptron_scan`` on        the compiled Perceptron                     [paths] [exact]
``_DenseRows`` or              (``_linear_sgd_epoch_numba`` and the CSR    [rule-p] [shrink]
``_CSRRows``                   kernels): bit for bit without a penalty,    [huge]
                               up to rounding with one
``_adaline_epoch_blocks``      the compiled dense Adaline                  [rule-a] [shrink]
(dense ``X``)                  (``_linear_sgd_epoch_numba``), up to        [overflow] [huge]
                               rounding: a block's recursion solved
``_adaline_epoch_csr``         the compiled CSR Adaline                    [rule-a] [shrink]
(CSR ``X``)                    (``_linear_sgd_epoch_csr*_numba``), up to   [overflow] [fold]
                               rounding: one Python step a sample
=============================  ==========================================  ===================

The labels name tests of ``tests/test_kernels.py`` (and ``tests/test_divergence.py``
for [huge]) and are spelled out in ``_linear_epochs``'s docstring.

The Perceptron's scan exploits the rule: between mistakes the weights only
shrink, so a block of samples needs one product.  It is written once; the
two ``*Rows`` classes give it a block's products and a mistake's update on
dense or CSR rows.  The CSR versions keep a decaying ``W`` as a scale times
a matrix, so that a decay costs O(1) rather than O(n_features); the dense
ones multiply ``W`` itself.
"""

import numpy as np
from scipy.linalg import solve_triangular

#: A CSR epoch folds its weight scale back into ``W`` once it leaves
#: ``[1 / FOLD, FOLD]``.
FOLD = 1e9


def linear_sgd_epoch_numpy(W, b, X, T, s, inv_norm, order, eta, decay, step, parts=None):
    """``_linear_epochs.linear_sgd_epoch`` with NumPy; ``parts``: a CSR ``X``'s arrays.

    Overflow shows in the returned loss, whatever the caller's ``np.errstate``.
    """
    with np.errstate(all="ignore"):
        if step:
            rows = _DenseRows(W, X, order) if parts is None else _CSRRows(W, *parts, order)
            return _perceptron_scan(rows, b, T[order], s, order, inv_norm, eta, decay)
        if parts is not None:
            return _adaline_epoch_csr(W, b, *parts, T, s, inv_norm, order, eta, decay)
        return _adaline_epoch_blocks(W, b, X, T, s, inv_norm, order, eta, decay)


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


# -- NumPy fallbacks: the Perceptron ---------------------------------------------


class _DenseRows:
    """The rows ``order`` of a dense ``X`` as the Perceptron scan sees them.

    ``scale`` is the factor the true weights are ``W`` times (always 1 here:
    a decay multiplies ``W`` itself).
    """

    scale = 1.0

    def __init__(self, W, X, order):
        self.W, self.X, self.order = W, X, order

    def products(self, start, stop):
        """``X[order[start:stop]] @ W``."""
        return self.X[self.order[start:stop]] @ self.W

    def shrink(self, factor):
        """Multiply the true weights by ``factor``."""
        self.W *= factor

    def subtract(self, r, d, eta):
        """``W -= eta x d^T`` for the ``r``-th row visited."""
        g = np.multiply.outer(self.X[self.order[r]], d)
        g *= eta
        self.W -= g

    def finish(self):
        """Nothing to fold back."""


class _CSRRows:
    """The rows ``order`` of a CSR ``X``; the true weights are ``scale * W``.

    The rows' non-zeros are gathered in visiting order once per epoch; a
    block's products then touch only its own non-zeros.
    """

    def __init__(self, W, data, indices, indptr, order):
        self.W = W
        self.scale = 1.0
        starts = indptr[order]
        lengths = indptr[order + 1] - starts
        # Row order[r]'s non-zeros are bounds[r]:bounds[r + 1].
        self.bounds = np.zeros(len(order) + 1, dtype=np.intp)
        np.cumsum(lengths, out=self.bounds[1:])
        at = np.repeat(starts - self.bounds[:-1], lengths) + np.arange(self.bounds[-1])
        self.values, self.columns = data[at], indices[at]

    def products(self, start, stop):
        """``X[order[start:stop]] @ W`` from the rows' non-zeros."""
        bounds = self.bounds
        lo, hi = bounds[start], bounds[stop]
        products = self.W[self.columns[lo:hi]]
        products *= self.values[lo:hi, None]
        Z = np.zeros((stop - start, self.W.shape[1]), dtype=products.dtype)
        starts = bounds[start:stop]
        filled = starts < bounds[start + 1 : stop + 1]
        if hi > lo:
            Z[filled] = np.add.reduceat(products, starts[filled] - lo, axis=0)
        return Z

    def shrink(self, factor):
        """Multiply the true weights by ``factor`` (in ``scale``)."""
        self.scale = _shrink(self.W, self.scale, factor)

    def subtract(self, r, d, eta):
        """``W -= eta x d^T / scale`` for the ``r``-th row visited."""
        lo, hi = self.bounds[r], self.bounds[r + 1]
        g = np.multiply.outer(self.values[lo:hi], d)
        g *= eta
        if self.scale != 1:
            g /= self.scale
        # ufunc.at: a non-canonical row may repeat a column.
        np.subtract.at(self.W, self.columns[lo:hi], g)

    def finish(self):
        """Fold the scale back into ``W``."""
        if self.scale != 1:
            self.W *= self.scale


def _perceptron_scan(rows, b, T, s, order, inv_norm, eta, decay):
    """Rosenblatt's rule over ``rows``, scanning blocks until the next mistake.

    ``T`` is in visiting order, ``s`` (or None) in data order.  Between
    mistakes the weights only shrink, so the ``r``-th sample of a block that
    starts from ``(W0, b0)`` sees ``z_r = decay**r x_r . W0 + b0``.
    """
    n = len(order)
    loss = 0.0
    errors = 0
    block = 64
    pos = 0
    while pos < n:
        stop = min(pos + block, n)
        nb = stop - pos
        Z = rows.products(pos, stop)
        if decay != 1:
            Z *= (rows.scale * gamma_powers(decay, np.arange(nb)))[:, None]
        Z += b
        Tb = T[pos:stop]
        wrong = np.any((Z >= 0) != (Tb > 0), axis=1)
        first = int(np.argmax(wrong)) if wrong.any() else nb
        seen = slice(0, min(first + 1, nb))
        sample_loss = np.maximum(-Tb[seen] * Z[seen], 0).sum(axis=1)
        loss += float(sample_loss.sum() if s is None else s[order[pos:stop][seen]] @ sample_loss)
        if first == nb:
            if decay != 1:
                rows.shrink(np.float64(decay) ** nb)
            pos = stop
            block = min(2 * block, 4096)
            continue
        d = _perceptron_delta(Z[first], Tb[first], s, order[pos + first], inv_norm, rows.W.dtype)
        if decay != 1:
            rows.shrink(np.float64(decay) ** (first + 1))
        rows.subtract(pos + first, d, eta)
        gb = d * eta
        b -= gb
        errors += 1
        pos += first + 1
        block = max(16, 2 * (first + 1))
    rows.finish()
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


# -- NumPy fallbacks: Adaline --------------------------------------------------


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
