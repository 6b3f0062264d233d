"""gcmtools.sources.unhcr and .undesa: UN tables summed for UNECE States."""

from __future__ import annotations

import pytest

from gcmtools import catalogue, sources
from gcmtools.paths import data_dir

UNHCR = data_dir() / "unhcr_refugees_1951_2025" / "csv"
UNDESA = data_dir() / "undesa_migrant_stock_1990_2020" / "stocks.csv.gz"


@pytest.fixture(scope="module")
def population():
    return sources.read_source(UNHCR / "population.csv.gz")


def test_unhcr_years_are_whole_numbers_or_the_mid_year_of_the_release(population) -> None:
    """The release of December 2025 (v2025.12.1) cannot hold end-2025 stocks: its 2025 rows
    are UNHCR's mid-year figures, so they are labelled mid-2025 (and noted)."""
    years = set(population["year"])
    assert {y for y in years if not y.isdigit()} == {"mid-2025"}
    assert max(y for y in years if y.isdigit()) == "2024"
    assert any("labelled mid-2025: a release of December 2025 cannot hold an end-of-year stock"
               in n for n in population.attrs["notes"])


def test_unhcr_flows_of_the_release_year_are_left_out_with_a_note() -> None:
    solutions = sources.read_source(UNHCR / "solutions.csv.gz")
    assert solutions["year"].max() == "2024"
    assert any("2025 left out: a release of December 2025 cannot hold a complete year's "
               "figures" in n for n in solutions.attrs["notes"])


def _unhcr_copy(tmp_path, version: str | None):
    import pandas as pd

    folder = tmp_path / "unhcr"
    folder.mkdir(parents=True)
    pd.DataFrame({"year": [2023.0, 2024.0, 2024.0], "coo_iso": ["SYR", "SYR", "UKR"],
                  "coa_iso": ["DEU", "DEU", "DEU"], "refugees": [10.0, 20.0, 5.0],
                  "asylum_seekers": [1.0, 2.0, 3.0], "stateless": [0.0, 7.0, 0.0]}
                 ).to_csv(folder / "population.csv", index=False)
    if version:
        (folder / "SOURCE.txt").write_text(f"as shipped in the official R package 'refugees' "
                                            f"v{version}\n", encoding="utf-8")
    return folder / "population.csv"


def test_unhcr_release_date_decides_what_a_year_means(tmp_path) -> None:
    mid = sources.read_source(_unhcr_copy(tmp_path / "a", "2024.11.0"))
    stateless = mid[mid["indicator"] == "unhcr_stateless"].set_index("year")["value"]
    assert stateless.to_dict() == {"2023": 0.0, "mid-2024": 7.0}
    after = sources.read_source(_unhcr_copy(tmp_path / "b", "2025.6.0"))
    assert set(after["year"]) == {"2023", "2024"}
    unknown = sources.read_source(_unhcr_copy(tmp_path / "c", None))
    assert set(unknown["year"]) == {"2023", "2024"}  # no release date: years as published


def test_unhcr_keeps_unece_states_only(population) -> None:
    assert set(population["geo"]) <= catalogue.unece_iso3()


def test_unhcr_stateless_by_country_of_asylum(population) -> None:
    stateless = population[population["indicator"] == "unhcr_stateless"]
    ukraine = stateless[(stateless["geo"] == "UKR")].set_index("year")["value"]
    assert ukraine["2021"] == 35933
    assert set(stateless["vintage"]) == {"UNHCR refugees R package 2025.12.1"}


def test_unhcr_returns_by_country_of_origin_and_applications_by_unit() -> None:
    solutions = sources.read_source(UNHCR / "solutions.csv.gz")
    returned = solutions[solutions["indicator"] == "unhcr_returned_refugees"]
    assert returned[(returned["geo"] == "UKR")].set_index("year")["value"]["2022"] == 660000
    applications = sources.read_source(UNHCR / "asylum_applications.csv.gz")
    assert set(applications["unit"]) == {"persons", "cases"}
    assert {"procedure_type", "application_type", "decision_level"} <= set(applications.columns)


def test_undesa_stock_is_female_plus_male() -> None:
    stock = sources.read_source(UNDESA)
    germany = stock[(stock["geo"] == "DEU") & (stock["year"] == "2020")].set_index("sex")
    assert germany.loc["total", "value"] == 15762457
    assert germany.loc["female", "value"] == 7870822
    assert germany.loc["male", "value"] == 7891635
    assert set(stock["geo"]) <= catalogue.unece_iso3()
    assert set(stock["vintage"]) == {"UN DESA International Migrant Stock 2020"}
