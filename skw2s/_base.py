"""The weak-to-strong data protocol, shared by every teacher -> student estimator.

:class:`_BaseWeakToStrong` holds what every weak-to-strong meta-estimator has
in common: which rows train the teacher, which rows the student learns from,
how sample-aligned metadata is sliced to each role, cross-fitting, a frozen
teacher and the cache of the teacher's fits. The step that ends with the
student's training set has a name, :meth:`_BaseWeakToStrong._pseudo_label`;
``fit`` is that step followed by :meth:`_BaseWeakToStrong._fit_student`.

A subclass says only what differs:

- ``_validate_target(y, n_samples)``: the target array and its mask of labeled
  rows (NaN marks an unlabeled row for regression; ``-1``/NaN/None for
  classification);
- ``_teacher_outputs(teacher, X, predict_params, who)``: what a fitted teacher
  gives for rows ``X`` (predictions, probabilities, ...), validated;
- ``_targets_from_labels(y_labels)``: true labels in the format of those
  outputs (used by ``student_targets="pseudo+true"``, the step
  :meth:`_BaseWeakToStrong._add_true_targets` that runs after
  ``_pseudo_label``);
- ``_fit_student(student, X, targets, fit_params)``: how the student is fit on
  those outputs (for regression: ``student.fit(X, targets)``).
"""

from copy import deepcopy
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv
from sklearn.model_selection._split import _approximate_mode
from sklearn.utils import Bunch, _safe_indexing, check_random_state, get_tags
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
)
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _make_indexable,
    _num_samples,
    check_memory,
    validate_data,
)

from ._compat import labeled_serial_block
from ._split import NO_LABELED_ROWS_HINT
from ._trust import (
    _callable_name,
    check_weights,
    sample_weight_key,
    top_fraction,
    weight_hint,
)
from ._validation import _check_cv_folds, _check_not_1d, _real_not_int_interval


def _stratified_counts(counts, n_teacher, rng, classes, teacher_size):
    """Teacher rows per class: proportional, and at least one row of every class
    with two or more rows in each role.

    Starts from scikit-learn's ``StratifiedShuffleSplit`` allocation
    (``_approximate_mode``), then moves rows between classes, one at a time,
    until every class with ``c >= 2`` rows has between 1 and ``c - 1`` teacher
    rows (a class with one row goes to whichever role the allocation gave it).
    Raises a ValueError naming the classes and ``teacher_size`` when the
    numbers of rows make that impossible.
    """
    per_class = np.asarray(_approximate_mode(counts, n_teacher, rng), dtype=int)
    low = (counts >= 2).astype(int)
    high = counts - low
    if low.sum() > n_teacher or high.sum() < n_teacher:
        short = "teacher" if low.sum() > n_teacher else "student"
        need = np.flatnonzero(counts >= 2)
        shown = ", ".join(
            f"{classes[k]!r} ({counts[k]} rows)" for k in need[:5]
        ) + (", ..." if need.size > 5 else "")
        raise ValueError(
            f"teacher_size={teacher_size!r} gives {n_teacher} teacher row(s) and "
            f"{int(counts.sum()) - n_teacher} student row(s), but the "
            f"{need.size} classes with at least 2 labeled rows ({shown}) each "
            f"need a row in both roles, which leaves the {short} short. Use a "
            f"teacher_size between {int(low.sum())} and {int(high.sum())} rows, "
            "or mark the student's rows as unlabeled."
        )
    per_class = np.clip(per_class, low, high)
    while per_class.sum() != n_teacher:
        if per_class.sum() < n_teacher:
            room = np.flatnonzero(per_class < high)
            # the class furthest below its proportional share gets a row
            share = counts[room] * n_teacher / counts.sum() - per_class[room]
            per_class[room[np.argmax(share)]] += 1
        else:
            room = np.flatnonzero(per_class > low)
            share = per_class[room] - counts[room] * n_teacher / counts.sum()
            per_class[room[np.argmax(share)]] -= 1
    return per_class


