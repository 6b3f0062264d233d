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
    for column in ("partners", "title"):  # a cell that is not text: pandera is asked
        bad = ok.copy()
        bad.loc[0, column] = None
        assert not schema._passes(bad, review)


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


def _generated(name: str, tmp_path):
    """Files whose first line or header meets the end of the 64 KiB the usual reading looks in
    (files._HEAD): a letter of two bytes cut by it, a header row longer than it, a quoted header
    cell over two lines, a header alone without a line break, one line only."""
    path = tmp_path / f"{name.replace(' ', '_')}.csv"
    header = "practice_id,title,description"
    rows = [f"P-{i},t\u00e9{i},d{i}" for i in range(3000)]
    if name == "letter cut by the head":
        first = header + "\n" + "P-0,t,"
        pad = files._HEAD - len(first.encode()) - 1
        text = first + "x" * pad + "\u00e9\u00e9tail\n" + "\n".join(rows)
        assert text.encode()[: files._HEAD].decode("utf-8", "ignore") != text.encode()[: files._HEAD].decode("utf-8", "replace")
    elif name == "header longer than the head":
        text = header + ",extra_" + "y" * files._HEAD + "\n" + "\n".join(r + ",z" for r in rows)
    elif name == "header cell over two lines":
        text = 'practice_id,"title\nsecond line",description\n' + "\n".join(rows)
    elif name == "large, quoted line breaks":  # over pandas' 5 MB for reading on threads
        rows = [f'P-{i},"t{i}\nsecond line, with a comma",d\u00e9{i} ' + "x" * 200 for i in range(30_000)]
        text = header + "\n" + "\n".join(rows) + "\n"
        assert len(text.encode()) > 5 * 2**20
    elif name == "header alone":
        text = header
    else:  # BOM, CRLF, a semicolon
        text = "\ufeff" + header.replace(",", ";") + "\r\n" + "\r\n".join(r.replace(",", ";") for r in rows)
    path.write_bytes(text.encode("utf-8"))
    return path


GENERATED = ["letter cut by the head", "header longer than the head", "header cell over two lines",
             "header alone", "BOM CRLF semicolons", "large, quoted line breaks"]


@pytest.mark.parametrize("name", ["good/two_practices.csv", "hostile/bom_semicolon.csv",
                                  "hostile/cp1252_windows.csv", "hostile/crlf_line_endings.csv",
                                  "hostile/mixed_encodings.csv", "hostile/control_characters.csv",
                                  "hostile/long_cell_100kb.csv", "hostile/script_in_text.csv",
                                  "shipped", "late NUL", *GENERATED])
def test_csv_read_from_bytes_is_the_csv_module_reading_of_the_text(name, tmp_path):
    """The C parser reads the file's bytes (or the decoded text's UTF-8): the same cells, rows
    and blank rows as the csv module reading the decoded text, and the same marks."""
    import csv
    import io
    from pathlib import Path

    from gcmtools.paths import data_dir

    path = (data_dir() / "practices" / "illustrative_practices.csv" if name == "shipped"
            else _late_nul_and_controls(tmp_path) if name == "late NUL"
            else _generated(name, tmp_path) if name in GENERATED
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


@pytest.mark.parametrize("values, fn", [
    (["ARM; GEO", "ITA", "ARM; GEO", "", "ITA"], schema.split_list),
    (["1", "2", "1", "3"], int),
    (["a", "b", "a"], lambda v: v == "a"),
    (["a", "b", "a"], lambda v: None if v == "a" else v.upper()),
    (["x", "y"], lambda v: v * 2),
    ([], schema.split_list),
    (["a", None, "a"], lambda v: str(v)),
])
def test_map_unique_is_the_map_of_a_dict(values, fn):
    """Each distinct value's answer taken by the rows' codes: what the implementation before
    (Series.map of a dict of the distinct values' answers) gave, to the dtype."""
    def before(series):
        uniques = pd.unique(series)
        return series.map(dict(zip(uniques, map(fn, uniques))))

    for series in (pd.Series(values, dtype=object, name="c", index=range(10, 10 + len(values))),
                   pd.Series([v for v in values if isinstance(v, str)], dtype="str")):
        pd.testing.assert_series_equal(schema.map_unique(series, fn), before(series))


def test_id_keys_are_id_key_of_each_cell():
    for ids in (["GCM-1", "GCM-2", "", "GCM-1"], ["G\u0421M-1", "GCM-1", "x\u200by", ""], []):
        series = pd.Series(ids, dtype=object, index=range(5, 5 + len(ids)))
        assert schema.id_keys(series).tolist() == [schema.id_key(v) for v in ids]
        assert list(schema.id_keys(series).index) == list(series.index)


def practices_frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"year_start": [""] * n, "year_end": [""] * n, "gcm_actions": [""] * n, "objectives": ["13"] * n}
    base.update(columns)
    return pd.DataFrame(base, dtype=object)


