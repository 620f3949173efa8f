"""
=======================================================================
Weak-to-strong in practice: pipelines, grid search and honest selection
=======================================================================

A practitioner's version of weak-to-strong training on the diabetes data set
bundled with scikit-learn (442 patients, 10 features, a disease-progression
target). The *teacher* is a weak model: a nearest-neighbours regressor that
sees only two of the ten features. The *student* is a ridge regression on all
features, fit only on the teacher's predictions. Everything is an ordinary
scikit-learn object: the teacher and the student are pipelines, the student's
``alpha`` is chosen by :class:`~sklearn.model_selection.GridSearchCV` against
held-out **true** labels, an already trained teacher enters through
:class:`~sklearn.frozen.FrozenEstimator`, and
:func:`~skw2s.model_selection.cross_validate_w2s` reports the teacher's, the
student's and the ceiling's errors and the performance gap recovered per fold.
"""

# %%
# The data
# --------
# A test set is put aside first; it is used once, at the end of each section.
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0
)
print(X_train.shape, X_test.shape)
print(list(X.columns))

# %%
# A weak teacher on a column subset, a student on all features
# ------------------------------------------------------------
# The teacher's :class:`~sklearn.compose.ColumnTransformer` keeps only body
# mass index and blood pressure; five nearest neighbours on them give a noisy,
# piecewise-constant prediction. The student is a standardized
# :class:`~skw2s.WeightedRidge` (plain ridge here) on all ten features.
from sklearn.compose import ColumnTransformer
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import WeakToStrongRegressor, WeightedRidge

WEAK_FEATURES = ["bmi", "bp"]
teacher = Pipeline([
    ("weak_features", ColumnTransformer([("keep", "passthrough", WEAK_FEATURES)])),
    ("scale", StandardScaler()),
    ("knn", KNeighborsRegressor(n_neighbors=5)),
])
student = make_pipeline(StandardScaler(), WeightedRidge())
w2s = WeakToStrongRegressor(teacher, student, teacher_size=0.5, random_state=0)
w2s

# %%
# Grid search of the student's regularization
# -------------------------------------------
# Every row of ``X_train`` is labeled, so in each training fold
# ``teacher_size=0.5`` of the rows train the teacher and the other half are the
# student's rows, whose labels are **hidden** from the student (replaced by the
# teacher's predictions). The held-out fold is scored with its true labels: the
# search selects the ``alpha`` that makes the student closest to the truth.
# The parameter name goes through the meta-estimator (``student``) and the
# pipeline step (``weightedridge``).
import numpy as np
from sklearn.model_selection import GridSearchCV, KFold

alphas = np.logspace(-1, 3, 13)
folds = KFold(5, shuffle=True, random_state=0)
search = GridSearchCV(
    w2s, {"student__weightedridge__alpha": alphas}, cv=folds,
    scoring="neg_mean_squared_error",
).fit(X_train, y_train)
best = search.best_estimator_
print("selected alpha:", search.best_params_["student__weightedridge__alpha"])

# %%
# The refit estimator was trained on all of ``X_train`` with the same protocol:
# its teacher on half of the rows, its student on the teacher's labels for the
# other half. The *ceiling* is the student pipeline trained on the true labels
# of those same rows, tuned the same way.
from sklearn.base import clone
from sklearn.metrics import mean_squared_error

student_rows = best.student_rows_
ceiling = GridSearchCV(
    clone(student), {"weightedridge__alpha": alphas}, cv=folds,
    scoring="neg_mean_squared_error",
).fit(X_train[student_rows], y_train[student_rows])

test_mse = {
    "teacher": mean_squared_error(y_test, best.teacher_.predict(X_test)),
    "w2s student": mean_squared_error(y_test, best.predict(X_test)),
    "ceiling": mean_squared_error(y_test, ceiling.predict(X_test)),
}
for name, value in test_mse.items():
    print(f"{name:>12}: test MSE {value:7.0f}")

# %%
# Honest selection: true labels, never pseudo-labels
# --------------------------------------------------
# Tuning the student on its own training data, that is on the teacher's
# pseudo-labels, measures how well it *imitates the teacher*. Below, the
# student is cross-validated on the pseudo-labels of its rows (an ordinary
# :class:`~sklearn.model_selection.GridSearchCV` of the student alone, which is what
# :class:`~sklearn.linear_model.RidgeCV` on the pseudo-labels would do), next to
# the honest curve of the search above. The imitation criterion sits at a
# smaller ``alpha`` here, and its values, far below the honest ones, say nothing
# about the error against the truth. With a k-NN teacher the two minima are
# not far apart, because the teacher's labels are themselves noisy functions of
# the features and imitating them also calls for some shrinkage; with a linear
# teacher whose pseudo-labels are an exact linear function of the features the
# imitation criterion always picks the smallest ``alpha`` and the student copies
# its teacher (see :ref:`model_selection`).
import matplotlib.pyplot as plt

imitation = GridSearchCV(
    clone(student), {"weightedridge__alpha": alphas}, cv=folds,
    scoring="neg_mean_squared_error",
).fit(X_train[student_rows], best.pseudo_labels_[student_rows])

