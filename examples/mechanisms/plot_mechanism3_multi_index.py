"""
==========================================================
Mechanism 3: a pre-trained student supplies a hard feature
==========================================================

The third mechanism of weak-to-strong generalization (Moniri & Hassani, 2025)
is nonlinear. The target depends on the input through an *easy* direction
:math:`u_e` and a *hard* one :math:`u_h`,

.. math::

    y = u_e^\\top x + \\mathrm{He}_2(u_h^\\top x) + 0.5\\,\\varepsilon,
    \\qquad \\mathrm{He}_2(t) = (t^2 - 1)/\\sqrt{2}.

A two-layer network trained by one large gradient step (a
:class:`~skw2s.MultiIndexNet`) finds :math:`u_e` from a moderate number of
labels, but not :math:`u_h`, whose link has information exponent 2. A student
network whose first layer was pre-trained on a related task, one in which
:math:`u_h` *is* easy, learns :math:`u_e` from the teacher's labels and keeps
:math:`u_h` from its pre-training: it ends below its teacher. The same student
without pre-training does not. The same pre-trained student fit on the
teacher's own true labels (the *supervised student*) is shown beside them.

The weak-to-strong students are trained through
:class:`~skw2s.WeakToStrongRegressor`, so they never see a true label. See
:ref:`mechanism_features` in the user guide.
"""

# %%
# The data
# --------
# :func:`~skw2s.datasets.make_multi_index` draws Gaussian inputs in
# :math:`d = 30` dimensions and returns the directions, so that fresh rows of
# the same model can be drawn for the student and for testing. The teacher
# gets ``n = 1000`` labeled rows, the student ``m = 4000`` rows whose labels are
# unknown (NaN), and the test rows are noiseless, so the test MSE is the
# excess error.
import numpy as np

from skw2s.datasets import make_multi_index

D, N_TEACHER, N_STUDENT, N_PRETRAIN, N_TEST, NOISE = 30, 1000, 4000, 2000, 4000, 0.5


def make_problem(seed):
    X_t, y_t, params = make_multi_index(
        N_TEACHER, D, noise=NOISE, return_params=True, random_state=seed
    )
    X_s, y_s = make_multi_index(
        N_STUDENT, D, noise=NOISE, directions=params.directions,
        random_state=seed + 100,
    )
    X_test, f_test = make_multi_index(
        N_TEST, D, directions=params.directions, random_state=seed + 200
    )
    return X_t, y_t, X_s, y_s, X_test, f_test, params


X_t, y_t, X_s, y_s, X_test, f_test, params = make_problem(seed=0)
print("u_easy . u_hard =", float(params.u_easy[0] @ params.u_hard[0]))

# %%
# Pre-training on a related task
# ------------------------------
# The student's first layer is pre-trained, genuinely, on a different task in
# which the hard direction is easy: ``y' = u_h'x + noise`` is linear in
# :math:`u_h`, so one large step finds it. Only the learned first layer
# (``hidden_weights_``) is kept; it becomes the student's ``init_weights``.
from skw2s import MultiIndexNet


def net(**params):
    return MultiIndexNet(n_hidden=256, learning_rate=1.0, **params)


def pretrain(params, seed):
    rng = np.random.default_rng(seed + 300)
    X_pre = rng.standard_normal((N_PRETRAIN, D))
    y_pre = X_pre @ params.u_hard[0] + NOISE * rng.standard_normal(N_PRETRAIN)
    return net(random_state=seed + 300).fit(X_pre, y_pre).hidden_weights_


pretrained_weights = pretrain(params, seed=0)

# %%
# Teacher and weak-to-strong student
# ----------------------------------
# The student's rows are appended to the teacher's with ``NaN`` labels. The
# meta-estimator fits the teacher on the labeled rows and the student on the
# teacher's predictions for the unlabeled rows (see :ref:`protocol`).
from skw2s import WeakToStrongRegressor

X = np.vstack([X_t, X_s])
y = np.r_[y_t, np.full(N_STUDENT, np.nan)]

