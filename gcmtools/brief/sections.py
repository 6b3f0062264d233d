"""Brief sections: a BriefContext in, for each section its data (a dict of plain values) and
its HTML (an IPython HTML object rendered from gcmtools/templates/brief/).

The notebooks call `load_context(...)` (gcmtools.brief.context) once, then one display function per
section; `<section>_data(ctx)` gives what that section shows. The templates escape every value
they print (gcmtools.html): submitted text is data, never markup. Output is deterministic: no
timestamps, no absolute paths, sorted tables. Indicator numbers are shown as keyfigures computed
them under the small-count rule (gcmtools.analysis.disclosure): a small count of people in a
sensitive breakdown reads "<5"; the rule is stated in section 2 when a sensitive series is shown,
and always in section 6.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from gcmtools import catalogue
from gcmtools.analysis import disclosure, evidence, keyfigures, select, synthesis
from gcmtools.analysis.keyfigures import KeyFigures
from gcmtools.analysis.series import Series
from gcmtools.brief import charts
from gcmtools.brief.context import BriefContext, relative
from gcmtools.catalogue import keyfigure_specs
from gcmtools.html import fmt_percent, fragment
from gcmtools.paths import from_root

INTERACTIVE = "Interactive run: no build manifest."
_MANIFEST_SKIP = {"manifest", "key_figures_out", "started", "built", "last_attempt"}
SUBMITTER_TYPES_NOTE = "States are submissions with submitter_type member_state; every other type is a stakeholder."


def _subject(ctx: BriefContext) -> str:
    return f"objective {ctx.objective}" if ctx.objective else "this roundtable"


def _chart(make, *args, **kwargs) -> Markup:
    """A chart's <img> (our own markup, its alt text escaped by charts.figure_img)."""
    return Markup(charts.chart_img(make, *args, **kwargs))


# --- 1 header --------------------------------------------------------------------------------


def _vintages(ctx: BriefContext, indicators: list[str] | None) -> pd.DataFrame:
    obs = ctx.observations
    if obs.empty:
        return pd.DataFrame(columns=["publisher", "dataset", "vintage"])
    if indicators is not None:
        obs = obs[obs["indicator"].isin(indicators)]
    return (obs[["publisher", "dataset", "vintage"]].drop_duplicates()
            .sort_values(["publisher", "dataset", "vintage"]).reset_index(drop=True))


def header_data(ctx: BriefContext) -> dict:
    """Section 1: objective or roundtable, the review, its guiding questions, practices and vintages."""
    r = ctx.review
    questions = r.questions_for(ctx.objective) if ctx.objective else list(r.guiding_questions)
    wanted = keyfigures.expected_indicators(ctx.objective) if ctx.objective else None
    return {
        "illustrative": ctx.illustrative, "objective": ctx.objective,
        "objective_title": catalogue.objective_title(ctx.objective) if ctx.objective else "",
        "roundtable_number": r.roundtable_number, "roundtable_title": r.roundtable_title,
        "review": r.review, "dates": r.dates, "period": r.period,
        "objectives": ", ".join(map(str, r.objectives)),
        "questions": questions, "preamble": r.questions_preamble,
        "practices": len(ctx.practices), "accepted": len(ctx.all_practices),
        "files": len(ctx.intake.counts),
        "vintages": _vintages(ctx, wanted).to_dict("records"),
    }


def header(ctx: BriefContext):
    """Section 1: objective and title, roundtable, guiding questions, review, period, vintages."""
    return fragment("brief/header.html", **header_data(ctx))


# --- 2 key figures ---------------------------------------------------------------------------


def period_sentence(period: str) -> str:
    """How the key figures answer for the review period, said once above them."""
    return (f"Each key figure is for the review period {period}: its latest complete year with "
            "data (or the year before it, where the figure says so). The latest year available "
            "is given beside it as context, and is not a figure of the review period.")


