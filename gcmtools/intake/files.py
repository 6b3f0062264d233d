"""Submitted files in, tables of text out: CSV (any usual encoding and delimiter), XLSX, JSON.

Every cell comes back as a string exactly as submitted (no type guessing), with the row number a
person sees in a spreadsheet (header row = 1). A file that cannot be read as a table at all
raises UnreadableFile with one line saying why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import operator
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gcmtools.intake import rules

DATA_SUFFIXES = (".csv", ".xlsx", ".json")
MAX_CELL = 32_767  # a spreadsheet cell's limit (Excel)
XLSX_FULL_READ_LIMIT = 20 * 2**20  # above this size an xlsx is streamed without cell checks


csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long cells are reported, not refused by csv


class UnreadableFile(Exception):
    """A file that cannot be read as a table at all (exit code 2)."""


@dataclass
class RawTable:
    """The cells of one submitted file, as text.

    frame: one row per record, all columns str; row numbers in `rows` (header row = 1).
    blank_rows: spreadsheet rows that were entirely empty (not records; reported, not read).
    cell_problems: (row, column letter, value, problem) of spreadsheet cells that make their
      row rejected (merged cells, formulas without a saved value).
    """

    file: str
    frame: pd.DataFrame
    rows: list[int]
    blank_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overflow: dict[int, int] = field(default_factory=dict)
    cell_problems: list[tuple[int, str, str, rules.Problem]] = field(default_factory=list)
    #: which of MARKS the file's text holds anywhere (None: not looked at, any of them may be in
    #: a cell); a scan for one it does not hold has nothing to find in any cell
    holds: frozenset[str] | None = None
    #: at least as long as its longest cell, in characters (None: not known)
    longest: int | None = None


# files a folder may hold that are not submissions: listed as ignored, never read
IGNORED_NAMES = ("~$", ".")  # Excel's lock files, hidden files (.DS_Store)
IGNORED_FILES = ("thumbs.db", "desktop.ini", "source.txt")
IGNORED_SUFFIXES = (".md",)  # a folder's README, its SOURCE.txt: documentation, not submissions
# files a folder may hold that are submissions in a form the workbook does not read
REFUSED_SUFFIXES = {
    ".xls": "an Excel 97-2003 workbook: save it as .xlsx",
    ".xlsm": "a macro-enabled workbook: save it as .xlsx (macros are never run)",
    ".xlsb": "a binary Excel workbook: save it as .xlsx",
    ".ods": "an OpenDocument spreadsheet: save it as .xlsx or .csv",
    ".tsv": "tab-separated text: save it as 'CSV UTF-8'",
    ".txt": "a text file: if it is a table, save it as 'CSV UTF-8' with the suffix .csv",
}


@dataclass
class Accounting:
    """Every file under the paths given: to read (each once), refused (one line each, why),
    ignored (lock and hidden files, one line each), and notes (a file named twice)."""

    files: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def account_paths(paths: list[str | Path]) -> Accounting:
    """Files to read: each file as given, each folder's data files (recursively, sorted); every
    other file of a folder refused with the reason or listed as ignored; a file named twice
    (or given and inside a folder given) is read once, and said so."""
    out = Accounting()
    seen: dict[Path, Path] = {}
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file())
            data = [f for f in found if _kind(f) == "data"]
            if not data:
                raise UnreadableFile(f"{p}: folder holds no .csv, .xlsx or .json file")
            for f in found:
                kind = _kind(f)
                if kind == "ignored":
                    out.ignored.append(f"{f}: ignored (a lock, hidden or documentation file, not a submission)")
                elif kind != "data":
                    out.refused.append(f"{f}: not read: {kind}")
            candidates = data
        else:
            candidates = [p]
        for f in candidates:
            key = f.resolve() if f.exists() else f
            if key in seen:
                out.notes.append(f"{f}: named twice (as {seen[key]}): read once")
                continue
            seen[key] = f
            out.files.append(f)
    return out


def _kind(f: Path) -> str:
    """'data', 'ignored', or the reason a file of a folder is not read."""
    if f.name.startswith(IGNORED_NAMES) or f.name.lower() in IGNORED_FILES \
            or f.suffix.lower() in IGNORED_SUFFIXES:
        return "ignored"
    suffix = f.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return "data"
    return REFUSED_SUFFIXES.get(suffix, f"not a .csv, .xlsx or .json file ({suffix or 'no suffix'})")


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
    stamp = _stamp(path)
    data = path.read_bytes()
    if not data or data.isspace():
        raise UnreadableFile(f"{path}: file is empty")
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_bom(data) is not None
    if not utf16 and (b"\x00" in data[:8192] or _looks_binary(data[:8192])):
        raise UnreadableFile(f"{path}: binary content, not a text CSV file")
    usual = None if utf16 else _read_utf8(str(path), data, stamp)
    return usual if usual is not None else _read_decoded(path, data, utf16)


def _read_decoded(path: Path, data: bytes, utf16: bool) -> RawTable:
    """_read_csv the long way: the file decoded (_decode), then every check on its text."""
    try:
        text, notes, encoding = _decode(data)
    except _Undecidable as exc:
        raise UnreadableFile(f"{path}: {exc}; save it as 'CSV UTF-8'") from None
    delimiter = _sniff_delimiter(text)
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter), [])
    if len(header) == 1 and any(d in header[0] for d in ("|", "\t", ",", ";")):
        if utf16 and "\t" in header[0]:
            raise UnreadableFile(f"{path}: UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8' instead")
        raise UnreadableFile(
            f"{path}: row 1 is one column {header[0][:60]!r}: the delimiter is not a comma or a semicolon"
        )
    from gcmtools.intake import limits

    most = limits.current().csv_columns
    if len(header) > most:
        raise UnreadableFile(f"{path}: row 1 has {len(header):,} columns; at most {most:,} are read "
                             "(limit csv_columns)")
    if "\ufffd" in text:
        lines = [i for i, line in enumerate(text.splitlines(), start=1) if "\ufffd" in line]
        notes.append(f"line(s) {_few(lines)} hold the replacement character U+FFFD (\ufffd) as submitted: "
                     "letters were lost before the file was saved; retype them")
    if text.count('"') % 2:
        _raise_unclosed_quote(path, text, delimiter)
    # the parser reads bytes: the file's own when they are the text in plain UTF-8, else the
    # text encoded so (pandas' C parser reads a StringIO at half the speed)
    utf8 = data if encoding == "utf-8" else text.encode("utf-8")
    fast = _read_csv_fast(str(path), utf8, delimiter, notes)
    if fast is not None:
        fast.holds = marks(utf8)
        return fast
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        raise UnreadableFile(f"{path}: not a readable CSV table ({exc})") from None
    return _from_records(str(path), records, notes)


_UTF8_BOM = b"\xef\xbb\xbf"
_HEAD = 1 << 16  # bytes in which the usual file's first line and header are looked for


def _stamp(path: Path) -> tuple[int, ...]:
    """What changes when a file's content changes: size, times, inode."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def _read_utf8(file: str, data: bytes, stamp: tuple[int, ...] | None = None) -> RawTable | None:
    """The usual file, read as _read_csv reads it but without decoding it whole: UTF-8 (after
    one BOM, if any), its delimiter and header found in its first 64 KiB, its bytes read by
    the C parser, which decodes every cell strictly (every byte beyond ASCII is in a cell).

    None when the file is not such, or when anything is to be said of it (a check that would
    refuse it or add a note, a quote left open, a row longer than the header): _read_csv then
    reads it the long way, every check on the decoded text, in order, as any other file. A
    quote left open ends the C parser inside a quoted cell: it fails, as the csv module does.
    A file without BOM is parsed from its path (`stamp`: its _stamp before `data` was read), so
    that pandas reads a large one on several threads; from `data` when the stamp has moved.
    """
    body = data[3:] if data.startswith(_UTF8_BOM) else data
    if body.startswith(_UTF8_BOM) or (b"\xef" in body and "\ufffd".encode() in body):  # EF BF BD
        return None
    delimiter = _usual_delimiter(body)
    if delimiter is None:
        return None
    table = None
    if body is data and stamp is not None:
        # absolute: pandas expands a leading '~' of a path, which read_bytes took as a folder's name
        table = _read_csv_fast(file, os.path.abspath(file), delimiter, [])
        if _stamp(Path(file)) != stamp:
            table = None  # the file changed since `data` was read: the bytes checked are parsed
    if table is None:
        table = _read_csv_fast(file, body, delimiter, [])
    if table is not None:
        table.holds = marks(body)
        table.longest = _longest_cell(body, 1 + len(table.rows) + len(table.blank_rows))
    return table


