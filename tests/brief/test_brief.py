"""Brief sections: escaping, the illustrative banner, missing sources, manifest, determinism, notebooks."""

import json
import re

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, run_notebook
from gcmtools import brief, catalogue, html
from gcmtools.brief import sections
from gcmtools.paths import project_root

TWO = FIXTURES / "good" / "two_practices.csv"
ILLUSTRATIVE = ROOT / "data" / "practices" / "illustrative_practices.csv"
SECTIONS = (brief.header, brief.key_messages, brief.key_figures, brief.trend, brief.comparison,
            brief.reported, brief.highlights, brief.questions_actions, brief.lens,
            brief.lens_by_question, brief.coverage, brief.sources_and_method)
OVERVIEW = (brief.overview_header, brief.key_messages, brief.overview_objectives,
            brief.overview_questions, brief.lens_by_question, brief.overview_key_figures,
            brief.overview_coverage, brief.overview_action_map, brief.sources_and_method)
pytestmark = pytest.mark.usefixtures("shipped_sources_cache")  # ctx8's figures: once per run
HEADER = ("practice_id,submitter,submitter_type,country,objectives,title,description,"
          "guiding_questions,principles,practice_type,target_groups,covid19,year_start,year_end,"
          "status,partners,source_ref,language\n")


def render(ctx, sections=SECTIONS) -> str:
    return "\n".join(f(ctx).data for f in sections)


def observations(*rows):
    base = {"indicator": "unodc_detected_victims", "geo": "ARM", "year": "2020", "value": 1.0,
            "value_text": "1", "unit": "persons", "sex": "total", "age": "total",
            "source": "UNODC GLOTIP", "obs_status": "final", "note": "", "publisher": "UNODC",
            "dataset": "GLOTIP", "file": "data/glotip.xlsx", "vintage": "GLOTIP 2022",
            "licence": "attribution"}
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture(scope="module")
def ctx8():
    practices = "data/practices" if ILLUSTRATIVE.exists() else str(TWO)
    # the 2024-11 export, as the shipped params read it (data/ holds the 2025-05 one too)
    return brief.load_context("unece-2020-rt3", 8, practices, "data/mmp_global_2014_2024")


@pytest.fixture
def hostile(tmp_path):
    """A submission whose text tries to be markup; intake accepts it (titles are free text)."""
    path = tmp_path / "hostile.csv"
    path.write_text(HEADER + (
        'H-1,"<img src=x onerror=alert(1)> Ministry",member_state,ARM,10,'
        '<script>alert(1)</script>,"Desc <b>bold</b> & ""quoted""",5,human-rights,service,,no,'
        '2019,,ongoing,,https://example.org/a?b=1&c=2,en\n'), encoding="utf-8")
    obs = observations({"value": 12.0}, {"geo": "KAZ", "value": 30.0})
    ctx = brief.load_context("unece-2020-rt3", 10, str(path), "", observations=obs)
    assert list(ctx.practices["practice_id"]) == ["H-1"]
    return ctx


def test_submitted_text_is_data_never_markup(hostile):
    page = render(hostile)
    assert "<script" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; Ministry" in page
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">' in page)


def test_only_http_references_become_links(hostile):
    # intake rejects such references; the brief must not trust that it did
    hostile.practices = hostile.practices.assign(source_ref="javascript:alert(1)")
    hostile.all_practices = hostile.practices
    page = render(hostile)
    assert 'href="javascript' not in page.lower()
    assert "javascript:alert(1)" in page  # shown, as text
    assert html.href('https://x.org/"onmouseover="alert(1)') is None
    assert html.href("data:text/html,<script>") is None
    assert html.href(" https://x.org/a ") == "https://x.org/a"


@given(st.text())
def test_escape_never_lets_markup_through(text):
    out = html.escape(text)
    assert "<" not in out and ">" not in out and '"' not in out


def test_tables_format_numbers_and_booleans():
    df = pd.DataFrame({"<th>": ["<td>"], "n": [1234567.0], "flag": [True], "none": [None]})
    table = html.tabulate(df)
    assert [(c.text, c.numeric) for c in table.head] == [
        ("<th>", False), ("n", True), ("flag", False), ("none", False)]
    assert [(c.text, c.numeric) for c in table.rows[0]] == [
        ("<td>", False), ("1,234,567", True), ("yes", False), ("", False)]
    assert html.tabulate(df.iloc[0:0]).rows == []


