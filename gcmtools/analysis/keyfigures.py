"""Indicator observations in, key figures out: 3 to 6 traced numbers per objective, its trend and country comparison.

A key figure is one number with everything a reviewer needs to trace it: indicator, place,
year, source, vintage, the catalogue's caveat and the filter that produced it. Given the
review's period, it answers for the latest complete year of the period, with the latest year
available beside it as context (`context_year`, `context_display`). Figures whose
source is absent are listed as missing, never invented. check_totals raises BriefSanityError
for a total smaller than the sum of its parts; in a key figure, where the custodian itself
publishes such a total, the published total is shown and the figure's note says so. Small
counts of people in sensitive breakdowns are shown as "<5" (gcmtools.analysis.disclosure): `display`
and the series' `value_text` are masked, `value` is kept for the audit trail.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure
from gcmtools.catalogue.keyfigure_specs import COMPARISONS, SPECS, TRENDS, FigureSpec, SeriesSpec
from gcmtools.html import fmt_number, fmt_percent

TOLERANCE = 0.5  # counts are whole numbers: a total may not fall short of its parts by more
ADDITIVE_UNITS = frozenset({"persons", "incidents", "cases", "offences", "applications"})
CORE = disclosure.CORE  # the columns that are not dimensions (contract, value_text, provenance)
SMALL = disclosure.SMALL_COUNT_THRESHOLD
PARTS = {"sex": ("female", "male"), "age": ("child", "adult")}
_YEAR = re.compile(r"^\d{4}$")
REPEAT = "repeat"  # copies of a key a source publishes more than once: 1, 2, ... ("" if once)
_AS_PUBLISHED = "kept as published"  # gcmtools.sources.checks.INCONSISTENT_AS_PUBLISHED
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
COMPARISON_TOP = 15


class BriefSanityError(ValueError):
    """Numbers that cannot all be true (a total smaller than its parts): the brief must not build."""


# --- formatting ------------------------------------------------------------------------------


# --- records -----------------------------------------------------------------------------------


@dataclass
class KeyFigure:
    """One number of a brief with its provenance (see module docstring).

    `display` is what a reviewer sees: "<5" when `suppressed` (a count of people below the
    small-count threshold in a disaggregated sensitive series). `value` stays the computed
    number, also in the key-figures JSON, which is for machines and audits, not for reviewers:
    it lets an audit trace a masked figure to the data. `sensitive`: the figure is of a
    sensitive series (the brief then states the rule).
    """

    objective: int
    label: str
    value: float | None
    display: str
    unit: str
    year: str
    geo: str
    place: str
    indicator: str
    source: str
    vintage: str
    caveat: str
    note: str = ""
    filter: dict = field(default_factory=dict)
    sensitive: bool = False
    suppressed: bool = False
    flags: str = ""  # the custodian's flags on the value (Eurostat: e estimated, ...), e.g. "e"
    period: str = ""  # the review period the figure answers for ("2019-2020"), if one was given
    context_year: str = ""  # the latest year available, beside a figure for the review period
    context_value: float | None = None
    context_display: str = ""  # as shown ("<5" when suppressed), "" when there is no context
    context_place: str = ""  # the place in the context year, when it differs (States reporting)
    context_suppressed: bool = False
    context_flags: str = ""

    @property
    def context_text(self) -> str:
        """The context as a reviewer reads it: 'latest available: 2023, 123,260'."""
        if not self.context_year:
            return ""
        place = f" ({self.context_place})" if self.context_place else ""
        shown = with_flags(self.context_display, self.context_flags)
        return f"latest available: {self.context_year}, {shown}{place}"

    def to_record(self) -> dict:
        """A JSON-ready dict: NaN written as null, `display` as shown, `suppressed`.

        The JSON is published beside the brief, so a suppressed small count is not written
        (`value` null): the `filter` lets an analyst with the source recompute it.
        """
        record = asdict(self)
        if record["value"] is not None and math.isnan(record["value"]):
            record["value"] = None
        if record.get("suppressed"):
            record["value"] = None
        cv = record.get("context_value")
        if (cv is not None and math.isnan(cv)) or record.get("context_suppressed"):
            record["context_value"] = None
        return record


@dataclass(frozen=True)
class MissingFigure:
    """A key figure that could not be computed, and why."""

    label: str
    indicator: str
    reason: str


@dataclass
class KeyFigures:
    """The key figures of one objective, and the ones that are missing."""

    objective: int
    figures: list[KeyFigure]
    missing: list[MissingFigure]

    def table(self) -> pd.DataFrame:
        """The figures as a table (label, value, unit, year, place, source, vintage, caveat)."""
        cols = ["label", "display", "unit", "year", "place", "source", "vintage", "caveat",
                "note", "indicator"]
        return pd.DataFrame([{c: getattr(f, c) for c in cols} for f in self.figures],
                            columns=cols).rename(columns={"display": "value"})

    def missing_table(self) -> pd.DataFrame:
        """The missing figures: label, indicator, reason."""
        return pd.DataFrame([asdict(m) for m in self.missing],
                            columns=["label", "indicator", "reason"])


@dataclass
class Series:
    """A trend (one value per year) or a comparison (one value per country, one year).

    `data` has value (the number), value_text (as shown: "<5" where suppressed) and suppressed.
    """

    kind: str
    title: str
    indicator: str
    unit: str
    source: str
    vintage: str
    caveat: str
    data: pd.DataFrame
    year: str = ""
    note: str = ""
    filter: dict = field(default_factory=dict)
    summed_states: bool = False  # a sum over the UNECE States that report (data has `geos`)
    sensitive: bool = False  # a sensitive series: the brief states the small-count rule
    small_count_threshold: int = SMALL  # suppressed values are drawn at this height


# --- selection -----------------------------------------------------------------------------------


def dimensions(obs: pd.DataFrame) -> list[str]:
    """The dimension columns of an observation table (not contract, text or provenance)."""
    return sorted(c for c in obs.columns if c not in CORE)


def _matches(series: pd.Series, wanted: str) -> pd.Series:
    if wanted.startswith("~"):
        return series.astype(str).str.contains(wanted[1:], case=False, regex=True, na=False)
    return series.astype(str) == wanted


def _describe_where(where: tuple[tuple[str, str], ...]) -> dict:
    return {c: (f"matches /{v[1:]}/i" if v.startswith("~") else v) for c, v in where}


def _flags(rows: pd.DataFrame) -> str:
    """Every flag of the rows (a sum carries the flags of its parts), letters sorted."""
    if "flag" not in rows.columns:
        return ""
    return "".join(sorted(set("".join(rows["flag"].fillna("").astype(str)))))


def flag_legend(flags: str) -> str:
    """'e estimated; p provisional' for the flag letters shown ('' for none)."""
    from gcmtools.sources.eurostat import FLAGS  # the custodian's code list
    return "; ".join(f"{ch} {FLAGS.get(ch, 'flagged by the custodian')}"
                     for ch in sorted(set(flags)) if ch.strip())


def with_flags(text: str, flags: str) -> str:
    """A value as shown with its flags beside it: '123,260 e'."""
    return f"{text} {flags}" if flags and text else text


def _failed_check(obs: pd.DataFrame) -> str:
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
        rows = rows[_matches(rows[column], wanted)]
    rows = _geo_rows(rows, geo)
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
    first = rows["file"].astype(str).groupby(groups).transform("min")
    return rows[rows["file"].astype(str) == first]


def _geo_rows(rows: pd.DataFrame, geo: str | None) -> pd.DataFrame:
    if geo is None:
        return rows
    if geo == "UNECE":
        own = rows[rows["geo"] == "UNECE"]
        return own if len(own) else rows[rows["geo"].isin(catalogue.unece_iso3())]
    return rows[rows["geo"] == geo]


def _additive_units() -> frozenset[str]:
    """Units whose values add up: the sources catalogue's list, else ADDITIVE_UNITS."""
    try:
        from gcmtools.catalogue.indicators import additive_units
    except ImportError:
        return ADDITIVE_UNITS
    return frozenset(additive_units())


