"""A mini-batch epoch of a dense network in one compiled call (numba).

On small data a batch's products take a few microseconds, and the epoch's
time goes to the Python and NumPy calls around them: gathering the batch,
adding the intercepts, weighting the deltas, assembling the gradients, the
optimizer's passes, each one call with its own overhead (about ninety per
batch).  ``CompiledPass`` runs every batch of an epoch in one call (a large
epoch in several, ``CALL_PRODUCTS``, so that Ctrl-C is seen between them): the
loop, the gather, the products (``np.dot``, which numba sends to BLAS, as
NumPy's ``matmul``), the gradients, the logistic and tanh derivatives, the
logistic hidden units in float64 (with an ``exp`` of their own that LLVM
vectorises, ``_logistic``), the output layer (its activation, delta and
loss; the logistic output with that ``exp`` and a ``log1p`` of its own,
``_logistic_output``) and the optimizer's updates are compiled.  The other
transcendental hidden activations (``tanh``, ``elu``, ``softplus``, and the
logistic in float32) are NumPy's own functions (``activations``), called
from the compiled loop (numba's ``objmode``, 1.5 us a call on an AMD EPYC).
They stay NumPy's because NumPy computes ``exp`` and ``tanh`` with
vectorised kernels, while numba calls the C library one element at a time,
five to twenty times slower on an AVX-512 CPU (numba's vectorised SVML
needs a llvmlite built with it, which PyPI's is not).

It is an optimisation of the same mathematics: ``network.backward``,
``epochs.BatchEpoch`` and the optimizers' steps stay the reference.  This
performs their operations in their order and in the data's dtype (the
constants cast to it first, as NumPy casts a Python scalar), with the same
compiled updates (``_kernels.momentum_step``, ``adam_step``,
``add_scaled``, ``scale_by_derivative``).  Only the products, the sums,
the logistic units and the output layer's ``exp`` and ``log`` may round
differently (numba's BLAS calls, the C library's functions, ``_logistic``
and ``_logistic_output`` are not NumPy's), so the two paths agree to
rounding: ``tests/test_kernels.py::test_the_compiled_epoch_equals_the_batch_one``
holds them to 1e-12 (float64) and 1e-5 (float32) relative.

What it covers (``supports``): dense NumPy rows, every hidden activation,
the identity, logistic and softmax outputs, plain or momentum SGD and Adam,
no dropout.  Anything else runs through ``BatchEpoch``.

The same forward pass and output layer (``_forward``, ``_output``) give the
outputs and the loss on data without gradients (``evaluate``, for
``network.predict_output`` and ``objective.loss_terms``: predictions and
the validation after every epoch), where NumPy's takes a dozen calls for a
few microseconds of arithmetic each.
"""

import functools
import math

import numpy as np

from . import _kernels
from .activations import ACTIVATIONS, DERIVATIVES
from .losses import binary_log_loss_cap

#: The hidden activations, by the code the compiled loop passes back.
HIDDEN = tuple(DERIVATIVES)
IDENTITY, RELU = HIDDEN.index("identity"), HIDDEN.index("relu")
LOGISTIC_HIDDEN, TANH = HIDDEN.index("logistic"), HIDDEN.index("tanh")
#: The output activations (each with its matched loss), by code.
OUTPUT = ("identity", "logistic", "softmax")
LOGISTIC, SOFTMAX = OUTPUT.index("logistic"), OUTPUT.index("softmax")
# The output layer is compiled whatever its width.  For 200 rows on an AMD
# EPYC (AVX-512), a logistic output (``_logistic_output``) took 3.2, 3.9,
# 5.1 and 8.9 us for 1, 2, 4 and 10 units in float64 (4.3 to 9.4 in
# float32), where NumPy's (``activations.logistic`` and
# ``network.output_delta``) took 14, 15, 18 and 25 us before the call back
# into Python; a softmax output took 7 to 17 us for 2 to 6 units against
# NumPy's 34 to 39.

#: Optimizer steps, by code.
SGD_PLAIN, SGD_MOMENTUM, ADAM = 0, 1, 2

#: Whether ``make_epoch`` may choose the compiled epoch (tests and benchmarks
#: switch it off to run the batch-by-batch path with the same kernels).
ENABLED = True


