"""Public deterministic-equivalent risks of ridge teachers and students."""

from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._design import Problem
from ._marchenko_pastur import iso_student_shared, iso_student_taus, iso_teacher


def _check_alpha(alpha, name):
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} must be non-negative and finite.")
    return a


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


def _teacher_arrays(problem, lam, n, s2):
    """Teacher risk, P and Q for a flat vector of lambdas (any path)."""
    if problem.path == "iso":
        c, g0 = problem.c, problem.gscal[0]
        risk, P, Q = iso_teacher(lam * g0 / c, problem.n_features / n,
                                 c * problem.r2, s2)
        return risk, P, Q
    t = problem.teacher(lam, n, s2)
    Q = t["risk"] + 2 * t["P"] - problem.tr_sigma_b
    return t["risk"], t["P"], Q


def _student_curve(problem, lt, n, m, s2, student_inputs):
    """Teacher risks for the teacher lambdas ``lt`` and a function of student alphas.

    The teacher's state is computed once; the returned function maps a vector of
    student alphas to the ``(len(lt), len(alphas))`` matrix of student risks.
    """
    d = problem.n_features
    if problem.path == "iso":
        c, (gt, gs) = problem.c, problem.gscal
        r2 = c * problem.r2
        rt, P, Q = iso_teacher(lt * gt / c, d / n, r2, s2)
        if student_inputs == "shared":

            def curve(sa):
                lam_s = (np.asarray(sa, dtype=float) / m * gs / c)[None, :]
                return iso_student_shared((lt * gt / c)[:, None], lam_s, d / n,
                                          r2, s2)

            return rt, curve

        def curve(sa):
            tau1, tau2 = iso_student_taus(np.asarray(sa) / m * gs / c, d / m)
            with np.errstate(invalid="ignore"):
                rs = tau2[None, :] * Q[:, None] - 2 * tau1[None, :] * P[:, None]
            return np.where(np.isinf(Q)[:, None], np.inf, rs + r2)

        return rt, curve
    if student_inputs == "shared":
        raise NotImplementedError(
            "student_inputs='shared' is implemented for the isotropic model "
            "only (covariance and both penalty_weights multiples of the "
            "identity)."
        )
    t = problem.teacher(lt, n, s2)

    def curve(sa):
        return problem.student_matrix(t, np.asarray(sa, dtype=float) / m, m, s2)

    return t["risk"], curve


def _w2s(problem, ta, sa, n, m, s2, student_inputs):
    """Teacher and student risks for broadcast alphas (broadcast shape)."""
    ta, sa = np.broadcast_arrays(ta, sa)
    shape = ta.shape
    ut, it = np.unique(ta.ravel(), return_inverse=True)
    us, is_ = np.unique(sa.ravel(), return_inverse=True)
    rt, curve = _student_curve(problem, ut / n, n, m, s2, student_inputs)
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
    problem = Problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    lam = a.ravel() / n_samples
    risk = _teacher_arrays(problem, lam, n_samples, float(noise) ** 2)[0]
    return _out(risk, a.shape)


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


def _w2s_problem(covariance, coef, tpw, spw, path=None):
    return Problem(covariance, coef, [(tpw, "teacher_penalty_weights"),
                                      (spw, "student_penalty_weights")], path=path)


def _check_shared(student_inputs, n_teacher, n_student):
    if student_inputs == "shared" and n_student != n_teacher:
        raise ValueError(
            "student_inputs='shared' means the student is fit on the teacher's "
            f"own inputs, so n_student ({n_student}) must equal n_teacher "
            f"({n_teacher})."
        )


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
    equivalents of ``THEORY.md`` applied to the teacher and then to the student
    conditionally on the teacher.

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
    _check_shared(student_inputs, n_teacher, n_student)
    problem = _w2s_problem(covariance, coef, teacher_penalty_weights,
                           student_penalty_weights)
    rt, rs = _w2s(problem, ta, sa, n_teacher, n_student, float(noise) ** 2,
                  student_inputs)
    shape = np.broadcast_shapes(ta.shape, sa.shape)
    rt, rs = _out(rt, shape), _out(rs, shape)
    return Bunch(teacher_risk=rt, student_risk=rs, gain=rt - rs)


