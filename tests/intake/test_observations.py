"""Observation tables in the contract's layout: read and validated, every problem with its row."""

import pandas as pd

from gcmtools.intake.observations import read_observations, validate_observations

GOOD = {"indicator": "mmp_dead", "geo": "ITA", "year": "2020", "value": "12", "unit": "persons",
        "sex": "total", "age": "total", "source": "IOM MMP", "obs_status": "minimum_estimate", "note": ""}


def frame(*changes):
    rows = [dict(GOOD, **c) for c in changes]
    return pd.DataFrame(rows, dtype=str)


def test_good_rows_pass(tmp_path):
    path = tmp_path / "obs.csv"
    frame({}, {"geo": "EU27_2020", "year": "2001 to 2010"}, {"value": "", "obs_status": "censored"}).to_csv(path, index=False)
    df = read_observations(path)
    assert validate_observations(df, "obs.csv").empty


def test_each_problem_is_named():
    df = frame({}, {"sex": "both"}, {"value": "x"}, {"geo": "Italy"}, {"year": "20"},
               {"value": "", "obs_status": "final"}, {"obs_status": "guess"}, {"indicator": "MMP Dead"})
    problems = validate_observations(df, "f.csv")
    assert list(zip(problems["row"], problems["column"])) == [
        (3, "sex"), (4, "value"), (5, "geo"), (6, "year"), (7, "value"), (8, "obs_status"), (9, "indicator")]
    assert problems.loc[0, "reason"] == "one of total, female, male"


def test_missing_column():
    problems = validate_observations(frame({}).drop(columns=["unit"]), "f.csv")
    assert problems.loc[0, "reason"] == "required column 'unit' is missing"


def test_a_missing_cell_of_a_nullable_text_column_is_named():
    """A frame of pandas' nullable strings (pd.NA in a missing cell) is checked as any other: the
    missing geo is a problem of its row, not a TypeError (NA's truth is ambiguous)."""
    df = frame({}, {}, {"geo": None}).astype("string")
    problems = validate_observations(df, "f.csv")
    assert list(zip(problems["row"], problems["column"])) == [(4, "geo")]
