"""
=================================
Class weights for imbalanced data
=================================

When one class is much rarer than the others, a classifier that minimises
the average cost over the samples can do well by neglecting it.
``class_weight`` multiplies the cost of every sample of a class by a weight:
``"balanced"`` gives each class the weight ``n_samples / (n_classes *
n_samples_of_the_class)``, so that every class counts as much in total, and a
dict sets the weights by hand.
"""

# %%
# Two overlapping groups of points, 950 of the common class and 50 of the
# rare one.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.metrics import recall_score

from skmlp import AdalineClassifier

X, y = make_blobs(
    n_samples=[950, 50],
    centers=[[0, 0], [2, 2]],
    cluster_std=[1.5, 0.8],
    random_state=0,
)

# %%
# Adaline minimises the weighted squared error
#
# .. math::
#
#    J = \frac{1}{2S} \sum_i s_i (t_i - z_i)^2
#        + \frac{\alpha}{2S} \lVert w \rVert^2,
#    \qquad S = \sum_i s_i,
#
# where :math:`t_i = \pm 1` codes the class of sample :math:`i`,
# :math:`z_i = w \cdot x_i + b` is the net input and :math:`s_i` the
# sample's weight: its ``sample_weight`` (1 by default) times the weight of
# its class.  Without class weights, the 950 common points dominate
# :math:`J`.
models = {
    "class_weight=None": AdalineClassifier(),
    'class_weight="balanced"': AdalineClassifier(class_weight="balanced"),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    model.fit(X, y)
    recall = recall_score(y, model.predict(X), average=None)
    DecisionBoundaryDisplay.from_estimator(
        model, X, response_method="predict", cmap="coolwarm", alpha=0.3, ax=ax
    )
    ax.scatter(*X[y == 0].T, s=8, c="C0", label="common class (950)")
    ax.scatter(*X[y == 1].T, s=16, c="C3", marker="^", label="rare class (50)")
    ax.set_title(
        f"{name}\nrecall: common {recall[0]:.2f}, rare {recall[1]:.2f}"
    )
axes[0].legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# The recall of a class is the fraction of its samples that the model
# labels correctly.  Unweighted, the model labels every point common: the
# line lies outside the data, no rare point is found, and the accuracy is
# still 95%.  Balanced, each
# rare point weighs 19 times as much as a common one (10 against 0.53): the
# line moves towards the common class, and most rare points are found, at the
# price of more common points labelled rare.  Which trade-off is right
# depends on what a mistake costs in each class; a dict such as
# ``class_weight={0: 1, 1: 5}`` sets it directly.
#
# Class weights are sample weights: the same fit comes from
# ``sample_weight`` set to each sample's class weight.
weights = np.where(y == 1, len(y) / (2 * 50), len(y) / (2 * 950))
by_sample = AdalineClassifier().fit(X, y, sample_weight=weights)
print(np.allclose(by_sample.coef_, models['class_weight="balanced"'].coef_))