def figures_data(kf: KeyFigures, period: str = "", intro: bool = True) -> dict:
    """The key figures table: one row per figure (caveats numbered), the flags shown, how each
    figure was selected, and the figures that could not be computed.

    With a review `period`, a column gives each figure's context (the latest year available)
    and, with `intro`, a sentence above the table says how the figures answer for the period.
    """
    caveats: list[str] = []
    rows = []
    for f in kf.figures:
        if f.caveat and f.caveat not in caveats:
            caveats.append(f.caveat)
        rows.append({"label": f.label, "note": f.note,
                     "value": keyfigures.with_flags(f.display, f.flags), "unit": f.unit,
                     "year": f.year, "context": f.context_text, "place": f.place,
                     "source": f.source, "vintage": f.vintage,
                     "caveat": f"[{caveats.index(f.caveat) + 1}]" if f.caveat else ""})
    filters = pd.DataFrame([{"key figure": f.label, "filter": "; ".join(
        f"{k}={v}" for k, v in f.filter.items())} for f in kf.figures])
    return {"rows": rows, "context": bool(period) or any(f.context_year for f in kf.figures),
            "intro": period_sentence(period) if period and intro else "",
            "flags": keyfigures.flag_legend("".join(f.flags + f.context_flags for f in kf.figures)),
            "caveats": caveats, "filters": filters,
            "missing": [{"label": m.label, "reason": m.reason} for m in kf.missing]}


def _rule(ctx: BriefContext, shown: list) -> str:
    """The small-count rule, when any figure or series `shown` is sensitive ('' otherwise)."""
    if not any(s is not None and s.sensitive for s in shown):
        return ""
    return disclosure.rule_sentence(ctx.small_count_threshold)


def key_figures_data(ctx: BriefContext) -> dict:
    """Section 2: the objective's key figures, the small-count rule if it applies, cited figures."""
    kf = ctx.key_figures
    if kf is None or _unconfigured(ctx):
        why = (f"No key figures: {_unconfigured(ctx)} (what a brief shows is set in the package's "
               "key_figures.yaml, or in a file of the project folder's key_figures/)." if kf is not None
               else "Key figures are shown per objective.")
        return {"figures": None, "why": why, "rule": "", "cited": []}
    return {"figures": figures_data(kf, ctx.review.period),
            "rule": _rule(ctx, [*kf.figures, ctx.trend, ctx.comparison]),
            "cited": cited_figures(ctx)}


def key_figures(ctx: BriefContext):
    """Section 2: the objective's key figures (value, unit, year, place, source, caveat)."""
    return fragment("brief/key_figures.html", **key_figures_data(ctx))


def cited_value(obs: pd.DataFrame, indicator: str, year: str, where: dict) -> tuple[float | None, str]:
    """The sum `select.select` gives for one indicator, year and filter, and its vintage."""
    if obs.empty or indicator not in set(obs["indicator"]):
        return None, ""
    rows = select.select(obs, indicator, tuple((str(k), str(v)) for k, v in where.items()))
    rows = rows[rows["year"].astype(str) == str(year)]
    value = float(rows["value"].sum()) if rows["value"].notna().any() else None
    return value, "; ".join(sorted(set(rows["vintage"].astype(str))))


