"""Issue 18, second round: the intake's fast paths give what the slow ones gave.

The supersede check (resubmission._superseded, vectorised) against the loop over groups it
replaced; the observation and practice schemas' "nothing to report" answers (_passes) against
pandera itself, on valid tables and on tables with one fault each; the CSV reader's first line
and blank rows against str.splitlines and pandas' .str. All in process, small tables."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools.intake import files, observations, resubmission, rules, schema
from gcmtools.intake.validate import validate_paths


def superseded_by_loop(rows: pd.DataFrame) -> list:
    """The implementation before the second round: a Python loop over (submitter, id) groups."""
    found = []
    for _key, group in rows[rows["_id"] != ""].groupby(["_by", "_id"], sort=False):
        latest = group.iloc[-1]
        earlier = group[(group["_date"] < latest["_date"]) & (group["source_file"] != latest["source_file"])]
        found += [(i, "practice_id", r["practice_id"], rules.problem(
            "row-superseded", file=latest["source_file"], row=latest["source_row"], date=latest["_date"]))
            for i, r in earlier.iterrows()]
    return found


def test_superseded_is_the_loop_it_replaced():
    """Submitters resubmitting in several files on several dates, equal dates, one file
    repeating an id, blank ids: the same problems in the same order."""
    ids = ["P-1", "P-2", "P-1", "P-3", "P-1", "P-2", "", "P-3", "P-4", "P-4"]
    rows = pd.DataFrame({
        "practice_id": ids, "_id": ids,
        "_by": ["a", "a", "a", "b", "a", "b", "a", "b", "a", "a"],
        "_date": ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-01", "2024-03-01", "2024-01-01",
                  "2024-01-01", "2024-01-01", "2024-05-01", "2024-05-01"],
        "source_file": ["f1", "f1", "f2", "f1", "f3", "f2", "f1", "f3", "f1", "f1"],
        "source_row": [2, 3, 2, 4, 2, 3, 5, 2, 6, 7],
    }, index=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    rows = rows.sort_values(["_date", "source_file", "source_row"], kind="stable")
    got = resubmission._superseded(rows[rows["_id"] != ""])
    want = superseded_by_loop(rows)
    assert [(i, c, v, p.reason) for i, c, v, p in got] == [(i, c, v, p.reason) for i, c, v, p in want]
    assert {i for i, *_ in got} == {10, 12}  # P-1 of a in f1 and f2, superseded by f3's


def obs_frame(**changes) -> pd.DataFrame:
    base = {"indicator": ["mmp_dead"] * 3, "geo": ["ARM", "GEO", "EU27_2020"], "year": ["2020", "2021", "2001 to 2010"],
            "value": ["1", "2.5", "3"], "unit": ["persons"] * 3, "sex": ["total", "female", "male"],
            "age": ["total"] * 3, "source": ["bench"] * 3, "obs_status": ["", "final", "censored"], "note": [""] * 3}
    base.update(changes)
    return pd.DataFrame(base, dtype="str")


@pytest.mark.parametrize("changes, passes", [
    ({}, True),
    ({"geo": ["ARM", "arm", "GEO"]}, False),
    ({"value": ["1", "x", "3"]}, False),
    ({"sex": ["total", "both", "male"]}, False),
    ({"year": ["2020", None, "2021"]}, False),
    ({"obs_status": ["", "final", "later"]}, False),
])
def test_observations_pass_exactly_when_pandera_finds_nothing(changes, passes):
    frame = obs_frame(**changes)
    assert observations._passes(frame) is passes
    try:
        observations.schema().validate(frame, lazy=True)
        pandera_passes = True
    except Exception:  # noqa: BLE001 - SchemaErrors: pandera found something
        pandera_passes = False
    assert pandera_passes is passes
    problems = observations.validate_observations(frame, "f.csv")
    assert problems.empty is passes


def test_practices_pass_exactly_when_pandera_finds_nothing(tmp_path):
    """The shipped illustrative practices pass; with one bad country, one bad year order, one
    empty required cell, pandera runs and finds each."""
    from gcmtools import catalogue
    from gcmtools.paths import data_dir

    review = catalogue.load_review(catalogue.DEFAULT_REVIEW)
    shipped = data_dir() / "practices" / "illustrative_practices.csv"
    result = validate_paths([shipped])
    frame = pd.read_csv(shipped, dtype=str, keep_default_na=False).astype(object)
    ok = frame[frame["practice_id"].isin(set(result.accepted["practice_id"]))].reset_index(drop=True)
    assert schema._passes(ok, review)
    for column, value in (("country", "Atlantis"), ("year_end", "1990"), ("title", "")):
        bad = ok.copy()
        bad.loc[0, column] = value
        assert not schema._passes(bad, review)
        assert (schema.find_problems(bad, review)["index"] == 0).any()


@pytest.mark.parametrize("text", ["a,b\nc", "a,b\r\nc", "a,b", "\ufeffa,b\n", "a" * 70_000 + "\nb",
                                  "a" * 70_000, "x\u2028y\n", "\n\nabc"])
def test_first_line_is_splitlines_first(text):
    assert files._first_line(text, probe=64) == text.splitlines()[0]
    assert files._first_line(text) == text.splitlines()[0]


def test_blank_rows_are_pandas_strip():
    body = pd.DataFrame({"a": ["", " ", "x", "\t", ""], "b": ["", "", "", "y", " \n"]}, dtype=object)
    want = (body.apply(lambda col: col.str.strip()) == "").all(axis=1).to_numpy()
    assert files._blank_rows(body).tolist() == want.tolist() == [True, True, False, False, True]


def test_marks_are_what_validate_scans_for():
    """files.marks, at C speed over UTF-8 bytes, says a text holds a control character exactly
    when validate's own pattern finds one, NUL exactly when it holds U+0000, '#' when it holds
    '#': for every character of the first planes, alone and among other letters."""
    from gcmtools.intake import validate

    for code in [*range(0x3000), 0xFEFF, 0xFFFD, 0x1F600]:
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue  # a lone surrogate is never in a decoded file
        for text in (char, f"abc\u00e9{char}\u0416\n"):
            found = files.marks(text.encode("utf-8"))
            assert ("control" in found) is bool(validate._CONTROL.search(text)), hex(code)
            assert ("nul" in found) is (char == "\x00"), hex(code)
            assert ("#" in found) is (char == "#"), hex(code)
    assert files.marks(b"") == frozenset()


def _late_nul_and_controls(tmp_path):
    """A file whose NUL comes after the first 8 KiB (so it is read, and its cell rejected), with
    a C1 control, a spreadsheet error, a quoted cell over two lines and CRLF line ends."""
    rows = ["practice_id,title,description"] + [f"P-{i},t{i},d{i}" for i in range(600)]
    rows += ['P-x,"two\nlines",a\x00b', "P-y,c\u00851,#N/A"]
    path = tmp_path / "late_nul.csv"
    path.write_bytes("\r\n".join(rows).encode("utf-8"))
    return path


@pytest.mark.parametrize("name", ["good/two_practices.csv", "hostile/bom_semicolon.csv",
                                  "hostile/cp1252_windows.csv", "hostile/crlf_line_endings.csv",
                                  "hostile/mixed_encodings.csv", "hostile/control_characters.csv",
                                  "hostile/long_cell_100kb.csv", "hostile/script_in_text.csv",
                                  "shipped", "late NUL"])
def test_csv_read_from_bytes_is_the_csv_module_reading_of_the_text(name, tmp_path):
    """The C parser reads the file's bytes (or the decoded text's UTF-8): the same cells, rows
    and blank rows as the csv module reading the decoded text, and the same marks."""
    import csv
    import io
    from pathlib import Path

    from gcmtools.paths import data_dir

    path = (data_dir() / "practices" / "illustrative_practices.csv" if name == "shipped"
            else _late_nul_and_controls(tmp_path) if name == "late NUL"
            else Path(__file__).parents[1] / "fixtures" / name)
    table = files.read_table(path)
    text, notes, _encoding = files._decode(path.read_bytes())
    delimiter = files._sniff_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    slow = files._from_records(str(path), records, notes)
    pd.testing.assert_frame_equal(table.frame, slow.frame)
    assert (table.rows, table.blank_rows, table.notes) == (slow.rows, slow.blank_rows, slow.notes)
    assert table.holds == files.marks(text.encode("utf-8"))
    if name == "late NUL":
        assert table.holds == {"nul", "control", "#"}
        result = validate_paths([path])
        assert {"nul-character", "control-character", "spreadsheet-error"} <= set(result.problems["rule"])
