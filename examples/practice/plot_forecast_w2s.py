"""
===============================================
Forecast weak-to-strong before training
===============================================

:func:`~skw2s.model_selection.forecast_w2s` answers the practitioner's
question before the student is trained on all the teacher's labels: will the
weak-to-strong (W2S) student beat its teacher, and the *supervised student*
(the same student fit on the true labels you have)? It cross-fits the three
contenders on the labeled rows, measures how far the student lands from its
teacher on unlabeled rows (the *misfit*, which needs no label) and returns
every error with an interval, and a verdict only when the intervals support
one. For a ridge teacher and a ridge student it adds the plug-in
deterministic equivalents of :mod:`skw2s.theory`, whose inputs
:func:`~skw2s.theory.estimate_problem` estimates from the data.

This example makes a forecast on the diabetes data shipped with
scikit-learn, trains the models it is about and checks it on held-out rows;
then, on synthetic Gaussian data where the theory's assumptions hold, it
compares the plug-in theory curve with the realized errors over the student's
alpha. The held-out rows are a check that you cannot run on your own data.
"""

# %%
# The data: 80 labeled rows among 300
# -----------------------------------
# The 442 patients of the diabetes data are split into a pool of 300 rows,
# of which only the first 80 keep their target (NaN marks the others), and
# 142 test rows that no model sees before the check.
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_pool, X_test, y_full, y_test = train_test_split(X, y, test_size=142,
                                                  random_state=0)
y_pool = y_full.copy()
y_pool[80:] = np.nan  # 80 labeled rows, 220 unlabeled
labeled = ~np.isnan(y_pool)
print(f"pool: {labeled.sum()} labeled + {(~labeled).sum()} unlabeled rows; "
      f"{len(y_test)} test rows")

# %%
# The forecast, before training
# -----------------------------
# The teacher is a k-nearest-neighbors regressor on standardized features,
# the student a standardized ridge regression that tunes its ``alpha`` itself
# (:class:`~sklearn.linear_model.RidgeCV`): fit on the labeled rows it is the
# supervised student tuned for them, fit on the teacher's labels it is the
# W2S student. The result, a :class:`~skw2s.model_selection.W2SForecast`,
# prints as a table with 90 % intervals.
from sklearn.linear_model import RidgeCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s.model_selection import forecast_w2s

teacher = make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=10))
student = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-2, 3, 21)))
forecast = forecast_w2s(teacher, student, X_pool, y_pool, random_state=0)
print(forecast)

# %%
# The misfit is large (the smooth linear student does not copy the kNN
# teacher) and the W2S student is forecast below its teacher, though the
# interval of that gain still contains 0. The supervised student leads, and
# neither interval of a paired difference with the leader excludes 0: the
# forecast abstains (``"undecided"``). The 80 labels cannot tell which model
# is best.
#
# Training, then the check
# ------------------------
# The models the forecast is about, trained on the whole pool: the
# :class:`~skw2s.WeakToStrongRegressor` fits the teacher on the 80 labeled
# rows (its ``teacher_``) and the student on the teacher's labels of the 220
# unlabeled rows; the supervised student is the same self-tuning ridge fit on
# the 80 labeled rows. Their errors on the 142 test rows are the realized
# errors. The *ceiling*, the student on the true labels of the 220 unlabeled
# rows (labels you would not have), shows how much room there was. The test
# set is small: the paired standard errors of the differences say how far to
# trust the ordering.
from sklearn.base import clone

from skw2s import WeakToStrongRegressor

w2s = WeakToStrongRegressor(teacher, student).fit(X_pool, y_pool)
supervised = clone(student).fit(X_pool[labeled], y_pool[labeled])
# the ceiling: the student on the true labels of its own (unlabeled) rows,
# which a user does not have; it bounds what weak-to-strong training can reach
ceiling = clone(student).fit(X_pool[~labeled], y_full[~labeled])


