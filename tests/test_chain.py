"""Tests of WeakToStrongChain: stages, shares, grid search, measured benefit."""

import numpy as np
import pytest
from sklearn.base import is_classifier, is_regressor
from sklearn.linear_model import BayesianRidge, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from skw2s import WeakToStrongChain, WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_regression


def _semi(n=200, n_lab=50, d=5, seed=0):
    X, y = make_w2s_regression(n_samples=n, n_features=d, random_state=seed)
    y = y.copy()
    y[n_lab:] = np.nan
    return X, y


def _chain(**kw):
    return WeakToStrongChain(
        [("weak", WeightedRidge(alpha=1e-3)),
         ("mid", KNeighborsRegressor(n_neighbors=5)),
         ("strong", WeightedRidge(alpha=3.0))],
        random_state=0, **kw,
    )


def test_each_stage_is_fit_on_the_previous_stages_labels_of_its_share():
    X, y = _semi()
    chain = _chain(sizes=[0.25, 0.75]).fit(X, y)
    rows = chain.stage_rows_
    np.testing.assert_array_equal(np.bincount(rows), [50, 38, 112])
    np.testing.assert_array_equal(rows[:50], 0)
    weak = WeightedRidge(alpha=1e-3).fit(X[:50], y[:50])
    mid = KNeighborsRegressor(n_neighbors=5).fit(X[rows == 1],
                                                 weak.predict(X[rows == 1]))
    strong = WeightedRidge(alpha=3.0).fit(X[rows == 2], mid.predict(X[rows == 2]))
    np.testing.assert_array_equal(chain.estimators_[0].coef_, weak.coef_)
    np.testing.assert_array_equal(chain.estimators_[2].coef_, strong.coef_)
    np.testing.assert_array_equal(chain.predict(X), strong.predict(X))
    assert chain.named_estimators_.mid is chain.estimators_[1]
    assert len(chain.links_) == 2
    assert chain.links_[1].teacher_.estimator is chain.estimators_[1]
    assert chain.score(X[:50], y[:50]) == pytest.approx(
        strong.score(X[:50], y[:50])
    )


def test_two_stage_chain_is_weak_to_strong_on_the_unlabeled_rows():
    X, y = _semi()
    chain = WeakToStrongChain(
        [("weak", WeightedRidge(alpha=1e-3)), ("strong", WeightedRidge(alpha=3.0))]
    ).fit(X, y)
    w2s = WeakToStrongRegressor(
        WeightedRidge(alpha=1e-3), WeightedRidge(alpha=3.0)
    ).fit(X, y)
    np.testing.assert_allclose(chain.predict(X), w2s.predict(X), rtol=1e-12)


def test_integer_sizes_and_every_row_labeled():
    X, y = _semi()
    chain = _chain(sizes=[100, 50]).fit(X, y)
    np.testing.assert_array_equal(np.bincount(chain.stage_rows_), [50, 100, 50])
    X, y = make_w2s_regression(n_samples=100, n_features=5, random_state=1)
    chain = _chain(teacher_size=0.3).fit(X, y)
    np.testing.assert_array_equal(np.bincount(chain.stage_rows_), [30, 35, 35])


def test_trust_options_reach_every_link():
    X, y = _semi()
    chain = WeakToStrongChain(
        [("weak", BayesianRidge()), ("mid", BayesianRidge(alpha_1=1.0)),
         ("strong", WeightedRidge())],
        pseudo_label_filter=0.5, random_state=0,
    ).fit(X, y)
    for link, k in zip(chain.links_, (1, 2), strict=True):
        assert link.kept_rows_.sum() == 38  # ceil(0.5 * 75)
        assert link.pseudo_label_filter == 0.5
        assert np.sum(chain.stage_rows_ == k) == 75


def test_grid_search_over_stage_parameters():
    X, y = make_w2s_regression(n_samples=150, n_features=5, random_state=2)
    search = GridSearchCV(
        _chain(),
        {"mid__n_neighbors": [3, 15], "strong__alpha": [0.1, 10.0]},
        cv=3,
    ).fit(X, y)
    assert set(search.best_params_) == {"mid__n_neighbors", "strong__alpha"}
    assert search.best_estimator_.named_estimators_.mid.n_neighbors in (3, 15)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    # replacing a whole stage by name
    chain = _chain().set_params(mid=Ridge(alpha=2.0))
    assert chain.get_params()["mid__alpha"] == 2.0


def test_kind_follows_the_last_stage():
    chain = _chain()
    assert is_regressor(chain) and not is_classifier(chain)


