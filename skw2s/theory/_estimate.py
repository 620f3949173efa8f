"""Public plug-in estimates of the theory's inputs from data."""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

from .._validation import _check_alphas, _label_values, _unlabeled_mask

#: Default grid of ``estimate_problem``: ``_DEFAULT_GRID * ||X_L - mean||_F^2 / d``.
_DEFAULT_GRID = np.logspace(-4, 4, 41)

#: Fewest labeled rows: the noise estimate needs residual degrees of freedom
#: after the intercept and the fit (``n_l - 1 - df > 0``) and a variance of ``y``.
_MIN_LABELED = 3


def _check_X(X):
    """``X`` as a finite 2-D float array, or a ValueError naming ``X``."""
    if sp.issparse(X):
        X = X.toarray()
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"X must be a 2-D array of real numbers (n_samples, n_features): {exc}"
        ) from exc
    if X.ndim != 2:
        raise ValueError(
            "X must be a 2-D array of shape (n_samples, n_features); got shape "
            f"{X.shape}. Reshape a single feature with X.reshape(-1, 1)."
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"X must have at least one sample and one feature; got shape {X.shape}."
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(
            "X must not contain NaN or infinite values (unlabeled rows are marked "
            "by NaN in y, and every row of X must be observed)."
        )
    return X


def _check_y(y, n_samples):
    """``y`` as a 1-D float array with NaN on the unlabeled rows."""
    values = _label_values(y)
    if values.ndim != 1:
        raise ValueError(
            f"y must be 1-D of shape (n_samples,); got shape {values.shape}."
        )
    if values.shape[0] != n_samples:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: X has {n_samples}, "
            f"y has {values.shape[0]}."
        )
    unlabeled = _unlabeled_mask(values, minus_one=False)
    out = np.full(n_samples, np.nan)
    try:
        out[~unlabeled] = np.asarray(values[~unlabeled], dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"y must hold real numbers, with NaN (or None, pd.NA) marking the "
            f"unlabeled rows: {exc}"
        ) from exc
    if np.isinf(out).any():
        raise ValueError(
            "y contains infinity; unlabeled rows must be marked with NaN and "
            "labeled rows must be finite."
        )
    n_labeled = int(np.sum(~unlabeled))
    if n_labeled < _MIN_LABELED:
        raise ValueError(
            f"y has {n_labeled} labeled row(s) (not NaN); estimate_problem needs "
            f"at least {_MIN_LABELED} to estimate the noise after fitting an "
            "intercept and a ridge fit."
        )
    return out


