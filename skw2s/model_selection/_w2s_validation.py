"""Cross-validation of weak-to-strong estimators against teacher and ceiling."""

import time
import warnings
from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import get_scorer, get_scorer_names, mean_squared_error
from sklearn.model_selection import GridSearchCV
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _make_indexable,
    _num_samples,
    column_or_1d,
    has_fit_parameter,
)

from .._split import LabeledSplit
from .._validation import (
    _as_label_array,
    _check_alphas,
    _unlabeled_mask,
    _validate_w2s_target,
)
from .._weak_to_strong import WeakToStrongRegressor
from ._tuning import check_param_grid, fitted_params, tuned, tuned_w2s
from ._verdict import decide, kfold_correction

__all__ = ["LabeledSplit", "cross_validate_w2s"]


#: The models scored on each fold, in report order.
ROLES = ("teacher", "student", "supervised", "pseudo_true", "ceiling")

#: The contenders of the verdict unless told otherwise (the ceiling, trained
#: on labels the others never see, is a reference, not a contender).
DEFAULT_CONTENDERS = ("teacher", "w2s", "supervised")


def _check_scoring(scoring):
    """``{name: scorer}`` for ``scoring``, or None for the default MSE."""
    if scoring is None:
        return None
    if callable(scoring):
        return {"score": scoring}
    if isinstance(scoring, str):
        return {scoring: get_scorer(scoring)}
    if isinstance(scoring, dict):
        if not scoring:
            raise ValueError("scoring is an empty dict; give at least one scorer.")
        out = {}
        for name, value in scoring.items():
            if not isinstance(name, str):
                raise ValueError(f"scoring dict keys must be str; got {name!r}.")
            if isinstance(value, str):
                value = get_scorer(value)
            elif not callable(value):
                raise ValueError(
                    f"scoring[{name!r}] must be a scorer name or a callable "
                    f"scorer(estimator, X, y); got {value!r}."
                )
            out[name] = value
        return out
    names = list(scoring)
    if not names or not all(isinstance(n, str) for n in names):
        raise ValueError(
            "scoring must be None, a scorer name, a callable, a dict of them, or "
            f"a non-empty list of scorer names; got {scoring!r}."
        )
    if len(set(names)) != len(names):
        raise ValueError(f"scoring lists a scorer twice: {names!r}.")
    return {n: get_scorer(n) for n in names}


#: The report's name of each role (the verdict and compare_w2s's columns).
CONTENDER = {
    "teacher": "teacher",
    "student": "w2s",
    "supervised": "supervised",
    "pseudo_true": "pseudo_true",
    "ceiling": "ceiling",
}

#: Metrics whose value is a mean over the test rows of a per-row loss (up to
#: sign and a per-fold constant), so that the verdict can pair the contenders
#: row by row on the out-of-fold predictions of every labeled row. Others
#: (ROC AUC, callables, ...) are paired fold by fold.
_ROW_METRICS = {
    "mse", "accuracy", "neg_mean_squared_error", "r2", "neg_mean_absolute_error",
    "neg_log_loss",
}


def _fit_rows(model, X_tr, y_tr, rows, sw, weighted):
    """A clone of ``model`` fit on rows ``rows`` of the fold with true labels."""
    est = clone(model)
    kw = {}
    if sw is not None and weighted:
        kw["sample_weight"] = _safe_indexing(sw, rows)
    y_rows = y_tr[rows]
    if y_rows.dtype.kind == "O":  # class labels of an object y with None markers
        y_rows = _as_label_array(y_rows)
    return est.fit(_safe_indexing(X_tr, rows), y_rows, **kw)


def _fitted_w2s(model):
    """The fitted weak-to-strong estimator inside a (fitted) search."""
    return getattr(model, "best_estimator_", model)


