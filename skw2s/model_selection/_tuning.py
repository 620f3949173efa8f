"""Each contender tuned for its own data: the estimators the report fits.

The report compares models trained on different data (the supervised student
on the labeled rows, the W2S student on pseudo-labels, ...). A fair comparison
tunes each one for the data it is trained on, so this module turns an
estimator and an optional parameter grid into the estimator that, fit on some
rows, tunes itself on those rows:

- :func:`tuned`: a model trained on true labels (the supervised student, the
  ceiling, a teacher). No grid: the estimator as it is (a self-tuning one such
  as :class:`~sklearn.linear_model.RidgeCV` or
  :class:`~sklearn.linear_model.LogisticRegressionCV` then tunes itself on the
  rows it is fit on). A grid over the ``alpha`` of a :class:`~skw2s.WeightedRidge`
  or :class:`~sklearn.linear_model.Ridge` (or of a pipeline ending in one):
  exact leave-one-out errors along one regularization path
  (:class:`_RidgeAlphaLOO`). Any other grid: an inner
  :class:`~sklearn.model_selection.GridSearchCV`.
- :func:`tuned_w2s`: a weak-to-strong estimator whose student's parameters are
  selected on held-out **true** labels of the rows it is fit on (never on the
  pseudo-labels): :class:`~skw2s.WeakToStrongRegressorCV` for a ridge path, a
  ``GridSearchCV`` over the weak-to-strong estimator with
  :class:`~skw2s.model_selection.LabeledSplit` folds otherwise.
- :func:`fitted_params` / :func:`format_params` / :func:`summarize_params`:
  the hyperparameters a fitted contender ended with, and their readable form.
"""

import numbers
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.model_selection._split import BaseCrossValidator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_array,
    check_is_fitted,
)

from .._ridge_solvers import (
    _MAX_PENALTY_SPREAD,
    _check_penalty_weights,
    _path_predictions,
    _preprocess,
)
from .._split import LabeledSplit
from .._validation import _as_label_array, _check_alphas

__all__ = [
    "check_param_grid",
    "fitted_params",
    "format_params",
    "summarize_params",
    "tuned",
    "tuned_w2s",
]

#: Scorers under which the exact leave-one-out MSE selects the same alpha
#: (None is a regressor's R^2; R^2 on fixed rows is decreasing in the MSE).
_MSE_SCORINGS = (None, "r2", "neg_mean_squared_error")

#: Fitted attributes holding a hyperparameter that an estimator tuned itself
#: (RidgeCV, LassoCV, ElasticNetCV, LogisticRegressionCV,
#: WeakToStrongRegressorCV, ...).
_SELF_TUNED = ("alpha_", "C_", "l1_ratio_")


# --------------------------------------------------------------- the grids
def check_param_grid(param_grid, name="param_grid"):
    """``param_grid`` as a list of non-empty dicts of lists, or None.

    Accepts what :class:`~sklearn.model_selection.GridSearchCV` accepts (a
    dict ``{parameter: values}`` or a list of them); raises a ValueError
    naming ``name`` otherwise.
    """
    if param_grid is None:
        return None
    grids = [param_grid] if isinstance(param_grid, dict) else param_grid
    if not isinstance(grids, list | tuple) or not grids:
        raise ValueError(
            f"{name} must be a dict {{parameter: list of values}} or a non-empty "
            f"list of such dicts; got {param_grid!r}."
        )
    out = []
    for grid in grids:
        if not isinstance(grid, dict) or not grid:
            raise ValueError(
                f"{name} must be a dict {{parameter: list of values}} or a list "
                f"of non-empty such dicts; got {grid!r}."
            )
        clean = {}
        for key, values in grid.items():
            if not isinstance(key, str):
                raise ValueError(f"{name} keys must be parameter names; got {key!r}.")
            if isinstance(values, str) or not hasattr(values, "__iter__"):
                raise ValueError(
                    f"{name}[{key!r}] must be a list of candidate values; got "
                    f"{values!r}."
                )
            values = list(values)
            if not values:
                raise ValueError(f"{name}[{key!r}] is empty; give at least one value.")
            clean[key] = values
        out.append(clean)
    return out


def _check_grid_keys(estimator, grids, name):
    params = estimator.get_params(deep=True)
    for grid in grids:
        for key in grid:
            if key not in params:
                raise ValueError(
                    f"{name}: {type(estimator).__name__} has no parameter {key!r} "
                    f"(valid: {sorted(k for k in params if '__' not in k)}, or "
                    "'<step>__<parameter>' for nested ones)."
                )


