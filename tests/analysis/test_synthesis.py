"""Distinct-practice totals, the lens per question, the action evidence and the roundtable's map,
recomputed with plain pandas from data/practices/illustrative_practices.csv (and, for the map,
the action assignment the briefs use)."""

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import brief, catalogue
from gcmtools.analysis import synthesis
from gcmtools.brief import answers
from gcmtools.catalogue import gcm

RAW = ROOT / "data" / "practices" / "illustrative_practices.csv"
STATES = pd.read_csv(ROOT / "gcmtools" / "reference" / "unece_states.csv", keep_default_na=False)
# the country names the shipped file spells out (everything else is ISO3 already)
NAMES = {"Republic of Moldova": "MDA", "Turkey": "TUR", "Türkiye": "TUR", "Czech Republic": "CZE",
         "Czechia": "CZE", "United Kingdom of Great Britain and Northern Ireland": "GBR"}


def split(text: str) -> list[str]:
    return [t.strip() for t in str(text).split(";") if t.strip()]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    d = pd.read_csv(RAW, keep_default_na=False, dtype=str)
    return d.assign(objs=d["objectives"].map(lambda v: [int(o) for o in split(v)]),
                    qs=d["guiding_questions"].map(lambda v: sorted({int(q) for q in split(v)})),
                    isos=d["country"].map(lambda v: [NAMES.get(c, c) for c in split(v)]),
                    lenses=d["principles"].map(split))


@pytest.fixture(scope="module")
def review():
    return catalogue.load_review("unece-2020-rt3")


def questions_of(raw: pd.DataFrame, review, objective: int) -> pd.DataFrame:
    """practice_id x question for one objective's brief: the questions listed, else those that
    name the objective (the rule the briefs state)."""
    mine = raw[raw["objs"].map(lambda os: objective in os)]
    naming = [q["number"] for q in review_questions(review) if objective in q["objectives"]]
    rows = [(pid, q) for pid, qs in zip(mine["practice_id"], mine["qs"]) for q in (qs or naming)]
    return pd.DataFrame(rows, columns=["practice_id", "question"])


def review_questions(review) -> list[dict]:
    return [{"number": q.number, "objectives": list(q.objectives)} for q in review.guiding_questions]


def test_objective_8_counts_47_question_entries_for_28_practices(raw, review):
    a = questions_of(raw, review, 8)
    times = a.groupby("practice_id")["question"].nunique()
    assert (len(a), times.size, int((times > 1).sum())) == (47, 28, 19)  # the figures
    got = synthesis.question_totals(brief.load_context("unece-2020-rt3", 8, str(RAW), "",
                                                       observations=pd.DataFrame()).practices, review, 8)
    per_q = a.groupby("question")["practice_id"].nunique()
    for q, n in per_q.items():
        assert got.loc[got["question"] == f"Q{q}", "practices"].item() == n
    total = got.set_index("short")
    assert total.loc["question entries", "practices"] == 47
    assert (total.loc["distinct practices", "practices"], total.loc["distinct practices", "under_another"]) == (28, 19)
    assert "practices counted under no question" not in total.index  # every practice of 8 has one


@pytest.fixture(scope="module")
def ctx_all():
    return brief.load_context("unece-2020-rt3", None, str(RAW), "", observations=pd.DataFrame())


def test_the_overviews_totals_say_which_practices_no_question_counts(raw, review, ctx_all):
    mine = raw[raw["objs"].map(lambda os: bool(set(os) & set(review.objectives)))]
    rows = [(pid, q["number"]) for pid, qs, os in zip(mine["practice_id"], mine["qs"], mine["objs"])
            for q in review_questions(review) if (q["number"] in qs if qs else set(os) & set(q["objectives"]))]
    a = pd.DataFrame(rows, columns=["practice_id", "question"])
    got = synthesis.question_totals(answers._practices(ctx_all), review).set_index("short")
    assert got.loc["question entries", "practices"] == len(a)
    assert got.loc["distinct practices", "practices"] == a["practice_id"].nunique()
    assert got.loc["practices counted under no question", "practices"] == len(mine) - a["practice_id"].nunique()