def _additive(rows: pd.DataFrame) -> bool:
    return set(rows["unit"].astype(str)) <= _additive_units()


def yearly(rows: pd.DataFrame) -> pd.DataFrame:
    """Selected rows added up per year: year, value, value_text, flags, censored, geos, rows.

    Only calendar years (four digits). Censored cells are not added (counted in `censored`);
    a year whose only cells are censored keeps the published text (e.g. "<5"). `geos`: the
    places whose number is added (a published, uncensored value: "States reporting").
    """
    rows = rows[rows["year"].astype(str).str.match(_YEAR)]
    out = []
    for year, g in rows.groupby("year", sort=True):
        known = g["value"].notna()
        value = float(g.loc[known, "value"].sum()) if known.any() else float("nan")
        text = fmt_number(value) if known.any() else "; ".join(sorted(set(g["value_text"])))
        out.append({"year": str(year), "value": value, "value_text": text, "flags": _flags(g),
                    "censored": int((~known).sum()),
                    "geos": int(g.loc[known, "geo"].nunique()), "rows": len(g)})
    return pd.DataFrame(out, columns=["year", "value", "value_text", "flags", "censored", "geos",
                                      "rows"])


def incomplete_years(rows: pd.DataFrame) -> set[str]:
    """Years the vintage shows to be partly covered (an export dated before 31 December)."""
    out = set()
    years = rows.loc[rows["year"].astype(str).str.match(_YEAR), "year"].astype(str)
    for vintage in sorted(set(rows["vintage"].astype(str))):
        m = _DATE.search(vintage)
        if m and (m.group(2), m.group(3)) != ("12", "31") and m.group(1) in set(years):
            out.add(m.group(1))
    return out


