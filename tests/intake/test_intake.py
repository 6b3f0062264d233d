"""Intake: every rejection reason, every encoding and format, counts that reconcile."""

import json

import openpyxl
import pytest

from conftest import FIXTURES
from gcmtools.catalogue import contract
from gcmtools.intake.validate import validate_paths

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good" / "two_practices.csv"


def check_reconciled(result):
    for r in result.counts.itertuples():
        assert r.read == r.accepted + r.rejected
    assert len(result.accepted) + len(result.rejected) == result.counts["read"].sum()


def test_good_file_all_accepted_and_normalised():
    result = validate_paths([GOOD])
    assert result.exit_code == 0 and result.problems.empty
    acc = result.accepted.set_index("practice_id")
    assert acc.loc["T-002", "country"] == ["ARM", "GEO"]
    assert acc.loc["T-002", "country_as_submitted"] == "ARM; GEO"
    assert acc.loc["T-002", "principles"] == ["human-rights", "gender-responsive"]
    assert acc.loc["T-002", "objectives"] == [10]
    assert acc.loc["T-002", "description"] == "Shelter, legal aid and referral for victims of trafficking."
    assert acc.loc["T-001", "source_row"] == 2 and acc.loc["T-002", "source_row"] == 3
    check_reconciled(result)


@pytest.mark.parametrize("fixture, column, reason", [
    ("empty_required_field", "title", "title is required but empty"),
    ("objective_out_of_range", "objectives", "objective 24 is not a GCM objective (1-23)"),
    ("objective_not_a_number", "objectives", "objective 'ten' is not a number"),
    ("unknown_submitter_type", "submitter_type", "did you mean 'civil_society'?"),
    ("unknown_principle", "principles", "did you mean 'human-rights'?"),
    ("unknown_practice_type", "practice_type", "did you mean 'programme'?"),
    ("unknown_target_group", "target_groups", "'elderly' is not a valid value for target_groups"),
    ("unknown_covid19", "covid19", "'maybe' is not a valid value for covid19"),
    ("unknown_status", "status", "'active' is not a valid value for status"),
    ("unknown_guiding_question", "guiding_questions", "guiding question '7' is not one of 1-6 (the guiding questions of unece-2020-rt3)"),
    ("unresolvable_country", "country", "country 'Narnia' cannot be resolved"),
    ("spreadsheet_error_title", "title", "value '#N/A' is a spreadsheet error, not a value"),
    ("region_as_country", "country", "'Western Balkans' is a region of several countries, not a country"),
    ("misspelt_country", "country", "country 'Kirgizstan' is not a country name the workbook knows (did you mean 'Kyrgyzstan'?)"),
    ("year_before_1900", "year_start", "year '1899' is not a year from 1900"),
    ("year_too_far_ahead", "year_end", "year '2099' is not a year from 1900"),
    ("non_http_source_ref", "source_ref", "is a link but not an http(s) URL"),
    ("www_source_ref", "source_ref",
     "source_ref 'www.example.org' is a link without its scheme (http:// or https://)"),
    ("year_end_before_start", "year_end", "year_end 2018 is before year_start 2020"),
    ("unknown_gcm_action", "gcm_actions", "action '13i' is not a GCM action (objective 13 has actions 13a-13h)"),
    ("gcm_action_outside_objectives", "gcm_actions",
     "action 8a is an action of objective 8, which is not among the practice's objectives (13)"),
    ("duplicate_practice_id", "practice_id", "practice_id 'T-001' duplicates an earlier row"),
])
def test_each_rejection_reason_names_file_row_column_value(fixture, column, reason):
    path = BAD / f"{fixture}.csv"
    result = validate_paths([path])
    assert result.exit_code == 1
    assert len(result.accepted) == 2 and len(result.rejected) == 1
    [p] = result.problems.itertuples()
    assert (p.file, p.row, p.column, p.practice_id) == (str(path), 4, column, "T-003" if fixture != "duplicate_practice_id" else "T-001")
    assert reason in p.reason
    assert p.value == result.rejected.loc[0, column]
    check_reconciled(result)


def test_every_problem_of_a_row_is_reported_in_one_pass(tmp_path):
    f = tmp_path / "many.csv"
    header = ",".join(contract.column_names())
    f.write_text(header + "\n" + "X-1,,member state,Narnia,0,13z,,,9,human-right,,,Yes,1850,,,,ftp://x,en\n",
                 encoding="utf-8")
    result = validate_paths([f])
    assert set(result.problems["column"]) == {
        "submitter", "submitter_type", "country", "objectives", "gcm_actions", "title", "description",
        "guiding_questions", "principles", "year_start", "source_ref"}
    # 'Yes' differs from 'yes' only in letter case: read as yes and said so, never refused
    assert list(result.normalised[["column", "value", "normalised"]].itertuples(index=False, name=None)) == [
        ("covid19", "Yes", "yes")]


