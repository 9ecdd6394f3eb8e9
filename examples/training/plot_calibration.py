"""
===========================================
Calibration of the predicted probabilities
===========================================

A classifier's probabilities are *calibrated* when, among the samples it
gives a probability of about 0.8, about 80% belong to the class.  A
reliability diagram (a calibration curve) shows it: it bins the predicted
probabilities and plots, for each bin, the fraction of samples that belong
to the class against the mean predicted probability.  A calibrated model
follows the diagonal.

The Perceptron and Adaline have no probability model: their
``predict_proba`` is a monotone map of ``decision_function``, there so that
they work where scikit-learn requires the method.  scikit-learn's tools that
take ``predict_proba`` first when it exists (``StackingClassifier``,
``TunedThresholdClassifierCV``, ``SelfTrainingClassifier``, the log-loss
scorer) use it all the same.
:class:`~sklearn.calibration.CalibratedClassifierCV` fits a calibration map
on held-out folds.  The MLP's default output, one logistic unit per class
normalised over the classes, is a probability model, but a softmax output
gives better multiclass probabilities.
"""

# %%
# The Perceptron and Adaline on a binary problem
# ----------------------------------------------
# 4000 points, 5 features of which 2 carry the class; half to train, half to
# test.  ``CalibratedClassifierCV`` refits its model on each of 5 folds of
# the training half and fits, on the rest, a logistic function of
# ``decision_function`` (``method="sigmoid"``).
import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import CalibratedClassifierCV, CalibrationDisplay
from sklearn.datasets import load_digits, make_classification
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import (
    AdalineClassifier,
    MLPBackpropClassifier,
    PerceptronClassifier,
)

X, y = make_classification(
    n_samples=4000,
    n_features=5,
    n_informative=2,
    n_redundant=0,
    n_clusters_per_class=1,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, random_state=0
)
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
for color, linear in [
    ("C0", PerceptronClassifier(random_state=0)),
    ("C1", AdalineClassifier()),
]:
    name = type(linear).__name__
    for calibrated in [False, True]:
        model = CalibratedClassifierCV(linear) if calibrated else linear
        model = make_pipeline(StandardScaler(), model).fit(X_train, y_train)
        proba = model.predict_proba(X_test)
        label = f"CalibratedClassifierCV({name})" if calibrated else name
        print(f"{label}: log-loss {log_loss(y_test, proba):.3f}")
        CalibrationDisplay.from_predictions(
            y_test,
            proba[:, 1],
            n_bins=10,
            strategy="quantile",
            name=label,
            ax=axes[0],
            color=color,
            linestyle="-" if calibrated else ":",
        )
axes[0].set_title("Binary problem: probability of class 1")

# %%
# The two raw maps fail in opposite ways.  The Perceptron's weights grow
# with every mistake, so its net inputs are large and its map gives
# probabilities near 0 and 1 to most points, some of them too confidently
# (its log-loss is the higher).  Adaline's net inputs approximate the
# targets -1 and +1, which the map turns into probabilities near 0.25 and
# 0.75: far less confident than the model deserves (the dotted orange curve
# lies flat near 0 and near 1, far from the diagonal).  Calibrated, both
# come close to the diagonal and their log-losses fall.
#
# The MLP on digits: logistic or softmax outputs
# ----------------------------------------------
# Ten classes, so the diagram is drawn for the predicted class: the
# probability of the class ``predict`` returns (the model's confidence)
# against the fraction of samples it gets right.  Both networks stop early
# on a held-out tenth of their training data.
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
for output in ["logistic", "softmax"]:
    mlp = MLPBackpropClassifier(
        hidden_layer_sizes=(50,),
        output_activation=output,
        learning_rate_init=0.01,
        early_stopping=True,
        random_state=0,
    )
    model = make_pipeline(StandardScaler(), mlp).fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    predicted = model.classes_[proba.argmax(axis=1)]
    print(
        f'output_activation="{output}": log-loss '
        f"{log_loss(y_test, proba):.3f}, "
        f"accuracy {np.mean(predicted == y_test):.3f}"
    )
    CalibrationDisplay.from_predictions(
        predicted == y_test,
        proba.max(axis=1),
        n_bins=5,
        strategy="quantile",
        name=f'output_activation="{output}"',
        ax=axes[1],
    )
axes[1].set_title("Digits: confidence in the predicted class")
axes[1].set_xlabel("Mean probability of the predicted class")
axes[1].set_ylabel("Fraction predicted right")
for ax in axes:
    ax.legend(loc="lower right", fontsize="small")
fig.tight_layout()
plt.show()

# %%
# The logistic units are each trained as a separate yes-or-no problem;
# normalised over the ten classes they share out the probability too
# evenly, and the network is far more often right than it says (the curve
# lies above the diagonal).  The softmax is trained on the probabilities
# of the classes themselves: its curve is closer to the diagonal and its
# log-loss lower, at about the same accuracy.  Use
# ``output_activation="softmax"`` when the probabilities matter, and wrap
# the Perceptron and Adaline in ``CalibratedClassifierCV``.
