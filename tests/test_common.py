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


def _parametrize_with_checks_list(estimators, **kwargs):
    """``parametrize_with_checks``, with its checks materialised into a list.

    scikit-learn < 1.9 hands ``pytest.mark.parametrize`` a generator, which
    pytest 9 deprecates (``PytestRemovedIn10Warning``, an error under the
    ``error::DeprecationWarning`` filter of pyproject.toml), so the module
    would not even be collected. The same checks, with the same marks and ids,
    as a list work on every supported scikit-learn and pytest.
    """
    mark = parametrize_with_checks(estimators, **kwargs).mark
    argnames, argvalues = mark.args
    return pytest.mark.parametrize(argnames, list(argvalues), **mark.kwargs)


@_parametrize_with_checks_list(
    ESTIMATORS,
    legacy=True,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda est: type(est).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)
