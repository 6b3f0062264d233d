"""UNODC GLOTIP country data (data_glotip.xlsx) in; detected victims, persons prosecuted,
convicted and in contact, and offences by country, year, sex, age and exploitation out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.catalogue.indicators import not_recorded_geo
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical
from gcmtools.sources.checks import flag_published_inconsistencies
from gcmtools.sources.vocab import age_columns, parse_values, per_distinct, sex_columns

LAYOUT = Layout(
    "GLOTIP country data",
    ("Iso3_code", "Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
     "txtVALUE"),
    "one row per value; txtVALUE is text ('<5' for values under 5); the header row is found "
    "by these columns (the 2024 edition has UNODC's two preamble rows above it)",
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
# A breakdown row whose Category UNODC leaves blank (e.g. some "by citizenship" rows) keeps
# its own dimension under this label: it is a part of another population, never the total.
BLANK_CATEGORY = "category not published"
KEY = ["indicator", "geo", "year", "sex", "age", "sex_detail", "exploitation",
       "citizenship", "repatriation"]


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read the GLOTIP sheet: one observation per published row, censored values kept."""
    # load: every cell as text, so "<5" and "1,282" arrive as published, from the header row
    header = files.header_row(path, LAYOUT.required)
    raw = canonical(files.read_table(path, dtype=str, header=header), LAYOUT.required)
    notes: list[str] = []
    # process: indicator, geo, sex/age, breakdown dimensions, values
    obs = pd.DataFrame(index=raw.index)
    labels = raw["Indicator"]
    obs["indicator"] = labels.map({s: INDICATORS.get(s, _slug(s)) for s in labels.unique()})
    unknown = sorted(set(raw["Indicator"].dropna().unique()) - set(INDICATORS))
    if unknown:
        notes.append(f"indicators not in the catalogue, named unodc_<label>: {unknown}")
    obs["geo"], obs["note"] = _geo(raw, notes)
    obs["year"] = per_distinct(raw["Year"].astype(str), _strip)
    obs["sex"], obs["sex_detail"] = sex_columns(raw["Sex"])
    obs["age"] = age_columns(raw["Age"])[0]
    age_unknown = per_distinct(raw["Age"], lambda a: a.str.strip().str.casefold() == "unknown")
    obs.loc[age_unknown, "sex_detail"] = "unknown"
    _breakdowns(raw, obs, notes)
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
        notes.append(f"{flagged} published part(s), or pairs of parts (female + male, "
                     "children + adults), larger than their total (e.g. adults above all "
                     "ages): kept as published, with a note")
    vintage = _vintage(path, raw, files.read_head(path, header) if header else [])
    return Parsed(obs=obs, vintage=vintage, notes=tuple(notes))


def _strip(text: pd.Series) -> pd.Series:
    return text.str.strip()


def _slug(label: object) -> str:
    return "unodc_" + re.sub(r"[^a-z0-9]+", "_", str(label).casefold()).strip("_")


def _geo(raw: pd.DataFrame, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """ISO3 from Iso3_code; UNODC regional rows (code, no country) as UNODC_<code>; else XXX."""
    code = per_distinct(raw["Iso3_code"].fillna(""), _strip)
    country = per_distinct(raw["Country"].fillna(""), _strip)
    iso3_like = per_distinct(code, lambda c: c.str.fullmatch(r"[A-Z]{3}"))
    is_iso3 = iso3_like & (country != "")
    regional = iso3_like & (country == "")
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


def _breakdowns(raw: pd.DataFrame, obs: pd.DataFrame, notes: list[str]) -> None:
    """Columns exploitation, citizenship, repatriation: "total" unless Dimension names them.

    A row is UNODC's published total only with Dimension "Total" (and Category, Sex and Age
    "Total"). A breakdown row keeps its Category in its own column, a blank Category as
    BLANK_CATEGORY, so no breakdown (nor a "by country of repatriation" row, which counts
    another population) can pass for a total.
    """
    dimension = per_distinct(raw["Dimension"].fillna(""), _strip)
    category = per_distinct(raw["Category"].fillna(""), _strip)
    known = dimension.isin(["Total", *DIMENSIONS])
    if (~known).any():
        rows = [str(i) for i in raw.index[~known][:5]]
        raise ValueError(f"column Dimension: unknown value(s) {sorted(set(dimension[~known]))} "
                         f"(data rows {', '.join(rows)}); known: Total, {', '.join(DIMENSIONS)}")
    for label, column in DIMENSIONS.items():
        mine = dimension == label
        obs[column] = category.where(~mine | (category != ""), BLANK_CATEGORY).where(mine, "total")
        blank = int((mine & (category == "")).sum())
        if blank:
            notes.append(f"{blank} '{label}' row(s) with a blank Category kept as "
                         f"{column} '{BLANK_CATEGORY}' (a breakdown, never the total)")


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


def _vintage(path: Path, raw: pd.DataFrame, preamble: list[list[str]]) -> str:
    """'GLOTIP <edition>' (SOURCE.txt, else the latest data year), with UNODC's release date
    when the preamble above the header carries it: 'GLOTIP 2024, released 14 April 2025'."""
    match = re.search(r"GLOTIP (\d{4}) edition", files.source_txt(path))
    years = pd.to_numeric(raw["Year"], errors="coerce")
    if match:
        vintage = f"GLOTIP {match.group(1)}"
    else:
        vintage = f"GLOTIP data to {int(years.max())}" if years.notna().any() else "GLOTIP"
    released = _release_date(preamble)
    return f"{vintage}, released {released}" if released else vintage


def _release_date(preamble: list[list[str]]) -> str:
    """The release date in UNODC's preamble rows (14/04/2025, day first), as '14 April 2025'."""
    for cell in (c for row in preamble for c in row if c):
        found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cell)
        if found:
            day, month, year = found.groups()
        else:  # a cell Excel stores as a date
            found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?", cell)
            if not found:
                continue
            year, month, day = found.groups()
        date = pd.Timestamp(int(year), int(month), int(day))
        return f"{date.day} {date.month_name()} {date.year}"
    return ""


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
