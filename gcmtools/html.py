"""HTML for every page the workbook publishes: data in, pages rendered from gcmtools/templates/ out.

Submitted text is data, never markup: the Jinja2 environment escapes every value a template
prints (autoescape, with `_finalize` escaping as escape() does); only markup our own code made
(markupsafe.Markup, such as a chart's <img>) is printed as is. Only http(s) references become
links (href); a DataFrame becomes table cells here (tabulate) with numbers formatted for reading
(fmt_number, fmt_percent) and vocabulary codes in words; `page` wraps a body in the page shell
(templates/page.html) with its Content-Security-Policy.
"""

from __future__ import annotations

import functools
import html
import math
import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

_HTTP = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def escape(value: object) -> str:
    """Any value as HTML text (quotes escaped too); '' for None and NaN."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def href(ref: object) -> str | None:
    """The reference as a link target when it is an http(s) URL; None for anything else
    (javascript:, data:, a file path): those are shown as text, never followed."""
    text = "" if ref is None else str(ref).strip()
    return text if _HTTP.match(text) else None


VOCABULARY_COLUMNS = ("practice_type", "submitter_type", "target_group")


def readable(code: object) -> object:
    """A contract vocabulary code as a reader sees it: data_system -> data system."""
    from gcmtools.catalogue import contract

    known = {v for name in ("practice_types", "submitter_types", "target_groups")
             for v in contract.vocabulary(name)}
    return code.replace("_", " ") if isinstance(code, str) and code in known else code


@dataclass(frozen=True)
class Cell:
    """One table cell as the table macro prints it: its text, right-aligned if a number,
    a link if `href`, with wrap points after '/' if a long path."""

    text: str
    numeric: bool = False
    href: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Table:
    """A DataFrame as cells: the column heads and one list of cells per row."""

    head: list[Cell]
    rows: list[list[Cell]]


def _cell(value: object, link: bool) -> Cell:
    value = value.item() if hasattr(value, "item") else value
    if link:
        text = "" if value is None else str(value).strip()
        return Cell(text, href=href(text))
    if isinstance(value, bool):
        return Cell("yes" if value else "no")
    if isinstance(value, (int, float)):
        return Cell(fmt_number(value), numeric=True)
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return Cell(text, wrap="/" in text and len(escape(text)) > 40)  # a long path may wrap


def tabulate(df: pd.DataFrame | None, headers: dict[str, str] | None = None,
             links: tuple[str, ...] = ("source_ref",)) -> Table:
    """A DataFrame as the table macro shows it: numbers formatted and right-aligned, booleans
    as yes/no, lists joined with '; ', vocabulary codes (in their columns, and as column names)
    in words, http(s) references in the `links` columns as links. No rows: a Table without rows."""
    if df is None or df.empty:
        return Table([], [])
    headers = {c: readable(c) for c in df.columns} | (headers or {})
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c]) and c not in links}
    head = [Cell(str(headers.get(c, c)), numeric=c in numeric) for c in df.columns]
    rows = [[_cell(readable(v) if c in VOCABULARY_COLUMNS else v, c in links)
             for c, v in zip(df.columns, row)] for row in df.itertuples(index=False)]
    return Table(head, rows)


# --- numbers -----------------------------------------------------------------------------------


def fmt_number(value: object, decimals: int = 1) -> str:
    """A number for reading: thousands separators, no float noise; '' for missing.

    >>> fmt_number(1885.0), fmt_number(1234.5678), fmt_number(0.25, 2), fmt_number(None)
    ('1,885', '1,234.6', '0.25', '')
    """
    if value is None or isinstance(value, str):
        return "" if value is None else value
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    rounded = round(x, decimals)
    if float(rounded).is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")


def fmt_percent(share: float, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: 0.713 -> '71%'; '' for missing."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    return f"{fmt_number(100 * share, decimals)}%"


# --- templates -------------------------------------------------------------------------------


def page(title: str, body_html: str, links: bool = False, toc: bool = False,
         status: dict | None = None) -> str:
    """A complete HTML page around `body_html` (markup our own code made): templates/page.html,
    with the CSP, the workbook's style, landmarks and the UN disclaimer on designations
    (reference/editorial.yaml) as a footer unless the body carries it already.

    `links`: a header links to the index and the overview (pages published beside them);
    `toc`: a table of contents of the body's level-2 headings, each given an anchor if it has
    none; `status`: the sign-off status in the header ({"status": draft|reviewed|approved,
    "text": who and when}).
    """
    from gcmtools.catalogue import editorial

    entries: list[dict] = []
    if toc:
        body_html, entries = contents(body_html)
    return render("page.html", title=title, body=Markup(body_html), links=links, toc=entries,
                  status=status, disclaimer=Markup(escape(editorial()["disclaimer"])))


_HEADING = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def contents(body_html: str) -> tuple[str, list[dict]]:
    """The body with an anchor on every level-2 heading (a heading without an id gets one from
    its text) and its table of contents: one {"id", "text"} per heading, in order."""
    entries: list[dict] = []
    used = set(_ID.findall(body_html))

    def anchor(m: re.Match) -> str:
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", m.group("inner"))
        text = html.unescape(_TAG.sub("", inner)).strip()
        found = _ID.search(m.group("attrs"))
        if found:
            entries.append({"id": html.unescape(found.group(1)), "text": text})
            return m.group(0)
        base = "section-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled")
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        entries.append({"id": slug, "text": text})
        return f'<h2{m.group("attrs")} id="{slug}">{m.group("inner")}</h2>'

    return _HEADING.sub(anchor, body_html), entries


def page_body(page_html: str) -> str:
    """The body of a page `page` made (between its `body` comments), to wrap it again."""
    start = page_html.index("<!-- body -->\n") + len("<!-- body -->\n")
    return page_html[start:page_html.rindex("\n<!-- /body -->")]


def _finalize(value: object) -> Markup:
    """What a template prints: markup our own code made (Markup) as is; any other value
    escaped as escape() does it, quotes included (so pages keep the entities they had)."""
    return value if isinstance(value, Markup) else Markup(escape(value))


def _wrap(text: str) -> Markup:
    """Escaped text with a wrap point after every '/' (a long path may wrap at its folders)."""
    return Markup(escape(text).replace("/", "/<wbr>"))


@functools.cache
def environment():
    """The Jinja2 environment of gcmtools/templates/: autoescape on for every template, and
    every printed value escaped by `_finalize` unless it is Markup; an undefined name is an
    error; block tags take their line with them (trim_blocks, lstrip_blocks)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gcmtools", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = fmt_number
    env.filters["percent"] = fmt_percent
    env.filters["tabulate"] = tabulate
    env.filters["wrap"] = _wrap
    env.filters["href"] = href
    return env


def render(template: str, **data: object) -> str:
    """The named template of gcmtools/templates/ rendered with `data`."""
    return environment().get_template(template).render(**data)


def fragment(template: str, **data: object):
    """A template rendered as a notebook's HTML output (an IPython HTML object), without the
    newline its last line ends with (the notebooks' outputs are compared byte for byte)."""
    from IPython.display import HTML

    return HTML(render(template, **data).rstrip("\n"))
