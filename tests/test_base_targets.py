"""The student's targets (``student_targets``, ``labeled_weight``), the NaN-aware
``score`` and multi-output targets of the weak-to-strong base protocol."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    validation_curve,
)
from sklearn.neighbors import KNeighborsRegressor

from skw2s import WeakToStrongRegressor, WeightedRidge, weighted_ridge_path
from skw2s.datasets import make_w2s_regression
from skw2s.metrics import r2_nan_scorer
from skw2s.model_selection import LabeledSplit


def _data(n=120, d=8, seed=0):
    return make_w2s_regression(n_samples=n, n_features=d, random_state=seed)


def _w2s(**kwargs):
    return WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3), WeightedRidge(alpha=1.0), **kwargs
    )


class _TargetSpy(RegressorMixin, BaseEstimator):
    """A ridge that keeps the rows, targets and weights it was fit on."""

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        self.X_fit_ = np.asarray(X).copy()
        self.y_fit_ = np.asarray(y).copy()
        self.sw_fit_ = None if sample_weight is None else np.asarray(sample_weight)
        self.ridge_ = Ridge(alpha=self.alpha).fit(X, y, sample_weight=sample_weight)
        return self

    def predict(self, X):
        return self.ridge_.predict(X)


# ------------------------------------------------------ NaN-aware score
def _nan_marked(n=200, d=10, n_labeled=60, seed=0):
    X, y = _data(n, d, seed)
    y_nan = y.copy()
    y_nan[n_labeled:] = np.nan
    # shuffle so plain KFold puts labeled and unlabeled rows in every fold
    perm = np.random.default_rng(seed).permutation(n)
    return X[perm], y_nan[perm]


def test_score_skips_unlabeled_rows():
    X, y_nan = _nan_marked()
    est = _w2s().fit(X, y_nan)
    lab = np.isfinite(y_nan)
    assert est.score(X, y_nan) == pytest.approx(
        est.student_.score(X[lab], y_nan[lab]), rel=1e-12
    )
    sw = np.linspace(1.0, 2.0, X.shape[0])
    assert est.score(X, y_nan, sample_weight=sw) == pytest.approx(
        est.student_.score(X[lab], y_nan[lab], sample_weight=sw[lab]), rel=1e-12
    )


def test_score_without_labeled_rows_points_to_labeled_split():
    X, y_nan = _nan_marked()
    est = _w2s().fit(X, y_nan)
    with pytest.raises(ValueError, match="LabeledSplit"):
        est.score(X[:5], np.full(5, np.nan))


def test_plain_grid_search_on_nan_marked_data():
    """Default scoring == the NaN scorer on the same folds; same alpha as
    LabeledSplit + the NaN scorer; cross_val_score is finite."""
    X, y_nan = _nan_marked(n=240, d=30, n_labeled=120, seed=1)
    grid = {"student__alpha": [1e-3, 1.0, 30.0, 1000.0, 1e5]}
    est = _w2s()
    cv = KFold(4, shuffle=True, random_state=0)
    plain = GridSearchCV(est, grid, cv=cv).fit(X, y_nan)
    nan_scored = GridSearchCV(est, grid, cv=cv, scoring=r2_nan_scorer).fit(X, y_nan)
    np.testing.assert_allclose(
        plain.cv_results_["mean_test_score"],
        nan_scored.cv_results_["mean_test_score"],
        rtol=1e-12,
    )
    assert np.isfinite(plain.cv_results_["mean_test_score"]).all()
    labeled = GridSearchCV(
        est, grid, cv=LabeledSplit(4), scoring=r2_nan_scorer
    ).fit(X, y_nan)
    assert plain.best_params_ == labeled.best_params_
    # the selection is not the first candidate by default
    assert plain.best_index_ != 0
    scores = cross_val_score(est, X, y_nan, cv=cv)
    assert np.isfinite(scores).all()
    train, test = validation_curve(
        est, X, y_nan, param_name="student__alpha", param_range=[1.0, 30.0], cv=cv
    )
    assert np.isfinite(test).all()


# --------------------------------------------------------- student targets
def test_pseudo_true_appends_teacher_rows_with_true_labels():
    X, y = _data(120, 6)
    y_nan = y.copy()
    y_nan[40:] = np.nan
    est = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3), _TargetSpy(), student_targets="pseudo+true"
    ).fit(X, y_nan)
    np.testing.assert_array_equal(est.true_label_rows_, np.isfinite(y_nan))
    spy = est.student_
    np.testing.assert_array_equal(spy.X_fit_, np.r_[X[40:], X[:40]])
    np.testing.assert_array_equal(
        spy.y_fit_, np.r_[est.teacher_.predict(X[40:]), y[:40]]
    )
    assert spy.sw_fit_ is None  # labeled_weight=1 and no sample_weight
    # default: pseudo only, no true label is added
    pseudo = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), _TargetSpy()).fit(
        X, y_nan
    )
    assert not pseudo.true_label_rows_.any()
    assert pseudo.student_.y_fit_.shape == (80,)


def test_labeled_weight_scales_true_rows_and_their_sample_weight():
    X, y = _data(90, 5)
    y_nan = y.copy()
    y_nan[30:] = np.nan
    sw = np.linspace(0.5, 1.5, 90)
    est = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3),
        _TargetSpy(),
        student_targets="pseudo+true",
        labeled_weight=0.25,
    ).fit(X, y_nan, sample_weight=sw)
    np.testing.assert_allclose(est.student_.sw_fit_, np.r_[sw[30:], 0.25 * sw[:30]])
    # without sample_weight: 1 for pseudo rows, labeled_weight for true rows
    est.fit(X, y_nan)
    np.testing.assert_allclose(
        est.student_.sw_fit_, np.r_[np.ones(60), np.full(30, 0.25)]
    )


def test_labeled_weight_zero_equals_pseudo():
    """WeightedRidge ignores zero-weight rows, so the two students coincide."""
    X, y = _data(150, 10, seed=3)
    y_nan = y.copy()
    y_nan[50:] = np.nan
    pseudo = _w2s().fit(X, y_nan)
    zero = _w2s(student_targets="pseudo+true", labeled_weight=0.0).fit(X, y_nan)
    np.testing.assert_allclose(zero.student_.coef_, pseudo.student_.coef_, atol=1e-10)
    np.testing.assert_allclose(
        zero.student_.intercept_, pseudo.student_.intercept_, atol=1e-10
    )
    # and a positive weight does change the student
    one = _w2s(student_targets="pseudo+true").fit(X, y_nan)
    assert np.abs(one.student_.coef_ - pseudo.student_.coef_).max() > 1e-3


def test_pseudo_true_equals_independent_weighted_fit():
    X, y = _data(100, 6, seed=4)
    y_nan = y.copy()
    y_nan[35:] = np.nan
    est = _w2s(student_targets="pseudo+true", labeled_weight=3.0).fit(X, y_nan)
    teacher = WeightedRidge(alpha=1e-3).fit(X[:35], y[:35])
    ref = WeightedRidge(alpha=1.0).fit(
        np.r_[X[35:], X[:35]],
        np.r_[teacher.predict(X[35:]), y[:35]],
        sample_weight=np.r_[np.ones(65), np.full(35, 3.0)],
    )
    np.testing.assert_allclose(est.student_.coef_, ref.coef_, rtol=1e-10)


def test_hidden_labels_never_reach_the_student():
    """Every row labeled: the student's rows keep their labels hidden."""
    X, y = _data(100, 5, seed=5)
    est = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3),
        _TargetSpy(),
        student_targets="pseudo+true",
        random_state=0,
    ).fit(X, y)
    hidden = est.student_rows_
    np.testing.assert_array_equal(est.true_label_rows_, est.teacher_rows_)
    assert not (est.true_label_rows_ & hidden).any()
    # changing the hidden labels changes nothing the student sees
    y2 = y.copy()
    y2[hidden] = 1e6
    est2 = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3),
        _TargetSpy(),
        student_targets="pseudo+true",
        random_state=0,
    ).fit(X, y2)
    np.testing.assert_array_equal(est2.student_.y_fit_, est.student_.y_fit_)
    assert not np.isin(1e6, est2.student_.y_fit_)


