"""The training data as the solver sees it: rows.

Every solver loop asks its data the same few things, whatever holds it:

``n``
    The number of training rows.
``total_weight``
    ``S = sum_i s_i`` over them, in float64.
``order(shuffle, random_state)``
    The visiting order of an epoch: a permutation drawn on the host (so that
    a seed gives the same fit in every namespace), or None for data order.
``batches(batch_size, order)``
    ``(X_B, T_B, s_B)`` for each batch, in that order.
``data_terms(net, norm)``
    ``sum_i s_i ell_i`` over all the rows and its gradient over ``norm``
    (see ``network.data_terms``), for full-batch solvers.
``subset(indices)``
    The rows ``indices`` of these rows (an early-stopping split).

and says what it can do: ``batchable`` (whether ``batches`` works; rows held
elsewhere in blocks give only their sums) and ``per_sample`` (whether the
compiled per-sample epoch of a linear layer runs on them).  The NumPy rows
check each batch's loss at once and count mistakes on the host; other
namespaces keep both on the device until the epoch ends
(``batch_loss_ok``, ``count_wrong``).

Here live the in-memory implementations: ``ArrayRows`` (NumPy, dense or
CSR, gathering through buffers allocated once) and ``NamespaceRows`` (an
array API namespace).  ``make_rows`` picks one, once; the Dask rows live
with the Dask engine (``skmlp._dask``).
"""

import math

import numpy as np

from . import _xp
from ._linear_epochs import linear_sgd_epoch
from .network import data_terms


def make_rows(X, T, sample_weight, xp=np):
    """The rows of in-memory arrays ``X``, ``T`` and ``sample_weight`` of ``xp``."""
    if xp is np:
        return ArrayRows(X, T, sample_weight)
    return NamespaceRows(X, T, sample_weight, xp)


class _MemoryRows:
    """What the in-memory rows share: the rows ``indices`` (all if None) of
    ``X``, ``T`` and ``s``, and their visiting order."""

    batchable = True
    per_sample = False

    def __init__(self, X, T, s, xp, indices=None):
        self.X, self.T, self.s, self.xp = X, T, s, xp
        self.indices = indices
        self.n = X.shape[0] if indices is None else len(indices)
        if s is None:
            self.total_weight = float(self.n)
        elif indices is None:
            self.total_weight = _xp.float64_sum(xp, s)
        else:
            self.total_weight = _xp.float64_sum(xp, _xp.take(xp, s, indices))
        self._positions = None

    def positions(self):
        """The row numbers of these rows in ``X``, in data order."""
        if self.indices is not None:
            return self.indices
        if self._positions is None:
            self._positions = np.arange(self.n)
        return self._positions

    def order(self, shuffle, random_state):
        return random_state.permutation(self.positions()) if shuffle else None

    def subset(self, indices):
        rows = indices if self.indices is None else self.indices[indices]
        return type(self)(self.X, self.T, self.s, self.xp, rows)

    def arrays(self):
        """``(X, T, s)`` of these rows alone."""
        xp, rows = self.xp, self.indices
        if rows is None:
            return self.X, self.T, self.s
        s = None if self.s is None else _xp.take(xp, self.s, rows)
        return _xp.take(xp, self.X, rows), _xp.take(xp, self.T, rows), s

    def data_terms(self, net, norm):
        return data_terms(net, *self.arrays(), norm)


class ArrayRows(_MemoryRows):
    """Rows of NumPy arrays: ``X`` dense and C-contiguous, or CSR.

    Consecutive rows of the whole data set are views; anything else is
    gathered into buffers allocated once per batch size (``np.take`` with
    ``mode="clip"`` writes straight into them; sparse rows are sliced).
    """

    per_sample = True

    def __init__(self, X, T, s, xp=np, indices=None):
        super().__init__(X, T, s, np, indices)
        self.sparse = not isinstance(X, np.ndarray)
        self._buffers = {}

    def batches(self, batch_size, order):
        n = self.n
        if order is None and self.indices is None:
            for start in range(0, n, batch_size):
                stop = min(start + batch_size, n)
                s = None if self.s is None else self.s[start:stop]
                yield self.X[start:stop], self.T[start:stop], s
            return
        order = self.positions() if order is None else order
        X_buf, T_buf, s_buf = self._buffers_for(batch_size)
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            nb = len(rows)
            if self.sparse:
                Xb = self.X[rows]
            else:
                Xb = self.X.take(rows, axis=0, out=X_buf[:nb], mode="clip")
            Tb = self.T.take(rows, axis=0, out=T_buf[:nb], mode="clip")
            sb = None if self.s is None else self.s.take(rows, out=s_buf[:nb], mode="clip")
            yield Xb, Tb, sb

    def _buffers_for(self, batch_size):
        if batch_size not in self._buffers:
            X, T, s = self.X, self.T, self.s
            self._buffers[batch_size] = (
                None if self.sparse else np.empty((batch_size, X.shape[1]), dtype=X.dtype),
                np.empty((batch_size, T.shape[1]), dtype=T.dtype),
                None if s is None else np.empty(batch_size, dtype=s.dtype),
            )
        return self._buffers[batch_size]

    def linear_epoch(self, net, order, inv_norm, eta, decay, step):
        """One sample-by-sample epoch of a single linear layer (compiled where
        numba is installed): ``(sum_i s_i ell_i, mistakes)``."""
        order = self.positions() if order is None else order
        W, b = net.coefs[0], net.intercepts[0]
        return linear_sgd_epoch(W, b, self.X, self.T, self.s, inv_norm, order, eta, decay, step)

    @staticmethod
    def batch_loss_ok(loss):
        return math.isfinite(loss)

    @staticmethod
    def count_wrong(A, T):
        return int(np.count_nonzero(np.any(A != T, axis=1)))


class NamespaceRows(_MemoryRows):
    """Rows of arrays of an array API namespace ``xp``, on their device.

    The order of an epoch is drawn on the host and moved to the device once;
    batches are taken there.  Batch losses and mistakes stay on the device
    until the epoch ends.
    """

    def batches(self, batch_size, order):
        xp, n = self.xp, self.n
        if order is None and self.indices is None:
            # The Ellipsis: the standard has no implicit trailing axes.
            for start in range(0, n, batch_size):
                stop = min(start + batch_size, n)
                s = None if self.s is None else self.s[start:stop]
                yield self.X[start:stop, ...], self.T[start:stop, ...], s
            return
        order = self.positions() if order is None else order
        order = xp.asarray(order, device=_xp.device_of(self.X))
        for start in range(0, n, batch_size):
            rows = order[start : min(start + batch_size, n)]
            s = None if self.s is None else xp.take(self.s, rows)
            yield xp.take(self.X, rows, axis=0), xp.take(self.T, rows, axis=0), s

    @staticmethod
    def batch_loss_ok(loss):
        return True

    def count_wrong(self, A, T):
        xp = self.xp
        return xp.sum(xp.astype(xp.any(A != T, axis=1), xp.int64))
