"""Target coding: what ``y`` is to the output units.

An estimator provides its coder (``_target_coder``): the classifiers a
``LabelCoder``, the regressors a ``ValueCoder``, with the same steps:

- ``y_checks`` (the options ``validate_data`` checks ``y`` with) and
  ``prepare`` (``y`` as the coder takes it, once validated);
- ``fit`` learns (or, continuing a fit, checks) a coding of ``y``;
  ``attributes`` are the fitted attributes that keep it (``coding_of`` finds
  it again);
- ``transform`` gives the coded targets ``T`` of shape ``(n_samples,
  n_outputs)``; ``n_outputs`` their width;
- ``weights`` the per-sample weights the coding implies (class weights, for
  labels); ``class_weight`` those of the estimator (None for values);
- ``stratify`` what an early-stopping split keeps in proportion;
- ``check_validation`` checks validation targets against the coding;
- ``dask_summary`` what ``fit`` needs of a Dask ``y``, lazily (the distinct
  labels; for values an empty slice, which has their dtype and width), and
  ``partial_fit_kwargs`` what a block's ``partial_fit`` takes besides ``y``.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import type_of_target, unique_labels

from ._validation import one_column_flat
from ._weights import check_class_weight_use, sample_weights

#: The target types a classifier takes (scikit-learn's ``check_classification_targets``).
CLASSIFICATION_TYPES = (
    "binary",
    "multiclass",
    "multiclass-multioutput",
    "multilabel-indicator",
    "multilabel-sequences",
)


def classification_type(y):
    """``type_of_target(y)``, or scikit-learn's error for targets that are
    not classes (computed once: it is the costliest step of a small fit).

    A one-dimensional NumPy array of integers, booleans or whole floats is
    ``"binary"`` or ``"multiclass"`` by its number of distinct values, as
    ``type_of_target`` finds after its checks; that answer is given at once
    (10 us instead of 105 on 569 labels, AMD EPYC).  Anything else, a float
    that is not whole (or NaN) included, goes through ``type_of_target``.
    """
    if type(y) is np.ndarray and y.ndim == 1 and y.size and _whole(y):
        return "multiclass" if len(np.unique(y)) > 2 else "binary"
    y_type = type_of_target(y, input_name="y")
    if y_type not in CLASSIFICATION_TYPES:
        raise ValueError(
            f"Unknown label type: {y_type}. Maybe you are trying to fit a classifier, which "
            "expects discrete classes on a regression target with continuous values."
        )
    return y_type


def _whole(y):
    """Whether the array ``y`` holds integers, booleans or floats that are all
    whole numbers (``type_of_target``'s test: equal to themselves cast to
    int64 and back)."""
    if y.dtype.kind in "iub":
        return True
    if y.dtype.kind != "f":
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.all(y == y.astype(np.int64).astype(y.dtype)))


def distinct_labels(y):
    """The sorted distinct labels of a single-label ``y`` (NumPy's ``unique``,
    with scikit-learn's error for labels that do not sort, such as a mix of
    strings and numbers)."""
    try:
        return np.unique(y)
    except TypeError:
        return unique_labels(y)


def check_known_labels(y, classes, name):
    """Raise if ``y`` holds labels outside ``classes``, naming them."""
    unseen = np.setdiff1d(distinct_labels(y), classes)
    if len(unseen):
        raise ValueError(
            f"{name} contains labels {unseen.tolist()!r} that are not among the "
            f"classes {classes.tolist()!r}."
        )


@dataclass(frozen=True, eq=False)
class LabelCoding:
    """The fitted coding of labels: what scikit-learn's ``LabelBinarizer``
    keeps of them.

    Parameters
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted classes (for an indicator ``y``, its column numbers).
    multilabel : bool
        Whether ``y`` is a multilabel indicator matrix.
    """

    classes_: np.ndarray
    multilabel: bool


def is_multilabel(coding):
    """Whether a fitted ``LabelCoding`` codes a multilabel indicator ``y``."""
    return coding.multilabel


@dataclass(frozen=True)
class LabelCoder:
    """One output unit per class (one for two classes), coded ``neg_label`` / 1.

    The coding is a ``LabelCoding``; ``transform`` codes as scikit-learn's
    ``LabelBinarizer(neg_label=neg_label)`` does.

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
    indicator : bool, default=False
        Accept a multilabel indicator matrix ``y``.
    """

    owner: str
    neg_label: int
    class_weight: object
    two_units_for_softmax: bool = False
    indicator: bool = False

    @property
    def y_checks(self):
        """The options ``validate_data`` checks ``y`` with."""
        return {"multi_output": self.indicator}

    prepare = staticmethod(one_column_flat)

    @staticmethod
    def coding_of(estimator):
        """The coding a fitted estimator keeps."""
        return estimator._label_coding

    @staticmethod
    def attributes(coding):
        """The fitted attributes that keep the coding ``coding``."""
        return {"_label_coding": coding, "classes_": coding.classes_}

    multilabel = staticmethod(is_multilabel)

    def fit(self, y, fitted, incremental, classes):
        """The coding of the labels ``y``.

        ``fitted`` is the coding of the fit being continued (``warm_start``
        or ``partial_fit``), or None for a fresh fit; ``classes`` those given
        to ``partial_fit``.
        """
        y_type = classification_type(y)
        if "multioutput" in y_type:
            # As scikit-learn's LabelBinarizer: one column of classes per unit.
            raise ValueError(
                f"{self.owner} does not support multioutput targets (y has several columns "
                "of classes): fit one estimator per column, for instance with "
                "MultiOutputClassifier."
            )
        multilabel = y_type.startswith("multilabel")
        if fitted is not None:
            self._check_continued(fitted, y, multilabel, incremental, classes)
            return fitted
        if multilabel:
            return LabelCoding(np.arange(y.shape[1]), True)
        if incremental:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            coding = LabelCoding(distinct_labels(np.asarray(classes)), False)
            check_known_labels(y, coding.classes_, "y")
        else:
            coding = LabelCoding(distinct_labels(y), False)
        if len(coding.classes_) < 2:
            raise ValueError(
                f"{self.owner} needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {coding.classes_[0]!r}."
            )
        return coding

    @staticmethod
    def _check_continued(coding, y, multilabel, incremental, classes):
        fitted_classes = coding.classes_
        if incremental and classes is not None:
            if not np.array_equal(distinct_labels(np.asarray(classes)), fitted_classes):
                raise ValueError(
                    f"classes={classes!r} is not the same as on the first call to "
                    f"partial_fit, which was {fitted_classes!r}."
                )
        if multilabel != is_multilabel(coding):
            raise ValueError("y changed between multilabel and single-label targets.")
        if not multilabel:
            check_known_labels(y, fitted_classes, "y")
            if not incremental and not np.array_equal(distinct_labels(y), fitted_classes):
                raise ValueError(
                    "warm_start needs y to hold the same classes as the previous fit: "
                    f"{fitted_classes.tolist()!r}, but y has {distinct_labels(y).tolist()!r}."
                )

    def transform(self, coding, y, output_activation):
        """The coded targets ``T`` of shape (n_samples, n_outputs), on the host:
        for an indicator ``y``, ``neg_label`` where it is 0 and 1 elsewhere;
        for two classes one column, 1 for ``classes_[1]``; for more, a column
        per class, 1 in the column of the sample's class."""
        neg = self.neg_label
        if coding.multilabel:
            Y = y.toarray() if sp.issparse(y) else np.asarray(y)
            T = np.where(Y != 0, 1, neg)
        else:
            index = np.searchsorted(coding.classes_, np.asarray(y).reshape(-1))
            if len(coding.classes_) == 2:
                T = np.where(index == 1, 1, neg)[:, None]
            else:
                T = np.full((len(index), len(coding.classes_)), neg)
                T[np.arange(len(index)), index] = 1
        if self.two_units_for_softmax and output_activation == "softmax" and T.shape[1] == 1:
            T = np.hstack([1 - T, T])
        return T

    def n_outputs(self, coding, output_activation):
        """The number of output units of ``coding``: ``transform``'s columns."""
        if coding.multilabel or len(coding.classes_) > 2:
            return len(coding.classes_)
        return 2 if self.two_units_for_softmax and output_activation == "softmax" else 1

    def check_weighting(self, coding, incremental):
        """Raise for the uses of ``class_weight`` that have no meaning."""
        check_class_weight_use(self.class_weight, is_multilabel(coding), incremental)

    def weights(self, coding, sample_weight, y, dtype, incremental):
        """Sample weights times class weights for the labels ``y`` (in memory)."""
        self.check_weighting(coding, incremental)
        return sample_weights(self.class_weight, sample_weight, y, coding.classes_, dtype)

    @staticmethod
    def stratify(coding, y):
        """What an early-stopping split keeps in proportion: the labels, unless
        they are an indicator matrix."""
        return None if is_multilabel(coding) else y

    @staticmethod
    def check_validation(coding, y_val):
        """``y_val`` (host), checked: a ValueError if single-label validation
        targets hold an unseen label."""
        y_val = one_column_flat(y_val)
        if y_val.ndim == 1:
            check_known_labels(y_val, coding.classes_, "y_val")
        return y_val

    @staticmethod
    def dask_summary(y):
        """The distinct labels of Dask ``y``, lazily: all ``fit`` needs of it."""
        import dask.array as da

        if y.ndim != 1:
            raise ValueError(f"y must be one-dimensional with Dask input, got shape {y.shape}.")
        return da.unique(y)

    @staticmethod
    def partial_fit_kwargs(coding, labels, classes):
        """The ``classes`` a block's ``partial_fit`` takes: those given, else
        the fitted ones (``coding``, or None), else the distinct ``labels``."""
        if classes is None:
            classes = labels if coding is None else coding.classes_
        return {"classes": np.unique(classes)}


