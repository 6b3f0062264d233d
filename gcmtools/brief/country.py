"""Country profiles: one State's parameters in; what it reported, what the custodians publish
about it and its gaps out, each section as data (`<section>_data(cc)`) and as HTML.

A profile reads the review's context (gcmtools.brief.context: the validated practices, every
shipped source, the review period) and keeps what concerns one State: the practices it
submitted and those of others that name it; the published totals of every indicator the loaded
sources publish for it (never a sum of breakdowns; flags, small-count rule, review period and
latest year, and the file, vintage and definition of every number); the roundtable's objectives
it reported nothing on and the indicators that have no figure for it. Kosovo carries the UN
footnote wherever its name is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure, evidence, keyfigures, select
from gcmtools.brief import sections
from gcmtools.brief.context import BriefContext, load_context, read_sources
from gcmtools.html import fragment
from gcmtools.paths import from_root

#: the IOM Missing Migrants Project's total of dead and missing: its route dimension says which
#: routes pass through a State (those with an incident recorded in it)
MMP_TOTAL, MMP_ROUTE = "mmp_dead_missing", "route"


@dataclass
class CountryContext:
    """One State's profile: the review's context and the State it is about."""

    brief: BriefContext
    iso3: str
    name: str
    subregion: str
    custodians: dict | None = None  # custodians_data, computed once (the JSON and section 3)

    @property
    def footnote(self) -> str:
        """The UN footnote on Kosovo for Kosovo's profile ('' for any other)."""
        return catalogue.editorial()["kosovo_footnote"] if self.iso3 == "XKX" else ""


def load_country(country: str, review: str = catalogue.DEFAULT_REVIEW,
                 practices: str = "data/practices", sources: str = "data", manifest: str = "",
                 previous: str = "", observations: pd.DataFrame | None = None,
                 use_cache: bool = True,
                 small_count_threshold: int = disclosure.SMALL_COUNT_THRESHOLD) -> CountryContext:
    """The profile's inputs: the review's context with every indicator of the sources (not only
    the key figures'), and the State (ISO3) checked against the catalogue (ValueError if unknown)."""
    iso3 = catalogue.check_profile_country(country)
    statuses = None
    if observations is None:
        paths = [p.strip() for p in str(sources).split(";") if p.strip()]
        observations, statuses = read_sources(paths, None, use_cache=use_cache)
    ctx = load_context(review, None, practices, sources, manifest, observations=observations,
                       use_cache=use_cache, small_count_threshold=small_count_threshold,
                       previous=previous)
    if statuses is not None:
        ctx.sources = statuses
    states = catalogue.unece_states().set_index("iso3")["subregion"]
    return CountryContext(ctx, iso3, catalogue.country_name(iso3),
                          str(states.get(iso3, catalogue.OTHER_PLACES)))


# --- 1 header --------------------------------------------------------------------------------


def _own(cc: CountryContext) -> pd.DataFrame:
    """The practices the State submitted (member State practices applying in it)."""
    p = evidence.ensure_columns(cc.brief.all_practices)
    mine = p["country"].map(lambda cs: cc.iso3 in cs) & (p["submitter_type"] == evidence.STATE)
    return p[mine.to_numpy()]


def _naming(cc: CountryContext) -> pd.DataFrame:
    """Practices of stakeholders that name the State."""
    p = evidence.ensure_columns(cc.brief.all_practices)
    named = p["country"].map(lambda cs: cc.iso3 in cs) & (p["submitter_type"] != evidence.STATE)
    return p[named.to_numpy()]


def _country_rows(cc: CountryContext) -> pd.DataFrame:
    obs = cc.brief.observations
    return obs[obs["geo"] == cc.iso3] if len(obs) else obs


