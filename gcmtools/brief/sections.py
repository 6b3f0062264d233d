"""Brief sections: a BriefContext in, one IPython HTML object per section out.

The notebooks call `load_context(...)` (gcmtools.brief.context) once, then one display function per
section. Every string that came from a submission or a data file is escaped (gcmtools.html):
submitted text is data, never markup. Output is deterministic: no timestamps, no absolute
paths, sorted tables. Indicator numbers are shown as keyfigures computed them under the
small-count rule (gcmtools.analysis.disclosure): a small count of people in a sensitive breakdown reads
"<5"; the rule is stated in section 2 when a sensitive series is shown, and always in section 6.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import disclosure, evidence, keyfigures, select
from gcmtools.analysis.keyfigures import KeyFigures
from gcmtools.analysis.series import Series
from gcmtools.brief import charts
from gcmtools.brief.context import BriefContext, relative
from gcmtools.html import (
    _details,
    _html,
    _list,
    escape,
    fmt_number,
    fmt_percent,
    html_table,
    link,
)
from gcmtools.paths import from_root

INTERACTIVE = "Interactive run: no build manifest."
_MANIFEST_SKIP = {"manifest", "key_figures_out", "started", "built", "last_attempt"}
SUBMITTER_TYPES_NOTE = "States are submissions with submitter_type member_state; every other type is a stakeholder."


BANNER = ('<p class="banner"><strong>Illustrative data.</strong> The practices in this brief '
          "are invented to demonstrate the workbook (every practice_id starts with ILL-); they "
          "were not submitted by any State or organisation.</p>")


# --- 1 header --------------------------------------------------------------------------------


def _vintages(ctx: BriefContext, indicators: list[str] | None) -> pd.DataFrame:
    obs = ctx.observations
    if obs.empty:
        return pd.DataFrame(columns=["publisher", "dataset", "vintage"])
    if indicators is not None:
        obs = obs[obs["indicator"].isin(indicators)]
    return (obs[["publisher", "dataset", "vintage"]].drop_duplicates()
            .sort_values(["publisher", "dataset", "vintage"]).reset_index(drop=True))


def header(ctx: BriefContext):
    """Section 1: objective and title, roundtable, guiding questions, review, period, vintages."""
    r = ctx.review
    parts = [BANNER] if ctx.illustrative else []
    if ctx.objective is not None:
        o = ctx.objective
        parts.append(f"<h1>Objective {o}: {escape(catalogue.objective_title(o))}</h1>")
        questions = r.questions_for(o)
    else:
        parts.append(f"<h1>Roundtable {r.roundtable_number}: {escape(r.roundtable_title)}</h1>")
        questions = list(r.guiding_questions)
    parts.append(
        f"<p>Evidence brief for roundtable {r.roundtable_number}, "
        f"<em>{escape(r.roundtable_title)}</em>, of the {escape(r.review)} "
        f"({escape(r.dates)}). Review period: {escape(r.period)}. "
        f"Objectives of the roundtable: {escape(', '.join(map(str, r.objectives)))}.</p>")
    label = "Guiding questions this objective answers" if ctx.objective else "Guiding questions"
    parts.append(f"<h3>{label}</h3>")
    parts.append(questions_html(r, questions))
    wanted = keyfigures.expected_indicators(ctx.objective) if ctx.objective else None
    vint = _vintages(ctx, wanted)
    acc = len(ctx.all_practices)
    files = len(ctx.intake.counts)
    parts.append("<h3>Data</h3>")
    items = [(f"Practices: {fmt_number(len(ctx.practices))} on "
              f"{'this objective' if ctx.objective else 'this roundtable'}, of "
              f"{fmt_number(acc)} accepted from {fmt_number(files)} file(s).")]
    items += [f"{escape(v.publisher)}, {escape(v.dataset)}: vintage {escape(v.vintage)}."
              for v in vint.itertuples()]
    if vint.empty:
        items.append("No indicator data loaded for this brief (see Sources and method).")
    parts.append(_list(items))
    return _html("\n".join(parts))


def questions_html(review: catalogue.Review, questions: list) -> str:
    """The guiding questions as the roundtable's background note words them, with its preamble.

    Each is quoted whole, with the objectives the note names in parentheses; the bold label
    before it is the workbook's own short title.
    """
    if not questions:
        return '<p class="muted">No guiding question of this roundtable names this objective.</p>'
    parts = ['<p class="muted">In the words of the roundtable\'s background note; the short '
             "title before each question is the workbook's own.</p>"]
    if review.questions_preamble:
        parts.append(f"<blockquote><p>{escape(review.questions_preamble)}</p></blockquote>")
    parts.append(_list([f"<strong>Q{q.number} {escape(q.short)}:</strong> "
                        f"\u201c{escape(q.quoted)}\u201d" for q in questions]))
    return "\n".join(parts)


# --- 2 key figures ---------------------------------------------------------------------------


def period_sentence(period: str) -> str:
    """How the key figures answer for the review period, said once above them."""
    return (f"Each key figure is for the review period {period}: its latest complete year with "
            "data (or the year before it, where the figure says so). The latest year available "
            "is given beside it as context, and is not a figure of the review period.")


def _figures_html(kf: KeyFigures, period: str = "", intro: bool = True) -> str:
    """The key figures table with numbered caveats, the missing figures and the filters.

    With a review `period`, a column gives each figure's context (the latest year available)
    and, with `intro`, a sentence above the table says how the figures answer for the period.
    """
    caveats: list[str] = []
    rows = []
    context = bool(period) or any(f.context_year for f in kf.figures)
    for f in kf.figures:
        if f.caveat and f.caveat not in caveats:
            caveats.append(f.caveat)
        mark = f" [{caveats.index(f.caveat) + 1}]" if f.caveat else ""
        note = f'<br><span class="muted">{escape(f.note)}</span>' if f.note else ""
        beside = f"<td>{escape(f.context_text)}</td>" if context else ""
        rows.append(
            f"<tr><td>{escape(f.label)}{note}</td>"
            f"<td class=\"num\">{escape(keyfigures.with_flags(f.display, f.flags))}</td>"
            f"<td>{escape(f.unit)}</td><td>{escape(f.year)}</td>{beside}<td>{escape(f.place)}</td>"
            f"<td>{escape(f.source)}; vintage {escape(f.vintage)}</td><td>{mark.strip()}</td></tr>")
    parts = []
    if rows:
        if period and intro:
            parts.append(f"<p>{escape(period_sentence(period))}</p>")
        parts.append("<table>\n<thead><tr><th>Key figure</th><th>Value</th><th>Unit</th>"
                     "<th>Year</th>" + ("<th>Context</th>" if context else "")
                     + "<th>Place</th><th>Source</th><th>Caveat</th></tr></thead>\n"
                     "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")
        parts.append(_flag_legend("".join(f.flags + f.context_flags for f in kf.figures)))
        parts.append("<ol class=\"muted\">" + "".join(f"<li>{escape(c)}</li>" for c in caveats)
                     + "</ol>" if caveats else "")
        filters = pd.DataFrame([{"key figure": f.label, "filter": "; ".join(
            f"{k}={v}" for k, v in f.filter.items())} for f in kf.figures])
        parts.append(_details("How each figure was selected", html_table(filters)))
    else:
        parts.append('<p class="muted">No key figure could be computed from the loaded data.</p>')
    if kf.missing:
        parts.append("<p>Not available in the loaded data:</p>")
        parts.append(_list([f"{escape(m.label)}: {escape(m.reason)}" for m in kf.missing]))
    return "\n".join(p for p in parts if p)


def _rule_html(ctx: BriefContext, shown: list) -> str:
    """The small-count rule as a note, when any figure or series `shown` is sensitive."""
    if not any(s is not None and s.sensitive for s in shown):
        return ""
    return f'<p class="muted">{escape(disclosure.rule_sentence(ctx.small_count_threshold))}</p>'


def key_figures(ctx: BriefContext):
    """Section 2: the objective's key figures (value, unit, year, place, source, caveat)."""
    kf = ctx.key_figures
    if kf is None:
        return _html('<p class="muted">Key figures are shown per objective.</p>')
    rule = _rule_html(ctx, [*kf.figures, ctx.trend, ctx.comparison])
    cited = _cited_html(ctx)
    return _html(_figures_html(kf, ctx.review.period) + (f"\n{rule}" if rule else "")
                 + (f"\n{cited}" if cited else ""))


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


