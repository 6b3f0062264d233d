"""Submitted files in, tables of text out: CSV (any usual encoding and delimiter), XLSX, JSON.

Every cell comes back as a string exactly as submitted (no type guessing), with the row number a
person sees in a spreadsheet (header row = 1). A file that cannot be read as a table at all
raises UnreadableFile with one line saying why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DATA_SUFFIXES = (".csv", ".xlsx", ".json")
SHEET_NAME = "Practices"
ENCODINGS = ("utf-8-sig", "cp1252")


class UnreadableFile(Exception):
    """A file that cannot be read as a table at all (exit code 2)."""


@dataclass
class RawTable:
    """The cells of one submitted file, as text.

    frame: one row per record, all columns str; row numbers in `rows` (header row = 1).
    blank_rows: spreadsheet rows that were entirely empty (not records; reported, not read).
    """

    file: str
    frame: pd.DataFrame
    rows: list[int]
    blank_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overflow: dict[int, int] = field(default_factory=dict)


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files to read: each file as given, each folder's data files (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DATA_SUFFIXES
            )
            if not found:
                raise UnreadableFile(f"{p}: folder holds no .csv, .xlsx or .json file")
            out.extend(found)
        else:
            out.append(p)
    return out


def read_table(path: str | Path) -> RawTable:
    """Read one submitted file (by its suffix) into a RawTable; UnreadableFile if impossible."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise UnreadableFile(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .json)")


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path) -> RawTable:
    """CSV in UTF-8 (with or without BOM) or cp1252, comma- or semicolon-delimited."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(f"{path}: file is empty")
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"{path}: binary content, not a text CSV file")
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    notes = [] if encoding == "utf-8-sig" else [f"read as {encoding} (not UTF-8)"]
    return _from_records(str(path), records, notes)


def _decode(data: bytes) -> tuple[str, str]:
    """Decode bytes with the first encoding that fits: UTF-8 (BOM or not), then cp1252."""
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most known columns."""
    from gcmtools.contract import column_names

    known = set(column_names("practices")) | set(column_names("observations"))
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""

    def score(sep: str) -> tuple[int, int]:
        cells = [c.strip().strip('"').strip() for c in header.split(sep)]
        return (sum(c in known for c in cells), len(cells))

    return max([",", ";", "\t"], key=score)


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> RawTable:
    """The sheet named Practices (or the only sheet), values only (cached results of formulas)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml or format errors all mean: not a workbook
        raise UnreadableFile(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        names = wb.sheetnames
        match = [n for n in names if n.strip().lower() == SHEET_NAME.lower()]
        if match:
            ws = wb[match[0]]
        elif len(names) == 1:
            ws = wb[names[0]]
        else:
            raise UnreadableFile(
                f"{path}: no sheet named {SHEET_NAME!r} among {len(names)} sheets ({', '.join(names)})"
            )
        records = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _from_records(str(path), records, [])


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 4.0 -> '4', dates as ISO, None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


# --- JSON -----------------------------------------------------------------------------------


def _read_json(path: Path) -> RawTable:
    """A JSON list of records (objects); lists inside a record are joined with ';'."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableFile(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise UnreadableFile(
            f"{path}: JSON must be a list of records, found {type(data).__name__}"
        )
    columns: list[str] = []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise UnreadableFile(f"{path}: record {i + 1} is a {type(rec).__name__}, not an object")
        columns += [k for k in rec if k not in columns]
    records = [columns] + [[_json_text(rec.get(c)) for c in columns] for rec in data]
    # JSON has no header row: record i is reported as row i + 1 (first record = row 2 would
    # mislead); we keep the spreadsheet convention so reports read the same for all formats.
    return _from_records(str(path), records, [])


def _json_text(value: object) -> str:
    """A JSON value as text: lists joined with '; ', numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    return _cell_text(value)


# --- common ---------------------------------------------------------------------------------


def _from_records(file: str, records: list[list[str]], notes: list[str]) -> RawTable:
    """Header + records -> RawTable; rows numbered as in a spreadsheet, blank rows set aside."""
    if not records or not any(c.strip() for c in records[0]):
        raise UnreadableFile(f"{file}: no header row (the first row is empty)")
    header = [h.strip().lstrip("\ufeff").strip() for h in records[0]]
    while header and header[-1] == "":  # trailing empty header cells (Excel formatting)
        header.pop()
    header = _checked_header(file, header)
    width = len(header)
    rows, blank, body, overflow = [], [], [], {}
    for i, rec in enumerate(records[1:], start=2):
        cells = list(rec[:width]) + [""] * (width - len(rec))
        extra = [c for c in rec[width:] if c.strip()]
        if not any(c.strip() for c in cells) and not extra:
            blank.append(i)
            continue
        if extra:
            overflow[i] = len(extra)
        rows.append(i)
        body.append(cells)
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(
        columns=header, dtype=object
    )
    return RawTable(file, frame, rows, blank_rows=blank, notes=notes, overflow=overflow)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _checked_header(file: str, header: list[str]) -> list[str]:
    """Refuse duplicated column names; name blank ones after their column letter."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        if not name:
            name = f"(blank header, column {column_letter(i)})"
        if name in seen:
            raise UnreadableFile(
                f"{file}: row 1: column {name!r} appears twice "
                f"(columns {column_letter(seen[name])} and {column_letter(i)})"
            )
        seen[name] = i
        out.append(name)
    return out
