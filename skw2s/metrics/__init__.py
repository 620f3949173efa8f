"""Weak-to-strong metrics and scorers that skip unlabeled rows."""

from ._classification import (
    accuracy_nan_scorer,
    make_nan_classification_scorer,
    neg_log_loss_nan_scorer,
    roc_auc_nan_scorer,
)
from ._w2s_metrics import (
    make_nan_scorer,
    nan_mean_squared_error,
    nan_r2_score,
    neg_mse_nan_scorer,
    performance_gap_recovered,
    r2_nan_scorer,
)

__all__ = [
    "accuracy_nan_scorer",
    "make_nan_classification_scorer",
    "neg_log_loss_nan_scorer",
    "roc_auc_nan_scorer",
    "make_nan_scorer",
    "nan_mean_squared_error",
    "nan_r2_score",
    "neg_mse_nan_scorer",
    "performance_gap_recovered",
    "r2_nan_scorer",
]
