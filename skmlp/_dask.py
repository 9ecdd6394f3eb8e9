"""Dask input: training and prediction on data that lives on a cluster.

Dask moves the work; the mathematics stays the core's:

- ``DaskSource`` is the source (``skmlp._source``) of Dask arrays and
  DataFrames: it validates them lazily, codes targets and weights block by
  block, gives the core its rows and predicts.
- Full-batch training (Adaline's batch descent, the MLP's ``"lbfgs"`` or
  ``batch_size=None``) is data-parallel.  ``J`` and its gradient are sums
  over the rows, so each iteration evaluates the core's ``data_terms`` on
  every row block on the workers, sums the results in a tree, and the
  optimizer steps on the client: the core's own training loop, with
  ``BlockRows`` as its rows.
- Stochastic training moves the model to the data: each epoch visits the
  blocks one after another (in a random order with ``shuffle``) and runs
  the estimator's own ``partial_fit`` on each, on the worker that holds it,
  passing the updated estimator on.
- Prediction is lazy and block-wise; ``score`` computes.  ``X`` is never
  collected on the client: what comes back are reductions (classes, weight
  totals, sums of gradients) and fitted estimators.
"""

import functools
import sys

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from ._core import History
from ._monitor import Data
from ._source import Source, register
from ._validation import check_random_state, check_weight_total, checked_score
from ._warnings import warn
from ._weights import class_weights, weights_name


def is_dask_collection(obj):
    """Whether ``obj`` is a Dask collection (without importing Dask)."""
    if "dask" not in sys.modules:
        return False
    import dask

    return dask.is_dask_collection(obj)


def _as_array(obj, name):
    """A Dask array of ``obj`` (a Dask DataFrame or Series is converted)."""
    import dask.array as da
    import dask.dataframe as dd

    if isinstance(obj, (dd.DataFrame, dd.Series)):
        return obj.to_dask_array(lengths=True)
    if isinstance(obj, da.Array):
        return obj
    raise TypeError(f"{name} must be a Dask array or DataFrame, got {type(obj).__name__}.")


def _aligned(v, X, name, columns=False):
    """``v`` (Dask or in memory) as a Dask array with ``X``'s row blocks (and,
    where ``columns`` allows two dimensions, one block of columns)."""
    import dask.array as da

    v = _as_array(v, name) if is_dask_collection(v) else da.from_array(np.asarray(v))
    if v.ndim != 1 and not (columns and v.ndim == 2):
        raise ValueError(f"{name} must be one-dimensional with Dask input, got shape {v.shape}.")
    if v.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but {name} has {v.shape[0]}.")
    return v.rechunk((X.chunks[0],) + tuple((n,) for n in v.shape[1:]))


def _array(estimator, X, name, reset=False):
    """Dask ``X`` as an array with one block of columns, its features checked
    against the fitted ones (or recorded, with ``reset``) on an empty sample,
    now rather than when computed."""
    meta = X._meta if hasattr(X, "columns") else None
    X = _as_array(X, name)
    if X.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got shape {X.shape}.")
    if meta is None:
        meta = np.empty((0, X.shape[1]), dtype=X.dtype)
    validate_data(estimator, meta, reset=reset, ensure_min_samples=0)
    return X.rechunk({1: -1})


def _blocks(*arrays):
    """The delayed row blocks of Dask arrays with the same row blocks, zipped
    (None for an array that is None)."""
    n = arrays[0].numblocks[0]
    return list(zip(*([None] * n if a is None else a.to_delayed().ravel() for a in arrays)))


def validate(estimator, X, y, sample_weight, reset):
    """Check Dask input lazily, and summarise ``y`` for its coding, in one pass.

    Returns ``(X, y, sample_weight, summary)``: Dask arrays with the same row
    blocks (``X`` of float32 or float64, one block of columns), and what the
    target coder needs to know of ``y`` (its ``dask_summary``: the distinct
    labels for a classifier), in memory.
    """
    import dask
    import dask.array as da

    # The feature count and names, checked or recorded on an empty sample.
    X = _array(estimator, X, "X", reset)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    y = _aligned(y, X, "y", columns=True)
    if sample_weight is not None:
        sample_weight = _aligned(sample_weight, X, "sample_weight").astype(X.dtype)
    finite_y = da.isfinite(y).all() if y.dtype.kind in "fc" else True
    checks = [da.isfinite(X).all(), finite_y, estimator._target_coder().dask_summary(y)]
    if sample_weight is not None:
        checks.append((sample_weight < 0).any())
    finite, finite_y, labels, *negative = dask.compute(*checks)
    if not finite:
        raise ValueError("Input X contains NaN or infinity.")
    if not finite_y:
        raise ValueError("Input y contains NaN or infinity.")
    if negative and negative[0]:
        raise ValueError("Negative values in data passed to `sample_weight`.")
    return X, y, sample_weight, labels


