"""Tests of skw2s.metrics: PGR and NaN-aware metrics and scorers."""

import pickle
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from skw2s.metrics import (
    make_nan_scorer,
    nan_mean_squared_error,
    nan_r2_score,
    neg_mse_nan_scorer,
    performance_gap_recovered,
    r2_nan_scorer,
)

Y = np.array([1.0, np.nan, 3.0, -2.0, np.nan, 0.5])
P = np.array([0.0, 7.0, 3.5, -1.0, -9.0, 0.5])


def test_nan_mse_by_hand():
    # labeled rows 0, 2, 3, 5: squared errors 1, 0.25, 1, 0
    assert nan_mean_squared_error(Y, P) == pytest.approx(2.25 / 4)
    w = np.array([1.0, 5.0, 2.0, 1.0, 5.0, 4.0])
    assert nan_mean_squared_error(Y, P, sample_weight=w) == pytest.approx(
        (1 + 0.5 + 1 + 0) / 8
    )


def test_nan_r2_by_hand():
    y, p = Y[~np.isnan(Y)], P[~np.isnan(Y)]
    expected = 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
    assert nan_r2_score(Y, P) == pytest.approx(expected)


def test_make_nan_scorer_and_ready_scorers():
    X = np.arange(6.0).reshape(-1, 1)
    model = Ridge(alpha=0.0).fit(X[[0, 2, 3, 5]], Y[[0, 2, 3, 5]])
    pred = model.predict(X)
    mae = make_nan_scorer(mean_absolute_error, greater_is_better=False)
    keep = ~np.isnan(Y)
    assert mae(model, X, Y) == pytest.approx(-np.mean(np.abs(Y[keep] - pred[keep])))
    assert neg_mse_nan_scorer(model, X, Y) == pytest.approx(
        -np.mean((Y[keep] - pred[keep]) ** 2)
    )
    assert r2_nan_scorer(model, X, Y) == pytest.approx(nan_r2_score(Y, pred))
    assert pickle.loads(pickle.dumps(mae))(model, X, Y) == mae(model, X, Y)


