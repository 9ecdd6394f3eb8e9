"""
==============================================
The perceptron learns to tell two irises apart
==============================================

The classic first run of Rosenblatt's perceptron: two species of iris,
*setosa* and *versicolor*, described by two measurements, the sepal length
and the petal length.  The two species are linearly separable in these
features, so the perceptron convergence theorem promises that the rule stops
making mistakes after a finite number of updates.

The settings are those of the classic exercise (chapter 2 of S. Raschka's
*Python Machine Learning*, for instance): the weights start at zero (always
the case for :class:`~skmlp.PerceptronClassifier`), the learning rate is
``eta0=0.1``, and the flowers are visited in the order of the data
(``shuffle=False``), so that the run is deterministic.
"""

# %%
# The data
# --------
# The first 100 rows of the iris data are the setosa and the versicolor
# flowers; columns 0 and 2 hold the sepal and the petal length in
# centimetres.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.inspection import DecisionBoundaryDisplay

from skmlp import PerceptronClassifier

iris = load_iris()
X = iris.data[:100][:, [0, 2]]
y = iris.target_names[iris.target[:100]]
labels = {"xlabel": "sepal length [cm]", "ylabel": "petal length [cm]"}
markers = {"setosa": "o", "versicolor": "x"}

fig, ax = plt.subplots(figsize=(5, 4))
for species, marker in markers.items():
    ax.scatter(*X[y == species].T, marker=marker, label=species)
ax.set(**labels)
ax.legend(loc="upper left")
plt.show()

# %%
# Training
# --------
# The perceptron codes the second class, versicolor, as the target
# :math:`t = +1` and setosa as :math:`t = -1`.  For each flower
# :math:`x = (x_1, x_2)` in turn it computes the net input
# :math:`z = w_1 x_1 + w_2 x_2 + b`, predicts :math:`\hat y = +1` if
# :math:`z \ge 0` and :math:`-1` otherwise, and updates
#
# .. math::
#
#    w \leftarrow w + \eta_0 (t - \hat y) x, \qquad
#    b \leftarrow b + \eta_0 (t - \hat y).
#
# A flower that is already on the right side leaves :math:`w` and :math:`b`
# unchanged; a mistake moves the line towards it by :math:`2 \eta_0 x`.
# ``errors_`` counts the mistakes of each epoch (one pass over the data), and
# an epoch without mistakes ends the training.
clf = PerceptronClassifier(eta0=0.1, shuffle=False).fit(X, y)
print("mistakes per epoch:", clf.errors_)
print("w =", clf.coef_[0], " b =", clf.intercept_[0])

fig, ax = plt.subplots(figsize=(5, 3.5))
epochs = np.arange(1, len(clf.errors_) + 1)
ax.plot(epochs, clf.errors_, marker="o")
ax.set(xlabel="epoch", ylabel="number of mistakes", xticks=epochs)
ax.set_yticks(range(max(clf.errors_) + 1))
ax.set_title("PerceptronClassifier(eta0=0.1, shuffle=False)")
fig.tight_layout()
plt.show()

# %%
# The sixth epoch makes no mistake: every flower of the training data is on
# the right side of the line.
#
# Decision regions
# ----------------
# The fitted perceptron predicts versicolor where
# :math:`w_1 x_1 + w_2 x_2 + b \ge 0`: the two regions are separated by a
# straight line.  scikit-learn's
# :class:`~sklearn.inspection.DecisionBoundaryDisplay` evaluates ``predict``
# on a grid.
fig, ax = plt.subplots(figsize=(5, 4))
DecisionBoundaryDisplay.from_estimator(
    clf,
    X,
    response_method="predict",
    cmap="coolwarm",
    alpha=0.3,
    ax=ax,
    **labels,
)
for species, marker in markers.items():
    ax.scatter(*X[y == species].T, marker=marker, c="k", label=species)
ax.legend(loc="upper left")
ax.set_title(f"training accuracy {clf.score(X, y):.2f}")
plt.show()

# %%
# The line is one of many that separate the two species: the perceptron stops
# at the first it finds, however close it passes to some flowers.  With
# ``shuffle=True`` (the default) the flowers come in another order, and the
# perceptron may find another line.  ``eta0``, on the other hand, does not
# matter here: the weights start at zero and every update is a multiple of
# ``eta0``, so another ``eta0`` scales ``w`` and ``b`` and finds the same
# line.
#
# When the classes are not linearly separable, the rule never stops making
# mistakes; training then ends after ``max_iter`` epochs, or earlier when the
# perceptron criterion recorded in ``loss_curve_`` stops improving (``tol``,
# ``n_iter_no_change``).
