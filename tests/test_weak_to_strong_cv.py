"""Tests of WeakToStrongRegressorCV against the equivalent GridSearchCV."""

import warnings

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.metrics import make_scorer, mean_absolute_error
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.tree import DecisionTreeRegressor

from skw2s import WeakToStrongRegressor, WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.metrics import neg_mse_nan_scorer
from skw2s.model_selection import LabeledSplit

ALPHAS = np.logspace(-2, 3, 8)


def _data(n, d, seed=0, noise=1.0):
    return make_w2s_regression(
        n_samples=n, n_features=d, noise=noise, signal=4.0, random_state=seed
    )


def _assert_same_as_grid(
    search,
    X,
    y,
    *,
    sample_weight=None,
    grid_scoring=None,
    grid_cv=None,
    param="student__alpha",
):
    """Fit ``search`` and the equivalent GridSearchCV; compare everything."""
    student = search.student if search.student is not None else WeightedRidge()
    w2s = WeakToStrongRegressor(
        search.teacher,
        student,
        teacher_size=search.teacher_size,
        cv=search.teacher_cv,
        random_state=search.random_state,
    )
    grid = GridSearchCV(
        w2s,
        {param: list(search.alphas)},
        cv=search.cv if grid_cv is None else grid_cv,
        scoring=search.scoring if grid_scoring is None else grid_scoring,
        error_score="raise",
    )
    kw = {} if sample_weight is None else {"sample_weight": sample_weight}
    grid.fit(X, y, **kw)
    search.fit(X, y, **kw)
    res, ref = search.cv_results_, grid.cv_results_
    assert search.n_splits_ == grid.n_splits_
    for k in range(search.n_splits_):
        np.testing.assert_allclose(
            res[f"split{k}_test_score"], ref[f"split{k}_test_score"], rtol=0, atol=1e-8
        )
    for key in ("mean_test_score", "std_test_score"):
        np.testing.assert_allclose(res[key], ref[key], rtol=0, atol=1e-8)
    np.testing.assert_array_equal(res["rank_test_score"], ref["rank_test_score"])
    assert search.best_index_ == grid.best_index_
    assert search.alpha_ == grid.best_params_[param]
    assert search.best_score_ == pytest.approx(grid.best_score_, abs=1e-8)
    np.testing.assert_allclose(
        search.predict(X), grid.predict(X), rtol=1e-9, atol=1e-9
    )
    return search, grid


def _diag_penalty(d, seed=1):
    g = np.random.default_rng(seed).uniform(0.2, 3.0, d)
    g[0] = 0.0  # one unpenalized coefficient
    return g


def _full_penalty(d, seed=2):
    A = np.random.default_rng(seed).standard_normal((d, d))
    return A @ A.T / d + 0.5 * np.eye(d)


@pytest.mark.parametrize(
    "n, d, penalty",
    [
        (150, 12, None),  # n > d: primal side
        (60, 120, None),  # n < d: dual side
        (150, 12, "diag"),
        (60, 120, "diag"),
        (150, 12, "full"),
        (60, 80, "full"),
    ],
)
def test_matches_grid_search_shapes_and_penalties(n, d, penalty):
    X, y = _data(n, d)
    pw = {None: None, "diag": _diag_penalty(d), "full": _full_penalty(d)}[penalty]
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2),
        WeightedRidge(penalty_weights=pw),
        alphas=ALPHAS,
        cv=5,
        teacher_size=0.4,
        random_state=0,
    )
    _assert_same_as_grid(search, X, y)
    np.testing.assert_array_equal(search.student_.get_params()["penalty_weights"], pw)
    assert search.student_.alpha == search.alpha_


def test_selection_is_not_trivial():
    """The compared scores vary with alpha and the best is interior."""
    X, y = _data(300, 40, noise=2.0)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-3), alphas=ALPHAS, teacher_size=0.3, random_state=0
    )
    _assert_same_as_grid(search, X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.ptp(scores) > 0.05
    assert 0 < search.best_index_ < ALPHAS.size - 1


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("n, d", [(140, 15), (50, 90)])
def test_matches_grid_search_sample_weight(n, d, fit_intercept):
    """Weighted fits and weighted test scores, as GridSearchCV does."""
    X, y = _data(n, d)
    sw = np.random.default_rng(3).uniform(0.1, 3.0, X.shape[0])
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=0.1),
        WeightedRidge(penalty_weights=_diag_penalty(d), fit_intercept=fit_intercept),
        alphas=ALPHAS,
        cv=4,
        random_state=1,
    )
    _assert_same_as_grid(search, X, y, sample_weight=sw)


