"""The scikit-learn estimator contract for every skw2s estimator.

ESTIMATORS is the one registry of small, fast instances; each module's issue
adds its estimators here. EXPECTED_FAILED_CHECKS maps an estimator class name
to ``{check_name: reason}``; every entry must carry a written reason.
"""

import pytest
from sklearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)

from skw2s import WeightedRidge

ESTIMATORS = [
    WeightedRidge(),
    WeightedRidge(solver="dual"),
    WeightedRidge(solver="svd"),
    WeightedRidge(solver="eigen"),
    WeightedRidge(alpha=0.0),
    WeightedRidge(fit_intercept=False, solver="cholesky"),
]

EXPECTED_FAILED_CHECKS = {}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: repr(e))
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)
