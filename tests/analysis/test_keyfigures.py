"""Key figures: traced numbers from observations, missing ones listed, sums that must add up."""

import json
import math

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import sources
from gcmtools.analysis import keyfigures as kf
from gcmtools.analysis.keyfigures import BriefSanityError, FigureSpec

MMP = ROOT / "data" / "mmp_global_2014_2024"


def obs(*rows):
    """Observations in the sources' layout: text columns '' when empty, value a float."""
    base = {"indicator": "x", "geo": "GBR", "year": "2020", "value": 0.0, "value_text": "",
            "unit": "persons", "sex": "total", "age": "total", "source": "S", "obs_status": "final",
            "note": "", "publisher": "Pub", "dataset": "Data", "file": "data/f.csv",
            "vintage": "v1", "licence": "CC BY 4.0"}
    df = pd.DataFrame([{**base, **r} for r in rows])
    for c in df.columns:
        if c != "value":
            df[c] = df[c].fillna("").astype(str)
    return df


@pytest.fixture(scope="module")
def mmp():
    sources = pytest.importorskip("gcmtools.sources")
    if not MMP.exists():
        pytest.skip("IOM MMP data not shipped")
    return sources.ingest([MMP])


def test_fmt_number():
    assert kf.fmt_number(1885.0) == "1,885"
    assert kf.fmt_number(1234567) == "1,234,567"
    assert kf.fmt_number(0.1 + 0.2) == "0.3"
    assert kf.fmt_number(99.74) == "99.7"
    assert kf.fmt_number(float("nan")) == "" and kf.fmt_number(None) == ""
    assert kf.fmt_number("<5") == "<5"
    assert kf.fmt_percent(0.7133) == "71%"


def test_select_keeps_totals_and_adds_up_breakdowns():
    df = obs(
        {"indicator": "a", "value": 10.0, "route": "east", "reason": "total"},
        {"indicator": "a", "value": 5.0, "route": "west", "reason": "total"},
        {"indicator": "a", "value": 7.0, "route": "west", "reason": "work"},  # a part of west
        {"indicator": "a", "value": 99.0, "route": "east", "reason": "total", "sex": "female"},
    )
    rows = kf.select(df, "a")
    assert rows["value"].sum() == 15.0  # route is a breakdown; reason at its total; sex total


def test_select_leaves_out_unlabelled_repeats():
    df = obs({"indicator": "a", "value": 10.0, "repeat": ""},
             {"indicator": "a", "value": 4.0, "repeat": "1", "geo": "FRA"},
             {"indicator": "a", "value": 6.0, "repeat": "2", "geo": "FRA"},
             {"indicator": "a", "value": 3.0, "repeat": "", "geo": "FRA"})
    assert kf.select(df, "a")["value"].sum() == 13.0


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
    from gcmtools import sources

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
    series = kf.trend(mmp, 8)
    by_year = dict(zip(series.data["year"], series.data["value"]))
    assert by_year["2019"] == 1885 and by_year["2020"] == 1449  # IOM's published figures
    assert "2024" not in by_year


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
    assert kf.trend(mmp, 11) is None and kf.comparison(mmp, 11) is None
    empty = kf.key_figures(pd.DataFrame(), 8)
    assert not empty.figures and len(empty.missing) == len(kf.SPECS[8])


def test_missing_breakdown_says_what_is_published():
    df = obs({"indicator": "sdg_16_9_1", "geo": "ARM", "sex": "female", "unit": "percent"},
             {"indicator": "sdg_16_9_1", "geo": "ARM", "sex": "male", "unit": "percent"})
    result = kf.key_figure(df, FigureSpec("Births, {year}", "sdg_16_9_1", "ARM"), 4)
    assert isinstance(result, kf.MissingFigure)
    assert result.reason == ("no sdg_16_9_1 rows with sex=total for ARM "
                             "(published: female, male)")