def _setup(estimator, param_grids, inner_scoring, name="estimator"):
    """What each fold fits, from a weak-to-strong estimator (or a search of one).

    Returns a Bunch: ``model`` (the W2S contender as fit on a training fold:
    it tunes its student on held-out true labels if asked), ``template`` (the
    plain weak-to-strong estimator), ``student`` and ``student_grid`` (the
    student and the grid that the supervised student, the ceiling and the
    pseudo+true student are tuned over), ``pseudo_true`` (the pseudo+true
    contender as fit on a training fold, or None when the estimator has no
    ``student_targets``) and ``inner_scoring``.
    """
    from .._weak_to_strong_cv import (
        WeakToStrongRegressorCV,
        _alpha_param_name,
        _path_plan,
    )

    grids = dict(param_grids or {})
    unknown = set(grids) - {"teacher", "student"}
    if unknown:
        raise ValueError(
            f"param_grids keys must be 'teacher' and/or 'student'; got "
            f"{sorted(unknown)}."
        )
    student_grid = check_param_grid(grids.get("student"), "param_grids['student']")
    teacher_grid = check_param_grid(grids.get("teacher"), "param_grids['teacher']")
    searched = None  # the grid of a search the user passed as the estimator
    if isinstance(estimator, WeakToStrongRegressorCV):
        p = estimator.get_params(deep=False)
        student = estimator._student()
        plan = _path_plan(student)
        alpha_name = plan[2] if plan is not None else _alpha_param_name(student)
        searched = [{alpha_name: list(_check_alphas(p["alphas"]))}]
        template = WeakToStrongRegressor(
            p["teacher"], student, teacher_size=p["teacher_size"], cv=p["teacher_cv"],
            random_state=p["random_state"],
        )
    elif isinstance(estimator, GridSearchCV) and _is_w2s(estimator.estimator):
        grid = estimator.param_grid
        grid = grid if isinstance(grid, list | tuple) else [grid]
        if not all(k.startswith("student__") for g in grid for k in g):
            raise ValueError(
                f"{name} is a GridSearchCV over a weak-to-strong estimator; only "
                "its student's parameters ('student__...') can be searched in "
                f"the report; got {sorted({k for g in grid for k in g})}."
            )
        searched = [
            {k[len("student__"):]: list(v) for k, v in g.items()} for g in grid
        ]
        template = estimator.estimator
    elif _is_w2s(estimator):
        template = estimator
    else:
        raise TypeError(
            f"{name} must be a weak-to-strong estimator with teacher and student "
            "parameters (e.g. skw2s.WeakToStrongRegressor), or a search over "
            f"one's student; got {type(estimator).__name__}."
        )
    if searched is not None and student_grid is not None:
        raise ValueError(
            f"{name} already searches the student's parameters; a student grid "
            "in param_grids is for a plain weak-to-strong estimator."
        )
    teacher = template.get_params(deep=False)["teacher"]
    if teacher_grid is not None:
        if isinstance(teacher, FrozenEstimator):
            raise ValueError(
                "param_grids has a grid for a FrozenEstimator teacher, which is "
                "used as trained and cannot be tuned."
            )
        teacher = tuned(teacher, teacher_grid, scoring=inner_scoring,
                        name="param_grids['teacher']")
        template = clone(template).set_params(teacher=teacher)
        if searched is not None:
            estimator = clone(estimator)
            target = estimator if not isinstance(estimator, GridSearchCV) else (
                estimator.estimator
            )
            target.set_params(teacher=teacher)
    if searched is not None:
        model = clone(estimator)
        student_grid = searched
    else:
        model = tuned_w2s(template, student_grid, scoring=inner_scoring,
                          name="param_grids['student']")
    pseudo_true = None
    if "student_targets" in template.get_params(deep=False):
        pseudo_true = tuned_w2s(
            clone(template).set_params(student_targets="pseudo+true"),
            student_grid, scoring=inner_scoring, name="param_grids['student']",
        )
    return Bunch(
        model=model,
        template=template,
        student=template.get_params(deep=False)["student"],
        student_grid=student_grid,
        pseudo_true=pseudo_true,
        inner_scoring=inner_scoring,
    )


def _is_w2s(estimator):
    params = getattr(estimator, "get_params", lambda deep=False: {})(deep=False)
    return "teacher" in params and "student" in params


def _predictions(models, X_te, need_proba):
    out = {}
    for role, m in models.items():
        if m is None:
            out[role] = None
            continue
        pred = np.asarray(m.predict(X_te))
        proba = None
        if need_proba and hasattr(m, "predict_proba"):
            proba = (np.asarray(m.predict_proba(X_te)), _model_classes(m))
        out[role] = (pred, proba)
    return out


def _model_classes(model):
    classes = getattr(model, "classes_", None)
    return None if classes is None else np.asarray(classes)


def _row_losses(name, pred, y_te, classification):
    """Per-row losses of one model on the test rows whose mean (up to a per-fold
    constant) is the metric's difference, or None for other metrics."""
    if pred is None:
        return np.full(y_te.shape[0], np.nan)
    labels, proba = pred
    if name == "accuracy":
        return (labels != y_te).astype(float)
    if name == "neg_log_loss":
        if proba is None or proba[1] is None:
            return np.full(y_te.shape[0], np.nan)
        p, classes = proba
        idx = np.searchsorted(classes, y_te)
        idx = np.clip(idx, 0, classes.size - 1)
        found = classes[idx] == y_te
        p_true = np.where(found, p[np.arange(p.shape[0]), idx], 0.0)
        return -np.log(np.clip(p_true, np.finfo(p.dtype).eps, 1.0))
    labels = np.asarray(labels, dtype=float).reshape(y_te.shape)
    err = y_te - labels
    if name == "neg_mean_absolute_error":
        return np.abs(err).reshape(err.shape[0], -1).mean(axis=1)
    sq = (err**2).reshape(err.shape[0], -1).mean(axis=1)
    if name == "r2":
        # the fold's R^2 is 1 - mean(sq) / var(y_te): per row sq / var(y_te)
        var = np.var(y_te)
        return sq / var if var > 0 else np.full(sq.shape, np.nan)
    return sq  # "mse" and "neg_mean_squared_error"


