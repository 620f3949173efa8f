"""Public optimal alphas of a ridge teacher and of a ridge student on its labels."""

from numbers import Real

from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, validate_params

from ._params import (
    _COMMON,
    _SIZE,
    _W2S_PARAMS,
    _check_alpha,
    _check_shared,
    _noise_variance,
)
from ._problem import _make_problem, _w2s_problem


@validate_params(
    {"n_samples": _SIZE, **_COMMON, "penalty_weights": [None, "array-like"]},
    prefer_skip_nested_validation=True,
)
def optimal_teacher_alpha(*, n_samples, covariance, coef, noise,
                          penalty_weights=None):
    r"""Alpha that minimizes the asymptotic risk of a (weighted) ridge teacher.

    In the isotropic model (:math:`\Sigma = cI`, :math:`G = gI`) this is the
    closed form :math:`\lambda^* = \sigma^2 \gamma / r^2` of the rescaled problem,
    i.e. ``alpha = n * noise**2 * (d / n) / (g * ||b*||^2)``; otherwise the risk
    is minimized numerically over ``log(alpha)`` (a grid then bounded Brent),
    with ``alpha = 0`` included.

    Parameters
    ----------
    n_samples : int
        Number of labeled samples.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        Fixed target, or second-moment matrix of a random target.
    noise : float
        Standard deviation of the label noise.
    penalty_weights : None or array-like, default=None
        Penalty matrix :math:`G` as in :class:`~skw2s.WeightedRidge`.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``alpha`` (scikit-learn units; ``inf`` when the zero estimator is best,
        e.g. without signal) and ``risk`` at that alpha.

    See Also
    --------
    ridge_risk : The risk being minimized.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import optimal_teacher_alpha
    >>> d = 100
    >>> best = optimal_teacher_alpha(n_samples=200, covariance=np.ones(d),
    ...                              coef=np.full(d, 0.1), noise=1.0)
    >>> round(best.alpha, 6), round(best.risk, 4)
    (100.0, 0.4142)
    """
    problem = _make_problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    alpha, risk = problem.optimal_teacher(n_samples, _noise_variance(noise))
    return Bunch(alpha=alpha, risk=risk)


@validate_params(
    {k: v for k, v in _W2S_PARAMS.items() if k != "student_alpha"}
    | {"teacher_alpha": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def optimal_student_alpha(
    teacher_alpha,
    *,
    n_teacher,
    n_student,
    covariance,
    coef,
    noise,
    teacher_penalty_weights=None,
    student_penalty_weights=None,
    student_inputs="fresh",
):
    r"""Student alpha that minimizes the student's asymptotic risk.

    The student risk of :func:`w2s_ridge_risk` is minimized numerically over
    ``log(student_alpha)`` (a 121-point grid, then bounded Brent), with
    ``student_alpha = 0`` and ``inf`` (the zero estimator) as candidates.

    Parameters
    ----------
    teacher_alpha : float
        The teacher's penalty strength (scikit-learn units).
    n_teacher, n_student : int
        Sample sizes of the teacher and the student.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        Fixed target, or second-moment matrix of a random target.
    noise : float
        Standard deviation of the teacher's label noise.
    teacher_penalty_weights, student_penalty_weights : None or array-like, default=None
        Penalty matrices as in :class:`~skw2s.WeightedRidge`.
    student_inputs : {"fresh", "shared"}, default="fresh"
        See :func:`w2s_ridge_risk`.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``alpha`` (scikit-learn units, ``0`` or ``inf`` at the boundaries),
        ``risk`` (the student's) and ``teacher_risk``.

    See Also
    --------
    w2s_ridge_risk : The risks being minimized.
    w2s_gain_possible : Whether the best student beats the teacher.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import optimal_student_alpha
    >>> d = 200
    >>> best = optimal_student_alpha(4.0, n_teacher=400, n_student=400,
    ...                              covariance=np.ones(d),
    ...                              coef=np.full(d, 1 / np.sqrt(d)), noise=1.0)
    >>> round(best.alpha / 400, 3), round(best.risk, 4), round(best.teacher_risk, 4)
    (0.709, 0.5587, 0.9273)
    """
    ta = _check_alpha(teacher_alpha, "teacher_alpha")
    _check_shared(student_inputs, n_teacher, n_student)
    problem = _w2s_problem(covariance, coef, teacher_penalty_weights,
                           student_penalty_weights)
    alpha, risk, rt = problem.optimal_student(
        ta / n_teacher, n_teacher, n_student, _noise_variance(noise), student_inputs)
    return Bunch(alpha=alpha, risk=risk, teacher_risk=rt)