def cited_figures(ctx: BriefContext) -> list[dict]:
    """The figures the roundtable's documents cite for this objective, each with the data's.

    One dict per quote: document, quote, sic, note, label, year, place, net (the data's
    figure, net of the custodian's corrections: the key figure), corrections and
    first_reported (net + corrections), vintage and source.
    """
    out = []
    obs = ctx.observations
    for c in ctx.review.cited_figures:
        if ctx.objective is None or int(c.get("objective", 0)) != ctx.objective:
            continue
        data = c.get("compared_with") or {}
        where = dict(data.get("where") or {})
        net, vintage = cited_value(obs, data["indicator"], data["year"], where)
        corrections = None
        if data.get("first_reported") and net is not None:
            corrections, _ = cited_value(obs, data["first_reported"], data["year"], where)
            corrections = corrections or 0.0
        rows = obs[obs["indicator"] == data["indicator"]] if len(obs) else obs
        source, _ = select.provenance(rows) if len(rows) else ("", "")
        out.append({"document": str(c.get("document", "")), "quote": " ".join(str(c["quote"]).split()),
                    "sic": str(c.get("sic", "")), "note": " ".join(str(c.get("note", "")).split()),
                    "label": str(data.get("label", "")), "year": str(data["year"]),
                    "place": ", ".join(f"IOM region {v}" if k == "region" else str(v)
                                       for k, v in where.items()),
                    "net": net, "corrections": corrections,
                    "first_reported": None if corrections is None else net + corrections,
                    "vintage": vintage, "source": source})
    return out


def series_data(series: Series, period: tuple[int, int] | None = None) -> dict:
    """A chart's notes and the data behind it: year (or country), value as shown with its
    flags, and (for a trend in a review period) which years are in the period."""
    data = series.data
    flags = data["flags"].fillna("").astype(str) if "flags" in data.columns else None
    shown = data["value_text"].astype(str)
    if flags is not None:
        shown = pd.Series([keyfigures.with_flags(t, f) for t, f in zip(shown, flags)],
                          index=data.index)
    first = "year" if series.kind == "trend" else "country"
    df = pd.DataFrame({first: data[first], series.unit: shown})
    if series.kind == "trend" and period is not None:
        inside = df["year"].astype(int).between(*period)
        df = df.assign(**{"review period": inside.map({True: "review period", False: ""})})
    return {"note": series.note, "caveat": series.caveat, "table": df,
            "flags": keyfigures.flag_legend("".join(flags)) if flags is not None else ""}


def _unconfigured(ctx: BriefContext) -> str:
    """Why an objective's brief shows no key figures, trend or comparison when no key-figure
    specs name it ('' when some do)."""
    if ctx.objective is None or ctx.objective in keyfigure_specs.SPECS:
        return ""
    return f"no key-figure specification names objective {ctx.objective}"


def trend_data(ctx: BriefContext) -> dict:
    """Section 2: the main indicator's trend (None, with the indicators it looks for, if none)."""
    s = ctx.trend
    if s is None:
        specs = keyfigure_specs.TRENDS.get(ctx.objective or 0, ())
        why = (_unconfigured(ctx) or "no trend is configured for this objective" if not specs
               else "none of the indicators it uses (" + ", ".join(sp.indicator for sp in specs)
               + ") is in the loaded data")
        return {"series": None, "why": why}
    period = ctx.review.period_years
    return {"series": series_data(s, period),
            "chart": _chart(charts.trend_chart, s, period=period)}


def trend(ctx: BriefContext):
    """Section 2: the main indicator's trend chart (with its data and notes)."""
    return fragment("brief/trend.html", **trend_data(ctx))


def comparison_data(ctx: BriefContext) -> dict:
    """Section 2: the main indicator across UNECE States (None, with why not, if none)."""
    s = ctx.comparison
    if s is None:
        specs = keyfigure_specs.COMPARISONS.get(ctx.objective or 0, ())
        why = (_unconfigured(ctx) or "the indicators of this objective are published for one country only"
               if not specs else "none of the indicators it uses ("
               + ", ".join(sp.indicator for sp in specs) + ") is in the loaded data")
        return {"series": None, "why": why}
    return {"series": series_data(s), "chart": _chart(charts.comparison_chart, s)}


def comparison(ctx: BriefContext):
    """Section 2: the main indicator compared across UNECE States (one year)."""
    return fragment("brief/comparison.html", **comparison_data(ctx))


# --- 3 what was reported ---------------------------------------------------------------------


