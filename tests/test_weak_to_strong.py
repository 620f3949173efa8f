"""Tests of WeakToStrongRegressor: data protocol, routing, tags, bad input."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import estimator_html_repr, get_tags

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.metrics import neg_mse_nan_scorer
from skw2s.model_selection import LabeledSplit


def _data(n=120, d=8, seed=0):
    return make_w2s_regression(n_samples=n, n_features=d, random_state=seed)


def _w2s(**kwargs):
    return WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3), WeightedRidge(alpha=1.0), **kwargs
    )


class _Recorder(RegressorMixin, BaseEstimator):
    """Ridge that records (in a shared log) the rows it fits and predicts.

    Rows are identified by their first column, which holds the row id (the
    estimator ignores it when fitting).
    """

    log = []

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        X = np.asarray(X)
        self.ridge_ = Ridge(alpha=self.alpha).fit(X[:, 1:], y)
        self.fit_ids_ = frozenset(X[:, 0].astype(int))
        self.sample_weight_ = None if sample_weight is None else np.asarray(
            sample_weight
        )
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        X = np.asarray(X)
        _Recorder.log.append((self.fit_ids_, frozenset(X[:, 0].astype(int))))
        return self.ridge_.predict(X[:, 1:])


class _NanTeacher(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.full(np.shape(X)[0], np.nan)


def _with_ids(X):
    return np.column_stack([np.arange(X.shape[0]), X])


# --------------------------------------------------------------- protocol
def test_unlabeled_rows_are_the_students():
    X, y = _data()
    y = y.copy()
    y[40:] = np.nan
    w2s = _w2s().fit(X, y)
    np.testing.assert_array_equal(w2s.teacher_rows_, np.arange(120) < 40)
    np.testing.assert_array_equal(w2s.student_rows_, np.arange(120) >= 40)
    teacher = WeightedRidge(alpha=1e-3).fit(X[:40], y[:40])
    np.testing.assert_allclose(w2s.teacher_.coef_, teacher.coef_)
    pseudo = teacher.predict(X[40:])
    np.testing.assert_allclose(w2s.pseudo_labels_[40:], pseudo)
    assert np.isnan(w2s.pseudo_labels_[:40]).all()
    student = WeightedRidge(alpha=1.0).fit(X[40:], pseudo)
    np.testing.assert_allclose(w2s.student_.coef_, student.coef_)
    np.testing.assert_allclose(w2s.predict(X), student.predict(X))
    assert w2s.score(X[:40], y[:40]) == pytest.approx(
        student.score(X[:40], y[:40])
    )


@pytest.mark.parametrize("teacher_size, n_teacher", [(0.3, 36), (0.5, 60), (25, 25)])
def test_all_labeled_split_by_teacher_size(teacher_size, n_teacher):
    X, y = _data()
    w2s = _w2s(teacher_size=teacher_size, random_state=0).fit(X, y)
    assert w2s.teacher_rows_.sum() == n_teacher
    np.testing.assert_array_equal(w2s.student_rows_, ~w2s.teacher_rows_)
    again = _w2s(teacher_size=teacher_size, random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.teacher_rows_, w2s.teacher_rows_)
    other = _w2s(teacher_size=teacher_size, random_state=1).fit(X, y)
    assert not np.array_equal(other.teacher_rows_, w2s.teacher_rows_)


def test_student_never_sees_a_true_label():
    X, y = _data()
    w2s = _w2s(random_state=0).fit(X, y)
    garbage = y.copy()
    hidden = w2s.student_rows_
    garbage[hidden] = np.random.default_rng(1).normal(1e3, 1e3, hidden.sum())
    other = _w2s(random_state=0).fit(X, garbage)
    np.testing.assert_array_equal(other.teacher_rows_, w2s.teacher_rows_)
    np.testing.assert_array_equal(other.student_.coef_, w2s.student_.coef_)
    np.testing.assert_array_equal(other.student_.intercept_, w2s.student_.intercept_)
    # while the teacher's rows' labels do reach the student (through the teacher)
    changed = y.copy()
    changed[w2s.teacher_rows_] += np.random.default_rng(2).normal(
        size=w2s.teacher_rows_.sum()
    )
    moved = _w2s(random_state=0).fit(X, changed)
    assert not np.allclose(moved.student_.coef_, w2s.student_.coef_)


def test_cross_fitting_pseudo_label_ignores_the_rows_own_label():
    X, y = _data()
    w2s = _w2s(cv=4).fit(X, y)
    for i in (0, 57, 119):
        changed = y.copy()
        changed[i] += 100.0
        other = _w2s(cv=4).fit(X, changed)
        assert other.pseudo_labels_[i] == w2s.pseudo_labels_[i]
        assert not np.allclose(other.pseudo_labels_, w2s.pseudo_labels_)


def test_frozen_teacher_is_not_refit_and_every_row_is_a_student_row():
    X, y = _data()
    X_old, y_old = _data(seed=5)
    teacher = WeightedRidge(alpha=1e-3).fit(X_old, y_old)
    coef = teacher.coef_.copy()
    for y_fit in (y, np.full_like(y, np.nan), None):
        w2s = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge()).fit(
            X, y_fit
        )
        assert w2s.teacher_.estimator is teacher
        np.testing.assert_array_equal(teacher.coef_, coef)
        assert w2s.student_rows_.all() and not w2s.teacher_rows_.any()
        np.testing.assert_allclose(w2s.pseudo_labels_, teacher.predict(X))
    # y may be omitted altogether with a frozen teacher
    w2s_no_y = WeakToStrongRegressor(FrozenEstimator(teacher), WeightedRidge()).fit(X)
    np.testing.assert_allclose(w2s_no_y.pseudo_labels_, teacher.predict(X))


def test_cross_fitting_no_row_labeled_by_a_teacher_that_saw_it():
    X, y = _data(n=90)
    y = y.copy()
    y[60:] = np.nan  # 60 labeled, 30 unlabeled
    Xi = _with_ids(X)
    _Recorder.log.clear()
    w2s = WeakToStrongRegressor(_Recorder(), _Recorder(), cv=4).fit(Xi, y)
    # the student's own predictions (for round_agreement_) are left out
    log = [e for e in _Recorder.log if e[0] != w2s.student_.fit_ids_]
    assert w2s.student_rows_.all()
    np.testing.assert_array_equal(w2s.teacher_rows_, ~np.isnan(y))
    # 4 fold teachers + refit teacher on the unlabeled rows.
    assert len(log) == 5
    labeled_pred = set()
    for fit_ids, pred_ids in log:
        assert not fit_ids & pred_ids
        assert fit_ids <= set(range(60))
    for _, pred_ids in log[:4]:
        assert labeled_pred.isdisjoint(pred_ids)
        labeled_pred |= pred_ids
    assert labeled_pred == set(range(60))
    assert log[4] == (frozenset(range(60)), frozenset(range(60, 90)))
    # fold teachers in parallel give the same pseudo-labels
    par = WeakToStrongRegressor(_Recorder(), _Recorder(), cv=4, n_jobs=2).fit(Xi, y)
    np.testing.assert_allclose(par.pseudo_labels_, w2s.pseudo_labels_)


def test_cross_fitting_seeds_a_shuffling_splitter_once():
    X, y = _data()
    cv = KFold(3, shuffle=True)
    a = _w2s(cv=cv, random_state=0).fit(X, y)
    b = _w2s(cv=cv, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.pseudo_labels_, b.pseudo_labels_)
    assert cv.random_state is None  # the user's splitter is not modified


def test_column_subset_teacher_and_full_student_on_dataframe():
    X, y = _data(d=6)
    cols = [f"x{j}" for j in range(6)]
    df = pd.DataFrame(X, columns=cols)
    teacher = make_pipeline(
        ColumnTransformer([("weak", "passthrough", ["x0", "x1"])]),
        WeightedRidge(alpha=1e-3),
    )
    w2s = WeakToStrongRegressor(teacher, WeightedRidge(), random_state=0).fit(df, y)
    assert w2s.teacher_[-1].coef_.shape == (2,)
    assert w2s.student_.coef_.shape == (6,)
    np.testing.assert_array_equal(w2s.feature_names_in_, cols)
    assert w2s.n_features_in_ == 6
    assert w2s.predict(df).shape == (120,)


def test_grid_search_over_student_alpha_inside_a_pipeline():
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("w2s", _w2s(random_state=0))])
    grid = {"w2s__student__alpha": [0.1, 10.0, 1000.0]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert search.best_params_["w2s__student__alpha"] in grid["w2s__student__alpha"]
    assert search.best_estimator_[-1].student_.alpha == (
        search.best_params_["w2s__student__alpha"]
    )
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize("cv", [KFold(3), LabeledSplit(3)])
def test_cross_validate_with_unlabeled_rows(cv):
    X, y = _data()
    y = y.copy()
    y[::3] = np.nan
    res = cross_validate(_w2s(), X, y, cv=cv, scoring=neg_mse_nan_scorer)
    assert np.isfinite(res["test_score"]).all()
    assert (res["test_score"] < 0).all()


def test_pickle_roundtrip():
    X, y = _data()
    w2s = _w2s(random_state=0).fit(X, y)
    clone = pickle.loads(pickle.dumps(w2s))
    np.testing.assert_array_equal(clone.predict(X), w2s.predict(X))


# --------------------------------------------------------- sample weights
def test_sample_weight_sliced_without_routing():
    X, y = _data()
    Xi = _with_ids(X)
    w = np.arange(1.0, 121.0)
    w2s = WeakToStrongRegressor(_Recorder(), _Recorder(), random_state=0)
    w2s.fit(Xi, y, sample_weight=w)
    np.testing.assert_array_equal(w2s.teacher_.sample_weight_, w[w2s.teacher_rows_])
    np.testing.assert_array_equal(w2s.student_.sample_weight_, w[w2s.student_rows_])
    y_nan = y.copy()
    y_nan[:30] = np.nan
    w2s = WeakToStrongRegressor(_Recorder(), _Recorder(), cv=3).fit(
        Xi, y_nan, sample_weight=w
    )
    np.testing.assert_array_equal(w2s.teacher_.sample_weight_, w[30:])
    np.testing.assert_array_equal(w2s.student_.sample_weight_, w)


def test_sample_weight_sliced_with_routing():
    X, y = _data()
    Xi = _with_ids(X)
    w = np.arange(1.0, 121.0)
    with config_context(enable_metadata_routing=True):
        teacher = _Recorder().set_fit_request(sample_weight=True)
        student = _Recorder().set_fit_request(sample_weight=True)
        w2s = WeakToStrongRegressor(teacher, student, random_state=0)
        w2s.fit(Xi, y, sample_weight=w)
        np.testing.assert_array_equal(
            w2s.teacher_.sample_weight_, w[w2s.teacher_rows_]
        )
        np.testing.assert_array_equal(
            w2s.student_.sample_weight_, w[w2s.student_rows_]
        )
        # only the student asks for the weights
        teacher = _Recorder().set_fit_request(sample_weight=False)
        w2s = WeakToStrongRegressor(teacher, student, random_state=0)
        w2s.fit(Xi, y, sample_weight=w)
        assert w2s.teacher_.sample_weight_ is None
        np.testing.assert_array_equal(
            w2s.student_.sample_weight_, w[w2s.student_rows_]
        )
        # a Pipeline student gets the weights routed to its last step
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            _Recorder().set_fit_request(sample_weight=True),
        )
        w2s = WeakToStrongRegressor(teacher, pipe, random_state=0)
        w2s.fit(Xi, y, sample_weight=w)
        np.testing.assert_array_equal(
            w2s.student_[-1].sample_weight_, w[w2s.student_rows_]
        )


def test_sample_weight_matches_explicit_fits():
    X, y = _data()
    w = np.random.default_rng(0).uniform(0.5, 2.0, 120)
    w2s = _w2s(random_state=0).fit(X, y, sample_weight=w)
    t, s = w2s.teacher_rows_, w2s.student_rows_
    teacher = WeightedRidge(alpha=1e-3).fit(X[t], y[t], sample_weight=w[t])
    student = WeightedRidge(alpha=1.0).fit(
        X[s], teacher.predict(X[s]), sample_weight=w[s]
    )
    np.testing.assert_allclose(w2s.student_.coef_, student.coef_, rtol=1e-8)


# -------------------------------------------------------- w2s happens
def test_grid_searched_student_beats_underregularized_teacher():
    # d/n = 5/6 for the nearly ridgeless teacher: it overfits its label noise;
    # a ridge student of its labels on 10x more rows shrinks that noise away.
    n, m, d, n_test = 60, 600, 50, 4000
    X, y = make_w2s_regression(n + m + n_test, d, noise=1.0, random_state=0)
    X_tr, X_te, y_te = X[: n + m], X[n + m :], y[n + m :]
    y_tr = y[: n + m].copy()
    y_tr[n:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-6), WeightedRidge())
    search = GridSearchCV(
        w2s,
        {"student__alpha": np.logspace(0, 5, 6)},
        cv=LabeledSplit(3),
        scoring=neg_mse_nan_scorer,
    ).fit(X_tr, y_tr)
    best = search.best_estimator_
    err_teacher = (y_te - best.teacher_.predict(X_te)) ** 2
    err_student = (y_te - best.predict(X_te)) ** 2
    diff = err_teacher - err_student
    margin, se = diff.mean(), diff.std(ddof=1) / np.sqrt(n_test)
    # measured: teacher MSE 4.25, student 2.11, margin 2.14 with se 0.10;
    # the standard error is that of the mean over the test rows.
    assert margin > 5 * se, (margin, se)


# --------------------------------------------------------- tags and repr
def test_tags_follow_children():
    hgb = HistGradientBoostingRegressor(max_iter=5)
    assert get_tags(WeakToStrongRegressor(hgb, hgb)).input_tags.allow_nan
    mixed = WeakToStrongRegressor(hgb, WeightedRidge())
    assert not get_tags(mixed).input_tags.allow_nan
    tags = get_tags(_w2s())
    assert tags.estimator_type == "regressor"
    # multi-output exactly when both children are multi-output
    assert tags.target_tags.required and tags.target_tags.multi_output
    assert not get_tags(mixed).target_tags.multi_output


def test_html_repr_draws_teacher_then_student():
    w2s = _w2s()
    block = w2s._sk_visual_block_()
    assert block.kind == "serial"
    assert list(block.names) == ["teacher", "student"]
    # each child in its own one-item block, so that it gets a label box
    assert [b.estimators[0] for b in block.estimators] == [w2s.teacher, w2s.student]
    assert '<div class="sk-serial">' in estimator_html_repr(w2s)


def test_teacher_nan_allowed_rows_pass_through():
    X, y = _data()
    X = X.copy()
    X[::2, 0] = np.nan  # NaN in teacher and student rows, both children accept
    hgb = HistGradientBoostingRegressor(max_iter=5)
    w2s = WeakToStrongRegressor(hgb, hgb, random_state=0).fit(X, y)
    assert np.isfinite(w2s.predict(X)).all()


# -------------------------------------------------------------- bad input
def test_no_labeled_rows():
    X, y = _data()
    with pytest.raises(ValueError, match="y has no labeled rows"):
        _w2s().fit(X, np.full_like(y, np.nan))


@pytest.mark.parametrize(
    "teacher_size, match",
    [(120, "at least one row must be left for the student"), (0.001, "gives 0")],
)
def test_no_rows_for_a_role(teacher_size, match):
    X, y = _data()
    with pytest.raises(ValueError, match=match):
        _w2s(teacher_size=teacher_size).fit(X, y)


@pytest.mark.parametrize("teacher_size", [0.0, 1.0, 1.5, -3, 0])
def test_teacher_size_out_of_range(teacher_size):
    X, y = _data()
    with pytest.raises(ValueError, match="'teacher_size' parameter"):
        _w2s(teacher_size=teacher_size).fit(X, y)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_child_without_fit_predict(role):
    X, y = _data()
    kwargs = {"teacher": WeightedRidge(), "student": WeightedRidge()}
    kwargs[role] = StandardScaler()
    with pytest.raises(TypeError, match=f"'{role}' parameter.*'predict'"):
        WeakToStrongRegressor(**kwargs).fit(X, y)


def test_teacher_predictions_not_finite():
    X, y = _data()
    match = r"teacher _NanTeacher\(\) produced non-finite"
    with pytest.raises(ValueError, match=match):
        WeakToStrongRegressor(_NanTeacher(), WeightedRidge()).fit(X, y)


def test_sample_weight_wrong_length():
    X, y = _data()
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(5,\)"):
        _w2s().fit(X, y, sample_weight=np.ones(5))


def test_sample_weight_child_does_not_accept_it():
    from sklearn.neighbors import KNeighborsRegressor

    X, y = _data()
    w2s = WeakToStrongRegressor(
        WeightedRidge(), make_pipeline(StandardScaler(), KNeighborsRegressor())
    )
    with pytest.raises(ValueError, match="student Pipeline does not accept"):
        w2s.fit(X, y, sample_weight=np.ones(120))


def test_sample_weight_reaches_a_pipeline_students_last_step():
    """The one rule for weights: a Pipeline student gets them in its final step."""
    X, y = _data()
    w = np.random.default_rng(0).uniform(0.5, 2.0, 120)
    w2s = WeakToStrongRegressor(
        WeightedRidge(), make_pipeline(StandardScaler(), WeightedRidge()),
        random_state=0,
    ).fit(X, y, sample_weight=w)
    rows = w2s.student_rows_
    ref = make_pipeline(StandardScaler(), WeightedRidge()).fit(
        X[rows], w2s.pseudo_labels_[rows], weightedridge__sample_weight=w[rows]
    )
    np.testing.assert_allclose(w2s.predict(X), ref.predict(X), rtol=1e-12)


@pytest.mark.parametrize(
    "y_bad, match",
    [
        (np.r_[np.inf, np.zeros(119)], "y contains infinity"),
        (np.c_[np.r_[np.nan, np.zeros(119)], np.zeros(120)], "labeled for all"),
        (np.zeros((120, 0)), "at least one target"),
        (np.zeros(100), "inconsistent numbers of samples"),
        (None, "requires y to be passed"),
    ],
)
def test_bad_y(y_bad, match):
    X, _ = _data()
    with pytest.raises(ValueError, match=match):
        _w2s().fit(X, y_bad)


def test_cv_must_partition_the_labeled_rows():
    X, y = _data()
    with pytest.raises(ValueError, match="must partition the labeled rows"):
        _w2s(cv=[(np.arange(60), np.arange(60, 90))]).fit(X, y)


def test_unrouted_metadata_is_rejected():
    X, y = _data()
    with pytest.raises(ValueError, match="groups"):
        _w2s().fit(X, y, groups=np.zeros(120))


class _CountingRidge(WeightedRidge):
    """A WeightedRidge that counts its fits (in this process)."""

    n_fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("cv", [None, 3])
def test_memory_caches_teacher_fits_across_a_student_grid(tmp_path, cv):
    X, y = _data(n=90)
    grid = {"student__alpha": [0.1, 1.0, 10.0, 100.0]}
    outer = KFold(2, shuffle=True, random_state=0)

    def search(memory):
        _CountingRidge.n_fits = 0
        w2s = WeakToStrongRegressor(
            _CountingRidge(alpha=1e-3), WeightedRidge(), cv=cv, memory=memory,
            random_state=0,
        )
        gs = GridSearchCV(w2s, grid, cv=outer).fit(X, y)
        return gs, _CountingRidge.n_fits

    plain, fits_plain = search(None)
    cached, fits_cached = search(str(tmp_path))
    # teacher fits per WeakToStrongRegressor.fit: 1 without cv, 3 folds + 1
    # refit with cv=3; 2 outer folds x 4 candidates + the final refit
    per_fit = 1 if cv is None else 4
    assert fits_plain == per_fit * (2 * 4 + 1)
    # cached: each outer fold's teachers once, and the final refit's once
    assert fits_cached == per_fit * (2 + 1)
    np.testing.assert_allclose(
        cached.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"],
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        cached.best_estimator_.predict(X), plain.best_estimator_.predict(X)
    )
