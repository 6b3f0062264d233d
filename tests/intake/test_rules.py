"""The rejection rules: each in one record, each used by a check, each reason traced to its rule;
guiding questions checked against the review the practices answer."""

import re

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from gcmtools.intake import rules
from gcmtools.intake.validate import validate_paths

BAD = FIXTURES / "bad"
INTAKE = ROOT / "gcmtools" / "intake"
CHECKERS = ("schema.py", "validate.py", "files.py", "resubmission.py")


def test_every_rule_has_a_code_a_reason_and_advice():
    codes = [r.code for r in rules.RULES]
    assert len(codes) == len(set(codes)), "a code is used by two rules"
    for r in rules.RULES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", r.code), r.code
        assert r.reason.strip() and r.advice.strip(), r.code
        assert r.advice != r.reason, r.code


def _codes_in_checks() -> set[str]:
    text = "\n".join((INTAKE / f).read_text(encoding="utf-8") for f in CHECKERS)
    return set(re.findall(r"rules\.problem\(\s*\"([a-z0-9-]+)\"", text))


def test_every_rule_is_used_by_a_check_and_every_check_names_a_rule():
    used = _codes_in_checks()
    assert used - set(rules.BY_CODE) == set(), "a check records a rule that does not exist"
    assert set(rules.BY_CODE) - used == set(), "orphan rule: no check records it"


def test_feedback_finds_no_advice_by_matching_words_of_the_reason():
    text = (INTAKE / "feedback.py").read_text(encoding="utf-8")
    assert "what_to_change(" not in text and 'rejected["advice"]' in text


def test_every_reason_of_the_bad_fixtures_maps_to_its_rule():
    result = validate_paths([BAD])
    problems = result.problems
    assert len(problems) and problems["rule"].isin(list(rules.BY_CODE)).all()
    for p in problems.itertuples(index=False):
        rule = rules.BY_CODE[p.rule]
        assert rule.pattern().fullmatch(p.reason), (p.rule, p.reason)
        assert p.advice, p.rule
    seen = set(problems["rule"])
    # every rule of a value, a row or the file's columns shows in the shipped bad fixtures;
    # the spreadsheet cells' rules need xlsx or binary input (tests/test_hostile_inputs.py)
    cells_only = {"merged-cell", "formula-unsaved", "nul-character", "cell-too-long", "control-character"}
    # a resubmission needs dated files of one submitter: tests/intake/test_resubmission.py
    dated = {"row-superseded", "not-a-date"}
    assert set(rules.BY_CODE) - cells_only - dated - seen == set()


def test_a_problem_fills_the_rule_and_refuses_an_unknown_code():
    p = rules.problem("value-misspelt", token="human-right", column="principles", close="human-rights")
    assert p == rules.Problem("value-misspelt",
                              "'human-right' is not a valid value for principles (did you mean 'human-rights'?)",
                              "Replace the value with 'human-rights'")
    with pytest.raises(KeyError):
        rules.problem("no-such-rule")


def test_two_rules_in_one_cell_are_two_problems(tmp_path):
    f = tmp_path / "two.csv"
    lines = (BAD / "objective_out_of_range.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",24,", ",ten; 24; 25,")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_paths([f]).problems.set_index("rule")
    assert problems.loc["objective-not-a-number", "reason"] == \
        "objective 'ten' is not a number (GCM objectives are 1-23)"
    assert problems.loc["objective-unknown", "reason"] == \
        "objective 24 is not a GCM objective (1-23); objective 25 is not a GCM objective (1-23)"


# --- guiding questions are the review's -------------------------------------------------------


def _four_question_review(tmp_path):
    questions = "\n".join(
        f"  - number: {n}\n    short: Q{n}\n    text: Question {n}?\n    objectives: [10]"
        for n in range(1, 5))
    path = tmp_path / "four-questions.yaml"
    path.write_text(
        "id: test-four-questions\nreview: A review of four questions\nperiod: 2019-2020\n"
        "roundtable:\n  number: 9\n  title: Four questions\n  objectives: [10, 11]\n"
        f"guiding_questions:\n{questions}\n", encoding="utf-8")
    return path


def _practice_naming_question_6(tmp_path):
    good = (FIXTURES / "good" / "two_practices.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "q6.csv"
    path.write_text("\n".join([good[0], good[1], good[2].replace(",5,", ",6,")]) + "\n",
                    encoding="utf-8")
    return path


def test_a_question_the_review_does_not_have_is_rejected_for_that_review(tmp_path):
    review, practices = _four_question_review(tmp_path), _practice_naming_question_6(tmp_path)
    assert validate_paths([practices]).exit_code == 0  # the default review has six questions
    result = validate_paths([practices], review)
    assert list(result.accepted["practice_id"]) == ["T-001"]
    [p] = result.problems.itertuples(index=False)
    assert (p.row, p.column, p.value, p.rule) == (3, "guiding_questions", "6", "question-unknown")
    assert p.reason == "guiding question '6' is not one of 1-4 (the guiding questions of test-four-questions)"
    assert "test-four-questions (1-4)" in p.advice


def test_a_brief_loads_only_the_practices_its_review_accepts(tmp_path):
    from gcmtools.brief.context import load_context

    review, practices = _four_question_review(tmp_path), _practice_naming_question_6(tmp_path)
    ctx = load_context(review=str(review), practices=str(practices), observations=pd.DataFrame(),
                       use_cache=False)
    assert list(ctx.all_practices["practice_id"]) == ["T-001"]
    assert list(ctx.intake.problems["rule"]) == ["question-unknown"]
    assert int(ctx.intake.counts["rejected"].sum()) == 1


def test_validate_command_takes_the_review(tmp_path, gcm):
    review, practices = _four_question_review(tmp_path), _practice_naming_question_6(tmp_path)
    run = gcm("validate", str(practices), "--review", str(review))
    assert run.returncode == 1
    assert "row 3, column guiding_questions: guiding question '6' is not one of 1-4" in run.stdout
    assert gcm("validate", str(practices)).returncode == 0
    run = gcm("validate", str(practices), "--review", "no-such-review")
    assert run.returncode == 2 and "unknown review 'no-such-review'" in run.stderr
