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
a test set with its teacher, the *supervised student* (the same student
model trained on the true labels the teacher spent, tuned for them) and the
*ceiling* (the student model on the true labels of its own rows).
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
# (dashed line). The dash-dotted line is the *supervised student*: the same
# ridge fit on the teacher's 400 true labels with its best ``alpha``
# (:func:`~skw2s.theory.optimal_teacher_alpha`), the baseline the W2S student
# has to beat.
import matplotlib.pyplot as plt

from skw2s.theory import optimal_teacher_alpha, w2s_ridge_risk

n_fold = n_train * 4 // 5
problem = dict(covariance=np.ones(n_features), coef=true_coef, noise=noise)
theory = w2s_ridge_risk(1.0, alphas, n_teacher=n_fold // 2, n_student=n_fold // 2,
                        **problem)
supervised_theory = optimal_teacher_alpha(n_samples=n_fold // 2, **problem).risk
fold_scores = np.array([-search.cv_results_[f"split{k}_test_score"]
                        for k in range(search.n_splits_)])

fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
ax.plot(alphas, theory.student_risk + noise**2, color="C0",
        label="W2S student, theory")
mean = fold_scores.mean(0)
sem = fold_scores.std(0, ddof=1) / np.sqrt(len(fold_scores))
ax.fill_between(alphas, mean - sem, mean + sem, color="C0", alpha=0.2, lw=0,
                label="± one standard error over the folds")
ax.plot(alphas, mean, "o", color="C0", markersize=4,
        label="W2S student, CV mean (5 folds)")
ax.axhline(theory.teacher_risk[0] + noise**2, color="C3", linestyle="--",
           label="teacher, theory")
ax.axhline(supervised_theory + noise**2, color="C2", linestyle="-.",
           label="supervised student (tuned), theory")
ax.axvline(search.alpha_, color="k", linewidth=1,
           label=f"selected alpha_ = {search.alpha_:.0f}")
ax.set_xscale("log")
ax.set_xlabel(r"student $\alpha_s$ (scikit-learn units)")
ax.set_ylabel("test MSE on held-out true labels")
ax.set_title("WeakToStrongRegressorCV: the student's alpha on true labels")
fig.legend(loc="outside lower center", ncol=2, fontsize=10)
plt.show()

# %%
# On a test set: teacher, W2S student, supervised student and ceiling
# -------------------------------------------------------------------
# The refit estimator (``search.best_estimator_``) trained its teacher on half
# of the 1000 rows and its student, with ``alpha_``, on the teacher's labels
# for the other half. Beside it, two ridge students fit on **true** labels,
# each with its own alpha chosen by ordinary cross-validation on its rows: the
# *supervised student* on the teacher's 500 rows (the labels the teacher
# spent) and the *ceiling* on the student's 500 rows (labels the W2S student
# never saw), each a :class:`~sklearn.linear_model.RidgeCV` (efficient
# leave-one-out over the same ``alphas``). Both are the same model fit on 500
# true labels, so :func:`~skw2s.theory.ridge_risk` predicts the same error
# for both.
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_squared_error

from skw2s.theory import ridge_risk

best = search.best_estimator_
supervised = RidgeCV(alphas=alphas).fit(X_train[best.teacher_rows_],
                                        y_train[best.teacher_rows_])
ceiling = RidgeCV(alphas=alphas).fit(X_train[best.student_rows_],
                                     y_train[best.student_rows_])
model = problem
alpha_500 = optimal_teacher_alpha(n_samples=500, **model).alpha
tuned_500 = ridge_risk(alpha_500, n_samples=500, **model)  # tuned ridge, 500 rows
refit = w2s_ridge_risk(1.0, search.alpha_, n_teacher=500, n_student=500, **model)
print(f"{'':>18}  test MSE  theory")
for name, fitted, predicted in [
    ("teacher", best.teacher_, refit.teacher_risk),
    ("W2S student", best, refit.student_risk),
    ("supervised student", supervised, tuned_500),
    ("ceiling", ceiling, tuned_500),
]:
    mse = mean_squared_error(y_test, fitted.predict(X_test))
    print(f"{name:>18}: {mse:.3f}     {float(predicted) + noise**2:.3f}")
print(f"noise variance (the floor): {noise**2:.3f}")

# %%
# The same comparison by cross-validation, with a verdict
# -------------------------------------------------------
# :func:`~skw2s.model_selection.cross_validate_w2s` refits the whole search
# on every training fold and scores the teacher, the W2S student, the
# supervised student and the ceiling on the held-out fold's true labels; the
# supervised student and the ceiling search the same ``alphas`` on their own
# rows. Its ``summary`` has the verdict (paired per-row differences, see
# :ref:`should_i_use_w2s`) and the performance gap recovered
# (:func:`~skw2s.metrics.performance_gap_recovered` of the mean errors).
from skw2s.model_selection import cross_validate_w2s

results = cross_validate_w2s(search, X_train, y_train, cv=5)
summary = results["summary"]["mse"]
for name, key in [("teacher", "teacher"), ("W2S student", "student"),
                  ("supervised student", "supervised"), ("ceiling", "ceiling")]:
    print(f"{name:>18}: CV MSE {summary[key]:.3f} (s.e. {summary[key + '_se']:.3f})")
print(f"PGR {summary['pgr_of_means']:.2f}; best: {summary['best']}")
print(summary["verdict"])

# %%
# Interpretation
# --------------
# The cross-validation points lie within about one standard error (the band)
# of the predicted curve. The points of one fold share that fold's teacher and
# test rows, so their errors are correlated across ``alpha``: the points form
# a smoother curve than the width of the band suggests. Their minimum picks a
# student ``alpha`` of a few hundred, as the theory does: large enough to
# shrink away much of the noise the under-regularized teacher fit, small
# enough to keep its signal. :class:`~sklearn.model_selection.GridSearchCV`
# gives exactly the same scores with one teacher and one student fit per
# candidate and fold; how much slower that is grows with the number of rows,
# features and alphas and depends on the machine: the ratio is measured by
# ``benchmarks/bench_student_alpha_search.py``, not on this page.
#
# The selected W2S student is clearly better than its teacher without having
# seen a true label, **and clearly worse than the supervised student**: a
# ridge tuned on the 500 labels that the teacher spent beats it on the test
# set and in the cross-validated verdict. The teacher here is deliberately
# under-regularized (``alpha = 1`` where 200 is best); the supervised
# student is that same ridge tuned, and no student of the teacher can beat it
# (:ref:`mechanism_regularization`). The supervised student even has a lower
# test error than the ceiling: both are fit on 500 true labels and have the
# same predicted error, and they differ by the draw of their rows. The
# "ceiling" bounds what the W2S student could reach on its own rows, not what
# the labels can give. This example is about *choosing alpha honestly*; with
# a labeled row for every student row, as in this simulation, weak-to-strong
# training is not the model to deploy.