def _minimize_alpha(fun, k, scale, limit_at_inf):
    """Minimize ``fun`` (vectorized over alphas) over ``alpha >= 0``.

    A log-spaced grid of 121 alphas around the natural scale ``k * scale`` plus
    ``alpha = 0`` locates the basin; bounded Brent on ``log(alpha)`` refines it.
    Returns ``(alpha, risk)``; ``alpha = 0`` or ``inf`` when the infimum is there.
    """
    grid = k * scale * np.logspace(-8, 7, 121)
    vals = np.asarray(fun(np.concatenate([[0.0], grid])), dtype=float)
    vals = np.where(np.isnan(vals), np.inf, vals)
    i = int(np.argmin(vals))
    if i == 0:
        return 0.0, float(vals[0])
    if i == len(vals) - 1:
        if limit_at_inf <= vals[i]:
            return np.inf, float(limit_at_inf)
        return float(grid[-1]), float(vals[i])
    lo = np.log(grid[max(i - 2, 0)])
    hi = np.log(grid[min(i, len(grid) - 1)])
    res = minimize_scalar(
        lambda t: float(np.asarray(fun(np.array([np.exp(t)])))[0]),
        bounds=(lo, hi), method="bounded", options={"xatol": 1e-10},
    )
    if res.fun <= vals[i]:
        return float(np.exp(res.x)), float(res.fun)
    return float(grid[i - 1]), float(vals[i])


def _scale(problem, role):
    """A natural lambda scale ``tr(Sigma) / tr(G)`` of one role."""
    if problem.path == "iso":
        return problem.c / problem.gscal[role]
    if problem.path == "diag":
        g = problem.g[role]
        return float(problem.sig.sum() / max(g.sum(), 1e-300))
    e = problem.roles[role]["e"]
    return float(max(e.mean(), 1e-300))


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
    problem = Problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    s2 = float(noise) ** 2
    n = n_samples
    if problem.path == "iso":
        r2 = problem.c * problem.r2
        g0, c = problem.gscal[0], problem.c
        if r2 == 0:
            return Bunch(alpha=np.inf, risk=0.0)
        lam = s2 * (problem.n_features / n) / r2 * c / g0
        alpha = n * lam
        risk = float(_teacher_arrays(problem, np.array([lam]), n, s2)[0][0])
        return Bunch(alpha=float(alpha), risk=risk)
    alpha, risk = _minimize_alpha(
        lambda a: _teacher_arrays(problem, a / n, n, s2)[0], n, _scale(problem, 0),
        problem.tr_sigma_b,
    )
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
    s2 = float(noise) ** 2
    rt, curve = _student_curve(problem, np.atleast_1d(ta) / n_teacher, n_teacher,
                               n_student, s2, student_inputs)
    rt = float(rt[0])

    def fun(sa):
        return curve(sa)[0]

    alpha, risk = _minimize_alpha(fun, n_student, _scale(problem, 1),
                                  problem.tr_sigma_b)
    return Bunch(alpha=alpha, risk=risk, teacher_risk=rt)


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
    problem = Problem(covariance, coef, [(penalty_weights, "penalty_weights")])
    _, P, Q = _teacher_arrays(problem, a.ravel() / n_teacher, n_teacher,
                              float(noise) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isinf(Q), np.inf, Q / P)
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
    gs = n_features / m.astype(float)
    with np.errstate(invalid="ignore"):
        over = 4.0 / (3.0 - np.sqrt(np.clip(1.0 - 1.0 / gs, 0, None)))
    return _out(np.where(gs < 1, 1.0, over), m.shape)


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
    s2 = float(noise) ** 2
    ta = _check_alpha(teacher_alpha, "teacher_alpha")
    if problem.path == "iso":
        _, P, Q = _teacher_arrays(problem, np.atleast_1d(ta) / n_teacher,
                                  n_teacher, s2)
        thr = student_threshold(n_student, problem.n_features)
        return bool(Q[0] > thr * P[0] * (1 + 1e-12))
    best = optimal_student_alpha(
        float(ta), n_teacher=n_teacher, n_student=n_student, covariance=covariance,
        coef=coef, noise=noise, teacher_penalty_weights=teacher_penalty_weights,
        student_penalty_weights=student_penalty_weights,
    )
    return bool(best.risk < best.teacher_risk * (1 - 1e-9))
