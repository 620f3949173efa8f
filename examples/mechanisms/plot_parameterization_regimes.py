"""
=============================================================================
Under- and over-parameterized students: where weak-to-strong gain is possible
=============================================================================

A ridge student trained on an under-regularized ridge teacher's labels can end
up better than the teacher
(:ref:`sphx_glr_auto_examples_mechanisms_plot_mechanism1_regularization.py`).
How much the teacher must be under-regularized depends on the student's own
ratio ``gamma_s = d / m`` of features to teacher-labeled samples
(:ref:`mechanism_regimes`):

- an **under-parameterized** student (``gamma_s < 1``) beats every
  under-regularized teacher, i.e. every teacher with ``Q / P > 1``;
- an **over-parameterized** student (``gamma_s >= 1``) needs
  ``Q / P > g*(gamma_s) = 4 / (3 - sqrt(1 - 1/gamma_s))``, a threshold that
  jumps from 1 to 4/3 at ``gamma_s = 1`` and tends to 2.

Here ``P = b*' b_t`` and ``Q = ||b_t||^2`` summarize the teacher
(:func:`~skw2s.theory.teacher_qp_ratio`). We check the two regimes against
simulation, then map the whole (teacher alpha, ``gamma_s``) plane.
"""

# %%
# The model
# ---------
# Isotropic Gaussian inputs in ``d = 200`` dimensions, a fixed target with
# ``||b*|| = 1``, noise of standard deviation 1 and a teacher trained on
# ``n = 400`` labeled rows, so the optimal teacher alpha is 200
# (``lambda_t* = 0.5``). Two under-regularized teachers: a strongly
# under-regularized one (``alpha_t = 4``) and a mildly under-regularized one
# (``alpha_t = 40``). Two students: ``m = 400`` teacher-labeled rows
# (``gamma_s = 0.5``) and ``m = 100`` (``gamma_s = 2``).
import numpy as np

from skw2s.theory import student_threshold, teacher_qp_ratio

n_features, n_teacher, noise = 200, 400, 1.0
rng = np.random.default_rng(0)
true_coef = rng.standard_normal(n_features)
true_coef /= np.linalg.norm(true_coef)
model = dict(covariance=np.ones(n_features), coef=true_coef, noise=noise)

teachers = {"strongly under-regularized": 4.0, "mildly under-regularized": 40.0}
students = {"under-parameterized": 400, "over-parameterized": 100}

for name, alpha_t in teachers.items():
    qp = teacher_qp_ratio(alpha_t, n_teacher=n_teacher, **model)
    print(f"{name} teacher (alpha_t={alpha_t:g}): Q/P = {qp:.3f}")
for name, m in students.items():
    g_star = student_threshold(m, n_features)
    print(f"{name} student (gamma_s={n_features / m:g}): g* = {g_star:.3f}")

# %%
# Monte Carlo simulation
# ----------------------
# Each trial draws ``n + 400`` rows with
# :func:`~skw2s.datasets.make_w2s_regression`. Both teachers are fit on the
# first ``n``; the ``m = 400`` student uses all other rows, the ``m = 100``
# student the first 100 of them. The two teachers' pseudo-labels form one
# two-column target, so one :class:`~skw2s.WeightedRidge` fit per student alpha
# trains the students of both teachers. Risks are exact excess risks
# ``||b - b*||^2`` (the covariance is the identity). The **supervised
# student**, the same ridge fit on the teacher's ``n`` true labels with its
# ``alpha`` chosen by :class:`~sklearn.linear_model.RidgeCV` (leave-one-out),
# is the baseline both regimes are measured against.
from sklearn.linear_model import RidgeCV

from skw2s import WeightedRidge
from skw2s.datasets import make_w2s_regression

alpha_mc = np.logspace(0, 4, 9)
n_trials = 6
m_max = max(students.values())


def excess_risk(coef, params):
    """Excess risk of each row of ``coef`` (diagonal covariance)."""
    diff = np.atleast_2d(coef) - params.coef
    return np.sum(diff**2 * params.covariance, axis=1)


