"""Displays of the weak-to-strong report, in scikit-learn's Display style."""

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from ._w2s_validation import cross_validate_w2s

__all__ = ["StudentRegularizationDisplay", "W2SReportDisplay"]

#: The report's models: (key in cross_validate_w2s's summary, column prefix in
#: compare_w2s's table, label).
_REPORT_MODELS = (
    ("teacher", "teacher", "teacher"),
    ("student", "w2s", "W2S student"),
    ("supervised", "supervised", "supervised student"),
    ("pseudo_true", "pseudo_true", "pseudo+true student"),
    ("ceiling", "ceiling", "ceiling"),
)


def _pyplot():
    """matplotlib.pyplot, imported lazily with an error naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib in test extra
        raise ImportError(
            "Plotting needs matplotlib, an optional dependency of skw2s. Install "
            "it with: pip install 'skw2s[examples]' (or pip install matplotlib)."
        ) from exc
    return plt


def _axes(ax):
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots()
    return ax


#: Readable names of the verdict's contenders (bar labels).
_CONTENDER_LABELS = {m[1]: m[2] for m in _REPORT_MODELS}


def _wrap(name, width=18):
    """A long pair name broken over lines, so that tick labels stay apart."""
    import textwrap

    return "\n".join(textwrap.wrap(str(name), width)) or str(name)


def _metric_label(metric):
    if metric == "mse":
        return "MSE (lower is better)"
    return f"{metric} (greater is better)"


class W2SReportDisplay:
    """Bar chart of the weak-to-strong report, with standard-error bars.

    For each teacher/student pair, one bar per model: the teacher, the W2S
    student, the supervised student (the student on the teacher's true
    labels), the pseudo+true student when it was computed, and the ceiling
    when it could be trained; the error bars are standard errors over the
    cross-validation folds, and a star marks the verdict's best model of each
    pair (none for an undecided pair). The legend sits outside the bars, at
    the right of the axes. Build it with :meth:`from_estimator` (runs
    :func:`cross_validate_w2s`) or :meth:`from_cv_results` (from its result
    or a :func:`compare_w2s` table).

    Parameters
    ----------
    means : ndarray of shape (n_pairs, n_models)
        Cross-validated mean of the metric per pair and model.

    errors : ndarray of shape (n_pairs, n_models)
        Their standard errors.

    pair_names : list of str
        Name of each teacher/student pair.

    model_names : list of str
        Name of each model (bar labels).

    metric : str
        The metric's name (``"mse"`` or a scorer's name).

    best : list of str, default=None
        The verdict of each pair (``compare_w2s``'s ``best`` column: a
        contender's name or ``"undecided"``); a star marks the chosen bar.

    Attributes
    ----------
    bars_ : dict of str to matplotlib.container.BarContainer
        The bars of each model drawn (a model whose values are all NaN, such
        as a ceiling that cannot be trained, gets no bar and no legend entry).

    best_markers_ : matplotlib.lines.Line2D or None
        The stars over the verdict's best bar of each decided pair.

    errorbars_ : dict of str to matplotlib.container.ErrorbarContainer
        The error bars of each model.

    ax_ : matplotlib.axes.Axes
        The axes of the chart.

    figure_ : matplotlib.figure.Figure
        The figure holding the axes.

    See Also
    --------
    compare_w2s : The table this display draws.
    StudentRegularizationDisplay : The student's score along its alpha.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skw2s import WeakToStrongRegressor, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> from skw2s.model_selection import W2SReportDisplay
    >>> X, y = make_w2s_regression(n_samples=300, n_features=40, random_state=0)
    >>> w2s = WeakToStrongRegressor(WeightedRidge(alpha=1e-6),
    ...                             WeightedRidge(alpha=30.0), random_state=0)
    >>> disp = W2SReportDisplay.from_estimator(w2s, X, y, cv=3, scoring="r2")
    >>> sorted(disp.bars_)
    ['W2S student', 'ceiling', 'supervised student', 'teacher']
    """

    def __init__(self, *, means, errors, pair_names, model_names, metric,
                 best=None):
        self.means = means
        self.errors = errors
        self.pair_names = pair_names
        self.model_names = model_names
        self.metric = metric
        self.best = best

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, cv=5, scoring=None, groups=None, params=None,
        n_jobs=None, name=None, ax=None,
    ):
        """Cross-validate ``estimator`` with :func:`cross_validate_w2s` and plot.

        Parameters
        ----------
        estimator : estimator object
            The weak-to-strong estimator (e.g. a
            :class:`~skw2s.WeakToStrongRegressor`).

        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            Data.

        y : array-like of shape (n_samples,)
            Targets; NaN marks unlabeled rows.

        cv : int, cross-validation generator or iterable, default=5
            Splitting of the labeled rows.

        scoring : str, callable or None, default=None
            One metric (see :func:`cross_validate_w2s`); None is the MSE.

        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter.

        params : dict, default=None
            Parameters passed to ``estimator.fit``.

        n_jobs : int, default=None
            Number of folds fit in parallel.

        name : str, default=None
            Name of the pair; None uses the estimator's class name.

        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : W2SReportDisplay
            The drawn display.
        """
        if scoring is not None and not (isinstance(scoring, str) or callable(scoring)):
            raise ValueError(
                "W2SReportDisplay draws one metric: scoring must be None, a "
                f"scorer name or a callable; got {scoring!r}."
            )
        res = cross_validate_w2s(
            estimator, X, y, cv=cv, scoring=scoring, groups=groups, params=params,
            n_jobs=n_jobs,
        )
        return cls.from_cv_results(
            res, name=name or type(estimator).__name__, ax=ax
        )

    @classmethod
    def from_cv_results(cls, cv_results, *, metric=None, name=None, ax=None):
        """Plot a :func:`cross_validate_w2s` result or a :func:`compare_w2s` table.

        Parameters
        ----------
        cv_results : dict or pandas.DataFrame
            The dict returned by :func:`cross_validate_w2s` (one pair), or the
            table (DataFrame or dict of columns) returned by
            :func:`compare_w2s` (one group of bars per pair).

        metric : str, default=None
            Which metric of a :func:`cross_validate_w2s` result run with
            several scorers; None takes the only one.

        name : str, default=None
            Name of the pair of a :func:`cross_validate_w2s` result.

        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : W2SReportDisplay
            The drawn display.
        """
        best = None
        if "summary" in cv_results:
            summaries = cv_results["summary"]
            if metric is None:
                if len(summaries) != 1:
                    raise ValueError(
                        "cv_results holds several metrics "
                        f"{sorted(summaries)}; choose one with metric=."
                    )
                metric = next(iter(summaries))
            if metric not in summaries:
                raise ValueError(
                    f"metric={metric!r} is not in cv_results; got {sorted(summaries)}."
                )
            summ = summaries[metric]
            models = [m for m in _REPORT_MODELS if m[0] in summ]
            means = np.array([[summ[m[0]] for m in models]])
            errors = np.array([[summ[f"{m[0]}_se"] for m in models]])
            pairs = [name or "weak-to-strong"]
            if "best" in summ:
                best = [str(summ["best"])]
        elif "verdict" in cv_results and "metric" in cv_results:
            metric = str(np.asarray(cv_results["metric"])[0])
            models = [
                m for m in _REPORT_MODELS if f"{m[1]}_{metric}" in cv_results
            ]
            means = np.column_stack(
                [np.asarray(cv_results[f"{m[1]}_{metric}"], float) for m in models]
            )
            errors = np.column_stack(
                [np.asarray(cv_results[f"{m[1]}_{metric}_se"], float) for m in models]
            )
            pairs = [
                f"{_wrap(t)} ->\n{_wrap(s)}"  # two lines: long names stay apart
                for t, s in zip(
                    np.asarray(cv_results["teacher"]),
                    np.asarray(cv_results["student"]),
                    strict=True,
                )
            ]
            if "best" in cv_results:
                best = [str(b) for b in np.asarray(cv_results["best"])]
        else:
            raise ValueError(
                "cv_results must be the dict returned by cross_validate_w2s or "
                "the table returned by compare_w2s."
            )
        best = None if best is None else [_CONTENDER_LABELS.get(b, b) for b in best]
        disp = cls(
            means=means, errors=errors, pair_names=pairs,
            model_names=[m[2] for m in models], metric=metric, best=best,
        )
        return disp.plot(ax=ax)

    def plot(self, ax=None, *, capsize=3.0):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure sized for the number of
            pairs.

        capsize : float, default=3.0
            Length of the error bars' caps, in points.

        Returns
        -------
        display : W2SReportDisplay
            Self, with ``ax_``, ``figure_``, ``bars_``, ``errorbars_`` and
            ``best_markers_``.
        """
        means = np.asarray(self.means, dtype=float)
        errors = np.nan_to_num(np.asarray(self.errors, dtype=float))
        n_pairs = means.shape[0]
        if ax is None:
            plt = _pyplot()
            _, ax = plt.subplots(
                figsize=(max(6.4, 1.6 * n_pairs + 2.5), 4.8), layout="constrained"
            )
        # models with no value at all get no bar and no legend entry
        drawn = [j for j in range(means.shape[1]) if np.isfinite(means[:, j]).any()]
        width = 0.8 / max(len(drawn), 1)
        x = np.arange(n_pairs)
        self.bars_, self.errorbars_ = {}, {}
        tops = np.full(means.shape, np.nan)
        for k, j in enumerate(drawn):
            label = self.model_names[j]
            pos = x - 0.4 + width * (k + 0.5)
            self.bars_[label] = ax.bar(pos, means[:, j], width, label=label)
            self.errorbars_[label] = ax.errorbar(
                pos, means[:, j], yerr=errors[:, j], fmt="none", ecolor="black",
                capsize=capsize,
            )
            tops[:, j] = means[:, j] + errors[:, j]
        self.best_markers_ = None
        if self.best is not None:
            xs, ys = [], []
            for i, b in enumerate(self.best):
                if b not in self.model_names:
                    continue  # undecided
                j = self.model_names.index(b)
                if j not in drawn or not np.isfinite(tops[i, j]):
                    continue
                xs.append(x[i] - 0.4 + width * (drawn.index(j) + 0.5))
                ys.append(tops[i, j])
            if xs:
                lo, hi = np.nanmin(means), np.nanmax(tops)
                lift = 0.03 * (hi - min(lo, 0.0) if hi > lo else abs(hi) or 1.0)
                (self.best_markers_,) = ax.plot(
                    xs, np.asarray(ys) + lift, linestyle="none", marker="*",
                    markersize=11, color="black", label="verdict: best",
                )
        ax.set_xticks(x, self.pair_names)
        if n_pairs > 4:
            ax.tick_params(axis="x", labelsize=8)
        ax.set_ylabel(_metric_label(self.metric))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                  fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _alpha_key(cv_results, param_name):
    if param_name is not None:
        key = param_name if param_name.startswith("param_") else f"param_{param_name}"
        if key not in cv_results:
            raise ValueError(f"param_name={param_name!r}: no {key!r} in cv_results.")
        return key
    keys = [
        k for k in cv_results
        if k == "param_alpha" or (k.startswith("param_") and k.endswith("__alpha"))
    ]
    if len(keys) != 1:
        raise ValueError(
            "cannot tell which parameter is the student's alpha in cv_results "
            f"(candidates {keys}); pass param_name=."
        )
    return keys[0]


class StudentRegularizationDisplay:
    """Cross-validated scores of the W2S and supervised students against alpha.

    Two curves over the same alphas, each with a band of one standard
    deviation over the folds and a star at its own best alpha: the **W2S
    student** (trained on the teacher's pseudo-labels, scored on held-out true
    labels: the ``cv_results_`` of a :class:`~skw2s.WeakToStrongRegressorCV`
    or of a :class:`~sklearn.model_selection.GridSearchCV` over the student's
    alpha) and the **supervised student** (the same student trained on the
    labeled rows the teacher saw, scored on the same held-out folds). Each
    student is at its best at its own alpha: comparing the W2S curve with the
    supervised student at the W2S-selected alpha would handicap the latter.
    Horizontal reference lines show the teacher and the ceiling (when it
    exists), and a theory curve can be overlaid.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The student's regularization strengths, increasing.

    mean_scores : ndarray of shape (n_alphas,)
        Mean cross-validated score of the W2S student at each alpha.

    std_scores : ndarray of shape (n_alphas,)
        Their standard deviation over the folds.

    supervised_mean_scores : ndarray of shape (n_alphas,), default=None
        Mean cross-validated score of the supervised student at each alpha;
        None draws no supervised curve.

    supervised_std_scores : ndarray of shape (n_alphas,), default=None
        Their standard deviation over the folds.

    references : dict of str to float, default=None
        Horizontal lines: name -> score (NaN values are not drawn).

    theory : tuple of two array-likes or callable, default=None
        A curve to overlay, ``(alphas, values)`` or a function of an array of
        alphas, in the units of the score (e.g. minus a deterministic-equivalent
        risk of :mod:`skw2s.theory` for ``neg_mean_squared_error``).

    score_name : str, default="score"
        Label of the y axis.

    Attributes
    ----------
    line_ : matplotlib.lines.Line2D
        The W2S student's mean score curve.

    band_ : matplotlib.collections.PolyCollection
        Its band of one standard deviation.

    best_marker_ : matplotlib.lines.Line2D
        The star at the W2S student's best alpha.

    supervised_line_ : matplotlib.lines.Line2D or None
        The supervised student's mean score curve.

    supervised_band_ : matplotlib.collections.PolyCollection or None
        Its band of one standard deviation.

    supervised_best_marker_ : matplotlib.lines.Line2D or None
        The star at the supervised student's best alpha.

    reference_lines_ : dict of str to matplotlib.lines.Line2D
        The reference lines drawn.

    theory_line_ : matplotlib.lines.Line2D or None
        The theory curve.

    ax_ : matplotlib.axes.Axes
        The axes.

    figure_ : matplotlib.figure.Figure
        The figure holding the axes.

    See Also
    --------
    skw2s.WeakToStrongRegressorCV : Selects the student's alpha.
    W2SReportDisplay : The report's bar chart.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skw2s import WeakToStrongRegressorCV, WeightedRidge
    >>> from skw2s.datasets import make_w2s_regression
    >>> from skw2s.model_selection import StudentRegularizationDisplay
    >>> X, y = make_w2s_regression(n_samples=300, n_features=40, random_state=0)
    >>> search = WeakToStrongRegressorCV(WeightedRidge(alpha=1e-6),
    ...                                  alphas=[0.1, 1.0, 10.0, 100.0],
    ...                                  cv=3, random_state=0).fit(X, y)
    >>> disp = StudentRegularizationDisplay.from_estimator(search, X, y, cv=3)
    >>> sorted(disp.reference_lines_)
    ['ceiling', 'teacher']
    >>> disp.supervised_line_.get_xdata().tolist()
    [0.1, 1.0, 10.0, 100.0]
    """

    def __init__(
        self, *, alphas, mean_scores, std_scores, supervised_mean_scores=None,
        supervised_std_scores=None, references=None, theory=None,
        score_name="score",
    ):
        self.alphas = alphas
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.supervised_mean_scores = supervised_mean_scores
        self.supervised_std_scores = supervised_std_scores
        self.references = references
        self.theory = theory
        self.score_name = score_name

    @classmethod
    def from_cv_results(
        cls, cv_results, *, param_name=None, supervised_cv_results=None,
        supervised_param_name=None, references=None, theory=None,
        score_name="score", ax=None,
    ):
        """Plot the ``cv_results_`` of a search over the student's alpha.

        Parameters
        ----------
        cv_results : dict
            ``cv_results_`` of a :class:`~skw2s.WeakToStrongRegressorCV` or a
            :class:`~sklearn.model_selection.GridSearchCV` over one parameter
            (the W2S student's curve).

        param_name : str, default=None
            The alpha parameter (e.g. ``"student__alpha"``); None finds
            ``alpha`` or the only ``<...>__alpha``.

        supervised_cv_results : dict, default=None
            ``cv_results_`` of a search over the same alphas of the supervised
            student (e.g. a ``GridSearchCV`` of the student on the labeled
            rows); None draws no supervised curve.

        supervised_param_name : str, default=None
            Its alpha parameter (found as for ``param_name`` if None).

        references : dict of str to float, default=None
            Horizontal reference lines.

        theory : tuple or callable, default=None
            A curve to overlay (see the class).

        score_name : str, default="score"
            Label of the y axis.

        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : StudentRegularizationDisplay
            The drawn display.
        """
        alphas, means, stds = _curve(cv_results, param_name)
        sup_means = sup_stds = None
        if supervised_cv_results is not None:
            s_alphas, sup_means, sup_stds = _curve(
                supervised_cv_results, supervised_param_name
            )
            if not np.allclose(s_alphas, alphas):
                raise ValueError(
                    "supervised_cv_results must be over the same alphas as "
                    f"cv_results; got {s_alphas.tolist()} and {alphas.tolist()}."
                )
        disp = cls(
            alphas=alphas, mean_scores=means, std_scores=stds,
            supervised_mean_scores=sup_means, supervised_std_scores=sup_stds,
            references=references, theory=theory, score_name=score_name,
        )
        return disp.plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator, X=None, y=None, *, cv=5, groups=None, param_name=None,
        theory=None, ax=None,
    ):
        """Plot a fitted search; with data, the supervised curve and references.

        With data, :func:`cross_validate_w2s` of the search's
        ``best_estimator_`` on ``(X, y)`` gives the folds, the teacher and the
        ceiling (reference lines); on each fold the student is then trained on
        the supervised student's rows (the labeled rows its teacher saw) at
        every alpha of the search and scored on the held-out fold: the
        supervised curve. Everything is scored with the search's ``scoring``
        (or, if None, the estimators' own ``score``), in the curve's units.

        Parameters
        ----------
        estimator : WeakToStrongRegressorCV or GridSearchCV
            A fitted search over the student's alpha.

        X : array-like of shape (n_samples, n_features), default=None
            Data for the supervised curve and the reference lines; None draws
            the W2S curve only.

        y : array-like of shape (n_samples,), default=None
            Targets; NaN marks unlabeled rows.

        cv : int, cross-validation generator or iterable, default=5
            Splitting of the labeled rows (as in :func:`cross_validate_w2s`).

        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter.

        param_name : str, default=None
            The alpha parameter (see :meth:`from_cv_results`).

        theory : tuple or callable, default=None
            A curve to overlay (see the class).

        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : StudentRegularizationDisplay
            The drawn display.
        """
        if not hasattr(estimator, "cv_results_"):
            raise ValueError(
                "estimator must be a fitted search with cv_results_ "
                "(WeakToStrongRegressorCV or GridSearchCV); fit it first."
            )
        scoring = getattr(estimator, "scoring", None)
        score_name = scoring if isinstance(scoring, str) else "score"
        alphas, means, stds = _curve(estimator.cv_results_, param_name)
        references = sup_means = sup_stds = None
        if X is not None and y is not None:
            if scoring is None:
                scoring = _own_score
            elif not (isinstance(scoring, str) or callable(scoring)):
                raise ValueError("the search must use a single metric.")
            with warnings.catch_warnings():
                # the ceiling's absence is drawn (no line), not warned about
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                res = cross_validate_w2s(
                    estimator.best_estimator_, X, y, cv=cv, groups=groups,
                    scoring={"s": scoring}, return_estimator=True,
                )
            summ = res["summary"]["s"]
            references = {"teacher": summ["teacher"], "ceiling": summ["ceiling"]}
            key = _alpha_key(estimator.cv_results_, param_name)
            sup_means, sup_stds = _supervised_curve(
                estimator.best_estimator_, key, alphas, res, X, y, groups, cv,
                scoring,
            )
        disp = cls(
            alphas=alphas, mean_scores=means, std_scores=stds,
            supervised_mean_scores=sup_means, supervised_std_scores=sup_stds,
            references=references, theory=theory, score_name=score_name,
        )
        return disp.plot(ax=ax)

    def plot(self, ax=None):
        """Draw the curves, bands, best alphas, reference lines and theory.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : StudentRegularizationDisplay
            Self, with ``ax_``, ``figure_``, ``line_``, ``band_``,
            ``best_marker_``, ``supervised_line_``, ``supervised_band_``,
            ``supervised_best_marker_``, ``reference_lines_`` and
            ``theory_line_``.
        """
        if ax is None:
            _, ax = _pyplot().subplots(figsize=(8.4, 4.8), layout="constrained")
        a = np.asarray(self.alphas, dtype=float)
        (self.line_, self.band_, self.best_marker_) = _draw_curve(
            ax, a, self.mean_scores, self.std_scores, "C0", "o-",
            "W2S student (pseudo-labels)",
        )
        self.supervised_line_ = self.supervised_band_ = None
        self.supervised_best_marker_ = None
        if self.supervised_mean_scores is not None:
            std = self.supervised_std_scores
            (self.supervised_line_, self.supervised_band_,
             self.supervised_best_marker_) = _draw_curve(
                ax, a, self.supervised_mean_scores,
                np.zeros_like(a) if std is None else std, "C1", "s--",
                "supervised student (labeled rows)",
            )
        self.reference_lines_ = {}
        styles = [":", "-.", (0, (5, 1))]
        colors = ["C2", "C3", "C4"]
        refs = {k: v for k, v in (self.references or {}).items()
                if v is not None and np.isfinite(v)}
        for i, (name, value) in enumerate(refs.items()):
            self.reference_lines_[name] = ax.axhline(
                value, linestyle=styles[i % 3], color=colors[i % 3], label=name
            )
        self.theory_line_ = None
        if self.theory is not None:
            if callable(self.theory):
                t_a = np.geomspace(a[a > 0].min(), a.max(), 200) if (a > 0).any() else a
                t_v = np.asarray(self.theory(t_a), dtype=float)
            else:
                t_a, t_v = (np.asarray(v, dtype=float) for v in self.theory)
            (self.theory_line_,) = ax.plot(t_a, t_v, "k-", lw=1, label="theory")
        if (a > 0).all():
            ax.set_xscale("log")
        ax.set_xlabel("student alpha")
        ax.set_ylabel(self.score_name)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                  fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _curve(cv_results, param_name):
    """``(alphas, mean scores, std scores)`` of a search, sorted by alpha."""
    key = _alpha_key(cv_results, param_name)
    alphas = np.asarray(np.ma.getdata(cv_results[key]), dtype=float)
    order = np.argsort(alphas)
    return (
        alphas[order],
        np.asarray(cv_results["mean_test_score"], dtype=float)[order],
        np.asarray(cv_results["std_test_score"], dtype=float)[order],
    )


