"""Indicator observations in; the trend (by year) and the country comparison (one year) of an
objective's main indicator out, as Series.

The indicator and its filter are the objective's trend and comparison specs
(reference/key_figures.yaml; the first candidate present in the data wins). The rows are
chosen by gcmtools.analysis.select and checked there to be the published totals they add up;
small counts in sensitive breakdowns are masked (gcmtools.analysis.disclosure): `value_text`
shows "<5", `value` keeps the number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure
from gcmtools.analysis.select import (
    YEAR,
    additive,
    catalogue_row,
    check_aggregates,
    describe_where,
    incomplete_years,
    provenance,
    row_flags,
    select,
    totals_layout,
    yearly,
)
from gcmtools.catalogue.keyfigure_specs import COMPARISONS, TRENDS, SeriesSpec
from gcmtools.html import fmt_number

SMALL = disclosure.SMALL_COUNT_THRESHOLD
COMPARISON_TOP = 15


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


def _series_meta(rows: pd.DataFrame, spec: SeriesSpec, indicators: pd.DataFrame | None) -> dict:
    """What a series says of its rows: indicator, unit, source, vintage, caveat and filter."""
    source, vintage = provenance(rows)
    return {"indicator": spec.indicator, "unit": str(rows["unit"].iloc[0]), "source": source,
            "vintage": vintage,
            "caveat": str(catalogue_row(indicators, spec.indicator).get("caveat", "")),
            "filter": {"indicator": spec.indicator, "geo": spec.geo or "any",
                       **describe_where(spec.where), "sex": "total", "age": "total"}}


def trend(obs: pd.DataFrame, objective: int, indicators: pd.DataFrame | None = None,
          threshold: int = SMALL) -> Series | None:
    """The main indicator of `objective` by year (complete years only), or None if absent."""
    for spec in TRENDS.get(int(objective), ()):
        if obs.empty:
            break
        rows = select(obs, spec.indicator, spec.where, spec.geo)
        if rows.empty or (not additive(rows) and (rows.groupby(["geo", "year"]).size() > 1).any()):
            continue
        skipped = incomplete_years(rows)
        table = yearly(rows[~rows["year"].isin(skipped)])
        check_aggregates(spec.title, rows, "year",
                         {str(r.year): (r.value, r.geos) for r in table.itertuples()},
                         spec.where, totals_layout(obs[obs["indicator"] == spec.indicator]))
        first = table.index[table["value"].fillna(0) != 0]
        table = table.loc[first[0]:] if len(first) else table.iloc[0:0]  # leading zeros: not yet recorded
        table, sensitive = disclosure.disclose(table, spec.indicator, spec.where,
                                     str(rows["unit"].iloc[0]), indicators, threshold)
        notes = [spec.note] if spec.note else []
        if skipped:
            notes.append(f"{', '.join(sorted(skipped))} left out: not a complete year")
        notes.append(disclosure.masked_note(table, threshold))
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
        if rows.empty or (not additive(rows) and (rows.groupby(["geo", "year"]).size() > 1).any()):
            continue
        complete = rows[~rows["year"].isin(incomplete_years(rows))]
        years = sorted(y for y in set(complete["year"].astype(str)) if YEAR.match(y))
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
                            "value_text": text, "flags": row_flags(g)})
        table = pd.DataFrame(per_geo, columns=["geo", "country", "value", "value_text", "flags"])
        check_aggregates(f"{spec.title}, {year}", in_year, "geo",
                         {r.geo: (r.value, None) for r in table.itertuples()}, spec.where,
                         totals_layout(obs[obs["indicator"] == spec.indicator]))
        table = table.sort_values(["value", "country"], ascending=[False, True],
                                  na_position="last", kind="stable")
        shown, sensitive = disclosure.disclose(table.head(top), spec.indicator, spec.where,
                                     str(in_year["unit"].iloc[0]), indicators, threshold)
        # suppressed values rank as the threshold (then by name): their order must not tell
        rank = shown["value"].mask(shown["suppressed"], float(threshold))
        shown = shown.assign(_rank=rank).sort_values(
            ["_rank", "country"], ascending=[False, True], na_position="last",
            kind="stable").drop(columns="_rank").reset_index(drop=True)
        notes = [spec.note] if spec.note else []
        notes.append(f"{len(table)} UNECE State(s) with data for {year}"
                     + (f"; the {top} largest shown" if len(table) > top else ""))
        notes.append(disclosure.masked_note(shown, threshold))
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