mc_teacher = np.empty((n_trials, len(teachers)))
mc_student = np.empty((n_trials, len(students), len(teachers), len(alpha_mc)))
mc_supervised = np.empty(n_trials)
for trial in range(n_trials):
    X, y, params = make_w2s_regression(
        n_samples=n_teacher + m_max,
        n_features=n_features,
        coef=true_coef,
        noise=noise,
        return_params=True,
        random_state=trial,
    )
    X_teacher, y_teacher, X_pool = X[:n_teacher], y[:n_teacher], X[n_teacher:]
    pseudo_labels = np.empty((m_max, len(teachers)))
    for k, alpha_t in enumerate(teachers.values()):
        teacher = WeightedRidge(alpha=alpha_t, fit_intercept=False)
        teacher.fit(X_teacher, y_teacher)
        pseudo_labels[:, k] = teacher.predict(X_pool)
        mc_teacher[trial, k] = excess_risk(teacher.coef_, params)[0]
    for i, m in enumerate(students.values()):
        for j, alpha_s in enumerate(alpha_mc):
            student = WeightedRidge(alpha=alpha_s, fit_intercept=False)
            student.fit(X_pool[:m], pseudo_labels[:m])
            mc_student[trial, i, :, j] = excess_risk(student.coef_, params)
    supervised = RidgeCV(alphas=np.logspace(0, 4, 41), fit_intercept=False)
    supervised.fit(X_teacher, y_teacher)
    mc_supervised[trial] = excess_risk(supervised.coef_, params)[0]

# %%
# Student risk in the two regimes
# -------------------------------
# Lines: :func:`~skw2s.theory.w2s_ridge_risk`; points: simulation (mean ± one
# standard error); dashed: the teacher's predicted risk; dash-dotted: the
# supervised student's (:func:`~skw2s.theory.ridge_risk` at the best alpha
# for ``n = 400`` rows, which is the tuned teacher).
import matplotlib.pyplot as plt

from skw2s.theory import optimal_teacher_alpha, ridge_risk, w2s_ridge_risk

alpha_supervised = optimal_teacher_alpha(n_samples=n_teacher, **model).alpha
supervised_risk = ridge_risk(alpha_supervised, n_samples=n_teacher, **model)

alpha_grid = np.logspace(-0.5, 4.5, 200)
colors = ["C3", "C1"]
fig, axes = plt.subplots(1, 2, figsize=(10, 5), sharey=True, layout="constrained")
for i, (ax, (regime, m)) in enumerate(zip(axes, students.items(), strict=True)):
    for k, (name, alpha_t) in enumerate(teachers.items()):
        res = w2s_ridge_risk(
            alpha_t, alpha_grid, n_teacher=n_teacher, n_student=m, **model
        )
        ax.plot(alpha_grid, res.student_risk, color=colors[k],
                label=f"student of {name} teacher ($\\alpha_t$={alpha_t:g})")
        ax.axhline(res.teacher_risk[0], color=colors[k], linestyle="--",
                   linewidth=1)
        risks = mc_student[:, i, k]
        ax.errorbar(alpha_mc, risks.mean(axis=0),
                    yerr=risks.std(axis=0, ddof=1) / np.sqrt(n_trials),
                    fmt="o", color=colors[k], markersize=4, capsize=3)
    ax.axhline(supervised_risk, color="k", linestyle="-.", linewidth=1.5)
    ax.set_xscale("log")
    ax.set_xlabel(r"student $\alpha_s$ (scikit-learn units)")
    ax.set_title(f"{regime} student: m={m}, $\\gamma_s$={n_features / m:g}")
axes[0].plot([], [], "k--", linewidth=1, label="teacher risk (dashed)")
axes[0].plot([], [], "k-.", linewidth=1.5, label="supervised student (tuned, theory)")
axes[0].errorbar([], [], yerr=[], fmt="ko", markersize=4, capsize=3,
                 label=f"simulation (mean ± s.e., {n_trials} trials)")
