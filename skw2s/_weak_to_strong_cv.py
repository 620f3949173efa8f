"""Selection of the student's regularization by cross-validation on true labels."""

import time
import warnings
from inspect import signature
from numbers import Integral

import numpy as np
from numpy.ma import MaskedArray
from scipy.stats import rankdata
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
)
from sklearn.exceptions import NotFittedError
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch
from sklearn.utils._param_validation import (
    HasMethods,
    StrOptions,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_sample_weight,
    _make_indexable,
    _num_samples,
    check_array,
    check_is_fitted,
    validate_data,
)

from ._base import _take
from ._compat import labeled_serial_block
from ._ridge_solvers import _path_predictions
from ._split import LabeledSplit
from ._streaming import _Progress, _stream_teacher
from ._sufficient_stats import chunk_stats, merge_stats, path_scores_from_stats
from ._trust import sample_weight_key
from ._validation import (
    _DOC_LINK_TEMPLATE,
    _check_alphas,
    _check_not_1d,
    _validate_w2s_target,
)
from ._weak_to_strong import WeakToStrongRegressor
from ._weighted_ridge import WeightedRidge

# the streaming variant of the selection lives at the end of this module

__all__ = ["WeakToStrongRegressorCV"]


class _FixedPredictions(RegressorMixin, BaseEstimator):
    """Predict-only object returning precomputed predictions of one test fold.

    Lets any scorer ``scorer(estimator, X_test, y_test)`` (and the default
    :math:`R^2` of ``score``) evaluate one alpha of a regularization path.
    """

    def __init__(self, predictions=None):
        self.predictions = predictions

    def predict(self, X):
        if _num_samples(X) != self.predictions.shape[0]:  # pragma: no cover
            raise ValueError("_FixedPredictions: X is not the scored test fold.")
        return self.predictions

    def __sklearn_is_fitted__(self):
        return True


def _alpha_param_name(student):
    """Name of the student's regularization parameter, or None."""
    params = student.get_params(deep=True)
    if "alpha" in params:
        return "alpha"
    nested = [k for k in params if k.endswith("__alpha")]
    if len(nested) == 1:
        return nested[0]
    return None


def _outer_folds(cv, X, y, groups):
    """The (train, test) folds: LabeledSplit semantics (test rows are labeled)."""
    splitter = cv if isinstance(cv, LabeledSplit) else LabeledSplit(cv)
    n_labeled = int(np.isfinite(y).sum())
    if n_labeled == 0:
        raise ValueError(
            "y has no labeled rows (every value is NaN): the student's alpha is "
            "selected by scoring held-out TRUE labels, so some rows must be "
            "labeled."
        )
    if isinstance(cv, Integral) and n_labeled < cv:
        raise ValueError(
            f"cv={cv} folds need at least {cv} labeled rows to give every test "
            f"fold a labeled row; got n_samples = {n_labeled} labeled row(s) "
            "(unlabeled NaN rows are never tested)."
        )
    folds = list(splitter.split(X, y, groups))
    for k, (_, test) in enumerate(folds):
        if len(test) == 0:
            raise ValueError(
                f"cv={cv!r} leaves no labeled row in test fold {k}; every test "
                "fold needs labeled rows to score against (unlabeled NaN rows "
                "are kept in the training folds)."
            )
    return folds


