"""
=====================================
Loss curves of the three estimators
=====================================

``loss_curve_`` records the objective ``J`` after each epoch.  The Perceptron's
criterion falls with its mistakes (``errors_``), Adaline's batch descent
decreases the squared error at every step, and the MLP's summed logistic cost
falls with the solver's steps.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)

models = {
    "Perceptron": PerceptronClassifier(max_iter=30, tol=None, random_state=0),
    "Adaline (batch)": AdalineClassifier(max_iter=200, tol=None),
    "Adaline (SGD)": AdalineClassifier(batch_size=1, max_iter=30, tol=None, random_state=0),
    "MLP, adam": MLPBackpropClassifier(max_iter=60, tol=None, random_state=0),
    "MLP, sgd": MLPBackpropClassifier(
        solver="sgd", learning_rate_init=0.1, max_iter=60, tol=None, random_state=0
    ),
}

fig, axes = plt.subplots(1, 3, figsize=(12, 3.5))
for name, model in models.items():
    model.fit(X, y)
    ax = (
        axes[0]
        if name.startswith("Perceptron")
        else axes[1]
        if name.startswith("Adaline")
        else axes[2]
    )
    ax.plot(model.loss_curve_, label=name)
for ax, title in zip(axes, ["perceptron criterion", "squared error", "summed logistic cost"]):
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_yscale("log")
    ax.legend()
axes[0].plot(
    [e / len(y) for e in models["Perceptron"].errors_], "--", label="mistakes / n_samples"
)
axes[0].legend()
fig.tight_layout()
plt.show()
