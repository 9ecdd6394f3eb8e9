r"""
========================================================================
Adaline: the learning rate, standardised features and stochastic descent
========================================================================

Adaline (ADAptive LInear NEuron) is the perceptron's single layer with the
identity as activation: it fits the net input :math:`z = w \cdot x + b` to
the targets :math:`t = \pm 1` by minimising the squared error

.. math::

   J(w, b) = \frac{1}{2n} \sum_{i=1}^{n} (t_i - z_i)^2
             + \frac{\alpha}{2n} \lVert w \rVert^2

over the :math:`n` training samples (:math:`\alpha` is the L2 penalty,
``alpha=1e-4`` by default).  Batch gradient descent updates
:math:`w \leftarrow w - \eta_0 \, \partial J / \partial w` once per
epoch, with :math:`\eta_0` the learning rate ``eta0``.  This example uses
the iris flowers of :ref:`the perceptron example
<sphx_glr_auto_examples_perceptron_plot_perceptron_iris.py>` (setosa against
versicolor, sepal and petal length) to show what the learning rate does, why
standardising the features helps, and what stochastic descent
(``batch_size=1``) looks like.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier

iris = load_iris()
X = iris.data[:100][:, [0, 2]]
y = iris.target_names[iris.target[:100]]
labels = {"xlabel": "sepal length [cm]", "ylabel": "petal length [cm]"}

# %%
# A step too large and a step too small
# -------------------------------------
# Ten epochs of batch descent on the raw measurements (in centimetres) with
# two fixed learning rates.  ``tol=None`` turns off the stopping rule, so
# that each fit runs exactly ``max_iter`` epochs; ``loss_curve_`` holds
# :math:`J` for each epoch.
steps = {"eta0 = 0.07 (too large)": 0.07, "eta0 = 0.001 (too small)": 0.001}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for ax, (title, eta0) in zip(axes, steps.items()):
    ada = AdalineClassifier(eta0=eta0, max_iter=10, tol=None).fit(X, y)
    epochs = np.arange(1, ada.n_iter_ + 1)
    ax.plot(epochs, ada.loss_curve_, marker="o")
    ax.set(xlabel="epoch", ylabel="J (log scale)", yscale="log", title=title)
fig.tight_layout()
plt.show()

# %%
# With ``eta0=0.07`` every step overshoots the minimum and lands further up
# the other side of the bowl: the cost grows at each epoch.  With
# ``eta0=0.001`` it falls, but so slowly that a thousand epochs would not be
# enough.
#
# A slightly larger step diverges faster; once the cost has grown ten
# thousandfold (or stops being finite), ``fit`` stops, raises a
# ``ValueError`` that names the parameter, and leaves the estimator as it
# was:
try:
    AdalineClassifier(eta0=0.1, max_iter=10, tol=None).fit(X, y)
except ValueError as exc:
    print(exc)

# %%
# Why? :math:`J` is a quadratic function of the weights: a bowl whose
# steepest curvature :math:`L` is the largest eigenvalue of
# :math:`\frac1n \sum_i \tilde x_i \tilde x_i^\top` with
# :math:`\tilde x_i = (x_i, 1)`.  Gradient descent converges for
# :math:`\eta_0 < 2 / L` and diverges beyond.  The default ``eta0="auto"``
# computes :math:`L` and takes :math:`\eta_0 = 1 / L`; after ``fit``,
# ``eta_`` holds the learning rate used:
eta = AdalineClassifier(max_iter=10, tol=None).fit(X, y).eta_
print(
    f"eta0='auto' chose 1/L = {eta:.4f}; "
    f"steps above 2/L = {2 * eta:.4f} diverge"
)

# %%
# Standardised features
# ---------------------
# On the raw measurements the bowl is a long, narrow valley: its curvature
# is about 6000 times larger along the steepest direction than along the
# flattest, and a step small enough for the steepest direction crawls along
# the flattest one.  Standardising each feature (subtracting
# its mean and dividing by its standard deviation, scikit-learn's
# :class:`~sklearn.preprocessing.StandardScaler`) makes the bowl round, and a
# much larger step converges in a few epochs.  In a pipeline the scaler
# learns the means and deviations of the training data only.  With the
# default ``tol=1e-4``, training stops once :math:`J` has not improved by
# ``tol`` for ``n_iter_no_change=5`` epochs.
batch = make_pipeline(StandardScaler(), AdalineClassifier(eta0=0.5)).fit(X, y)
print(f"batch descent stopped after {batch[-1].n_iter_} epochs")

# %%
# Stochastic gradient descent
# ---------------------------
# ``batch_size=1`` updates the weights after each sample, with the gradient
# of that sample's error alone, in a new random order each epoch
# (``random_state`` fixes it).  An epoch then makes :math:`n` small steps
# instead of one: the cost falls in fewer epochs, each of them more
# expensive, and hovers around the minimum instead of settling on it.
# ``loss_curve_`` holds the mean cost of the samples as they were visited.
sgd = make_pipeline(
    StandardScaler(),
    AdalineClassifier(eta0=0.01, batch_size=1, random_state=1),
).fit(X, y)
print(f"stochastic descent stopped after {sgd[-1].n_iter_} epochs")

fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
for row, (name, model) in zip(
    axes, {"batch, eta0=0.5": batch, "SGD, eta0=0.01": sgd}.items()
):
    ada = model[-1]
    epochs = np.arange(1, ada.n_iter_ + 1)
    row[0].plot(epochs, ada.loss_curve_, marker="o", markersize=3)
    row[0].set(
        xlabel="epoch", ylabel="J", title=f"Adaline ({name}), standardised"
    )
    DecisionBoundaryDisplay.from_estimator(
        model,
        X,
        response_method="predict",
        cmap="coolwarm",
        alpha=0.3,
        ax=row[1],
        **labels,
    )
    for species, marker in zip(iris.target_names[:2], "ox"):
        row[1].scatter(*X[y == species].T, marker=marker, c="k", label=species)
    row[1].legend(loc="upper left")
    row[1].set_title(f"training accuracy {model.score(X, y):.2f}")
fig.tight_layout()
plt.show()

# %%
# Both end close to the same line, the minimiser of :math:`J` (which is
# also ridge regression's on the :math:`\pm 1` targets, see
# :class:`~sklearn.linear_model.RidgeClassifier`).  Unlike the perceptron,
# which stops at the first line that makes no mistake, Adaline keeps moving
# the line until the squared error is smallest: every sample pulls on it, not
# only the misclassified ones.
