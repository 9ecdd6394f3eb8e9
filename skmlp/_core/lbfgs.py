"""Full-batch training with L-BFGS-B (SciPy): no epochs, iterations."""

import numpy as np

from . import _xp
from .epochs import DivergenceError
from .objective import rows_objective


def train_lbfgs(net, state, rows, config):
    """Minimise ``J`` over the whole training set with L-BFGS-B (SciPy).

    Parameters
    ----------
    net : Network
        Trained in place.
    state : TrainingState
        Its history's ``loss_curve`` gets ``J`` after each iteration.
    rows : rows
        The training rows; only their sums are asked for.
    config : TrainingConfig
        ``alpha``; ``max_iter`` and ``max_fun``, the limits on iterations and
        on evaluations of ``J``; ``tol``, the gradient tolerance (``gtol``,
        0 for None); ``verbose``.

    Returns
    -------
    converged : bool

    Notes
    -----
    A KeyboardInterrupt keeps the last iterate that L-BFGS accepted (not a
    point of its line search), sets ``history.interrupted`` and returns.
    """
    from scipy.optimize import minimize

    history = state.history
    params = net.params
    shapes = [tuple(p.shape) for p in params]
    splits = np.cumsum([int(np.prod(shape)) for shape in shapes])[:-1]
    xp, dtype, device = net.xp, net.dtype, net.device

    # SciPy's iterate lives on the host in float64; J and its gradient are
    # computed where the parameters are.
    def unpack(theta):
        for p, chunk, shape in zip(params, np.split(theta, splits), shapes):
            p[...] = _xp.asarray(xp, chunk.reshape(shape), dtype, device)

    def flat(arrays):
        return np.concatenate([_xp.to_numpy(a).ravel() for a in arrays]).astype(np.float64)

    def fun(theta):
        unpack(theta)
        J, grads = rows_objective(net, rows, config.alpha)
        return J, flat(grads)

    theta0 = flat(params)
    accepted = [theta0]

    def callback(intermediate_result):
        accepted[0] = intermediate_result.x.copy()
        history.loss_curve.append(float(intermediate_result.fun))
        history.n_iter += 1
        history.t += rows.n
        if config.verbose:
            print(f"Iteration {history.n_iter}, loss = {intermediate_result.fun:.8f}")

    gtol = 0.0 if config.tol is None else config.tol
    history.begin_call()
    with np.errstate(all="ignore"):
        try:
            result = minimize(
                fun,
                theta0,
                method="L-BFGS-B",
                jac=True,
                callback=callback,
                options={"maxfun": config.max_fun, "maxiter": config.max_iter, "gtol": gtol},
            )
        except KeyboardInterrupt:
            unpack(accepted[0])
            history.interrupted = True
            return False
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        unpack(theta0)
        raise DivergenceError(history.n_iter, result.fun)
    unpack(result.x)
    return result.status == 0
