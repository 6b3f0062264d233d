"""IOM Missing Migrants Project incident exports (xlsx or csv, current and older layouts) in;
dead, missing (net of IOM's corrections), dead-or-missing and the corrections (people first
reported missing, later found dead) by year, region, route, country of incident and cause out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gcmtools.catalogue import resolve_countries
from gcmtools.catalogue.indicators import not_recorded_geo
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical
from gcmtools.sources.checks import INCONSISTENT_AS_PUBLISHED
from gcmtools.sources.vocab import format_numbers, per_distinct

# Older exports (to about 2021) name the same fields differently; read them under the
# current names.
OLD_NAMES = {
    "Web ID": "Main ID",
    "Reported Date": "Incident Date",
    "Reported Year": "Incident Year",
    "Number Dead": "Number of Dead",
    "Total Dead and Missing": "Total Number of Dead and Missing",
    "Location Coordinates": "Coordinates",
}
CURRENT = Layout(
    "MMP export (2022 onwards)",
    ("Main ID", "Region of Incident", "Incident Year", "Number of Dead",
     "Minimum Estimated Number of Missing", "Total Number of Dead and Missing"),
    "one row per incident, sheet 'Worksheet'; Country of Incident and Migration Route",
)
OLD = Layout(
    "MMP export (to 2021)",
    ("Web ID", "Region of Incident", "Reported Year", "Number Dead",
     "Minimum Estimated Number of Missing", "Total Dead and Missing"),
    "one row per incident; no country of incident (geo XXX)",
)
DIMENSIONS = {
    "Region of Incident": "region",
    "Migration Route": "route",
    "Cause of Death": "cause",
}
COUNTS = {
    "mmp_dead": "Number of Dead",
    "mmp_missing": "Minimum Estimated Number of Missing",
    "mmp_dead_missing": "Total Number of Dead and Missing",
}
# IOM's corrections: the negative entries of the missing column, as a positive count, so that
# missing as first reported (net missing + corrections) can be shown beside net missing.
FOUND_DEAD = "mmp_missing_found_dead"
PARTS = {  # breakdowns of the dead and missing: (sex, age) of the rows they become
    "Number of Females": ("female", "total"),
    "Number of Males": ("male", "total"),
    "Number of Children": ("total", "child"),
}
NOT_RECORDED = "not recorded"
SHOW_ROWS = 10  # rows named in the message of a file whose counts do not add up
# The note of a cell whose net missing is below zero. It ends with checks'
# INCONSISTENT_AS_PUBLISHED marker, so the negative-count check accepts the cell.
NET_CORRECTION = (
    "IOM's net figure: people first reported missing and later found dead are recorded by "
    "IOM as negative missing in a later part of the incident; here these corrections "
    "outnumber the missing, so the net figure is below zero (" + INCONSISTENT_AS_PUBLISHED + ")"
)


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one MMP export and aggregate its incidents (geo is ignored: the file has it)."""
    # load: one row per incident, under the current column names
    raw = files.read_table(path)
    raw = canonical(raw, list(OLD_NAMES) + list(OLD_NAMES.values()) + list(DIMENSIONS)
                    + list(PARTS) + ["Country of Incident"])
    raw = raw.rename(columns=OLD_NAMES)
    notes: list[str] = []
    incidents = _incidents(raw, notes)
    _check_counts(incidents, path)
    # process: sum incidents by cell; totals, then the recorded sex and age breakdowns
    keys = ["year", "geo", "region", "route", "cause"]
    obs = pd.concat([_totals(incidents, keys, notes), _breakdowns(incidents, keys, notes)],
                    ignore_index=True)
    obs["obs_status"] = "minimum_estimate"
    obs["unit"] = "persons"
    return Parsed(obs=obs, vintage=_vintage(raw), notes=tuple(notes))


