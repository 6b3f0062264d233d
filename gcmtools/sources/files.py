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
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path_str).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
    return tuple(tuple("" if c is None else str(c).strip() for c in row) for row in rows)


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
            return pd.read_excel(path, sheet_name=0, engine="calamine", **kwargs)
        encoding, separator = text_format(path)
        return pd.read_csv(path, sep=separator, encoding=encoding, **kwargs)


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
