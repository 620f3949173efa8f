"""Streaming weak-to-strong training: WeakToStrongRegressor.partial_fit."""

import copy

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDRegressor
from sklearn.neural_network import MLPRegressor
from sklearn.tree import DecisionTreeRegressor

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_regression


@pytest.fixture(scope="module")
def data():
    X, y = make_w2s_regression(n_samples=400, n_features=8, random_state=0)
    teacher = WeightedRidge(alpha=1e-3).fit(X[:40], y[:40])
    return X[40:], y[40:], teacher


def _chunks(n, size=90):
    return [slice(a, min(a + size, n)) for a in range(0, n, size)]


def test_stream_weighted_ridge_equals_fit_on_all_rows(data):
    X, y, teacher = data
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge(alpha=5.0))
    for sl in _chunks(X.shape[0]):
        w2s.partial_fit(X[sl], y[sl])
    ref = WeakToStrongRegressor(
        FrozenEstimator(teacher), WeightedRidge(alpha=5.0)
    ).fit(X)
    np.testing.assert_allclose(w2s.student_.coef_, ref.student_.coef_, rtol=1e-10)
    np.testing.assert_allclose(w2s.predict(X[:5]), ref.predict(X[:5]), rtol=1e-10)
    assert w2s.teacher_ is w2s.teacher
    last = _chunks(X.shape[0])[-1]
    np.testing.assert_allclose(w2s.pseudo_labels_, teacher.predict(X[last]))
    assert w2s.student_rows_.all() and not w2s.teacher_rows_.any()
    # the student's alpha may change after the stream (statistics kept)
    w2s.student_.set_params(alpha=50.0)
    ref50 = WeightedRidge(alpha=50.0).fit(X, teacher.predict(X))
    np.testing.assert_allclose(w2s.student_.coef_, ref50.coef_, rtol=1e-10)


@pytest.mark.parametrize(
    "student",
    [
        SGDRegressor(random_state=0),
        MLPRegressor(hidden_layer_sizes=(5,), random_state=0),
    ],
)
def test_stream_equals_student_partial_fit_on_teacher_predictions(data, student):
    X, _, teacher = data
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), student)
    manual = clone(student)
    for sl in _chunks(X.shape[0]):
        w2s.partial_fit(X[sl])
        manual.partial_fit(X[sl], teacher.predict(X[sl]))
    np.testing.assert_array_equal(w2s.predict(X[:7]), manual.predict(X[:7]))


def test_stream_continues_after_fit(data):
    X, y, _ = data
    y_train = y.copy()
    y_train[100:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), SGDRegressor(random_state=0))
    w2s.fit(X[:200], y_train[:200])
    teacher = w2s.teacher_
    manual = copy.deepcopy(w2s.student_)
    w2s.partial_fit(X[200:])
    manual.partial_fit(X[200:], teacher.predict(X[200:]))
    assert w2s.teacher_ is teacher
    np.testing.assert_array_equal(w2s.predict(X[:5]), manual.predict(X[:5]))


def test_stream_sample_weight_reaches_the_student(data):
    X, _, teacher = data
    w = np.linspace(0.5, 2, X.shape[0])
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge())
    w2s.partial_fit(X[:100], sample_weight=w[:100])
    w2s.partial_fit(X[100:], sample_weight=w[100:])
    ref = WeightedRidge().fit(X, teacher.predict(X), sample_weight=w)
    np.testing.assert_allclose(w2s.student_.coef_, ref.coef_, rtol=1e-10)


def test_stream_verbose_reports_progress(data, capsys):
    X, _, teacher = data
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge(), verbose=1)
    w2s.partial_fit(X[:100]).partial_fit(X[100:150])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[1].startswith("[WeakToStrongRegressor] chunk 2: 50 rows, 150 rows")
    assert out[1].endswith("rows/s")


