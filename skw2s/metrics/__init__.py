"""Weak-to-strong metrics and scorers that skip unlabeled (NaN) targets."""

from ._w2s_metrics import (
    make_nan_scorer,
    nan_mean_squared_error,
    nan_r2_score,
    neg_mse_nan_scorer,
    performance_gap_recovered,
    r2_nan_scorer,
)

__all__ = [
    "make_nan_scorer",
    "nan_mean_squared_error",
    "nan_r2_score",
    "neg_mse_nan_scorer",
    "performance_gap_recovered",
    "r2_nan_scorer",
]
