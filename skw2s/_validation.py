"""Input validation shared by the estimators, the datasets and the theory module."""

import numbers
import sys

import numpy as np
from sklearn.utils._param_validation import Interval, RealNotInt
from sklearn.utils.validation import column_or_1d


def doc_link_template(version):
    """Where the "?" link of an estimator's HTML repr points, for ``version``.

    The published API page of ``skw2s.<name>`` in the documentation of that
    version: ``stable/`` (the newest release) for a release, ``latest/`` (the
    main branch) for a development version (``.dev`` or a local ``+`` part).
    """
    release = ".dev" not in version and "+" not in version
    return (
        f"https://skw2s.readthedocs.io/en/{'stable' if release else 'latest'}"
        "/generated/{estimator_module}.{estimator_name}.html"
    )


class _InstalledDocLinkTemplate:
    """``_doc_link_template`` of the estimators: for the installed version.

    A descriptor, so that the version is read when a repr is drawn (after
    ``skw2s`` has finished importing), not when this module is imported; it
    is looked up in ``sys.modules`` (this module must not import the package).
    """

    def __get__(self, instance, owner=None):
        package = sys.modules.get(__name__.rpartition(".")[0])
        return doc_link_template(getattr(package, "__version__", "0.dev0"))


_DOC_LINK_TEMPLATE = _InstalledDocLinkTemplate()

#: Relative tolerance on ``max |M - M.T| / max |M|`` for a matrix to count as
#: symmetric (it is then symmetrized).
SYMMETRY_RTOL = 1e-8


def psd_tolerance(scale, n, dtype=np.float64):
    """Eigenvalues above ``-psd_tolerance`` count as non-negative."""
    return 100 * n * np.finfo(dtype).eps * scale


def check_psd(
    value, *, name, n_features=None, allow_1d=True, check_eigenvalues=True,
    dtype=np.float64,
):
    """Validate a non-negative spectrum (1-D) or a symmetric PSD matrix (2-D).

    Parameters
    ----------
    value : array-like
        A 1-D array of non-negative entries (a diagonal matrix) or a 2-D
        symmetric positive semi-definite matrix.
    name : str
        The argument's name, used in error messages.
    n_features : int, default=None
        If given, the required length (1-D) or side (2-D).
    allow_1d : bool, default=True
        Whether a 1-D array is accepted.
    check_eigenvalues : bool, default=True
        Whether to check that a 2-D matrix has no negative eigenvalue. Callers
        that factorize the matrix anyway pass False and check definiteness on
        their own factorization, saving one eigendecomposition.
    dtype : dtype, default=np.float64
        The dtype of the returned array.

    Returns
    -------
    array : ndarray
        The validated array, 1-D or 2-D as given, symmetrized if 2-D.

    Raises
    ------
    ValueError
        Naming ``name``: wrong shape, NaN or infinite entries, negative entries,
        a non-symmetric or an indefinite matrix.
    TypeError
        Naming ``name``: complex or non-numeric entries.
    """
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be converted to an array: {exc}") from exc
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must be real-valued; got complex entries.")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must be numeric; got dtype {array.dtype}.")
    array = array.astype(dtype, copy=True)
    shapes = "(n_features,) or (n_features, n_features)" if allow_1d else (
        "(n_features, n_features)"
    )
    if array.ndim not in ((1, 2) if allow_1d else (2,)):
        raise ValueError(f"{name} must have shape {shapes}; got shape {array.shape}.")
    if n_features is not None and any(s != n_features for s in array.shape):
        raise ValueError(
            f"{name} must have shape {shapes} with n_features={n_features}; "
            f"got shape {array.shape}."
        )
    if array.ndim == 2 and array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must not contain NaN or infinite values.")
    if array.ndim == 1:
        if np.any(array < 0):
            raise ValueError(
                f"{name} must be non-negative; got min {array.min():.3g} at index "
                f"{int(np.argmin(array))}."
            )
        return array
    scale = max(np.max(np.abs(array)), np.finfo(dtype).tiny)
    asym = np.max(np.abs(array - array.T))
    if asym > SYMMETRY_RTOL * scale:
        raise ValueError(
            f"{name} must be a symmetric matrix; max |M - M.T| = {asym:.3g} "
            f"exceeds {SYMMETRY_RTOL:g} * max |M| = {SYMMETRY_RTOL * scale:.3g}."
        )
    array = (array + array.T) / 2
    if not check_eigenvalues:
        return array
    min_eig = np.linalg.eigvalsh(array)[0]
    tol = psd_tolerance(scale, array.shape[0], dtype)
    if min_eig < -tol:
        raise ValueError(
            f"{name} must be positive semi-definite; its smallest eigenvalue is "
            f"{min_eig:.3g}."
        )
    return array