def test_lens_per_question(raw, review):
    ctx = brief.load_context("unece-2020-rt3", 8, str(RAW), "", observations=pd.DataFrame())
    got = synthesis.lens_by_question(ctx.practices, review, 8)
    a = questions_of(raw, review, 8).merge(raw[["practice_id", "lenses"]], on="practice_id")
    for q, g in a.groupby("question"):
        for lens in review.lenses:
            row = got[(got["question"] == f"Q{q}") & (got["lens"] == lens)].iloc[0]
            n = int(g["lenses"].map(lambda ls, lens=lens: lens in ls).sum())
            assert (row["practices"], row["of"]) == (n, len(g))
            assert row["share"] == pytest.approx(n / len(g))
    whole = got[got["question"] == "All"]
    assert set(whole["of"]) == {28}


def test_accepted_actions_win_and_a_suggestion_is_marked_as_one():
    actions = gcm.actions()
    p = pd.DataFrame({"practice_id": ["A", "B", "C", "D"], "objectives": [[8], [8], [8, 13], [8]],
                      "gcm_actions": [["8b", "13a"], [], ["13c"], []]})
    best = {8: pd.Series(["8a", "8c", "8d", pd.NA], index=list("ABCD"), dtype=object),
            13: pd.Series(["13b", pd.NA, "13d", pd.NA], index=list("ABCD"), dtype=object)}
    got = synthesis.assign_actions(p, actions, best)
    assert sorted(map(tuple, got.to_numpy().tolist())) == [
        ("A", 8, "8b", "accepted"), ("B", 8, "8c", "suggested"), ("C", 8, "8d", "suggested"),
        ("C", 13, "13c", "accepted")]  # 13a: not an objective of A; D: no word matched


def reach(raw: pd.DataFrame) -> pd.Series:
    """UNECE States each practice counts for: a member State's practice, where it applies."""
    unece = set(STATES["iso3"])
    return pd.Series([sorted(set(i) & unece) if t == "member_state" else []
                      for i, t in zip(raw["isos"], raw["submitter_type"])], index=raw["practice_id"])


def test_the_action_map_counts_practices_and_states(raw, review, ctx_all):
    assigned = answers.assignments(ctx_all)
    cells = answers.overview_action_map_data(ctx_all)["cells"]
    states_of = reach(raw)
    expected = []
    for o in review.objectives:
        a = questions_of(raw, review, o).merge(assigned[assigned["objective"] == o], on="practice_id")
        for (q, code), g in a.groupby(["question", "action"]):
            expected.append((q, code, g["practice_id"].nunique(),
                             len({s for pid in g["practice_id"] for s in states_of[pid]})))
    filled = cells[cells["practices"] > 0]
    assert sorted(map(tuple, filled[["question", "action", "practices", "states"]].to_numpy().tolist())) \
        == sorted(expected)
    # every question x every action of the roundtable is a cell; the rest are the gaps
    codes = actions_of(review)
    assert len(cells) == len(review.guiding_questions) * len(codes)
    wide = answers.map_wide(cells)
    assert list(wide["action"]) == codes
    named = cells[(cells["practices"] == 0) & cells["names_objective"]]
    assert (wide[[f"Q{q.number}" for q in review.guiding_questions]] == "gap").sum().sum() == len(named)


def actions_of(review) -> list[str]:
    """The codes of the roundtable's actions, objective by objective (the catalogue's order)."""
    return [c for o in review.objectives for c in gcm.actions().query("objective == @o")["code"]]


def test_an_action_no_practice_implements_is_a_gap(raw, review):
    ctx = brief.load_context("unece-2020-rt3", 8, str(RAW), "", observations=pd.DataFrame())
    assigned = answers.assignments(ctx)
    ev = synthesis.action_evidence(ctx.practices, assigned, gcm.actions(), 8)
    used = set(assigned.loc[assigned["objective"] == 8, "action"])
    assert list(ev["action"]) == list(gcm.actions().query("objective == 8")["code"])
    assert set(ev.loc[ev["practices"] == 0, "action"]) == set(ev["action"]) - used
    assert set(ev.loc[ev["practices"] == 0, "subregions_without"]) <= {"all"}
    states_of = reach(raw)
    for code, g in assigned[assigned["objective"] == 8].groupby("action"):
        row = ev[ev["action"] == code].iloc[0]
        assert row["practices"] == g["practice_id"].nunique()
        assert row["suggested"] == int((g["how"] == synthesis.SUGGESTED).sum())
        assert row["states"] == len({s for pid in g["practice_id"] for s in states_of[pid]})
        subs = set(STATES.loc[STATES["iso3"].isin({s for pid in g["practice_id"] for s in states_of[pid]}),
                              "subregion"])
        without = set(STATES["subregion"]) - subs
        assert row["subregions_without"] == ("; ".join(sorted(without)) if subs else "all")
