"""Target coding: class labels as the targets of the output units.

A classifier provides a ``LabelCoder`` (``_target_coder``); the regressors
will provide a coder of their own with the same two steps: ``fit`` (learn or
check the targets' coding) and ``transform`` (the coded targets ``T`` of
shape ``(n_samples, n_outputs)``).
"""

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels


def check_known_labels(y, classes, name):
    """Raise if ``y`` holds labels outside ``classes``, naming them."""
    unseen = np.setdiff1d(unique_labels(y), classes)
    if len(unseen):
        raise ValueError(
            f"{name} contains labels {unseen.tolist()!r} that are not among the "
            f"classes {classes.tolist()!r}."
        )


def is_multilabel(binarizer):
    """Whether a fitted ``LabelBinarizer`` codes a multilabel indicator ``y``."""
    return binarizer.y_type_.startswith("multilabel")


class LabelCoder:
    """One output unit per class (one for two classes), coded ``neg_label`` / 1.

    Parameters
    ----------
    owner : str
        The estimator's name, for messages.
    neg_label : {-1, 0}
        The negative target: -1 for the linear models, 0 for the MLP.
    two_units_for_softmax : bool, default=False
        Give two classes two units under a softmax output.
    """

    def __init__(self, owner, neg_label, two_units_for_softmax=False):
        self.owner = owner
        self.neg_label = neg_label
        self.two_units_for_softmax = two_units_for_softmax

    def fit(self, y, fitted, incremental, classes):
        """``(binarizer, multilabel)`` for the labels ``y``.

        ``fitted`` is the binarizer of the fit being continued (``warm_start``
        or ``partial_fit``), or None for a fresh fit; ``classes`` those given
        to ``partial_fit``.
        """
        check_classification_targets(y)
        multilabel = type_of_target(y).startswith("multilabel")
        if fitted is not None:
            self._check_continued(fitted, y, multilabel, incremental, classes)
            return fitted, multilabel
        lb = LabelBinarizer(neg_label=self.neg_label, pos_label=1)
        if incremental and not multilabel:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            lb.fit(classes)
            check_known_labels(y, lb.classes_, "y")
        else:
            lb.fit(y)
        if not multilabel and len(lb.classes_) < 2:
            raise ValueError(
                f"{self.owner} needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {lb.classes_[0]!r}."
            )
        return lb, multilabel

    @staticmethod
    def _check_continued(lb, y, multilabel, incremental, classes):
        fitted_classes = lb.classes_
        if incremental and classes is not None:
            if not np.array_equal(unique_labels(classes), fitted_classes):
                raise ValueError(
                    f"classes={classes!r} is not the same as on the first call to "
                    f"partial_fit, which was {fitted_classes!r}."
                )
        if multilabel != is_multilabel(lb):
            raise ValueError("y changed between multilabel and single-label targets.")
        if not multilabel:
            check_known_labels(y, fitted_classes, "y")
            if not incremental and not np.array_equal(unique_labels(y), fitted_classes):
                raise ValueError(
                    "warm_start needs y to hold the same classes as the previous fit: "
                    f"{fitted_classes.tolist()!r}, but y has {unique_labels(y).tolist()!r}."
                )

    def transform(self, lb, y, output_activation):
        """The coded targets ``T`` of shape (n_samples, n_outputs), on the host."""
        T = lb.transform(y)
        if self.two_units_for_softmax and output_activation == "softmax" and T.shape[1] == 1:
            T = np.hstack([1 - T, T])
        return T

    def n_outputs(self, lb, output_activation):
        """The number of output units for the binarizer ``lb``."""
        return self.transform(lb, lb.classes_[:1], output_activation).shape[1]
