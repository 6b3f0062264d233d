"""Evidence tables: practices per objective and question, who and where, lenses, coverage."""

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from gcmtools import catalogue
from gcmtools.analysis import evidence
from gcmtools.intake.validate import validate_paths

ILLUSTRATIVE = ROOT / "data" / "practices" / "illustrative_practices.csv"


def practice(pid, objectives, **kw):
    """One accepted practice as intake returns it (lists as lists, countries as ISO3)."""
    row = {"practice_id": pid, "submitter": f"Submitter of {pid}", "submitter_type": "member_state",
           "country": ["ARM"], "objectives": objectives, "title": f"Title {pid}",
           "description": "What it does.", "guiding_questions": [], "principles": [],
           "practice_type": "programme", "target_groups": [], "covid19": "no",
           "year_start": 2019, "year_end": None, "source_ref": ""}
    row.update(kw)
    return row


def frame(*rows):
    df = pd.DataFrame(list(rows))
    for col in ("year_start", "year_end"):
        df[col] = df[col].astype("Int64")
    return df


@pytest.fixture(scope="module")
def review():
    return catalogue.load_review("unece-2020-rt3")


@pytest.fixture(scope="module")
def shipped():
    path = ILLUSTRATIVE if ILLUSTRATIVE.exists() else FIXTURES / "good" / "two_practices.csv"
    return validate_paths([path]).accepted


@pytest.fixture
def sample():
    return frame(
        practice("P-3", [8], guiding_questions=[3], principles=["human-rights", "child-sensitive"],
                 country=["GRC", "ITA"], practice_type="mechanism", covid19="yes",
                 target_groups=["children"]),
        practice("P-1", [8, 11], submitter_type="civil_society", country=["UNECE"],
                 principles=["gender-responsive", "human-rights", "child-sensitive"]),
        practice("P-2", [10], guiding_questions=[5], country=["GEO"]),
        practice("P-4", [8], submitter_type="un_entity", guiding_questions=[4], country=["ARM"],
                 practice_type="", target_groups=["children", "women"], year_start=None),
    )


def test_for_objective_keeps_only_that_objective_sorted_by_id(sample):
    assert list(evidence.for_objective(sample, 8)["practice_id"]) == ["P-1", "P-3", "P-4"]
    assert list(evidence.for_objective(sample, 13)["practice_id"]) == []


def test_question_rule_listed_first_then_the_objective_named(sample, review):
    a = evidence.question_assignments(evidence.for_objective(sample, 8), review, 8)
    rules = {(r.practice_id, r.question): r.rule for r in a.itertuples()}
    assert rules[("P-3", 3)] == evidence.RULE_LISTED
    assert rules[("P-4", 4)] == evidence.RULE_LISTED  # listed, although Q4 does not name 8
    # P-1 lists no question: it counts for every question naming objective 8 (Q3 and Q5)
    assert rules[("P-1", 3)] == evidence.RULE_NAMED and rules[("P-1", 5)] == evidence.RULE_NAMED
    assert ("P-1", 2) not in rules  # Q2 names 11, not 8: not in the brief for 8
    assert list(a["question"]) == sorted(a["question"])


def test_by_question_counts_states_and_stakeholders(sample, review):
    t = evidence.by_question(evidence.for_objective(sample, 8), review, 8).set_index("question")
    assert list(t.index) == [3, 4, 5]  # naming 8 (3, 5) or holding a practice (4)
    assert (t.loc[3, "practices"], t.loc[3, "by_states"], t.loc[3, "by_stakeholders"]) == (2, 1, 1)
    assert (t.loc[3, "listed"], t.loc[3, "by_objective"]) == (1, 1)
    assert not t.loc[4, "names_objective"]


def test_thin_questions_use_the_threshold(sample, review):
    p = evidence.for_objective(sample, 8)
    thin = evidence.thin_questions(p, review, 8, threshold=3)
    assert list(thin["question"]) == [3, 5]
    assert list(thin["gap"]) == ["fewer than 3 practices"] * 2
    assert evidence.thin_questions(p, review, 8, threshold=1).empty
    none = evidence.thin_questions(p.iloc[0:0], review, 8)
    assert list(none["gap"]) == ["no evidence", "no evidence"]


def test_states_apart_from_stakeholders(sample):
    t = evidence.by_submitter_type(sample)
    assert list(t["group"]) == ["State", "Stakeholder", "Stakeholder"]
    assert t.iloc[0]["practices"] == 2
    listing = evidence.practice_table(sample)
    assert list(listing["group"]) == ["State", "State", "Stakeholder", "Stakeholder"]
    assert list(listing["practice_id"]) == ["P-2", "P-3", "P-1", "P-4"]