def _cited_html(ctx: BriefContext) -> str:
    """The cited figures as a quote with the data's figures beside it ('' when there is none)."""
    parts = []
    for c in cited_figures(ctx):
        sic = f" [sic: {escape(c['sic'])}]" if c["sic"] else ""
        parts.append(f"<h3>The roundtable's documents and the data</h3>\n<blockquote>"
                     f"\u201c{escape(c['quote'])}\u201d{sic}<br>\u2014 {escape(c['document'])}"
                     "</blockquote>")
        if c["net"] is None:
            parts.append(f'<p class="muted">{escape(c["label"])}: not in the loaded data.</p>')
            continue
        items = [f"<strong>{escape(c['label'])}: {escape(fmt_number(c['net']))}</strong> "
                 "(the key figure: IOM's figure net of its corrections, which with the dead "
                 "makes IOM's total of dead and missing)."]
        if c["corrections"]:
            items.append(
                f"{escape(fmt_number(c['first_reported']))} as first reported: "
                f"{escape(fmt_number(c['corrections']))} of them were later found dead, and IOM "
                "counts them among the dead; counting them as missing too would count them twice.")
        items.append(f"Source: {escape(c['source'])}; vintage {escape(c['vintage'])}.")
        parts.append(_list(items))
        if c["note"]:
            parts.append(f'<p class="muted">{escape(c["note"])}</p>')
    return "\n".join(parts)


