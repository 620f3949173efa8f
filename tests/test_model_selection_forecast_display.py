"""W2SForecastDisplay draws a forecast against the realized errors (Agg backend)."""

import matplotlib
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor

from skw2s import WeakToStrongClassifier, WeakToStrongRegressor
from skw2s.datasets import make_w2s_classification, make_w2s_regression
from skw2s.model_selection import W2SForecastDisplay, forecast_w2s

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

N_LABELED = 80


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _split(X, y):
    """(X_pool, y_pool with NaN/-1 on unlabeled rows, X_test, y_test)."""
    X_pool, y_pool, X_test, y_test = X[:400], y[:400].copy(), X[400:], y[400:]
    if y.dtype.kind == "f":
        y_pool[N_LABELED:] = np.nan
    else:
        y_pool[N_LABELED:] = -1
    return X_pool, y_pool, X_test, y_test


@pytest.fixture(scope="module")
def ridge_case():
    X, y = make_w2s_regression(600, 20, random_state=0)
    X_pool, y_pool, X_test, y_test = _split(X, y)
    teacher, student = Ridge(alpha=1e-6), Ridge(alpha=40.0)
    forecast = forecast_w2s(teacher, student, X_pool, y_pool, cv=3,
                            n_bootstrap=20, random_state=0)
    w2s = WeakToStrongRegressor(teacher, student).fit(X_pool, y_pool)
    supervised = Ridge(alpha=40.0).fit(X_pool[:N_LABELED], y_pool[:N_LABELED])
    return forecast, w2s, supervised, X_pool, y_pool, X_test, y_test


@pytest.fixture(scope="module")
def knn_forecast():
    X, y = make_w2s_regression(600, 20, random_state=1)
    X_pool, y_pool, _, _ = _split(X, y)
    return forecast_w2s(KNeighborsRegressor(5), Ridge(alpha=10.0), X_pool, y_pool,
                        cv=3, n_bootstrap=20, random_state=0)


@pytest.fixture(scope="module")
def classification_case():
    X, y = make_w2s_classification(600, 10, random_state=0)
    X_pool, y_pool, X_test, y_test = _split(X, y)
    teacher, student = LogisticRegression(C=0.01), LogisticRegression()
    forecast = forecast_w2s(teacher, student, X_pool, y_pool, cv=3,
                            n_bootstrap=20, random_state=0)
    w2s = WeakToStrongClassifier(teacher, student).fit(X_pool, y_pool)
    supervised = LogisticRegression().fit(X_pool[:N_LABELED], y_pool[:N_LABELED])
    return forecast, w2s, supervised, X_test, y_test


def _point(container):
    (x,), (y,) = container.lines[0].get_data()
    return x, y


def test_from_forecast_draws_points_intervals_and_realized(knn_forecast):
    f = knn_forecast
    assert f.theory is None  # a kNN teacher: no plug-in theory
    realized = {"teacher": 1.5, "w2s": 1.25, "supervised": 1.1}
    fig, ax = plt.subplots()
    disp = W2SForecastDisplay.from_forecast(f, realized=realized, ax=ax)
    assert disp.ax_ is ax and disp.figure_ is fig and disp.theory_ax_ is None
    assert set(disp.forecast_points_) == {"teacher", "w2s", "supervised"}
    for key, err in [("teacher", "teacher_error"), ("w2s", "student_error"),
                     ("supervised", "supervised_error")]:
        x, _ = _point(disp.forecast_points_[key])
        assert x == pytest.approx(f[err])
        # the horizontal bar spans the interval
        seg = disp.forecast_points_[key].lines[2][0].get_segments()[0]
        assert sorted(seg[:, 0]) == pytest.approx([f[f"{err}_low"], f[f"{err}_high"]])
        (rx,), (ry,) = disp.realized_markers_[key].get_data()
        assert rx == pytest.approx(realized[key])
        assert ry == pytest.approx(_point(disp.forecast_points_[key])[1])
    assert disp.realized_markers_["w2s"].get_marker() == "D"
    assert "forecast verdict" in ax.get_title()
    assert "MSE" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["forecast (90 % interval)", "realized"]
    assert disp.theory_line_ is None and disp.theory_reference_lines_ == {}


