"""Sample weights and class weights: the ``s_i`` of ``J``."""

import numpy as np
from sklearn.utils import compute_class_weight
from sklearn.utils.validation import _check_sample_weight

from ._validation import check_weight_total, host


def check_class_weight_use(class_weight, multilabel, incremental):
    """Raise for the uses of ``class_weight`` that have no meaning."""
    if multilabel and class_weight is not None:
        raise ValueError("class_weight is not supported for multilabel targets.")
    if incremental and class_weight == "balanced":
        raise ValueError(
            "class_weight='balanced' is not supported by partial_fit: the class "
            "frequencies of one call are not those of the data; pass a dict."
        )


def class_weights(class_weight, classes, counts=None, y=None):
    """The weight of each class: from ``class_weight``, and for ``"balanced"``
    from ``y`` or from the ``counts`` of the classes."""
    if class_weight == "balanced" and counts is not None:
        weights = counts.sum() / (len(classes) * np.asarray(counts, dtype=float))
    else:
        weights = compute_class_weight(
            class_weight, classes=classes, y=classes if y is None else y
        )
    bad = ~(np.isfinite(weights) & (weights >= 0))
    if np.any(bad):
        raise ValueError(
            "class_weight must give each class a non-negative, finite weight; got "
            f"{dict(zip(classes[bad].tolist(), weights[bad].tolist()))!r}."
        )
    return weights


def check_sample_weight(sample_weight, n_samples, dtype):
    """Non-negative sample weights of ``n_samples`` rows, checked on the host."""
    return _check_sample_weight(
        host(sample_weight), np.empty((n_samples, 0)), dtype=dtype, ensure_non_negative=True
    )


def weights_name(class_weight):
    """What the weights ``s_i`` are, for messages: the sample weights, times
    the class weights where there are any."""
    return "sample weights" + ("" if class_weight is None else " (times the class weights)")


def sample_weights(class_weight, sample_weight, y, classes, dtype):
    """Sample weights times class weights for the labels ``y`` (in memory), or
    None when all are one; their total is checked."""
    s = None
    if sample_weight is not None:
        s = check_sample_weight(sample_weight, len(y), dtype)
    if class_weight is not None:
        cw = class_weights(class_weight, classes, y=y)
        cw = cw[np.searchsorted(classes, y)].astype(dtype)
        s = cw if s is None else s * cw
    check_weight_total(s, weights_name(class_weight))
    return s
