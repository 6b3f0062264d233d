"""Accepted practices, the review and the GCM actions they implement in; what a brief answers
out: question entries against distinct practices, the lens per guiding question, the evidence
per guiding question and per action (with the gaps), and the roundtable's question x action map.

An action assignment is a long table (practice_id, objective, action, how): the actions the
submitter gave in `gcm_actions` ("accepted"), else the best suggestion for that objective
("suggested", from gcmtools.analysis.suggest), else none. Nothing here reads or writes files;
every table is sorted on explicit keys.
"""

from __future__ import annotations

import pandas as pd

from gcmtools import catalogue
from gcmtools.analysis import evidence
from gcmtools.catalogue import Review

ACCEPTED, SUGGESTED = "accepted", "suggested"
ASSIGNMENT_COLUMNS = ["practice_id", "objective", "action", "how"]
ACTION_RULE_NOTE = (
    "A practice implements the GCM actions its submitter gave (column gcm_actions); where it "
    "gives none for this objective, the best-scoring suggestion of gcmtools suggest is shown "
    "instead and marked as suggested: no analyst has accepted it yet. A practice no action's "
    "words match is counted under no action."
)
STATES_RULE_NOTE = (
    "States: the UNECE States where a practice submitted by a member State applies (the "
    "coverage rule); stakeholders: the other submitters. A sub-region has none when no State "
    "of it has such a practice."
)


# --- which actions each practice implements ---------------------------------------------------


def assign_actions(practices: pd.DataFrame, actions: pd.DataFrame,
                   suggestions: dict[int, pd.Series]) -> pd.DataFrame:
    """practice_id x objective x action, and how: accepted (the practice's own `gcm_actions`
    of that objective) or suggested (`suggestions[objective]`, a Series by practice_id with
    <NA> where no action matched), for each objective in `suggestions` the practice lists."""
    p = evidence.ensure_columns(practices)
    given = p["gcm_actions"] if "gcm_actions" in p.columns else pd.Series([[]] * len(p))
    objective_of = actions["objective"].astype(int).to_dict()
    rows = []
    for pid, objs, codes in zip(p["practice_id"], p["objectives"], given):
        codes = list(codes) if isinstance(codes, (list, tuple)) else []
        for o in sorted(set(objs) & set(suggestions)):
            own = sorted(c for c in codes if objective_of.get(c) == o)
            if own:
                rows += [(pid, o, c, ACCEPTED) for c in own]
                continue
            best = suggestions[o].get(pid, pd.NA)
            if not pd.isna(best):
                rows.append((pid, o, str(best), SUGGESTED))
    out = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    out["objective"] = out["objective"].astype(int)
    return out.sort_values(["objective", "action", "practice_id"], kind="stable").reset_index(drop=True)


# --- the guiding questions: entries and distinct practices ------------------------------------


def _questions(practices: pd.DataFrame, review: Review, objective: int | None) -> pd.DataFrame:
    """The questions a brief reports on (evidence.by_question's rows) with each practice counted
    under them (question, short, practice_id)."""
    kept = evidence.by_question(practices, review, objective)[["question", "short"]]
    a = evidence.question_assignments(practices, review, objective)
    return kept.merge(a[["question", "practice_id"]], on="question", how="left")


def question_totals(practices: pd.DataFrame, review: Review,
                    objective: int | None = None) -> pd.DataFrame:
    """Per guiding question: the practices counted under it and how many of them are counted
    under another question too; then the question entries in all, the distinct practices they
    are, and (if any) the practices counted under no question."""
    p = evidence.ensure_columns(practices)
    long = _questions(p, review, objective)
    counted = long.dropna(subset=["practice_id"])
    times = counted.groupby("practice_id")["question"].nunique()
    several = set(times[times > 1].index)
    rows = []
    for (q, short), g in long.groupby(["question", "short"], sort=True):
        ids = set(g["practice_id"].dropna())
        rows.append({"question": f"Q{q}", "short": short, "practices": len(ids),
                     "under_another": len(ids & several)})
    rows.append({"question": "All", "short": "question entries", "practices": len(counted),
                 "under_another": int(counted["practice_id"].isin(several).sum())})
    rows.append({"question": "All", "short": "distinct practices", "practices": len(times),
                 "under_another": len(several)})
    missing = len(set(p["practice_id"]) - set(times.index))
    if missing:
        rows.append({"question": "None", "short": "practices counted under no question",
                     "practices": missing, "under_another": 0})
    return pd.DataFrame(rows, columns=["question", "short", "practices", "under_another"])