def _longest_cell(utf8: bytes, records: int) -> int | None:
    """A bound of the length of any cell of a CSV text of `records` records (header and blank
    rows counted): its longest line in bytes, when no cell holds a line break (no carriage
    return, as many line feeds as records, less one for a last line without it); else None."""
    if b"\r" in utf8:
        return None
    cells, step = np.frombuffer(utf8, dtype=np.uint8), 1 << 20  # by MiB: no temporary of the file's size
    ends = np.concatenate([np.flatnonzero(cells[i:i + step] == 0x0A) + i for i in range(0, len(cells), step)]
                          or [np.zeros(0, dtype=np.intp)])
    if len(ends) + (not utf8.endswith(b"\n")) != records:
        return None  # a cell over several lines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(utf8)]))
    return int((stops - starts).max())


def _usual_delimiter(body: bytes) -> str | None:
    """The delimiter of a UTF-8 file's text `body`, from its first _HEAD bytes, when its first
    line and header row end there and pass _read_decoded's checks of them; else None."""
    head = _utf8_head(body)
    if head is None or head[0].isspace():
        return None
    text, whole = head
    if not whole and len(text.splitlines()) < 2:
        return None  # the first line may go on beyond the head
    delimiter = _sniff_delimiter(text)
    try:
        records = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 2))
    except csv.Error:
        return None
    if not whole and len(records) < 2:
        return None  # the header row may go on beyond the head
    header = records[0] if records else []
    from gcmtools.intake import limits

    if (len(header) == 1 and any(d in header[0] for d in ("|", "\t", ",", ";"))) \
            or len(header) > limits.current().csv_columns:
        return None
    return delimiter


