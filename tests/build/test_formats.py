"""Formats without a browser: `formats` in the params file and --formats, the downloads under each
table (formula-safe), the HTML pandoc reads for Word, and a PDF that fails failing its brief."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from buildproject import make_project, run, statuses
from gcmtools import build, cli
from gcmtools.build import downloads, formats


@pytest.fixture
def project(tmp_path, monkeypatch):
    return make_project(tmp_path, monkeypatch)


# --- which formats ---------------------------------------------------------------------------


def test_formats_default_to_html_come_from_the_params_file_and_the_command_line_wins(project):
    f = project / "params" / "run.yaml"
    assert build.load_plan("params/run.yaml").formats == ("html",)
    f.write_text(f.read_text().replace("execution_timeout: 60", "execution_timeout: 60\nformats: [docx, pdf]"))
    assert build.load_plan("params/run.yaml").formats == ("html", "pdf", "docx")
    assert build.load_plan("params/run.yaml", formats="html").formats == ("html",)
    assert build.load_plan("params/run.yaml", formats="docx").formats == ("html", "docx")


def test_an_unknown_format_is_refused_naming_the_key_or_the_option(project, capsys):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("execution_timeout: 60", "execution_timeout: 60\nformats: [html, rtf]"))
    with pytest.raises(build.PlanError, match=r"params/run.yaml: key 'formats\[1\]'.*'html', 'pdf' or 'docx'"):
        build.load_plan("params/run.yaml")
    f.write_text(f.read_text().replace("formats: [html, rtf]", "formats: []"))
    with pytest.raises(build.PlanError, match="key 'formats'"):
        build.load_plan("params/run.yaml")
    f.write_text(f.read_text().replace("formats: []", "formats: [pdf]"))
    assert cli.main(["build", "--params", "params/run.yaml", "--formats", "html,odt"]) == 2
    assert "--formats: 'odt' is not a format (formats: html, pdf, docx" in capsys.readouterr().err


def test_approved_only_gives_the_formats_to_the_approved_briefs_alone(project, capsys):
    from gcmtools.build.signoff import Signoff, save_signoffs

    plan = build.load_plan("params/run.yaml", formats="pdf,docx")
    assert plan.formats_for is None  # without --approved-only every brief gets every format
    save_signoffs(plan, {"objective-10": Signoff(status="approved", by="B. Approver", date="2026-12-01"),
                         "objective-11": Signoff(status="reviewed", by="A. Reviewer", date="2026-12-01")})
    plan = build.load_plan("params/run.yaml", formats="pdf,docx", approved_only=True)
    assert plan.formats_for == {"objective-10"}
    assert formats.wanted(plan.formats, plan.formats_for, "objective-10") == ("pdf", "docx")
    assert formats.wanted(plan.formats, plan.formats_for, "objective-11") == ()  # reviewed is not approved
    # the option reaches the plan from the command line (a bad --jobs stops it before any kernel)
    assert cli.main(["build", "--params", "params/run.yaml", "--approved-only", "--jobs", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err


@pytest.mark.slow
def test_formats_for_only_the_named_briefs_the_seam_sign_off_narrows(project):
    plan = build.load_plan("params/run.yaml", only=["10", "11"], formats="docx")
    plan.formats_for = {"objective-10"}  # as sign-off will: only the approved briefs
    build.build(plan, jobs=1, log=lambda _: None)
    assert (plan.out_dir / "objective-10.docx").is_file() and not (plan.out_dir / "objective-11.docx").exists()
    again = build.build(plan, jobs=1, log=lambda _: None)
    assert statuses(again) == {"objective-10": "up to date", "objective-11": "up to date"}
    plan.formats_for = None  # every brief now: the one without its DOCX is built again
    third = build.build(plan, jobs=1, log=lambda _: None)
    assert statuses(third) == {"objective-10": "up to date", "objective-11": "published"}
    assert (plan.out_dir / "objective-11.docx").is_file()


@pytest.mark.slow
def test_a_pdf_that_cannot_be_made_fails_its_brief_and_publishes_nothing_of_it(project, monkeypatch):
    monkeypatch.setenv("GCM_CHROMIUM", str(project / "no-such-chromium"))
    report, lines, out = run(project, only=["10"], formats="html,pdf")
    assert statuses(report) == {"objective-10": "failed"}
    error = report.outcomes[0].error
    assert error.startswith("pdf: ") and "no-such-chromium" in error, error
    assert not any(out.glob("objective-10*")), sorted(p.name for p in out.iterdir())
    # HTML only, it publishes; the roundtable's PDF, which would bind its older version, goes
    (out / "roundtable.pdf").write_bytes(b"%PDF- an older roundtable")
    report, _, _ = run(project, only=["10"], formats="html")
    assert statuses(report) == {"objective-10": "published"}
    assert (out / "objective-10.html").is_file() and not (out / "roundtable.pdf").exists()


# --- downloads -------------------------------------------------------------------------------

HOSTILE_TABLE = """<h2>2. Key figures</h2>
<table><thead><tr><th>Key figure</th><th class="num">Value</th><th>Note</th></tr></thead>
<tbody><tr><td>=HYPERLINK("http://evil.example","x")</td><td class="num">1,885</td><td>@SUM(A1)</td></tr>
<tr><td>Net change</td><td class="num">-12.5</td><td>-1+2</td></tr>
<tr><td>Missing</td><td class="num">not available</td><td>+ a &amp; b</td></tr></tbody></table>
<details><summary>The data behind the chart</summary>
<table><tr><th>year</th><th class="num">persons</th></tr><tr><td>2019</td><td class="num">1,885</td></tr></table>
</details>"""


def test_each_table_is_written_formula_safe_and_linked_right_under_it(tmp_path):
    page = downloads.add_downloads(HOSTILE_TABLE, "objective-08", tmp_path, key_figures=True)
    folder = tmp_path / "objective-08.tables"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2-key-figures-the-data-behind-the-chart.csv", "2-key-figures-the-data-behind-the-chart.xlsx",
        "2-key-figures.csv", "2-key-figures.xlsx"]
    # linked right under each table, relative to the page, the key figures' own files too
    first = page.split("</table>")[1]
    assert first.lstrip().startswith('<p class="downloads muted">Download this table: '
                                     '<a href="objective-08.tables/2-key-figures.csv" download>')
    assert 'href="objective-08.key-figures.xlsx"' in first
    assert 'href="objective-08.tables/2-key-figures-the-data-behind-the-chart.xlsx"' in page.split("</table>")[2]
    # CSV: the cells as the page shows them; a text a spreadsheet would run gets an apostrophe
    rows = list(csv.reader(io.StringIO((folder / "2-key-figures.csv").read_text(encoding="utf-8"))))
    assert rows == [["Key figure", "Value", "Note"],
                    ["'=HYPERLINK(\"http://evil.example\",\"x\")", "1885", "'@SUM(A1)"],
                    ["Net change", "-12.5", "'-1+2"],
                    ["Missing", "not available", "'+ a & b"]]
    # XLSX: numbers as numbers, every text typed as text (never a formula), read back unchanged
    ws = load_workbook(folder / "2-key-figures.xlsx").active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[1] == ['=HYPERLINK("http://evil.example","x")', 1885, "@SUM(A1)"]
    assert cells[2][1] == -12.5 and cells[3][1] == "not available"
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert ws["A2"].quotePrefix and ws["C3"].quotePrefix


def test_the_key_figures_json_as_csv_and_xlsx_every_field_and_the_filter(tmp_path):
    data = {"figures": [{"label": "Dead and missing", "value": 1449.0, "display": "1,449", "year": "2020",
                         "unit": "persons", "caveat": "=1+1", "filter": {"indicator": "mmp_dead_missing",
                                                                       "region": "Mediterranean"}}]}
    (tmp_path / "b.key-figures.json").write_text(json.dumps(data), encoding="utf-8")
    assert downloads.write_key_figures(tmp_path / "b.key-figures.json", "b", tmp_path)
    df = pd.read_csv(tmp_path / "b.key-figures.csv")
    assert df.loc[0, "value"] == 1449.0 and df.loc[0, "caveat"] == "'=1+1"
    assert df.loc[0, "filter"] == "indicator=mmp_dead_missing; region=Mediterranean"
    assert not downloads.write_key_figures(tmp_path / "none.json", "none", tmp_path)


# --- Word ------------------------------------------------------------------------------------


def test_word_gets_footnotes_for_the_caveats_and_the_kosovo_note_and_no_page_furniture():
    page = ("<html><body><h1>Objective 8</h1><h2>2. Key figures<a class=\"anchor-link\" href=\"#x\">¶</a></h2>"
            "<table><tr><th>Key figure</th><th>Caveat</th></tr><tr><td>A</td><td>[1]</td></tr>"
            "<tr><td>B</td><td>[2]</td></tr></table><ol class=\"muted\"><li>First caveat.</li>"
            "<li>Second caveat.</li></ol><p>Practices from Kosovo and Serbia.</p>"
            "<p class=\"downloads\"><a href=\"t.csv\">t.csv</a></p><details><summary>How</summary><p>x</p></details>"
            "<p class=\"footnote\">References to Kosovo shall be understood ...</p></body></html>")
    ready = formats.word_ready(page)
    assert "<h1>" not in ready and "anchor-link" not in ready and "t.csv" not in ready
    assert "<details" not in ready and "<strong><p>How</p></strong>" in ready
    assert ready.count('role="doc-noteref"') == 3 and "First caveat." not in ready.split("doc-endnotes")[0]
    assert 'Kosovo<a href="#fn3" id="fnref3" role="doc-noteref"></a> and Serbia' in ready
    notes = ready.split('role="doc-endnotes"')[1]
    assert ["First caveat.", "Second caveat.", "References to Kosovo shall be understood ..."] == [
        line.split("<p>")[1].split("</p>")[0] for line in notes.split("<li")[1:]]


def test_a_brief_is_published_whole_its_tables_replaced_and_an_older_pdf_removed(tmp_path):
    from gcmtools.build import publish

    work, out = tmp_path / "work", tmp_path / "out"
    (out / "objective-08.tables").mkdir(parents=True)
    (work / "objective-08.tables").mkdir(parents=True)
    for folder, version in ((out, "old"), (work, "new")):
        (folder / "objective-08.html").write_text(version, encoding="utf-8")
        (folder / "objective-08.tables" / f"{version}.csv").write_text(version, encoding="utf-8")
    (out / "objective-08.pdf").write_text("old", encoding="utf-8")  # this version has no PDF
    publish.publish_brief(work, out, "objective-08")
    assert (out / "objective-08.html").read_text() == "new"
    assert [p.name for p in (out / "objective-08.tables").iterdir()] == ["new.csv"]
    assert not (out / "objective-08.pdf").exists() and not any(work.iterdir())


@pytest.mark.slow
@pytest.mark.skipif(formats.chromium() is None, reason="chromium not installed: run `make browser`")
def test_approved_only_circulates_the_approved_briefs_with_their_status_and_no_draft(project):
    """A brief approved after its formats were made has them made again from its page (no
    notebook run) with its new status; with --approved-only a draft brief's PDF and DOCX are
    removed, the index links neither, and roundtable.pdf binds the approved brief alone."""
    import docx as python_docx
    from pypdf import PdfReader

    plan = build.load_plan("params/run.yaml", only=["10", "11"], formats="pdf,docx")
    build.build(plan, jobs=1, log=lambda _: None)
    out = plan.out_dir
    assert "Status: draft" in PdfReader(out / "objective-10.pdf").pages[0].extract_text()
    build.sign_off(plan, "objective-10", "B. Approver")
    lines = []
    plan = build.load_plan("params/run.yaml", only=["10", "11"], formats="pdf,docx", approved_only=True)
    report = build.build(plan, jobs=1, log=lines.append)
    assert statuses(report) == {"objective-10": "up to date", "objective-11": "up to date"}
    first_page = PdfReader(out / "objective-10.pdf").pages[0].extract_text()
    assert "Status: approved" in first_page and "B. Approver" in first_page and "draft" not in first_page
    word = "\n".join(p.text for p in python_docx.Document(out / "objective-10.docx").paragraphs)
    assert "Status: approved: B. Approver" in word and "Status: draft" not in word
    manifest = json.loads((out / "manifest.json").read_text())["briefs"]
    assert manifest["objective-10"]["formats_shell"]["status"] == "approved"
    assert not (out / "objective-11.pdf").exists() and not (out / "objective-11.docx").exists()
    assert any("objective-11: pdf, docx removed (not approved" in line for line in lines)
    index = (out / "index.html").read_text()
    assert 'href="objective-10.pdf"' in index and "objective-11.pdf" not in index and "objective-11.docx" not in index
    roundtable = PdfReader(out / "roundtable.pdf")
    assert [o.title for o in roundtable.outline if not isinstance(o, list)] == ["Contents", plan.briefs[0].title]
    assert "Approved briefs only" in roundtable.pages[0].extract_text()
    again = build.build(plan, jobs=1, log=lines.append)  # nothing to make again
    assert statuses(again) == {"objective-10": "up to date", "objective-11": "up to date"}
    assert "made again" not in "\n".join(lines[len(lines) - 3:])


@pytest.mark.slow
def test_a_scratch_build_into_another_out_folder_leaves_the_real_sign_off_alone(project):
    from gcmtools.build import signoff

    plan = build.load_plan("params/run.yaml", only=["10"])
    build.build(plan, jobs=1, log=lambda _: None)
    build.sign_off(plan, "objective-10", "B. Approver")
    practices = project / "data" / "practices" / "p.csv"
    # objective 10's practice changed: its publication differs from the one signed off in outputs/
    practices.write_text(practices.read_text().replace("Shelter for victims,", "Shelter for victims (edited),"))
    scratch = build.load_plan("params/run.yaml", only=["10"], out=project / "other")
    lines = []
    build.build(scratch, jobs=1, force=True, log=lines.append)
    assert "returned to draft" not in "\n".join(lines)
    assert signoff.load_signoffs(scratch) == {} and signoff.approved_briefs(plan) == {"objective-10"}
    assert "Status: draft" in (scratch.out_dir / "objective-10.html").read_text()
    assert "out: outputs/unece-2020-rt3" in signoff.signoff_file(plan).read_text()
