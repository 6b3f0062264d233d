"""An xlsx's first rows, read from a copy cut after them, are what calamine gives from the
whole sheet (files._excel_head): on the shipped workbooks and on small ones made here."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import ROOT
from gcmtools.sources import files

SHIPPED = sorted((ROOT / "data").rglob("*.xlsx"))


def _whole(path: Path) -> tuple[tuple[str, ...], ...]:
    """The first rows as the whole sheet gives them (calamine loads every row), each row
    without its trailing empty cells."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False, nrows=files.HEADER_SCAN_ROWS)
    text = [["" if c is None else str(c).strip() for c in row] for row in rows]
    for row in text:
        while row and not row[-1]:
            row.pop()
    return tuple(tuple(row) for row in text)


def _cut(path: Path) -> tuple[tuple[str, ...], ...]:
    return files._excel_head.__wrapped__(str(path), "not cached")


def _workbook(path: Path, rows: list[list[object]], first_row: int = 1, sheets: int = 1) -> Path:
    book = openpyxl.Workbook()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                book.active.cell(row=first_row + i, column=j + 1, value=value)
    for k in range(sheets - 1):
        book.create_sheet(f"other{k}").cell(row=1, column=1, value="not the first sheet")
    book.save(path)
    return path


def test_shipped_workbooks_first_rows_as_from_the_whole_sheet() -> None:
    assert len(SHIPPED) == 4
    for path in SHIPPED:
        assert files._xlsx_head_workbook(path, files.HEADER_SCAN_ROWS) is not None, path
        assert _cut(path) == _whole(path), path


CASES = {
    "preamble_and_dates": [["UNODC"], [datetime.datetime(2025, 4, 14)], [None],
                           ["a", "b", "c"], [datetime.date(2020, 1, 1), True, 1.5]]
                          + [[1, 2, 3]] * 20,
    "header_after_blank_rows": [["a"]] + [[None]] * 10 + [["late"]],
    "fewer_rows_than_scanned": [["a", "b"], [1, 2]],
    "row_ten_blank_then_more": [["a"]] + [[i] for i in range(8)] + [[None], ["after"]],
    "row_ten_blank_and_last": [["a"]] + [[i] for i in range(8)],
    "wide_data_narrow_header": [["h", None, None, None, "z"]] + [[1] * 30] * 20,
    "empty_sheet": [],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_made_workbooks_first_rows_as_from_the_whole_sheet(tmp_path, name) -> None:
    path = _workbook(tmp_path / f"{name}.xlsx", CASES[name])
    assert files._xlsx_head_workbook(path, files.HEADER_SCAN_ROWS) is not None
    assert _cut(path) == _whole(path)


def test_data_starting_below_the_first_row_and_later_sheets(tmp_path) -> None:
    low = _workbook(tmp_path / "low.xlsx", [["h1", None, "h3"]] + [[1, 2, 3]] * 15, first_row=4)
    assert _cut(low) == _whole(low)
    assert _cut(low)[3] == ("h1", "", "h3")
    many = _workbook(tmp_path / "many.xlsx", [["a", "b"]] + [[1, 2]] * 12, sheets=3)
    assert _cut(many) == _whole(many)
    assert _cut(many)[0] == ("a", "b")


def test_what_the_cut_does_not_understand_is_read_whole(tmp_path) -> None:
    """A file that is no zip, or no sheet where the relationships say, is left to calamine."""
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip at all")
    assert files._xlsx_head_workbook(fake, files.HEADER_SCAN_ROWS) is None
    with pytest.raises(files.UnreadableFileError):
        files.read_columns(fake)
    assert files._xlsx_head_workbook(tmp_path / "book.xls", 10) is None  # not a zip format
