"""Exports never carry formulas: XLSX cells are typed text, CSV cells get the OWASP apostrophe."""

import csv

import openpyxl
import pandas as pd
import pytest

from gcmtools.intake import export

HOSTILE = ["=1+2", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def test_xlsx_cells_are_text_and_read_back_unchanged(tmp_path):
    df = pd.DataFrame({"value": HOSTILE + ["-5", "plain"], "n": range(9)})
    path = export.write_xlsx({"S": df}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path)["S"]
    cells = [ws.cell(row=i, column=1) for i in range(2, 11)]
    # XML turns a bare carriage return into a line feed when the file is read: the one change
    # (openpyxl writing through lxml, installed with python-docx, keeps it as written)
    kept = HOSTILE if openpyxl.xml.LXML else [v.replace("\r", "\n") for v in HOSTILE]
    assert [c.value for c in cells] == kept + ["-5", "plain"]
    assert all(c.data_type == "s" for c in cells)  # never 'f' (formula)
    assert all(c.quotePrefix for c in cells[:7]) and not cells[8].quotePrefix
    assert ws.cell(row=2, column=2).value == 0  # numbers stay numbers


def test_csv_cells_are_neutralised(tmp_path):
    df = pd.DataFrame({"=head": HOSTILE + ["-5", "plain"]})
    path = export.write_csv(df, tmp_path / "x.csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[0] == ["'=head"]
    assert [r[0] for r in rows[1:8]] == ["'" + v for v in HOSTILE]
    assert rows[8:] == [["-5"], ["plain"]]


@pytest.mark.parametrize("value, dangerous", [
    ("=A1", True), ("+1", False), ("-1.5", False), ("-1e3", False), ("- item", True), ("@x", True),
    ("text", False), (5, False), ("", False),
])
def test_is_dangerous(value, dangerous):
    assert export.is_dangerous(value) is dangerous


def test_rejection_report_is_neutralised(tmp_path):
    from gcmtools.intake.validate import validate_paths, write_report
    f = tmp_path / "p.csv"
    f.write_text("practice_id,submitter,submitter_type,country,objectives,title,description\n"
                 "=HYPERLINK(1),X,nope,ARM,10,T,D\n", encoding="utf-8")
    out = write_report(validate_paths([f]).problems, tmp_path / "r.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["practice_id"] == "'=HYPERLINK(1)"


DISGUISED = ["\uff1d1+2", "\ufeff=cmd|' /C calc'!A0", "\u200b=1+2", "\u00a0=HYPERLINK(\"http://x\",\"y\")",
             " =1+2", "\uff0b1+2+A1"]


def test_formulas_disguised_by_unicode_are_neutralised_in_every_writer(tmp_path):
    """Full-width "＝", a byte-order mark, a zero-width or a no-break space before "=": a
    spreadsheet that normalises or trims them runs the formula."""
    df = pd.DataFrame({"value": DISGUISED + ["\uff11\uff12", "plain"]})  # full-width 12: a number
    assert [export.is_dangerous(v) for v in df["value"]] == [True] * 6 + [False, False]
    rows = list(csv.reader(export.write_csv(df, tmp_path / "x.csv").open(encoding="utf-8", newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DISGUISED] + ["\uff11\uff12", "plain"]
    ws = openpyxl.load_workbook(export.write_xlsx({"S": df}, tmp_path / "x.xlsx"))["S"]
    cells = [ws.cell(row=i, column=1) for i in range(2, 10)]
    assert [c.value for c in cells] == list(df["value"])
    assert [bool(c.quotePrefix) for c in cells] == [True] * 6 + [False, False]
