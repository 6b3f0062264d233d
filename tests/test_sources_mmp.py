"""gcmtools.sources.mmp: IOM Missing Migrants Project exports, current and older layouts."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.paths import data_dir
from gcmtools.sources.checks import figure_value

MMP_XLSX = data_dir() / "mmp_global_2014_2024" / "Missing_Migrants_Global_Figures_allData.xlsx"


@pytest.fixture(scope="module")
def mmp(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The shipped export, parsed once per session (cache shared with other modules)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(tmp_path_factory.getbasetemp() / "sources-cache"))
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
    assert set(mmp["indicator"]) == {"mmp_dead", "mmp_missing", "mmp_dead_missing"}
    assert {"region", "route", "cause"} <= set(mmp.columns)


def test_dead_plus_missing_is_dead_or_missing(mmp: pd.DataFrame) -> None:
    totals = mmp[(mmp["sex"] == "total") & (mmp["age"] == "total")]
    by = totals.groupby("indicator")["value"].sum()
    corrections = mmp["note"].str.contains("IOM's net figure is -").sum()
    assert corrections == 3  # negative net missing shown as 0, with the net figure noted
    net = mmp.loc[mmp["note"].str.contains("IOM's net figure is -"), "value_text"]
    assert by["mmp_dead"] + by["mmp_missing"] + net.astype(float).sum() == by["mmp_dead_missing"]


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