def test_from_forecast_without_realized_draws_no_marker(knn_forecast):
    disp = W2SForecastDisplay.from_forecast(knn_forecast, realized={"w2s": None})
    assert disp.realized_markers_ == {}
    assert len(disp.ax_.get_legend().get_texts()) == 1


def test_title_names_the_verdict_or_the_leader(knn_forecast):
    f = type(knn_forecast)(**knn_forecast)
    f["verdict"], f["leader"] = "supervised", "supervised"
    disp = W2SForecastDisplay.from_forecast(f)
    assert disp.ax_.get_title() == "forecast verdict: supervised student"
    f["verdict"], f["leader"] = "undecided", "w2s"
    disp = W2SForecastDisplay.from_forecast(f)
    assert "undecided" in disp.ax_.get_title()
    assert "W2S student" in disp.ax_.get_title()
    bold = [t.get_text() for t in disp.ax_.get_yticklabels()
            if t.get_fontweight() == "bold"]
    assert bold == ["W2S student"]


def test_regression_with_theory_draws_the_theory_panel(ridge_case):
    f, w2s, supervised, X_pool, y_pool, X_test, y_test = ridge_case
    th = f.theory
    assert th is not None
    alphas = th.student_alphas[::4]
    curve = (alphas, np.linspace(2.0, 1.0, alphas.size))
    disp = W2SForecastDisplay.from_estimator(
        f, w2s, X_test, y_test, supervised=supervised, realized_curve=curve
    )
    assert disp.theory_ax_ is not None and disp.theory_ax_ is not disp.ax_
    assert disp.theory_ax_.figure is disp.figure_
    assert disp.theory_ax_.get_xscale() == "log"
    np.testing.assert_allclose(disp.theory_line_.get_xdata(), th.student_alphas)
    np.testing.assert_allclose(disp.theory_line_.get_ydata(), th.student_mse)
    assert disp.theory_reference_lines_["teacher"].get_ydata()[0] == pytest.approx(
        th.teacher_mse)
    assert disp.theory_reference_lines_["supervised"].get_ydata()[0] == (
        pytest.approx(th.supervised_mse))
    (bx,), (by,) = disp.best_alpha_marker_.get_data()
    assert (bx, by) == pytest.approx((th.best_student_alpha, th.best_student_mse))
    np.testing.assert_allclose(disp.realized_curve_line_.get_xdata(), alphas)
    # show_theory=False: one panel, as for a forecast without theory
    disp = W2SForecastDisplay.from_forecast(f, show_theory=False)
    assert disp.theory_ax_ is None and disp.theory_line_ is None
    # two axes given: both used
    fig, axes = plt.subplots(1, 2)
    disp = W2SForecastDisplay.from_forecast(f, ax=axes)
    assert disp.ax_ is axes[0] and disp.theory_ax_ is axes[1]
    # one axes given: no room for the theory, which is then left out
    fig, ax = plt.subplots()
    disp = W2SForecastDisplay.from_forecast(f, ax=ax)
    assert disp.ax_ is ax and disp.theory_ax_ is None


def test_from_estimator_computes_the_realized_mse(ridge_case):
    f, w2s, supervised, _, _, X_test, y_test = ridge_case
    disp = W2SForecastDisplay.from_estimator(f, w2s, X_test, y_test,
                                             supervised=supervised)
    expected = {
        "teacher": np.mean((w2s.teacher_.predict(X_test) - y_test) ** 2),
        "w2s": np.mean((w2s.predict(X_test) - y_test) ** 2),
        "supervised": np.mean((supervised.predict(X_test) - y_test) ** 2),
    }
    assert disp.realized == pytest.approx(expected)
    for key, value in expected.items():
        assert disp.realized_markers_[key].get_xdata()[0] == pytest.approx(value)
    # the teacher's realized error is that of a Ridge fit on the labeled rows
    _, _, _, X_pool, y_pool, _, _ = ridge_case
    direct = Ridge(alpha=1e-6).fit(X_pool[:N_LABELED], y_pool[:N_LABELED])
    assert expected["teacher"] == pytest.approx(
        np.mean((direct.predict(X_test) - y_test) ** 2))
    # without a supervised model: no marker for it
    disp = W2SForecastDisplay.from_estimator(f, w2s, X_test, y_test)
    assert set(disp.realized_markers_) == {"teacher", "w2s"}