def _flag_legend(flags: str) -> str:
    """One line naming the custodian's flags shown in a table ('' when none is shown)."""
    legend = keyfigures.flag_legend(flags)
    return f'<p class="muted">Flags: {escape(legend)}.</p>' if legend else ""


def _series_table(series: Series, period: tuple[int, int] | None = None) -> str:
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
    legend = _flag_legend("".join(flags)) if flags is not None else ""
    return _details("The data behind the chart", html_table(df) + (f"\n{legend}" if legend else ""))


def trend(ctx: BriefContext):
    """Section 2: the main indicator's trend chart (with its data and notes)."""
    s = ctx.trend
    if s is None:
        wanted = ", ".join(sp.indicator for sp in keyfigures.TRENDS.get(ctx.objective or 0, ()))
        return _html(f'<p class="muted">No trend: none of the indicators it uses ({escape(wanted)}) '
                     "is in the loaded data.</p>")
    period = ctx.review.period_years
    img = charts.chart_img(charts.trend_chart, s, period=period)
    return _html(f"<figure>{img}</figure>\n{_series_notes(s)}\n{_series_table(s, period)}")


def comparison(ctx: BriefContext):
    """Section 2: the main indicator compared across UNECE States (one year)."""
    s = ctx.comparison
    if s is None:
        specs = keyfigures.COMPARISONS.get(ctx.objective or 0, ())
        why = ("the indicators of this objective are published for one country only"
               if not specs else "none of the indicators it uses ("
               + ", ".join(sp.indicator for sp in specs) + ") is in the loaded data")
        return _html(f'<p class="muted">No country comparison: {escape(why)}.</p>')
    img = charts.chart_img(charts.comparison_chart, s)
    return _html(f"<figure>{img}</figure>\n{_series_notes(s)}\n{_series_table(s)}")


