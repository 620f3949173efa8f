"""Each contender tuned for its own rows (skw2s.model_selection._tuning)."""

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import (
    WeakToStrongClassifier,
    WeakToStrongRegressor,
    WeakToStrongRegressorCV,
    WeightedRidge,
)
from skw2s.model_selection import LabeledSplit
from skw2s.model_selection._tuning import (
    _InnerKFold,
    _loo_errors,
    _RidgeAlphaLOO,
    check_param_grid,
    fitted_params,
    format_params,
    summarize_params,
    tuned,
    tuned_w2s,
)

ALPHAS = [0.01, 1.0, 10.0, 100.0]


def _brute_loo(X, y, alpha, pw, w, fit_intercept):
    errors, weights = [], []
    for i in range(X.shape[0]):
        keep = np.arange(X.shape[0]) != i
        est = WeightedRidge(alpha=alpha, penalty_weights=pw,
                            fit_intercept=fit_intercept)
        est.fit(X[keep], y[keep], sample_weight=None if w is None else w[keep])
        errors.append((y[i] - est.predict(X[i:i + 1])[0]) ** 2)
        weights.append(1.0 if w is None else w[i])
    return np.average(errors, weights=weights)


@pytest.mark.parametrize(
    "n, d, penalty, weighted, fit_intercept",
    [(30, 5, None, False, True), (20, 40, None, False, True),
     (30, 5, "diag", True, True), (25, 8, None, True, False),
     (30, 5, "full", False, True)],
)
def test_leave_one_out_path_equals_refitting_without_each_row(
    n, d, penalty, weighted, fit_intercept
):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, d))
    y = X[:, 0] + rng.normal(size=n)
    pw = {"diag": np.linspace(0.5, 2.0, d), "full": None, None: None}[penalty]
    if penalty == "full":
        A = rng.normal(size=(d, d))
        pw = A @ A.T + np.eye(d)
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    loo = _loo_errors(X, y, ALPHAS, w, pw, fit_intercept)
    brute = [_brute_loo(X, y, a, pw, w, fit_intercept) for a in ALPHAS]
    np.testing.assert_allclose(loo, brute, rtol=1e-10)


def test_ridge_grid_is_the_leave_one_out_path_and_agrees_with_ridgecv():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 8))
    y = X @ rng.normal(size=8) + rng.normal(size=60) * 3
    alphas = [0.1, 1.0, 3.0, 10.0, 30.0, 100.0]
    for est in (WeightedRidge(), Ridge()):
        search = tuned(est, {"alpha": alphas})
        assert isinstance(search, _RidgeAlphaLOO)
        search.fit(X, y)
        # scikit-learn's own leave-one-out (RidgeCV, efficient LOO) is the
        # independent reference
        assert search.alpha_ == RidgeCV(alphas=alphas).fit(X, y).alpha_
        assert fitted_params(search) == {"alpha": search.alpha_}
        np.testing.assert_allclose(
            search.predict(X),
            type(est)(alpha=search.alpha_).fit(X, y).predict(X),
        )
    pipe = make_pipeline(StandardScaler(), WeightedRidge())
    search = tuned(pipe, {"weightedridge__alpha": alphas}).fit(X, y)
    assert set(fitted_params(search)) == {"alpha"}


def test_unpenalized_directions_fall_back_to_folds_along_the_path():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 4))
    y = X[:, 0] + rng.normal(size=50)
    est = WeightedRidge(penalty_weights=np.array([0.0, 1.0, 1.0, 1.0]))
    assert _loo_errors(X, y, ALPHAS, None, est.penalty_weights, True) is None
    search = tuned(est, {"alpha": ALPHAS}).fit(X, y)
    assert search.alpha_ in ALPHAS and np.isfinite(search.cv_errors_).all()