def _fit_and_score_w2s(
    setup, X, y, train, test, params, scorers, return_estimator,
    pseudo_true=False,
):
    """Fit one fold; score teacher, W2S student, supervised student, (the
    pseudo+true student) and ceiling on the test rows.

    ``result["goodness"][name]`` holds, per role, a greater-is-better value
    (minus the MSE for the default metric) used for the PGR and the margins;
    ``result["row_losses"][name]`` the per-row losses of each role on the
    test rows (for the metrics of ``_ROW_METRICS``); ``result["notes"]`` the
    warnings of the fold (re-issued once per call by the caller).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _fold(setup, X, y, train, test, params, scorers,
                       return_estimator, pseudo_true)
    result["notes"] += [(w.category, str(w.message)) for w in caught]
    return result


def _fold(setup, X, y, train, test, params, scorers, return_estimator, pseudo_true):
    X_tr, y_tr = _safe_indexing(X, train), y[train]
    X_te, y_te = _safe_indexing(X, test), y[test]
    fit_params = _check_method_params(X, params, indices=train)
    sw = fit_params.get("sample_weight")
    weighted = sw is not None and has_fit_parameter(setup.student, "sample_weight")
    notes = []
    start = time.perf_counter()
    w2s = clone(setup.model).fit(X_tr, y_tr, **fit_params)
    fit_time = time.perf_counter() - start
    fitted = _fitted_w2s(w2s)

    classification = is_classifier(fitted)
    if classification:
        labeled_tr = ~_unlabeled_mask(y_tr)
        y_te = _as_label_array(y_te)
    else:
        labeled_tr = np.isfinite(y_tr) if y_tr.ndim == 1 else np.isfinite(y_tr).all(1)
    frozen = isinstance(fitted.teacher, FrozenEstimator)
    models = {"teacher": fitted.teacher_, "student": w2s}
    # the supervised student: the student, tuned for its rows, on the true
    # labels the teacher saw (with a frozen teacher: every labeled row)
    sup_mask = labeled_tr if frozen else fitted.teacher_rows_ & labeled_tr
    sup_model = tuned(setup.student, setup.student_grid,
                      scoring=setup.inner_scoring)
    sup_rows = np.flatnonzero(sup_mask)
    models["supervised"] = (
        _fit_rows(sup_model, X_tr, y_tr, sup_rows, sw, weighted)
        if sup_rows.size else None
    )
    if models["supervised"] is None:
        notes.append((UndefinedMetricWarning, (
            "A training fold has no labeled row, so there is no supervised "
            "student there: its scores are NaN. Give more labeled rows or "
            "fewer folds."
        )))
    if pseudo_true:
        models["pseudo_true"] = None
        if setup.pseudo_true is not None:
            models["pseudo_true"] = clone(setup.pseudo_true).fit(
                X_tr, y_tr, **fit_params
            )
    # the ceiling: the student on true labels of its own rows that nobody
    # else was trained on (labels hidden from the W2S student)
    ceil_mask = fitted.student_rows_ & labeled_tr & ~sup_mask
    ceiling_rows = np.flatnonzero(ceil_mask)
    models["ceiling"] = (
        _fit_rows(sup_model, X_tr, y_tr, ceiling_rows, sw, weighted)
        if ceiling_rows.size else None
    )
    if models["ceiling"] is None:
        if frozen:
            why = (
                "with a frozen teacher every labeled row trains the supervised "
                "student, and no other student row has a true label"
            )
        elif (fitted.student_rows_ & labeled_tr).any():
            why = (
                "the student's labeled rows are the teacher's own rows "
                "(cross-fitting), whose labels the supervised student uses"
            )
        else:
            why = "the student's rows are all unlabeled"
        notes.append((UndefinedMetricWarning, (
            f"The ceiling cannot be trained: {why}. The ceiling's scores and "
            "the PGR are NaN; the verdict compares the other contenders."
        )))

    start = time.perf_counter()
    result = {
        "fit_time": fit_time,
        "n_teacher_rows": int(fitted.teacher_rows_.sum()),
        "n_student_rows": int(fitted.student_rows_.sum()),
        "n_supervised_rows": int(sup_rows.size),
        "n_ceiling_rows": int(ceiling_rows.size),
    }
    kinds = getattr(setup, "row_kinds", None) or {}
    need_proba = "neg_log_loss" in kinds.values()
    preds = _predictions(models, X_te, need_proba)
    goodness, row_losses = {}, {}
    if scorers is None and classification:
        # the default metric of a classifier: accuracy; the PGR on 1 - accuracy
        losses = {r: _row_losses("accuracy", p, y_te, True) for r, p in preds.items()}
        acc = {r: float(1.0 - np.mean(v)) for r, v in losses.items()}
        for role, value in acc.items():
            result[f"test_{role}_accuracy"] = value
        goodness["accuracy"] = acc
        row_losses["accuracy"] = losses
        result["test_pgr"] = _pgr(acc["teacher"], acc["student"], acc["ceiling"])
    elif scorers is None:
        width = 1 if y_te.ndim == 1 else y_te.shape[1]
        raw = {}
        for role, p in preds.items():
            if p is None:
                raw[role] = np.full(width, np.nan)
                continue
            pred = np.asarray(p[0], dtype=float).reshape(y_te.shape)
            raw[role] = np.atleast_1d(
                mean_squared_error(y_te, pred, multioutput="raw_values")
            )
        for role, value in raw.items():
            result[f"test_{role}_mse"] = float(np.mean(value))
        goodness["mse"] = {role: -result[f"test_{role}_mse"] for role in models}
        row_losses["mse"] = {
            r: _row_losses("mse", p, y_te, False) for r, p in preds.items()
        }
        g = goodness["mse"]
        result["test_pgr"] = _pgr(g["teacher"], g["student"], g["ceiling"])
        if y_te.ndim == 2:
            for role, value in raw.items():
                result[f"test_{role}_mse_per_target"] = value
            result["test_pgr_per_target"] = _pgr(
                -raw["teacher"], -raw["student"], -raw["ceiling"]
            )
    else:
        for name, scorer in scorers.items():
            goodness[name] = {}
            for role, m in models.items():
                value = np.nan if m is None else float(scorer(m, X_te, y_te))
                result[f"test_{role}_{name}"] = value
                goodness[name][role] = value
            if kinds.get(name) is not None:
                row_losses[name] = {
                    r: _row_losses(kinds[name], p, y_te, classification)
                    for r, p in preds.items()
                }
            g = goodness[name]
            pgr = _pgr(g["teacher"], g["student"], g["ceiling"])
            result["test_pgr" if len(scorers) == 1 else f"test_pgr_{name}"] = pgr
    result["score_time"] = time.perf_counter() - start
    result["goodness"] = goodness
    result["row_losses"] = row_losses
    result["test_index"] = np.asarray(test)
    result["params"] = {
        role: fitted_params(m) if m is not None else {}
        for role, m in models.items()
    }
    # the teacher's own choices, not its W2S student's
    result["params"]["teacher"] = fitted_params(fitted.teacher_)
    result["notes"] = notes
    if return_estimator:
        result["estimator"] = fitted
        result["supervised"] = models["supervised"]
        result["ceiling"] = models["ceiling"]
    return result


def _pgr(teacher, student, ceiling):
    """PGR from greater-is-better values (elementwise; NaN where the ceiling is
    no better than the teacher)."""
    teacher, student, ceiling = (np.asarray(v, dtype=float)
                                 for v in (teacher, student, ceiling))
    gap = ceiling - teacher
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(gap > 0, (student - teacher) / gap, np.nan)
    return float(out) if out.ndim == 0 else out


def _se(values):
    """Standard error of the mean of the finite ``values`` (NaN if < 2)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return np.nan
    return float(values.std(ddof=1) / np.sqrt(values.size))


