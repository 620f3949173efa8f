"""
=======================================================================
Mechanism 1: a ridge student can only beat an under-regularized teacher
=======================================================================

A ridge *teacher* is fit on ``n`` labeled rows; a ridge *student* is fit on
``m`` fresh rows labeled only by the teacher's predictions. The student's error
depends on its own ``alpha``, and whether it can end up **below** the teacher
depends on how the teacher was regularized (the first mechanism of
:ref:`mechanisms`): a student that shrinks the teacher's coefficients removes
part of the noise an *under-regularized* teacher has fit, but only adds bias to
a well- or over-regularized one.

We compare the deterministic-equivalent predictions of
:func:`skw2s.theory.w2s_ridge_risk` with Monte Carlo simulations fit with
:class:`~skw2s.WeightedRidge`, for three teachers.
"""

# %%
# The model
# ---------
# Isotropic Gaussian inputs in ``d = 200`` dimensions, a fixed target with
# ``||b*|| = 1`` and label noise of standard deviation 1. The teacher sees
# ``n = 400`` labeled rows (``gamma_t = d / n = 0.5``), the student ``m = 400``
# teacher-labeled rows (``gamma_s = 0.5``). Regularization is in scikit-learn's
# units (``lambda = alpha / n_samples``); the optimal teacher has
# ``lambda_t* = noise**2 * gamma_t / ||b*||**2 = 0.5``, i.e. ``alpha_t* = 200``.
import numpy as np

from skw2s.theory import optimal_teacher_alpha

n_features, n_teacher, n_student, noise = 200, 400, 400, 1.0
rng = np.random.default_rng(0)
true_coef = rng.standard_normal(n_features)
true_coef /= np.linalg.norm(true_coef)
covariance = np.ones(n_features)  # Sigma = I
model = dict(covariance=covariance, coef=true_coef, noise=noise)

alpha_tuned = optimal_teacher_alpha(n_samples=n_teacher, **model).alpha
teachers = {
    "under-regularized": alpha_tuned / 50,  # lambda_t = 0.01
    "tuned": alpha_tuned,  # lambda_t = 0.5
    "over-regularized": alpha_tuned * 5,  # lambda_t = 2.5
}
print(f"optimal teacher alpha: {alpha_tuned:.1f}")

# %%
# Theory curves
# -------------
# For each teacher, the student's excess risk over a fine grid of student
# alphas, and the teacher's own risk, both from their closed forms.
from skw2s.theory import w2s_ridge_risk

alpha_grid = np.logspace(-0.5, 4.5, 200)
theory = {
    name: w2s_ridge_risk(
        alpha_t, alpha_grid, n_teacher=n_teacher, n_student=n_student, **model
    )
    for name, alpha_t in teachers.items()
}

# %%
# Monte Carlo simulation
# ----------------------
# In every trial we draw ``n + m`` rows with
# :func:`~skw2s.datasets.make_w2s_regression`, fit each teacher on the first
# ``n`` rows and the students on the teachers' predictions for the other ``m``
# rows (their true labels are never used). The three teachers' pseudo-labels
# are stacked as the columns of one multi-output target, so a single
# :class:`~skw2s.WeightedRidge` fit per student alpha trains the students of all
# three teachers. Because the data-generating parameters are returned, risks
# are exact excess risks ``(b - b*)' Sigma (b - b*)`` rather than noisy test
# errors.
#
# Beside them, the **supervised student**: the same ridge model fit on the
# teacher's ``n`` true labels, with its ``alpha`` chosen on those rows by
# :class:`~sklearn.linear_model.RidgeCV` (efficient leave-one-out). It is the
# baseline a weak-to-strong student has to beat to be worth using when the
# teacher's labels are at hand.
from sklearn.linear_model import RidgeCV

from skw2s import WeightedRidge
from skw2s.datasets import make_w2s_regression

alpha_mc = np.logspace(0, 4, 9)
n_trials = 6


def excess_risk(coef, params):
    """Excess risk of each row of ``coef`` (diagonal covariance)."""
    diff = np.atleast_2d(coef) - params.coef
    return np.sum(diff**2 * params.covariance, axis=1)


mc_teacher = np.empty((n_trials, len(teachers)))
mc_student = np.empty((n_trials, len(teachers), len(alpha_mc)))
mc_supervised = np.empty(n_trials)
for trial in range(n_trials):
    X, y, params = make_w2s_regression(
        n_samples=n_teacher + n_student,
        n_features=n_features,
        coef=true_coef,
        noise=noise,
        return_params=True,
        random_state=trial,
    )
    X_teacher, y_teacher, X_student = X[:n_teacher], y[:n_teacher], X[n_teacher:]
    pseudo_labels = np.empty((n_student, len(teachers)))
    for k, alpha_t in enumerate(teachers.values()):
        teacher = WeightedRidge(alpha=alpha_t, fit_intercept=False)
        teacher.fit(X_teacher, y_teacher)
        pseudo_labels[:, k] = teacher.predict(X_student)
        mc_teacher[trial, k] = excess_risk(teacher.coef_, params)[0]
    for j, alpha_s in enumerate(alpha_mc):
        student = WeightedRidge(alpha=alpha_s, fit_intercept=False)
        student.fit(X_student, pseudo_labels)  # coef_ has one row per teacher
        mc_student[trial, :, j] = excess_risk(student.coef_, params)
    # the supervised student: the student's model on the teacher's true labels,
    # its alpha chosen by leave-one-out on those rows
    supervised = RidgeCV(alphas=alpha_grid, fit_intercept=False)
    supervised.fit(X_teacher, y_teacher)
    mc_supervised[trial] = excess_risk(supervised.coef_, params)[0]