def _practice_groups(table: pd.DataFrame) -> list[dict]:
    """A practice table split into States and stakeholders (a group with no practice left out)."""
    groups = []
    for group, label in ((evidence.GROUP_STATES, "States"),
                         (evidence.GROUP_STAKEHOLDERS, "Stakeholders")):
        mine = table[table["group"] == group].drop(columns=["group"])
        if len(mine):
            groups.append({"label": label, "practices": mine[[
                "practice_id", "title", "submitter", "country", "practice_type", "years",
                "source_ref"]]})
    return groups


def _listed_groups(ctx: BriefContext, by_question: pd.DataFrame) -> tuple[list[dict], dict | None]:
    """Each practice once: under the questions its submitter listed, or (listing no question)
    in one group of its own, whatever questions the objective rule counts it for."""
    p = ctx.practices
    assigned = evidence.question_assignments(evidence.ensure_columns(p), ctx.review, ctx.objective)
    questions = []
    for q in ctx.review.guiding_questions:
        if q.number not in set(by_question["question"]):
            continue
        ids = set(assigned.loc[(assigned["question"] == q.number)
                               & (assigned["rule"] == evidence.RULE_LISTED), "practice_id"])
        if ids:
            questions.append({"number": q.number, "short": q.short, "groups": _practice_groups(
                evidence.practice_table(p[p["practice_id"].isin(ids)]))})
    none_listed = evidence.ensure_columns(p)["guiding_questions"].map(len) == 0
    if not none_listed.any():
        return questions, None
    counted = sorted(set(assigned.loc[assigned["rule"] == evidence.RULE_NAMED, "question"]))
    where = (f"counted above for Q{', Q'.join(map(str, counted))} by the objective rule"
             if counted else "no guiding question names this objective")
    return questions, {"where": where[0].upper() + where[1:], "groups": _practice_groups(
        evidence.practice_table(p[none_listed.to_numpy()]))}


def reported_data(ctx: BriefContext) -> dict:
    """Section 3: practice counts, practices by guiding question and listed under each,
    who reported, and country by type of measure."""
    p = ctx.practices
    n_states = int((p["submitter_type"] == evidence.STATE).sum())
    data = {"subject": _subject(ctx), "practices": len(p), "by_states": n_states,
            "by_stakeholders": len(p) - n_states, "question_rule": evidence.QUESTION_RULE_NOTE,
            "submitter_types_note": SUBMITTER_TYPES_NOTE}
    if p.empty:
        return data
    table = evidence.by_question(p, ctx.review, ctx.objective)
    questions, unlisted = _listed_groups(ctx, table)
    return data | {
        "by_question": table.drop(columns=["names_objective"]),
        "distinct": synthesis.distinct_counts(p, ctx.review, ctx.objective),
        "chart": _chart(charts.questions_chart, table,
                        f"Practices by guiding question ({_subject(ctx)})"),
        "questions": questions, "unlisted": unlisted,
        "by_submitter_type": evidence.by_submitter_type(p),
        "country_by_type": evidence.country_by_type(p)}


def reported(ctx: BriefContext):
    """Section 3: practices by guiding question, States apart from stakeholders, by type and country."""
    return fragment("brief/reported.html", **reported_data(ctx))


def highlights_data(ctx: BriefContext, n: int = 3) -> dict:
    """Section 3: a few highlighted practices (most lenses, then most principles, then id)."""
    table = evidence.highlights(ctx.practices, ctx.review.lenses, n=n)
    descriptions = ctx.practices.set_index("practice_id")["description"] if len(table) else {}
    practices = []
    for h in table.itertuples(index=False):
        meta = [h.submitter, h.country] + ([h.years] if h.years else []) + (
            [f"lenses: {h.lenses}"] if h.lenses else [])
        practices.append({"title": h.title, "practice_id": h.practice_id, "meta": meta,
                          "description": descriptions.get(h.practice_id, ""),
                          "source_ref": h.source_ref})
    return {"practices": practices}


