r"""
=================================================
Validation curves over alpha and the hidden units
=================================================

Two parameters set how closely :class:`~skmlp.MLPBackpropClassifier` can fit
its training data: ``alpha``, the weight of the L2 penalty
:math:`\frac{\alpha}{2n} \sum_l \lVert W_l \rVert^2` added to the cost
(:math:`n` training samples, :math:`W_l` the weights of layer :math:`l`),
and the number of hidden units, ``hidden_layer_sizes``.  Both are ordinary
scikit-learn parameters, so scikit-learn's
:func:`~sklearn.model_selection.validation_curve` sweeps them: for each
value it fits the model on two thirds of the digits data and scores it, by
accuracy, on the training part and on the third left out (3-fold
cross-validation).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import validation_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import MLPBackpropClassifier

X, y = load_digits(return_X_y=True)

# %%
# The model is a pipeline: a :class:`~sklearn.preprocessing.StandardScaler`
# learns each pixel's mean and standard deviation on the training folds,
# then the network trains on the standardised pixels.  A pipeline names the
# parameters of its steps ``<step>__<parameter>``.  Each fit stops early:
# ``early_stopping=True`` holds out 10% of the training folds
# (``validation_fraction=0.1``) and stops once their accuracy has not
# improved for more than ``n_iter_no_change=10`` epochs, which keeps the
# sweep fast and every fit converged.
pipe = make_pipeline(
    StandardScaler(),
    MLPBackpropClassifier(
        learning_rate_init=0.01, early_stopping=True, random_state=0
    ),
)
sweeps = {
    "alpha": ("mlpbackpropclassifier__alpha", np.logspace(-3, 2, 6)),
    "hidden units (one layer)": (
        "mlpbackpropclassifier__hidden_layer_sizes",
        [(2,), (4,), (8,), (16,), (32,), (64,)],
    ),
}

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for ax, (label, (param, values)) in zip(axes, sweeps.items()):
    train, test = validation_curve(
        pipe, X, y, param_name=param, param_range=values, cv=3
    )
    x = values if label == "alpha" else [v[0] for v in values]
    ax.plot(x, train.mean(axis=1), "o-", label="training folds")
    ax.plot(x, test.mean(axis=1), "o-", label="left-out fold")
    ax.set(xscale="log", xlabel=label)
    ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.minorticks_off()
axes[0].set_ylabel("accuracy")
axes[0].legend()
fig.tight_layout()
plt.show()

# %%
# Left, the default 100 hidden units and a growing penalty.  Up to
# ``alpha=10`` the penalty costs little accuracy; at 100 it pulls the weights
# towards zero so hard that the network can no longer fit even its training
# data: it underfits, and both accuracies fall together.
#
# Right, no penalty to speak of (the default ``alpha=1e-4``) and a growing
# hidden layer.  Two or four hidden units cannot tell ten digits apart; the
# left-out accuracy rises up to about 32 units and gains nothing beyond.  The
# gap between the two curves, a few points of accuracy throughout, measures
# how much better the network does on the data it was trained on than on new
# data: its overfitting, which early stopping keeps small here.
#
# :class:`~sklearn.model_selection.GridSearchCV` searches both parameters at
# once and refits the best model; the user guide's :ref:`mlp` page shows
# how.