def _draw_curve(ax, a, mean, std, color, style, label):
    m = np.asarray(mean, dtype=float)
    s = np.asarray(std, dtype=float)
    (line,) = ax.plot(a, m, style, color=color, label=label)
    band = ax.fill_between(a, m - s, m + s, alpha=0.15, color=color)
    best = int(np.nanargmax(m)) if np.isfinite(m).any() else 0
    (marker,) = ax.plot(
        [a[best]], [m[best]], marker="*", markersize=14, color=color,
        markeredgecolor="black", linestyle="none",
        label=f"{label.split(' (')[0]}: best alpha {a[best]:.3g}",
    )
    return line, band, marker


def _supervised_curve(w2s, key, alphas, res, X, y, groups, cv, scoring):
    """Mean and std over the folds of the supervised student's score at each
    alpha: trained on each fold's supervised rows, scored on its test rows."""
    from sklearn.base import clone
    from sklearn.metrics import check_scoring
    from sklearn.utils import _safe_indexing
    from sklearn.utils.validation import _make_indexable

    from .._weak_to_strong_cv import _alpha_param_name
    from ._w2s_validation import _check_w2s_target, _labeled_folds

    student = w2s.student
    name = key[len("param_"):]
    name = name[len("student__"):] if name.startswith("student__") else name
    if name not in student.get_params(deep=True):
        name = _alpha_param_name(student) or name
    X = _make_indexable(X)
    y, classification = _check_w2s_target(w2s, X, y, "StudentRegularizationDisplay")
    folds = _labeled_folds(X, y, groups, cv, classifier=classification)
    scorer = check_scoring(student, scoring=scoring)
    scores = np.full((alphas.size, len(folds)), np.nan)
    for k, (train, test) in enumerate(folds):
        fitted = res["estimator"][k]
        sup = fitted.teacher_rows_
        if not sup.any():  # frozen teacher: the labeled rows of the fold
            sup = np.isfinite(y[train]) if y.ndim == 1 else np.isfinite(y[train]).all(1)
        rows = train[np.flatnonzero(sup)]
        X_tr, y_tr = _safe_indexing(X, rows), y[rows]
        X_te, y_te = _safe_indexing(X, test), y[test]
        for i, a in enumerate(alphas):
            est = clone(student).set_params(**{name: float(a)}).fit(X_tr, y_tr)
            scores[i, k] = scorer(est, X_te, y_te)
    return scores.mean(axis=1), scores.std(axis=1)


def _own_score(estimator, X, y):
    """Scorer calling the estimator's own ``score`` (R^2 for a regressor)."""
    return estimator.score(X, y)
