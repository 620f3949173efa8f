"""Forecast the weak-to-strong gain before training the student on everything.

:func:`forecast_w2s` cross-fits the teacher on the labeled rows, trains the
student on the teacher's labels of part of the unlabeled rows, and measures
on the rest the *misfit* (how far the student lands from its teacher, which
needs no label). Charikar, Pabbaraju & Shiragur (2024) show that for the
squared loss, a convex student class that contains the target and a student
fit to the teacher by least squares, ``err(student) <= err(teacher) -
misfit`` (Mulgund & Pabbaraju, 2025, for the log-loss with the KL misfit).
The forecast reports that decomposition, ``student = teacher - misfit +
approximation``, where the approximation term (what the inequality leaves
out when the student cannot represent the target, or regularizes) is
measured on the held-out labeled rows, with bootstrap intervals widened for
the overlap of the cross-validation's training sets; and, for a ridge teacher
and a ridge student, the plug-in deterministic equivalents of
:mod:`skw2s.theory` (risk curves over the student's alpha).
"""

import math
import textwrap
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, _safe_indexing, check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    validate_params,
)
from sklearn.utils.validation import _num_samples, check_array

from .._validation import (
    _as_label_array,
    _label_values,
    _unlabeled_mask,
    _validate_w2s_target,
)
from .._weak_to_strong import WeakToStrongRegressor
from .._weak_to_strong_classifier import WeakToStrongClassifier
from ._tuning import (
    _InnerKFold,
    _ridge_spec,
    check_param_grid,
    fitted_params,
    summarize_params,
    tuned,
    tuned_w2s,
)
from ._verdict import CONTENDER_LABELS, format_number, kfold_correction
from ._w2s_validation import _fitted_w2s

__all__ = ["W2SForecast", "forecast_w2s"]

#: The contenders of the forecast's verdict, in report order.
CONTENDERS = ("teacher", "w2s", "supervised")

#: Above this many features the plug-in theory is skipped (a dense d x d
#: covariance and its eigendecompositions).
_MAX_THEORY_FEATURES = 2000

_EPS = np.finfo(float).eps

#: The alphas over which a fixed ridge student is tuned for the supervised
#: role when no ``param_grid`` is given (scikit-learn units, wide: leave-one-out
#: along one path costs little per alpha).
_SUPERVISED_ALPHAS = np.logspace(-5, 7, 25)

#: Quantities that cannot be negative: their intervals stop at 0.
_NON_NEGATIVE = ("teacher_error", "student_error", "supervised_error", "misfit")


# ----------------------------------------------------------------- the result