def _check_alpha(alpha, name="alpha"):
    """A finite non-negative real scalar (NaN, inf, negatives are rejected)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {alpha!r}.")
    if not np.isfinite(alpha):
        raise ValueError(f"{name} must be finite, got {alpha!r}.")
    if alpha < 0:
        raise ValueError(f"{name} must be non-negative, got {alpha!r}.")
    return float(alpha)


def _check_alphas(alphas):
    """A non-empty 1-D float array of finite non-negative alphas."""
    try:
        arr = np.asarray(alphas)
    except Exception as exc:  # ragged input
        raise ValueError(
            f"alphas must be a 1-D array of real numbers: {exc}"
        ) from exc
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.number) or (
        np.iscomplexobj(arr) or arr.dtype == bool
    ):
        raise ValueError(
            "alphas must be a 1-D array of real numbers; got shape "
            f"{arr.shape} and dtype {arr.dtype}."
        )
    if arr.size == 0:
        raise ValueError("alphas is empty; give at least one regularization strength.")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("alphas must be finite; got NaN or infinite values.")
    if (arr < 0).any():
        raise ValueError(
            "alphas must be non-negative; got negative values "
            f"{arr[arr < 0][:5].tolist()}."
        )
    return arr


def _validate_w2s_target(y, n_samples, *, owner, multi_output=False):
    """Return ``y`` as a float array; NaN (unlabeled) allowed, inf is not.

    1-D unless ``multi_output`` and ``y`` has several columns: then 2-D, and
    a row is labeled for every target or for none (partly NaN rows raise).
    """
    if y is None:
        raise ValueError(
            f"{owner} requires y to be passed, but the target y is None. "
            "Mark unlabeled rows with NaN instead."
        )
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] != 1:
        if not multi_output:
            raise ValueError(
                f"y must be 1-D (one target); got an array of shape {y_arr.shape}. "
                f"{owner} supports a single output only."
            )
        return _validate_2d_target(y_arr, n_samples)
    try:
        y_arr = column_or_1d(y_arr, dtype=np.float64, warn=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"y must be a 1-D array of real numbers (NaN marks unlabeled rows): {exc}"
        ) from exc
    _check_no_inf_and_length(y_arr, n_samples)
    return y_arr


def _check_no_inf_and_length(y_arr, n_samples):
    """The checks of a regression target shared by its 1-D and 2-D forms."""
    if np.isinf(y_arr).any():
        raise ValueError(
            "y contains infinity; unlabeled rows must be marked with NaN and "
            "labeled rows must be finite."
        )
    if y_arr.shape[0] != n_samples:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: X has {n_samples}, "
            f"y has {y_arr.shape[0]}."
        )


def _validate_2d_target(y_arr, n_samples):
    """A 2-D float target whose rows are all-NaN or all-finite."""
    if y_arr.shape[1] == 0:
        raise ValueError("y has shape (n_samples, 0); give at least one target.")
    try:
        y_arr = np.asarray(y_arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"y must be a 2-D array of real numbers (NaN marks unlabeled rows): {exc}"
        ) from exc
    _check_no_inf_and_length(y_arr, n_samples)
    nan = np.isnan(y_arr)
    partly = nan.any(axis=1) & ~nan.all(axis=1)
    if partly.any():
        raise ValueError(
            f"y has {int(partly.sum())} row(s) that are NaN for some targets but "
            f"not others (first: row {int(np.flatnonzero(partly)[0])}). With "
            "several targets a row is labeled for all targets or for none: mark "
            "an unlabeled row with NaN in every column."
        )
    return y_arr


def _labeled_rows(y):
    """Mask of the labeled rows of a validated 1-D or 2-D target."""
    finite = np.isfinite(y)
    return finite if finite.ndim == 1 else finite.all(axis=1)


def _check_not_1d(X):
    """Raise sklearn's "Reshape your data" error for 1-D ``X``."""
    ndim = getattr(X, "ndim", None)
    if ndim is None and isinstance(X, list | tuple):
        ndim = np.ndim(X)
    if ndim is not None and ndim < 2:
        raise ValueError(
            f"Expected a 2-D X, got a {ndim}-D array-like instead. Reshape your "
            "data either using array.reshape(-1, 1) if your data has a single "
            "feature or array.reshape(1, -1) if it contains a single sample."
        )


