"""Accepted practices in, evidence tables out: by objective, guiding question, submitter, lens, coverage.

Every function takes the `accepted` frame of an intake run (lists as Python lists, countries as
ISO3 or aggregate codes) and returns a new DataFrame sorted on explicit keys, so that a brief
built twice from the same data is the same brief. Nothing here reads or writes files.
"""

from __future__ import annotations

import pandas as pd

from gcmtools import catalogue
from gcmtools.catalogue import Review, contract

STATE = "member_state"
GROUP_STATES, GROUP_STAKEHOLDERS = "State", "Stakeholder"
RULE_LISTED = "listed by the submitter"
RULE_NAMED = "no question listed: the question names the objective"
QUESTION_RULE_NOTE = (
    "A practice counts for a guiding question when its submitter listed that question; a "
    "practice that lists no question counts for every question that names its objective."
)
COVERAGE_RULE_NOTE = (
    "A State has reported when a practice submitted by a member State applies in that State; "
    "region-wide practices (UNECE) and stakeholders' practices are counted apart."
)
THIN_THRESHOLD = 3
_LIST_COLUMNS = ("country", "objectives", "guiding_questions", "principles", "target_groups")


# --- shape ---------------------------------------------------------------------------------


def ensure_columns(practices: pd.DataFrame) -> pd.DataFrame:
    """The practices with every contract column present (an empty intake has none)."""
    out = practices.copy()
    for name in contract.column_names("practices"):
        if name not in out.columns:
            out[name] = pd.Series([[] if name in _LIST_COLUMNS else ""] * len(out),
                                  index=out.index, dtype=object)
    for name in _LIST_COLUMNS:
        out[name] = out[name].map(lambda v: list(v) if isinstance(v, (list, tuple)) else [])
    for name in ("year_start", "year_end"):
        out[name] = pd.to_numeric(out[name].replace("", None), errors="coerce").astype("Int64")
    for name in ("practice_type", "covid19", "submitter_type", "source_ref", "title", "submitter"):
        out[name] = out[name].fillna("").astype(str)
    return out.sort_values("practice_id", kind="stable").reset_index(drop=True)


def for_objective(practices: pd.DataFrame, objective: int) -> pd.DataFrame:
    """The practices that list `objective`, sorted by practice_id."""
    p = ensure_columns(practices)
    mask = p["objectives"].map(lambda objs: int(objective) in objs).astype(bool)
    return p[mask].reset_index(drop=True)


def for_review(practices: pd.DataFrame, review: Review) -> pd.DataFrame:
    """The practices that list at least one objective of the review's roundtable."""
    p = ensure_columns(practices)
    wanted = set(review.objectives)
    mask = p["objectives"].map(lambda objs: bool(wanted & set(objs))).astype(bool)
    return p[mask].reset_index(drop=True)


def is_illustrative(practices: pd.DataFrame) -> bool:
    """True when any practice is illustrative (practice_id starting with 'ILL-')."""
    if "practice_id" not in practices.columns:
        return False
    return bool(practices["practice_id"].astype(str).str.startswith("ILL-").any())


def group_of(submitter_type: str) -> str:
    """'State' for a member State submission, else 'Stakeholder'."""
    return GROUP_STATES if submitter_type == STATE else GROUP_STAKEHOLDERS


def country_names(codes: list[str]) -> str:
    """ISO3 or aggregate codes as readable names joined by '; ' (in the order given)."""
    return "; ".join(catalogue.country_name(c) for c in codes)


def years_text(start: object, end: object) -> str:
    """'2016-2020', 'since 2018', 'until 2020' or '' for the years of a practice."""
    s = None if pd.isna(start) else int(start)
    e = None if pd.isna(end) else int(end)
    if s is not None and e is not None:
        return str(s) if s == e else f"{s}-{e}"
    if s is not None:
        return f"since {s}"
    return f"until {e}" if e is not None else ""