def highlights(ctx: BriefContext, n: int = 3):
    """Section 3: a few highlighted practices, each with its description and source."""
    return fragment("brief/highlights.html", **highlights_data(ctx, n))


# --- 4 cross-cutting lens --------------------------------------------------------------------


def lens_data(ctx: BriefContext) -> dict:
    """Section 4: share of practices per lens principle, target groups, the cross-cutting
    items, COVID-19 counts and measures (an empty dict when there is no practice)."""
    p = ctx.practices
    if p.empty:
        return {"shares": None}
    shares = evidence.lens_shares(p, ctx.review.lenses)
    groups = evidence.target_group_counts(p)
    counts = evidence.covid_counts(p)
    return {"shares": shares.assign(share=shares["share"].map(fmt_percent))[
                ["name", "practices", "share"]],
            "chart": _chart(charts.lens_chart, shares),
            "target_groups": groups[groups["practices"] > 0],
            "cross_cutting": [{"title": i.get("title", i.get("id", "")),
                               "description": " ".join(str(i.get("description") or "").split())}
                              for i in ctx.review.cross_cutting],
            "covid": list(zip(counts["covid19"], counts["practices"])),
            "measures": _practice_groups(measures) if len(measures := evidence.covid_measures(p))
            else []}


def lens(ctx: BriefContext):
    """Section 4: share of practices per lens principle, target groups, COVID-19 measures."""
    return fragment("brief/lens.html", **lens_data(ctx))


# --- 5 coverage and gaps ---------------------------------------------------------------------


def data_gaps(ctx: BriefContext) -> pd.DataFrame:
    """For each indicator the brief uses: years with data, years missing, UNECE States covered."""
    rows = []
    obs = ctx.observations
    wanted = (keyfigures.expected_indicators(ctx.objective) if ctx.objective is not None
              else sorted({i for o in ctx.review.objectives
                           for i in keyfigures.expected_indicators(o)}))
    states = catalogue.unece_iso3()
    for ind in wanted:
        mine = obs[obs["indicator"] == ind] if len(obs) else obs
        if mine.empty:
            rows.append({"indicator": ind, "years": "", "missing_years": "",
                         "unece_states": "", "status": "not in the loaded data"})
            continue
        years = sorted({int(y) for y in mine["year"] if str(y).isdigit() and len(str(y)) == 4})
        gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years)) if years else []
        latest = mine[mine["year"] == str(years[-1])] if years else mine.iloc[0:0]
        n_states = latest["geo"].isin(states).groupby(latest["geo"]).any().sum()
        rows.append({
            "indicator": ind,
            "years": f"{years[0]}-{years[-1]}" if years else "",
            "missing_years": ", ".join(map(str, gaps)) or "none",
            "unece_states": f"{int(n_states)} of {len(states)} in {years[-1]}" if years else "",
            "status": "loaded",
        })
    return pd.DataFrame(rows, columns=["indicator", "years", "missing_years", "unece_states",
                                       "status"])


def _thin_empty(ctx: BriefContext) -> str:
    """What the thin-questions table says when no question is thin."""
    naming = ([q for q in ctx.review.guiding_questions if ctx.objective in q.objectives]
              if ctx.objective is not None else list(ctx.review.guiding_questions))
    if not naming:
        return (f"No guiding question of the roundtable names objective {ctx.objective}: "
                "its practices are not measured against a question.")
    if ctx.objective is None:
        return f"None: every guiding question has at least {ctx.thin_threshold} practices."
    return (f"None: every guiding question that names this objective "
            f"(Q{', Q'.join(str(q.number) for q in naming)}) has at least "
            f"{ctx.thin_threshold} practices.")


