"""gcmtools.sources.mmp: IOM Missing Migrants Project exports, current and older layouts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import sources_cache
from gcmtools import sources
from gcmtools.paths import data_dir
from gcmtools.sources.checks import figure_value

MMP_XLSX = data_dir() / "mmp_global_2014_2024" / "Missing_Migrants_Global_Figures_allData.xlsx"


@pytest.fixture(scope="module")
def mmp(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The shipped export, parsed once per session (cache shared with other modules)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest([MMP_XLSX])


def _mediterranean(obs: pd.DataFrame, year: str) -> float:
    return figure_value(obs, "mmp_dead_missing", year, {"region": "Mediterranean"})


def test_reproduces_iom_mediterranean_dead_and_missing(mmp: pd.DataFrame) -> None:
    assert _mediterranean(mmp, "2019") == 1885
    assert _mediterranean(mmp, "2020") == 1449


def test_the_2024_export_revises_the_early_years(mmp: pd.DataFrame) -> None:
    # IOM published 3,283 for 2014; this export gives 3,289 (see indicators.yaml)
    assert _mediterranean(mmp, "2014") == 3289


def test_vintage_is_the_export_date_and_counts_are_minimum_estimates(mmp: pd.DataFrame) -> None:
    assert set(mmp["vintage"]) == {"MMP export 2024-11-15"}
    assert set(mmp["obs_status"]) == {"minimum_estimate"}
    assert set(mmp["indicator"]) == {"mmp_dead", "mmp_missing", "mmp_dead_missing",
                                     "mmp_missing_found_dead"}
    assert {"region", "route", "cause"} <= set(mmp.columns)


KEYS = ["year", "geo", "region", "route", "cause"]
COUNT_COLUMNS = {"mmp_dead": "Number of Dead",
                 "mmp_missing": "Minimum Estimated Number of Missing",
                 "mmp_dead_missing": "Total Number of Dead and Missing"}


def _by_key(obs: pd.DataFrame) -> pd.DataFrame:
    """The three totals side by side, one row per key (year, geo, region, route, cause)."""
    totals = obs[(obs["sex"] == "total") & (obs["age"] == "total")
                 & obs["indicator"].isin(COUNT_COLUMNS)]
    return totals.pivot_table(index=KEYS, columns="indicator", values="value", aggfunc="sum")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The shipped export as IOM publishes it, read with plain pandas (blank counts as 0)."""
    df = pd.read_excel(MMP_XLSX, sheet_name="Worksheet", engine="calamine")  # the same frame as openpyxl: test_the_two_readers_agree_on_the_export
    df[list(COUNT_COLUMNS.values())] = df[list(COUNT_COLUMNS.values())].fillna(0)
    return df


def test_dead_plus_missing_is_the_total_for_every_key(mmp, raw) -> None:
    wide = _by_key(mmp)
    cells = raw.groupby(["Incident Year", "Country of Incident", "Region of Incident",
                         "Migration Route", "Cause of Death"], dropna=False).ngroups
    assert len(wide) == cells == 2386 and wide.notna().all().all()  # every key has all three
    gap = wide["mmp_dead"] + wide["mmp_missing"] - wide["mmp_dead_missing"]
    assert (gap == 0).all(), wide[gap != 0].head()


def test_the_three_series_are_iom_s_own_sums_over_the_whole_file(mmp, raw) -> None:
    # every (year, IOM region) of the shipped file, recomputed with plain pandas from the xlsx
    expected = raw.groupby([raw["Incident Year"].astype(str), "Region of Incident"])[
        list(COUNT_COLUMNS.values())].sum()
    totals = mmp[(mmp["sex"] == "total") & (mmp["age"] == "total")]
    found = totals.pivot_table(index=["year", "region"], columns="indicator", values="value",
                               aggfunc="sum")
    for indicator, column in COUNT_COLUMNS.items():
        pd.testing.assert_series_equal(found[indicator].sort_index(),
                                       expected[column].sort_index().astype(float),
                                       check_names=False)
    med_2020 = found.loc[("2020", "Mediterranean")]
    assert (med_2020["mmp_dead"], med_2020["mmp_missing"], med_2020["mmp_dead_missing"]) == (
        504, 945, 1449)