def _older_than_the_data(year: str, obs: pd.DataFrame, incomplete: set[str]) -> str:
    """The indicator's latest complete year if `year` is older than it (else "")."""
    years = sorted(y for y in set(obs["year"].astype(str)) if _YEAR.match(y) and y not in incomplete)
    return years[-1] if years and _YEAR.match(str(year)) and str(year) < years[-1] else ""


def period_text(period: tuple[int, int] | None) -> str:
    """A review period as written: '2019-2020', or '2020' for one year; '' for none."""
    if period is None:
        return ""
    first, last = period
    return f"{first}-{last}" if first != last else str(first)


def _pick_year(table: pd.DataFrame, rule: str, incomplete: set[str],
               period: tuple[int, int] | None = None) -> tuple[str | None, str, str | None]:
    """The year a rule asks for, a note, and the context year shown beside it.

    Without a review period the rule picks among all the years with data (context None):
    latest / latest_complete is the latest (complete) year, previous / previous_complete the
    year before it. With a `period` (first, last year), latest(_complete) is the latest
    (complete) year within the period, and its context the latest (complete) year available,
    given when it differs; previous(_complete) is the year before the one latest(_complete)
    picks in the period (even where that falls before the period), without context (the
    latest figure carries it). A year of None: no such year has data (the note says so, and
    the context may still be given).
    """
    complete = "complete" in rule
    years = [y for y in table["year"] if y not in incomplete] if complete else list(table["year"])
    skipped = sorted(set(table["year"]) & incomplete) if complete else []
    notes = [f"{', '.join(skipped)} left out: not a complete year in this data vintage"] \
        if skipped else []

    def step(year: str) -> str | None:
        if not rule.startswith("previous"):
            return year
        wanted = str(int(year) - 1)
        return wanted if wanted in years else None

    if not years:
        return None, "; ".join(notes), None
    if period is None:
        return step(years[-1]), "; ".join(notes), None
    first, last = period
    inside = [y for y in years if first <= int(y) <= last]
    year = step(inside[-1]) if inside else None
    context = None if rule.startswith("previous") else years[-1]
    if context is None and not any(first <= int(y) <= last for y in skipped):
        notes = []  # an incomplete year after the period changes nothing shown
    if year is None:
        kind = "complete year" if complete else "year"
        notes.insert(0, f"no {kind} of the review period {period_text(period)} has data"
                     if not inside else f"no data for {int(inside[-1]) - 1}, the year before "
                     f"{inside[-1]}")
    return year, "; ".join(notes), (context if context != year else None)


# --- sanity --------------------------------------------------------------------------------------


def totals_below_parts(obs: pd.DataFrame) -> list[dict]:
    """Every total smaller than the sum of its parts (same key): where, dim, total, parts.

    Parts: female + male for sex (at age total), child + adult for age (at sex total). The
    key is indicator, geo, year and every other dimension. Only counts are compared (units
    that add up); censored cells are not, nor the custodian's own inconsistencies that its
    adapter notes as kept as published (UNODC's Republic of Moldova 2022: children 44 and
    adults 107 against a total of 43): the figure is the published total, with that note.
    """
    found = []
    rows = obs[obs["value"].notna() & obs["unit"].isin(_additive_units())]
    for dim, parts in PARTS.items():
        other = "age" if dim == "sex" else "sex"
        mine = rows[rows[other] == "total"]
        for detail in ("sex_detail", "age_group"):
            if detail in mine.columns:
                mine = mine[mine[detail].astype(str).isin(["", "total"])]
        keys = ["indicator", "geo", "year"] + [c for c in dimensions(mine)
                                               if c not in ("sex_detail", "age_group")]
        if mine.empty:
            continue
        flat = mine[keys].astype(str).assign(_dim=mine[dim].values, _v=mine["value"].values)
        wide = flat.pivot_table(index=keys, columns="_dim", values="_v", aggfunc="sum")
        if not {"total", *parts} <= set(wide.columns):
            continue
        wide = wide.dropna(subset=["total", *parts])
        bad = wide[wide["total"] + TOLERANCE < wide[list(parts)].sum(axis=1)]
        noted = (mine["note"].astype(str).str.contains(_AS_PUBLISHED, regex=False)
                 if "note" in mine.columns else pd.Series(False, index=mine.index))
        bad = bad[~bad.index.isin(pd.MultiIndex.from_frame(mine.loc[noted, keys].astype(str))
                                  if len(keys) > 1 else mine.loc[noted, keys[0]].astype(str))]
        for key, r in bad.iterrows():
            where = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
            where = {k: v for k, v in where.items() if v not in ("", "total")}
            found.append({"where": where, "dim": dim, "total": float(r["total"]),
                          "parts": {p: float(r[p]) for p in parts}})
    return found


