"""Synthetic data sets for weak-to-strong experiments, seeded and with known truth."""

from ._multi_index import make_multi_index
from ._w2s_classification import make_w2s_classification
from ._w2s_regression import make_w2s_regression

__all__ = [
    "make_multi_index",
    "make_w2s_classification",
    "make_w2s_regression",
]
