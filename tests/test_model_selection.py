"""Tests of skw2s.model_selection: LabeledSplit and cross_validate_w2s."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GroupKFold, KFold, cross_validate

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.model_selection import LabeledSplit, cross_validate_w2s


def _y_with_nan(n=50, seed=0):
    y = np.random.default_rng(seed).standard_normal(n)
    y[np.random.default_rng(seed + 1).random(n) < 0.4] = np.nan
    return y


@pytest.mark.parametrize("cv", [3, KFold(4, shuffle=True, random_state=0)])
def test_labeled_split_keeps_unlabeled_rows_in_training_only(cv):
    y = _y_with_nan()
    X = np.zeros((50, 2))
    labeled = np.flatnonzero(~np.isnan(y))
    unlabeled = np.flatnonzero(np.isnan(y))
    splitter = LabeledSplit(cv)
    folds = list(splitter.split(X, y))
    assert len(folds) == splitter.get_n_splits(X, y) == len(folds)
    tested = []
    for train, test in folds:
        assert np.isin(unlabeled, train).all()
        assert not np.isin(test, unlabeled).any()
        assert not np.intersect1d(train, test).size
        assert np.union1d(train, test).size == 50
        tested.extend(test)
    np.testing.assert_array_equal(np.sort(tested), labeled)


def test_labeled_split_passes_groups_of_labeled_rows():
    y = _y_with_nan()
    groups = np.arange(50) % 5
    for train, test in LabeledSplit(GroupKFold(5)).split(np.zeros((50, 1)), y, groups):
        assert np.unique(groups[test]).size == 1
        labeled_train = train[~np.isnan(y[train])]
        assert not np.isin(groups[labeled_train], groups[test]).any()


def test_labeled_split_needs_y():
    with pytest.raises(ValueError, match="needs y"):
        next(LabeledSplit(3).split(np.zeros((5, 1))))
    with pytest.raises(ValueError, match="no labeled rows"):
        next(LabeledSplit(3).split(np.zeros((3, 1)), [np.nan] * 3))


def test_labeled_split_in_sklearn_cross_validate():
    X, y = make_w2s_regression(90, 5, random_state=0)
    y[:30] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge())
    res = cross_validate(
        w2s, X, y, cv=LabeledSplit(3), scoring="neg_mean_squared_error"
    )
    assert np.isfinite(res["test_score"]).all()


def _w2s():
    return WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3), WeightedRidge(alpha=30.0),
        teacher_size=0.25, random_state=0,
    )


def test_cross_validate_w2s_all_labeled_matches_explicit_computation():
    X, y = make_w2s_regression(400, 30, random_state=0)
    res = cross_validate_w2s(_w2s(), X, y, cv=4, return_estimator=True)
    for key in ("test_teacher_mse", "test_student_mse", "test_ceiling_mse",
                "test_pgr", "fit_time", "score_time"):
        assert res[key].shape == (4,)
    np.testing.assert_array_equal(res["n_teacher_rows"], 75)
    np.testing.assert_array_equal(res["n_student_rows"], 225)
    for k, (train, test) in enumerate(KFold(4).split(X)):
        est = res["estimator"][k]
        s = train[est.student_rows_]
        ceiling = WeightedRidge(alpha=30.0).fit(X[s], y[s])  # true labels
        teacher = WeightedRidge(alpha=1e-3).fit(
            X[train[est.teacher_rows_]], y[train[est.teacher_rows_]]
        )
        mse = {
            "teacher": np.mean((y[test] - teacher.predict(X[test])) ** 2),
            "student": np.mean((y[test] - est.predict(X[test])) ** 2),
            "ceiling": np.mean((y[test] - ceiling.predict(X[test])) ** 2),
        }
        for name, value in mse.items():
            assert res[f"test_{name}_mse"][k] == pytest.approx(value)
        pgr = (mse["teacher"] - mse["student"]) / (mse["teacher"] - mse["ceiling"])
        assert res["test_pgr"][k] == pytest.approx(pgr)
    # the w2s student beats its ridgeless teacher here (d/n_teacher = 0.4)
    assert (res["test_student_mse"] < res["test_teacher_mse"]).all()


def test_cross_validate_w2s_parallel_equals_sequential():
    X, y = make_w2s_regression(300, 30, random_state=1)
    a = cross_validate_w2s(_w2s(), X, y, cv=3)
    b = cross_validate_w2s(_w2s(), X, y, cv=3, n_jobs=2)
    np.testing.assert_allclose(a["test_pgr"], b["test_pgr"])


def test_cross_validate_w2s_unlabeled_students_have_no_ceiling():
    X, y = make_w2s_regression(120, 10, random_state=0)
    y[60:] = np.nan
    with pytest.warns(UndefinedMetricWarning, match="ceiling cannot be trained"):
        res = cross_validate_w2s(_w2s(), X, y, cv=3)
    assert np.isnan(res["test_ceiling_mse"]).all()
    assert np.isnan(res["test_pgr"]).all()
    assert np.isfinite(res["test_student_mse"]).all()
    np.testing.assert_array_equal(res["n_student_rows"], 60)


def test_cross_validate_w2s_cross_fitting_has_no_ceiling_but_a_supervised_student():
    """Under cross-fitting the student's labeled rows are the teacher's rows:
    the student on their true labels is the supervised student (it used to
    be reported, under another name, as the ceiling). The ceiling is NaN,
    explained by one warning for the whole call."""
    X, y = make_w2s_regression(120, 10, random_state=0)
    y[90:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge(), cv=3)
    with pytest.warns(UndefinedMetricWarning, match="cross-fitting") as record:
        res = cross_validate_w2s(w2s, X, y, cv=3, return_estimator=True)
    assert len([r for r in record if "ceiling cannot" in str(r.message)]) == 1
    np.testing.assert_array_equal(res["n_ceiling_rows"], 0)
    assert np.isnan(res["test_ceiling_mse"]).all()
    np.testing.assert_array_equal(res["n_supervised_rows"], 60)
    supervised = WeightedRidge().fit(X[30:90], y[30:90])
    assert res["test_supervised_mse"][0] == pytest.approx(
        mean_squared_error(y[:30], supervised.predict(X[:30]))
    )
    train = np.concatenate([np.arange(30, 90), np.arange(90, 120)])
    assert res["estimator"][0].student_rows_.sum() == train.size


# low-dimensional folds where the teacher is already good: a fold's ceiling
# may be no better than it (PGR NaN with a warning), irrelevant here
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_cross_validate_w2s_sample_weight_is_sliced():
    X, y = make_w2s_regression(120, 10, random_state=0)
    w = np.random.default_rng(0).uniform(0.5, 2.0, 120)
    res = cross_validate_w2s(
        _w2s(), X, y, cv=3, params={"sample_weight": w}, return_estimator=True
    )
    train = np.arange(40, 120)
    est = res["estimator"][0]
    s = train[est.student_rows_]
    ceiling = WeightedRidge(alpha=30.0).fit(X[s], y[s], sample_weight=w[s])
    np.testing.assert_allclose(res["ceiling"][0].coef_, ceiling.coef_)


def test_cross_validate_w2s_bad_input():
    X, y = make_w2s_regression(30, 3, random_state=0)
    with pytest.raises(TypeError, match="estimator must be a weak-to-strong estimator"):
        cross_validate_w2s(WeightedRidge(), X, y)
    with pytest.raises(ValueError, match="y contains infinity"):
        cross_validate_w2s(_w2s(), X, np.r_[np.inf, y[1:]])


# ------------------------------------------------------------ classification
@pytest.mark.parametrize(
    "y_kind", ["int_minus_one", "object_none", "float_nan", "str_object"]
)
def test_labeled_split_with_class_labels(y_kind):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 40)
    unl = np.zeros(40, dtype=bool)
    unl[::4] = True
    if y_kind == "int_minus_one":
        y = np.where(unl, -1, labels)
    elif y_kind == "float_nan":
        y = np.where(unl, np.nan, labels.astype(float))
    else:
        names = ["no", "yes"] if y_kind == "str_object" else [0, 1]
        y = np.array(names, dtype=object)[labels]
        y[unl] = None
    splitter = LabeledSplit(4, classifier=True)
    assert splitter.get_n_splits(np.zeros((40, 1)), y) == 4
    tests = []
    for train, test in splitter.split(np.zeros((40, 1)), y):
        assert not unl[test].any()
        assert unl[train].sum() == unl.sum()
        tests.append(test)
        # stratified: both classes in every test fold
        assert len(set(labels[test].tolist())) == 2
    assert_array_equal(np.sort(np.concatenate(tests)), np.flatnonzero(~unl))


def test_labeled_split_float_y_keeps_minus_one_for_regression():
    y = np.array([-1.0, np.nan, 2.0, -1.0, 3.0, np.nan])
    tests = np.concatenate([t for _, t in LabeledSplit(2).split(np.zeros((6, 1)), y)])
    assert_array_equal(np.sort(tests), [0, 2, 3, 4])  # -1 is a value
    tests = np.concatenate(
        [t for _, t in LabeledSplit(KFold(2), classifier=True).split(
            np.zeros((6, 1)), y)]
    )
    assert_array_equal(np.sort(tests), [2, 4])  # -1 marks unlabeled rows


def test_cross_validate_w2s_classifier_accuracy_and_pgr():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier

    from skw2s import WeakToStrongClassifier
    from skw2s.datasets import make_w2s_classification

    X, y = make_w2s_classification(300, 6, signal=9.0, random_state=0)
    w2s = WeakToStrongClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                                 LogisticRegression(), random_state=0)
    res = cross_validate_w2s(w2s, X, y, cv=3, return_estimator=True)
    # recompute fold 0 independently
    train, test = next(StratifiedKFold(3).split(X, y))
    est = res["estimator"][0]
    s = est.student_rows_
    ceiling = LogisticRegression().fit(X[train][s], y[train][s])
    acc = [np.mean(m.predict(X[test]) == y[test])
           for m in (est.teacher_, est, ceiling)]
    assert_allclose(res["test_teacher_accuracy"][0], acc[0])
    assert_allclose(res["test_student_accuracy"][0], acc[1])
    assert_allclose(res["test_ceiling_accuracy"][0], acc[2])
    assert_allclose(res["test_pgr"][0], (acc[1] - acc[0]) / (acc[2] - acc[0]))