# %%
# Student risk against the student's alpha
# ----------------------------------------
# Lines: theory. Points: Monte Carlo mean with one standard error over the
# trials. Dashed lines: each teacher's predicted risk, the level a student has to
# get below to beat its teacher. Dash-dotted: the supervised student's
# predicted risk (:func:`~skw2s.theory.ridge_risk` at the best alpha for
# ``n`` rows; in this model that is the tuned teacher itself).
import matplotlib.pyplot as plt

from skw2s.theory import ridge_risk

fig, ax = plt.subplots(figsize=(7, 5.2), layout="constrained")
colors = ["C3", "C0", "C2"]
for k, (name, alpha_t) in enumerate(teachers.items()):
    color = colors[k]
    res = theory[name]
    ax.plot(alpha_grid, res.student_risk, color=color,
            label=f"student of {name} teacher ($\\alpha_t$={alpha_t:g})")
    ax.axhline(res.teacher_risk[0], color=color, linestyle="--", linewidth=1)
    risks = mc_student[:, k]
    ax.errorbar(
        alpha_mc,
        risks.mean(axis=0),
        yerr=risks.std(axis=0, ddof=1) / np.sqrt(n_trials),
        fmt="o",
        color=color,
        markersize=4,
        capsize=3,
    )
supervised_theory = ridge_risk(alpha_tuned, n_samples=n_teacher, **model)
ax.axhline(supervised_theory, color="k", linestyle="-.", linewidth=1.5,
           label="supervised student (tuned, theory)")
ax.plot([], [], "k--", linewidth=1, label="teacher risk (dashed, same color)")
ax.errorbar([], [], yerr=[], fmt="ko", markersize=4, capsize=3,
            label=f"simulation (mean ± s.e., {n_trials} trials)")
ax.set_xscale("log")
ax.set_xlabel(r"student $\alpha_s$ (scikit-learn units, $\lambda_s = \alpha_s / m$)")
ax.set_ylabel(r"excess risk $\|\hat\beta - \beta^*\|^2$")
ax.set_title(f"Ridge student on teacher labels (d={n_features}, n={n_teacher}, "
             f"m={n_student})")
ax.set_ylim(0, 1.1)
fig.legend(loc="outside lower center", ncol=2, fontsize=10)
plt.show()

# %%
# The best student of each teacher
# --------------------------------
# :func:`~skw2s.theory.optimal_student_alpha` minimizes the predicted student
# risk over the student's alpha. It is an interior minimum below the teacher
# only for the under-regularized teacher; for the others the infimum is the
# ridgeless student, which just copies the teacher (``alpha = 0``).
from skw2s.theory import optimal_student_alpha

for k, (name, alpha_t) in enumerate(teachers.items()):
    best = optimal_student_alpha(
        alpha_t, n_teacher=n_teacher, n_student=n_student, **model
    )
    print(
        f"{name} teacher: risk {best.teacher_risk:.3f} "
        f"(MC {mc_teacher[:, k].mean():.3f} ± "
        f"{mc_teacher[:, k].std(ddof=1) / np.sqrt(n_trials):.3f})\n"
        f"    best W2S student: alpha {best.alpha:.1f}, risk {best.risk:.3f}"
    )
best_mc = mc_student[:, 0].mean(axis=0)
print(
    f"under-regularized, best simulated W2S student: {best_mc.min():.3f} "
    f"at alpha {alpha_mc[best_mc.argmin()]:g}"
)
print(
    f"supervised student (RidgeCV on the teacher's {n_teacher} labels): risk "
    f"{ridge_risk(alpha_tuned, n_samples=n_teacher, **model):.3f} (theory, best "
    f"alpha), MC {mc_supervised.mean():.3f} ± "
    f"{mc_supervised.std(ddof=1) / np.sqrt(n_trials):.3f}"
)

# %%
# Interpretation
# --------------
# The simulated points fall on the theory curves. For small ``alpha_s`` every
# student copies its teacher (the curves start at the dashed lines); for large
# ``alpha_s`` it shrinks towards zero and its risk tends to
# ``||b*||^2 = 1``. Only the student of the **under-regularized** teacher (red)
# dips below its teacher's line: its best student (``alpha_s`` about 280,
# ``lambda_s`` about 0.71) cuts the risk from 0.93 to 0.56. That closes about
# 70% of the gap to the tuned teacher (0.41) but does not reach it: a student
# can remove part of the noise an under-regularized teacher fit, not all of
# it. The students of the **tuned** (blue) and
# **over-regularized** (green) teachers only get worse as ``alpha_s`` grows:
# the student compensates for missing regularization, it cannot undo too much
# of it. See :ref:`mechanism_regularization` for the condition ``Q / P >
# g(lambda_s)`` behind this, and
# :ref:`sphx_glr_auto_examples_mechanisms_plot_parameterization_regimes.py` for how it
# depends on the student's sample size.
#
# **Against the supervised student, no weak-to-strong student here wins.** In
# this model the supervised student, a ridge tuned on the teacher's 400
# labels, *is* the tuned teacher (risk 0.41, simulated 0.43 with
# :class:`~sklearn.linear_model.RidgeCV`'s choice of alpha), and every student
# of every teacher stays above it (the dash-dotted line). The first mechanism
# explains how a student can beat a *given* under-regularized teacher, for
# example a model trained elsewhere whose labels you do not have; when the
# labels are at hand, tuning a ridge on them is better.
