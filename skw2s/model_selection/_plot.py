"""Displays of the weak-to-strong report, in scikit-learn's Display style."""

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from ._w2s_validation import cross_validate_w2s

__all__ = ["StudentRegularizationDisplay", "W2SForecastDisplay", "W2SReportDisplay"]

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


# ------------------------------------------------------------ the forecast

#: The forecast's contenders: (key of ``realized``, key of the forecast's
#: error, label), in the order of the rows, top to bottom.
_FORECAST_ROWS = (
    ("teacher", "teacher_error", "teacher"),
    ("w2s", "student_error", "W2S student"),
    ("supervised", "supervised_error", "supervised student"),
)

_FORECAST_KEYS = (
    "teacher_error", "student_error", "supervised_error", "verdict", "leader",
    "metric", "confidence",
)


def _check_forecast(forecast):
    """The forecast, or a ValueError naming ``forecast``."""
    from collections.abc import Mapping

    if not isinstance(forecast, Mapping):
        raise TypeError(
            "forecast must be the W2SForecast returned by forecast_w2s; got "
            f"{type(forecast).__name__}."
        )
    missing = [k for k in _FORECAST_KEYS if k not in forecast]
    if missing:
        raise ValueError(
            "forecast must be the W2SForecast returned by forecast_w2s; it has "
            f"no {missing}."
        )
    if forecast["metric"] not in ("mse", "error_rate"):
        raise ValueError(
            "forecast['metric'] must be 'mse' or 'error_rate'; got "
            f"{forecast['metric']!r}."
        )
    return forecast


def _check_realized(realized):
    """``{contender: float}`` (NaN for a missing value), or an error naming
    ``realized``."""
    from collections.abc import Mapping
    from numbers import Real

    if realized is None:
        return {}
    if not isinstance(realized, Mapping):
        raise TypeError(
            "realized must be a dict {'teacher'|'w2s'|'supervised': error}; got "
            f"{type(realized).__name__}."
        )
    known = [row[0] for row in _FORECAST_ROWS]
    unknown = [k for k in realized if k not in known]
    if unknown:
        raise ValueError(
            f"realized has unknown key(s) {unknown}; the keys are {known}."
        )
    out = {}
    for key, value in realized.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Real | np.number):
            raise TypeError(
                f"realized[{key!r}] must be a real number (the realized error); "
                f"got {value!r}."
            )
        if np.isinf(value) or value < 0:
            raise ValueError(
                f"realized[{key!r}] must be a finite error >= 0; got {value!r}."
            )
        out[key] = float(value)
    return out


def _check_realized_curve(realized_curve):
    """``(alphas, mse)`` as two 1-D float arrays, or an error naming
    ``realized_curve``."""
    if realized_curve is None:
        return None
    try:
        alphas, values = realized_curve
        alphas = np.asarray(alphas, dtype=float)
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "realized_curve must be a pair (alphas, mse) of 1-D arrays of numbers "
            f"({exc})."
        ) from exc
    if alphas.ndim != 1 or alphas.shape != values.shape or alphas.size == 0:
        raise ValueError(
            "realized_curve must be a pair (alphas, mse) of non-empty 1-D arrays "
            f"of the same length; got shapes {alphas.shape} and {values.shape}."
        )
    if not (np.isfinite(alphas).all() and (alphas > 0).all()):
        raise ValueError(
            "realized_curve's alphas must be finite and > 0 (a log axis)."
        )
    order = np.argsort(alphas)
    return alphas[order], values[order]