def _fold_indices(idx, n_rows, k, part, rows):
    """One half of a user's ``cv`` fold as validated integer indices."""
    a = np.asarray(idx)
    if a.dtype == bool:
        if a.shape != (n_rows,):
            raise ValueError(
                f"cv fold {k}: a boolean {part} mask must have length {n_rows} "
                f"(the number of {rows}); got shape {a.shape}."
            )
        return np.flatnonzero(a)
    if a.ndim != 1 or (a.size and not np.issubdtype(a.dtype, np.integer)):
        raise ValueError(
            f"cv fold {k}: the {part} indices must be a 1-D array of integers in "
            f"[0, {n_rows - 1}] (the {rows}); got dtype {a.dtype} and shape "
            f"{a.shape}."
        )
    a = a.astype(np.intp, copy=False)
    if a.size and (a.min() < 0 or a.max() >= n_rows):
        raise ValueError(
            f"cv fold {k}: the {part} indices must lie in [0, {n_rows - 1}] (there "
            f"are {n_rows} {rows}); got values from {a.min()} to {a.max()}."
        )
    return a


def _check_cv_folds(folds, n_rows, *, rows="rows", disjoint=False):
    """Validate the ``(train, test)`` folds of a ``cv`` (an iterable of the user's).

    Every index must be an integer in ``[0, n_rows)`` (or a boolean mask of
    length ``n_rows``); with ``disjoint=True`` no test row may also be a
    training row of its fold. Raises a ValueError naming ``cv``, the fold and
    what is valid; returns the folds as integer arrays.
    """
    checked = []
    for k, fold in enumerate(folds):
        try:
            train, test = fold
        except (TypeError, ValueError) as exc:
            raise ValueError(
                "cv must yield (train, test) pairs of index arrays; fold "
                f"{k} is {type(fold).__name__} ({exc})."
            ) from exc
        train = _fold_indices(train, n_rows, k, "train", rows)
        test = _fold_indices(test, n_rows, k, "test", rows)
        if disjoint:
            both = np.intersect1d(train, test)
            if both.size:
                raise ValueError(
                    f"cv fold {k}: {both.size} test row(s) (e.g. index "
                    f"{both[0]}) are also in its train part; the teacher that "
                    "labels a row must not have been trained on it, so train and "
                    "test of each fold must be disjoint."
                )
        checked.append((train, test))
    return checked


class _RealNotIntInterval(Interval):
    """``Interval(RealNotInt, ...)`` that also accepts NumPy float scalars.

    scikit-learn's ``RealNotInt`` registers only Python's ``float``, so
    ``np.float32(0.3)`` (not a ``float`` subclass, unlike ``np.float64``)
    would be rejected; it is compared as the float it holds.
    """

    def is_satisfied_by(self, val):
        if isinstance(val, np.floating):
            val = float(val)
        return super().is_satisfied_by(val)


def _real_not_int_interval(left, right, *, closed):
    """An ``Interval`` of non-integer reals that accepts NumPy float scalars."""
    return _RealNotIntInterval(RealNotInt, left, right, closed=closed)


def check_psd_eigenvalues(eigenvalues, *, name, scale, dtype=np.float64):
    """Check a spectrum that the caller computed, with :func:`check_psd`'s tolerance.

    For callers that validate a matrix with ``check_psd(..., check_eigenvalues=False)``
    and factorize it themselves: the same test and message as :func:`check_psd`,
    without a second eigendecomposition.

    Parameters
    ----------
    eigenvalues : array-like of shape (n,)
        Eigenvalues of the matrix (or of a congruent one, e.g. after whitening).
    name : str
        The argument's name, used in the error message.
    scale : float
        The magnitude of the matrix (``max |M|`` in :func:`check_psd`).
    dtype : dtype, default=np.float64

    Returns
    -------
    eigenvalues : ndarray of shape (n,)
        The eigenvalues with the round-off negatives set to zero.

    Raises
    ------
    ValueError
        Naming ``name`` if the smallest eigenvalue is below ``-psd_tolerance``.
    """
    eig = np.asarray(eigenvalues, dtype=dtype)
    min_eig = eig.min(initial=np.inf)
    if min_eig < -psd_tolerance(scale, eig.size, dtype):
        raise ValueError(
            f"{name} must be positive semi-definite; its smallest eigenvalue is "
            f"{min_eig:.3g}."
        )
    return np.clip(eig, 0, None)