def test_illustrative_banner(ctx8):
    if not ILLUSTRATIVE.exists():
        pytest.skip("illustrative practices not shipped")
    assert ctx8.illustrative
    assert sections.header_data(ctx8)["illustrative"]
    assert '<p class="banner"><strong>Illustrative data.</strong>' in brief.header(ctx8).data
    plain = brief.load_context("unece-2020-rt3", 10, str(TWO), "", observations=observations())
    assert not sections.header_data(plain)["illustrative"] and "banner" not in brief.header(plain).data


def test_brief_for_objective_8_shows_the_iom_figures(ctx8):
    head = sections.header_data(ctx8)
    assert head["objective_title"] == ("Save lives and establish coordinated international "
                                       "efforts on missing migrants")
    assert "Gender- and child-sensitive border procedures" in [q.short for q in head["questions"]]
    assert "MMP export 2024-11-15" in [v["vintage"] for v in head["vintages"]]
    # the review period (2019-2020) first, the latest complete year (2023) beside it
    first = next(f for f in ctx8.key_figures.figures if "IOM region Mediterranean" in f.label)
    assert (first.year, first.value, first.context_year, first.context_value) == (
        "2020", 1449.0, "2023", 3155.0)
    figures = sections.key_figures_data(ctx8)["figures"]
    row = _row(figures, "Dead and missing migrants, IOM region Mediterranean, 2020")
    assert (row["value"], row["context"]) == (first.display, "latest available: 2023, 3,155")
    assert any("These are minimum estimates of deaths and disappearances recorded by IOM" in c
               for c in figures["caveats"])
    assert figures["intro"].startswith("Each key figure is for the review period 2019-2020")
    [cited] = sections.key_figures_data(ctx8)["cited"]  # the background note's sentence, the data beside it
    assert cited["quote"] == "In 2020 alone, IOM estimates that over 700 migrants went missing in in the Mediterranean"
    assert (cited["label"], cited["net"]) == ("Migrants recorded missing, IOM region Mediterranean, 2020", 945.0)
    assert sections.sources_and_method_data(ctx8)["manifest"] == {"error": "", "rows": None}
    page = render(ctx8)
    assert page.count("<img ") == 4 and 'alt=""' not in page
    assert "Migrants recorded missing, IOM region Mediterranean, 2020: 945</strong>" in page
    assert sections.INTERACTIVE in page


def test_missing_sources_are_said_and_never_fatal(tmp_path):
    ctx = brief.load_context("unece-2020-rt3", 11, str(TWO), "data/no-such-folder")
    assert ("data/no-such-folder", "missing") in [(s.path, s.status) for s in ctx.sources]
    coverage = sections.coverage_data(ctx)
    assert any("(indicator eurostat_refused_entry is not in the loaded data)" in m["reason"]
               for m in coverage["missing"])
    assert sections.trend_data(ctx) == {
        "series": None, "why": "none of the indicators it uses (eurostat_refused_entry) is in the loaded data"}
    assert {"path": "data/no-such-folder", "status": "missing",
            "message": "no such file or folder"} in coverage["absent"]
    assert {"path": "data/eurostat_enforcement_2014_2023", "status": "missing",
            "message": "shipped data set not loaded"} in coverage["absent"]
    assert "data/no-such-folder: missing (no such file or folder)" in render(ctx)


def test_a_source_that_fails_is_recorded(monkeypatch):
    from gcmtools import sources

    def broken(paths, **kwargs):
        raise ValueError("unknown layout\nmore detail")

    monkeypatch.setattr(sources, "ingest", broken)
    ctx = brief.load_context("unece-2020-rt3", 8, str(TWO), "data/mmp_global_2014_2024")
    # (the other MMP vintage shipped, data/mmp_global_2014_2025, is then listed as not loaded)
    [status] = [s for s in ctx.sources if s.path == "data/mmp_global_2014_2024"]
    assert (status.path, status.status, status.message) == (
        "data/mmp_global_2014_2024", "failed", "ValueError: unknown layout")
    assert {"path": "data/mmp_global_2014_2024", "status": "failed",
            "message": "ValueError: unknown layout"} in sections.coverage_data(ctx)["absent"]


