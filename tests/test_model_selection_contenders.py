"""The report's contenders: each tuned for its own rows, frozen teachers,
hyperparameters reported, one warning per call."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeClassifier

from skw2s import (
    WeakToStrongClassifier,
    WeakToStrongRegressor,
    WeakToStrongRegressorCV,
    WeightedRidge,
)
from skw2s.datasets import make_w2s_classification, make_w2s_regression
from skw2s.model_selection import LabeledSplit, compare_w2s, cross_validate_w2s

ALPHAS = [0.1, 1.0, 10.0, 100.0]


class _NoisyOracle(RegressorMixin, BaseEstimator):
    """A teacher "trained elsewhere": the true linear function plus a fixed
    nonlinear error that a linear student averages out."""

    def __init__(self, coef=None, amplitude=1.0):
        self.coef = coef
        self.amplitude = amplitude

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return X @ self.coef + self.amplitude * np.sin(5 * X[:, 0] * X[:, 1])


def _frozen_setting(seed=0, d=80, n_labeled=150, n=1000):
    rng = np.random.default_rng(seed)
    coef = rng.normal(size=d) * 2 / np.sqrt(d)
    X = rng.normal(size=(n, d))
    y = X @ coef + 0.5 * rng.normal(size=n)
    y[n_labeled:] = np.nan
    return X, y, FrozenEstimator(_NoisyOracle(coef).fit(X))


def test_frozen_teacher_labeled_rows_train_the_supervised_student():
    """With a teacher trained elsewhere the labeled rows train the supervised
    student (and score everything); the ceiling is NaN with one explanation;
    the verdict is defined. Few labels in 80 dimensions, many pseudo-labels of
    a good teacher: the W2S student wins (measured: W2S 0.27-0.30 MSE,
    supervised 0.50-0.76, teacher 0.66-0.81, in 5 of 5 seeds)."""
    X, y, teacher = _frozen_setting()
    w2s = WeakToStrongRegressor(teacher, WeightedRidge())
    with pytest.warns(UndefinedMetricWarning, match="frozen teacher") as record:
        res = cross_validate_w2s(w2s, X, y, cv=3, return_estimator=True,
                                 param_grids={"student": {"alpha": ALPHAS}})
    assert sum("ceiling cannot" in str(r.message) for r in record) == 1
    assert record[0].filename == __file__
    labeled = np.flatnonzero(np.isfinite(y))
    for k, (train, test) in enumerate(KFold(3).split(labeled)):
        rows = labeled[train]
        assert res["n_supervised_rows"][k] == rows.size
        # independent: RidgeCV's own leave-one-out on the same rows
        alpha = RidgeCV(alphas=ALPHAS).fit(X[rows], y[rows]).alpha_
        assert res["params"]["supervised"][k] == {"alpha": alpha}
        ref = WeightedRidge(alpha=alpha).fit(X[rows], y[rows])
        mse = np.mean((y[labeled[test]] - ref.predict(X[labeled[test]])) ** 2)
        assert res["test_supervised_mse"][k] == pytest.approx(mse)
    assert np.isnan(res["test_ceiling_mse"]).all()
    assert (res["n_ceiling_rows"] == 0).all()
    summ = res["summary"]["mse"]
    assert summ["best"] == "w2s"
    assert summ["verdict"].startswith("W2S student is best")


def test_self_tuning_students_tune_on_the_rows_each_role_fits_them_on():
    X, y = make_w2s_regression(300, 30, random_state=1)
    y[120:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-6), RidgeCV(alphas=ALPHAS),
                                random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        res = cross_validate_w2s(w2s, X, y, cv=3, return_estimator=True)
    for k, (train, _) in enumerate(KFold(3).split(np.arange(120))):
        sup = res["supervised"][k]
        assert sup.alpha_ == RidgeCV(alphas=ALPHAS).fit(X[train], y[train]).alpha_
        assert res["params"]["supervised"][k] == {"alpha": sup.alpha_}
        # the W2S student's RidgeCV tunes itself on its pseudo-labels (as the
        # user built it); the report says which alpha it took
        student = res["estimator"][k].student_
        assert res["params"]["student"][k] == {"alpha": student.alpha_}


def test_param_grids_tune_each_role_for_its_own_data():
    X, y = make_w2s_regression(400, 40, random_state=2)
    y[100:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-6), WeightedRidge(),
                                random_state=0)
    grids = {"student": {"alpha": ALPHAS}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        res = cross_validate_w2s(w2s, X, y, cv=3, param_grids=grids,
                                 return_estimator=True)
    for k, (train, _) in enumerate(KFold(3).split(np.arange(100))):
        # supervised: leave-one-out on its own labeled rows
        alpha = RidgeCV(alphas=ALPHAS).fit(X[train], y[train]).alpha_
        assert res["params"]["supervised"][k] == {"alpha": alpha}
        # W2S: held-out true labels of the training fold (a plain GridSearchCV
        # over the W2S estimator with the same inner folds), not pseudo-labels
        rows = np.concatenate([train, np.arange(100, 400)])
        search = GridSearchCV(
            w2s, {"student__alpha": ALPHAS}, scoring="neg_mean_squared_error",
            cv=LabeledSplit(KFold(5, shuffle=True, random_state=0)),
        ).fit(X[rows], y[rows])
        assert res["params"]["student"][k] == {
            "alpha": search.best_params_["student__alpha"]}
    # the table shows what each contender ended with
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        table = compare_w2s({"t": WeightedRidge(alpha=1e-6)}, {"s": WeightedRidge()},
                            X, y, cv=3, param_grids={"s": {"alpha": ALPHAS}})
    chosen = [p["alpha"] for p in res["params"]["supervised"]]
    text = table["supervised_params"].iloc[0]
    if len(set(chosen)) == 1:
        assert text == f"alpha={chosen[0]:g}"
    else:
        assert text.startswith("alpha=") and "folds)" in text
    assert table["w2s_params"].iloc[0].startswith("alpha=")
    assert table["teacher_params"].iloc[0] == ""  # a fixed teacher


def test_teacher_grid_and_a_search_as_the_w2s_estimator():
    X, y = make_w2s_regression(300, 20, random_state=3)
    y[100:] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        table = compare_w2s(
            {"ridge": WeightedRidge()}, {"s": WeightedRidge()}, X, y, cv=3,
            param_grids={"ridge": {"alpha": [1e-3, 1e3]}},
        )
        assert table["teacher_params"].iloc[0].startswith("alpha=")
        # a WeakToStrongRegressorCV tunes its student on each training fold;
        # the supervised student then searches the same alphas on its rows
        search = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-3), alphas=ALPHAS,
                                         cv=3, random_state=0)
        res = cross_validate_w2s(search, X, y, cv=3)
    assert all(set(p) == {"alpha"} for p in res["params"]["supervised"])
    assert all(set(p) == {"alpha"} for p in res["params"]["student"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"param_grids": {"x": {"alpha": [1.0]}}}, "neither a teacher"),
        ({"param_grids": {"s": {"gamma": [1.0]}}}, "no parameter 'gamma'"),
        ({"param_grids": {"s": {"alpha": []}}}, "is empty"),
        ({"teachers": {"s": WeightedRidge()}, "param_grids": {"s": {"alpha": [1.0]}}},
         "both a teacher and a student"),
        ({"contenders": ("w2s",)}, "at least two"),
        ({"contenders": ("w2s", "ceiling")}, "at least two distinct"),
    ],
)
def test_compare_w2s_bad_grids_and_contenders(kwargs, match):
    X, y = make_w2s_regression(60, 4, random_state=0)
    args = {"teachers": {"t": WeightedRidge()}, "students": {"s": WeightedRidge()}}
    args.update({k: v for k, v in kwargs.items() if k in args})
    rest = {k: v for k, v in kwargs.items() if k not in args}
    with pytest.raises(ValueError, match=match):
        compare_w2s(args["teachers"], args["students"], X, y, cv=3, **rest)


def test_grid_errors_of_frozen_teachers_and_searches():
    X, y, teacher = _frozen_setting(n=200, d=5, n_labeled=60)
    with pytest.raises(ValueError, match="FrozenEstimator teacher"):
        cross_validate_w2s(WeakToStrongRegressor(teacher, WeightedRidge()), X, y,
                           param_grids={"teacher": {"alpha": [1.0]}})
    search = WeakToStrongRegressorCV(WeightedRidge(), alphas=ALPHAS)
    with pytest.raises(ValueError, match="already searches"):
        cross_validate_w2s(search, X, y, param_grids={"student": {"alpha": [1.0]}})
    with pytest.raises(ValueError, match="'teacher' and/or 'student'"):
        cross_validate_w2s(search, X, y, param_grids={"s": {"alpha": [1.0]}})


def test_pseudo_true_contender_and_exact_ties():
    """pseudo+true with labeled_weight=0 is the W2S student itself: an exact
    tie, said as such (no signed zero, no 1e-17 margin)."""
    X, y = make_w2s_regression(240, 10, random_state=4)
    y[90:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge(alpha=3.0),
                                labeled_weight=0.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        table = compare_w2s({"t": WeightedRidge(alpha=1e-3)},
                            {"s": WeightedRidge(alpha=3.0)}, X, y, w2s=w2s, cv=3,
                            contenders=["w2s", "pseudo_true"])
    row = table.iloc[0]
    assert row["best"] == "undecided"
    assert row["lead_margin"] == 0.0 and row["n_labeled_to_resolve"] == np.inf
    assert "identical losses" in row["verdict"]
    assert "e-1" not in row["verdict"] and "-0" not in row["verdict"]


def test_one_warning_per_call_pointing_at_the_caller():
    """Folds whose student cannot converge and whose ceiling is missing: each
    reason is said once per call (with how many fits), from the user's line."""
    X, y = make_w2s_classification(300, 6, random_state=0)
    y = np.asarray(y).copy()
    y[90:] = -1
    w2s = WeakToStrongClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                                 LogisticRegression(max_iter=1), random_state=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        compare_w2s({"tree": w2s.teacher}, {"logistic": w2s.student}, X, y, w2s=w2s,
                    cv=3)
    ours = [r for r in record if issubclass(r.category, UndefinedMetricWarning)]
    assert len(ours) == 1 and "ceiling cannot be trained" in str(ours[0].message)
    conv = [r for r in record if issubclass(r.category, ConvergenceWarning)]
    assert len(conv) == 1 and "fits of compare_w2s]" in str(conv[0].message)
    assert all(r.filename == __file__ for r in ours + conv)


def test_which_metrics_are_paired_by_row():
    """Scorer names that are means over rows are paired row by row, also
    under a dict key; a callable (or ROC AUC) is paired fold by fold."""
    X, y = make_w2s_regression(240, 10, random_state=5)
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge(alpha=3.0),
                                random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        res = cross_validate_w2s(
            w2s, X, y, cv=3,
            scoring={"mae": "neg_mean_absolute_error", "r2": lambda e, X, y: 0.0},
        )
    assert res["summary"]["mae"]["verdict_units"] == "rows"
    assert res["summary"]["r2"]["verdict_units"] == "folds"  # a callable
    oof = res["oof_losses"]["mae"]
    k0 = oof["fold"] == 0
    assert np.mean(oof["w2s"][k0]) == pytest.approx(-res["test_student_mae"][0])