def _metric_label(name):
    return {"mse": "MSE", "accuracy": "accuracy", "r2": "R^2"}.get(name, name)


def _summary(goodness, sign, losses, n_labeled, n_splits, contenders, name):
    """Means, standard errors, the two PGRs, the W2S-vs-supervised margin and
    the verdict.

    ``goodness`` maps each role to its per-fold greater-is-better values;
    ``sign`` is -1 for the MSE (reported as an error) and +1 for a score;
    ``losses`` maps each role to its per-row out-of-fold losses (None: the
    verdict pairs the folds).
    """
    g = {role: np.asarray(v, dtype=float) for role, v in goodness.items()}
    out = {}
    for role, v in g.items():
        out[role] = float(sign * v.mean())
        out[f"{role}_se"] = _se(v)
    num = g["student"] - g["teacher"]
    den = g["ceiling"] - g["teacher"]
    ratio = _pgr(g["teacher"].mean(), g["student"].mean(), g["ceiling"].mean())
    out["pgr_of_means"] = ratio
    # delta method for a ratio of means, over the folds
    out["pgr_of_means_se"] = (
        _se((num - ratio * den) / den.mean()) if np.isfinite(ratio) else np.nan
    )
    fold_pgrs = _pgr(g["teacher"], g["student"], g["ceiling"])
    finite = np.isfinite(fold_pgrs)
    out["mean_of_fold_pgrs"] = (
        float(fold_pgrs[finite].mean()) if finite.any() else np.nan
    )
    out["mean_of_fold_pgrs_se"] = _se(fold_pgrs)
    # the verdict: paired losses of the contenders, per labeled row (or per
    # fold for a metric that is no mean over rows)
    units = "rows" if losses is not None else "folds"
    if losses is None:
        losses = {role: -v for role, v in g.items()}
    roles = [r for r in ROLES if CONTENDER[r] in contenders and r in losses]
    L = np.column_stack([losses[r] for r in roles])
    correction = _correction(n_splits)
    verdict = decide(
        L, [CONTENDER[r] for r in roles], n_labeled=n_labeled,
        correction=correction, metric=_metric_label(name),
    )
    # W2S against the supervised student, positive when W2S wins
    pair = decide(
        np.column_stack([losses["student"], losses["supervised"]]),
        ["w2s", "supervised"], correction=correction,
    )
    if "w2s" in pair.margins:  # supervised leads
        margin, margin_se = -pair.margins["w2s"], pair.ses["w2s"]
    elif "supervised" in pair.margins:
        margin, margin_se = pair.margins["supervised"], pair.ses["supervised"]
    else:
        margin, margin_se = np.nan, np.nan
    out["margin"] = float(margin) + 0.0
    out["margin_se"] = float(margin_se)
    out["best"] = verdict.best
    out["leader"] = verdict.leader
    out["runner_up"] = verdict.runner_up
    out["lead_margin"] = float(verdict.margin)
    out["lead_margin_se"] = float(verdict.se)
    out["n_labeled_to_resolve"] = float(verdict.n_labeled_to_resolve)
    out["verdict"] = verdict.sentence
    out["verdict_units"] = units
    return out


