"""UK Home Office immigration tables (R package asylum, csv or csv.gz) in; detention stocks and
flows (children apart), returns, irregular arrivals and NRM referrals by calendar year out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical, counts, margins
from gcmtools.sources.vocab import map_age, map_sex, per_distinct

GEO = "GBR"


@dataclass(frozen=True)
class Table:
    """One Home Office table: its layout, what it counts, and its breakdowns."""

    layout: Layout
    indicator: str
    value: str
    kind: str  # "flow": quarters summed to complete years; "stock": last quarter of the year
    sex: str | None = "Sex"
    age: str | None = "Age"
    dimensions: tuple[tuple[str, str], ...] = ()  # (published column, dimension name)


def _layout(name: str, *required: str) -> Layout:
    return Layout(name, ("Year", "Quarter") + required, "quarterly, one row per cell")


TABLES = (
    Table(_layout("people in detention (stock)", "Nationality", "Sex", "Age",
                  "Current place of detention", "Length of detention", "People"),
          "uk_detention_stock", "People", "stock"),
    Table(_layout("people entering detention", "Nationality", "Sex", "Age",
                  "First place of detention", "Entering"),
          "uk_detention_entries", "Entering", "flow"),
    Table(_layout("people leaving detention", "Nationality", "Sex", "Age",
                  "Reason for leaving detention", "Length of detention", "Leaving"),
          "uk_detention_leavers", "Leaving", "flow",
          dimensions=(("Reason for leaving detention", "leaving_reason"),)),
    Table(_layout("returns", "Nationality", "Return type group", "Return type", "Age", "Sex",
                  "Number of returns"),
          "uk_returns", "Number of returns", "flow",
          dimensions=(("Return type group", "return_type"),)),
    Table(_layout("returns by destination", "Return type group", "Return type",
                  "Return destination", "Number of returns"),
          "uk_returns_by_destination", "Number of returns", "flow", sex=None, age=None,
          dimensions=(("Return destination", "destination"),
                      ("Return type group", "return_type"))),
    Table(_layout("irregular migration detections", "Method of entry", "Nationality", "Sex",
                  "Age Group", "Number of detections"),
          "uk_irregular_arrivals", "Number of detections", "flow", age="Age Group",
          dimensions=(("Method of entry", "method"),)),
    Table(_layout("NRM referrals (longitudinal)", "Age at exploitation",
                  "Location of exploitation", "NRM referrals"),
          "uk_nrm_referrals", "NRM referrals", "flow", sex=None, age="Age at exploitation",
          dimensions=(("Location of exploitation", "exploitation_location"),)),
    Table(_layout("small-boat arrivals and NRM referrals", "NRM referral", "Nationality", "Sex",
                  "Age Group", "Referrals"),
          "uk_small_boat_arrivals_nrm", "Referrals", "flow", age="Age Group",
          dimensions=(("NRM referral", "nrm_referral"),)),
)
DEATHS = Layout(
    "deaths, escapes and absconds (annual)",
    ("Year", "Deaths of persons detained under Immigration Powers",
     "Of which occurred in the detention estate", "Escapes from detention centres",
     "Absconds from escort"),
    "annual, from 2017",
)
BY_LAYOUT = {t.layout.name: t for t in TABLES}


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one Home Office table and turn quarters into calendar years."""
    # load
    raw = canonical(files.read_table(path), layout.required)
    notes: list[str] = []
    # process
    if layout.name == DEATHS.name:
        obs = _deaths(raw)
    else:
        table = BY_LAYOUT[layout.name]
        raw[table.value] = counts(raw[table.value], path, table.value)
        obs = _quarterly(raw, table, notes)
    obs["geo"] = GEO
    obs["unit"] = "persons"
    return Parsed(obs=obs, vintage=_vintage(path, raw), notes=tuple(notes))


def _quarterly(raw: pd.DataFrame, table: Table, notes: list[str]) -> pd.DataFrame:
    """Calendar-year rows: totals, then sex, age and each dimension on their own."""
    frame = pd.DataFrame({
        "year": pd.to_numeric(raw["Year"], errors="coerce").astype("Int64"),
        "quarter": per_distinct(raw["Quarter"].astype(str),
                                lambda q: q.str.extract(r"(\d)", expand=False)).astype("Int64"),
        "value": raw[table.value].fillna(0.0),
    })
    frame["sex"] = _map_unique(raw[table.sex], _sex_part) if table.sex else None
    frame["age"] = _map_unique(raw[table.age], _age_part) if table.age else None
    for column, name in table.dimensions:
        frame[name] = per_distinct(raw[column].astype(str), lambda t: t.str.strip())
    for _column, name in table.dimensions:  # a published total row would double the sum
        published = per_distinct(frame[name], lambda t: t.str.casefold() == "total")
        if published.any():
            _check_published_total(frame, name, published, table)
        frame = frame[~published]
    # flows: whole years only; stocks: the last published quarter of each year
    quarters = frame.groupby("year")["quarter"].agg(["nunique", "max"])
    if table.kind == "flow":
        partial = quarters[quarters["nunique"] < 4]
        for year, row in partial.iterrows():
            notes.append(f"{table.indicator}: {year} left out, only {row['nunique']} of 4 "
                         "quarters published")
        frame = frame[~frame["year"].isin(partial.index)]
        stock_note = {}
    else:
        last = frame["year"].map(quarters["max"])
        frame = frame[frame["quarter"] == last]
        stock_note = {int(y): f"stock at the end of Q{int(q)} (Q4 not published)"
                      for y, q in quarters["max"].items() if q < 4}
    breakdowns = [b for b in ("sex", "age") if getattr(table, b)]
    breakdowns += [name for _, name in table.dimensions]
    obs = margins(frame, ["year"], "value", breakdowns, complete=True)  # zero cells left out
    obs["indicator"] = table.indicator
    obs["note"] = obs["year"].map(lambda y: stock_note.get(int(y), ""))
    obs["year"] = obs["year"].astype(int).astype(str)
    return obs