def test_total_smaller_than_its_parts_fails():
    df = obs({"indicator": "a", "value": 10.0},
             {"indicator": "a", "value": 6.0, "sex": "female"},
             {"indicator": "a", "value": 5.0, "sex": "male"})
    with pytest.raises(BriefSanityError, match="sex total 10 is smaller than female 6 \\+ male 5"):
        kf.check_totals(df)
    # a key figure shows the custodian's published total, and says its parts add up to more
    shown = kf.key_figure(df, FigureSpec("A", "a", "GBR", year="latest"), 10)
    assert shown.value == 10.0
    assert ("as published by Pub, the parts add up to more than the total for United Kingdom "
            "of Great Britain and Northern Ireland by sex, 6 + 5 against a total of 10") in shown.note
    ok = df.assign(value=[11.0, 6.0, 5.0])
    kf.check_totals(ok)
    assert kf.key_figure(ok, FigureSpec("A", "a", "GBR", year="latest"), 10).value == 11.0
    assert "parts add up" not in kf.key_figure(ok, FigureSpec("A", "a", "GBR", year="latest"), 10).note


def test_children_and_adults_checked_too_and_rates_are_not():
    df = obs({"indicator": "a", "value": 10.0},
             {"indicator": "a", "value": 8.0, "age": "child"},
             {"indicator": "a", "value": 3.0, "age": "adult"})
    with pytest.raises(BriefSanityError, match="age total 10"):
        kf.check_totals(df)
    kf.check_totals(df.assign(unit="percent"))  # shares do not add up: not compared


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


def test_trend_and_comparison():
    rows = [{"indicator": "unodc_detected_victims", "geo": g, "year": y, "value": v}
            for g, y, v in (("ARM", "2019", 5.0), ("KAZ", "2019", 20.0), ("ARM", "2020", 7.0),
                            ("KAZ", "2020", 30.0), ("GEO", "2020", 30.0), ("BRA", "2020", 999.0))]
    df = obs(*rows)
    trend, comp = kf.main_series(df, 10)
    assert list(trend.data["year"]) == ["2019", "2020"]
    assert list(trend.data["value"]) == [25.0, 67.0] and list(trend.data["geos"]) == [2, 3]
    assert trend.summed_states
    assert comp.year == "2020" and list(comp.data["country"]) == ["Georgia", "Kazakhstan",
                                                                  "Armenia"]
    assert kf.comparison(df, 13) is None  # UK-only indicators: no comparison
    assert math.isclose(comp.data["value"].sum(), 67.0)


# --- small counts (gcmtools.analysis.disclosure) ---------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    return pytest.importorskip("gcmtools.sources").indicators()


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
    assert shown["unodc_detected_victims share"].display == "67%"  # a share, not a count
    assert not any(f.suppressed for f in figures)


def test_series_of_a_sensitive_breakdown_are_masked(catalogue, monkeypatch):
    monkeypatch.setitem(kf.TRENDS, 13, (kf.SeriesSpec(
        "Children entering detention", "uk_detention_entries", "GBR", (("age", "child"),)),))
    monkeypatch.setitem(kf.COMPARISONS, 10, (kf.SeriesSpec(
        "Female victims", "unodc_detected_victims", where=(("sex", "female"),)),))
    df = obs(*[{"indicator": "uk_detention_entries", "year": y, "value": v, "age": "child"}
               for y, v in (("2019", 40.0), ("2020", 3.0))],
             {"indicator": "unodc_detected_victims", "geo": "ARM", "value": 3.0, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "KAZ", "value": 30.0, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "GEO", "value": 4.0, "sex": "female"})
    trend = kf.trend(df, 13, catalogue)
    assert list(trend.data["value_text"]) == ["40", "<5"] and trend.sensitive
    assert list(trend.data["suppressed"]) == [False, True]
    assert "1 count(s) below 5 in a sensitive breakdown shown as <5" in trend.note
    comp = kf.comparison(df, 10, catalogue)
    assert list(zip(comp.data["country"], comp.data["value_text"])) == [
        ("Kazakhstan", "30"), ("Armenia", "<5"), ("Georgia", "<5")]  # 4 and 3: by name, not value
    assert kf.trend(df, 13, catalogue, threshold=50).data["value_text"].tolist() == ["<50", "<50"]