# ------------------------------------------------------------- inner folds
class _InnerKFold(BaseCrossValidator):
    """Shuffled K-fold for the inner tuning, shrunk to what the rows allow.

    Stratified for class labels when every class has at least two rows (the
    number of folds then at most the smallest class count), plain otherwise;
    never more folds than rows. Seeded, so every fit sees the same folds.
    """

    def __init__(self, n_splits=5, *, classifier=False, random_state=0):
        self.n_splits = n_splits
        self.classifier = classifier
        self.random_state = random_state

    def _splitter(self, X, y):
        n = _num_samples(X)
        k = max(2, min(int(self.n_splits), n))
        if self.classifier and y is not None:
            _, counts = np.unique(_as_label_array(np.asarray(y)), return_counts=True)
            if counts.size >= 2 and counts.min() >= 2:
                return StratifiedKFold(
                    min(k, int(counts.min())), shuffle=True,
                    random_state=self.random_state,
                )
        return KFold(k, shuffle=True, random_state=self.random_state)

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays (see the class)."""
        yield from self._splitter(X, y).split(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds for ``X, y`` (``n_splits`` without ``X``)."""
        if X is None:
            return int(self.n_splits)
        return self._splitter(X, y).get_n_splits(X, y, groups)

    def _iter_test_indices(self, X=None, y=None, groups=None):  # pragma: no cover
        raise NotImplementedError  # split is overridden


# ------------------------------------------------- leave-one-out ridge path
def _ridge_spec(estimator):
    """``(path kwargs, head, alpha_name)`` of a ridge (or a pipeline ending in
    one) whose ``alpha`` moves along one path, or None."""
    if isinstance(estimator, Pipeline) and len(estimator.steps) >= 2:
        name, last = estimator.steps[-1]
        spec = _ridge_spec(last)
        heads = [t for _, t in estimator.steps[:-1]]
        if spec is None or not all(
            t is None or t == "passthrough" or hasattr(t, "transform") for t in heads
        ):
            return None
        return spec[0], Pipeline(estimator.steps[:-1]), f"{name}__alpha"
    method = getattr(estimator, "_ridge_path_spec", None)
    if callable(method):
        return method(), None, "alpha"
    if type(estimator) is Ridge and not estimator.positive:
        return {"penalty_weights": None, "fit_intercept": estimator.fit_intercept}, (
            None
        ), "alpha"
    return None


def _loo_errors(X, y, alphas, sample_weight=None, penalty_weights=None,
                fit_intercept=True):
    r"""Exact leave-one-out mean squared error of each ridge ``alpha``, or None.

    For a penalized least-squares fit :math:`\hat y = H y`, the leave-one-out
    residual of row :math:`i` is :math:`r_i / (1 - H_{ii})` (it holds for any
    fixed quadratic penalty and for row weights). With the weighted-centered,
    penalty-transformed design :math:`Z = W^{1/2} (X - \bar x) T = U S V'`,
    :math:`H_{ii} = w_i / \sum w + \sum_k U_{ik}^2 s_k^2 / (s_k^2 + \alpha)`
    (the first term is the unpenalized intercept), so one SVD gives every
    alpha. Returns None when the penalty has unpenalized directions or a very
    wide spread of weights (the caller then cross-validates by folds).
    """
    X = check_array(X, dtype=np.float64)
    y2 = np.asarray(y, dtype=np.float64)
    y2 = y2.reshape(-1, 1) if y2.ndim == 1 else y2
    n, d = X.shape
    penalty = _check_penalty_weights(penalty_weights, d)
    if penalty.n_null or penalty.spread > _MAX_PENALTY_SPREAD or n < 3:
        return None
    w = None if sample_weight is None else _check_sample_weight(sample_weight, X)
    Xs, ys, X_offset, y_offset = _preprocess(X, y2, w, fit_intercept)
    Z = penalty.to_z(Xs)
    U, S, Vt = np.linalg.svd(Z, full_matrices=False)
    keep = S > max(n, d) * np.finfo(float).eps * (S[0] if S.size else 0.0)
    U, S, Vt = U[:, keep], S[keep], Vt[keep]
    Xc = X - X_offset if fit_intercept else X
    P = penalty.to_z(Xc) @ Vt.T  # (n, rank): raw rows in the SVD basis
    Uty = U.T @ ys  # (rank, k)
    ww = np.ones(n) if w is None else w
    h0 = ww / ww.sum() if fit_intercept else np.zeros(n)
    U2 = U**2
    out = np.empty(len(alphas))
    for i, alpha in enumerate(alphas):
        f = S / (S**2 + alpha)  # coefficients in the SVD basis
        fitted = y_offset + P @ (f[:, None] * Uty)
        h = h0 + U2 @ (S**2 / (S**2 + alpha))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (y2 - fitted) / (1.0 - h)[:, None]
        err = np.mean(r**2, axis=1)
        out[i] = np.average(err, weights=ww) if np.all(np.isfinite(err)) else np.inf
    return out