def coverage_data(ctx: BriefContext) -> dict:
    """Section 5: States that reported or not (by sub-region), thin questions, data gaps,
    key figures not computed, data sets missing."""
    p = ctx.practices
    cov = evidence.coverage(p)
    return {
        "subject": _subject(ctx), "reported": int(cov["reported"].sum()), "states": len(cov),
        "coverage_rule": evidence.COVERAGE_RULE_NOTE,
        "by_subregion": synthesis.with_total(evidence.coverage_by_subregion(p)),
        "threshold": ctx.thin_threshold,
        "thin": evidence.thin_questions(p, ctx.review, ctx.objective, ctx.thin_threshold),
        "thin_empty": _thin_empty(ctx), "data_gaps": data_gaps(ctx),
        "missing": [{"label": m.label, "indicator": m.indicator, "reason": m.reason}
                    for kf in ctx.figures.values() for m in kf.missing],
        "absent": [{"path": s.path, "status": s.status, "message": s.message}
                   for s in ctx.sources if s.status not in ("loaded", "superseded")],
    }


def coverage(ctx: BriefContext):
    """Section 5: States that reported or not (by sub-region), thin questions, data gaps."""
    return fragment("brief/coverage.html", **coverage_data(ctx))


# --- 6 sources and method --------------------------------------------------------------------


def _datasets(ctx: BriefContext) -> pd.DataFrame:
    obs = ctx.observations
    if obs.empty:
        return pd.DataFrame(columns=["publisher", "dataset", "vintage", "licence", "file"])
    cols = ["publisher", "dataset", "vintage", "licence"]
    files = obs.groupby(cols, sort=True)["file"].agg(lambda f: "; ".join(sorted(set(f))))
    return files.reset_index()


def manifest_data(ctx: BriefContext) -> dict:
    """The run's manifest as the brief shows it: its items and parameters (no times, no
    machine paths) and its input files' hashes; or why there is none."""
    if ctx.manifest_error or not ctx.manifest:
        return {"error": ctx.manifest_error, "rows": None}
    m = ctx.manifest
    rows = []
    for key in sorted(m):
        if key in _MANIFEST_SKIP or key in ("parameters", "input_hashes"):
            continue
        rows.append({"item": key, "value": m[key] if not isinstance(m[key], (dict, list))
                     else json.dumps(m[key], sort_keys=True)})
    params = m.get("parameters") or {}
    for key in sorted(params):
        if key not in _MANIFEST_SKIP:
            value = params[key]
            # a ';'-list of paths is one long word: give the browser places to wrap it
            rows.append({"item": f"parameter {key}",
                         "value": value.replace(";", "; ") if isinstance(value, str) else value})
    hashes = m.get("input_hashes") or {}
    return {"error": "", "name": Path(ctx.manifest_path).name,
            "rows": pd.DataFrame(rows, columns=["item", "value"]),
            "inputs": pd.DataFrame([{"file": relative(k), "sha256": str(v)[:16]}
                                    for k, v in sorted(hashes.items())])}


def _unreadable(ctx: BriefContext) -> list[str]:
    """The files intake could not read, their paths relative to the project."""
    return [relative(u.split(":")[0]) + ":" + u.split(":", 1)[1] if ":" in u else u
            for u in ctx.intake.unreadable]


def sources_and_method_data(ctx: BriefContext) -> dict:
    """Section 6: data sets (publisher, vintage, licence), what reading them said, intake
    counts, the method's rules, the run manifest, (overview) background materials, notes."""
    counts = ctx.intake.counts.copy()
    if len(counts):
        counts["file"] = counts["file"].map(relative)
    return {
        "datasets": _datasets(ctx),
        "status": pd.DataFrame([{"data set": s.path, "status": s.status, "rows": s.rows,
                                 "indicators": s.indicators, "message": s.message}
                                for s in ctx.sources],
                               columns=["data set", "status", "rows", "indicators", "message"]),
        "notes": [n for s in ctx.sources for n in s.notes],
        "counts": counts, "unreadable": _unreadable(ctx),
        "rejected": bool(len(counts) and int(counts["rejected"].sum())),
        "question_rule": evidence.QUESTION_RULE_NOTE, "coverage_rule": evidence.COVERAGE_RULE_NOTE,
        "threshold": ctx.thin_threshold,
        "small_count_rule": disclosure.rule_sentence(ctx.small_count_threshold),
        "manifest": manifest_data(ctx), "interactive": INTERACTIVE,
        "overview": ctx.objective is None, "materials": ctx.review.background_materials,
        "closing": notes_data(ctx),
    }


