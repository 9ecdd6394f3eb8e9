"""
=================================================
Decision regions of the three estimators on moons
=================================================

Two interleaved half-moons, a classic data set that no straight line
separates.  The Perceptron and Adaline draw one line (one linear unit for two
classes); a hidden layer of logistic units lets
:class:`~skmlp.MLPBackpropClassifier` bend the boundary.  The background
shades ``predict_proba`` of the second class, and the black curve is where it
crosses 0.5, the decision boundary.  For the linear models that probability
is only a monotone map of ``decision_function`` (the net input
:math:`z = w \\cdot x + b`), not a calibrated probability.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import (
    AdalineClassifier,
    MLPBackpropClassifier,
    PerceptronClassifier,
)

X, y = make_moons(n_samples=300, noise=0.2, random_state=0)

# %%
# Each model is a pipeline that standardises the two features first.  The
# network has 10 hidden units and is trained by L-BFGS (``solver="lbfgs"``),
# a quasi-Newton method that suits small data sets; ``alpha=0.1`` keeps its
# boundary smooth.
models = {
    "PerceptronClassifier": PerceptronClassifier(random_state=0),
    "AdalineClassifier": AdalineClassifier(),
    "MLPBackpropClassifier (10 hidden)": MLPBackpropClassifier(
        hidden_layer_sizes=(10,),
        solver="lbfgs",
        alpha=0.1,
        max_iter=1000,
        random_state=0,
    ),
}
xx, yy = np.meshgrid(np.linspace(-2, 3, 200), np.linspace(-1.5, 2, 200))
grid = np.c_[xx.ravel(), yy.ravel()]

fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
for ax, (name, model) in zip(axes, models.items()):
    clf = make_pipeline(StandardScaler(), model).fit(X, y)
    proba = clf.predict_proba(grid)[:, 1].reshape(xx.shape)
    ax.contourf(xx, yy, proba, levels=20, cmap="RdBu_r", alpha=0.6)
    ax.contour(xx, yy, proba, levels=[0.5], colors="k")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=15)
    ax.set_title(f"{name}\ntraining accuracy {clf.score(X, y):.2f}")
fig.tight_layout()
plt.show()
