"""ONE end-to-end build of country profiles (real papermill runs): Italy, Andorra and Kosovo
from the shipped data, no objective brief; the published pages, the index by sub-region and
Kosovo's footnote."""

from __future__ import annotations

import re

import pytest

from gcmtools import cli

pytestmark = pytest.mark.slow

SOURCES = ["data/mmp_global_2014_2024", "data/unodc_glotip_2003_2022", "data/unhcr_refugees_1951_2025",
           "data/eurostat_enforcement_2014_2023", "data/uk_home_office_immigration_2004_2023",
           "data/sdg_national_armenia", "data/sdg_national_kazakhstan",
           "data/undesa_migrant_stock_1990_2020", "data/sdg_global_db_unece"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("profiles")
    params = root / "profiles.yaml"
    params.write_text("review: unece-2020-rt3\npractices: data/practices\nsources: [" + ", ".join(SOURCES)
                      + "]\ncountries: [ITA, AND, XKX]\n", encoding="utf-8")
    code = cli.main(["build", "--params", str(params), "--out", str(root / "out"), "--jobs", "2"])
    return code, root / "out" / "unece-2020-rt3"


def text(path) -> str:
    page = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_three_profiles_are_published(built) -> None:
    code, out = built
    assert code == 0
    for iso3 in ("ITA", "AND", "XKX"):
        assert (out / f"country-{iso3}.html").is_file()
        assert (out / f"country-{iso3}.key-figures.json").is_file()
    assert not (out / "roundtable.pdf").exists()  # profiles are not the roundtable's PDF
    italy = text(out / "country-ITA.html")
    assert "Country profile: Italy" in italy and "Central Mediterranean" in italy
    assert "SDG Global Database" in italy and "def " not in italy  # no code on the page
    assert "Andorra submitted no practice" in text(out / "country-AND.html")


def test_the_index_lists_them_by_subregion_with_the_footnote(built) -> None:
    _, out = built
    index = text(out / "index.html")
    assert "Country profiles" in index
    assert index.index("Southern Europe") < index.index("Andorra") < index.index("Italy") \
        < index.index("Other places") < index.index("Kosovo*")
    assert "Security Council resolution 1244" in index
    assert "Security Council resolution 1244" in text(out / "country-XKX.html")