def test_errors(models):
    """Squared errors on the test rows, per model."""
    return {name: (model.predict(X_test) - y_test) ** 2
            for name, model in models.items()}


def print_against(sq, reference, source, digits):
    """Each model's test MSE beside its forecast (or theory) value."""
    for name, e in sq.items():
        ref = (f"{source} {reference[name]:.{digits}f}" if name in reference
               else "not forecast")
        print(f"{name:>18}: test MSE {e.mean():.{digits}f}   ({ref})")


sq = test_errors({"teacher": w2s.teacher_, "W2S student": w2s,
                  "supervised student": supervised, "ceiling": ceiling})
print_against(sq, {"teacher": forecast.teacher_error,
                   "W2S student": forecast.student_error,
                   "supervised student": forecast.supervised_error},
              "forecast", 0)
for a, b in [("teacher", "W2S student"), ("W2S student", "supervised student")]:
    gap = sq[a] - sq[b]
    print(f"{b} better than the {a} by {gap.mean():.0f} on the test rows "
          f"(paired s.e. {gap.std(ddof=1) / np.sqrt(gap.size):.0f})")

# %%
# :class:`~skw2s.model_selection.W2SForecastDisplay` draws the forecast of
# each contender (a point and its interval) and the realized test error (a
# red diamond); the leader of the forecast is in bold.
import matplotlib.pyplot as plt

from skw2s.model_selection import W2SForecastDisplay

disp = W2SForecastDisplay.from_estimator(forecast, w2s, X_test, y_test,
                                         supervised=supervised)
disp.ax_.set_title(f"diabetes, kNN teacher, 80 labels: {forecast.verdict}")
plt.show()

# %%
# The check agrees with the forecast's reading. On the test rows the W2S
# student beats its kNN teacher by about two paired standard errors, and the
# supervised student is a little ahead of the W2S student, by less than one
# paired standard error: the close call on which the forecast abstained. The
# realized errors fall inside the forecast intervals. The forecast's errors
# are those of models trained in 10 folds, on 9/10 of the rows, so they run a
# little above those of the models trained on all rows. Here weak-to-strong
# training is no better than the obvious alternative, fitting the student on
# the 80 labels; the forecast said as much before any training. The ceiling
# (the student on the true labels of the 220 rows) is lower still: the room
# that weak-to-strong training left unused here.
#
# The plug-in ridge theory, against the realized curve
# ----------------------------------------------------
# For a ridge teacher and a ridge student the forecast also carries the
# deterministic equivalents of :mod:`skw2s.theory`, with the covariance of
# the rows, the signal and the noise estimated from the data by
# :func:`~skw2s.theory.estimate_problem`. They hold for Gaussian rows and a
# linear target with Gaussian noise, which
# :func:`~skw2s.datasets.make_w2s_regression` draws: 150 labeled rows, 1500
# unlabeled and 2000 test rows with 50 features. The teacher is a nearly
# ridgeless ridge (``alpha=1e-6``, under-regularized: the first mechanism of
# weak-to-strong generalization), and the student's ``alpha`` is the one the
# plug-in theory predicts best, from
# :func:`~skw2s.theory.optimal_student_alpha`.
from sklearn.linear_model import Ridge

from skw2s.datasets import make_w2s_regression
from skw2s.theory import estimate_problem, optimal_student_alpha

n, m = 150, 1500
X, y, truth = make_w2s_regression(n + m + 2000, 50, random_state=0,
                                  return_params=True)
X_pool, y_pool = X[: n + m], y[: n + m].copy()
X_test, y_test = X[n + m:], y[n + m:]
y_pool[n:] = np.nan
problem = estimate_problem(X_pool, y_pool)
signal = np.sum(truth["covariance"] * truth["coef"] ** 2)  # a diagonal covariance
print(f"estimated noise sd {problem.noise:.2f} (true {truth['noise']:g}), "
      f"signal {problem.signal:.2f} (true {signal:.2f})")
