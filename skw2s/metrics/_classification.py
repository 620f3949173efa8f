"""Classification scorers that skip unlabeled rows (``-1``, NaN or None)."""

import numpy as np
from sklearn.metrics import accuracy_score, log_loss, make_scorer, roc_auc_score
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import _check_sample_weight, column_or_1d

from .._split import NO_LABELED_ROWS_HINT
from .._validation import _as_label_array, _unlabeled_mask

__all__ = [
    "accuracy_nan_scorer",
    "make_nan_classification_scorer",
    "neg_log_loss_nan_scorer",
    "roc_auc_nan_scorer",
]


class _UnlabeledMasked:
    """A classification metric restricted to the labeled rows (picklable)."""

    def __init__(self, score_func):
        self.score_func = score_func
        self.__name__ = f"unlabeled_masked_{getattr(score_func, '__name__', 'metric')}"

    def __call__(self, y_true, y_pred, sample_weight=None, **kwargs):
        y_true = column_or_1d(np.asarray(y_true))
        y_pred = np.asarray(y_pred)
        if y_pred.shape[0] != y_true.shape[0]:
            raise ValueError(
                f"y_pred has {y_pred.shape[0]} rows but y_true has {y_true.shape[0]}."
            )
        keep = ~_unlabeled_mask(y_true, minus_one=True)
        if not keep.any():
            raise ValueError(
                "y_true has no labeled rows (every row is -1, NaN or None); the "
                f"metric is computed on labeled rows only. {NO_LABELED_ROWS_HINT}"
            )
        if sample_weight is not None:
            kwargs["sample_weight"] = _check_sample_weight(sample_weight, y_true)[keep]
        return self.score_func(_as_label_array(y_true[keep]), y_pred[keep], **kwargs)


@validate_params(
    {"score_func": [callable], "greater_is_better": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def make_nan_classification_scorer(score_func, *, greater_is_better=True, **kwargs):
    """Make a scorer from a classification metric that skips unlabeled rows.

    Like :func:`sklearn.metrics.make_scorer`, but rows whose true label marks
    an unlabeled row (``-1``, NaN in a float ``y`` or None in an object ``y``,
    scikit-learn's semi-supervised convention) are removed, together with
    their predictions and weights, before ``score_func`` is called. Use it as
    ``scoring=`` in :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate` when unlabeled rows can
    land in a test fold. The regression counterpart is
    :func:`make_nan_scorer` (where ``-1`` is a value, not a marker).

    Parameters
    ----------
    score_func : callable
        Metric ``score_func(y_true, y_pred, **kwargs)``.

    greater_is_better : bool, default=True
        Whether ``score_func`` is a score (True) or a loss (False, the scorer
        then returns its negative).

    **kwargs : dict
        Passed to :func:`~sklearn.metrics.make_scorer`: ``response_method``
        (e.g. ``"predict_proba"``) and extra arguments of ``score_func``.

    Returns
    -------
    scorer : callable
        A scorer ``scorer(estimator, X, y)``.

    See Also
    --------
    accuracy_nan_scorer : The accuracy on the labeled rows.
    make_nan_scorer : The same for regression metrics (NaN marks unlabeled).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import balanced_accuracy_score
    >>> from skw2s.metrics import make_nan_classification_scorer
    >>> scorer = make_nan_classification_scorer(balanced_accuracy_score)
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> float(scorer(model, X, [0, -1, 1, 1]))
    1.0
    """
    return make_scorer(
        _UnlabeledMasked(score_func), greater_is_better=greater_is_better, **kwargs
    )


accuracy_nan_scorer = make_scorer(_UnlabeledMasked(accuracy_score))

neg_log_loss_nan_scorer = make_scorer(
    _UnlabeledMasked(log_loss), greater_is_better=False,
    response_method="predict_proba",
)

roc_auc_nan_scorer = make_scorer(
    _UnlabeledMasked(roc_auc_score),
    response_method=("decision_function", "predict_proba"),
)

_SCORER_DOC = """Scorer: {what}, skipping unlabeled rows (-1, NaN or None).

{extended} Rows whose true label is ``-1``, NaN (float ``y``) or None (object
``y``) are skipped, so the scorer can be passed as ``scoring=`` to
:class:`~sklearn.model_selection.GridSearchCV` or
:func:`~sklearn.model_selection.cross_validate` on data with unlabeled rows.

Parameters
----------
estimator : object
    Fitted classifier whose ``{method}`` is scored.

X : array-like of shape (n_samples, n_features)
    Test data.

y_true : array-like of shape (n_samples,)
    True labels; ``-1``, NaN or None marks an unlabeled row, which is skipped.

sample_weight : array-like of shape (n_samples,), default=None
    Sample weights (those of skipped rows are dropped).

**kwargs : dict
    Other parameters passed to the estimator's method through metadata
    routing.

Returns
-------
score : float
    {returns}

See Also
--------
make_nan_classification_scorer : Build such a scorer from any metric.

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> from skw2s.metrics import {name}
>>> X = np.array([[-2.0], [-1.0], [1.0], [2.0], [0.5]])
>>> model = LogisticRegression().fit(X[:4], [0, 0, 1, 1])
>>> float({name}(model, X, [0, 0, 1, 1, -1]))
{value}
"""
accuracy_nan_scorer.__doc__ = _SCORER_DOC.format(
    what="the accuracy",
    extended="Greater is better (:func:`sklearn.metrics.accuracy_score`).",
    method="predict",
    returns="The accuracy on the labeled rows.",
    name="accuracy_nan_scorer",
    value="1.0",
)
neg_log_loss_nan_scorer.__doc__ = _SCORER_DOC.format(
    what="the negated log-loss",
    extended=(
        "Greater is better: the value is minus :func:`sklearn.metrics.log_loss` "
        "of ``predict_proba``."
    ),
    method="predict_proba",
    returns="Minus the log-loss on the labeled rows.",
    name="neg_log_loss_nan_scorer",
    value="-0.21...",
)
roc_auc_nan_scorer.__doc__ = _SCORER_DOC.format(
    what="the area under the ROC curve (binary)",
    extended=(
        "Greater is better (:func:`sklearn.metrics.roc_auc_score` of "
        "``decision_function``, or of ``predict_proba`` if there is none)."
    ),
    method="decision_function",
    returns="The ROC AUC on the labeled rows.",
    name="roc_auc_nan_scorer",
    value="1.0",
)
# doctest does not look into instances: run the scorers' examples explicitly.
__test__ = {
    "accuracy_nan_scorer": accuracy_nan_scorer.__doc__,
    "neg_log_loss_nan_scorer": neg_log_loss_nan_scorer.__doc__,
    "roc_auc_nan_scorer": roc_auc_nan_scorer.__doc__,
}
