"""Key figures: traced numbers from observations, missing ones listed, the review period."""

import json

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.analysis import keyfigures as kf
from gcmtools.catalogue import keyfigure_specs
from gcmtools.catalogue.indicators import indicators
from gcmtools.catalogue.keyfigure_specs import FigureSpec
from gcmtools.html import fmt_number, fmt_percent
from observation_rows import mmp_observations, obs


@pytest.fixture(scope="module")
def mmp():
    return mmp_observations()


def test_fmt_number():
    assert fmt_number(1885.0) == "1,885"
    assert fmt_number(1234567) == "1,234,567"
    assert fmt_number(0.1 + 0.2) == "0.3"
    assert fmt_number(99.74) == "99.7"
    assert fmt_number(float("nan")) == "" and fmt_number(None) == ""
    assert fmt_number("<5") == "<5"
    assert fmt_percent(0.7133) == "71%"

def test_unece_sums_member_states_only():
    df = obs({"indicator": "a", "geo": "ARM", "value": 2.0},
             {"indicator": "a", "geo": "KAZ", "value": 3.0},
             {"indicator": "a", "geo": "BRA", "value": 100.0},
             {"indicator": "a", "geo": "EU27_2020", "value": 100.0})
    spec = FigureSpec("A in UNECE, {year}", "a", "UNECE", year="latest")
    fig = kf.key_figure(df, spec, 10)
    assert fig.value == 5.0 and fig.display == "5"
    assert fig.place == "UNECE States reporting (2 of 56)"
    assert fig.label == "A in UNECE, 2020"


def test_objective_8_is_iom_mediterranean_dead_and_missing(mmp):
    figures = kf.key_figures(mmp, 8, sources.indicators())
    med = [f for f in figures.figures if f.filter.get("region") == "Mediterranean"]
    assert [f.year for f in med] == ["2023", "2022"]  # 2024 is not complete in a 2024-11-15 export
    for f in med:
        rows = mmp[(mmp["indicator"] == "mmp_dead_missing") & (mmp["region"] == "Mediterranean")
                   & (mmp["year"] == f.year) & (mmp["sex"] == "total") & (mmp["age"] == "total")]
        assert f.value == rows["value"].sum()
        assert f.source.startswith("International Organization for Migration")
        assert f.vintage == "MMP export 2024-11-15"
        assert f.caveat.startswith("These are minimum estimates of deaths and disappearances")
        assert f.place == "IOM region Mediterranean" and "IOM region" in f.label
        assert "2024 left out" in f.note


def test_missing_source_is_listed_not_invented(mmp):
    figures = kf.key_figures(mmp, 11)
    assert figures.figures == []
    reasons = {m.indicator: m.reason for m in figures.missing}
    assert reasons["eurostat_refused_entry"].startswith("no data for it: ")
    assert "(indicator eurostat_refused_entry is not in the loaded data)" in reasons[
        "eurostat_refused_entry"]
    # with the catalogue, the reason names the data set in words
    named = kf.key_figures(mmp, 11, sources.indicators()).missing
    assert any(m.reason.startswith("no data for it: Third-country nationals refused entry")
               for m in named), [m.reason for m in named]
    empty = kf.key_figures(pd.DataFrame(), 8)
    assert not empty.figures and len(empty.missing) == len(keyfigure_specs.SPECS[8])


def test_missing_breakdown_says_what_is_published():
    df = obs({"indicator": "sdg_16_9_1", "geo": "ARM", "sex": "female", "unit": "percent"},
             {"indicator": "sdg_16_9_1", "geo": "ARM", "sex": "male", "unit": "percent"})
    result = kf.key_figure(df, FigureSpec("Births, {year}", "sdg_16_9_1", "ARM"), 4)
    assert isinstance(result, kf.MissingFigure)
    assert result.reason == ("no sdg_16_9_1 rows with sex=total for ARM "
                             "(published: female, male)")

def test_censored_values_are_shown_as_published_and_never_added():
    df = obs({"indicator": "a", "geo": "ARM", "value": float("nan"), "value_text": "<5",
              "obs_status": "censored"},
             {"indicator": "a", "geo": "ARM", "year": "2019", "value": 12.0})
    only = kf.key_figure(df, FigureSpec("A", "a", "ARM", year="latest"), 10)
    assert only.value is None and only.display == "<5" and only.year == "2020"
    both = obs({"indicator": "a", "geo": "ARM", "value": 7.0},
               {"indicator": "a", "geo": "KAZ", "value": float("nan"), "value_text": "<5",
                "obs_status": "censored"})
    fig = kf.key_figure(both, FigureSpec("A", "a", "UNECE", year="latest"), 10)
    assert fig.value == 7.0 and "1 censored value(s)" in fig.note


