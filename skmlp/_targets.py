"""Target coding: what ``y`` is to the output units.

An estimator provides its coder (``_target_coder``): the classifiers a
``LabelCoder``, a regressor one of its own with the same steps.  ``fit``
learns (or, continuing a fit, checks) a coding of ``y``; ``attributes`` are
the fitted attributes that keep it (``coding_of`` finds it again);
``transform`` gives the coded targets ``T`` of shape ``(n_samples,
n_outputs)``; ``weights`` the per-sample weights the coding implies (class
weights); ``stratify`` what an early-stopping split keeps in proportion;
``check_validation`` checks validation targets against the coding.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels

from ._weights import check_class_weight_use, sample_weights


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


@dataclass(frozen=True)
class LabelCoder:
    """One output unit per class (one for two classes), coded ``neg_label`` / 1.

    The coding is a fitted ``LabelBinarizer``.

    Parameters
    ----------
    owner : str
        The estimator's name, for messages.
    neg_label : {-1, 0}
        The negative target: -1 for the linear models, 0 for the MLP.
    class_weight : dict, "balanced" or None
        The estimator's ``class_weight``.
    two_units_for_softmax : bool, default=False
        Give two classes two units under a softmax output.
    """

    owner: str
    neg_label: int
    class_weight: object
    two_units_for_softmax: bool = False

    @staticmethod
    def coding_of(estimator):
        """The coding a fitted estimator keeps."""
        return estimator._label_binarizer

    @staticmethod
    def attributes(lb):
        """The fitted attributes that keep the coding ``lb``."""
        return {"_label_binarizer": lb, "classes_": lb.classes_}

    multilabel = staticmethod(is_multilabel)

    def fit(self, y, fitted, incremental, classes):
        """The binarizer for the labels ``y``.

        ``fitted`` is the binarizer of the fit being continued (``warm_start``
        or ``partial_fit``), or None for a fresh fit; ``classes`` those given
        to ``partial_fit``.
        """
        check_classification_targets(y)
        multilabel = type_of_target(y).startswith("multilabel")
        if fitted is not None:
            self._check_continued(fitted, y, multilabel, incremental, classes)
            return fitted
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
        return lb

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

    def check_weighting(self, lb, incremental):
        """Raise for the uses of ``class_weight`` that have no meaning."""
        check_class_weight_use(self.class_weight, is_multilabel(lb), incremental)

    def weights(self, lb, sample_weight, y, dtype, incremental):
        """Sample weights times class weights for the labels ``y`` (in memory)."""
        self.check_weighting(lb, incremental)
        return sample_weights(self.class_weight, sample_weight, y, lb.classes_, dtype)

    @staticmethod
    def stratify(lb, y):
        """What an early-stopping split keeps in proportion: the labels, unless
        they are an indicator matrix."""
        return None if is_multilabel(lb) else y

    @staticmethod
    def check_validation(lb, y_val):
        """Raise if single-label validation targets hold an unseen label."""
        if y_val.ndim == 1:
            check_known_labels(y_val, lb.classes_, "y_val")
