"""
=======================
Solvers and batch sizes
=======================

How the cost :math:`J` falls, epoch by epoch, with the optimizers of
:class:`~skmlp.MLPBackpropClassifier` (``solver``) and with the batch sizes
of :class:`~skmlp.AdalineClassifier` (``batch_size``), on the standardised
digits data.  An epoch is one pass over the training data; it makes one
update of the weights per batch of ``batch_size`` samples.
"""

# %%
import time

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)

# %%
# Every fit runs a fixed number of epochs (``tol=None`` turns the stopping
# rule off), so that the curves have the same length.
#
# * ``"sgd"``: stochastic gradient descent on mini-batches of 200 samples,
#   :math:`W \leftarrow W - \eta \, \partial J / \partial W` with the
#   learning rate :math:`\eta` = ``learning_rate_init``, here with and
#   without momentum (``momentum=0.9`` adds 0.9 times the previous step to
#   each step, which speeds descent along the directions the steps agree on).
# * ``"adam"`` (the default): per-weight step sizes scaled by running
#   averages of the gradient and of its square.
# * ``"lbfgs"``: a quasi-Newton method on the whole training set, one
#   iteration per point of its curve.  It has no batches and no learning
#   rate, suits small data sets, and ignores ``batch_size``.
mlps = {
    "sgd, momentum=0": dict(solver="sgd", learning_rate_init=0.1, momentum=0),
    "sgd, momentum=0.9": dict(solver="sgd", learning_rate_init=0.1),
    "adam": dict(solver="adam", learning_rate_init=0.01),
    "lbfgs": dict(solver="lbfgs"),
}
adalines = {
    "batch_size=None (batch)": dict(batch_size=None),
    "batch_size=32 (mini-batch)": dict(batch_size=32),
    "batch_size=1 (stochastic)": dict(batch_size=1),
}

fig, (ax_mlp, ax_ada) = plt.subplots(1, 2, figsize=(11, 4))
for name, params in mlps.items():
    tic = time.perf_counter()
    mlp = MLPBackpropClassifier(
        hidden_layer_sizes=(32,),
        max_iter=50,
        tol=None,
        random_state=0,
        **params,
    ).fit(X, y)
    seconds = time.perf_counter() - tic
    print(f"MLP, {name}: {seconds:.2f} s, final J {mlp.loss_:.3f}")
    ax_mlp.plot(mlp.loss_curve_, label=name)
for name, params in adalines.items():
    tic = time.perf_counter()
    ada = AdalineClassifier(
        max_iter=30, tol=None, random_state=0, **params
    ).fit(X, y)
    seconds = time.perf_counter() - tic
    final = ada.loss_curve_[-1]
    print(f"Adaline, {name}: {seconds:.2f} s, final J {final:.3f}")
    ax_ada.plot(ada.loss_curve_, label=name)
ax_mlp.set(
    title="MLPBackpropClassifier(32 hidden)", xlabel="epoch (lbfgs: iteration)"
)
ax_ada.set(title='AdalineClassifier(eta0="auto")', xlabel="epoch")
for ax in (ax_mlp, ax_ada):
    ax.set(ylabel="J (log scale)", yscale="log")
    ax.legend()
fig.tight_layout()
plt.show()

# %%
# Momentum and Adam reach in a few epochs what plain gradient descent needs
# dozens for; L-BFGS, which estimates the curvature of :math:`J`, goes
# furthest per iteration on a data set this small.
#
# For Adaline, ``eta0="auto"`` sets a learning rate that cannot diverge:
# :math:`1 / L`, with :math:`L` the largest curvature of :math:`J` for batch
# descent, and the largest squared norm of a sample for smaller batches.
# Batch descent makes one step per epoch.  Stochastic descent makes 1797
# steps per epoch and gets close to the minimum within a few epochs, then
# hovers just above it, each sample pulling the weights its own way.  With
# mini-batches of 32, ``"auto"`` keeps the single-sample step, which is safe
# but small: each of the 57 steps of an epoch averages 32 gradients, so an
# epoch moves the weights about as far as 57 stochastic steps, and the cost
# falls slowest of the three.  A larger ``eta0`` suits mini-batches; the MLP
# uses them by default (``batch_size="auto"``: 200 samples) with its own
# learning rates.
