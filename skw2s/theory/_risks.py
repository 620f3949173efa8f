"""Public risks: a (weighted) ridge fit, and a teacher with a student on its labels."""

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

from ._params import (
    _ALPHA,
    _COMMON,
    _SIZE,
    _W2S_PARAMS,
    _broadcast_alphas,
    _check_alpha,
    _check_shared,
    _noise_variance,
    _out,
)
from ._problem import _make_problem, _w2s_problem


def _w2s(problem, ta, sa, n, m, s2, student_inputs):
    """Teacher and student risks for broadcast alphas (broadcast shape)."""
    ta, sa = np.broadcast_arrays(ta, sa)
    shape = ta.shape
    ut, it = np.unique(ta.ravel(), return_inverse=True)
    us, is_ = np.unique(sa.ravel(), return_inverse=True)
    rt, curve = problem.student_curve(ut / n, n, m, s2, student_inputs)
    rs = curve(us)
    return rt[it].reshape(shape), rs[it, is_].reshape(shape)


@validate_params(
    {"alpha": _ALPHA, "n_samples": _SIZE, **_COMMON,
     "penalty_weights": [None, "array-like"]},
    prefer_skip_nested_validation=True,
)
def ridge_risk(alpha, *, n_samples, covariance, coef, noise, penalty_weights=None):
    r"""Asymptotic excess risk of (weighted) ridge regression.

    The estimator is :math:`\hat b = \arg\min_b \|y - Xb\|^2 + \alpha\, b^\top G b`
    fit on ``n_samples`` rows :math:`x \sim N(0, \Sigma)`,
    :math:`y = x^\top b^* + \varepsilon`, :math:`\varepsilon \sim N(0,
    \mathrm{noise}^2)`. The risk is :math:`(\hat b - b^*)^\top \Sigma (\hat b - b^*)`,
    predicted by its deterministic equivalent (Dobriban & Wager, 2018; Hastie et
    al., 2022)

    .. math::
        R = \frac{\kappa^2 b^{*\top} G H G b^* + \sigma^2 \mathrm{df}_2 / n}
                 {1 - \mathrm{df}_2 / n},

    with :math:`\lambda = \alpha / n` and :math:`\kappa` the fixed point
    :math:`\lambda = \kappa (1 - \mathrm{tr}[\Sigma(\Sigma + \kappa G)^{-1}] / n)`.

    Parameters
    ----------
    alpha : float or array-like of shape (n_alphas,)
        Non-negative penalty strengths in scikit-learn units (against the
        unnormalized squared loss); ``0`` is the minimum-norm least-squares fit.
    n_samples : int
        Number of labeled training samples ``n``.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        The fixed target :math:`b^*`, or the second moment
        :math:`B = E[b^* b^{*\top}]` of a random target.
    noise : float
        Standard deviation of the label noise (``s2 = noise ** 2``).
    penalty_weights : None or array-like, default=None
        :math:`G` as in :class:`~skw2s.WeightedRidge`, of shape
        ``(n_features,)`` or ``(n_features, n_features)``: identity, diagonal
        (zeros leave a coefficient unpenalized), or a PSD matrix.

    Returns
    -------
    risk : float or ndarray of shape (n_alphas,)
        Excess risk; ``inf`` at the interpolation threshold.

    See Also
    --------
    w2s_ridge_risk : Risks of a teacher and of a student trained on its labels.
    optimal_teacher_alpha : The alpha that minimizes this risk.

    Notes
    -----
    These are high-dimensional limits; at finite ``n`` and ``n_features`` the
    realized risk fluctuates around them by ``O(1/sqrt(n_features))``.

    References
    ----------
    .. [1] E. Dobriban and S. Wager, "High-dimensional asymptotics of prediction:
       ridge regression and classification", Annals of Statistics, 2018.
    .. [2] T. Hastie, A. Montanari, S. Rosset and R. Tibshirani, "Surprises in
       high-dimensional ridgeless least squares interpolation", Annals of
       Statistics, 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import ridge_risk
    >>> d = 100
    >>> coef = np.full(d, 1 / np.sqrt(d))  # ||b*|| = 1
    >>> risk = ridge_risk([0.0, 100.0], n_samples=200, covariance=np.ones(d),
    ...                   coef=coef, noise=1.0)
    >>> risk.round(4)  # ridgeless: s2 g / (1 - g) = 1; optimal alpha = n s2 g / r2
    array([1.    , 0.4142])
    """
    a = _check_alpha(alpha, "alpha")
    problem = _make_problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    lam = a.ravel() / n_samples
    risk = problem.teacher_arrays(lam, n_samples, _noise_variance(noise))[0]
    return _out(risk, a.shape)