def practice_table(practices: pd.DataFrame) -> pd.DataFrame:
    """One row per practice as a reader scans it: States first, then stakeholders, by id."""
    p = ensure_columns(practices)
    out = pd.DataFrame({
        "practice_id": p["practice_id"],
        "group": p["submitter_type"].map(group_of),
        "submitter": p["submitter"],
        "title": p["title"],
        "country": p["country"].map(country_names),
        "practice_type": p["practice_type"].replace("", "unspecified"),
        "years": [years_text(s, e) for s, e in zip(p["year_start"], p["year_end"])],
        "source_ref": p["source_ref"],
    })
    order = out["group"].map({GROUP_STATES: 0, GROUP_STAKEHOLDERS: 1})
    return (out.assign(_o=order).sort_values(["_o", "practice_id"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


# --- guiding questions -----------------------------------------------------------------------


def question_assignments(practices: pd.DataFrame, review: Review,
                         objective: int | None = None) -> pd.DataFrame:
    """practice_id x question with the rule that put it there (see QUESTION_RULE_NOTE).

    With `objective`, a practice that lists no question counts for the questions naming that
    objective; without, for the questions naming any of its objectives.
    """
    p = ensure_columns(practices)
    known = list(review.question_numbers)
    rows = []
    for pid, listed, objs in zip(p["practice_id"], p["guiding_questions"], p["objectives"]):
        if listed:
            rows += [(pid, q, RULE_LISTED) for q in sorted(set(listed)) if q in known]
            continue
        mine = {int(objective)} if objective is not None else set(objs)
        rows += [(pid, q.number, RULE_NAMED) for q in review.guiding_questions
                 if mine & set(q.objectives)]
    out = pd.DataFrame(rows, columns=["practice_id", "question", "rule"])
    out["question"] = out["question"].astype(int)
    return out.sort_values(["question", "practice_id"], kind="stable").reset_index(drop=True)


def by_question(practices: pd.DataFrame, review: Review,
                objective: int | None = None) -> pd.DataFrame:
    """Evidence per guiding question: practices (by States, by stakeholders) and by which rule.

    With `objective`, only the questions that name it or that received a practice are kept.
    """
    p = ensure_columns(practices)
    a = question_assignments(p, review, objective)
    a = a.merge(p[["practice_id", "submitter_type"]], on="practice_id", how="left")
    rows = []
    for q in review.guiding_questions:
        mine = a[a["question"] == q.number]
        names = objective is None or int(objective) in q.objectives
        if objective is not None and not names and mine.empty:
            continue
        rows.append({
            "question": q.number,
            "short": q.short,
            "objectives": ", ".join(str(o) for o in q.objectives),
            "names_objective": names,
            "practices": len(mine),
            "by_states": int((mine["submitter_type"] == STATE).sum()),
            "by_stakeholders": int((mine["submitter_type"] != STATE).sum()),
            "listed": int((mine["rule"] == RULE_LISTED).sum()),
            "by_objective": int((mine["rule"] == RULE_NAMED).sum()),
        })
    cols = ["question", "short", "objectives", "names_objective", "practices", "by_states",
            "by_stakeholders", "listed", "by_objective"]
    return pd.DataFrame(rows, columns=cols)


def thin_questions(practices: pd.DataFrame, review: Review, objective: int | None = None,
                   threshold: int = THIN_THRESHOLD) -> pd.DataFrame:
    """Guiding questions (naming `objective`, or all) with fewer than `threshold` practices."""
    t = by_question(practices, review, objective)
    t = t[t["names_objective"] & (t["practices"] < threshold)]
    out = t[["question", "short", "practices"]].copy()
    out["gap"] = [("no evidence" if n == 0 else f"fewer than {threshold} practices")
                  for n in out["practices"]]
    return out.reset_index(drop=True)


# --- who reported, where, how ------------------------------------------------------------------


def by_submitter_type(practices: pd.DataFrame) -> pd.DataFrame:
    """Practices and distinct submitters per submitter type, States apart from stakeholders."""
    p = ensure_columns(practices)
    types = list(contract.vocabulary("submitter_types"))
    rows = []
    for t in types:
        mine = p[p["submitter_type"] == t]
        if mine.empty:
            continue
        rows.append({"group": group_of(t), "submitter_type": t, "practices": len(mine),
                     "submitters": mine["submitter"].nunique()})
    out = pd.DataFrame(rows, columns=["group", "submitter_type", "practices", "submitters"])
    order = out["group"].map({GROUP_STATES: 0, GROUP_STAKEHOLDERS: 1})
    return (out.assign(_o=order).sort_values(["_o", "practices", "submitter_type"],
                                             ascending=[True, False, True], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def country_by_type(practices: pd.DataFrame) -> pd.DataFrame:
    """Countries (readable names; region-wide last) x practice type: number of practices."""
    p = ensure_columns(practices)
    types = list(contract.vocabulary("practice_types")) + ["unspecified"]
    long = p[["practice_id", "country", "practice_type"]].explode("country").dropna(
        subset=["country"])
    long["practice_type"] = long["practice_type"].replace("", "unspecified")
    if long.empty:
        return pd.DataFrame(columns=["country", "total"])
    aggregates = set(catalogue.aggregates()["code"])
    long["country_name"] = long["country"].map(catalogue.country_name)
    table = pd.crosstab(long["country_name"], long["practice_type"])
    table = table[[t for t in types if t in table.columns]]
    table["total"] = table.sum(axis=1)
    region = {catalogue.country_name(c): c in aggregates for c in long["country"].unique()}
    keys = sorted(table.index, key=lambda n: (region[n], n))
    table = table.loc[keys]
    table.index.name = "country"
    table.columns.name = None
    return table.reset_index()


def highlights(practices: pd.DataFrame, lenses: tuple[str, ...] | list[str],
               n: int = 3) -> pd.DataFrame:
    """The `n` practices that cover most lenses, then most principles, then by practice_id."""
    p = ensure_columns(practices)
    lens_set = set(lenses)
    p = p.assign(
        lenses_covered=p["principles"].map(lambda ps: sorted(lens_set & set(ps))),
        _lens=p["principles"].map(lambda ps: len(lens_set & set(ps))),
        _all=p["principles"].map(lambda ps: len(set(ps))),
    )
    p = p.sort_values(["_lens", "_all", "practice_id"], ascending=[False, False, True],
                      kind="stable").head(n)
    return pd.DataFrame({
        "practice_id": p["practice_id"],
        "title": p["title"],
        "submitter": p["submitter"],
        "country": p["country"].map(country_names),
        "years": [years_text(s, e) for s, e in zip(p["year_start"], p["year_end"])],
        "source_ref": p["source_ref"],
        "lenses": p["lenses_covered"].map(", ".join),
    }).reset_index(drop=True)


# --- cross-cutting lens ------------------------------------------------------------------------


def lens_shares(practices: pd.DataFrame, lenses: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """For each lens (review order): practices tagged with that principle and their share."""
    p = ensure_columns(practices)
    names = catalogue.principles().set_index("slug")["name"]
    total = len(p)
    rows = []
    for lens in lenses:
        n = int(p["principles"].map(lambda ps, lens=lens: lens in ps).sum())
        rows.append({"lens": lens, "name": str(names.get(lens, lens)), "practices": n,
                     "of": total, "share": (n / total) if total else float("nan")})
    return pd.DataFrame(rows, columns=["lens", "name", "practices", "of", "share"])


def target_group_counts(practices: pd.DataFrame) -> pd.DataFrame:
    """Practices per target group (every group of the contract), most first, then by name."""
    p = ensure_columns(practices)
    groups = list(contract.vocabulary("target_groups"))
    counts = [int(p["target_groups"].map(lambda ts, g=g: g in ts).sum()) for g in groups]
    out = pd.DataFrame({"target_group": groups, "practices": counts})
    return out.sort_values(["practices", "target_group"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def covid_counts(practices: pd.DataFrame) -> pd.DataFrame:
    """Practices that are (yes), are not (no) or do not say (unspecified) COVID-19 measures."""
    p = ensure_columns(practices)
    answer = p["covid19"].replace("", "unspecified")
    keys = ["yes", "no", "unspecified"]
    return pd.DataFrame({"covid19": keys, "practices": [int((answer == k).sum()) for k in keys]})


def covid_measures(practices: pd.DataFrame) -> pd.DataFrame:
    """The practices marked as COVID-19 measures, as a practice table."""
    p = ensure_columns(practices)
    return practice_table(p[p["covid19"] == "yes"])


# --- coverage ------------------------------------------------------------------------------------


def coverage(practices: pd.DataFrame) -> pd.DataFrame:
    """Each of the 56 UNECE States: practices by the State, by stakeholders, and whether it reported.

    Pass the practices of one objective for that objective's coverage (see COVERAGE_RULE_NOTE).
    """
    p = ensure_columns(practices)
    long = p[["practice_id", "country", "submitter_type"]].explode("country")
    states = catalogue.unece_states()
    by_state = long[long["submitter_type"] == STATE].groupby("country")["practice_id"].nunique()
    by_other = long[long["submitter_type"] != STATE].groupby("country")["practice_id"].nunique()
    out = pd.DataFrame({
        "iso3": states["iso3"],
        "state": states["name"],
        "subregion": states["subregion"],
        "by_state": states["iso3"].map(by_state).fillna(0).astype(int),
        "by_stakeholders": states["iso3"].map(by_other).fillna(0).astype(int),
    })
    out["reported"] = out["by_state"] > 0
    return out.sort_values(["subregion", "state"], kind="stable").reset_index(drop=True)


def coverage_by_subregion(practices: pd.DataFrame) -> pd.DataFrame:
    """Per UN M49 sub-region: States, how many reported, and the names of those that did not."""
    cov = coverage(practices)
    rows = []
    for sub, g in cov.groupby("subregion", sort=True):
        rows.append({
            "subregion": sub,
            "states": len(g),
            "reported": int(g["reported"].sum()),
            "reported_states": ", ".join(g.loc[g["reported"], "state"]),
            "not_reported": ", ".join(g.loc[~g["reported"], "state"]),
        })
    return pd.DataFrame(rows, columns=["subregion", "states", "reported", "reported_states",
                                       "not_reported"])


# --- roundtable overview -------------------------------------------------------------------------


def objectives_overview(practices: pd.DataFrame, review: Review) -> pd.DataFrame:
    """The roundtable's objectives side by side: practices, by whom, where, COVID-19 measures."""
    rows = []
    for o in review.objectives:
        p = for_objective(practices, o)
        cov = coverage(p)
        rows.append({
            "objective": o,
            "label": catalogue.objective_label(o),
            "practices": len(p),
            "by_states": int((p["submitter_type"] == STATE).sum()),
            "by_stakeholders": int((p["submitter_type"] != STATE).sum()),
            "states_reported": int(cov["reported"].sum()),
            "questions": ", ".join(str(q.number) for q in review.questions_for(o)),
            "covid19_measures": int((p["covid19"] == "yes").sum()),
        })
    return pd.DataFrame(rows, columns=["objective", "label", "practices", "by_states",
                                       "by_stakeholders", "states_reported", "questions",
                                       "covid19_measures"])


def questions_overview(practices: pd.DataFrame, review: Review, examples: int = 2) -> pd.DataFrame:
    """Each guiding question: practices that count for it and up to `examples` example titles."""
    p = for_review(practices, review)
    counts = by_question(p, review)
    a = question_assignments(p, review)
    titles = []
    for q in counts["question"]:
        ids = set(a.loc[a["question"] == q, "practice_id"])
        picked = highlights(p[p["practice_id"].isin(ids)], review.lenses, n=examples)
        titles.append("; ".join(picked["title"]))
    counts["examples"] = titles
    return counts.drop(columns=["names_objective"])


def coverage_matrix(practices: pd.DataFrame, review: Review) -> pd.DataFrame:
    """State x objective: practices submitted by member States applying in each State."""
    states = catalogue.unece_states().sort_values(["subregion", "name"], kind="stable")
    out = pd.DataFrame({"state": states["name"].values, "subregion": states["subregion"].values})
    for o in review.objectives:
        cov = coverage(for_objective(practices, o)).set_index("iso3")["by_state"]
        out[str(o)] = states["iso3"].map(cov).fillna(0).astype(int).values
    out["objectives_reported"] = (out[[str(o) for o in review.objectives]] > 0).sum(axis=1)
    return out
