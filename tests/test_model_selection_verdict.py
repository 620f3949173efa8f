"""The report's decision rule (skw2s.model_selection._verdict)."""

import numpy as np
import pytest

from skw2s.model_selection._verdict import decide, format_number, kfold_correction

NAMES = ["teacher", "w2s", "supervised"]


def test_margins_and_standard_errors_are_the_paired_ones():
    rng = np.random.default_rng(0)
    base = rng.normal(2.0, 0.5, 300)
    L = np.c_[base + 0.6 + rng.normal(0, 0.2, 300),
              base + 0.1 + rng.normal(0, 0.2, 300), base]
    v = decide(L, NAMES, correction=2.25, n_labeled=300)
    assert v.leader == "supervised" and v.runner_up == "w2s"
    d = L[:, 1] - L[:, 2]
    assert v.margin == pytest.approx(d.mean())
    assert v.se == pytest.approx(d.std(ddof=1) / np.sqrt(300) * 1.5)
    assert v.margins["teacher"] == pytest.approx(np.mean(L[:, 0] - L[:, 2]))
    assert v.best == "supervised"  # 0.1 against s.e. ~0.017
    assert np.isnan(v.n_labeled_to_resolve)
    assert v.sentence.startswith("supervised student is best: it beats the W2S")


def test_commits_only_if_the_leader_beats_every_contender():
    rng = np.random.default_rng(1)
    base = rng.normal(1.0, 0.3, 400)
    # the runner-up (w2s) is clearly beaten; the teacher, with a larger mean
    # loss but a noisy difference, is not
    swing = np.where(np.arange(400) % 2, 1.5, -1.5)  # mean 0, sd 1.5
    L = np.c_[base + 0.1 + swing, base + 0.03 + rng.normal(0, 0.01, 400), base]
    v = decide(L, NAMES, n_labeled=400)
    assert v.runner_up == "w2s"
    assert v.margins["w2s"] > 2 * v.ses["w2s"]
    assert v.margins["teacher"] < 2 * v.ses["teacher"]
    assert v.best == "undecided" and v.leader == "supervised"
    assert v.sentence.startswith("undecided: the supervised student leads the "
                                 "teacher by")
    assert "; it beats the W2S student by" in v.sentence
    # labeled rows for the teacher's pair at the observed spread
    need = 400 * (2 * v.ses["teacher"] / v.margins["teacher"]) ** 2
    assert v.n_labeled_to_resolve == np.ceil(need)


def test_exact_ties_and_round_off_are_ties_not_signs():
    base = np.linspace(1.0, 2.0, 50)
    noisy = base + np.where(np.arange(50) % 2, 1e-17, -1e-17) - 4.4e-17
    for other in (base, noisy):
        v = decide(np.c_[other, base], ["w2s", "supervised"], n_labeled=50)
        assert v.best == "undecided"
        assert v.margin == 0.0 and v.se == 0.0
        assert v.n_labeled_to_resolve == np.inf
        assert v.sentence == (
            "undecided: the W2S student and the supervised student have "
            "identical losses"
        )
        assert "e-1" not in v.sentence and "-0" not in v.sentence


def test_unavailable_contenders_take_no_part():
    rng = np.random.default_rng(2)
    L = np.c_[rng.normal(1, 0.1, 60), rng.normal(2, 0.1, 60), np.full(60, np.nan)]
    v = decide(L, ["teacher", "w2s", "pseudo_true"])
    assert v.available == ("teacher", "w2s") and v.best == "teacher"
    v = decide(L[:, [0, 2]], ["teacher", "pseudo_true"])
    assert v.best == "undecided" and "only the teacher" in v.sentence
    v = decide(np.full((5, 2), np.nan), ["a", "b"])
    assert v.best == "undecided" and v.available == ()


def test_false_commit_rate_under_equal_means():
    """Independent units, equal means: a commit is a two-sided |t| > 2 event,
    P = 0.048 for 99 degrees of freedom. 1000 replications: binomial s.e.
    0.0068; tolerance 3 s.e., decided before looking."""
    rng = np.random.default_rng(3)
    commits = 0
    for _ in range(1000):
        L = rng.normal(1.0, 1.0, (100, 2))
        commits += decide(L, ["w2s", "supervised"]).best != "undecided"
    assert abs(commits / 1000 - 0.048) < 3 * 0.0068


def test_kfold_correction_and_number_formatting():
    assert kfold_correction(5) == pytest.approx(1 + 5 / 4)
    assert kfold_correction(10) == pytest.approx(1 + 10 / 9)
    assert kfold_correction(1) == 1.0
    assert format_number(-4.4e-17, 0.0) == "0"
    assert format_number(-0.0) == "0"
    assert format_number(-0.00012, 0.5) == "0"
    assert format_number(0.03012, 0.0041) == "0.0301"
    assert format_number(668.2, 215.3) == "668"
    assert format_number(np.nan) == "nan"


def test_decide_bad_input():
    with pytest.raises(ValueError, match=r"shape \(n_units, 3\)"):
        decide(np.zeros((4, 2)), NAMES)
    with pytest.raises(ValueError, match="correction must be >= 1"):
        decide(np.zeros((4, 3)), NAMES, correction=0.5)