@pytest.mark.parametrize("columns", [
    {"year_start": ["2017", "", "2020", "abcd", "2019"], "year_end": ["2018", "2016", "2019", "2000", ""]},
    {"year_start": ["2017", "2017"], "year_end": ["2017", "2018"]},
    {"year_start": ["\u0662\u0660\u0661\u0669", "2019"], "year_end": ["2000", "2020"]},
    {"gcm_actions": ["13a", "8a", "", "13a; 8b"], "objectives": ["13", "13", "8", "8; 13"]},
    {"gcm_actions": ["8a", "99z", "13a"], "objectives": ["13", "13", "x"]},
    {"gcm_actions": ["13a"], "objectives": ["13"]},
])
def test_row_checks_per_distinct_cell_are_the_row_checks(columns):
    """_years_ordered and _actions_placed (each distinct cell or pair once) answer as the
    checks pandera runs over every row."""
    frame = practices_frame(**columns)
    assert schema._years_ordered(frame) is bool(schema._years_in_order(frame).all())
    assert schema._actions_placed(frame) is bool(schema._actions_in_objectives(frame).all())


def test_years_per_distinct_cell_are_to_numeric():
    from gcmtools.intake import validate

    for cells in (["2017", "", "2017", "2020"], ["", ""], ["2019"], []):
        column = pd.Series(cells, dtype=object, index=range(3, 3 + len(cells)), name="year_start")
        want = pd.to_numeric(column.replace("", None), errors="raise").astype("Int64")
        pd.testing.assert_series_equal(validate._years(column), want)


def test_one_file_supersedes_nothing():
    """Rows of one file are never superseded (the check returns before grouping): as the loop."""
    rows = pd.DataFrame({"practice_id": ["P-1", "P-1"], "_id": ["P-1", "P-1"], "_by": ["a", "a"],
                         "_date": ["2024-01-01", "2024-02-01"], "source_file": ["f1", "f1"],
                         "source_row": [2, 3]}, index=[0, 1])
    assert resubmission._superseded(rows) == superseded_by_loop(rows) == []
    assert [p.rule for *_, p in resubmission.duplicates(rows)] == ["duplicate-id"]


@pytest.mark.parametrize("changes", [{}, {"value": ["", "", "3"], "obs_status": ["", "censored", "final"]},
                                     {"value": ["", None, "3"]}, {"obs_status": [None, "censored", ""]}])
def test_censored_empty_from_codes_is_the_comparison(changes):
    """The empty values not censored, from the codes _passes found, are the rows the two
    comparisons give (NA among them: the comparisons themselves)."""
    for dtype in ("str", object):
        frame = obs_frame(**changes).astype(dtype)
        found: dict = {}
        observations._passes(frame, found)
        want = (frame["value"] == "") & (frame["obs_status"] != "censored")
        got = observations._censored_empty(frame, found)
        assert list(frame.index[got]) == list(frame.index[want])


