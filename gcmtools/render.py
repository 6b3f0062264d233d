"""Executed notebooks in, self-contained HTML pages out: no code, nothing loaded from outside.

nbconvert's `basic` template gives the cells' outputs without the CDN scripts of the default
templates (require.js, MathJax); we wrap them in our own page with a Content-Security-Policy
that forbids every script, since a brief needs none.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat costs ~0.9 s to import (jsonschema): only where notebooks are read
    import nbformat

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


def notebook_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The outputs and Markdown of an executed notebook as a page, without code or prompts."""
    nb = _without_widget_state(nb)
    body, _ = _exporter().from_notebook_node(nb)
    return page(title, body)


@functools.cache
def _exporter():
    """One exporter per process: a new one compiles its Jinja templates again (~0.15 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True,
                        exclude_input_prompt=True, exclude_output_prompt=True)


def _without_widget_state(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop saved widget state: it would embed a widget-manager script the page cannot run."""
    import nbformat

    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    return nb


def render_file(ipynb: Path, title: str) -> str:
    """Read an executed notebook file and render it as a page."""
    import nbformat

    return notebook_html(nbformat.read(ipynb, as_version=4), title)
