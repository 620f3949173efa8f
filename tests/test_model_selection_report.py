"""The "should I use W2S?" report: supervised student, scorers, PGRs, compare_w2s."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import KFold

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.model_selection import compare_w2s, cross_validate_w2s


def _w2s(**kw):
    return WeakToStrongRegressor(
        WeightedRidge(alpha=1e-6), WeightedRidge(alpha=30.0), random_state=0, **kw
    )


def test_supervised_student_is_student_on_teacher_rows_true_labels():
    X, y = make_w2s_regression(300, 30, random_state=0)
    w = np.random.default_rng(0).uniform(0.5, 2.0, 300)
    res = cross_validate_w2s(
        _w2s(), X, y, cv=3, params={"sample_weight": w}, return_estimator=True
    )
    for k, (train, test) in enumerate(KFold(3).split(X)):
        est = res["estimator"][k]
        t = train[est.teacher_rows_]
        ref = WeightedRidge(alpha=30.0).fit(X[t], y[t], sample_weight=w[t])
        np.testing.assert_array_equal(res["supervised"][k].coef_, ref.coef_)
        assert res["n_supervised_rows"][k] == t.size
        mse = np.mean((y[test] - ref.predict(X[test])) ** 2)
        assert res["test_supervised_mse"][k] == pytest.approx(mse, rel=1e-12)


def test_several_scorers_and_the_two_pgrs():
    X, y = make_w2s_regression(300, 60, random_state=1)
    scoring = {"r2": "r2", "mae": lambda est, X, y: -mean_absolute_error(
        y, est.predict(X))}
    res = cross_validate_w2s(_w2s(), X, y, cv=3, scoring=scoring,
                             return_estimator=True)
    for k, (_, test) in enumerate(KFold(3).split(X)):
        models = {
            "teacher": res["estimator"][k].teacher_,
            "student": res["estimator"][k],
            "supervised": res["supervised"][k],
            "ceiling": res["ceiling"][k],
        }
        for role, m in models.items():
            r2 = r2_score(y[test], m.predict(X[test]))
            assert res[f"test_{role}_r2"][k] == pytest.approx(r2, rel=1e-12)
        t, s, c = (res[f"test_{r}_r2"][k] for r in ("teacher", "student", "ceiling"))
        assert res["test_pgr_r2"][k] == pytest.approx((s - t) / (c - t))
    summ = res["summary"]["r2"]
    t, s, c, sup = (res[f"test_{r}_r2"] for r in
                    ("teacher", "student", "ceiling", "supervised"))
    ratio = (s.mean() - t.mean()) / (c.mean() - t.mean())
    assert summ["pgr_of_means"] == pytest.approx(ratio)
    assert summ["mean_of_fold_pgrs"] == pytest.approx(np.mean((s - t) / (c - t)))
    # delta-method s.e. of the ratio of means, written out
    d = ((s - t) - ratio * (c - t)) / (c - t).mean()
    assert summ["pgr_of_means_se"] == pytest.approx(d.std(ddof=1) / np.sqrt(3))
    # equal folds of 100 rows: the mean paired per-row R^2 loss is the mean
    # of the per-fold R^2 differences
    assert summ["margin"] == pytest.approx(np.mean(s - sup))
    # its s.e.: paired per-row differences of e^2 / var(y_test fold), with the
    # Nadeau-Bengio factor 1 + K/(K-1) of 3-fold cross-validation
    d = []
    for k, (_, test) in enumerate(KFold(3).split(X)):
        e_sup = y[test] - res["supervised"][k].predict(X[test])
        e_w2s = y[test] - res["estimator"][k].predict(X[test])
        d.append((e_sup**2 - e_w2s**2) / np.var(y[test]))
    d = np.concatenate(d)
    assert summ["margin_se"] == pytest.approx(
        np.sqrt(1 + 3 / 2) * d.std(ddof=1) / np.sqrt(300)
    )
    assert summ["verdict_units"] == "rows"
    # a callable scorer is no mean over rows: the verdict pairs the folds
    mae = res["summary"]["mae"]
    assert mae["verdict_units"] == "folds"
    s_mae, sup_mae = res["test_student_mae"], res["test_supervised_mae"]
    assert mae["margin"] == pytest.approx(np.mean(s_mae - sup_mae))
    assert mae["margin_se"] == pytest.approx(
        np.sqrt(2.5) * (s_mae - sup_mae).std(ddof=1) / np.sqrt(3)
    )
    assert set(res["summary"]) == {"r2", "mae"}


def test_default_metric_summary_reports_errors():
    X, y = make_w2s_regression(240, 30, random_state=2)
    res = cross_validate_w2s(_w2s(), X, y, cv=3)
    summ = res["summary"]["mse"]
    assert summ["teacher"] == pytest.approx(res["test_teacher_mse"].mean())
    # margin > 0 means the W2S student has the smaller error
    assert summ["margin"] == pytest.approx(
        np.mean(res["test_supervised_mse"] - res["test_student_mse"])
    )


def test_per_target_pgr_equals_single_target_runs():
    X, y1 = make_w2s_regression(240, 30, random_state=3)
    _, y2 = make_w2s_regression(240, 30, random_state=4)
    Y = np.c_[y1, y2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        multi = cross_validate_w2s(_w2s(), X, Y, cv=3)
        for j in range(2):
            single = cross_validate_w2s(_w2s(), X, Y[:, j], cv=3)
            np.testing.assert_allclose(
                multi["test_pgr_per_target"][:, j], single["test_pgr"], rtol=1e-8
            )
            np.testing.assert_allclose(
                multi["summary"]["mse"]["pgr_of_means_per_target"][j],
                single["summary"]["mse"]["pgr_of_means"], rtol=1e-8,
            )


def test_compare_w2s_calls_a_w2s_win_over_supervised_but_not_over_the_teacher():
    """Few labels, many unlabeled rows, a ridgeless student: trained on 150
    labels (d=60) it overfits, trained on the tuned teacher's labels of 750
    rows it does not. But a ridgeless student fit on a linear teacher's
    predictions of more rows than features reproduces the teacher exactly:
    W2S beats the supervised student, not the teacher (identical losses)."""
    X, y = make_w2s_regression(900, 60, random_state=0)
    y[150:] = np.nan
    with pytest.warns(UndefinedMetricWarning, match="rows are all unlabeled"):
        table = compare_w2s({"tuned": WeightedRidge(alpha=30.0)},
                            {"ridgeless": WeightedRidge(alpha=1e-8)}, X, y, cv=3)
    row = table.iloc[0]
    # measured: w2s 1.82, supervised 3.49
    assert row["margin"] > 2 * row["margin_se"]
    assert row["w2s_mse"] < row["supervised_mse"]
    assert row["w2s_mse"] == pytest.approx(row["teacher_mse"], rel=1e-6)
    assert row["best"] == "undecided" and row["leader"] in ("teacher", "w2s")
    assert "identical losses; both beat the supervised student" in row["verdict"]
    assert row["n_labeled_to_resolve"] == np.inf
    assert np.isnan(row["ceiling_mse"])  # the student rows have no true label


def test_compare_w2s_calls_a_supervised_win():
    """A ridgeless teacher's noise reaches the student; the same student on the
    teacher's true labels is better."""
    X, y = make_w2s_regression(300, 40, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        table = compare_w2s(
            {"ridgeless": WeightedRidge(alpha=1e-6)},
            {"ridge": WeightedRidge(alpha=30.0), "light": WeightedRidge(alpha=1.0)},
            X, y, cv=3, n_jobs=2,
        )
    assert list(table["student"]) == ["ridge", "light"]
    row = table.iloc[0]
    # measured: w2s 1.72, supervised 1.53, margin -0.19 (s.e. 0.08)
    assert row["margin"] < -2 * row["margin_se"]
    assert row["best"] == "supervised"
    assert row["verdict"].startswith("supervised student is best: it beats the W2S")
    assert row["lead_margin"] == pytest.approx(-row["margin"])
    # the table's numbers are cross_validate_w2s's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        res = cross_validate_w2s(_w2s(), X, y, cv=3)
    assert row["w2s_mse"] == pytest.approx(res["test_student_mse"].mean())
    assert row["pgr"] == pytest.approx(res["summary"]["mse"]["pgr_of_means"])
    assert row["verdict"] == res["summary"]["mse"]["verdict"]


def test_compare_w2s_pseudo_true_column_is_the_pseudo_true_estimator():
    X, y = make_w2s_regression(240, 20, random_state=5)
    y[90:] = np.nan
    args = ({"t": WeightedRidge(alpha=1e-3)}, {"s": WeightedRidge(alpha=10.0)},
            X, y)
    # not a contender: not trained, NaN
    table = compare_w2s(*args, cv=3, scoring="r2")
    assert np.isnan(table["pseudo_true_r2"].iloc[0])
    table = compare_w2s(*args, cv=3, scoring="r2",
                        contenders=("teacher", "w2s", "supervised", "pseudo_true"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        res = cross_validate_w2s(_w2s(student_targets="pseudo+true").set_params(
            teacher=WeightedRidge(alpha=1e-3), student=WeightedRidge(alpha=10.0)),
            X, y, cv=3, scoring="r2")
    assert table["pseudo_true_r2"].iloc[0] == pytest.approx(
        res["test_student_r2"].mean()
    )


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"scoring": "not_a_scorer"}, ValueError, "scoring"),
        ({"teachers": {"t": "ridge"}}, TypeError, r"teachers\['t'\] must be an est"),
        ({"students": {}}, ValueError, "students is empty"),
        ({"students": {1: WeightedRidge()}}, TypeError, "keys must be str"),
    ],
)
def test_compare_w2s_bad_input(kwargs, err, match):
    X, y = make_w2s_regression(60, 4, random_state=0)
    args = {"teachers": {"t": WeightedRidge()}, "students": {"s": WeightedRidge()}}
    args.update(kwargs)
    with pytest.raises(err, match=match):
        compare_w2s(args["teachers"], args["students"], X, y, cv=3,
                    scoring=kwargs.get("scoring"))


