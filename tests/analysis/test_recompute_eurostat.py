"""Every Eurostat key figure, trend and comparison the briefs show, recomputed from the raw
shipped CSVs with plain pandas (read_csv, filters on the published labels), not through the
adapter, and compared with what gcmtools computes."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.analysis import keyfigures
from gcmtools.analysis import series as ser
from gcmtools.paths import data_dir

pytestmark = pytest.mark.slow  # recomputed from the whole shipped raw files

FOLDER = data_dir() / "eurostat_enforcement_2014_2023"
EU27 = "European Union - 27 countries (from 2020)"
MEMBERS = ["Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark",
           "Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy",
           "Latvia", "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal",
           "Romania", "Slovakia", "Slovenia", "Spain", "Sweden"]


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return sources.ingest(FOLDER, use_cache=False)


def _raw(name: str) -> pd.DataFrame:
    raw = pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False)
    raw["value"] = pd.to_numeric(raw["OBS_VALUE"], errors="coerce")
    return raw


def refused() -> pd.DataFrame:
    raw = _raw("migr_eirfs_refused_entry_totals.csv")
    return raw[(raw["border"] == "Total") & (raw["reason"] == "Total") & (raw["citizen"] == "Total")]


def present() -> pd.DataFrame:
    raw = _raw("migr_eipre_illegally_present_by_reason.csv")
    return raw[(raw["reason"] == "Total") & (raw["apprehen"] == "Total")
               & (raw["citizen"] == "Total") & (raw["sex"] == "Total") & (raw["age"] == "Total")]


TABLES = {"eurostat_refused_entry": refused, "eurostat_illegally_present": present}


def _figures(objective: int, obs: pd.DataFrame) -> list:
    return [f for f in keyfigures.key_figures(obs, objective, sources.indicators()).figures
            if f.indicator in TABLES]


@pytest.mark.parametrize("objective", [9, 11])
def test_every_eurostat_key_figure_is_eurostats_eu27_figure(objective: int, obs) -> None:
    figures = _figures(objective, obs)
    assert figures
    for figure in figures:
        table = TABLES[figure.indicator]()
        row = table[(table["geo"] == EU27) & (table["TIME_PERIOD"] == figure.year)]
        assert len(row) == 1
        assert figure.value == row["value"].iloc[0]
        assert figure.flags == row["OBS_FLAG"].iloc[0]  # "e" for refused entry 2023


def test_refused_entry_2023_carries_its_e_flag(obs) -> None:
    table = refused()
    row = table[(table["geo"] == EU27) & (table["TIME_PERIOD"] == "2023")].iloc[0]
    assert (row["value"], row["OBS_FLAG"]) == (123260, "e")
    series = ser.trend(obs, 11, sources.indicators())
    shown = series.data.set_index("year")
    assert (shown.loc["2023", "value"], shown.loc["2023", "flags"]) == (123260, "e")


def test_published_refused_entry_figures_are_reproduced(obs) -> None:
    table = refused()
    eu = table[table["geo"] == EU27].set_index("TIME_PERIOD")["value"]
    assert (eu["2019"], eu["2020"]) == (670795, 137840)
    series = ser.trend(obs, 11, sources.indicators()).data.set_index("year")["value"]
    assert (series["2019"], series["2020"]) == (670795, 137840)


@pytest.mark.parametrize("objective, indicator", [(11, "eurostat_refused_entry"),
                                                  (9, "eurostat_illegally_present")])
def test_eurostat_trends_are_the_eu27_rows(objective: int, indicator: str, obs) -> None:
    series = [s for s in (ser.trend(obs, objective, sources.indicators()),)
              if s is not None and s.indicator == indicator]
    if not series:
        pytest.skip(f"objective {objective}'s trend is not {indicator}")
    table = TABLES[indicator]()
    eu = table[table["geo"] == EU27].set_index("TIME_PERIOD")["value"].sort_index()
    data = series[0].data.set_index("year")["value"]
    assert data.to_dict() == eu.loc[data.index].to_dict()
    assert list(data.index) == sorted(eu.index)  # every year, and one composition only


@pytest.mark.parametrize("objective, indicator", [(11, "eurostat_refused_entry"),
                                                  (9, "eurostat_illegally_present")])
def test_eurostat_comparisons_are_each_states_own_total(objective: int, indicator: str,
                                                        obs) -> None:
    series = ser.comparison(obs, objective, sources.indicators())
    assert series is not None and series.indicator == indicator
    table = TABLES[indicator]()
    states = table[~table["geo"].str.startswith("European") & (table["TIME_PERIOD"] == series.year)]
    expected = states["value"].sort_values(ascending=False).head(len(series.data)).tolist()
    assert series.data["value"].tolist() == expected
    assert f"{len(states)} UNECE State(s) with data for {series.year}" in series.note


def test_the_ordered_to_leave_extract_makes_no_total(obs) -> None:
    raw = pd.read_csv(FOLDER / "migr_eiord_ordered_to_leave_by_citizenship_processed.csv")
    value = "Third Country Nationals Ordered to Leave"
    members_2023 = raw[raw["geo"].isin(MEMBERS) & (raw["year"] == 2023)][value].sum()
    france_2023 = raw[(raw["geo"] == "France") & (raw["year"] == 2023)][value].sum()
    assert (members_2023, france_2023) == (124510, 12965)  # Eurostat publishes 484,160
    for objective in (11, 21):
        figures = keyfigures.key_figures(obs, objective, sources.indicators())
        assert "eurostat_ordered_to_leave" not in {f.indicator for f in figures.figures}
        reasons = [m.reason for m in figures.missing if m.indicator == "eurostat_ordered_to_leave"]
        assert reasons and all("124,510" in r and "484,160" in r for r in reasons)
    comparison = ser.comparison(obs, 21, sources.indicators())
    assert comparison is None or comparison.indicator != "eurostat_ordered_to_leave"


def test_the_illegally_present_extract_is_not_eurostats_total(obs) -> None:
    raw = pd.read_csv(FOLDER / "migr_eipre_illegally_present_by_citizenship_processed.csv")
    value = "Illegal Third Country Nationals"
    members_2023 = raw[raw["geo"].isin(MEMBERS) & (raw["year"] == 2023)][value].sum()
    table = present()
    published = table[(table["geo"] == EU27) & (table["TIME_PERIOD"] == "2023")]["value"].iloc[0]
    assert (members_2023, published) == (1252975, 1265350)
    extract = obs[obs["file"].str.contains("by_citizenship_processed")
                  & (obs["indicator"] == "eurostat_illegally_present")]
    assert extract["total_check"].str.contains("1,252,975").all()
    # the comparison takes Eurostat's own totals only: no year the extract alone holds (2024)
    series = ser.comparison(obs, 9, sources.indicators())
    assert series.year == "2023"


@pytest.mark.parametrize("objective", [9, 11])
def test_eurostat_figures_for_the_review_period_and_their_context(objective: int, obs) -> None:
    figures = [f for f in keyfigures.key_figures(obs, objective, sources.indicators(),
                                                 period=(2019, 2020)).figures
               if f.indicator in TABLES]
    assert figures
    for figure in figures:
        table = TABLES[figure.indicator]()
        eu = table[table["geo"] == EU27].set_index("TIME_PERIOD")
        assert figure.year in ("2019", "2020")
        assert figure.value == eu.loc[figure.year, "value"]
        if figure.context_year:
            assert figure.context_value == eu.loc[figure.context_year, "value"]
            assert figure.context_flags == eu.loc[figure.context_year, "OBS_FLAG"]
