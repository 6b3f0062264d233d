"""The UN SDG Global Database as an Open SDG platform lays it out (Year, SeriesCode,
GeoAreaName, the global database's disaggregation codes, Value) in; one row per country, year
and breakdown out, the country resolved through the catalogue.

The layout is the Open SDG one with a country column: GeoAreaName holds the global database's
names ("Netherlands (Kingdom of the)", "Türkiye"), resolved exactly (never guessed: a name that
does not resolve is kept in `note`, geo XXX). The codes are the global database's: Age
ALLAGE (the total), <18Y, 18+, <5Y, M12T23, ...; Sex BOTHSEX (the total), FEMALE, MALE, _U
(unknown), _O (other); Policy Domains ALLDOMAINS (the total), DOMAIN1 to DOMAIN6. Each series
is one indicator of the catalogue (SERIES below).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gcmtools.catalogue import resolve_country
from gcmtools.catalogue.indicators import not_recorded_geo
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical
from gcmtools.sources.checks import flag_published_inconsistencies
from gcmtools.sources.vocab import age_columns, parse_values, sex_columns

LAYOUT = Layout(
    "SDG Global Database series (Open SDG layout)",
    ("Year", "SeriesCode", "GeoAreaName", "Value"),
    "global database series code, country name, disaggregation codes (Age, Sex, Policy Domains)",
)

#: global database series code -> (indicator of the catalogue, unit of its values)
SERIES: dict[str, tuple[str, str]] = {
    "SG_CPA_MIGRS": ("sdg_gdb_10_7_2", "level (1 to 4)"),
    "SM_DTH_MIGR": ("sdg_gdb_10_7_3", "persons"),
    "SM_POP_REFG_OR": ("sdg_gdb_10_7_4", "per 100,000 population"),
    "VC_HTF_DETV": ("sdg_gdb_16_2_2", "persons"),
    "VC_HTF_DETVR": ("sdg_gdb_16_2_2_rate", "per 100,000 population"),
    "VC_HTF_DETVFL": ("sdg_gdb_16_2_2_forced_labour", "persons"),
    "VC_HTF_DETVFLR": ("sdg_gdb_16_2_2_forced_labour_rate", "per 100,000 population"),
    "VC_HTF_DETVSX": ("sdg_gdb_16_2_2_sexual", "persons"),
    "VC_HTF_DETVSXR": ("sdg_gdb_16_2_2_sexual_rate", "per 100,000 population"),
    "VC_HTF_DETVOP": ("sdg_gdb_16_2_2_other", "persons"),
    "VC_HTF_DETVOPR": ("sdg_gdb_16_2_2_other_rate", "per 100,000 population"),
    "VC_HTF_DETVOG": ("sdg_gdb_16_2_2_organ", "persons"),
    "VC_HTF_DETVOGR": ("sdg_gdb_16_2_2_organ_rate", "per 100,000 population"),
    "SG_REG_BRTH": ("sdg_gdb_16_9_1", "percent"),
}
#: the global database's total of a dimension column (besides Age and Sex: spellings)
TOTALS = {"Policy Domains": "ALLDOMAINS"}


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one series file of the global database; `geo` is not used (GeoAreaName names it)."""
    # load: every cell as text
    raw = canonical(files.read_table(path, dtype=str, keep_default_na=False),
                    LAYOUT.required + ("Age", "Sex", *TOTALS))
    notes: list[str] = []
    # process: series, values, country, then the breakdowns
    codes = raw["SeriesCode"].str.strip()
    unknown = sorted(set(codes) - set(SERIES))
    if unknown:
        line = int(codes[codes == unknown[0]].index[0]) + 2
        raise ValueError(f"{path.name}: line {line}, column SeriesCode: {unknown[0]!r} is not a "
                         f"series the workbook knows ({', '.join(SERIES)}); add it to SERIES in "
                         "gcmtools/sources/sdg_global.py and to gcmtools/reference/indicators.yaml")
    values = parse_values(raw["Value"])
    dropped = ~values["status"].isin(["ok", "censored"])
    if dropped.any():
        notes.append(f"{path.name}: {int(dropped.sum())} row(s) without a value left out")
    raw, values, codes = raw[~dropped], values[~dropped], codes[~dropped]
    obs = pd.DataFrame({"indicator": codes.map(lambda c: SERIES[c][0]),
                        "unit": codes.map(lambda c: SERIES[c][1]),
                        "series_code": codes, "year": raw["Year"].str.strip(),
                        "value": values["value"], "value_text": values["value_text"]},
                       index=raw.index)
    obs["obs_status"] = values["status"].map({"censored": "censored"}).fillna("final")
    obs["geo"], obs["note"], unresolved = _geo(raw["GeoAreaName"])
    if unresolved:
        notes.append(f"{path.name}: GeoAreaName not resolved (geo {not_recorded_geo()}): {unresolved}")
    obs["sex"] = obs["age"] = "total"  # a series without the column is at its total
    if "Sex" in raw.columns:
        obs["sex"], detail = sex_columns(raw["Sex"].str.strip())
        if (detail != "total").any():
            obs["sex_detail"] = detail
    if "Age" in raw.columns:
        obs["age"], obs["age_group"] = age_columns(raw["Age"].str.strip())
    for column, total in TOTALS.items():
        if column in raw.columns:
            cells = raw[column].str.strip()
            obs[column.casefold().replace(" ", "_")] = cells.where(cells != total, "total")
    obs = _read_repeats_once(obs, path, notes).reset_index(drop=True)
    flagged = flag_published_inconsistencies(obs, "the SDG Global Database")
    if flagged:
        notes.append(f"{path.name}: {flagged} published part(s), or pairs of parts (female + male, "
                     "children + adults), larger than their total: kept as published, with a note")
    return Parsed(obs=obs, vintage=_vintage(path), notes=tuple(notes))


