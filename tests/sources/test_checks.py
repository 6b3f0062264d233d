"""The totals-vs-parts rule: one rule, one tolerance, for the adapters and the analysis above."""

import pandas as pd

from gcmtools.sources import checks


def obs(*rows):
    base = {"indicator": "a", "geo": "GBR", "year": "2020", "value": 0.0, "value_text": "",
            "unit": "persons", "sex": "total", "age": "total", "obs_status": "final", "note": ""}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_a_total_below_female_plus_male_is_found_with_its_row_and_parts():
    df = obs({"value": 10.0}, {"value": 6.0, "sex": "female"}, {"value": 5.0, "sex": "male"})
    [found] = checks.totals_below_parts(df)
    assert (found["row"], found["dim"], found["total"], found["parts"], found["noted"]) == (
        0, "sex", 10.0, {"female": 6.0, "male": 5.0}, False)
    assert found["where"] == {"indicator": "a", "geo": "GBR", "year": "2020"}
    assert checks.totals_below_parts(df.assign(value=[11.0, 6.0, 5.0])) == []
    assert checks.parts_over_total(df).empty  # each part alone fits


def test_children_and_adults_too_and_rates_and_censored_cells_are_not_compared():
    df = obs({"value": 10.0}, {"value": 8.0, "age": "child"}, {"value": 3.0, "age": "adult"})
    assert [b["dim"] for b in checks.totals_below_parts(df)] == ["age"]
    assert checks.totals_below_parts(df.assign(unit="percent")) == []
    censored = df.assign(value=[10.0, float("nan"), 3.0])
    assert checks.totals_below_parts(censored) == []


def test_one_tolerance_for_both_checks():
    half = obs({"value": 10.0}, {"value": 5.25, "sex": "female"}, {"value": 5.25, "sex": "male"},
               {"value": 10.25, "age": "adult"})
    assert checks.totals_below_parts(half) == []  # 10.5 against 10: within the tolerance
    assert checks.parts_over_total(half).empty
    over = half.assign(value=[10.0, 5.5, 5.5, 10.75])
    assert len(checks.totals_below_parts(over)) == 1 and len(checks.parts_over_total(over)) == 1


def test_a_part_published_in_two_copies_of_its_key_is_not_added_twice():
    df = obs({"value": 30.0, "repeat": ""},
             {"value": 6.0, "sex": "female", "repeat": "1"},
             {"value": 8.0, "sex": "female", "repeat": "2"},
             {"value": 18.0, "sex": "male", "repeat": "2"})
    assert checks.totals_below_parts(df) == []  # female has two values: no single sum
    one = df.assign(value=[8.0, float("nan"), 6.0, 18.0])
    assert [b["parts"] for b in checks.totals_below_parts(one)] == [{"female": 6.0, "male": 18.0}]


def test_flagging_notes_the_rows_and_the_checks_then_accept_them():
    df = obs({"value": 43.0}, {"value": 44.0, "age": "child"}, {"value": 107.0, "age": "adult"},
             {"value": 20.0, "sex": "female"}, {"value": 30.0, "sex": "male"})
    assert checks.flag_published_inconsistencies(df, "UNODC") == 4  # two parts, two pairs
    assert df.loc[1, "note"] == ("UNODC publishes this part (44) larger than its total (43); "
                                 "kept as published")
    assert df.loc[0, "note"] == (
        "UNODC publishes female + male (50) larger than this total (43); kept as published; "
        "UNODC publishes children + adults (151) larger than this total (43); kept as published")
    assert all(b["noted"] for b in checks.totals_below_parts(df))
    assert checks._totals_problems(df) == []