def _utf8_head(body: bytes) -> tuple[str, bool] | None:
    """The first _HEAD bytes decoded as UTF-8 (less a letter they cut), and whether that is all
    of `body`; None when they are not UTF-8."""
    chunk = body[:_HEAD]
    whole = len(chunk) == len(body)
    try:
        return chunk.decode("utf-8"), whole
    except UnicodeDecodeError as exc:
        if whole or exc.reason != "unexpected end of data" or exc.start < len(chunk) - 3:
            return None
        return chunk[:exc.start].decode("utf-8"), False


def _read_csv_fast(file: str, utf8: bytes | str, delimiter: str, notes: list[str]) -> RawTable | None:
    """pandas' C parser for the common case (about 5x faster than the csv module on 100,000 rows),
    over the text's UTF-8 bytes (or the path of a file that is they).

    None when a row has more cells than the first row: the csv module then reads the file and
    reports those values beyond the last named column.
    """
    try:
        grid = pd.read_csv(utf8 if isinstance(utf8, str) else io.BytesIO(utf8), sep=delimiter, header=None, dtype=object, na_filter=False,
                           skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    _header_below_title(file, grid.head(12).to_numpy().tolist())
    header = _header(file, [str(h) for h in grid.iloc[0]] if len(grid) else [])
    width = len(header)
    spill = grid.iloc[1:, width:]
    if spill.shape[1] and spill.map(lambda v: bool(v.strip())).to_numpy().any():
        return None  # values beyond the last named column: the slow path reports them
    body = grid.iloc[1:, :width]
    body.columns = header
    rows = np.arange(2, len(grid) + 1)
    blank_mask = _blank_rows(body)
    frame = (body[~blank_mask] if blank_mask.any() else body).reset_index(drop=True).astype(object)
    return RawTable(file, frame, rows[~blank_mask].tolist(), blank_rows=rows[blank_mask].tolist(), notes=notes)


#: what a cell may hold that a rule of validate looks for: "nul" (U+0000), "control" (the C0
#: controls but tab, line feed and carriage return, DEL, the C1 controls: validate._CONTROL),
#: "#" (every spreadsheet error begins with it)
MARKS = ("nul", "control", "#")
_C0_AND_DEL = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ALL_BUT_C0_AND_DEL = bytes(b for b in range(256) if b not in _C0_AND_DEL)
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080-U+009F


def marks(utf8: bytes) -> frozenset[str]:
    """Which of MARKS a text holds anywhere, from its UTF-8 bytes, at C speed (bytes.translate
    keeps only the control bytes; a C1 control is C2 80-9F)."""
    found = set()
    if b"\x00" in utf8:
        found.add("nul")
    if utf8.translate(None, _ALL_BUT_C0_AND_DEL) or (b"\xc2" in utf8 and _C1_IN_UTF8.search(utf8)):
        found.add("control")
    if b"#" in utf8:
        found.add("#")
    return frozenset(found)


def _blank_rows(body: pd.DataFrame) -> np.ndarray:
    """The rows whose every cell is empty or whitespace, column by column among the rows still
    blank so far (most rows fall out at their first cell)."""
    blank = np.ones(len(body), dtype=bool)
    for j in range(body.shape[1]):
        left = np.flatnonzero(blank)
        if not len(left):
            break
        cells = body.iloc[left, j].tolist()
        try:  # str.strip mapped at C speed while every cell is text
            blank[left] = np.fromiter(map(operator.not_, map(str.strip, cells)), dtype=bool, count=len(cells))
        except TypeError:  # a cell that is not text (NA)
            blank[left] = [not str(v).strip() for v in cells]
    return blank


def _raise_unclosed_quote(path: Path, text: str, delimiter: str) -> None:
    """Raise if a quoted cell is never closed: it would swallow every row after it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    complete = 0  # records read before the one whose quote is never closed
    try:
        for _ in reader:
            complete += 1
        return  # an odd count of literal quotes inside unquoted cells is harmless
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        row = complete + 1
    raise UnreadableFile(
        f"{path}: row {row}: a quote (\") opens a cell that is never closed, so the rows after it "
        "would be read as one cell; close the quote or remove it"
    )


def _looks_binary(head: bytes) -> bool:
    """Control bytes other than tab, newline and carriage return: a binary file."""
    controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
    return controls > max(8, len(head) // 100)


SINGLE_BYTE = ("cp1252", "cp1251", "cp1250", "koi8_r")  # the Windows and Unix code pages of the region
_ENCODING_NAMES = {"cp1252": "cp1252 (Windows)", "cp1250": "cp1250 (Windows, Central European)",
                   "cp1251": "cp1251 (Windows, Cyrillic)", "koi8_r": "KOI8-R (Cyrillic)"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BOX_DRAWING = re.compile(r"[\u2500-\u259f]")
_LATIN_ACCENTED_WORD = re.compile(r"\b[a-zA-Z\u00c0-\u024f]{4,}\b")
_LATIN_WORD_CYRILLIC = re.compile(r"(?=\w*[a-zA-Z])(?=\w*[\u0400-\u04ff])\w+")
# what a wrong single-byte reading leaves inside words: symbols between letters, a capital
# grave letter before small ones (cp1250 Č read as cp1252 È), Slovak's rare ŕ/ĺ (cp1252 à/å read as cp1250)
_MISREAD = re.compile(r"(?<=[^\W\d_])[¹³¿œŸ¼¾ºª˘ˇ˝¤]|[¹³¿œŸ¼¾ºª˘ˇ˝¤](?=[^\W\d_])|[ÈÌÒÙ](?=[a-z])|[ŕĺ]")


class _Undecidable(Exception):
    """Bytes no encoding reads with confidence (refused, with the candidates)."""


def _decode(data: bytes) -> tuple[str, list[str], str]:
    """UTF-8 or UTF-16 (BOM or not) as such; else the single-byte code page (SINGLE_BYTE) that
    reads it without gaps and plausibly (charset-normalizer, then the readings compared); a
    file mixing UTF-8 and cp1252 lines is decoded line by line, and said so. Never a U+FFFD
    for an undecodable byte: _Undecidable instead. With the text, its notes and how it was
    read: "utf-8" exactly when the text is `data` decoded as UTF-8 (no BOM), so that `data`
    is its UTF-8."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _strict(data, enc), [], enc
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16), [f"read as {utf16.upper()} (no byte order mark)"], utf16
    try:
        return data.decode("utf-8"), [], "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data)
    if mixed is not None:
        return (*mixed, "mixed")
    return (*_single_byte(data), "single-byte")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise _Undecidable(f"not valid {encoding.upper()} (byte {exc.start:,})") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte of the head is NUL (ASCII as UTF-16)."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _mixed_lines(data: bytes) -> tuple[str, list[str]] | None:
    """Lines in UTF-8 (with letters beyond ASCII) beside lines that are not: each line read in
    its own encoding (the others as cp1252, strictly), and said so; None if no line is UTF-8."""
    lines = data.split(b"\n")
    utf8_non_ascii, cp1252, out = [], [], []
    for i, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            if any(b > 127 for b in line):
                utf8_non_ascii.append(i)
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                return None
            cp1252.append(i)
    if not utf8_non_ascii:
        return None
    return "\n".join(out).lstrip("\ufeff"), [
        f"mixed encodings: line(s) {_few(cp1252)} read as cp1252 (Windows), "
        f"line(s) {_few(utf8_non_ascii)} as UTF-8; check accented letters there"]