def check_totals(obs: pd.DataFrame) -> None:
    """Raise BriefSanityError if a total is smaller than the sum of its parts (same key).

    See totals_below_parts for what is compared.
    """
    problems = [f"{b['where']}: {b['dim']} total {fmt_number(b['total'])} is smaller than "
                + " + ".join(f"{p} {fmt_number(v)}" for p, v in b["parts"].items())
                for b in totals_below_parts(obs)]
    if problems:
        raise BriefSanityError(f"{len(problems)} total(s) smaller than their parts: "
                               + "; ".join(sorted(problems)[:10]))


def totals_layout(context: pd.DataFrame) -> dict[str, tuple[set[str], set[str]]]:
    """For each breakdown of some observations: the files that have it, and the data sets
    that publish a "total" in it. Computed once per indicator and given to check_aggregate."""
    files, datasets = _by(context, "file").astype(str), _by(context, "dataset").astype(str)
    layout = {}
    for column in dimensions(context):
        seen = context[column].fillna("").astype(str)
        layout[column] = (set(files[seen.ne("")]), set(datasets[seen.eq("total")]))
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
    given = {c for c, _ in where} | set(PARTS)
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


def _check_selection(obs: pd.DataFrame, spec_where: tuple, indicator: str, geo: str | None,
                     year: str) -> str:
    """Totals against parts on the rows behind one figure (same filters, same year).

    The rows are the custodian's as published: where its parts add up to more than its total,
    the figure keeps the published total and this says so, for the reader ('' if none).
    """
    obs = obs[obs["year"].astype(str) == year]  # totals and parts are compared within a year
    # one selection with every sex and age (totals are paired with their own parts)
    given = tuple((c, v) for c, v in spec_where if c not in PARTS) + (("sex", "~."), ("age", "~."))
    rows = select(obs, indicator, given, geo)
    found = totals_below_parts(rows)
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


# --- small counts --------------------------------------------------------------------------------


def _sensitivity(indicators: pd.DataFrame | None) -> pd.DataFrame | None:
    """The catalogue that says which series are sensitive: `indicators` if it has the flags,
    else the shipped one (a figure is not left unmasked for want of a catalogue argument)."""
    if indicators is not None and "sensitive" in indicators.columns:
        return indicators
    try:
        from gcmtools.catalogue.indicators import indicators as shipped
    except ImportError:
        return None
    return shipped()


def _disclose(table: pd.DataFrame, indicator: str, where: tuple[tuple[str, str], ...],
              unit: str, indicators: pd.DataFrame | None,
              threshold: int) -> tuple[pd.DataFrame, bool]:
    """`table` (value, value_text) with value_text masked under the small-count rule and a
    `suppressed` column; and whether the series is sensitive.

    Each number stands for the rows `select` adds up: the breakdowns in `where` as given,
    every other one at its total.
    """
    flags = _sensitivity(indicators)
    described = {"indicator": indicator, "unit": unit, "sex": "total", "age": "total",
                 **dict(where)}
    rows = pd.DataFrame([described] * len(table), index=table.index, columns=list(described))
    rows = disclosure.apply(rows.assign(value=table["value"], value_text=table["value_text"]),
                            flags, threshold)
    sensitive = bool(disclosure.is_sensitive(pd.DataFrame([described]), flags).iloc[0])
    return table.assign(value_text=rows["display"], suppressed=rows["suppressed"]), sensitive


def _masked_note(table: pd.DataFrame, threshold: int) -> str:
    n = int(table["suppressed"].sum())
    return (f"{n} count(s) below {threshold} in a sensitive breakdown shown as <{threshold}"
            if n else "")


# --- key figures ---------------------------------------------------------------------------------


def _catalogue_row(indicators: pd.DataFrame | None, indicator: str) -> dict:
    if indicators is None or indicators.empty or "id" not in indicators.columns:
        return {}
    hit = indicators[indicators["id"] == indicator]
    return hit.iloc[0].to_dict() if len(hit) else {}


