"""
======================================================================
Weak-to-strong on your own data: a few labels, a decision, predictions
======================================================================

The realistic case, from start to finish, on the diabetes data set bundled
with scikit-learn (442 patients, 10 features, a disease-progression target).
You have the outcome of only 100 of your patients; the others are unlabeled.
You also have a *weak model* (a nearest-neighbours regressor that sees only
body mass index and blood pressure) and a *strong model* you would like to use
(a standardized ridge regression on all ten features). Should the strong
model learn from the weak model's predictions for the unlabeled patients
(weak-to-strong), or from the 100 true labels alone (the *supervised
student*), or is the weak model good enough as it is?

The steps: mark the unlabeled rows, ask
:func:`~skw2s.model_selection.compare_w2s`, read its verdict (including
*undecided*), then fit the chosen model and predict. A test set of patients
that no model sees lets us check the decision afterwards, which you cannot do
on your own data. The last section shows the pitfall that makes weak-to-strong
results look better than they are: tuning the student on the teacher's
pseudo-labels.
"""

# %%
# Your data: a few labels, the other rows marked
# ----------------------------------------------
# A quarter of the patients is put aside as a test set: these are the
# "future patients" the chosen model will predict, and the only thing we use
# their outcomes for is the check at the end. Of the 331 remaining patients,
# 100 keep their outcome and the others get ``NaN``, the marker of an
# unlabeled row for regression (for a classifier: ``-1``, or ``NaN``/``None``;
# never mark a regression row with ``-1``, which is a valid target).
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train_full, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0
)
y_train = y_train_full.copy()
rng = np.random.default_rng(0)
unlabeled = rng.permutation(len(y_train))[100:]
y_train[unlabeled] = np.nan
labeled = ~np.isnan(y_train)
print(f"{labeled.sum()} labeled rows, {(~labeled).sum()} unlabeled rows, "
      f"{len(X_test)} test rows")

# %%
# The weak teacher and the strong student
# ---------------------------------------
# Both are ordinary scikit-learn pipelines. The teacher's
# :class:`~sklearn.compose.ColumnTransformer` keeps two of the ten columns;
# five nearest neighbours on them give a noisy, piecewise-constant
# prediction. The student is a standardized :class:`~skw2s.WeightedRidge`
# (plain ridge here) whose ``alpha`` will be tuned: on the labeled rows for the
# supervised student, on held-out **true** labels for the weak-to-strong
# student, never on the teacher's pseudo-labels.
from sklearn.compose import ColumnTransformer
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import WeightedRidge

BMI, BP = 2, 3  # the columns of body mass index and blood pressure
teacher = Pipeline([
    ("weak_features", ColumnTransformer([("keep", "passthrough", [BMI, BP])])),
    ("scale", StandardScaler()),
    ("knn", KNeighborsRegressor(n_neighbors=5)),
])
student = make_pipeline(StandardScaler(), WeightedRidge())
alphas = np.logspace(-1, 3, 5)
grid = {"weightedridge__alpha": alphas}

# %%
# Before training: a forecast
# ---------------------------
# :func:`~skw2s.model_selection.forecast_w2s` answers the same question
# before any student is trained on all the rows: it cross-fits the teacher on
# the labeled rows, measures how far a student trained on its labels lands
# from it (the *misfit*, with no label), and gives every error a 90 %
# interval. It names a model only when the intervals of the differences
# support it.
from skw2s.model_selection import forecast_w2s

forecast = forecast_w2s(teacher, student, X_train, y_train,
                        param_grid=grid, random_state=0)
print(forecast)

# %%
# The forecast abstains: the supervised student leads, but the interval of
# its lead over the W2S student contains 0. It does say that the W2S student
# would land far from its teacher (a large misfit, measured on unlabeled
# rows), hence a real gain over the teacher, and that 100 labels cannot tell
# whether that gain is enough. The report below, after training, agrees.

# %%
# Decide with the report
# ----------------------
# :func:`~skw2s.model_selection.compare_w2s` cross-validates, on the same
# five folds of the 100 labeled rows (unlabeled rows stay in every training
# fold, see :class:`~skw2s.model_selection.LabeledSplit`), the teacher, the
# weak-to-strong (W2S) student, the supervised student (the student on the
# teacher's true labels) and, asked for in ``contenders``, the pseudo+true
# student (both kinds of rows).
# ``param_grids`` tunes the student separately for each role, inside every
# training fold. The numbers are errors on held-out *labeled* rows.
import warnings

from sklearn.exceptions import UndefinedMetricWarning

from skw2s.model_selection import compare_w2s

