"""Streaming weak-to-strong training: pseudo-label chunk by chunk.

Shared by :meth:`WeakToStrongRegressor.partial_fit` and
:meth:`WeakToStrongRegressorCV.partial_fit`. A stream needs a teacher that is
already trained: a :class:`~sklearn.frozen.FrozenEstimator`, or the
``teacher_`` of an earlier ``fit``/``partial_fit``. Each chunk is labeled by
the meta-estimator's own ``_teacher_outputs`` hook (the same step as in
``fit``) and the pseudo-labels are handed to the student's ``partial_fit``.
"""

import sys
import time

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import (
    _check_sample_weight,
    _make_indexable,
    _num_samples,
    check_is_fitted,
    validate_data,
)

from ._validation import _check_not_1d


def _student_has_partial_fit(self):
    """``available_if`` check: the student must implement ``partial_fit``."""
    student = getattr(self, "student_", None) or self.student
    if student is None or not hasattr(student, "partial_fit"):
        raise AttributeError(
            f"The student {student!r} has no partial_fit method, so "
            f"{type(self).__name__} cannot be trained on a stream. Use a student "
            "with partial_fit (WeightedRidge, SGDRegressor, MLPRegressor, ...) "
            "or fit on all rows at once."
        )
    return True


def _stream_teacher(est):
    """The trained teacher of a stream, or a clear error."""
    teacher = est.teacher
    if isinstance(teacher, FrozenEstimator):
        try:
            check_is_fitted(teacher)
        except NotFittedError as exc:
            raise NotFittedError(
                "The FrozenEstimator teacher wraps an estimator that is not "
                "fitted; train it before streaming."
            ) from exc
        return teacher
    fitted = getattr(est, "teacher_", None)
    if fitted is not None:
        return fitted
    raise NotFittedError(
        f"partial_fit of {type(est).__name__} needs a trained teacher: wrap an "
        "already trained teacher in sklearn.frozen.FrozenEstimator, or call "
        "fit first (its teacher_ then labels the stream). The teacher is "
        f"{teacher!r}."
    )


def _pseudo_label_chunk(est, X, sample_weight=None):
    """Validate one chunk and label it with the trained teacher.

    Sets ``teacher_`` and, on the first chunk, ``n_features_in_`` /
    ``feature_names_in_``. Returns ``(X, targets, sample_weight)``.
    """
    teacher = _stream_teacher(est)
    _check_not_1d(X)
    first = not hasattr(est, "n_features_in_")
    validate_data(est, X, skip_check_array=True, reset=first)
    X = _make_indexable(X)
    n = _num_samples(X)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X)
    est.teacher_ = teacher
    targets = est._teacher_outputs(teacher, X, {}, f"teacher {est.teacher!r}")
    if _num_samples(targets) != n:  # pragma: no cover - validated by the hook
        raise ValueError("The teacher returned a wrong number of rows.")
    return X, targets, sample_weight


class _Progress:
    """Counts chunks and rows of a stream; prints a line per chunk if verbose."""

    def __init__(self, owner):
        self.owner = owner
        self.n_chunks = 0
        self.n_rows = 0
        self.seconds = 0.0

    def update(self, n_rows, seconds, verbose, file=None):
        self.n_chunks += 1
        self.n_rows += int(n_rows)
        self.seconds += seconds
        if verbose:
            rate = self.n_rows / self.seconds if self.seconds > 0 else float("inf")
            print(
                f"[{self.owner}] chunk {self.n_chunks}: {int(n_rows)} rows, "
                f"{self.n_rows} rows in total, {rate:,.0f} rows/s",
                file=file or sys.stdout,
                flush=True,
            )


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def _stream_rows_attributes(est, n_rows, targets):
    """Per-chunk row attributes: every row of the last chunk is a student row."""
    est.teacher_rows_ = np.zeros(n_rows, dtype=bool)
    est.student_rows_ = np.ones(n_rows, dtype=bool)
    est.true_label_rows_ = np.zeros(n_rows, dtype=bool)
    est.pseudo_labels_ = np.asarray(targets, dtype=np.float64).copy()
