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


def test_unhcr_years_are_whole_numbers(population) -> None:
    assert population["year"].str.fullmatch(r"\d{4}").all()


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
