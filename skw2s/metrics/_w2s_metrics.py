"""Performance gap recovered (PGR) and NaN-aware regression metrics."""

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import make_scorer, mean_squared_error, r2_score
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import _check_sample_weight, column_or_1d

from .._split import NO_LABELED_ROWS_HINT
from .._validation import _check_weight_sum

__all__ = [
    "make_nan_scorer",
    "nan_mean_squared_error",
    "nan_r2_score",
    "neg_mse_nan_scorer",
    "performance_gap_recovered",
    "r2_nan_scorer",
]


def _labeled(y_true, preds, sample_weight, *, names):
    """Drop rows with NaN ``y_true``; validate shapes and finiteness.

    Returns the kept ``y_true``, the kept predictions (list) and weights.
    """
    y_true = column_or_1d(np.asarray(y_true, dtype=np.float64))
    if np.isinf(y_true).any():
        raise ValueError("y_true contains infinity; NaN marks unlabeled rows.")
    out = []
    for name, pred in zip(names, preds, strict=True):
        pred = column_or_1d(np.asarray(pred, dtype=np.float64))
        if pred.shape != y_true.shape:
            raise ValueError(
                f"{name} has {pred.shape[0]} rows but y_true has {y_true.shape[0]}."
            )
        out.append(pred)
    keep = ~np.isnan(y_true)
    if not keep.any():
        raise ValueError(
            "y_true has no labeled rows (every value is NaN); the metric is "
            f"computed on labeled rows only. {NO_LABELED_ROWS_HINT}"
        )
    for name, pred in zip(names, out, strict=True):
        if not np.all(np.isfinite(pred[keep])):
            raise ValueError(f"{name} contains NaN or infinity on labeled rows.")
    if sample_weight is not None:
        sample_weight = _check_weight_sum(
            _check_sample_weight(sample_weight, y_true, ensure_non_negative=True)[
                keep
            ],
            "sample_weight (on the labeled rows)",
        )
    return y_true[keep], [pred[keep] for pred in out], sample_weight


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def nan_mean_squared_error(y_true, y_pred, *, sample_weight=None):
    """Mean squared error over the rows whose true target is not NaN.

    Unlabeled rows (NaN in ``y_true``) are skipped, so the metric can be used
    when unlabeled rows sit in a test fold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets; NaN marks an unlabeled row, which is skipped.

    y_pred : array-like of shape (n_samples,)
        Predictions; must be finite on the labeled rows.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights (those of skipped rows are dropped).

    Returns
    -------
    loss : float
        The (weighted) mean squared error on the labeled rows.

    See Also
    --------
    neg_mse_nan_scorer : The scorer built on this metric.
    sklearn.metrics.mean_squared_error : The metric without NaN handling.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.metrics import nan_mean_squared_error
    >>> nan_mean_squared_error([1.0, np.nan, 3.0], [2.0, 100.0, 3.0])
    0.5
    """
    y_true, (y_pred,), sample_weight = _labeled(
        y_true, [y_pred], sample_weight, names=["y_pred"]
    )
    return float(mean_squared_error(y_true, y_pred, sample_weight=sample_weight))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def nan_r2_score(y_true, y_pred, *, sample_weight=None):
    """:math:`R^2` over the rows whose true target is not NaN.

    Unlabeled rows (NaN in ``y_true``) are skipped, so the metric can be used
    when unlabeled rows sit in a test fold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets; NaN marks an unlabeled row, which is skipped.

    y_pred : array-like of shape (n_samples,)
        Predictions; must be finite on the labeled rows.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights (those of skipped rows are dropped).

    Returns
    -------
    score : float
        :func:`sklearn.metrics.r2_score` on the labeled rows.

    See Also
    --------
    r2_nan_scorer : The scorer built on this metric.
    sklearn.metrics.r2_score : The metric without NaN handling.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.metrics import nan_r2_score
    >>> nan_r2_score([1.0, np.nan, 3.0], [1.0, 100.0, 3.0])
    1.0
    """
    y_true, (y_pred,), sample_weight = _labeled(
        y_true, [y_pred], sample_weight, names=["y_pred"]
    )
    return float(r2_score(y_true, y_pred, sample_weight=sample_weight))