def test_country_by_type_uses_names_and_puts_the_region_last(sample):
    t = evidence.country_by_type(sample).set_index("country")
    assert list(t.index) == ["Armenia", "Georgia", "Greece", "Italy",
                             catalogue.country_name("UNECE")]
    assert t.loc["Armenia", "unspecified"] == 1 and t.loc["Greece", "mechanism"] == 1
    assert (t["total"] == t.drop(columns="total").sum(axis=1)).all()


def test_highlights_are_deterministic_most_lenses_first(sample, review):
    h = evidence.highlights(sample, review.lenses, n=2)
    assert list(h["practice_id"]) == ["P-1", "P-3"]
    assert h.iloc[0]["lenses"] == "child-sensitive, gender-responsive, human-rights"
    shuffled = sample.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(h, evidence.highlights(shuffled, review.lenses, n=2))
    assert h.iloc[1]["country"] == "Greece; Italy"
    assert h.iloc[1]["years"] == "since 2019"


def test_years_text():
    assert evidence.years_text(2016, 2020) == "2016-2020"
    assert evidence.years_text(2016, pd.NA) == "since 2016"
    assert evidence.years_text(pd.NA, 2020) == "until 2020"
    assert evidence.years_text(pd.NA, pd.NA) == ""


def test_lens_shares_target_groups_and_covid(sample, review):
    shares = evidence.lens_shares(sample, review.lenses).set_index("lens")
    assert list(shares.index) == list(review.lenses)
    assert shares.loc["human-rights", "practices"] == 2
    assert shares.loc["human-rights", "share"] == pytest.approx(0.5)
    groups = evidence.target_group_counts(sample)
    assert list(groups.iloc[:2]["target_group"]) == ["children", "women"]
    assert list(groups.iloc[:2]["practices"]) == [2, 1]
    covid = evidence.covid_counts(sample).set_index("covid19")["practices"]
    assert (covid["yes"], covid["no"], covid["unspecified"]) == (1, 3, 0)
    assert list(evidence.covid_measures(sample)["practice_id"]) == ["P-3"]


def test_coverage_counts_only_states_submissions(sample):
    cov = evidence.coverage(evidence.for_objective(sample, 8))
    assert len(cov) == 56
    by = cov.set_index("iso3")
    assert by.loc["GRC", "reported"] and by.loc["ITA", "reported"]
    assert not by.loc["ARM", "reported"] and by.loc["ARM", "by_stakeholders"] == 1
    sub = evidence.coverage_by_subregion(evidence.for_objective(sample, 8)).set_index("subregion")
    assert sub.loc["Southern Europe", "reported"] == 2
    assert "Greece" in sub.loc["Southern Europe", "reported_states"]
    assert "Greece" not in sub.loc["Southern Europe", "not_reported"]
    assert sub["states"].sum() == 56


def test_overview_tables(sample, review):
    objs = evidence.objectives_overview(sample, review).set_index("objective")
    assert list(objs.index) == list(review.objectives)
    assert (objs.loc[8, "practices"], objs.loc[8, "by_states"], objs.loc[8, "states_reported"]) == (3, 1, 2)
    qs = evidence.questions_overview(sample, review).set_index("question")
    assert list(qs.index) == [1, 2, 3, 4, 5, 6]
    assert qs.loc[5, "examples"].startswith("Title P-1")
    matrix = evidence.coverage_matrix(sample, review).set_index("state")
    assert matrix.shape == (56, 1 + len(review.objectives) + 1)
    assert matrix.loc["Greece", "8"] == 1 and matrix.loc["Georgia", "10"] == 1
    assert matrix.loc["Armenia", "objectives_reported"] == 0


def test_every_table_copes_with_no_practices(review):
    empty = pd.DataFrame()
    assert evidence.for_objective(empty, 8).empty
    assert evidence.by_question(empty, review, 8)["practices"].sum() == 0
    assert evidence.country_by_type(empty).empty
    assert evidence.highlights(empty, review.lenses).empty
    assert evidence.lens_shares(empty, review.lenses)["practices"].sum() == 0
    assert evidence.coverage(empty)["reported"].sum() == 0
    assert evidence.coverage_matrix(empty, review)["objectives_reported"].sum() == 0
    assert len(evidence.questions_overview(empty, review)) == 6
    assert not evidence.is_illustrative(empty)


def test_shipped_practices_give_the_same_tables_twice(shipped, review):
    mine = evidence.for_objective(shipped, 8)
    first = evidence.by_question(mine, review, 8)
    again = evidence.by_question(evidence.for_objective(shipped.iloc[::-1], 8), review, 8)
    pd.testing.assert_frame_equal(first, again)
    assert evidence.is_illustrative(shipped) == ILLUSTRATIVE.exists()
