"""
=========================================
Learning from a stream with partial_fit
=========================================

When the data does not fit in memory, or keeps arriving, ``fit`` is not an
option: it wants the whole training set at once.  ``partial_fit`` trains
for one epoch over the samples it is given and keeps everything else (the
weights, the optimizer's state, the count of samples seen ``t_``) for the
next call.  Here the three estimators learn the digits data in chunks of 50
images, and we measure their accuracy on a test set after each chunk.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skmlp import (
    AdalineClassifier,
    MLPBackpropClassifier,
    PerceptronClassifier,
)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# Two things differ from a call to ``fit``.  The first call must be told all
# the classes the stream will ever contain (``classes``): the first chunk may
# not hold every digit.  And the features must be scaled without looking at
# the whole data: pixel values lie between 0 and 16, so dividing by 16 puts
# them in :math:`[0, 1]` whatever the stream brings.
#
# The Adaline and the MLP update their weights after every 10 images
# (``batch_size=10``), the perceptron after every image.  The training set is
# streamed three times; ``t_`` counts the images seen over all calls.
classes = np.arange(10)
models = {
    "PerceptronClassifier()": PerceptronClassifier(random_state=0),
    "AdalineClassifier(batch_size=10)": AdalineClassifier(
        batch_size=10, random_state=0
    ),
    "MLPBackpropClassifier(32 hidden, sgd)": MLPBackpropClassifier(
        hidden_layer_sizes=(32,),
        solver="sgd",
        learning_rate_init=0.1,
        batch_size=10,
        random_state=0,
    ),
}
chunk = 50
curves = {}
for name, model in models.items():
    seen, accuracy = [], []
    for _ in range(3):
        for start in range(0, len(y_train), chunk):
            X_chunk = X_train[start : start + chunk] / 16
            model.partial_fit(
                X_chunk, y_train[start : start + chunk], classes=classes
            )
            seen.append(model.t_)
            accuracy.append(model.score(X_test / 16, y_test))
    curves[name] = seen, accuracy
    print(f"{name}: test accuracy {accuracy[-1]:.3f} after {model.t_} images")

fig, ax = plt.subplots(figsize=(7, 4))
for name, (seen, accuracy) in curves.items():
    ax.plot(seen, accuracy, label=name)
for n_passes in (1, 2):
    ax.axvline(n_passes * len(y_train), color="grey", linestyle=":")
ax.set(xlabel="training images seen (t_)", ylabel="test accuracy", ylim=(0, 1))
ax.legend(loc="lower right")
plt.show()

# %%
# The dotted lines mark the end of each pass over the training set.  The
# linear models are good after a few hundred images, and then wobble: each
# chunk pulls their ten separating lines (one per digit) towards its own
# images.  The network starts slower, as its random hidden weights first have
# to become useful features, and catches up by the end of the first pass.
#
# A call to ``partial_fit`` is one epoch: the stopping rule of ``fit``
# (``tol``, ``n_iter_no_change``) does not apply, and the caller decides when
# to stop.  With ``early_stopping=True`` and validation data passed to every
# call (``X_val``, ``y_val``), the calls count as epochs for the stopping
# rule; once it fires, the best weights are restored and further calls train
# no more.
