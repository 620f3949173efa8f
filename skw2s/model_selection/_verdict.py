"""The decision rule of the "should I use weak-to-strong?" report.

One function, :func:`decide`, turns paired losses of several contenders (the
teacher, the W2S student, the supervised student, ...) into a verdict: the best
contender, or ``"undecided"`` when the data cannot separate it from another one
by more than ``z`` standard errors of their paired difference. It knows nothing
of estimators or folds: the losses may come from out-of-fold predictions (one
unit per labeled row), from per-fold scores (one unit per fold), from a
forecast, or from a benchmark.
"""

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Verdict", "decide", "format_number", "kfold_correction"]

#: Readable names of the report's contenders (the sentence uses them).
CONTENDER_LABELS = {
    "teacher": "teacher",
    "w2s": "W2S student",
    "supervised": "supervised student",
    "pseudo_true": "pseudo+true student",
    "ceiling": "ceiling",
}

#: A paired margin whose size is below this fraction of the pair's mean
#: absolute loss is round-off (two models with equal predictions), not a
#: difference: it counts as an exact tie.
_TIE_RTOL = 1e-10


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`decide` (see there for the meaning of each field)."""

    best: str
    leader: str
    runner_up: str | None
    margin: float
    se: float
    n_labeled_to_resolve: float
    sentence: str
    means: dict = field(default_factory=dict)
    margins: dict = field(default_factory=dict)
    ses: dict = field(default_factory=dict)
    available: tuple = ()


def kfold_correction(n_splits):
    r"""Nadeau--Bengio variance factor of a ``n_splits``-fold cross-validation.

    Nadeau and Bengio (2003) correct the variance of a mean over :math:`J`
    train/test splits for the overlap of the training sets:
    :math:`\hat\sigma^2 (1/J + n_\text{test}/n_\text{train})` instead of
    :math:`\hat\sigma^2/J`. For K-fold (:math:`J = K`,
    :math:`n_\text{test}/n_\text{train} = 1/(K-1)`) that is the naive variance
    times :math:`1 + K/(K-1)`, whether the units are the folds or the rows of
    the out-of-fold predictions (each labeled row tested once). Returns that
    factor (2.25 for 5 folds; 1 for ``n_splits`` < 2).
    """
    k = int(n_splits)
    return 1.0 if k < 2 else 1.0 + k / (k - 1)


def format_number(value, ref=None, digits=2):
    """A short string for ``value``, rounded to ``digits`` significant digits of
    ``ref`` (its standard error) when given, with no signed zero.

    Integers digits are never dropped (``format_number(1234.5)`` is ``"1234"``);
    values beyond a million or below 1e-4 use the exponent form.

    >>> from skw2s.model_selection._verdict import format_number
    >>> format_number(-4.4e-17, 0.0), format_number(0.03012, 0.0041)
    ('0', '0.0301')
    """
    value = float(value)
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if value == 0:
        return "0"
    scale = abs(float(ref)) if ref is not None and math.isfinite(ref) else 0.0
    if scale == 0:
        scale = abs(value)
    # decimals so that ``scale`` keeps ``digits`` significant digits, and the
    # value at least as many as its own magnitude needs (at most 12)
    exp = math.floor(math.log10(scale))
    decimals = max(0, min(12, digits - 1 - exp))
    rounded = round(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    if rounded == 0:
        return "0"
    if abs(rounded) >= 1e6 or abs(rounded) < 1e-4:
        return f"{rounded:.{digits}g}" if decimals == 0 else f"{value:.{digits}g}"
    return f"{rounded:.{decimals}f}"


def _label(name):
    return CONTENDER_LABELS.get(name, name)


def _pair(loss_a, loss_b):
    """``(margin, se_naive, n)`` of ``loss_b - loss_a`` over units where both
    are finite; margin and s.e. are 0 below round-off."""
    ok = np.isfinite(loss_a) & np.isfinite(loss_b)
    d = loss_b[ok] - loss_a[ok]
    n = int(d.size)
    if n == 0:
        return np.nan, np.nan, 0
    margin = float(d.mean())
    se = float(d.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    scale = float(np.mean(np.abs(loss_a[ok])) + np.mean(np.abs(loss_b[ok])))
    tol = _TIE_RTOL * max(scale, np.finfo(float).tiny)
    if abs(margin) <= tol:
        margin = 0.0
    if np.isfinite(se) and se <= tol:
        se = 0.0
    return margin, se, n


def decide(
    losses,
    names,
    *,
    n_labeled=None,
    correction=1.0,
    z=2.0,
    metric="loss",
):
    r"""The best contender, or ``"undecided"``, from paired losses.

    ``losses[i, j]`` is the loss (lower is better) of contender ``names[j]`` on
    unit ``i``; units are paired (the same held-out row, or the same fold, for
    every contender). For a score (greater is better) pass its negative, or a
    per-unit loss whose mean difference is the score's difference (the rate of
    errors for the accuracy).

    The *leader* is the contender with the lowest mean loss. For every other
    contender :math:`j` the margin :math:`m_j` is the mean of the paired
    differences :math:`L_j - L_\text{leader}` over the units where both are
    finite, and its standard error is

    .. math::

        s_j = \sqrt{c}\; \mathrm{sd}(L_j - L_\text{leader}) / \sqrt{n_\text{units}},

    with ``correction`` :math:`c` (1 for independent units;
    :func:`kfold_correction` for the out-of-fold rows of a K-fold
    cross-validation). The leader is the verdict only if it beats **every**
    other contender by more than ``z`` standard errors, :math:`m_j > z s_j`;
    otherwise the verdict is ``"undecided"``. A contender whose losses are all
    NaN (not available, e.g. no pseudo+true student) takes no part.

    Parameters
    ----------
    losses : array-like of shape (n_units, n_contenders)
        Paired losses, lower is better; NaN where a contender has none.

    names : sequence of str
        Name of each column (e.g. ``"teacher"``, ``"w2s"``, ``"supervised"``,
        ``"pseudo_true"``); the sentence uses readable labels for these.

    n_labeled : int, default=None
        Number of labeled rows behind the losses. With it,
        ``n_labeled_to_resolve`` is the number of labeled rows at which every
        undecided pair would be decided at the observed margins and spread
        (standard errors shrink as :math:`1/\sqrt{n}`); NaN without it.

    correction : float, default=1.0
        Factor :math:`c \ge 1` on the variance of the mean differences.

    z : float, default=2.0
        How many standard errors a margin must exceed.

    metric : str, default="loss"
        Name of the metric, used in the sentence only.

    Returns
    -------
    verdict : Verdict
        ``best`` (a name or ``"undecided"``); ``leader`` (lowest mean loss,
        even when undecided) and ``runner_up`` (second lowest; None with one
        contender); ``margin`` and ``se`` (leader against runner-up: the
        runner-up's mean loss minus the leader's, >= 0, and its standard
        error); ``n_labeled_to_resolve`` (NaN when decided or without
        ``n_labeled``; ``inf`` for an exact tie); ``sentence`` (the verdict in
        words, numbers rounded to two significant digits of their s.e.);
        ``means``, ``margins``, ``ses`` (dicts by name; margins and ses of
        every other contender against the leader); ``available`` (the names
        that took part).

    Notes
    -----
    Two models with the same predictions have paired differences that are
    exactly 0 (or round-off, below ``1e-10`` of their mean absolute loss):
    their margin is 0, an exact tie, never a sign. Committing only when the
    leader beats every contender (not just the runner-up) controls the error
    of naming a contender that is in fact beaten by a third one.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2s.model_selection._verdict import decide
    >>> rng = np.random.default_rng(0)
    >>> base = rng.normal(1.0, 0.3, size=200)
    >>> losses = np.c_[base + 0.5, base + rng.normal(0.0, 0.1, 200), base]
    >>> v = decide(losses, ["teacher", "w2s", "supervised"], n_labeled=200)
    >>> v.best, v.leader, v.runner_up
    ('undecided', 'w2s', 'supervised')
    >>> print(v.sentence)
    undecided: the W2S student leads the supervised student by 0.0089 loss
    (s.e. 0.0073), within 2 s.e.; it beats the teacher by 0.5089 loss (s.e.
    0.0073); about 540 labeled rows would resolve it at the observed spread
    """
    L = np.asarray(losses, dtype=float)
    if L.ndim == 1:
        L = L[:, None]
    names = [str(n) for n in names]
    if L.ndim != 2 or L.shape[1] != len(names):
        raise ValueError(
            f"losses must have shape (n_units, {len(names)}) (one column per "
            f"name); got shape {L.shape}."
        )
    if not correction >= 1:
        raise ValueError(f"correction must be >= 1; got {correction!r}.")
    avail = [j for j in range(L.shape[1]) if np.isfinite(L[:, j]).any()]
    means = {names[j]: float(np.nanmean(L[:, j])) for j in avail}
    unit = metric
    if not avail:
        return Verdict(
            best="undecided", leader="", runner_up=None, margin=np.nan, se=np.nan,
            n_labeled_to_resolve=np.nan,
            sentence="undecided: no contender could be evaluated",
            available=(),
        )
    # leader: lowest mean loss; ties go to the earlier name
    order = sorted(avail, key=lambda j: (means[names[j]], j))
    lead = order[0]
    leader = names[lead]
    if len(order) == 1:
        return Verdict(
            best="undecided", leader=leader, runner_up=None, margin=np.nan,
            se=np.nan, n_labeled_to_resolve=np.nan,
            sentence=(
                f"undecided: only the {_label(leader)} could be evaluated, "
                "nothing to compare it with"
            ),
            means=means, available=(leader,),
        )
    margins, ses = {}, {}
    for j in order[1:]:
        m, s, _ = _pair(L[:, lead], L[:, j])
        margins[names[j]] = m
        ses[names[j]] = s * math.sqrt(correction) if np.isfinite(s) else s
    runner = names[order[1]]
    beaten = {
        k: bool(np.isfinite(margins[k]) and margins[k] > 0
                and np.isfinite(ses[k]) and margins[k] > z * ses[k])
        for k in margins
    }
    decided = all(beaten.values())
    n_resolve = np.nan
    if not decided and n_labeled is not None:
        need = 0.0
        for k, ok in beaten.items():
            if ok:
                continue
            m, s = margins[k], ses[k]
            if not (np.isfinite(m) and m > 0 and np.isfinite(s)):
                need = np.inf
                break
            need = max(need, n_labeled * (z * s / m) ** 2)
        n_resolve = float(np.ceil(need)) if np.isfinite(need) else np.inf
    sentence = _sentence(
        leader, runner, means, margins, ses, beaten, decided, n_resolve, unit, z
    )
    return Verdict(
        best=leader if decided else "undecided",
        leader=leader,
        runner_up=runner,
        margin=margins[runner],
        se=ses[runner],
        n_labeled_to_resolve=n_resolve,
        sentence=sentence,
        means=means,
        margins=margins,
        ses=ses,
        available=tuple(names[j] for j in order),
    )


def _sentence(leader, runner, means, margins, ses, beaten, decided, n_resolve,
              unit, z):
    lab = _label(leader)
    if decided:
        m, s = margins[runner], ses[runner]
        return (
            f"{lab} is best: it beats the {_label(runner)} by "
            f"{format_number(m, s)} {unit} (s.e. {format_number(s)})"
            + ("" if len(margins) == 1
               else f", and every other contender by more than {z:g} s.e.")
        )
    ties = [k for k, ok in beaten.items() if not ok]
    won = [k for k, ok in beaten.items() if ok]
    also = ""
    if won:
        also = "; both beat " if len(ties) == 1 else "; they beat "
        if not all(margins[k] == 0 for k in ties):
            also = "; it beats "
        also += " and ".join(
            f"the {_label(k)} by {format_number(margins[k], ses[k])} {unit} "
            f"(s.e. {format_number(ses[k])})"
            for k in won
        )
    if all(margins[k] == 0 and (ses[k] == 0 or not np.isfinite(ses[k]))
           for k in ties):
        others = " and the ".join(_label(k) for k in ties)
        return (f"undecided: the {lab} and the {others} have identical "
                f"losses{also}")
    parts = []
    for k in ties:
        m, s = margins[k], ses[k]
        parts.append(
            f"the {_label(k)} by {format_number(m, s)} {unit} "
            f"(s.e. {format_number(s)})"
        )
    text = f"undecided: the {lab} leads " + " and ".join(parts)
    text += f", within {z:g} s.e.{also}"
    if np.isfinite(n_resolve):
        text += (
            f"; about {int(n_resolve):,} labeled rows would resolve it at the "
            "observed spread"
        )
    return text