class W2SForecast(Bunch):
    """The result of :func:`forecast_w2s`: a dict with attribute access.

    Every error is a point estimate ``<name>`` with a two-sided interval
    ``<name>_low`` and ``<name>_high`` at the level ``confidence``. The keys
    are described in :func:`forecast_w2s`; ``repr`` is a readable table.

    Parameters
    ----------
    **kwargs : dict
        The keys and values (as for :class:`~sklearn.utils.Bunch`).

    See Also
    --------
    forecast_w2s : The function that returns it.
    W2SForecastDisplay : Draws it against the realized errors.

    Examples
    --------
    >>> from skw2s.model_selection import W2SForecast
    >>> f = W2SForecast(metric="mse", confidence=0.9, verdict="undecided")
    >>> f.verdict
    'undecided'
    """

    _ROWS = (
        ("teacher_error", "teacher"),
        ("misfit", "misfit (label-free)"),
        ("approximation_error", "approximation"),
        ("student_error", "W2S student"),
        ("supervised_error", "supervised student"),
        ("gain_vs_teacher", "W2S gain over teacher"),
        ("gain_vs_supervised", "W2S gain over supervised"),
    )
    #: Width of the printed table (a notebook cell or a gallery box).
    _WIDTH = 64

    def _wrap(self, text, indent="  "):
        return textwrap.wrap(text, width=self._WIDTH, initial_indent=indent,
                             subsequent_indent=indent + "  ")

    def __repr__(self):
        if "teacher_error" not in self:
            return f"W2SForecast({dict.__repr__(self)})"
        pct = f"{100 * self.confidence:g}%"
        metric = "error rate" if self.metric == "error_rate" else "MSE"
        lines = self._wrap(
            f"W2SForecast: {metric} with {pct} intervals; {self.n_labeled} "
            f"labeled and {self.n_unlabeled} unlabeled rows, {self.n_splits} "
            "folds", indent="")
        width = 26
        lines.append(f"  {'':<{width}}{'estimate':>9}  interval")
        rows = self._ROWS
        if self.metric == "error_rate":
            # the misfit decomposes the log-loss, not the error rate
            rows = [r for r in rows if r[0] not in ("misfit", "approximation_error")]
        for key, label in rows:
            self._row(lines, key, label, width)
        if self.metric == "error_rate" and self.get("log_loss"):
            ll = self.log_loss
            if not np.isfinite(self.misfit):
                lines += self._wrap(
                    "no log-loss decomposition: the teacher or the W2S student "
                    "has no predict_proba, so there is no KL misfit")
                ll = {}
            else:
                lines.append("  log-loss (what the KL misfit decomposes):")
            for key, label in (("teacher", "  teacher"), ("w2s", "  W2S student"),
                               ("supervised", "  supervised student")):
                if key in ll:
                    lines.append(
                        f"  {label:<{width}}{format_number(ll[key], 1e-2):>9}")
            for key, label in (("misfit", "  misfit (KL, label-free)"),
                               ("approximation_error", "  approximation")):
                if ll:
                    self._row(lines, key, label, width)
        for key, who in (("w2s_params", "W2S student"),
                         ("supervised_params", "supervised student")):
            if self.get(key):
                lines += self._wrap(f"{who} tuned: {self[key]}")
        lines += self._wrap(f"verdict: {self.sentence}")
        theory = self.get("theory")
        if theory is not None:
            ref = theory.teacher_mse / 100

            def num(value):
                return format_number(value, ref)

            lines += self._wrap(
                f"plug-in ridge theory, predicted test MSE: teacher "
                f"{num(theory.teacher_mse)}; W2S student "
                f"{num(theory.student_mse_at_alpha)} at its "
                f"alpha={format_number(theory.student_alpha)}, "
                f"{num(theory.best_student_mse)} at the grid's best "
                f"alpha={format_number(theory.best_student_alpha)}; supervised "
                f"student {num(theory.supervised_mse)} at its best alpha")
        elif self.get("theory_note"):
            lines += self._wrap(f"plug-in ridge theory: {self.theory_note}")
        return "\n".join(lines)

    def _row(self, lines, key, label, width):
        value = self.get(key)
        if value is None:
            return
        low, high = self.get(f"{key}_low"), self.get(f"{key}_high")
        ref = (high - low) / 4 if np.isfinite(high - low) else None
        lines.append(
            f"  {label:<{width}}{format_number(value, ref):>9}  "
            f"[{format_number(low, ref)}, {format_number(high, ref)}]"
        )

    def _repr_pretty_(self, p, cycle):  # IPython shows the table too
        p.text(repr(self))


# ------------------------------------------------------------- small blocks


def misfit_decomposition(y, teacher_pred, student_pred):
    """``(teacher_error, misfit, approximation, student_error)`` of squared
    errors on the same rows: ``student = teacher - misfit + approximation``
    exactly, with ``approximation = -2 mean((f_t - f_s)(f_s - y))``.

    For a student fit by least squares (no penalty) to the teacher on these
    rows, on a linear class that contains ``y`` (noiseless), the
    approximation is 0 up to rounding (the misfit identity).
    """
    y, t, s = (np.asarray(v, dtype=float) for v in (y, teacher_pred, student_pred))
    teacher = float(np.mean((t - y) ** 2))
    student = float(np.mean((s - y) ** 2))
    misfit = float(np.mean((s - t) ** 2))
    approximation = float(-2 * np.mean((t - s) * (s - y)))
    return teacher, misfit, approximation, student


def _kl_rows(p_teacher, teacher_classes, p_student, student_classes):
    """Per-row ``KL(p_teacher || p_student)``, classes aligned by value."""
    idx = np.searchsorted(student_classes, teacher_classes)
    idx = np.clip(idx, 0, student_classes.size - 1)
    found = student_classes[idx] == teacher_classes
    q = np.where(found, p_student[:, idx], 0.0)
    p = np.clip(p_teacher, 0.0, 1.0)
    q = np.clip(q, _EPS, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.clip(p, _EPS, 1.0)) - np.log(q)), 0.0)
    return terms.sum(axis=1)


def _log_loss_rows(model, X, y):
    """Per-row log-loss of a fitted classifier (NaN without predict_proba)."""
    if not hasattr(model, "predict_proba"):
        return np.full(y.shape[0], np.nan)
    p = np.asarray(model.predict_proba(X))
    classes = np.asarray(model.classes_)
    idx = np.clip(np.searchsorted(classes, y), 0, classes.size - 1)
    found = classes[idx] == y
    p_true = np.where(found, p[np.arange(p.shape[0]), idx], 0.0)
    return -np.log(np.clip(p_true, _EPS, 1.0))


