"""What differs between the supported scikit-learn versions (1.6 to the newest).

Every import of a scikit-learn private name that moved between versions goes
through this module, so that ``import skw2s`` works on the declared minimum
(``scikit-learn>=1.6``, tested by the minimum-versions job of ``.ci/run``).
"""

import numpy as np
from scipy import linalg

try:  # scikit-learn >= 1.7
    from sklearn.utils._repr_html.estimator import _get_visual_block, _VisualBlock
except ImportError:  # scikit-learn 1.6
    from sklearn.utils._estimator_html_repr import _get_visual_block, _VisualBlock

__all__ = ["_VisualBlock", "eigh_evd", "labeled_serial_block"]


def labeled_serial_block(estimators, names):
    """HTML repr: ``estimators`` in a row, each in a box labeled by its name.

    scikit-learn draws the name of a step of a serial block only when the step
    is itself a composite (a pipeline); a plain estimator shows its class name
    alone. Wrapping each step in a one-item serial block, as
    ``ColumnTransformer`` does for its parts, gives every step a label box
    ("teacher", "student", or a chain's stage names) above its own box. A
    composite child (a pipeline, a ``FrozenEstimator``) is labeled
    "teacher: Pipeline", since its own class name is not drawn otherwise; the
    part before ":" is what scikit-learn uses as the parameter prefix.
    """
    estimators = list(estimators)
    labels = []
    for name, est in zip(names, estimators, strict=True):
        composite = _get_visual_block(est).kind != "single"
        labels.append(f"{name}: {type(est).__name__}" if composite else name)
    return _VisualBlock(
        "serial",
        [_VisualBlock("serial", [est], dash_wrapped=False) for est in estimators],
        names=labels,
        name_details=[str(est) for est in estimators],
        dash_wrapped=False,
    )


def eigh_evd(a):
    """``scipy.linalg.eigh(a, driver="evd")`` of a symmetric matrix.

    SciPy 1.10 rejects a 1 x 1 matrix with the ``evd`` driver (a LAPACK
    workspace query error); its eigendecomposition is the matrix itself.
    """
    if a.shape[0] == 1:
        return a.reshape(1).copy(), np.ones((1, 1), dtype=a.dtype)
    return linalg.eigh(a, driver="evd", check_finite=False)
