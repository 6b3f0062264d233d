"""`gcmtools suggest`, in process: the template's columns plus the suggestion columns, rejected
rows reported (not dropped) in their own sheet, formula-safe cells, exit codes as validate's;
`validate` never fills a column from a suggestion. And the agreement `make bench` reports."""

from __future__ import annotations

import contextlib
import csv
import io
import sys

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import cli
from gcmtools.analysis.suggest import FILE_COLUMNS
from gcmtools.catalogue import contract
from gcmtools.intake.validate import validate_paths

ROWS = [
    # practice_id, objectives, gcm_actions, title, description, language
    ("EN-1", "13", "", "=Ending the detention of migrant children",
     "Families with children are no longer held in immigration detention.", "en"),
    ("FR-1", "13", "13b", "Alternatives à la rétention", "Assignation à résidence pour les familles.", ""),
    ("RU-1", "10", "", "Горячая линия для жертв торговли людьми", "Юридическая помощь жертвам.", ""),
    ("BAD-1", "13", "13i", "Open family units", "Families live in open units.", "en"),
]


def submission(tmp_path, rows=ROWS):
    path = tmp_path / "practices.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["practice_id", "submitter", "submitter_type", "country", "objectives",
                      "gcm_actions", "title", "description", "language"])
        for pid, objectives, actions, title, desc, lang in rows:
            out.writerow([pid, "Ministry", "member_state", "ARM", objectives, actions, title, desc, lang])
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One suggestions file for the module's tests: (exit code, stdout, path)."""
    tmp = tmp_path_factory.mktemp("suggest")
    out = tmp / "suggestions.xlsx"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(["suggest", str(submission(tmp)), "--out", str(out)])
    return code, buf.getvalue(), out


def test_rejected_rows_are_counted_and_listed_in_their_own_sheet(run):
    code, stdout, out = run
    assert code == 1
    assert "4 rows read = 3 accepted + 1 rejected" in stdout
    assert f"1 rejected row(s), not suggested for: listed with their reasons in the sheet Rejected of {out}" in stdout
    rejected = pd.read_excel(out, sheet_name="Rejected", engine="openpyxl", dtype=str)
    assert list(rejected["practice_id"]) == ["BAD-1"]
    assert "action '13i' is not a GCM action" in rejected.loc[0, "reasons"]


def test_the_file_is_the_templates_columns_then_the_suggestions(run):
    _, _, out = run
    sheet = pd.read_excel(out, sheet_name="Practices", engine="openpyxl", dtype=str, keep_default_na=False)
    assert list(sheet.columns) == contract.column_names("practices") + list(FILE_COLUMNS.values())
    assert list(sheet["practice_id"]) == ["EN-1", "FR-1", "RU-1"]
    by_id = sheet.set_index("practice_id")
    assert by_id.loc["EN-1", "suggested_objectives"].startswith("13 (")
    assert "detention" in by_id.loc["EN-1", "suggested_objectives"].split(";")[0]
    assert by_id.loc["EN-1", "suggested_gcm_actions"].startswith("13")
    assert by_id.loc["RU-1", "suggested_objectives"].startswith("10 (")
    assert by_id.loc["FR-1", "suggested_guiding_questions"].startswith("6 (")
    assert by_id.loc["FR-1", "gcm_actions"] == "13b" and by_id.loc["EN-1", "gcm_actions"] == ""


def test_cells_are_formula_safe(run):
    _, _, out = run
    ws = openpyxl.load_workbook(out)["Practices"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("title") + 1)
    assert cell.value == "=Ending the detention of migrant children"
    assert cell.data_type == "s" and cell.quotePrefix


def test_validate_never_fills_a_column_from_a_suggestion(run):
    _, _, out = run
    result = validate_paths([out])
    assert result.exit_code == 0, result.problems
    acc = result.accepted.set_index("practice_id")
    assert acc.loc["EN-1", "gcm_actions"] == [] and acc.loc["RU-1", "gcm_actions"] == []
    assert acc.loc["EN-1", "guiding_questions"] == [] and acc.loc["EN-1", "principles"] == []
    assert acc.loc["FR-1", "gcm_actions"] == ["13b"]
    assert any("not in the contract, kept as they are: suggested_objectives" in n for n in result.notes)


def test_all_accepted_is_exit_0(tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    assert cli.main(["suggest", str(submission(tmp_path, ROWS[:1])), "--out", str(out), "--top", "1"]) == 0
    assert "suggestions for 1 accepted practice(s)" in capsys.readouterr().out
    sheet = pd.read_excel(out, sheet_name="Practices", engine="openpyxl", dtype=str)
    assert sheet.loc[0, "suggested_objectives"].count("(") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "s.csv"], "the suggestions file is an .xlsx file"),
    (["--out", "s.xlsx", "--top", "0"], "--top 0: at least 1"),
    (["--out", "s.xlsx", "--review", "no-such-review"], "unknown review 'no-such-review'"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, message):
    path = submission(tmp_path, ROWS[:1])
    args = [a if not a.startswith("s.") else str(tmp_path / a) for a in args]
    assert cli.main(["suggest", str(path), *args]) == 2
    assert message in capsys.readouterr().err


def test_an_unreadable_file_exits_2(tmp_path, capsys):
    bad = ROOT / "tests" / "fixtures" / "bad" / "binary_named.csv"
    assert cli.main(["suggest", str(bad), "--out", str(tmp_path / "s.xlsx")]) == 2
    assert "binary_named.csv" in capsys.readouterr().err
    assert not (tmp_path / "s.xlsx").exists()


def test_agreement_counts_the_first_listed_value_among_the_top_suggestions():
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_suggest

    practices = pd.DataFrame({"practice_id": ["A", "B", "C", "D"],
                              "objectives": [[13, 8], [10], [4], [11]],
                              "gcm_actions": [["13h"], [], ["4a"], []]})
    suggestions = pd.DataFrame({
        "practice_id": ["A", "A", "B", "B", "C", "A", "C"],
        "kind": ["objective", "objective", "objective", "objective", "objective", "action", "action"],
        "value": ["8", "13", "9", "11", "5", "13h", "4b"],
        "rank": [1, 2, 1, 2, 4, 1, 1], "score": [0.5] * 7, "matched": ["x"] * 7})
    objective = bench_suggest.agreement(practices, suggestions, "objective", "objectives")
    assert objective == {"n": 4, "hits": 1, "share": 0.25, "missed": ["B", "C", "D"]}  # C's 5 is rank 4
    action = bench_suggest.agreement(practices, suggestions, "action", "gcm_actions")
    assert action == {"n": 2, "hits": 1, "share": 0.5, "missed": ["C"]}
    empty = bench_suggest.agreement(practices.head(0), suggestions, "objective", "objectives")
    assert empty["share"] is None and empty["n"] == 0