@pytest.mark.parametrize(
    "scoring, match",
    [("nope", "scoring"), (["r2", "nope"], "nope"), (["r2", "r2"], "twice"),
     ({}, "empty dict"), ({"a": 3}, "must be a scorer name")],
)
def test_cross_validate_w2s_bad_scoring(scoring, match):
    X, y = make_w2s_regression(60, 4, random_state=0)
    with pytest.raises(ValueError, match=match):
        cross_validate_w2s(_w2s(), X, y, cv=3, scoring=scoring)


def test_compare_w2s_on_a_classification_task():
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    from skw2s.datasets import make_w2s_classification

    X, y = make_w2s_classification(600, 8, random_state=0)
    y = np.asarray(y).copy()
    y[300:] = -1  # unlabeled rows: never in a test fold
    table = compare_w2s(
        {"stump": DecisionTreeClassifier(max_depth=1, random_state=0)},
        {"logistic": LogisticRegression()}, X, y, cv=3,
    )
    row = table.iloc[0]  # pandas is in the test extra
    assert row["metric"] == "accuracy"
    for col in ("teacher_accuracy", "w2s_accuracy", "supervised_accuracy"):
        assert 0.3 <= row[col] <= 1.0
    assert row["best"] in ("teacher", "w2s", "supervised", "undecided")
    # the margin is in accuracy units: the paired per-row 0/1 errors
    assert row["margin"] == pytest.approx(
        row["w2s_accuracy"] - row["supervised_accuracy"], abs=1e-12
    )
