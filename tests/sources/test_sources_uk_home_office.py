"""gcmtools.sources.uk_home_office: quarterly Home Office tables to calendar years."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import sources_cache
from gcmtools import sources
from gcmtools.paths import data_dir

CSV = data_dir() / "uk_home_office_immigration_2004_2023" / "csv"


@pytest.fixture(scope="module")
def uk(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest([CSV])


def _series(uk: pd.DataFrame, indicator: str, **where: str) -> pd.Series:
    rows = uk[uk["indicator"] == indicator]
    for column, value in {"sex": "total", "age": "total", **where}.items():
        rows = rows[rows[column] == value]
    return rows.set_index("year")["value"]


def test_indicators_and_geo(uk: pd.DataFrame) -> None:
    assert {"uk_detention_stock", "uk_detention_entries", "uk_detention_leavers",
            "uk_returns", "uk_irregular_arrivals", "uk_nrm_referrals"} <= set(uk["indicator"])
    assert set(uk["geo"]) == {"GBR"}


def test_yearly_sums_match_the_home_office_summary_tables(uk: pd.DataFrame) -> None:
    summary = pd.read_csv(CSV / "detention_summary_flow.csv.gz").set_index("Date")
    summary.index = summary.index.astype(str)
    entries = _series(uk, "uk_detention_entries")
    leavers = _series(uk, "uk_detention_leavers", leaving_reason="total")
    stock = _series(uk, "uk_detention_stock")
    for year, row in summary.iterrows():
        assert entries[year] == row["Entering detention"]
        assert leavers[year] == row["Leaving detention"]
        assert stock[year] == row["In detention (at end of period)"]  # last quarter, not a sum


def test_children_apart(uk: pd.DataFrame) -> None:
    children = pd.read_csv(CSV / "children_entering_detention.csv.gz")
    children = children.set_index(children["Date of entry to detention"].astype(str))
    entered = _series(uk, "uk_detention_entries", age="child")
    assert (entered[children.index] == children["Total children"]).all()
    stock = _series(uk, "uk_detention_stock", age="child")
    assert set(stock.index) == set(_series(uk, "uk_detention_stock").index)  # zeros kept
    assert stock["2014"] == 2 and stock["2015"] == 0


def test_incomplete_years_are_left_out_and_noted(uk: pd.DataFrame) -> None:
    assert "2009" not in set(_series(uk, "uk_nrm_referrals").index)
    assert "2023" not in set(_series(uk, "uk_small_boat_arrivals_nrm", nrm_referral="total").index)
    notes = " ".join(uk.attrs["notes"])
    assert "2009 left out, only 3 of 4 quarters published" in notes


def test_returns_by_type_and_small_boats(uk: pd.DataFrame) -> None:
    returns = uk[(uk["indicator"] == "uk_returns") & (uk["year"] == "2023") &
                 (uk["sex"] == "total") & (uk["age"] == "total")].set_index("return_type")
    parts = returns.drop(index="total")["value"].sum()
    assert parts == returns.loc["total", "value"]
    boats = _series(uk, "uk_irregular_arrivals", method="Small boat arrivals")
    assert boats["2022"] == 45774


def test_unrecognised_summary_tables_are_skipped_with_a_note(uk: pd.DataFrame) -> None:
    notes = " ".join(uk.attrs["notes"])
    assert "detention_summary_flow.csv.gz: not a layout any adapter knows; skipped" in notes


def test_returns_keep_the_three_kinds_apart_and_the_total(uk: pd.DataFrame) -> None:
    """2023: 50,233 returns = 6,393 enforced + 19,253 voluntary + 24,587 port returns."""
    raw = pd.read_csv(CSV / "returns.csv.gz")
    raw = raw[raw["Year"] == 2023]
    expected = raw.groupby("Return type group")["Number of returns"].sum().to_dict()
    expected["total"] = raw["Number of returns"].sum()
    got = uk[(uk["indicator"] == "uk_returns") & (uk["year"] == "2023") & (uk["sex"] == "total")
             & (uk["age"] == "total")].set_index("return_type")["value"].to_dict()
    assert got == expected
    assert expected == {"Enforced return": 6393, "Voluntary return": 19253,
                        "Refused entry at port and subsequently departed": 24587,
                        "total": 50233}


def test_a_published_total_that_is_not_the_sum_of_its_parts_fails(tmp_path) -> None:
    rows = ["Year,Quarter,Age at exploitation,Location of exploitation,NRM referrals"]
    for q in ("Q1", "Q2", "Q3", "Q4"):
        rows += [f"2022,{q},Adult (18 or over),UK,3", f"2022,{q},Adult (18 or over),Overseas,2",
                 f"2022,{q},Adult (18 or over),Total,{5 if q != 'Q4' else 6}"]
    path = tmp_path / "nrm.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"the published total for 2022 \(21\) is not the sum "
                                         r"of its exploitation_location parts \(20\)"):
        sources.read_source(path)