def test_shared_distinct_gives_what_each_check_finds_alone():
    """normalise and find_problems with the frame's columns factorised once (schema.Distinct)
    give what they give alone, on the shipped practices and with a faulty row."""
    from gcmtools import catalogue
    from gcmtools.intake.validate import normalise
    from gcmtools.paths import data_dir

    review = catalogue.load_review(catalogue.DEFAULT_REVIEW)
    frame = pd.read_csv(data_dir() / "practices" / "illustrative_practices.csv", dtype=str,
                        keep_default_na=False).astype(object)
    ok = frame[schema.find_problems(frame, review).pipe(lambda p: ~frame.index.isin(p["index"]))]
    ok = ok.reset_index(drop=True)
    pd.testing.assert_frame_equal(normalise(ok, schema.Distinct(ok)), normalise(ok))
    bad = ok.copy()
    bad.loc[1, "year_end"] = "1990"
    pd.testing.assert_frame_equal(schema.find_problems(bad, review, schema.Distinct(bad)),
                                  schema.find_problems(bad, review))
    assert len(schema.find_problems(bad, review, schema.Distinct(bad)))


def test_a_file_changed_after_its_bytes_were_read_is_parsed_from_those_bytes(tmp_path):
    """The usual reading parses a file from its path; when the file's stamp moved since its
    bytes were read (and checked), those bytes are parsed, not the file's new content."""
    path = tmp_path / "changing.csv"
    path.write_text("practice_id,title\nP-1,first\n", encoding="utf-8")
    stamp, data = files._stamp(path), path.read_bytes()
    assert files._read_utf8(str(path), data, stamp).frame["title"].tolist() == ["first"]
    path.write_text("practice_id,title\nP-1,second, longer\n", encoding="utf-8")
    assert files._stamp(path) != stamp
    assert files._read_utf8(str(path), data, stamp).frame["title"].tolist() == ["first"]
    assert files.read_table(path).frame["title"].tolist() == ["second"]


def test_a_long_cell_over_short_lines_is_still_too_long(tmp_path):
    """No line of the file is longer than a cell may be, but one quoted cell runs over twenty
    of them: the bound on cells (files._longest_cell) is not the longest line then, and the
    cell is rejected as too long; without it, the longest line bounds every cell."""
    from gcmtools.intake.files import MAX_CELL

    long = "\n".join(["y" * 2_000] * 20)
    path = tmp_path / "long_over_lines.csv"
    path.write_text(f'practice_id,title\nP-1,"{long}"\nP-2,short\n', encoding="utf-8")
    table = files.read_table(path)
    assert table.longest is None
    assert "cell-too-long" in set(validate_paths([path]).problems["rule"])
    path.write_text(f'practice_id,title\nP-1,{"z" * 2_000}\nP-2,short\n', encoding="utf-8")
    assert 2_000 < files.read_table(path).longest < MAX_CELL


@pytest.mark.parametrize("cells", [["persons"] * 5, ["persons"] * 4 + ["euros"], ["a"], [],
                                   ["persons", None, "persons"], [None, None]])
def test_one_valued_column_factorised_as_pandas_does(cells):
    import numpy as np

    values = np.array(cells, dtype=object)
    got, want = observations._factorize(values), pd.factorize(values)
    assert got[0].tolist() == want[0].tolist() and list(got[1]) == list(want[1])


def test_a_folder_named_tilde_is_read_as_named(tmp_path, monkeypatch):
    """The file parsed is the file checked: a relative path beginning with a folder named '~' is
    that folder's file, not one in the home folder (pandas expands a leading '~' of a path)."""
    (tmp_path / "cwd" / "~").mkdir(parents=True)
    (tmp_path / "home").mkdir()
    (tmp_path / "cwd" / "~" / "x.csv").write_text("practice_id,title\nCWD-1,here\n", encoding="utf-8")
    (tmp_path / "home" / "x.csv").write_text("practice_id,title\nHOME-1,home\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "cwd")
    assert files.read_table("~/x.csv").frame.iloc[0].tolist() == ["CWD-1", "here"]
