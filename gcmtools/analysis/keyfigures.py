"""Indicator observations in, key figures out: 3 to 6 traced numbers per objective.

A key figure is one number with everything a reviewer needs to trace it: indicator, place,
year, source, vintage, the catalogue's caveat and the filter that produced it. Given the
review's period, it answers for the latest complete year of the period, with the latest year
available beside it as context (`context_year`, `context_display`). Figures whose
source is absent are listed as missing, never invented. The rows come from
gcmtools.analysis.select, which checks that a figure is the sum of the published totals it
claims to add up (BriefSanityError otherwise); where the custodian itself publishes a total
smaller than its parts, the published total is shown and the figure's note says so. Small
counts of people in sensitive breakdowns are shown as "<5" (gcmtools.analysis.disclosure):
`display` is masked, `value` is kept for the audit trail. The trend and the comparison of an
objective's main indicator are in gcmtools.analysis.series.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure
from gcmtools.analysis.select import (
    YEAR,
    BriefSanityError,
    additive,
    catalogue_row,
    check_aggregate,
    describe_where,
    failed_check,
    geo_rows,
    incomplete_years,
    matches,
    parts_note,
    provenance,
    select,
    yearly,
)
from gcmtools.catalogue.keyfigure_specs import COMPARISONS, SPECS, TRENDS, FigureSpec, SeriesSpec  # noqa: F401 - kf.SPECS
from gcmtools.html import fmt_percent
from gcmtools.sources.checks import INCONSISTENT_AS_PUBLISHED
from gcmtools.sources.eurostat import FLAGS  # the custodian's code list
from gcmtools.store import write_json_atomic

SMALL = disclosure.SMALL_COUNT_THRESHOLD


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
        context = self.context_value
        if (context is not None and math.isnan(context)) or self.context_suppressed:
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


# --- flags and years ---------------------------------------------------------------------------


def flag_legend(flags: str) -> str:
    """'e estimated; p provisional' for the flag letters shown ('' for none)."""
    return "; ".join(f"{ch} {FLAGS.get(ch, 'flagged by the custodian')}"
                     for ch in sorted(set(flags)) if ch.strip())


def with_flags(text: str, flags: str) -> str:
    """A value as shown with its flags beside it: '123,260 e'."""
    return f"{text} {flags}" if flags and text else text


def _older_than_the_data(year: str, obs: pd.DataFrame, incomplete: set[str]) -> str:
    """The indicator's latest complete year if `year` is older than it (else "")."""
    years = sorted(y for y in set(obs["year"].astype(str)) if YEAR.match(y) and y not in incomplete)
    return years[-1] if years and YEAR.match(str(year)) and str(year) < years[-1] else ""


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


# --- key figures ---------------------------------------------------------------------------------


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
    rows = _rows(obs, spec, indicators)
    if isinstance(rows, str):
        return MissingFigure(label, spec.indicator, rows)
    table = yearly(rows)
    year, note, context = _pick_year(table, spec.year, incomplete_years(rows), period)
    if year is None and context is None:
        return MissingFigure(label, spec.indicator, f"no {spec.year.replace('_', ' ')} year"
                             + (f" ({note})" if note else ""))
    notes = [n for n in (spec.note, note) if n]
    if year is not None and period is None and spec.year.startswith("latest"):
        stale = _older_than_the_data(year, obs, incomplete_years(obs))
        if stale:
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
    notes += _year_notes(spec, main, beside, year, context)
    return _figure(spec, int(objective), (year, main), (context, beside), notes, period, indicators)


def _rows(obs: pd.DataFrame, spec: FigureSpec, indicators: pd.DataFrame | None) -> pd.DataFrame | str:
    """The rows `spec` selects from one indicator's observations, or why there are none."""
    if obs.empty:
        name = catalogue_row(indicators, spec.indicator).get("name") or spec.indicator
        return (f"no data for it: {name} is not among the data sets this build "
                f"read (indicator {spec.indicator} is not in the loaded data)")
    rows = select(obs, spec.indicator, spec.where, spec.geo)
    if rows.empty:
        return _why_empty(obs, spec)
    if not additive(rows) and (rows.groupby(["geo", "year"]).size() > 1).any():
        return ("several series in a unit that does not add up: "
                f"{', '.join(sorted(set(rows['unit'])))}")
    return rows