def test_matches_grid_search_with_unlabeled_rows():
    X, y = _data(200, 20)
    y = y.copy()
    y[np.random.default_rng(4).random(200) < 0.4] = np.nan
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2),
        alphas=ALPHAS,
        cv=5,
        scoring="neg_mean_squared_error",
    )
    _, grid = _assert_same_as_grid(
        search, X, y, grid_cv=LabeledSplit(5), grid_scoring=neg_mse_nan_scorer
    )
    # unlabeled rows are student rows of the refit, never teacher rows
    assert not (search.teacher_rows_ & np.isnan(y)).any()
    assert search.student_rows_[np.isnan(y)].all()


@pytest.mark.parametrize(
    "scoring",
    ["r2", "neg_mean_absolute_error", make_scorer(mean_absolute_error)],
    ids=["r2", "neg_mae", "callable"],
)
def test_matches_grid_search_scoring(scoring):
    X, y = _data(120, 10)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2), alphas=ALPHAS, cv=3, scoring=scoring, random_state=0
    )
    _assert_same_as_grid(search, X, y)


def test_matches_grid_search_tree_teacher():
    X, y = _data(160, 8)
    search = WeakToStrongRegressorCV(
        DecisionTreeRegressor(max_depth=3, random_state=0),
        WeightedRidge(),
        alphas=ALPHAS,
        cv=KFold(4, shuffle=True, random_state=0),
        random_state=np.random.RandomState(5),
    )
    _assert_same_as_grid(search, X, y)


def test_matches_grid_search_frozen_teacher():
    X_t, y_t = _data(80, 10, seed=1)
    teacher = FrozenEstimator(WeightedRidge(alpha=1.0).fit(X_t, y_t))
    X, y = _data(100, 10, seed=2)
    search = WeakToStrongRegressorCV(teacher, alphas=ALPHAS, cv=4)
    _assert_same_as_grid(search, X, y)
    assert search.teacher_ is teacher
    assert search.student_rows_.all()
    np.testing.assert_allclose(search.pseudo_labels_, teacher.predict(X))


def test_matches_grid_search_cross_fitting():
    X, y = _data(150, 10)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2),
        alphas=ALPHAS,
        cv=3,
        teacher_cv=3,
        random_state=0,
    )
    _assert_same_as_grid(search, X, y)


def test_fallback_student_warns_and_matches_grid_search():
    X, y = _data(120, 10)
    student = make_pipeline(StandardScaler(), Ridge())  # no declared path
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2), student, alphas=ALPHAS[:4], cv=3, random_state=0
    )
    with pytest.warns(UserWarning, match="no regularization path"):
        _assert_same_as_grid(search, X, y, param="student__ridge__alpha")
    assert search.student_[-1].alpha == search.alpha_


@pytest.mark.parametrize("scoring", [None, "neg_mean_absolute_error"])
def test_pipeline_of_transformers_keeps_the_path(scoring):
    """Scaler + PCA-free transforms fit once per fold: same as GridSearchCV."""
    X, y = _data(150, 12, seed=2)
    X = X * np.linspace(0.1, 10.0, 12) + 3.0  # scaling matters
    student = make_pipeline(
        StandardScaler(), PolynomialFeatures(1), WeightedRidge(penalty_weights=None)
    )
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2), student, alphas=ALPHAS, cv=3, scoring=scoring,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback warning
        _assert_same_as_grid(search, X, y, param="student__weightedridge__alpha")
    assert search.student_[-1].alpha == search.alpha_


def test_fitted_attributes_mirror_refit():
    X, y = _data(120, 10)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2), alphas=[1.0, 10.0], cv=3, random_state=0
    ).fit(X, y)
    best = search.best_estimator_
    assert isinstance(best, WeakToStrongRegressor)
    assert search.teacher_ is best.teacher_ and search.student_ is best.student_
    np.testing.assert_array_equal(search.teacher_rows_, best.teacher_rows_)
    np.testing.assert_array_equal(search.student_rows_, best.student_rows_)
    np.testing.assert_array_equal(search.pseudo_labels_, best.pseudo_labels_)
    assert search.n_features_in_ == 10
    assert search.cv_results_["params"] == [{"alpha": 1.0}, {"alpha": 10.0}]
    assert list(search.cv_results_["param_alpha"]) == [1.0, 10.0]
    assert search.score(X, y) == pytest.approx(best.score(X, y))


