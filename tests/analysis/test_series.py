"""Trend and comparison of an objective's main indicator: complete years, States, small counts."""

import math

import pytest

from gcmtools.analysis import series
from gcmtools.catalogue import keyfigure_specs
from gcmtools.catalogue.indicators import indicators
from observation_rows import glotip, mmp_observations, obs


@pytest.fixture(scope="module")
def mmp():
    return mmp_observations()


@pytest.fixture(scope="module")
def catalogue():
    return indicators()


def test_the_mmp_trend_is_iom_s_published_figures(mmp):
    by_year = dict(zip(*series.trend(mmp, 8).data[["year", "value"]].T.values))
    assert by_year["2019"] == 1885 and by_year["2020"] == 1449  # IOM's published figures
    assert "2024" not in by_year  # not complete in a 2024-11-15 export
    assert series.trend(mmp, 11) is None and series.comparison(mmp, 11) is None


def test_trend_and_comparison():
    rows = [{"indicator": "unodc_detected_victims", "geo": g, "year": y, "value": v}
            for g, y, v in (("ARM", "2019", 5.0), ("KAZ", "2019", 20.0), ("ARM", "2020", 7.0),
                            ("KAZ", "2020", 30.0), ("GEO", "2020", 30.0), ("BRA", "2020", 999.0))]
    df = obs(*rows)
    trend, comp = series.main_series(df, 10)
    assert list(trend.data["year"]) == ["2019", "2020"]
    assert list(trend.data["value"]) == [25.0, 67.0] and list(trend.data["geos"]) == [2, 3]
    assert trend.summed_states
    assert comp.year == "2020" and list(comp.data["country"]) == ["Georgia", "Kazakhstan",
                                                                  "Armenia"]
    assert series.comparison(df, 13) is None  # UK-only indicators: no comparison
    assert math.isclose(comp.data["value"].sum(), 67.0)


# --- small counts (gcmtools.analysis.disclosure) ---------------------------------------------------------

def test_series_of_a_sensitive_breakdown_are_masked(catalogue, monkeypatch):
    monkeypatch.setitem(keyfigure_specs.TRENDS, 13, (keyfigure_specs.SeriesSpec(
        "Children entering detention", "uk_detention_entries", "GBR", (("age", "child"),)),))
    monkeypatch.setitem(keyfigure_specs.COMPARISONS, 10, (keyfigure_specs.SeriesSpec(
        "Female victims", "unodc_detected_victims", where=(("sex", "female"),)),))
    df = obs(*[{"indicator": "uk_detention_entries", "year": y, "value": v, "age": "child"}
               for y, v in (("2019", 40.0), ("2020", 3.0))],
             {"indicator": "unodc_detected_victims", "geo": "ARM", "value": 3.0, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "KAZ", "value": 30.0, "sex": "female"},
             {"indicator": "unodc_detected_victims", "geo": "GEO", "value": 4.0, "sex": "female"})
    trend = series.trend(df, 13, catalogue)
    assert list(trend.data["value_text"]) == ["40", "<5"] and trend.sensitive
    assert list(trend.data["suppressed"]) == [False, True]
    assert "1 count(s) below 5 in a sensitive breakdown shown as <5" in trend.note
    comp = series.comparison(df, 10, catalogue)
    assert list(zip(comp.data["country"], comp.data["value_text"])) == [
        ("Kazakhstan", "30"), ("Armenia", "<5"), ("Georgia", "<5")]  # 4 and 3: by name, not value
    assert series.trend(df, 13, catalogue, threshold=50).data["value_text"].tolist() == ["<50", "<50"]

def test_a_censored_only_total_does_not_count_as_reporting():
    df = glotip({"geo": "ARM", "year": "2020", "value": 10.0},
                 {"geo": "GEO", "year": "2020", "value": float("nan"), "value_text": "<5",
                  "obs_status": "censored"},
                 # KAZ publishes only censored breakdowns: no total, not reporting
                 {"geo": "KAZ", "year": "2020", "value": float("nan"), "value_text": "<5",
                  "exploitation": "Forced labour", "obs_status": "censored"},
                 {"geo": "ARM", "year": "2021", "value": 12.0},
                 {"geo": "GEO", "year": "2021", "value": 3.0})
    trend = series.trend(df, 10)
    assert trend.data[["year", "value", "geos", "censored"]].values.tolist() == [
        ["2020", 10.0, 1, 1], ["2021", 15.0, 2, 0]]