def _check_published_total(frame: pd.DataFrame, name: str, published: pd.Series,
                           table: Table) -> None:
    """ValueError unless the Home Office's own total rows equal the sum of their parts.

    The tables are complete cross-tabulations (no cell suppressed), so the year's total is
    the sum of its cells; where a table also publishes a total (NRM referrals by location of
    exploitation), the two must agree, or the file is not what it says.
    """
    totals = frame[published].groupby("year")["value"].sum()
    parts = frame[~published].groupby("year")["value"].sum().reindex(totals.index, fill_value=0)
    wrong = totals[(totals - parts).abs() > 0.5]
    if len(wrong):
        year = wrong.index[0]
        raise ValueError(f"{table.indicator}: the published total for {year} "
                         f"({totals[year]:,.0f}) is not the sum of its {name} parts "
                         f"({parts[year]:,.0f})")


def _map_unique(values: pd.Series, function: object) -> pd.Series:
    """function applied once per distinct value (the tables have few, repeated often)."""
    lookup = {v: function(v) for v in values.unique()}
    return values.map(lookup)


def _sex_part(label: object) -> str | None:
    """female or male; None for unknown or unrecorded sex (counted in totals only)."""
    try:
        sex, detail = map_sex(label)
    except ValueError:
        return None
    return sex if sex != "total" and detail == "total" else None


def _age_part(label: object) -> str | None:
    """child (17 and under) or adult; None for unknown ages (counted in totals only)."""
    try:
        age, _group = map_age(label)
    except ValueError:
        return None
    return age if age in ("child", "adult") else None


def _deaths(raw: pd.DataFrame) -> pd.DataFrame:
    """Deaths in detention (and the part in the detention estate); escapes and absconds."""
    year = pd.to_numeric(raw["Year"], errors="coerce").astype(int).astype(str)

    def rows(indicator: str, dimension: str, parts: dict[str, str]) -> pd.DataFrame:
        pieces = [pd.DataFrame({"year": year, "indicator": indicator, dimension: label,
                                "value": pd.to_numeric(raw[column], errors="coerce")})
                  for label, column in parts.items()]
        return pd.concat(pieces, ignore_index=True)

    deaths = rows("uk_detention_deaths", "place", {
        "total": "Deaths of persons detained under Immigration Powers",
        "detention estate": "Of which occurred in the detention estate",
    })
    escapes = rows("uk_detention_escapes", "escape_type", {
        "escape from a detention centre": "Escapes from detention centres",
        "abscond from escort": "Absconds from escort",
    })
    total = escapes.groupby("year", as_index=False)["value"].sum()
    total = total.assign(indicator="uk_detention_escapes", escape_type="total")
    return pd.concat([deaths, escapes, total], ignore_index=True)


def _vintage(path: Path, raw: pd.DataFrame) -> str:
    """The asylum R package version and commit from SOURCE.txt, else the last period."""
    text = files.source_txt(path)
    version = re.search(r"'asylum' v([\d.]+)", text)
    commit = files.source_field(text, "Commit")
    if version:
        suffix = f" (commit {commit[:7]})" if commit else ""
        return f"Home Office statistics in R package asylum {version.group(1)}{suffix}"
    last = raw["Date"].max() if "Date" in raw.columns else raw["Year"].max()
    return f"Home Office tables, data to {last}"


ADAPTER = Adapter(
    name="uk_home_office",
    publisher="UK Home Office",
    dataset="Immigration System Statistics: detention, returns, irregular migration, "
            "National Referral Mechanism",
    source="UK Home Office Immigration System Statistics",
    licence="Open Government Licence v3.0 (Crown copyright)",
    layouts=tuple(t.layout for t in TABLES) + (DEATHS,),
    indicators=tuple(t.indicator for t in TABLES) + ("uk_detention_deaths",
                                                     "uk_detention_escapes"),
    parse=parse,
)