def _series_notes(s: Series) -> str:
    """The chart's note and its indicator's caveat, under the chart."""
    notes = [f'<p class="muted">{escape(s.note)}</p>'] if s.note else []
    if s.caveat:
        notes.append(f'<p class="muted">Caveat: {escape(s.caveat)}</p>')
    return "\n".join(notes)


# --- 3 what was reported ---------------------------------------------------------------------

_PRACTICE_HEADERS = {"title": "Practice", "submitter": "Submitted by", "country": "Where",
                     "practice_type": "Type", "years": "Years", "source_ref": "Source",
                     "practice_id": "Id"}
_QUESTION_HEADERS = {"question": "Q", "short": "Guiding question", "objectives": "Names objectives",
                     "practices": "Practices", "by_states": "By States",
                     "by_stakeholders": "By stakeholders", "listed": "Question listed",
                     "by_objective": "By objective rule"}


def _practice_lists(table: pd.DataFrame) -> str:
    parts = []
    for group, label in ((evidence.GROUP_STATES, "States"),
                         (evidence.GROUP_STAKEHOLDERS, "Stakeholders")):
        mine = table[table["group"] == group].drop(columns=["group"])
        if len(mine):
            parts.append(f"<p><strong>{label}</strong> ({len(mine)})</p>")
            parts.append(html_table(mine[["practice_id", "title", "submitter", "country",
                                          "practice_type", "years", "source_ref"]],
                                    _PRACTICE_HEADERS))
    return "\n".join(parts)


def reported(ctx: BriefContext):
    """Section 3: practices by guiding question, States apart from stakeholders, by type and country."""
    p = ctx.practices
    n_states = int((p["submitter_type"] == evidence.STATE).sum())
    subject = f"objective {ctx.objective}" if ctx.objective else "this roundtable"
    parts = [(f"<p>{fmt_number(len(p))} practice(s) on {escape(subject)}: "
              f"{fmt_number(n_states)} submitted by States, {fmt_number(len(p) - n_states)} by "
              "stakeholders.</p>")]
    if p.empty:
        parts.append('<p class="muted">No practice was submitted on this objective.</p>')
        return _html("\n".join(parts))
    table = evidence.by_question(p, ctx.review, ctx.objective)
    parts.append(f'<p class="muted">{escape(evidence.QUESTION_RULE_NOTE)}</p>')
    parts.append(html_table(table.drop(columns=["names_objective"]), _QUESTION_HEADERS))
    img = charts.chart_img(charts.questions_chart, table, f"Practices by guiding question ({subject})")
    parts.append(f"<figure>{img}</figure>")
    # each practice is listed once: under the questions its submitter listed, or (listing no
    # question) in one group of its own, whatever questions the objective rule counts it for
    assigned = evidence.question_assignments(evidence.ensure_columns(p), ctx.review, ctx.objective)
    for q in ctx.review.guiding_questions:
        if q.number not in set(table["question"]):
            continue
        ids = set(assigned.loc[(assigned["question"] == q.number)
                               & (assigned["rule"] == evidence.RULE_LISTED), "practice_id"])
        if not ids:
            continue
        parts.append(f"<h4>Q{q.number} {escape(q.short)}</h4>")
        parts.append(_practice_lists(evidence.practice_table(p[p["practice_id"].isin(ids)])))
    unlisted = assigned.loc[assigned["rule"] == evidence.RULE_NAMED]
    none_listed = evidence.ensure_columns(p)["guiding_questions"].map(len) == 0
    if none_listed.any():
        counted = sorted(set(unlisted["question"]))
        where = (f"counted above for Q{', Q'.join(map(str, counted))} by the objective rule"
                 if counted else "no guiding question names this objective")
        parts.append(f"<h4>Practices that list no guiding question</h4>"
                     f'<p class="muted">{escape(where.capitalize())}.</p>')
        parts.append(_practice_lists(evidence.practice_table(p[none_listed.to_numpy()])))
    parts.append("<h4>Who reported</h4>")
    parts.append(f'<p class="muted">{escape(SUBMITTER_TYPES_NOTE)}</p>')
    parts.append(html_table(evidence.by_submitter_type(p), {
        "group": "Group", "submitter_type": "Submitter type", "practices": "Practices",
        "submitters": "Submitters"}))
    parts.append("<h4>Where, and what kind of measure</h4>")
    parts.append(html_table(evidence.country_by_type(p), {"country": "Country", "total": "Total"}))
    return _html("\n".join(parts))