def test_stream_bad_input(data):
    X, _, teacher = data
    with pytest.raises(NotFittedError, match="needs a trained teacher"):
        WeakToStrongRegressor(WeightedRidge(), WeightedRidge()).partial_fit(X)
    with pytest.raises(NotFittedError, match="not fitted"):
        WeakToStrongRegressor(
            FrozenEstimator(WeightedRidge()), WeightedRidge()
        ).partial_fit(X)
    w2s = WeakToStrongRegressor(
        FrozenEstimator(teacher), DecisionTreeRegressor(max_depth=2)
    )
    assert not hasattr(w2s, "partial_fit")
    with pytest.raises(AttributeError, match="no attribute 'partial_fit'") as exc:
        w2s.partial_fit(X)
    assert "has no partial_fit method" in str(exc.value.__cause__)
    w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge())
    w2s.partial_fit(X[:50])
    with pytest.raises(ValueError, match="7 features"):
        w2s.partial_fit(X[50:100, :7])


def test_cv_stream_selects_alpha_on_held_out_rows(data):
    from sklearn.metrics import mean_squared_error, r2_score

    from skw2s import WeakToStrongRegressorCV

    X, y, teacher = data
    rng = np.random.default_rng(0)
    y_stream = y.copy()
    held = rng.random(X.shape[0]) < 0.2
    y_stream[~held] = np.nan  # held-out labeled rows are the 20% with labels
    alphas = [0.1, 10.0, 1000.0, 1e5]
    for scoring, metric in [(None, r2_score), ("neg_mean_squared_error", None)]:
        search = WeakToStrongRegressorCV(
            FrozenEstimator(teacher), alphas=alphas, scoring=scoring
        )
        for sl in _chunks(X.shape[0], 70):
            search.partial_fit(X[sl], y_stream[sl])
        # independent computation: in-memory fits on the unlabeled rows
        Xu, Xl = X[~held], X[held]
        scores = []
        for a in alphas:
            pred = WeightedRidge(alpha=a).fit(Xu, teacher.predict(Xu)).predict(Xl)
            scores.append(
                metric(y[held], pred) if metric else -mean_squared_error(y[held], pred)
            )
        np.testing.assert_allclose(
            search.cv_results_["split0_test_score"], scores, rtol=1e-9
        )
        assert search.alpha_ == alphas[int(np.argmax(scores))]
        assert search.student_.alpha == search.alpha_
        ref = WeightedRidge(alpha=search.alpha_).fit(Xu, teacher.predict(Xu))
        np.testing.assert_allclose(search.predict(X[:4]), ref.predict(X[:4]), rtol=1e-9)


def test_cv_stream_bad_input(data):
    from skw2s import WeakToStrongRegressorCV

    X, y, teacher = data
    search = WeakToStrongRegressorCV(FrozenEstimator(teacher), SGDRegressor(),
                                     alphas=[1.0])
    assert not hasattr(search, "partial_fit")  # hidden by available_if
    with pytest.raises(AttributeError, match="partial_fit") as info:
        search.partial_fit(X, y)
    assert "needs a WeightedRidge student" in str(info.value.__cause__)
    with pytest.raises(ValueError, match="cannot be computed from statistics"):
        WeakToStrongRegressorCV(
            FrozenEstimator(teacher), scoring="neg_mean_absolute_error"
        ).partial_fit(X, y)
    with pytest.raises(NotFittedError, match="needs a trained teacher"):
        WeakToStrongRegressorCV(WeightedRidge()).partial_fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_fanout_verbose_reports_fits_done(capsys):
    from skw2s import WeakToStrongRegressorCV
    from skw2s.model_selection import cross_validate_w2s

    X, y = make_w2s_regression(n_samples=60, n_features=3, random_state=0)
    w2s = WeakToStrongRegressor(WeightedRidge(), WeightedRidge(), random_state=0)
    cross_validate_w2s(w2s, X, y, cv=2, verbose=10)
    WeakToStrongRegressorCV(WeightedRidge(), alphas=[1.0], cv=2, verbose=10).fit(X, y)
    y_nan = y.copy()
    y_nan[30:] = np.nan
    WeakToStrongRegressor(WeightedRidge(), WeightedRidge(), cv=2, verbose=10).fit(
        X, y_nan
    )
    err = capsys.readouterr().err
    assert err.count("Done   2 out of   2") >= 3
