"""What a brief answers: every number of every key message is in the table it links to (read
from the rendered page), accepted actions against suggested ones, the sections in the notebooks."""

import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import brief
from gcmtools.brief import answers

BRIEF = (brief.header, brief.key_messages, brief.key_figures, brief.trend, brief.comparison,
         brief.reported, brief.highlights, brief.questions_actions, brief.lens,
         brief.lens_by_question, brief.coverage, brief.sources_and_method)
OVERVIEW = (brief.overview_header, brief.key_messages, brief.overview_objectives,
            brief.overview_questions, brief.lens_by_question, brief.overview_key_figures,
            brief.overview_coverage, brief.overview_action_map, brief.sources_and_method)
# a number: digits (thousands separators, decimals, a percent sign) not joined to a word; a
# number joined to one is part of a name (8c, Q3, EU-27)
NUMBER = re.compile(r"(?<![\w.,])(?<![A-Za-z]-)\d+(?:,\d{3})*(?:\.\d+)?%?(?![\w%])")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The key messages (sentence, caveat, link) and the cell texts under every element id."""

    def __init__(self):
        super().__init__()
        self.stack, self.messages, self.cells = [], [], {}
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs.get("id"), attrs.get("class", "")))
        if tag == "li" and self.inside("key-messages"):
            self.current = {"text": "", "caveat": "", "href": ""}
            self.messages.append(self.current)
        if tag == "a" and self.current is not None:
            self.current["href"] = attrs.get("href", "")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag == "li":
            self.current = None

    def inside(self, ident):
        return any(i == ident for _, i, _ in self.stack)

    def handle_data(self, data):
        classes = " ".join(c for _, _, c in self.stack)
        if self.current is not None and "message" in classes.split():
            self.current["text"] += data
        elif self.current is not None and "caveat" in classes.split():
            self.current["caveat"] += data
        if any(t in ("td", "th") for t, _, _ in self.stack):
            for _, ident, _ in self.stack:
                if ident:
                    self.cells.setdefault(ident, []).append(data)


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def parsed(ctx, sections) -> Page:
    page = Page()
    page.feed("\n".join(f(ctx).data for f in sections))
    return page


pytestmark = pytest.mark.usefixtures("shipped_sources_cache")  # ctx8 as test_brief's: once per run


@pytest.fixture(scope="module")
def ctx8():
    # the 2024-11 export, as the shipped params read it (data/ holds the newer 2025-05 one too)
    return brief.load_context("unece-2020-rt3", 8, "data/practices", "data/mmp_global_2014_2024")


@pytest.fixture(scope="module")
def overview():
    # the overview's messages use no indicator data: none is read
    return brief.load_context("unece-2020-rt3", None, "data/practices", "",
                              observations=pd.DataFrame())


def assert_every_number_is_in_its_table(page: Page) -> None:
    assert 3 <= len(page.messages) <= 6, page.messages
    for m in page.messages:
        found = numbers(m["text"])
        assert found, f"a key message without a number: {m['text']}"
        anchor = m["href"].removeprefix("#")
        assert m["href"].startswith("#") and anchor in page.cells, (m["href"], sorted(page.cells))
        in_table = {n for cell in page.cells[anchor] for n in numbers(cell)}
        missing = [n for n in found if n not in in_table]
        assert not missing, f"{missing} of {m['text']!r} not in the table #{anchor}"


def test_each_number_of_each_key_message_is_in_its_table(ctx8):
    page = parsed(ctx8, BRIEF)
    assert_every_number_is_in_its_table(page)
    text = [m["text"] for m in page.messages]
    assert text[0].startswith("15 of 56 UNECE States reported on this objective; none in Central Asia (0 of 5)")
    assert any("47 question entries" in t and "28 practices" in t for t in text)
    trend = next(m for m in page.messages if m["href"] == "#trend-data")
    assert "1,885 persons in 2019 and 1,449 in 2020, down over the review period" in trend["text"]
    assert trend["caveat"].startswith("Caveat: These are minimum estimates")


def test_the_overviews_key_messages_and_map(overview):
    page = parsed(overview, OVERVIEW)
    assert_every_number_is_in_its_table(page)
    data = answers.overview_action_map_data(overview)
    gaps = data["cells"][(data["cells"]["practices"] == 0) & data["cells"]["names_objective"]]
    assert data["gaps"] == len(gaps) > 0
    assert "gap" in " ".join(page.cells["action-map"])


def test_a_suggested_action_is_marked_and_an_accepted_one_is_not(tmp_path):
    rows = pd.read_csv(ROOT / "data" / "practices" / "illustrative_practices.csv", dtype=str,
                       keep_default_na=False)
    mine = rows[rows["practice_id"].isin(["ILL-0054", "ILL-0079"])].copy()
    mine["gcm_actions"] = ["8d", ""]
    path = tmp_path / "two.csv"
    mine.to_csv(path, index=False)
    ctx = brief.load_context("unece-2020-rt3", 8, str(path), "", observations=pd.DataFrame())
    assert len(ctx.practices) == 2
    assigned = answers.assignments(ctx).set_index("practice_id")
    assert (assigned.loc["ILL-0054", "action"], assigned.loc["ILL-0054", "how"]) == ("8d", "accepted")
    data = answers.questions_actions_data(ctx)
    cells = " ".join(" ".join(q["table"]["implemented_by"]) for q in data["questions"])
    assert "(ILL-0054)" in cells or "(ILL-0054; also under" in cells  # accepted: no mark
    assert assigned.loc["ILL-0079", "how"] == "suggested"  # no gcm_actions: the best suggestion
    assert "ILL-0079; suggested" in cells
    evidence = data["actions"].set_index("action")
    assert evidence.loc["8d", "practices"] - evidence.loc["8d", "suggested"] >= 1
    html = brief.questions_actions(ctx).data
    assert "marked as suggested" in html


def test_the_notebooks_call_the_new_sections_in_order():
    for name, calls in (("brief", ["brief.header(ctx)", "brief.key_messages(ctx)"]),
                        ("overview", ["brief.overview_header(ctx)", "brief.key_messages(ctx)"])):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code[2:4] == calls
        headings = [int(m.group(1)) for c in nb.cells if c.cell_type == "markdown"
                    for m in [re.match(r"## (\d+)\.", c.source)] if m]
        assert headings == list(range(2, len(headings) + 2))
    assert "brief.overview_action_map(ctx)" in code and "brief.lens_by_question(ctx)" in code


def test_gaps_are_listed_only_under_the_questions_that_name_the_objective(ctx8):
    named = {q.number for q in ctx8.review.questions_for(8)}
    blocks = answers.questions_actions_data(ctx8)["questions"]
    assert {b["number"] for b in blocks} - named  # practices of objective 8 sit under other questions too
    for b in blocks:
        assert b["names_objective"] == (b["number"] in named)
        if b["number"] not in named:
            assert b["gaps"] == [], b["number"]  # the overview's map shows "-" there, not "gap"
    page = answers.questions_actions(ctx8).data
    other = min({b["number"] for b in blocks} - named)
    assert f"Q{other} does not name objective 8" in page