@dataclass(frozen=True)
class ValueCoding:
    """The fitted coding of regression targets.

    Parameters
    ----------
    n_outputs : int
        The target columns (one output unit each).
    one_dimensional : bool
        Whether ``y`` was one-dimensional: predictions are then too.
    """

    n_outputs: int
    one_dimensional: bool


@dataclass(frozen=True)
class ValueCoder:
    """Regression targets: one identity output unit per target column, the
    values themselves as the targets ``t``.

    Parameters
    ----------
    owner : str
        The estimator's name, for messages.
    """

    owner: str
    #: Values have no classes to weight.
    class_weight = None
    y_checks = {"multi_output": True, "y_numeric": True}

    @staticmethod
    def prepare(y):
        return y

    @staticmethod
    def coding_of(estimator):
        return estimator._target_coding

    @staticmethod
    def attributes(coding):
        return {"_target_coding": coding}

    @staticmethod
    def multilabel(coding):
        return False

    def fit(self, y, fitted, incremental, classes):
        """The coding of the values ``y`` (or of a slice of them: only their
        dtype and shape are read); ``fitted`` must have as many outputs."""
        if np.asarray(y).dtype.kind not in "iufb":
            raise ValueError(f"{self.owner} needs numeric targets y, got dtype {y.dtype}.")
        coding = ValueCoding(1 if y.ndim == 1 else y.shape[1], y.ndim == 1)
        if fitted is None:
            return coding
        if coding.n_outputs != fitted.n_outputs:
            raise ValueError(
                f"y has {coding.n_outputs} target column(s), but {self.owner} was fitted "
                f"on {fitted.n_outputs}; warm_start and partial_fit continue that fit."
            )
        return fitted

    @staticmethod
    def transform(coding, y, output_activation):
        """The targets ``T`` of shape (n_samples, n_outputs), on the host."""
        y = np.asarray(y)
        return y.reshape(y.shape[0], -1)

    @staticmethod
    def n_outputs(coding, output_activation):
        return coding.n_outputs

    @staticmethod
    def check_weighting(coding, incremental):
        """Values have no class weights to check."""

    @staticmethod
    def weights(coding, sample_weight, y, dtype, incremental):
        """The sample weights (None when all are one); their total is checked."""
        return sample_weights(None, sample_weight, y, None, dtype)

    @staticmethod
    def stratify(coding, y):
        return None

    def check_validation(self, coding, y_val):
        """``y_val`` (host) as numbers, with as many columns as were fitted."""
        y_val = np.asarray(y_val)
        if y_val.dtype.kind not in "iufb":
            raise ValueError(f"{self.owner} needs numeric y_val, got dtype {y_val.dtype}.")
        n_outputs = 1 if y_val.ndim == 1 else y_val.shape[1]
        if y_val.ndim > 2 or n_outputs != coding.n_outputs:
            raise ValueError(
                f"y_val has shape {y_val.shape}, but {self.owner} was fitted on "
                f"{coding.n_outputs} target column(s)."
            )
        if not np.all(np.isfinite(y_val)):
            raise ValueError("Input y_val contains NaN or infinity.")
        return y_val

    def dask_summary(self, y):
        """An empty slice of Dask ``y``: its dtype and width, all ``fit`` reads."""
        if y.ndim > 2:
            raise ValueError(f"y must be one- or two-dimensional, got shape {y.shape}.")
        return y[:0]

    @staticmethod
    def partial_fit_kwargs(coding, labels, classes):
        return {}