@validate_params(_W2S_PARAMS, prefer_skip_nested_validation=True)
def w2s_ridge_risk(
    teacher_alpha,
    student_alpha,
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
    r"""Asymptotic risks of a ridge teacher and a ridge student fit on its labels.

    The teacher is (weighted) ridge with ``teacher_alpha`` on ``n_teacher``
    labeled rows. The student is (weighted) ridge with ``student_alpha`` fit on
    ``n_student`` rows labeled by the teacher's predictions (no added noise):
    :math:`\hat b_s = (S + \lambda_s G_s)^{-1} S \hat b_t` with
    :math:`\lambda_s = \alpha_s / m`. Both risks are excess risks
    :math:`(\hat b - b^*)^\top \Sigma (\hat b - b^*)`, given by the deterministic
    equivalents of the theory page of the user guide (:ref:`theory`) applied to
    the teacher and then to the student conditionally on the teacher.

    Parameters
    ----------
    teacher_alpha : float or array-like
        Teacher penalty strength(s), scikit-learn units (``lambda_t = alpha / n``).
    student_alpha : float or array-like
        Student penalty strength(s), scikit-learn units (``lambda_s = alpha / m``).
        Broadcast against ``teacher_alpha``.
    n_teacher : int
        Number of labeled samples of the teacher, ``n``.
    n_student : int
        Number of teacher-labeled samples of the student, ``m``.
    covariance : array-like of shape (n_features,) or (n_features, n_features)
        Eigenvalues of a diagonal :math:`\Sigma`, or the full PSD matrix.
    coef : array-like of shape (n_features,) or (n_features, n_features)
        Fixed target, or second-moment matrix of a random target.
    noise : float
        Standard deviation of the teacher's label noise.
    teacher_penalty_weights, student_penalty_weights : None or array-like, default=None
        Penalty matrices :math:`G_t` and :math:`G_s` in
        :class:`~skw2s.WeightedRidge`'s forms.
    student_inputs : {"fresh", "shared"}, default="fresh"
        ``"fresh"``: the student's inputs are new draws. ``"shared"``: the student
        re-uses the teacher's inputs (then ``n_student`` must equal
        ``n_teacher``); implemented for the isotropic model only, by
        Gauss-Chebyshev quadrature against the Marchenko-Pastur law.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        With keys ``teacher_risk`` and ``student_risk`` (floats, or arrays of the
        broadcast shape of the alphas) and ``gain = teacher_risk - student_risk``.

    Raises
    ------
    NotImplementedError
        For ``student_inputs="shared"`` outside the isotropic model.

    See Also
    --------
    ridge_risk : The teacher's risk alone.
    optimal_student_alpha : The best student alpha for a given teacher.

    Notes
    -----
    In the isotropic model the risks reduce to the Marchenko-Pastur closed
    forms :math:`R_s = \tau_2 Q - 2 \tau_1 P + r^2`, used directly (thousands of
    alphas in milliseconds). When :math:`\Sigma` and both penalties are diagonal
    in one basis, every alpha costs :math:`O(d)`; otherwise one generalized
    eigendecomposition per penalty is followed by :math:`O(d^2)` work per
    teacher alpha and :math:`O(d)` per student alpha.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import w2s_ridge_risk
    >>> d = 200
    >>> coef = np.full(d, 1 / np.sqrt(d))
    >>> res = w2s_ridge_risk(4.0, [0.0, 283.6], n_teacher=400, n_student=400,
    ...                      covariance=np.ones(d), coef=coef, noise=1.0)
    >>> res.teacher_risk.round(4)  # broadcast against student_alpha
    array([0.9273, 0.9273])
    >>> res.student_risk.round(4)  # the ridgeless student copies the teacher
    array([0.9273, 0.5587])
    """
    ta = _check_alpha(teacher_alpha, "teacher_alpha")
    sa = _check_alpha(student_alpha, "student_alpha")
    shape = _broadcast_alphas(ta, sa)
    _check_shared(student_inputs, n_teacher, n_student)
    problem = _w2s_problem(covariance, coef, teacher_penalty_weights,
                           student_penalty_weights)
    rt, rs = _w2s(problem, ta, sa, n_teacher, n_student, _noise_variance(noise),
                  student_inputs)
    rt, rs = _out(rt, shape), _out(rs, shape)
    return Bunch(teacher_risk=rt, student_risk=rs, gain=rt - rs)
