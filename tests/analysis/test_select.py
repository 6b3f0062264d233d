"""Choosing the rows behind a number: published totals, never parts; sums that must add up."""

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools.analysis import keyfigures as kf
from gcmtools.analysis import select as sel
from gcmtools.analysis import series
from gcmtools.analysis.select import BriefSanityError
from gcmtools.catalogue.keyfigure_specs import FigureSpec
from observation_rows import glotip, mmp_observations, obs


@pytest.fixture(scope="module")
def mmp():
    return mmp_observations()


def test_select_keeps_totals_and_adds_up_breakdowns():
    df = obs(
        {"indicator": "a", "value": 10.0, "route": "east", "reason": "total"},
        {"indicator": "a", "value": 5.0, "route": "west", "reason": "total"},
        {"indicator": "a", "value": 7.0, "route": "west", "reason": "work"},  # a part of west
        {"indicator": "a", "value": 99.0, "route": "east", "reason": "total", "sex": "female"},
    )
    rows = sel.select(df, "a")
    assert rows["value"].sum() == 15.0  # route is a breakdown; reason at its total; sex total


def test_select_leaves_out_unlabelled_repeats():
    df = obs({"indicator": "a", "value": 10.0, "repeat": ""},
             {"indicator": "a", "value": 4.0, "repeat": "1", "geo": "FRA"},
             {"indicator": "a", "value": 6.0, "repeat": "2", "geo": "FRA"},
             {"indicator": "a", "value": 3.0, "repeat": "", "geo": "FRA"})
    assert sel.select(df, "a")["value"].sum() == 13.0


def test_a_total_smaller_than_its_parts_is_shown_as_published_with_a_note():
    df = obs({"indicator": "a", "value": 10.0},
             {"indicator": "a", "value": 6.0, "sex": "female"},
             {"indicator": "a", "value": 5.0, "sex": "male"})
    # a key figure shows the custodian's published total, and says its parts add up to more
    shown = kf.key_figure(df, FigureSpec("A", "a", "GBR", year="latest"), 10)
    assert shown.value == 10.0
    assert ("as published by Pub, the parts add up to more than the total for United Kingdom "
            "of Great Britain and Northern Ireland by sex, 6 + 5 against a total of 10") in shown.note
    ok = df.assign(value=[11.0, 6.0, 5.0])
    assert kf.key_figure(ok, FigureSpec("A", "a", "GBR", year="latest"), 10).value == 11.0
    assert "parts add up" not in kf.key_figure(ok, FigureSpec("A", "a", "GBR", year="latest"), 10).note
    # a total its adapter noted as published is the adapter's note, not this one
    noted = df.assign(note=["", "UNODC publishes ...; kept as published", ""])
    assert sel.parts_note(noted, (), "a", "GBR", "2020") == ""
    assert sel.parts_note(df, (), "a", "GBR", "2020").startswith("as published by Pub")


def test_children_and_adults_are_compared_too_and_rates_are_not():
    df = obs({"indicator": "a", "value": 10.0},
             {"indicator": "a", "value": 8.0, "age": "child"},
             {"indicator": "a", "value": 3.0, "age": "adult"})
    assert "by age, 8 + 3 against a total of 10" in sel.parts_note(df, (), "a", "GBR", "2020")
    assert sel.parts_note(df.assign(unit="percent"), (), "a", "GBR", "2020") == ""  # shares


def test_a_breakdown_only_country_is_not_published():
    df = glotip({"geo": "ARM", "value": 10.0, "value_text": "10"},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"},
                 {"geo": "GBR", "value": 200.0, "exploitation": "Forced labour"})
    rows = sel.select(df, "unodc_detected_victims", geo="UNECE")
    assert rows["geo"].tolist() == ["ARM"]  # never a part, never a sum of parts
    fig = kf.key_figure(df, FigureSpec("Victims, {year}", "unodc_detected_victims", "UNECE"), 10)
    assert fig.value == 10.0 and fig.place == "UNECE States reporting (1 of 56)"


def test_a_blank_category_citizenship_row_never_replaces_a_total():
    for blank in ("", "category not published"):
        df = glotip({"geo": "TJK", "value": 31.0},
                     {"geo": "TJK", "value": 15.0, "citizenship": blank},
                     {"geo": "KAZ", "value": 7.0, "citizenship": blank})  # KAZ: no total
        rows = sel.select(df, "unodc_detected_victims", geo="UNECE")
        assert rows[["geo", "value"]].values.tolist() == [["TJK", 31.0]], blank


def test_repatriations_never_enter_a_total():
    df = glotip({"geo": "KAZ", "year": "2012", "value": 153.0},
                 {"geo": "KAZ", "year": "2012", "value": 399.0, "repatriation": "Uzbekistan"},
                 {"geo": "KAZ", "year": "2012", "value": 64.0, "citizenship": "Kazakhstan"})
    assert sel.select(df, "unodc_detected_victims", geo="KAZ")["value"].tolist() == [153.0]
    # asked for, the repatriations are their own figure
    asked = sel.select(df, "unodc_detected_victims", (("repatriation", "Uzbekistan"),), "KAZ")
    assert asked["value"].tolist() == [399.0]