w2s = WeakToStrongRegressor(
    teacher=net(alpha=0.1, random_state=1),
    student=net(alpha=1.0, init_weights=pretrained_weights, random_state=2),
).fit(X, y)
print("teacher rows:", w2s.teacher_rows_.sum(),
      " student rows:", w2s.student_rows_.sum())

# %%
# Controls: no pre-training, the supervised student and the ceiling
# -----------------------------------------------------------------
# The control student has the same architecture without pre-training. It is
# taught by the *same* fitted teacher, wrapped in
# :class:`~sklearn.frozen.FrozenEstimator` so that it is not refit; every row
# passed is then a student row (these rows were not seen by the teacher). The
# **supervised student** is the pre-trained student fit on the teacher's 1000
# true labels, its readout penalty ``alpha`` chosen on those rows by
# :class:`~sklearn.model_selection.GridSearchCV`: the baseline to beat when
# those labels are at hand. The ceiling is the pre-trained student fit on the
# true labels of the student's 4000 rows.
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV

plain = WeakToStrongRegressor(
    FrozenEstimator(w2s.teacher_), net(alpha=1.0, random_state=2)
).fit(X_s)
supervised = GridSearchCV(clone(w2s.student), {"alpha": [0.1, 1.0, 10.0]}, cv=3)
supervised.fit(X_t, y_t)
ceiling = clone(w2s.student).fit(X_s, y_s)


def excess_mse(model):
    return float(np.mean((model.predict(X_test) - f_test) ** 2))


for name, model in [("teacher", w2s.teacher_),
                    ("W2S student, pre-trained", w2s),
                    ("W2S student, no pre-training", plain),
                    ("supervised student", supervised), ("ceiling", ceiling)]:
    print(f"{name:>30}: test MSE {excess_mse(model):.3f}")

# %%
# Repeat over seeds
# -----------------
# The steps above, for five independent problems (new directions, data,
# pre-training and initializations). Each network also reports the overlap of
# its learned two-dimensional subspace (top singular directions of the first
# layer) with :math:`u_e` and :math:`u_h`, computed by
# :func:`~skw2s.subspace_overlap`; a random plane has overlap about
# :math:`\sqrt{2/30} \approx 0.26`.
from skw2s import subspace_overlap

MODELS = ["teacher", "W2S student, pre-trained", "W2S student, no pre-training",
          "supervised student", "ceiling"]


def run(seed):
    X_t, y_t, X_s, y_s, X_test, f_test, params = make_problem(seed)
    student = net(alpha=1.0, init_weights=pretrain(params, seed),
                  random_state=seed + 2)
    w2s = WeakToStrongRegressor(net(alpha=0.1, random_state=seed + 1), student)
    w2s.fit(np.vstack([X_t, X_s]), np.r_[y_t, np.full(N_STUDENT, np.nan)])
    plain = WeakToStrongRegressor(
        FrozenEstimator(w2s.teacher_), net(alpha=1.0, random_state=seed + 2)
    ).fit(X_s)
    supervised = GridSearchCV(clone(student), {"alpha": [0.1, 1.0, 10.0]}, cv=3)
    supervised.fit(X_t, y_t)
    fitted = [w2s.teacher_, w2s.student_, plain.student_,
              supervised.best_estimator_, clone(student).fit(X_s, y_s)]
    mse = [np.mean((m.predict(X_test) - f_test) ** 2) for m in fitted]
    overlap = [
        subspace_overlap(m.hidden_weights_, params.directions, n_components=2)
        for m in fitted
    ]
    return mse, overlap


results = [run(seed) for seed in range(5)]
mse = np.array([r[0] for r in results])  # (n_seeds, n_models)
overlap = np.array([r[1] for r in results])  # (n_seeds, n_models, [u_e, u_h])
for name, m, s in zip(MODELS, mse.mean(0), mse.std(0, ddof=1), strict=True):
    print(f"{name:>28}: test MSE {m:.3f} +- {s / np.sqrt(len(mse)):.3f}")

# %%
# Test error
# ----------
# Mean over the seeds, with one standard error. The pre-trained W2S student
# beats its teacher on every seed; the W2S student without pre-training is
# worse than its teacher; the supervised student is far better than both.
import matplotlib.pyplot as plt

