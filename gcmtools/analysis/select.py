"""Observations in; the rows behind a number out, and the checks that they are what it claims.

`select` chooses the rows of one indicator that a figure, trend or comparison adds up: each
place's published total, never its parts; `yearly` adds them up per year. Before a number is
shown, check_aggregate(s) raise BriefSanityError unless it is the sum of the published totals
it claims to add up. Totals against parts (gcmtools.sources.checks.totals_below_parts, the
rule and its tolerance) are compared on the rows behind a figure: where the custodian's own
parts add up to more than its published total, the total is kept and `parts_note` says so.
"""

from __future__ import annotations

import re

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure
from gcmtools.catalogue.indicators import additive_units
from gcmtools.html import fmt_number
from gcmtools.sources.checks import PAIRS, REPEAT, TOLERANCE, totals_below_parts

CORE = disclosure.CORE  # the columns that are not dimensions (contract, value_text, provenance)
YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class BriefSanityError(ValueError):
    """Numbers that cannot all be true (a total smaller than its parts): the brief must not build."""


# --- selection -----------------------------------------------------------------------------------


def dimensions(obs: pd.DataFrame) -> list[str]:
    """The dimension columns of an observation table (not contract, text or provenance)."""
    return sorted(c for c in obs.columns if c not in CORE)


def matches(series: pd.Series, wanted: str) -> pd.Series:
    """True where a value is `wanted` (a "~pattern": matches it, case-insensitive)."""
    if wanted.startswith("~"):
        return series.astype(str).str.contains(wanted[1:], case=False, regex=True, na=False)
    return series.astype(str) == wanted


def describe_where(where: tuple[tuple[str, str], ...]) -> dict:
    """A filter as a reader reads it: {"route": "east", "cause": "matches /drown/i"}."""
    return {c: (f"matches /{v[1:]}/i" if v.startswith("~") else v) for c, v in where}


def row_flags(rows: pd.DataFrame) -> str:
    """Every flag of the rows (a sum carries the flags of its parts), letters sorted."""
    if "flag" not in rows.columns:
        return ""
    return "".join(sorted(set("".join(rows["flag"].fillna("").astype(str)))))


def failed_check(obs: pd.DataFrame) -> str:
    """Why rows cannot make a total (a source's own check failed, e.g. a partial extract)."""
    if "total_check" not in obs.columns:
        return ""
    reasons = sorted(set(obs["total_check"].fillna("").astype(str)) - {""})
    return "; ".join(reasons)


def select(obs: pd.DataFrame, indicator: str, where: tuple[tuple[str, str], ...] = (),
           geo: str | None = None) -> pd.DataFrame:
    """The rows behind a figure for `indicator`: each place's published total, never its parts.

    The filters in `where` are applied; sex and age default to "total". Every other dimension
    (see _keep_base) is at the total the source publishes: a place without a published total
    for a year is "not published" for it (absent), never a sum of its parts and never a part
    (a breakdown by form of exploitation, a citizenship row with a blank category, a count by
    country of repatriation, which is another population). A key the source publishes more
    than once (column REPEAT: UNODC's unlabelled sub-series) has no single published value
    and is left out. Where two files of a source publish the same place and year, one
    file's rows are taken (a total is one number).
    """
    rows = obs[obs["indicator"] == indicator]
    if "total_check" in rows.columns:  # rows whose source failed its total check make none
        rows = rows[rows["total_check"].fillna("").astype(str) == ""]
    given = dict(where)
    for column in ("sex", "age"):
        given.setdefault(column, "total")
    for column, wanted in given.items():
        if column not in rows.columns:
            return rows.iloc[0:0]
        rows = rows[matches(rows[column], wanted)]
    rows = geo_rows(rows, geo)
    if REPEAT in rows.columns and REPEAT not in given:
        rows = rows[rows[REPEAT].fillna("").astype(str).eq("")]
    for column in dimensions(rows):
        if column in given or not rows[column].fillna("").astype(str).ne("").any():
            continue  # filtered already, or a dimension this indicator does not have
        rows = _keep_base(rows, column)
    return _one_file_per_place(rows)


