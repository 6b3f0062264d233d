"""Source files in, tables and text out; observation tables out to CSV or Parquet.

The one place in gcmtools.sources that opens a file: headers for layout detection, whole
tables for the adapters, SOURCE.txt and metadata beside the data.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gcmtools.paths import project_root
from gcmtools.store import atomic_write, file_hash

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TEXT_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
DATA_SUFFIXES = EXCEL_SUFFIXES + TEXT_SUFFIXES
SNIFF_BYTES = 65536


# --- what a file is -------------------------------------------------------------------------


class UnreadableFileError(ValueError):
    """A data file that cannot be opened as what its name says (a truncated gzip, a text file
    named .gz, a truncated or non-zip xlsx): the message names the file, in one line."""


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Errors of the decompressors and of calamine while reading `path` as UnreadableFileError."""
    import zlib

    from python_calamine import CalamineError

    kind = "Excel workbook" if is_excel(path) else ("gzip file" if path.name.lower().endswith(".gz")
                                                   else "text table")
    try:
        yield
    except (EOFError, zlib.error, gzip.BadGzipFile, CalamineError) as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise UnreadableFileError(f"{path.name}: not a readable {kind} ({why}); "
                                  "is the file whole?") from None


def is_data_file(path: Path) -> bool:
    """True for the file types adapters read (csv, csv.gz, tsv, xlsx); never SOURCE.txt."""
    name = path.name.lower()
    return path.is_file() and name.endswith(DATA_SUFFIXES) and not name.startswith(("~$", "."))


def is_excel(path: Path) -> bool:
    return path.name.lower().endswith(EXCEL_SUFFIXES)


def display_path(path: Path) -> str:
    """The path relative to the project root if inside it, else the file name."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return resolved.name


# --- text files: encoding and separator -----------------------------------------------------


def _head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        return fh.read(size)


def text_format(path: Path) -> tuple[str, str]:
    """(encoding, separator) of a csv/tsv file, sniffed from its first bytes (read each time:
    a cache keyed on the file's name and time would answer for a replaced file)."""
    head = _head_bytes(Path(path))
    try:
        text = head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sniffed bytes is not an error
        if exc.start >= len(head) - 4:
            text = head[: exc.start].decode("utf-8-sig")
            encoding = "utf-8-sig"
        else:
            text, encoding = head.decode("latin-1"), "latin-1"
    first = text.splitlines()[0] if text.strip() else ""
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    separator = max(counts, key=counts.get) if any(counts.values()) else ","
    return encoding, separator


# --- reading tables -------------------------------------------------------------------------


HEADER_SCAN_ROWS = 10  # a publisher's preamble (title, release date) sits above the header


def read_head(path: Path, rows: int = HEADER_SCAN_ROWS) -> list[list[str]]:
    """The first `rows` rows of an Excel file's first sheet, every cell as text ("" if empty)."""
    head = _excel_head(str(Path(path).resolve()), file_hash(Path(path)))
    return [list(row) for row in head[:rows]]


@lru_cache(maxsize=64)
def _excel_head(path_str: str, content: str) -> tuple[tuple[str, ...], ...]:
    """The first HEADER_SCAN_ROWS rows as calamine reads them, trailing empty cells left out.

    calamine loads a whole sheet to give any row of it (0.3-0.5 s for a 20 MB sheet), so an
    xlsx is first cut to its first rows (_xlsx_head_workbook) and that small workbook is read;
    an .xls, or an xlsx whose parts are not where the cut expects them, is read whole.
    """
    from python_calamine import CalamineWorkbook

    cut = _xlsx_head_workbook(Path(path_str), HEADER_SCAN_ROWS)
    book = (CalamineWorkbook.from_filelike(cut[0]) if cut is not None
            else CalamineWorkbook.from_path(path_str))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
    text = [["" if c is None else str(c).strip() for c in row] for row in rows]
    if cut is not None and cut[1]:  # rows beyond the cut: the whole sheet's first rows are
        text += [[] for _ in range(HEADER_SCAN_ROWS - len(text))]  # all there, empty or not
    for row in text:  # a cut sheet is narrower than the whole one: only empty cells differ
        while row and not row[-1]:
            row.pop()
    return tuple(tuple(row) for row in text)


_ROW_END = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.DOTALL)
_ROW_NUMBER = re.compile(rb"""\br=["'](\d+)["']""")
_SHEET_TARGET = re.compile(rb"""<(?:\w+:)?sheet\b[^>]*?\br:id=["']([^"']+)["']""")