# Every student row is unlabeled, so there is no ceiling (NaN); the report
# says so in one warning, silenced here.
warnings.simplefilter("ignore", UndefinedMetricWarning)
report = compare_w2s(
    {"kNN on bmi, bp": teacher}, {"scaled ridge": student}, X_train, y_train,
    cv=5, param_grids={"scaled ridge": grid},
    contenders=("teacher", "w2s", "supervised", "pseudo_true"),
)
row = report.iloc[0]
MODELS = {"teacher": "teacher", "w2s": "W2S student",
          "supervised": "supervised student", "pseudo_true": "pseudo+true student"}
for key, name in MODELS.items():
    print(f"{name:>19}: CV MSE {row[key + '_mse']:5.0f} (s.e. "
          f"{row[key + '_mse_se']:3.0f})  {row[key + '_params']}")
print(f"\nbest: {row['best']}   leader: {row['leader']}   "
      f"runner-up: {row['runner_up']}")
print(f"labeled rows that would resolve it: about "
      f"{row['n_labeled_to_resolve']:.0f} (you have {row['n_labeled']})")
print(row["verdict"])

# %%
# :class:`~skw2s.model_selection.W2SReportDisplay` draws the same table; a
# star would mark the verdict's best model, and there is none here.
import matplotlib.pyplot as plt

from skw2s.model_selection import W2SReportDisplay

fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
W2SReportDisplay.from_cv_results(report, ax=ax)
ax.set_title("compare_w2s on 100 labeled patients: undecided")
ax.set_ylim(2500, None)
plt.show()

# %%
# Reading the verdict
# -------------------
# ``best`` is ``"undecided"``: no model beats every other one by more than two
# standard errors of the paired per-row differences. That is the honest
# answer with 100 labels, not a failure; it is the usual answer below a few
# hundred labeled rows (:ref:`should_i_use_w2s`). What to do then:
#
# * **Label more rows, if you can.** ``n_labeled_to_resolve`` is the number of
#   labeled rows at which the observed margin would be two standard errors,
#   if the margin and the spread stayed as they are: an order of magnitude,
#   not a promise. Here it is about twice the labels you have.
# * **Otherwise choose, knowing it is a bet.** ``leader`` is the best mean,
#   reported even when undecided: a hint, not a finding. Here the leader is
#   the supervised student, which is also the simpler model (it needs no
#   teacher at prediction time), and the W2S student does not lead it. Both
#   hints point the same way.
# * Had the verdict been ``"w2s"``, you would fit the W2S student;
#   ``"teacher"``, keep the teacher; ``"supervised"``, fit the student on your
#   labels.
#
# The code follows the verdict when it is decided, and the leader otherwise
# (say so when you report the choice):
choice = row["best"] if row["best"] != "undecided" else row["leader"]
print(f"verdict {row['best']!r}: fitting the {choice!r} model "
      f"({'decided' if row['best'] != 'undecided' else 'the leader, a hint'})")

# %%
# Fit the chosen model, then predict
# ----------------------------------
# Each choice is an ordinary estimator, tuned the way the report tuned it:
#
# * ``"supervised"``: the student on the labeled rows, ``alpha`` by
#   cross-validation on them (:class:`~sklearn.model_selection.GridSearchCV`);
# * ``"w2s"``: :class:`~skw2s.WeakToStrongRegressorCV` on **all** rows (NaN
#   included): the teacher on the labeled rows, the student on the teacher's
#   predictions for the unlabeled ones, ``alpha`` chosen on held-out true
#   labels;
# * ``"teacher"``: the teacher on the labeled rows.
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from skw2s import WeakToStrongRegressorCV

folds = KFold(5, shuffle=True, random_state=0)
mse = "neg_mean_squared_error"  # the report's metric, for the searches too
candidates = {
    "supervised": (GridSearchCV(student, grid, cv=folds, scoring=mse), labeled),
    "w2s": (WeakToStrongRegressorCV(teacher, student, alphas=alphas, cv=5,
                                    scoring=mse, random_state=0), slice(None)),
    "teacher": (clone(teacher), labeled),
}
model, rows = candidates[choice]
model.fit(X_train[rows], y_train[rows])
print("predictions for the first five new patients:",
      model.predict(X_test[:5]).round(0))

# %%
# Was it the right choice? (A check you cannot run on your own data)
# ------------------------------------------------------------------
# Here the test patients' outcomes are known, so every candidate can be fit
# and scored on them. The *ceiling* is the student fit on the true outcomes of
# the 231 unlabeled patients, which you do not have: it only says how far the
# W2S student is from what those rows' labels would give.
for estimator, fit_rows in candidates.values():
    if estimator is not model:
        estimator.fit(X_train[fit_rows], y_train[fit_rows])
w2s = candidates["w2s"][0]
ceiling = GridSearchCV(student, grid, cv=folds, scoring=mse).fit(
    X_train[~labeled], y_train_full[~labeled]
)