def test_manifest_shown_without_timestamps_or_machine_paths(tmp_path):
    manifest = tmp_path / "objective-10.manifest.json"
    manifest.write_text(json.dumps({
        "gcmtools": "0.1.0", "git_commit": "abc123", "started": "2030-01-02T03:04:05+00:00",
        "brief": "objective-10", "parameters": {"objective": 10, "manifest": str(manifest)},
        "input_hashes": {"data/practices/x.csv": "f" * 64}}))
    ctx = brief.load_context("unece-2020-rt3", 10, str(TWO), "", str(manifest),
                             observations=observations())
    manifest = sections.manifest_data(ctx)
    items = dict(zip(manifest["rows"]["item"], manifest["rows"]["value"]))
    assert items["git_commit"] == "abc123" and items["parameter objective"] == 10
    assert "started" not in items and "parameter manifest" not in items
    assert list(manifest["inputs"]["file"]) == ["data/practices/x.csv"]
    html = brief.sources_and_method(ctx).data
    assert "2030-01-02" not in html and str(tmp_path) not in html
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    ctx = brief.load_context("unece-2020-rt3", 10, str(TWO), "", str(broken),
                             observations=observations())
    assert "broken.json could not be read" in sections.manifest_data(ctx)["error"]


def test_output_is_deterministic_and_has_no_machine_details(ctx8):
    page = render(ctx8).replace("<wbr>", "")  # wrap hints inside long paths
    assert page == render(ctx8).replace("<wbr>", "")
    assert str(project_root()) not in page and " at 0x" not in page
    assert "data/practices" in page or "two_practices.csv" in page


def test_objective_must_belong_to_the_roundtable():
    with pytest.raises(ValueError, match="objective 5 is not in roundtable 3"):
        brief.load_context("unece-2020-rt3", 5, str(TWO), "", observations=observations())


def test_save_key_figures(tmp_path, ctx8):
    out = tmp_path / "kf.json"
    brief.save_key_figures(ctx8, str(out))
    data = json.loads(out.read_text())
    assert data["objective"] == 8
    assert data["figures"][0]["value"] == ctx8.key_figures.figures[0].value
    brief.save_key_figures(ctx8, "")  # nothing to do


def test_overview_sections_render(tmp_path):
    obs = observations({"value": 12.0}, {"geo": "KAZ", "value": 30.0})
    ctx = brief.load_context("unece-2020-rt3", None, str(TWO), "", observations=obs)
    page = render(ctx, OVERVIEW)
    assert "<h1>Roundtable 3: Rights-based border governance</h1>" in page
    labels = [r["label"] for o in sections.overview_key_figures_data(ctx)["objectives"]
              for r in o["figures"]["rows"]]
    assert "Detected victims of trafficking, UNECE States reporting, 2020" in labels
    cov = sections.overview_coverage_data(ctx)
    assert (cov["reported"], cov["states"]) == (1, 56)
    brief.save_key_figures(ctx, str(tmp_path / "all.json"))
    data = json.loads((tmp_path / "all.json").read_text())
    assert sorted(data["objectives"], key=int) == ["4", "8", "9", "10", "11", "13", "21"]


# --- small counts -------------------------------------------------------------------------------

RULE = ("Counts of people below 5 in disaggregated sensitive series (trafficking victims, "
        "children in detention, missing children) are shown as <5; totals published by the "
        "source are exact.")


def detention(child=3.0):
    """UK detention: 250 people entering, `child` of them children; 3 detained at the end."""
    return observations(*[{"indicator": "uk_detention_entries", "geo": "GBR", "value": v,
                           "value_text": f"{v:g}", "age": a, "publisher": "Home Office",
                           "dataset": "Immigration statistics", "vintage": "2024 Q2"}
                          for a, v in (("total", 250.0), ("child", child),
                                       ("adult", 250.0 - child))],
                        {"indicator": "uk_detention_stock", "geo": "GBR", "value": 3.0,
                         "value_text": "3"})


