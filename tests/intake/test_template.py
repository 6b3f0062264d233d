"""The submitters' Excel template: sheets, drop-downs, input messages, round trip through validate."""

import openpyxl
import pytest

from gcmtools.catalogue import contract
from gcmtools.intake.template import write_template
from gcmtools.intake.validate import validate_paths


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_template(tmp_path_factory.mktemp("tpl") / "template.xlsx")


def test_sheets_headers_and_frozen_row(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["README", "Practices", "Reference", "Lists"]
    ws = wb["Practices"]
    assert [c.value for c in ws[1]] == contract.column_names("practices")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["G"].width == 40  # title


def test_a_drop_down_for_every_controlled_vocabulary(template):
    ws = openpyxl.load_workbook(template)["Practices"]
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_column[ws.cell(row=1, column=rng.min_col).value] = dv
    for name in ("submitter_type", "practice_type", "status", "covid19", "principles",
                 "target_groups", "objectives", "guiding_questions", "country"):
        assert by_column[name].type == "list", name
        assert by_column[name].formula1.startswith("=Lists!$")
    assert by_column["submitter_type"].errorStyle == "stop"
    for name in contract.column_names("practices"):
        assert by_column[name].prompt, f"no input message for {name}"
    lists = openpyxl.load_workbook(template)["Lists"]
    header = [c.value for c in lists[1]]
    col = header.index("submitter_types") + 1
    values = [lists.cell(row=i, column=col).value for i in range(2, 14)]
    assert values == list(contract.vocabulary("submitter_types"))


def test_reference_sheet_lists_objectives_principles_questions(template):
    ws = openpyxl.load_workbook(template)["Reference"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Use migration detention only as a measure of last resort" in text
    assert "whole-of-society" in text and "alternatives to detention" in text.lower()


def test_filled_template_passes_validate(template, tmp_path):
    wb = openpyxl.load_workbook(template)
    ws = wb["Practices"]
    rows = [
        ["ARM-2020-001", "Ministry of Internal Affairs of Armenia", "member_state", "ARM", "4; 11", "4c",
         "Biometric passports at consulates", "Consulates issue biometric passports.", "1",
         "whole-of-government", "service", "stateless_persons", "no", 2019, None, "ongoing", "IOM",
         "https://www.example.org/a.pdf", "en"],
        ["NGO-1", "Women's Aid", "civil_society", "Republic of Moldova; UNECE", "10", "", "Hotline",
         "A hotline for victims.", "5", "gender-responsive; human-rights", "service",
         "women; trafficking_victims", "yes", 2020, 2021, "completed", "", "", "ro"],
    ]
    for r in rows:
        ws.append(r)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = validate_paths([filled])
    assert result.exit_code == 0, result.problems
    assert len(result.accepted) == 2 and result.accepted.loc[1, "country"] == ["MDA", "UNECE"]
    assert list(result.accepted["gcm_actions"]) == [["4c"], []]


def test_gcm_actions_has_its_input_message_and_the_reference_sheet_its_codes(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["Practices"]
    column = [c.value for c in ws[1]].index("gcm_actions") + 1
    [dv] = [dv for dv in ws.data_validations.dataValidation
            if any(r.min_col == column for r in dv.sqref.ranges)]
    assert dv.prompt.startswith("Optional. GCM actions the practice implements")
    assert "13h for objective 13, action h" in dv.prompt and dv.type == "custom"
    rows = [[c.value for c in row] for row in wb["Reference"].iter_rows()]
    assert ["13h", "End child detention"] in [r[:2] for r in rows]
    assert sum(1 for r in rows if r[0] and r[0][:-1].isdigit() and r[0][-1].isalpha()) == 187
