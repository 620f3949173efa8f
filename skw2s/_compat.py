"""What differs between the supported scikit-learn versions (1.6 to the newest).

Every import of a scikit-learn private name that moved between versions goes
through this module, so that ``import skw2s`` works on the declared minimum
(``scikit-learn>=1.6``, tested by the minimum-versions job of ``.ci/run``).
"""

import numpy as np
from scipy import linalg

try:  # scikit-learn >= 1.7
    from sklearn.utils._repr_html.estimator import _VisualBlock
except ImportError:  # scikit-learn 1.6
    from sklearn.utils._estimator_html_repr import _VisualBlock

__all__ = ["_VisualBlock", "eigh_evd"]


def eigh_evd(a):
    """``scipy.linalg.eigh(a, driver="evd")`` of a symmetric matrix.

    SciPy 1.10 rejects a 1 x 1 matrix with the ``evd`` driver (a LAPACK
    workspace query error); its eigendecomposition is the matrix itself.
    """
    if a.shape[0] == 1:
        return a.reshape(1).copy(), np.ones((1, 1), dtype=a.dtype)
    return linalg.eigh(a, driver="evd", check_finite=False)