def _year_notes(spec: FigureSpec, main: dict | None, beside: dict | None, year: str | None,
                context: str | None) -> list[str]:
    """The notes of the value shown, and those of the context year that differ from them."""
    notes = list(main["notes"]) if main else []
    if main and beside and spec.geo == "UNECE" and spec.measure == "sum":
        notes.append(_states_differ(main["in_year"], beside["in_year"], year, context))
    if beside:
        notes += [f"{context}: {n}" for n in beside["notes"] if not main or n not in main["notes"]]
    return notes


def _filter(spec: FigureSpec, year: str | None, context: str | None,
            period: tuple[int, int] | None) -> dict:
    """The filter that produced a figure, as its JSON and its reader see it."""
    filt = {"indicator": spec.indicator, "geo": spec.geo or "any",
            "year": year or f"none in {period_text(period)}", **describe_where(spec.where)}
    if period is not None:
        filt["review period"] = period_text(period)
    if context:
        filt["latest available"] = context
    filt.setdefault("sex", "total")
    filt.setdefault("age", "total")
    if spec.measure == "share_female":
        filt["sex"] = "female / (female + male)"
    return filt


def _figure(spec: FigureSpec, objective: int, asked: tuple[str | None, dict | None],
            latest: tuple[str | None, dict | None], notes: list[str],
            period: tuple[int, int] | None, indicators: pd.DataFrame | None) -> KeyFigure:
    """The KeyFigure of the year asked for and its value (`asked`: year, _measure's dict or
    None), beside the context year and its value (`latest`)."""
    (year, main), (context, beside) = asked, latest
    shown = main or beside
    shown_year = year or period_text(period)
    source, vintage = provenance(shown["in_year"] if main is None or beside is None
                                 else pd.concat([main["in_year"], beside["in_year"]]))
    return KeyFigure(
        objective=objective, label=spec.label.format(year=shown_year),
        value=main["value"] if main else None,
        display=main["display"] if main else "not available",
        unit=shown["unit"], year=shown_year, geo=spec.geo or "any",
        place=shown["place"], indicator=spec.indicator, source=source, vintage=vintage,
        caveat=str(catalogue_row(indicators, spec.indicator).get("caveat", "")),
        note="; ".join(n for n in notes if n), filter=_filter(spec, year, context, period),
        sensitive=bool(shown["sensitive"]), suppressed=bool(main and main["suppressed"]),
        flags=main["flags"] if main else "", period=period_text(period),
        context_year=context or "", **_context(main, beside))