def _read_repeats_once(obs: pd.DataFrame, path: Path, notes: list[str]) -> pd.DataFrame:
    """A row the file repeats exactly (same key, same value) read once, with a note; rows of
    one key with different values are left for the sanity check to refuse."""
    repeated = obs.astype(str).duplicated(keep="first")
    if repeated.any():
        lines = ", ".join(str(int(i) + 2) for i in obs.index[repeated.to_numpy()])
        notes.append(f"{path.name}: line(s) {lines} repeat an earlier row exactly (same key "
                     "and value): read once")
    return obs[~repeated.to_numpy()]


def _geo(names: pd.Series) -> tuple[pd.Series, pd.Series, list[str]]:
    """ISO3 per row (each distinct name resolved once, exactly), the note of an unresolved
    name, and the unresolved names."""
    text = names.str.strip()
    codes = {n: resolve_country(n, fuzzy=False) for n in text.unique()}
    unresolved = sorted(n for n, c in codes.items() if not c)
    geo = text.map(lambda n: codes[n] or not_recorded_geo())
    note = text.map(lambda n: "" if codes[n] else f"GeoAreaName {n!r} not resolved")
    return geo, note, unresolved


def _vintage(path: Path) -> str:
    text = files.source_txt(path)
    commit = files.source_field(text, "Commit")
    extract = "SDG Global Database, extract of March 2024" if "March 2024" in text \
        else "SDG Global Database extract (date not given)"
    return f"{extract} (Open SDG repository commit {commit[:7]})" if commit else extract


ADAPTER = Adapter(
    name="sdg_global",
    publisher="United Nations Statistics Division (UNSD), SDG Global Database",
    dataset="SDG Global Database: indicators 10.7.2, 10.7.3, 10.7.4, 16.2.2 and 16.9.1 "
            "(Open SDG layout of the Central Asia SDG platform)",
    source="UN SDG Global Database",
    licence="UN SDG Global Database terms of use (attribution to UNSD and the custodian "
            "agency); platform repository under the MIT licence",
    layouts=(LAYOUT,),
    indicators=tuple(dict.fromkeys(i for i, _ in SERIES.values())),
    parse=parse,
)