class _NanMasked:
    """A metric restricted to the rows with a non-NaN true target (picklable)."""

    def __init__(self, score_func):
        self.score_func = score_func
        self.__name__ = f"nan_masked_{getattr(score_func, '__name__', 'metric')}"

    def __call__(self, y_true, y_pred, sample_weight=None, **kwargs):
        y_true, (y_pred,), sample_weight = _labeled(
            y_true, [y_pred], sample_weight, names=["y_pred"]
        )
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self.score_func(y_true, y_pred, **kwargs)


@validate_params(
    {"score_func": [callable], "greater_is_better": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def make_nan_scorer(score_func, *, greater_is_better=True, **kwargs):
    """Make a scorer from a regression metric that skips NaN-target rows.

    Like :func:`sklearn.metrics.make_scorer`, but rows whose true target is
    NaN (unlabeled rows) are removed, together with their predictions and
    weights, before ``score_func`` is called. Use it as ``scoring=`` in
    :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate` when unlabeled rows can
    land in a test fold.

    Parameters
    ----------
    score_func : callable
        Metric ``score_func(y_true, y_pred, **kwargs)``.

    greater_is_better : bool, default=True
        Whether ``score_func`` is a score (True) or a loss (False, the scorer
        then returns its negative).

    **kwargs : dict
        Extra arguments passed to ``score_func``.

    Returns
    -------
    scorer : callable
        A scorer ``scorer(estimator, X, y)``.

    See Also
    --------
    neg_mse_nan_scorer : The negated NaN-aware mean squared error scorer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.metrics import mean_absolute_error
    >>> from skw2s.metrics import make_nan_scorer
    >>> scorer = make_nan_scorer(mean_absolute_error, greater_is_better=False)
    >>> X = np.arange(4.0).reshape(-1, 1)
    >>> model = LinearRegression().fit(X, 2 * X.ravel())
    >>> float(scorer(model, X, [0.0, np.nan, 4.0, 7.0]))
    -0.33...
    """
    return make_scorer(
        _NanMasked(score_func), greater_is_better=greater_is_better, **kwargs
    )


# Scorers; their docstrings (set below) are rendered in the API reference.
neg_mse_nan_scorer = make_scorer(nan_mean_squared_error, greater_is_better=False)

r2_nan_scorer = make_scorer(nan_r2_score)

_SCORER_DOC = """Scorer: {what}, skipping rows whose true target is NaN.

{extended} Pass it as ``scoring=`` to
:class:`~sklearn.model_selection.GridSearchCV` or
:func:`~sklearn.model_selection.cross_validate`; unlabeled rows that land in a
test fold are ignored. With :class:`~skw2s.model_selection.LabeledSplit` no
unlabeled row reaches a test fold, and ordinary scorers work as well.

Parameters
----------
estimator : object
    Fitted estimator whose ``predict`` is scored.

X : array-like of shape (n_samples, n_features)
    Test data.

y_true : array-like of shape (n_samples,)
    True targets; NaN marks an unlabeled row, which is skipped.

sample_weight : array-like of shape (n_samples,), default=None
    Sample weights (those of skipped rows are dropped).

**kwargs : dict
    Other parameters passed to ``estimator.predict`` through metadata routing.

Returns
-------
score : float
    {returns}

See Also
--------
{metric} : The metric behind the scorer.
make_nan_scorer : Build such a scorer from any regression metric.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LinearRegression
>>> from skw2s.metrics import {name}
>>> X = np.arange(4.0).reshape(-1, 1)
>>> model = LinearRegression().fit(X, 2 * X.ravel())
>>> float({name}(model, X, [0.0, np.nan, 4.0, 7.0]))
{value}
"""
neg_mse_nan_scorer.__doc__ = _SCORER_DOC.format(
    what="the negated mean squared error",
    extended="Greater is better: the value is ``-nan_mean_squared_error``.",
    returns="Minus the mean squared error on the labeled rows.",
    metric="nan_mean_squared_error",
    name="neg_mse_nan_scorer",
    value="-0.33...",
)
r2_nan_scorer.__doc__ = _SCORER_DOC.format(
    what="the coefficient of determination",
    extended="Greater is better.",
    returns=":math:`R^2` on the labeled rows.",
    metric="nan_r2_score",
    name="r2_nan_scorer",
    value="0.95...",
)
# doctest does not look into instances: run the scorers' examples explicitly.
__test__ = {
    "neg_mse_nan_scorer": neg_mse_nan_scorer.__doc__,
    "r2_nan_scorer": r2_nan_scorer.__doc__,
}


@validate_params(
    {
        "y_true": ["array-like"],
        "y_weak": ["array-like"],
        "y_w2s": ["array-like"],
        "y_ceiling": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def performance_gap_recovered(y_true, y_weak, y_w2s, y_ceiling, *, sample_weight=None):
    """Performance gap recovered (PGR) on the mean squared error.

    .. math::

        \\mathrm{PGR} = \\frac{\\mathrm{MSE}_{weak} - \\mathrm{MSE}_{w2s}}
                              {\\mathrm{MSE}_{weak} - \\mathrm{MSE}_{ceiling}}

    (Burns et al., 2023): the fraction of the gap between the weak teacher and
    the strong ceiling (the student trained on true labels) that the
    weak-to-strong student closes. 1 means the student matches the ceiling,
    0 that it is no better than the teacher; values below 0 (worse than the
    teacher) and above 1 (better than the ceiling) are possible and returned
    as they are.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Held-out true targets; rows with NaN are skipped.

    y_weak : array-like of shape (n_samples,)
        The teacher's predictions.

    y_w2s : array-like of shape (n_samples,)
        The weak-to-strong student's predictions.

    y_ceiling : array-like of shape (n_samples,)
        The ceiling's predictions (the student trained on true labels).

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights of the mean squared errors.

    Returns
    -------
    pgr : float
        The PGR, or NaN (with an
        :class:`~sklearn.exceptions.UndefinedMetricWarning`) when the ceiling
        is no better than the teacher (``MSE_ceiling >= MSE_weak``): the gap is
        then zero or negative and the ratio is meaningless.

    See Also
    --------
    skw2s.model_selection.cross_validate_w2s : Teacher, student and ceiling
        errors and the PGR per cross-validation fold.

    Examples
    --------
    >>> from skw2s.metrics import performance_gap_recovered
    >>> y = [0.0, 0.0, 0.0, 0.0]
    >>> performance_gap_recovered(y, [2, 2, 2, 2], [1, 1, 1, 1], [0, 0, 0, 0])
    0.75
    """
    y_true, preds, sample_weight = _labeled(
        y_true,
        [y_weak, y_w2s, y_ceiling],
        sample_weight,
        names=["y_weak", "y_w2s", "y_ceiling"],
    )
    # The PGR is a ratio of differences of MSEs: invariant to the scale of
    # y and of the weights. Compute it in units where the largest residual is
    # of order one (exact powers of two), so finite inputs of any magnitude
    # (1e-170 or 1e170, whose squares under- or overflow) give a finite PGR.
    shift = _exponent(y_true, *preds)
    resid = [np.ldexp(y_true, -shift) - np.ldexp(p, -shift) for p in preds]
    scale = _exponent(*resid)
    resid = [np.ldexp(r, -scale) for r in resid]
    if sample_weight is not None:
        sample_weight = np.ldexp(
            np.asarray(sample_weight, dtype=np.float64), -_exponent(sample_weight)
        )
    mse_weak, mse_w2s, mse_ceiling = (
        float(np.average(r**2, weights=sample_weight)) for r in resid
    )
    gap = mse_weak - mse_ceiling
    if not gap > 0:
        with np.errstate(over="ignore", under="ignore"):  # in the units of y
            shown = np.ldexp([mse_ceiling, mse_weak], 2 * (shift + scale))
        warnings.warn(
            f"The ceiling (MSE {shown[0]:.4g}) is no better than the weak "
            f"teacher (MSE {shown[1]:.4g}); the performance gap recovered is "
            "undefined and NaN is returned.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return float("nan")
    return float((mse_weak - mse_w2s) / gap)


def _exponent(*arrays):
    """Binary exponent ``e`` of the largest ``|entry|`` (``max = f 2**e``); 0 if 0."""
    m = max(float(np.max(np.abs(a), initial=0.0)) for a in arrays)
    return int(np.frexp(m)[1]) if m > 0 else 0