def _single_byte(data: bytes) -> tuple[str, list[str]]:
    """The code page of SINGLE_BYTE that reads `data` best: no undefined byte, the least chaos
    (charset-normalizer), then the fewest misread-looking letters; refused when two readings of
    different scripts tie; between cp1252 and cp1250 a tie is read as cp1252 with a note
    showing the other reading."""
    from charset_normalizer import from_bytes

    found = from_bytes(data, cp_isolation=list(SINGLE_BYTE), explain=False)
    # box-drawing characters (KOI8-R's 0x80-0xBF) are never text: such a reading is wrong
    readings = {m.encoding: (m.chaos, str(m)) for m in found
                if m.encoding in SINGLE_BYTE and not _BOX_DRAWING.search(str(m))}
    if not readings:
        raise _Undecidable("not UTF-8, and no code page of the region "
                           f"({', '.join(_ENCODING_NAMES.values())}) reads it as text")
    least = min(chaos for chaos, _ in readings.values())
    near = {e: t for e, (chaos, t) in readings.items() if chaos <= least + 0.05}
    score = {e: _implausible(t) for e, t in near.items()}
    best = min(score.values())
    tied = sorted((e for e in near if score[e] == best), key=SINGLE_BYTE.index)
    distinct = {near[e] for e in tied}
    if len(distinct) > 1 and len({_script(near[e]) for e in tied}) > 1:
        raise _Undecidable(f"cannot tell its encoding: {' or '.join(_ENCODING_NAMES[e] for e in tied)}")
    chosen = tied[0]
    notes = [f"read as {_ENCODING_NAMES[chosen]}, not UTF-8"]
    other = next((e for e in tied[1:] if near[e] != near[chosen]), None)
    if other:
        mine, theirs = _first_difference(near[chosen], near[other])
        notes.append(f"the bytes read as {_ENCODING_NAMES[other]} too ({theirs!r} instead of {mine!r}): "
                     "if that is right, save the file as 'CSV UTF-8'")
    return near[chosen], notes