def sources_and_method(ctx: BriefContext):
    """Section 6: data sets (publisher, vintage, licence), intake counts, method, run manifest."""
    return fragment("brief/sources_and_method.html", **sources_and_method_data(ctx))


def _shown_texts(ctx: BriefContext) -> list[str]:
    """The names and texts a brief shows from its practices, figures and data notes."""
    p = evidence.ensure_columns(ctx.practices if ctx.objective is not None else ctx.all_practices)
    texts = [c for cs in p["country"] for c in cs]
    texts += [str(v) for c in ("title", "description", "submitter") if c in p for v in p[c]]
    for kf in ctx.figures.values():
        texts += [t for f in kf.figures for t in (f.label, f.place, f.caveat, f.note,
                                                  f.context_place)]
        texts += [t for m in kf.missing for t in (m.label, m.reason)]
    for s in (ctx.trend, ctx.comparison):
        if s is not None:
            texts += [s.title, s.note, s.caveat]
            if "geo" in s.data.columns:
                texts += list(s.data["geo"].astype(str))
    texts += [t for s in ctx.sources for t in (s.message, *s.notes)]
    return texts


def notes_data(ctx: BriefContext) -> dict:
    """The closing notes of every brief and the overview: the UN disclaimer, and the Kosovo
    footnote whenever the brief names Kosovo ('' otherwise)."""
    texts = catalogue.editorial()
    kosovo = catalogue.mentions_kosovo(_shown_texts(ctx))
    return {"disclaimer": texts["disclaimer"], "footnote": texts["kosovo_footnote"] if kosovo else ""}


def save_key_figures(ctx: BriefContext, path: str) -> None:
    """Write the key figures JSON to `path` (relative to the project root); nothing if ''.

    Each figure keeps `value` for audits beside `display` (as the brief shows it) and
    `suppressed`; `disclosure` records the small-count threshold and rule of the run;
    `publication` the figures and practices shown and `changes` what changed since the previous
    build (gcmtools.brief.changes; null without one).
    """
    if not path:
        return
    from gcmtools.brief import changes

    since = changes.what_changed_data(ctx)
    published = {"publication": changes.publication(ctx),
                 "changes": {**since["changes"], "summary": since["summary"]} if since["changes"] else None}
    rule = {"small_count_threshold": ctx.small_count_threshold,
            "rule": disclosure.rule_sentence(ctx.small_count_threshold)}
    if ctx.objective is not None:
        keyfigures.write_key_figures(ctx.figures[ctx.objective], from_root(path),
                                     extra={"review": ctx.review.id, "practices": practice_counts(ctx),
                                            "disclosure": rule, **published})
        return
    from gcmtools.store import write_json_atomic

    data = {"review": ctx.review.id, "practices": practice_counts(ctx), "disclosure": rule,
            "objectives": {str(o): {"figures": [f.to_record() for f in kf.figures],
                                    "missing": [m.__dict__ for m in kf.missing]}
                           for o, kf in sorted(ctx.figures.items())}, **published}
    write_json_atomic(data, from_root(path))


