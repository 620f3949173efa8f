"""Deterministic-equivalent risks of ridge teachers and weak-to-strong students.

The model (Gaussian inputs, linear target, ridge or weighted-ridge teacher and
student) and its formulas are described in the user guide; they are the
classical random-matrix deterministic equivalents (Dobriban & Wager 2018;
Hastie, Montanari, Rosset & Tibshirani 2022), applied to the teacher and then to
the student conditionally on the teacher. Alphas are in scikit-learn units.
"""

from ._risk import (
    optimal_student_alpha,
    optimal_teacher_alpha,
    ridge_risk,
    student_threshold,
    teacher_qp_ratio,
    w2s_gain_possible,
    w2s_ridge_risk,
)

__all__ = [
    "optimal_student_alpha",
    "optimal_teacher_alpha",
    "ridge_risk",
    "student_threshold",
    "teacher_qp_ratio",
    "w2s_gain_possible",
    "w2s_ridge_risk",
]
