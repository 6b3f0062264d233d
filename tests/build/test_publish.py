"""The index as the briefs published them: coverage and the illustrative banner read from each
brief's key-figures JSON, and hostile text in a title, an error or the JSON shown as text."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from gcmtools import catalogue
from gcmtools.build import publish
from gcmtools.build.plan import Brief, Plan

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"' &amp;"
COUNTS = {"read": 3, "accepted": 3, "rejected": 0, "by_objective": {"10": 2, "11": 1},
          "states": 56, "states_reporting": 2, "states_reporting_by_objective": {"10": 1, "11": 0},
          "illustrative": False}


def _plan(out: Path, *briefs: Brief) -> Plan:
    return Plan(out / "params.yaml", catalogue.load_review("unece-2020-rt3"), [], [], list(briefs), out)


def _publish(out: Path, brief_id: str, key_figures: object) -> None:
    (out / f"{brief_id}.html").write_text("<html></html>", encoding="utf-8")
    (out / f"{brief_id}.key-figures.json").write_text(json.dumps(key_figures), encoding="utf-8")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_coverage_and_banner_are_what_each_brief_published(tmp_path):
    briefs = [Brief("objective-10", Path("nb"), {}, "Objective 10", 10),
              Brief("overview", Path("nb"), {}, "Roundtable overview"),
              Brief("objective-11", Path("nb"), {}, "Objective 11", 11)]
    _publish(tmp_path, "objective-10", {"objective": 10, "practices": COUNTS})
    _publish(tmp_path, "overview", {"practices": COUNTS})
    state = {"briefs": {"objective-10": {"status": "published"}, "overview": {"status": "published"},
                        "objective-11": {"status": "failed", "error": "cell 3: ValueError: no"}}}
    body = publish.index_body(_plan(tmp_path, *briefs), state)
    assert "<td>2 practices; 1 of 56 UNECE States reporting</td>" in body
    assert "<td>3 practices; 2 of 56 UNECE States reporting</td>" in body  # the overview: all practices
    assert ("FAILED, never published (cell 3: ValueError: no)</td><td><strong>draft</strong>: not yet reviewed</td>"
            "<td></td><td class=\"nowrap\"></td><td class=\"num\"></td><td></td>") in body
    assert "Illustrative data" not in body
    _publish(tmp_path, "overview", {"practices": {**COUNTS, "illustrative": True}})
    assert "Illustrative data" in publish.index_body(_plan(tmp_path, *briefs), state)
    _publish(tmp_path, "overview", {"practices": {**COUNTS, "accepted": 0}})
    assert "<td>no practices</td>" in publish.index_body(_plan(tmp_path, *briefs), state)
    # a brief whose JSON says nothing of its practices: the index says so, it does not count them itself
    _publish(tmp_path, "overview", {"objectives": {}})
    assert "<td>no practice counts in its key-figures JSON</td>" in publish.index_body(_plan(tmp_path, *briefs), state)
    _publish(tmp_path, "objective-10", {"practices": {"accepted": 3}})
    assert "its key-figures JSON lacks the count &#x27;by_objective&#x27;" in publish.index_body(_plan(tmp_path, *briefs), state)


def test_hostile_text_in_a_title_an_error_or_the_json_stays_inert(tmp_path):
    briefs = [Brief("objective-10", Path("nb"), {}, f"Objective 10 {HOSTILE}", 10),
              Brief("overview", Path("nb"), {}, HOSTILE),
              Brief("objective-11", Path("nb"), {}, HOSTILE, 11)]
    hostile_counts = {**COUNTS, "by_objective": {"10": HOSTILE}, "states_reporting": HOSTILE, "states": HOSTILE}
    _publish(tmp_path, "objective-10", {"practices": hostile_counts})
    _publish(tmp_path, "overview", {"practices": hostile_counts})
    state = {"briefs": {"objective-10": {"status": "published", "built": HOSTILE, "seconds": HOSTILE},
                        "overview": {"status": "failed", "error": HOSTILE},
                        "objective-11": {"status": "failed", "error": HOSTILE}}}
    plan = _plan(tmp_path, *briefs)
    publish.write_index(plan, state)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#x27; &amp;amp;" in page
    parser = Tags()
    parser.feed(page)
    assert {t for t, _ in parser.tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "p", "code",
                                           "strong", "table", "tr", "th", "td", "a", "footer",
                                           "header", "nav", "main"}
    assert not [a for _, attrs in parser.tags for a, v in attrs if a.startswith("on")]
    assert [v for t, attrs in parser.tags if t == "a" for a, v in attrs if a == "href"] == [
        "index.html", "overview.html",  # the page header's links
        "objective-10.html", "objective-10.html", "overview.html", "overview.html"]  # each brief, then its formats
    assert "Content-Security-Policy" in page and page.count('class="stale"') == 2  # the overview, stale
