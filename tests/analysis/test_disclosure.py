"""Small counts: which rows are sensitive and disaggregated, and how their counts are shown."""

import pandas as pd
import pytest

from gcmtools.analysis import disclosure, select
from gcmtools.analysis import keyfigures as kf
from gcmtools.catalogue.indicators import indicators

CATALOGUE = pd.DataFrame([
    {"id": "victims", "sensitive": True, "sensitive_age": ""},
    {"id": "detention", "sensitive": True, "sensitive_age": "child"},
    {"id": "refusals", "sensitive": False, "sensitive_age": ""},
])


def rows(*given):
    base = {"indicator": "victims", "geo": "ARM", "year": "2020", "value": 3.0, "value_text": "3",
            "unit": "persons", "sex": "total", "age": "total", "source": "S", "obs_status": "final",
            "note": "", "publisher": "P", "dataset": "D", "file": "f.csv", "vintage": "v",
            "licence": "L"}
    return pd.DataFrame([{**base, **r} for r in given])


def shown(df, threshold=disclosure.SMALL_COUNT_THRESHOLD):
    out = disclosure.apply(df, CATALOGUE, threshold)
    return list(zip(out["display"], out["suppressed"]))


def test_a_small_disaggregated_count_is_masked_and_totals_stay_exact():
    df = rows({"value": 3.0, "value_text": "3"},                                  # total
              {"sex": "female", "value": 3.0, "value_text": "3"},                 # by sex
              {"exploitation": "Forced labour", "value": 1.0, "value_text": "1"},  # by dimension
              {"sex": "male", "value": 0.0, "value_text": "0"},                   # zero
              {"sex": "male", "age": "child", "value": 5.0, "value_text": "5"})
    assert shown(df) == [("3", False), ("<5", True), ("<5", True), ("0", False), ("5", False)]
    out = disclosure.apply(df, CATALOGUE)
    assert list(out["value"]) == list(df["value"])  # the number is kept; only display changes


def test_censored_values_stay_as_published():
    df = rows({"sex": "female", "value": float("nan"), "value_text": "<5",
               "obs_status": "censored"})
    assert shown(df) == [("<5", False)]
    assert shown(df, 10) == [("<5", False)]  # UNODC's own threshold, not ours


def test_threshold_is_configurable():
    df = rows({"sex": "female", "value": 7.0, "value_text": "7"},
              {"sex": "female", "value": 10.0, "value_text": "10"},
              {"value": 7.0, "value_text": "7"})
    assert shown(df) == [("7", False), ("10", False), ("7", False)]
    assert shown(df, 10) == [("<10", True), ("10", False), ("7", False)]
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="threshold"):
            disclosure.apply(df, CATALOGUE, bad)


def test_sensitivity_by_indicator_and_by_child_rows():
    df = rows({"indicator": "victims", "sex": "female"},
              {"indicator": "detention", "age": "child"},
              {"indicator": "detention", "sex": "female"},
              {"indicator": "refusals", "age": "child"},
              {"indicator": "not_catalogued", "sex": "female"})
    assert list(disclosure.is_sensitive(df, CATALOGUE)) == [True, True, False, False, False]
    assert shown(df) == [("<5", True), ("<5", True), ("3", False), ("3", False), ("3", False)]
    assert not disclosure.is_sensitive(df, None).any()  # no catalogue, no flags
    assert not disclosure.is_sensitive(df, CATALOGUE.drop(columns="sensitive")).any()


def test_disaggregated_means_any_breakdown_not_at_its_total():
    df = rows({}, {"sex": "female"}, {"age": "child"}, {"route": "Total", "cause": ""},
              {"route": "Central Mediterranean"}, {"return_type": "Enforced return"},
              {"age_group": "0-17"}, {"citizenship": "Albania"}, {"geo": "XXX", "year": "2019"})
    assert list(disclosure.is_disaggregated(df)) == [False, True, True, False, True, True, True,
                                                      True, False]
    assert disclosure.breakdowns(df) == ["sex", "age", "route", "cause", "return_type",
                                         "age_group", "citizenship"]


def test_only_counts_of_people_are_masked():
    df = rows({"sex": "female", "unit": "percent", "value": 3.0, "value_text": "3"})
    assert shown(df) == [("3", False)]


def test_rule_sentence():
    assert disclosure.rule_sentence() == (
        "Counts of people below 5 in disaggregated sensitive series (trafficking victims, "
        "children in detention, missing children) are shown as <5; totals published by the "
        "source are exact.")
    assert "below 10 " in disclosure.rule_sentence(10) and "as <10;" in disclosure.rule_sentence(10)


def test_shipped_catalogue_marks_the_sensitive_series():
    table = indicators().set_index("id")
    marked = table[table["sensitive"]]
    assert set(marked.index) == {
        "unodc_detected_victims", "uk_nrm_referrals", "uk_small_boat_arrivals_nrm",
        "uk_detention_stock", "uk_detention_entries", "uk_detention_leavers",
        "uk_detention_deaths", "uk_detention_escapes", "mmp_dead", "mmp_missing",
        "mmp_dead_missing", "mmp_missing_found_dead",
        # the SDG Global Database's counts of detected victims (its rates are not counts of people)
        "sdg_gdb_16_2_2", "sdg_gdb_16_2_2_forced_labour", "sdg_gdb_16_2_2_sexual",
        "sdg_gdb_16_2_2_other", "sdg_gdb_16_2_2_organ"}
    assert (marked["sensitive_reason"].str.len() > 20).all()
    assert set(marked["sensitive_age"]) == {"", "child"}
    assert (table.loc[~table["sensitive"], "sensitive_age"] == "").all()
    df = rows({"indicator": "uk_detention_entries", "age": "child"},
              {"indicator": "uk_detention_entries", "sex": "female"},
              {"indicator": "mmp_dead_missing", "age": "child", "region": "Mediterranean"},
              {"indicator": "mmp_dead_missing", "sex": "female", "region": "Mediterranean"},
              {"indicator": "unodc_detected_victims", "sex": "male"},
              {"indicator": "unodc_persons_convicted", "sex": "male"})
    assert list(disclosure.apply(df, indicators())["suppressed"]) == [
        True, False, True, False, True, False]


def test_keyfigures_and_disclosure_agree_on_what_is_a_breakdown():
    assert select.CORE is disclosure.CORE and kf.SMALL == disclosure.SMALL_COUNT_THRESHOLD
