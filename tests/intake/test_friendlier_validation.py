"""Issue 16's validation friction, each with the case from the issue: letter case normalised and
reported (never refused), "did you mean" for submitter labels, an objective written as words
read as its number, a www. reference reported as a link without its scheme, several references
in one source_ref each checked."""

import pytest

from conftest import FIXTURES
from gcmtools.intake.validate import validate_paths

GOOD = FIXTURES / "good" / "two_practices.csv"
HEADER, ROW_1, ROW_2 = GOOD.read_text(encoding="utf-8").splitlines()[:3]
COLUMNS = HEADER.split(",")


def practice(tmp_path, **values):
    """The good fixture's first row with `values` in their columns, validated."""
    import csv
    import io

    row = next(csv.reader([ROW_1]))
    for column, value in values.items():
        row[COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    f = tmp_path / "one.csv"
    f.write_text(HEADER + "\n" + out.getvalue(), encoding="utf-8")
    return validate_paths([f])


def test_letter_case_is_normalised_and_reported(tmp_path):
    result = practice(tmp_path, covid19="No", status="Ongoing", principles="Human-Rights")
    assert result.exit_code == 0 and len(result.problems) == 0
    acc = result.accepted.iloc[0]
    assert (acc["covid19"], acc["status"], acc["principles"]) == ("no", "ongoing", ["human-rights"])
    notes = result.normalised.set_index("column")
    assert notes.loc["covid19", "value"] == "No" and notes.loc["covid19", "normalised"] == "no"
    assert notes.loc["status", "note"] == "'Ongoing' read as 'ongoing' (letter case)"
    assert (notes["row"] == 2).all() and (notes["practice_id"] == "T-001").all()
    assert "one.csv row 2, status: 'Ongoing' read as 'ongoing' (letter case)" in result.summary()


def test_objective_written_as_words_is_read_as_its_number(tmp_path):
    result = practice(tmp_path, objectives="Objective 11; objectif 10")
    assert result.exit_code == 0
    assert result.accepted.iloc[0]["objectives"] == [10, 11]
    [note] = result.normalised.itertuples(index=False)
    assert note.note == "'Objective 11' read as '11' (objective written as words); 'objectif 10' read as '10' (objective written as words)"


def test_objective_as_words_outside_the_gcm_is_still_refused(tmp_path):
    result = practice(tmp_path, objectives="Objective 24")
    assert result.exit_code == 1 and result.problems.loc[0, "rule"] == "objective-not-a-number"
    assert result.rejected.loc[0, "objectives"] == "Objective 24"  # kept as submitted


@pytest.mark.parametrize("label, meant", [("NGO", "civil_society"), ("Ministry", "member_state"),
                                          ("UN agency", "un_entity"), ("НКО", "civil_society")])
def test_common_submitter_labels_get_did_you_mean(tmp_path, label, meant):
    result = practice(tmp_path, submitter_type=label)
    [p] = result.problems.itertuples(index=False)
    assert p.rule == "value-misspelt"
    assert p.reason == f"{label!r} is not a valid value for submitter_type (did you mean {meant!r}?)"


def test_www_reference_is_a_link_without_scheme(tmp_path):
    result = practice(tmp_path, source_ref="www.example.org")
    [p] = result.problems.itertuples(index=False)
    assert p.rule == "link-no-scheme" and "https://www.example.org" in p.advice


def test_several_references_in_one_source_ref_are_each_checked(tmp_path):
    two = "https://www.example.org/a.pdf; https://www.example.org/b.pdf\nAnnual report 2020 p. 4"
    assert practice(tmp_path, source_ref=two).exit_code == 0
    result = practice(tmp_path, source_ref="https://www.example.org/a.pdf; ftp://example.org/b")
    [p] = result.problems.itertuples(index=False)
    assert p.rule == "not-http" and "'ftp://example.org/b'" in p.reason and "a.pdf" not in p.reason