def test_a_figure_older_than_its_data_says_so(mmp, monkeypatch):
    central_asia = FigureSpec("IOM region Central Asia, {year}", "mmp_dead_missing",
                              where=(("region", "Central Asia"),))
    monkeypatch.setitem(kf.SPECS, 8, kf.SPECS[8] + (central_asia,))
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
    assert set(review.objectives) <= set(kf.SPECS)
    for objective in review.objectives:
        assert 3 <= len(kf.SPECS[objective]) <= 6, objective
        for spec in kf.SPECS[objective] + kf.TRENDS[objective] + kf.COMPARISONS[objective]:
            assert spec.indicator in known, spec
        for spec in kf.SPECS[objective]:
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
    monkeypatch.setitem(kf.SPECS, 21, specs)
    df = obs(*[{"indicator": "uk_returns", "value": float(v), "year": str(y)}
               for y, v in ((2019, 38236), (2020, 18528), (2023, 50233))])
    figures = kf.key_figures(df, 21, period=(2019, 2020)).figures
    assert [(f.year, f.value, f.context_year) for f in figures] == [
        ("2020", 18528.0, "2023"), ("2019", 38236.0, "")]


# --- published totals, never parts (issue 12) --------------------------------------------------


def _glotip(*rows):
    """GLOTIP-like rows: a total in every breakdown unless a row says otherwise."""
    base = {"indicator": "unodc_detected_victims", "exploitation": "total",
            "citizenship": "total", "repatriation": "total", "sex_detail": "total",
            "repeat": "", "dataset": "GLOTIP", "file": "data/glotip.xlsx", "year": "2021"}
    return obs(*({**base, **r} for r in rows))


def test_a_breakdown_only_country_is_not_published():
    df = _glotip({"geo": "ARM", "value": 10.0, "value_text": "10"},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"},
                 {"geo": "GBR", "value": 200.0, "exploitation": "Forced labour"})
    rows = kf.select(df, "unodc_detected_victims", geo="UNECE")
    assert rows["geo"].tolist() == ["ARM"]  # never a part, never a sum of parts
    fig = kf.key_figure(df, FigureSpec("Victims, {year}", "unodc_detected_victims", "UNECE"), 10)
    assert fig.value == 10.0 and fig.place == "UNECE States reporting (1 of 56)"


def test_a_blank_category_citizenship_row_never_replaces_a_total():
    for blank in ("", "category not published"):
        df = _glotip({"geo": "TJK", "value": 31.0},
                     {"geo": "TJK", "value": 15.0, "citizenship": blank},
                     {"geo": "KAZ", "value": 7.0, "citizenship": blank})  # KAZ: no total
        rows = kf.select(df, "unodc_detected_victims", geo="UNECE")
        assert rows[["geo", "value"]].values.tolist() == [["TJK", 31.0]], blank


def test_repatriations_never_enter_a_total():
    df = _glotip({"geo": "KAZ", "year": "2012", "value": 153.0},
                 {"geo": "KAZ", "year": "2012", "value": 399.0, "repatriation": "Uzbekistan"},
                 {"geo": "KAZ", "year": "2012", "value": 64.0, "citizenship": "Kazakhstan"})
    assert kf.select(df, "unodc_detected_victims", geo="KAZ")["value"].tolist() == [153.0]
    # asked for, the repatriations are their own figure
    asked = kf.select(df, "unodc_detected_victims", (("repatriation", "Uzbekistan"),), "KAZ")
    assert asked["value"].tolist() == [399.0]


def test_a_key_published_twice_is_not_a_total():
    df = _glotip({"geo": "BGR", "value": 104.0, "repeat": "1", "sex": "female"},
                 {"geo": "BGR", "value": 6.0, "repeat": "2", "sex": "female"},
                 {"geo": "ARM", "value": 5.0, "sex": "female"})
    rows = kf.select(df, "unodc_detected_victims", (("sex", "female"),), "UNECE")
    assert rows["geo"].tolist() == ["ARM"]