axes[0].set_ylabel(r"excess risk $\|\hat\beta - \beta^*\|^2$")
axes[0].set_ylim(0.3, 1.1)
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
           ncol=2, fontsize=11)
plt.show()

# %%
# The best students
# -----------------
# :func:`~skw2s.theory.optimal_student_alpha` and
# :func:`~skw2s.theory.w2s_gain_possible` for the four pairs, next to the best
# simulated point (MC), and the supervised student.
from skw2s.theory import optimal_student_alpha, w2s_gain_possible

for i, m in enumerate(students.values()):
    for k, alpha_t in enumerate(teachers.values()):
        best = optimal_student_alpha(alpha_t, n_teacher=n_teacher, n_student=m,
                                     **model)
        gain = w2s_gain_possible(alpha_t, n_teacher=n_teacher, n_student=m,
                                 **model)
        mc = mc_student[:, i, k].mean(axis=0)
        print(
            f"gamma_s={n_features / m:g}, alpha_t={alpha_t:g}: teacher "
            f"{best.teacher_risk:.3f} (MC {mc_teacher[:, k].mean():.3f})\n"
            f"    best W2S student {best.risk:.3f} at alpha_s={best.alpha:.0f} "
            f"(MC {mc.min():.3f}), gain possible: {gain}"
        )
print(
    f"supervised student (ridge tuned on the teacher's {n_teacher} labels): "
    f"{float(supervised_risk):.3f} (MC, RidgeCV: {mc_supervised.mean():.3f} ± "
    f"{mc_supervised.std(ddof=1) / np.sqrt(n_trials):.3f})"
)

# %%
# The threshold ``g*`` against the teachers' ``Q / P``
# ----------------------------------------------------
# A student can beat the teacher iff the teacher's ``Q / P`` lies above the
# curve ``g*(gamma_s)``. The mildly under-regularized teacher crosses the curve
# at a finite ``gamma_s``: students with more features per sample than that
# cannot beat it.
gamma_s = np.logspace(-1, 1, 400)
g_star = student_threshold(np.round(10_000 / gamma_s).astype(int), 10_000)

fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
ax.plot(gamma_s, g_star, "k", label=r"threshold $g^*(\gamma_s)$")
for k, (name, alpha_t) in enumerate(teachers.items()):
    qp = teacher_qp_ratio(alpha_t, n_teacher=n_teacher, **model)
    ax.axhline(qp, color=colors[k], linestyle=":",
               label=f"Q/P of {name} teacher ({qp:.2f})")
ax.axhline(1.0, color="C0", linestyle=":", label="Q/P of tuned teacher (1)")
for m in students.values():
    ax.axvline(n_features / m, color="0.6", linewidth=0.8)
ax.plot([], [], color="0.6", linewidth=0.8, label=r"simulated students' $\gamma_s$")
ax.set_xscale("log")
ax.set_xlabel(r"student $\gamma_s = d / m$")
ax.set_ylabel("Q / P")
ax.set_ylim(0.9, 2.1)
ax.set_title("W2S gain possible iff Q/P is above the threshold")
fig.legend(loc="outside lower center", ncol=2, fontsize=10)
plt.show()

# %%
# Phase diagram
# -------------
# For every teacher alpha and student ratio ``gamma_s``, the best achievable
# student risk (minimized over a grid of 200 student alphas) divided by the
# teacher's risk: blue where the student can beat the teacher, red where even
# the best student is worse. The black line is the closed-form boundary
# ``Q / P = g*(gamma_s)``; it drops from the tuned teacher's alpha
# (``Q / P = 1``) to a much smaller alpha (``Q / P = 4/3``) at ``gamma_s = 1``.
# The markers are the four simulated pairs above.
from matplotlib.colors import TwoSlopeNorm

teacher_alphas = np.logspace(-0.5, 3.5, 60)
gamma_grid = np.logspace(-1, 1, 81)
student_sizes = np.round(n_features / gamma_grid).astype(int)
student_lambdas = np.logspace(-4, 3, 200)  # lambda_s = alpha_s / m

