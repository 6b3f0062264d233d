"""Every GLOTIP number of objective 10 recomputed from UNODC's raw file with plain pandas.

Plain pandas only: pd.read_excel on the shipped xlsx, UNODC's published totals taken as the
rows with Dimension, Category, Sex and Age all "Total", the UNECE States from
gcmtools/reference/unece_states.csv. Compared with what gcmtools computes (adapter, select,
key figures, trend, comparison). Both editions: the 2024 edition the briefs read, and the
2022 edition (an earlier vintage), whose 2021 figures the issue states.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT, sources_cache
from gcmtools import sources
from gcmtools.analysis import keyfigures as kf
from gcmtools.analysis import select as sel
from gcmtools.analysis import series as ser
from gcmtools.catalogue import keyfigure_specs

pytestmark = pytest.mark.slow  # recomputed from the whole shipped raw files

EDITION_2024 = ROOT / "data" / "unodc_glotip_2003_2022" / "data_glotip.xlsx"
EDITION_2022 = ROOT / "data" / "unodc_glotip_2003_2021" / "data_glotip.xlsx"
UNECE = set(pd.read_csv(ROOT / "gcmtools" / "reference" / "unece_states.csv")["iso3"])
INDICATORS = {"unodc_detected_victims": "Detected trafficking victims",
              "unodc_persons_convicted": "Persons convicted"}


def published_totals(path, header: int) -> pd.DataFrame:
    """UNODC's published totals for UNECE States: Iso3_code, Indicator, Year, txtVALUE, v."""
    raw = pd.read_excel(path, header=header, dtype=str, engine="calamine")
    total = ((raw["Dimension"] == "Total") & (raw["Category"] == "Total")
             & (raw["Sex"] == "Total") & (raw["Age"] == "Total"))
    rows = raw[total & raw["Iso3_code"].isin(UNECE)].copy()
    rows["Year"] = rows["Year"].str.replace(".0", "", regex=False)
    rows["v"] = pd.to_numeric(rows["txtVALUE"].str.replace(",", ""), errors="coerce")
    return rows


@pytest.fixture(scope="module")
def raw_2024() -> pd.DataFrame:
    return published_totals(EDITION_2024, header=2)  # UNODC's two preamble rows above


@pytest.fixture(scope="module")
def raw_2022() -> pd.DataFrame:
    return published_totals(EDITION_2022, header=0)  # re-saved without the preamble


def _obs(path, tmp_path_factory) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest([path])


@pytest.fixture(scope="module")
def obs_2024(tmp_path_factory) -> pd.DataFrame:
    return _obs(EDITION_2024, tmp_path_factory)


@pytest.fixture(scope="module")
def obs_2022(tmp_path_factory) -> pd.DataFrame:
    return _obs(EDITION_2022, tmp_path_factory)


def _sum(raw: pd.DataFrame, indicator: str, year: str) -> tuple[float, int, int]:
    """(sum of the uncensored totals, States publishing a total, States with a number)."""
    rows = raw[(raw["Indicator"] == INDICATORS[indicator]) & (raw["Year"] == year)]
    return float(rows["v"].sum()), rows["Iso3_code"].nunique(), int(rows["v"].notna().sum())


# --- the figures, 2022 edition, 2021 data -------------------------------------------------


def test_2022_edition_2021_figures_are_the_published_totals(raw_2022, obs_2022) -> None:
    assert _sum(raw_2022, "unodc_detected_victims", "2021") == (14112.0, 25, 23)
    assert _sum(raw_2022, "unodc_persons_convicted", "2021")[0] == 508.0
    for spec in keyfigure_specs.SPECS[10]:
        if spec.indicator in INDICATORS and spec.measure == "sum":
            figure = kf.key_figure(obs_2022, spec, 10)
            value, states, _ = _sum(raw_2022, spec.indicator, figure.year)
            assert figure.year == "2021" and figure.value == value
            assert figure.place == f"UNECE States reporting ({states} of 56)"


def test_2022_edition_parts_never_pass_for_totals(raw_2022, obs_2022) -> None:
    victims = sel.select(obs_2022, "unodc_detected_victims", geo="UNECE")
    convicted = sel.select(obs_2022, "unodc_persons_convicted", geo="UNECE")
    # the United Kingdom publishes no 2021 total, only breakdowns (Sexual exploitation 1,266)
    assert victims[(victims["geo"] == "GBR") & (victims["year"] == "2021")].empty
    # Tajikistan: the published total 31, not the blank-Category citizenship row 15
    tajikistan = convicted[(convicted["geo"] == "TJK") & (convicted["year"] == "2021")]
    assert tajikistan["value"].tolist() == [31.0]
    # Kazakhstan 2012: 153, its 399 repatriations are another population
    kazakhstan = victims[(victims["geo"] == "KAZ") & (victims["year"] == "2012")]
    assert kazakhstan["value"].tolist() == [153.0]


# --- every GLOTIP figure of objective 10, 2024 edition ---------------------------------------------


