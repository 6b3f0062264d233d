"""UNHCR Refugee Data Finder tables (refugees R package: population, solutions, asylum
applications; csv or csv.gz) in; stateless, returns, asylum and refugee counts for UNECE States out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import unece_iso3
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical, counts

POPULATION = Layout(
    "population (end-year stocks)",
    ("year", "coo_iso", "coa_iso", "refugees", "asylum_seekers", "stateless"),
    "population.csv: one row per origin x asylum country x year",
)
SOLUTIONS = Layout(
    "solutions (returns, resettlement, naturalisation)",
    ("year", "coo_iso", "coa_iso", "returned_refugees", "resettlement", "naturalisation"),
    "solutions.csv",
)
APPLICATIONS = Layout(
    "asylum applications",
    ("year", "coo_iso", "coa_iso", "procedure_type", "app_type", "dec_level", "app_pc", "applied"),
    "asylum_applications.csv: persons (app_pc P) or cases (C)",
)
# column -> (indicator, the country the figure is about: coa = asylum, coo = origin)
MEASURES = {
    POPULATION.name: {
        "stateless": ("unhcr_stateless", "coa_iso"),
        "refugees": ("unhcr_refugees", "coa_iso"),
        "asylum_seekers": ("unhcr_asylum_seekers", "coa_iso"),
    },
    SOLUTIONS.name: {
        "returned_refugees": ("unhcr_returned_refugees", "coo_iso"),
        "resettlement": ("unhcr_resettlement", "coa_iso"),
        "naturalisation": ("unhcr_naturalisation", "coa_iso"),
    },
    APPLICATIONS.name: {"applied": ("unhcr_asylum_applications", "coa_iso")},
}
APPLICATION_DIMENSIONS = {"procedure_type": "procedure_type", "app_type": "application_type",
                          "dec_level": "decision_level"}
APPLICATION_UNITS = {"P": "persons", "C": "cases"}


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Sum one UNHCR table over the other country, for UNECE States only."""
    # load
    raw = canonical(files.read_table(path), layout.required)
    raw["year"] = pd.to_numeric(raw["year"], errors="coerce").astype("Int64")  # loads as float
    notes: list[str] = []
    # process: one block of rows per measured column
    pieces = []
    extra = list(APPLICATION_DIMENSIONS) + ["app_pc"] if layout.name == APPLICATIONS.name else []
    for column, (indicator, country) in MEASURES[layout.name].items():
        raw[column] = counts(raw[column], path, column)
        rows = raw[raw[country].isin(unece_iso3()) & raw[column].notna() & raw["year"].notna()]
        rows = rows.fillna({c: "" for c in extra})
        summed = rows.groupby([country, "year"] + extra, sort=True)[column].sum().reset_index()
        summed = summed.rename(columns={country: "geo", column: "value"})
        summed["indicator"] = indicator
        pieces.append(summed)
    obs = pd.concat(pieces, ignore_index=True)
    obs["year"] = obs["year"].astype(int).astype(str)
    obs = _release_year(obs, layout, _released(path), notes)
    if layout.name == APPLICATIONS.name:
        obs["unit"] = obs.pop("app_pc").map(APPLICATION_UNITS).fillna("as published")
        obs = obs.rename(columns=APPLICATION_DIMENSIONS)
    else:
        obs["unit"] = "persons"
    kept = len(set(obs["geo"].unique()))
    notes.append(f"{Path(path).name}: {kept} UNECE State(s) with data; other countries left out")
    return Parsed(obs=obs, vintage=_vintage(path, raw), notes=tuple(notes))


def _released(path: Path) -> tuple[int, int] | None:
    """(year, month) of the release, from the package version in SOURCE.txt (v2025.12.1)."""
    match = re.search(r"'refugees' v(\d{4})\.(\d{1,2})\b", files.source_txt(path))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _release_year(obs: pd.DataFrame, layout: Layout, released: tuple[int, int] | None,
                  notes: list[str]) -> pd.DataFrame:
    """Rows of the release's own year (or later) as what they are, or left out.

    UNHCR's population table gives end-of-year stocks; a release made during a year cannot
    hold that year's end-of-year stock: UNHCR's figures for it are mid-year figures (end of
    June), so the year is written "mid-2025". Flows (returns, resettlement, applications) of
    that year are not a complete year and are left out.
    """
    if released is None or obs.empty:
        return obs
    year, month = released
    current = obs["year"].astype(int) >= year
    if not current.any():
        return obs
    when = f"a release of {MONTHS[month - 1]} {year}" if 1 <= month <= 12 else f"a {year} release"
    years = sorted(set(obs.loc[current, "year"].unique()))
    if layout.name == POPULATION.name:
        obs = obs.copy()
        obs.loc[current, "year"] = "mid-" + obs.loc[current, "year"]
        notes.append(f"{', '.join(years)}: UNHCR's mid-year figures (stock at the end of June), "
                     f"labelled mid-{years[-1]}: {when} cannot hold an end-of-year stock")
        return obs
    notes.append(f"{', '.join(years)} left out: {when} cannot hold a complete year's figures")
    return obs[~current].reset_index(drop=True)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _vintage(path: Path, raw: pd.DataFrame) -> str:
    """The refugees R package version from SOURCE.txt, else the latest data year."""
    match = re.search(r"'refugees' v([\d.]+)", files.source_txt(path))
    if match:
        return f"UNHCR refugees R package {match.group(1)}"
    return f"UNHCR data to {int(raw['year'].max())}"


ADAPTER = Adapter(
    name="unhcr",
    publisher="Office of the United Nations High Commissioner for Refugees (UNHCR)",
    dataset="UNHCR Refugee Population Statistics Database (Refugee Data Finder)",
    source="UNHCR Refugee Data Finder",
    licence="CC BY 4.0 (UNHCR Refugee Data Finder)",
    layouts=(POPULATION, SOLUTIONS, APPLICATIONS),
    indicators=tuple(ind for m in MEASURES.values() for ind, _ in m.values()),
    parse=parse,
)
