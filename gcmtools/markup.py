"""HTML for the briefs: values in, escaped HTML strings out (submitted text is data, never markup).

Every string from a submission or a data file goes through escape(); only http(s) references
become links; vocabulary codes are shown in words.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from gcmtools.keyfigures import fmt_number

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
    from gcmtools import contract

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