def test_key_figures_recomputed(raw_2024, obs_2024) -> None:
    figures = {f.label: f for f in kf.key_figures(obs_2024, 10).figures}
    unodc = [f for f in figures.values() if f.indicator in INDICATORS]
    assert len(unodc) == 3
    for figure in unodc:
        rows = raw_2024[(raw_2024["Indicator"] == INDICATORS[figure.indicator])
                        & (raw_2024["Year"] == figure.year)]
        if figure.unit == "percent":
            continue  # the share female, below
        assert figure.value == float(rows["v"].sum()), figure.label
        assert figure.place == f"UNECE States reporting ({rows['Iso3_code'].nunique()} of 56)"
    assert {f.year for f in unodc} == {"2022"}  # the latest year of the 2024 edition


def test_share_female_recomputed(obs_2024) -> None:
    raw = pd.read_excel(EDITION_2024, header=2, dtype=str, engine="calamine")
    rows = raw[(raw["Indicator"] == "Detected trafficking victims") & (raw["Year"] == "2022")
               & (raw["Dimension"] == "Total") & (raw["Category"] == "Total")
               & (raw["Age"] == "Total") & raw["Iso3_code"].isin(UNECE)]
    rows = rows.assign(v=pd.to_numeric(rows["txtVALUE"].str.replace(",", ""), errors="coerce"))
    # a key published twice (Bulgaria 2022, females: 104 and 6) has no single published value
    rows = rows[~rows.duplicated(["Iso3_code", "Sex"], keep=False)]
    by_sex = rows[rows["v"].notna()].pivot_table(index="Iso3_code", columns="Sex", values="v")
    both = by_sex.dropna(subset=["Female", "Male"])
    share = both["Female"].sum() / (both["Female"].sum() + both["Male"].sum())
    figure = next(f for f in kf.key_figures(obs_2024, 10).figures if f.unit == "percent")
    assert figure.value == pytest.approx(100 * share)
    assert figure.place == f"UNECE States reporting by sex ({len(both)} of 56)"


def test_trend_recomputed_every_year(raw_2024, obs_2024) -> None:
    trend = ser.trend(obs_2024, 10)
    victims = raw_2024[raw_2024["Indicator"] == "Detected trafficking victims"]
    expected = victims.groupby("Year").agg(value=("v", "sum"),
                                           geos=("v", lambda v: int(v.notna().sum())))
    expected = expected[expected["value"] > 0]  # years before any State publishes a number
    got = trend.data.set_index("year")
    assert list(got.index) == list(expected.index)
    assert got["value"].tolist() == expected["value"].tolist()
    assert got["geos"].tolist() == expected["geos"].tolist()  # States with a number: the bars
    assert int(got.loc["2022", "geos"]) < len(UNECE)


def test_comparison_recomputed(raw_2024, obs_2024) -> None:
    comparison = ser.comparison(obs_2024, 10)
    rows = raw_2024[(raw_2024["Indicator"] == "Detected trafficking victims")
                    & (raw_2024["Year"] == comparison.year)]
    assert comparison.year == "2022"
    expected = rows.sort_values("v", ascending=False, na_position="last").head(ser.COMPARISON_TOP)
    assert comparison.data["geo"].tolist()[:5] == expected["Iso3_code"].tolist()[:5]
    values = dict(zip(rows["Iso3_code"], rows["v"]))
    for r in comparison.data.itertuples():
        assert r.value == values[r.geo] or (pd.isna(r.value) and pd.isna(values[r.geo]))
    assert f"{rows['Iso3_code'].nunique()} UNECE State(s) with data" in comparison.note


def test_both_editions_2021(raw_2022, raw_2024, obs_2022, obs_2024) -> None:
    """The 2024 edition revises 2021 (more States report): each edition's own totals."""
    for raw, obs in ((raw_2022, obs_2022), (raw_2024, obs_2024)):
        for indicator in INDICATORS:
            rows = sel.select(obs, indicator, geo="UNECE")
            table = sel.yearly(rows).set_index("year")
            value, _, with_number = _sum(raw, indicator, "2021")
            assert table.loc["2021", "value"] == value
            assert table.loc["2021", "geos"] == with_number
    assert _sum(raw_2024, "unodc_detected_victims", "2021")[0] != 14112.0  # revised


def test_key_figures_for_the_review_period_and_their_context_recomputed(raw_2024, obs_2024) -> None:
    # as the brief shows them: the review period's year (2020), the latest year (2022) beside it
    figures = [f for f in kf.key_figures(obs_2024, 10, period=(2019, 2020)).figures
               if f.indicator in INDICATORS and f.unit != "percent"]
    assert len(figures) == 2
    for figure in figures:
        assert (figure.year, figure.context_year) == ("2020", "2022")
        assert figure.value == _sum(raw_2024, figure.indicator, "2020")[0], figure.label
        assert figure.context_value == _sum(raw_2024, figure.indicator, "2022")[0], figure.label
    victims = next(f for f in figures if f.indicator == "unodc_detected_victims")
    assert (victims.value, victims.context_value) == (29237.0, 26931.0)
