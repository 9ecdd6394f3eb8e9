r"""
============================================================
Training and validation loss of an MLP on handwritten digits
============================================================

:class:`~skmlp.MLPBackpropClassifier` on the digits data that scikit-learn
ships: 1797 images of 8 by 8 pixels, each pixel a grey level from 0 to 16,
showing the digits 0 to 9.  We follow the training on data the network does
not learn from (a validation set passed to ``fit`` as ``X_val`` and
``y_val``), stop it when the validation loss stops improving, and look at
what the hidden units have learned.
"""

# %%
# The data
# --------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skmlp import MLPBackpropClassifier

digits = load_digits()
fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
for ax, image, label in zip(axes, digits.images, digits.target):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(label)
    ax.set_axis_off()
plt.show()

# %%
# Each image is a row of 64 features.  Dividing the grey levels by 16 puts
# every feature in :math:`[0, 1]` (a
# :class:`~sklearn.preprocessing.StandardScaler` works as well, but keeping
# the pixels' meaning lets us draw the weights as images below).  Half of
# the images are kept aside for validation, in the same proportions of each
# digit (``stratify=y``).
X = digits.data / 16
y = digits.target
X_train, X_val, y_train, y_val = train_test_split(
    X, y, train_size=0.5, stratify=y, random_state=0
)

# %%
# Training and validation loss
# ----------------------------
# The network has one hidden layer of 32 logistic units and ten logistic
# output units, one per digit.  It minimises the summed logistic cost
#
# .. math::
#
#    J = -\frac{1}{n} \sum_{i=1}^{n} \sum_{j=1}^{10}
#        \left[ t_{ij} \log a_{ij} + (1 - t_{ij}) \log (1 - a_{ij}) \right]
#        + \frac{\alpha}{2n} \sum_l \lVert W_l \rVert^2
#
# where :math:`a_{ij}` is output unit :math:`j`'s activation for image
# :math:`i`, :math:`t_{ij}` is 1 if image :math:`i` shows digit :math:`j`
# and 0 otherwise, :math:`W_l` are the weights of layer :math:`l` and
# :math:`\alpha` the L2 penalty, here 0 so that nothing holds the network
# back from overfitting.  Stochastic gradient descent (``solver="sgd"``, with
# Nesterov's momentum 0.9 by default) follows the gradient of :math:`J`,
# computed by backpropagation, on mini-batches of 10 images with a learning
# rate of 0.1.
#
# ``tol=None`` turns the stopping rule off: the network trains for exactly
# ``max_iter=100`` epochs.  Given ``X_val`` and ``y_val``, ``fit`` records
# after each epoch :math:`J` on the validation data in
# ``validation_loss_curve_`` and the validation accuracy in
# ``validation_scores_``.
params = dict(
    hidden_layer_sizes=(32,),
    alpha=0.0,
    solver="sgd",
    learning_rate_init=0.1,
    batch_size=10,
    random_state=0,
)
mlp = MLPBackpropClassifier(max_iter=100, tol=None, **params)
mlp.fit(X_train, y_train, X_val=X_val, y_val=y_val)

# %%
# The training loss keeps falling: with 2410 weights for 898 images, the
# network can learn the training images by heart.  The validation loss stops
# improving after a few dozen epochs and then creeps up: from there on the
# network grows more confident on the images it trains on without getting
# better on the others.  The gap between the two curves is overfitting.
#
# ``early_stopping=True`` ends the training once the monitored validation
# score has not improved by ``tol=1e-4`` for more than ``n_iter_no_change=10``
# epochs, and keeps the weights of the best epoch.  ``scoring="loss"``
# monitors :math:`J` on the validation data (the default monitors the
# accuracy).
stopped = MLPBackpropClassifier(early_stopping=True, scoring="loss", **params)
stopped.fit(X_train, y_train, X_val=X_val, y_val=y_val)
best_epoch = int(np.argmax(stopped.validation_scores_)) + 1
print(
    f"early stopping ran {stopped.n_iter_} epochs and kept epoch {best_epoch}"
)
print(f"validation accuracy: {stopped.score(X_val, y_val):.3f}")

epochs = np.arange(1, mlp.n_iter_ + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
ax_loss.plot(epochs, mlp.loss_curve_, label="training: loss_curve_")
ax_loss.plot(
    epochs,
    mlp.validation_loss_curve_,
    label="validation: validation_loss_curve_",
)
ax_loss.set(xlabel="epoch", ylabel="J (log scale)", yscale="log")
ax_acc.plot(epochs, mlp.validation_scores_, color="C1")
ax_acc.set(
    xlabel="epoch",
    ylabel="validation accuracy: validation_scores_",
    ylim=(0.8, 1),
)
for ax in (ax_loss, ax_acc):
    ax.axvline(
        best_epoch,
        color="k",
        linestyle=":",
        label="best epoch (early stopping)",
    )
ax_loss.legend()
fig.tight_layout()
plt.show()

# %%
# What the hidden units see
# -------------------------
# Hidden unit :math:`k` computes :math:`a_k = \sigma(x \cdot w_k + b_k)`,
# with :math:`\sigma(z) = 1 / (1 + e^{-z})` the logistic function and
# :math:`w_k` the :math:`k`-th column of the first layer's weights
# ``coefs_[0]`` (shape ``(64, 32)``).  Drawn as an 8 by 8 image, :math:`w_k`
# shows which pixels switch the unit on (red) or off (blue): strokes and
# blobs that tell some digits from others.
W = stopped.coefs_[0]
scale = np.abs(W).max()
fig, axes = plt.subplots(4, 8, figsize=(8, 4.4))
for k, ax in enumerate(axes.ravel()):
    ax.imshow(W[:, k].reshape(8, 8), cmap="RdBu_r", vmin=-scale, vmax=scale)
    ax.set_axis_off()
fig.suptitle("first-layer weights of the 32 hidden units")
plt.show()