def test_other_grids_are_an_inner_grid_search_on_the_rows_given():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=40) > 0).astype(int)
    search = tuned(LogisticRegression(), {"C": [0.01, 1.0, 100.0]}, scoring="accuracy")
    assert isinstance(search, GridSearchCV)
    search.fit(X, y)
    assert fitted_params(search) == {"C": search.best_params_["C"]}
    # no grid: the estimator as it is (a self-tuning one tunes itself)
    plain = tuned(RidgeCV(alphas=ALPHAS))
    assert isinstance(plain, RidgeCV)
    assert fitted_params(plain.fit(X, y.astype(float))) == {"alpha": plain.alpha_}


def test_inner_folds_shrink_to_what_the_classes_allow():
    y = np.array([0] * 10 + [1] * 3)
    X = np.zeros((13, 1))
    cv = _InnerKFold(5, classifier=True)
    assert cv.get_n_splits(X, y) == 3
    for _, test in cv.split(X, y):
        assert (y[test] == 1).sum() == 1
    assert _InnerKFold(5, classifier=True).get_n_splits(X, np.r_[[0] * 12, 1]) == 5
    assert _InnerKFold(5).get_n_splits(np.zeros((3, 1))) == 3


def test_w2s_student_is_tuned_on_held_out_true_labels():
    """The fast path (WeakToStrongRegressorCV) and a GridSearchCV over the W2S
    estimator on the same LabeledSplit folds select the same alpha; both
    score true labels only."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 20))
    y = X @ rng.normal(size=20) + rng.normal(size=300)
    y[60:] = np.nan
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-6), WeightedRidge(),
                                random_state=0)
    fast = tuned_w2s(w2s, {"alpha": ALPHAS})
    assert isinstance(fast, WeakToStrongRegressorCV)
    fast.fit(X, y)
    grid = GridSearchCV(
        w2s, {"student__alpha": ALPHAS}, scoring="neg_mean_squared_error",
        cv=LabeledSplit(_InnerKFold(5)),
    ).fit(X, y)
    assert fast.alpha_ == grid.best_params_["student__alpha"]
    assert fitted_params(fast) == {"alpha": fast.alpha_}
    # an option the fast path does not reproduce: the generic search
    slow = tuned_w2s(w2s.set_params(n_rounds=2), {"alpha": ALPHAS})
    assert isinstance(slow, GridSearchCV)
    assert slow.param_grid == {"student__alpha": ALPHAS}
    assert fitted_params(slow.fit(X, y)) == {"alpha": slow.best_params_[
        "student__alpha"]}


def test_w2s_classifier_grid_and_fitted_params_through_wrappers():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    y[60:] = -1
    w2s = WeakToStrongClassifier(LogisticRegression(C=0.01), LogisticRegression())
    search = tuned_w2s(w2s, {"C": [0.1, 10.0]}).fit(X, y)
    assert isinstance(search, GridSearchCV)
    assert fitted_params(search) == {"C": search.best_params_["student__C"]}
    teacher = FrozenEstimator(LogisticRegression().fit(X[:60], y[:60]))
    assert fitted_params(teacher) == {}
    assert fitted_params(WeightedRidge().fit(X, y.astype(float))) == {}


def test_param_grid_validation_and_formatting():
    with pytest.raises(ValueError, match="param_grids\\['s'\\] must be a dict"):
        check_param_grid("alpha", "param_grids['s']")
    with pytest.raises(ValueError, match="is empty"):
        check_param_grid({"alpha": []})
    with pytest.raises(ValueError, match="list of candidate values"):
        check_param_grid({"alpha": 3.0})
    with pytest.raises(ValueError, match="has no parameter 'gamma'"):
        tuned(WeightedRidge(), {"gamma": [1.0]})
    assert format_params({"alpha": 10.0, "C": 0.123456}) == "alpha=10, C=0.123"
    assert summarize_params([{"alpha": 1.0}] * 2) == "alpha=1"
    assert summarize_params([{"alpha": 10.0}] * 3 + [{"alpha": 100.0}] * 2) == (
        "alpha=10 (3/5 folds); alpha=100 (2/5)"
    )
    assert summarize_params([{}, {}]) == ""