def _row(figures, label):
    """The key figures table's row of `label` (sections.figures_data)."""
    return next(r for r in figures["rows"] if r["label"] == label)


def test_a_small_count_of_children_is_shown_as_less_than_5(tmp_path):
    ctx = brief.load_context("unece-2020-rt3", 13, str(TWO), "", observations=detention())
    data = sections.key_figures_data(ctx)
    child = _row(data["figures"], "Children (17 and under) entering immigration detention, United Kingdom only, 2020")
    assert child["value"] == "<5"
    stock = _row(data["figures"], "People in immigration detention at the end of 2020, United Kingdom only")
    assert stock["value"] == "3"  # a published total stays exact, even small
    assert data["rule"] == RULE  # a sensitive series is shown: section 2 states the rule
    assert sections.sources_and_method_data(ctx)["small_count_rule"] == RULE
    page = brief.key_figures(ctx).data
    assert '<td class="num">&lt;5</td>' in page and RULE.replace("<", "&lt;") in page
    brief.save_key_figures(ctx, str(tmp_path / "kf.json"))
    data = json.loads((tmp_path / "kf.json").read_text())
    record = next(f for f in data["figures"] if f["filter"]["age"] == "child")
    assert (record["display"], record["suppressed"], record["value"]) == ("<5", True, None)  # not published
    assert data["disclosure"]["small_count_threshold"] == 5


def test_the_small_count_threshold_is_a_parameter():
    ctx = brief.load_context("unece-2020-rt3", 13, str(TWO), "", observations=detention(7.0),
                             small_count_threshold=10)
    assert _row(sections.key_figures_data(ctx)["figures"], "Children (17 and under) entering "
                "immigration detention, United Kingdom only, 2020")["value"] == "<10"
    assert "below 10 in disaggregated sensitive series" in sections.sources_and_method_data(ctx)["small_count_rule"]
    with pytest.raises(ValueError, match="threshold"):
        brief.load_context("unece-2020-rt3", 13, str(TWO), "", observations=detention(),
                           small_count_threshold=0)


def test_the_rule_is_stated_in_section_2_only_beside_a_sensitive_series():
    obs = observations({"indicator": "eurostat_refused_entry", "geo": "EU27_2020", "value": 3.0,
                        "value_text": "3", "sex": "female"},
                       {"indicator": "eurostat_refused_entry", "geo": "EU27_2020", "value": 3.0,
                        "value_text": "3"})
    ctx = brief.load_context("unece-2020-rt3", 11, str(TWO), "", observations=obs)
    assert sections.key_figures_data(ctx)["rule"] == ""
    assert sections.sources_and_method_data(ctx)["small_count_rule"] == RULE
    victims = brief.load_context("unece-2020-rt3", 10, str(TWO), "", observations=observations({}))
    assert sections.key_figures_data(victims)["rule"] == RULE  # detected victims: a sensitive series


def test_the_rule_on_the_real_data(ctx8):
    # MMP totals are not about children: no rule in section 2; section 6 always states it
    assert sections.key_figures_data(ctx8)["rule"] == ""
    assert sections.sources_and_method_data(ctx8)["small_count_rule"] == RULE


# --- the notebooks ----------------------------------------------------------------------------


def _run(name, tmp_path, **parameters):
    out = tmp_path / f"{name}.ipynb"
    run_notebook(ROOT / "notebooks" / f"{name}.ipynb", out, parameters=parameters, cwd=str(project_root()))
    nb = nbformat.read(out, as_version=4)
    return "\n".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                     if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
def test_brief_notebook_runs_with_papermill(tmp_path):
    page = _run("brief", tmp_path, objective=8, key_figures_out=str(tmp_path / "kf.json"))
    assert "<h1>Objective 8:" in page and "Key figure" in page
    data = json.loads((tmp_path / "kf.json").read_text())
    assert data["objective"] == 8
    # the notebook's default sources are data/, whose newest MMP export (2025-05) covers all of 2024
    assert (data["figures"][0]["year"], data["figures"][0]["context_year"]) == ("2020", "2024")
    review = catalogue.load_review("unece-2020-rt3")
    assert_quotes_the_note(page, review.questions_for(8))
    assert DISCLAIMER in flat_text(page)