def test_classification_draws_error_rates(classification_case):
    f, w2s, supervised, X_test, y_test = classification_case
    assert f.metric == "error_rate" and f.theory is None
    disp = W2SForecastDisplay.from_estimator(f, w2s, X_test, y_test,
                                             supervised=supervised)
    expected = {
        "teacher": 1 - w2s.teacher_.score(X_test, y_test),
        "w2s": 1 - w2s.score(X_test, y_test),
        "supervised": 1 - supervised.score(X_test, y_test),
    }
    assert disp.realized == pytest.approx(expected)
    assert "error rate" in disp.ax_.get_xlabel()
    assert disp.theory_ax_ is None
    x, _ = _point(disp.forecast_points_["w2s"])
    assert x == pytest.approx(f.student_error)
    with pytest.raises(ValueError, match="needs .* theory.*only for regression"):
        W2SForecastDisplay.from_forecast(f, show_theory=True)


@pytest.mark.parametrize(
    "realized, error, match",
    [
        ({"student": 1.0}, ValueError, r"realized has unknown key\(s\) \['student'\]"),
        ([1.0, 2.0], TypeError, "realized must be a dict"),
        ({"w2s": "low"}, TypeError, r"realized\['w2s'\] must be a real number"),
        ({"w2s": -1.0}, ValueError, r"realized\['w2s'\] must be a finite error"),
        ({"w2s": np.inf}, ValueError, r"realized\['w2s'\] must be a finite error"),
    ],
)
def test_bad_realized(knn_forecast, realized, error, match):
    with pytest.raises(error, match=match):
        W2SForecastDisplay.from_forecast(knn_forecast, realized=realized)


def test_bad_forecast():
    with pytest.raises(TypeError, match="forecast must be the W2SForecast"):
        W2SForecastDisplay.from_forecast([1, 2, 3])
    with pytest.raises(ValueError, match="forecast must be the W2SForecast.*no "):
        W2SForecastDisplay.from_forecast({"verdict": "w2s"})


def test_bad_realized_curve_and_axes(ridge_case, knn_forecast):
    f = ridge_case[0]
    with pytest.raises(ValueError, match="realized_curve must be a pair"):
        W2SForecastDisplay.from_forecast(f, realized_curve=([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError, match="realized_curve's alphas must be"):
        W2SForecastDisplay.from_forecast(f, realized_curve=([0, 1], [1, 2]))
    with pytest.raises(ValueError, match="realized_curve is drawn on the theory"):
        W2SForecastDisplay.from_forecast(knn_forecast, realized_curve=([1], [1]))
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="needs a second Axes"):
        W2SForecastDisplay.from_forecast(f, ax=ax, show_theory=True)
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="ax must be one Axes or two"):
        W2SForecastDisplay.from_forecast(f, ax=axes)


def test_from_estimator_errors(ridge_case, classification_case):
    f, w2s, supervised, _, _, X_test, y_test = ridge_case
    unfitted = WeakToStrongRegressor(Ridge(), Ridge())
    with pytest.raises(NotFittedError, match="estimator .* is not fitted"):
        W2SForecastDisplay.from_estimator(f, unfitted, X_test, y_test)
    with pytest.raises(NotFittedError, match="supervised .* is not fitted"):
        W2SForecastDisplay.from_estimator(f, w2s, X_test, y_test,
                                          supervised=Ridge())
    with pytest.raises(TypeError, match="estimator must be a fitted WeakToStrong"):
        W2SForecastDisplay.from_estimator(f, supervised, X_test, y_test)
    y_nan = y_test.copy()
    y_nan[0] = np.nan
    with pytest.raises(ValueError, match="y_test has 1 unlabeled"):
        W2SForecastDisplay.from_estimator(f, w2s, X_test, y_nan)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        W2SForecastDisplay.from_estimator(f, w2s, X_test[:-1], y_test)
    clf_w2s, clf_X, clf_y = classification_case[1], classification_case[3], (
        classification_case[4])
    with pytest.raises(ValueError, match="metric is 'mse' but estimator is a "
                                         "classifier"):
        W2SForecastDisplay.from_estimator(f, clf_w2s, clf_X, clf_y)