def _provenance(rows: pd.DataFrame) -> tuple[str, str]:
    """'publisher, dataset' and the vintage(s) of some rows."""
    pairs = sorted({f"{p}, {d}" for p, d in zip(rows["publisher"], rows["dataset"])})
    vintages = sorted(set(rows["vintage"].astype(str)))
    return "; ".join(pairs), "; ".join(vintages)


def _place(geo: str | None, rows: pd.DataFrame, where: dict) -> str:
    if geo is None:
        region = where.get("region")
        return str(region) if region else "all places"
    if geo == "UNECE" and not (rows["geo"] == "UNECE").any():
        return f"UNECE States reporting ({rows['geo'].nunique()} of {len(catalogue.unece_iso3())})"
    return catalogue.country_name(geo)


def key_figure(obs: pd.DataFrame, spec: FigureSpec, objective: int,
               indicators: pd.DataFrame | None = None,
               threshold: int = SMALL,
               period: tuple[int, int] | None = None) -> KeyFigure | MissingFigure:
    """Compute one key figure from the observations, or say why it is missing.

    With a review `period` (first, last year) the figure answers for the period (see
    _pick_year) and the latest year available is given beside it as context; where no year
    of the period has data, the figure says so and still shows the context. A count of people
    below `threshold` in a disaggregated sensitive series is shown as "<threshold" (`display`,
    `suppressed`); `value` keeps the number.
    """
    # load: the rows the spec selects, per year
    label = spec.label.replace("{year}", "").replace(" ,", ",").strip(", ")
    obs = obs[obs["indicator"] == spec.indicator] if len(obs) else obs
    if obs.empty:
        name = _catalogue_row(indicators, spec.indicator).get("name") or spec.indicator
        return MissingFigure(label, spec.indicator,
                             f"no data for it: {name} is not among the data sets this build "
                             f"read (indicator {spec.indicator} is not in the loaded data)")
    rows = select(obs, spec.indicator, spec.where, spec.geo)
    if rows.empty:
        return MissingFigure(label, spec.indicator, _why_empty(obs, spec))
    per_geo_year = rows.groupby(["geo", "year"]).size()
    if not _additive(rows) and (per_geo_year > 1).any():
        return MissingFigure(label, spec.indicator,
                             "several series in a unit that does not add up: "
                             f"{', '.join(sorted(set(rows['unit'])))}")
    table = yearly(rows)
    year, note, context = _pick_year(table, spec.year, incomplete_years(rows), period)
    if year is None and context is None:
        return MissingFigure(label, spec.indicator, f"no {spec.year.replace('_', ' ')} year"
                             + (f" ({note})" if note else ""))
    notes = [n for n in (spec.note, note) if n]
    if year is not None and period is None:
        stale = _older_than_the_data(year, obs, incomplete_years(obs))
        if stale and spec.year.startswith("latest"):
            notes.append(f"latest year with data for this selection; the data set runs to {stale}")
    # process: the value in the year asked for, and in the context year (each checked)
    main = _measure(obs, rows, table, spec, year, indicators, threshold) if year else None
    beside = _measure(obs, rows, table, spec, context, indicators, threshold) if context else None
    if isinstance(main, str):
        return MissingFigure(label, spec.indicator, main)
    if isinstance(beside, str):
        notes.append(f"{context}: {beside}")
        beside = None
    if main is None and beside is None:
        return MissingFigure(label, spec.indicator, "; ".join(notes))
    shown = main or beside
    notes += main["notes"] if main else []
    if main and beside and spec.geo == "UNECE" and spec.measure == "sum":
        notes.append(_states_differ(main["in_year"], beside["in_year"], year, context))
    if beside:
        notes += [f"{context}: {n}" for n in beside["notes"] if not main or n not in main["notes"]]
    shown_year = year or period_text(period)
    filt = {"indicator": spec.indicator, "geo": spec.geo or "any",
            "year": year or f"none in {period_text(period)}", **_describe_where(spec.where)}
    if period is not None:
        filt["review period"] = period_text(period)
    if context:
        filt["latest available"] = context
    filt.setdefault("sex", "total")
    filt.setdefault("age", "total")
    if spec.measure == "share_female":
        filt["sex"] = "female / (female + male)"
    source, vintage = _provenance(shown["in_year"] if main is None or beside is None
                                  else pd.concat([main["in_year"], beside["in_year"]]))
    context_place = beside["place"] if beside and main and beside["place"] != main["place"] else ""
    return KeyFigure(
        objective=int(objective), label=spec.label.format(year=shown_year),
        value=main["value"] if main else None,
        display=main["display"] if main else "not available",
        unit=shown["unit"], year=shown_year, geo=spec.geo or "any",
        place=(main or beside)["place"], indicator=spec.indicator,
        source=source, vintage=vintage,
        caveat=str(_catalogue_row(indicators, spec.indicator).get("caveat", "")),
        note="; ".join(n for n in notes if n), filter=filt,
        sensitive=bool((main or beside)["sensitive"]),
        suppressed=bool(main and main["suppressed"]),
        period=period_text(period), context_year=context or "",
        context_value=beside["value"] if beside else None,
        context_display=beside["display"] if beside else "",
        context_place=context_place,
        context_suppressed=bool(beside and beside["suppressed"]),
        flags=main["flags"] if main else "", context_flags=beside["flags"] if beside else "")


