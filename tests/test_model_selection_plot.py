"""The report's Display objects draw on the Agg backend and return their artists."""

import warnings

import matplotlib
import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.model_selection import GridSearchCV

from skw2s import WeakToStrongRegressor, WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.model_selection import (
    StudentRegularizationDisplay,
    W2SReportDisplay,
    compare_w2s,
    cross_validate_w2s,
)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data():
    return make_w2s_regression(240, 30, random_state=0)


def _w2s():
    return WeakToStrongRegressor(
        WeightedRidge(alpha=1e-6), WeightedRidge(alpha=30.0), random_state=0
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_report_display_from_cv_results_draws_means_and_errors(data):
    X, y = data
    res = cross_validate_w2s(_w2s(), X, y, cv=3)
    fig, ax = plt.subplots()
    disp = W2SReportDisplay.from_cv_results(res, name="pair", ax=ax)
    assert disp.ax_ is ax and disp.figure_ is fig
    summ = res["summary"]["mse"]
    heights = {k: b.patches[0].get_height() for k, b in disp.bars_.items()}
    assert heights["teacher"] == pytest.approx(summ["teacher"])
    assert heights["W2S student"] == pytest.approx(summ["student"])
    assert heights["supervised student"] == pytest.approx(summ["supervised"])
    assert set(disp.errorbars_) == set(disp.bars_)
    assert "MSE" in ax.get_ylabel()


def test_report_display_from_compare_table(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        table = compare_w2s({"t": WeightedRidge(alpha=1e-6)},
                            {"a": WeightedRidge(alpha=30.0),
                             "b": WeightedRidge(alpha=1.0)}, X, y, cv=3,
                            scoring="r2",
                            contenders=("teacher", "w2s", "supervised",
                                        "pseudo_true"))
    disp = W2SReportDisplay.from_cv_results(table)
    assert disp.means.shape == (2, 5)
    assert len(disp.bars_["pseudo+true student"].patches) == 2
    assert disp.bars_["ceiling"].patches[1].get_height() == pytest.approx(
        table["ceiling_r2"].iloc[1]
    )
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == ["t ->\na", "t ->\nb"]
    # the dict-of-arrays form of the table works too
    as_dict = {k: np.asarray(v) for k, v in table.items()}
    W2SReportDisplay.from_cv_results(as_dict)


def test_report_display_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match="cross_validate_w2s or"):
        W2SReportDisplay.from_cv_results({"a": 1})
    res = cross_validate_w2s(_w2s(), X, y, cv=3, scoring=["r2", "neg_max_error"])
    with pytest.raises(ValueError, match="choose one with metric"):
        W2SReportDisplay.from_cv_results(res)
    W2SReportDisplay.from_cv_results(res, metric="r2")
    with pytest.raises(ValueError, match="one metric"):
        W2SReportDisplay.from_estimator(_w2s(), X, y, scoring=["r2"])


def test_regularization_display_from_cv_and_grid_search(data):
    X, y = data
    alphas = [0.1, 1.0, 10.0, 100.0]
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-6), alphas=alphas, cv=3, random_state=0
    ).fit(X, y)
    disp = StudentRegularizationDisplay.from_estimator(
        search, X, y, cv=3, theory=lambda a: 0.5 - 0.0 * a
    )
    np.testing.assert_allclose(disp.line_.get_xdata(), alphas)
    np.testing.assert_allclose(
        disp.line_.get_ydata(), search.cv_results_["mean_test_score"]
    )
    assert disp.ax_.get_xscale() == "log"
    # reference lines are the R^2 (the estimators' own score) of the report
    res = cross_validate_w2s(search.best_estimator_, X, y, cv=3, scoring="r2")
    assert disp.reference_lines_["teacher"].get_ydata()[0] == (
        pytest.approx(res["summary"]["r2"]["teacher"])
    )
    assert "supervised student" not in disp.reference_lines_
    # the supervised student is a curve over the same alphas: at the W2S
    # student's alpha it is the report's supervised student (which carries
    # the W2S student's hyperparameters) ...
    sup = disp.supervised_line_.get_ydata()
    np.testing.assert_allclose(disp.supervised_line_.get_xdata(), alphas)
    assert sup[search.best_index_] == pytest.approx(
        res["summary"]["r2"]["supervised"]
    )
    # ... and each curve marks its own best alpha
    assert disp.supervised_best_marker_.get_xdata()[0] == alphas[np.argmax(sup)]
    assert disp.best_marker_.get_xdata()[0] == search.alpha_
    assert disp.theory_line_ is not None
    grid = GridSearchCV(
        WeakToStrongRegressor(WeightedRidge(alpha=1e-6), WeightedRidge(),
                              random_state=0),
        {"student__alpha": alphas[::-1]}, cv=3,
    ).fit(X, y)
    disp2 = StudentRegularizationDisplay.from_cv_results(
        grid.cv_results_, theory=(alphas, [0.1, 0.2, 0.3, 0.2])
    )
    np.testing.assert_allclose(disp2.line_.get_xdata(), alphas)  # sorted
    np.testing.assert_allclose(
        disp2.line_.get_ydata(), disp.line_.get_ydata(), atol=1e-8
    )
    assert disp2.reference_lines_ == {}
    assert disp2.supervised_line_ is None