def _implausible(text: str) -> int:
    """How much a reading looks misread: words mixing Latin and Cyrillic letters, symbols
    inside words, letters that a wrong code page leaves, words made mostly of accented Latin
    letters (Cyrillic read as cp1252: 'Ìèíèñòåðñòâî')."""
    import unicodedata

    bad = len(_LATIN_WORD_CYRILLIC.findall(text)) + len(_MISREAD.findall(text))
    for m in re.finditer(r"[^\x00-\x7f]", text):
        i = m.start()
        if 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha() \
                and unicodedata.category(m.group())[0] in "SN":
            bad += 1
    for word in _LATIN_ACCENTED_WORD.findall(text):
        bad += sum(not c.isascii() for c in word) * 2 > len(word)
    return bad


def _script(text: str) -> str:
    return "cyrillic" if _CYRILLIC.search(text) else "latin"


def _first_difference(a: str, b: str) -> tuple[str, str]:
    """The first word where two readings differ, in each."""
    for wa, wb in zip(re.split(r"[\s,;]+", a), re.split(r"[\s,;]+", b)):
        if wa != wb:
            return wa[:40], wb[:40]
    return a[:40], b[:40]


def _few(numbers: list[int], most: int = 8) -> str:
    shown = ", ".join(map(str, numbers[:most]))
    return shown + (f" and {len(numbers) - most} more" if len(numbers) > most else "")