def header_data(cc: CountryContext) -> dict:
    """Section 1: the State, its sub-region, the review and its period, what the profile holds."""
    r = cc.brief.review
    rows = _country_rows(cc)
    vintages = (rows[["publisher", "dataset", "vintage"]].drop_duplicates()
                .sort_values(["publisher", "dataset", "vintage"]).to_dict("records")) if len(rows) else []
    return {"name": cc.name, "iso3": cc.iso3, "subregion": cc.subregion, "footnote": cc.footnote,
            "member": cc.iso3 in catalogue.unece_iso3(),
            "illustrative": cc.brief.illustrative, "review": r.review,
            "roundtable_number": r.roundtable_number, "roundtable_title": r.roundtable_title,
            "period": r.period, "objectives": ", ".join(map(str, r.objectives)),
            "own": len(_own(cc)), "naming": len(_naming(cc)), "vintages": vintages}


def header(cc: CountryContext):
    """Section 1: the State, the review and its period, the data vintages of the profile."""
    return fragment("brief/country_header.html", **header_data(cc))


# --- 2 what the State reported ---------------------------------------------------------------


def _joined(values: object) -> str:
    if isinstance(values, (list, tuple)):
        return "; ".join(str(v) for v in values)
    return "" if values is None or (isinstance(values, float) and pd.isna(values)) else str(values)


def practice_list(p: pd.DataFrame, submitter: bool = False) -> pd.DataFrame:
    """Practices as a profile lists them: objectives, guiding questions and GCM actions each
    practice names, by id."""
    table = pd.DataFrame({
        "practice_id": p["practice_id"], "title": p["title"],
        **({"submitter": p["submitter"]} if submitter else {}),
        "objectives": p["objectives"].map(_joined),
        "guiding_questions": p["guiding_questions"].map(lambda q: _joined([f"Q{n}" for n in q])),
        "gcm_actions": (p["gcm_actions"] if "gcm_actions" in p.columns
                        else pd.Series([""] * len(p), index=p.index)).map(_joined),
        "years": [evidence.years_text(s, e) for s, e in zip(p["year_start"], p["year_end"])],
        "source_ref": p["source_ref"]})
    return table.sort_values("practice_id", kind="stable").reset_index(drop=True)


def by_objective(p: pd.DataFrame, review) -> pd.DataFrame:
    """Per objective the practices name (the roundtable's first): practices, the guiding
    questions and the GCM actions they name."""
    rows = []
    numbers = sorted({int(o) for os in p["objectives"] for o in os},
                     key=lambda o: (o not in review.objectives, o))
    for o in numbers:
        mine = p[p["objectives"].map(lambda os, o=o: o in [int(x) for x in os]).to_numpy()]
        questions = sorted({int(q) for qs in mine["guiding_questions"] for q in qs})
        actions = sorted({str(a) for acts in mine.get("gcm_actions", pd.Series(dtype=object))
                          if isinstance(acts, (list, tuple)) for a in acts})
        rows.append({"objective": catalogue.objective_label(o),
                     "in_roundtable": o in review.objectives, "practices": len(mine),
                     "guiding_questions": "; ".join(f"Q{q}" for q in questions),
                     "gcm_actions": "; ".join(actions)})
    return pd.DataFrame(rows, columns=["objective", "in_roundtable", "practices",
                                       "guiding_questions", "gcm_actions"])


def reported_data(cc: CountryContext) -> dict:
    """Section 2: the State's practices by objective, and each practice; the practices of
    stakeholders that name it."""
    own, naming = _own(cc), _naming(cc)
    return {"name": cc.name, "own": len(own), "naming": len(naming),
            "coverage_rule": evidence.COVERAGE_RULE_NOTE,
            "by_objective": by_objective(own, cc.brief.review) if len(own) else None,
            "practices": practice_list(own) if len(own) else None,
            "others": practice_list(naming, submitter=True) if len(naming) else None}


def reported(cc: CountryContext):
    """Section 2: what the State reported, by objective, guiding question and GCM action."""
    return fragment("brief/country_reported.html", **reported_data(cc))


# --- 3 what the custodians publish -----------------------------------------------------------


