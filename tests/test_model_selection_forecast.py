"""forecast_w2s: the misfit decomposition, the intervals, the verdict rule."""

import warnings

import numpy as np
import pytest
from scipy.special import rel_entr
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge, RidgeCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skw2s import WeightedRidge
from skw2s.model_selection import W2SForecast, forecast_w2s
from skw2s.model_selection._forecast import (
    _interval,
    _kl_rows,
    misfit_decomposition,
)


def _regression(n=80, m=400, d=8, noise=1.0, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n + m, d))
    coef = rng.normal(size=d) / np.sqrt(d)
    y = X @ coef + noise * rng.normal(size=n + m)
    y[n:] = np.nan
    return X, y


def _classification(n=80, m=400, d=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n + m, d))
    y = (X @ rng.normal(size=d) + 0.5 * rng.normal(size=n + m) > 0).astype(int)
    y[n:] = -1
    return X, y


# --------------------------------------------------------- the building blocks


def test_misfit_identity_is_exact_for_an_unregularized_linear_student():
    # teacher: any predictions; target linear (noiseless); student: least
    # squares on the teacher's labels of the same rows, a class containing the
    # target -> teacher error = misfit + student error, to rounding
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 6))
    target = X @ rng.normal(size=6) + 0.3
    teacher = DecisionTreeRegressor(max_depth=3, random_state=0).fit(
        X[:60], target[:60] + rng.normal(size=60))
    t = teacher.predict(X)
    s = LinearRegression().fit(X, t).predict(X)
    T, M, A, S = misfit_decomposition(target, t, s)
    assert T == pytest.approx(S + M - A, rel=1e-12)  # the decomposition
    assert abs(A) <= 1e-10 * T  # the identity: no approximation term
    assert M > 0.1 * T  # a real misfit, not a trivial zero


def test_misfit_inequality_for_a_convex_restriction_is_one_sided():
    # a ridge student is no projection: the approximation term need not vanish,
    # but the decomposition still holds exactly
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 5))
    target = X @ rng.normal(size=5)
    t = target + rng.normal(size=300)
    s = Ridge(alpha=50.0).fit(X, t).predict(X)
    T, M, A, S = misfit_decomposition(target, t, s)
    assert S == pytest.approx(T - M + A, rel=1e-12)


def test_kl_rows_match_scipy_and_align_classes():
    p = np.array([[0.2, 0.8], [0.5, 0.5]])
    q = np.array([[0.7, 0.3], [0.1, 0.9]])
    expected = rel_entr(p, q).sum(axis=1)
    got = _kl_rows(p, np.array([0, 1]), q, np.array([0, 1]))
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # a student that never saw class 1 (its classes_ are [0, 2]): its columns
    # are matched to the teacher's by class value; the teacher puts no mass
    # on class 1 here, so the KL is that of the two shared classes
    p3 = np.array([[0.5, 0.0, 0.5]])
    q2 = np.array([[0.25, 0.75]])
    got = _kl_rows(p3, np.array([0, 1, 2]), q2, np.array([0, 2]))
    expected = rel_entr([0.5, 0.5], [0.25, 0.75]).sum()
    np.testing.assert_allclose(got, [expected], rtol=1e-12)


def test_interval_is_widened_by_the_square_root_of_the_correction():
    boot = np.linspace(0.0, 2.0, 2001)  # 5 % and 95 % quantiles: 0.1 and 1.9
    lo, hi = _interval(1.0, boot, 0.05, 1.0)
    assert (lo, hi) == pytest.approx((0.1, 1.9))
    lo, hi = _interval(1.0, boot, 0.05, 4.0)
    assert (lo, hi) == pytest.approx((-0.8, 2.8))
    assert np.isnan(_interval(np.nan, boot, 0.05, 1.0)[0])


# -------------------------------------------------------------- the forecast


def test_regression_forecast_keys_and_consistency():
    X, y = _regression()
    f = forecast_w2s(DecisionTreeRegressor(max_depth=2, random_state=0), RidgeCV(),
                     X, y, random_state=0)
    assert isinstance(f, W2SForecast)
    assert f.metric == "mse" and f.n_labeled == 80 and f.n_unlabeled == 400
    assert f.n_splits == 10 and f.confidence == 0.9
    for key in ("teacher_error", "misfit", "approximation_error", "student_error",
                "supervised_error", "gain_vs_teacher", "gain_vs_supervised"):
        assert f[f"{key}_low"] <= f[key] <= f[f"{key}_high"], key
    # student = teacher - misfit + approximation (same rows, same loss)
    assert f.student_error == pytest.approx(
        f.teacher_error - f.misfit + f.approximation_error)
    assert f.gain_vs_teacher == pytest.approx(f.teacher_error - f.student_error)
    assert f.gain_vs_supervised == pytest.approx(
        f.supervised_error - f.student_error)
    assert f.verdict in {"w2s", "supervised", "teacher", "undecided"}
    assert f.theory is None and "ridge" in f.theory_note
    text = repr(f)
    assert "W2S student" in text and "verdict:" in text


