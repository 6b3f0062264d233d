"""The gcm_actions column: parsed like objectives into a list of codes; an action that is not
the GCM's, or not one of the practice's objectives', rejected with its rule and "did you mean"."""

from __future__ import annotations

import csv

import pytest

from gcmtools.intake.validate import validate_paths

HEADER = ["practice_id", "submitter", "submitter_type", "country", "objectives", "gcm_actions",
          "title", "description"]


def _validate(tmp_path, *rows: tuple[str, str]):
    """Practices with these (objectives, gcm_actions), validated."""
    path = tmp_path / "practices.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i, (objectives, actions) in enumerate(rows, start=1):
            out.writerow([f"P-{i}", "Ministry", "member_state", "ARM", objectives, actions,
                          "A title", "A description"])
    return validate_paths([path])


def test_actions_are_parsed_into_lists_of_codes(tmp_path):
    result = _validate(tmp_path, ("13", "13h; 13a"), ("8; 13", "8a;13b;"), ("11", ""))
    assert result.exit_code == 0, result.problems
    assert list(result.accepted["gcm_actions"]) == [["13h", "13a"], ["8a", "13b"], []]


@pytest.mark.parametrize(("objectives", "actions", "rule", "reason", "advice"), [
    ("13", "13i", "action-unknown", "action '13i' is not a GCM action (objective 13 has actions 13a-13h)",
     "objective 13 has actions 13a-13h"),
    ("13", "31a", "action-unknown", "action '31a' is not a GCM action", "did you mean 13a?"),
    ("13", "13H", "action-unknown", "action '13H' is not a GCM action", "did you mean 13h?"),
    ("13", "detention", "action-unknown", "action 'detention' is not a GCM action", "as 13a"),
    ("13", "8a", "action-not-in-objectives",
     "action 8a is an action of objective 8, which is not among the practice's objectives (13)",
     "Add objective 8 to objectives, or use an action of the practice's objectives (13a-13h)"),
    ("8; 21", "13h", "action-not-in-objectives", "not among the practice's objectives (8, 21)",
     "(8a-8f, 21a-21i)"),
    ("13", "13h, 13a", "separator-comma", "(separate several values with ';', not ',')", "instead of ','"),
])
def test_a_wrong_action_is_rejected_with_its_rule_and_what_was_meant(tmp_path, objectives, actions,
                                                                     rule, reason, advice):
    result = _validate(tmp_path, ("13", "13a"), (objectives, actions))
    assert len(result.accepted) == 1 and len(result.rejected) == 1
    [p] = result.problems.itertuples()
    assert (p.row, p.column, p.value, p.rule) == (3, "gcm_actions", actions, rule)
    assert reason in p.reason and advice in p.advice


def test_an_action_of_an_objective_that_is_itself_wrong_is_reported_once(tmp_path):
    """objectives '31' is the objectives column's problem; its action 13a is not blamed too."""
    result = _validate(tmp_path, ("31", "13a"), ("x", "13a"))
    assert list(result.problems["column"]) == ["objectives", "objectives"]
    assert set(result.problems["rule"]) == {"objective-unknown", "objective-not-a-number"}