def test_pseudo_true_under_cross_fitting_adds_every_labeled_row():
    X, y = _data(90, 5, seed=6)
    y_nan = y.copy()
    y_nan[60:] = np.nan
    est = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3),
        _TargetSpy(),
        cv=3,
        student_targets="pseudo+true",
    ).fit(X, y_nan)
    spy = est.student_
    assert spy.y_fit_.shape == (90 + 60,)
    np.testing.assert_array_equal(spy.y_fit_[:90], est.pseudo_labels_)
    np.testing.assert_array_equal(spy.y_fit_[90:], y[:60])
    np.testing.assert_array_equal(est.true_label_rows_, np.isfinite(y_nan))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"student_targets": "true"}, "student_targets"),
        ({"labeled_weight": -1.0}, "labeled_weight"),
        ({"labeled_weight": np.inf}, "labeled_weight"),
        ({"labeled_weight": np.nan}, "labeled_weight"),
    ],
)
def test_bad_student_targets(params, match):
    X, y = _data(60, 4)
    with pytest.raises(ValueError, match=match):
        _w2s(**params).fit(X, y)


def test_labeled_weight_needs_a_weighted_student():
    X, y = _data(60, 4)
    est = WeakToStrongRegressor(
        WeightedRidge(),
        KNeighborsRegressor(),
        student_targets="pseudo+true",
        labeled_weight=2.0,
    )
    with pytest.raises(ValueError, match="labeled_weight=2.0 needs a student"):
        est.fit(X, y)
    # labeled_weight=1 needs no weights
    est.set_params(labeled_weight=1.0).fit(X, y)