colors = ["C3", "C0", "C7", "C1", "C2"]
fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
sem = mse.std(0, ddof=1) / np.sqrt(len(mse))
tick_labels = [name.replace(" student", "\nstudent").replace(", ", ",\n")
               for name in MODELS]
x = np.arange(len(MODELS))
ax.bar(x, mse.mean(0), yerr=sem, color=colors, capsize=4)
ax.set_xticks(x, tick_labels, fontsize=9)
ax.plot(np.tile(x, (len(mse), 1)).T, mse.T, "k.", alpha=0.4)
ax.set_ylabel("test MSE against the noiseless target")
ax.set_title("Teacher, students and ceiling (5 seeds)")
print("per-seed gain of the pre-trained student:",
      np.round(mse[:, 0] - mse[:, 1], 3))

# %%
# What each network learned
# -------------------------
# Overlap of each network's learned plane with the easy and the hard
# direction (mean over the seeds), printed and drawn. All five networks find
# :math:`u_e`. The teacher's overlap with :math:`u_h` is partial: above the
# random-plane level but far from 1. The student without pre-training falls
# below the random level: the teacher's labels do not teach a fresh network
# :math:`u_h`. The pre-trained students hold both directions (W2S,
# supervised and ceiling alike): the readout does not move the first layer
# far from its pre-training.
from matplotlib.patches import Patch

print(f"random plane: {np.sqrt(2 / D):.2f}")
for name, (o_easy, o_hard) in zip(MODELS, overlap.mean(0), strict=True):
    print(f"{name:>28}: overlap with u_e {o_easy:.2f}, with u_h {o_hard:.2f}")

fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
width = 0.38
x = np.arange(len(MODELS))
for k, hatch in enumerate(["", "//"]):  # k = 0: u_e, k = 1: u_h
    ax.bar(x + (k - 0.5) * width, overlap[:, :, k].mean(0), width,
           yerr=overlap[:, :, k].std(0, ddof=1) / np.sqrt(len(overlap)),
           color=colors, hatch=hatch, edgecolor="k", capsize=3)
random_line = ax.axhline(np.sqrt(2 / D), color="0.4", ls=":")
fig.legend(
    [Patch(facecolor="w", edgecolor="k"), Patch(facecolor="w", edgecolor="k",
                                                hatch="//"), random_line],
    ["easy direction $u_e$", "hard direction $u_h$", "random plane"],
    fontsize=10, loc="outside lower center", ncol=3,
)
ax.set_xticks(x, tick_labels, fontsize=9)
ax.set_ylabel("subspace overlap")
ax.set_ylim(0, 1.05)
ax.set_title("Overlap of the learned 2-D subspace with $u_e$ and $u_h$")
plt.show()

# %%
# Interpretation
# --------------
# The teacher's one large step aligns its first layer with :math:`u_e`, and
# only partly with :math:`u_h` (an overlap of about 0.4, where a random plane
# has 0.26 and a learned direction about 1); its features capture only part of
# :math:`\mathrm{He}_2(u_h^\top x)`, and its labels are wrong in many other
# directions too. A student trained on these labels from a random
# initialization learns :math:`u_e` and loses even the teacher's partial
# :math:`u_h`, and is worse than its teacher. The pre-trained student already
# represents :math:`u_h`: it keeps the part of the teacher's labels that lies
# along features it can express cleanly
# and drops much of the teacher's error elsewhere, so it beats the teacher
# without ever seeing a true label. The gap to the ceiling remains large: the
# student cannot recover the part of :math:`\mathrm{He}_2(u_h^\top x)` that the
# teacher's labels do not contain. The gain is not regularization
# compensation: the teacher's ``alpha = 0.1`` is the best of a small grid
# (checked in the package's tests, ``tests/test_mechanism3.py``).
#
# **The supervised student is far better than any weak-to-strong student
# here** (test MSE about 0.10 against 0.51): the pre-trained network fit on
# the teacher's 1000 true labels already holds :math:`u_h` and learns the
# target directly, without the teacher's errors. Pre-training is what makes
# the student strong; the teacher's labels add nothing the true labels do not
# give better. The third mechanism matters when the teacher's outputs are the
# only supervision there is, for example a weak model trained elsewhere on
# labels you cannot use.
