"""Feedback files per submitter for the bad fixtures; safe names; escaped text."""

import re

import openpyxl

from conftest import FIXTURES
from gcmtools.intake import rules
from gcmtools.intake.feedback import file_stems, write_feedback
from gcmtools.intake.validate import validate_paths

BAD = FIXTURES / "bad"


def test_one_xlsx_and_html_per_submitter(tmp_path):
    result = validate_paths([BAD / "unknown_principle.csv"])
    files = sorted(p.name for p in write_feedback(result, tmp_path))
    assert files == ["caritas-armenia.html", "caritas-armenia.xlsx", "ministry-of-interior-of-georgia.html",
                     "ministry-of-interior-of-georgia.xlsx", "ngo-x.html", "ngo-x.xlsx"]
    wb = openpyxl.load_workbook(tmp_path / "ngo-x.xlsx")
    rej = list(wb["Rejected rows"].values)
    assert rej[0] == ("file", "row", "practice_id", "column", "value", "reason", "what_to_change", "rule")
    assert rej[1][1:5] == (4, "T-003", "principles", "human-right")
    assert rej[1][6] == "Replace the value with 'human-rights'"
    assert rej[1][7] == "value-misspelt"
    acc = list(wb["Accepted practices"].values)
    assert len(acc) == 1  # header only: NGO X had no accepted row
    georgia = list(openpyxl.load_workbook(tmp_path / "ministry-of-interior-of-georgia.xlsx")["Accepted practices"].values)
    assert georgia[1][0] == "T-001" and georgia[1][2] == "Georgia (GEO)"
    assert "11 (Integrated border management)" in georgia[1][3]


def test_every_rejection_of_the_bad_fixtures_reaches_a_submitter(tmp_path):
    result = validate_paths([BAD])
    write_feedback(result, tmp_path)
    total = 0
    for f in tmp_path.glob("*.xlsx"):  # to correct, or replaced by a later file of theirs
        book = openpyxl.load_workbook(f)
        total += sum(book[s].max_row - 1 for s in ("Rejected rows", "Replaced rows") if s in book.sheetnames)
    assert total == len(result.problems)


def test_submitter_names_become_safe_unique_file_names():
    stems = file_stems(["../../etc/passwd", "Ministère de l'Intérieur", "A/B", "A B", "", "<script>"])
    assert stems["../../etc/passwd"] == "etc-passwd"
    assert stems["Ministère de l'Intérieur"] == "ministere-de-l-interieur"
    assert stems["A/B"] != stems["A B"] and stems["A/B"].startswith("a-b-")
    assert stems[""] == "submitter-not-given" and stems["<script>"] == "script"
    assert all("/" not in s and not s.startswith(".") for s in stems.values())


def test_feedback_html_escapes_submitted_text(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text((FIXTURES / "good" / "two_practices.csv").read_text().replace(
        "Caritas Armenia", "<script>alert(1)</script>"), encoding="utf-8")
    files = write_feedback(validate_paths([f]), tmp_path / "out")
    page = next(p for p in files if p.name == "script-alert-1-script.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_what_to_change_is_the_advice_of_the_rule_each_row_breaks(tmp_path):
    result = validate_paths([BAD / "unresolvable_country.csv", BAD / "empty_required_field.csv"])
    write_feedback(result, tmp_path)
    rows = list(openpyxl.load_workbook(tmp_path / "ngo-x.xlsx")["Rejected rows"].values)[1:]
    advice = {r[7]: r[6] for r in rows}
    assert advice["country-unresolved"] == rules.BY_CODE["country-unresolved"].advice
    assert advice["required-empty"] == "Fill in this required field"


def test_submitters_see_file_names_not_the_analysts_folders(tmp_path):
    result = validate_paths([BAD / "duplicate_practice_id.csv"])
    write_feedback(result, tmp_path)
    rows = list(openpyxl.load_workbook(tmp_path / "ngo-x.xlsx")["Rejected rows"].values)[1:]
    assert rows[0][0] == "duplicate_practice_id.csv"
    assert "fixtures" not in rows[0][5] and "(duplicate_practice_id.csv row 2)" in rows[0][5]


def test_anonymous_rows_never_reach_a_submitter_who_calls_itself_submitter_not_given(tmp_path):
    """A row with no submitter goes to the analyst's file of rows naming nobody, never to a
    submitter whose own name is the words that file is titled with."""
    from gcmtools.intake.feedback import NO_SUBMITTER, UNKNOWN_SUBMITTER, feedback_tables

    header = ("practice_id,submitter,submitter_type,country,objectives,title,description,"
              "guiding_questions,principles,practice_type,source_ref\n")
    path = tmp_path / "two.csv"
    path.write_text(header
                    + f"A-1,{UNKNOWN_SUBMITTER},civil_society,GEO,11,Patrols,Joint patrols.,2,human-rights,mechanism,\n"
                    + "A-2,,civil_society,GEO,99,Other,Someone else's row.,2,human-rights,mechanism,\n",
                    encoding="utf-8")
    tables = feedback_tables(validate_paths([path]))
    assert list(tables[UNKNOWN_SUBMITTER]["accepted"]["practice_id"]) == ["A-1"]
    assert tables[UNKNOWN_SUBMITTER]["rejected"].empty  # the anonymous A-2 is not theirs
    assert set(tables[NO_SUBMITTER]["rejected"]["practice_id"]) == {"A-2"}
    files = sorted(p.name for p in write_feedback(validate_paths([path]), tmp_path / "out"))
    assert len(files) == 4 and len({f.rsplit(".", 1)[0] for f in files}) == 2  # two files each, apart


def test_feedback_file_names_are_safe_on_windows_too():
    stems = file_stems(["NUL", "aux", "Com1", "con."])
    assert stems == {"NUL": "nul-file", "aux": "aux-file", "Com1": "com1-file", "con.": "con-file"}


def test_objective_labels_do_not_read_as_more_objectives():
    """Found by a new user: '8 Save lives; missing migrants; 13 ...' read as four objectives (the
    labels hold the list separator); each label is bracketed after its number."""
    from gcmtools.intake.feedback import feedback_tables

    result = validate_paths([FIXTURES / "good" / "two_practices.csv"])
    shown = [v for t in feedback_tables(result).values() for v in t["accepted"]["objectives"]]
    for value in shown:
        assert re.fullmatch(r"\d+ \([^()]+\)(; \d+ \([^()]+\))*", value), value
