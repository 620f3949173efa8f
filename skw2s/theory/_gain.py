"""Public tests of whether a ridge student can beat its ridge teacher."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params

from ._marchenko_pastur import iso_student_threshold
from ._params import (
    _ALPHA,
    _COMMON,
    _SIZE,
    _W2S_PARAMS,
    _check_alpha,
    _noise_variance,
    _out,
)
from ._problem import _make_problem, _w2s_problem


@validate_params(
    {"teacher_alpha": _ALPHA, "n_teacher": _SIZE, **_COMMON,
     "penalty_weights": [None, "array-like"]},
    prefer_skip_nested_validation=True,
)
def teacher_qp_ratio(teacher_alpha, *, n_teacher, covariance, coef, noise,
                     penalty_weights=None):
    r"""The teacher's ratio :math:`Q / P` that decides whether W2S is possible.

    :math:`P = b^{*\top} \Sigma\, E[\hat b_t]` and
    :math:`Q = E[\hat b_t^\top \Sigma \hat b_t]`, so that
    :math:`R_t = Q - 2P + b^{*\top}\Sigma b^*`. In the isotropic model
    (:math:`\Sigma = G = I`) they are :math:`b^{*\top} \hat b_t` and
    :math:`\|\hat b_t\|^2`, :math:`Q > P` exactly when the teacher is
    under-regularized, and a ridge student with ``gamma_s = d / m`` can beat the
    teacher if and only if :math:`Q / P` exceeds :func:`student_threshold`.

    Parameters
    ----------
    teacher_alpha : float or array-like
        Teacher penalty strength(s), scikit-learn units.
    n_teacher : int
        Number of labeled samples of the teacher.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        Fixed target, or second-moment matrix of a random target.
    noise : float
        Standard deviation of the label noise.
    penalty_weights : None or array-like, default=None
        The teacher's penalty matrix.

    Returns
    -------
    ratio : float or ndarray
        :math:`Q / P` (``inf`` at the interpolation threshold).

    See Also
    --------
    student_threshold : The level :math:`Q / P` must exceed.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import teacher_qp_ratio
    >>> d = 200
    >>> teacher_qp_ratio([4.0, 40.0, 200.0], n_teacher=400, covariance=np.ones(d),
    ...                  coef=np.full(d, 1 / np.sqrt(d)), noise=1.0).round(3)
    array([1.926, 1.535, 1.   ])
    """
    a = _check_alpha(teacher_alpha, "teacher_alpha")
    problem = _make_problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    ratio = problem.qp_ratio(a.ravel() / n_teacher, n_teacher,
                             _noise_variance(noise))
    return _out(ratio, a.shape)


@validate_params(
    {"n_student": ["array-like", Interval(Integral, 1, None, closed="left")],
     "n_features": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def student_threshold(n_student, n_features):
    r"""Smallest teacher :math:`Q / P` that an isotropic ridge student can exploit.

    For the isotropic model the student beats the teacher at some
    ``student_alpha`` if and only if :math:`Q / P > g^*(\gamma_s)` with
    :math:`\gamma_s = d / m`:

    .. math::
        g^*(\gamma_s) = 1 \ (\gamma_s < 1), \qquad
        g^*(\gamma_s) = \frac{4}{3 - \sqrt{1 - 1/\gamma_s}} \ (\gamma_s \ge 1),

    the minimum over :math:`\lambda_s` of :math:`2(1 - \tau_1)/(1 - \tau_2)`,
    attained at :math:`\lambda_s = \gamma_s - 1` when :math:`\gamma_s \ge 1`
    (an infimum as :math:`\lambda_s \to 0` when :math:`\gamma_s < 1`). It jumps
    from 1 to 4/3 at :math:`\gamma_s = 1` and tends to 2.

    Parameters
    ----------
    n_student : int or array-like of int
        Number(s) of student samples ``m``.
    n_features : int
        Dimension ``d``.

    Returns
    -------
    threshold : float or ndarray
        :math:`g^*(d / m)`.

    See Also
    --------
    teacher_qp_ratio : The teacher's side of the comparison.

    Examples
    --------
    >>> from skw2s.theory import student_threshold
    >>> student_threshold([400, 200, 100], 200).round(4)
    array([1.    , 1.3333, 1.7445])
    """
    m = np.asarray(n_student)
    if m.dtype.kind not in "iu" and not np.all(m == np.round(m)):
        raise ValueError("n_student must contain integers.")
    if np.any(m < 1):
        raise ValueError("n_student must be at least 1.")
    return _out(iso_student_threshold(n_features / m.astype(float)), m.shape)


@validate_params(
    {k: v for k, v in _W2S_PARAMS.items()
     if k not in ("student_alpha", "student_inputs")}
    | {"teacher_alpha": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def w2s_gain_possible(
    teacher_alpha,
    *,
    n_teacher,
    n_student,
    covariance,
    coef,
    noise,
    teacher_penalty_weights=None,
    student_penalty_weights=None,
):
    r"""Whether some student alpha gives a student better than the teacher.

    In the isotropic model this is the closed-form test
    ``teacher_qp_ratio(...) > student_threshold(n_student, d)``; otherwise the
    best student risk (:func:`optimal_student_alpha`) is compared with the
    teacher's risk (a relative margin of ``1e-9`` guards against round-off).

    Parameters
    ----------
    teacher_alpha : float
        The teacher's penalty strength (scikit-learn units).
    n_teacher, n_student : int
        Sample sizes of the teacher and the (fresh-input) student.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        Fixed target, or second-moment matrix of a random target.
    noise : float
        Standard deviation of the teacher's label noise.
    teacher_penalty_weights, student_penalty_weights : None or array-like, default=None
        Penalty matrices as in :class:`~skw2s.WeightedRidge`.

    Returns
    -------
    possible : bool
        True if some student alpha gives a student risk below the teacher's.

    See Also
    --------
    optimal_student_alpha : The best student and its risk.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import w2s_gain_possible
    >>> d = 200
    >>> kw = dict(n_teacher=400, covariance=np.ones(d),
    ...           coef=np.full(d, 1 / np.sqrt(d)), noise=1.0)
    >>> w2s_gain_possible(40.0, n_student=400, **kw)   # Q/P = 1.535 > 1
    True
    >>> w2s_gain_possible(40.0, n_student=100, **kw)   # 1.535 < g*(2) = 1.745
    False
    """
    problem = _w2s_problem(covariance, coef, teacher_penalty_weights,
                           student_penalty_weights)
    s2 = _noise_variance(noise)
    ta = _check_alpha(teacher_alpha, "teacher_alpha")
    return problem.gain_possible(ta / n_teacher, n_teacher, n_student, s2)
