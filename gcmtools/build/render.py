"""Executed notebooks in, self-contained HTML pages out: no code, nothing loaded from outside.

nbconvert's `basic` template gives the cells' outputs without the CDN scripts of the default
templates (require.js, MathJax); we wrap them in our own page with a Content-Security-Policy
that forbids every script, since a brief needs none.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from gcmtools.html import page

if TYPE_CHECKING:  # nbformat costs ~0.9 s to import (jsonschema): only where notebooks are read
    import nbformat

def notebook_html(nb: nbformat.NotebookNode, title: str, status: dict | None = None) -> str:
    """The outputs and Markdown of an executed notebook as a page, without code or prompts:
    links to the index and the overview, a table of contents, the sign-off `status`."""
    nb = _without_widget_state(nb)
    body, _ = _exporter().from_notebook_node(nb)
    return page(title, body, links=True, toc=True, status=status)


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


def render_file(ipynb: Path, title: str, status: dict | None = None) -> str:
    """Read an executed notebook file and render it as a page."""
    import nbformat

    return notebook_html(nbformat.read(ipynb, as_version=4), title, status)
