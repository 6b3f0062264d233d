"""Tables out to CSV and XLSX files that a spreadsheet cannot turn into formulas.

Every CSV or XLSX the workbook writes for people (rejection reports, feedback, the explorer's
export, annex tables) goes through here. A text cell starting with =, +, -, @, tab or carriage
return would run as a formula when opened in Excel or LibreOffice:
- in XLSX it is stored as a typed text cell with Excel's quote prefix: it shows and reads back
  exactly as written, and is never evaluated;
- in CSV (which has no types) it is prefixed with an apostrophe, the OWASP rule.
A cell is judged after Unicode normalisation and with invisible characters and leading spaces
removed (a full-width "＝", a byte-order mark, a zero-width or no-break space before "=").
`gcmtools ingest` writes its CSV through `neutralise` too (gcmtools.sources.files.write_table).
Numbers (including negative ones) are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


#: characters a spreadsheet may drop or look through before a formula's "=": byte-order mark,
#: zero-width space, non-joiner, joiner, word joiner (whitespace, no-break spaces included, too)
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def is_dangerous(value: object) -> bool:
    """True for text that a spreadsheet would read as a formula (not for plain numbers).

    Judged after Unicode normalisation (NFKC: a full-width "＝" is "="), with invisible
    characters and leading whitespace (no-break spaces included) removed: "\ufeff=cmd|..."
    and "\u00a0=HYPERLINK(...)" are formulas to a spreadsheet that trims them."""
    if not isinstance(value, str):
        return False
    shown = unicodedata.normalize("NFKC", value)
    shown = shown.translate({ord(c): None for c in _INVISIBLE}).lstrip(" \u00a0\u202f\u2007\n\x0b\x0c")
    return (value.startswith(DANGEROUS_START) or shown.startswith(DANGEROUS_START)) and not (
        _NUMBER.match(value.strip()))


def neutralise(value: object) -> object:
    """A CSV cell made safe: an apostrophe before a dangerous text; anything else unchanged."""
    return "'" + value if is_dangerous(value) else value


def _cell(value: object) -> object:
    """Lists as '; '-joined text, missing values as empty cells."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return value


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write `df` as UTF-8 CSV with dangerous cells neutralised, atomically."""
    path = Path(path)
    safe = df.map(lambda v: neutralise(_cell(v))) if len(df) else df
    safe.columns = [neutralise(str(c)) for c in df.columns]
    # CRLF line ends (RFC 4180) also make the writer quote cells holding a bare carriage return
    return _atomic(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n"))


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path, widths: dict[str, int] | None = None) -> Path:
    """Write one sheet per DataFrame; every text cell typed as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(_sheet_title(name))
        ws.append([None] * len(df.columns))
        for j, col in enumerate(df.columns, start=1):
            set_text(ws.cell(row=1, column=j), str(col))
            ws.cell(row=1, column=j).font = Font(bold=True)
        for i, row in enumerate(df.itertuples(index=False), start=2):
            for j, value in enumerate(row, start=1):
                value = _cell(value)
                cell = ws.cell(row=i, column=j)
                if isinstance(value, str):
                    set_text(cell, value)
                else:
                    cell.value = value
        ws.freeze_panes = "A2"
        for j, col in enumerate(df.columns, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = (widths or {}).get(str(col), min(60, max(12, len(str(col)) + 2)))
    return _atomic(path, wb.save)


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XLSX cannot hold (openpyxl refuses)


def set_text(cell, value: str) -> None:
    """Put `value` in an openpyxl cell as text, never as a formula, with Excel's quote prefix;
    control characters an XLSX file cannot hold are written as escapes (\\x1b)."""
    value = _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    cell.value = value
    cell.data_type = "s"
    if is_dangerous(value):
        cell.quotePrefix = True


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"


def _atomic(path: Path, write) -> Path:
    """Write to a temporary file beside `path`, then rename it into place."""
    from gcmtools.store import atomic_write

    return atomic_write(Path(path), write)


# names Windows reserves for devices, whatever the extension ("nul.html" is the device NUL)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_filename(name: str, fallback: str = "unnamed") -> str:
    """A file name from free text, safe on every platform: ASCII letters, digits and hyphens
    (other scripts transliterated by unidecode: Cyrillic, Greek, ...), at most 80 characters,
    never a name Windows reserves for a device (`nul` becomes `nul-file`).

    >>> safe_filename("Ministère de l'Intérieur"), safe_filename("NUL"), safe_filename("com1"), safe_filename("???")
    ('ministere-de-l-interieur', 'nul-file', 'com1-file', 'unnamed')
    >>> safe_filename("Министерство внутренних дел")
    'ministerstvo-vnutrennikh-del'
    """
    from unidecode import unidecode

    text = unidecode(unicodedata.normalize("NFC", str(name)), errors="ignore")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:80].strip("-")
    if text in _RESERVED:
        text += "-file"
    return text or fallback
