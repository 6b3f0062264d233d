"""Every UK Home Office, UNHCR and Open SDG key figure and trend (objectives 4, 9, 10, 11, 13,
21), recomputed from the raw shipped files with plain pandas (never through the adapters) and
compared with what gcmtools computes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import sources_cache
from gcmtools import catalogue, sources
from gcmtools.analysis import keyfigures
from gcmtools.analysis import series as ser
from gcmtools.catalogue.indicators import indicators as indicator_catalogue
from gcmtools.paths import data_dir

pytestmark = pytest.mark.slow  # recomputed from the whole shipped raw files

UK = data_dir() / "uk_home_office_immigration_2004_2023" / "csv"
UNHCR = data_dir() / "unhcr_refugees_1951_2025"
ARM = data_dir() / "sdg_national_armenia"
KAZ = data_dir() / "sdg_national_kazakhstan"
OWN = ("uk_", "unhcr_", "sdg_")


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest([UK, UNHCR, ARM, KAZ])


@pytest.fixture(scope="module")
def figures(obs: pd.DataFrame) -> dict[str, keyfigures.KeyFigure]:
    """gcmtools' key figures of the six objectives, by label, for this module's sources."""
    out = {}
    for objective in (4, 9, 10, 11, 13, 21):
        for f in keyfigures.key_figures(obs, objective, indicator_catalogue()).figures:
            out[f.label] = f
    return out


# --- plain pandas on the raw files -----------------------------------------------------------


def _uk(name: str, value: str) -> pd.DataFrame:
    raw = pd.read_csv(UK / f"{name}.csv.gz")
    raw["Year"] = raw["Year"].astype(int)
    raw["Quarter"] = raw["Quarter"].astype(str).str[-1].astype(int)
    whole = raw.groupby("Year")["Quarter"].nunique()
    return raw[raw["Year"].isin(whole[whole == 4].index)].rename(columns={value: "v"})


def _per_year(rows: pd.DataFrame) -> pd.Series:
    return rows.groupby("Year")["v"].sum()


RETURNS = _uk("returns", "Number of returns")
GROUPS = {"Enforced returns": "Enforced return", "Voluntary returns": "Voluntary return",
          "Port returns": "Refused entry at port and subsequently departed"}
ARRIVALS = _uk("irregular_migration", "Number of detections")
SMALL_BOATS = ARRIVALS[ARRIVALS["Method of entry"] == "Small boat arrivals"]
NRM = _uk("nrm_referrals_longitudinal", "NRM referrals")
NRM_TOTAL = NRM[NRM["Location of exploitation"] == "Total"]  # the Home Office's own total rows
ENTERING = _uk("people_entering_detention", "Entering")
LEAVING = _uk("people_leaving_detention", "Leaving")
STOCK = _uk("people_in_detention", "People")


def _stateless() -> pd.Series:
    """Stateless persons in UNECE States (country of asylum) by end-of-year, release year out."""
    raw = pd.read_csv(UNHCR / "csv" / "population.csv.gz")
    released = int(re.search(r"'refugees' v(\d{4})\.", (UNHCR / "SOURCE.txt").read_text()).group(1))
    raw = raw[raw["coa_iso"].isin(catalogue.unece_iso3()) & raw["stateless"].notna()]
    per_year = raw.groupby(raw["year"].astype(int))["stateless"].sum()
    return per_year[per_year.index < released]


def _open_sdg(folder, indicator: str) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / f"indicator_{indicator}.csv", dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")


def _latest(series: pd.Series, offset: int = 0) -> tuple[int, float]:
    year = int(series.index.max()) - offset
    return year, float(series[year])


EXPECTED = {  # label start -> (series recomputed from the raw file, years back from the latest)
    "Detected small-boat arrivals, United Kingdom only, 2023": (_per_year(SMALL_BOATS), 0),
    "Detected small-boat arrivals, United Kingdom only, 2022": (_per_year(SMALL_BOATS), 1),
    "Detections of irregular migration, United Kingdom only, 2023": (_per_year(ARRIVALS), 0),
    "Potential victims of modern slavery referred": (_per_year(NRM_TOTAL), 0),
    "Port returns, United Kingdom only, 2023": (
        _per_year(RETURNS[RETURNS["Return type group"] == GROUPS["Port returns"]]), 0),
    "Enforced returns, United Kingdom only, 2023": (
        _per_year(RETURNS[RETURNS["Return type group"] == GROUPS["Enforced returns"]]), 0),
    "Voluntary returns, United Kingdom only, 2023": (
        _per_year(RETURNS[RETURNS["Return type group"] == GROUPS["Voluntary returns"]]), 0),
    "All returns as the Home Office counts them, United Kingdom only, 2023": (
        _per_year(RETURNS), 0),
    "People entering immigration detention, United Kingdom only, 2023": (_per_year(ENTERING), 0),
    "Children (17 and under) entering immigration detention": (
        _per_year(ENTERING[ENTERING["Age"] == "17 and under"]), 0),
    "People leaving immigration detention, United Kingdom only, 2023": (_per_year(LEAVING), 0),
    "People in immigration detention at the end of 2023": (
        _per_year(STOCK[STOCK["Quarter"] == 4]), 0),
    "Stateless persons in UNECE States at the end of 2024": (_stateless(), 0),
    "Stateless persons in UNECE States at the end of 2023": (_stateless(), 1),
}


@pytest.mark.parametrize("label", list(EXPECTED))
def test_key_figure_recomputed_from_the_raw_file(figures, label: str) -> None:
    [figure] = [f for lab, f in figures.items() if lab.startswith(label)]
    series, back = EXPECTED[label]
    year, value = _latest(series, back)
    assert (figure.year, figure.value) == (str(year), value)
    assert figure.place in ("United Kingdom of Great Britain and Northern Ireland",
                            f"UNECE States reporting (54 of {len(catalogue.unece_iso3())})")


def test_uk_returns_2023_are_three_kinds_whose_sum_is_the_total(figures) -> None:
    """The headline: 50,233 returns in 2023 include 24,587 port returns after refusal of entry."""
    by_group = RETURNS[RETURNS["Year"] == 2023].groupby("Return type group")["v"].sum()
    assert by_group.to_dict() == {GROUPS["Enforced returns"]: 6393.0,
                                  GROUPS["Port returns"]: 24587.0,
                                  GROUPS["Voluntary returns"]: 19253.0}
    shown = {lab.split(",")[0]: f.value for lab, f in figures.items() if f.indicator == "uk_returns"}
    assert shown == {"Enforced returns": 6393.0, "Voluntary returns": 19253.0,
                     "Port returns": 24587.0, "All returns as the Home Office counts them": 50233.0}


def test_every_uk_and_national_figure_says_it_is_of_one_state(figures) -> None:
    mine = [f for f in figures.values() if f.indicator.startswith(("uk_", "sdg_"))]
    assert len(mine) >= 12
    for f in mine:
        assert re.search(r"(United Kingdom|Armenia|Kazakhstan) only", f.label), f.label


def test_no_unhcr_figure_or_trend_shows_the_release_year_as_an_end_of_year(obs, figures) -> None:
    stateless = obs[obs["indicator"] == "unhcr_stateless"]
    assert "2025" not in set(stateless["year"]) and "mid-2025" in set(stateless["year"])
    flows = obs[obs["indicator"].isin(["unhcr_returned_refugees", "unhcr_asylum_applications"])]
    assert flows["year"].max() == "2024"
    trend = ser.trend(obs, 4, indicator_catalogue())
    expected = _stateless()
    expected = expected[expected.index >= expected.ne(0).idxmax()]
    got = trend.data.set_index("year")["value"]
    assert got.index.tolist() == [str(y) for y in expected.index]
    assert got.tolist() == expected.tolist()


def test_trends_recomputed_from_the_raw_files(obs) -> None:
    catalogue_ = indicator_catalogue()
    cases = {9: _per_year(SMALL_BOATS), 13: _per_year(ENTERING)}
    for objective, expected in cases.items():
        trend = ser.trend(obs, objective, catalogue_)
        got = trend.data.set_index("year")["value"]
        expected = expected[expected.index >= expected.ne(0).idxmax()]
        assert got.to_dict() == {str(y): float(v) for y, v in expected.items()}, objective
    # objective 21's UK trend (used when no Eurostat returns are loaded): the total by year
    trend = ser.trend(obs, 21, catalogue_)
    assert trend.title.startswith("All returns as the Home Office counts them")
    got = trend.data.set_index("year")["value"]
    assert got.to_dict() == {str(y): float(v) for y, v in _per_year(RETURNS).items()}


def test_national_figures_recomputed_from_the_raw_files(figures) -> None:
    # Kazakhstan 16.9.1: the row with no disaggregation is the national total
    kaz = _open_sdg(KAZ, "16-9-1")
    others = [c for c in kaz.columns if c not in ("Year", "Value", "UNIT_MEASURE", "Units")]
    total = kaz[(kaz[others] == "").all(axis=1) & (kaz["Value"] != "")]
    year = total["Year"].max()
    [f] = [f for lab, f in figures.items() if lab.startswith("Births of children under 5 "
                                                             "registered, Kazakhstan")]
    assert (f.year, f.value) == (year, float(total.loc[total["Year"] == year, "Value"].iloc[0]))
    # Armenia 16.2.2.a: recorded cases, the file's own unit
    arm = _open_sdg(ARM, "16-2-2-a")
    arm = arm[arm["Group"] == ""]
    year = arm["Year"].max()
    [f] = [f for lab, f in figures.items() if lab.startswith("Cases of trafficking")]
    assert (f.year, f.value, f.unit) == (year, float(arm.loc[arm["Year"] == year, "Value"].iloc[0]),
                                         "cases")
    assert set(arm["Units"]) == {"case"}
    # Armenia 16.9.1 publishes no total (only girls and boys): no figure, never a sum
    assert not any(lab.startswith("Births of children under 5 registered, Armenia")
                   for lab in figures)


def test_every_own_key_figure_is_recomputed_here(figures) -> None:
    own = [lab for lab, f in figures.items() if f.indicator.startswith(OWN)]
    checked = [lab for lab in own if any(lab.startswith(e) for e in EXPECTED)]
    national = [lab for lab in own if lab.startswith(("Births", "Cases of trafficking"))]
    assert sorted(checked + national) == sorted(own)