def test_a_censored_only_total_does_not_count_as_reporting():
    df = _glotip({"geo": "ARM", "year": "2020", "value": 10.0},
                 {"geo": "GEO", "year": "2020", "value": float("nan"), "value_text": "<5",
                  "obs_status": "censored"},
                 # KAZ publishes only censored breakdowns: no total, not reporting
                 {"geo": "KAZ", "year": "2020", "value": float("nan"), "value_text": "<5",
                  "exploitation": "Forced labour", "obs_status": "censored"},
                 {"geo": "ARM", "year": "2021", "value": 12.0},
                 {"geo": "GEO", "year": "2021", "value": 3.0})
    trend = kf.trend(df, 10)
    assert trend.data[["year", "value", "geos", "censored"]].values.tolist() == [
        ["2020", 10.0, 1, 1], ["2021", 15.0, 2, 0]]


def test_cells_a_source_never_totals_still_add_up(mmp):
    """MMP: IOM's total is the sum of its incidents; the adapter's cells add up to it."""
    spec = FigureSpec("Dead and missing, {year}", "mmp_dead_missing",
                      where=(("region", "Mediterranean"),), year="latest")
    rows = kf.select(mmp, "mmp_dead_missing", spec.where)
    raw = pd.read_excel(MMP / "Missing_Migrants_Global_Figures_allData.xlsx", engine="calamine")
    med = raw[raw["Region of Incident"] == "Mediterranean"]
    year_2019 = med[med["Incident Year"] == 2019]["Total Number of Dead and Missing"].sum()
    assert rows.loc[rows["year"] == "2019", "value"].sum() == year_2019 == 1885


def test_two_files_publishing_one_total_are_not_added():
    df = obs({"indicator": "a", "value": 10.0, "file": "data/b.csv", "reason": "total"},
             {"indicator": "a", "value": 10.0, "file": "data/a.csv", "apprehension": "total"})
    assert kf.select(df, "a")["value"].tolist() == [10.0]


def test_an_aggregate_that_is_not_the_sum_of_its_published_totals_fails():
    df = _glotip({"geo": "ARM", "value": 10.0}, {"geo": "KAZ", "value": 5.0},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"})
    totals = kf.select(df, "unodc_detected_victims", geo="UNECE")
    kf.check_aggregate("victims, 2021", 15.0, totals, places=2, context=df)  # passes
    with pytest.raises(BriefSanityError, match="sum to 15"):
        kf.check_aggregate("victims, 2021", 1281.0, totals, context=df)
    with pytest.raises(BriefSanityError, match="says 3 place"):
        kf.check_aggregate("victims, 2021", 15.0, totals, places=3, context=df)
    everything = df[df["geo"].isin(["ARM", "KAZ", "GBR"])]  # a part passed off as a total
    with pytest.raises(BriefSanityError, match="exploitation row .Sexual exploitation"):
        kf.check_aggregate("victims, 2021", 1281.0, everything, context=df)
    twice = pd.concat([totals, totals.iloc[[0]]])
    with pytest.raises(BriefSanityError, match="ARM 2021: 2 rows added"):
        kf.check_aggregate("victims, 2021", 25.0, twice, context=df)


def test_the_pipeline_fails_a_brief_whose_aggregate_takes_a_part(monkeypatch):
    df = _glotip({"geo": "ARM", "value": 10.0},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"})
    spec = FigureSpec("Victims, {year}", "unodc_detected_victims", "UNECE")
    assert kf.key_figure(df, spec, 10).value == 10.0
    # a selection that lets a breakdown through (the old rule) must not reach a brief
    monkeypatch.setattr(kf, "_keep_base", lambda rows, column: rows)
    with pytest.raises(BriefSanityError, match="not the published total"):
        kf.key_figure(df, spec, 10)
    with pytest.raises(BriefSanityError, match="not the published total"):
        kf.trend(df, 10)


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