def _incidents(raw: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """One row per incident with year, geo, dimensions and counts as numbers."""
    out = pd.DataFrame(index=raw.index)
    if "Incident Year" in raw.columns:
        year = pd.to_numeric(raw["Incident Year"], errors="coerce")
    else:
        year = pd.to_datetime(raw["Incident Date"], errors="coerce", format="mixed").dt.year
    out["year"] = year.astype("Int64").astype(str)
    for column, name in DIMENSIONS.items():
        values = raw[column] if column in raw.columns else pd.Series(pd.NA, index=raw.index)
        out[name] = values.astype("object").where(values.notna(), NOT_RECORDED).astype(str)
        out[name] = per_distinct(out[name], lambda t: t.str.strip()).replace("", NOT_RECORDED)
    out["geo"], out["note"] = _geo(raw, notes)
    for column in list(COUNTS.values()) + list(PARTS):
        values = raw[column] if column in raw.columns else pd.Series(float("nan"), index=raw.index)
        out[column] = pd.to_numeric(values, errors="coerce")
    for column in ("Number of Dead", "Minimum Estimated Number of Missing"):
        out[column] = out[column].fillna(0.0)
    unknown_year = out["year"].isin(["<NA>", "nan"])
    if unknown_year.any():
        notes.append(f"{int(unknown_year.sum())} incident(s) without a year left out")
        out = out[~unknown_year]
    return out


def _check_counts(incidents: pd.DataFrame, path: Path) -> None:
    """Raise ValueError naming every row whose dead plus missing is not IOM's total.

    IOM's total is the figure a brief shows; dead and missing (a blank one is 0) are its two
    parts in every row IOM publishes. A file where they disagree, or where the total is
    blank, is not read: which number is right cannot be told from the file.
    """
    total = incidents["Total Number of Dead and Missing"]
    parts = incidents["Number of Dead"] + incidents["Minimum Estimated Number of Missing"]
    bad = total.isna() | ((parts - total).abs() > 1e-9)
    if not bad.any():
        return
    lines = []
    for index in incidents.index[bad][:SHOW_ROWS]:
        shown = "blank" if pd.isna(total[index]) else f"{total[index]:g}"
        lines.append(f"row {index + 2}: Total Number of Dead and Missing {shown}, but "
                     f"Number of Dead {incidents.at[index, 'Number of Dead']:g} + Minimum "
                     "Estimated Number of Missing "
                     f"{incidents.at[index, 'Minimum Estimated Number of Missing']:g} = "
                     f"{parts[index]:g}")
    more = int(bad.sum()) - len(lines)
    raise ValueError(f"{Path(path).name}: {int(bad.sum())} incident(s) whose dead and missing "
                     "do not add up to IOM's total:\n  " + "\n  ".join(lines)
                     + (f"\n  ... and {more} more" if more > 0 else ""))


def _geo(raw: pd.DataFrame, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Country of incident as ISO3; XXX (with a note) where not recorded or not a country."""
    unknown = not_recorded_geo()
    if "Country of Incident" not in raw.columns:
        notes.append(f"this export has no Country of Incident: geo is {unknown} (not recorded)")
        return (pd.Series(unknown, index=raw.index),
                pd.Series("country of incident not recorded", index=raw.index))
    names = raw["Country of Incident"].astype("object").where(raw["Country of Incident"].notna())
    codes = resolve_countries(names.dropna())
    lookup = codes.to_dict()  # Series.get per row was most of the time
    geo = names.map(lambda n: lookup.get(n) if isinstance(n, str) else None)
    note = pd.Series("", index=raw.index)
    note[names.isna()] = "country of incident not recorded"
    unresolved = names.notna() & geo.isna()
    note[unresolved] = "country of incident as published: " + names[unresolved].astype(str)
    if unresolved.any():
        notes.append(f"country of incident not resolved for {int(unresolved.sum())} incident(s):"
                     f" {sorted(names[unresolved].unique())[:5]} (geo {unknown})")
    return geo.fillna(unknown).astype(str), note


def _totals(incidents: pd.DataFrame, keys: list[str], notes: list[str]) -> pd.DataFrame:
    """Dead, missing and dead-or-missing by cell: IOM's own sums, so dead + missing = total.

    IOM records people first reported missing and later found dead as negative missing in
    a later part of a split incident. Missing is kept net of those corrections in every
    cell, as IOM publishes it, so that it never disagrees with IOM's total; the few cells
    where the corrections outnumber the missing are below zero and say so in their note.
    """
    sums = incidents.groupby(keys + ["note"], sort=True)[list(COUNTS.values())].sum()
    pieces = []
    for indicator, column in COUNTS.items():
        cell = sums[column].reset_index().rename(columns={column: "value"})
        cell["indicator"] = indicator
        cell["value_text"] = format_numbers(cell["value"])
        negative = cell["value"] < 0
        if negative.any():
            prefix = cell.loc[negative, "note"].map(lambda n: f"{n}; " if n else "")
            cell.loc[negative, "note"] = prefix + NET_CORRECTION
            notes.append(f"{indicator}: {int(negative.sum())} cell(s) below zero where IOM's "
                         "corrections (people first reported missing, later found dead) "
                         "outnumber the missing; kept as published, net")
        pieces.append(cell)
    pieces.append(_corrections(incidents, keys))
    return pd.concat(pieces, ignore_index=True)


def _corrections(incidents: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """People first reported missing and later found dead, by cell (cells with any only)."""
    found = (-incidents["Minimum Estimated Number of Missing"]).clip(lower=0)
    cell = found.groupby([incidents[k] for k in keys + ["note"]], sort=True).sum()
    cell = cell[cell > 0].rename("value").reset_index()
    cell["indicator"] = FOUND_DEAD
    cell["value_text"] = format_numbers(cell["value"])
    return cell


def _breakdowns(incidents: pd.DataFrame, keys: list[str], notes: list[str]) -> pd.DataFrame:
    """Female, male and child dead-or-missing, from incidents whose breakdown fits their total."""
    total = incidents["Total Number of Dead and Missing"]
    sexes = incidents[["Number of Females", "Number of Males"]].sum(axis=1, min_count=1)
    fits = ~((sexes > total) | (incidents["Number of Children"] > total))
    if (~fits).any():
        notes.append(
            f"{int((~fits).sum())} incident(s) record more females, males or children than "
            "dead and missing (survivors counted?): their breakdowns are left out of the "
            "female, male and child rows; their totals are kept"
        )
    usable = incidents[fits]
    pieces = []
    for column, (sex, age) in PARTS.items():
        cell = usable.groupby(keys + ["note"], sort=True)[column].sum(min_count=1)
        cell = cell.dropna().reset_index().rename(columns={column: "value"})
        cell = cell.assign(indicator="mmp_dead_missing", sex=sex, age=age)
        cell["value_text"] = format_numbers(cell["value"])
        pieces.append(cell)
    return pd.concat(pieces, ignore_index=True)


def _vintage(raw: pd.DataFrame) -> str:
    """'MMP export <date of the latest incident>'."""
    latest = pd.NaT
    if "Incident Date" in raw.columns:
        latest = pd.to_datetime(raw["Incident Date"], errors="coerce", format="mixed").max()
    if pd.isna(latest):
        years = pd.to_numeric(raw.get("Incident Year"), errors="coerce")
        return f"MMP export, incidents to {int(years.max())}" if years.notna().any() else "MMP export"
    return f"MMP export {latest.date().isoformat()}"


ADAPTER = Adapter(
    name="mmp",
    publisher="International Organization for Migration (IOM), Missing Migrants Project",
    dataset="Missing Migrants Project incident data (global)",
    source="IOM Missing Migrants Project",
    licence="IOM Missing Migrants Project terms of use: free to use with attribution to IOM MMP "
            "(not a formal open licence)",
    layouts=(CURRENT, OLD),
    indicators=(*COUNTS, FOUND_DEAD),
    parse=parse,
)
