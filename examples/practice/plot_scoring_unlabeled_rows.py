"""
===============================================================
Unlabeled rows in plain scikit-learn tools: scorers and metrics
===============================================================

Data for weak-to-strong training mixes labeled and unlabeled rows, marked
``NaN`` for regression and ``-1`` (or ``NaN``/``None``) for classification.
Ordinary scikit-learn tools split rows at random, so unlabeled rows land in
test folds, and an ordinary metric cannot score them. The metrics and
scorers of :mod:`skw2s.metrics` drop those rows (with their weights) before
scoring; :class:`~skw2s.model_selection.LabeledSplit` instead keeps them out
of the test folds. This example uses both kinds of data, on synthetic sets
with a known truth:

* regression: a weak-to-strong ridge student cross-validated with
  :func:`~sklearn.model_selection.cross_validate` and the NaN-aware scorers,
  then scored on a new batch whose outcomes are only partly known;
* classification: three weak labelers trained elsewhere, combined by
  :class:`~skw2s.TeacherCommitteeClassifier`, teach a logistic student whose
  ``C`` a plain :class:`~sklearn.model_selection.GridSearchCV` tunes with
  four NaN-aware classification scorers.

Each weak-to-strong student is set beside the supervised student (the same
model on the true labels at hand, tuned for them).
"""

# %%
# Regression: NaN marks the unlabeled rows
# ----------------------------------------
# 600 rows of a linear model with 50 features, 150 of them labeled. The
# teacher is an almost unregularized ridge fit on the labeled rows; the
# student, a ridge, learns from its predictions for the other 450 rows, with
# ``alpha`` chosen on held-out true labels by
# :class:`~skw2s.WeakToStrongRegressorCV`.
import numpy as np
from sklearn.model_selection import KFold, cross_validate

from skw2s import WeakToStrongRegressorCV, WeightedRidge
from skw2s.datasets import make_w2s_regression
from skw2s.metrics import neg_mse_nan_scorer, r2_nan_scorer

X, y, params = make_w2s_regression(1200, 50, return_params=True, random_state=0)
X_new, y_new = X[600:], y[600:]  # a later batch, for the last step
X, y = X[:600], y[:600].copy()
y_true = y.copy()
y[150:] = np.nan  # 150 labeled rows, 450 unlabeled
alphas = np.logspace(-1, 3, 9)
w2s = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-3), WeightedRidge(),
                              alphas=alphas, random_state=0)

# %%
# A plain :class:`~sklearn.model_selection.KFold` puts unlabeled rows in every
# test fold; the scorers skip them, so each fold is scored on its labeled rows
# only. A third scorer, for the mean absolute error, comes from
# :func:`~skw2s.metrics.make_nan_scorer`.
from sklearn.metrics import mean_absolute_error

from skw2s.metrics import make_nan_scorer

scoring = {
    "mse": neg_mse_nan_scorer,
    "r2": r2_nan_scorer,
    "mae": make_nan_scorer(mean_absolute_error, greater_is_better=False),
}
cv = KFold(5, shuffle=True, random_state=0)
scores = cross_validate(w2s, X, y, cv=cv, scoring=scoring)
for name in scoring:
    values = scores[f"test_{name}"]
    print(f"W2S student, cross-validated {name}: {values.mean():.3f} "
          f"(s.d. over folds {values.std(ddof=1):.3f})")

# %%
# A later batch arrives in which only some outcomes are known (NaN for the
# others). :func:`~skw2s.metrics.nan_mean_squared_error` and
# :func:`~skw2s.metrics.nan_r2_score` score the rows that have one. The
# supervised student, a :class:`~sklearn.linear_model.RidgeCV` on the 150
# labeled rows (its ``alpha`` by leave-one-out), is scored the same way.
from sklearn.linear_model import RidgeCV

from skw2s.metrics import nan_mean_squared_error, nan_r2_score

y_batch = y_new.copy()
y_batch[np.random.default_rng(0).random(y_batch.size) < 0.7] = np.nan
print(f"new batch: {np.isfinite(y_batch).sum()} of {y_batch.size} outcomes known")
w2s.fit(X, y)
supervised = RidgeCV(alphas=alphas).fit(X[:150], y[:150])
for name, model in [("teacher", w2s.best_estimator_.teacher_),
                    ("W2S student", w2s), ("supervised student", supervised)]:
    pred = model.predict(X_new)
    print(f"{name:>18}: MSE {nan_mean_squared_error(y_batch, pred):.3f}, "
          f"R2 {nan_r2_score(y_batch, pred):.3f}")

# %%
# The W2S student improves on its nearly unregularized teacher and still
# loses to the supervised student: a ridge tuned on the teacher's own 150
# labels is what the teacher should have been (see
# :ref:`mechanism_regularization`).
#
# Classification: ``-1`` marks the unlabeled rows
# ------------------------------------------------
# Binary data from a logistic model with 12 features
# (:func:`~skw2s.datasets.make_w2s_classification`). Three weak labelers were
# trained elsewhere, on 1000 other rows, each a depth-3 tree that sees four
# of the features; here they are used as they are
# (:class:`~sklearn.frozen.FrozenEstimator`). In the new data, 100 of 1200
# rows have a label. :class:`~skw2s.TeacherCommitteeClassifier` averages the
# labelers' probabilities (``method="mean"``) and is the teacher of a logistic
# student.
from sklearn.compose import ColumnTransformer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