def highlights(ctx: BriefContext, n: int = 3):
    """Section 3: a few highlighted practices (most lenses, then most principles, then id)."""
    table = evidence.highlights(ctx.practices, ctx.review.lenses, n=n)
    if table.empty:
        return _html('<p class="muted">No practice to highlight.</p>')
    descriptions = ctx.practices.set_index("practice_id")["description"]
    parts = [('<p class="muted">Chosen by rule, not by merit: the practices that apply most of '
              "the cross-cutting lenses, then most guiding principles, then by practice id.</p>")]
    for h in table.itertuples(index=False):
        meta = [escape(h.submitter), escape(h.country)]
        if h.years:
            meta.append(escape(h.years))
        if h.lenses:
            meta.append("lenses: " + escape(h.lenses))
        source = f"<br>Source: {link(h.source_ref)}" if h.source_ref else ""
        parts.append(
            f"<blockquote><p><strong>{escape(h.title)}</strong> "
            f'<span class="muted">({escape(h.practice_id)})</span><br>{" · ".join(meta)}</p>'
            f"<p>{escape(descriptions.get(h.practice_id, ''))}{source}</p></blockquote>")
    return _html("\n".join(parts))


# --- 4 cross-cutting lens --------------------------------------------------------------------


def lens(ctx: BriefContext):
    """Section 4: share of practices per lens principle, target groups, COVID-19 measures."""
    p = ctx.practices
    shares = evidence.lens_shares(p, ctx.review.lenses)
    parts = []
    if p.empty:
        return _html('<p class="muted">No practice, so no lens to report on.</p>')
    shown = shares.assign(share=shares["share"].map(fmt_percent))[["name", "practices", "share"]]
    parts.append(html_table(shown, {"name": "Guiding principle", "practices": "Practices",
                                    "share": "Share of practices"}))
    parts.append(f"<figure>{charts.chart_img(charts.lens_chart, shares)}</figure>")
    groups = evidence.target_group_counts(p)
    parts.append("<h4>Target groups</h4>")
    parts.append(html_table(groups[groups["practices"] > 0],
                            {"target_group": "Target group", "practices": "Practices"},
                            empty="No practice names a target group."))
    for item in ctx.review.cross_cutting:
        parts.append(f"<h4>{escape(item.get('title', item.get('id', '')))}</h4>")
        if item.get("description"):
            parts.append(f'<p class="muted">{escape(" ".join(str(item["description"]).split()))}</p>')
    counts = evidence.covid_counts(p)
    parts.append("<p>" + "; ".join(f"{escape(k)}: {fmt_number(v)}" for k, v in
                                   zip(counts["covid19"], counts["practices"])) + "</p>")
    measures = evidence.covid_measures(p)
    if len(measures):
        parts.append(_practice_lists(measures))
    return _html("\n".join(parts))


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