# --------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "alphas, match",
    [
        ([], "alphas is empty"),
        ([1.0, -0.5], "non-negative"),
        ([1.0, np.nan], "finite"),
        ([[1.0, 2.0]], "1-D"),
        (["a", "b"], "real numbers"),
    ],
)
def test_bad_alphas(alphas, match):
    X, y = _data(40, 5)
    with pytest.raises(ValueError, match=match):
        WeakToStrongRegressorCV(WeightedRidge(), alphas=alphas, cv=3).fit(X, y)


def test_student_without_alpha_raises():
    X, y = _data(40, 5)
    search = WeakToStrongRegressorCV(
        WeightedRidge(), DecisionTreeRegressor(), alphas=[1.0], cv=3
    )
    with pytest.raises(ValueError, match="no parameter named 'alpha'"):
        search.fit(X, y)


def test_sample_weight_needs_a_student_that_accepts_it():
    from sklearn.neighbors import KNeighborsRegressor

    X, y = _data(40, 5)
    search = WeakToStrongRegressorCV(
        WeightedRidge(), make_pipeline(StandardScaler(), KNeighborsRegressor()),
        alphas=[1.0], cv=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(ValueError, match="does not accept sample_weight"):
            search.fit(X, y, sample_weight=np.ones(40))


def test_sample_weight_reaches_a_pipeline_students_final_step():
    """The weight rule of the meta-estimators: the path and the refit give the
    weights to the Pipeline's final step (its scaler is fit unweighted)."""
    X, y = _data(60, 5)
    w = np.random.default_rng(1).uniform(0.2, 3.0, 60)
    student = make_pipeline(StandardScaler(), WeightedRidge())
    search = WeakToStrongRegressorCV(WeightedRidge(), student, alphas=[0.1, 10.0],
                                     cv=3, random_state=0)
    search.fit(X, y, sample_weight=w)
    best = search.best_estimator_
    rows = best.student_rows_
    ref = make_pipeline(StandardScaler(), WeightedRidge(alpha=search.alpha_)).fit(
        X[rows], best.pseudo_labels_[rows], weightedridge__sample_weight=w[rows]
    )
    np.testing.assert_allclose(search.predict(X), ref.predict(X), rtol=1e-10)
    unweighted = WeakToStrongRegressorCV(
        WeightedRidge(), student, alphas=[0.1, 10.0], cv=3, random_state=0
    ).fit(X, y)
    assert not np.allclose(unweighted.cv_results_["mean_test_score"],
                           search.cv_results_["mean_test_score"])


def test_too_few_labeled_rows_for_the_folds():
    X, y = _data(40, 5)
    y = y.copy()
    y[3:] = np.nan
    with pytest.raises(ValueError, match="cv=5 folds need at least 5 labeled rows"):
        WeakToStrongRegressorCV(WeightedRidge(), cv=5).fit(X, y)
    with pytest.raises(ValueError, match="no labeled rows"):
        WeakToStrongRegressorCV(WeightedRidge(), cv=5).fit(X, np.full(40, np.nan))


def test_empty_test_fold_raises():
    X, y = _data(40, 5)
    folds = [(np.arange(20), np.arange(20, 40)), (np.arange(40), np.array([], int))]
    with pytest.raises(ValueError, match="no labeled row in test fold 1"):
        WeakToStrongRegressorCV(WeightedRidge(), cv=folds).fit(X, y)


@pytest.mark.parametrize("n, d", [(150, 12), (60, 120)])
def test_alpha_zero_in_the_grid(n, d):
    """alpha=0 is the minimum-norm student on both sides, as WeightedRidge."""
    X, y = _data(n, d)
    search = WeakToStrongRegressorCV(
        WeightedRidge(alpha=1e-2),
        alphas=np.r_[0.0, ALPHAS],
        cv=3,
        scoring="neg_mean_squared_error",
        random_state=0,
    )
    _assert_same_as_grid(search, X, y)