from skw2s import TeacherCommitteeClassifier, WeakToStrongClassifier
from skw2s.datasets import make_w2s_classification

Xc, yc = make_w2s_classification(3000, 12, signal=5.0, random_state=0)
X_elsewhere, y_elsewhere = Xc[:1000], yc[:1000]
Xc_test, yc_test = Xc[2200:], yc[2200:]
Xc, yc = Xc[1000:2200], yc[1000:2200]
yc_marked = yc.copy()
yc_marked[100:] = -1  # 100 labeled rows, 1100 unlabeled


def labeler(columns):
    """A weak labeler trained elsewhere: a shallow tree on four features."""
    tree = make_pipeline(ColumnTransformer([("keep", "passthrough", columns)]),
                         DecisionTreeClassifier(max_depth=3, random_state=0))
    return FrozenEstimator(tree.fit(X_elsewhere, y_elsewhere))


labelers = [(f"tree on x{a}-x{a + 3}", labeler(list(range(a, a + 4))))
            for a in (0, 4, 8)]
committee = TeacherCommitteeClassifier(labelers, method="mean")
w2s_clf = WeakToStrongClassifier(committee, LogisticRegression())

# %%
# Tune the student's ``C`` with a plain grid search over random folds of all
# 1200 rows. Unlabeled rows in a test fold are skipped by the scorers:
# accuracy (:data:`~skw2s.metrics.accuracy_nan_scorer`), ROC AUC
# (:data:`~skw2s.metrics.roc_auc_nan_scorer`), log-loss
# (:data:`~skw2s.metrics.neg_log_loss_nan_scorer`) and a balanced accuracy
# made with :func:`~skw2s.metrics.make_nan_classification_scorer`; the refit
# uses the accuracy.
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV

from skw2s.metrics import (
    accuracy_nan_scorer,
    make_nan_classification_scorer,
    neg_log_loss_nan_scorer,
    roc_auc_nan_scorer,
)

classification_scoring = {
    "accuracy": accuracy_nan_scorer,
    "roc_auc": roc_auc_nan_scorer,
    "log_loss": neg_log_loss_nan_scorer,
    "balanced_accuracy": make_nan_classification_scorer(balanced_accuracy_score),
}
search = GridSearchCV(w2s_clf, {"student__C": [0.01, 0.1, 1.0]}, cv=cv,
                      scoring=classification_scoring, refit="accuracy")
search.fit(Xc, yc_marked)
best = search.best_index_
print(f"selected C: {search.best_params_['student__C']}")
for name in classification_scoring:
    print(f"W2S student, cross-validated {name}: "
          f"{search.cv_results_[f'mean_test_{name}'][best]:.3f}")

# %%
# On 800 test rows, beside the labelers, the committee and the supervised
# student (the logistic regression on the 100 labels, ``C`` by
# cross-validation on them):
labeled = yc_marked != -1
supervised_clf = GridSearchCV(LogisticRegression(), {"C": [0.01, 0.1, 1.0]})
supervised_clf.fit(Xc[labeled], yc[labeled])
w2s_fitted = search.best_estimator_
correct = {name: labeler_.predict(Xc_test) == yc_test for name, labeler_ in labelers}
correct["committee"] = w2s_fitted.teacher_.predict(Xc_test) == yc_test
correct["W2S student"] = w2s_fitted.predict(Xc_test) == yc_test
correct["supervised student"] = supervised_clf.predict(Xc_test) == yc_test
for name, hits in correct.items():
    print(f"{name:>18}: test accuracy {hits.mean():.3f}")
gap = correct["W2S student"].astype(float) - correct["supervised student"]
print(f"W2S student minus supervised student: {gap.mean():+.3f} "
      f"(paired s.e. {gap.std(ddof=1) / np.sqrt(gap.size):.3f})")

# %%
# The same accuracies as a chart, with one standard error of each.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
names = list(correct)
accuracy = np.array([correct[n].mean() for n in names])
se = np.sqrt(accuracy * (1 - accuracy) / yc_test.size)
colors = ["0.6", "0.6", "0.6", "tab:red", "tab:blue", "tab:green"]
ax.barh(names, accuracy, xerr=se, color=colors)
ax.invert_yaxis()
ax.set_xlim(0.5, 0.9)
ax.set_xlabel("test accuracy (800 rows)")
ax.set_title("weak labelers, their committee, and two students")
plt.show()

# %%
# Interpretation
# --------------
# The NaN-aware scorers let ordinary scikit-learn tools
# (:func:`~sklearn.model_selection.cross_validate`,
# :class:`~sklearn.model_selection.GridSearchCV`) run on marked data: every
# score above is computed on labeled rows only. Where you control the folds,
# :class:`~skw2s.model_selection.LabeledSplit` is the better splitter (every
# test row then counts).
#
# The comparisons with the supervised student are the other half of the
# story. In the regression, the teacher was fit on the labels at hand, and
# the supervised student beats the W2S student. In the classification, the
# labelers learned from 1000 rows that are not among the 100 labels, and the
# W2S student, trained on the committee's probabilities for 1200 rows, is
# much better than the committee; yet it only ties the logistic regression
# trained on the 100 labels (the paired difference is well within its
# standard error). Before preferring either, decide with the report
# (:func:`~skw2s.model_selection.compare_w2s`, :ref:`should_i_use_w2s`).
