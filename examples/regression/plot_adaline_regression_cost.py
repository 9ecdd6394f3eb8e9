r"""
================================================
Adaline as a regressor: the cost, epoch by epoch
================================================

Adaline is Widrow and Hoff's linear unit on the squared error, and before it
classifies anything it is a regressor: :class:`~skmlp.AdalineRegressor`
fits :math:`z = w \cdot x + b` to the values :math:`t` of ``y`` by
descending

.. math::

   J(w, b) = \frac{1}{2n} \sum_{i=1}^{n} (t_i - z_i)^2
             + \frac{\alpha}{2n} \lVert w \rVert^2,

whose minimiser is ridge regression's.  This example follows :math:`J`
epoch by epoch on scikit-learn's diabetes data, for batch descent with the
default step (``eta0="auto"``, :math:`1 / L` with :math:`L` the largest
curvature of :math:`J`), a step too large to settle, and stochastic descent
(``batch_size=1``, Widrow and Hoff's LMS rule), against the closed form of
:class:`~sklearn.linear_model.Ridge`.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineRegressor

X, y = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
y = (y - y.mean()) / y.std()
alpha = 1.0

# The minimum of J: ridge's solution, evaluated with the same J.
ridge = Ridge(alpha=alpha).fit(X, y)
J_min = (
    np.sum((y - ridge.predict(X)) ** 2) + alpha * ridge.coef_ @ ridge.coef_
) / (2 * len(y))

# %%
# Three ways down to the same minimum
# -----------------------------------
# ``tol=None`` turns the stopping rule off, so each fit runs ``max_iter``
# epochs; ``loss_curve_`` holds :math:`J` after each (for stochastic
# descent, the mean over the epoch's samples as they were visited).
fits = {
    'batch, eta0="auto"': AdalineRegressor(alpha=alpha, max_iter=60, tol=None),
    "batch, eta0=1.9 / L": None,
    "stochastic, eta0=0.01": AdalineRegressor(
        alpha=alpha,
        batch_size=1,
        eta0=0.01,
        max_iter=60,
        tol=None,
        random_state=0,
    ),
}
auto = fits['batch, eta0="auto"'].fit(X, y)
fits["batch, eta0=1.9 / L"] = AdalineRegressor(
    alpha=alpha, eta0=1.9 * auto.eta_, max_iter=60, tol=None
).fit(X, y)
fits["stochastic, eta0=0.01"].fit(X, y)

fig, ax = plt.subplots(figsize=(7, 4))
for label, reg in fits.items():
    ax.semilogy(
        np.arange(1, 61),
        np.array(reg.loss_curve_) - J_min + 1e-12,
        label=label,
    )
ax.set_xlabel("epoch")
ax.set_ylabel("J - J(ridge)")
ax.set_title("Adaline on the diabetes data")
ax.legend()
fig.tight_layout()
plt.show()

for label, reg in fits.items():
    print(f"{label:24s} R^2 = {reg.score(X, y):.4f}")
print(f"{'Ridge (closed form)':24s} R^2 = {ridge.score(X, y):.4f}")

# %%
# Batch descent with ``eta0="auto"`` falls fastest at first, then slows to a
# crawl: what is left lies along the flat directions of :math:`J` (the
# diabetes features are correlated), where a step of :math:`1 / L` moves
# little.  Almost twice that step starts slower, since along the steepest
# direction it overshoots to the other side each epoch, but moves further
# along the flat ones and overtakes it (beyond :math:`2 / L` it would
# diverge, and ``fit`` would say so).  Stochastic descent takes one step per
# sample: it is close within an epoch, then hovers at a distance set by its
# constant step.  All three end near ridge's fit, as the :math:`R^2` values
# show.
