"""Country names are resolved exactly or not at all: a region is named as a region, a close name
is a "did you mean", never a resolution (issue 19)."""

from __future__ import annotations

import pytest

from gcmtools import catalogue
from gcmtools.intake.schema import country_code

REGIONS = ["Western Balkans", "Eastern Europe", "Central Asia", "Central Mediterranean",
           "Commonwealth of Independent States", "Karakalpakstan"]


@pytest.mark.parametrize("name", REGIONS)
def test_a_region_never_resolves_to_a_country(name):
    # before: Western Sahara, Uruguay, Central African Republic, Pakistan, Dominica
    assert country_code(name) is None
    assert catalogue.resolve_country(name) is None
    assert catalogue.region_kind(name)


def test_karakalpakstan_is_named_as_a_region_of_uzbekistan():
    assert "Uzbekistan" in catalogue.region_kind("Karakalpakstan")


def test_a_close_name_is_a_suggestion_not_a_resolution():
    assert country_code("Kirgizstan") is None
    assert catalogue.suggest_country("Kirgizstan") == "Kyrgyzstan"
    assert catalogue.suggest_country("Narnia") is None
    assert catalogue.suggest_country("Western Balkans") is None


@pytest.mark.parametrize("name, iso3", [("Kyrgyzstan", "KGZ"), ("Turkey", "TUR"), ("UK", "GBR"),
                                        ("Russia", "RUS"), ("Moldova", "MDA"), ("ARM", "ARM"),
                                        ("Kosovo*", "XKX"), ("Czech Republic", "CZE")])
def test_exact_names_codes_and_aliases_still_resolve(name, iso3):
    assert country_code(name) == iso3


def test_every_unece_name_and_code_resolves_exactly():
    states = catalogue.unece_states()
    for iso3, name in zip(states["iso3"], states["name"]):
        assert country_code(name) == iso3 and country_code(iso3) == iso3
