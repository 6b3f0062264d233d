"""An xlsx's first rows, read from a copy cut after them, are what calamine gives from the
whole sheet (files._excel_head); a whole sheet read by read_table's ExcelFile is what
pd.read_excel(engine="calamine") gives (files._excel_file): on the shipped workbooks and on
small ones made here."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
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


@pytest.mark.slow  # every shipped workbook read whole
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


# --- whole sheets: read_table's ExcelFile gives what pd.read_excel gives ------------------------


def _both(path: Path, **kwargs: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    expected = pd.read_excel(path, sheet_name=0, engine="calamine", **kwargs)
    with files._excel_file(path) as book:
        got = pd.read_excel(book, sheet_name=0, **kwargs)
    return expected, got


@pytest.mark.slow  # each shipped workbook read whole, twice
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_workbooks_read_as_pandas_reads_them(path) -> None:
    header = files.header_row(path)
    for kwargs in ({"header": header}, {"header": header, "dtype": str}):
        expected, got = _both(path, **kwargs)
        assert_frame_equal(got, expected, check_exact=True)


def test_every_kind_of_cell_read_as_pandas_reads_it(tmp_path) -> None:
    rows = [["text", "whole", "fraction", "flag", "day", "moment", "clock", "mixed"]]
    rows += [[f"t{i}", i, i + 0.25, i % 2 == 0, datetime.date(2020, 1, 1 + i),
              datetime.datetime(2021, 2, 3, 4, 5, i), datetime.time(1, 2, i),
              ["12", 12, 12.5, None, "NA", "", True, datetime.date(2022, 1, 1)][i % 8]]
             for i in range(24)]
    rows.append([None] * 8)
    rows.append(["last", None, None, None, None, None, None, "x"])
    path = _workbook(tmp_path / "kinds.xlsx", rows)
    for kwargs in ({}, {"dtype": str}, {"dtype": str, "keep_default_na": False}, {"header": None}):
        expected, got = _both(path, **kwargs)
        assert_frame_equal(got, expected, check_exact=True)
    assert files.read_table(path)["whole"].tolist()[:3] == [0, 1, 2]