honest_mse = -search.cv_results_["mean_test_score"]
imitation_mse = -imitation.cv_results_["mean_test_score"]
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for ax, curve, title in [
    (axes[0], honest_mse, "CV error on held-out TRUE labels"),
    (axes[1], imitation_mse, "CV error on the teacher's PSEUDO-labels"),
]:
    ax.semilogx(alphas, curve, "o-")
    ax.axvline(alphas[np.argmin(curve)], color="C3", ls="--",
               label=f"minimum at alpha={alphas[np.argmin(curve)]:.3g}")
    ax.set_xlabel("student alpha")
    ax.set_ylabel("mean squared error")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=9, loc="upper left")

chosen = imitation.best_params_["weightedridge__alpha"]
imitator = clone(student).set_params(weightedridge__alpha=chosen)
imitator.fit(X_train[student_rows], best.pseudo_labels_[student_rows])
print(f"student tuned on pseudo-labels (alpha={chosen:.3g}): test MSE "
      f"{mean_squared_error(y_test, imitator.predict(X_test)):.0f}")

# %%
# A teacher that is already trained
# ---------------------------------
# Often the weak model exists already. Wrapped in
# :class:`~sklearn.frozen.FrozenEstimator`, it is not refit, and every row
# passed to ``fit`` becomes a student row (with a frozen teacher ``y`` is not
# used and may be ``None``). The teacher must have been trained on *other*
# rows than the student's: on its own training rows its predictions carry its
# fit to their noise, and the student would learn that. Here the teacher is
# trained on the first 40% of ``X_train`` and the student uses the rest.
from sklearn.frozen import FrozenEstimator

n_teacher = int(0.4 * len(X_train))
X_old, y_old = X_train.iloc[:n_teacher], y_train.iloc[:n_teacher]
X_new = X_train.iloc[n_teacher:]  # rows the old teacher never saw

old_teacher = clone(teacher).fit(X_old, y_old)
frozen = WeakToStrongRegressor(
    FrozenEstimator(old_teacher),
    clone(student).set_params(weightedridge__alpha=search.best_params_[
        "student__weightedridge__alpha"]),
).fit(X_new)
print("student rows:", frozen.student_rows_.sum(), "of", len(X_new))
print(f"frozen teacher: test MSE "
      f"{mean_squared_error(y_test, old_teacher.predict(X_test)):.0f}, its "
      f"student: {mean_squared_error(y_test, frozen.predict(X_test)):.0f}")

# %%
# Teacher, student and ceiling per fold, and the PGR
# --------------------------------------------------
# :func:`~skw2s.model_selection.cross_validate_w2s` refits the whole
# procedure on each training fold and scores the teacher, the student and the
# ceiling (the student's model on the true labels of the student's rows) on
# the held-out fold's true labels. Its splitter is
# :class:`~skw2s.model_selection.LabeledSplit`, which keeps unlabeled (NaN)
# rows out of the test folds; here every row is labeled, so it splits like the
# :class:`~sklearn.model_selection.KFold` it wraps. The performance gap recovered,
# :func:`~skw2s.metrics.performance_gap_recovered`, is the fraction of the gap
# between teacher and ceiling that the student closes.
import pandas as pd

from skw2s.model_selection import LabeledSplit, cross_validate_w2s

cv_results = cross_validate_w2s(best, X_train, y_train, cv=LabeledSplit(folds))
table = pd.DataFrame({
    "teacher MSE": cv_results["test_teacher_mse"],
    "student MSE": cv_results["test_student_mse"],
    "ceiling MSE": cv_results["test_ceiling_mse"],
    "PGR": cv_results["test_pgr"],
}).rename_axis("fold")
print(table.round(2))
print(table.mean().round(2))

# %%
fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
width = 0.27
x = np.arange(len(table))
for k, (column, color) in enumerate(
    [("teacher MSE", "C3"), ("student MSE", "C0"), ("ceiling MSE", "C2")]
):
    ax.bar(x + (k - 1) * width, table[column], width, color=color, label=column)
for i, pgr in enumerate(table["PGR"]):
    ax.annotate(f"PGR {pgr:.2f}", (i, table.iloc[i, :3].max()),
                ha="center", va="bottom", fontsize=9)
ax.set_xticks(x, [f"fold {i}" for i in x])
ax.set_ylabel("test MSE (held-out true labels)")
ax.set_ylim(0, 1.15 * table.iloc[:, :3].to_numpy().max())  # room for the labels
fig.legend(loc="outside lower center", ncol=3, fontsize=10)
ax.set_title("cross_validate_w2s on the diabetes data")
# sphinx_gallery_thumbnail_number = 2
plt.show()

# %%
# Interpretation
# --------------
# The student never sees a true label, yet it is much better than its teacher:
# the teacher's errors (neighbour-averaging noise and the eight features it
# ignores) are partly *not* linear functions of the ten features, so a
# regularized linear student cannot copy them and averages them out, while it
# keeps the part of the teacher's signal that is. How much of the gap to the
# ceiling it recovers varies from fold to fold, and the numbers come from 442
# rows, so they are noisy. Two rules make such numbers trustworthy: choose the
# student's regularization on held-out **true** labels (a grid search around
# the whole :class:`~skw2s.WeakToStrongRegressor`, or
# :func:`~skw2s.model_selection.cross_validate_w2s`), never on the teacher's
# pseudo-labels; and never let a teacher label rows it was trained on (a
# :class:`~sklearn.frozen.FrozenEstimator` teacher must come from other rows).
