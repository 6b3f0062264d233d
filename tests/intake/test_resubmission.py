"""Resubmission (issue 16): a rejected row claims nothing; a later file of the same submitter
supersedes its earlier rows with the same practice_id, whatever the order of the file names;
superseded rows stay in the quarantine report with their reason."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pytest

from conftest import FIXTURES
from gcmtools import cli
from gcmtools.intake import rules
from gcmtools.intake.validate import validate_paths

HEADER = open(FIXTURES / "good" / "two_practices.csv", encoding="utf-8").readline().strip().split(",")


def write(path, rows, submitted=None, mtime=None):
    """A submission of `rows` (dicts over the fixture's two practices), with a `submitted`
    column when given, and the file's modification time."""
    with open(FIXTURES / "good" / "two_practices.csv", encoding="utf-8") as f:
        base = {r["practice_id"]: r for r in csv.DictReader(f)}
    header = HEADER + (["submitted"] if submitted is not None else [])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({**base[r.pop("like")], **r, **({"submitted": submitted} if submitted is not None else {})})
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_a_corrected_file_beside_a_rejected_row_is_accepted(tmp_path):
    """The case of the issue: the first file's row is rejected (objective 99); the corrected
    file beside it, same practice_id, is accepted and not a duplicate of the rejected row."""
    write(tmp_path / "a-first.csv", [{"like": "T-001", "objectives": "99"}], mtime=1_600_000_000)
    write(tmp_path / "b-corrected.csv", [{"like": "T-001"}], mtime=1_600_000_100)
    result = validate_paths([tmp_path])
    assert list(result.accepted["practice_id"]) == ["T-001"]
    assert list(result.accepted["source_file"].map(lambda f: f.rsplit("/", 1)[-1])) == ["b-corrected.csv"]
    assert set(result.problems["rule"]) == {"objective-unknown"}


@pytest.mark.parametrize("names", [("a.csv", "b.csv"), ("b.csv", "a.csv")])
def test_the_later_file_supersedes_whatever_the_names(tmp_path, names, capsys):
    early, late = names
    write(tmp_path / early, [{"like": "T-001", "title": "Old title"}, {"like": "T-002"}], submitted="2020-03-01")
    write(tmp_path / late, [{"like": "T-001", "title": "New title"}], submitted="2020-04-15")
    result = validate_paths([tmp_path])
    accepted = result.accepted.set_index("practice_id")
    assert accepted.loc["T-001", "title"] == "New title"
    assert set(accepted.index) == {"T-001", "T-002"}
    assert len(result.rejected) == 1 and result.exit_code == 0  # superseded is not a failure
    problem = result.problems.iloc[0]
    assert problem["rule"] == "row-superseded" and problem["file"].endswith(early)
    assert rules.BY_CODE["row-superseded"].pattern().fullmatch(problem["reason"])
    assert f"superseded by {tmp_path / late} row 2 (submitted 2020-04-15)" in problem["reason"]
    assert cli.main(["validate", str(tmp_path), "--report", str(tmp_path / "r.csv")]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / early}: row 2 (practice_id 'T-001') superseded by {tmp_path / late} row 2" in out
    report = pd.read_csv(tmp_path / "r.csv")  # the quarantine report keeps it, with its reason
    assert list(report["rule"]) == ["row-superseded"] and report["advice"].str.contains("Nothing to change").all()


def test_the_submitted_column_wins_over_the_file_date(tmp_path):
    """The older file by `submitted` loses even when its file was saved later (a copy)."""
    write(tmp_path / "x.csv", [{"like": "T-001", "title": "Sent first"}], submitted="2020-01-10", mtime=1_700_000_000)
    write(tmp_path / "y.csv", [{"like": "T-001", "title": "Sent second"}], submitted="2020-02-10", mtime=1_600_000_000)
    result = validate_paths([tmp_path])
    assert list(result.accepted["title"]) == ["Sent second"]


def test_without_the_column_the_file_date_decides_and_other_submitters_stay_duplicates(tmp_path):
    write(tmp_path / "z-old.csv", [{"like": "T-001", "title": "Old"}], mtime=1_600_000_000)
    write(tmp_path / "a-new.csv", [{"like": "T-001", "title": "New"}], mtime=1_600_086_400)
    write(tmp_path / "m-other.csv", [{"like": "T-001", "submitter": "Someone else"}], mtime=1_650_000_000)
    result = validate_paths([tmp_path])
    rules_of = dict(zip(result.problems["file"].map(lambda f: f.rsplit("/", 1)[-1]), result.problems["rule"]))
    assert rules_of == {"z-old.csv": "row-superseded", "m-other.csv": "duplicate-id"}
    assert list(result.accepted["title"]) == ["New"]
    assert result.exit_code == 1


def test_a_submitted_value_that_is_not_a_date_is_refused(tmp_path):
    write(tmp_path / "d.csv", [{"like": "T-001"}], submitted="31/05/2020")
    result = validate_paths([tmp_path])
    assert list(result.problems["rule"]) == ["not-a-date"]
    assert "submitted '31/05/2020' is not a date (YYYY-MM-DD)" in result.problems["reason"].iloc[0]
    assert rules.BY_CODE["not-a-date"].pattern().fullmatch(result.problems["reason"].iloc[0])


def test_feedback_never_asks_to_correct_what_a_later_file_replaced(tmp_path):
    """Found by a new user: the submitter's feedback listed the first file's rejected T-001 (since
    corrected) and its superseded T-002 as "problems to correct". They are listed apart, as
    replaced (nothing to change), in the page and in the workbook; a problem of another row stays."""
    import openpyxl

    from gcmtools.intake.feedback import feedback_tables, write_feedback

    sub = tmp_path / "submissions"
    sub.mkdir()
    me = {"submitter": "Caritas"}
    write(sub / "first.csv", [{"like": "T-001", "objectives": "99", **me}, {"like": "T-002", **me}],
          submitted="2020-03-01")
    write(sub / "second.csv", [{"like": "T-001", **me}, {"like": "T-002", "title": "Shelter, second version", **me},
                               {"like": "T-002", "practice_id": "T-003", "country": "Atlantis", **me}],
          submitted="2020-04-15")
    result = validate_paths([sub])
    t = feedback_tables(result)["Caritas"]
    assert sorted(t["replaced"]["rule"]) == ["objective-unknown", "row-superseded"]
    assert set(t["replaced"]["file"]) == {"first.csv"}
    assert list(t["rejected"]["practice_id"]) == ["T-003"]  # still to correct
    written = write_feedback(result, tmp_path / "feedback")
    page = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Problems to correct: 1" in page and "Replaced by a later file of yours, nothing to change: 2" in page
    book = openpyxl.load_workbook(next(p for p in written if p.suffix == ".xlsx"))
    assert book.sheetnames == ["Rejected rows", "Replaced rows", "Accepted practices"]