plug_in = optimal_student_alpha(1e-6, n_teacher=n, n_student=m,
                                covariance=problem.covariance, coef=problem.coef,
                                noise=problem.noise)
print(f"plug-in best student alpha: {plug_in.alpha:.0f}")

teacher, student = Ridge(alpha=1e-6), Ridge(alpha=plug_in.alpha)
forecast = forecast_w2s(teacher, student, X_pool, y_pool, random_state=0)
print(forecast)

# %%
# The realized curve: the teacher, trained on the 150 labeled rows, labels the
# 1500 unlabeled rows, and a ridge student is fit to those labels at each
# alpha of the theory curve and scored on the test rows. The supervised
# student is :class:`~sklearn.linear_model.RidgeCV`, tuned on the 150 labels.
w2s = WeakToStrongRegressor(teacher, student).fit(X_pool, y_pool)
pseudo = w2s.teacher_.predict(X_pool[n:])
alphas = forecast.theory.student_alphas
curve = [np.mean((Ridge(alpha=a).fit(X_pool[n:], pseudo).predict(X_test)
                  - y_test) ** 2) for a in alphas]
supervised = RidgeCV(alphas=np.logspace(-1, 4, 26)).fit(X_pool[:n], y_pool[:n])
ceiling = RidgeCV(alphas=np.logspace(-1, 4, 26)).fit(X_pool[n:], y[n: n + m])
sq = test_errors({"teacher": w2s.teacher_, "W2S student": w2s,
                  "supervised student": supervised, "ceiling": ceiling})
theory = forecast.theory
print_against(sq, {"teacher": theory.teacher_mse,
                   "W2S student": theory.student_mse_at_alpha,
                   "supervised student": theory.supervised_mse},
              "plug-in theory", 3)
best = int(np.argmin(curve))
print(f"realized best student alpha {alphas[best]:.0f} (test MSE "
      f"{curve[best]:.3f}); theory's {theory.best_student_alpha:.0f}")

disp = W2SForecastDisplay.from_estimator(
    forecast, w2s, X_test, y_test, supervised=supervised,
    realized_curve=(alphas, curve),
)
disp.ax_.set_title(f"Gaussian data, ridgeless teacher: {forecast.verdict}")
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# Reading the theory panel
# ------------------------
# The plug-in curve has the realized curve's shape and its minimum at the
# same alpha: a ridge student fit to the labels of an under-regularized
# teacher beats it once its alpha is large enough, and over-regularizing
# loses it again. The curve's level is about one tenth too high, mostly
# because the signal estimated from the 150 labels is too large (their
# sample variance is high by chance): at the largest alphas, where the
# student predicts little more than the mean, the gap between the curves is
# that overestimate itself. The formulas are also high-dimensional limits
# that fluctuate at 50 features.
# Both the theory and the test rows say the same about the baseline: the
# supervised student, a ridge tuned on the 150 true labels, is as good as the
# best W2S student. Under the theory's isotropic prior a tuned ridge on the
# true labels is the best linear estimator, so weak-to-strong training gains
# over the ridgeless teacher only. The ceiling, a ridge tuned on the true
# labels of the 1500 rows, is well below all three: what the teacher's
# labels cannot supply.
#
# The left panel agrees. The forecast's supervised student is the ridge
# given as the student, but tuned for the 150 labeled rows (a fixed ridge
# student gets its own alpha in that role, by leave-one-out: the W2S alpha,
# chosen for 1500 pseudo-labeled rows, would be far too strong for 150); it
# leads the W2S student by less than the interval of their difference, and
# the forecast abstains. On the test rows the two are within a few
# thousandths. The forecast's teacher error is above the realized one: a
# ridgeless teacher trained on 9/10 of 150 rows, with 50 features, is
# noticeably worse than one trained on all of them (the forecast is for
# models trained on 9/10 of the rows, and says so).
# The forecast costs about as much as one cross-validated report
# (:func:`~skw2s.model_selection.compare_w2s`), and reads nothing of the test
# rows.