def coverage(ctx: BriefContext):
    """Section 5: States that reported or not (by sub-region), thin questions, data gaps."""
    p = ctx.practices
    cov = evidence.coverage(p)
    n = int(cov["reported"].sum())
    subject = f"objective {ctx.objective}" if ctx.objective else "this roundtable"
    parts = [(f"<p>{n} of {len(cov)} UNECE member States reported at least one practice on "
              f"{escape(subject)}.</p>"),
             f'<p class="muted">{escape(evidence.COVERAGE_RULE_NOTE)}</p>',
             html_table(evidence.coverage_by_subregion(p), {
                 "subregion": "Sub-region", "states": "States", "reported": "Reported",
                 "reported_states": "States that reported", "not_reported": "States that did not"})]
    parts.append(f"<h4>Guiding questions with little evidence (fewer than {ctx.thin_threshold} "
                 "practices)</h4>")
    thin = evidence.thin_questions(p, ctx.review, ctx.objective, ctx.thin_threshold)
    naming = ([q for q in ctx.review.guiding_questions if ctx.objective in q.objectives]
              if ctx.objective is not None else list(ctx.review.guiding_questions))
    if not naming:
        empty = (f"No guiding question of the roundtable names objective {ctx.objective}: "
                 "its practices are not measured against a question.")
    else:
        empty = (f"None: every guiding question that names this objective "
                 f"(Q{', Q'.join(str(q.number) for q in naming)}) has at least "
                 f"{ctx.thin_threshold} practices.") if ctx.objective is not None else \
            f"None: every guiding question has at least {ctx.thin_threshold} practices."
    parts.append(html_table(thin, {"question": "Q", "short": "Guiding question",
                                   "practices": "Practices", "gap": "Gap"}, empty=empty))
    parts.append("<h4>Indicator data: missing years and countries</h4>")
    parts.append(html_table(data_gaps(ctx), {
        "indicator": "Indicator", "years": "Years", "missing_years": "Years missing in the range",
        "unece_states": "UNECE States with data (latest year)", "status": "Status"}))
    missing = [m for kf in ctx.figures.values() for m in kf.missing]
    if missing:
        parts.append("<p>Key figures that could not be computed:</p>")
        parts.append(_list([f"{escape(m.label)} ({escape(m.indicator)}): {escape(m.reason)}"
                            for m in missing]))
    absent = [s for s in ctx.sources if s.status != "loaded"]
    if absent:
        parts.append("<p>Data sets missing or unreadable in this run:</p>")
        parts.append(_list([f"{escape(s.path)}: {escape(s.status)}"
                            + (f" ({escape(s.message)})" if s.message else "") for s in absent]))
    return _html("\n".join(parts))


# --- 6 sources and method --------------------------------------------------------------------


def _datasets(ctx: BriefContext) -> pd.DataFrame:
    obs = ctx.observations
    if obs.empty:
        return pd.DataFrame(columns=["publisher", "dataset", "vintage", "licence", "file"])
    cols = ["publisher", "dataset", "vintage", "licence"]
    files = obs.groupby(cols, sort=True)["file"].agg(lambda f: "; ".join(sorted(set(f))))
    return files.reset_index()


def _manifest_html(ctx: BriefContext) -> str:
    if ctx.manifest_error:
        return f"<p>{escape(ctx.manifest_error)}.</p>"
    if not ctx.manifest:
        return f"<p>{escape(INTERACTIVE)}</p>"
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
    parts = [f'<p>Build manifest <code>{escape(Path(ctx.manifest_path).name)}</code>:</p>',
             html_table(pd.DataFrame(rows, columns=["item", "value"]), links=())]
    hashes = m.get("input_hashes") or {}
    if hashes:
        inputs = pd.DataFrame([{"file": relative(k), "sha256": str(v)[:16]}
                               for k, v in sorted(hashes.items())])
        parts.append(_details(f"Input files ({len(inputs)}) and their SHA-256 (first 16 digits)",
                              html_table(inputs, links=())))
    return "\n".join(parts)