def _teacher_split(n_samples, teacher_size, random_state, stratify=None):
    """Boolean mask of the teacher's rows when every row is labeled.

    With ``stratify`` (the labels, for classification) each class is split in
    proportion (scikit-learn's ``StratifiedShuffleSplit`` allocation), and
    every class with at least two rows gets at least one row in each role
    (:func:`_stratified_counts`; a ValueError naming the classes and
    ``teacher_size`` if the numbers of rows cannot allow it).
    """
    if isinstance(teacher_size, Integral):
        n_teacher = int(teacher_size)
    else:
        # a NumPy float32 scalar means the decimal it prints as (0.7, not
        # 0.699999988...), so that it gives the same split as the Python float
        frac = float(str(teacher_size)) if isinstance(teacher_size, np.floating) else (
            float(teacher_size)
        )
        n_teacher = int(np.floor(frac * n_samples))
    if n_teacher < 1 or n_teacher >= n_samples:
        raise ValueError(
            f"teacher_size={teacher_size!r} gives {n_teacher} teacher rows out of "
            f"n_samples = {n_samples} labeled rows; the teacher needs at least one "
            "row and at least one row must be left for the student. Pass an int in "
            f"[1, {n_samples - 1}] or a float in (0, 1), or mark the student's "
            "rows as unlabeled (NaN in y)."
        )
    rng = check_random_state(random_state)
    mask = np.zeros(n_samples, dtype=bool)
    if stratify is None:
        mask[rng.permutation(n_samples)[:n_teacher]] = True
        return mask
    classes, y_idx = np.unique(stratify, return_inverse=True)
    counts = np.bincount(np.ravel(y_idx))
    per_class = _stratified_counts(
        counts, n_teacher, rng, classes.tolist(), teacher_size
    )
    for k, n_k in enumerate(per_class):
        rows = np.flatnonzero(y_idx == k)
        mask[rng.permutation(rows)[:n_k]] = True
    return mask


def _slice(X, params, indices):
    """Rows ``indices`` of every sample-aligned entry of ``params``."""
    return _check_method_params(X, params or {}, indices=indices)


def _take(X, indices):
    return _safe_indexing(X, indices, axis=0)


def _fit_teacher(teacher, X, y, fit_params):
    """A clone of ``teacher`` fit on ``(X, y)``; cached through ``memory``."""
    return clone(teacher).fit(X, y, **fit_params)


def _fit_predict_fold(
    fit_teacher, teacher_outputs, who, teacher, X, y, train, test, fit_params,
    predict_params, all_rows=False,
):
    """Fit a clone of ``teacher`` on rows ``train``; its outputs for rows ``test``.

    With ``all_rows``, also its outputs for every row of ``X`` (the spread of
    the fold teachers is a confidence of the pseudo-labels).
    """
    est = fit_teacher(teacher, _take(X, train), y[train], _slice(X, fit_params, train))
    out = teacher_outputs(est, _take(X, test), _slice(X, predict_params, test), who)
    if all_rows:
        return out, teacher_outputs(est, X, predict_params, who)
    return out


def _num_samples_or_none(value):
    try:
        return _num_samples(value)
    except TypeError:
        return None


def _concat_rows(a, b):
    """Rows of ``a`` followed by rows of ``b`` (arrays, sparse, dataframes)."""
    if sp.issparse(a):
        return sp.vstack([a, b], format=a.format)
    if hasattr(a, "iloc") and hasattr(type(a), "__module__"):
        import pandas as pd  # only reached with pandas input

        return pd.concat([a, b], axis=0)
    return np.concatenate([np.asarray(a), np.asarray(b)], axis=0)


def _stack_rows(n_rows, first):
    """An empty array for ``n_rows`` rows shaped like the per-row ``first``."""
    return np.empty((n_rows,) + np.shape(first)[1:], dtype=np.asarray(first).dtype)