def _realized_errors(forecast, estimator, X_test, y_test, supervised):
    """The realized test errors of :meth:`W2SForecastDisplay.from_estimator`."""
    from sklearn.base import is_classifier
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from .._validation import _label_values, _unlabeled_mask

    classification = forecast["metric"] == "error_rate"
    try:
        check_is_fitted(estimator)
    except TypeError as exc:
        raise TypeError(
            "estimator must be a fitted WeakToStrongRegressor or "
            f"WeakToStrongClassifier; got {type(estimator).__name__}."
        ) from exc
    except NotFittedError as exc:
        raise NotFittedError(
            f"estimator ({type(estimator).__name__}) is not fitted: call "
            "estimator.fit(X, y) on the labeled and unlabeled rows first."
        ) from exc
    if not hasattr(estimator, "teacher_"):
        raise TypeError(
            "estimator must be a fitted WeakToStrongRegressor or "
            f"WeakToStrongClassifier (with a teacher_); got "
            f"{type(estimator).__name__}."
        )
    if is_classifier(estimator) != classification:
        raise ValueError(
            f"The forecast's metric is {forecast['metric']!r} but estimator is "
            f"a {'classifier' if is_classifier(estimator) else 'regressor'}: "
            "pass the weak-to-strong estimator of the forecast's task."
        )
    if supervised is not None:
        try:
            check_is_fitted(supervised)
        except TypeError as exc:
            raise TypeError(
                "supervised must be a fitted estimator; got "
                f"{type(supervised).__name__}."
            ) from exc
        except NotFittedError as exc:
            raise NotFittedError(
                f"supervised ({type(supervised).__name__}) is not fitted: fit it "
                "on the labeled rows first."
            ) from exc
    y_test = _label_values(y_test)
    if y_test.ndim != 1:
        raise ValueError(f"y_test must be 1-D; got shape {y_test.shape}.")
    if classification:
        unlabeled = _unlabeled_mask(y_test)
    else:
        try:
            y_test = np.asarray(y_test, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"y_test must hold real numbers ({exc}).") from exc
        unlabeled = ~np.isfinite(y_test)
    if unlabeled.any():
        raise ValueError(
            f"y_test has {int(unlabeled.sum())} unlabeled or non-finite value(s); "
            "the realized errors need the true target of every test row."
        )
    n_test = X_test.shape[0] if hasattr(X_test, "shape") else len(X_test)
    if n_test != y_test.shape[0]:
        raise ValueError(
            f"X_test and y_test have inconsistent numbers of samples: {n_test} "
            f"and {y_test.shape[0]}."
        )
    models = {"teacher": estimator.teacher_, "w2s": estimator}
    if supervised is not None:
        models["supervised"] = supervised
    out = {}
    for key, model in models.items():
        pred = np.asarray(model.predict(X_test))
        if classification:
            out[key] = float(np.mean(pred != y_test))
        else:
            pred = pred.astype(float).reshape(y_test.shape)
            out[key] = float(np.mean((y_test - pred) ** 2))
    return out