def _period_and_latest(table: pd.DataFrame, period: tuple[int, int] | None,
                       incomplete: set[str]) -> tuple[dict | None, dict | None]:
    """The rows of a yearly table for the review period (its latest year in the period) and
    the latest complete year; None where there is none."""
    table = table[~table["year"].isin(incomplete)]
    if table.empty:
        return None, None
    latest = table.iloc[-1].to_dict()
    inside = table[table["year"].astype(int).between(*period)] if period else table.iloc[0:0]
    return (inside.iloc[-1].to_dict() if len(inside) else None), latest


def _as_published(yearly: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """A year made of one published row shows that row's value as published (1.38, not 1.4)."""
    single = yearly["rows"] == 1
    if single.any():
        text = rows.drop_duplicates("year").set_index("year")["value_text"]
        yearly.loc[single, "value_text"] = yearly.loc[single, "year"].map(text)
    return yearly


def _used_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows without the dimension columns no row of theirs fills (other sources')."""
    core = set(select.CORE)
    return rows[[c for c in rows.columns if c in core or rows[c].astype(str).ne("").any()]]


def figure_rows(obs: pd.DataFrame, geo: str | None, where: tuple[tuple[str, str], ...],
                indicators: pd.DataFrame, period: tuple[int, int] | None, small: int,
                label: str = "") -> list[dict]:
    """One row per indicator: its published total for `geo` (and `where`) in the review period
    and in the latest year, under the small-count rule, with flags, file, vintage and definition."""
    out = []
    for ind, mine in obs.groupby("indicator", sort=True) if len(obs) else []:
        rows = select.select(_used_columns(mine), ind, where, geo=geo)
        yearly = _as_published(select.yearly(rows), rows)
        if yearly.empty:
            continue
        info = select.catalogue_row(indicators, ind)
        unit = str(rows["unit"].iloc[0])
        yearly, _ = disclosure.disclose(yearly, ind, where, unit, indicators, small)
        in_period, latest = _period_and_latest(yearly, period, select.incomplete_years(rows))
        if latest is None:
            continue
        source, vintage = select.provenance(rows)
        out.append({
            "indicator": ind, "label": label or str(info.get("name", ind)), "unit": unit,
            "period_year": in_period["year"] if in_period else "",
            "period_value": keyfigures.with_flags(in_period["value_text"], in_period["flags"])
            if in_period else "no year in the review period",
            "period_number": in_period["value"] if in_period else None,
            "latest_year": latest["year"],
            "latest_value": keyfigures.with_flags(latest["value_text"], latest["flags"]),
            "latest_number": latest["value"],
            "flags": "".join(sorted(set(str(latest["flags"]) + (in_period["flags"] if in_period else "")))),
            "source": source, "vintage": vintage,
            "file": "; ".join(sorted(set(rows["file"].astype(str)))),
            "definition": str(info.get("caveat", "")), "custodian": str(info.get("custodian", ""))})
    return out


def routes(cc: CountryContext) -> list[str]:
    """The IOM routes with an incident recorded in the State (those that pass through it)."""
    obs = cc.brief.observations
    if obs.empty or MMP_ROUTE not in obs.columns:
        return []
    mine = obs[(obs["indicator"] == MMP_TOTAL) & (obs["geo"] == cc.iso3)]
    return sorted(r for r in set(mine[MMP_ROUTE].astype(str)) - {"", "total"}
                  if not r.casefold().startswith("not "))


def _route_rows(cc: CountryContext, period, small) -> list[dict]:
    obs = cc.brief.observations
    mmp = obs[obs["indicator"] == MMP_TOTAL]
    out = []
    for route in routes(cc):
        out += figure_rows(mmp, None, ((MMP_ROUTE, route),), cc.brief.indicators, period, small,
                           label=f"Dead and missing on the {route} route (every country of incident)")
    return out


def custodians_data(cc: CountryContext) -> dict:
    """Section 3: per publisher, every indicator it publishes for the State (its published
    total in the review period and in the latest year); the IOM routes through the State; the
    SDG 10.7.2 policy domains; the caveats numbered; the flags and the small-count rule."""
    if cc.custodians is None:
        cc.custodians = _custodians_data(cc)
    return cc.custodians


def _custodians_data(cc: CountryContext) -> dict:
    ctx = cc.brief
    period, small = ctx.review.period_years, ctx.small_count_threshold
    rows = figure_rows(_country_rows(cc), cc.iso3, (), ctx.indicators, period, small)
    rows += _route_rows(cc, period, small)
    caveats: list[str] = []
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row["definition"] and row["definition"] not in caveats:
            caveats.append(row["definition"])
        row["caveat"] = f"[{caveats.index(row['definition']) + 1}]" if row["definition"] else ""
        groups.setdefault(row["source"], []).append(row)
    sensitive = ctx.indicators.set_index("id")["sensitive"]
    return {"name": cc.name, "period": ctx.review.period,
            "groups": [{"source": s, "rows": groups[s]} for s in sorted(groups)],
            "routes": routes(cc), "domains": policy_domains(cc), "caveats": caveats,
            "flags": keyfigures.flag_legend("".join(r["flags"] for r in rows)),
            "rule": disclosure.rule_sentence(small)
            if any(bool(sensitive.get(r["indicator"], False)) for r in rows) else "",
            "figures": rows}


#: SDG 10.7.2's six policy domains and its four levels, as UN DESA and IOM define them
DOMAINS = {"DOMAIN1": "Migrant rights", "DOMAIN2": "Whole-of-government / evidence-based policies",
           "DOMAIN3": "Cooperation and partnerships", "DOMAIN4": "Socioeconomic well-being",
           "DOMAIN5": "Mobility dimension of crises", "DOMAIN6": "Safe, orderly and regular migration",
           "total": "All domains"}
LEVELS = {1: "requires further progress", 2: "partially meets", 3: "meets", 4: "fully meets"}


def policy_domains(cc: CountryContext) -> pd.DataFrame | None:
    """SDG 10.7.2 for the State: each domain's level in each round (2019, 2021), as published."""
    rows = _country_rows(cc)
    rows = rows[rows["indicator"] == "sdg_gdb_10_7_2"] if len(rows) else rows
    if rows.empty or "policy_domains" not in rows.columns:
        return None
    table = rows.pivot_table(index="policy_domains", columns="year", values="value", aggfunc="first")
    out = pd.DataFrame({"domain": [DOMAINS.get(d, d) for d in table.index]})
    for year in table.columns:
        out[str(year)] = [f"{int(v)} ({LEVELS.get(int(v), '')})" if pd.notna(v) else "not published"
                          for v in table[year]]
    order = list(DOMAINS.values())
    return out.sort_values("domain", key=lambda d: d.map(order.index)).reset_index(drop=True)


def custodians(cc: CountryContext):
    """Section 3: what the custodians publish about the State, with provenance."""
    return fragment("brief/country_custodians.html", **custodians_data(cc))


# --- 4 gaps ----------------------------------------------------------------------------------


#: adapters whose series are one country's own publications (a national SDG platform, the UK
#: Home Office): no gap of another State
NATIONAL_ADAPTERS = ("open_sdg", "uk_home_office")


def _indicators_without_data(cc: CountryContext) -> pd.DataFrame:
    """Indicators the loaded data publish for several UNECE States but without a total for
    the State (one country's own series are no gap of another State's)."""
    obs = cc.brief.observations
    places = set(catalogue.profile_codes())
    rows = []
    for ind, mine in obs.groupby("indicator", sort=True) if len(obs) else []:
        info = select.catalogue_row(cc.brief.indicators, ind)
        countries = set(mine["geo"]) & places
        if info.get("adapter") in NATIONAL_ADAPTERS or len(countries) < 2:
            continue
        has_rows = bool((mine["geo"] == cc.iso3).any())
        if has_rows and not select.select(mine, ind, geo=cc.iso3).empty:
            continue
        rows.append({"indicator": str(info.get("name", ind)),
                     "custodian": str(info.get("custodian", "")),
                     "why": "published only as breakdowns, without a total" if has_rows
                     else f"published for {len(countries)} UNECE States, not for this one"})
    return pd.DataFrame(rows, columns=["indicator", "custodian", "why"])


def gaps_data(cc: CountryContext) -> dict:
    """Section 4: the roundtable's objectives on which the State submitted no practice (and
    whether a stakeholder named it there), and the indicators with no figure for it."""
    review = cc.brief.review
    own, naming = _own(cc), _naming(cc)

    def count(p: pd.DataFrame, o: int) -> int:
        return int(p["objectives"].map(lambda os: o in [int(x) for x in os]).sum()) if len(p) else 0

    missing = [{"objective": catalogue.objective_label(o), "by_stakeholders": count(naming, o)}
               for o in review.objectives if count(own, o) == 0]
    return {"name": cc.name, "roundtable_number": review.roundtable_number,
            "objectives": pd.DataFrame(missing, columns=["objective", "by_stakeholders"]),
            "all_reported": not missing, "none_reported": len(missing) == len(review.objectives),
            "indicators": _indicators_without_data(cc)}


def gaps(cc: CountryContext):
    """Section 4: objectives with no practice, indicators with no data."""
    return fragment("brief/country_gaps.html", **gaps_data(cc))


# --- 5 sources and method --------------------------------------------------------------------


def sources_and_method_data(cc: CountryContext) -> dict:
    """Section 5: the brief's sources and method (gcmtools.brief.sections), its data sets
    narrowed to those with figures for the State, and the closing notes with the Kosovo
    footnote whenever the profile names Kosovo."""
    data = sections.sources_and_method_data(cc.brief)
    rows = _country_rows(cc)
    cols = ["publisher", "dataset", "vintage", "licence"]
    datasets = (rows.groupby(cols, sort=True)["file"].agg(lambda f: "; ".join(sorted(set(f))))
                .reset_index()) if len(rows) else data["datasets"].iloc[0:0]
    texts = [cc.name] + [str(v) for p in (_own(cc), _naming(cc)) for c in ("title", "description")
                         for v in p[c]]
    texts += [c for p in (_own(cc), _naming(cc)) for cs in p["country"] for c in cs]
    footnote = catalogue.editorial()["kosovo_footnote"] if catalogue.mentions_kosovo(texts) else ""
    return data | {"datasets": datasets, "overview": False,
                   "closing": data["closing"] | {"footnote": footnote}}


def sources_and_method(cc: CountryContext):
    """Section 5: data sets, intake counts, method, run manifest, notes."""
    return fragment("brief/sources_and_method.html", **sources_and_method_data(cc))


# --- the build's record ----------------------------------------------------------------------


def save_country(cc: CountryContext, path: str) -> None:
    """Write the profile's key-figures JSON to `path` (relative to the project root; nothing
    if ''): every figure the profile shows, and the practice counts the build's index shows."""
    if not path:
        return
    from gcmtools.store import write_json_atomic

    figures = [{"label": r["label"], "value": r["period_number"], "display": r["period_value"],
                "unit": r["unit"], "year": r["period_year"], "period": cc.brief.review.period,
                "geo": cc.iso3, "place": cc.name, "indicator": r["indicator"], "flags": r["flags"],
                "source": r["source"], "vintage": r["vintage"], "caveat": r["definition"],
                "context_year": r["latest_year"], "context_value": r["latest_number"],
                "context_display": r["latest_value"], "file": r["file"]}
               for r in custodians_data(cc)["figures"]]
    data = {"review": cc.brief.review.id, "country": cc.iso3, "figures": figures,
            "practices": {"accepted": int(len(cc.brief.all_practices)), "own": len(_own(cc)),
                          "naming": len(_naming(cc)), "illustrative": cc.brief.illustrative},
            "changes": None}
    write_json_atomic(data, from_root(path))
