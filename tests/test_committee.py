"""TeacherCommittee and TeacherCommitteeClassifier: behaviour, recovery, errors.

The synthetic teachers are frozen "column" models: column 0 of ``X`` is the
truth, the other columns are noise (or noisy labels), so a teacher's errors
are known exactly. Tolerances come from standard errors fixed before looking.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeRegressor

from skw2s import (
    TeacherCommittee,
    TeacherCommitteeClassifier,
    WeakToStrongClassifier,
    WeakToStrongRegressor,
    WeightedRidge,
)
from skw2s._trust import predicts_std
from skw2s.datasets import make_w2s_classification, make_w2s_regression
from skw2s.model_selection import compare_w2s

SDS = np.array([0.3, 0.6, 1.0, 2.0])


class _Linear(RegressorMixin, BaseEstimator):
    """A trained model ``X @ weights`` (stands for a model trained elsewhere)."""

    def __init__(self, weights=None):
        self.weights = weights

    def fit(self, X, y=None):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.asarray(X) @ np.asarray(self.weights)


class _ColumnLabels(ClassifierMixin, BaseEstimator):
    """A trained classifier that reads its labels from one column of ``X``."""

    def __init__(self, column=0, classes=(0, 1)):
        self.column = column
        self.classes = classes

    def fit(self, X, y=None):
        self.classes_ = np.asarray(self.classes)
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        codes = np.asarray(X)[:, self.column].astype(int)
        if self.classes_.dtype.kind in "iu":
            return codes  # the column holds the labels themselves
        return self.classes_[codes]


def _frozen_linear(weights):
    weights = np.asarray(weights, dtype=float)
    return FrozenEstimator(_Linear(weights).fit(np.zeros((1, weights.size))))


def _noisy_teachers(rng, n, sds=SDS, cov=None):
    """``X`` = [y, noise...] and frozen teachers ``y + noise_j`` (s.d. ``sds``)."""
    k = len(sds)
    y = rng.normal(size=n) * 2 + 1
    if cov is None:
        noise = rng.normal(size=(n, k)) * sds
    else:
        noise = rng.multivariate_normal(np.zeros(k), cov, size=n)
    X = np.column_stack([y, noise])
    teachers = []
    for j in range(k):
        w = np.zeros(k + 1)
        w[[0, j + 1]] = 1.0
        teachers.append((f"t{j}", _frozen_linear(w)))
    return X, y, teachers


def _mse(pred, y):
    return float(np.mean((pred - y) ** 2))


# --------------------------------------------------------- regression: recovery
def test_label_free_recovers_variances_and_beats_the_best_teacher(rng):
    """Frozen teachers y + independent noise (s.d. 0.3, 0.6, 1, 2), no label.

    With n = 100 000 rows, 15 % of every variance is at least four standard
    errors of its estimate (closed form in tests/test_committee_math.py). The
    committee's error variance is 1 / sum(1 / s^2) = 0.066 against 0.09 for
    the best teacher: on 20 000 fresh rows the difference of the two MSEs has
    a s.e. near 0.001, so the comparison cannot go the wrong way by chance.
    """
    X, y, teachers = _noisy_teachers(rng, 100_000)
    committee = TeacherCommittee(teachers).fit(X)  # y omitted: frozen teachers
    assert committee.method_ == "label_free"  # auto, no label, check passed
    assert committee.independence_check_.passed
    np.testing.assert_allclose(committee.error_variances_, SDS**2, rtol=0.15)
    X_test, y_test, _ = _noisy_teachers(rng, 20_000)
    mse = _mse(committee.predict(X_test), y_test)
    best = min(_mse(t.predict(X_test), y_test) for t in committee.teachers_)
    assert mse < best
    assert mse == pytest.approx(1 / np.sum(1 / SDS**2), rel=0.05)


# Correlated errors: teacher 0 (s.d. 0.5) alone; teachers 1-3 (s.d. 1) share
# most of their errors (correlation 0.8). Error variances of the
# combinations (closed form): mean 8.05 / 16 = 0.503; inverse variances
# (diagonal) (16 * 0.25 + 7.8) / 49 = 0.241; full covariance
# 1 / (4 + 3 / 2.6) = 0.194.
CORRELATED = np.block([
    [np.array([[0.25]]), np.zeros((1, 3))],
    [np.zeros((3, 1)), 0.2 * np.eye(3) + 0.8],
])


def test_inverse_variance_with_labels_beats_the_mean_under_correlated_errors(rng):
    """200 labeled rows. The fresh-row MSEs (20 000 rows) have s.e. below 0.01,
    far below the gaps 0.50 -> 0.24 -> 0.19 between the combinations."""
    X, y, teachers = _noisy_teachers(rng, 2000, cov=CORRELATED)
    y_train = np.full(y.size, np.nan)
    y_train[:200] = y[:200]
    X_test, y_test, _ = _noisy_teachers(rng, 20_000, cov=CORRELATED)
    mse = {}
    for label, params in {
        "mean": {"method": "mean"},
        "diagonal": {"method": "inverse_variance", "shrinkage": 1.0},
        "full": {"method": "inverse_variance"},
    }.items():
        c = TeacherCommittee(teachers, **params).fit(X, y_train)
        mse[label] = _mse(c.predict(X_test), y_test)
    assert mse["full"] < mse["diagonal"] < mse["mean"]
    assert mse["full"] == pytest.approx(0.194, rel=0.15)
    full = TeacherCommittee(teachers, method="inverse_variance").fit(X, y_train)
    assert full.shrinkage_ < 0.2  # 200 rows: the correlations are kept
    assert full.error_covariance_[1, 2] > 0.5


def test_label_free_cannot_see_an_error_shared_by_a_majority(rng):
    """Teachers 1-3 share most of their errors: Var(f_a - f_b) is then exactly
    what independent errors of variances (1.05, 0.2, 0.2, 0.2) would give, so
    the pairwise equations fit and the label-free estimate is confidently
    wrong (the documented blind spot); labeled rows are needed to see it."""
    X, y, teachers = _noisy_teachers(rng, 20_000, cov=CORRELATED)
    c = TeacherCommittee(teachers, method="label_free").fit(X)
    np.testing.assert_allclose(c.error_variances_, [1.05, 0.2, 0.2, 0.2],
                               rtol=0.15)
    assert c.independence_check_.passed


# Teachers 2 and 3 (s.d. 1 and 2) share their errors (correlation 0.8).
CORRELATED_PAIR = np.diag(SDS**2)
CORRELATED_PAIR[2, 3] = CORRELATED_PAIR[3, 2] = 0.8 * 1.0 * 2.0


def test_label_free_warns_when_errors_are_correlated(rng):
    X, y, teachers = _noisy_teachers(rng, 20_000, cov=CORRELATED_PAIR)
    with pytest.warns(UserWarning, match="assumes that the teachers' errors are"):
        c = TeacherCommittee(teachers, method="label_free").fit(X)
    assert not c.independence_check_.passed
    assert c.independence_check_.pvalue < 0.01
    # "auto" without labels does not trust the failed check: equal weights
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        auto = TeacherCommittee(teachers).fit(X)
    assert auto.method_ == "mean"
    assert not auto.independence_check_.passed


def test_label_free_warns_on_a_negative_variance(rng):
    # teachers 1 and 2 err in opposite directions (correlation -0.96): they
    # differ by more than their distances to teacher 0 allow, so teacher 0's
    # variance comes out as (1.09 + 1.18 - 4.09) / 2 < 0
    n = 20_000
    y = rng.normal(size=n)
    z = rng.normal(size=(n, 3))
    X = np.column_stack([y, 0.3 * z[:, 2], z[:, 0], -z[:, 0] + 0.3 * z[:, 1]])
    teachers = []
    for j in range(3):
        w = np.zeros(4)
        w[[0, j + 1]] = 1.0
        teachers.append((f"t{j}", _frozen_linear(w)))
    with pytest.warns(UserWarning, match="non-positive"):
        c = TeacherCommittee(teachers, method="label_free").fit(X)
    assert np.all(c.error_variances_ > 0)


def test_cross_fitting_keeps_a_memorizing_teacher_honest(rng):
    """A fully grown tree has zero error on its own training rows; its
    out-of-fold errors show its real variance, so it does not take all the
    weight from a linear teacher that is better on new rows."""
    X, y = make_w2s_regression(n_samples=600, n_features=5, noise=0.5,
                               random_state=0)
    y_train = y.copy()
    y_train[300:] = np.nan
    c = TeacherCommittee(
        [("tree", DecisionTreeRegressor(random_state=0)),
         ("linear", LinearRegression())],
        method="inverse_variance",
    ).fit(X, y_train)
    assert c.error_variances_[0] > 0.25  # at least the label noise, 0.5 ** 2
    assert c.weights_[1] > c.weights_[0]


def test_unfitted_teachers_are_fit_on_the_labeled_rows_only(rng):
    X = rng.normal(size=(50, 2))
    y = np.full(50, np.nan)
    y[:10] = np.arange(10.0)
    c = TeacherCommittee([("a", DummyRegressor()), ("b", DummyRegressor())],
                         method="mean").fit(X, y)
    np.testing.assert_allclose(c.predict(X[:3]), 4.5)
    assert c.n_labeled_ == 10
    assert c.named_teachers_.a is c.teachers_[0]


def test_stacking_is_non_negative_least_squares_on_out_of_fold_predictions(rng):
    X, y = make_w2s_regression(n_samples=400, n_features=6, random_state=1)
    teachers = [
        ("left", make_pipeline(ColumnTransformer([("k", "passthrough", [0, 1, 2])]),
                               LinearRegression())),
        ("right", make_pipeline(ColumnTransformer([("k", "passthrough", [3, 4, 5])]),
                                LinearRegression())),
    ]
    c = TeacherCommittee(teachers, method="stacking").fit(X, y)
    # two teachers on complementary features: their sum, not their mean
    assert c.weights_.sum() > 1.5
    assert np.all(c.weights_ >= 0)


# ------------------------------------------------------------- the per-row spread
def test_return_std_of_the_mean_is_the_standard_error_of_the_teachers(rng):
    X, y, teachers = _noisy_teachers(rng, 30)
    c = TeacherCommittee(teachers, method="mean").fit(X)
    pred, std = c.predict(X, return_std=True)
    F = np.column_stack([t.predict(X) for t in c.teachers_])
    np.testing.assert_allclose(pred, F.mean(axis=1))
    np.testing.assert_allclose(std, F.std(axis=1, ddof=1) / 2)  # / sqrt(4)


def test_committee_confidence_weights_the_student(rng):
    X, y = make_w2s_regression(n_samples=500, n_features=8, random_state=0)
    y_train = y.copy()
    y_train[100:] = np.nan
    committee = TeacherCommittee(
        [("ridge", Ridge(alpha=1.0)), ("knn", KNeighborsRegressor(10)),
         ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
        method="inverse_variance",
    )
    assert predicts_std(committee)
    w2s = WeakToStrongRegressor(
        committee, WeightedRidge(alpha=1.0), pseudo_label_weights="confidence"
    ).fit(X, y_train)
    conf = w2s.pseudo_label_confidence_[100:]
    assert np.all((conf > 0) & (conf <= 1)) and conf.std() > 0.05
    # the confidence is the committee's spread, as documented
    _, std = w2s.teacher_.predict(X[100:], return_std=True)
    np.testing.assert_allclose(conf, 1 / (1 + std**2 / np.median(std**2)))


def test_committee_works_in_compare_w2s():
    X, y = make_w2s_regression(n_samples=300, n_features=10, random_state=0)
    committee = TeacherCommittee(
        [("ridge", Ridge(alpha=1.0)), ("knn", KNeighborsRegressor(10)),
         ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
        cv=3,
    )
    table = compare_w2s(
        {"committee": committee, "knn": KNeighborsRegressor(10)},
        {"ridge": WeightedRidge(alpha=10.0)}, X, y, cv=3,
    )
    assert table["teacher"].tolist() == ["committee", "knn"]
    # every number is defined, except the labeled rows that would resolve an
    # undecided verdict, which is NaN exactly where the verdict is decided
    # (and the pseudo+true student's columns: it is not a contender here)
    numbers = table.select_dtypes("number").drop(
        columns=["n_labeled_to_resolve", "pseudo_true_mse", "pseudo_true_mse_se"])
    assert np.isfinite(numbers.to_numpy()).all()
    decided = (table["best"] != "undecided").to_numpy()
    assert np.isnan(table["n_labeled_to_resolve"].to_numpy()[decided]).all()
    row = table.set_index("teacher").loc["committee"]
    assert row["teacher_mse"] < table.set_index("teacher").loc["knn", "teacher_mse"]


def test_classifier_committee_works_in_compare_w2s():
    X, y = make_w2s_classification(n_samples=300, n_features=6, random_state=0)
    committee = TeacherCommitteeClassifier(
        [("logistic", LogisticRegression()), ("nb", GaussianNB())], cv=3,
    )
    table = compare_w2s({"committee": committee},
                        {"logistic": LogisticRegression()}, X, y, cv=3)
    assert table["metric"].tolist() == ["accuracy"]
    assert 0.5 < table["teacher_accuracy"].iloc[0] <= 1.0


# ------------------------------------------------------------ the auto rule
@pytest.mark.parametrize(
    "n_labeled, k, expected",
    [(0, 2, "mean"), (0, 3, "mean"), (29, 3, "mean"), (30, 3, "inverse_variance"),
     (149, 3, "inverse_variance"), (150, 3, "stacking"), (0, 4, "label_free")],
)
def test_auto_rule(rng, n_labeled, k, expected):
    X, y, teachers = _noisy_teachers(rng, 400, sds=SDS[:k])
    y_train = np.full(y.size, np.nan)
    y_train[:n_labeled] = y[:n_labeled]
    assert TeacherCommittee(teachers).fit(X, y_train).method_ == expected


# ----------------------------------------------------------------- classification
def _label_teachers(rng, n, confusion, prior):
    z = rng.choice(prior.size, size=n, p=prior)
    cum = confusion.cumsum(axis=2)
    u = rng.random(size=(n, confusion.shape[0]))
    L = np.stack([(u[:, a, None] > cum[a, z]).sum(axis=1)
                  for a in range(confusion.shape[0])], axis=1)
    X = np.column_stack([z, L]).astype(float)
    classes = tuple(range(prior.size))
    teachers = [(f"t{a}", FrozenEstimator(
        _ColumnLabels(a + 1, classes).fit(X[:1])))
        for a in range(confusion.shape[0])]
    return X, z, teachers


PRIOR = np.array([0.5, 0.3, 0.2])
CONFUSION = np.array([
    [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]],
    [[0.6, 0.2, 0.2], [0.1, 0.8, 0.1], [0.3, 0.1, 0.6]],
    [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.1, 0.1, 0.8]],
])


@pytest.mark.parametrize("n_labeled", [0, 500])
def test_dawid_skene_recovers_confusion_matrices(rng, n_labeled):
    """Within 0.05: n = 10 000 gives the rarest class ~2 000 rows, a cell s.e.
    of at most 0.011, so 0.05 is over four standard errors."""
    X, z, teachers = _label_teachers(rng, 10_000, CONFUSION, PRIOR)
    y = np.full(z.size, -1)
    y[:n_labeled] = z[:n_labeled]
    c = TeacherCommitteeClassifier(teachers, method="dawid_skene").fit(X, y)
    np.testing.assert_array_equal(c.classes_, [0, 1, 2])
    assert np.max(np.abs(c.confusion_matrices_ - CONFUSION)) < 0.05
    assert np.max(np.abs(c.class_prior_ - PRIOR)) < 0.05
    proba = c.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(c.predict(X), c.classes_[proba.argmax(axis=1)])
    # the committee beats its best teacher (about 0.86 accuracy)
    best = max(np.mean(t.predict(X) == z) for t in c.teachers_)
    assert np.mean(c.predict(X) == z) > best
    assert c.weights_.argmax() == 2


def test_classifier_committee_with_unfitted_teachers_and_string_labels(rng):
    X, y = make_w2s_classification(n_samples=400, n_features=6, random_state=0)
    labels = np.array(["no", "yes"], dtype=object)[y]
    labels[100:] = None
    for method in ("mean", "dawid_skene", "stacking"):
        c = TeacherCommitteeClassifier(
            [("logistic", LogisticRegression()), ("nb", GaussianNB())],
            method=method,
        ).fit(X, labels)
        assert c.classes_.tolist() == ["no", "yes"]
        assert set(c.predict(X)) <= {"no", "yes"}
        assert c.weights_.sum() == pytest.approx(1.0)
    w2s = WeakToStrongClassifier(c, LogisticRegression(),
                                 pseudo_label_weights="confidence").fit(X, labels)
    assert np.nanstd(w2s.pseudo_label_confidence_) > 0


@pytest.mark.parametrize(
    "n_labeled, k, expected",
    [(0, 3, "dawid_skene"), (0, 2, "mean"), (149, 3, "mean"),
     (150, 3, "stacking")],
)
def test_classifier_auto_rule(rng, n_labeled, k, expected):
    X, z, teachers = _label_teachers(rng, 400, CONFUSION[:k], PRIOR)
    y = np.full(z.size, -1)
    y[:n_labeled] = z[:n_labeled]
    assert TeacherCommitteeClassifier(teachers).fit(X, y).method_ == expected


# ------------------------------------------------------------- hostile inputs
def test_a_single_teacher_is_refused():
    X, y = make_w2s_regression(n_samples=50, n_features=3, random_state=0)
    with pytest.raises(ValueError, match="teachers holds 1 estimator"):
        TeacherCommittee([("only", Ridge())]).fit(X, y)
    with pytest.raises(ValueError, match="teachers holds 1 estimator"):
        TeacherCommitteeClassifier([("only", LogisticRegression())]).fit(X, y > 0)


def test_teachers_of_the_wrong_kind_are_named():
    X, y = make_w2s_regression(n_samples=50, n_features=3, random_state=0)
    with pytest.raises(TypeError, match=r"teachers\['logistic'\].*not a regressor"):
        TeacherCommittee([("ridge", Ridge()),
                          ("logistic", LogisticRegression())]).fit(X, y)
    with pytest.raises(TypeError, match=r"teachers\['ridge'\].*not a classifier"):
        TeacherCommitteeClassifier([("ridge", Ridge()),
                                    ("nb", GaussianNB())]).fit(X, y > 0)


def test_malformed_teachers_list():
    X, y = make_w2s_regression(n_samples=50, n_features=3, random_state=0)
    with pytest.raises(TypeError, match="list of \\(name, estimator\\) tuples"):
        TeacherCommittee([Ridge(), Ridge()]).fit(X, y)
    with pytest.raises(ValueError, match="unique"):
        TeacherCommittee([("a", Ridge()), ("a", Ridge())]).fit(X, y)
    with pytest.raises(TypeError, match=r"teachers\['b'\].*fit and predict"):
        TeacherCommittee([("a", Ridge()), ("b", object())]).fit(X, y)


def test_teachers_that_disagree_on_classes_are_named(rng):
    X = rng.integers(0, 2, size=(40, 3)).astype(float)
    y = np.full(40, -1)
    y[:10] = X[:10, 1].astype(int)
    words = FrozenEstimator(_ColumnLabels(1, ("neg", "pos")).fit(X))
    ints = FrozenEstimator(_ColumnLabels(2, (0, 1)).fit(X))
    with pytest.raises(ValueError, match=r"teachers\['words'\] has string classes"):
        TeacherCommitteeClassifier([("ints", ints), ("words", words)]).fit(X, y)
    with pytest.raises(ValueError, match=r"teachers\['words'\] has string classes"):
        TeacherCommitteeClassifier([("ints", ints), ("words", words)]).fit(X)


class _TwoColumns(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.zeros((np.shape(X)[0], 2))


def test_teachers_that_disagree_on_output_shape_are_named(rng):
    X, y = make_w2s_regression(n_samples=60, n_features=3, random_state=0)
    with pytest.raises(ValueError, match=r"teacher 'two'.*shape \(\d+, 2\)"):
        TeacherCommittee([("ridge", Ridge()), ("two", _TwoColumns())],
                         method="mean").fit(X, y).predict(X)
    with pytest.raises(ValueError, match=r"teacher 'two'.*shape"):
        TeacherCommittee([("ridge", Ridge()), ("two", _TwoColumns())],
                         method="inverse_variance").fit(X, y)


def test_all_rows_unlabeled_with_unfitted_teachers(rng):
    X = rng.normal(size=(30, 3))
    with pytest.raises(ValueError, match=r"no labeled rows, but teachers \['a', 'b'\]"):
        TeacherCommittee([("a", Ridge()), ("b", Ridge())]).fit(X, np.full(30, np.nan))
    with pytest.raises(ValueError, match=r"no labeled rows, but teachers \['b'\]"):
        TeacherCommitteeClassifier(
            [("a", FrozenEstimator(_ColumnLabels(0).fit(X))), ("b", GaussianNB())]
        ).fit(X, np.full(30, -1))
    with pytest.raises(ValueError, match="requires y to be passed"):
        TeacherCommittee([("a", Ridge()), ("b", Ridge())]).fit(X)


def test_methods_that_need_more_teachers_or_labels(rng):
    X, y, teachers = _noisy_teachers(rng, 100, sds=SDS[:2])
    with pytest.raises(ValueError, match="at least three teachers"):
        TeacherCommittee(teachers, method="label_free").fit(X)
    with pytest.raises(ValueError, match="n_samples=0 labeled rows"):
        TeacherCommittee(teachers, method="inverse_variance").fit(X)
    Xc, z, cls_teachers = _label_teachers(rng, 100, CONFUSION[:2], PRIOR)
    with pytest.raises(ValueError, match="at least three teachers"):
        TeacherCommitteeClassifier(cls_teachers, method="dawid_skene").fit(Xc)
    assert TeacherCommitteeClassifier(cls_teachers).fit(Xc).method_ == "mean"


def test_an_unknown_label_is_named(rng):
    X = rng.integers(0, 3, size=(40, 2)).astype(float)
    X[::4, 1] = 5
    y = np.where(np.arange(40) < 20, X[:, 0] % 2, -1).astype(int)
    three = FrozenEstimator(_ColumnLabels(0, (0, 1, 2)).fit(X))
    two = FrozenEstimator(_ColumnLabels(1, (0, 1, 2)).fit(X))
    # classes_ is {0, 1, 2} (y and the teachers); "two" also predicts 5
    with pytest.raises(ValueError, match=r"teacher 'two'.*labels \[5\]"):
        TeacherCommitteeClassifier([("three", three), ("two", two)],
                                   method="mean").fit(X, y).predict(X)


# ---------------------------------------------------------- composition API
def test_nested_params_and_clone():
    c = TeacherCommittee([("ridge", Ridge()), ("knn", KNeighborsRegressor())])
    c.set_params(ridge__alpha=3.0, knn=KNeighborsRegressor(2))
    params = c.get_params()
    assert params["ridge__alpha"] == 3.0
    assert params["knn"].n_neighbors == 2
    assert clone(c).get_params()["ridge__alpha"] == 3.0


def test_dataframe_input_sets_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = make_w2s_regression(n_samples=60, n_features=3, random_state=0)
    X = pd.DataFrame(X, columns=["a", "b", "c"])
    c = TeacherCommittee([("ridge", Ridge()), ("lr", LinearRegression())],
                         cv=3).fit(X, y)
    assert c.feature_names_in_.tolist() == ["a", "b", "c"]
    assert c.predict(X).shape == (60,)