def test_share_female():
    df = obs({"indicator": "v", "geo": "ARM", "value": 10.0},
             {"indicator": "v", "geo": "ARM", "value": 6.0, "sex": "female"},
             {"indicator": "v", "geo": "ARM", "value": 2.0, "sex": "male"},
             {"indicator": "v", "geo": "KAZ", "value": 5.0})
    spec = FigureSpec("Share female", "v", "UNECE", year="latest", measure="share_female")
    fig = kf.key_figure(df, spec, 10)
    assert fig.display == "75%" and fig.value == pytest.approx(75.0) and fig.unit == "percent"
    assert "over the 1 place(s) publishing both" in fig.note
    assert fig.place == "UNECE States reporting by sex (1 of 56)"


def test_years_rules():
    df = obs(*[{"indicator": "a", "year": str(y), "value": float(y - 2000),
                "vintage": "export 2022-06-30"} for y in (2019, 2020, 2021, 2022)])
    pick = {rule: kf.key_figure(df, FigureSpec("A", "a", "GBR", year=rule), 8).year
            for rule in ("latest", "previous", "latest_complete", "previous_complete")}
    assert pick == {"latest": "2022", "previous": "2021", "latest_complete": "2021",
                    "previous_complete": "2020"}


def test_write_key_figures_traces_every_number(tmp_path):
    df = obs({"indicator": "uk_returns", "value": 50233.0, "year": "2023", "return_type": "total"},
             {"indicator": "uk_returns", "value": 6393.0, "year": "2023",
              "return_type": "Enforced return"},
             {"indicator": "uk_returns", "value": 19253.0, "year": "2023",
              "return_type": "Voluntary return"},
             {"indicator": "uk_returns", "value": 24587.0, "year": "2023",
              "return_type": "Refused entry at port and subsequently departed"})
    figures = kf.key_figures(df, 21)
    out = kf.write_key_figures(figures, tmp_path / "kf.json")
    data = json.loads(out.read_text())
    assert data["objective"] == 21
    assert [f["value"] for f in data["figures"]] == [6393.0, 19253.0, 24587.0, 50233.0]
    for f in data["figures"]:
        assert {"indicator", "geo", "place", "year", "source", "vintage", "caveat",
                "filter"} <= set(f)
        assert f["source"] == "Pub, Data" and f["vintage"] == "v1"
    assert {m["indicator"] for m in data["missing"]} == {"eurostat_ordered_to_leave",
                                                         "eurostat_returned"}
    assert out.read_text() == kf.write_key_figures(figures, tmp_path / "again.json").read_text()


# --- small counts (gcmtools.analysis.disclosure) ---------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    return indicators()


def test_a_small_count_of_children_in_detention_is_shown_masked(catalogue, tmp_path):
    df = obs({"indicator": "uk_detention_entries", "value": 250.0},
             {"indicator": "uk_detention_entries", "value": 3.0, "age": "child"},
             {"indicator": "uk_detention_entries", "value": 247.0, "age": "adult"},
             {"indicator": "uk_detention_stock", "value": 3.0})
    figures = {f.label: f for f in kf.key_figures(df, 13, catalogue).figures}
    child = figures["Children (17 and under) entering immigration detention, United Kingdom only, 2020"]
    assert (child.display, child.suppressed, child.sensitive) == ("<5", True, True)
    assert child.value == 3.0  # kept for the audit trail
    assert "shown as <5" in child.note
    everyone = figures["People entering immigration detention, United Kingdom only, 2020"]
    assert (everyone.display, everyone.suppressed) == ("250", False)
    stock = figures["People in immigration detention at the end of 2020, United Kingdom only"]
    assert (stock.display, stock.suppressed) == ("3", False)  # a total stays exact, even small
    data = json.loads(kf.write_key_figures(kf.key_figures(df, 13, catalogue),
                                           tmp_path / "kf.json").read_text())
    record = next(f for f in data["figures"] if f["filter"].get("age") == "child")
    assert (record["value"], record["display"], record["suppressed"]) == (None, "<5", True)  # not published
    assert kf.key_figures(df, 13).figures[1].display == "<5"  # no catalogue given: the shipped one
    seven = df.assign(value=[250.0, 7.0, 243.0, 3.0])
    assert kf.key_figures(seven, 13, catalogue).figures[1].display == "7"
    assert kf.key_figures(seven, 13, catalogue, threshold=10).figures[1].display == "<10"


