"""The shipped params built once with their formats (HTML, PDF, DOCX) and opened as readers would:
every PDF with pypdf, every DOCX with python-docx, every download with pandas and openpyxl;
`gcmtools render` on an executed notebook; a long table printed without a row split.

Chromium is Debian's `chromium` package (`make browser` installs it; CI runs as root and gets it).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from gcmtools import cli, html
from gcmtools.build import formats

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(formats.chromium() is None, reason="chromium not installed: run `make browser`")]

OBJECTIVES = (4, 8, 9, 10, 11, 13, 21)
BRIEFS = [f"objective-{o:02d}" for o in OBJECTIVES] + ["overview"]
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def built(shipped_build) -> Path:
    """The shipped params (whose `formats` ask for HTML, PDF and DOCX) built once, shared with
    test_notebooks.py (tests/conftest.py)."""
    return shipped_build


def words(text: str) -> str:
    """Text with its white space collapsed, and none after a hyphen (a line may break after one)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def titles(built: Path) -> dict[str, str]:
    manifest = json.loads((built / "manifest.json").read_text())
    return {b: manifest["briefs"][b]["title"] for b in BRIEFS}


def figures(built: Path, brief: str) -> list[dict]:
    data = json.loads((built / f"{brief}.key-figures.json").read_text())
    return data.get("figures") or [f for part in data["objectives"].values() for f in part["figures"]]


def test_every_brief_in_every_format_and_the_roundtable(built):
    for b in BRIEFS:
        for suffix in (".html", ".pdf", ".docx", ".key-figures.csv", ".key-figures.xlsx"):
            assert (built / f"{b}{suffix}").is_file(), f"{b}{suffix}"
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="roundtable.pdf"' in index and 'href="roundtable.key-figures.xlsx"' in index


def test_each_pdf_has_its_title_key_figures_header_footer_metadata_and_tags(built):
    names = titles(built)
    for b in BRIEFS:
        reader = PdfReader(built / f"{b}.pdf")
        assert 5 <= len(reader.pages) <= 40, (b, len(reader.pages))
        wanted = [words(names[b])] + [words(f["label"]) for f in figures(built, b)] + [
            f["display"] for f in figures(built, b)]  # the title, every figure's label and value
        text = ""
        for page in reader.pages:  # (text extraction is slow: as many pages as it takes)
            text += " " + words(page.extract_text())
            if all(w in text for w in wanted):
                break
        assert [w for w in wanted if w not in text] == [], b
        if b in ("objective-08", "overview"):  # the running header and footer, on every page
            for i, page in enumerate(reader.pages, start=1):
                page_text = words(page.extract_text())
                assert "UNECE regional review 2020, roundtable 3 · built 20" in page_text
                assert f"Page {i} of {len(reader.pages)}" in page_text
        meta = reader.metadata
        assert (meta.title, meta.author) == (names[b], formats.AUTHOR)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert reader.outline, f"{b}: no bookmarks"
        assert "<script" not in (built / f"{b}.html").read_text(encoding="utf-8")


def test_the_roundtable_pdf_binds_the_overview_and_the_briefs_with_contents_and_bookmarks(built):
    names = titles(built)
    reader = PdfReader(built / "roundtable.pdf")
    order = ["overview"] + BRIEFS[:-1]
    counts = [len(PdfReader(built / f"{b}.pdf").pages) for b in order]
    assert len(reader.pages) == 1 + sum(counts)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [t.title for t in top] == ["Contents"] + [names[b] for b in order]
    assert all(isinstance(item, list) and item for item in reader.outline[2::2])  # each brief's own outline
    contents = words(reader.pages[0].extract_text())
    start = 2
    for b, n, item in zip(order, counts, top[1:]):
        assert reader.get_destination_page_number(item) == start - 1
        assert f"{words(names[b])} {start} {n}" in contents
        assert words(names[b]) in words(reader.pages[start - 1].extract_text())
        start += n
    assert reader.metadata.author == formats.AUTHOR and reader.trailer["/Root"]["/Lang"] == "en"


def test_each_docx_has_word_headings_tables_charts_with_alt_text_footnotes_and_the_figures(built):
    names = titles(built)
    for b in BRIEFS:
        document = docx.Document(built / f"{b}.docx")
        styles = [(p.style.name, p.text) for p in document.paragraphs]
        assert styles[0] == ("Title", names[b]) and document.core_properties.title == names[b]
        assert document.core_properties.author == formats.AUTHOR
        assert sum(s == "Heading 1" for s, _ in styles) >= 5
        assert len(document.tables) >= 5
        charts = document.inline_shapes
        assert len(charts) >= 2 and all(c._inline.docPr.get("descr", "").startswith(("Line chart", "Bar chart"))
                                        for c in charts)
        # the key figures table: one row per figure of the key-figures JSON, with its value
        table = next(t for t in document.tables if t.rows[0].cells[0].text == "Key figure") if b != "overview" else None
        if table is not None:
            shown = [(row.cells[0].text, row.cells[1].text) for row in table.rows[1:]]
            assert [v for _, v in shown] == [f["display"] for f in figures(built, b)]
            assert all(label.startswith(f["label"]) for (label, _), f in zip(shown, figures(built, b)))
        # the caveats, numbered under the table on the page, are Word footnotes
        xml = ElementTree.fromstring(zipfile.ZipFile(built / f"{b}.docx").read("word/footnotes.xml"))
        notes = "".join(t.text or "" for t in xml.iter(f"{WORD}t"))
        for f in figures(built, b) if b != "overview" else []:
            assert not f["caveat"] or words(f["caveat"]) in words(notes), (b, f["caveat"][:40])