def sources_and_method(ctx: BriefContext):
    """Section 6: data sets (publisher, vintage, licence), intake counts, method, run manifest."""
    parts = ["<h4>Indicator data</h4>",
             html_table(_datasets(ctx), {"publisher": "Publisher", "dataset": "Data set",
                                         "vintage": "Vintage", "licence": "Licence or terms",
                                         "file": "File(s)"},
                        empty="No indicator data was loaded.")]
    status = pd.DataFrame([{"data set": s.path, "status": s.status, "rows": s.rows,
                            "indicators": s.indicators, "message": s.message}
                           for s in ctx.sources],
                          columns=["data set", "status", "rows", "indicators", "message"])
    parts.append(_details("Data sets read in this run", html_table(status)))
    notes = [escape(n) for s in ctx.sources for n in s.notes]
    if notes:
        parts.append(_details(f"Notes from reading the data ({len(notes)})", _list(notes)))
    parts.append("<h4>Practices</h4>")
    counts = ctx.intake.counts.copy()
    if len(counts):
        counts["file"] = counts["file"].map(relative)
    parts.append(html_table(counts, {"file": "File", "read": "Rows read", "accepted": "Accepted",
                                     "rejected": "Rejected", "blank_rows": "Blank rows"},
                            empty="No practice file was read."))
    if ctx.intake.unreadable:
        parts.append(_list([escape(relative(u.split(":")[0]) + ":" + u.split(":", 1)[1])
                            if ":" in u else escape(u) for u in ctx.intake.unreadable]))
    if len(counts) and int(counts["rejected"].sum()):
        parts.append('<p class="muted">Rejected rows are not in this brief; '
                     "<code>gcmtools validate</code> lists each with its reason.</p>")
    parts.append("<h4>Method</h4>")
    parts.append(_list([
        escape(evidence.QUESTION_RULE_NOTE),
        escape(evidence.COVERAGE_RULE_NOTE),
        escape("Key figures add up the custodian's published rows for the filter shown beside "
               "each; every other breakdown is taken at its published total; censored values "
               "(such as '<5') are never added; years not complete in the data vintage are left "
               "out; a published total smaller than the sum of its published parts is shown "
               "as published, with a note; a figure that is not the sum of the published "
               "totals it claims to add up stops the build."),
        escape(f"Guiding questions with fewer than {ctx.thin_threshold} practices are listed as "
               "having little evidence."),
        escape(disclosure.rule_sentence(ctx.small_count_threshold)),
        escape("Submitted text is shown as submitted, never interpreted as markup; only http(s) "
               "references are links."),
    ]))
    parts.append("<h4>Run</h4>")
    parts.append(_manifest_html(ctx))
    if ctx.objective is None:
        parts.append(background_materials_html(ctx.review))
    parts.append(notes_html(ctx))
    return _html("\n".join(parts))


def background_materials_html(review: catalogue.Review) -> str:
    """The background materials the roundtable's note lists, by title (none: '')."""
    if not review.background_materials:
        return ""
    items = [(f"{escape(m['publisher'])}, {escape(m['kind'].lower())}" if m["publisher"]
              else escape(m["kind"])) + f": <em>{escape(m['title'])}</em>"
             for m in review.background_materials]
    return ("<h4>Background materials of the roundtable</h4>\n"
            '<p class="muted">As the roundtable\'s background note lists them.</p>\n'
            + _list(items))


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


def notes_html(ctx: BriefContext) -> str:
    """The closing notes of every brief and the overview: the UN disclaimer, and the Kosovo
    footnote whenever the brief names Kosovo."""
    texts = catalogue.editorial()
    parts = ["<h4>Notes</h4>", f'<p class="disclaimer">{escape(texts["disclaimer"])}</p>']
    if catalogue.mentions_kosovo(_shown_texts(ctx)):
        parts.append(f'<p class="footnote">{escape(texts["kosovo_footnote"])}</p>')
    return "\n".join(parts)


def save_key_figures(ctx: BriefContext, path: str) -> None:
    """Write the key figures JSON to `path` (relative to the project root); nothing if ''.

    Each figure keeps `value` for audits beside `display` (as the brief shows it) and
    `suppressed`; `disclosure` records the small-count threshold and rule of the run.
    """
    if not path:
        return
    rule = {"small_count_threshold": ctx.small_count_threshold,
            "rule": disclosure.rule_sentence(ctx.small_count_threshold)}
    if ctx.objective is not None:
        keyfigures.write_key_figures(ctx.figures[ctx.objective], from_root(path),
                                     extra={"review": ctx.review.id, "practices": practice_counts(ctx),
                                            "disclosure": rule})
        return
    from gcmtools.store import write_json_atomic

    data = {"review": ctx.review.id, "practices": practice_counts(ctx), "disclosure": rule,
            "objectives": {str(o): {"figures": [f.to_record() for f in kf.figures],
                                    "missing": [m.__dict__ for m in kf.missing]}
                           for o, kf in sorted(ctx.figures.items())}}
    write_json_atomic(data, from_root(path))


