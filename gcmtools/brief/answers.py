"""What a brief answers: a BriefContext in; for its key messages, its guiding questions action by
action, the lens per question and (overview) the question x action map, the data (a dict) and
the HTML rendered from gcmtools/templates/brief/.

Every key message is built from the numbers of one table of the same page and links to it (an
in-page anchor, ANCHORS): a message names no number its table does not show. Which actions a
practice implements is gcmtools.analysis.synthesis's assignment (the submitter's `gcm_actions`,
else the best suggestion, marked as such), kept in the disk cache by the practices' content.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from gcmtools import store
from gcmtools.analysis import evidence, synthesis
from gcmtools.brief.context import BriefContext
from gcmtools.catalogue import gcm
from gcmtools.html import fmt_number, fmt_percent, fragment

#: the tables key messages link to, by what they hold (each an `id` of the page)
ANCHORS = {"coverage": "coverage-by-subregion", "totals": "question-totals",
           "actions": "actions-evidence", "lens": "lens-by-question", "trend": "trend-data",
           "objectives": "objectives-side-by-side", "map": "action-map"}
_HASHED = ("practice_id", "title", "description", "objectives", "gcm_actions", "language",
           "guiding_questions", "country", "submitter", "submitter_type")


# --- the practices, their actions --------------------------------------------------------------


def _practices(ctx: BriefContext) -> pd.DataFrame:
    """The practices a brief reports on: the objective's, or (overview) the roundtable's."""
    if ctx.objective is not None:
        return ctx.practices
    return evidence.for_review(ctx.all_practices, ctx.review)


def assignments(ctx: BriefContext) -> pd.DataFrame:
    """The actions each practice of the brief implements (synthesis.assign_actions), for the
    brief's objective or every objective of the roundtable; cached by the practices' content."""
    p = _practices(ctx)
    objectives = [ctx.objective] if ctx.objective is not None else list(ctx.review.objectives)

    def compute() -> pd.DataFrame:
        from gcmtools.analysis import suggest  # scikit-learn's import, only when not cached

        return synthesis.assign_actions(p, gcm.actions(),
                                        {o: suggest.best_actions(p, o) for o in objectives})

    return store.cached("actions", [_content(p), objectives], compute)


def _content(practices: pd.DataFrame) -> str:
    """A hash of what the actions and the map depend on in the practices (rows in any order)."""
    text = practices[[c for c in _HASHED if c in practices.columns]].astype(str)
    rows = (np.sort(pd.util.hash_pandas_object(text, index=False).to_numpy()) if len(practices)
            else np.array([]))
    return hashlib.sha256(rows.tobytes()).hexdigest()


def _review_key(ctx: BriefContext) -> list:
    """What the map depends on in the review (which may be a file outside the package)."""
    r = ctx.review
    return [r.id, list(r.objectives), [(q.number, q.short, list(q.objectives))
                                        for q in r.guiding_questions]]


def _count(n: int, word: str) -> str:
    return f"{fmt_number(n)} {word}{'' if n == 1 else 's'}"


def _join(items: list[str], last: str = "and") -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


# --- questions and actions (objective brief) --------------------------------------------------


def _titled(ids: list[str], how: dict, titles: pd.Series, elsewhere: dict) -> str:
    """Practices as a cell lists them: title (id; suggested; also under Qn)."""
    out = []
    for pid in ids:
        notes = [pid] + (["suggested"] if how.get(pid) == synthesis.SUGGESTED else [])
        if elsewhere.get(pid):
            notes.append("also under " + ", ".join(f"Q{q}" for q in elsewhere[pid]))
        out.append(f"{titles.get(pid, pid)} ({'; '.join(notes)})")
    return "; ".join(out)


def _question_blocks(ctx: BriefContext, cells: pd.DataFrame, unmatched: pd.DataFrame) -> list[dict]:
    """One block per guiding question: its practices, the actions with evidence, the gaps."""
    titles = ctx.practices.set_index("practice_id")["title"] if len(ctx.practices) else pd.Series()
    under = cells.explode("ids").dropna(subset=["ids"]).groupby("ids")["question"].unique()
    named = {q.number for q in ctx.review.questions_for(ctx.objective)}
    blocks = []
    for (q, short), g in cells.groupby(["question", "short"], sort=True):
        ids = sorted({i for ids in g["ids"] for i in ids}
                     | set(unmatched.loc[unmatched["question"] == q, "practice_id"]))
        elsewhere = {pid: sorted(set(under.get(pid, [])) - {q}) for pid in ids}
        has = g[g["practices"] > 0]
        table = pd.DataFrame({
            "action": has["action"], "label": has["label"], "practices": has["practices"],
            "implemented_by": [_titled(i, h, titles, elsewhere) for i, h in zip(has["ids"], has["how"])],
            "state_names": has["state_names"], "stakeholder_names": has["stakeholder_names"],
            "subregions_without": has["subregions_without"]})
        none = sorted(unmatched.loc[unmatched["question"] == q, "practice_id"])
        empty = g[g["practices"] == 0]
        # a gap is an action the question asks for: one of an objective the question names
        blocks.append({"number": int(q), "short": short, "table": table, "names_objective": int(q) in named,
                       "gaps": [f"{a} {lab}" for a, lab in zip(empty["action"], empty["label"])]
                       if int(q) in named else [],
                       "unmatched": _titled(none, {}, titles, {})})
    return blocks


def questions_actions_data(ctx: BriefContext) -> dict:
    """Per guiding question, per action: the distinct-practice totals, the objective's actions
    with their evidence, then each question's actions with the practices implementing them, the
    States and stakeholders behind them, the sub-regions with none, and the actions it lacks."""
    p, o = ctx.practices, ctx.objective
    data = {"objective": o, "commitment": gcm.commitment(o), "action_rule": synthesis.ACTION_RULE_NOTE,
            "states_rule": synthesis.STATES_RULE_NOTE, "anchors": ANCHORS,
            "totals": synthesis.question_totals(p, ctx.review, o),
            "distinct": synthesis.distinct_counts(p, ctx.review, o) if len(p) else None}
    a, actions = assignments(ctx), gcm.actions()
    ev = synthesis.action_evidence(p, a, actions, o)
    cells = synthesis.question_actions(p, ctx.review, a, actions, o)
    return data | {
        "actions": ev[["action", "label", "practices", "suggested", "states", "stakeholders",
                       "subregions_without"]],
        "questions": _question_blocks(ctx, cells, synthesis.unmatched(p, ctx.review, a, o))}


def questions_actions(ctx: BriefContext):
    """Per guiding question, per GCM action: the practices implementing it and the gaps."""
    return fragment("brief/questions_actions.html", **questions_actions_data(ctx))


# --- the lens per question --------------------------------------------------------------------


def lens_wide(long: pd.DataFrame) -> pd.DataFrame:
    """synthesis.lens_by_question as a reader scans it: a row per question, a column per lens
    ('4 (15%)': practices tagged, share of the question's practices)."""
    rows = []
    for (q, short), g in long.groupby(["question", "short"], sort=False):
        row = {"question": q, "short": short, "practices": int(g["of"].iloc[0])}
        row |= {name: f"{fmt_number(n)} ({fmt_percent(s)})" if of else ""
                for name, n, s, of in zip(g["name"], g["practices"], g["share"], g["of"])}
        rows.append(row)
    return pd.DataFrame(rows)


def lens_by_question_data(ctx: BriefContext) -> dict:
    """The lens (the review's guiding principles) per guiding question and for all practices."""
    p = _practices(ctx)
    return {"preamble": ctx.review.questions_preamble, "anchor": ANCHORS["lens"],
            "table": lens_wide(synthesis.lens_by_question(p, ctx.review, ctx.objective))
            if len(p) else None}


def lens_by_question(ctx: BriefContext):
    """The lens per guiding question: practices tagged with each lens principle, and their share."""
    return fragment("brief/lens_by_question.html", **lens_by_question_data(ctx))


# --- the roundtable's question x action map ---------------------------------------------------


def map_wide(cells: pd.DataFrame) -> pd.DataFrame:
    """synthesis.action_map as a reader scans it: a row per action, a column per question,
    each cell 'practices / States'; 'gap' where the question names the action's objective and
    no practice answers it, '-' where it does not name it and none does."""
    def text(r) -> str:
        if r.practices:
            return f"{fmt_number(r.practices)} / {fmt_number(r.states)}"
        return "gap" if r.names_objective else "-"

    shown = cells.assign(cell=[text(r) for r in cells.itertuples()])
    wide = shown.pivot_table(index=["objective", "action", "label"], columns="question",
                             values="cell", aggfunc="first", sort=False)
    wide.columns = [f"Q{q}" for q in wide.columns]
    return wide.reset_index().drop(columns="objective")


def overview_action_map_data(ctx: BriefContext) -> dict:
    """Overview: the distinct-practice totals and the question x action evidence map."""
    p = _practices(ctx)
    cells = store.cached("action-map", [_content(p), _review_key(ctx)], lambda: synthesis.action_map(
        p, ctx.review, assignments(ctx), gcm.actions()))
    return {"anchors": ANCHORS, "action_rule": synthesis.ACTION_RULE_NOTE,
            "states_rule": synthesis.STATES_RULE_NOTE,
            "totals": synthesis.question_totals(p, ctx.review),
            "distinct": synthesis.distinct_counts(p, ctx.review) if len(p) else None,
            "cells": cells, "map": map_wide(cells),
            "gaps": int(((cells["practices"] == 0) & cells["names_objective"]).sum())}


def overview_action_map(ctx: BriefContext):
    """Overview: the question x action evidence map (practices and States per cell, gaps)."""
    return fragment("brief/overview_action_map.html", **overview_action_map_data(ctx))


# --- key messages ---------------------------------------------------------------------------


def _message(text: str, table: str, link: str, caveat: str = "") -> dict:
    return {"text": text, "anchor": ANCHORS[table], "link": link, "caveat": caveat}


def coverage_message(by_subregion: pd.DataFrame, subject: str) -> dict:
    """'15 of 56 UNECE States reported on this objective; none in Central Asia (0 of 5).'"""
    total = by_subregion.iloc[-1]
    parts = by_subregion.iloc[:-1]
    none = parts[parts["reported"] == 0]
    text = (f"{fmt_number(total['reported'])} of {fmt_number(total['states'])} UNECE States "
            f"reported on {subject}")
    if int(total["reported"]) == 0:
        pass
    elif len(none):
        text += "; none in " + _join([f"{s} (0 of {fmt_number(n)})"
                                      for s, n in zip(none["subregion"], none["states"])])
    else:
        text += "; at least one in every sub-region"
    return _message(text + ".", "coverage", "coverage by sub-region")


def distinct_message(distinct: dict | None, subject: str) -> dict | None:
    """'The 28 practices on this objective count 47 times under its guiding questions: ...'"""
    if not distinct or not distinct["distinct"]:
        return None
    d = distinct
    text = (f"The {fmt_number(d['distinct'])} practices counted under the guiding questions of "
            f"{subject} make {fmt_number(d['entries'])} question entries: ")
    text += (f"{fmt_number(d['several'])} of these practices are counted under more than one question"
             if d["several"] else "each practice is counted under one question")
    if d["uncounted"]:
        text += f"; {fmt_number(d['uncounted'])} more practices are counted under no question"
    text += "."
    return _message(text, "totals", "questions: entries and distinct practices")


def actions_message(actions: pd.DataFrame) -> dict | None:
    """The action with most evidence (practices, of them suggested, States) and those with none."""
    if actions.empty or not actions["practices"].any():
        return None
    top = actions.sort_values(["practices", "states"], ascending=False, kind="stable").iloc[0]
    suggested = (f" ({fmt_number(top['suggested'])} of them suggested)"
                 if top["suggested"] else "")
    text = (f"Most evidence: action {top['action']} ({top['label']}), "
            f"{_count(int(top['practices']), 'practice')}{suggested} from "
            f"{_count(int(top['states']), 'State')}")
    gaps = list(actions.loc[actions["practices"] == 0, "action"])
    text += ("; no practice implements " + _join(gaps, "or") if gaps
             else "; every action has at least one practice")
    return _message(text + ".", "actions", "the objective's actions")


def lens_message(long: pd.DataFrame) -> dict | None:
    """The most and the least applied lens among all the brief's practices."""
    every = long[long["question"] == "All"] if len(long) else long
    if every.empty or not int(every["of"].iloc[0]):
        return None

    def named(n: int) -> str:
        rows = every[every["practices"] == n]
        return (f"{_join(list(rows['name'].str.lower()))} "
                f"({fmt_number(n)}, {fmt_percent(rows['share'].iloc[0])})")

    most, least = int(every["practices"].max()), int(every["practices"].min())
    text = (f"Of the {fmt_number(int(every['of'].iloc[0]))} practices, the lens most applied "
            f"is {named(most)}")
    if least != most:
        text += f", the least {named(least)}"
    return _message(text + ".", "lens", "the lens per guiding question")


def trend_message(ctx: BriefContext) -> dict | None:
    """The key indicator over the review period: its first and last year there, the direction,
    the caveat (None without a trend or a year of the period with data)."""
    s, period = ctx.trend, ctx.review.period_years
    if s is None or period is None:
        return None
    d = s.data[s.data["year"].astype(int).between(*period) & s.data["value"].notna()]
    if d.empty:
        return None
    first, last = d.iloc[0], d.iloc[-1]
    if len(d) == 1:
        text = (f"{s.title}: {first['value_text']} {s.unit} in {first['year']}, the only year of "
                f"the review period {ctx.review.period} with data.")
    else:
        hidden = bool(first.get("suppressed")) or bool(last.get("suppressed"))
        way = ("" if hidden else ", " + ("up" if last["value"] > first["value"] else
                                        "down" if last["value"] < first["value"] else "unchanged")
               + " over the review period")
        text = (f"{s.title}: {first['value_text']} {s.unit} in {first['year']} and "
                f"{last['value_text']} in {last['year']}{way}.")
    return _message(text, "trend", "the trend's data", caveat=s.caveat)


def objectives_message(table: pd.DataFrame) -> dict | None:
    """Overview: the objectives with most and fewest practices, and States reporting."""
    if table.empty or not table["practices"].any():
        return None
    by_p = table.sort_values(["practices", "objective"], ascending=[False, True], kind="stable")
    by_s = table.sort_values(["states_reported", "objective"], ascending=[False, True], kind="stable")
    hi, lo, shi, slo = by_p.iloc[0], by_p.iloc[-1], by_s.iloc[0], by_s.iloc[-1]
    text = (f"Objective {hi['objective']} has most practices ({fmt_number(hi['practices'])}) and "
            f"objective {lo['objective']} fewest ({fmt_number(lo['practices'])}); "
            f"{_count(int(shi['states_reported']), 'State')} reported on objective "
            f"{shi['objective']}, the most, and {fmt_number(slo['states_reported'])} on objective "
            f"{slo['objective']}, the fewest.")
    return _message(text, "objectives", "the objectives side by side")


def map_message(cells: pd.DataFrame) -> dict | None:
    """Overview: the question x action cell with most evidence, and the actions with none."""
    if cells.empty or not cells["practices"].any():
        return None
    top = cells.sort_values(["practices", "states", "question"], ascending=[False, False, True],
                            kind="stable").iloc[0]
    # the actions a question asks for (of an objective some question names): the map's gaps
    asked = cells[cells["names_objective"]]
    per_action = asked.groupby("action", sort=False)["practices"].sum()
    none = list(per_action[per_action == 0].index)
    text = (f"Most evidence: Q{top['question']} with action {top['action']} ({top['label']}), "
            f"{_count(int(top['practices']), 'practice')} from {_count(int(top['states']), 'State')}")
    text += ("; no practice under the questions that name its objective implements " + _join(none, "or")
             if none else "; every action a question names has a practice under it")
    return _message(text + ".", "map", "the question x action map")


def key_messages_data(ctx: BriefContext) -> dict:
    """Three to six sentences, each from the numbers of one table of the page (its anchor)."""
    p, o = _practices(ctx), ctx.objective
    subject = "this objective" if o is not None else "the roundtable's objectives"
    lens = synthesis.lens_by_question(p, ctx.review, o) if len(p) else pd.DataFrame()
    distinct = synthesis.distinct_counts(p, ctx.review, o) if len(p) else None
    if o is not None:
        by_subregion = synthesis.with_total(evidence.coverage_by_subregion(p))  # as coverage shows it
        messages = [coverage_message(by_subregion, subject), distinct_message(distinct, subject),
                    actions_message(synthesis.action_evidence(p, assignments(ctx), gcm.actions(), o)),
                    lens_message(lens), trend_message(ctx)]
    else:
        amap = overview_action_map_data(ctx)
        messages = [objectives_message(evidence.objectives_overview(ctx.all_practices, ctx.review)),
                    distinct_message(distinct, subject), map_message(amap["cells"]),
                    lens_message(lens)]
    return {"messages": [m for m in messages if m is not None]}


def key_messages(ctx: BriefContext):
    """Key messages: three to six sentences from computed facts, each linked to its table."""
    return fragment("brief/key_messages.html", **key_messages_data(ctx))