def test_forecast_is_reproducible_with_random_state():
    X, y = _regression(seed=3)
    args = (KNeighborsRegressor(5), RidgeCV(), X, y)
    a = forecast_w2s(*args, random_state=7)
    b = forecast_w2s(*args, random_state=7)
    assert a.student_error_low == b.student_error_low
    assert a.sentence == b.sentence


def _verdict_consistent(f):
    """The verdict is supported by the paired-difference intervals."""
    names = {"teacher": "teacher_error", "w2s": "student_error",
             "supervised": "supervised_error"}
    assert f.leader == min(names, key=lambda k: f[names[k]])
    if f.verdict == "undecided":
        return
    assert f.verdict == f.leader
    if f.verdict == "w2s":
        assert f.gain_vs_teacher_low > 0 and f.gain_vs_supervised_low > 0
    elif f.verdict == "supervised":
        assert f.gain_vs_supervised_high < 0


def test_verdict_names_the_clear_winner_and_only_when_supported():
    # a 1-nearest-neighbour teacher on a linear task with many labels: the
    # supervised ridge is clearly best
    X, y = _regression(n=400, m=400, d=5, noise=0.5, seed=2)
    f = forecast_w2s(KNeighborsRegressor(1), RidgeCV(), X, y, random_state=0)
    assert f.verdict == "supervised"
    _verdict_consistent(f)
    assert "forecast best" in f.sentence
    # a frozen teacher that knows the target: W2S beats a supervised student
    # that has 30 labels for 16 features
    rng = np.random.default_rng(4)
    Xf = rng.normal(size=(1230, 16))
    coef = rng.normal(size=16)
    yf = Xf @ coef + rng.normal(size=1230)
    teacher = FrozenEstimator(LinearRegression().fit(Xf[30:], Xf[30:] @ coef))
    yf[30:] = np.nan
    f = forecast_w2s(teacher, Ridge(alpha=1e-3), Xf, yf, random_state=0)
    _verdict_consistent(f)
    assert f.leader in ("teacher", "w2s")
    assert f.gain_vs_supervised_low > 0


def test_undecided_when_the_intervals_contain_zero():
    # teacher and student are the same least-squares model: W2S copies it
    X, y = _regression(n=30, m=200, seed=5)
    f = forecast_w2s(LinearRegression(), LinearRegression(), X, y, random_state=0)
    assert abs(f.gain_vs_teacher) < 1e-8 * f.teacher_error
    assert f.misfit < 1e-20 + 1e-10 * f.teacher_error
    assert f.verdict in ("undecided", "supervised")
    _verdict_consistent(f)


def test_frozen_teacher_error_is_not_widened_for_training_overlap():
    X, y = _regression(n=100, m=300, seed=6)
    lab = ~np.isnan(y)
    teacher = FrozenEstimator(Ridge(alpha=1.0).fit(X[:50] + 0.1, y[:50]))
    f = forecast_w2s(teacher, RidgeCV(), X, y, random_state=0)
    # the frozen teacher's error is its plain mean on all labeled rows
    direct = np.mean((y[lab] - teacher.predict(X[lab])) ** 2)
    assert f.teacher_error == pytest.approx(direct)
    # a plain percentile interval, close to the normal one for a mean of 100
    # rows (with the training-overlap factor it would be sqrt(1 + 10/9) =
    # 1.45 times wider)
    losses = (y[lab] - teacher.predict(X[lab])) ** 2
    normal_width = 2 * 1.645 * losses.std(ddof=1) / np.sqrt(losses.size)
    ratio = (f.teacher_error_high - f.teacher_error_low) / normal_width
    assert 0.8 < ratio < 1.2
    assert f.theory is None and "frozen" in f.theory_note


def test_classification_forecast_decomposes_the_log_loss():
    X, y = _classification()
    f = forecast_w2s(DecisionTreeClassifier(max_depth=2, random_state=0),
                     LogisticRegression(), X, y, random_state=0)
    assert f.metric == "error_rate"
    assert 0 <= f.teacher_error <= 1 and 0 <= f.student_error <= 1
    ll = f.log_loss
    assert set(ll) == {"teacher", "w2s", "supervised"}
    # the decomposition holds in the log-loss (the KL misfit)
    assert ll["w2s"] == pytest.approx(
        ll["teacher"] - f.misfit + f.approximation_error)
    assert f.misfit > 0
    _verdict_consistent(f)
    assert "log-loss" in repr(f)


def test_classification_accepts_none_markers():
    X, y = _classification(seed=1)
    y_obj = y.astype(object)
    y_obj[y == -1] = None
    f = forecast_w2s(DecisionTreeClassifier(max_depth=2, random_state=0),
                     LogisticRegression(), X, y_obj, random_state=0)
    assert f.n_labeled == 80


def test_dataframe_input_and_pipelines():
    pd = pytest.importorskip("pandas")
    X, y = _regression(seed=8)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    student = make_pipeline(StandardScaler(), RidgeCV())
    f = forecast_w2s(KNeighborsRegressor(5), student, df, pd.Series(y),
                     random_state=0)
    assert np.isfinite(f.student_error)


