"""Per-sample epochs of a single linear layer: the Perceptron and Adaline SGD.

A sample-by-sample epoch is a loop that NumPy cannot vectorise.
``linear_sgd_epoch`` runs one on a dense or a CSR ``X``: with the compiled
kernels below when numba is installed (``pip install skmlp[fast]``) and
``_kernels.USE_NUMBA`` is set (read at every call: the one switch for all
the kernels), with the NumPy versions of ``_linear_numpy`` otherwise.

================================  ======================================  ===================
kernel                            NumPy twin: the operations it performs  held to it by
================================  ======================================  ===================
``_linear_sgd_epoch_numba``       ``network.backward`` +                  [exact] [rule-p]
(dense ``X``)                     ``optimizers.SGD.step`` on one sample   [rule-a] [shrink]
                                  at a time, in their order up to the     [overflow] [paths]
                                  summation order of ``x . W``            [reference] [huge]
``_linear_sgd_epoch_csr_numba``   the dense kernel on each row's          the same with CSR
(CSR ``X``)                       non-zeros, ``W`` kept as                ``X``, [fold]
                                  ``wscale * W``                          [csr-fit]
``_linear_sgd_epoch_csr1_numba``  ``_linear_sgd_epoch_csr_numba`` with    the CSR tests with
(CSR ``X``, one output)           one output, in scalars: the same bits   ``n_classes=2``
``_delta`` (inlined into the      the output delta of                     through the three
three kernels)                    ``network.backward``: ``a - t``, and    kernels
                                  the output's loss
================================  ======================================  ===================

The tests are in ``tests/test_kernels.py`` unless named otherwise; each runs
every path (its ``path`` fixture sets ``_kernels.USE_NUMBA``) and compares
with ``reference_epoch``, the rule of ``linear_sgd_epoch`` written out one
sample at a time, or one path with the other:

- [exact] ``test_perceptron_is_exact_on_integers``: bit for bit.
- [rule-p] ``test_perceptron_follows_the_rule``, [rule-a]
  ``test_adaline_follows_the_rule``: weights, losses and mistakes.
- [shrink] ``test_right_samples_only_shrink``.
- [overflow] ``test_adaline_overflow_returns_a_non_finite_loss``.
- [fold] ``test_csr_scale_is_folded_back``.
- [paths] ``test_numba_and_numpy_paths_give_identical_perceptrons``: the
  compiled and the NumPy Perceptron, bit for bit, dense and CSR.
- [reference] ``tests/test_reference.py``: ``test_perceptron_*`` and
  ``test_adaline_stochastic_descent_is_the_per_sample_rule``, the
  estimators against the notes' rules.
- [huge] ``tests/test_divergence.py``:
  ``test_a_huge_row_is_divergence_on_every_path``.
- [csr-fit] ``tests/test_input_layouts.py``:
  ``test_csr_input_takes_the_per_sample_kernel``,
  ``test_non_canonical_csr_fits_like_its_dense_form``.

``_delta`` is compiled with ``inline="always"``: numba splices it into each
kernel's own code.  It takes and returns scalars only: an inlined helper
that took the arrays ``z``, ``T``, ``s`` and ``d`` would add four reference
count increments and decrements to every sample (5 to 8% of a one-output
dense epoch; the CSR kernels, which had it, are a fifth faster without).
Each kernel applies the sample's weight (``c = s_i / norm``) to the deltas
after rounding them to ``W``'s dtype, as ``network.backward`` does.  The
CSR kernels keep a decaying ``W`` as a scale times a matrix, so that a
decay costs O(1) rather than O(n_features); the dense one multiplies ``W``
itself.  Nothing here runs threads of its own.

The dense kernel sums ``x . W[:, j]`` in four running sums (of the
features ``k``, ``k + 1``, ``k + 2`` and ``k + 3`` of each group of four,
then ``(a0 + a1) + (a2 + a3)``).  Where every sample updates ``W``
(Adaline), a sample's product waits for the update before it, so one
running sum makes the epoch a chain of ``n_features`` dependent additions
per sample; four let the CPU add in parallel.  An Adaline epoch took 14.7
us instead of 20.5 on the breast cancer data (569 x 30) and 311 us instead
of 519 on 5 000 x 100 (AMD EPYC, float64); eight sums were no faster.  The
order of the sum is not the NumPy path's either (``X @ W``, BLAS's).
"""

import numpy as np
from scipy.sparse import issparse

from . import _kernels
from ._kernels import HAVE_NUMBA, numba
from ._linear_numpy import FOLD, linear_sgd_epoch_numpy


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
    parts = None
    if issparse(X):
        if X.format != "csr":
            raise TypeError(f"linear_sgd_epoch takes a CSR matrix, not {X.format!r}")
        parts = (X.data, X.indices, X.indptr)
    if not _kernels.USE_NUMBA:
        return linear_sgd_epoch_numpy(W, b, X, T, s, inv_norm, order, eta, decay, step, parts)
    weighted = s is not None
    s_arr = s if weighted else np.empty(0, dtype=W.dtype)
    dtype = W.dtype.type
    args = (T, s_arr, weighted, dtype(inv_norm), order, dtype(eta), float(decay), step)
    if parts is None:
        loss, errors = _linear_sgd_epoch_numba(W, b, X, *args)
    elif W.shape[1] == 1:
        loss, errors = _linear_sgd_epoch_csr1_numba(W, b, *parts, *args)
    else:
        loss, errors = _linear_sgd_epoch_csr_numba(W, b, *parts, *args)
    return float(loss), int(errors)