def test_a_published_total_of_a_sensitive_series_stays_exact(catalogue):
    df = obs({"indicator": "uk_nrm_referrals", "value": 3.0},
             {"indicator": "unodc_detected_victims", "geo": "ARM", "value": 3.0},
             {"indicator": "unodc_detected_victims", "geo": "ARM", "value": 2.0, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "ARM", "value": 1.0, "sex": "male"})
    figures = kf.key_figures(df, 10, catalogue).figures
    shown = {f.indicator + (" share" if f.unit == "percent" else ""): f for f in figures}
    assert shown["uk_nrm_referrals"].display == "3" and shown["uk_nrm_referrals"].sensitive
    assert shown["unodc_detected_victims"].display == "3"
    # 67% of an exact 3 gives the 2 women back: the share is suppressed (secondary suppression)
    share = shown["unodc_detected_victims share"]
    assert (share.display, share.suppressed) == ("not shown", True)
    assert not any(f.suppressed for f in figures if f is not share)


def test_a_figure_older_than_its_data_says_so(mmp, monkeypatch):
    central_asia = FigureSpec("IOM region Central Asia, {year}", "mmp_dead_missing",
                              where=(("region", "Central Asia"),))
    monkeypatch.setitem(keyfigure_specs.SPECS, 8, keyfigure_specs.SPECS[8] + (central_asia,))
    figures = {f.label: f for f in kf.key_figures(mmp, 8).figures}
    central = next(f for label, f in figures.items() if "Central Asia" in label)
    assert central.year == "2018"
    assert "latest year with data for this selection; the data set runs to 2023" in central.note
    med = next(f for label, f in figures.items() if "Mediterranean" in label)
    assert "latest year with data" not in med.note


def test_what_each_objective_shows_is_data_that_names_known_indicators():
    from gcmtools import catalogue, sources

    known = set(sources.indicators()["id"])
    review = catalogue.load_review()
    assert set(review.objectives) <= set(keyfigure_specs.SPECS)
    for objective in review.objectives:
        assert 3 <= len(keyfigure_specs.SPECS[objective]) <= 6, objective
        for spec in keyfigure_specs.SPECS[objective] + keyfigure_specs.TRENDS[objective] + keyfigure_specs.COMPARISONS[objective]:
            assert spec.indicator in known, spec
        for spec in keyfigure_specs.SPECS[objective]:
            assert spec.year in ("latest", "previous", "latest_complete", "previous_complete")
            assert spec.measure in ("sum", "share_female")


# --- the review period ---------------------------------------------------------------------------


def _years(*values, vintage="export 2024-06-30"):
    """One series a for GBR, one row per (year, value); the vintage makes its last year partial."""
    return obs(*[{"indicator": "a", "year": str(y), "value": float(v), "value_text": f"{v:,}",
                  "vintage": vintage} for y, v in values])


def test_a_figure_answers_for_the_review_period_with_the_latest_as_context():
    df = _years((2018, 18), (2019, 19), (2020, 20), (2021, 21), (2023, 123260), (2024, 24))
    latest = kf.key_figure(df, FigureSpec("A, {year}", "a", "GBR"), 11, period=(2019, 2020))
    assert (latest.year, latest.value, latest.label, latest.period) == ("2020", 20.0, "A, 2020",
                                                                         "2019-2020")
    # 2024 is partial in an export of 30 June 2024: the latest complete year is the context
    assert (latest.context_year, latest.context_value, latest.context_display) == (
        "2023", 123260.0, "123,260")
    assert latest.context_text == "latest available: 2023, 123,260"
    assert latest.filter["review period"] == "2019-2020" and latest.filter["latest available"] == "2023"
    previous = kf.key_figure(df, FigureSpec("A, {year}", "a", "GBR", year="previous_complete"),
                             11, period=(2019, 2020))
    assert (previous.year, previous.value, previous.context_year) == ("2019", 19.0, "")
    # without a period, as before: the latest complete year, no context
    plain = kf.key_figure(df, FigureSpec("A", "a", "GBR"), 11)
    assert (plain.year, plain.context_year, plain.period) == ("2023", "", "")
    record = latest.to_record()
    assert (record["context_year"], record["context_value"], record["context_display"],
            record["period"]) == ("2023", 123260.0, "123,260", "2019-2020")
    json.dumps(record)


def test_the_same_data_for_a_later_review_answers_for_its_own_period(tmp_path):
    from gcmtools import catalogue

    path = tmp_path / "review-2024.yaml"
    path.write_text("id: review-2024\nreview: A later review\nperiod: 2022-2023\n"
                    "roundtable: {number: 1, title: Borders, objectives: [11]}\n", encoding="utf-8")
    period = catalogue.load_review(path).period_years
    assert period == (2022, 2023)
    df = _years((2019, 19), (2020, 20), (2022, 22), (2023, 23), (2024, 24),
                vintage="export 2024-12-31")
    fig = kf.key_figure(df, FigureSpec("A, {year}", "a", "GBR"), 11, period=period)
    assert (fig.year, fig.value, fig.context_year, fig.context_value) == ("2023", 23.0, "2024", 24.0)
    before = kf.key_figure(df, FigureSpec("A", "a", "GBR", year="previous_complete"), 11,
                           period=period)
    assert (before.year, before.value) == ("2022", 22.0)
    # the latest year of the data inside the period: no context beside it
    same = kf.key_figure(df[df["year"] != "2024"], FigureSpec("A", "a", "GBR"), 11, period=period)
    assert (same.year, same.context_year, same.context_text) == ("2023", "", "")