# ------------------------------------------------------------ measured benefit
def _sine(seed, n_lab=60, n_unl=600, n_test=1000):
    rng = np.random.default_rng(seed)

    def f(X):
        return np.sin(2 * X[:, 0]) + 0.5 * X[:, 1]

    X = rng.uniform(-2, 2, (n_lab + n_unl, 2))
    y = f(X) + 0.5 * rng.standard_normal(X.shape[0])
    y[n_lab:] = np.nan
    X_t = rng.uniform(-2, 2, (n_test, 2))
    return X, y, X_t, f(X_t)


@pytest.mark.parametrize(
    "mid, helps",
    [(KNeighborsRegressor(n_neighbors=20), True), (Ridge(alpha=1.0), False)],
    ids=["smoothing-knn-helps", "linear-mid-hurts"],
)
def test_an_intermediate_stage_measured_against_direct_w2s(mid, helps):
    """1-NN weak labels are noisy; a tree student copies the noise. A k-NN
    intermediate averages it out (helps); a linear intermediate cannot express
    the sine and passes on its bias (hurts). Paired over 6 seeds."""
    weak = KNeighborsRegressor(n_neighbors=1)
    strong = DecisionTreeRegressor(min_samples_leaf=3, random_state=0)
    diff = []
    for seed in range(6):
        X, y, X_t, f_t = _sine(seed)
        direct = WeakToStrongRegressor(weak, strong).fit(X, y)
        chain = WeakToStrongChain(
            [("weak", weak), ("mid", mid), ("strong", strong)], random_state=seed
        ).fit(X, y)
        diff.append(np.mean((direct.predict(X_t) - f_t) ** 2)
                    - np.mean((chain.predict(X_t) - f_t) ** 2))
    diff = np.asarray(diff)
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    if helps:
        assert diff.mean() > 4 * se, diff
    else:
        assert diff.mean() < -4 * se, diff


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(sizes=[1.0]), ValueError, "one entry per stage"),
        (dict(sizes=[0.5, 0.2]), ValueError, "sum to 1"),
        (dict(sizes=[100, 10]), ValueError, "sum to the 150 rows"),
        (dict(sizes=[0.0, 1.0]), ValueError, "positive"),
        (dict(pseudo_label_filter=0.0), InvalidParameterError, "filter"),
        (dict(teacher_size=1.5), InvalidParameterError, "teacher_size"),
    ],
)
def test_bad_sizes_and_parameters(kwargs, error, match):
    X, y = _semi()
    with pytest.raises(error, match=match):
        _chain(**kwargs).fit(X, y)


def test_bad_stages():
    X, y = _semi()
    with pytest.raises(ValueError, match="at least two estimators"):
        WeakToStrongChain([("only", WeightedRidge())]).fit(X, y)
    with pytest.raises(TypeError, match="not a regressor"):
        WeakToStrongChain(
            [("a", DecisionTreeClassifier()), ("b", WeightedRidge())]
        ).fit(X, y)
    with pytest.raises(TypeError, match="tuples"):
        WeakToStrongChain([WeightedRidge(), WeightedRidge()]).fit(X, y)
    with pytest.raises(ValueError, match="requires y to be passed"):
        _chain().fit(X, None)
    with pytest.raises(ValueError, match="no labeled rows"):
        _chain().fit(X, np.full(X.shape[0], np.nan))


def test_classification_chain():
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    from skw2s import WeakToStrongClassifier
    from skw2s.datasets import make_w2s_classification

    X, y = make_w2s_classification(n_samples=300, n_features=5, random_state=0)
    y = y.copy()
    y[60:] = -1
    chain = WeakToStrongChain(
        [("weak", DecisionTreeClassifier(max_depth=2, random_state=0)),
         ("mid", KNeighborsClassifier(n_neighbors=10)),
         ("strong", LogisticRegression())],
        random_state=0,
    )
    assert is_classifier(chain) and not is_regressor(chain)
    chain.fit(X, y)
    np.testing.assert_array_equal(chain.classes_, [0, 1])
    assert all(isinstance(link, WeakToStrongClassifier) for link in chain.links_)
    assert chain.predict_proba(X[:3]).shape == (3, 2)
    rows = chain.stage_rows_
    # stage 2 learns from stage 1's soft labels on its own share
    mid = chain.estimators_[1]
    np.testing.assert_allclose(chain.links_[1].pseudo_labels_,
                               mid.predict_proba(X[rows == 2]))
    search = GridSearchCV(chain, {"strong__C": [0.1, 1.0]}, cv=3).fit(
        X[:60], y[:60]
    )
    assert search.best_params_["strong__C"] in (0.1, 1.0)
