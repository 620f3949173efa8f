"""Tests of the ``python -m skw2s`` demo (quick settings only)."""

import sys

import numpy as np
import pytest

from skw2s import _demo

COLUMNS = [key for key, *_ in _demo._COLUMNS]


@pytest.fixture(scope="module")
def quick_rows():
    return _demo.run_demo(seed=0, quick=True)


def test_rows_cover_the_three_mechanisms(quick_rows):
    mechanisms = [row["mechanism"][0] for row in quick_rows]
    assert mechanisms == ["1", "2", "3", "3", "+"]
    for row in quick_rows[:4]:
        assert set(COLUMNS) <= set(row)
        for key in ("teacher", "student", "ceiling"):
            assert np.isfinite(row[key]) and row[key] >= 0


def test_theory_columns_where_a_formula_exists(quick_rows):
    for row in quick_rows[:2]:  # the two ridge mechanisms
        for key in ("theory_teacher", "theory_student", "theory_ceiling"):
            assert np.isfinite(row[key]) and row[key] > 0
    for row in quick_rows[2:]:  # the network and classification: no closed form
        assert row["theory_teacher"] is None and row["theory_student"] is None


def test_pgr_matches_its_definition(quick_rows):
    for row in quick_rows[:4]:
        gap = row["teacher"] - row["ceiling"]
        if gap > 0:
            expected = (row["teacher"] - row["student"]) / gap
            assert row["pgr"] == pytest.approx(expected)
        else:
            assert np.isnan(row["pgr"])


def test_mechanism3_teacher_is_shared_by_both_students(quick_rows):
    # the control is taught by the same (frozen) teacher
    assert quick_rows[2]["teacher"] == quick_rows[3]["teacher"]


def test_format_table_structure(quick_rows):
    lines = _demo.format_table(quick_rows).splitlines()
    assert "simulation" in lines[0] and "theory" in lines[0]
    header = lines[1].split()
    assert header[:2] == ["mechanism", "setting"]
    assert header.count("teacher") == 2 and header.count("PGR") == 2
    assert header.count("superv.") == 2
    assert set(lines[2]) == {"-"}
    body = lines[3:3 + len(quick_rows)]
    assert [line[0] for line in body] == ["1", "2", "3", "3", "+"]
    # the network rows show "-" for the theory
    assert body[2].split().count("-") >= 4
    assert "excess test MSE" in "\n".join(lines[3 + len(quick_rows):])
    # without notes, only header and rows
    assert len(_demo.format_table(quick_rows, notes=False).splitlines()) == 3 + 5


def test_classification_row_accuracies_and_pgr(quick_rows):
    row = quick_rows[4]
    for key in ("teacher", "student", "ceiling", "supervised"):
        assert 0.5 <= row[key] <= 1.0  # accuracies, two balanced-ish classes
    gap = row["ceiling"] - row["teacher"]
    assert gap > 0
    assert row["pgr"] == pytest.approx((row["student"] - row["teacher"]) / gap)
    assert row["theory_supervised"] is None


def test_supervised_column_everywhere(quick_rows):
    """Every row shows the supervised student beside W2S and the ceiling; for
    the ridge mechanisms the theory column gives its risk too."""
    for row in quick_rows:
        assert row["supervised"] is not None and np.isfinite(row["supervised"])
    for row in quick_rows[:2]:
        assert row["theory_supervised"] > 0
        # the same ridge on n < m true labels: a larger risk than the ceiling's
        assert row["theory_supervised"] > row["theory_ceiling"]


def test_main_prints_table(capsys):
    assert _demo.main(["--quick", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 regularization compensation" in out
    assert "2 aligned regularization" in out
    assert "3 easy/hard features" in out
    assert "classification (accuracy)" in out


def test_help_explains_options(capsys):
    with pytest.raises(SystemExit) as exc:
        _demo.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--seed", "--quick", "--plot"):
        assert option in out


def test_plot_written(quick_rows, tmp_path):
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib")
    path = tmp_path / "m1.png"
    _demo.plot_mechanism1(quick_rows[0], path)
    assert path.stat().st_size > 1000
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_gives_clear_message(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises
    monkeypatch.setattr(_demo, "run_demo", lambda seed, quick: [])
    path = tmp_path / "m1.png"
    assert _demo.main(["--plot", str(path)]) == 1
    assert "needs matplotlib" in capsys.readouterr().err
    assert not path.exists()