def _correction(n_splits):
    """The variance factor of the verdict's paired differences (see the
    Notes of :func:`compare_w2s`)."""
    return kfold_correction(n_splits)


def _aggregate(results, n_labeled=None, contenders=DEFAULT_CONTENDERS):
    """Stack per-fold results; add the per-metric ``summary``, the fitted
    hyperparameters and the out-of-fold losses; collect the folds' notes."""
    out = {}
    skip = {"goodness", "row_losses", "test_index", "params", "notes"}
    for key in results[0]:
        if key in skip:
            continue
        values = [r[key] for r in results]
        if key in ("estimator", "supervised", "ceiling"):
            out[key] = values
        else:
            out[key] = np.asarray(values)
    n_splits = len(results)
    index = np.concatenate([r["test_index"] for r in results])
    fold = np.concatenate([np.full(r["test_index"].size, k)
                           for k, r in enumerate(results)])
    if n_labeled is None:
        n_labeled = int(index.size)
    summary, oof = {}, {}
    for name in results[0]["goodness"]:
        roles = results[0]["goodness"][name]
        per_role = {
            role: [r["goodness"][name][role] for r in results] for role in roles
        }
        losses = None
        if name in results[0]["row_losses"]:
            losses = {
                role: np.concatenate([r["row_losses"][name][role] for r in results])
                for role in roles
            }
            oof[name] = {"index": index, "fold": fold, **{
                CONTENDER[role]: v for role, v in losses.items()}}
        summary[name] = _summary(
            per_role, -1 if name == "mse" else 1, losses, n_labeled, n_splits,
            contenders, name,
        )
    if "test_pgr_per_target" in out:
        means = {
            role: out[f"test_{role}_mse_per_target"].mean(axis=0)
            for role in ("teacher", "student", "ceiling")
        }
        summary["mse"]["pgr_of_means_per_target"] = _pgr(
            -means["teacher"], -means["student"], -means["ceiling"]
        )
    out["summary"] = summary
    out["oof_losses"] = oof
    notes, call_notes = [note for r in results for note in r["notes"]], []
    for name in summary:
        t, c = (np.asarray([r["goodness"][name][role] for r in results], float)
                for role in ("teacher", "ceiling"))
        n_bad = int(np.sum(np.isfinite(c) & ~(c > t)))
        if n_bad:
            call_notes.append((UndefinedMetricWarning, (
                f"In {n_bad} of {n_splits} folds the ceiling is no better than "
                f"the teacher ({_metric_label(name)}), so the per-fold PGR is NaN "
                "there (mean_of_fold_pgrs averages the other folds; "
                "pgr_of_means uses the means)."
            )))
    out["params"] = {
        role: [r["params"][role] for r in results] for role in results[0]["params"]
    }
    out["_notes"] = (notes, call_notes)
    return out