def _names(geos: list[str], most: int = 8) -> str:
    """Country names for reading: 'Germany, Italy and 3 more'."""
    names = [catalogue.country_name(g) for g in geos]
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _states_differ(main: pd.DataFrame, beside: pd.DataFrame, year: str, context: str) -> str:
    """Which States a sum over the States reporting adds up in one year and not the other
    ('' when the same): a change between the two years may be a change of who reports."""
    a = set(main.loc[main["value"].notna(), "geo"])
    b = set(beside.loc[beside["value"].notna(), "geo"])
    if a == b:
        return ""
    parts = [f"the {context} figure adds up {len(b)} States, the {year} figure {len(a)}"]
    if a - b:
        parts.append(f"in {year} only: {_names(sorted(a - b))}")
    if b - a:
        parts.append(f"in {context} only: {_names(sorted(b - a))}")
    return "; ".join(parts) + " (the two are not comparable as a change)"


def _measure(obs: pd.DataFrame, rows: pd.DataFrame, table: pd.DataFrame, spec: FigureSpec,
             year: str, indicators: pd.DataFrame | None, threshold: int) -> dict | str:
    """A figure's value in one year as shown (small-count rule applied), or why there is none.

    The totals of the rows behind it are compared with their parts: a published total
    smaller than its published parts is noted, never replaced.
    """
    inconsistent = _check_selection(obs, spec.where, spec.indicator, spec.geo, year)
    in_year = rows[rows["year"] == year]
    row = table[table["year"] == year].iloc[0]
    value, display, unit = row["value"], row["value_text"], str(in_year["unit"].iloc[0])
    place = _place(spec.geo, in_year, dict(spec.where))
    if spec.place:
        place = spec.place.format(states=in_year["geo"].nunique(), of=len(catalogue.unece_iso3()))
    notes = [inconsistent] if inconsistent else []
    if spec.measure == "share_female":
        share, geos = _share_female(obs, spec, year)
        if share is None:
            return f"no female and male figures for {year}"
        value, display, unit = 100 * share, fmt_percent(share), "percent"
        notes.append(f"female / (female + male), over the {len(geos)} place(s) publishing both")
        if spec.geo == "UNECE":
            place = f"UNECE States reporting by sex ({len(geos)} of {len(catalogue.unece_iso3())})"
    else:
        check_aggregate(spec.label.format(year=year), value, in_year, spec.where, context=obs)
        odd = sorted(set(in_year.loc[in_year["note"].astype(str).str.contains(
            _AS_PUBLISHED, regex=False), "geo"])) if "note" in in_year.columns else []
        if odd:
            notes.append("the published total, although the custodian's breakdowns by sex or "
                         "age add up to more, for " + ", ".join(catalogue.country_name(g) for g in odd))
        if row["censored"] and not math.isnan(value):
            hidden = sorted(set(in_year.loc[in_year["value"].isna(), "geo"]))
            notes.append(f"{row['censored']} censored value(s) (e.g. '<5') not included"
                         + (f": {_names(hidden)}" if spec.geo == "UNECE" and hidden else ""))
    # the small-count rule on what is shown
    shown, sensitive = _disclose(pd.DataFrame({"value": [value], "value_text": [display]}),
                                 spec.indicator, spec.where, unit, indicators, threshold)
    display, suppressed = str(shown["value_text"].iloc[0]), bool(shown["suppressed"].iloc[0])
    if suppressed:
        notes.append(f"a count below {threshold} in a sensitive breakdown, shown as <{threshold}")
    return {"value": None if math.isnan(value) else float(value), "display": display,
            "unit": unit, "place": place, "notes": notes, "sensitive": sensitive,
            "suppressed": suppressed, "in_year": in_year, "flags": str(row["flags"])}