def test_downloads_equal_the_tables_of_the_page(built):
    for b in ("objective-08", "overview"):
        page = (built / f"{b}.html").read_text(encoding="utf-8")
        tables = re.findall(r"<table\b.*?</table>", page, re.DOTALL)
        links = re.findall(r'<p class="downloads muted">Download this table: <a href="([^"]+\.csv)"', page)
        assert len(links) == len(tables) >= 5
        for table, link in zip(tables, links):
            shown = pd.read_html(io.StringIO(table), thousands=",")[0]
            csv = pd.read_csv(built / link, keep_default_na=False)
            assert list(csv.columns) == [str(c) for c in shown.columns]
            assert csv.shape == shown.shape, link
            xlsx = load_workbook(built / link.replace(".csv", ".xlsx")).active
            assert [c.value for c in xlsx[1]] == list(csv.columns)
            assert xlsx.max_row == len(csv) + 1
        # the key figures table's numbers, in the CSV, the XLSX and the key-figures JSON
        if b == "objective-08":
            csv = pd.read_csv(built / "objective-08.tables/3-key-figures.csv")
            assert csv["Value"].tolist() == [f["value"] for f in figures(built, b)]
            kf = pd.read_csv(built / "objective-08.key-figures.csv")
            assert kf["value"].tolist() == [f["value"] for f in figures(built, b)]
            assert kf["label"].tolist() == [f["label"] for f in figures(built, b)]


def test_the_roundtable_workbook_has_every_briefs_key_figures(built):
    ws = load_workbook(built / "roundtable.key-figures.xlsx")["key figures"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    got = [(r[head.index("brief")], r[head.index("label")], r[head.index("value")]) for r in rows[1:]]
    expected = [(b, f["label"], f["value"] if f["value"] is None else pytest.approx(f["value"], rel=1e-15)) for b in BRIEFS[:-1] for f in figures(built, b)]
    assert got == expected


def test_render_a_brief_run_by_hand(built, tmp_path, capsys):
    """`gcmtools render`: an executed notebook (papermill's output, as the build publishes it) to
    the build's locked-down HTML and the other formats."""
    notebook = tmp_path / "by-hand.ipynb"
    notebook.write_bytes((built / "objective-13.ipynb").read_bytes())
    assert cli.main(["render", str(notebook), "--formats", "pdf,docx", "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "by-hand.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "<script" not in page.lower() and not re.search(r"(src|href)=\"(https?:)?//cdn", page)
    assert 'href="by-hand.tables/3-key-figures.csv"' in page
    reader = PdfReader(tmp_path / "out" / "by-hand.pdf")
    assert reader.metadata.title == titles(built)["objective-13"]
    assert docx.Document(tmp_path / "out" / "by-hand.docx").paragraphs[0].style.name == "Title"
    assert not list((tmp_path / "out").glob(".render-*"))
    (tmp_path / "not-a-notebook.ipynb").write_text("nope", encoding="utf-8")
    assert cli.main(["render", str(tmp_path / "not-a-notebook.ipynb")]) == 2
    assert "not-a-notebook.ipynb: not a notebook" in capsys.readouterr().err
    (tmp_path / "json.ipynb").write_text('{"a": 1}', encoding="utf-8")
    assert cli.main(["render", str(tmp_path / "json.ipynb")]) == 2
    assert "json.ipynb: not a notebook: Notebook could not be converted" in capsys.readouterr().err


# --- no row split, on a table long enough to span pages ---------------------------------------


def long_table(rows: int = 120) -> str:
    """Rows of several lines each (each line a word of its own: r7a, r7b, ...)."""
    cells = "".join(f"<tr><td>r{i}a<br>r{i}b<br>r{i}c<br>r{i}d</td><td class=\"num\">{i}</td></tr>" for i in range(rows))
    return f"<h2>Long</h2><table><thead><tr><th>lines</th><th>n</th></tr></thead><tbody>{cells}</tbody></table>"


def pages_of_rows(pdf: Path, rows: int) -> tuple[list[set[int]], list[str]]:
    pages = [set(p.extract_text().split()) for p in PdfReader(pdf).pages]
    where = [{i for i, words in enumerate(pages) if any(f"r{r}{x}" in words for x in "abcd")} for r in range(rows)]
    return where, [p.extract_text() for p in PdfReader(pdf).pages]


def test_a_table_that_spans_pages_splits_no_row_and_repeats_its_header(tmp_path):
    page = tmp_path / "long.html"
    page.write_text(html.page("Long", long_table()), encoding="utf-8")
    meta = formats.Meta("Long", "review", "2026-01-01")
    with formats.Printer() as printer:
        printer.pdf(page, tmp_path / "long.pdf", meta)
        # control: the same page with rows allowed to break is split, so the check can fail
        control = tmp_path / "control.html"
        control.write_text(page.read_text().replace("</style>", "@media print { tr, td { break-inside: auto !important; } }</style>"),
                           encoding="utf-8")
        printer.pdf(control, tmp_path / "control.pdf", meta)
    where, texts = pages_of_rows(tmp_path / "long.pdf", 120)
    assert len(texts) >= 3, "the table should span pages"
    assert all(len(w) == 1 for w in where), [r for r, w in enumerate(where) if len(w) != 1]
    assert all(words(t).count("lines n") == 1 for t in texts[:-1])  # the header row on every page
    control_where, _ = pages_of_rows(tmp_path / "control.pdf", 120)
    assert any(len(w) > 1 for w in control_where), "the control should split a row"
