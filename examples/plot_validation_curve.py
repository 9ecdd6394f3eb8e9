"""
=================================================
Validation curves over alpha and the hidden units
=================================================

``alpha`` (the notes' lambda) trades the fit of the training data against the
size of the weights; more hidden units let the network fit more.  Both are
ordinary scikit-learn parameters, so ``validation_curve`` sweeps them.
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
pipe = make_pipeline(StandardScaler(), MLPBackpropClassifier(max_iter=100, random_state=0))

sweeps = {
    "mlpbackpropclassifier__alpha": np.logspace(-4, 2, 7),
    "mlpbackpropclassifier__hidden_layer_sizes": [(4,), (8,), (16,), (32,), (64,)],
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for ax, (param, values) in zip(axes, sweeps.items()):
    train, test = validation_curve(pipe, X, y, param_name=param, param_range=values, cv=3)
    x = values if "alpha" in param else [v[0] for v in values]
    ax.plot(x, train.mean(axis=1), "o-", label="training")
    ax.plot(x, test.mean(axis=1), "o-", label="cross-validation")
    ax.set_xscale("log")
    ax.set_xlabel(param.split("__")[1])
    ax.set_ylabel("accuracy")
    ax.legend()
fig.tight_layout()
plt.show()