def test_corrections_are_the_negative_missing_iom_records(mmp, raw) -> None:
    missing = raw["Minimum Estimated Number of Missing"]
    by = [raw["Incident Year"].astype(str), raw["Region of Incident"]]
    expected = (-missing.clip(upper=0)).groupby(by).sum()
    expected = expected[expected > 0]
    found = mmp[mmp["indicator"] == "mmp_missing_found_dead"].groupby(["year", "region"])[
        "value"].sum()
    pd.testing.assert_series_equal(found.sort_index(), expected.sort_index().astype(float),
                                   check_names=False)
    assert found[("2020", "Mediterranean")] == 4  # 949 first reported, 945 net
    first_reported = missing.clip(lower=0).groupby(by).sum()[("2020", "Mediterranean")]
    assert first_reported == 949


def test_negative_corrections_are_kept_net_and_said(mmp: pd.DataFrame) -> None:
    below = mmp[mmp["value"] < 0]
    assert set(below["indicator"]) == {"mmp_missing"}
    assert sorted(zip(below["year"], below["geo"], below["value"])) == [
        ("2015", "MEX", -1.0), ("2020", "LBN", -4.0), ("2024", "ITA", -33.0)]
    assert below["note"].str.contains("people first reported missing and later found dead").all()
    assert "3 cell(s) below zero" in " ".join(mmp.attrs["notes"])


def _current_export(tmp_path, rows: list[list]) -> Path:
    """A small export in the current layout, one list per incident."""
    columns = ["Main ID", "Incident ID", "Incident Type", "Region of Incident", "Incident Date",
               "Incident Year", "Number of Dead", "Minimum Estimated Number of Missing",
               "Total Number of Dead and Missing", "Cause of Death", "Country of Incident",
               "Migration Route"]
    path = tmp_path / "Missing_Migrants_Global_Figures_allData.xlsx"
    pd.DataFrame(rows, columns=columns).to_excel(path, sheet_name="Worksheet", index=False)
    return path


SPLIT_INCIDENT = [  # 11 missing at first; 4 of them found dead later, recorded as -4 missing
    ["2020.X1", "2020.X1a", "Split Incident", "Mediterranean", "2020-09-14", 2020, 1, 11, 12,
     "Harsh environmental conditions", "Lebanon", "Eastern Mediterranean"],
    ["2020.X1", "2020.X1b", "Split Incident", "Mediterranean", "2020-09-21", 2020, 4, -4, 0,
     "Drowning", "Lebanon", "Eastern Mediterranean"],
    ["2020.X2", "2020.X2", "Incident", "Mediterranean", "2020-10-02", 2020, 2, None, 2,
     "Drowning", "Greece", "Eastern Mediterranean"],
]


def test_a_negative_correction_keeps_dead_plus_missing_equal_to_the_total(tmp_path) -> None:
    obs = sources.read_source(_current_export(tmp_path, SPLIT_INCIDENT))  # sanity checks pass
    region = {i: figure_value(obs, i, "2020", {"region": "Mediterranean"}) for i in COUNT_COLUMNS}
    assert region == {"mmp_dead": 7, "mmp_missing": 7, "mmp_dead_missing": 14}
    wide = _by_key(obs)
    assert (wide["mmp_dead"] + wide["mmp_missing"] == wide["mmp_dead_missing"]).all()
    drowning = wide.loc[("2020", "LBN", "Mediterranean", "Eastern Mediterranean", "Drowning")]
    assert (drowning["mmp_dead"], drowning["mmp_missing"], drowning["mmp_dead_missing"]) == (
        4, -4, 0)
    [note] = obs.loc[obs["value"] < 0, "note"]
    assert "later found dead" in note and "net figure is below zero" in note