#: The multiply-adds of the forward products that one compiled call may
#: cover: an epoch of more runs in several calls, so that Ctrl-C (which
#: Python sees between calls) stops training within a fraction of a second.
#: 60 000 x 784 rows with 100 hidden units, in batches of 200, take 25 calls.
CALL_PRODUCTS = 200_000_000


def supports(net, rows, optimizer, dropout, batch_size):
    """Whether ``CompiledPass`` implements this network, rows and optimizer
    (``dropout``: whether any unit is dropped).

    Where it does it is the faster, small data or large: one epoch on
    60 000 x 784 rows, 100 logistic hidden units, batches of 200, took
    0.51 s compiled against 0.56 to 0.57 s batch by batch in float64, and
    0.28 against 0.28 in float32 (sgd with momentum and adam; AMD EPYC with
    AVX-512, one BLAS thread).
    """
    from .optimizers import SGD, Adam

    return (
        _implements(net)
        and getattr(rows, "sparse", True) is False
        and not dropout
        and (type(optimizer) is Adam or (type(optimizer) is SGD and not optimizer.decays_weights))
    )


def evaluates(net, X):
    """Whether ``evaluate`` implements ``net`` on the rows ``X`` (dense NumPy
    rows of the network's dtype)."""
    return _implements(net) and isinstance(X, np.ndarray) and X.dtype == net.dtype


def _implements(net):
    """Whether the compiled loops implement the network ``net``."""
    return (
        ENABLED
        and _kernels.USE_NUMBA
        and net.xp is np
        and net.activation in HIDDEN
        and net.output_activation in OUTPUT
        and all(p.flags.c_contiguous for p in net.params)
    )


def _own_logistic(net):
    """Whether the loops compute the hidden logistic units themselves
    (``_logistic``, float64) rather than call NumPy's."""
    return net.dtype == np.float64 and net.activation == "logistic"


def _terms_buffer(net, n_rows):
    """Room for a logistic output's targets and loss terms on ``n_rows`` rows
    (``_logistic_output``); none for the other outputs."""
    n_out = net.coefs[-1].shape[1]
    return np.empty(n_rows * n_out if net.output_activation == "logistic" else 0)


@functools.cache
def _constants(dtype):
    """``(half, zero, one, eps, cap)`` in ``dtype``, for ``_output`` (once
    per dtype: every validation asks)."""
    return (
        dtype.type(0.5), dtype.type(0), dtype.type(1), np.finfo(dtype).eps,
        binary_log_loss_cap(dtype),
    )  # fmt: skip


def evaluate(net, X, T=None, sample_weight=None, chunk_size=4096):
    """``network.predict_output`` and, given the targets ``T``, the matched
    output loss on the rows ``X``, compiled, in chunks of ``chunk_size`` rows.

    ``network.predict_output`` and ``objective.loss_terms`` take this where
    ``evaluates(net, X)``, so that predictions and the validation of every
    epoch see the same outputs.  On 120 rows of the digits the forward pass
    and loss took 23 us with 30 logistic hidden units and 53 us with 100,
    where NumPy's took 56 and 101; the forward pass alone, with 100 units,
    9 us for one row (NumPy's 14) and 0.90 ms for 1 797 (1.16); AMD EPYC,
    float64.  It agrees with NumPy's to rounding, as ``CompiledPass`` does.

    Returns
    -------
    weighted_loss : float
        ``sum_i s_i ell_i`` (0 without ``T``).
    A, Z : ndarray of shape (n_samples, n_outputs)
        The output activations and pre-activations.
    """
    dtype = net.dtype
    n, n_out = X.shape[0], net.coefs[-1].shape[1]
    A = np.empty((n, n_out), dtype=dtype)
    Z = np.empty_like(A)
    rows = max(1, min(n, chunk_size))
    acts = tuple(np.empty((rows, W.shape[1]), dtype=dtype) for W in net.coefs)
    D = np.empty((rows, n_out), dtype=dtype)
    half, zero, one, eps, cap = _constants(dtype)
    no_weights = np.empty(0, dtype=dtype)
    # Without targets, the output layer's loss is computed against zeros
    # and dropped: the activation is the same.
    no_targets = np.zeros((rows, n_out), dtype=dtype) if T is None else None
    head = (tuple(net.coefs), tuple(net.intercepts), acts, D)
    tail = (
        HIDDEN.index(net.activation), OUTPUT.index(net.output_activation), half, one, eps, cap,
        _terms_buffer(net, rows), np.zeros(3, dtype=dtype), _own_logistic(net), zero,
    )  # fmt: skip
    total = 0.0
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        t = no_targets[: stop - start] if T is None else T[start:stop]
        s = no_weights if sample_weight is None else sample_weight[start:stop]
        total += _evaluate(np.ascontiguousarray(X[start:stop]), t, s, *head, Z[start:stop], *tail)
        A[start:stop] = acts[-1][: stop - start]
    return (0.0 if T is None else total), A, Z