def _is_pandas_na(value):
    """Whether ``value`` is pandas' missing-value singleton ``pd.NA``."""
    cls = type(value)
    return cls.__name__ == "NAType" and cls.__module__.startswith("pandas")


def _label_values(y):
    """``y`` as a NumPy array, pandas' nullable dtypes as objects with None.

    A pandas ``string``, ``boolean``, ``Int64`` (...) Series or array marks a
    missing value with ``pd.NA``; ``np.asarray`` would give an object array
    holding ``pd.NA`` (whose truth value raises) or, for ``Int64``, floats (so
    integer classes became ``[0., 1., 2.]``). Here every missing value becomes
    None (an unlabeled row) and the labels keep their type. Other input is
    returned as ``np.asarray(y)``.
    """
    dtype = getattr(y, "dtype", None)
    if dtype is not None and not isinstance(dtype, np.dtype) and hasattr(
        y, "to_numpy"
    ):
        try:
            return y.to_numpy(dtype=object, na_value=None)
        except TypeError:  # pragma: no cover - an array type without na_value
            pass
    return np.asarray(y)


def _is_unlabeled_value(value, minus_one):
    """Whether one entry of an object ``y`` marks an unlabeled row."""
    if value is None or _is_pandas_na(value):
        return True
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return False
    return bool(value != value or (minus_one and value == -1))


def _unlabeled_mask(y, *, minus_one=True):
    """Boolean mask of the rows of a 1-D ``y`` that are marked unlabeled.

    The one definition of an unlabeled row, shared by the classifier, the
    splitter and the classification scorers. ``NaN`` (in a float ``y``, or a
    float entry of an object ``y``) and ``None`` (in an object ``y``) always
    mark an unlabeled row; ``-1`` (a number, not a bool) does too when
    ``minus_one`` is True, scikit-learn's semi-supervised convention for
    classification (``SelfTrainingClassifier``, ``LabelPropagation``).
    Regression passes ``minus_one=False``: ``-1`` is a valid target there.
    Strings and bools are always labels. pandas' ``pd.NA`` (the missing value
    of the nullable ``string``, ``boolean`` and ``Int64`` dtypes) marks an
    unlabeled row like None.
    """
    y = _label_values(y)
    kind = y.dtype.kind
    if kind == "f":
        mask = np.isnan(y)
        return mask | (y == -1) if minus_one else mask
    if kind in "iu":
        return (y == -1) if minus_one else np.zeros(y.shape, dtype=bool)
    if kind == "O":
        return np.fromiter(
            (_is_unlabeled_value(v, minus_one) for v in y.ravel()),
            dtype=bool,
            count=y.size,
        ).reshape(y.shape)
    return np.zeros(y.shape, dtype=bool)  # bools, strings, bytes: all labels


def _as_label_array(values):
    """Labels as an array of their natural dtype (object ints become ints).

    ``y[labeled]`` of an object ``y`` (which held ``None`` markers) is an
    object array; scikit-learn's ``type_of_target`` cannot read object arrays
    of numbers, so they are converted to the dtype numpy infers for them.
    """
    values = np.asarray(values)
    if values.dtype.kind == "O" and values.size:
        items = values.tolist()
        if len({type(v) for v in items}) == 1:  # mixed types stay object
            converted = np.asarray(items)
            if converted.shape == values.shape:
                return converted
    return values


def _check_weight_sum(sample_weight, name="sample_weight"):
    """A ValueError naming ``sample_weight`` if its weights sum to zero.

    (scikit-learn >= 1.7 checks this in ``_check_sample_weight``; 1.6 does not.)
    """
    if sample_weight is not None and not np.sum(sample_weight) > 0:
        raise ValueError(
            f"{name} must contain at least one positive weight (weights are "
            "non-negative and the fit is a weighted mean); got all zeros."
        )
    return sample_weight