def _first_line(text: str, probe: int = 1 << 16) -> str:
    """text.splitlines()[0] without splitting the whole text: the first line of a prefix that
    holds a line break after it (else of the whole text)."""
    lines = text[:probe].splitlines()
    if len(lines) > 1 or len(text) <= probe:
        return lines[0] if lines else ""
    return text.splitlines()[0]


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most known columns."""
    from gcmtools.catalogue.contract import column_names

    known = set(column_names("practices")) | set(column_names("observations"))
    header = _first_line(text).lstrip("\ufeff") if text and not text.isspace() else ""

    def score(sep: str) -> tuple[int, int]:
        cells = [c.strip().strip('"').strip() for c in header.split(sep)]
        return (sum(c in known for c in cells), len(cells))

    return max([",", ";"], key=score)


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> RawTable:
    """The sheet chosen by the visible-sheet rule (xlsxscan): cell values, never formulas.

    The workbook is checked against the limits (intake.limits) before it is read, and read to
    its real extent (never its `<dimension>` tag). A formula's saved result is used (and noted);
    a formula with no saved result, and a cell inside merged cells (other than the first), make
    their row rejected with the reason.
    """
    import openpyxl

    from gcmtools.intake import limits, xlsxscan

    try:
        plan = xlsxscan.plan(path, limits.current())
    except xlsxscan.Refused as exc:
        raise UnreadableFile(f"{path}: {exc}") from None
    big = path.stat().st_size > XLSX_FULL_READ_LIMIT
    try:
        wb = openpyxl.load_workbook(path, read_only=big, data_only=True)
        wb_formulas = None if big else openpyxl.load_workbook(path, read_only=False, data_only=False)
    except Exception as exc:  # zip, xml or format errors all mean: not a workbook
        raise UnreadableFile(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        ws = wb[plan.sheet]
        if big:
            ws.reset_dimensions()  # the <dimension> tag may lie: read every row there is
        records = [[_cell_text(v) for v in row]
                   for row in ws.iter_rows(min_row=1, max_row=max(plan.rows, 1),
                                           max_col=max(plan.columns, 1), values_only=True)]
        problems, notes = ([], ["large workbook: merged cells and formulas not checked"]) if big \
            else _xlsx_cell_problems(ws, wb_formulas[plan.sheet])
    finally:
        wb.close()
        if wb_formulas is not None:
            wb_formulas.close()
    table = _from_records(str(path), records, list(plan.notes) + notes)
    table.cell_problems = [p for p in problems if p[0] in set(table.rows)]
    return table


def _xlsx_cell_problems(ws_values, ws_formulas) -> tuple[list[tuple[int, str, str, rules.Problem]], list[str]]:
    """Merged cells and formulas of a sheet: (row, column letter, value, problem) and notes."""
    problems, notes, with_value = [], [], []
    for rng in ws_values.merged_cells.ranges:
        first = f"{column_letter(rng.min_col - 1)}{rng.min_row}"
        for row in range(max(rng.min_row, 2), rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                if (row, col) == (rng.min_row, rng.min_col):
                    continue
                letter = column_letter(col - 1)
                problems.append((row, letter, "", rules.problem(
                    "merged-cell", cell=f"{letter}{row}", merged=rng.coord, first=first)))
    for row in ws_formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                saved = ws_values[cell.coordinate].value
                if saved is None:
                    problems.append((cell.row, cell.column_letter, str(cell.value)[:200],
                                     rules.problem("formula-unsaved", cell=cell.coordinate)))
                else:
                    with_value.append(cell.coordinate)
    if with_value:
        notes.append(f"{len(with_value)} cell(s) hold formulas; their saved values are used "
                     f"({_few(with_value)})")
    return problems, notes


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 4.0 -> '4', dates as ISO, None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


# --- JSON -----------------------------------------------------------------------------------


class _Record(dict):
    """A JSON object, with the keys it gave more than once (the first value is kept)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Record:
    rec = _Record()
    dup = []
    for k, v in pairs:
        if k in rec:
            dup.append(k)
        else:
            rec[k] = v
    rec.duplicates = tuple(dict.fromkeys(dup))
    return rec


def _json_depth(path: Path, text: str, most: int) -> None:
    """Refuse nesting deeper than `most` before parsing (the parser would recurse that deep)."""
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > most:
                raise UnreadableFile(f"{path}: JSON nested more than {most} levels deep "
                                     f"(at character {m.start():,}; limit json_depth)")
        elif tok in "]}":
            depth -= 1