def _why_empty(obs: pd.DataFrame, spec: FigureSpec) -> str:
    """Which filter left no rows: the place, or a breakdown the data do not publish."""
    rows = _geo_rows(obs, spec.geo)
    scope = rows if len(rows) else obs
    failed = _failed_check(scope)
    if failed and (scope["total_check"].fillna("").astype(str) != "").all():
        return failed  # the only rows are of a source that failed its own total check
    if rows.empty:
        return f"no observations for {spec.geo} in {spec.indicator}"
    given = dict(spec.where)
    for column in ("sex", "age"):
        given.setdefault(column, "total")
    for column, wanted in given.items():
        if column not in rows.columns:
            return f"{spec.indicator} has no {column} breakdown"
        kept = rows[_matches(rows[column], wanted)]
        if kept.empty:
            published = ", ".join(sorted(set(rows[column].astype(str)) - {""})[:8])
            shown = _describe_where(((column, wanted),))[column]
            return (f"no {spec.indicator} rows with {column}={shown}"
                    + (f" for {spec.geo}" if spec.geo else "")
                    + (f" (published: {published})" if published else ""))
        rows = kept
    return f"no observations for {spec.indicator} with this filter"


def _share_female(obs: pd.DataFrame, spec: FigureSpec,
                  year: str) -> tuple[float | None, list[str]]:
    """Female / (female + male) over the geos that publish both for `year`, and those geos."""
    parts = {}
    for sex in ("female", "male"):
        rows = select(obs, spec.indicator, spec.where + (("sex", sex),), spec.geo)
        rows = rows[(rows["year"] == year) & rows["value"].notna()]
        parts[sex] = rows.groupby("geo")["value"].sum()
    both = sorted(set(parts["female"].index) & set(parts["male"].index))
    female = float(parts["female"].reindex(both).sum())
    male = float(parts["male"].reindex(both).sum())
    if not both or female + male <= 0:
        return None, []
    share = female / (female + male)
    if not 0 <= share <= 1:
        raise BriefSanityError(f"{spec.indicator} {year}: share female {share} outside 0-1")
    return share, both


def key_figures(obs: pd.DataFrame, objective: int, indicators: pd.DataFrame | None = None,
                threshold: int = SMALL, period: tuple[int, int] | None = None) -> KeyFigures:
    """The key figures of `objective` (see SPECS), the missing ones listed with a reason.

    `period`: the review's first and last year (Review.period_years): each figure answers for
    it, with the latest year available beside it as context (see key_figure).
    """
    figures, missing = [], []
    for spec in SPECS.get(int(objective), ()):
        result = key_figure(obs, spec, objective, indicators, threshold, period)
        (figures if isinstance(result, KeyFigure) else missing).append(result)
    return KeyFigures(int(objective), figures, missing)


def expected_indicators(objective: int) -> list[str]:
    """Indicator ids the key figures, trend and comparison of `objective` use (sorted)."""
    ids = {s.indicator for s in SPECS.get(int(objective), ())}
    ids |= {s.indicator for s in TRENDS.get(int(objective), ())}
    ids |= {s.indicator for s in COMPARISONS.get(int(objective), ())}
    return sorted(ids)


def write_key_figures(figures: KeyFigures, path: str | Path, extra: dict | None = None) -> Path:
    """Write the key figures as JSON: every number with indicator, place, year, source, vintage
    (`extra`: more keys, such as the practice counts the brief shows). Each figure keeps
    `value` (for audits) beside `display` (as the brief shows it) and `suppressed`."""
    from gcmtools.store import write_json_atomic

    data = {
        "objective": figures.objective,
        "figures": [f.to_record() for f in figures.figures],
        "missing": [asdict(m) for m in figures.missing],
        **(extra or {}),
    }
    return write_json_atomic(data, Path(path))


# --- trend and comparison ------------------------------------------------------------------------


def _series_meta(rows: pd.DataFrame, spec: SeriesSpec, indicators: pd.DataFrame | None) -> dict:
    source, vintage = _provenance(rows)
    return {"indicator": spec.indicator, "unit": str(rows["unit"].iloc[0]), "source": source,
            "vintage": vintage,
            "caveat": str(_catalogue_row(indicators, spec.indicator).get("caveat", "")),
            "filter": {"indicator": spec.indicator, "geo": spec.geo or "any",
                       **_describe_where(spec.where), "sex": "total", "age": "total"}}


