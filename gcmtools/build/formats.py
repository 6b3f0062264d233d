"""A brief's published HTML in, its other formats out: PDF (headless Chromium), DOCX (pandoc) and
the roundtable's PDF (the overview and the briefs in one document, with a contents page and
bookmarks).

PDF: Debian's `chromium`, driven through playwright with the system executable (no browser is
downloaded), prints the page with the print stylesheet (templates/print.css), a running header
(the brief's title, the review, the build date) and footer (page N of M), a tagged structure and
an outline from the headings; pypdf then sets the author and subject. One browser serves a whole
build; it starts at the first PDF, so a build without PDFs never starts it. Why Chromium and
not WeasyPrint: it is the engine the briefs are read in (and tested in, test_browser.py), it is
already on every machine that runs the tests, it writes tagged PDF and an outline itself, and
it prints a brief in about a second (objective 8: 0.8-1.0 s after a 0.6-1.1 s start);
WeasyPrint would add Pango's system libraries, which nothing installs here, and a second layout
engine whose pages could differ from the browser's.

DOCX: pandoc (pypandoc-binary ships it) reads the HTML: headings become Word headings (the
brief's title the document title), tables Word tables, charts pictures with their alt text as
the description, and the key figures' numbered caveats and the Kosovo note Word footnotes.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from gcmtools import store

#: the formats a build or `gcmtools render` can write; HTML is always written (the others are made from it)
FORMATS = ("html", "pdf", "docx")
#: every PDF's and DOCX's author
AUTHOR = "GCM Review Workbook"
LANGUAGE = "en"
#: as tests/build/test_browser.py starts it: nothing leaves the machine, no sandbox (root, CI)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions"]


class FormatError(Exception):
    """A format that could not be written; the message says which and why."""


def parse_formats(value: str | list[str] | tuple[str, ...], where: str = "--formats") -> tuple[str, ...]:
    """'html,pdf' (or a list) as the formats in FORMATS order, HTML always first; FormatError
    naming `where` and the value for an unknown or empty one."""
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(x).strip().lower() for x in items if str(x).strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise FormatError(f"{where}: {unknown[0] if unknown else value!r} is not a format "
                          f"(formats: {', '.join(FORMATS)}, comma-separated)")
    return tuple(f for f in FORMATS if f in names or f == "html")


def chromium() -> str | None:
    """The system Chromium (GCM_CHROMIUM names another), or None."""
    return os.environ.get("GCM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Meta:
    """What a PDF or DOCX says about itself: its title, the review, the build date (UTC)."""

    title: str
    review: str
    built: str


class Printer:
    """Headless Chromium for PDFs, started at the first `pdf()` and stopped on exit."""

    def __init__(self) -> None:
        self._playwright = self._browser = None

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()
        except Exception:  # noqa: S110 - interrupted, Ctrl-C has already stopped the browser with the build
            pass
        finally:
            self._playwright = self._browser = None

    def _page(self):
        if self._browser is None:
            executable = chromium()
            if executable is None:
                raise FormatError("pdf: no chromium on this machine (`make browser` installs Debian's)")
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        return self._browser.new_page()

    def pdf(self, page_html: Path, out: Path, meta: Meta) -> Path:
        """`page_html` printed to `out` (atomically), with header, footer, outline, tags and metadata."""
        page = self._page()
        try:
            page.goto(Path(page_html).resolve().as_uri(), wait_until="load")
            # the footer template numbers the pages: the print stylesheet's own number (for a
            # reader printing from a browser) would print a second one
            page.add_style_tag(content="@page { @bottom-right { content: none; } }")
            raw = page.pdf(format="A4", display_header_footer=True, header_template=_header(meta),
                           footer_template=_footer(meta), margin={"top": "20mm", "bottom": "18mm",
                                                                  "left": "14mm", "right": "14mm"},
                           print_background=True, tagged=True, outline=True)
        finally:
            page.close()
        return store.atomic_write(Path(out), lambda tmp: _with_metadata(raw, tmp, meta))


_TEMPLATE_STYLE = "font-family: system-ui, sans-serif; font-size: 7.5pt; color: #555; width: 100%; margin: 0 14mm;"


def _header(meta: Meta) -> str:
    """Chromium's header template: the brief's title, the review and the build date."""
    text = " · ".join(html.escape(x) for x in (meta.title, meta.review, f"built {meta.built}"))
    return f'<div style="{_TEMPLATE_STYLE} text-align: left;">{text}</div>'


def _footer(meta: Meta) -> str:
    return (f'<div style="{_TEMPLATE_STYLE} text-align: right;">Page <span class="pageNumber"></span> '
            'of <span class="totalPages"></span></div>')


def _metadata(meta: Meta) -> dict[str, str]:
    return {"/Title": meta.title, "/Author": AUTHOR, "/Subject": f"{meta.review}, built {meta.built}",
            "/Creator": f"gcmtools {store.tool_versions()['gcmtools']}"}


def _with_metadata(raw: bytes, out: Path, meta: Meta) -> None:
    """Chromium's PDF with the author, subject and creator added as an incremental update
    (Chromium's bytes, with its tags, outline and language, are kept as they are)."""
    import io
    import logging

    from pypdf import PdfWriter

    # Chromium's trailer counts one object fewer than its cross-reference table: pypdf says so
    # on every PDF; the file is sound
    logging.getLogger("pypdf._reader").setLevel(logging.ERROR)
    writer = PdfWriter(io.BytesIO(raw), incremental=True)
    writer.add_metadata(_metadata(meta))
    with open(out, "wb") as fh:
        writer.write(fh)


# --- the roundtable's PDF ----------------------------------------------------------------------


def roundtable_pdf(printer: Printer, parts: list[tuple[str, Path]], out: Path, meta: Meta,
                   approved_only: bool = False) -> Path:
    """The briefs' PDFs (`parts`: title and file, in order) in one document: a contents page
    with each part's first page (saying, when `approved_only`, that it binds the approved briefs
    only), then the parts, each a bookmark with its own outline under it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    readers = [(title, PdfReader(path)) for title, path in parts]
    toc_pages, toc = 1, None
    for _ in range(3):  # the contents may need more than one page: number the parts again
        starts, page_no = [], toc_pages + 1
        for title, reader in readers:
            starts.append((title, page_no, len(reader.pages)))
            page_no += len(reader.pages)
        toc = _contents_pdf(printer, starts, out.parent, meta, approved_only)
        if len(PdfReader(toc).pages) == toc_pages:
            break
        toc_pages = len(PdfReader(toc).pages)
    writer = PdfWriter()
    writer.append(PdfReader(toc), outline_item="Contents", import_outline=False)
    for title, reader in readers:
        writer.append(reader, outline_item=title, import_outline=True)
    writer.add_metadata(_metadata(meta))
    writer._root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    writer.page_mode = "/UseOutlines"  # the bookmarks open beside the first page

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            writer.write(fh)

    try:
        return store.atomic_write(out, write)
    finally:
        toc.unlink(missing_ok=True)


def _contents_pdf(printer: Printer, starts: list[tuple[str, int, int]], folder: Path, meta: Meta,
                  approved_only: bool) -> Path:
    """The contents page as a PDF in `folder` (removed by the caller)."""
    from gcmtools.html import page, render

    body = render("roundtable_contents.html", title=meta.title, review=meta.review, built=meta.built,
                  parts=[{"title": t, "page": p, "pages": n} for t, p, n in starts], approved_only=approved_only)
    source = folder / f".roundtable-contents-{os.getpid()}.html"
    source.write_text(page(meta.title, body), encoding="utf-8")
    try:
        return printer.pdf(source, source.with_suffix(".pdf"), meta)
    finally:
        source.unlink(missing_ok=True)


# --- DOCX --------------------------------------------------------------------------------------


def docx(page_html: Path, out: Path, meta: Meta) -> Path:
    """The page as a Word document for the secretariat to edit (pandoc), written atomically."""
    import pypandoc

    source = word_ready(Path(page_html).read_text(encoding="utf-8"))
    args = ["--shift-heading-level-by=-1",  # <h2> becomes Heading 1 (the <h1> is the title)
            f"--metadata=title:{meta.title}", f"--metadata=author:{AUTHOR}", f"--metadata=lang:{LANGUAGE}",
            f"--metadata=subject:{meta.review}, built {meta.built}"]

    def write(tmp: Path) -> None:
        try:
            pypandoc.convert_text(source, "docx", format="html", outputfile=str(tmp), extra_args=args)
        except (RuntimeError, OSError) as exc:
            raise FormatError(f"docx: pandoc failed: {str(exc).strip().splitlines()[-1]}") from None

    return store.atomic_write(Path(out), write)


_CAVEAT_REF = re.compile(r"^\[(\d+)\]$")


def word_ready(page: str) -> str:
    """The page as pandoc should read it for Word: no heading anchors, download links, links to
    the other briefs or page footer, the sign-off status a paragraph, and no <h1> (the document's title, given to pandoc as such); folded details as a
    bold line and their content; the key figures' caveat numbers ("[1]", listed under the
    table) and the Kosovo note as footnotes (pandoc's own HTML form)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for tag in soup.select("a.anchor-link, .downloads, body > footer, style, title, h1, body > header > nav"):
        tag.decompose()
    status, main = soup.select_one("body > header > p.signoff"), soup.select_one("main")
    if status is not None and main is not None:  # pandoc reads <main> alone: the status opens it
        main.insert(0, status.extract())
    for summary in soup.select("details > summary"):
        summary.name = "p"
        summary.string = summary.get_text()
        summary.wrap(soup.new_tag("strong"))
    for details in soup.select("details"):
        details.unwrap()
    notes: list[str] = []
    for table in soup.select("table"):
        _caveats_as_notes(soup, table, notes)
    _kosovo_as_note(soup, notes)
    if notes:
        section = soup.new_tag("section", attrs={"role": "doc-endnotes"})
        ol = soup.new_tag("ol")
        for i, text in enumerate(notes, start=1):
            li = soup.new_tag("li", id=f"fn{i}")
            p = soup.new_tag("p")
            p.string = text
            li.append(p)
            ol.append(li)
        section.append(ol)
        (soup.body or soup).append(section)
    return str(soup)


def _note_ref(soup, notes: list[str], text: str):
    notes.append(text)
    n = len(notes)
    return soup.new_tag("a", href=f"#fn{n}", id=f"fnref{n}", attrs={"role": "doc-noteref"})


def _caveats_as_notes(soup, table, notes: list[str]) -> None:
    """A table whose cells cite "[n]" of the numbered list right after it: each citation a
    footnote with the caveat's text, the list removed."""
    listed = table.find_next_sibling(["ol", "p", "details", "table", "h2", "h3", "h4"])
    while listed is not None and listed.name == "p" and "muted" in (listed.get("class") or []):
        listed = listed.find_next_sibling(["ol", "p", "details", "table", "h2", "h3", "h4"])
    if listed is None or listed.name != "ol":
        return
    texts = [li.get_text(" ", strip=True) for li in listed.find_all("li")]
    cited = False
    for td in table.find_all("td"):
        m = _CAVEAT_REF.match(td.get_text(strip=True))
        if m and 1 <= int(m.group(1)) <= len(texts):
            td.clear()
            td.append(_note_ref(soup, notes, texts[int(m.group(1)) - 1]))
            cited = True
    if cited:
        listed.decompose()


def _kosovo_as_note(soup, notes: list[str]) -> None:
    """The Kosovo note (`p.footnote`) as a footnote at the first mention of Kosovo in the text."""
    note = soup.select_one("p.footnote")
    if note is None:
        return
    for text in soup.find_all(string=re.compile("Kosovo")):
        if text.find_parent("p", class_="footnote") is None and text.parent.name not in ("style", "title"):
            head, _, tail = str(text).partition("Kosovo")
            ref = _note_ref(soup, notes, note.get_text(" ", strip=True))
            text.replace_with(soup.new_string(head + "Kosovo"), ref, soup.new_string(tail))
            note.decompose()
            return


# --- the build's step --------------------------------------------------------------------------

#: a brief's files the formats add, beside its HTML (published with it, see publish.SUFFIXES)
FORMAT_SUFFIXES = {"pdf": ".pdf", "docx": ".docx"}
ROUNDTABLE_PDF = "roundtable.pdf"


def wanted(formats: tuple[str, ...], formats_for: set[str] | None, brief_id: str) -> tuple[str, ...]:
    """The formats beyond HTML a build writes for the brief: none when `formats_for` (the briefs
    that get them; None: every brief) leaves it out."""
    if formats_for is not None and brief_id not in formats_for:
        return ()
    return tuple(f for f in formats if f != "html")


class FormatStep:
    """What a build does to each brief after its notebook ran, in the work folder, before the
    brief is published: the downloads (tables and key figures as CSV and XLSX, linked from the
    page), then the PDF and the DOCX for the briefs in `formats_for` (None: every brief; the
    seam through which only approved briefs get them). Then, once per build, the roundtable's
    PDF and key-figures workbook beside the index."""

    def __init__(self, formats: tuple[str, ...], review_label: str, built: str,
                 formats_for: set[str] | None = None) -> None:
        self.formats, self.review_label, self.built = formats, review_label, built
        self.formats_for = formats_for
        self.printer = Printer()
        self.finished: list[str] = []  # briefs this build made again (and so publishes)

    def __enter__(self) -> FormatStep:
        return self

    def __exit__(self, *exc) -> None:
        self.printer.__exit__(*exc)

    def wanted(self, brief_id: str) -> tuple[str, ...]:
        return wanted(self.formats, self.formats_for, brief_id)

    def finish(self, work: Path, brief_id: str, title: str) -> None:
        """The brief's downloads and formats, written in `work`; FormatError naming the format
        and the reason when one cannot be made (the brief then fails as a whole)."""
        from gcmtools.build import downloads

        page = work / f"{brief_id}.html"
        key_figures = downloads.write_key_figures(work / f"{brief_id}.key-figures.json", brief_id, work)
        page.write_text(downloads.add_downloads(page.read_text(encoding="utf-8"), brief_id, work, key_figures),
                        encoding="utf-8")
        meta = Meta(title, self.review_label, self.built)
        for fmt in self.wanted(brief_id):
            self._render(fmt, page, work / f"{brief_id}{FORMAT_SUFFIXES[fmt]}", meta)
        self.finished.append(brief_id)

    def _render(self, fmt: str, page: Path, target: Path, meta: Meta) -> None:
        """One format of `page` written to `target`; FormatError naming the format and why."""
        try:
            if fmt == "pdf":
                self.printer.pdf(page, target, meta)
            else:
                docx(page, target, meta)
        except FormatError:
            raise
        except Exception as exc:  # the engine's own error, said in one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise FormatError(f"{fmt}: {type(exc).__name__}: {first}") from None

    def again(self, out_dir: Path, work: Path, brief_id: str, title: str) -> list[str]:
        """The brief's published formats made again from its published page, without running
        its notebook (its sign-off status changed since they were made): each written in `work`,
        then renamed into place. The formats made; FormatError as `finish` says it."""
        meta = Meta(title, self.review_label, self.built)
        made = []
        for fmt in self.wanted(brief_id):
            target = out_dir / f"{brief_id}{FORMAT_SUFFIXES[fmt]}"
            if target.is_file():
                self._render(fmt, out_dir / f"{brief_id}.html", work / target.name, meta)
                os.replace(work / target.name, target)
                made.append(fmt)
        if made:
            self.finished.append(brief_id)  # the roundtable's PDF binds it again
        return made

    def withdraw(self, out_dir: Path, brief_id: str) -> list[str]:
        """A brief that gets no formats beyond HTML (not approved, with --approved-only): its
        published PDF and DOCX removed, as publishing a version without them does. The formats removed."""
        removed = [fmt for fmt, suffix in FORMAT_SUFFIXES.items() if (out_dir / f"{brief_id}{suffix}").is_file()]
        for fmt in removed:
            (out_dir / f"{brief_id}{FORMAT_SUFFIXES[fmt]}").unlink()
        if removed:
            self.finished.append(brief_id)  # the roundtable's PDF no longer binds it
        return removed

    def roundtable(self, out_dir: Path, briefs: list[tuple[str, str, bool]], title: str) -> list[Path]:
        """After the briefs are published: the roundtable's key-figures workbook, and its PDF
        (`briefs`: id, title, is-overview; the overview first, then the others in order) from
        the briefs' PDFs when this build published a brief or the roundtable's is missing. A
        build without PDFs that published a brief removes the roundtable's PDF, which would
        bind its older version."""
        from gcmtools.build import downloads

        written = [downloads.write_roundtable_workbook(out_dir, [(i, t) for i, t, _ in briefs])]
        target = out_dir / ROUNDTABLE_PDF
        if "pdf" not in self.formats and self.finished:
            target.unlink(missing_ok=True)
        elif "pdf" in self.formats and (self.finished or not target.exists()):
            ordered = sorted(briefs, key=lambda b: not b[2])
            parts = [(t, out_dir / f"{i}.pdf") for i, t, _ in ordered
                     if self.wanted(i) and (out_dir / f"{i}.pdf").is_file()]
            if parts:
                written.append(roundtable_pdf(self.printer, parts, target,
                                              Meta(title, self.review_label, self.built),
                                              approved_only=self.formats_for is not None))
            else:
                target.unlink(missing_ok=True)
        return [p for p in written if p is not None]


# --- a brief run by hand -----------------------------------------------------------------------


def render_notebook(notebook: Path, out_dir: Path, formats: tuple[str, ...] = ("html",),
                    title: str | None = None) -> list[Path]:
    """An executed notebook (a brief run by hand with papermill) rendered as a build publishes a
    brief, into `out_dir` under the notebook's name: the locked-down HTML with its downloads,
    and the other `formats`; written whole or not at all (FormatError). ValueError for a file
    that is not an executed notebook."""
    import datetime as dt
    import tempfile

    import nbformat

    from gcmtools.build import publish
    from gcmtools.build.render import notebook_html

    # load: the notebook, its parameters, its key figures if it wrote them
    try:
        nb = nbformat.read(notebook, as_version=4)
    except OSError:
        raise
    except Exception as exc:  # not JSON, or JSON but not a notebook (jsonschema's errors)
        raise ValueError(f"not a notebook: {str(exc).strip().splitlines()[0]}") from None
    if not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
        raise ValueError("no cell has an output: run it first (papermill NOTEBOOK OUT.ipynb ...)")
    parameters = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    brief_id = notebook.stem
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".render-", dir=out_dir))
    try:
        # process: the page and its formats, in a work folder
        page_title = title or _title(nb, parameters, brief_id)
        (work / f"{brief_id}.html").write_text(notebook_html(nb, page_title), encoding="utf-8")
        key_figures = _found(parameters.get("key_figures_out"), notebook.parent)
        if key_figures is not None:
            shutil.copyfile(key_figures, work / f"{brief_id}.key-figures.json")
        built = dt.datetime.now(dt.UTC).date().isoformat()
        with FormatStep(formats, _review_label(parameters), built) as step:
            step.finish(work, brief_id, page_title)
        # save: every file in place, the HTML last
        made = sorted(p.name for p in work.iterdir())
        publish.publish_brief(work, out_dir, brief_id)
        return [out_dir / name for name in made]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _title(nb, parameters: dict, fallback: str) -> str:
    """The brief's title as the build gives it: its objective's, else the notebook's first heading."""
    from gcmtools import catalogue

    objective = parameters.get("objective")
    if isinstance(objective, int) and objective in catalogue.objective_numbers():
        return f"Objective {objective}: {catalogue.objective_title(objective)}"
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return fallback


def _review_label(parameters: dict) -> str:
    from gcmtools import catalogue

    try:
        review = catalogue.load_review(parameters.get("review") or "unece-2020-rt3")
    except (ValueError, OSError):
        return str(parameters.get("review") or "")
    return f"{review.short_review}, roundtable {review.roundtable_number}"


def _found(path: object, beside: Path) -> Path | None:
    """A file the notebook wrote (a path relative to the project root or the notebook), if it exists."""
    from gcmtools.paths import from_root

    if not path:
        return None
    for candidate in (from_root(str(path)), beside / str(path)):
        if candidate.is_file():
            return candidate
    return None