models = {
    "teacher": candidates["teacher"][0],
    "W2S student": w2s,
    "supervised student": candidates["supervised"][0],
    "ceiling": ceiling,
}
squared_errors = {name: (m.predict(X_test) - y_test) ** 2 for name, m in models.items()}
for name, errors in squared_errors.items():
    print(f"{name:>18}: test MSE {errors.mean():5.0f}")
gap = squared_errors["W2S student"] - squared_errors["supervised student"]
print(f"W2S student minus supervised student: {gap.mean():.0f} "
      f"(paired s.e. {gap.std(ddof=1) / np.sqrt(gap.size):.0f}, "
      f"{gap.size} test rows)")
print(f"W2S student alpha {w2s.alpha_:g}, supervised student alpha "
      f"{candidates['supervised'][0].best_params_['weightedridge__alpha']:g}")

# %%
# Read this plainly. The supervised student, tuned on the 100 labels, has the
# lower test error (3331 against 3606 for the W2S student); the ceiling,
# which used labels you do not have, is only a little better (3247). The W2S
# student is much better than its teacher without ever seeing a true label,
# and still no better than the student trained on the labels that taught the
# teacher. The 111 test patients cannot separate the two students either
# (the difference is smaller than its paired standard error): the report's
# *undecided* was the right answer, and its leader the better bet. On this
# data set, spend the labels on the strong model directly.

# %%
# Pitfall: tuning the student on the pseudo-labels
# ------------------------------------------------
# Left: what the report and :class:`~skw2s.WeakToStrongRegressorCV` optimize,
# the cross-validated error on held-out **true** labels against the student's
# ``alpha``, for the W2S student (``w2s.cv_results_``) and for the supervised
# student (the grid search on the labeled rows). Right: the tempting
# shortcut, the student cross-validated on its own training data, the
# teacher's pseudo-labels (what :class:`~sklearn.linear_model.RidgeCV` on the
# pseudo-labels would do). That criterion measures how well the student
# *imitates the teacher*: its values are far below the honest ones and its
# minimum says nothing about the truth (:ref:`model_selection`).
from sklearn.model_selection import cross_val_score

pseudo = w2s.best_estimator_.pseudo_labels_
student_rows = w2s.best_estimator_.student_rows_
imitation = [
    -cross_val_score(clone(student).set_params(weightedridge__alpha=a),
                     X_train[student_rows], pseudo[student_rows], cv=folds,
                     scoring="neg_mean_squared_error").mean()
    for a in alphas
]
curves = {
    "W2S student": -w2s.cv_results_["mean_test_score"],
    "supervised student": -candidates["supervised"][0].cv_results_["mean_test_score"],
}
fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for (name, curve), color in zip(curves.items(), ["C0", "C2"], strict=True):
    axes[0].semilogx(alphas, curve, "o-", color=color, label=name)
    axes[0].plot(alphas[np.argmin(curve)], curve.min(), "*", color=color,
                 markersize=14)
axes[0].set_ylabel("CV mean squared error against TRUE labels")
axes[0].set_title("honest: held-out true labels (star: best alpha)", fontsize=10)
axes[0].legend()
axes[1].semilogx(alphas, imitation, "o-", color="C7")
axes[1].plot(alphas[np.argmin(imitation)], min(imitation), "*", color="C7",
             markersize=14)
axes[1].set_ylabel("CV mean squared error against the PSEUDO-labels")
axes[1].set_title("imitation: the teacher's pseudo-labels", fontsize=10)
for ax in axes:
    ax.set_xlabel("student alpha")
print(f"alpha chosen on the pseudo-labels: {alphas[np.argmin(imitation)]:g}; "
      f"on true labels: {w2s.alpha_:g}")

# %%
# Interpretation
# --------------
# With 100 labels the report could not separate the supervised student from
# the W2S student (undecided); its leader, the supervised student, also had
# the lower error on new patients, and nothing, neither the report nor the
# test set, says the W2S student is better. This is the common outcome on
# small tabular data with a weak teacher fit on the same labels: the
# teacher's predictions carry nothing the 100 labels do not already give the
# strong model, and they add the teacher's errors. Weak-to-strong training
# pays when the teacher knows something the labels cannot teach, typically a
# model trained elsewhere on other data, entered as a
# :class:`~sklearn.frozen.FrozenEstimator` (it must not have seen the
# student's rows; see
# :ref:`sphx_glr_auto_examples_getting_started_plot_should_i_use_w2s.py`).
# The rules that make the comparison honest: tune every contender for its own
# rows, the W2S student on held-out true labels and never on pseudo-labels;
# never let a teacher label rows it was trained on; and read an undecided
# verdict as "these labels cannot tell", with ``n_labeled_to_resolve`` saying
# roughly how many more would.
# sphinx_gallery_thumbnail_number = 1