def _xlsx_head_workbook(path: Path, rows: int,
                        chunk: int = 1 << 16) -> tuple[io.BytesIO, bool] | None:
    """An in-memory copy of an xlsx whose first sheet holds only its first `rows` rows (every
    other part as it is, stored uncompressed) and whether the sheet had rows after them, or
    None when the file is no xlsx with its first sheet where the relationships say (then the
    caller reads the whole file).

    The sheet's XML is decompressed until the first row numbered above `rows` (or the end of
    its sheetData); what follows the cut is replaced by the closing tags. calamine then reads
    those cells exactly as it reads them in the whole sheet (strings, numbers, dates by style).
    """
    import zipfile

    if not path.name.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        with zipfile.ZipFile(path) as book:
            sheet = _first_sheet_part(book)
            if sheet is None:
                return None
            found = _rows_prefix(book, sheet, rows, chunk)
            if found is None:
                return None
            head, more = found
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as small:
                for info in book.infolist():
                    data = head if info.filename == sheet else book.read(info)
                    small.writestr(info.filename, data)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    out.seek(0)
    return out, more


def _first_sheet_part(book) -> str | None:
    """The zip member holding the workbook's first sheet (workbook.xml's first <sheet>)."""
    import posixpath

    workbook = book.read("xl/workbook.xml")
    found = _SHEET_TARGET.search(workbook)
    if found is None:
        return None
    rels = book.read("xl/_rels/workbook.xml.rels")
    for rel in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        rid = re.search(rb"""\bId=["']([^"']+)["']""", tag)
        target = re.search(rb"""\bTarget=["']([^"']+)["']""", tag)
        if rid and target and rid.group(1) == found.group(1):
            name = target.group(1).decode("utf-8")
            part = name.lstrip("/") if name.startswith("/") else posixpath.normpath(
                posixpath.join("xl", name))
            return part if part in book.namelist() else None
    return None


def _rows_prefix(book, sheet: str, rows: int, chunk: int) -> tuple[bytes, bool] | None:
    """The sheet's XML up to its first row numbered above `rows`, closed, and whether there
    was such a row; None when the XML is not as expected."""
    buffer = b""
    with book.open(sheet) as fh:
        while True:
            data = fh.read(chunk)
            buffer += data
            start = buffer.find(b"<sheetData")
            if start >= 0:
                if re.match(rb"<sheetData\s*/>", buffer[start:]):
                    return buffer + fh.read(), False  # an empty sheet: keep it whole
                body = buffer.index(b">", start) + 1 if b">" in buffer[start:] else -1
                if body > 0:
                    cut = _cut_after_rows(buffer, body, rows)
                    if cut is not None:
                        more = not buffer[cut:].lstrip().startswith(b"</sheetData")
                        return buffer[:cut] + b"</sheetData></worksheet>", more
            if not data:
                return None
            if len(buffer) > (64 << 20):
                return None


def _cut_after_rows(buffer: bytes, body: int, rows: int) -> int | None:
    """Where the rows numbered 1..`rows` end in buffer (None until a later row or the end of
    sheetData is in it)."""
    number = 0
    position = body
    for row in _ROW_END.finditer(buffer, body):
        if buffer[position:row.start()].strip():
            raise ValueError("not rows only")  # leave such a sheet to calamine whole
        opening = row.group(0)[: row.group(0).index(b">") + 1]
        explicit = _ROW_NUMBER.search(opening)
        number = int(explicit.group(1)) if explicit else number + 1
        if number > rows:
            return row.start()
        position = row.end()
    rest = buffer[position:].lstrip()
    if rest.startswith(b"</sheetData"):
        return position
    return None


def header_row(path: Path, required: tuple[str, ...] = ()) -> int:
    """The row (0-based) holding an Excel sheet's column names, found by its columns.

    With `required`: the first of the first HEADER_SCAN_ROWS rows naming every one of them
    (case and spacing ignored); ValueError naming the file when none does. Without: the first
    row as wide as the widest of them, so a publisher's preamble rows (UNODC's "UNODC" and
    release-date rows above the GLOTIP header) are skipped.
    """
    head = read_head(Path(path))
    if required:
        wanted = {_name(c) for c in required}
        for i, row in enumerate(head):
            if wanted <= {_name(c) for c in row}:
                return i
        raise ValueError(f"{Path(path).name}: no row among the first {len(head)} names the "
                         f"columns {', '.join(required)}")
    widths = [sum(1 for c in row if c) for row in head]
    return widths.index(max(widths)) if widths and max(widths) else 0


def _name(column: str) -> str:
    """A column name as layouts compare it (as base.normalise_name: BOM, spacing, case)."""
    return " ".join(str(column).replace("\ufeff", "").split()).casefold()


def read_columns(path: Path) -> list[str]:
    """The column names of a data file (for Excel, of the header row, see header_row)."""
    path = Path(path)
    with _reading(path):
        if is_excel(path):
            head = read_head(path)
            return [c for c in head[header_row(path)] if c] if head else []
        encoding, separator = text_format(path)
        head = _head_bytes(path).decode(encoding, errors="replace")
    if not head.strip():
        return []
    first_line = head.splitlines()[0]
    header = pd.read_csv(io.StringIO(first_line), sep=separator, nrows=0, dtype=str)
    return [str(c) for c in header.columns]