def test_scorers_in_cross_validation_with_nan_test_rows():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = X @ np.array([1.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(60)
    y[::4] = np.nan
    keep = ~np.isnan(y)
    # a model fit beforehand on the labeled rows, scored on folds whose test
    # rows contain NaN targets
    model = Ridge().fit(X[keep], y[keep])
    res = cross_validate(
        _Fixed(model.coef_, model.intercept_), X, y, cv=KFold(3),
        scoring=neg_mse_nan_scorer,
    )
    assert np.isfinite(res["test_score"]).all()
    search = GridSearchCV(
        _Fixed(model.coef_, model.intercept_), {"shift": [0.0, 1.0]}, cv=KFold(3),
        scoring={"mse": neg_mse_nan_scorer, "r2": r2_nan_scorer}, refit="mse",
    ).fit(X, y)
    assert search.best_params_ == {"shift": 0.0}


class _Fixed(RegressorMixin, BaseEstimator):
    """A fitted model that ignores fit (so NaN targets do not reach Ridge)."""

    def __init__(self, coef=None, intercept=0.0, shift=0.0):
        self.coef = coef
        self.intercept = intercept
        self.shift = shift

    def fit(self, X, y):
        self.coef_ = np.asarray(self.coef)
        self.intercept_ = self.intercept + self.shift
        return self

    def predict(self, X):
        return X @ self.coef_ + self.intercept_


def test_pgr_by_hand():
    y = np.zeros(4)
    weak, ceil = np.full(4, 2.0), np.zeros(4)  # MSE 4 and 0
    assert performance_gap_recovered(y, weak, np.ones(4), ceil) == 0.75
    assert performance_gap_recovered(y, weak, weak, ceil) == 0.0
    assert performance_gap_recovered(y, weak, ceil, ceil) == 1.0
    # worse than the teacher (MSE 9) and better than the ceiling (ceiling MSE 1)
    assert performance_gap_recovered(y, weak, np.full(4, 3.0), ceil) == -1.25
    assert performance_gap_recovered(y, weak, ceil, np.ones(4)) == pytest.approx(
        4 / 3
    )


def test_pgr_skips_nan_rows_and_weights():
    y = np.array([0.0, np.nan, 0.0])
    weak = np.array([2.0, 100.0, 0.0])
    w2s = np.array([1.0, -50.0, 0.0])
    ceil = np.zeros(3)
    # weighted MSEs with w = (1, *, 3): weak 4/4, w2s 1/4, ceiling 0
    got = performance_gap_recovered(y, weak, w2s, ceil, sample_weight=[1, 9, 3])
    assert got == pytest.approx(0.75)


@pytest.mark.parametrize("ceiling_value", [2.0, 3.0])
def test_pgr_ceiling_no_better_than_teacher_is_nan_with_warning(ceiling_value):
    y = np.zeros(3)
    with pytest.warns(UndefinedMetricWarning, match="no better than the weak"):
        got = performance_gap_recovered(
            y, np.full(3, 2.0), np.ones(3), np.full(3, ceiling_value)
        )
    assert np.isnan(got)


def test_pgr_no_warning_in_the_normal_case():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        performance_gap_recovered([0.0, 1.0], [2.0, 2.0], [1.0, 1.0], [0.0, 1.0])


@pytest.mark.parametrize(
    "args, match",
    [
        (([np.nan, np.nan], [1, 1], [1, 1], [1, 1]), "no labeled rows"),
        (([0.0, 1.0], [1, 1, 1], [1, 1], [1, 1]), "y_weak has 3 rows"),
        (([0.0, 1.0], [1, 1], [np.nan, 1], [1, 1]), "y_w2s contains NaN"),
        (([0.0, np.inf], [1, 1], [1, 1], [1, 1]), "y_true contains infinity"),
    ],
)
def test_pgr_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        performance_gap_recovered(*args)


def test_nan_mse_bad_input():
    with pytest.raises(ValueError, match="no labeled rows"):
        nan_mean_squared_error([np.nan], [1.0])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        nan_mean_squared_error([1.0, 2.0], [np.nan, 1.0])
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(1,\)"):
        nan_mean_squared_error([1.0, 2.0], [1.0, 1.0], sample_weight=[1.0])
    with pytest.raises(ValueError, match="'score_func' parameter"):
        make_nan_scorer("mse")


# ------------------------------------------------------------ classification
def _clf_data():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(60) > 0).astype(int)
    return X, y, LogisticRegression().fit(X, y)


@pytest.mark.parametrize("marker", [-1, None, np.nan])
def test_classification_scorers_skip_unlabeled_rows(marker):
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    from skw2s.metrics import (
        accuracy_nan_scorer,
        neg_log_loss_nan_scorer,
        roc_auc_nan_scorer,
    )

    X, y, model = _clf_data()
    keep = np.arange(60) % 3 != 0
    dtype = {None: object, -1: int}.get(marker, float)
    y_marked = y.astype(dtype)
    y_marked[~keep] = marker
    w = np.linspace(0.5, 2.0, 60)
    assert_allclose(accuracy_nan_scorer(model, X, y_marked),
                    accuracy_score(y[keep], model.predict(X[keep])))
    assert_allclose(
        accuracy_nan_scorer(model, X, y_marked, sample_weight=w),
        accuracy_score(y[keep], model.predict(X[keep]), sample_weight=w[keep]),
    )
    assert_allclose(neg_log_loss_nan_scorer(model, X, y_marked),
                    -log_loss(y[keep], model.predict_proba(X[keep])))
    assert_allclose(roc_auc_nan_scorer(model, X, y_marked),
                    roc_auc_score(y[keep], model.decision_function(X[keep])))


def test_make_nan_classification_scorer_and_no_labeled_rows():
    from sklearn.metrics import balanced_accuracy_score

    from skw2s.metrics import make_nan_classification_scorer

    X, y, model = _clf_data()
    scorer = make_nan_classification_scorer(balanced_accuracy_score)
    y_marked = y.copy()
    y_marked[:10] = -1
    assert_allclose(scorer(model, X, y_marked),
                    balanced_accuracy_score(y[10:], model.predict(X[10:])))
    with pytest.raises(ValueError, match="no labeled rows"):
        scorer(model, X, np.full(60, -1))
