"""Country profiles in-process (no kernel): a State with much data (Greece: its figures
recomputed from the raw files with plain pandas), one with little (Andorra: the gaps say so, no
empty table), Kosovo (the UN footnote wherever its name is shown), the overview's links.

Slow but for the unknown code: the profiles read every shipped source (once, into the run's
shared cache) and compute the roundtable's key figures on them, as a build does."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import catalogue
from gcmtools.brief import context, country, sections
from gcmtools.build.plan import load_plan

SDG = ROOT / "data" / "sdg_global_db_unece" / "data"
GLOTIP = ROOT / "data" / "unodc_glotip_2003_2022" / "data_glotip.xlsx"
FOOTNOTE = "References to Kosovo shall be understood to be in the context of Security Council resolution"


pytestmark = pytest.mark.usefixtures("shipped_sources_cache")  # the sources parsed once per run


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    """Every source of the shipped params, read once for the module."""
    plan = load_plan()
    obs, _ = context.read_sources([str(p) for p in plan.sources])
    return obs


@pytest.fixture(scope="module")
def profiles(observations) -> dict[str, country.CountryContext]:
    return {c: country.load_country(c, observations=observations) for c in ("GRC", "AND", "XKX")}


def html(fragment) -> str:
    return fragment.data


def figure(cc: country.CountryContext, indicator: str) -> dict:
    hits = [r for r in country.custodians_data(cc)["figures"] if r["indicator"] == indicator]
    assert len(hits) == 1, [r["indicator"] for r in country.custodians_data(cc)["figures"]]
    return hits[0]


def sdg_total(name: str, country_name: str, year: str) -> str:
    df = pd.read_csv(SDG / f"indicator_{name}.csv", dtype=str, keep_default_na=False)
    rows = df[(df["GeoAreaName"] == country_name) & (df["Year"] == year)]
    for column, total in (("Age", "ALLAGE"), ("Sex", "BOTHSEX"), ("Policy Domains", "ALLDOMAINS")):
        if column in rows.columns:
            rows = rows[rows[column] == total]
    assert len(rows) == 1
    return rows["Value"].iloc[0]


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_greece_sdg_figures_are_the_published_totals(profiles) -> None:
    cc = profiles["GRC"]
    victims = figure(cc, "sdg_gdb_16_2_2")
    assert (victims["period_year"], victims["latest_year"]) == ("2020", "2021")  # review period 2019-2020
    assert victims["period_value"] == f"{int(sdg_total('16-2-2-VC_HTF_DETV', 'Greece', '2020')):,}"
    assert victims["latest_value"] == f"{int(sdg_total('16-2-2-VC_HTF_DETV', 'Greece', '2021')):,}"
    rate = figure(cc, "sdg_gdb_16_2_2_rate")
    assert rate["latest_value"] == sdg_total("16-2-2-VC_HTF_DETVR", "Greece", rate["latest_year"])
    deaths = figure(cc, "sdg_gdb_10_7_3")
    assert deaths["period_value"] == sdg_total("10-7-3", "Greece", "2020")
    for r in (victims, rate, deaths):  # provenance of every number
        assert r["file"].startswith("data/sdg_global_db_unece/data/indicator_")
        assert "March 2024" in r["vintage"] and r["definition"] and r["source"].startswith("United Nations Statistics")


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_greece_glotip_totals_and_policy_domains(profiles) -> None:
    cc = profiles["GRC"]
    raw = pd.read_excel(GLOTIP, header=2, dtype=str, engine="calamine")
    total = raw[(raw["Iso3_code"] == "GRC") & (raw["Indicator"] == "Detected trafficking victims")
                & (raw["Dimension"] == "Total") & (raw["Category"] == "Total") & (raw["Sex"] == "Total")
                & (raw["Age"] == "Total")].assign(Year=lambda d: d["Year"].str.replace(".0", "", regex=False))
    victims = figure(cc, "unodc_detected_victims")
    latest = total.loc[total["Year"] == victims["latest_year"], "txtVALUE"]
    assert victims["latest_value"] == f"{int(latest.iloc[0].replace(',', '')):,}"
    assert victims["latest_year"] == max(total["Year"])
    domains = country.policy_domains(cc)
    df = pd.read_csv(SDG / "indicator_10-7-2-SG_CPA_MIGRS.csv", dtype=str)
    mine = df[df["GeoAreaName"] == "Greece"]
    assert len(domains) == mine["Policy Domains"].nunique()
    one = mine[(mine["Policy Domains"] == "DOMAIN1") & (mine["Year"] == "2021")]["Value"].iloc[0]
    assert domains.loc[domains["domain"] == "Migrant rights", "2021"].iloc[0].startswith(f"{one} (")


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_greece_routes_and_the_rule_of_small_counts(profiles) -> None:
    cc = profiles["GRC"]
    routes = country.routes(cc)
    assert "Eastern Mediterranean" in routes and not any(r.startswith("not ") for r in routes)
    data = country.custodians_data(cc)
    assert data["rule"]  # victims of trafficking are a sensitive series: the rule is stated
    publishers = [g["source"] for g in data["groups"]]
    assert any(p.startswith("International Organization for Migration") for p in publishers)
    assert any(p.startswith("Office of the United Nations High Commissioner for Refugees") for p in publishers)


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_andorra_has_little_data_and_its_gaps_say_so(profiles) -> None:
    cc = profiles["AND"]
    gaps = country.gaps_data(cc)
    assert gaps["none_reported"] and len(gaps["objectives"]) == 7
    assert "published for" in " ".join(gaps["indicators"]["why"])
    assert "Andorra submitted no practice" in html(country.reported(cc))
    assert "Andorra submitted no practice on any objective" in html(country.gaps(cc))
    assert "sdg_gdb_16_2_2" not in {r["indicator"] for r in country.custodians_data(cc)["figures"]}
    for section in (country.header, country.reported, country.custodians, country.gaps,
                    country.sources_and_method):
        page = html(section(cc))
        for table in re.findall(r"<table>.*?</table>", page, flags=re.S):
            assert "<td" in table, f"{section.__name__}: an empty table"


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_kosovo_carries_the_footnote_wherever_it_is_named(profiles) -> None:
    cc = profiles["XKX"]
    header = html(country.header(cc))
    assert "Country profile: Kosovo*" in header and FOOTNOTE in header
    assert FOOTNOTE in html(country.sources_and_method(cc))
    assert FOOTNOTE not in html(country.header(profiles["AND"]))
    assert cc.subregion == catalogue.OTHER_PLACES


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'XYZ' is not the ISO3 code of a UNECE State"):
        country.load_country("XYZ", observations=pd.DataFrame())


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_the_overview_links_each_state_to_its_profile_only_when_built(observations) -> None:
    ctx = context.load_context(observations=observations)
    linked = html(sections.overview_coverage(ctx, "GRC;AND"))
    assert re.findall(r'<a href="(country-[A-Z]{3}\.html)">', linked) == ["country-GRC.html", "country-AND.html"] \
        or sorted(re.findall(r'<a href="(country-[A-Z]{3}\.html)">', linked)) == ["country-AND.html", "country-GRC.html"]
    assert "country-" not in html(sections.overview_coverage(ctx))


@pytest.mark.slow  # every shipped source, and the roundtable's key figures on them
def test_save_country_writes_the_figures_and_counts(profiles, tmp_path) -> None:
    out = tmp_path / "country-GRC.key-figures.json"
    country.save_country(profiles["GRC"], str(out))
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["country"] == "GRC" and data["figures"]
    assert {"own", "naming", "accepted"} <= set(data["practices"])
    assert all(f["file"] and f["vintage"] for f in data["figures"])