def read_table(path: Path, **kwargs: object) -> pd.DataFrame:
    """A whole data file as a DataFrame (first sheet for Excel, via calamine).

    Keyword arguments go to pandas (dtype, usecols, keep_default_na, header, ...). Excel is
    read from its header row (header_row) unless `header` is given. Text files are read with
    the encoding and separator sniffed from their first bytes.
    """
    path = Path(path)
    with _reading(path):
        if is_excel(path):
            kwargs.setdefault("header", header_row(path))
            with _excel_file(path) as book:
                return pd.read_excel(book, sheet_name=0, **kwargs)
        encoding, separator = text_format(path)
        return pd.read_csv(path, sep=separator, encoding=encoding, **kwargs)


def _excel_file(path: Path) -> pd.ExcelFile:
    """`path` as pandas' calamine ExcelFile, its cells converted as pandas converts them but
    a text cell without a call (pandas calls a function for each of a sheet's cells: 0.5 s
    of GLOTIP's 1.5 s); pd.read_excel of it gives what pd.read_excel(path, engine="calamine")
    gives (tests/sources/test_excel_head.py compares the two)."""
    return _fast_excel_file_class()(path, engine="calamine")


@lru_cache(maxsize=1)
def _fast_excel_file_class() -> type:
    from datetime import date, datetime, timedelta

    from pandas.io.excel._calamine import CalamineReader

    def cell(value: object) -> object:
        # pandas' CalamineReader.get_sheet_data's _convert_cell, for the cells not text
        if isinstance(value, float):
            return int(value) if value.is_integer() else value
        if isinstance(value, (datetime, timedelta)):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        return value

    class TextFirstReader(CalamineReader):
        def get_sheet_data(self, sheet, file_rows_needed=None):  # noqa: ANN001, ANN202
            rows = sheet.to_python(skip_empty_area=False, nrows=file_rows_needed)
            return [[v if type(v) is str else (int(v) if v.is_integer() else v)
                     if type(v) is float else cell(v) for v in row] for row in rows]

    class TextFirstExcelFile(pd.ExcelFile):
        _engines = {**pd.ExcelFile._engines, "calamine": TextFirstReader}

    return TextFirstExcelFile


# --- text beside the data -------------------------------------------------------------------


def find_source_txt(path: Path, levels: int = 3) -> Path | None:
    """The nearest SOURCE.txt in the file's folder or up to `levels` folders above."""
    folder = Path(path).resolve().parent
    for _ in range(levels + 1):
        candidate = folder / "SOURCE.txt"
        if candidate.is_file():
            return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def source_txt(path: Path) -> str:
    """The text of the SOURCE.txt that documents `path` ("" when there is none)."""
    found = find_source_txt(path)
    return found.read_text(encoding="utf-8", errors="replace") if found else ""


def source_field(text: str, key: str) -> str:
    """The value of a `Key: value` line of a SOURCE.txt ("" when absent)."""
    match = re.search(rf"^{re.escape(key)}\s*:\s*(.+)$", text, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else ""


def read_front_matter(path: Path) -> dict:
    """The YAML mapping at the top of a metadata file (.md front matter or .yml); {} if none."""
    from gcmtools import store

    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return {}
    if text.lstrip().startswith("---"):
        parts = text.lstrip().split("---")
        text = parts[1] if len(parts) > 1 else ""
    try:
        data = store.load_yaml(text)
    except store.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


# --- writing --------------------------------------------------------------------------------


class ParquetUnavailableError(RuntimeError):
    """Parquet output asked for, but the optional package pyarrow is not installed."""


def parquet_available() -> bool:
    """True when pyarrow is installed, so observations can be written as Parquet."""
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def write_table(df: pd.DataFrame, out: Path) -> Path:
    """Write observations as CSV, or Parquet when the name ends in .parquet (needs pyarrow); in
    CSV a text cell a spreadsheet would run as a formula is neutralised (intake.export)."""
    out = Path(out)
    if out.name.lower().endswith(".parquet"):
        if not parquet_available():
            raise ParquetUnavailableError(
                f"cannot write {out.name}: Parquet output needs the optional package pyarrow, "
                "which is not installed; install it (pip install pyarrow) or write a .csv file"
            )
        frame = df.copy()
        frame.attrs = {}
        return atomic_write(out, lambda tmp: frame.to_parquet(tmp, index=False))
    from gcmtools.intake.export import neutralise  # custodians' cells may hold formulas

    safe = df.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return atomic_write(out, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8"))