def _code(estimator, y, output_activation, dtype, coding=None):
    """The coded targets ``T`` of Dask ``y``, block by block."""
    coder = estimator._target_coder()
    coding = coder.coding_of(estimator) if coding is None else coding
    width = coder.n_outputs(coding, output_activation)

    def code(block):
        return coder.transform(coding, block, output_activation).astype(dtype)

    chunks = (y.chunks[0], (width,))
    if y.ndim == 2:
        return y.map_blocks(code, dtype=dtype, chunks=chunks)
    return y.map_blocks(code, dtype=dtype, chunks=chunks, new_axis=1)


def weights(class_weight, coding, sample_weight, y):
    """Sample weights times the ``class_weight`` of Dask ``y``'s classes (in
    the label coding ``coding``); None when all are one."""
    import dask.array as da

    s = sample_weight
    if class_weight is not None:
        classes = coding.classes_
        counts = None
        if class_weight == "balanced":
            found, counts = da.unique(y, return_counts=True)
            found, counts = (np.asarray(a) for a in da.compute(found, counts))
            counts = counts[np.searchsorted(found, classes)]
        cw = class_weights(class_weight, classes, counts)
        dtype = np.float32 if s is None else s.dtype

        def per_sample(block):
            return cw[np.searchsorted(classes, block)].astype(dtype)

        by_class = y.map_blocks(per_sample, dtype=dtype)
        s = by_class if s is None else s * by_class
    return s


class BlockRows:
    """Training rows held on a cluster in row blocks: the core's rows
    (``skmlp._core.rows``) for full-batch solvers.

    ``data_terms(net, norm)`` is the core's ``data_terms`` summed over the
    blocks, each evaluated on a worker; ``total_weight`` is ``S``.  The rows
    cannot be gathered batch by batch.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
    T : dask.array.Array of shape (n_samples, n_outputs)
    s : dask.array.Array of shape (n_samples,) or None
    """

    batchable = False
    per_sample = False

    def __init__(self, X, T, s):
        import dask

        self.n = X.shape[0]
        self.blocks = _blocks(X, T, s)
        self.total_weight = float(X.shape[0] if s is None else dask.compute(s.sum())[0])

    def data_terms(self, net, norm):
        import dask

        # The parameters as they are now, sent once per iteration.
        frozen = dask.delayed(net.copy(), pure=True)
        parts = [dask.delayed(_block_terms)(frozen, x, t, s, norm) for x, t, s in self.blocks]
        return dask.compute(_tree(parts, _add_terms))[0]


def _block_terms(net, X, T, s, norm):
    from ._core import data_terms

    loss, gradients = data_terms(net, X, T, s, norm)
    return loss, [g.copy() for g in gradients]


def _add_terms(a, b):
    return a[0] + b[0], [g + h for g, h in zip(a[1], b[1])]