@pytest.mark.slow
def test_overview_notebook_runs_with_papermill(tmp_path):
    page = _run("overview", tmp_path)
    assert "<h1>Roundtable 3: Rights-based border governance</h1>" in page
    assert "Objectives reported" in page
    review = catalogue.load_review("unece-2020-rt3")
    assert_quotes_the_note(page, review.guiding_questions)
    text = flat_text(page)
    assert DISCLAIMER in text and KOSOVO in text  # objective 4's caveat names Kosovo
    assert "UNODC, policy brief: Impact of the COVID-19 Pandemic on Trafficking in Persons" in text


# --- the roundtable's own words, UN conventions -------------------------------------------------

NOTE = ROOT / "gcmtools" / "reference" / "reviews" / "unece-2020-rt3-background-note.txt"
DISCLAIMER = ("The designations employed and the presentation of the material in this publication "
              "do not imply the expression of any opinion whatsoever on the part of the Secretariat "
              "of the United Nations concerning the legal status of any country, territory, city "
              "or area, or of its authorities, or concerning the delimitation of its frontiers or "
              "boundaries.")
KOSOVO = ("References to Kosovo shall be understood to be in the context of Security Council "
          "resolution 1244 (1999).")


def flat_text(page: str) -> str:
    """The text of HTML as a reader sees it: tags dropped, entities read, spaces collapsed."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def assert_quotes_the_note(page: str, questions) -> None:
    """Every question (with the objectives it names) and the preamble, as the note words them."""
    note = " ".join(NOTE.read_text(encoding="utf-8").split())
    text = flat_text(page)
    assert questions
    for q in questions:
        assert f"{q.number}. {q.quoted}" in note  # the note's own line
        assert f"\u201c{q.quoted}\u201d" in text, q.number
    preamble = ("All guiding questions should be assessed through the prism of the GCM’s guiding "
                "principles, particularly through the whole-of-government, whole-of-society "
                "approach, whilst also being gender-responsive and child-sensitive.")
    assert preamble in note and preamble in text


def test_every_brief_and_the_overview_quote_the_questions_and_carry_the_disclaimer():
    review = catalogue.load_review("unece-2020-rt3")
    obs = observations({"value": 12.0}, {"geo": "KAZ", "value": 30.0})
    for objective in (*review.objectives, None):
        ctx = brief.load_context("unece-2020-rt3", objective, str(TWO), "", observations=obs)
        page = brief.header(ctx).data
        questions = review.questions_for(objective) if objective else review.guiding_questions
        if questions:
            assert_quotes_the_note(page, questions)
        assert "Wording of the questions" not in page
        closing = brief.sources_and_method(ctx).data
        assert flat_text(closing).endswith(DISCLAIMER), objective
    q5 = review.guiding_questions[4]
    assert "border management systems? (GCM objectives 4, 8 and 11)" in q5.quoted
    assert q5 in review.questions_for(4) and q5 in review.questions_for(8)


def test_the_kosovo_footnote_appears_once_when_a_brief_names_kosovo(tmp_path):
    path = tmp_path / "kosovo.csv"
    path.write_text(HEADER + (
        'K-1,Ministry of Internal Affairs,member_state,SRB; Kosovo,10,Referral of victims,'
        'Referral of victims of trafficking,5,human-rights,service,,no,2019,,ongoing,,,en\n'),
        encoding="utf-8")
    obs = observations({"value": 12.0})
    ctx = brief.load_context("unece-2020-rt3", 10, str(path), "", observations=obs)
    page = render(ctx)
    assert "Kosovo" in page and "Kosovo (under" not in page
    assert flat_text(page).count(KOSOVO) == 1
    assert flat_text(brief.sources_and_method(ctx).data).endswith(KOSOVO)
    plain = brief.load_context("unece-2020-rt3", 10, str(TWO), "", observations=obs)
    assert KOSOVO not in flat_text(render(plain))
    assert DISCLAIMER in flat_text(render(plain))


def test_background_materials_in_the_overviews_sources_only():
    obs = observations({"value": 12.0})
    overview = brief.load_context("unece-2020-rt3", None, str(TWO), "", observations=obs)
    text = flat_text(brief.sources_and_method(overview).data)
    assert "Background materials of the roundtable" in text
    for m in overview.review.background_materials:
        assert m["title"] in text
    assert ("UN Network on Migration, statement: COVID-19 Does Not Discriminate; Nor Should Our "
            "Response") in text
    assert "Video: The Global Compact for Migration in a Nutshell" in text
    one = brief.load_context("unece-2020-rt3", 10, str(TWO), "", observations=obs)
    assert "Background materials" not in brief.sources_and_method(one).data


def test_the_trend_marks_the_review_period(ctx8):
    data = sections.trend_data(ctx8)
    assert "Shaded: the review period, 2019-2020." in data["chart"]  # the chart's alt text
    table = data["series"]["table"]
    marked = table.loc[table["review period"] == "review period", "year"]
    assert list(marked.astype(str)) == ["2019", "2020"] and len(table) > 2


def test_vocabulary_codes_are_shown_in_words():
    import pandas as pd

    table = html.tabulate(pd.DataFrame({"practice_type": ["data_system"], "law_policy": [2],
                                        "title": ["keep_me"]}))
    assert [(c.text, c.numeric) for c in table.head] == [
        ("practice_type", False), ("law policy", True), ("title", False)]
    assert [c.text for c in table.rows[0]] == ["data system", "2", "keep_me"]  # only vocabulary codes change


def test_every_page_carries_the_disclaimer_once():
    from gcmtools import html as shell

    other = shell.page("Index", "<h1>Briefs</h1>")
    assert flat_text(other).count(DISCLAIMER) == 1 and "<footer>" in other
    obs = observations({"value": 12.0})
    ctx = brief.load_context("unece-2020-rt3", 10, str(TWO), "", observations=obs)
    body = brief.sources_and_method(ctx).data
    one = shell.page("Objective 10", body)
    assert flat_text(one).count(DISCLAIMER) == 1 and "<footer>" not in one


@pytest.mark.slow  # the MMP exports ingested and read whole
def test_of_two_vintages_of_a_data_set_the_newest_is_read_and_the_other_said_set_aside():
    from gcmtools.brief.context import newest_vintages

    practices = "data/practices" if ILLUSTRATIVE.exists() else str(TWO)
    ctx8 = brief.load_context("unece-2020-rt3", 8, practices, "data")
    found = {(s.path, s.status): s.message for s in ctx8.sources}
    assert found[("data/mmp_global_2014_2024", "superseded")] == \
        "an earlier vintage of data/mmp_global_2014_2025, which is read instead"
    assert ("data/mmp_global_2014_2025", "loaded") in found
    files = set(ctx8.observations.loc[ctx8.observations["indicator"].str.startswith("mmp_"), "file"])
    assert files and all("mmp_global_2014_2025" in f for f in files)
    # a set-aside vintage is neither missing nor shown as a gap in the coverage section
    assert all(a["status"] != "superseded" for a in sections.coverage_data(ctx8)["absent"])
    # the trend is the newest export's, recomputed from IOM's raw file with plain pandas
    raw = pd.read_excel(ROOT / "data/mmp_global_2014_2025/Missing_Migrants_Global_Figures_allData.xlsx", engine="calamine")
    med = raw[raw["Region of Incident"] == "Mediterranean"]
    expected = med.groupby("Incident Year")["Total Number of Dead and Missing"].sum()
    table = sections.trend_data(ctx8)["series"]["table"]
    assert expected.loc[2016.0] == 5097
    assert dict(zip(table["year"].astype(str), table["persons"]))["2016"] == "5,097"
    # vintages are folders that differ only by their trailing years, side by side
    kept, aside = newest_vintages([ROOT / "data/unodc_glotip_2003_2021", ROOT / "data/unodc_glotip_2003_2022",
                                   ROOT / "data/uk_home_office_immigration_2004_2023"])
    assert [p.name for p in kept] == ["unodc_glotip_2003_2022", "uk_home_office_immigration_2004_2023"]
    assert [(a.name, b.name) for a, b in aside] == [("unodc_glotip_2003_2021", "unodc_glotip_2003_2022")]
