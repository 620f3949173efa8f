"""Parameter constraints, argument checks and output shaping of the public functions."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions


def _check_alpha(alpha, name):
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} must be non-negative and finite.")
    return a


def _check_shared(student_inputs, n_teacher, n_student):
    if student_inputs == "shared" and n_student != n_teacher:
        raise ValueError(
            "student_inputs='shared' means the student is fit on the teacher's "
            f"own inputs, so n_student ({n_student}) must equal n_teacher "
            f"({n_teacher})."
        )


def _out(x, shape):
    x = np.asarray(x, dtype=float).reshape(shape)
    return float(x) if x.ndim == 0 else x


_COMMON = {
    "covariance": ["array-like"],
    "coef": ["array-like"],
    "noise": [Interval(Real, 0, None, closed="left")],
}
_ALPHA = ["array-like", Interval(Real, 0, None, closed="left")]
_SIZE = [Interval(Integral, 1, None, closed="left")]

_W2S_PARAMS = {
    "teacher_alpha": _ALPHA,
    "student_alpha": _ALPHA,
    "n_teacher": _SIZE,
    "n_student": _SIZE,
    **_COMMON,
    "teacher_penalty_weights": [None, "array-like"],
    "student_penalty_weights": [None, "array-like"],
    "student_inputs": [StrOptions({"fresh", "shared"})],
}
