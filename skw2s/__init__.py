"""Weak-to-strong generalization for scikit-learn.

A *student* estimator trained only on the labels of a weaker *teacher* estimator
can end up better than its teacher. ``skw2s`` provides the teacher-to-student
meta-estimator, the estimators of the three mechanisms of Moniri & Hassani
(arXiv 2505.18346) and a theory module that predicts their test errors.
"""

from ._chain import WeakToStrongChain
from ._committee import TeacherCommittee, TeacherCommitteeClassifier
from ._multi_index_net import MultiIndexNet, subspace_overlap
from ._weak_to_strong import WeakToStrongRegressor
from ._weak_to_strong_classifier import WeakToStrongClassifier
from ._weak_to_strong_cv import WeakToStrongRegressorCV
from ._weighted_ridge import WeightedRidge, weighted_ridge_path

__version__ = "0.1.0.dev0"

__all__ = [
    "MultiIndexNet",
    "TeacherCommittee",
    "TeacherCommitteeClassifier",
    "WeakToStrongChain",
    "WeakToStrongClassifier",
    "WeakToStrongRegressor",
    "WeakToStrongRegressorCV",
    "WeightedRidge",
    "__version__",
    "subspace_overlap",
    "weighted_ridge_path",
]
