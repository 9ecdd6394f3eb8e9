r"""
=====================================
Checking backpropagation's gradient
=====================================

Backpropagation computes the gradient of the cost :math:`J` with respect to
every weight in one backward pass.  A mistake in it (a wrong derivative, a
transposed matrix, a missing term) rarely makes training fail outright: the
network still learns, only worse, and the bug goes unnoticed.  The classic
test compares the gradient with *central differences*: for each parameter
:math:`\theta_k`,

.. math::

   \frac{\partial J}{\partial \theta_k} \approx
   \frac{J(\theta + \epsilon e_k) - J(\theta - \epsilon e_k)}{2 \epsilon},

with :math:`e_k` the unit vector of parameter :math:`k` and :math:`\epsilon`
a small step.  :func:`skmlp.check_gradients` does this for every weight and
intercept of a fitted :class:`~skmlp.MLPBackpropClassifier` (or
:class:`~skmlp.AdalineClassifier`) and returns, for each layer :math:`l`,
the relative error

.. math::

   r_l = \frac{\lVert g_l - n_l \rVert}{\lVert g_l \rVert + \lVert n_l \rVert}

between the analytic gradient :math:`g_l` and the numerical one
:math:`n_l`.
"""

# %%
# A correct gradient
# ------------------
# Each parameter costs two evaluations of :math:`J`, so we check a small
# network (two hidden layers of 5 and 4 units, 64 parameters) on 30 iris
# flowers.  An unfitted estimator is first trained for one epoch, so that
# the weights are not at their random start.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris

import skmlp._core.activations
from skmlp import MLPBackpropClassifier, check_gradients

X, y = load_iris(return_X_y=True)
X, y = X[::5], y[::5]
clf = MLPBackpropClassifier(
    hidden_layer_sizes=(5, 4), alpha=0.1, random_state=0
)
errors = check_gradients(clf, X, y)
print("relative error per layer:", errors)

# %%
# Errors of about :math:`10^{-8}`, below the usual threshold of
# :math:`10^{-7}`: backpropagation and the finite differences agree up to the
# error of the finite differences themselves (see the last section).
#
# A broken derivative
# -------------------
# Now a bug of the kind gradient checking is for.  The backward pass
# multiplies the error arriving at a logistic hidden unit by the derivative
# of the logistic function, :math:`\sigma'(z) = a (1 - a)` with
# :math:`a = \sigma(z)` the unit's activation.  We replace it, for this
# check only, by a plausible typo, :math:`a (1 + a)`.  (The table of
# derivatives, ``skmlp._core.activations.DERIVATIVES``, is internal: we
# patch it here to show what a bug looks like, and restore it at once.)


def broken_logistic_derivative(A, delta, xp=None):
    """Multiply ``delta`` by ``A (1 + A)`` instead of ``A (1 - A)``."""
    delta *= A * (1 + A)
    return delta


derivatives = skmlp._core.activations.DERIVATIVES
correct = derivatives["logistic"]
derivatives["logistic"] = broken_logistic_derivative
try:
    broken = check_gradients(clf, X, y)
finally:
    derivatives["logistic"] = correct
print("relative error per layer:", broken)

# %%
# The output layer's gradient is still right: backpropagation computes it
# before reaching any hidden unit's derivative.  The two hidden layers'
# relative errors are of order one: the check tells where the bug is, not
# only that there is one.
fig, ax = plt.subplots(figsize=(6, 3.5))
layers = np.arange(1, len(errors) + 1)
ax.bar(layers - 0.2, errors, width=0.4, label="correct derivative")
ax.bar(layers + 0.2, broken, width=0.4, label="a (1 + a) instead of a (1 - a)")
ax.axhline(1e-7, color="k", linestyle=":", label="1e-7")
ax.set(yscale="log", xticks=layers, xlabel="layer", ylabel="relative error")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %%
# Choosing epsilon
# ----------------
# The central difference is off from the derivative by a term of order
# :math:`\epsilon^2`, and the subtraction
# :math:`J(\theta + \epsilon e_k) - J(\theta - \epsilon e_k)` loses digits to
# rounding, an error of order :math:`10^{-16} / \epsilon` in double
# precision.  The two balance around :math:`\epsilon = 10^{-5}`, and any
# step between about :math:`10^{-7}` and :math:`10^{-4}` tells a correct
# gradient from a wrong one; the default is ``epsilon=1e-6``.
epsilons = np.logspace(-10, -1, 10)
by_epsilon = np.array(
    [check_gradients(clf, X, y, epsilon=eps) for eps in epsilons]
)

fig, ax = plt.subplots(figsize=(6, 3.5))
for l in range(by_epsilon.shape[1]):
    ax.loglog(epsilons, by_epsilon[:, l], marker="o", label=f"layer {l + 1}")
ax.set(xlabel="epsilon", ylabel="relative error")
ax.legend()
fig.tight_layout()
plt.show()