def _warn_once(notes, n_fits, owner, stacklevel):
    """Issue each distinct warning once per call, with how often it came.

    ``notes`` is ``(fold_notes, call_notes)``: lists of ``(category,
    message)``; a fold note seen in several fits says in how many.
    ``stacklevel`` is that of the public function's caller as seen from the
    public function.
    """
    fold_notes, call_notes = notes
    counts = Counter(fold_notes)
    for (category, message), count in counts.items():
        where = "" if n_fits == 1 else f" [in {count} of the {n_fits} fits of {owner}]"
        warnings.warn(f"{message}{where}", category, stacklevel=stacklevel + 1)
    for category, message in dict.fromkeys(call_notes):
        warnings.warn(message, category, stacklevel=stacklevel + 1)


def _labeled_folds(X, y, groups, cv, classifier=False):
    splitter = (
        cv if isinstance(cv, LabeledSplit) else LabeledSplit(cv, classifier=classifier)
    )
    # with several targets a row is labeled for all or none: split on the first
    return list(splitter.split(X, y if y.ndim == 1 else y[:, 0], groups))


def _check_w2s_target(estimator, X, y, owner):
    """``(y, classification)``: class labels (1-D) for a classifier, else
    regression targets with NaN for unlabeled rows (1-D or 2-D)."""
    classification = is_classifier(estimator)
    if classification:
        y = column_or_1d(np.asarray(y))
        if y.shape[0] != _num_samples(X):
            raise ValueError(
                f"X and y have inconsistent numbers of samples: X has "
                f"{_num_samples(X)} rows, y has {y.shape[0]}."
            )
        return y, True
    y = _validate_w2s_target(y, _num_samples(X), owner=owner, multi_output=True)
    return y, False


def _check_w2s_estimator(estimator, name="estimator"):
    params = estimator.get_params(deep=False)
    if "teacher" not in params or "student" not in params:
        raise TypeError(
            f"{name} must be a weak-to-strong estimator with teacher and student "
            "parameters (e.g. skw2s.WeakToStrongRegressor); got "
            f"{type(estimator).__name__}."
        )


def _check_contenders(contenders):
    valid = ("teacher", "w2s", "supervised", "pseudo_true")
    contenders = tuple(contenders)
    bad = [c for c in contenders if c not in valid]
    if bad or len(set(contenders)) < 2 or len(set(contenders)) != len(contenders):
        raise ValueError(
            f"contenders must name at least two distinct models among {valid}; "
            f"got {contenders!r}."
        )
    return contenders


def _row_kinds(scoring):
    """``{metric name: per-row loss kind or None}``: which metrics the verdict
    pairs row by row (scikit-learn scorers that are means over rows, by name)."""
    if scoring is None:
        return {}
    if isinstance(scoring, str):
        items = [(scoring, scoring)]
    elif callable(scoring):
        items = [("score", None)]
    elif isinstance(scoring, dict):
        items = [(k, v if isinstance(v, str) else None) for k, v in scoring.items()]
    else:
        items = [(n, n) for n in scoring]
    return {k: (v if v in _ROW_METRICS else None) for k, v in items}


def _inner_scoring(scoring, classification):
    """How the contenders' hyperparameters are compared inside a training fold:
    the report's (first) metric."""
    if scoring is None:
        return "accuracy" if classification else "neg_mean_squared_error"
    if isinstance(scoring, dict):
        return next(iter(scoring.values()))
    if isinstance(scoring, list | tuple):
        return scoring[0]
    return scoring


def _n_labeled(y, classification):
    if classification:
        return int((~_unlabeled_mask(y)).sum())
    finite = np.isfinite(y)
    return int((finite if finite.ndim == 1 else finite.all(axis=1)).sum())