class W2SForecastDisplay:
    """The forecast of :func:`forecast_w2s` against the realized errors.

    One row per contender (the teacher, the W2S student and the supervised
    student): the forecast error as a point with its interval (horizontal
    error bars at the forecast's ``confidence``) and, when given, the
    realized error (for example on a held-out test set, after training) as a
    red diamond; the title states the verdict. For a forecast with a plug-in
    ridge ``theory``, a second panel draws the predicted test MSE of the W2S
    student over the student's alpha (log axis), the predicted teacher and
    supervised-student MSEs as horizontal lines, a star at the best alpha
    and, when given, the realized curve. Build it with :meth:`from_forecast`
    (realized errors as numbers) or :meth:`from_estimator` (realized errors
    computed from the fitted models on a test set).

    Parameters
    ----------
    forecast : W2SForecast
        The result of :func:`forecast_w2s`.

    realized : dict, default=None
        Realized errors, ``{"teacher" | "w2s" | "supervised": float}``, in the
        forecast's metric (the MSE, or the error rate ``1 - accuracy``); a
        missing key or None draws no marker.

    realized_curve : tuple of two array-likes, default=None
        ``(alphas, mse)``: the realized test MSE of the W2S student at each of
        several alphas, drawn on the theory panel.

    Attributes
    ----------
    forecast_points_ : dict of str to matplotlib.container.ErrorbarContainer
        The forecast point and interval of each contender (keys ``"teacher"``,
        ``"w2s"``, ``"supervised"``).

    realized_markers_ : dict of str to matplotlib.lines.Line2D
        The realized error of each contender that has one.

    theory_line_ : matplotlib.lines.Line2D or None
        The predicted test MSE of the W2S student over its alpha.

    theory_reference_lines_ : dict of str to matplotlib.lines.Line2D
        The predicted MSEs of the ``"teacher"`` and of the ``"supervised"``
        student (tuned), as horizontal lines; empty without a theory panel.

    best_alpha_marker_ : matplotlib.lines.Line2D or None
        The star at the best alpha of the theory curve.

    realized_curve_line_ : matplotlib.lines.Line2D or None
        The realized curve.

    ax_ : matplotlib.axes.Axes
        The axes of the forecast's rows.

    theory_ax_ : matplotlib.axes.Axes or None
        The axes of the theory panel (None when it is not drawn).

    figure_ : matplotlib.figure.Figure
        The figure holding the axes.

    See Also
    --------
    forecast_w2s : The forecast this display draws.
    W2SReportDisplay : The cross-validated report after training.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skw2s.model_selection import W2SForecastDisplay, forecast_w2s
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(600, 20))
    >>> y = X @ rng.normal(size=20) / 4 + rng.normal(size=600)
    >>> y[100:] = np.nan  # 100 labeled rows, 500 unlabeled
    >>> f = forecast_w2s(Ridge(alpha=1e-3), Ridge(alpha=50.0), X, y,
    ...                  n_bootstrap=50, random_state=0)
    >>> disp = W2SForecastDisplay.from_forecast(
    ...     f, realized={"teacher": 1.3, "w2s": 1.2, "supervised": 1.2})
    >>> sorted(disp.realized_markers_)
    ['supervised', 'teacher', 'w2s']
    >>> disp.theory_ax_ is not None  # a ridge teacher and a ridge student
    True
    """

    def __init__(self, *, forecast, realized=None, realized_curve=None):
        self.forecast = forecast
        self.realized = realized
        self.realized_curve = realized_curve

    @classmethod
    def from_forecast(cls, forecast, *, realized=None, realized_curve=None,
                      show_theory=None, ax=None):
        """Draw a forecast, and the realized errors when given.

        Parameters
        ----------
        forecast : W2SForecast
            The result of :func:`forecast_w2s`.

        realized : dict, default=None
            Realized errors ``{"teacher" | "w2s" | "supervised": float}`` in
            the forecast's metric.

        realized_curve : tuple of two array-likes, default=None
            ``(alphas, mse)``, the realized test MSE of the W2S student over
            its alpha, drawn on the theory panel.

        show_theory : bool, default=None
            Draw the theory panel; None draws it when the forecast has a
            ``theory`` and ``ax`` leaves room for it.

        ax : matplotlib.axes.Axes or array-like of two Axes, default=None
            Axes to draw on: one for the forecast's rows, or two (the rows,
            then the theory panel); None creates a figure.

        Returns
        -------
        display : W2SForecastDisplay
            The drawn display.
        """
        disp = cls(forecast=forecast, realized=realized,
                   realized_curve=realized_curve)
        return disp.plot(ax=ax, show_theory=show_theory)

    @classmethod
    def from_estimator(cls, forecast, estimator, X_test, y_test, *,
                       supervised=None, realized_curve=None, show_theory=None,
                       ax=None):
        """Draw a forecast against the errors of fitted models on a test set.

        The realized errors are those, on ``(X_test, y_test)``, of
        ``estimator.teacher_`` (the teacher), of ``estimator`` (the W2S
        student) and of ``supervised`` when given, in the forecast's metric:
        the MSE, or the error rate ``1 - accuracy``.

        Parameters
        ----------
        forecast : W2SForecast
            The result of :func:`forecast_w2s`.

        estimator : WeakToStrongRegressor or WeakToStrongClassifier
            The fitted weak-to-strong estimator (its ``teacher_`` is the
            teacher).

        X_test : array-like of shape (n_test, n_features)
            Test rows, none of which any model was trained on.

        y_test : array-like of shape (n_test,)
            Their true targets or class labels (no unlabeled row).

        supervised : estimator object, default=None
            The fitted supervised student (the student trained on the labeled
            rows, tuned for them); None draws no realized marker for it.

        realized_curve : tuple of two array-likes, default=None
            ``(alphas, mse)``, the realized test MSE of the W2S student over
            its alpha, drawn on the theory panel.

        show_theory : bool, default=None
            Draw the theory panel (see :meth:`from_forecast`).

        ax : matplotlib.axes.Axes or array-like of two Axes, default=None
            Axes to draw on (see :meth:`from_forecast`).

        Returns
        -------
        display : W2SForecastDisplay
            The drawn display; ``realized`` holds the errors computed.
        """
        forecast = _check_forecast(forecast)
        realized = _realized_errors(forecast, estimator, X_test, y_test, supervised)
        disp = cls(forecast=forecast, realized=realized,
                   realized_curve=realized_curve)
        return disp.plot(ax=ax, show_theory=show_theory)

    def plot(self, ax=None, *, show_theory=None, capsize=4.0):
        """Draw the forecast's rows and, with a theory, the theory panel.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or array-like of two Axes, default=None
            Axes to draw on: one for the forecast's rows, or two (the rows,
            then the theory panel); None creates a figure.

        show_theory : bool, default=None
            Draw the theory panel (below the rows, in a figure created
            here); None draws it when the forecast has a ``theory`` and
            ``ax`` leaves room for it (None or two axes).

        capsize : float, default=4.0
            Length of the interval bars' caps, in points.

        Returns
        -------
        display : W2SForecastDisplay
            Self, with ``ax_``, ``theory_ax_``, ``figure_``,
            ``forecast_points_``, ``realized_markers_``, ``theory_line_``,
            ``theory_reference_lines_``, ``best_alpha_marker_`` and
            ``realized_curve_line_``.
        """
        f = _check_forecast(self.forecast)
        realized = _check_realized(self.realized)
        curve = _check_realized_curve(self.realized_curve)
        theory = f.get("theory")
        axes = None
        if ax is not None:
            axes = list(np.ravel(np.asarray(ax, dtype=object)))
            if len(axes) not in (1, 2):
                raise ValueError(
                    f"ax must be one Axes or two; got {len(axes)}."
                )
        if show_theory is None:
            show_theory = theory is not None and (axes is None or len(axes) == 2)
        if show_theory and theory is None:
            raise ValueError(
                "show_theory=True needs a forecast with a plug-in theory (a ridge "
                "teacher and a ridge student); this one has none: "
                f"{f.get('theory_note') or 'theory is None'}."
            )
        if show_theory and axes is not None and len(axes) != 2:
            raise ValueError(
                "The theory panel needs a second Axes: pass ax=(ax_forecast, "
                "ax_theory), or show_theory=False."
            )
        if curve is not None and not show_theory:
            raise ValueError(
                "realized_curve is drawn on the theory panel, which is not drawn "
                "(no theory in the forecast, show_theory=False or a single ax)."
            )
        if axes is None:
            plt = _pyplot()
            if show_theory:
                _, axes = plt.subplots(
                    2, 1, figsize=(7.6, 8.4), layout="constrained",
                    height_ratios=(1, 1.4),
                )
                axes = list(axes)
            else:
                _, ax0 = plt.subplots(figsize=(7.6, 3.8), layout="constrained")
                axes = [ax0]
        self._plot_rows(axes[0], f, realized, capsize)
        self.theory_ax_ = axes[1] if show_theory else None
        self.theory_line_ = self.best_alpha_marker_ = None
        self.realized_curve_line_ = None
        self.theory_reference_lines_ = {}
        if show_theory:
            self._plot_theory(axes[1], theory, realized, curve)
        self.ax_, self.figure_ = axes[0], axes[0].figure
        return self

    def _plot_rows(self, ax, f, realized, capsize):
        pct = f"{100 * float(f['confidence']):g} %"
        ys = np.arange(len(_FORECAST_ROWS))
        self.forecast_points_, self.realized_markers_ = {}, {}
        for i, (key, err_key, _) in enumerate(_FORECAST_ROWS):
            point = float(f[err_key])
            low = f.get(f"{err_key}_low", np.nan)
            high = f.get(f"{err_key}_high", np.nan)
            xerr = np.nan_to_num(
                [[point - float(low)], [float(high) - point]], nan=0.0
            )
            self.forecast_points_[key] = ax.errorbar(
                [point], [ys[i]], xerr=np.maximum(xerr, 0.0), fmt="o",
                color="C0", ecolor="C0", capsize=capsize, markersize=7,
                label=f"forecast ({pct} interval)" if i == 0 else None,
            )
        first = True
        for i, (key, _, _) in enumerate(_FORECAST_ROWS):
            if key not in realized or not np.isfinite(realized[key]):
                continue
            (self.realized_markers_[key],) = ax.plot(
                [realized[key]], [ys[i]], linestyle="none", marker="D",
                markersize=8, color="C3", markeredgecolor="black",
                label="realized" if first else None, zorder=3,
            )
            first = False
        labels = [row[2] for row in _FORECAST_ROWS]
        ax.set_yticks(ys, labels)
        ax.set_ylim(len(ys) - 0.5, -0.5)  # the teacher on top
        leader = str(f["leader"])
        verdict = str(f["verdict"])
        for tick, (key, _, _) in zip(ax.get_yticklabels(), _FORECAST_ROWS,
                                     strict=True):
            if key == leader:
                tick.set_fontweight("bold")
        names = {row[0]: row[2] for row in _FORECAST_ROWS}
        if verdict in names:
            title = f"forecast verdict: {names[verdict]}"
        else:
            title = (f"forecast verdict: {verdict} (leader, in bold: "
                     f"{names.get(leader, leader)})")
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel(
            "test MSE (lower is better)" if f["metric"] == "mse"
            else "test error rate (lower is better)"
        )
        ax.grid(axis="x", alpha=0.3)
        handles = [self.forecast_points_[_FORECAST_ROWS[0][0]]]
        handles += list(self.realized_markers_.values())[:1]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2),
                  ncol=2, fontsize="small", frameon=False)

    def _plot_theory(self, ax, theory, realized, curve):
        a = np.asarray(theory["student_alphas"], dtype=float)
        mse = np.asarray(theory["student_mse"], dtype=float)
        (self.theory_line_,) = ax.plot(
            a, mse, "-", color="C0", lw=2,
            label="theory: W2S student over its alpha",
        )
        (self.best_alpha_marker_,) = ax.plot(
            [theory["best_student_alpha"]], [theory["best_student_mse"]],
            linestyle="none", marker="*", markersize=15, color="C0",
            markeredgecolor="black",
            label=f"theory: best alpha {theory['best_student_alpha']:.3g}",
        )
        self.theory_reference_lines_["teacher"] = ax.axhline(
            theory["teacher_mse"], color="C2", linestyle="--",
            label="theory: teacher",
        )
        self.theory_reference_lines_["supervised"] = ax.axhline(
            theory["supervised_mse"], color="C1", linestyle="-.",
            label="theory: supervised student (tuned)",
        )
        if curve is not None:
            (self.realized_curve_line_,) = ax.plot(
                curve[0], curve[1], "D-", color="C3", markersize=4, lw=1,
                label="realized: W2S student over its alpha",
            )
        colors = {"teacher": "C2", "supervised": "C1"}
        for key, color in colors.items():
            if key in realized and np.isfinite(realized[key]):
                ax.axhline(realized[key], color=color, linestyle=":", lw=1.2,
                           label=f"realized: {_CONTENDER_LABELS[key]}")
        ax.set_xscale("log")
        ax.set_xlabel("student alpha")
        ax.set_ylabel("test MSE")
        ax.set_title("plug-in ridge theory", fontsize="medium")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                  fontsize="small", frameon=False)
