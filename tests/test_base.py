"""The named pseudo-labeling step of the weak-to-strong protocol (skw2s._base)."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.tree import DecisionTreeRegressor

from skw2s import WeakToStrongRegressor, WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression


def _data(n=120, d=6, seed=0):
    return make_w2s_regression(n, d, random_state=seed)


def _case(kind):
    X, y = _data()
    teacher = WeightedRidge(alpha=1.0)
    kw = {"random_state": 0}
    if kind == "unlabeled":
        y = y.copy()
        y[::3] = np.nan
    elif kind == "cv":
        y = y.copy()
        y[::4] = np.nan
        kw["cv"] = 3
    elif kind == "frozen":
        teacher = FrozenEstimator(WeightedRidge(alpha=1.0).fit(*_data(50, 6, 1)))
    return X, y, teacher, kw


@pytest.mark.parametrize("kind", ["unlabeled", "all_labeled", "cv", "frozen"])
def test_step_is_what_fit_gives_the_student(kind):
    X, y, teacher, kw = _case(kind)
    sw = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[0])
    est = WeakToStrongRegressor(teacher, WeightedRidge(alpha=3.0), **kw)
    step = clone(est)._pseudo_label(X, y, sample_weight=sw)
    est.fit(X, y, sample_weight=sw)
    assert_array_equal(step.rows, np.flatnonzero(est.student_rows_))
    assert_array_equal(step.teacher_rows, est.teacher_rows_)
    assert_array_equal(step.X, X[step.rows])
    assert_allclose(step.targets, est.pseudo_labels_[step.rows])
    assert_allclose(step.fit_params["sample_weight"], sw[step.rows])
    # fitting the student by hand on the step's output is the fitted student
    manual = WeightedRidge(alpha=3.0).fit(
        step.X, step.targets, sample_weight=step.fit_params["sample_weight"]
    )
    assert_allclose(manual.coef_, est.student_.coef_, rtol=1e-12)


def test_step_never_passes_true_labels_of_student_rows():
    X, y = _data()
    est = WeakToStrongRegressor(DecisionTreeRegressor(max_depth=2, random_state=0),
                                WeightedRidge(), random_state=0)
    step = est._pseudo_label(X, y)
    garbage = y.copy()
    garbage[step.rows] = 1e6  # the student's hidden labels
    step2 = clone(est)._pseudo_label(X, garbage)
    assert_array_equal(step.targets, step2.targets)


class _MyRidge(WeightedRidge):
    """A subclass keeps the ridge path (the capability is declared, not typed)."""


def test_cv_fast_path_is_a_declared_capability():
    X, y = _data(200, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "refit per alpha" warning
        sub = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-3), _MyRidge(),
                                      alphas=[0.1, 10.0], cv=3, random_state=0)
        sub.fit(X, y)
    ref = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-3), WeightedRidge(),
                                  alphas=[0.1, 10.0], cv=3, random_state=0).fit(X, y)
    assert_allclose(sub.cv_results_["mean_test_score"],
                    ref.cv_results_["mean_test_score"], rtol=1e-12)
    assert _MyRidge()._ridge_path_spec() == {
        "penalty_weights": None, "fit_intercept": True
    }