# ------------------------------------------------------------ multi-output
def _multi(n=120, d=6, seed=0):
    X, y1 = _data(n, d, seed)
    _, y2 = _data(n, d, seed + 1)
    Y = np.c_[y1, 2.0 * y2 + 1.0]
    Y[80:] = np.nan
    return X, Y


@pytest.mark.parametrize("student_targets", ["pseudo", "pseudo+true"])
@pytest.mark.parametrize("cv", [None, 3])
def test_multi_output_equals_per_target_fits(student_targets, cv):
    X, Y = _multi()
    kw = {"cv": cv, "student_targets": student_targets}
    multi = _w2s(**kw).fit(X, Y)
    assert multi.pseudo_labels_.shape == Y.shape
    pred = multi.predict(X[:7])
    assert pred.shape == (7, 2)
    for k in range(2):
        single = _w2s(**kw).fit(X, Y[:, k])
        np.testing.assert_allclose(pred[:, k], single.predict(X[:7]), rtol=1e-9)
        np.testing.assert_allclose(
            multi.pseudo_labels_[:, k], single.pseudo_labels_, rtol=1e-9
        )
    # every row labeled: the same random split for both targets
    X2, Y2 = _multi()
    Y2[80:] = 0.0
    multi = _w2s(random_state=0).fit(X2, Y2)
    single = _w2s(random_state=0).fit(X2, Y2[:, 1])
    np.testing.assert_allclose(multi.predict(X2)[:, 1], single.predict(X2), rtol=1e-9)
    # score on labeled rows only (R^2 averaged over the targets)
    assert np.isfinite(_w2s().fit(X, Y).score(X, Y))


def test_weighted_ridge_and_path_multi_output_equal_per_target():
    X, Y = _multi()
    X, Y = X[:80], Y[:80]
    coef = WeightedRidge(alpha=2.0).fit(X, Y).coef_
    assert coef.shape == (2, X.shape[1])
    alphas = [0.5, 2.0]
    coefs, intercepts = weighted_ridge_path(X, Y, alphas)
    assert coefs.shape == (2, 2, X.shape[1]) and intercepts.shape == (2, 2)
    for k in range(2):
        np.testing.assert_allclose(
            coef[k], WeightedRidge(alpha=2.0).fit(X, Y[:, k]).coef_, rtol=1e-10
        )
        coefs_k, intercepts_k = weighted_ridge_path(X, Y[:, k], alphas)
        np.testing.assert_allclose(coefs[:, k, :], coefs_k, rtol=1e-10)
        np.testing.assert_allclose(intercepts[:, k], intercepts_k, rtol=1e-10)


def test_multi_output_partly_nan_rows_are_rejected():
    X, Y = _multi()
    Y[3, 1] = np.nan
    with pytest.raises(ValueError, match="labeled for all targets or for none"):
        _w2s().fit(X, Y)


def test_pseudo_true_with_a_frozen_teacher_adds_the_labeled_rows():
    from sklearn.frozen import FrozenEstimator

    X, y = _data(90, 5, seed=7)
    teacher = WeightedRidge(alpha=1.0).fit(X[:30] + 1.0, y[:30])  # other rows
    y_nan = y.copy()
    y_nan[20:] = np.nan
    est = WeakToStrongRegressor(
        FrozenEstimator(teacher), _TargetSpy(), student_targets="pseudo+true"
    ).fit(X, y_nan)
    np.testing.assert_array_equal(est.true_label_rows_, np.isfinite(y_nan))
    np.testing.assert_array_equal(
        est.student_.y_fit_, np.r_[teacher.predict(X), y[:20]]
    )