def _kfold_path_errors(X, y, alphas, sample_weight, penalty_weights,
                       fit_intercept, cv):
    """Cross-validated MSE of each alpha by folds (one decomposition each)."""
    X = check_array(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = None if sample_weight is None else _check_sample_weight(sample_weight, X)
    total = np.zeros(len(alphas))
    weight = 0.0
    for train, test in cv.split(X, y):
        pred = _path_predictions(
            X[train], y[train], X[test], np.asarray(alphas, dtype=float),
            sample_weight=None if w is None else w[train],
            penalty_weights=penalty_weights, fit_intercept=fit_intercept,
        )  # (n_alphas, n_test, k)
        yt = y[test].reshape(len(test), -1)
        err = np.mean((pred - yt[None]) ** 2, axis=2)  # (n_alphas, n_test)
        wt = np.ones(len(test)) if w is None else w[test]
        total += err @ wt
        weight += wt.sum()
    return total / weight


class _RidgeAlphaLOO(MetaEstimatorMixin, BaseEstimator):
    """A ridge (or pipeline ending in one) that picks its own ``alpha``.

    ``fit`` computes the exact leave-one-out mean squared error of every alpha
    of ``alphas`` from one SVD of the rows it is given (a pipeline's
    transformers are fit once on those rows first, as in a
    :class:`~sklearn.linear_model.RidgeCV` at the end of a pipeline), picks the
    smallest error (ties: the first alpha, as ``GridSearchCV``), and refits
    ``estimator`` with it. A penalty with unpenalized directions uses 5 shuffled
    folds along the path instead.

    Attributes: ``best_params_`` (``{alpha_name: alpha}``), ``alpha_``,
    ``cv_errors_`` (one MSE per alpha), ``best_estimator_``.
    """

    def __init__(self, estimator, alphas, alpha_name="alpha", random_state=0):
        self.estimator = estimator
        self.alphas = alphas
        self.alpha_name = alpha_name
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Select ``alpha`` by leave-one-out on ``(X, y)``, then refit."""
        alphas = _check_alphas(self.alphas)
        spec, head, _ = _ridge_spec(self.estimator)
        Xt = X if head is None else clone(head).fit_transform(X, y)
        errors = _loo_errors(Xt, y, alphas, sample_weight, **spec)
        if errors is None:
            cv = _InnerKFold(5, random_state=self.random_state)
            errors = _kfold_path_errors(
                Xt, y, alphas, sample_weight, spec["penalty_weights"],
                spec["fit_intercept"], cv,
            )
        self.cv_errors_ = errors
        best = int(np.argmin(np.where(np.isfinite(errors), errors, np.inf)))
        self.alpha_ = float(alphas[best])
        self.best_params_ = {self.alpha_name: self.alpha_}
        est = clone(self.estimator).set_params(**self.best_params_)
        kw = {}
        if sample_weight is not None:
            key = "sample_weight"
            if isinstance(est, Pipeline):
                key = f"{est.steps[-1][0]}__sample_weight"
            kw[key] = sample_weight
        self.best_estimator_ = est.fit(X, y, **kw)
        if hasattr(self.best_estimator_, "n_features_in_"):
            self.n_features_in_ = self.best_estimator_.n_features_in_
        return self

    def predict(self, X):
        """Predict with the refit estimator."""
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

    def score(self, X, y, sample_weight=None):
        """The refit estimator's ``score``."""
        check_is_fitted(self)
        return self.best_estimator_.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        return tags


# --------------------------------------------------------------- the tuners
def _single_alpha_grid(grids, alpha_name):
    if len(grids) != 1 or list(grids[0]) != [alpha_name]:
        return None
    values = grids[0][alpha_name]
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        return None
    return np.asarray(values, dtype=float)


def tuned(estimator, param_grid=None, *, scoring=None, cv=5, random_state=0,
          name="param_grid"):
    """The estimator that, fit on some rows, tunes itself on those rows.

    For a model trained on **true** labels: the supervised student, the
    ceiling, a teacher.

    Parameters
    ----------
    estimator : estimator object
        The model (not modified).

    param_grid : dict or list of dicts, default=None
        Candidate hyperparameters (``GridSearchCV``'s format). None: a clone
        of ``estimator`` as it is (a self-tuning estimator such as
        ``RidgeCV`` tunes itself on the rows it is fit on).

    scoring : str, callable or None, default=None
        How the candidates are compared (greater is better); None is the
        estimator's ``score``.

    cv : int, default=5
        Number of inner folds (shuffled, seeded, stratified for classifiers;
        fewer when the rows do not allow so many). Unused by the leave-one-out
        path.

    random_state : int, default=0
        Seed of the inner folds.

    name : str, default="param_grid"
        The argument's name in error messages.

    Returns
    -------
    estimator : estimator object
        Unfitted. A ``WeightedRidge`` or ``Ridge`` (or a pipeline ending in
        one) with a grid over ``alpha`` alone and an MSE-like ``scoring``
        (None, ``"r2"``, ``"neg_mean_squared_error"``) becomes a
        leave-one-out search along one path; any other grid a
        :class:`~sklearn.model_selection.GridSearchCV`.
    """
    grids = check_param_grid(param_grid, name)
    if grids is None:
        return clone(estimator)
    _check_grid_keys(estimator, grids, name)
    spec = None if is_classifier(estimator) else _ridge_spec(estimator)
    if spec is not None and scoring in _MSE_SCORINGS:
        alphas = _single_alpha_grid(grids, spec[2])
        if alphas is not None:
            return _RidgeAlphaLOO(
                clone(estimator), alphas, spec[2], random_state=random_state
            )
    inner = _InnerKFold(
        cv, classifier=is_classifier(estimator), random_state=random_state
    )
    return GridSearchCV(
        clone(estimator), grids if len(grids) > 1 else grids[0],
        scoring=scoring, cv=inner,
    )


def _w2s_has_only_path_options(w2s):
    """Whether WeakToStrongRegressorCV reproduces ``w2s``'s protocol exactly."""
    from .._weak_to_strong import WeakToStrongRegressor

    if type(w2s) is not WeakToStrongRegressor:
        return False
    p = w2s.get_params(deep=False)
    return (
        p["pseudo_label_weights"] is None
        and p["pseudo_label_filter"] is None
        and p["n_rounds"] == 1
        and p["student_targets"] == "pseudo"
    )


def tuned_w2s(w2s, param_grid=None, *, scoring=None, cv=5, random_state=0,
              name="param_grid"):
    """A weak-to-strong estimator whose student is tuned on held-out true labels.

    Fit on some rows (labeled and unlabeled), it selects the student's
    hyperparameters by cross-validation over the **labeled** rows
    (:class:`~skw2s.model_selection.LabeledSplit` folds: each inner fit
    trains the teacher on the inner training labels and the student on its
    pseudo-labels, and is scored on held-out true labels), then refits on all
    the rows. The pseudo-labels never choose the hyperparameters.

    Parameters
    ----------
    w2s : estimator object
        A weak-to-strong estimator (``teacher`` and ``student`` set).

    param_grid : dict or list of dicts, default=None
        Candidate hyperparameters **of the student** (keys as for the student,
        e.g. ``{"alpha": [...]}``). None: a clone of ``w2s``.

    scoring, cv, random_state, name
        As in :func:`tuned` (``scoring`` None is the estimator's ``score``).

    Returns
    -------
    estimator : estimator object
        Unfitted: a :class:`~skw2s.WeakToStrongRegressorCV` when ``w2s`` is a
        plain :class:`~skw2s.WeakToStrongRegressor` whose student has a ridge
        path and the grid is over its ``alpha`` alone (one teacher fit and
        one decomposition per inner fold); otherwise a
        :class:`~sklearn.model_selection.GridSearchCV` over ``w2s`` with
        ``student__``-prefixed parameters. Its ``best_estimator_`` is the
        refit weak-to-strong estimator.
    """
    grids = check_param_grid(param_grid, name)
    if grids is None:
        return clone(w2s)
    _check_grid_keys(w2s.student, grids, name)
    classifier = is_classifier(w2s)
    inner = LabeledSplit(
        _InnerKFold(cv, classifier=classifier, random_state=random_state),
        classifier=classifier,
    )
    if not classifier and scoring in _MSE_SCORINGS and _w2s_has_only_path_options(
        w2s
    ):
        from .._weak_to_strong_cv import WeakToStrongRegressorCV, _path_plan

        plan = _path_plan(w2s.student)
        alphas = None if plan is None else _single_alpha_grid(grids, plan[2])
        if alphas is not None:
            p = w2s.get_params(deep=False)
            return WeakToStrongRegressorCV(
                p["teacher"], p["student"], alphas=alphas, cv=inner,
                scoring=scoring, teacher_size=p["teacher_size"],
                teacher_cv=p["cv"], random_state=p["random_state"],
            )
    prefixed = [{f"student__{k}": v for k, v in g.items()} for g in grids]
    return GridSearchCV(
        clone(w2s), prefixed if len(prefixed) > 1 else prefixed[0],
        scoring=scoring, cv=inner,
    )


# --------------------------------------------------- what a contender chose
def _plain(value):
    if isinstance(value, np.ndarray):
        flat = np.unique(value.ravel())
        value = flat[0] if flat.size == 1 else flat.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    return value


def fitted_params(estimator):
    """The hyperparameters a fitted contender selected for itself.

    ``best_params_`` of a search (``GridSearchCV``, the leave-one-out ridge;
    a weak-to-strong search's ``student__`` prefixes removed), the self-tuned
    attributes ``alpha_``, ``C_``, ``l1_ratio_`` (``RidgeCV``,
    ``LogisticRegressionCV``, ``WeakToStrongRegressorCV``, ...), looked up
    through searches, pipelines and a weak-to-strong estimator's
    ``student_``. A fixed (untuned) or frozen model gives ``{}``.

    Parameters
    ----------
    estimator : estimator object
        A fitted contender.

    Returns
    -------
    params : dict
        ``{parameter: value}``; nested names are shortened to their last
        part (``"student__ridge__alpha"`` -> ``"alpha"``) unless that
        collides.
    """
    out = {}

    def add(key, value):
        if value is None:
            return
        short = key.rsplit("__", 1)[-1]
        if short in out and out[short] != value:
            out[key] = value
        else:
            out.setdefault(short, value)

    if estimator is None or isinstance(estimator, FrozenEstimator):
        return out
    state = getattr(estimator, "__dict__", {})
    best = state.get("best_params_")
    if isinstance(best, dict):
        for key, value in best.items():
            add(key, _plain(value))
    for attr in _SELF_TUNED:
        if attr in state:
            add(attr[:-1], _plain(state[attr]))
    children = []
    if isinstance(estimator, Pipeline):
        children += [step for _, step in estimator.steps]
    for attr in ("best_estimator_", "student_"):
        child = state.get(attr)
        if child is not None and child is not estimator:
            children.append(child)
    for child in children:
        for key, value in fitted_params(child).items():
            add(key, value)
    return out


def _fmt_value(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt_value(v) for v in value) + "]"
    return str(value)


def format_params(params):
    """``{"alpha": 10.0, "C": 0.1}`` -> ``"alpha=10, C=0.1"`` (``""`` if empty)."""
    return ", ".join(f"{k}={_fmt_value(v)}" for k, v in params.items())


def summarize_params(per_fold):
    """One readable string for the hyperparameters chosen on each fold.

    ``"alpha=10"`` when every fold chose the same; otherwise the choices by
    frequency, ``"alpha=10 (3/5 folds); alpha=100 (2/5)"``; ``""`` when no
    fold tuned anything (fixed models).
    """
    texts = [format_params(p) for p in per_fold]
    if not any(texts):
        return ""
    counts = Counter(texts)
    if len(counts) == 1:
        return texts[0]
    n = len(texts)
    parts = []
    for i, (text, c) in enumerate(counts.most_common()):
        label = text or "(none)"
        parts.append(f"{label} ({c}/{n}{' folds' if i == 0 else ''})")
    return "; ".join(parts)