def _fold_scores(
    w2s,
    path_spec,
    alpha_name,
    alphas,
    scorer,
    fast_metric,
    X,
    y,
    sw,
    weighted_scores,
    train,
    test,
    head=None,
):
    """Scores of every alpha on one outer fold; the teacher is fit once.

    ``w2s`` is an unfitted :class:`WeakToStrongRegressor` whose student is the
    student to tune; its pseudo-labeling step gives this fold's student rows,
    their pseudo-labels and weights. ``head`` (a pipeline of transformers, or
    None) is fit once on the student's rows and transforms them and the test
    fold before the path.
    """
    start = time.perf_counter()
    fit_kw = {} if sw is None else {"sample_weight": sw[train]}
    step = w2s._pseudo_label(_take(X, train), y[train], **fit_kw)
    X_test, y_test = _take(X, test), y[test]
    score_kw = {"sample_weight": sw[test]} if weighted_scores else {}
    scores = np.empty(alphas.size)
    if path_spec is not None:
        Xs = step.X
        if head is not None:
            head = clone(head).fit(step.X, step.targets)
            Xs, X_test = head.transform(step.X), head.transform(X_test)
        Xs = check_array(Xs, dtype=[np.float64, np.float32])
        # the student's weights (a Pipeline's are its final step's)
        key = sample_weight_key(w2s.student)
        s_w = None if key is None else step.fit_params.get(key)
        if s_w is not None:
            s_w = _check_sample_weight(
                s_w, Xs, dtype=Xs.dtype, ensure_non_negative=True
            )
        preds = _path_predictions(
            Xs,
            step.targets.astype(Xs.dtype, copy=False),
            check_array(X_test, dtype=Xs.dtype),
            alphas,
            sample_weight=s_w,
            **path_spec,
        )[:, :, 0]  # (n_alphas, n_test)
        if fast_metric is not None:
            scores = _path_scores(
                fast_metric, preds, y_test, score_kw.get("sample_weight")
            )
        else:
            for i in range(alphas.size):
                scores[i] = scorer(
                    _FixedPredictions(preds[i]), X_test, y_test, **score_kw
                )
    else:
        for i, a in enumerate(alphas):
            est = clone(w2s.student).set_params(**{alpha_name: a})
            est = w2s._fit_student(est, step.X, step.targets, step.fit_params)
            scores[i] = scorer(est, X_test, y_test, **score_kw)
    return scores, time.perf_counter() - start


def _path_plan(student):
    """``(path_spec, head, alpha_name)`` of a path-capable student, or None.

    A student with ``_ridge_path_spec()`` is tuned along its path directly
    (``head`` None). A :class:`~sklearn.pipeline.Pipeline` of transformers
    ending in such a student is too: ``head`` is the pipeline of its
    transformers (fit once per fold, on the student's rows, as every refit of
    the pipeline would) and ``alpha_name`` is ``"<last step>__alpha"``.
    """
    spec = _ridge_path_spec(student)
    if spec is not None:
        return spec, None, "alpha"
    if not isinstance(student, Pipeline) or len(student.steps) < 2:
        return None
    name, last = student.steps[-1]
    spec = _ridge_path_spec(last)
    transformers = [t for _, t in student.steps[:-1]]
    if spec is None or not all(
        t is None or t == "passthrough" or hasattr(t, "transform")
        for t in transformers
    ):
        return None
    return spec, Pipeline(student.steps[:-1]), f"{name}__alpha"


def _ridge_path_spec(student):
    """The ridge path the student's ``alpha`` moves along, or None.

    A student offers the one-decomposition path by a private method
    ``_ridge_path_spec()`` returning the keyword arguments of the path
    (``penalty_weights``, ``fit_intercept``); :class:`WeightedRidge` and its
    subclasses have it.
    """
    method = getattr(student, "_ridge_path_spec", None)
    return method() if callable(method) else None


def _student_streams_statistics(self):
    """``available_if`` check of :meth:`WeakToStrongRegressorCV.partial_fit`."""
    student = self._student()
    if not (hasattr(student, "partial_fit") and hasattr(student, "_ridge_path_spec")):
        raise AttributeError(
            "WeakToStrongRegressorCV.partial_fit selects the student's alpha from "
            "streamed sufficient statistics, which needs a WeightedRidge student; "
            f"got {student!r}."
        )
    return True