# -- the NumPy functions the compiled loop calls back ---------------------------


def _activate(Z, code):
    """``forward``'s hidden activation, in place."""
    ACTIVATIONS[HIDDEN[code]](Z, out=Z)


def _derive(A, delta, code):
    """``backward``'s derivative, in place."""
    DERIVATIVES[HIDDEN[code]](A, delta)


if _kernels.HAVE_NUMBA:  # pragma: no branch
    import numba
    from llvmlite import ir
    from numba import objmode
    from numba.core import types
    from numba.extending import intrinsic

    from ._kernels import (
        adam_step,
        add_scaled,
        all_finite,
        momentum_step,
        scale_by_derivative,
    )

    # One small function per call back into Python: numba lifts an objmode
    # block reliably out of a function of its own, not out of nested loops.
    @numba.njit(cache=True)
    def _activate_back(Z, code):
        with objmode():
            _activate(Z, code)

    @numba.njit(cache=True)
    def _derive_back(A, delta, code):
        with objmode():
            _derive(A, delta, code)

    # exp of a float64 in compiled loops that LLVM vectorises (numba's calls
    # the C library one element at a time): exp(x) = 2**k e**r, with k the
    # integer nearest x / ln 2 and r = x - k ln 2 in [-ln 2 / 2, ln 2 / 2]
    # (ln 2 in two parts, so that k ln 2 is exact), e**r by its Taylor
    # polynomial of degree 12 (the remainder is below 2e-16 relative), and
    # 2**k from its bits.  k is rounded by adding 1.5 * 2**52, which leaves it
    # in the low bits of the sum; the bits move between float and integer by
    # ``_float_bits`` and ``_bits_float``, which cost nothing, so that the
    # whole computation is one vectorised loop.  The loops that inline it
    # let LLVM fuse each multiply-add (``fastmath={"contract"}``), which only
    # drops a rounding: on 200 x 100 float64 values on an AMD EPYC
    # (AVX-512) the logistic took 18.6 us, against 33 in three loops of
    # separate multiplies and adds, and 45 for NumPy's tanh form.
    _LOG2E = 1.4426950408889634
    _LN2_HI = 6.93147180369123816490e-01
    _LN2_LO = 1.90821492927058770002e-10
    _EXP_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(13))
    _ROUND = 1.5 * 2.0**52
    _ROUND_BITS = 0x4338000000000000

    @intrinsic
    def _float_bits(typingctx, x):
        """The bits of a float64, as an int64."""

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.IntType(64))

        return types.int64(types.float64), codegen

    @intrinsic
    def _bits_float(typingctx, n):
        """The float64 of the bits ``n``."""

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.DoubleType())

        return types.float64(types.int64), codegen

    @numba.njit(cache=True, error_model="numpy", inline="always")
    def _exp(x):
        """``exp(x)`` for ``x`` in ``[-708, 708]``, where it is a normal
        number (NaN stays NaN)."""
        c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = _EXP_TAYLOR
        k = x * _LOG2E + _ROUND
        m = k - _ROUND
        r = (x - m * _LN2_HI) - m * _LN2_LO
        p = c12 * r + c11
        p = (((p * r + c10) * r + c9) * r + c8) * r + c7
        p = (((p * r + c6) * r + c5) * r + c4) * r + c3
        p = ((p * r + c2) * r + c1) * r + c0
        return p * _bits_float((_float_bits(k) - _ROUND_BITS + 1023) << 52)

    @numba.njit(cache=True, error_model="numpy", fastmath={"contract"})
    def _logistic(Z):
        """``1 / (1 + exp(-Z))`` in place, computed in float64 by ``_exp``.
        ``-Z`` is clipped to ``[-708, 708]``: the result there is 1, or below
        ``1e-307`` where the limit is 0.  On 2 million values from -745 to
        745 its largest relative error was 4.1e-16 against long double, 5.1e-16
        against ``1 / (1 + np.exp(-z))``."""
        z = Z.reshape(-1)
        for i in range(z.shape[0]):
            z[i] = 1.0 / (1.0 + _exp(min(max(-np.float64(z[i]), -708.0), 708.0)))

    # log1p(e) for e in [0, 1] as 2 atanh(u), u = e / (2 + e) in [0, 1/3], by
    # the series 2 sum_n u**(2n+1) / (2n+1) to n = 19 (the remainder is below
    # 1e-19 relative): unlike the C library's log1p, a loop LLVM vectorises.
    _ATANH_SERIES = tuple(1.0 / (2 * n + 1) for n in range(20))

    @numba.njit(cache=True, error_model="numpy", fastmath={"contract"})
    def _logistic_output(Z, T, D, terms, cap):
        """The logistic output layer, computed in float64: ``A = 1 / (1 +
        exp(-Z))`` in place, ``D = A - T`` and each unit's loss
        ``min(max((1 - 2 t) z, 0) + log1p(exp(-|z|)), cap)`` (``losses.
        binary_log_loss``) into ``terms``, row after row (room for
        ``Z.size`` float64).  ``exp(-|z|)`` is ``_exp``'s; below
        ``exp(-708)`` it is taken as 0, its limit."""
        n_rows, k = Z.shape
        z = Z.reshape(-1)
        d = D.reshape(-1)
        for i in range(n_rows):
            for j in range(k):
                terms[i * k + j] = T[i, j]
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 = _ATANH_SERIES[:10]
        a10, a11, a12, a13, a14, a15, a16, a17, a18, a19 = _ATANH_SERIES[10:]
        for f in range(n_rows * k):
            zf = np.float64(z[f])
            tf = terms[f]
            x = -abs(zf)
            e = _exp(max(x, -708.0))
            if x < -708.0:
                e = 0.0
            inv = 1.0 / (1.0 + e)
            z[f] = inv if zf >= 0 else e * inv
            d[f] = z[f] - tf
            u = e / (2.0 + e)
            q = u * u
            w = a19 * q + a18
            w = (((w * q + a17) * q + a16) * q + a15) * q + a14
            w = (((w * q + a13) * q + a12) * q + a11) * q + a10
            w = (((w * q + a9) * q + a8) * q + a7) * q + a6
            w = (((w * q + a5) * q + a4) * q + a3) * q + a2
            w = (w * q + a1) * q + a0
            v = max((1.0 - 2.0 * tf) * zf, 0.0) + 2.0 * u * w
            terms[f] = cap if v > cap else v

    # The activations without a transcendental function, compiled in line:
    # a call back into Python costs more than they do.

    @numba.njit(cache=True, error_model="numpy")
    def _relu(Z, zero):
        """``np.maximum(Z, 0, out=Z)`` (a NaN and a -0.0 stay)."""
        n, k = Z.shape
        for i in range(n):
            for j in range(k):
                if Z[i, j] < zero:
                    Z[i, j] = zero

    @numba.njit(cache=True, error_model="numpy")
    def _relu_derivative(A, delta, zero):
        """``delta[A <= 0] = 0``."""
        n, k = A.shape
        for i in range(n):
            for j in range(k):
                if A[i, j] <= zero:
                    delta[i, j] = zero

    @numba.njit(cache=True, error_model="numpy")
    def _output(Z, T, s, weighted, norm, D, code, half, one, eps, cap, terms, scalar):
        """``forward``'s output activation (in place), ``backward``'s output
        delta (into ``D``) and the batch's weighted loss, as
        ``network.output_delta`` computes them with the matched loss of
        ``losses``: the squared error (identity), the binary log-loss
        (logistic, ``_logistic_output``) or the log-loss (softmax,
        ``-t log(clip(a, eps, 1))``, its ``exp`` and ``log`` element by
        element: a row has few units)."""
        n, k = Z.shape
        loss = 0.0
        scalar[2] = 1 / norm
        inv = scalar[2]
        if code == LOGISTIC:
            _logistic_output(Z, T, D, terms, cap)
        for i in range(n):
            acc = Z[i, 0] * 0
            if code == LOGISTIC:
                total = 0.0
                for j in range(k):
                    total += terms[i * k + j]
                row = total
            elif code == SOFTMAX:
                top = Z[i, 0]
                for j in range(1, k):
                    top = max(top, Z[i, j])
                total = Z[i, 0] * 0
                for j in range(k):
                    e = np.exp(Z[i, j] - top)
                    Z[i, j] = e
                    total += e
                for j in range(k):
                    a = Z[i, j] / total
                    Z[i, j] = a
                    D[i, j] = a - T[i, j]
                    acc += T[i, j] * np.log(min(max(a, eps), one))
                row = np.float64(-acc)
            else:
                for j in range(k):
                    d = Z[i, j] - T[i, j]
                    D[i, j] = d
                    acc += d * d
                row = np.float64(half * acc)
            if weighted:
                si = np.float64(s[i])
                loss += si * row
                w = si * (1 / norm)
                for j in range(k):
                    D[i, j] = D[i, j] * w
            else:
                loss += row
                if norm != 1:
                    for j in range(k):
                        D[i, j] *= inv
        return loss

    @numba.njit(cache=True, error_model="numpy")
    def _forward(X, coefs, intercepts, acts, hidden, own_logistic, zero):
        """``forward`` of the rows ``X`` into the first ``len(X)`` rows of the
        buffers ``acts``: the hidden layers' activations, and the output
        layer's pre-activations (its activation is ``_output``'s)."""
        nb = X.shape[0]
        L = len(coefs)
        A_prev = X
        for l in range(L):
            Z = acts[l][:nb]
            np.dot(A_prev, coefs[l], Z)
            b = intercepts[l]
            for i in range(nb):
                for j in range(Z.shape[1]):
                    Z[i, j] += b[j]
            if l < L - 1 and hidden == RELU:
                _relu(Z, zero)
            elif l < L - 1 and hidden == LOGISTIC_HIDDEN and own_logistic:
                _logistic(Z)
            elif l < L - 1 and hidden != IDENTITY:
                _activate_back(Z, hidden)
            A_prev = Z

    @numba.njit(cache=True, error_model="numpy")
    def _evaluate(
        X, T, s, coefs, intercepts, acts, D, Z_out, hidden, output, half, one, eps, cap,
        terms, scalar, own_logistic, zero,
    ):  # fmt: skip
        """The rows ``X`` forward, their output pre-activations copied into
        ``Z_out`` and the output activations left in ``acts[-1]``: ``sum_i
        s_i ell_i`` (see ``evaluate``)."""
        nb = X.shape[0]
        _forward(X, coefs, intercepts, acts, hidden, own_logistic, zero)
        Z = acts[len(acts) - 1][:nb]
        Z_out[:nb] = Z
        weighted = s.shape[0] > 0
        return _output(Z, T, s, weighted, 1.0, D[:nb], output, half, one, eps, cap, terms, scalar)

    @numba.njit(cache=True, error_model="numpy")
    def _step(params, grads, state_a, state_b, kind, nesterov, consts, scalar):
        """One optimizer step of each parameter of a group (the weights, or
        the intercepts), as ``optimizers.py`` takes it; ``scalar`` holds
        ``eta`` and ``mu`` in the parameters' dtype."""
        for q in range(len(params)):
            p = params[q].reshape(-1)
            g = grads[q].reshape(-1)
            if kind == SGD_PLAIN:
                e = scalar[0]
                for i in range(p.shape[0]):
                    gi = g[i] * e
                    g[i] = gi
                    p[i] -= gi
            elif kind == SGD_MOMENTUM:
                momentum_step(p, g, state_a[q].reshape(-1), scalar[0], scalar[1], nesterov)
            else:
                adam_step(
                    p,
                    g,
                    state_a[q].reshape(-1),
                    state_b[q].reshape(-1),
                    consts[0],
                    consts[1],
                    consts[2],
                    consts[3],
                    consts[4],
                    scalar[0],
                )

    @numba.njit(cache=True, error_model="numpy")
    def _epoch(
        X, T, s, order, in_order, first, last, bs, S, l2, coefs, intercepts, acts, deltas,
        g_coefs, g_intercepts, a_coefs, a_intercepts, b_coefs, b_intercepts, X_buf, T_buf,
        s_buf, ones, hidden, output, opt, eta, mu, nesterov, lr_init, b1, b2, t, consts,
        scalar, half, zero, one, eps, cap, terms, own_logistic,
    ):  # fmt: skip
        """The batches of the epoch that start at positions ``first`` to
        ``last`` (excluded) of ``order``: ``(sum_i s_i ell_i, Adam's t, ok,
        whether the optimizer's state is finite)``; see ``CompiledPass``."""
        n = order.shape[0]
        L = len(coefs)
        weighted = s.shape[0] > 0
        total = 0.0
        for start in range(first, last, bs):
            stop = min(start + bs, n)
            nb = stop - start
            if in_order:
                # Consecutive rows of the whole data: views, no copy.
                Xb = X[start:stop]
                Tb = T[start:stop]
                sb = s[start:stop] if weighted else s_buf
            else:
                # Element by element: numba's row slice assignment is
                # three times slower than this loop (and than NumPy's take).
                for r in range(nb):
                    row = order[start + r]
                    for j in range(X.shape[1]):
                        X_buf[r, j] = X[row, j]
                    for j in range(T.shape[1]):
                        T_buf[r, j] = T[row, j]
                    if weighted:
                        s_buf[r] = s[row]
                Xb = X_buf[:nb]
                Tb = T_buf[:nb]
                sb = s_buf[:nb]
            norm = S if nb == n else nb * S / n
            _forward(Xb, coefs, intercepts, acts, hidden, own_logistic, zero)
            Z_out = acts[L - 1][:nb]
            D_out = deltas[L - 1][:nb]
            loss = _output(
                Z_out, Tb, sb, weighted, norm, D_out, output, half, one, eps, cap, terms, scalar
            )
            if not math.isfinite(loss):
                return loss, t, False, True
            total += loss
            # Backward.
            for l in range(L - 1, -1, -1):
                A_in = Xb if l == 0 else acts[l - 1][:nb]
                Dl = deltas[l][:nb]
                g = g_coefs[l]
                np.dot(A_in.T, Dl, g)
                if l2 != 0:
                    scalar[2] = l2
                    add_scaled(g, coefs[l], scalar[2])
                np.dot(ones[:nb], Dl, g_intercepts[l])
                if l > 0:
                    A_hidden = acts[l - 1][:nb]
                    prev = deltas[l - 1][:nb]
                    np.dot(Dl, coefs[l].T, prev)
                    if hidden == RELU:
                        _relu_derivative(A_hidden, prev, zero)
                    elif hidden == LOGISTIC_HIDDEN or hidden == TANH:
                        scale_by_derivative(A_hidden, prev, one, hidden == TANH)
                    elif hidden != IDENTITY:
                        _derive_back(A_hidden, prev, hidden)
            # The step.
            if opt == ADAM:
                t += 1
                eta = lr_init * math.sqrt(1 - math.pow(b2, t)) / (1 - math.pow(b1, t))
            scalar[0] = eta
            scalar[1] = mu
            _step(coefs, g_coefs, a_coefs, b_coefs, opt, nesterov, consts, scalar)
            _step(
                intercepts, g_intercepts, a_intercepts, b_intercepts, opt, nesterov, consts, scalar
            )
        # The optimizer's state (``optimizers.*.state_is_finite``), checked
        # once, after the epoch's last batch.
        finite = True
        if last == n and opt != SGD_PLAIN:
            finite = all_finite(a_coefs) and all_finite(a_intercepts)
            if opt == ADAM:
                finite = finite and all_finite(b_coefs) and all_finite(b_intercepts)
        return total, t, True, finite


