"""
=====================================================================
Weak-to-strong classification: hard labels, soft labels, confidence
=====================================================================

Weak-to-strong training for classification on the handwritten digits bundled
with scikit-learn (1797 images of 8x8 pixels, ten classes). The *teacher* is a
weak model, a depth-6 decision tree fit on 300 labeled images. The *student*
is a strong model, a standardized logistic regression on all 64 pixels, fit
only on what the teacher says about the other images:

- **hard** pseudo-labels: the teacher's predicted class;
- **soft** pseudo-labels: the teacher's class probabilities (each image
  repeated once per class, weighted by the probability: the cross-entropy
  against the soft targets);
- **confidence rounds**: soft labels, then two refits on
  :math:`(1-\\beta)\\,p_{teacher} + \\beta\\,\\mathrm{onehot}(\\text{student})`
  with :math:`\\beta = 0.5`, the scikit-learn analogue of the auxiliary
  confidence loss of Burns et al. (2023).

Beside them: scikit-learn's
:class:`~sklearn.semi_supervised.SelfTrainingClassifier` (the student's model
pseudo-labeling its own unlabeled images from the same 300 labels), the
**supervised student** (the student's model on the teacher's 300 true labels,
its ``C`` tuned on them) and the **ceiling** (the student's model on the true
labels of the student's images, tuned the same way).
"""

# %%
# The protocol
# ------------
# Each of five seeds splits the digits into a training set (70%) and a test
# set (30%); 300 training images keep their labels and the others are marked
# ``-1`` (unlabeled), scikit-learn's semi-supervised convention. The teacher
# is fit on the 300 labeled images, the student on the teacher's outputs for
# the unlabeled ones.
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from sklearn.tree import DecisionTreeClassifier

from skw2s import WeakToStrongClassifier

X, y = load_digits(return_X_y=True)
N_LABELED, SEEDS = 300, range(5)


def strong_model():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))


def tuned_strong_model():
    """The strong model with its C chosen by cross-validation on its rows."""
    return GridSearchCV(strong_model(), {"logisticregression__C": [0.01, 0.1, 1]},
                        cv=3)


W2S_VARIANTS = {
    "W2S student, hard labels": dict(pseudo_labels="hard"),
    "W2S student, soft labels": dict(pseudo_labels="soft"),
    "W2S student, soft + confidence": dict(pseudo_labels="soft",
                                           confidence_weight=0.5, n_rounds=3),
}

# %%
# Five seeds, seven models
# ------------------------
results = {name: [] for name in ["weak teacher", *W2S_VARIANTS, "self-training",
                                 "supervised student", "ceiling"]}
agreement = []
for seed in SEEDS:
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    labeled = np.zeros(len(y_train), dtype=bool)
    labeled[np.random.default_rng(seed).permutation(len(y_train))[:N_LABELED]] = True
    y_semi = np.where(labeled, y_train, -1)
    teacher = DecisionTreeClassifier(max_depth=6, random_state=seed)
    for name, params in W2S_VARIANTS.items():
        w2s = WeakToStrongClassifier(teacher, strong_model(), **params)
        w2s.fit(X_train, y_semi)
        results[name].append(w2s.score(X_test, y_test))
    results["weak teacher"].append(w2s.teacher_.score(X_test, y_test))
    agreement.append(w2s.round_agreement_)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "y contains no unlabeled samples" etc.
        self_training = SelfTrainingClassifier(strong_model()).fit(X_train, y_semi)
    results["self-training"].append(self_training.score(X_test, y_test))
    results["supervised student"].append(
        tuned_strong_model().fit(X_train[labeled], y_train[labeled])
        .score(X_test, y_test)
    )
    results["ceiling"].append(
        tuned_strong_model().fit(X_train[~labeled], y_train[~labeled])
        .score(X_test, y_test)
    )

# %%
# Test accuracy and performance gap recovered
# -------------------------------------------
# PGR = (student - teacher) / (ceiling - teacher), on the accuracies of each
# seed (equivalently on the errors 1 - accuracy), then averaged.
acc = {name: np.array(values) for name, values in results.items()}
pgr = {name: (acc[name] - acc["weak teacher"]) / (acc["ceiling"] - acc["weak teacher"])
       for name in acc}
print(f"{'model':<32}{'accuracy':>16}{'PGR':>8}")
for name in acc:
    print(f"{name:<32}{acc[name].mean():>9.3f} ± {acc[name].std(ddof=1):.3f}"
          f"{pgr[name].mean():>8.2f}")
print("student/teacher agreement per confidence round (mean over seeds):",
      np.round(np.mean(agreement, axis=0), 3))

# %%
# The figure
# ----------
import matplotlib.pyplot as plt

names = list(acc)
colors = ["C3", "C0", "C0", "C0", "C1", "C2", "0.4"]
fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
means = [acc[n].mean() for n in names]
sds = [acc[n].std(ddof=1) for n in names]
ax.barh(names, means, xerr=sds, color=colors, alpha=0.85)
for i, (m, sd) in enumerate(zip(means, sds, strict=True)):
    # the value right of the error bar, so the bar's line does not cross it
    ax.text(m + sd + 0.006, i, f"{m:.3f}", va="center", fontsize=8)
ax.invert_yaxis()
ax.set_xlim(0.5, 1.02)
ax.set_xlabel("test accuracy (mean ± s.d. over 5 seeds)")
ax.set_title("Digits: depth-6 tree teacher (300 labels) -> logistic student",
             fontsize=10)
plt.show()

# %%
# Interpretation
# --------------
# The student, which never sees a true label, beats its teacher in every
# variant (about 0.72 -> 0.79 with hard labels and 0.82 with soft labels):
# the linear model on all pixels cannot reproduce the tree's axis-aligned
# mistakes and averages many of them away, and the soft labels carry the
# teacher's uncertainty, which the weighted expansion turns into exactly the
# cross-entropy against the teacher's probabilities. The confidence rounds
# add a few points more (about 0.85) by letting the student overrule the
# teacher where it is itself confident, closing about half of the gap to the
# ceiling.
#
# Be honest about the baselines, though: with the teacher's 300 labels at
# hand, simply training the strong model on them (the **supervised student**,
# its ``C`` tuned on those labels: about 0.94) or letting it self-train on the
# unlabeled images (about 0.95) is far better than learning from the weak
# tree. The W2S students use ``C = 0.1`` as given (tuning them honestly needs
# held-out true labels, see :ref:`model_selection`).
#
# Weak-to-strong training is the tool when the weak model's outputs are the
# only supervision there is (a model trained elsewhere, entered as a
# :class:`~sklearn.frozen.FrozenEstimator`, or a labeling process you cannot
# replicate); when the labels themselves are available, the supervised
# student is the baseline to beat.
