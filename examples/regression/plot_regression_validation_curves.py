r"""
=====================================
Validation curves over the L2 penalty
=====================================

How much penalty does a model need?  scikit-learn's
:func:`~sklearn.model_selection.validation_curve` answers with
cross-validation: it fits the model for each value of a parameter on each
training fold and scores it (:math:`R^2` for a regressor) on the held-out
fold.  This example draws the curves over ``alpha`` for
:class:`~skmlp.AdalineRegressor` and :class:`~skmlp.MLPBackpropRegressor` on
scikit-learn's Friedman #1 problem, where :math:`y` depends on five of ten
features, two of them non-linearly.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.model_selection import validation_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineRegressor, MLPBackpropRegressor

X, y = make_friedman1(n_samples=300, noise=1.0, random_state=0)
alphas = np.logspace(-2, 3, 6)
models = {
    "AdalineRegressor": AdalineRegressor(),
    "MLPBackpropRegressor (10 tanh units)": MLPBackpropRegressor(
        hidden_layer_sizes=(10,),
        activation="tanh",
        solver="lbfgs",
        max_iter=5000,
        random_state=0,
    ),
}

fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    pipe = make_pipeline(StandardScaler(), model)
    param = f"{type(model).__name__.lower()}__alpha"
    train, test = validation_curve(
        pipe, X, y, param_name=param, param_range=alphas, cv=5
    )
    for scores, label in ((train, "training folds"), (test, "held-out folds")):
        mean, std = scores.mean(axis=1), scores.std(axis=1)
        ax.semilogx(alphas, mean, marker="o", label=label)
        ax.fill_between(alphas, mean - std, mean + std, alpha=0.2)
    ax.set_title(name)
    ax.set_xlabel("alpha")
    held_out = test.mean(axis=1)
    best = alphas[np.argmax(held_out)]
    print(f"{name}: best alpha {best:g}, held-out R^2 {held_out.max():.3f}")
axes[0].set_ylabel("R^2")
axes[0].legend()
fig.tight_layout()
plt.show()

# %%
# The linear unit cannot fit the sine and the square in Friedman's function,
# so its training and held-out :math:`R^2` stay together and the penalty
# only costs it once it is large.  The network fits them: with little
# penalty it scores much higher on the training folds than on the held-out
# ones, and some ``alpha`` closes that gap before a large one makes it too
# smooth again.