class CompiledPass:
    """Epochs of ``net`` over the dense rows ``rows``, each in one compiled
    call (a large one in a few).

    What does not change from one epoch to the next (the arrays, the
    buffers, the codes and constants) is gathered once, here; a call passes
    the epoch's order and the optimizer's current step.  The optimizer's
    state (velocities, moments) is created here if it is not yet.

    Parameters
    ----------
    net : Network
    rows : ArrayRows
        Dense rows.
    optimizer : SGD or Adam
    workspace : Workspace
        Buffers for ``bs`` rows.
    bs : int
        The batch size.
    S : float
        The total weight of the rows.
    l2 : float
        ``alpha / S``.

    Attributes
    ----------
    state_is_finite : bool
        Whether the optimizer's state was finite after the last epoch (the
        check ``optimizers.*.state_is_finite`` makes, done in its last call).
    """

    def __init__(self, net, rows, optimizer, workspace, bs, S, l2):
        from .optimizers import Adam

        dtype = net.dtype
        self.net, self.rows, self.optimizer = net, rows, optimizer
        X_buf, T_buf, s_buf = rows._buffers_for(bs)
        s = rows.s
        if s is None:
            s = s_buf = np.empty(0, dtype=dtype)
        L = len(net.coefs)
        consts = np.zeros(5, dtype=dtype)
        self.adam = type(optimizer) is Adam
        if self.adam:
            kind = ADAM
            if optimizer.ms is None:
                optimizer.ms = [np.zeros_like(p) for p in net.params]
                optimizer.vs = [np.zeros_like(p) for p in net.params]
            state_a, state_b = optimizer.ms, optimizer.vs
            b1, b2 = optimizer.beta_1, optimizer.beta_2
            consts[:] = [b1, b2, 1 - b1, (1 - b2) / (1 - b1) ** 2, optimizer.epsilon]
            mu, nesterov, lr_init = 0.0, False, optimizer.learning_rate_init
        else:
            kind = SGD_PLAIN if optimizer.plain else SGD_MOMENTUM
            if kind == SGD_MOMENTUM and optimizer.velocities is None:
                optimizer.velocities = [np.zeros_like(p) for p in net.params]
            state_a = optimizer.velocities if kind == SGD_MOMENTUM else net.params
            state_b = state_a
            b1 = b2 = lr_init = 0.0
            mu, nesterov = optimizer.momentum, optimizer.nesterov
        grads = workspace.gradients
        # The arguments of ``_epoch`` before and after ``order, in_order,
        # first, last``, and after ``eta`` and ``t``.
        self.head = (rows.X, rows.T, s)
        self.middle = (
            bs, float(S), float(l2), tuple(net.coefs), tuple(net.intercepts),
            tuple(workspace.activations), tuple(workspace.deltas), tuple(grads[:L]),
            tuple(grads[L:]), tuple(state_a[:L]), tuple(state_a[L:]), tuple(state_b[:L]),
            tuple(state_b[L:]), X_buf, T_buf, s_buf, workspace.ones,
            HIDDEN.index(net.activation), OUTPUT.index(net.output_activation), kind,
        )  # fmt: skip
        self.tail = (
            consts, np.zeros(3, dtype=dtype), *_constants(dtype), _terms_buffer(net, bs),
            _own_logistic(net),
        )  # fmt: skip
        self.steps = (float(mu), bool(nesterov), float(lr_init), float(b1), float(b2))
        self.state_is_finite = True
        products = bs * sum(W.shape[0] * W.shape[1] for W in net.coefs)
        self.rows_per_call = bs * max(1, CALL_PRODUCTS // products)

    def __call__(self, order):
        """One epoch in ``order`` (all rows, in data order, if None), in
        calls of at most ``CALL_PRODUCTS`` forward multiply-adds:
        ``(sum_i s_i ell_i, ok)``, ``ok`` False when a batch's loss was not
        finite (its value is then returned)."""
        rows, optimizer = self.rows, self.optimizer
        in_order = order is None and rows.indices is None
        order = np.ascontiguousarray(rows.positions() if order is None else order, dtype=np.intp)
        eta = 0.0 if self.adam else float(optimizer.learning_rate)
        n, total = order.shape[0], 0.0
        for first in range(0, n, self.rows_per_call):
            last = min(first + self.rows_per_call, n)
            t = optimizer.t if self.adam else 0
            part, t, ok, self.state_is_finite = _epoch(
                *self.head, order, in_order, first, last, *self.middle, eta, *self.steps, t,
                *self.tail,
            )  # fmt: skip
            if self.adam:
                optimizer.t = t
            if not ok:
                return part, False
            total += part
        return total, True
