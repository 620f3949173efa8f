"""Selective trust in the teacher: pseudo-label confidence, weights and filters.

Plain functions used by :meth:`skw2s._base._BaseWeakToStrong._trust`, the
generic step that turns the pseudo-label step's Bunch into the rows and weights
the student is fit on. A subclass supplies only the per-row *confidence*
(``_confidence``): regression from the teacher's predictive variance or the
spread of the cross-fitted teachers, classification from ``predict_proba``.
"""

import inspect
from numbers import Real

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import _routing_enabled, process_routing
from sklearn.utils.validation import has_fit_parameter

#: Constraints of the selective-trust parameters, shared by every weak-to-strong
#: meta-estimator that offers them (merged into its ``_parameter_constraints``).
TRUST_CONSTRAINTS = {
    "pseudo_label_weights": [None, StrOptions({"confidence"}), callable],
    "pseudo_label_filter": [None, Interval(Real, 0, 1, closed="right")],
}


def _unwrap(estimator):
    """The model that answers ``predict``: inside a frozen wrapper or pipeline."""
    while True:
        if isinstance(estimator, FrozenEstimator):
            estimator = estimator.estimator
        elif isinstance(estimator, Pipeline):
            estimator = estimator.steps[-1][1]
        else:
            return estimator


def predicts_std(estimator):
    """Whether ``estimator.predict`` accepts ``return_std`` (BayesianRidge, GP...)."""
    predict = getattr(_unwrap(estimator), "predict", None)
    if predict is None:
        return False
    try:
        return "return_std" in inspect.signature(predict).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return False


def variance_confidence(var):
    r"""Confidence :math:`c_i = 1 / (1 + v_i / \hat\sigma^2)` of per-row variances.

    :math:`\hat\sigma^2` is the median of ``var`` (so a row of typical
    uncertainty gets 1/2 and the weights do not depend on the scale of ``y``);
    if the median is 0, the mean; if every variance is 0, every confidence is 1.
    """
    var = np.asarray(var, dtype=np.float64)
    scale = np.median(var)
    if not scale > 0:
        scale = np.mean(var)
    if not scale > 0:
        return np.ones_like(var)
    return 1.0 / (1.0 + var / scale)


def top_fraction(score, fraction):
    """Mask of the ``ceil(fraction * n)`` rows of largest ``score`` (stable ties)."""
    n = score.shape[0]
    n_keep = min(n, int(np.ceil(fraction * n)))
    order = np.argsort(-score, kind="stable")
    keep = np.zeros(n, dtype=bool)
    keep[order[:n_keep]] = True
    return keep


def _callable_name(func):
    return getattr(func, "__qualname__", None) or repr(func)


def check_weights(weights, n_rows, func):
    """Validate the weights returned by the callable ``func``."""
    name = _callable_name(func)
    try:
        weights = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"pseudo_label_weights={name} must return an array of numbers; "
            f"got {type(weights).__name__} ({exc})."
        ) from exc
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights[:, 0]
    if weights.shape != (n_rows,):
        raise ValueError(
            f"pseudo_label_weights={name} must return one weight per student row, "
            f"shape ({n_rows},); got shape {weights.shape}."
        )
    if not np.all(np.isfinite(weights)) or (weights < 0).any():
        raise ValueError(
            f"pseudo_label_weights={name} must return finite, non-negative "
            f"weights; got {int((~np.isfinite(weights)).sum())} NaN/inf and "
            f"{int((weights < 0).sum())} negative values."
        )
    if not weights.sum() > 0:
        raise ValueError(
            f"pseudo_label_weights={name} returned weights that are all 0; at "
            "least one student row needs a positive weight."
        )
    return weights


def _routed_to_last_step(pipeline):
    """Whether ``pipeline.fit(X, y, sample_weight=w)``, with routing on, gives
    ``w`` to the final step and raises no error about another step's request.
    """
    name = pipeline.steps[-1][0]
    try:
        routed = process_routing(pipeline, "fit", sample_weight=np.ones(1))
    except (ValueError, TypeError, AttributeError):
        # UnsetMetadataPassedError (a ValueError): a step that accepts
        # sample_weight has no request set; passing it would raise
        return False
    return "sample_weight" in routed[name].get("fit", {})


def sample_weight_key(student):
    """The ``fit`` keyword that sends per-row weights to ``student``, or None.

    The one rule for every weight a meta-estimator passes to its student (the
    user's ``sample_weight``, soft-label expansion weights, pseudo-label
    confidence weights, ``labeled_weight``): a plain estimator takes
    ``sample_weight`` if its ``fit`` has that parameter; a
    :class:`~sklearn.pipeline.Pipeline` gives the weights to its final step
    only, as ``<last step>__sample_weight`` without metadata routing, and as
    ``sample_weight`` with routing when its final step requests it
    (``set_fit_request(sample_weight=True)``) and every other step that
    accepts ``sample_weight`` has a request set (otherwise None: passing
    them would raise about a request the user never had to set).
    """
    if isinstance(student, Pipeline):
        name, last = student.steps[-1]
        if last is None or last == "passthrough":
            return None
        key = sample_weight_key(last)
        if key is None:
            return None
        if _routing_enabled():
            return "sample_weight" if _routed_to_last_step(student) else None
        return f"{name}__{key}"
    return "sample_weight" if has_fit_parameter(student, "sample_weight") else None


def weight_hint(student):
    """Why ``student`` takes no weights, for an error message (may be empty)."""
    if isinstance(student, Pipeline) and _routing_enabled():
        name = student.steps[-1][0]
        return (
            " With metadata routing enabled, a Pipeline student receives them "
            f"only if its final step {name!r} requests them "
            "(set_fit_request(sample_weight=True)) and every other step that "
            "accepts sample_weight has a request set (e.g. "
            "set_fit_request(sample_weight=False))."
        )
    return ""
