"""Selective trust (skw2s._trust and the ``_trust`` step): pseudo-label weights,
filters and student rounds on WeakToStrongRegressor."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import BayesianRidge, Ridge
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.utils._param_validation import InvalidParameterError

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s._trust import top_fraction, variance_confidence
from skw2s.datasets import make_w2s_regression


def _semi(n=120, n_lab=50, d=6, seed=0):
    X, y = make_w2s_regression(n_samples=n, n_features=d, random_state=seed)
    y = y.copy()
    y[n_lab:] = np.nan
    return X, y


def _extrapolation(seed, n_lab=80, n_unl=300, n_test=500, d=3):
    """Linear truth; labeled rows only where x0 < 0, so a flexible teacher is
    badly wrong (extrapolates) on the known region x0 > 0 of the student's rows."""
    rng = np.random.default_rng(seed)

    def draw(n, labeled):
        X = rng.uniform(-2, 2, (n, d))
        if labeled:
            X[:, 0] = rng.uniform(-2, 0, n)
        return X, X.sum(axis=1) + 0.3 * rng.standard_normal(n)

    X_l, y_l = draw(n_lab, True)
    X_u, _ = draw(n_unl, False)
    X_t, y_t = draw(n_test, False)
    return np.vstack([X_l, X_u]), np.r_[y_l, np.full(n_unl, np.nan)], X_t, y_t


class _WeightRecorder(RegressorMixin, BaseEstimator):
    """Ridge that keeps the sample_weight it was fit with."""

    def fit(self, X, y, sample_weight=None):
        self.ridge_ = Ridge(alpha=1.0).fit(X, y, sample_weight=sample_weight)
        self.sample_weight_ = sample_weight
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return self.ridge_.predict(X)


