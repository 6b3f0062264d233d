"""The SDG Global Database extract (data/sdg_global_db_unece) through the sdg_global adapter:
figures recomputed from the raw CSV files with plain pandas, names resolved through the
catalogue, the file's quirks (exact repeats, parts over totals) and a bad series code."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import sources
from gcmtools.catalogue.indicators import indicators
from gcmtools.sources import sdg_global

FOLDER = ROOT / "data" / "sdg_global_db_unece"
DATA = FOLDER / "data"


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return sources.ingest(FOLDER)


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"indicator_{name}.csv", dtype=str, keep_default_na=False)


def value(obs: pd.DataFrame, indicator: str, geo: str, year: str, **where: str) -> float:
    rows = obs[(obs["indicator"] == indicator) & (obs["geo"] == geo) & (obs["year"] == year)]
    for column, wanted in {"sex": "total", "age": "total", **where}.items():
        rows = rows[rows[column] == wanted]
    for detail in ("sex_detail", "age_group"):  # unknown sex or age (_U) is no total
        rows = rows[rows[detail].isin(["", "total"])]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0])


def test_every_file_is_read_and_every_series_is_in_the_catalogue(obs) -> None:
    assert obs.attrs["failed"] == []
    assert set(obs["indicator"]) == set(sdg_global.ADAPTER.indicators)
    assert set(obs["indicator"]) <= set(indicators()["id"])
    assert len(list(DATA.glob("*.csv"))) == 14
    assert obs["geo"].ne("XXX").all()  # every GeoAreaName resolves exactly


@pytest.mark.parametrize(("country", "iso3", "year", "expected"), [
    ("Belgium", "BEL", "2019", 144), ("Germany", "DEU", "2019", 494),
    ("Ukraine", "UKR", "2020", 1680), ("Greece", "GRC", "2021", None)])
def test_detected_victims_are_the_published_totals(obs, country, iso3, year, expected) -> None:
    df = raw("16-2-2-VC_HTF_DETV")
    total = df[(df["GeoAreaName"] == country) & (df["Year"] == year) & (df["Age"] == "ALLAGE")
               & (df["Sex"] == "BOTHSEX")]
    assert len(total) == 1
    published = float(total["Value"].iloc[0])
    if expected is not None:  # SOURCE.txt's checks against UNODC GLOTIP
        assert published == expected
    assert value(obs, "sdg_gdb_16_2_2", iso3, year) == published


def test_breakdowns_keep_the_global_database_codes(obs) -> None:
    df = raw("16-2-2-VC_HTF_DETV")
    girls = df[(df["GeoAreaName"] == "Belgium") & (df["Year"] == "2019") & (df["Age"] == "<18Y")
               & (df["Sex"] == "FEMALE")]
    got = obs[(obs["indicator"] == "sdg_gdb_16_2_2") & (obs["geo"] == "BEL") & (obs["year"] == "2019")
              & (obs["sex"] == "female") & (obs["age_group"] == "<18Y")]
    assert got["age"].tolist() == ["child"] * len(girls)
    assert got["value"].tolist() == girls["Value"].astype(float).tolist()
    unknown = df[df["Sex"] == "_U"]
    assert len(obs[(obs["indicator"] == "sdg_gdb_16_2_2") & (obs.get("sex_detail", "") == "unknown")]) \
        == len(unknown)


def test_policy_domains_and_names_resolved_through_the_catalogue(obs) -> None:
    df = raw("10-7-2-SG_CPA_MIGRS")
    for name, iso3 in (("Germany", "DEU"), ("Türkiye", "TUR"),
                       ("Netherlands (Kingdom of the)", "NLD")):
        mine = df[(df["GeoAreaName"] == name) & (df["Policy Domains"] == "ALLDOMAINS")]
        for year in ("2019", "2021"):
            published = mine.loc[mine["Year"] == year, "Value"].astype(float)
            if len(published):
                assert value(obs, "sdg_gdb_10_7_2", iso3, year, policy_domains="total") \
                    == published.iloc[0]
    assert value(obs, "sdg_gdb_10_7_2", "DEU", "2019", policy_domains="total") == 2
    assert value(obs, "sdg_gdb_10_7_2", "DEU", "2021", policy_domains="total") == 3
    greece = df[(df["GeoAreaName"] == "Greece") & (df["Policy Domains"] == "DOMAIN1")]
    for year, v in zip(greece["Year"], greece["Value"].astype(float)):
        assert value(obs, "sdg_gdb_10_7_2", "GRC", year, policy_domains="DOMAIN1") == v
    uk = raw("10-7-4")
    uk = uk[uk["GeoAreaName"] == "United Kingdom of Great Britain and Northern Ireland"]
    assert value(obs, "sdg_gdb_10_7_4", "GBR", "2010") == float(uk.loc[uk["Year"] == "2010", "Value"].iloc[0])


def test_deaths_by_country_of_incident(obs) -> None:
    df = raw("10-7-3")
    for name, iso3, year, expected in (("Greece", "GRC", "2016", 548), ("Italy", "ITA", "2022", 112),
                                       ("Spain", "ESP", "2014", 38)):
        published = float(df.loc[(df["GeoAreaName"] == name) & (df["Year"] == year), "Value"].iloc[0])
        assert published == expected
        assert value(obs, "sdg_gdb_10_7_3", iso3, year) == published
        assert obs.loc[obs["indicator"] == "sdg_gdb_10_7_3", "unit"].unique().tolist() == ["persons"]


def test_repeated_rows_are_read_once_with_a_note(obs) -> None:
    df = raw("16-2-2-VC_HTF_DETV")
    repeats = int(df.duplicated().sum())
    assert repeats >= 1
    assert len(obs[obs["indicator"] == "sdg_gdb_16_2_2"]) == len(df) - repeats
    assert any("repeat an earlier row exactly" in n and "VC_HTF_DETV.csv" in n
               for n in obs.attrs["notes"])


def test_an_unknown_series_code_names_file_line_and_column(tmp_path) -> None:
    bad = tmp_path / "indicator_10-7-3.csv"
    bad.write_text('Year,SeriesCode,GeoAreaName,Value\n2020,"SM_DTH_MIGR","Italy",3\n'
                   '2021,"SM_NEW_CODE","Italy",4\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"indicator_10-7-3.csv: line 3, column SeriesCode: 'SM_NEW_CODE'"):
        sources.read_source(bad)


def test_an_unresolved_name_is_kept_in_note_never_guessed(tmp_path) -> None:
    path = tmp_path / "indicator_10-7-3.csv"
    path.write_text('Year,SeriesCode,GeoAreaName,Value\n2020,"SM_DTH_MIGR","Itali",3\n', encoding="utf-8")
    got = sources.read_source(path)
    assert got["geo"].tolist() == ["XXX"]
    assert "Itali" in got["note"].iloc[0]