def distinct_counts(practices: pd.DataFrame, review: Review, objective: int | None = None) -> dict:
    """What the totals say once: question entries, distinct practices, those under several,
    and those counted under no question."""
    t = question_totals(practices, review, objective).set_index("short")
    none = "practices counted under no question"
    return {"entries": int(t.loc["question entries", "practices"]),
            "distinct": int(t.loc["distinct practices", "practices"]),
            "several": int(t.loc["distinct practices", "under_another"]),
            "uncounted": int(t.loc[none, "practices"]) if none in t.index else 0}


def with_total(by_subregion: pd.DataFrame) -> pd.DataFrame:
    """evidence.coverage_by_subregion with a last row for the whole region (its States, and
    how many reported), so the region's total stands in the table beside its parts."""
    total = {"subregion": "All sub-regions", "states": int(by_subregion["states"].sum()),
             "reported": int(by_subregion["reported"].sum()), "reported_states": "",
             "not_reported": ""}
    return pd.concat([by_subregion, pd.DataFrame([total])], ignore_index=True)


# --- the lens per guiding question -----------------------------------------------------------


def lens_by_question(practices: pd.DataFrame, review: Review,
                     objective: int | None = None) -> pd.DataFrame:
    """Long: for each question (then 'All' for the practices as a whole) and lens, the
    practices counted under the question, those tagged with the lens and their share."""
    p = evidence.ensure_columns(practices)
    long = _questions(p, review, objective)
    groups = [(f"Q{q}", short, p[p["practice_id"].isin(set(g["practice_id"].dropna()))])
              for (q, short), g in long.groupby(["question", "short"], sort=True)]
    groups.append(("All", "all practices", p))
    frames = []
    for label, short, mine in groups:
        shares = evidence.lens_shares(mine, review.lenses)
        frames.append(shares.assign(question=label, short=short)[
            ["question", "short", "lens", "name", "of", "practices", "share"]])
    return pd.concat(frames, ignore_index=True)


# --- evidence per action ---------------------------------------------------------------------


def _reach(practices: pd.DataFrame) -> pd.DataFrame:
    """Per practice: the UNECE States it counts for under the coverage rule (a member State's
    practice, where it applies) and, for a stakeholder's, the submitter."""
    p = evidence.ensure_columns(practices)
    states = set(catalogue.unece_iso3())
    return pd.DataFrame({
        "practice_id": p["practice_id"],
        "states": [sorted(set(cs) & states) if t == evidence.STATE else []
                   for cs, t in zip(p["country"], p["submitter_type"])],
        "stakeholder": [s if t != evidence.STATE else "" for s, t in
                        zip(p["submitter"], p["submitter_type"])],
    }).set_index("practice_id")


def _cell(ids: list[str], reach: pd.DataFrame, subregions: pd.Series, how: dict) -> dict:
    """The evidence of one set of practices: counts, States, stakeholders, sub-regions with none."""
    r = reach.loc[ids] if ids else reach.iloc[0:0]
    iso3 = sorted({s for ss in r["states"] for s in ss})
    names = sorted(catalogue.country_name(s) for s in iso3)
    stakeholders = sorted({s for s in r["stakeholder"] if s})
    reached = {subregions[s] for s in iso3}
    return {"practices": len(ids), "suggested": sum(how.get(i) == SUGGESTED for i in ids),
            "states": len(iso3), "stakeholders": len(stakeholders),
            "state_names": "; ".join(names), "stakeholder_names": "; ".join(stakeholders),
            "subregions_without": "; ".join(sorted(set(subregions) - reached)) if reached else "all"}


def _subregions() -> pd.Series:
    states = catalogue.unece_states()
    return pd.Series(states["subregion"].values, index=states["iso3"].values)