def test_a_key_published_twice_is_not_a_total():
    df = glotip({"geo": "BGR", "value": 104.0, "repeat": "1", "sex": "female"},
                 {"geo": "BGR", "value": 6.0, "repeat": "2", "sex": "female"},
                 {"geo": "ARM", "value": 5.0, "sex": "female"})
    rows = sel.select(df, "unodc_detected_victims", (("sex", "female"),), "UNECE")
    assert rows["geo"].tolist() == ["ARM"]

def test_cells_a_source_never_totals_still_add_up(mmp):
    """MMP: IOM's total is the sum of its incidents; the adapter's cells add up to it."""
    spec = FigureSpec("Dead and missing, {year}", "mmp_dead_missing",
                      where=(("region", "Mediterranean"),), year="latest")
    rows = sel.select(mmp, "mmp_dead_missing", spec.where)
    raw = pd.read_excel(ROOT / "data" / "mmp_global_2014_2024" / "Missing_Migrants_Global_Figures_allData.xlsx",
                        engine="calamine")
    med = raw[raw["Region of Incident"] == "Mediterranean"]
    year_2019 = med[med["Incident Year"] == 2019]["Total Number of Dead and Missing"].sum()
    assert rows.loc[rows["year"] == "2019", "value"].sum() == year_2019 == 1885


def test_two_files_publishing_one_total_are_not_added():
    df = obs({"indicator": "a", "value": 10.0, "file": "data/b.csv", "reason": "total"},
             {"indicator": "a", "value": 10.0, "file": "data/a.csv", "apprehension": "total"})
    assert sel.select(df, "a")["value"].tolist() == [10.0]


def test_each_place_and_year_takes_the_rows_of_its_first_file_by_name():
    """Per (place, year, sex, age) the rows of the file first by name, whichever comes first in
    the table (the files ranked by name, not compared as strings per group)."""
    df = obs({"geo": "ARM", "value": 1.0, "file": "data/b.csv"}, {"geo": "ARM", "value": 2.0, "file": "data/a.csv"},
             {"geo": "ARM", "value": 3.0, "file": "data/a.csv", "route": "east"},
             {"geo": "KAZ", "value": 4.0, "file": "data/c.csv"}, {"geo": "KAZ", "value": 5.0, "file": "data/b.csv"},
             {"geo": "GEO", "value": 6.0, "file": "data/c.csv"}, {"geo": "ARM", "year": "2019", "value": 7.0,
                                                                "file": "data/b.csv"})
    kept = sel._one_file_per_place(df)
    assert kept["value"].tolist() == [2.0, 3.0, 5.0, 6.0, 7.0]
    assert sel._one_file_per_place(df.iloc[0:0]).empty


def test_totals_layout_names_the_files_with_a_breakdown_and_the_data_sets_totalling_it():
    df = obs({"value": 1.0, "file": "data/a.csv", "dataset": "A", "route": "total"},
             {"value": 2.0, "file": "data/b.csv", "dataset": "B", "route": "east"},
             {"value": 3.0, "file": "data/c.csv", "dataset": "A", "route": ""})
    assert sel.totals_layout(df)["route"] == ({"data/a.csv", "data/b.csv"}, {"A"})


def test_an_aggregate_that_is_not_the_sum_of_its_published_totals_fails():
    df = glotip({"geo": "ARM", "value": 10.0}, {"geo": "KAZ", "value": 5.0},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"})
    totals = sel.select(df, "unodc_detected_victims", geo="UNECE")
    sel.check_aggregate("victims, 2021", 15.0, totals, places=2, context=df)  # passes
    with pytest.raises(BriefSanityError, match="sum to 15"):
        sel.check_aggregate("victims, 2021", 1281.0, totals, context=df)
    with pytest.raises(BriefSanityError, match="says 3 place"):
        sel.check_aggregate("victims, 2021", 15.0, totals, places=3, context=df)
    everything = df[df["geo"].isin(["ARM", "KAZ", "GBR"])]  # a part passed off as a total
    with pytest.raises(BriefSanityError, match="exploitation row .Sexual exploitation"):
        sel.check_aggregate("victims, 2021", 1281.0, everything, context=df)
    twice = pd.concat([totals, totals.iloc[[0]]])
    with pytest.raises(BriefSanityError, match="ARM 2021: 2 rows added"):
        sel.check_aggregate("victims, 2021", 25.0, twice, context=df)


def test_the_pipeline_fails_a_brief_whose_aggregate_takes_a_part(monkeypatch):
    df = glotip({"geo": "ARM", "value": 10.0},
                 {"geo": "GBR", "value": 1266.0, "exploitation": "Sexual exploitation"})
    spec = FigureSpec("Victims, {year}", "unodc_detected_victims", "UNECE")
    assert kf.key_figure(df, spec, 10).value == 10.0
    # a selection that lets a breakdown through (the old rule) must not reach a brief
    monkeypatch.setattr(sel, "_keep_base", lambda rows, column: rows)
    with pytest.raises(BriefSanityError, match="not the published total"):
        kf.key_figure(df, spec, 10)
    with pytest.raises(BriefSanityError, match="not the published total"):
        series.trend(df, 10)
