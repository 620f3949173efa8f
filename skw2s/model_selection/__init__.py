"""Cross-validation for weak-to-strong training with unlabeled (NaN) rows."""

from .._split import LabeledSplit
from ._compare import compare_w2s
from ._forecast import W2SForecast, forecast_w2s
from ._plot import (
    StudentRegularizationDisplay,
    W2SForecastDisplay,
    W2SReportDisplay,
)
from ._w2s_validation import cross_validate_w2s

__all__ = [
    "LabeledSplit",
    "StudentRegularizationDisplay",
    "W2SForecast",
    "W2SForecastDisplay",
    "W2SReportDisplay",
    "compare_w2s",
    "cross_validate_w2s",
    "forecast_w2s",
]