def _interval(point, boot, q, correction):
    """Percentile interval of the bootstrap ``boot`` around ``point``, its
    half-widths scaled by ``sqrt(correction)`` (see :func:`forecast_w2s`)."""
    boot = boot[np.isfinite(boot)]
    if not np.isfinite(point) or boot.size < 2:
        return np.nan, np.nan
    lo, hi = np.quantile(boot, [q, 1 - q])
    s = math.sqrt(correction)
    return (float(point - s * max(point - lo, 0.0)),
            float(point + s * max(hi - point, 0.0)))


def _sentence(verdict, leader, diffs, metric, pct):
    lab = CONTENDER_LABELS
    parts = []
    for name, (d, lo, hi) in diffs.items():
        ref = (hi - lo) / 4
        parts.append(
            f"the {lab[name]} by {format_number(d, ref)} {metric} ({pct} "
            f"interval {format_number(lo, ref)} to {format_number(hi, ref)})"
        )
    if verdict != "undecided":
        return f"{lab[leader]} is forecast best: it beats " + " and ".join(parts)
    return (
        f"undecided: the {lab[leader]} leads " + " and ".join(parts)
        + "; an interval that contains 0 does not support a verdict"
    )


# ----------------------------------------------------------------- one fold


def _fit_fold(teacher, student, student_grid, supervised_grid, inner_scoring, X,
              lab_train, yl_tr, lab_test, yl_te, unl_train, unl_test, frozen,
              classification, random_state):
    """The per-row losses of one fold (see :func:`forecast_w2s`); the index
    arrays are rows of ``X``."""
    Xl_tr, Xl_te = _safe_indexing(X, lab_train), _safe_indexing(X, lab_test)
    w2s_cls = WeakToStrongClassifier if classification else WeakToStrongRegressor
    if student_grid is None:
        t = teacher if frozen else clone(teacher).fit(Xl_tr, yl_tr)
        w = w2s_cls(FrozenEstimator(t), clone(student), random_state=random_state)
        w.fit(_safe_indexing(X, unl_train), None)
    else:
        # the W2S student's hyperparameters chosen on held-out true labels of
        # the training fold (each inner fit retrains the teacher), never on
        # the pseudo-labels, as compare_w2s does
        rows = np.concatenate([lab_train, unl_train])
        if classification and yl_tr.dtype.kind in "iuf":
            # numeric classes keep their dtype (scorers cannot read object
            # arrays of numbers), with scikit-learn's -1 marker
            y_fit = np.concatenate([yl_tr, np.full(unl_train.size, -1)])
        elif classification:
            y_fit = np.empty(rows.size, dtype=object)
            y_fit[: lab_train.size] = list(yl_tr)
            y_fit[lab_train.size:] = None
        else:
            y_fit = np.concatenate([yl_tr, np.full(unl_train.size, np.nan)])
        search = tuned_w2s(
            w2s_cls(teacher, student, random_state=random_state), student_grid,
            scoring=inner_scoring, random_state=random_state, name="param_grid",
        ).fit(_safe_indexing(X, rows), y_fit)
        w = _fitted_w2s(search)
        t = w.teacher_
    sup = tuned(student, supervised_grid, scoring=inner_scoring,
                random_state=random_state, name="param_grid").fit(Xl_tr, yl_tr)
    params = (fitted_params(search if student_grid is not None else w),
              fitted_params(sup))
    models = {"teacher": t, "w2s": w, "supervised": sup}
    X_u = _safe_indexing(X, unl_test)
    out = {"params": params}
    if classification:
        out["loss"] = np.column_stack(
            [(np.asarray(models[k].predict(Xl_te)) != yl_te).astype(float)
             for k in CONTENDERS]
        )
        out["log_loss"] = np.column_stack(
            [_log_loss_rows(models[k], Xl_te, yl_te) for k in CONTENDERS]
        )
        if hasattr(t, "predict_proba") and hasattr(w, "predict_proba"):
            out["misfit"] = _kl_rows(
                np.asarray(t.predict_proba(X_u)), np.asarray(t.classes_),
                np.asarray(w.predict_proba(X_u)), np.asarray(w.classes_),
            )
        else:
            out["misfit"] = np.full(X_u.shape[0], np.nan)
    else:
        out["loss"] = np.column_stack(
            [(yl_te - np.asarray(models[k].predict(Xl_te), dtype=float)) ** 2
             for k in CONTENDERS]
        )
        out["misfit"] = (
            np.asarray(w.predict(X_u), dtype=float)
            - np.asarray(t.predict(X_u), dtype=float)
        ) ** 2
    return out


