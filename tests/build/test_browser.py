"""Submitted text is data, never markup: hostile practices rendered into a real brief, the index,
the feedback page and the explorer's detail, opened in headless Chromium: no script from the data
runs, no javascript: link is made, and nothing is loaded from outside the file.

Chromium is Debian's `chromium` package (`make browser` installs it; CI runs as root and gets it).
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from gcmtools import build, html
from gcmtools.intake import explorer
from gcmtools.intake.feedback import write_feedback
from gcmtools.intake.validate import validate_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: run `make browser`")]

PAYLOADS = [
    "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
    "<a href=\"javascript:document.documentElement.setAttribute('data-pwned','a')\">click me</a>",
    "[click](javascript:document.documentElement.setAttribute('data-pwned','md'))",
    "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\"></svg>",
    "<iframe src=\"javascript:parent.document.documentElement.setAttribute('data-pwned','iframe')\"></iframe>",
]
HEADER = ("practice_id,submitter,submitter_type,country,objectives,title,description,"
          "guiding_questions,principles,practice_type,source_ref\n")


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def dump_dom(page: Path, tmp_path: Path) -> str:
    """The DOM after Chromium loaded the page and ran whatever it would run."""
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=3000",
         "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


class Elements(HTMLParser):
    """The real elements of a serialised DOM (text that merely looks like markup is not one)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(dom: str) -> None:
    parser = Elements()
    parser.feed(dom)
    html_attrs = next(a for t, a in parser.tags if t == "html")
    assert "data-pwned" not in html_attrs, f"a script from the data ran: {html_attrs}"
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "svg", "object", "embed"), f"<{tag}> from the data"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if name in ("href", "src"):
                scheme = urlsplit(value.strip()).scheme.lower()
                ok = scheme in ("", "http", "https") or value.startswith("data:image/")
                assert ok, f"<{tag} {name}={value[:60]!r}>"
                if tag != "a":
                    assert not value.startswith("http"), f"<{tag}> loads {value[:60]} from outside"


def test_the_detector_sees_a_script_run(tmp_path):
    """Control: an unsafe page with the same payloads is caught, so the check can fail."""
    page = tmp_path / "unsafe.html"
    page.write_text("<html><body>" + "".join(PAYLOADS[:2]) + "</body></html>", encoding="utf-8")
    with pytest.raises(AssertionError, match="a script from the data ran"):
        assert_inert(dump_dom(page, tmp_path))


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "data" / "practices").mkdir(parents=True)
    rows = []
    for i, payload in enumerate(PAYLOADS):
        rows.append(",".join([f"X-{i}", _csv_cell(f"NGO {payload}"), "civil_society", "GRC", "8",
                              _csv_cell(f"Title {payload}"), _csv_cell(f"Description {payload}"),
                              "3", "human-rights", "service",
                              "javascript:alert(1)" if i == 0 else "https://example.org/ok"]))
    (root / "data" / "practices" / "hostile.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    (root / "params").mkdir()
    (root / "params" / "run.yaml").write_text(
        "review: unece-2020-rt3\npractices: data/practices\nsources: []\nbriefs:\n"
        "  - {notebook: notebooks/brief.ipynb, parameters: {objective: 8}}\n"
        "  - {id: overview, notebook: notebooks/overview.ipynb}\n", encoding="utf-8")
    return root


def test_hostile_practices_in_a_built_brief_and_overview(hostile_project, tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_ROOT", str(hostile_project))
    # the javascript: source_ref is rejected at intake; the other rows are accepted as text
    result = validate_paths([hostile_project / "data" / "practices"])
    assert len(result.accepted) == len(PAYLOADS) - 1
    plan = build.load_plan("params/run.yaml")
    report = build.build(plan, jobs=2, log=lambda _: None)
    assert report.exit_code == 0, report.outcomes
    for name in ("objective-08.html", "overview.html", "index.html"):
        page = plan.out_dir / name
        text = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text
        if name != "index.html":
            assert "Title &lt;img src=x onerror=" in text  # shown as text, visibly
        assert_inert(dump_dom(page, tmp_path))


def test_hostile_text_in_feedback_pages(hostile_project, tmp_path):
    result = validate_paths([hostile_project / "data" / "practices"])
    for page in write_feedback(result, tmp_path / "feedback"):
        if page.suffix == ".html":
            assert_inert(dump_dom(page, tmp_path))


def test_hostile_text_in_the_explorer_detail(hostile_project, tmp_path):
    result = validate_paths([hostile_project / "data" / "practices"])
    body = "".join(explorer.practice_html(row) for _, row in result.accepted.iterrows())
    page = tmp_path / "detail.html"
    page.write_text(html.page("detail", body), encoding="utf-8")
    assert_inert(dump_dom(page, tmp_path))