def test_a_row_whose_dead_and_missing_miss_the_total_is_refused(tmp_path) -> None:
    rows = [r[:] for r in SPLIT_INCIDENT]
    rows[2][8] = 3  # 2 dead + 0 missing published as a total of 3
    rows[0][8] = None  # a blank total
    with pytest.raises(ValueError) as caught:
        sources.read_source(_current_export(tmp_path, rows))
    message = str(caught.value)
    assert "Missing_Migrants_Global_Figures_allData.xlsx: 2 incident(s)" in message
    assert "row 2: Total Number of Dead and Missing blank" in message
    assert ("row 4: Total Number of Dead and Missing 3, but Number of Dead 2 + Minimum "
            "Estimated Number of Missing 0 = 2") in message


def test_sex_and_child_breakdowns_beside_the_totals(mmp: pd.DataFrame) -> None:
    parts = mmp[(mmp["sex"] != "total") | (mmp["age"] != "total")]
    assert set(parts["indicator"]) == {"mmp_dead_missing"}
    assert set(zip(parts["sex"], parts["age"])) == {("female", "total"), ("male", "total"),
                                                     ("total", "child")}
    notes = " ".join(mmp.attrs["notes"])
    assert "76 incident(s) record more females, males or children" in notes


def test_geo_is_the_country_of_incident(mmp: pd.DataFrame) -> None:
    med = mmp[(mmp["region"] == "Mediterranean") & (mmp["indicator"] == "mmp_dead_missing")]
    assert {"LBY", "ITA", "GRC", "ESP", "TUR", "TUN"} <= set(med["geo"])
    assert mmp["geo"].str.fullmatch(r"[A-Z]{3}").all()


OLD_COLUMNS = ["Web ID", "Region of Incident", "Reported Date", "Reported Year",
               "Reported Month", "Number Dead", "Minimum Estimated Number of Missing",
               "Total Dead and Missing", "Number of Survivors", "Number of Females",
               "Number of Males", "Number of Children", "Cause of Death",
               "Location Description", "Information Source", "Location Coordinates",
               "Migration Route", "URL", "UNSD Geographical Grouping", "Source Quality"]
OLD_ROWS = [
    [52001, "Mediterranean", "December 28, 2019", 2019, "Dec", 3, 5, 8, 10, 2, 1, 1,
     "Drowning", "off Lampedusa", "Coast guard", "35.5, 12.6", "Central Mediterranean", "",
     "Southern Europe", 5],
    [52002, "Mediterranean", "July 02, 2019", 2019, "Jul", 1, None, 1, None, None, 1, None,
     "Presumed drowning", "Alboran Sea", "NGO", "36.0, -3.0", "Western Mediterranean", "",
     "Southern Europe", 3],
    [52003, "US-Mexico Border", "March 01, 2018", 2018, "Mar", 2, None, 2, None, None, None,
     None, "Exposure", "Pima County", "Medical examiner", "31.6, -110.4", None, "",
     "Northern America", 5],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reads_an_older_export_layout(tmp_path, suffix: str) -> None:
    frame = pd.DataFrame(OLD_ROWS, columns=OLD_COLUMNS)
    path = tmp_path / f"MissingMigrants-Global-2019-12-31{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    obs = sources.read_source(path)
    assert _mediterranean(obs, "2019") == 9
    assert set(obs["geo"]) == {"XXX"}  # older exports record no country of incident
    assert (obs["note"] == "country of incident not recorded").all()
    assert set(obs["region"]) == {"Mediterranean", "US-Mexico Border"}  # labels as published
    route = obs[(obs["indicator"] == "mmp_dead") & (obs["year"] == "2018")]["route"]
    assert route.tolist() == ["not recorded"]
    females = obs[(obs["sex"] == "female") & (obs["year"] == "2019")]["value"].sum()
    assert females == 2
    assert obs["vintage"].iloc[0] == "MMP export 2019-12-28"