def test_duplicate_practice_id_across_files():
    result = validate_paths([GOOD, BAD / "duplicate_across_files_second.csv"])
    assert result.exit_code == 1
    [p] = result.problems.itertuples()
    assert p.file.endswith("duplicate_across_files_second.csv") and p.row == 2
    assert "two_practices.csv row 2" in p.reason
    check_reconciled(result)


def test_list_separated_by_comma_gets_a_hint(tmp_path):
    f = tmp_path / "comma.csv"
    f.write_text(GOOD.read_text().replace("ARM; GEO", '"ARM, GEO"'), encoding="utf-8")
    result = validate_paths([f])
    assert "separate several values with ';'" in result.problems.loc[0, "reason"]


def _rewrite(tmp_path, name, encoding, delimiter=","):
    import csv
    rows = list(csv.reader(GOOD.open(encoding="utf-8")))
    rows[1][1] = "Ministère de l'Intérieur de Türkiye"
    rows[1][3] = "Türkiye"
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("cp1252", ";"),
    ("utf-8-sig", ";"),
])
def test_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = _rewrite(tmp_path, "enc.csv", encoding, delimiter)
    result = validate_paths([path])
    assert result.exit_code == 0, result.problems
    acc = result.accepted.set_index("practice_id")
    assert acc.loc["T-001", "submitter"] == "Ministère de l'Intérieur de Türkiye"
    assert acc.loc["T-001", "country"] == ["TUR"]
    assert list(acc.columns[:3]) == ["submitter", "submitter_type", "country"]


def _xlsx(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    import csv
    rows = list(csv.reader(GOOD.open(encoding="utf-8")))
    for name in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([int(v) if v.isdigit() else v for v in r])
    wb.save(path)
    return path


def test_xlsx_practices_sheet_among_others(tmp_path):
    path = _xlsx(tmp_path / "s.xlsx", ["README", "Practices", "Lists"])
    result = validate_paths([path])
    assert result.exit_code == 0 and len(result.accepted) == 2
    assert result.accepted.loc[0, "year_start"] == 2018  # a number cell reads as its text


def test_xlsx_only_sheet(tmp_path):
    result = validate_paths([_xlsx(tmp_path / "s.xlsx", ["Sheet1"])])
    assert result.exit_code == 0 and len(result.accepted) == 2


def test_xlsx_several_sheets_without_practices_is_unreadable(tmp_path):
    result = validate_paths([_xlsx(tmp_path / "s.xlsx", ["A", "B"])])
    assert result.exit_code == 2
    assert "no sheet named 'Practices'" in result.unreadable[0]


def test_json_list_of_records(tmp_path):
    records = [{"practice_id": "J-1", "submitter": "IOM", "submitter_type": "un_entity",
                "country": ["ARM", "Republic of Moldova"], "objectives": [8, 10], "title": "T",
                "description": "D", "year_start": 2019}]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = validate_paths([path])
    assert result.exit_code == 0, result.problems
    assert result.accepted.loc[0, "country"] == ["ARM", "MDA"]
    assert result.accepted.loc[0, "objectives"] == [8, 10]


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "file is empty"),
    ("binary_named.csv", "binary content"),
    ("json_object.json", "JSON must be a list of records"),
    ("no_such_file.csv", "no such file"),
])
def test_unreadable_files_exit_2_with_one_line(name, message):
    result = validate_paths([BAD / name])
    assert result.exit_code == 2
    [line] = result.unreadable
    assert message in line and "\n" not in line


def test_header_only_file_reads_zero_rows():
    result = validate_paths([BAD / "header_only.csv"])
    assert result.exit_code == 0 and result.counts.loc[0, "read"] == 0


def test_missing_required_column_rejects_every_row_with_a_hint(tmp_path):
    f = tmp_path / "renamed.csv"
    f.write_text(GOOD.read_text().replace("objectives,", "objective,", 1), encoding="utf-8")
    result = validate_paths([f])
    assert len(result.rejected) == 2
    assert "did you mean the column 'objective'" in result.problems.loc[0, "reason"]
    check_reconciled(result)


def test_blank_rows_are_counted_not_read(tmp_path):
    f = tmp_path / "blank.csv"
    lines = GOOD.read_text().splitlines()
    f.write_text("\n".join([lines[0], lines[1], ",,,", lines[2]]) + "\n", encoding="utf-8")
    result = validate_paths([f])
    assert result.counts.loc[0, "blank_rows"] == 1
    assert list(result.accepted["source_row"]) == [2, 4]


def test_shipped_illustrative_practices_are_all_accepted(root):
    result = validate_paths([root / "data" / "practices"])
    assert result.exit_code == 0, result.problems.head()
    assert len(result.accepted) >= 150