ratio = np.empty((len(teacher_alphas), len(gamma_grid)))
for j, m in enumerate(student_sizes):
    res = w2s_ridge_risk(
        teacher_alphas[:, None], m * student_lambdas[None, :],
        n_teacher=n_teacher, n_student=m, **model,
    )
    ratio[:, j] = res.student_risk.min(axis=1) / res.teacher_risk[:, 0]

qp = teacher_qp_ratio(teacher_alphas, n_teacher=n_teacher, **model)
threshold = student_threshold(student_sizes, n_features)
margin = qp[:, None] - threshold[None, :]  # > 0: gain possible
agree = np.mean((margin > 0) == (ratio < 1))
print(f"Q/P > g* and best ratio < 1 agree on {100 * agree:.1f}% of the grid")

fig, ax = plt.subplots(figsize=(7, 5.2), layout="constrained")
mesh = ax.pcolormesh(gamma_grid, teacher_alphas, ratio, cmap="RdBu_r",
                     norm=TwoSlopeNorm(vcenter=1.0, vmin=0.5, vmax=1.5),
                     shading="nearest")
fig.colorbar(mesh, ax=ax, label="best student risk / teacher risk")
ax.contour(gamma_grid, teacher_alphas, margin, levels=[0], colors="k")
ax.plot([], [], "k", label=r"$Q/P = g^*(\gamma_s)$")
alpha_tuned = n_teacher * noise**2 * (n_features / n_teacher)  # lambda_t* r2 = 1
ax.axhline(alpha_tuned, color="k", linestyle="--", linewidth=1,
           label=f"tuned teacher ($\\alpha_t$={alpha_tuned:g})")
for m in students.values():
    for k, alpha_t in enumerate(teachers.values()):
        ax.plot(n_features / m, alpha_t, "o", color=colors[k], mec="k")
ax.plot([], [], "o", color="0.6", mec="k", label="simulated pairs (teacher color)")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel(r"student $\gamma_s = d / m$")
ax.set_ylabel(r"teacher $\alpha_t$ (scikit-learn units)")
ax.set_title(f"Where W2S gain is possible (d={n_features}, n={n_teacher})")
fig.legend(loc="outside lower center", ncol=3, fontsize=10)
plt.show()
# sphinx_gallery_thumbnail_number = 3

# %%
# Interpretation
# --------------
# The simulations follow the theory in both regimes. With ``gamma_s = 0.5``
# both under-regularized teachers are beaten by a well-chosen student alpha.
# With ``gamma_s = 2`` only the strongly under-regularized teacher
# (``Q / P = 1.93 > g*(2) = 1.74``) is; the mildly under-regularized one
# (``Q / P = 1.53``) stays out of reach: every student of it is worse than the
# teacher, and the ridgeless student pays ``R_t / gamma_s + ||b*||^2 (1 -
# 1/gamma_s)``. The phase diagram shows the same rule everywhere: the gain
# region (blue) lies below the tuned teacher's alpha for ``gamma_s < 1`` and
# shrinks abruptly at ``gamma_s = 1``, where ``g*`` jumps from 1 to 4/3, then
# further as ``g*`` tends to 2. The best student never beats a tuned or
# over-regularized isotropic teacher: nothing above the dashed line is blue.
# There the ratio is 1 (white) where the best student can copy the teacher
# (``gamma_s < 1``) or where both are close to the null predictor (very large
# teacher alphas), and above 1 (red) where the over-parameterized student
# cannot even copy its teacher.
#
# Every blue region compares a student with **its teacher**. Against the
# supervised student, the ridge tuned on the teacher's 400 labels (0.41,
# dash-dotted), no student in either regime wins: the best W2S student of
# the four pairs reaches 0.49 (the mildly under-regularized teacher with
# ``gamma_s = 0.5``), and none gets below 0.74 with ``gamma_s = 2``. In this
# isotropic model the supervised student is the tuned teacher, which no ridge
# student of any teacher beats (nothing above the dashed line of the phase
# diagram is blue).
