"""The submitters' Excel template, made from the data contract: contract in, an .xlsx file out.

Sheets: README (instructions), Practices (the headers, a drop-down for every controlled
vocabulary, an input message per column, frozen header row), Reference (objectives, principles,
guiding questions, the GCM's actions) and Lists (the values behind the drop-downs; countries
by their names). The README sheet, the input messages and the drop-downs' error messages are in
English, French or Russian (`lang`, from the catalogues of catalogue.translations); sheet and
column names, values and the Reference sheet's GCM texts stay as the contract and the GCM
write them, so that every language's file is read alike.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gcmtools import catalogue
from gcmtools.catalogue import contract, gcm
from gcmtools.catalogue.translations import check_language, translate
from gcmtools.intake import export

TEMPLATE_ROWS = 500  # rows the drop-downs cover
REQUIRED_FILL = PatternFill("solid", fgColor="FFE9C6")
OPTIONAL_FILL = PatternFill("solid", fgColor="E8EEF7")


def _lists(review: catalogue.Review) -> dict[str, list[str]]:
    """Name -> values of every drop-down list, taken from the contract and the catalogue."""
    lists = {name: list(values) for name, values in contract.vocabularies().items()
             if name not in ("sex", "age", "obs_status")}
    lists["objectives"] = [str(n) for n in catalogue.objectives()["number"]]
    lists["guiding_questions"] = [str(q.number) for q in review.guiding_questions]
    lists["countries"] = country_list()
    return lists


def country_list() -> list[str]:
    """The countries' drop-down: the UNECE States by name (each resolves back to its ISO3
    code), then UNECE for a region-wide practice."""
    return sorted((catalogue.country_name(c) for c in catalogue.unece_iso3()), key=str.casefold) + ["UNECE"]


def _list_for(spec: contract.ColumnSpec) -> str | None:
    """Which drop-down list a column uses, if any."""
    if spec.kind == "objective":
        return "objectives"
    if spec.kind == "question":
        return "guiding_questions"
    if spec.kind == "country":
        return "countries"
    if spec.kind == "yes_no":
        return "yes_no"
    return spec.vocabulary or None


def write_template(out: str | Path, review_id: str = catalogue.DEFAULT_REVIEW, lang: str = "en") -> Path:
    """Write the submission template to `out` (.xlsx), its instructions in `lang` (en, fr, ru)."""
    check_language(lang)
    review = catalogue.load_review(review_id)
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    practices = wb.create_sheet("Practices")
    reference = wb.create_sheet("Reference")
    lists_ws = wb.create_sheet("Lists")

    lists = _lists(review)
    ranges = _write_lists(lists_ws, lists)
    _write_practices(practices, ranges, lang)
    _write_reference(reference, review)
    _write_readme(readme, review, lang)
    wb.active = 1
    return export._atomic(Path(out), wb.save)


def _write_lists(ws, lists: dict[str, list[str]]) -> dict[str, str]:
    """One column per list; returns list name -> absolute range for data validation."""
    ranges = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        export.set_text(ws.cell(row=1, column=j), name)
        ws.cell(row=1, column=j).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            export.set_text(ws.cell(row=i, column=j), v)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = max(14, max(len(v) for v in values) + 2)
    return ranges


def _write_practices(ws, ranges: dict[str, str], lang: str) -> None:
    """Headers, input messages, drop-downs, frozen header row, widths."""
    for j, spec in enumerate(contract.columns("practices"), start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j)
        export.set_text(cell, spec.name)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if spec.required else OPTIONAL_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = 40 if spec.name in ("title", "description") else 22
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        list_name = _list_for(spec)
        prompt = _prompt(spec, lang)
        if list_name:
            # a list column with several values ("4; 11") cannot be a strict drop-down:
            # it offers the values and warns, and `gcmtools validate` checks each value
            error = ERROR_SEVERAL if spec.multi else ERROR_ONE
            dv = DataValidation(type="list", formula1=f"={ranges[list_name]}", allow_blank=True,
                                showErrorMessage=True, errorStyle="stop" if not spec.multi else "information",
                                errorTitle=translate(ERROR_TITLE, lang).format(column=spec.name)[:32],
                                error=translate(error, lang))
        else:
            dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True)
        dv.promptTitle = spec.name[:32]
        dv.prompt = prompt
        dv.showInputMessage = True
        dv.add(cells)
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


ERROR_TITLE = "Invalid {column}"
ERROR_ONE = "Choose a value from the list."
ERROR_SEVERAL = "Choose a value from the list (or several, separated by ;)."
REQUIRED, OPTIONAL = "Required.", "Optional."
SEVERAL = "Several values: separate with ;"


def _prompt(spec: contract.ColumnSpec, lang: str) -> str:
    """The input message of a column in `lang` (Excel allows 255 characters)."""
    parts = [translate(REQUIRED if spec.required else OPTIONAL, lang), translate(spec.description, lang)]
    if spec.multi:
        parts.append(translate(SEVERAL, lang))
    return " ".join(parts)[:255]


def _write_reference(ws, review: catalogue.Review) -> None:
    """Objectives, principles, guiding questions and the GCM's actions, for submitters to read."""
    rows: list[list[str]] = [["GCM objectives (A/RES/73/195, para. 16)", "", ""], ["number", "title", ""]]
    rows += [[str(r.number), r.title, ""] for r in catalogue.objectives().itertuples()]
    rows += [["", "", ""], ["Guiding principles (para. 15)", "", ""], ["slug", "name", "summary"]]
    rows += [[r.slug, r.name, r.summary] for r in catalogue.principles().itertuples()]
    rows += [["", "", ""], [f"Guiding questions of roundtable {review.roundtable_number}: "
                            f"{review.roundtable_title}", "", ""], ["number", "question", "objectives"]]
    rows += [[str(q.number), q.text, ", ".join(map(str, q.objectives))] for q in review.guiding_questions]
    rows += [["", "", ""], ["GCM actions (the gcm_actions column: the code)", "", ""],
             ["code", "action (short label)", "text (A/RES/73/195)"]]
    rows += [[r.code, r.label, r.text] for r in gcm.actions().itertuples()]
    for row in rows:
        ws.append([None] * 3)
        for j, v in enumerate(row, start=1):
            export.set_text(ws.cell(row=ws.max_row, column=j), v)
    for j, w in enumerate((28, 90, 60), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


README_LINES = (
    "{review}: submission of practices",
    "Roundtable {number}: {title} (GCM objectives {objectives}).",
    "The practices you submit show how the Global Compact for Safe, Orderly and Regular "
    "Migration (GCM) is implemented in the UNECE region.",
    "",
    "How to fill in this workbook",
    "1. Enter one practice per row in the sheet 'Practices' (a measure, policy, programme, "
    "mechanism or agreement). Do not rename, move or delete the column headers.",
    "2. Orange columns are required; blue columns are optional. Select a cell to see what the "
    "column expects; columns with a closed list offer a drop-down.",
    "3. Several values in one cell (countries, objectives, guiding questions, principles, "
    "target groups) are separated by a semicolon, for example: ARM; GEO",
    "4. Countries: ISO3 code (ARM) or name (Armenia); UNECE for a region-wide practice.",
    "5. practice_id must be unique: for example your country code, the year and a number "
    "(ARM-2020-003).",
    "6. Type values, not formulas: formulas are not read.",
    "7. The sheet 'Reference' lists the GCM objectives, the guiding principles, the "
    "guiding questions and the GCM's actions (gcm_actions: 13h; 13a).",
    "8. Write the language of your submission in the column 'language' (en, fr or ru): the "
    "feedback on your submission will be in that language.",
    "",
    "Every row is checked when the workbook is received: you will receive a feedback file "
    "listing any row that could not be accepted, with the reason and what to change.",
)


def messages() -> list[str]:
    """Every message of the template, as the translation catalogues hold them: the README
    lines, the input messages (the contract's column descriptions) and the error messages."""
    texts = [line for line in README_LINES if line]
    texts += [ERROR_TITLE, ERROR_ONE, ERROR_SEVERAL, REQUIRED, OPTIONAL, SEVERAL]
    return texts + [spec.description for spec in contract.columns("practices")]


def _write_readme(ws, review: catalogue.Review, lang: str) -> None:
    """Instructions for submitters, in `lang`."""
    values = {"review": review.review, "number": review.roundtable_number,
              "title": review.roundtable_title, "objectives": ", ".join(map(str, review.objectives))}
    for line in README_LINES:
        ws.append([None])
        export.set_text(ws.cell(row=ws.max_row, column=1), translate(line, lang).format(**values))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A5"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 120