# ------------------------------------------------------------- ridge theory


def _ridge_parts(estimator):
    """``(head, final ridge, penalty_weights)`` of a ridge or of a pipeline of
    transformers ending in one, or None."""
    if _ridge_spec(estimator) is None:
        return None
    if isinstance(estimator, Pipeline):
        head = Pipeline(estimator.steps[:-1])
        last = estimator.steps[-1][1]
    else:
        head, last = None, estimator
    pw = getattr(last, "penalty_weights", None)
    return head, last, pw


def _same_head(a, b):
    if a is None or b is None:
        return a is None and b is None
    return repr(a) == repr(b)


def _theory(teacher, student, X, y, labeled, student_grid):
    """The plug-in deterministic equivalents, or ``(None, reason)``."""
    from ..theory import (
        estimate_problem,
        optimal_teacher_alpha,
        w2s_ridge_risk,
    )

    if isinstance(teacher, FrozenEstimator):
        return None, ("not for a frozen teacher (the theory needs the number of "
                      "rows and the alpha it was trained with)")
    tp, sp = _ridge_parts(teacher), _ridge_parts(student)
    if tp is None or sp is None:
        return None, ("only for a ridge teacher and a ridge student (WeightedRidge, "
                      "Ridge, or a pipeline of transformers ending in one)")
    if not _same_head(tp[0], sp[0]):
        return None, "the teacher and the student must see the same features"
    head = sp[0]
    try:
        Z = X if head is None else clone(head).fit_transform(X)
        Z = check_array(Z, dtype=float, accept_sparse=False, input_name="X")
    except (ValueError, TypeError) as exc:
        return None, f"the features are not a finite numeric array ({exc})"
    if Z.shape[1] > _MAX_THEORY_FEATURES:
        return None, f"skipped above {_MAX_THEORY_FEATURES} features"
    problem = estimate_problem(Z, y)  # NaN on the unlabeled rows
    n, m = int(labeled.sum()), int((~labeled).sum())
    t_alpha, s_alpha = float(tp[1].alpha), float(sp[1].alpha)
    scale = float(np.trace(problem.covariance)) / max(Z.shape[1], 1)
    alphas = None
    if student_grid is not None and len(student_grid) == 1:
        grid = student_grid[0]
        key = [k for k in grid if k == "alpha" or k.endswith("__alpha")]
        if len(key) == 1 and len(grid) == 1:
            alphas = np.sort(np.asarray(grid[key[0]], dtype=float))
    if alphas is None:
        alphas = max(scale, _EPS) * m * np.logspace(-4, 2, 25)
    kw = dict(covariance=problem.covariance, coef=problem.coef,
              noise=problem.noise)
    s2 = problem.noise**2
    res = w2s_ridge_risk(t_alpha, np.append(alphas, s_alpha), n_teacher=n,
                         n_student=m, teacher_penalty_weights=tp[2],
                         student_penalty_weights=sp[2], **kw)
    curve = np.asarray(res.student_risk, dtype=float) + s2
    teacher_mse = float(np.asarray(res.teacher_risk).ravel()[0] + s2)
    best = int(np.nanargmin(curve[:-1]))
    sup = optimal_teacher_alpha(n_samples=n, penalty_weights=sp[2], **kw)
    out = Bunch(
        student_alphas=alphas,
        student_mse=curve[:-1],
        student_alpha=s_alpha,
        student_mse_at_alpha=float(curve[-1]),
        best_student_alpha=float(alphas[best]),
        best_student_mse=float(curve[best]),
        teacher_alpha=t_alpha,
        teacher_mse=teacher_mse,
        supervised_alpha=float(sup.alpha),
        supervised_mse=float(sup.risk + s2),
        gain_possible=bool(curve[best] < teacher_mse),
        beats_supervised=bool(curve[best] < sup.risk + s2),
        problem=problem,
    )
    return out, ""


# ------------------------------------------------------------------ public


