"""A brief's page and key-figures JSON in; its tables and key figures out as CSV and XLSX files
published beside it, each table linked from the page right under it.

A table's files are the table as the page shows it (its header row and cells; a number cell,
right-aligned on the page, as a number), named after the heading or folded block it sits under:
`objective-08.tables/2-key-figures.csv`. The key figures come from the key-figures JSON, every
field of each figure (`objective-08.key-figures.csv`, `.xlsx`); the roundtable's key figures, of
every brief, are one workbook beside the index (`roundtable.key-figures.xlsx`). Every file goes
through gcmtools.intake.export: no cell can run as a formula.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from gcmtools import store
from gcmtools.intake import export

ROUNDTABLE_WORKBOOK = "roundtable.key-figures.xlsx"
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_NAMER = re.compile(r"<(h[1-6])\b[^>]*>(.*?)</\1>|<summary\b[^>]*>(.*?)</summary>", re.DOTALL | re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


class _Cells(HTMLParser):
    """The rows of one <table>: each a list of (text, numeric) cells; the first row its head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, bool]]] = []
        self._cell: list[str] | None = None
        self._numeric = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._numeric = [], "num" in (dict(attrs).get("class") or "").split()
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._numeric))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_frame(table_html: str) -> pd.DataFrame:
    """One <table> as a DataFrame: the first row the column names, number cells as numbers."""
    parser = _Cells()
    parser.feed(table_html)
    head, *rows = parser.rows or [[]]
    columns = _unique([text or f"column {i}" for i, (text, _) in enumerate(head, start=1)])
    body = [[_value(text, numeric) for text, numeric in row] + [""] * (len(columns) - len(row))
            for row in rows]
    return pd.DataFrame([r[:len(columns)] for r in body], columns=columns)


def _value(text: str, numeric: bool) -> object:
    """A number cell as printed ('1,885', '12.5') as a number; any other cell as its text."""
    if numeric and _NUMBER.match(text):
        number = float(text.replace(",", ""))
        return int(number) if number.is_integer() and "." not in text else number
    return text


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def table_names(page: str) -> list[str]:
    """A file name for each <table> of the page, in order: the heading it sits under, and the
    folded block (<summary>) too when it sits in one; '-2', '-3' where a name repeats."""
    names, used = [], {}
    marks = [(m.start(), m.group(1), _text(m.group(2) if m.group(1) else m.group(3)))
             for m in _NAMER.finditer(page)]
    for t in _TABLE.finditer(page):
        before = [(kind, text) for pos, kind, text in marks if pos < t.start()]
        heading = next((text for kind, text in reversed(before) if kind), "")
        summary = before[-1][1] if before and not before[-1][0] else ""
        name = export.safe_filename(" ".join(x for x in (heading, summary) if x), fallback="table")
        used[name] = used.get(name, 0) + 1
        names.append(name if used[name] == 1 else f"{name}-{used[name]}")
    return names


def _text(fragment: str | None) -> str:
    return html.unescape(_TAGS.sub("", fragment or "")).replace("¶", "").strip()


def add_downloads(page: str, brief_id: str, folder: Path, key_figures: bool = False) -> str:
    """Write every table of `page` as CSV and XLSX into folder/<brief_id>.tables/ and return the
    page with the links to them under each table (relative, as the files are published beside
    it). `key_figures`: the brief's key-figures CSV and XLSX exist beside it; the key figures
    table links them too."""
    tables = list(_TABLE.finditer(page))
    if not tables:
        return page
    out_dir = folder / f"{brief_id}.tables"
    out_dir.mkdir(parents=True, exist_ok=True)
    pieces, last = [], 0
    for match, name in zip(tables, table_names(page)):
        df = table_frame(match.group(0))
        export.write_csv(df, out_dir / f"{name}.csv")
        export.write_xlsx({name[:31]: df}, out_dir / f"{name}.xlsx")
        files = [f"{brief_id}.tables/{name}.csv", f"{brief_id}.tables/{name}.xlsx"]
        if key_figures and df.columns[:1].tolist() == ["Key figure"]:
            files += [f"{brief_id}.key-figures.csv", f"{brief_id}.key-figures.xlsx"]
        pieces += [page[last:match.end()], _links(files)]
        last = match.end()
    return "".join(pieces) + page[last:]


def _links(files: list[str]) -> str:
    links = ", ".join(f'<a href="{html.escape(f)}" download>{html.escape(f.rsplit("/", 1)[-1])}</a>'
                      for f in files)
    return f'\n<p class="downloads muted">Download this table: {links}</p>'


# --- key figures -------------------------------------------------------------------------------

#: the key-figures JSON's fields, in the order the files show them (any other field follows)
FIGURE_FIELDS = ("objective", "label", "value", "display", "unit", "year", "period", "geo", "place",
                 "indicator", "flags", "source", "vintage", "caveat", "note", "context_year",
                 "context_value", "context_display", "context_place", "context_flags")


def key_figures_frame(data: dict, per_objective: bool = True) -> pd.DataFrame:
    """The figures of a key-figures JSON (a brief's `figures`, and the overview's per objective
    unless not `per_objective`) as one row each, every field of FIGURE_FIELDS and the filter
    that selected it."""
    figures = list(data.get("figures") or [])
    parts = (data.get("objectives") or {}) if per_objective else {}
    for number, part in sorted(parts.items(), key=lambda kv: int(kv[0])):
        figures += [{"objective": int(number), **f} for f in part.get("figures") or []]
    rows = []
    for f in figures:
        row = {k: f.get(k) for k in FIGURE_FIELDS}
        row |= {k: v for k, v in f.items() if k not in FIGURE_FIELDS and k != "filter"}
        row["filter"] = "; ".join(f"{k}={v}" for k, v in (f.get("filter") or {}).items())
        rows.append(row)
    return pd.DataFrame(rows, columns=list(dict.fromkeys([*FIGURE_FIELDS, *(k for r in rows for k in r)])))


def write_key_figures(json_path: Path, brief_id: str, folder: Path) -> bool:
    """<brief>.key-figures.csv and .xlsx in `folder` from the brief's key-figures JSON; False
    when there is none."""
    data = store.read_json(json_path, default=None)
    if not isinstance(data, dict):
        return False
    df = key_figures_frame(data)
    export.write_csv(df, folder / f"{brief_id}.key-figures.csv")
    export.write_xlsx({"key figures": df}, folder / f"{brief_id}.key-figures.xlsx")
    return True


def write_roundtable_workbook(out_dir: Path, briefs: list[tuple[str, str]]) -> Path | None:
    """roundtable.key-figures.xlsx: every published brief's key figures (`briefs`: id and title,
    in order) on one sheet, with the brief they come from (the overview's, which repeat the
    objectives' briefs, left out); None when no brief has any."""
    frames = []
    for brief_id, title in briefs:
        data = store.read_json(out_dir / f"{brief_id}.key-figures.json", default=None)
        if isinstance(data, dict):
            df = key_figures_frame(data, per_objective=False)
            if df.empty:
                continue
            df.insert(0, "brief", brief_id)
            df.insert(1, "brief title", title)
            frames.append(df)
    if not frames:
        return None
    return export.write_xlsx({"key figures": pd.concat(frames, ignore_index=True)}, out_dir / ROUNDTABLE_WORKBOOK)
