"""scikit-learn's estimator checks over every estimator skmlp exports."""

import pytest
from sklearn.utils.estimator_checks import check_param_validation, parametrize_with_checks

import skmlp

ESTIMATORS = [getattr(skmlp, name)() for name in skmlp.__all__ if name[0].isupper()]

# Only the checks scikit-learn itself expects its counterpart to fail.
_SAMPLE_WEIGHT_REASON = (
    "Rosenblatt's rule updates sample by sample, so a weight of k is not the "
    "same as k copies of a sample (scikit-learn's Perceptron fails it too)."
)
EXPECTED_FAILED_CHECKS = {
    "PerceptronClassifier": {
        "check_sample_weight_equivalence_on_dense_data": _SAMPLE_WEIGHT_REASON,
        "check_sample_weight_equivalence_on_sparse_data": _SAMPLE_WEIGHT_REASON,
    },
}


@parametrize_with_checks(
    ESTIMATORS,
    legacy=True,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda est: type(est).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)
