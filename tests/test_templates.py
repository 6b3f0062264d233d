"""Every template of gcmtools/templates/ rendered with hostile text in every text field comes out
inert: escaped, no new tag or attribute, no javascript: link. A template without a case fails."""

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import Markup

import gcmtools
from gcmtools import html

TEMPLATES = Path(gcmtools.__file__).parent / "templates"
HOSTILE = ['<script>alert(1)</script>', '"onmouseover="x', "'onfocus='x", "javascript:alert(1)",
           "{{ 7*7 }}", "<img src=x onerror=alert(1)>", "a/b/" * 15]
TEXT = " ".join(HOSTILE)


def frame(**columns) -> pd.DataFrame:
    """A table whose every cell (and every column name) is hostile."""
    return pd.DataFrame({TEXT if k == "hostile" else k: v for k, v in
                         {"hostile": [TEXT], **columns}.items()})


def figures() -> dict:
    row = {k: TEXT for k in ("label", "note", "value", "unit", "year", "context", "place",
                             "source", "vintage", "caveat")}
    return {"rows": [row], "context": True, "intro": TEXT, "flags": TEXT, "caveats": [TEXT],
            "filters": frame(), "missing": [{"label": TEXT, "reason": TEXT}]}


def series() -> dict:
    return {"note": TEXT, "caveat": TEXT, "table": frame(year=[TEXT]), "flags": TEXT}


class Question:
    number, short, quoted = TEXT, TEXT, TEXT


class Review:
    review, roundtable_number, roundtable_title, id = TEXT, TEXT, TEXT, TEXT