def practice_counts(ctx: BriefContext) -> dict:
    """The practice counts a brief shows: intake totals, and practices per objective."""
    counts = ctx.intake.counts
    return {
        "read": int(counts["read"].sum()), "accepted": int(counts["accepted"].sum()),
        "rejected": int(counts["rejected"].sum()),
        "by_objective": {str(o): int(len(evidence.for_objective(ctx.all_practices, o)))
                         for o in ctx.review.objectives},
    }


# --- overview --------------------------------------------------------------------------------


def overview_header(ctx: BriefContext):
    """Overview section 1: the roundtable, its questions, review and period, data vintages."""
    return header(ctx)


def overview_objectives(ctx: BriefContext):
    """Overview: every objective of the roundtable side by side (practices, States, COVID-19)."""
    table = evidence.objectives_overview(ctx.all_practices, ctx.review)
    img = charts.chart_img(charts.objectives_chart, table)
    return _html(html_table(table, {
        "objective": "Objective", "label": "Short title", "practices": "Practices",
        "by_states": "By States", "by_stakeholders": "By stakeholders",
        "states_reported": "States reporting", "questions": "Guiding questions",
        "covid19_measures": "COVID-19 measures"}) + f"\n<figure>{img}</figure>")


def overview_questions(ctx: BriefContext):
    """Overview: the six guiding questions, each with its evidence count and examples."""
    table = evidence.questions_overview(ctx.all_practices, ctx.review)
    img = charts.chart_img(charts.questions_chart, table.assign(names_objective=True))
    thin = evidence.thin_questions(ctx.practices, ctx.review, None, ctx.thin_threshold)
    note = (f"<p>Little evidence (fewer than {ctx.thin_threshold} practices): "
            + escape(", ".join(f"Q{q}" for q in thin["question"])) + ".</p>") if len(thin) else ""
    return _html(f'<p class="muted">{escape(evidence.QUESTION_RULE_NOTE)}</p>\n'
                 + html_table(table, {**_QUESTION_HEADERS, "examples": "Examples"})
                 + f"\n{note}\n<figure>{img}</figure>")


def overview_coverage(ctx: BriefContext):
    """Overview: the State x objective matrix of practices submitted by member States."""
    matrix = evidence.coverage_matrix(ctx.all_practices, ctx.review)
    n = int((matrix["objectives_reported"] > 0).sum())
    return _html(f"<p>{n} of {len(matrix)} UNECE member States reported on at least one objective "
                 "of the roundtable.</p>\n"
                 f'<p class="muted">{escape(evidence.COVERAGE_RULE_NOTE)}</p>\n'
                 + html_table(matrix, {"state": "State", "subregion": "Sub-region",
                                       "objectives_reported": "Objectives reported"}))


def overview_key_figures(ctx: BriefContext):
    """Overview: the key figures of every objective of the roundtable, one table each."""
    parts = []
    if ctx.review.period:
        parts.append(f"<p>{escape(period_sentence(ctx.review.period))}</p>")
    for o, kf in sorted(ctx.figures.items()):
        parts.append(f"<h4>Objective {o}: {escape(catalogue.objective_label(o))}</h4>")
        parts.append(_figures_html(kf, ctx.review.period, intro=False))
    rule = _rule_html(ctx, [f for kf in ctx.figures.values() for f in kf.figures])
    return _html("\n".join(parts + ([rule] if rule else [])))