def test_param_grid_tunes_each_student_for_its_role():
    X, y = _regression(seed=9)
    f = forecast_w2s(KNeighborsRegressor(3), Ridge(),
                     X, y, param_grid={"alpha": [0.1, 10.0, 1000.0]},
                     random_state=0)
    assert f.w2s_params.startswith("alpha=")
    assert f.supervised_params.startswith("alpha=")
    assert "alpha=" in repr(f)
    # a classifier's grid: the W2S student is searched with held-out labels
    Xc, yc = _classification(seed=2)
    f = forecast_w2s(DecisionTreeClassifier(max_depth=2, random_state=0),
                     LogisticRegression(), Xc, yc, cv=3,
                     param_grid={"C": [0.01, 1.0]}, random_state=0)
    assert f.w2s_params.startswith("C=") and f.supervised_params.startswith("C=")


def test_a_fixed_ridge_student_is_tuned_for_the_supervised_role():
    # the user's alpha suits 1000 pseudo-labeled rows; on 40 labeled rows the
    # supervised student gets its own (leave-one-out) alpha, and the W2S
    # student keeps the user's
    X, y = _regression(n=40, m=1000, d=10, seed=12)
    student = make_pipeline(StandardScaler(), Ridge(alpha=1e4))
    f = forecast_w2s(KNeighborsRegressor(5), student, X, y, random_state=0)
    assert f.w2s_params == ""
    assert f.supervised_params.startswith("alpha=")
    fixed = forecast_w2s(KNeighborsRegressor(5), student, X, y,
                         param_grid={"ridge__alpha": [1e4]}, random_state=0)
    assert f.supervised_error < fixed.supervised_error


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"y": np.r_[1.0, 2.0, 3.0, np.full(97, np.nan)]}, "labeled rows"),
        ({"y": np.r_[np.arange(97.0), np.full(3, np.nan)]}, "unlabeled"),
        ({"y": np.r_[np.arange(95.0), np.full(5, np.nan)], "cv": 5},
         "need at least 10 unlabeled rows"),
        ({"y": np.r_[np.inf, np.arange(49.0), np.full(50, np.nan)]}, "inf"),
        ({"y": np.zeros(7)}, "inconsistent numbers of samples"),
        ({"X": np.zeros(100)}, "X must be 2-D"),
        ({"student": LogisticRegression()}, "both be classifiers"),
        ({"n_bootstrap": 5}, "n_bootstrap"),
        ({"confidence": 1.0}, "confidence"),
    ],
)
def test_errors_name_the_argument(kwargs, match):
    X, y = _regression(n=50, m=50)
    args = {"teacher": Ridge(), "student": Ridge(), "X": X, "y": y, **kwargs}
    with pytest.raises(ValueError, match=match):
        forecast_w2s(args.pop("teacher"), args.pop("student"), args.pop("X"),
                     args.pop("y"), **args)


def test_warnings_of_the_folds_are_issued_once():
    X, y = _regression(n=40, m=100, d=60, seed=10)  # more features than rows
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecast_w2s(KNeighborsRegressor(3), RidgeCV(), X, y, random_state=0)
    messages = [str(w.message) for w in caught]
    assert len(messages) == len(set(messages))


def test_weighted_ridge_student_is_supported():
    X, y = _regression(n=60, m=300, seed=11)
    f = forecast_w2s(KNeighborsRegressor(5), WeightedRidge(alpha=10.0), X, y,
                     random_state=0)
    assert np.isfinite(f.student_error)


def test_string_classes_with_none_markers_and_a_grid():
    X, y = _classification(seed=3)
    y_str = np.where(y == 1, "yes", "no").astype(object)
    y_str[y == -1] = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no failed inner scoring
        f = forecast_w2s(DecisionTreeClassifier(max_depth=2, random_state=0),
                         LogisticRegression(), X, y_str, cv=3,
                         param_grid={"C": [0.01, 1.0]}, random_state=0)
    assert f.n_labeled == 80 and 0 <= f.student_error <= 1


def test_a_teacher_without_predict_proba_gives_no_kl_misfit_and_says_why():
    from sklearn.svm import LinearSVC

    X, y = _classification(seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no empty-mean warning
        f = forecast_w2s(LinearSVC(), LogisticRegression(), X, y, random_state=0)
    assert np.isnan(f.misfit) and np.isnan(f.log_loss["teacher"])
    assert np.isfinite(f.student_error)
    assert "has no predict_proba" in " ".join(repr(f).split())


def test_few_unlabeled_rows_reduce_the_default_folds():
    X, y = _regression(n=60, m=8, seed=13)
    f = forecast_w2s(KNeighborsRegressor(3), RidgeCV(), X, y, random_state=0)
    assert f.n_splits == 4 and np.isfinite(f.student_error)


def test_warnings_of_the_folds_keep_their_category():
    from sklearn.exceptions import ConvergenceWarning

    X, y = _classification(n=60, m=200, seed=5)
    with pytest.warns(ConvergenceWarning):
        forecast_w2s(DecisionTreeClassifier(max_depth=2, random_state=0),
                     LogisticRegression(max_iter=1), X, y, cv=3, random_state=0)