class _BaseWeakToStrong(MetaEstimatorMixin, BaseEstimator):
    """The teacher -> student data protocol (see the module docstring)."""

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit", "predict"])],
        "student": [HasMethods(["fit", "predict"])],
        "teacher_size": [
            # accepts NumPy floats such as np.float32(0.3), which scikit-learn's
            # RealNotInt (registered for Python's float only) rejects
            _real_not_int_interval(0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "cv": [None, "cv_object"],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "student_targets": [StrOptions({"pseudo", "pseudo+true"})],
        "labeled_weight": [Interval(Real, 0, None, closed="left")],
    }

    #: Teacher methods that make the pseudo-labels (they receive the teacher's
    #: routed ``predict``-time metadata).
    _teacher_label_methods = ("predict",)

    #: Methods delegated to the student (they receive its routed metadata).
    _student_methods = ("predict", "score")

    # ------------------------------------------------------- subclass hooks
    def _validate_target(self, y, n_samples):  # pragma: no cover - abstract
        """Return ``(y, labeled)``: the target and its mask of labeled rows."""
        raise NotImplementedError

    def _unlabeled_target(self, n_samples):  # pragma: no cover - abstract
        """A target with every row unlabeled (``fit(X)`` with a frozen teacher)."""
        raise NotImplementedError

    def _teacher_outputs(self, teacher, X, predict_params, who):  # pragma: no cover
        """What the fitted ``teacher`` gives for rows ``X`` (validated)."""
        raise NotImplementedError

    def _targets_from_labels(self, y_labels):  # pragma: no cover - abstract
        """True labels ``y_labels`` in the target format of ``_teacher_outputs``."""
        raise NotImplementedError

    def _fit_student(self, student, X, targets, fit_params):
        """Fit ``student`` (a clone) on the pseudo-labels ``targets``."""
        return student.fit(X, targets, **fit_params)

    def _targets_from_labels(self, y_labels):
        """True labels in the format of ``_teacher_outputs`` (regression: floats)."""
        return np.asarray(y_labels, dtype=np.float64)

    # ------------------------------------------------------------ routing
    def _route_fit_params(self, X, sample_weight, fit_params, frozen):
        """Per-role ``{"fit": ..., "predict": ...}`` params, full length."""
        if _routing_enabled():
            params = dict(fit_params)
            if sample_weight is not None:
                params["sample_weight"] = sample_weight
            if "sample_weight" in params and params["sample_weight"] is not None:
                params["sample_weight"] = _check_sample_weight(
                    params["sample_weight"], X
                )
            routed = process_routing(self, "fit", **params)
            predict_p = {}
            for method in self._teacher_label_methods:
                predict_p.update(routed.teacher.get(method, {}))
            return (
                {"fit": dict(routed.teacher.fit), "predict": predict_p},
                {"fit": dict(routed.student.fit)},
            )
        _raise_for_params(fit_params, self, "fit")
        teacher_p = {"fit": {}, "predict": {}}
        student_p = {"fit": {}}
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            roles = [("student", self.student, student_p)]
            if not frozen:
                roles.insert(0, ("teacher", self.teacher, teacher_p))
            for name, est, p in roles:
                # a Pipeline's final step receives it (sample_weight_key)
                key = sample_weight_key(est)
                if key is None:
                    raise ValueError(
                        f"sample_weight was passed but the {name} "
                        f"{type(est).__name__} does not accept sample_weight in "
                        "fit. Use metadata routing (sklearn.set_config("
                        "enable_metadata_routing=True) and "
                        "set_fit_request(sample_weight=...)) to choose which "
                        "model receives it."
                    )
                p["fit"][key] = sample_weight
        return teacher_p, student_p

    def _metadata_router(self):
        """Routing of the teacher's ``fit`` and labeling methods, and the student."""
        teacher_map = MethodMapping().add(caller="fit", callee="fit")
        for method in self._teacher_label_methods:
            teacher_map.add(caller="fit", callee=method)
        router = MetadataRouter(owner=self)
        router.add(teacher=self.teacher, method_mapping=teacher_map)
        student_map = MethodMapping().add(caller="fit", callee="fit")
        for method in self._student_methods:
            student_map.add(caller=method, callee=method)
        router.add(student=self.student, method_mapping=student_map)
        return router

    # ------------------------------------------------- the pseudo-label step
    def _pseudo_label(self, X, y=None, sample_weight=None, **fit_params):
        """Fit the teacher and label the student's rows: the named W2S step.

        Sets ``teacher_`` (and ``n_features_in_``/``feature_names_in_``) and
        returns what the student is to be fit on.

        Returns
        -------
        step : Bunch
            ``X`` (the student's rows of ``X``), ``targets`` (the teacher's
            outputs for them, one entry per row), ``fit_params`` (the student's
            sample-aligned fit params, sliced to its rows), ``rows`` (indices of
            the student's rows in ``X``), ``teacher_rows`` and ``student_rows``
            (boolean masks over the rows of ``X``), ``y`` (the validated
            target), ``labeled`` (its mask of labeled rows) and
            ``fold_outputs`` (under ``cv``, when ``_needs_fold_outputs()``:
            each fold teacher's outputs for every row, stacked on axis 0;
            otherwise None).
        """
        frozen = isinstance(self.teacher, FrozenEstimator)
        _check_not_1d(X)
        validate_data(self, X, skip_check_array=True)
        X = _make_indexable(X)
        n_samples = _num_samples(X)
        if frozen and y is None:
            y = self._unlabeled_target(n_samples)
        y, labeled = self._validate_target(y, n_samples)
        teacher_p, student_p = self._route_fit_params(
            X, sample_weight, fit_params, frozen
        )
        who = f"teacher {self.teacher!r}"
        fit_teacher = check_memory(self.memory).cache(_fit_teacher)
        fold_outputs = None
        if frozen:
            self.teacher_ = self.teacher
            self.teacher_.fit(X, y)  # no-op; checks the wrapped model is fitted
            teacher_rows = np.zeros(n_samples, dtype=bool)
            student_rows = np.ones(n_samples, dtype=bool)
            targets = self._teacher_outputs(
                self.teacher_, X, teacher_p["predict"], who
            )
        else:
            if not labeled.any():
                raise ValueError(
                    "y has no labeled rows (every row is marked unlabeled); the "
                    "teacher needs labeled rows to be trained. Give true labels "
                    "for some rows, or wrap an already trained teacher in "
                    f"sklearn.frozen.FrozenEstimator. {NO_LABELED_ROWS_HINT}"
                )
            if self.cv is not None:
                teacher_rows, student_rows, targets, fold_outputs = self._cross_fit(
                    X, y, labeled, teacher_p, who, fit_teacher
                )
            else:
                if labeled.all():
                    teacher_rows = _teacher_split(
                        n_samples, self.teacher_size, self.random_state,
                        stratify=y if self._cross_fit_stratified() else None,
                    )
                else:
                    teacher_rows = labeled
                student_rows = ~teacher_rows
                t_idx = np.flatnonzero(teacher_rows)
                s_idx = np.flatnonzero(student_rows)
                self.teacher_ = fit_teacher(
                    self.teacher,
                    _take(X, t_idx),
                    y[t_idx],
                    _slice(X, teacher_p["fit"], t_idx),
                )
                targets = self._teacher_outputs(
                    self.teacher_,
                    _take(X, s_idx),
                    _slice(X, teacher_p["predict"], s_idx),
                    who,
                )
        rows = np.flatnonzero(student_rows)
        return Bunch(
            X=_take(X, rows),
            targets=targets,
            fit_params=_slice(X, student_p["fit"], rows),
            rows=rows,
            teacher_rows=teacher_rows,
            student_rows=student_rows,
            y=y,
            labeled=labeled,
            fold_outputs=fold_outputs,
        )

    def _cross_fit(self, X, y, labeled, teacher_p, who, fit_teacher):
        """Out-of-fold teacher outputs for the labeled rows; refit on all."""
        n_samples = y.shape[0]
        l_idx = np.flatnonzero(labeled)
        u_idx = np.flatnonzero(~labeled)
        cv = deepcopy(
            check_cv(self.cv, y=y[l_idx], classifier=self._cross_fit_stratified())
        )
        if (
            self.random_state is not None
            and hasattr(cv, "random_state")
            and getattr(cv, "shuffle", True)
            and cv.random_state is None
        ):
            cv.random_state = check_random_state(self.random_state).randint(
                np.iinfo(np.int32).max
            )
        folds = _check_cv_folds(
            cv.split(_take(X, l_idx), y[l_idx]), l_idx.size,
            rows="labeled rows; indices of an iterable cv refer to them in order",
            disjoint=True,
        )
        covered = np.concatenate([test for _, test in folds]) if folds else []
        if len(covered) != l_idx.size or not np.array_equal(
            np.sort(covered), np.arange(l_idx.size)
        ):
            raise ValueError(
                f"cv={self.cv!r} must partition the labeled rows: every labeled "
                "row must be in exactly one test fold so that it receives one "
                "out-of-fold teacher label."
            )
        all_rows = self._needs_fold_outputs()
        fold_outputs = Parallel(
            n_jobs=self.n_jobs, verbose=getattr(self, "verbose", 0)
        )(
            delayed(_fit_predict_fold)(
                fit_teacher,
                self._teacher_outputs,
                who,
                self.teacher,
                X,
                y,
                l_idx[train],
                l_idx[test],
                teacher_p["fit"],
                teacher_p["predict"],
                all_rows,
            )
            for train, test in folds
        )
        fold_all = None
        if all_rows:
            # the folds partition the labeled rows, so there is at least one
            fold_outputs, fold_all = zip(*fold_outputs, strict=True)
            fold_all = np.stack(fold_all)
        self.teacher_ = fit_teacher(
            self.teacher, _take(X, l_idx), y[l_idx], _slice(X, teacher_p["fit"], l_idx)
        )
        u_out = None
        if u_idx.size:
            u_out = self._teacher_outputs(
                self.teacher_,
                _take(X, u_idx),
                _slice(X, teacher_p["predict"], u_idx),
                who,
            )
        first = fold_outputs[0] if fold_outputs else u_out
        targets = _stack_rows(n_samples, first)
        for (_, test), out in zip(folds, fold_outputs, strict=True):
            if np.shape(out)[0] != test.size:  # pragma: no cover - validated
                raise ValueError(f"The {who} returned a wrong number of rows.")
            targets[l_idx[test]] = out
        if u_out is not None:
            targets[u_idx] = u_out
        return labeled.copy(), np.ones(n_samples, dtype=bool), targets, fold_all

    def _cross_fit_stratified(self):
        """Whether an int ``cv`` and the teacher split are stratified by class."""
        return False

    # ------------------------------------------------ selective trust step
    def _needs_fold_outputs(self):
        """Whether every fold teacher must label every row (for ``_confidence``)."""
        return False

    def _confidence(self, step):  # pragma: no cover - subclass hook
        """Per-row confidence, in (0, 1], of the pseudo-labels ``step.targets``."""
        raise NotImplementedError

    def _threshold_scores(self, step, confidence):
        """What ``threshold`` is compared with (default: the confidence)."""
        return confidence

    def _student_weight_key(self, fit_params=None):
        """The student's ``fit`` keyword for per-row weights, or None.

        One rule (:func:`skw2s._trust.sample_weight_key`) for every weight
        the meta-estimator passes: the user's ``sample_weight`` (without
        routing), the soft-label expansion, the confidence weights and
        ``labeled_weight``; a Pipeline student receives them in its final step.
        """
        return sample_weight_key(self.student)

    def _trust(self, step):
        """Weight and filter the student's rows: the selective-trust step.

        Uses ``pseudo_label_weights``, ``pseudo_label_filter`` and ``threshold``
        where the estimator has them. Rows are ranked by the callable's weights
        when ``pseudo_label_weights`` is a callable, otherwise by
        ``_confidence(step)``.

        Returns
        -------
        trust : Bunch
            ``X``, ``targets`` and ``fit_params`` of the rows kept (the
            weights multiplied into the student's sample weight), ``kept``
            (mask over ``step.rows``), ``weights`` and ``confidence`` (one
            entry per row of ``step.rows``, or None when not used). Weights
            that are all 1 on the kept rows are not passed to the student, so
            the fit is exactly the unweighted one.
        """
        option = getattr(self, "pseudo_label_weights", None)
        fraction = getattr(self, "pseudo_label_filter", None)
        threshold = getattr(self, "threshold", None)
        n_rows = step.rows.size
        weights = confidence = score = None
        if callable(option):
            weights = check_weights(
                option(self.teacher_, step.X, step.targets), n_rows, option
            )
            score = weights
        elif option == "confidence" or fraction is not None or threshold is not None:
            confidence = np.asarray(self._confidence(step), dtype=np.float64)
            score = confidence
            if option == "confidence":
                weights = confidence
        kept = np.ones(n_rows, dtype=bool)
        if threshold is not None:
            passed = self._threshold_scores(step, confidence)
            kept &= passed >= threshold
            if not kept.any():
                raise ValueError(
                    f"threshold={threshold!r} drops every student row (the "
                    f"largest score is {passed.max():.3g}); the student "
                    "needs at least one row. Lower the threshold."
                )
        if fraction is not None:
            kept &= top_fraction(np.where(kept, score, -np.inf), fraction)
        if kept.all():
            X, targets, fit_params = step.X, step.targets, dict(step.fit_params)
        else:
            idx = np.flatnonzero(kept)
            X, targets = _take(step.X, idx), step.targets[idx]
            fit_params = _slice(step.X, step.fit_params, idx)
        if weights is not None and not np.all(weights[kept] == 1.0):
            key = self._student_weight_key(fit_params)
            if key is None:
                raise ValueError(
                    f"pseudo_label_weights={option!r} weights the student's "
                    f"rows, but the student {type(self.student).__name__} does "
                    "not accept sample_weight in fit. Use a student that does, "
                    "or pseudo_label_filter alone." + weight_hint(self.student)
                )
            given = fit_params.get(key)
            w = weights[kept]
            if not w.sum() > 0:
                name = _callable_name(option) if callable(option) else repr(option)
                raise ValueError(
                    f"pseudo_label_weights={name} gives every student row "
                    "the student is fit on a weight of 0 (the teacher's "
                    "pseudo-labels carry no confidence: e.g. its class "
                    "probabilities tie on every row), so there is nothing to "
                    "fit. Use a teacher whose pseudo-labels differ in "
                    "confidence, or pseudo_label_weights=None."
                )
            fit_params[key] = w if given is None else np.asarray(given) * w
        return Bunch(
            X=X, targets=targets, fit_params=fit_params, kept=kept,
            weights=weights, confidence=confidence,
        )

    def _record_trust(self, step, trust):
        """Fitted attributes of the selective-trust step, over all rows."""
        n_samples = step.y.shape[0]
        self.kept_rows_ = np.zeros(n_samples, dtype=bool)
        self.kept_rows_[step.rows[trust.kept]] = True
        self.dropped_rows_ = step.student_rows & ~self.kept_rows_
        self.pseudo_label_weights_ = np.full(n_samples, np.nan)
        self.pseudo_label_weights_[step.rows] = (
            1.0 if trust.weights is None else trust.weights
        )
        self.pseudo_label_confidence_ = None
        if trust.confidence is not None:
            self.pseudo_label_confidence_ = np.full(n_samples, np.nan)
            self.pseudo_label_confidence_[step.rows] = trust.confidence

    # ------------------------------------------- true labels for the student
    def _add_true_targets(self, X, step, sample_weight=None, **fit_params):
        """The student's training set with ``student_targets`` applied.

        Runs after :meth:`_pseudo_label` on the Bunch it returned. With
        ``student_targets="pseudo"`` the Bunch is returned unchanged (plus a
        ``true_rows`` mask, all False). With ``"pseudo+true"`` the rows whose
        true labels a teacher was fit on (``teacher_rows``; every labeled row
        for a frozen teacher) are *appended* to the student's rows with their
        true labels (converted by :meth:`_targets_from_labels`) and weight
        ``labeled_weight`` (times their ``sample_weight``). A row that already
        is a student row (cross-fitting, frozen teacher) then appears twice:
        once with its pseudo-label (weight 1) and once with its true label.
        Labels hidden from the student (the student's rows when every row is
        labeled) are never used.
        """
        targets_mode = getattr(self, "student_targets", "pseudo")
        step.true_rows = np.zeros(step.y.shape[0], dtype=bool)
        if targets_mode == "pseudo":
            return step
        weight = float(self.labeled_weight)  # finite: the constraint rejects inf
        frozen = isinstance(self.teacher, FrozenEstimator)
        true_rows = step.labeled.copy() if frozen else step.teacher_rows.copy()
        step.true_rows = true_rows
        t_idx = np.flatnonzero(true_rows)
        if t_idx.size == 0:
            return step
        X = _make_indexable(X)
        _, student_p = self._route_fit_params(X, sample_weight, fit_params, frozen)
        full = student_p["fit"]
        t_params = _slice(X, full, t_idx)
        wkey = self._student_weight_key()
        params = {}
        for key, value in step.fit_params.items():
            if key == wkey or _num_samples_or_none(value) != step.rows.size:
                params[key] = value
            else:  # other sample-aligned metadata the user passed
                params[key] = _concat_rows(value, t_params[key])
        sw_pseudo = None if wkey is None else step.fit_params.get(wkey)
        if sw_pseudo is not None:
            sw_true = weight * np.asarray(
                t_params.get(wkey, np.ones(t_idx.size)), dtype=float
            )
            sw = np.concatenate([np.asarray(sw_pseudo, dtype=float), sw_true])
        elif weight != 1.0:
            if wkey is None:
                raise ValueError(
                    f"labeled_weight={weight} needs a student that accepts "
                    f"sample_weight in fit; {type(self.student).__name__} does "
                    "not. Use labeled_weight=1.0." + weight_hint(self.student)
                )
            sw = np.concatenate([np.ones(step.rows.size), np.full(t_idx.size, weight)])
        else:
            sw = None
        if sw is not None:
            params[wkey] = sw
        step.X = _concat_rows(step.X, _take(X, t_idx))
        step.targets = np.concatenate(
            [np.asarray(step.targets), self._targets_from_labels(step.y[t_idx])]
        )
        step.fit_params = params
        return step

    # --------------------------------------------------------------- hooks
    def _combined_input_tags(self, tags):
        """Input tags that both children support."""
        teacher_tags = get_tags(self.teacher)
        student_tags = get_tags(self.student)
        for name in ("allow_nan", "sparse", "string", "categorical"):
            setattr(
                tags.input_tags,
                name,
                getattr(teacher_tags.input_tags, name)
                and getattr(student_tags.input_tags, name),
            )
        return teacher_tags, student_tags

    def _sk_visual_block_(self):
        """HTML repr: teacher -> student, each box labeled with its role."""
        return labeled_serial_block([self.teacher, self.student],
                                    ["teacher", "student"])