def test_no_year_of_the_period_has_data_said_with_the_latest_as_context():
    df = _years((2014, 14), (2015, 15), vintage="export 2016-01-31")
    fig = kf.key_figure(df, FigureSpec("A, {year}", "a", "GBR"), 4, period=(2019, 2020))
    assert isinstance(fig, kf.KeyFigure)
    assert (fig.value, fig.display, fig.year, fig.label) == (None, "not available", "2019-2020",
                                                             "A, 2019-2020")
    assert "no complete year of the review period 2019-2020 has data" in fig.note
    assert fig.context_text == "latest available: 2015, 15"
    assert fig.to_record()["value"] is None
    # the year before the period's year has no data: listed as missing, with the reason
    gap = _years((2018, 18), (2020, 20), (2021, 21), vintage="export 2021-12-31")
    missing = kf.key_figure(gap, FigureSpec("A", "a", "GBR", year="previous_complete"), 4,
                            period=(2019, 2020))
    assert isinstance(missing, kf.MissingFigure)
    assert "no data for 2019, the year before 2020" in missing.reason


def test_key_figures_pass_the_period_to_every_figure(monkeypatch):
    specs = (FigureSpec("Returns, {year}", "uk_returns", "GBR"),
             FigureSpec("Returns, {year}", "uk_returns", "GBR", year="previous_complete"))
    monkeypatch.setitem(keyfigure_specs.SPECS, 21, specs)
    df = obs(*[{"indicator": "uk_returns", "value": float(v), "year": str(y)}
               for y, v in ((2019, 38236), (2020, 18528), (2023, 50233))])
    figures = kf.key_figures(df, 21, period=(2019, 2020)).figures
    assert [(f.year, f.value, f.context_year) for f in figures] == [
        ("2020", 18528.0, "2023"), ("2019", 38236.0, "")]


# --- published totals, never parts (issue 12) --------------------------------------------------

def test_a_sum_over_states_reporting_names_who_changed_between_the_period_and_the_context():
    rows = [("ARM", "2020", 10.0), ("GBR", "2020", 100.0), ("DEU", "2020", None),
            ("ARM", "2023", 12.0), ("FRA", "2023", 30.0)]
    df = obs(*[{"indicator": "a", "geo": g, "year": y, "value": v,
                "value_text": "<5" if v is None else f"{v:g}",
                "obs_status": "censored" if v is None else "final",
                "vintage": "export 2024-12-31"} for g, y, v in rows])
    df["value"] = df["value"].astype(float)
    fig = kf.key_figure(df, FigureSpec("A, {year}", "a", "UNECE"), 10, period=(2019, 2020))
    assert (fig.value, fig.context_value) == (110.0, 42.0)
    assert "1 censored value(s) (e.g. '<5') not included: Germany" in fig.note
    assert ("the 2023 figure adds up 2 States, the 2020 figure 2; in 2020 only: United Kingdom"
            in fig.note) and "in 2023 only: France" in fig.note


SHARE = "Share female among detected victims, UNECE States reporting, 2020"


@pytest.mark.parametrize(("female", "male", "shown"), [
    (3.0, 1.0, "not shown"),    # an exact total of 4 and "75% female" give 3 women (and 1 man)
    (97.0, 3.0, "not shown"),   # 97%, beside a total of 100, gives the 3 men
    (30.0, 10.0, "75%"),        # no part below 5: the share reveals nothing the rule hides
])
def test_a_share_that_reveals_a_suppressed_count_is_itself_suppressed(catalogue, tmp_path,
                                                                      female, male, shown):
    df = obs({"indicator": "unodc_detected_victims", "geo": "GEO", "value": female + male},
             {"indicator": "unodc_detected_victims", "geo": "GEO", "value": female, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "GEO", "value": male, "sex": "male"})
    figures = kf.key_figures(df, 10, catalogue)
    share = next(f for f in figures.figures if f.label == SHARE)
    total = next(f for f in figures.figures if f.label.startswith("Detected victims"))
    assert total.display == fmt_number(female + male)  # the total stays exact
    assert (share.display, share.suppressed) == (shown, shown == "not shown")
    record = next(r for r in json.loads(kf.write_key_figures(figures, tmp_path / "kf.json").read_text())
                  ["figures"] if r["label"] == SHARE)
    if shown == "not shown":
        assert record["value"] is None and "would reveal a count below 5" in share.note
    else:
        assert record["value"] == pytest.approx(75.0)