def _check_forecast_target(teacher, X, y):
    """``(y, labeled, classification)``: class labels with the package's
    markers of an unlabeled row, or a regression target with NaN on them."""
    classification = is_classifier(teacher)
    n_rows = _num_samples(X)
    if not classification:
        y = _validate_w2s_target(y, n_rows, owner="forecast_w2s")
        return y, ~np.isnan(y), False
    y = _label_values(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D class labels; got shape {y.shape}.")
    if y.shape[0] != n_rows:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: X has {n_rows} rows, "
            f"y has {y.shape[0]}."
        )
    return y, ~_unlabeled_mask(y), True


@validate_params(
    {
        "teacher": [HasMethods(["fit", "predict"])],
        "student": [HasMethods(["fit", "predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "param_grid": [dict, list, None],
        "cv": [Interval(Integral, 2, None, closed="left"), None],
        "n_bootstrap": [Interval(Integral, 20, None, closed="left")],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def forecast_w2s(
    teacher,
    student,
    X,
    y,
    *,
    param_grid=None,
    cv=None,
    n_bootstrap=200,
    confidence=0.9,
    random_state=None,
):
    r"""Forecast whether weak-to-strong training will help, with intervals.

    Before the student is trained on all the teacher's labels, estimates the
    test error of the teacher, of the weak-to-strong (W2S) student and of the
    *supervised student* (the student trained on the labeled rows, tuned for
    them), and says which one to use, or that the labels cannot tell yet.
    Rows whose ``y`` is NaN (regression) or ``-1``/NaN/None/``pd.NA``
    (classification) are the unlabeled rows.

    Read more in the :ref:`User Guide <forecast_w2s>`.

    Parameters
    ----------
    teacher : estimator object
        The teacher, trained on the labeled rows (a clone, in each fold), or a
        :class:`~sklearn.frozen.FrozenEstimator` used as trained.

    student : estimator object
        The student, trained on the teacher's labels of the unlabeled rows as
        :class:`~skw2s.WeakToStrongRegressor` or
        :class:`~skw2s.WeakToStrongClassifier` train it (soft labels for a
        classifier teacher with ``predict_proba``).

    X : array-like of shape (n_samples, n_features)
        All rows, labeled and unlabeled.

    y : array-like of shape (n_samples,)
        Targets, or class labels, with unlabeled rows marked.

    param_grid : dict or list of dict, default=None
        Candidate hyperparameters of the student (``GridSearchCV``'s format,
        the student's own names), tuned for each role inside every training
        fold: the supervised student on its labeled rows, the W2S student on
        held-out **true** labels of the training fold (each inner fit
        retrains the teacher; as :func:`compare_w2s` does), never on the
        teacher's labels. None: the W2S student as given (a self-tuning
        student, such as :class:`~sklearn.linear_model.RidgeCV`, tunes itself
        on the teacher's labels), and the supervised student as given too,
        except that a fixed ridge student (:class:`~skw2s.WeightedRidge`,
        :class:`~sklearn.linear_model.Ridge` or a pipeline ending in one) gets
        its own ``alpha`` for the labeled rows, by exact leave-one-out over
        ``np.logspace(-5, 7, 25)``: an alpha chosen for many pseudo-labeled
        rows is too strong for a few labeled ones, and the supervised student
        is the baseline to beat.

    cv : int, default=None
        Number of folds of the labeled rows (stratified for class labels),
        and of the unlabeled rows, paired. None: 10, or fewer when the labeled
        rows (or the smallest class), or the unlabeled rows (two per fold), do
        not allow it. More folds train each
        fold's models on more of the rows, so the forecast is closer to the
        models trained on all of them (see the Notes).

    n_bootstrap : int, default=200
        Bootstrap resamples of the labeled and of the unlabeled rows behind
        the intervals (at least 20).

    confidence : float, default=0.9
        Level of the two-sided intervals.

    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the student's inner folds and the bootstrap.

    Returns
    -------
    forecast : W2SForecast
        A dict with attribute access (its ``repr`` is a table) holding, each
        with ``*_low`` and ``*_high`` interval ends:

        - ``teacher_error``: the teacher's test error, cross-fitted on the
          labeled rows (the frozen teacher's error on all of them);
        - ``misfit``: the mean squared difference between the W2S student and
          its teacher (regression) or the mean ``KL(teacher || student)``
          (classification), on unlabeled rows held out from the student's
          training, with no label;
        - ``approximation_error``: ``student_error - (teacher_error -
          misfit)`` in the misfit's loss (the log-loss for classifiers),
          measured on the labeled rows: 0 when the student class contains the
          target and the student is the least-squares (or KL) projection of
          its teacher, positive when it cannot represent what the teacher got
          right, negative when it also smooths the teacher's errors;
        - ``student_error``: the W2S student's error, ``teacher_error -
          misfit + approximation_error`` (for classifiers the error rate;
          the log-loss decomposition is in ``log_loss``);
        - ``supervised_error``: the supervised student's, cross-validated;
        - ``gain_vs_teacher`` and ``gain_vs_supervised``: the paired
          differences ``teacher_error - student_error`` and
          ``supervised_error - student_error`` (positive when W2S helps);
        - ``verdict``: ``"w2s"``, ``"supervised"``, ``"teacher"`` or
          ``"undecided"``; ``leader`` (lowest forecast error) and
          ``sentence`` (the verdict in words, with the intervals);
        - ``w2s_params`` and ``supervised_params``: the hyperparameters each
          student ended with, over the folds (``""`` for a fixed one);
        - ``metric`` (``"mse"`` or ``"error_rate"``), ``confidence``,
          ``n_labeled``, ``n_unlabeled``, ``n_splits``;
        - ``log_loss`` (classifiers, else None): a dict of the contenders'
          cross-validated log-losses (NaN for a model without
          ``predict_proba``; then ``misfit`` and ``approximation_error`` are
          NaN too, and the table says why);
        - ``theory``: for a ridge teacher and a ridge student (not frozen;
          :class:`~skw2s.WeightedRidge`, :class:`~sklearn.linear_model.Ridge`
          or a pipeline of transformers ending in one, the same transformers
          for both), the plug-in deterministic equivalents from
          :func:`skw2s.theory.estimate_problem` on all rows: ``student_alphas``
          and ``student_mse`` (the predicted test MSE of the W2S student over
          its alpha), ``student_mse_at_alpha`` (at the student's own
          ``alpha``), ``best_student_alpha``, ``best_student_mse``,
          ``teacher_mse``, ``supervised_alpha``, ``supervised_mse`` (the
          optimally tuned ridge on the labeled rows), ``gain_possible`` (some
          student alpha beats the teacher), ``beats_supervised`` and
          ``problem`` (the estimates); None otherwise, with the reason in
          ``theory_note``.

    See Also
    --------
    compare_w2s : The report after training: every contender cross-validated.
    W2SForecastDisplay : The forecast against the realized errors.
    skw2s.theory.estimate_problem : The plug-in estimates of the theory.

    Notes
    -----
    **Decomposition.** For the squared loss, with :math:`f_t` the teacher and
    :math:`f_s` the student,

    .. math::

        E(f_t - y)^2 = E(f_s - y)^2 + E(f_s - f_t)^2 + 2 E[(f_t - f_s)(f_s - y)],

    so ``student = teacher - misfit + approximation`` with the approximation
    term :math:`-2E[(f_t - f_s)(f_s - y)]`. It is 0 when the student is the
    least-squares projection of the teacher on a linear (or convex, then
    :math:`\le 0`) class that contains the target (Charikar, Pabbaraju &
    Shiragur, 2024); for the log-loss the misfit is the KL divergence
    (Mulgund & Pabbaraju, 2025). The misfit is measured with no label on many
    rows; the approximation term is what the labeled rows must tell.

    **Folds.** The labeled rows and the unlabeled rows are split into the
    same number ``K`` of folds, paired. In fold ``k`` the teacher is trained
    on the other labeled folds (a frozen teacher is used as is), labels the
    other unlabeled folds, and the student is trained on them; the teacher,
    the W2S student and the supervised student (trained on the teacher's
    rows) are scored on the held-out labeled fold, the misfit on the
    held-out unlabeled fold. The cost is about that of one
    :func:`compare_w2s` call with ``cv=K`` (twice one at its default of 5
    folds for the default ``K = 10``).

    **Intervals and verdict.** The intervals are bootstrap percentile
    intervals (rows of the labeled and of the unlabeled rows resampled
    independently, ``n_bootstrap`` times) whose half-widths are multiplied by
    :math:`\sqrt{1 + K/(K-1)}`, the Nadeau & Bengio (2003) correction for the
    overlap of the training sets of a K-fold cross-validation (the same
    factor as :func:`compare_w2s`'s verdict). It is not applied where no
    model depends on the labeled rows: with a frozen teacher and no
    ``param_grid``, its error, the W2S student's (trained on its labels of
    unlabeled rows only), the misfit and their differences. The intervals
    of errors stop at 0. The percentile interval follows the skew of
    heavy-tailed losses. The *leader* is the contender
    with the lowest forecast error; the verdict names it only when the
    interval of its paired difference with **each** other contender excludes
    0, and is ``"undecided"`` otherwise: never a verdict that the intervals
    do not support. Marginal intervals of the errors can overlap while a
    paired difference is clear, because the contenders err on the same rows.

    **Abstention.** The forecast is for the models trained on about
    ``(K-1)/K`` of the rows: when the error still falls steeply with more
    rows (e.g. a teacher with barely more labeled rows than features) it is
    pessimistic for all three contenders. It abstains (``"undecided"``) when the labeled
    rows cannot separate the contenders. The plug-in theory assumes Gaussian
    rows, a linear target with an isotropic prior in the feature basis and
    Gaussian noise (see :func:`skw2s.theory.estimate_problem`); it is
    reported beside the data-driven forecast and does not enter the verdict.

    References
    ----------
    .. [1] M. Charikar, C. Pabbaraju and K. Shiragur, "Quantifying the gain in
       weak-to-strong generalization", NeurIPS 2024, arXiv:2405.15116.
    .. [2] A. Mulgund and C. Pabbaraju, "Relating misfit to gain in
       weak-to-strong generalization beyond the squared loss",
       arXiv:2501.19105.
    .. [3] C. Nadeau and Y. Bengio, "Inference for the generalization error",
       Machine Learning 52, 2003.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skw2s.model_selection import forecast_w2s
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(600, 20))
    >>> y = X @ rng.normal(size=20) / 4 + rng.normal(size=600)
    >>> y[100:] = np.nan  # 100 labeled rows, 500 unlabeled
    >>> f = forecast_w2s(Ridge(alpha=1e-3), Ridge(alpha=50.0), X, y,
    ...                  random_state=0)
    >>> f.verdict in {"w2s", "supervised", "teacher", "undecided"}
    True
    >>> bool(f.student_error_low <= f.student_error <= f.student_error_high)
    True
    """
    if not hasattr(X, "iloc") and not hasattr(X, "shape"):
        X = np.asarray(X)
    if np.ndim(X) != 2:
        raise ValueError(
            f"X must be 2-D (n_samples, n_features); got {np.ndim(X)} dimension(s)."
        )
    y, labeled, classification = _check_forecast_target(teacher, X, y)
    frozen = isinstance(teacher, FrozenEstimator)
    if classification != is_classifier(student):
        raise ValueError(
            "teacher and student must both be classifiers or both regressors; "
            f"got a {'classifier' if classification else 'regressor'} teacher "
            f"and a {'classifier' if is_classifier(student) else 'regressor'} "
            "student."
        )
    lab_idx = np.flatnonzero(labeled)
    unl_idx = np.flatnonzero(~labeled)
    n, m = lab_idx.size, unl_idx.size
    k = 10 if cv is None else int(cv)
    if n < 4:
        raise ValueError(
            f"y has {n} labeled rows; the forecast cross-validates on them and "
            "needs at least 4."
        )
    if m < 4:
        raise ValueError(
            f"y marks {m} rows as unlabeled; the forecast trains the student on "
            "the teacher's labels of some folds of them and measures the misfit "
            "on the others, and needs at least 4 (mark unlabeled rows with NaN, "
            "or -1/None for class labels)."
        )
    if cv is None:
        k = min(k, m // 2)  # at least two unlabeled rows per fold
    elif m < 2 * k:
        raise ValueError(
            f"cv={k} folds need at least {2 * k} unlabeled rows (two per fold); "
            f"y marks {m}. Give fewer folds."
        )
    student_grid = check_param_grid(param_grid, "param_grid")
    y_lab = _as_label_array(y[lab_idx]) if classification else y[lab_idx]
    rng = check_random_state(random_state)
    seed = int(rng.randint(np.iinfo(np.int32).max))
    splitter = _InnerKFold(k, classifier=classification, random_state=seed)
    lab_folds = list(splitter.split(np.zeros((n, 1)), y_lab))
    k = len(lab_folds)
    unl_folds = list(KFold(k, shuffle=True, random_state=seed).split(unl_idx))
    inner = "accuracy" if classification else "neg_mean_squared_error"
    supervised_grid = student_grid
    spec = None if classification else _ridge_spec(student)
    if supervised_grid is None and spec is not None:
        # a fixed ridge student: the supervised student still gets its own
        # alpha for the labeled rows (exact leave-one-out along one path)
        supervised_grid = [{spec[2]: list(_SUPERVISED_ALPHAS)}]
    per_fold = []
    loss = np.full((n, 3), np.nan)
    log_loss = np.full((n, 3), np.nan) if classification else None
    misfit = np.full(m, np.nan)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for (l_tr, l_te), (u_tr, u_te) in zip(lab_folds, unl_folds, strict=True):
            res = _fit_fold(
                teacher, student, student_grid, supervised_grid, inner, X,
                lab_idx[l_tr], y_lab[l_tr], lab_idx[l_te], y_lab[l_te],
                unl_idx[u_tr], unl_idx[u_te], frozen, classification, seed,
            )
            loss[l_te] = res["loss"]
            if classification:
                log_loss[l_te] = res["log_loss"]
            misfit[u_te] = res["misfit"]
            per_fold.append(res["params"])
    for category, message in dict.fromkeys((w.category, str(w.message))
                                           for w in caught):
        warnings.warn(message, category, stacklevel=2)

    # the decomposition's loss: the MSE, or the log-loss for classifiers
    dec = loss if not classification else log_loss
    c_lab = kfold_correction(k)
    q = (1 - confidence) / 2

    def stats(L, D, M):
        T, S, P = np.nanmean(L, axis=0)
        Td, Sd = np.nanmean(D[:, 0]), np.nanmean(D[:, 1])
        mis = np.nanmean(M) if np.isfinite(M).any() else np.nan
        return {
            "teacher_error": T, "student_error": S, "supervised_error": P,
            "misfit": mis, "approximation_error": Sd - (Td - mis),
            "gain_vs_teacher": T - S, "gain_vs_supervised": P - S,
            "d_teacher_w2s": T - S, "d_supervised_w2s": P - S,
            "d_teacher_supervised": T - P,
        }

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        point = stats(loss, dec, misfit)
        boot = {key: np.empty(n_bootstrap) for key in point}
        for b in range(n_bootstrap):
            il = rng.randint(n, size=n)
            iu = rng.randint(m, size=m)
            for key, v in stats(loss[il], dec[il], misfit[iu]).items():
                boot[key][b] = v
    out = W2SForecast()
    for key, value in point.items():
        # a frozen teacher, and a student trained on its labels of unlabeled
        # rows only (not tuned on true labels), depend on no labeled row: no
        # training-overlap correction
        label_free = frozen and student_grid is None and "supervised" not in key
        lo, hi = _interval(value, boot[key], q, 1.0 if label_free else c_lab)
        if key in _NON_NEGATIVE:
            lo = max(lo, 0.0)
        if not key.startswith("d_"):
            out[key] = float(value)
            out[f"{key}_low"], out[f"{key}_high"] = lo, hi
        else:
            point[key] = (float(value), lo, hi)
    # the verdict: the leader must beat every other contender, interval > 0
    errors = {"teacher": point["teacher_error"], "w2s": point["student_error"],
              "supervised": point["supervised_error"]}
    leader = min(CONTENDERS, key=lambda c: (errors[c], CONTENDERS.index(c)))
    pair = {
        ("teacher", "w2s"): "d_teacher_w2s",
        ("supervised", "w2s"): "d_supervised_w2s",
        ("teacher", "supervised"): "d_teacher_supervised",
    }
    diffs = {}
    for other in CONTENDERS:
        if other == leader:
            continue
        if (other, leader) in pair:
            d, lo, hi = point[pair[(other, leader)]]
        else:
            d, lo, hi = point[pair[(leader, other)]]
            d, lo, hi = -d, -hi, -lo
        diffs[other] = (d, lo, hi)
    decided = all(np.isfinite(lo) and lo > 0 for _, lo, _ in diffs.values())
    verdict = leader if decided else "undecided"
    metric = "error rate" if classification else "MSE"
    pct = f"{100 * confidence:g}%"
    out.update(
        verdict=verdict,
        leader=leader,
        sentence=_sentence(verdict, leader, diffs, metric, pct),
        metric="error_rate" if classification else "mse",
        confidence=float(confidence),
        n_labeled=int(n),
        n_unlabeled=int(m),
        n_splits=int(k),
        log_loss=(
            {c: float(np.mean(log_loss[:, i])) if np.isfinite(log_loss[:, i]).all()
             else np.nan for i, c in enumerate(CONTENDERS)}
            if classification else None
        ),
        w2s_params=summarize_params([p[0] for p in per_fold]),
        supervised_params=summarize_params([p[1] for p in per_fold]),
        theory=None,
        theory_note="",
    )
    if classification:
        out.theory_note = "only for regression"
    else:
        theory, note = _theory(teacher, student, X, y, labeled, student_grid)
        out.theory, out.theory_note = theory, note
    return out