def _context(main: dict | None, beside: dict | None) -> dict:
    """The KeyFigure fields of the context year's value ('' and None when there is none)."""
    if not beside:
        return {"context_value": None, "context_display": "", "context_place": "",
                "context_suppressed": False, "context_flags": ""}
    return {"context_value": beside["value"],
            "context_display": beside["display"],
            "context_place": beside["place"] if main and beside["place"] != main["place"] else "",
            "context_suppressed": bool(beside["suppressed"]), "context_flags": beside["flags"]}


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
    inconsistent = parts_note(obs, spec.where, spec.indicator, spec.geo, year)
    in_year = rows[rows["year"] == year]
    row = table[table["year"] == year].iloc[0]
    value, display, unit = row["value"], row["value_text"], str(in_year["unit"].iloc[0])
    place = _place(spec.geo, in_year, dict(spec.where))
    if spec.place:
        place = spec.place.format(states=in_year["geo"].nunique(), of=len(catalogue.unece_iso3()))
    notes = [inconsistent] if inconsistent else []
    if spec.measure == "share_female":
        share, geos, counts = _share_female(obs, spec, year)
        if share is None:
            return f"no female and male figures for {year}"
        value, display, unit = 100 * share, fmt_percent(share), "percent"
        notes.append(f"female / (female + male), over the {len(geos)} place(s) publishing both")
        if disclosure.reveals_small(counts, spec.indicator, spec.where, indicators, threshold):
            return {"value": None, "display": disclosure.SECONDARY, "unit": unit, "place": place,
                    "notes": notes + [disclosure.secondary_note(threshold)], "sensitive": True,
                    "suppressed": True, "in_year": in_year, "flags": str(row["flags"])}
        if spec.geo == "UNECE":
            place = f"UNECE States reporting by sex ({len(geos)} of {len(catalogue.unece_iso3())})"
    else:
        check_aggregate(spec.label.format(year=year), value, in_year, spec.where, context=obs)
        odd = sorted(set(in_year.loc[in_year["note"].astype(str).str.contains(
            INCONSISTENT_AS_PUBLISHED, regex=False), "geo"])) if "note" in in_year.columns else []
        if odd:
            notes.append("the published total, although the custodian's breakdowns by sex or "
                         "age add up to more, for " + ", ".join(catalogue.country_name(g) for g in odd))
        if row["censored"] and not math.isnan(value):
            hidden = sorted(set(in_year.loc[in_year["value"].isna(), "geo"]))
            notes.append(f"{row['censored']} censored value(s) (e.g. '<5') not included"
                         + (f": {_names(hidden)}" if spec.geo == "UNECE" and hidden else ""))
    # the small-count rule on what is shown
    shown, sensitive = disclosure.disclose(pd.DataFrame({"value": [value], "value_text": [display]}),
                                 spec.indicator, spec.where, unit, indicators, threshold)
    display, suppressed = str(shown["value_text"].iloc[0]), bool(shown["suppressed"].iloc[0])
    if suppressed:
        notes.append(f"a count below {threshold} in a sensitive breakdown, shown as <{threshold}")
    return {"value": None if math.isnan(value) else float(value), "display": display,
            "unit": unit, "place": place, "notes": notes, "sensitive": sensitive,
            "suppressed": suppressed, "in_year": in_year, "flags": str(row["flags"])}


def _why_empty(obs: pd.DataFrame, spec: FigureSpec) -> str:
    """Which filter left no rows: the place, or a breakdown the data do not publish."""
    rows = geo_rows(obs, spec.geo)
    scope = rows if len(rows) else obs
    failed = failed_check(scope)
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
        kept = rows[matches(rows[column], wanted)]
        if kept.empty:
            published = ", ".join(sorted(set(rows[column].astype(str)) - {""})[:8])
            shown = describe_where(((column, wanted),))[column]
            return (f"no {spec.indicator} rows with {column}={shown}"
                    + (f" for {spec.geo}" if spec.geo else "")
                    + (f" (published: {published})" if published else ""))
        rows = kept
    return f"no observations for {spec.indicator} with this filter"


def _share_female(obs: pd.DataFrame, spec: FigureSpec,
                  year: str) -> tuple[float | None, list[str], tuple[float, float]]:
    """Female / (female + male) over the geos that publish both for `year`, those geos, and
    the female and male counts it divides (beside an exact total they are the share's secret)."""
    parts = {}
    for sex in ("female", "male"):
        rows = select(obs, spec.indicator, spec.where + (("sex", sex),), spec.geo)
        rows = rows[(rows["year"] == year) & rows["value"].notna()]
        parts[sex] = rows.groupby("geo")["value"].sum()
    both = sorted(set(parts["female"].index) & set(parts["male"].index))
    female = float(parts["female"].reindex(both).sum())
    male = float(parts["male"].reindex(both).sum())
    if not both or female + male <= 0:
        return None, [], (0.0, 0.0)
    share = female / (female + male)
    if not 0 <= share <= 1:
        raise BriefSanityError(f"{spec.indicator} {year}: share female {share} outside 0-1")
    return share, both, (female, male)


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
    data = {
        "objective": figures.objective,
        "figures": [f.to_record() for f in figures.figures],
        "missing": [asdict(m) for m in figures.missing],
        **(extra or {}),
    }
    return write_json_atomic(data, Path(path))
