"""Displays of the weak-to-strong report, in scikit-learn's Display style."""

import numpy as np

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


def _metric_label(metric):
    if metric == "mse":
        return "MSE (lower is better)"
    return f"{metric} (greater is better)"


class W2SReportDisplay:
    """Bar chart of the weak-to-strong report, with standard-error bars.

    For each teacher/student pair, one bar per model: the teacher, the W2S
    student, the supervised student (the student on the teacher's true
    labels), the pseudo+true student when it was computed, and the ceiling;
    the error bars are standard errors over the cross-validation folds. Build
    it with :meth:`from_estimator` (runs :func:`cross_validate_w2s`) or
    :meth:`from_cv_results` (from its result or a :func:`compare_w2s` table).

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

    Attributes
    ----------
    bars_ : dict of str to matplotlib.container.BarContainer
        The bars of each model.

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

    def __init__(self, *, means, errors, pair_names, model_names, metric):
        self.means = means
        self.errors = errors
        self.pair_names = pair_names
        self.model_names = model_names
        self.metric = metric

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
                f"{t} ->\n{s}"  # two lines: long pair names stay apart
                for t, s in zip(
                    np.asarray(cv_results["teacher"]),
                    np.asarray(cv_results["student"]),
                    strict=True,
                )
            ]
        else:
            raise ValueError(
                "cv_results must be the dict returned by cross_validate_w2s or "
                "the table returned by compare_w2s."
            )
        disp = cls(
            means=means, errors=errors, pair_names=pairs,
            model_names=[m[2] for m in models], metric=metric,
        )
        return disp.plot(ax=ax)

    def plot(self, ax=None, *, capsize=3.0):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        capsize : float, default=3.0
            Length of the error bars' caps, in points.

        Returns
        -------
        display : W2SReportDisplay
            Self, with ``ax_``, ``figure_``, ``bars_`` and ``errorbars_``.
        """
        ax = _axes(ax)
        means = np.asarray(self.means, dtype=float)
        errors = np.nan_to_num(np.asarray(self.errors, dtype=float))
        n_pairs, n_models = means.shape
        width = 0.8 / n_models
        x = np.arange(n_pairs)
        self.bars_, self.errorbars_ = {}, {}
        for j, label in enumerate(self.model_names):
            pos = x - 0.4 + width * (j + 0.5)
            self.bars_[label] = ax.bar(pos, means[:, j], width, label=label)
            self.errorbars_[label] = ax.errorbar(
                pos, means[:, j], yerr=errors[:, j], fmt="none", ecolor="black",
                capsize=capsize,
            )
        ax.set_xticks(x, self.pair_names)
        ax.set_ylabel(_metric_label(self.metric))
        ax.legend()
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
    """Cross-validated score of the student against its regularization ``alpha``.

    The mean test score (with a band of one standard deviation over the folds)
    from the ``cv_results_`` of a :class:`~skw2s.WeakToStrongRegressorCV` or of
    a :class:`~sklearn.model_selection.GridSearchCV` over the student's alpha,
    with horizontal reference lines (the teacher, the supervised student and
    the ceiling, in the same score) and, optionally, a theory curve overlaid.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        The student's regularization strengths, increasing.

    mean_scores : ndarray of shape (n_alphas,)
        Mean cross-validated score of each alpha.

    std_scores : ndarray of shape (n_alphas,)
        Their standard deviation over the folds.

    references : dict of str to float, default=None
        Horizontal lines: name -> score.

    theory : tuple of two array-likes or callable, default=None
        A curve to overlay, ``(alphas, values)`` or a function of an array of
        alphas, in the units of the score (e.g. minus a deterministic-equivalent
        risk of :mod:`skw2s.theory` for ``neg_mean_squared_error``).

    score_name : str, default="score"
        Label of the y axis.

    Attributes
    ----------
    line_ : matplotlib.lines.Line2D
        The mean score curve.

    band_ : matplotlib.collections.PolyCollection
        The band of one standard deviation.

    reference_lines_ : dict of str to matplotlib.lines.Line2D
        The reference lines.

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
    ['ceiling', 'supervised student', 'teacher']
    """

    def __init__(
        self, *, alphas, mean_scores, std_scores, references=None, theory=None,
        score_name="score",
    ):
        self.alphas = alphas
        self.mean_scores = mean_scores
        self.std_scores = std_scores
        self.references = references
        self.theory = theory
        self.score_name = score_name

    @classmethod
    def from_cv_results(
        cls, cv_results, *, param_name=None, references=None, theory=None,
        score_name="score", ax=None,
    ):
        """Plot the ``cv_results_`` of a search over the student's alpha.

        Parameters
        ----------
        cv_results : dict
            ``cv_results_`` of a :class:`~skw2s.WeakToStrongRegressorCV` or a
            :class:`~sklearn.model_selection.GridSearchCV` over one parameter.

        param_name : str, default=None
            The alpha parameter (e.g. ``"student__alpha"``); None finds
            ``alpha`` or the only ``<...>__alpha``.

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
        key = _alpha_key(cv_results, param_name)
        alphas = np.asarray(np.ma.getdata(cv_results[key]), dtype=float)
        order = np.argsort(alphas)
        disp = cls(
            alphas=alphas[order],
            mean_scores=np.asarray(cv_results["mean_test_score"])[order],
            std_scores=np.asarray(cv_results["std_test_score"])[order],
            references=references, theory=theory, score_name=score_name,
        )
        return disp.plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator, X=None, y=None, *, cv=5, groups=None, param_name=None,
        theory=None, ax=None,
    ):
        """Plot a fitted search; with ``X, y``, add the reference lines.

        The reference lines (teacher, supervised student and ceiling) come from
        :func:`cross_validate_w2s` of the search's ``best_estimator_`` on
        ``(X, y)``, scored with the search's ``scoring`` (or, if None, the
        estimators' own ``score``), so they are in the curve's units.

        Parameters
        ----------
        estimator : WeakToStrongRegressorCV or GridSearchCV
            A fitted search over the student's alpha.

        X : array-like of shape (n_samples, n_features), default=None
            Data for the reference lines; None draws none.

        y : array-like of shape (n_samples,), default=None
            Targets; NaN marks unlabeled rows.

        cv : int, cross-validation generator or iterable, default=5
            Splitting of the labeled rows for the reference lines.

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
        references = None
        if X is not None and y is not None:
            if scoring is None:
                scoring = _own_score
            elif not (isinstance(scoring, str) or callable(scoring)):
                raise ValueError("the search must use a single metric.")
            res = cross_validate_w2s(
                estimator.best_estimator_, X, y, cv=cv, groups=groups,
                scoring={"s": scoring},
            )
            summ = res["summary"]["s"]
            references = {
                "teacher": summ["teacher"],
                "supervised student": summ["supervised"],
                "ceiling": summ["ceiling"],
            }
        return cls.from_cv_results(
            estimator.cv_results_, param_name=param_name, references=references,
            theory=theory, score_name=score_name, ax=ax,
        )

    def plot(self, ax=None):
        """Draw the curve, its band, the reference lines and the theory.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; None creates a figure.

        Returns
        -------
        display : StudentRegularizationDisplay
            Self, with ``ax_``, ``figure_``, ``line_``, ``band_``,
            ``reference_lines_`` and ``theory_line_``.
        """
        ax = _axes(ax)
        a = np.asarray(self.alphas, dtype=float)
        m = np.asarray(self.mean_scores, dtype=float)
        s = np.asarray(self.std_scores, dtype=float)
        (self.line_,) = ax.plot(a, m, "o-", label="W2S student (CV)")
        self.band_ = ax.fill_between(a, m - s, m + s, alpha=0.2)
        self.reference_lines_ = {}
        styles = ["--", ":", "-."]
        for i, (name, value) in enumerate((self.references or {}).items()):
            self.reference_lines_[name] = ax.axhline(
                value, linestyle=styles[i % 3], color=f"C{i + 1}", label=name
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
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _own_score(estimator, X, y):
    """Scorer calling the estimator's own ``score`` (R^2 for a regressor)."""
    return estimator.score(X, y)