class _NoWeights(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def _ones(teacher, X, pseudo_labels):
    return np.ones(len(pseudo_labels))


# ------------------------------------------------------------ plain functions
def test_variance_confidence_closed_form():
    var = np.array([0.0, 1.0, 2.0, 4.0, 8.0])
    np.testing.assert_allclose(variance_confidence(var), 1 / (1 + var / 2.0))
    np.testing.assert_allclose(variance_confidence(3 * var), 1 / (1 + var / 2.0))
    # median 0 falls back to the mean; all zeros to all ones
    var0 = np.array([0.0, 0.0, 0.0, 3.0])
    np.testing.assert_allclose(variance_confidence(var0), 1 / (1 + var0 / 0.75))
    np.testing.assert_array_equal(variance_confidence(np.zeros(3)), np.ones(3))


def test_top_fraction_keeps_ceil_and_breaks_ties_stably():
    score = np.array([0.5, 0.9, 0.5, 0.1, 0.7])
    np.testing.assert_array_equal(
        top_fraction(score, 0.5), [True, True, False, False, True]
    )
    assert top_fraction(score, 1e-9).sum() == 1  # never empty
    assert top_fraction(score, 1.0).all()


# ---------------------------------------------------------- exact identities
def test_weights_of_all_ones_equal_no_weighting():
    X, y = _semi()
    plain = WeakToStrongRegressor(WeightedRidge(1e-3), WeightedRidge(1.0)).fit(X, y)
    ones = WeakToStrongRegressor(
        WeightedRidge(1e-3), WeightedRidge(1.0), pseudo_label_weights=_ones
    ).fit(X, y)
    np.testing.assert_array_equal(ones.student_.coef_, plain.student_.coef_)
    np.testing.assert_array_equal(ones.predict(X), plain.predict(X))
    np.testing.assert_array_equal(ones.pseudo_label_weights_[50:], 1.0)
    assert np.isnan(ones.pseudo_label_weights_[:50]).all()
    # weights identically 1 are not passed to the student at all
    rec = WeakToStrongRegressor(
        WeightedRidge(1e-3), _WeightRecorder(), pseudo_label_weights=_ones
    ).fit(X, y)
    assert rec.student_.sample_weight_ is None


def test_filter_keeping_everything_equals_no_filter():
    X, y = _semi()
    plain = WeakToStrongRegressor(BayesianRidge(), WeightedRidge(1.0)).fit(X, y)
    full = WeakToStrongRegressor(
        BayesianRidge(), WeightedRidge(1.0), pseudo_label_filter=1.0
    ).fit(X, y)
    np.testing.assert_array_equal(full.student_.coef_, plain.student_.coef_)
    np.testing.assert_array_equal(full.kept_rows_, plain.student_rows_)
    assert not full.dropped_rows_.any()


def test_one_round_is_the_plain_fit():
    X, y = _semi()
    w2s = WeakToStrongRegressor(WeightedRidge(1e-3), WeightedRidge(1.0), n_rounds=1)
    w2s.fit(X, y)
    teacher = WeightedRidge(1e-3).fit(X[:50], y[:50])
    student = WeightedRidge(1.0).fit(X[50:], teacher.predict(X[50:]))
    np.testing.assert_array_equal(w2s.student_.coef_, student.coef_)
    assert w2s.round_agreement_.shape == (1,)
    pred = student.predict(X[50:])
    labels = teacher.predict(X[50:])
    r2 = 1 - np.sum((labels - pred) ** 2) / np.sum((labels - labels.mean()) ** 2)
    np.testing.assert_allclose(w2s.round_agreement_[0], r2)


def test_later_rounds_refit_on_the_students_own_labels_of_the_kept_rows():
    X, y = _semi()
    w2s = WeakToStrongRegressor(
        BayesianRidge(), WeightedRidge(1.0), pseudo_label_filter=0.6, n_rounds=3
    ).fit(X, y)
    kept = np.flatnonzero(w2s.kept_rows_)
    assert kept.size == int(np.ceil(0.6 * 70))
    teacher = BayesianRidge().fit(X[:50], y[:50])
    student = WeightedRidge(1.0).fit(X[kept], teacher.predict(X[kept]))
    for _ in range(2):
        student = WeightedRidge(1.0).fit(X[kept], student.predict(X[kept]))
    np.testing.assert_allclose(w2s.student_.coef_, student.coef_, rtol=1e-10)
    assert w2s.round_agreement_.shape == (3,)
    assert np.all(w2s.round_agreement_ <= 1)


# ------------------------------------------------- confidences, independently
def test_confidence_from_return_std_and_filter_keeps_the_most_confident():
    X, y = _semi()
    w2s = WeakToStrongRegressor(
        BayesianRidge(), WeightedRidge(1.0),
        pseudo_label_weights="confidence", pseudo_label_filter=0.5,
    ).fit(X, y)
    _, std = BayesianRidge().fit(X[:50], y[:50]).predict(X[50:], return_std=True)
    var = std**2
    expected = 1 / (1 + var / np.median(var))
    np.testing.assert_allclose(w2s.pseudo_label_confidence_[50:], expected)
    np.testing.assert_allclose(w2s.pseudo_label_weights_[50:], expected)
    kept = w2s.kept_rows_[50:]
    assert kept.sum() == 35
    assert expected[kept].min() >= expected[~kept].max()
    np.testing.assert_array_equal(w2s.dropped_rows_[50:], ~kept)


def test_confidence_from_the_spread_of_cross_fitted_teachers():
    X, y = _semi()
    cv = KFold(4, shuffle=True, random_state=3)
    teacher = make_pipeline(PolynomialFeatures(2), Ridge(alpha=1e-2))
    w2s = WeakToStrongRegressor(
        teacher, WeightedRidge(1.0), pseudo_label_weights="confidence", cv=cv
    ).fit(X, y)
    preds = np.stack([
        clone(teacher).fit(X[:50][tr], y[:50][tr]).predict(X)
        for tr, _ in cv.split(X[:50])
    ])
    var = preds.var(axis=0)
    np.testing.assert_allclose(
        w2s.pseudo_label_confidence_, 1 / (1 + var / np.median(var)), rtol=1e-10
    )


def test_weights_multiply_the_routed_sample_weight():
    X, y = _semi()
    sw = np.linspace(0.5, 2.0, X.shape[0])
    w2s = WeakToStrongRegressor(
        WeightedRidge(1e-3), _WeightRecorder(),
        pseudo_label_weights=lambda t, Xs, p: np.abs(p) + 0.1,
    ).fit(X, y, sample_weight=sw)
    teacher = WeightedRidge(1e-3).fit(X[:50], y[:50], sample_weight=sw[:50])
    expected = (np.abs(teacher.predict(X[50:])) + 0.1) * sw[50:]
    np.testing.assert_allclose(w2s.student_.sample_weight_, expected)


def test_frozen_teacher_with_return_std():
    X, y = _semi()
    X_old, y_old = make_w2s_regression(n_samples=60, n_features=6, random_state=9)
    frozen = FrozenEstimator(BayesianRidge().fit(X_old, y_old))
    w2s = WeakToStrongRegressor(
        frozen, WeightedRidge(1.0), pseudo_label_filter=0.25
    ).fit(X)
    assert w2s.kept_rows_.sum() == 30 and w2s.student_rows_.all()


# ------------------------------------------------- the measured improvement
def _mse(model, X_t, y_t):
    return float(np.mean((model.predict(X_t) - y_t) ** 2))


@pytest.mark.parametrize(
    "teacher, cv",
    [
        (GaussianProcessRegressor(RBF(1.0), alpha=0.1, normalize_y=True), None),
        (make_pipeline(PolynomialFeatures(3), Ridge(alpha=1e-3)), 5),
    ],
    ids=["gp-return-std", "poly-cross-fit-spread"],
)
def test_weighting_and_filtering_beat_plain_w2s_where_the_teacher_extrapolates(
    teacher, cv
):
    diffs = {"weights": [], "filter": []}
    for seed in range(8):
        X, y, X_t, y_t = _extrapolation(seed)
        kw = dict(cv=cv, random_state=seed)
        plain = np.log(_mse(
            WeakToStrongRegressor(teacher, Ridge(1.0), **kw).fit(X, y), X_t, y_t
        ))
        for name, opt in [("weights", dict(pseudo_label_weights="confidence")),
                          ("filter", dict(pseudo_label_filter=0.5))]:
            est = WeakToStrongRegressor(teacher, Ridge(1.0), **kw, **opt)
            diffs[name].append(plain - np.log(_mse(est.fit(X, y), X_t, y_t)))
    for name, d in diffs.items():
        d = np.asarray(d)
        se = d.std(ddof=1) / np.sqrt(d.size)
        # paired log-ratio of test MSEs over 8 seeds, 4 standard errors above 0
        assert d.mean() > 4 * se, (name, d)


# ------------------------------------------------------------- bad input
def test_confidence_without_uncertainty_or_cv_is_a_clear_error():
    X, y = _semi()
    for opt in (dict(pseudo_label_weights="confidence"),
                dict(pseudo_label_filter=0.5)):
        w2s = WeakToStrongRegressor(KNeighborsRegressor(), WeightedRidge(), **opt)
        with pytest.raises(ValueError, match="return_std.*cv"):
            w2s.fit(X, y)


def _negative(teacher, X, p):
    return -np.ones(len(p))


def _nan(teacher, X, p):
    return np.full(len(p), np.nan)


def _short(teacher, X, p):
    return np.ones(len(p) - 1)


def _zeros(teacher, X, p):
    return np.zeros(len(p))


@pytest.mark.parametrize(
    "func, match",
    [(_negative, "_negative.*non-negative"), (_nan, "_nan.*finite"),
     (_short, "_short.*shape"), (_zeros, "_zeros.*all 0")],
)
def test_bad_callable_weights_name_the_callable(func, match):
    X, y = _semi()
    w2s = WeakToStrongRegressor(WeightedRidge(), WeightedRidge(),
                                pseudo_label_weights=func)
    with pytest.raises(ValueError, match=match):
        w2s.fit(X, y)


@pytest.mark.parametrize(
    "params",
    [dict(pseudo_label_filter=0.0), dict(pseudo_label_filter=1.5),
     dict(pseudo_label_filter=-0.2), dict(n_rounds=0),
     dict(pseudo_label_weights="margin")],
)
def test_invalid_trust_parameters(params):
    X, y = _semi()
    with pytest.raises(InvalidParameterError):
        WeakToStrongRegressor(BayesianRidge(), WeightedRidge(), **params).fit(X, y)


def test_weights_need_a_student_that_accepts_sample_weight():
    X, y = _semi()
    w2s = WeakToStrongRegressor(BayesianRidge(), _NoWeights(),
                                pseudo_label_weights="confidence")
    with pytest.raises(ValueError, match="_NoWeights does not accept sample_weight"):
        w2s.fit(X, y)
    # the filter alone needs no weights
    w2s.set_params(pseudo_label_weights=None, pseudo_label_filter=0.5).fit(X, y)
    assert w2s.kept_rows_.sum() == 35


# ------------------------------------------------------------ classification
def _clf_extrapolation(seed, n_lab=80, n_unl=400, n_test=1000):
    """Linear boundary x0 + x1 = 0; labeled rows only where x0 < 0."""
    rng = np.random.default_rng(seed)

    def draw(n, labeled):
        X = rng.uniform(-2, 2, (n, 2))
        if labeled:
            X[:, 0] = rng.uniform(-2, 0, n)
        return X, (X[:, 0] + X[:, 1] > 0).astype(int)

    X_l, y_l = draw(n_lab, True)
    X_u, _ = draw(n_unl, False)
    X_t, y_t = draw(n_test, False)
    return np.vstack([X_l, X_u]), np.r_[y_l, -np.ones(n_unl, dtype=int)], X_t, y_t


def _clf_semi(seed=0):
    from skw2s.datasets import make_w2s_classification

    X, y = make_w2s_classification(n_samples=200, n_features=5, random_state=seed)
    y = y.copy()
    y[60:] = -1
    return X, y


def _clf(teacher=None, **kw):
    from sklearn.linear_model import LogisticRegression

    from skw2s import WeakToStrongClassifier

    teacher = DecisionTreeClassifier(max_depth=3, random_state=0) if teacher is None \
        else teacher
    return WeakToStrongClassifier(teacher, LogisticRegression(), **kw)


from sklearn.tree import DecisionTreeClassifier  # noqa: E402


@pytest.mark.parametrize("mode", ["soft", "hard"])
def test_classifier_identities(mode):
    X, y = _clf_semi()
    plain = _clf(pseudo_labels=mode).fit(X, y)
    for opts in (dict(pseudo_label_weights=_ones), dict(pseudo_label_filter=1.0)):
        other = _clf(pseudo_labels=mode, **opts).fit(X, y)
        np.testing.assert_array_equal(other.student_.coef_, plain.student_.coef_)
        np.testing.assert_array_equal(other.kept_rows_, plain.student_rows_)


def test_classifier_margin_confidence_and_threshold_independently():
    from sklearn.linear_model import LogisticRegression

    X, y = _clf_semi()
    teacher = LogisticRegression(C=0.1)
    w2s = _clf(teacher, pseudo_label_weights="confidence", threshold=0.7,
               pseudo_labels="hard").fit(X, y)
    proba = LogisticRegression(C=0.1).fit(X[:60], y[:60]).predict_proba(X[60:])
    margin = np.abs(proba[:, 1] - proba[:, 0])
    np.testing.assert_allclose(w2s.pseudo_label_confidence_[60:], margin,
                               rtol=1e-10)
    np.testing.assert_array_equal(w2s.kept_rows_[60:], proba.max(axis=1) >= 0.7)
    assert 0 < w2s.dropped_rows_.sum() < 140


def test_classifier_soft_weights_multiply_the_expansion():
    X, y = _clf_semi()
    w2s = _clf(pseudo_label_weights="confidence", pseudo_labels="soft").fit(X, y)
    ref = _clf(pseudo_labels="soft").fit(X, y)
    assert not np.allclose(w2s.student_.coef_, ref.student_.coef_)
    assert np.all((w2s.pseudo_label_weights_[60:] >= 0)
                  & (w2s.pseudo_label_weights_[60:] <= 1))


@pytest.mark.parametrize("mode", ["soft", "hard"])
def test_classifier_weighting_and_filtering_beat_plain_w2s(mode):
    from sklearn.gaussian_process import GaussianProcessClassifier

    diffs = {"weights": [], "filter": []}
    for seed in range(12):
        X, y, X_t, y_t = _clf_extrapolation(seed)
        kw = dict(pseudo_labels=mode)
        plain = _clf(GaussianProcessClassifier(), **kw).fit(X, y).score(X_t, y_t)
        for name, opt in [("weights", dict(pseudo_label_weights="confidence")),
                          ("filter", dict(pseudo_label_filter=0.5))]:
            acc = _clf(GaussianProcessClassifier(), **kw, **opt).fit(X, y)
            diffs[name].append(acc.score(X_t, y_t) - plain)
    for name, d in diffs.items():
        d = np.asarray(d)
        se = d.std(ddof=1) / np.sqrt(d.size)
        # paired accuracy gain over 12 seeds, 4 standard errors above 0
        assert d.mean() > 4 * se, (mode, name, d)


def test_classifier_trust_bad_input():
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    X, y = _clf_semi()
    with pytest.raises(ValueError, match="no predict_proba"):
        _clf(RidgeClassifier(), pseudo_labels="hard",
             pseudo_label_filter=0.5).fit(X, y)
    with pytest.raises(ValueError, match="drops every student row"):
        _clf(LogisticRegression(C=0.01), threshold=0.999999).fit(X, y)
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(InvalidParameterError):
            _clf(threshold=bad).fit(X, y)
    with pytest.raises(ValueError, match="_negative.*non-negative"):
        _clf(pseudo_label_weights=_negative).fit(X, y)


# ------------------------------------- with pseudo+true targets, multi-output
def test_trust_weights_with_true_labels_appended():
    X, y = _semi()
    w2s = WeakToStrongRegressor(
        BayesianRidge(), _WeightRecorder(), pseudo_label_weights="confidence",
        pseudo_label_filter=0.5, student_targets="pseudo+true", labeled_weight=2.0,
    ).fit(X, y)
    kept = w2s.kept_rows_
    sw = w2s.student_.sample_weight_
    assert sw.shape == (kept.sum() + 50,)
    np.testing.assert_allclose(sw[: kept.sum()], w2s.pseudo_label_weights_[kept])
    np.testing.assert_array_equal(sw[kept.sum():], 2.0)
    np.testing.assert_array_equal(w2s.true_label_rows_, ~np.isnan(y))


def test_cross_fit_spread_confidence_multi_output():
    X, y = _semi()
    Y = np.column_stack([y, 2 * y])
    cv = KFold(3, shuffle=True, random_state=0)
    w2s = WeakToStrongRegressor(
        KNeighborsRegressor(5), WeightedRidge(), pseudo_label_weights="confidence",
        cv=cv,
    ).fit(X, Y)
    preds = np.stack([
        KNeighborsRegressor(5).fit(X[:50][tr], Y[:50][tr]).predict(X)
        for tr, _ in cv.split(X[:50])
    ])
    var = preds.var(axis=0).mean(axis=1)
    np.testing.assert_allclose(
        w2s.pseudo_label_confidence_, 1 / (1 + var / np.median(var)), rtol=1e-10
    )
    assert w2s.round_agreement_.shape == (1,)


@pytest.mark.parametrize("mode", ["soft", "hard"])
def test_classifier_trust_with_true_labels_appended(mode):
    X, y = _clf_semi()
    w2s = _clf(pseudo_labels=mode, pseudo_label_weights="confidence",
               pseudo_label_filter=0.5, student_targets="pseudo+true",
               n_rounds=2, confidence_weight=0.3).fit(X, y)
    assert w2s.kept_rows_.sum() == 70 and w2s.dropped_rows_.sum() == 70
    np.testing.assert_array_equal(w2s.true_label_rows_, y != -1)
    assert w2s.round_agreement_.shape == (2,)


def test_partial_fit_refuses_the_fit_only_trust_options():
    from sklearn.linear_model import SGDRegressor

    X, y = _semi()
    X_old, y_old = make_w2s_regression(n_samples=60, n_features=6, random_state=9)
    frozen = FrozenEstimator(BayesianRidge().fit(X_old, y_old))
    w2s = WeakToStrongRegressor(frozen, SGDRegressor(random_state=0),
                                pseudo_label_filter=0.5)
    assert not hasattr(w2s, "partial_fit")
    with pytest.raises(AttributeError, match="partial_fit"):
        w2s.partial_fit(X)
    w2s.set_params(pseudo_label_filter=None).partial_fit(X)
    assert hasattr(w2s, "student_")