ANCHORS = {"totals": TEXT, "actions": TEXT, "map": TEXT}
DISTINCT = {"entries": 2, "distinct": 1, "several": 1, "uncounted": 1}
GROUPS = [{"label": TEXT, "practices": frame(source_ref=["javascript:alert(1)"])}]
CHART = Markup('<img src="data:image/png;base64,AAAA" alt="chart" width="1">')
CASES = {
    "page.html": {"title": TEXT, "body": Markup("<p>body</p>"), "disclaimer": TEXT, "links": True,
                  "toc": [{"id": TEXT, "text": TEXT}], "status": {"status": TEXT, "text": TEXT}},
    "figure.html": {"png": TEXT, "alt": TEXT, "width": TEXT},
    "feedback.html": {"submitter": TEXT, "rejected": frame(), "accepted": frame(), "replaced": frame(),
                      "lang": TEXT,
                      "text": {k: TEXT for k in ("heading", "problems", "problems_intro",
                                                 "no_problems", "no_problems_intro", "accepted", "replaced")}},
    "index.html": {
        "review": Review(), "illustrative": True, "version": TEXT, "commit": TEXT,
        "rows": [{"id": TEXT, "title": TEXT, "published": True, "stale": True, "status": TEXT,
                  "built": TEXT, "seconds": TEXT, "coverage": TEXT,
                  "formats": [{"href": TEXT, "label": TEXT}], "signoff": {"status": TEXT, "text": TEXT},
                  "changes": TEXT}],
        "roundtable": [{"href": TEXT, "label": TEXT}],
        "profiles": [{"subregion": TEXT, "rows": [{"id": TEXT, "title": TEXT, "published": True, "stale": False,
                                                    "status": TEXT, "built": TEXT, "seconds": TEXT,
                                                    "coverage": TEXT, "formats": [], "changes": TEXT,
                                                    "signoff": {"status": TEXT, "text": TEXT}}]}],
        "footnote": TEXT},
    "brief/what_changed.html": {
        "previous": True, "error": "", "built": TEXT, "summary": TEXT, "changes": {
            "figures_revised": [{"key": TEXT, "old": TEXT, "new": TEXT, "old_vintage": TEXT, "new_vintage": TEXT}],
            "figures_added": [{"key": TEXT, "value": TEXT, "vintage": TEXT}], "figures_withdrawn": [],
            "practices_added": [{"practice_id": TEXT, "title": TEXT}], "practices_changed": [],
            "practices_withdrawn": [{"practice_id": TEXT, "title": TEXT}]}},
    "roundtable_contents.html": {"title": TEXT, "review": TEXT, "built": TEXT,
                                 "parts": [{"title": TEXT, "page": 2, "pages": 3}], "approved_only": True},
    "explorer_practice.html": {"fields": [(TEXT, TEXT), ("source_ref", "javascript:alert(1)")]},
    "brief/header.html": {
        "illustrative": True, "objective": 8, "objective_title": TEXT, "roundtable_number": TEXT,
        "roundtable_title": TEXT, "review": TEXT, "dates": TEXT, "period": TEXT,
        "objectives": TEXT, "questions": [Question()], "preamble": TEXT, "practices": 1,
        "accepted": 1, "files": 1,
        "vintages": [{"publisher": TEXT, "dataset": TEXT, "vintage": TEXT}]},
    "brief/key_figures.html": {"figures": figures(), "rule": TEXT, "cited": [
        {"quote": TEXT, "sic": TEXT, "document": TEXT, "label": TEXT, "net": 1.0,
         "corrections": 2.0, "first_reported": 3.0, "source": TEXT, "vintage": TEXT,
         "note": TEXT}]},
    "brief/trend.html": {"series": series(), "chart": CHART},
    "brief/comparison.html": {"series": series(), "chart": CHART},
    "brief/reported.html": {
        "subject": TEXT, "practices": 1, "by_states": 1, "by_stakeholders": 0,
        "question_rule": TEXT, "submitter_types_note": TEXT, "by_question": frame(),
        "chart": CHART, "questions": [{"number": TEXT, "short": TEXT, "groups": GROUPS}],
        "unlisted": {"where": TEXT, "groups": GROUPS}, "by_submitter_type": frame(),
        "country_by_type": frame(), "distinct": DISTINCT},
    "brief/highlights.html": {"practices": [
        {"title": TEXT, "practice_id": TEXT, "meta": [TEXT, TEXT], "description": TEXT,
         "source_ref": "javascript:alert(1)"}]},
    "brief/lens.html": {"shares": frame(), "chart": CHART, "target_groups": frame(),
                        "cross_cutting": [{"title": TEXT, "description": TEXT}],
                        "covid": [(TEXT, 1)], "measures": GROUPS},
    "brief/coverage.html": {
        "subject": TEXT, "reported": 1, "states": 1, "coverage_rule": TEXT,
        "by_subregion": frame(), "threshold": TEXT, "thin": frame(), "thin_empty": TEXT,
        "data_gaps": frame(), "missing": [{"label": TEXT, "indicator": TEXT, "reason": TEXT}],
        "absent": [{"path": TEXT, "status": TEXT, "message": TEXT}]},
    "brief/sources_and_method.html": {
        "datasets": frame(), "status": frame(), "notes": [TEXT], "counts": frame(),
        "unreadable": [TEXT], "rejected": True, "question_rule": TEXT, "coverage_rule": TEXT,
        "threshold": 3, "small_count_rule": TEXT,
        "manifest": {"error": "", "name": TEXT, "rows": frame(), "inputs": frame()},
        "interactive": TEXT, "overview": True,
        "materials": [{"publisher": TEXT, "kind": TEXT, "title": TEXT}],
        "closing": {"disclaimer": TEXT, "footnote": TEXT}},
    "brief/overview_objectives.html": {"objectives": frame(), "chart": CHART},
    "brief/overview_questions.html": {"question_rule": TEXT, "questions": frame(),
                                      "threshold": TEXT, "thin": [TEXT], "chart": CHART,
                                      "distinct": DISTINCT},
    "brief/key_messages.html": {"messages": [
        {"text": TEXT, "caveat": TEXT, "anchor": TEXT, "link": TEXT}]},
    "brief/question_totals.html": {"anchors": ANCHORS, "distinct": DISTINCT, "totals": frame()},
    "brief/questions_actions.html": {
        "objective": TEXT, "commitment": TEXT, "anchors": ANCHORS, "distinct": DISTINCT,
        "totals": frame(), "action_rule": TEXT, "states_rule": TEXT, "actions": frame(),
        "questions": [{"number": TEXT, "short": TEXT, "table": frame(), "gaps": [TEXT], "names_objective": True,
                       "unmatched": TEXT}]},
    "brief/lens_by_question.html": {"preamble": TEXT, "anchor": TEXT, "table": frame()},
    "brief/overview_action_map.html": {
        "anchors": ANCHORS, "distinct": DISTINCT, "totals": frame(), "action_rule": TEXT,
        "states_rule": TEXT, "gaps": 1, "map": frame()},
    "brief/overview_coverage.html": {"reported": 1, "states": 1, "coverage_rule": TEXT,
                                     "matrix": frame(), "links": {TEXT: TEXT}},
    "brief/country_header.html": {"name": TEXT, "iso3": TEXT, "subregion": TEXT, "member": False,
                                  "footnote": TEXT, "illustrative": True, "review": TEXT,
                                  "roundtable_number": TEXT, "roundtable_title": TEXT, "period": TEXT,
                                  "objectives": TEXT, "own": 1, "naming": 1,
                                  "vintages": [{"publisher": TEXT, "dataset": TEXT, "vintage": TEXT}]},
    "brief/country_reported.html": {"name": TEXT, "own": 1, "naming": 1, "coverage_rule": TEXT,
                                    "by_objective": frame(), "practices": frame(source_ref=[TEXT]),
                                    "others": frame()},
    "brief/country_custodians.html": {
        "name": TEXT, "period": TEXT, "routes": [TEXT], "domains": frame(), "caveats": [TEXT],
        "flags": TEXT, "rule": TEXT, "figures": [],
        "groups": [{"source": TEXT, "rows": [{k: TEXT for k in (
            "label", "unit", "period_year", "period_value", "latest_year", "latest_value", "file",
            "vintage", "caveat")}]}]},
    "brief/country_gaps.html": {"name": TEXT, "roundtable_number": TEXT, "objectives": frame(),
                                "all_reported": False, "none_reported": True, "indicators": frame()},
    "brief/overview_key_figures.html": {"intro": TEXT, "rule": TEXT, "objectives": [
        {"objective": TEXT, "label": TEXT, "figures": figures()}]},
}
# macro files: each macro called with hostile text
MACROS = {
    "macros.html": ('{% import "macros.html" as m %}{{ m.table(df) }}{{ m.link(t) }}'
                    '{{ m.link("javascript:alert(1)") }}{{ m.list([t]) }}{{ m.banner(t) }}'
                    '{% call m.details(t) %}{{ t }}{% endcall %}'),
    "brief/macros.html": ('{% import "brief/macros.html" as b %}{{ b.figures(kf) }}'
                          '{{ b.series_notes(s) }}{{ b.series_data(s) }}{{ b.practices(g) }}'
                          '{{ b.flags(t) }}{{ b.distinct(d) }}'),
}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def rendered(name: str) -> str:
    if name in MACROS:
        return html.environment().from_string(MACROS[name]).render(
            df=frame(source_ref=["javascript:alert(1)"]), t=TEXT, kf=figures(), s=series(),
            g=GROUPS, d=DISTINCT)
    return html.render(name, **CASES[name])


def all_templates() -> list[str]:
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


def test_every_template_has_a_hostile_case():
    assert set(all_templates()) == set(CASES) | set(MACROS)


@pytest.mark.parametrize("name", all_templates())
def test_hostile_text_stays_inert(name):
    out = rendered(name)
    parsed = Tags()
    parsed.feed(out)
    text = "".join(parsed.text)
    values = [v for _, attrs in parsed.tags for _, v in attrs]
    assert TEXT in text or TEXT in values, name  # shown whole, as text (or as an attribute's value)
    tags = {t for t, _ in parsed.tags}
    assert not tags & {"script", "iframe", "object", "embed", "form", "input"}, name
    for tag, attrs in parsed.tags:
        for attr, value in attrs:
            assert not attr.startswith("on") and "'" not in attr and '"' not in attr, (name, tag, attr)
            if attr in ("href", "src"):
                assert not (value or "").lower().strip().startswith("javascript:"), (name, value)
                assert attr != "src" or value.startswith("data:image/png;base64,"), (name, value)
    assert "<script" not in out and "<img src=x" not in out, name
    assert "{{ 7*7 }}" in out and "49" not in out, name  # template syntax in data is text