# -- compiled kernels ----------------------------------------------------------

if HAVE_NUMBA:  # pragma: no branch

    @numba.njit(cache=True, nogil=True, inline="always")
    def _delta(z, t, step):
        """The output delta ``a - t`` of one output ``z`` with target ``t``.

        Returns it with the output's loss and whether its step output is
        wrong.  Scalars only: an inlined helper taking arrays would add
        reference counting to every sample.
        """
        if step:
            a = 1.0 if z >= 0 else -1.0
            return a - t, max(-t * z, 0.0), a != t
        a = z
        return a - t, 0.5 * (z - t) ** 2, False

    @numba.njit(cache=True, nogil=True, inline="always")
    def _sample_start(s_i, weighted, inv_norm):
        """``(c, loss, mistake, nonzero)`` as a sample of weight ``s_i`` begins:
        its scale ``c = s_i / norm`` of the deltas, and what it adds up."""
        return (s_i * inv_norm if weighted else inv_norm), 0.0, False, False

    @numba.njit(cache=True, nogil=True)
    def _linear_sgd_epoch_numba(W, b, X, T, s, weighted, inv_norm, order, eta, decay, step):
        n_features, n_out = W.shape
        loss = 0.0
        errors = 0
        z = np.empty(n_out, dtype=W.dtype)
        d = np.empty(n_out, dtype=W.dtype)
        scaled = weighted or inv_norm != 1
        quads = n_features // 4
        for r in range(order.shape[0]):
            i = order[r]
            s_i = s[i] if weighted else 1.0
            c, sample_loss, mistake, nonzero = _sample_start(s_i, weighted, inv_norm)
            for j in range(n_out):
                # x . W[:, j] in four running sums (see the module's notes).
                a0 = a1 = a2 = a3 = 0.0
                for q in range(quads):
                    k = 4 * q
                    a0 += X[i, k] * W[k, j]
                    a1 += X[i, k + 1] * W[k + 1, j]
                    a2 += X[i, k + 2] * W[k + 2, j]
                    a3 += X[i, k + 3] * W[k + 3, j]
                for k in range(4 * quads, n_features):
                    a0 += X[i, k] * W[k, j]
                z[j] = ((a0 + a1) + (a2 + a3)) + b[j]
                d[j], ell, wrong = _delta(z[j], T[i, j], step)
                sample_loss += ell
                mistake |= wrong
            if scaled:
                for j in range(n_out):
                    d[j] *= c
            for j in range(n_out):
                nonzero |= d[j] != 0
            loss += sample_loss * s_i
            errors += mistake
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
        scaled = weighted or inv_norm != 1
        for r in range(order.shape[0]):
            i = order[r]
            lo = indptr[i]
            hi = indptr[i + 1]
            s_i = s[i] if weighted else 1.0
            c, sample_loss, mistake, nonzero = _sample_start(s_i, weighted, inv_norm)
            for j in range(n_out):
                acc = 0.0
                for p in range(lo, hi):
                    acc += data[p] * W[indices[p], j]
                z[j] = acc * wscale + b[j]
                d[j], ell, wrong = _delta(z[j], T[i, j], step)
                if scaled:
                    d[j] *= c
                sample_loss += ell
                mistake |= wrong
                nonzero |= d[j] != 0
            loss += sample_loss * s_i
            errors += mistake
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
        # _linear_sgd_epoch_csr_numba for one output, its updates in scalars
        # (a third faster); z and d still round to W's dtype: equal results.
        loss = 0.0
        errors = 0
        wscale = 1.0
        z = np.empty(1, dtype=W.dtype)
        d = np.empty(1, dtype=W.dtype)
        scaled = weighted or inv_norm != 1
        for r in range(order.shape[0]):
            i = order[r]
            lo = indptr[i]
            hi = indptr[i + 1]
            acc = 0.0
            for p in range(lo, hi):
                acc += data[p] * W[indices[p], 0]
            z[0] = acc * wscale + b[0]
            d[0], sample_loss, mistake = _delta(z[0], T[i, 0], step)
            if weighted:
                sample_loss *= s[i]
                d[0] *= s[i] * inv_norm
            elif scaled:
                d[0] *= inv_norm
            loss += sample_loss
            errors += mistake
            if decay != 1:
                wscale = _decay_scale(W, wscale, decay)
            d0 = d[0]
            if d0 == 0:
                continue
            if wscale == 1:
                for p in range(lo, hi):
                    g = data[p] * d0
                    g *= eta
                    W[indices[p], 0] -= g
            else:
                step_over_scale = d0 * eta / wscale
                for p in range(lo, hi):
                    W[indices[p], 0] -= data[p] * step_over_scale
            b[0] -= d0 * eta
        if wscale != 1:
            _fold(W, wscale)
        return loss, errors
