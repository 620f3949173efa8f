"""
==================================================================
Choosing the student's alpha with ``WeakToStrongRegressorCV``
==================================================================

The student's regularization is what lets it beat its teacher
(:ref:`mechanisms`), and it has to be chosen against **true** labels of rows
that neither model saw (:ref:`model_selection`).
:class:`~skw2s.WeakToStrongRegressorCV` does this selection: on each fold it
fits the teacher once, computes the student's whole regularization path from
one decomposition (:func:`~skw2s.weighted_ridge_path`) and scores every
``alpha`` on the held-out fold's true labels. It selects the same ``alpha`` as
a :class:`~sklearn.model_selection.GridSearchCV` over a
:class:`~skw2s.WeakToStrongRegressor`, which refits teacher and student for
every candidate.

Here the cross-validation curve is laid over the prediction of
:func:`skw2s.theory.w2s_ridge_risk`, and the selected student is compared on
a test set with its teacher and with the ceiling (the same student model
trained on true labels).
"""

# %%
# The data and the teacher
# ------------------------
# Isotropic Gaussian inputs in ``d = 200`` dimensions, a target with
# ``||b*|| = 1`` and noise of standard deviation 1. All 1000 training rows are
# labeled; in each training fold, ``teacher_size=0.5`` of the rows train the
# teacher and the others are the student's rows, whose labels are hidden from
# the student. The teacher is an almost unregularized ridge (``alpha = 1``,
# while the best teacher alpha for its 400 rows in a fold is 200): an under-regularized
# teacher, which a ridge student can beat.
import numpy as np

from skw2s.datasets import make_w2s_regression

n_features, n_train, n_test, noise = 200, 1000, 5000, 1.0
rng = np.random.default_rng(0)
true_coef = rng.standard_normal(n_features)
true_coef /= np.linalg.norm(true_coef)
X, y = make_w2s_regression(n_samples=n_train + n_test, n_features=n_features,
                           coef=true_coef, noise=noise, random_state=0)
X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]

# %%
# The search
# ----------
# Forty student alphas, five folds, scored by the mean squared error on the
# held-out fold's true labels.
from skw2s import WeakToStrongRegressorCV, WeightedRidge

alphas = np.logspace(-1, 4, 40)
search = WeakToStrongRegressorCV(
    WeightedRidge(alpha=1.0), WeightedRidge(), alphas=alphas, cv=5,
    scoring="neg_mean_squared_error", random_state=0,
)
search.fit(X_train, y_train)
print(f"selected alpha: {search.alpha_:.1f} (CV MSE {-search.best_score_:.3f})")

# %%
# The same selection by ``GridSearchCV``
# --------------------------------------
# The equivalent grid search over a :class:`~skw2s.WeakToStrongRegressor` sees
# the same folds and the same teacher/student split, so it selects the same
# ``alpha`` with the same scores; it refits the teacher and solves the student
# once per candidate and fold.
from sklearn.model_selection import GridSearchCV

from skw2s import WeakToStrongRegressor

grid = GridSearchCV(
    WeakToStrongRegressor(WeightedRidge(alpha=1.0), WeightedRidge(),
                          random_state=0),
    {"student__alpha": alphas}, cv=5, scoring="neg_mean_squared_error",
)
grid.fit(X_train, y_train)
print(f"GridSearchCV: alpha {grid.best_params_['student__alpha']:.1f}")
print("same scores:", np.allclose(grid.cv_results_["mean_test_score"],
                                  search.cv_results_["mean_test_score"]))

# %%
# Cross-validation curve and theory
# ---------------------------------
# Points: the mean CV error over the five folds; band: one standard error. In
# each fold the teacher has 400 rows and the student 400 rows, so the theory
# predicts the test MSE ``R_s + noise**2`` of such a student
# (:func:`~skw2s.theory.w2s_ridge_risk`), and the teacher's ``R_t + noise**2``
# (dashed line).
import matplotlib.pyplot as plt

from skw2s.theory import w2s_ridge_risk

n_fold = n_train * 4 // 5
theory = w2s_ridge_risk(1.0, alphas, n_teacher=n_fold // 2, n_student=n_fold // 2,
                        covariance=np.ones(n_features), coef=true_coef, noise=noise)
fold_scores = np.array([-search.cv_results_[f"split{k}_test_score"]
                        for k in range(search.n_splits_)])

fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
ax.plot(alphas, theory.student_risk + noise**2, color="C0",
        label="student, theory")
mean = fold_scores.mean(0)
sem = fold_scores.std(0, ddof=1) / np.sqrt(len(fold_scores))
ax.fill_between(alphas, mean - sem, mean + sem, color="C0", alpha=0.2, lw=0,
                label="± one standard error over the folds")
ax.plot(alphas, mean, "o", color="C0", markersize=4,
        label="student, CV mean (5 folds)")
ax.axhline(theory.teacher_risk[0] + noise**2, color="C3", linestyle="--",
           label="teacher, theory")
ax.axvline(search.alpha_, color="k", linewidth=1,
           label=f"selected alpha_ = {search.alpha_:.0f}")
ax.set_xscale("log")
ax.set_xlabel(r"student $\alpha_s$ (scikit-learn units)")
ax.set_ylabel("test MSE on held-out true labels")
ax.set_title("WeakToStrongRegressorCV: the student's alpha on true labels")
fig.legend(loc="outside lower center", ncol=2, fontsize=10)
plt.show()

# %%
# On a test set: teacher, student and ceiling
# -------------------------------------------
# The refit estimator (``search.best_estimator_``) trained its teacher on half
# of the 1000 rows and its student, with ``alpha_``, on the teacher's labels
# for the other half. The ceiling is the same student model fit on the true
# labels of those rows, with its own alpha chosen by ordinary cross-validation.
from sklearn.metrics import mean_squared_error

best = search.best_estimator_
rows = best.student_rows_
ceiling = GridSearchCV(WeightedRidge(), {"alpha": alphas}, cv=5,
                       scoring="neg_mean_squared_error")
ceiling.fit(X_train[rows], y_train[rows])
for name, model in [("teacher", best.teacher_), ("W2S student", best),
                    ("ceiling", ceiling)]:
    mse = mean_squared_error(y_test, model.predict(X_test))
    print(f"{name:>12}: test MSE {mse:.3f}")
print(f"noise variance (the floor): {noise**2:.3f}")

# %%
# Interpretation
# --------------
# The cross-validation points lie within about one standard error (the band)
# of the predicted curve. The points of one fold share that fold's teacher and
# test rows, so their errors are correlated across ``alpha``: the points form
# a smoother curve than the width of the band suggests. Their minimum picks a
# student ``alpha`` of a few hundred, as the theory does: large enough to
# shrink away much of the noise the under-regularized teacher fit, small
# enough to keep its signal. At very small ``alpha`` the student copies its
# teacher (the predicted curve starts on the dashed line); at very large
# ``alpha`` it predicts almost nothing. On the test set the selected student
# is clearly better than its teacher without having seen a true label, and
# the ceiling, trained on the true labels of the same rows, shows how much
# further supervision would go. :class:`~sklearn.model_selection.GridSearchCV`
# gives exactly the same scores with one teacher and one student fit per
# candidate and fold; how much slower that is grows with the number of rows,
# features and alphas and depends on the machine: the ratio is measured by
# ``benchmarks/bench_student_alpha_search.py``, not on this page.