def _read_json(path: Path) -> RawTable:
    """A JSON list of records (objects); a list of plain values inside a record is joined with
    ';'. Refused before parsing: nesting or numbers over the limits (intake.limits). A record
    holding a nested list or object, or a key twice, is read and rejected with the reason."""
    from gcmtools.intake import limits

    lim = limits.current()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not valid JSON (not UTF-8: {exc.reason} at byte {exc.start:,})") from None
    _json_depth(path, text, lim.json_depth)

    def number(kind):
        def parse(token: str):
            digits = sum(c.isdigit() for c in token)
            if digits > lim.json_number_digits:
                raise UnreadableFile(f"{path}: a number of {digits:,} digits; at most "
                                     f"{lim.json_number_digits} (limit json_number_digits)")
            return kind(token)
        return parse

    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=number(int), parse_float=number(float))
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise UnreadableFile(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise UnreadableFile(
            f"{path}: JSON must be a list of records, found {'dict' if isinstance(data, dict) else type(data).__name__}"
        )
    if not data:
        return RawTable(str(path), pd.DataFrame(), [], notes=["empty JSON list: no records"])
    columns: list[str] = []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise UnreadableFile(f"{path}: record {i + 1} is a {type(rec).__name__}, not an object")
        columns += [k for k in rec if k not in columns]
    records = [columns] + [[_json_text(rec.get(c)) for c in columns] for rec in data]
    # JSON has no header row: record i is reported as row i + 1 (first record = row 2 would
    # mislead); we keep the spreadsheet convention so reports read the same for all formats.
    table = _from_records(str(path), records, [])
    table.cell_problems = _json_problems(data, columns)
    return table


def _json_problems(data: list[_Record], columns: list[str]) -> list[tuple[int, str, str, rules.Problem]]:
    """(row, column letter, value, problem) of records holding nested values or a key twice."""
    out = []
    for i, rec in enumerate(data, start=2):
        for key in rec.duplicates:
            out.append((i, column_letter(columns.index(key)), _json_text(rec[key])[:200],
                        rules.problem("json-duplicate-key", key=key)))
        for key, value in rec.items():
            nested = isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value))
            if nested:
                out.append((i, column_letter(columns.index(key)), json.dumps(value)[:200],
                            rules.problem("json-nested", key=key)))
    return out


def _json_text(value: object) -> str:
    """A JSON value as text: lists joined with '; ', numbers without float noise; a nested value
    as its JSON (its record is rejected: _json_problems)."""
    if value is None:
        return ""
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    return _cell_text(value)


# --- common ---------------------------------------------------------------------------------


def _from_records(file: str, records: list[list[str]], notes: list[str]) -> RawTable:
    """Header + records -> RawTable; rows numbered as in a spreadsheet, blank rows set aside."""
    _header_below_title(file, records[:12])
    header = _header(file, records[0] if records else [])
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


def _header_below_title(file: str, first_rows: list[list[str]]) -> None:
    """Refuse a file whose header is not on row 1 but a few rows below (under a title): one
    line naming the row, instead of every row rejected for values beyond the title's column."""
    from gcmtools.catalogue.contract import column_names

    known = set(column_names("practices")) | set(column_names("observations"))

    def hits(row: list[str]) -> int:
        return sum(str(c).strip() in known for c in row)

    if not first_rows or hits(first_rows[0]) >= 2:
        return
    for n, row in enumerate(first_rows[1:], start=2):
        if hits(row) >= 3:
            title = next((str(c).strip() for c in first_rows[0] if str(c).strip()), "")
            raise UnreadableFile(
                f"{file}: the header seems to be on row {n} (row 1 holds {printable(title[:60])!r}): "
                f"delete the rows above the header")


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters (a terminal's escape sequences among them) written as
    escapes (\\x1b), so that printing a submitted header or value never drives the terminal."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(file: str, first_row: list[str]) -> list[str]:
    """The column names from the first row: trimmed, trailing empty cells (Excel formatting)
    dropped, blank ones named after their column, duplicates refused."""
    if not any(c.strip() for c in first_row):
        raise UnreadableFile(f"{file}: no header row (the first row is empty)")
    header = [h.strip().lstrip("\ufeff").strip() for h in first_row]
    while header and header[-1] == "":
        header.pop()
    return _checked_header(file, header)


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