def _gcv_ridge(Xc, yc, alphas):
    """GCV alpha of ridge on centered data, its df and the residual sum of squares.

    ``Xc`` and ``yc`` are centered (one degree of freedom spent on the
    intercept), so the GCV criterion is ``RSS / (n - 1 - df)^2`` and the
    residual degrees of freedom are ``n - 1 - df``, computed as
    ``(n - 1 - rank) + sum(alpha / (s^2 + alpha))`` (no cancellation).
    """
    n = Xc.shape[0]
    U, s, _ = np.linalg.svd(Xc, full_matrices=False)
    tol = s[0] * max(Xc.shape) * np.finfo(float).eps if s.size else 0.0
    keep = s > tol
    U, s2 = U[:, keep], s[keep] ** 2
    z = U.T @ yc
    rss_out = float(np.sum((yc - U @ z) ** 2))  # outside the column space
    a = alphas[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(a > 0, a / (s2 + a), 0.0)  # 1 - s^2 / (s^2 + alpha)
    rss = rss_out + np.sum((shrink * z) ** 2, axis=1)
    resid_df = (n - 1 - s2.size) + np.sum(shrink, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gcv = np.where(resid_df > 0, rss / np.maximum(resid_df, 1e-300) ** 2, np.inf)
    if not np.any(np.isfinite(gcv)):
        raise ValueError(
            "Every alpha in alphas leaves no residual degrees of freedom "
            f"(the centered labeled data has rank {s2.size} = n_labeled - 1, so "
            "alpha = 0 interpolates the labels); include a positive alpha."
        )
    best = int(np.argmin(gcv))
    return float(alphas[best]), float(rss[best]), float(resid_df[best])


@validate_params(
    {"X": ["array-like", "sparse matrix"], "y": ["array-like"],
     "alphas": [None, "array-like"]},
    prefer_skip_nested_validation=True,
)
def estimate_problem(X, y, *, alphas=None):
    r"""Estimate the covariance, signal and noise of a ridge problem from data.

    Turns a semi-supervised data set into the inputs of the deterministic
    equivalents (:func:`ridge_risk`, :func:`w2s_ridge_risk`,
    :func:`optimal_teacher_alpha`, :func:`optimal_student_alpha`), under their
    model :math:`x \sim N(0, \Sigma)`, :math:`y = x^\top b^* + \varepsilon`,
    :math:`\varepsilon \sim N(0, \sigma^2)`, with a random target of second
    moment :math:`B = E[b^* b^{*\top}]`:

    - ``covariance`` is the sample covariance of **all** rows of ``X`` (labeled
      and unlabeled), centered at their mean and divided by ``n_samples``;
    - ``noise`` :math:`\hat\sigma` comes from the labeled rows only: ridge with
      an intercept is fit for each alpha of ``alphas``, the alpha minimizing the
      generalized cross-validation criterion :math:`\mathrm{RSS} / (n_l - 1 -
      \mathrm{df})^2` is kept, and :math:`\hat\sigma^2 = \mathrm{RSS} / (n_l -
      1 - \mathrm{df})` with :math:`\mathrm{df}` the trace of the hat matrix
      (the ``-1`` is the intercept);
    - ``signal`` :math:`\hat\tau^2 = \widehat{\mathrm{var}}(y_L) -
      \hat\sigma^2` (clipped at 0) estimates :math:`E[(x^\top b^*)^2] =
      \mathrm{tr}(\Sigma B)`;
    - ``coef`` is the isotropic second moment :math:`B = c I` with :math:`c =
      \hat\tau^2 / \mathrm{tr}(\hat\Sigma)`, which has that signal.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        All rows, labeled and unlabeled. Must be finite.
    y : array-like of shape (n_samples,)
        Targets; NaN (or None, ``pd.NA``) marks an unlabeled row. At least 3
        rows must be labeled.
    alphas : None or array-like of shape (n_alphas,), default=None
        Non-negative ridge penalties (scikit-learn units, on the labeled rows)
        among which GCV chooses. ``None`` is ``np.logspace(-4, 4, 41)`` times
        :math:`\|X_L - \bar x_L\|_F^2 / d`, the mean eigenvalue of the labeled
        Gram matrix, so the grid follows the scale of ``X``.

    Returns
    -------
    problem : :class:`~sklearn.utils.Bunch`
        With keys

        - ``covariance`` : ndarray of shape (n_features, n_features), the
          all-row sample covariance :math:`\hat\Sigma`;
        - ``coef`` : ndarray of shape (n_features, n_features), the second
          moment :math:`c I` of the target;
        - ``noise`` : float, :math:`\hat\sigma` (a standard deviation);
        - ``signal`` : float, :math:`\hat\tau^2`;
        - ``alpha`` : float, the GCV alpha (scikit-learn units on the
          ``n_labeled`` rows);
        - ``n_labeled``, ``n_samples``, ``n_features`` : int.

        ``covariance``, ``coef`` and ``noise`` are the keyword arguments of the
        public functions of :mod:`skw2s.theory`.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D or not finite, ``y`` contains infinity or has
        fewer than 3 labeled rows, their lengths differ, or every alpha of
        ``alphas`` leaves no residual degrees of freedom (only ``alpha = 0``
        with as many features as labeled rows).

    Warns
    -----
    UserWarning
        When :math:`\widehat{\mathrm{var}}(y_L) \le \hat\sigma^2`: no signal is
        detected and ``signal`` (hence ``coef``) is set to 0.

    See Also
    --------
    ridge_risk : The risk of a ridge teacher on these inputs.
    w2s_ridge_risk : The risks of a teacher and of a student on its labels.

    Notes
    -----
    The estimates assume the model above: Gaussian inputs, a linear target with
    Gaussian noise, and an **isotropic prior** on the target in the feature
    basis (:math:`B = cI`: no direction of :math:`b^*` is favored, whatever
    :math:`\Sigma`). Under that prior, at its Bayes-optimal alpha
    :math:`\sigma^2 / c`, :math:`E[\mathrm{RSS} \mid X] = \sigma^2 (n_l - 1 -
    \mathrm{df})` exactly, which is why the GCV alpha (an estimate of the
    optimal one) and this denominator are used. The variance of ``y`` uses
    ``ddof=1``. A feature that is constant has a zero eigenvalue in
    ``covariance``; this is allowed.

    They are the inputs a plug-in forecast needs, not a test that the model
    holds: a target concentrated on a few directions of :math:`\Sigma`, heavy
    tails or a nonlinear target make the theory's predictions (not these
    estimates) unreliable, and the theory's risks are high-dimensional limits
    that fluctuate at finite size.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.theory import estimate_problem, ridge_risk
    >>> rng = np.random.default_rng(1)
    >>> n, d = 2000, 20
    >>> X = rng.standard_normal((n, d))
    >>> coef = rng.standard_normal(d) / np.sqrt(d)
    >>> y = X @ coef + 0.5 * rng.standard_normal(n)  # noise 0.5
    >>> y[400:] = np.nan  # 400 labeled rows
    >>> est = estimate_problem(X, y)
    >>> est.n_labeled, est.covariance.shape
    (400, (20, 20))
    >>> round(est.noise, 2), round(est.signal, 2), round(float(coef @ coef), 2)
    (0.5, 1.03, 1.04)
    >>> risk = ridge_risk(est.alpha, n_samples=est.n_labeled,
    ...                   covariance=est.covariance, coef=est.coef, noise=est.noise)
    >>> round(risk, 3)  # predicted excess risk of ridge on the labeled rows
    0.013
    """
    X = _check_X(X)
    n_samples, n_features = X.shape
    y = _check_y(y, n_samples)
    labeled = ~np.isnan(y)
    n_labeled = int(labeled.sum())

    Xc = X - X.mean(axis=0)
    covariance = (Xc.T @ Xc) / n_samples

    XL = X[labeled]
    XL = XL - XL.mean(axis=0)  # = the all-row centering plus a free intercept
    yL = y[labeled]
    yL = yL - yL.mean()
    if alphas is None:
        scale = float(np.sum(XL**2)) / n_features
        alphas = _DEFAULT_GRID * (scale if scale > 0 else 1.0)
    else:
        alphas = _check_alphas(alphas)
    alpha, rss, resid_df = _gcv_ridge(XL, yL, alphas)
    noise2 = rss / resid_df

    signal = float(np.sum(yL**2)) / (n_labeled - 1) - noise2
    if signal <= 0:
        warnings.warn(
            f"The labeled targets' variance is not above the estimated noise "
            f"variance {noise2:.3g}: no signal is detected, signal and coef are "
            "set to 0 (the theory then predicts that the zero estimator is best).",
            UserWarning,
            stacklevel=2,
        )
        signal = 0.0
    trace = float(np.trace(covariance))
    c = signal / trace if trace > 0 else 0.0
    return Bunch(
        covariance=covariance,
        coef=c * np.eye(n_features),
        noise=float(np.sqrt(noise2)),
        signal=float(signal),
        alpha=alpha,
        n_labeled=n_labeled,
        n_samples=n_samples,
        n_features=n_features,
    )
