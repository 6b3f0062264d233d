"""UNODC GLOTIP country data (data_glotip.xlsx) in; detected victims, persons prosecuted,
convicted and in contact, and offences by country, year, sex, age and exploitation out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical
from gcmtools.sources.checks import flag_published_inconsistencies
from gcmtools.sources.reference import not_recorded_geo
from gcmtools.sources.vocab import age_columns, parse_values, sex_columns

LAYOUT = Layout(
    "GLOTIP country data",
    ("Iso3_code", "Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
     "txtVALUE"),
    "one row per value; txtVALUE is text ('<5' for values under 5)",
)
INDICATORS = {
    "Detected trafficking victims": "unodc_detected_victims",
    "Persons prosecuted": "unodc_persons_prosecuted",
    "Persons convicted": "unodc_persons_convicted",
    "Persons brought into formal contact": "unodc_persons_in_contact",
    "Offences of trafficking in persons": "unodc_offences",
}
UNITS = {"unodc_offences": "offences"}
# GLOTIP's Dimension column says which breakdown Category holds.
DIMENSIONS = {
    "by form of exploitation": "exploitation",
    "by citizenship": "citizenship",
    "by country of repatriation": "repatriation",
}
KEY = ["indicator", "geo", "year", "sex", "age", "sex_detail", "exploitation",
       "citizenship", "repatriation"]


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read the GLOTIP sheet: one observation per published row, censored values kept."""
    # load: every cell as text, so "<5" and "1,282" arrive as published
    raw = canonical(files.read_table(path, dtype=str), LAYOUT.required)
    notes: list[str] = []
    # process: indicator, geo, sex/age, breakdown dimensions, values
    obs = pd.DataFrame(index=raw.index)
    obs["indicator"] = raw["Indicator"].map(lambda s: INDICATORS.get(s, _slug(s)))
    unknown = sorted(set(raw["Indicator"].dropna()) - set(INDICATORS))
    if unknown:
        notes.append(f"indicators not in the catalogue, named unodc_<label>: {unknown}")
    obs["geo"], obs["note"] = _geo(raw, notes)
    obs["year"] = raw["Year"].astype(str).str.strip()
    obs["sex"], obs["sex_detail"] = sex_columns(raw["Sex"])
    obs["age"] = age_columns(raw["Age"])[0]
    age_unknown = raw["Age"].str.strip().str.casefold() == "unknown"
    obs.loc[age_unknown, "sex_detail"] = "unknown"
    dimension = raw["Dimension"].str.strip()
    for label, column in DIMENSIONS.items():
        obs[column] = raw["Category"].where(dimension == label, "total").str.strip()
    obs["unit"] = obs["indicator"].map(UNITS).fillna("persons")
    values = parse_values(raw["txtVALUE"])
    obs["value"], obs["value_text"] = values["value"], values["value_text"]
    obs["obs_status"] = values["status"].map({"censored": "censored"}).fillna("final")
    _drop_unusable(obs, values["status"], notes)
    obs = obs[values["status"].isin(["ok", "censored"])]
    _mark_repeats(obs, notes)
    obs = obs.reset_index(drop=True)
    flagged = flag_published_inconsistencies(obs, "UNODC")
    if flagged:
        notes.append(f"{flagged} published part(s) larger than their total (e.g. adults above "
                     "all ages): kept as published, with a note")
    vintage = _vintage(path, raw)
    return Parsed(obs=obs, vintage=vintage, notes=tuple(notes))


def _slug(label: object) -> str:
    return "unodc_" + re.sub(r"[^a-z0-9]+", "_", str(label).casefold()).strip("_")


def _geo(raw: pd.DataFrame, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """ISO3 from Iso3_code; UNODC regional rows (code, no country) as UNODC_<code>; else XXX."""
    code = raw["Iso3_code"].fillna("").str.strip()
    country = raw["Country"].fillna("").str.strip()
    is_iso3 = code.str.fullmatch(r"[A-Z]{3}") & (country != "")
    regional = code.str.fullmatch(r"[A-Z]{3}") & (country == "")
    geo = code.where(is_iso3, "UNODC_" + code).where(is_iso3 | regional, not_recorded_geo())
    note = pd.Series("", index=raw.index)
    note[regional] = "UNODC regional aggregate " + code[regional] + " (not a country)"
    other = ~(is_iso3 | regional)
    note[other] = "country as published: " + (country[other].where(country[other] != "",
                                                                   code[other]))
    if other.any():
        notes.append(f"{int(other.sum())} row(s) without a usable ISO3 code "
                     f"{sorted(set(note[other]))} (geo {not_recorded_geo()})")
    if regional.any():
        notes.append(f"UNODC regional aggregates kept as UNODC_<code>: "
                     f"{sorted(set(code[regional]))}")
    return geo, note


def _drop_unusable(obs: pd.DataFrame, status: pd.Series, notes: list[str]) -> None:
    for kind in ("missing", "unparsed"):
        count = int((status == kind).sum())
        if count:
            shown = sorted(set(obs.loc[status == kind, "value_text"]))[:5]
            notes.append(f"{count} row(s) with a {kind} value left out: {shown}")


def _mark_repeats(obs: pd.DataFrame, notes: list[str]) -> None:
    """Number the rows of keys the file publishes more than once (column `repeat`)."""
    seen = obs[KEY].astype(str)
    repeated = seen.duplicated(keep=False)
    obs["repeat"] = ""
    if repeated.any():
        order = seen[repeated].groupby(KEY, sort=False).cumcount() + 1
        obs.loc[repeated, "repeat"] = order.astype(str)
        count = seen[repeated].groupby(KEY, sort=False).ngroups
        obs.loc[repeated, "note"] = obs.loc[repeated, "note"].map(
            lambda n: (n + "; " if n else "")
            + "UNODC publishes this key more than once (sub-series not labelled); not summed")
        notes.append(f"{count} key(s) published more than once ({int(repeated.sum())} rows, "
                     "mostly 'Other forms of exploitation'): kept apart in column repeat")


def _vintage(path: Path, raw: pd.DataFrame) -> str:
    """'GLOTIP <edition>' from SOURCE.txt, else the latest data year."""
    match = re.search(r"GLOTIP (\d{4}) edition", files.source_txt(path))
    if match:
        return f"GLOTIP {match.group(1)}"
    years = pd.to_numeric(raw["Year"], errors="coerce")
    return f"GLOTIP data to {int(years.max())}" if years.notna().any() else "GLOTIP"


ADAPTER = Adapter(
    name="glotip",
    publisher="United Nations Office on Drugs and Crime (UNODC)",
    dataset="Global Report on Trafficking in Persons (GLOTIP), country data",
    source="UNODC GLOTIP",
    licence="UNODC data portal terms of use: free use with attribution to UNODC "
            "(not a formal open licence)",
    layouts=(LAYOUT,),
    indicators=tuple(INDICATORS.values()),
    parse=parse,
)