def practice_counts(ctx: BriefContext) -> dict:
    """The practice counts a brief shows: intake totals, practices and States reporting (in all
    and per objective, by the briefs' coverage rule), and whether any practice is illustrative.
    The build's index shows them as published here."""
    def reporting(practices) -> int:
        return int(evidence.coverage(practices)["reported"].sum())

    counts = ctx.intake.counts
    mine = {str(o): evidence.for_objective(ctx.all_practices, o) for o in ctx.review.objectives}
    return {
        "read": int(counts["read"].sum()), "accepted": int(counts["accepted"].sum()),
        "rejected": int(counts["rejected"].sum()),
        "by_objective": {o: int(len(p)) for o, p in mine.items()},
        "states": int(len(catalogue.unece_states())),
        "states_reporting": reporting(ctx.all_practices),
        "states_reporting_by_objective": {o: reporting(p) for o, p in mine.items()},
        "illustrative": ctx.illustrative,
    }


# --- overview --------------------------------------------------------------------------------


def overview_header(ctx: BriefContext):
    """Overview section 1: the roundtable, its questions, review and period, data vintages."""
    return header(ctx)


def overview_objectives_data(ctx: BriefContext) -> dict:
    """Overview: every objective of the roundtable side by side (practices, States, COVID-19)."""
    table = evidence.objectives_overview(ctx.all_practices, ctx.review)
    return {"objectives": table, "chart": _chart(charts.objectives_chart, table)}


def overview_objectives(ctx: BriefContext):
    """Overview: every objective of the roundtable side by side, table and chart."""
    return fragment("brief/overview_objectives.html", **overview_objectives_data(ctx))


def overview_questions_data(ctx: BriefContext) -> dict:
    """Overview: the guiding questions, each with its evidence count and examples, and those
    with little evidence."""
    table = evidence.questions_overview(ctx.all_practices, ctx.review)
    thin = evidence.thin_questions(ctx.practices, ctx.review, None, ctx.thin_threshold)
    return {"question_rule": evidence.QUESTION_RULE_NOTE, "questions": table,
            "distinct": synthesis.distinct_counts(evidence.for_review(ctx.all_practices, ctx.review),
                                                  ctx.review),
            "threshold": ctx.thin_threshold, "thin": [f"Q{q}" for q in thin["question"]],
            "chart": _chart(charts.questions_chart, table.assign(names_objective=True))}


def overview_questions(ctx: BriefContext):
    """Overview: the guiding questions, each with its evidence count and examples, and a chart."""
    return fragment("brief/overview_questions.html", **overview_questions_data(ctx))


def overview_coverage_data(ctx: BriefContext, profiles: str = "") -> dict:
    """Overview: the State x objective matrix of practices submitted by member States; `profiles`
    (';'-separated ISO3 codes of the build's country profiles) links each of those States to
    its profile, country-<ISO3>.html."""
    matrix = evidence.coverage_matrix(ctx.all_practices, ctx.review)
    built = {c.strip() for c in profiles.split(";") if c.strip()}
    states = catalogue.unece_states()
    links = {name: f"country-{iso3}.html" for iso3, name in zip(states["iso3"], states["name"])
             if iso3 in built}
    return {"reported": int((matrix["objectives_reported"] > 0).sum()), "states": len(matrix),
            "coverage_rule": evidence.COVERAGE_RULE_NOTE, "matrix": matrix, "links": links}


def overview_coverage(ctx: BriefContext, profiles: str = ""):
    """Overview: the State x objective matrix of practices submitted by member States."""
    return fragment("brief/overview_coverage.html", **overview_coverage_data(ctx, profiles))


def overview_key_figures_data(ctx: BriefContext) -> dict:
    """Overview: the key figures of every objective of the roundtable, one table each."""
    return {"intro": period_sentence(ctx.review.period) if ctx.review.period else "",
            "objectives": [{"objective": o, "label": catalogue.objective_label(o),
                            "figures": figures_data(kf, ctx.review.period, intro=False)}
                           for o, kf in sorted(ctx.figures.items())],
            "rule": _rule(ctx, [f for kf in ctx.figures.values() for f in kf.figures])}


def overview_key_figures(ctx: BriefContext):
    """Overview: the key figures of every objective of the roundtable, one table each."""
    return fragment("brief/overview_key_figures.html", **overview_key_figures_data(ctx))