class WeakToStrongRegressorCV(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    r"""Weak-to-strong regressor with the student's alpha chosen by cross-validation.

    Selects the student's regularization strength ``alpha`` by K-fold
    cross-validation against held-out **true** labels, then refits a
    :class:`WeakToStrongRegressor` with the best alpha on all the data. The
    result is the same as

    .. code-block:: python

        GridSearchCV(
            WeakToStrongRegressor(teacher, student, teacher_size=teacher_size,
                                  cv=teacher_cv, random_state=random_state),
            {"student__alpha": alphas}, cv=LabeledSplit(cv), scoring=scoring,
        )

    (same folds, same inner teacher/student splits, same scores up to
    rounding), but much faster: on each outer fold the teacher is fit **once**
    (the pseudo-labels do not depend on the student's alpha) and, for a
    :class:`WeightedRidge` student, the student's whole regularization path
    comes from one eigendecomposition of its (weighted, penalty-transformed)
    Gram matrix, of size ``min(n_student_rows, n_features)`` squared; the
    held-out fold is then predicted for every alpha at ``O(n_test * rank)``
    each.

    Leave-one-out or generalized cross-validation on the student's own
    pseudo-labels (as :class:`~sklearn.linear_model.RidgeCV` would do) selects
    the alpha that best imitates the teacher, which is exactly wrong here: the
    point of weak-to-strong training is a student that does *not* reproduce the
    teacher's errors. Every alpha is therefore scored against the true labels
    of rows the teacher and student of that fold never saw.

    Parameters
    ----------
    teacher : estimator object
        The weak model, any regressor (a clone is fit on each outer training
        fold). A :class:`~sklearn.frozen.FrozenEstimator` is used as trained:
        every non-test row is then a student row.

    student : estimator object, default=None
        The strong model. ``None`` means ``WeightedRidge()``. A
        :class:`WeightedRidge` (or a subclass) is searched along its
        regularization path, with its ``penalty_weights`` and
        ``fit_intercept``; its ``alpha`` and ``solver`` are ignored during the
        search (the refit uses ``solver``). So is a
        :class:`~sklearn.pipeline.Pipeline` of transformers ending in a
        :class:`WeightedRidge` (e.g. ``make_pipeline(StandardScaler(),
        WeightedRidge())``): its transformers are fit once per fold on the
        student's rows, then the path runs on the transformed rows. Any other
        student is refit once per alpha and fold (the teacher is still fit
        once per fold) with a ``UserWarning``; its regularization parameter is
        ``alpha``, or the only nested parameter named ``<...>__alpha`` (e.g.
        the last step of a :class:`~sklearn.pipeline.Pipeline` that does not
        end in a path student).

    alphas : array-like of shape (n_alphas,), default=(0.01, 0.1, ..., 10000.0)
        Candidate regularization strengths of the student (by default the
        seven powers of ten from 0.01 to 10000), finite and non-negative, in
        scikit-learn's units (``alpha`` multiplies the penalty
        against the unnormalized squared loss). Kept in the given order: ties
        go to the first, as in :class:`~sklearn.model_selection.GridSearchCV`.

    cv : int, cross-validation generator or iterable, default=5
        Outer splitting for the selection, with
        :class:`~skw2s.model_selection.LabeledSplit` semantics: the labeled rows
        are split by ``cv`` (an int is the number of
        :class:`~sklearn.model_selection.KFold` folds; indices of an iterable
        refer to the labeled rows); unlabeled (NaN) rows go to every training
        fold and never to a test fold.
        See :term:`Glossary <cv>`.

    scoring : str, callable or None, default=None
        How a held-out fold is scored (greater is better). ``None`` is the
        student's ``score`` (:math:`R^2` for a :class:`WeightedRidge`); a string
        is a scikit-learn scorer name; a callable is
        ``scorer(estimator, X, y)``. For a path student, ``None``, ``"r2"`` and
        ``"neg_mean_squared_error"`` are computed for all alphas at once from
        the path predictions (same formulas as scikit-learn's metrics); any
        other scorer receives, per alpha, a predict-only object holding that
        alpha's path predictions. With
        ``sample_weight``, the test fold is scored with its weights if the
        scorer accepts them (otherwise with a warning), as
        :class:`~sklearn.model_selection.GridSearchCV` does.

    teacher_size : float or int, default=0.5
        As in :class:`WeakToStrongRegressor`, applied within each training fold
        (and to the refit) when every row is labeled.

    teacher_cv : int, cross-validation generator, iterable or None, default=None
        The ``cv`` (cross-fitting) parameter of the inner
        :class:`WeakToStrongRegressor`.

    n_jobs : int, default=None
        Number of outer folds processed in parallel (joblib).
        See :term:`Glossary <n_jobs>`.

    random_state : int, RandomState instance or None, default=None
        The ``random_state`` of the inner :class:`WeakToStrongRegressor`: seeds
        its teacher/student split in each training fold and in the refit,
        exactly as a :class:`~sklearn.model_selection.GridSearchCV` over that
        estimator does (an int or a RandomState gives every fold the same
        draw). It does not shuffle the outer folds.
        See :term:`Glossary <random_state>`.

    verbose : int, default=0
        Progress reports: joblib's count of outer folds done (passed to
        :class:`joblib.Parallel`, also for the inner cross-fitting), and in
        :meth:`partial_fit` one line per chunk (chunks and rows so far, rows
        per second).

    Attributes
    ----------
    alpha_ : float
        The selected alpha (the best mean test score).

    best_score_ : float
        Mean cross-validated score of ``alpha_``.

    best_index_ : int
        Index of ``alpha_`` in ``alphas``.

    cv_results_ : dict of ndarray
        As ``cv_results_`` of :class:`~sklearn.model_selection.GridSearchCV`:
        ``param_alpha`` (masked array), ``params`` (list of ``{"alpha": a}``),
        ``split{k}_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, and ``split{k}_fit_time`` (time of fold ``k``,
        shared by all alphas).

    n_splits_ : int
        Number of outer folds.

    best_estimator_ : WeakToStrongRegressor
        The :class:`WeakToStrongRegressor` refit on all the data with the
        student's alpha set to ``alpha_``.

    teacher_ : estimator object
        ``best_estimator_.teacher_``.

    student_ : estimator object
        ``best_estimator_.student_``.

    teacher_rows_ : ndarray of shape (n_samples,), dtype=bool
        ``best_estimator_.teacher_rows_``.

    student_rows_ : ndarray of shape (n_samples,), dtype=bool
        ``best_estimator_.student_rows_``.

    pseudo_labels_ : ndarray of shape (n_samples,)
        ``best_estimator_.pseudo_labels_``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    WeakToStrongRegressor : The estimator whose student's alpha is selected.
    sklearn.linear_model.RidgeCV : Efficient selection for plain ridge (on
        the model's own targets).
    skw2s.model_selection.LabeledSplit : The outer splitting.

    Notes
    -----
    Why not leave-one-out or GCV: those criteria measure how well the student
    predicts its own training targets, here the teacher's pseudo-labels. The
    alpha they choose makes the student the best imitator of the teacher,
    reproducing its errors; weak-to-strong gain comes from a student that
    regularizes *differently* (Moniri & Hassani, 2025). The selection here
    scores each alpha on held-out true labels instead.

    Per outer fold the cost is one teacher fit, one decomposition of the
    student's problem (primal ``n_features x n_features`` or dual
    ``n_student_rows x n_student_rows``, whichever is smaller) and a
    prediction of the test fold per alpha, against one teacher fit plus one
    student fit per alpha for :class:`~sklearn.model_selection.GridSearchCV`. Unlike
    :class:`~sklearn.model_selection.GridSearchCV` (with its default
    ``error_score=np.nan``), a failing fit raises. A teacher with an unseeded
    random state gives different teachers for different alphas in
    :class:`~sklearn.model_selection.GridSearchCV` but one teacher per fold
    here. Only ``sample_weight`` is passed to the inner fits (no other
    metadata routing).

    References
    ----------
    .. [1] B. Moniri and H. Hassani, "On the Mechanisms of Weak-to-Strong
       Generalization: A Theoretical Perspective", arXiv:2505.18346, 2025.

    Examples
    --------
    >>> from skw2s import WeakToStrongRegressorCV, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> X, y = make_w2s_regression(n_samples=400, n_features=50, random_state=0)
    >>> search = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-3),
    ...                                  alphas=[1.0, 10.0, 100.0, 1000.0],
    ...                                  teacher_size=0.25, random_state=0)
    >>> search.fit(X, y)
    WeakToStrongRegressorCV(alphas=[1.0, 10.0, 100.0, 1000.0], random_state=0,
                            teacher=WeightedRidge(alpha=0.001), teacher_size=0.25)
    >>> search.alpha_
    100.0
    >>> search.cv_results_["rank_test_score"]
    array([4, 3, 1, 2], dtype=int32)
    >>> search.student_
    WeightedRidge(alpha=100.0)
    """

    _doc_link_module = "skw2s"
    _doc_link_template = _DOC_LINK_TEMPLATE

    _parameter_constraints: dict = {
        # shared with WeakToStrongRegressor: the same protocol runs per fold
        **{
            key: WeakToStrongRegressor._parameter_constraints[key]
            for key in ("teacher", "teacher_size", "n_jobs", "random_state")
        },
        "student": [HasMethods(["fit", "predict"]), None],
        "alphas": ["array-like"],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "teacher_cv": WeakToStrongRegressor._parameter_constraints["cv"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teacher,
        student=None,
        *,
        alphas=(0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0),
        cv=5,
        scoring=None,
        teacher_size=0.5,
        teacher_cv=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.alphas = alphas
        self.cv = cv
        self.scoring = scoring
        self.teacher_size = teacher_size
        self.teacher_cv = teacher_cv
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _student(self):
        return WeightedRidge() if self.student is None else self.student

    def _w2s(self, student):
        return WeakToStrongRegressor(
            self.teacher,
            student,
            teacher_size=self.teacher_size,
            cv=self.teacher_cv,
            random_state=self.random_state,
            verbose=self.verbose,
        )

    @_fit_context(
        # teacher and student are not validated yet
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None, groups=None):
        """Select the student's alpha on held-out true labels, then refit.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Training data, passed to teacher and student as given (row-sliced).

        y : array-like of shape (n_samples,)
            Targets; NaN marks an unlabeled row (never in a test fold).

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of all rows, passed to each inner
            :class:`WeakToStrongRegressor` (which slices them to each model's
            rows). The test folds are scored with their weights when the
            scorer accepts ``sample_weight``.

        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter ``cv``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        alphas = _check_alphas(self.alphas)
        student = self._student()
        _check_not_1d(X)
        validate_data(self, X, skip_check_array=True)
        X = _make_indexable(X)
        n_samples = _num_samples(X)
        y = _validate_w2s_target(y, n_samples, owner=type(self).__name__)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
            if sample_weight_key(student) is None:
                raise ValueError(
                    "sample_weight was passed but the student "
                    f"{type(student).__name__} does not accept sample_weight in fit."
                )

        plan = _path_plan(student)
        path_spec, head, alpha_name = plan if plan is not None else (None, None, None)
        if path_spec is None:
            alpha_name = _alpha_param_name(student)
            if alpha_name is None:
                raise ValueError(
                    f"The student {student!r} has no parameter named 'alpha' (nor "
                    "a unique nested '<step>__alpha'), so there is no "
                    "regularization to select. Use GridSearchCV over "
                    "WeakToStrongRegressor for other parameters."
                )
            warnings.warn(
                f"The student {type(student).__name__} is not a WeightedRidge, so "
                "it offers no regularization path: it is refit for every alpha on "
                f"every fold (parameter {alpha_name!r}); the teacher is still fit "
                "once per fold.",
                UserWarning,
                stacklevel=2,
            )
        scorer = check_scoring(self._w2s(student), scoring=self.scoring)
        weighted_scores = sample_weight is not None and _scorer_accepts_weights(
            scorer
        )
        folds = _outer_folds(self.cv, X, y, groups)
        # R^2 (the score of WeightedRidge) and the MSE are computed for all
        # alphas at once from the path predictions; other scorers get a
        # predict-only object per alpha.
        fast_metric = None
        if path_spec is not None and self.scoring in (None, "r2"):
            fast_metric = "r2"
        elif path_spec is not None and self.scoring == "neg_mean_squared_error":
            fast_metric = "neg_mean_squared_error"

        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(_fold_scores)(
                clone(self._w2s(student)),
                path_spec,
                alpha_name,
                alphas,
                scorer,
                fast_metric,
                X,
                y,
                sample_weight,
                weighted_scores,
                train,
                test,
                head,
            )
            for train, test in folds
        )
        scores = np.column_stack([r[0] for r in results])  # (n_alphas, n_splits)
        self.cv_results_ = _cv_results(
            alphas, scores, [r[1] for r in results]
        )
        self.n_splits_ = len(folds)
        self.best_index_ = int(self.cv_results_["rank_test_score"].argmin())
        self.best_score_ = float(
            self.cv_results_["mean_test_score"][self.best_index_]
        )
        self.alpha_ = float(alphas[self.best_index_])

        best = clone(student).set_params(**{alpha_name: self.alpha_})
        fit_kw = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.best_estimator_ = self._w2s(best).fit(X, y, **fit_kw)
        for name in ("_stream", "_progress"):
            self.__dict__.pop(name, None)
        for name in (
            "teacher_",
            "student_",
            "teacher_rows_",
            "student_rows_",
            "pseudo_labels_",
        ):
            setattr(self, name, getattr(self.best_estimator_, name))
        return self

    @available_if(_student_streams_statistics)
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Stream one chunk: accumulate the student's and the held-out statistics.

        Streaming selection of the student's alpha, for a trained teacher (a
        :class:`~sklearn.frozen.FrozenEstimator`, or the ``teacher_`` of an
        earlier :meth:`fit`) and a :class:`WeightedRidge` student. The chunk's
        **unlabeled** rows (NaN in ``y``, or ``y=None``) are pseudo-labeled by
        the teacher and accumulated into the student's sufficient statistics
        (:meth:`WeightedRidge.partial_fit`); its **labeled** rows are held out:
        only their sufficient statistics are kept, and they never reach the
        student. After each chunk every alpha of ``alphas`` is scored on all
        held-out rows so far (of every chunk), from the two sets of statistics
        alone (one Cholesky factorization of the student's Gram per alpha, no
        row kept in memory), and ``student_`` is set to the best alpha. The
        teacher must not have been trained on the held-out rows.

        Until both kinds of rows have been seen no alpha is selected, and
        :meth:`predict` and :meth:`score` raise ``NotFittedError`` rather than
        use an alpha the stream did not select. After :meth:`fit`, the stream
        keeps training the refit student (its rows' statistics) with the alpha
        that :meth:`fit` selected, until held-out rows of the stream select
        one; :meth:`fit` starts everything afresh.

        Parameters
        ----------
        X : {array-like, dataframe} of shape (n_samples, n_features)
            One chunk of rows.

        y : array-like of shape (n_samples,), default=None
            True labels of the held-out rows, NaN on the rows to pseudo-label;
            ``None`` means every row is unlabeled.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the chunk's rows (for the student's fit and for the
            held-out scores).

        Returns
        -------
        self : object
            The estimator; ``alpha_``, ``best_score_``, ``best_index_`` and
            ``cv_results_`` (one split: the held-out rows) are set once a
            labeled row has been seen.
        """
        return _stream_select(self, X, y, sample_weight)

    def predict(self, X):
        """Predict with the student refit with the selected alpha.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The student's predictions.
        """
        self._check_selected()
        return self.best_estimator_.predict(X)

    def score(self, X, y, sample_weight=None):
        """Score of the refit student on ``(X, y)`` (the student's ``score``).

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True targets.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, passed to the student's ``score``.

        Returns
        -------
        score : float
            The student's score (:math:`R^2` for scikit-learn regressors).
        """
        self._check_selected()
        return self.best_estimator_.score(X, y, sample_weight=sample_weight)

    def _check_selected(self):
        """A NotFittedError until an alpha has been selected (never a default)."""
        state = self.__dict__.get("_stream")
        if state is not None and not hasattr(self, "best_estimator_"):
            raise NotFittedError(
                f"{type(self).__name__} has selected no alpha yet: partial_fit "
                f"has seen {state.n_pseudo} row(s) to pseudo-label and "
                f"{state.n_heldout} held-out labeled row(s), and the selection "
                "needs both (stream rows with NaN in y and rows with their true "
                "labels). It does not predict with an alpha it did not select."
            )
        check_is_fitted(self)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "best_estimator_")

    def __sklearn_tags__(self):
        tags = self._w2s(self._student()).__sklearn_tags__()
        tags.target_tags.multi_output = False  # the selection scores one target
        return tags

    def _sk_visual_block_(self):
        """HTML repr: teacher -> student, each box labeled with its role."""
        return labeled_serial_block([self.teacher, self._student()],
                                    ["teacher", "student"])


def _path_scores(metric, preds, y, sample_weight):
    """R^2 or negated MSE of each row of ``preds`` (n_alphas, n_test).

    The same formulas as :func:`sklearn.metrics.r2_score` (with
    ``force_finite=True``) and :func:`sklearn.metrics.mean_squared_error`.
    """
    sq = (y[None, :] - preds) ** 2
    if metric == "neg_mean_squared_error":
        return -np.average(sq, axis=1, weights=sample_weight)
    w = 1.0 if sample_weight is None else sample_weight
    num = np.sum(w * sq, axis=1)
    den = np.sum(w * (y - np.average(y, weights=sample_weight)) ** 2)
    if den == 0:
        return np.where(num == 0, 1.0, 0.0)
    return 1.0 - num / den


def _scorer_accepts_weights(scorer):
    """Whether ``scorer`` takes ``sample_weight`` (warns if not), as GridSearchCV."""
    if hasattr(scorer, "_accept_sample_weight"):
        accept = scorer._accept_sample_weight()
    else:
        accept = "sample_weight" in signature(scorer).parameters
    if not accept:
        warnings.warn(
            f"The scoring {scorer} does not support sample_weight; the test "
            "folds are scored unweighted although the fits are weighted.",
            UserWarning,
            stacklevel=3,
        )
    return accept


def _cv_results(alphas, scores, fold_times):
    """``cv_results_`` in GridSearchCV's layout from (n_alphas, n_splits) scores."""
    n_alphas, n_splits = scores.shape
    results = {
        "param_alpha": MaskedArray(alphas.copy(), mask=np.zeros(n_alphas, bool)),
        "params": [{"alpha": float(a)} for a in alphas],
    }
    for k in range(n_splits):
        results[f"split{k}_test_score"] = scores[:, k].copy()
    means = np.average(scores, axis=1)
    results["mean_test_score"] = means
    results["std_test_score"] = np.sqrt(
        np.average((scores - means[:, None]) ** 2, axis=1)
    )
    if not np.isfinite(means).all():
        warnings.warn(
            f"One or more of the test scores are non-finite: {means}",
            UserWarning,
            stacklevel=3,
        )
    if np.isnan(means).all():
        rank = np.ones(n_alphas, dtype=np.int32)
    else:
        filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
        rank = rankdata(-filled, method="min").astype(np.int32)
    results["rank_test_score"] = rank
    for k, t in enumerate(fold_times):
        results[f"split{k}_fit_time"] = np.full(n_alphas, t)
    return results


def _stream_select(search, X, y, sample_weight):
    """:meth:`WeakToStrongRegressorCV.partial_fit` (see its docstring)."""
    start = time.perf_counter()
    alphas = _check_alphas(search.alphas)
    student = search._student()
    path_spec = _ridge_path_spec(student)
    if path_spec is None or not hasattr(student, "partial_fit"):
        raise ValueError(
            f"partial_fit selects the student's alpha from streamed sufficient "
            f"statistics, which needs a WeightedRidge student; got {student!r}. "
            "Use fit, or WeakToStrongRegressor.partial_fit with a fixed alpha."
        )
    metric = "r2" if search.scoring is None else search.scoring
    if metric not in ("r2", "neg_mean_squared_error"):
        raise ValueError(
            f"scoring={search.scoring!r} cannot be computed from statistics; "
            "partial_fit supports scoring=None, 'r2' and "
            "'neg_mean_squared_error'."
        )
    w2s = search._w2s(student)
    teacher = _stream_teacher(search)
    _check_not_1d(X)
    validate_data(search, X, skip_check_array=True,
                  reset=not hasattr(search, "n_features_in_"))
    X = _make_indexable(X)
    n = _num_samples(X)
    y = (
        np.full(n, np.nan)
        if y is None
        else _validate_w2s_target(y, n, owner=type(search).__name__)
    )
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X)
    labeled = np.isfinite(y)
    search.teacher_ = teacher
    state = search.__dict__.get("_stream")
    if state is None:
        # a new stream; after fit it continues fit's student (its rows'
        # statistics), whose alpha fit selected
        fitted = getattr(search, "best_estimator_", None)
        student_ = getattr(fitted, "student_", None)
        if not (hasattr(student_, "partial_fit")
                and "sufficient_stats_" in getattr(student_, "__dict__", {})):
            student_ = clone(student)
        state = search._stream = Bunch(student=student_, validation=None,
                                       n_heldout=0, n_pseudo=0)
    u_idx, l_idx = np.flatnonzero(~labeled), np.flatnonzero(labeled)
    targets = np.empty(0)
    if u_idx.size:
        X_u = _take(X, u_idx)
        targets = w2s._teacher_outputs(teacher, X_u, {}, f"teacher {teacher!r}")
        kw = {} if sample_weight is None else {"sample_weight": sample_weight[u_idx]}
        state.student.partial_fit(X_u, targets, **kw)
        state.n_pseudo += u_idx.size
    if l_idx.size:
        X_l = check_array(_take(X, l_idx), dtype=np.float64)
        part = chunk_stats(
            X_l, y[l_idx], None if sample_weight is None else sample_weight[l_idx]
        )
        prev = state.validation
        state.validation = part if prev is None else merge_stats(prev, part)
        state.n_heldout += l_idx.size
    search.teacher_rows_ = np.zeros(n, dtype=bool)
    search.student_rows_ = ~labeled
    search.pseudo_labels_ = np.full(n, np.nan)
    search.pseudo_labels_[u_idx] = targets
    val = state.validation
    student_stats = state.student.__dict__.get("sufficient_stats_")
    if (
        val is not None
        and val.sum_weights > 0
        and student_stats is not None
        and student_stats.sum_weights > 0
    ):
        coefs, intercepts = state.student.path_from_stats(alphas)
        scores = path_scores_from_stats(coefs, intercepts, val, metric)
        search.cv_results_ = _cv_results(
            alphas, scores[:, None], [time.perf_counter() - start]
        )
        search.n_splits_ = 1
        search.best_index_ = int(search.cv_results_["rank_test_score"].argmin())
        search.best_score_ = float(scores[search.best_index_])
        search.alpha_ = float(alphas[search.best_index_])
        state.student.set_params(alpha=search.alpha_)
    if hasattr(search, "alpha_"):
        # an alpha selected (by this stream, or by fit): the model to predict with
        search.student_ = state.student
        best = search._w2s(clone(state.student))
        for name in ("teacher_", "student_", "teacher_rows_", "student_rows_",
                     "pseudo_labels_", "n_features_in_", "feature_names_in_"):
            if hasattr(search, name):
                setattr(best, name, getattr(search, name))
        search.best_estimator_ = best
    progress = search.__dict__.setdefault("_progress", _Progress(type(search).__name__))
    progress.update(n, time.perf_counter() - start, search.verbose)
    return search