def test_regularization_display_bad_input():
    with pytest.raises(ValueError, match="pass param_name"):
        StudentRegularizationDisplay.from_cv_results(
            {"param_a__alpha": [1.0], "param_b__alpha": [1.0]}
        )
    with pytest.raises(ValueError, match="no 'param_gamma'"):
        StudentRegularizationDisplay.from_cv_results({}, param_name="gamma")
    with pytest.raises(ValueError, match="fitted search"):
        StudentRegularizationDisplay.from_estimator(WeightedRidge())


def _overlap(a, b):
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


def test_report_display_with_six_pairs_is_readable(data):
    """Six pairs with long names: no overlapping tick labels, the legend
    right of the bars, no legend entry for a model with no value (the ceiling
    of unlabeled student rows), a star on each decided pair's best bar."""
    X, y = data
    y = y.copy()
    y[120:] = np.nan
    teachers = {f"a rather long teacher name {i}": WeightedRidge(alpha=10.0 ** i)
                for i in (-6, 0, 2)}
    students = {"ridge student with alpha 30": WeightedRidge(alpha=30.0),
                "ridge student with alpha 1": WeightedRidge(alpha=1.0)}
    with pytest.warns(UndefinedMetricWarning, match="ceiling cannot be trained"):
        table = compare_w2s(teachers, students, X, y, cv=3)
    disp = W2SReportDisplay.from_cv_results(table)
    fig = disp.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in disp.ax_.get_xticklabels()]
    assert len(boxes) == 6
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    legend = disp.ax_.get_legend()
    assert legend.get_window_extent(renderer).x0 >= disp.ax_.get_window_extent(
        renderer).x1
    labels = [t.get_text() for t in legend.get_texts()]
    assert "ceiling" not in labels and "ceiling" not in disp.bars_
    assert all(len(b.patches) == 6 for b in disp.bars_.values())
    n_decided = int((table["best"] != "undecided").sum())
    stars = 0 if disp.best_markers_ is None else len(disp.best_markers_.get_xdata())
    assert stars == n_decided
    assert ("verdict: best" in labels) == (n_decided > 0)


def test_regularization_display_without_ceiling_draws_no_empty_line(data):
    X, y = data
    y = y.copy()
    y[100:] = np.nan
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-6), alphas=[1.0, 100.0], cv=3, random_state=0
    ).fit(X, y)
    disp = StudentRegularizationDisplay.from_estimator(search, X, y, cv=3)
    assert sorted(disp.reference_lines_) == ["teacher"]
    labels = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    assert "ceiling" not in labels
    assert np.isfinite(disp.supervised_line_.get_ydata()).all()
