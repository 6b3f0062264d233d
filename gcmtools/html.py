"""HTML for every page the workbook publishes: values in, escaped HTML strings out.

Submitted text is data, never markup: every string from a submission or a data file goes
through escape(); only http(s) references become links; vocabulary codes are shown in words.
Numbers are formatted for reading here (fmt_number, fmt_percent), and `page` wraps a body in the
page shell with its Content-Security-Policy.
"""

from __future__ import annotations

import functools
import html
import math
import re

import pandas as pd

_HTTP = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def escape(value: object) -> str:
    """Any value as HTML text (quotes escaped too); '' for None and NaN."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def link(ref: object) -> str:
    """An http(s) reference as a link (escaped URL, noopener); anything else as escaped text."""
    text = "" if ref is None else str(ref).strip()
    if _HTTP.match(text):
        return (f'<a href="{html.escape(text, quote=True)}" rel="noopener noreferrer">'
                f"{html.escape(text)}</a>")
    return escape(text)


def _cell(value: object) -> tuple[str, bool]:
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return escape(fmt_number(value)), True
    if isinstance(value, list):
        return escape("; ".join(map(str, value))), False
    return escape(value), False


VOCABULARY_COLUMNS = ("practice_type", "submitter_type", "target_group")


def readable(code: object) -> object:
    """A contract vocabulary code as a reader sees it: data_system -> data system."""
    from gcmtools.catalogue import contract

    known = {v for name in ("practice_types", "submitter_types", "target_groups")
             for v in contract.vocabulary(name)}
    return code.replace("_", " ") if isinstance(code, str) and code in known else code


def html_table(df: pd.DataFrame, headers: dict[str, str] | None = None,
               links: tuple[str, ...] = ("source_ref",), empty: str = "None.") -> str:
    """A DataFrame as an HTML table: every cell escaped, numbers right-aligned and formatted,
    vocabulary codes (in their columns, and as column names) shown in words."""
    if df is None or df.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    headers = {c: readable(c) for c in df.columns} | (headers or {})
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c]) and c not in links}
    head = "".join(('<th class="num">' if c in numeric else "<th>")
                   + f"{escape(headers.get(c, c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for column, value in zip(df.columns, row):
            if column in links:
                cells.append(f"<td>{link(value)}</td>")
                continue
            if column in VOCABULARY_COLUMNS:
                value = readable(value)
            text, numeric = _cell(value.item() if hasattr(value, "item") else value)
            if not numeric and "/" in text and len(text) > 40:
                text = text.replace("/", "/<wbr>")  # long paths may wrap at their folders
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n<thead><tr>" + head + "</tr></thead>\n<tbody>\n" + "\n".join(body) + \
        "\n</tbody>\n</table>"


def _list(items: list[str]) -> str:
    """Already-escaped items as an HTML list."""
    return "<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>" if items else ""


def _details(summary: str, inner: str) -> str:
    return f"<details><summary>{escape(summary)}</summary>\n{inner}\n</details>"


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


# --- the page shell --------------------------------------------------------------------------

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 62rem;
       margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
table { max-width: 100%; }
.anchor-link { display: none; }
td.nowrap { white-space: nowrap; overflow-wrap: normal; }
th { background: #f2f4f7; }
td.num, th.num { text-align: right; }
img { max-width: 100%; height: auto; }
.banner { background: #fff4cc; border: 1px solid #e0b400; padding: 0.6rem 0.8rem; margin: 1rem 0; }
.stale { background: #fde2e1; }
.muted { color: #555; font-size: 0.9rem; }
pre { white-space: pre-wrap; }
"""


def page(title: str, body_html: str) -> str:
    """A complete HTML page around `body_html`, with the CSP and the workbook's style.

    Every page carries the UN disclaimer on designations (reference/editorial.yaml): a brief
    ends with it already; any other page gets it as a footer.
    """
    from gcmtools.catalogue import editorial

    disclaimer = html.escape(editorial()["disclaimer"])
    if disclaimer not in body_html:
        body_html += f'\n<footer><p class="muted disclaimer">{disclaimer}</p></footer>'
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )


# --- templates -------------------------------------------------------------------------------


@functools.cache
def environment():
    """The Jinja2 environment of gcmtools/templates/: autoescape on for every template, so a
    value is escaped unless a template marks it `|safe`; an undefined name is an error."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gcmtools", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = fmt_number
    env.filters["percent"] = fmt_percent
    return env


def render(template: str, **data: object) -> str:
    """The named template of gcmtools/templates/ rendered with `data`."""
    return environment().get_template(template).render(**data)