def action_evidence(practices: pd.DataFrame, assignments: pd.DataFrame, actions: pd.DataFrame,
                    objective: int) -> pd.DataFrame:
    """Each action of `objective` (catalogue order): the practices implementing it (accepted or
    suggested), of them suggested, the States and stakeholders behind them, the sub-regions with
    none. An action no practice implements has 0 practices: a gap."""
    p = evidence.ensure_columns(practices)
    mine = assignments[(assignments["objective"] == int(objective))
                       & assignments["practice_id"].isin(set(p["practice_id"]))]
    reach, subregions = _reach(p), _subregions()
    rows = []
    for code, label in _actions_of(actions, objective):
        a = mine[mine["action"] == code]
        how = dict(zip(a["practice_id"], a["how"]))
        rows.append({"action": code, "label": label,
                     **_cell(sorted(how), reach, subregions, how)})
    return pd.DataFrame(rows, columns=_EVIDENCE_COLUMNS)


_EVIDENCE_COLUMNS = ["action", "label", "practices", "suggested", "states", "stakeholders",
                     "state_names", "stakeholder_names", "subregions_without"]


def _actions_of(actions: pd.DataFrame, objective: int) -> list[tuple[str, str]]:
    a = actions[actions["objective"].astype(int) == int(objective)]
    return list(zip(a["code"], a["label"]))


def question_actions(practices: pd.DataFrame, review: Review, assignments: pd.DataFrame,
                     actions: pd.DataFrame, objective: int) -> pd.DataFrame:
    """Long: for each question the brief of `objective` reports on and each action of the
    objective, the practices counted under the question that implement the action (their ids,
    each with how it was assigned) and their evidence (as action_evidence); 0 practices: a gap."""
    p = evidence.ensure_columns(practices)
    mine = assignments[assignments["objective"] == int(objective)]
    reach, subregions = _reach(p), _subregions()
    own = _actions_of(actions, objective)
    # each action's practices (id -> how, in the assignments' order), once: the cells below
    # keep those counted under their question
    by_action = {code: dict(zip(g["practice_id"], g["how"])) for code, g in mine.groupby("action", sort=False)}
    rows = []
    for (q, short), g in _questions(p, review, objective).groupby(["question", "short"], sort=True):
        under = set(g["practice_id"].dropna())
        for code, label in own:
            how = {i: h for i, h in by_action.get(code, {}).items() if i in under}
            rows.append({"question": int(q), "short": short, "action": code, "label": label,
                         "ids": sorted(how), "how": how,
                         **_cell(sorted(how), reach, subregions, how)})
    return pd.DataFrame(rows, columns=["question", "short", "ids", "how", *_EVIDENCE_COLUMNS])


def unmatched(practices: pd.DataFrame, review: Review, assignments: pd.DataFrame,
              objective: int) -> pd.DataFrame:
    """Per question: the practices counted under it that implement no action of `objective`."""
    p = evidence.ensure_columns(practices)
    done = set(assignments.loc[assignments["objective"] == int(objective), "practice_id"])
    long = _questions(p, review, objective).dropna(subset=["practice_id"])
    long = long[~long["practice_id"].isin(done)]
    return long.sort_values(["question", "practice_id"]).reset_index(drop=True)


def action_map(practices: pd.DataFrame, review: Review, assignments: pd.DataFrame,
               actions: pd.DataFrame) -> pd.DataFrame:
    """Long, across the roundtable: every guiding question x every action of the roundtable's
    objectives, the practices counted under the question (as in that objective's brief) that
    implement the action, the States behind them, and whether the question names the action's
    objective. Cells with 0 practices are the map's gaps."""
    rows = []
    for o in review.objectives:
        mine = evidence.for_objective(practices, o)
        cells = question_actions(mine, review, assignments, actions, o) if len(mine) else None
        got = ({(int(r.question), r.action): (r.practices, r.states) for r in cells.itertuples()}
               if cells is not None else {})
        for q in review.guiding_questions:
            for code, label in _actions_of(actions, o):
                n, states = got.get((q.number, code), (0, 0))
                rows.append({"question": q.number, "objective": o, "action": code,
                             "label": label, "names_objective": o in q.objectives,
                             "practices": int(n), "states": int(states)})
    return pd.DataFrame(rows, columns=["question", "objective", "action", "label",
                                       "names_objective", "practices", "states"])
