"""Deterministic-equivalent risks of ridge teachers and weak-to-strong students.

The model: Gaussian inputs ``x ~ N(0, Sigma)``, a linear target (fixed, or
random with a given second moment) plus Gaussian noise, a (weighted) ridge
teacher fit on ``n`` labeled rows and a (weighted) ridge student fit on ``m``
rows labeled by the teacher. It is the setting of the first two mechanisms of
Moniri & Hassani (2025, arXiv 2505.18346). The formulas are deterministic
equivalents built from classical random-matrix results (Dobriban & Wager 2018;
Hastie, Montanari, Rosset & Tibshirani 2022; Bach 2024 for the second-order
term), applied to the teacher and then to the student conditionally on the
teacher, and checked against Monte Carlo simulations with
:class:`~skw2s.WeightedRidge` in the test suite; they are not a transcription of
the paper's theorems. See the :ref:`User Guide <theory>` for the formulas. They are
high-dimensional limits: at finite size the realized risks fluctuate around them.

Alphas are in scikit-learn units (``lambda = alpha / n_samples``), ``noise`` is
a standard deviation, and risks are excess risks
``(b - b*)' Sigma (b - b*)``.
"""

from ._estimate import estimate_problem
from ._gain import student_threshold, teacher_qp_ratio, w2s_gain_possible
from ._optimal import optimal_student_alpha, optimal_teacher_alpha
from ._risks import ridge_risk, w2s_ridge_risk

__all__ = [
    "estimate_problem",
    "optimal_student_alpha",
    "optimal_teacher_alpha",
    "ridge_risk",
    "student_threshold",
    "teacher_qp_ratio",
    "w2s_gain_possible",
    "w2s_ridge_risk",
]