def validator(estimator, X_val, y_val, sample_weight_val, dtype):
    """``validate() -> (J, score)`` on Dask validation data, evaluated on the cluster.

    ``J`` and the default score (the estimator's ``_score_terms``) are sums
    over the rows: each block's share comes from the core's ``loss_terms``
    on a worker, and the shares are summed.
    Any other ``scoring`` is called with the Dask data (predictions are
    then computed block by block).
    """
    import copy

    import dask
    import dask.array as da
    from sklearn.metrics import check_scoring

    X_val = _array(estimator, X_val, "X_val").astype(dtype)
    y_val = _aligned(y_val, X_val, "y_val", columns=True)
    s_val = None
    if sample_weight_val is not None:
        s_val = _aligned(sample_weight_val, X_val, "sample_weight_val").astype(dtype)
    coder = estimator._target_coder()
    finite_y = da.isfinite(y_val).all() if y_val.dtype.kind in "fc" else True
    finite, finite_y, labels, total = dask.compute(
        da.isfinite(X_val).all(),
        finite_y,
        coder.dask_summary(y_val),
        None if s_val is None else s_val.sum(),
    )
    if not finite:
        raise ValueError("Input X_val contains NaN or infinity.")
    if not finite_y:
        raise ValueError("Input y_val contains NaN or infinity.")
    coder.check_validation(estimator._coding(), labels)
    if s_val is not None:
        check_weight_total(np.asarray([total]), "validation sample weights")
    T_val = _code(estimator, y_val, estimator._network().output_activation, dtype)
    blocks = _blocks(X_val, T_val, y_val, s_val)
    scorer = None
    if estimator.scoring not in (None, "loss"):
        scorer = check_scoring(estimator, scoring=estimator.scoring)

    def validate():
        net = estimator._network()
        # The estimator as it is now (its weights change in place), sent once.
        frozen = dask.delayed(copy.deepcopy(estimator), pure=True)
        parts = [dask.delayed(_validation_terms)(frozen, *block) for block in blocks]
        loss, S, terms = dask.compute(_tree(parts, _add_terms_of_score))[0]
        J = loss / S + net.penalty(estimator.alpha, S)
        if estimator.scoring == "loss":
            return J, -J
        if scorer is None:
            return J, estimator._score_of_terms(terms)
        kwargs = {} if s_val is None else {"sample_weight": s_val}
        return J, checked_score(scorer(estimator, X_val, y_val, **kwargs), estimator.scoring)

    return validate


def _validation_terms(estimator, X, T, y, s):
    from ._core import loss_terms

    loss, S, A, Z = loss_terms(estimator._network(), X, T, s)
    return loss, S, estimator._score_terms(y, estimator._decide(A, Z), s)


def _add_floats(a, b):
    return tuple(x + y for x, y in zip(a, b))


def _add_terms_of_score(a, b):
    return a[0] + b[0], a[1] + b[1], _add_floats(a[2], b[2])


def _tree(parts, add):
    """The sum of the delayed ``parts``, added pairwise in a tree."""
    import dask

    while len(parts) > 1:
        pairs = zip(parts[::2], parts[1::2])
        parts = [dask.delayed(add)(a, b) for a, b in pairs] + (
            [parts[-1]] if len(parts) % 2 else []
        )
    return parts[0]


def fit_stochastic(estimator, data, labels, sample_weight, call):
    """Mini-batch or per-sample training: the estimator's ``partial_fit`` block by block.

    ``data`` holds the validated ``X`` and ``y``, ``labels`` the distinct
    labels of ``y``.  The epochs stop by the core's rule (``History``) on
    the loss of each epoch's last block.

    Validation data (in memory) go to every ``partial_fit``, so early
    stopping counts blocks as ``partial_fit`` calls do, and ends the fit.
    """
    import dask
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning

    X, y, incremental = data.X, data.y, call.incremental
    X_val, y_val, s_val = call.validation
    if is_dask_collection(X_val):
        raise ValueError(
            "With stochastic training on Dask input each block's partial_fit validates "
            "on X_val, which must be in memory: compute it first, for instance "
            "X_val.compute()."
        )
    coder = estimator._target_coder()
    fitted = coder.coding_of(estimator) if call.continuing else None
    kwargs = coder.partial_fit_kwargs(fitted, labels, call.classes)
    names = getattr(estimator, "feature_names_in_", None)
    blocks = _blocks(X, y, sample_weight)
    if coder.class_weight == "balanced":
        raise ValueError(
            "class_weight='balanced' is not supported with stochastic training on Dask "
            "input (each block is a partial_fit); pass a dict."
        )
    model = estimator if call.continuing else clone(estimator)
    rng = check_random_state(estimator.random_state)
    config = estimator._training_config(incremental, None, X.shape[0])
    history = History()
    converged = False
    for _ in range(config.max_iter):
        order = np.arange(len(blocks))
        if config.shuffle and not incremental:
            order = rng.permutation(order)
        current = dask.delayed(model)
        for k in order:
            current = dask.delayed(_partial_fit_block)(
                current, blocks[k], kwargs, call.validation, names
            )
        model = dask.compute(current)[0]
        if incremental:
            break
        history.loss_curve.append(model.loss_)
        history.record(None, config.tol, None)
        if model._state.history.stopped or (
            config.tol is not None and history.no_improvement_count >= config.patience
        ):
            converged = True
            break
    model.n_iter_ = 1 if incremental else len(history.loss_curve)
    vars(estimator).update(vars(model))
    if not incremental and not converged and config.tol is not None:
        warn(
            f"{type(estimator).__name__}: the maximum number of iterations "
            f"(max_iter={estimator.max_iter}) was reached before training converged.",
            ConvergenceWarning,
        )
    return estimator