def _run(setup, X, y, folds, params, scorers, return_estimator, pseudo_true,
         n_jobs, verbose):
    return Parallel(n_jobs=n_jobs, verbose=verbose)(
        delayed(_fit_and_score_w2s)(
            setup, X, y, train, test, params or {}, scorers, return_estimator,
            pseudo_true,
        )
        for train, test in folds
    )


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "cv": ["cv_object"],
        "scoring": [
            StrOptions(set(get_scorer_names())), callable, list, tuple, dict, None
        ],
        "n_jobs": [Integral, None],
        "params": [dict, None],
        "param_grids": [dict, None],
        "contenders": [list, tuple],
        "return_estimator": ["boolean"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def cross_validate_w2s(
    estimator,
    X,
    y,
    *,
    groups=None,
    cv=5,
    scoring=None,
    n_jobs=None,
    params=None,
    param_grids=None,
    contenders=DEFAULT_CONTENDERS,
    return_estimator=False,
    verbose=0,
):
    """Cross-validate a weak-to-strong estimator against its baselines.

    The labeled rows are split by ``cv`` (through :class:`LabeledSplit`:
    unlabeled rows go to every training fold and never to a test fold). On each
    training fold a clone of ``estimator`` is fit with its own data protocol
    (teacher on labeled rows, student on the teacher's predictions for the
    student's rows). Beside it, the student is fit on **true** labels, each
    time tuned for the rows it is fit on (see ``param_grids``):

    - the *supervised student*, on the rows the teacher was fit on
      (``teacher_rows_``; with a :class:`~sklearn.frozen.FrozenEstimator`
      teacher, every labeled row of the training fold) with their true labels:
      the strong model trained directly on the labels the weak-to-strong
      pipeline spent on the teacher. If it beats the weak-to-strong student,
      training the strong model on the labels is the better use of them;
    - the *ceiling*, on the student's rows that have a true label that no
      other model was trained on (when every row is labeled, the student's
      rows, whose labels were hidden from the student). Where there are none
      (unlabeled student rows, cross-fitting, a frozen teacher) the ceiling is
      NaN, with one warning saying why;
    - the *pseudo+true student* (only if ``"pseudo_true"`` is among the
      ``contenders``): the estimator with ``student_targets="pseudo+true"``.

    On the held-out labeled rows, the teacher (``teacher_``), the W2S student,
    the supervised student and the ceiling are scored, the performance gap
    recovered (PGR) is computed, and the contenders are compared row by row
    for the verdict (see :func:`compare_w2s`).

    Parameters
    ----------
    estimator : estimator object
        The weak-to-strong estimator to evaluate (cloned per fold), e.g. a
        :class:`~skw2s.WeakToStrongRegressor`: it must have ``teacher`` and
        ``student`` parameters and set ``teacher_``, ``teacher_rows_`` and
        ``student_rows_`` in ``fit``. A search over its student's
        regularization (a :class:`~skw2s.WeakToStrongRegressorCV`, or a
        :class:`~sklearn.model_selection.GridSearchCV` over a weak-to-strong
        estimator's ``student__`` parameters) runs its search on each training
        fold, and the supervised student and the ceiling then run the same
        search on their own rows.

    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        Data, passed to the estimator as given.

    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets; NaN marks unlabeled rows (with several outputs, a row is
        labeled for every target or for none). For a
        :class:`~skw2s.WeakToStrongClassifier`, class labels with ``-1``, NaN
        or None marking unlabeled rows; the labeled rows are split with
        stratified folds, and the default metric is the accuracy (the PGR is
        computed on ``1 - accuracy``: ``test_<model>_accuracy``).

    groups : array-like of shape (n_samples,), default=None
        Group labels for a group splitter (restricted to the labeled rows).

    cv : int, cross-validation generator or iterable, default=5
        Splitting of the labeled rows (see :class:`LabeledSplit`).
        See :term:`Glossary <cv>`.

    scoring : str, callable, list, tuple, dict or None, default=None
        ``None`` records the mean squared error (keys ``test_<model>_mse``,
        lower is better). Otherwise scikit-learn scorers (greater is better):
        a scorer name, a callable ``scorer(estimator, X, y)``, a list of names
        or a dict ``{name: name or callable}``; keys ``test_<model>_<name>``
        (``<name>`` is ``score`` for a single callable).

    n_jobs : int, default=None
        Number of folds fit in parallel (joblib).
        See :term:`Glossary <n_jobs>`.

    params : dict, default=None
        Parameters passed to ``estimator.fit``; sample-aligned ones are sliced to
        the training fold. A ``sample_weight`` entry also reaches the supervised
        student and the ceiling (sliced to their rows) if the student accepts
        it.

    param_grids : dict, default=None
        ``{"student": grid, "teacher": grid}`` (either key optional; a grid is
        a dict ``{parameter: values}`` or a list of them, as in
        :class:`~sklearn.model_selection.GridSearchCV`). A student grid tunes
        each role for its own data, inside every training fold: the
        supervised student and the ceiling by inner cross-validation on their
        rows (exact leave-one-out along one path for an ``alpha`` grid of a
        :class:`~skw2s.WeightedRidge` or :class:`~sklearn.linear_model.Ridge`),
        the W2S (and pseudo+true) student on held-out **true** labels of the
        training fold, never on pseudo-labels. A teacher grid tunes the
        teacher on its rows. None: every model as given (a self-tuning student
        such as :class:`~sklearn.linear_model.RidgeCV` tunes itself on the
        rows it is fit on).

    contenders : list or tuple of str, default=("teacher", "w2s", "supervised")
        The models the verdict chooses from, among ``"teacher"``, ``"w2s"``,
        ``"supervised"`` and ``"pseudo_true"`` (which is then computed).

    return_estimator : bool, default=False
        Whether to also return the fitted estimators, supervised students and
        ceilings.

    verbose : int, default=0
        Progress of the fan-out: joblib's count of folds done (passed to
        :class:`joblib.Parallel`).

    Returns
    -------
    scores : dict
        Arrays of shape (n_splits,): ``test_<model>_<metric>`` for the models
        ``teacher``, ``student`` (the W2S student), ``supervised``
        (``pseudo_true``) and ``ceiling``; ``test_pgr`` (``test_pgr_<name>``
        for several scorers; NaN where the ceiling is no better than the
        teacher); ``fit_time``, ``score_time`` and the row counts
        ``n_teacher_rows``, ``n_student_rows``, ``n_supervised_rows``,
        ``n_ceiling_rows``. With a 2-D ``y`` and the default metric also
        ``test_<model>_mse_per_target`` and ``test_pgr_per_target`` (shape
        (n_splits, n_outputs)). With ``return_estimator=True`` the lists
        ``estimator`` (the fitted weak-to-strong estimators; a search's
        ``best_estimator_``), ``supervised`` and ``ceiling``. Scores of a
        model that cannot be trained are NaN (with one
        :class:`~sklearn.exceptions.UndefinedMetricWarning` per call saying
        why).

        ``params`` is a dict ``{model: list}``: per fold, the hyperparameters
        each model selected for itself (``{}`` for a fixed model).

        ``summary`` is a dict ``{metric: dict}`` (``metric`` is ``"mse"`` or a
        scorer's name) of the cross-validated means: ``<model>`` (mean over
        folds; an error for ``"mse"``, a score otherwise) and ``<model>_se``;
        ``pgr_of_means``, the PGR of the mean errors (scores) over the folds,
        with ``pgr_of_means_se`` (delta method over folds); and
        ``mean_of_fold_pgrs``, the mean of the per-fold PGRs (finite ones),
        with ``mean_of_fold_pgrs_se``. The two differ: a fold whose ceiling
        barely beats its teacher gives a huge per-fold PGR of either sign, so
        ``pgr_of_means`` is the one to read. The verdict (as in
        :func:`compare_w2s`): ``best``, ``leader``, ``runner_up``,
        ``lead_margin``, ``lead_margin_se``, ``n_labeled_to_resolve``,
        ``verdict`` and ``verdict_units`` (``"rows"`` or ``"folds"``);
        ``margin`` is how much better the W2S student is than the supervised
        student (positive when it wins) and ``margin_se`` its standard error,
        from the same paired losses. With a 2-D ``y``:
        ``pgr_of_means_per_target``.

        ``oof_losses`` is a dict ``{metric: dict}`` for the metrics that are
        means over rows: ``index`` (the labeled rows, in test-fold order),
        ``fold`` (the test fold of each) and one array of out-of-fold losses
        per model (``teacher``, ``w2s``, ``supervised``, ...), the paired
        losses behind the verdict.

    See Also
    --------
    LabeledSplit : The splitter used on the labeled rows.
    compare_w2s : The same report for every teacher/student pair.
    skw2s.metrics.performance_gap_recovered : The PGR of one fold.

    Notes
    -----
    The standard errors of the ``<model>`` means are across folds, which
    overlap in their training rows: read them as optimistic. The verdict's
    standard errors are corrected for that overlap (see :func:`compare_w2s`).

    Examples
    --------
    >>> from skw2s import WeakToStrongRegressor, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> from skw2s.model_selection import cross_validate_w2s
    >>> X, y = make_w2s_regression(n_samples=600, n_features=50, random_state=0)
    >>> w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-3),
    ...                             WeightedRidge(alpha=30.0),
    ...                             teacher_size=0.25, random_state=0)
    >>> res = cross_validate_w2s(w2s, X, y, cv=4)
    >>> sorted(k for k in res if k.startswith("test_"))
    ['test_ceiling_mse', 'test_pgr', 'test_student_mse', 'test_supervised_mse',
     'test_teacher_mse']
    >>> bool((res["test_student_mse"] < res["test_teacher_mse"]).all())
    True
    >>> res["summary"]["mse"]["best"]
    'supervised'
    """
    contenders = _check_contenders(contenders)
    scorers = _check_scoring(scoring)
    X = _make_indexable(X)
    y, classification = _check_w2s_target(estimator, X, y, "cross_validate_w2s")
    setup = _setup(estimator, param_grids,
                   _inner_scoring(scoring, classification))
    setup.row_kinds = _row_kinds(scoring)
    folds = _labeled_folds(X, y, groups, cv, classifier=classification)
    results = _run(setup, X, y, folds, params, scorers, return_estimator,
                   "pseudo_true" in contenders, n_jobs, verbose)
    out = _aggregate(results, _n_labeled(y, classification), contenders)
    _warn_once(out.pop("_notes"), len(folds), "cross_validate_w2s", stacklevel=3)
    return out
