"""One unlabeled-row rule for every score: -1, NaN, None and pd.NA rows are
skipped by WeakToStrongClassifier.score, WeakToStrongRegressor.score and every
skw2s scorer; a fold without labeled rows points to LabeledSplit."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeClassifier

from skw2s import WeakToStrongClassifier, WeakToStrongRegressor, WeightedRidge
from skw2s.datasets import make_w2s_classification, make_w2s_regression
from skw2s.metrics import (
    accuracy_nan_scorer,
    neg_log_loss_nan_scorer,
    neg_mse_nan_scorer,
    r2_nan_scorer,
)
from skw2s.model_selection import LabeledSplit


def _class_markers(y, unl, kind):
    if kind == "-1":
        out = y.copy()
        out[unl] = -1
    elif kind == "nan":
        out = y.astype(float)
        out[unl] = np.nan
    elif kind == "none":
        out = y.astype(object)
        out[unl] = None
    else:  # pd.NA in a nullable integer array
        out = pd.array(np.where(unl, 0, y), dtype="Int64")
        out[unl] = pd.NA
    return out


@pytest.fixture(scope="module")
def classification():
    X, y = make_w2s_classification(2400, 6, random_state=0)
    y = np.asarray(y)
    unl = np.zeros(y.size, dtype=bool)
    unl[300:] = True
    w2s = WeakToStrongClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                                 LogisticRegression())
    w2s.fit(X, np.where(unl, -1, y))
    return X, y, unl, w2s


@pytest.mark.parametrize("kind", ["-1", "nan", "none", "pd.NA"])
def test_classifier_score_and_scorers_skip_marked_rows(classification, kind):
    X, y, unl, w2s = classification
    y_marked = _class_markers(y, unl, kind)
    lab = ~unl
    accuracy = np.mean(w2s.predict(X[lab]) == y[lab])  # computed independently
    assert w2s.score(X, y_marked) == pytest.approx(accuracy)
    assert accuracy_nan_scorer(w2s, X, y_marked) == pytest.approx(accuracy)
    assert neg_log_loss_nan_scorer(w2s, X, y_marked) == pytest.approx(
        neg_log_loss_nan_scorer(w2s, X[lab], y[lab])
    )
    # weights of skipped rows are dropped
    w = np.linspace(0.5, 2.0, y.size)
    ref = np.average(w2s.predict(X[lab]) == y[lab], weights=w[lab])
    assert w2s.score(X, y_marked, sample_weight=w) == pytest.approx(ref)


@pytest.mark.parametrize("kind", ["nan", "none", "pd.NA"])
def test_regressor_score_and_scorers_skip_marked_rows(kind):
    X, y = make_w2s_regression(400, 10, random_state=0)
    unl = np.arange(400) >= 100
    y_fit = np.where(unl, np.nan, y)
    w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3), WeightedRidge(alpha=10.0),
                                random_state=0).fit(X, y_fit)
    if kind == "nan":
        y_marked = y_fit
    elif kind == "none":
        y_marked = y.astype(object)
        y_marked[unl] = None
    else:
        y_marked = pd.array(y, dtype="Float64")
        y_marked[unl] = pd.NA
    pred = w2s.predict(X[:100])
    mse = np.mean((y[:100] - pred) ** 2)
    r2 = 1 - mse / np.var(y[:100])
    assert w2s.score(X, y_marked) == pytest.approx(r2)
    assert r2_nan_scorer(w2s, X, y_marked) == pytest.approx(r2)
    assert neg_mse_nan_scorer(w2s, X, y_marked) == pytest.approx(-mse)


def test_grid_search_default_scoring_selects_on_labeled_rows(classification):
    """300 labeled and 2100 rows marked -1: the default score of every
    candidate is its accuracy on the labeled test rows (not ~0.1 from
    counting -1 as a wrong label), with plain KFold and with LabeledSplit."""
    X, y, unl, _ = classification
    y_marked = np.where(unl, -1, y)
    w2s = WeakToStrongClassifier(DecisionTreeClassifier(max_depth=2, random_state=0),
                                 LogisticRegression())
    grid = {"student__C": [1e-4, 1.0]}
    for cv in (KFold(3, shuffle=True, random_state=0), LabeledSplit(3)):
        search = GridSearchCV(w2s, grid, cv=cv).fit(X, y_marked)
        for k, (train, test) in enumerate(cv.split(X, y_marked)):
            est = w2s.set_params(student__C=1.0).fit(X[train], y_marked[train])
            test = test[~unl[test]]
            ref = np.mean(est.predict(X[test]) == y[test])
            assert search.cv_results_[f"split{k}_test_score"][1] == pytest.approx(ref)
        assert search.cv_results_["mean_test_score"].min() > 0.5


def test_a_fold_without_labeled_rows_points_to_labeled_split(classification):
    X, y, unl, w2s = classification
    with pytest.raises(ValueError, match="LabeledSplit"):
        w2s.score(X[unl], np.full(unl.sum(), -1))
    with pytest.raises(ValueError, match="LabeledSplit"):
        accuracy_nan_scorer(w2s, X[unl], np.full(unl.sum(), -1))
    reg = WeakToStrongRegressor(WeightedRidge(), WeightedRidge())
    Xr, yr = make_w2s_regression(60, 3, random_state=0)
    reg.fit(Xr, yr)
    with pytest.raises(ValueError, match="LabeledSplit"):
        neg_mse_nan_scorer(reg, Xr, np.full(60, np.nan))
    # in fit: a training fold whose rows are all unlabeled (unshuffled KFold
    # on data sorted labeled-first) cannot train the teacher
    y_sorted = np.where(unl, -1, y)
    search = GridSearchCV(w2s, {"student__C": [1.0]}, cv=KFold(2),
                          error_score="raise")
    with pytest.raises(ValueError, match="LabeledSplit"):
        search.fit(X, y_sorted)
    # a test fold of unlabeled rows only: the score's error
    with pytest.raises(ValueError, match="LabeledSplit"):
        GridSearchCV(w2s, {"student__C": [1.0]}, cv=[(np.arange(600), unl.nonzero()[
            0][-300:])], error_score="raise").fit(X, y_sorted)


def _one_leaf_data(p_right):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (600, 1))
    right = (rng.random(600) < p_right).astype(int)
    y = np.where(x[:, 0] > 0, right, (rng.random(600) < 0.4).astype(int))
    y[200:] = -1
    return x, y


@pytest.mark.parametrize("option", [{"threshold": 0.8},
                                    {"pseudo_label_filter": 0.3}])
def test_a_filter_leaving_one_class_raises_or_warns(option):
    # a pure right leaf: every kept row is class 1 with probability 1
    x, y = _one_leaf_data(1.0)
    for mode in ("hard", "soft"):
        w2s = WeakToStrongClassifier(
            DecisionTreeClassifier(max_depth=1, random_state=0),
            LogisticRegression(), pseudo_labels=mode, **option,
        )
        with pytest.raises(ValueError, match="single class"):
            w2s.fit(x, y)
    # a 90% right leaf: soft labels keep class 0 with weight 0.1, a warning
    x, y = _one_leaf_data(0.9)
    w2s = WeakToStrongClassifier(
        DecisionTreeClassifier(max_depth=1, random_state=0), LogisticRegression(),
        pseudo_labels="soft", **option,
    )
    with pytest.warns(UserWarning, match="single class") as record:
        w2s.fit(x, y)
    assert record[0].filename == __file__  # points at the user's fit
    # pseudo+true adds the labeled rows of both classes: no complaint
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w2s.set_params(student_targets="pseudo+true").fit(x, y)