def _keep_base(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of `column` that stand for its total, by what the source publishes in it.

    - A source (data set) that publishes "total" rows in `column`: only those rows. Every other
      value is a part (or another population), also an empty one in a file that has the column.
    - A file without the column (empty in all its rows): its rows are its totals in it.
    - A source that never publishes a total in `column` (MMP's region, route and cause: cells
      of incidents that the adapter adds up, as IOM does): the cells are added up; where a
      (place, year) has unlabelled and labelled rows, only the unlabelled ones.
    """
    if rows.empty:
        return rows
    values = rows[column].fillna("").astype(str)
    labelled = values.ne("")
    in_file = labelled.groupby(_by(rows, "file")).transform("any")
    totals_published = values.eq("total").groupby(_by(rows, "dataset")).transform("any")
    groups = [rows[c] for c in ("geo", "year", "sex", "age") if c in rows.columns]
    has_unlabelled = (~labelled).groupby(groups).transform("any")
    cells = ~totals_published & (~has_unlabelled | ~labelled)
    return rows[~in_file | (totals_published & values.eq("total")) | cells]


def _by(rows: pd.DataFrame, column: str) -> pd.Series:
    """A grouping key: `column` if the rows have it, else one group."""
    return rows[column] if column in rows.columns else pd.Series("", index=rows.index)


def _one_file_per_place(rows: pd.DataFrame) -> pd.DataFrame:
    """Within each (place, year, sex, age), the rows of one file (the first by name)."""
    if rows.empty or "file" not in rows.columns:
        return rows
    groups = [rows[c] for c in ("geo", "year", "sex", "age")]
    # the files as their rank by name: the least rank of a group is its first file (a string
    # column's min falls back to Python per group)
    rank = pd.Series(pd.factorize(rows["file"].astype(str), sort=True)[0], index=rows.index)
    return rows[rank == rank.groupby(groups).transform("min")]


def geo_rows(rows: pd.DataFrame, geo: str | None) -> pd.DataFrame:
    if geo is None:
        return rows
    if geo == "UNECE":
        own = rows[rows["geo"] == "UNECE"]
        return own if len(own) else rows[rows["geo"].isin(catalogue.unece_iso3())]
    return rows[rows["geo"] == geo]


def additive(rows: pd.DataFrame) -> bool:
    """True if every unit of the rows adds up (counts: the catalogue's additive units)."""
    return set(rows["unit"].astype(str)) <= additive_units()


def yearly(rows: pd.DataFrame) -> pd.DataFrame:
    """Selected rows added up per year: year, value, value_text, flags, censored, geos, rows.

    Only calendar years (four digits). Censored cells are not added (counted in `censored`);
    a year whose only cells are censored keeps the published text (e.g. "<5"). `geos`: the
    places whose number is added (a published, uncensored value: "States reporting").
    """
    rows = rows[rows["year"].astype(str).str.match(YEAR)]
    out = []
    for year, g in rows.groupby("year", sort=True):
        known = g["value"].notna()
        value = float(g.loc[known, "value"].sum()) if known.any() else float("nan")
        text = fmt_number(value) if known.any() else "; ".join(sorted(set(g["value_text"])))
        out.append({"year": str(year), "value": value, "value_text": text, "flags": row_flags(g),
                    "censored": int((~known).sum()),
                    "geos": int(g.loc[known, "geo"].nunique()), "rows": len(g)})
    return pd.DataFrame(out, columns=["year", "value", "value_text", "flags", "censored", "geos",
                                      "rows"])


def incomplete_years(rows: pd.DataFrame) -> set[str]:
    """Years the vintage shows to be partly covered (an export dated before 31 December)."""
    out = set()
    years = rows.loc[rows["year"].astype(str).str.match(YEAR), "year"].astype(str)
    for vintage in sorted(set(rows["vintage"].astype(str))):
        m = _DATE.search(vintage)
        if m and (m.group(2), m.group(3)) != ("12", "31") and m.group(1) in set(years):
            out.add(m.group(1))
    return out


# --- sanity: a number is the sum of the published totals it claims to add up --------------------


def totals_layout(context: pd.DataFrame) -> dict[str, tuple[set[str], set[str]]]:
    """For each breakdown of some observations: the files that have it, and the data sets
    that publish a "total" in it. Computed once per indicator and given to check_aggregate."""
    files, datasets = _by(context, "file").astype(str), _by(context, "dataset").astype(str)
    layout = {}
    for column in dimensions(context):
        seen = context[column].fillna("").astype(str)
        layout[column] = (set(files[seen.ne("")].unique()), set(datasets[seen.eq("total")].unique()))
    return layout


def check_aggregate(what: str, value: float, rows: pd.DataFrame,
                    where: tuple[tuple[str, str], ...] = (), places: int | None = None,
                    context: pd.DataFrame | None = None,
                    layout: dict[str, tuple[set[str], set[str]]] | None = None) -> None:
    """Raise BriefSanityError unless `value` is the sum of the published totals in `rows`.

    `rows` are what a figure of one year says it adds up; `context` the indicator's
    observations they come from (default: `rows`), or `layout`, its totals_layout. Each row
    must be a place's published total: in every breakdown not filtered by `where`, "total"
    where its source publishes totals in that breakdown (else a breakdown its file does not
    have, or cells its source adds up, such as MMP's incidents); one row per place (several
    only as such cells). `value` must be the sum of their uncensored values, and `places`, if
    given, the number of places whose value is added.
    """
    if layout is None:
        layout = totals_layout(rows if context is None else context)
    why, cells = _not_totals(rows, where, layout)
    problems = _aggregate_problems(rows, why, cells, value, places)
    if problems:
        raise BriefSanityError(f"{what}: not the sum of the published totals it claims to add "
                               "up: " + "; ".join(problems))


def check_aggregates(what: str, rows: pd.DataFrame, by: str,
                     expected: dict[str, tuple[float, int | None]],
                     where: tuple[tuple[str, str], ...],
                     layout: dict[str, tuple[set[str], set[str]]]) -> None:
    """check_aggregate for every group of `rows` by `by` (each year of a trend, each State of
    a comparison) at once: `expected` maps a group to (value shown, places or None)."""
    why, cells = _not_totals(rows, where, layout)
    for key, g in rows.groupby(by, sort=True):
        if str(key) not in expected:
            continue
        value, places = expected[str(key)]
        problems = _aggregate_problems(g, why.loc[g.index], cells.loc[g.index], value, places)
        if problems:
            raise BriefSanityError(f"{what}, {key}: not the sum of the published totals it "
                                   "claims to add up: " + "; ".join(problems))


def _not_totals(rows: pd.DataFrame, where: tuple[tuple[str, str], ...],
                layout: dict[str, tuple[set[str], set[str]]]) -> tuple[pd.Series, pd.Series]:
    """Per row: why it is not a published total ('' when it is one), and whether it is a cell
    its source adds up (a breakdown value in a file whose source publishes no total in it)."""
    given = {c for c, _ in where} | set(PAIRS)
    why = pd.Series("", index=rows.index, dtype=object)
    cells = pd.Series(False, index=rows.index)
    files, datasets = _by(rows, "file").astype(str), _by(rows, "dataset").astype(str)
    shown = rows["value_text"].astype(str) if "value_text" in rows.columns else why
    for column in (c for c in dimensions(rows) if c not in given and c != REPEAT):
        values = rows[column].fillna("").astype(str)
        files_with, totalled = layout.get(column, (set(), set()))
        in_file, totals = files.isin(files_with), datasets.isin(totalled)
        cells |= in_file & ~totals & values.ne("")
        bad = in_file & totals & values.ne("total") & why.eq("")
        if bad.any():
            why[bad] = (f"a {column} row (" + values[bad] + ", " + shown[bad]
                        + ") is not the published total")
    if REPEAT in rows.columns and REPEAT not in given:
        repeat = rows[REPEAT].fillna("").astype(str)
        copies = repeat.ne("") & why.eq("")
        if copies.any():
            why[copies] = ("copy " + repeat[copies] + " of a key published more than once ("
                           + shown[copies] + ")")
    return why, cells


def _aggregate_problems(rows: pd.DataFrame, why: pd.Series, cells: pd.Series, value: float,
                        places: int | None) -> list[str]:
    """What is wrong with one aggregate of `rows` shown as `value` (see check_aggregate)."""
    wrong = why.ne("")
    problems = [f"{geo} {year}: {reason}" for geo, year, reason in zip(
        rows.loc[wrong, "geo"].head(3), rows.loc[wrong, "year"].head(3), why[wrong].head(3))]
    repeated = rows.groupby(["geo", "year"]).size()
    if not cells.any() and (repeated > 1).any():
        problems += [f"{geo} {year}: {n} rows added where the source publishes one total"
                     for (geo, year), n in repeated[repeated > 1].head(3).items()]
    known = rows[rows["value"].notna()]
    added = float(known["value"].sum()) if len(known) else float("nan")
    if len(known) and not (abs(added - float(value)) <= TOLERANCE):
        problems.append(f"shows {fmt_number(value)}, the published totals it adds up sum to "
                        f"{fmt_number(added)}")
    if places is not None and places != known["geo"].nunique():
        problems.append(f"says {places} place(s), adds up {known['geo'].nunique()}")
    return problems


def parts_note(obs: pd.DataFrame, spec_where: tuple, indicator: str, geo: str | None,
               year: str) -> str:
    """Totals against parts on the rows behind one figure (same filters, same year).

    The rows are the custodian's as published: where its parts add up to more than its total
    (totals_below_parts, not already noted as published by the source's adapter), the figure
    keeps the published total and this says so, for the reader ('' if none).
    """
    obs = obs[obs["year"].astype(str) == year]  # totals and parts are compared within a year
    # one selection with every sex and age (totals are paired with their own parts)
    given = tuple((c, v) for c, v in spec_where if c not in PAIRS) + (("sex", "~."), ("age", "~."))
    rows = select(obs, indicator, given, geo)
    found = [b for b in totals_below_parts(rows) if not b["noted"]]
    if not found:
        return ""
    publishers = ", ".join(sorted(set(rows["publisher"].astype(str)) - {""})) or "the custodian"
    places = "; ".join(
        f"{catalogue.country_name(b['where'].get('geo', ''))} by {b['dim']}, "
        + " + ".join(fmt_number(v) for v in b["parts"].values())
        + f" against a total of {fmt_number(b['total'])}"
        for b in sorted(found, key=lambda b: (str(b["where"].get("geo", "")), b["dim"])))
    return (f"as published by {publishers}, the parts add up to more than the total for "
            f"{places}; the published totals are shown")


# --- provenance ----------------------------------------------------------------------------------


def catalogue_row(indicators: pd.DataFrame | None, indicator: str) -> dict:
    """The catalogue's row of `indicator` as a dict ({} when the catalogue lacks it)."""
    if indicators is None or indicators.empty or "id" not in indicators.columns:
        return {}
    hit = indicators[indicators["id"] == indicator]
    return hit.iloc[0].to_dict() if len(hit) else {}


def provenance(rows: pd.DataFrame) -> tuple[str, str]:
    """'publisher, dataset' and the vintage(s) of some rows."""
    pairs = sorted({f"{p}, {d}" for p, d in zip(rows["publisher"], rows["dataset"])})
    vintages = sorted(set(rows["vintage"].astype(str)))
    return "; ".join(pairs), "; ".join(vintages)