def _partial_fit_block(model, block, kwargs, validation, names):
    X, y, s = block
    if names is not None:
        import pandas as pd

        X = pd.DataFrame(X, columns=names)
    X_val, y_val, s_val = validation
    return model.partial_fit(
        X, y, sample_weight=s, X_val=X_val, y_val=y_val, sample_weight_val=s_val, **kwargs
    )


def predict(estimator, method, X, **kwargs):
    """``estimator.method(block, **kwargs)`` on each row block of Dask ``X``, lazily.

    The shape and type of the result come from the method itself, on one row.
    """
    check_is_fitted(estimator)
    X = _array(estimator, X, "X")
    fn = _with_feature_names(functools.partial(getattr(estimator, method), **kwargs), estimator)
    probe = np.asarray(fn(np.zeros((1, X.shape[1]), dtype=X.dtype)))
    rows = X.chunks[0]
    if probe.ndim == 1:
        return X.map_blocks(fn, dtype=probe.dtype, chunks=(rows,), drop_axis=1)
    return X.map_blocks(fn, dtype=probe.dtype, chunks=(rows, (probe.shape[1],)))


def _with_feature_names(fn, estimator):
    """``fn`` on a block, as a DataFrame with the fitted feature names if there are any."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return fn

    def named(block, *args, **kwargs):
        import pandas as pd

        return fn(pd.DataFrame(block, columns=names), *args, **kwargs)

    return named


def score(estimator, X, y, sample_weight=None):
    """The estimator's score on Dask ``X`` (accuracy, R^2), from its sums
    over the rows (``_score_terms``), block by block."""
    import dask

    check_is_fitted(estimator)
    X = _array(estimator, X, "X")
    y = _aligned(y, X, "y", columns=True)
    s = None
    if sample_weight is not None:
        s = _aligned(sample_weight, X, "sample_weight").astype(np.float64)
    predict_block = _with_feature_names(estimator.predict, estimator)
    parts = [
        dask.delayed(_block_score_terms)(estimator, predict_block, *block)
        for block in _blocks(X, y, s)
    ]
    return estimator._score_of_terms(dask.compute(_tree(parts, _add_floats))[0])


def _block_score_terms(estimator, predict_block, X, y, s):
    return estimator._score_terms(y, predict_block(X), s)


@register
class DaskSource(Source):
    """The source of Dask arrays and DataFrames: nothing of ``X`` comes to the client."""

    holds = staticmethod(is_dask_collection)

    def fit(self, estimator, X, y, sample_weight, call):
        data, labels, sample_weight = self.validate(estimator, X, y, sample_weight, call)
        if not estimator._full_batch(data.X.shape[0]):
            return fit_stochastic(estimator, data, labels, sample_weight, call)
        return estimator._fit_validated(self, data, labels, sample_weight, call)

    def validate(self, estimator, X, y, sample_weight, call):
        X_input = X
        X, y, sample_weight, labels = validate(
            estimator, X, y, sample_weight, reset=not call.continuing
        )
        return Data(X_input, X, y, None, None), labels, sample_weight

    def targets(self, estimator, coding, data, output_activation):
        return _code(estimator, data.y, output_activation, data.X.dtype, coding)

    def weights(self, estimator, data, sample_weight, coding, incremental):
        coder = estimator._target_coder()
        coder.check_weighting(coding, incremental)
        s = weights(coder.class_weight, coding, sample_weight, data.y)
        check_weight_total(s, weights_name(coder.class_weight))
        return s

    def rows(self, data, indices):
        # The rows stay on the cluster; the core sums over their blocks.
        return BlockRows(data.X, data.T, data.s)

    def split(self, estimator, data, random_state):
        raise ValueError(
            "early_stopping with Dask input needs validation data of one's own: "
            "pass X_val and y_val to fit."
        )

    validator = staticmethod(validator)

    predict = staticmethod(predict)

    score = staticmethod(score)