def trend(obs: pd.DataFrame, objective: int, indicators: pd.DataFrame | None = None,
          threshold: int = SMALL) -> Series | None:
    """The main indicator of `objective` by year (complete years only), or None if absent."""
    for spec in TRENDS.get(int(objective), ()):
        if obs.empty:
            break
        rows = select(obs, spec.indicator, spec.where, spec.geo)
        if rows.empty or (not _additive(rows) and (rows.groupby(["geo", "year"]).size() > 1).any()):
            continue
        skipped = incomplete_years(rows)
        table = yearly(rows[~rows["year"].isin(skipped)])
        check_aggregates(spec.title, rows, "year",
                         {str(r.year): (r.value, r.geos) for r in table.itertuples()},
                         spec.where, totals_layout(obs[obs["indicator"] == spec.indicator]))
        first = table.index[table["value"].fillna(0) != 0]
        table = table.loc[first[0]:] if len(first) else table.iloc[0:0]  # leading zeros: not yet recorded
        table, sensitive = _disclose(table, spec.indicator, spec.where,
                                     str(rows["unit"].iloc[0]), indicators, threshold)
        notes = [spec.note] if spec.note else []
        if skipped:
            notes.append(f"{', '.join(sorted(skipped))} left out: not a complete year")
        notes.append(_masked_note(table, threshold))
        summed = spec.geo == "UNECE" and not (rows["geo"] == "UNECE").any()
        if summed:
            notes.append("a sum over the UNECE States that report, whose number changes from "
                         "year to year")
        return Series(kind="trend", title=spec.title, data=table.reset_index(drop=True),
                      note="; ".join(n for n in notes if n), summed_states=summed,
                      sensitive=sensitive, small_count_threshold=threshold,
                      **_series_meta(rows, spec, indicators))
    return None


def comparison(obs: pd.DataFrame, objective: int, indicators: pd.DataFrame | None = None,
               top: int = COMPARISON_TOP, threshold: int = SMALL) -> Series | None:
    """The main indicator by UNECE State in the latest complete year (largest first), or None."""
    states = catalogue.unece_iso3()
    for spec in COMPARISONS.get(int(objective), ()):
        if obs.empty:
            break
        rows = select(obs, spec.indicator, spec.where, None)
        rows = rows[rows["geo"].isin(states)]
        if rows.empty or (not _additive(rows) and (rows.groupby(["geo", "year"]).size() > 1).any()):
            continue
        complete = rows[~rows["year"].isin(incomplete_years(rows))]
        years = sorted(y for y in set(complete["year"].astype(str)) if _YEAR.match(y))
        if not years:
            continue
        year = years[-1]
        in_year = complete[complete["year"] == year]
        per_geo = []
        for geo, g in in_year.groupby("geo", sort=True):
            known = g["value"].notna()
            value = float(g.loc[known, "value"].sum()) if known.any() else float("nan")
            text = fmt_number(value) if known.any() else "; ".join(sorted(set(g["value_text"])))
            per_geo.append({"geo": geo, "country": catalogue.country_name(geo), "value": value,
                            "value_text": text, "flags": _flags(g)})
        table = pd.DataFrame(per_geo, columns=["geo", "country", "value", "value_text", "flags"])
        check_aggregates(f"{spec.title}, {year}", in_year, "geo",
                         {r.geo: (r.value, None) for r in table.itertuples()}, spec.where,
                         totals_layout(obs[obs["indicator"] == spec.indicator]))
        table = table.sort_values(["value", "country"], ascending=[False, True],
                                  na_position="last", kind="stable")
        shown, sensitive = _disclose(table.head(top), spec.indicator, spec.where,
                                     str(in_year["unit"].iloc[0]), indicators, threshold)
        # suppressed values rank as the threshold (then by name): their order must not tell
        rank = shown["value"].mask(shown["suppressed"], float(threshold))
        shown = shown.assign(_rank=rank).sort_values(
            ["_rank", "country"], ascending=[False, True], na_position="last",
            kind="stable").drop(columns="_rank").reset_index(drop=True)
        notes = [spec.note] if spec.note else []
        notes.append(f"{len(table)} UNECE State(s) with data for {year}"
                     + (f"; the {top} largest shown" if len(table) > top else ""))
        notes.append(_masked_note(shown, threshold))
        meta = _series_meta(in_year, spec, indicators)
        meta["filter"].update({"geo": "each UNECE State", "year": year})
        return Series(kind="comparison", title=f"{spec.title}, {year}", data=shown, year=year,
                      note="; ".join(n for n in notes if n), sensitive=sensitive,
                      small_count_threshold=threshold, **meta)
    return None


def main_series(obs: pd.DataFrame, objective: int, indicators: pd.DataFrame | None = None,
                threshold: int = SMALL) -> tuple[Series | None, Series | None]:
    """(trend, country comparison) of the objective's main indicator; None where unavailable."""
    return (trend(obs, objective, indicators, threshold),
            comparison(obs, objective, indicators, threshold=threshold))
