"""Parameter constraints, argument checks and output shaping of the public functions."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions


def _check_alpha(alpha, name):
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} must be non-negative and finite.")
    return a


def _noise_variance(noise):
    """``noise ** 2``; a clear error if it overflows (noise above ~1.3e154)."""
    s2 = float(noise) * float(noise)
    if not np.isfinite(s2):
        raise ValueError(
            f"noise={noise!r} is too large: its square, the noise variance, "
            "overflows float64. noise must be below 1.34e154; rescale the problem "
            "(coef and noise by the same factor scale the risks by its square)."
        )
    return s2


def _broadcast_alphas(ta, sa):
    """Broadcast shape of the teacher and student alphas, or a clear error."""
    try:
        return np.broadcast_shapes(ta.shape, sa.shape)
    except ValueError as exc:
        raise ValueError(
            f"teacher_alpha (shape {ta.shape}) and student_alpha (shape "
            f"{sa.shape}) must broadcast against each other (NumPy rules): give "
            "arrays of equal shape, a scalar for one of them, or e.g. a column "
            "teacher_alpha[:, None] against a row student_alpha for a grid."
        ) from exc


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
