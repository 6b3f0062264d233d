"""A workbook looked at before it is read: its archive, its sheets and the real extent of the
sheet to read, checked against intake.limits; the sheet chosen by the visible-sheet rule.

Nothing here trusts what the workbook says of itself: the `<dimension>` tag is ignored, the
extent is that of the cells that hold a value, and the archive's members are measured by their
declared sizes (which zipfile never reads past) before anything is decompressed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gcmtools.intake.limits import Limits

SHEET_NAME = "Practices"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
MB = 2**20


class Refused(Exception):
    """A workbook refused before reading (the message is one line, without the file name)."""


@dataclass(frozen=True)
class Plan:
    """What to read: the sheet, its real extent (rows, columns of cells holding values), and the
    notes the choice leaves (a hidden sheet not read)."""

    sheet: str
    rows: int
    columns: int
    notes: tuple[str, ...] = ()


def plan(path: Path, limits: Limits) -> Plan:
    """Check the archive and the workbook against `limits`, choose the sheet, measure it."""
    if not zipfile.is_zipfile(path):
        raise Refused("not a readable .xlsx workbook (not a zip archive: truncated, or another format "
                      "renamed .xlsx)")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_archive(zf, limits)
            sheets = _sheets(zf)
            if len(sheets) > limits.xlsx_sheets:
                raise Refused(f"{len(sheets):,} sheets; at most {limits.xlsx_sheets:,} are read "
                              "(limit xlsx_sheets)")
            name, notes = choose_sheet([(n, state) for n, state, _ in sheets])
            member = next(m for n, _, m in sheets if n == name)
            rows, columns = _extent(zf, member, limits)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as exc:
        raise Refused(f"not a readable .xlsx workbook ({type(exc).__name__}: truncated or damaged)") from None
    return Plan(name, rows, columns, tuple(notes))


def _check_archive(zf: zipfile.ZipFile, limits: Limits) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > MB and info.file_size > limits.xlsx_ratio * max(info.compress_size, 1):
            raise Refused(f"member {info.filename} expands {info.file_size / max(info.compress_size, 1):,.0f} "
                          f"times ({info.compress_size:,} bytes to {info.file_size:,}): a zip bomb? "
                          f"(limit xlsx_ratio = {limits.xlsx_ratio})")
    if total > limits.xlsx_uncompressed_mb * MB:
        raise Refused(f"{total / MB:,.0f} MB uncompressed; at most {limits.xlsx_uncompressed_mb:,} MB "
                      "(limit xlsx_uncompressed_mb)")


def _parse(zf: zipfile.ZipFile, member: str):
    from defusedxml import ElementTree

    with zf.open(member) as fh:
        return ElementTree.parse(fh).getroot()


def _sheets(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, archive member) of every worksheet, in the workbook's order."""
    book = _parse(zf, "xl/workbook.xml")
    rels = _parse(zf, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    out = []
    for s in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out.append((s.get("name", ""), s.get("state", "visible"), member))
    return out


def choose_sheet(sheets: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """The sheet to read, of (name, state) pairs: the visible one named Practices (any case), else
    the only visible sheet; a hidden Practices is never read while a visible sheet is there.
    Refused: two sheets whose names differ only by case, or no sheet to choose."""
    named = [(n, s) for n, s in sheets if n.strip().casefold() == SHEET_NAME.casefold()]
    if len(named) > 1:
        raise Refused(f"sheets {' and '.join(repr(n) for n, _ in named)} differ only by case: "
                      "keep one and rename or delete the other")
    visible = [n for n, s in sheets if s == "visible"]
    hidden = [n for n, s in named if s != "visible"]
    notes = [f"sheet {hidden[0]!r} is hidden and was not read (the visible sheet was)"] if hidden else []
    if named and not hidden:
        return named[0][0], notes
    if len(visible) == 1:
        return visible[0], notes
    if hidden:
        raise Refused(f"the sheet {hidden[0]!r} is hidden and {len(visible)} sheets are visible: unhide it "
                      "or delete the stale one")
    names = ", ".join(n for n, _ in sheets)
    raise Refused(f"no sheet named {SHEET_NAME!r} among {len(sheets)} sheets ({names})")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _extent(zf: zipfile.ZipFile, member: str, limits: Limits) -> tuple[int, int]:
    """The furthest row and column holding a cell with a value, streamed (the `<dimension>` tag
    is not read); refused as soon as a limit is passed."""
    from defusedxml import ElementTree

    rows = columns = 0
    row = col = 0
    with zf.open(member) as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_NS_MAIN}row":
                    row, col = int(el.get("r") or row + 1), 0
                continue
            if tag == f"{_NS_MAIN}c":
                ref = _REF.match(el.get("r", ""))
                row, col = (int(ref.group(2)), _column_number(ref.group(1))) if ref else (row, col + 1)
                if any(el.find(f"{_NS_MAIN}{t}") is not None for t in ("v", "is", "f")):
                    rows, columns = max(rows, row), max(columns, col)
                    _check_extent(rows, columns, el.get("r", ""), limits)
                el.clear()
            elif tag == f"{_NS_MAIN}row":
                el.clear()
    return rows, columns


def _check_extent(rows: int, columns: int, ref: str, limits: Limits) -> None:
    where = f"a value in cell {ref}" if ref else "a value"
    if rows > limits.xlsx_rows:
        raise Refused(f"{where}: row {rows:,} is beyond the limit of {limits.xlsx_rows:,} rows "
                      "(limit xlsx_rows; delete stray cells far below the table)")
    if columns > limits.xlsx_columns:
        raise Refused(f"{where}: column {columns:,} is beyond the limit of {limits.xlsx_columns:,} columns "
                      "(limit xlsx_columns; delete stray cells far right of the table)")
    if rows * columns > limits.xlsx_cells:
        raise Refused(f"{where}: the sheet spans {rows:,} rows x {columns:,} columns, over "
                      f"{limits.xlsx_cells:,} cells (limit xlsx_cells)")
