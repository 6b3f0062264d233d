"""What issue 18 rewrote for speed gives what it gave before: values parsed once per distinct
text, years once per distinct value, hdx's table read with the csv module, the combined ingest
cached whole (and never when a file failed)."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import sources
from gcmtools.sources import checks, eurostat
from gcmtools.sources.base import year_text
from gcmtools.sources.vocab import CENSORED, MISSING_TOKENS, THOUSANDS, parse_values, per_distinct

EUROSTAT_FLAGGED = ROOT / "data" / "eurostat_enforcement_2014_2023" / "migr_asyappctza_asylum_applicants_totals.csv"
EUROSTAT = ROOT / "data" / "eurostat_enforcement_2014_2023" / "migr_eirfs_refused_entry_totals.csv"


def _row_by_row(text: pd.Series) -> list[tuple[float, str, str]]:
    """parse_values as it was written before, one cell at a time in plain Python (the numbers
    by one pd.to_numeric over the cleaned cells, as it did)."""
    published = [" ".join(str("" if v is None or (isinstance(v, float) and math.isnan(v)) else v).split())
                 for v in text]
    cleaned = [re.sub(r"(?<=\d) (?=\d{3}\b)", "", t.replace(",", "") if THOUSANDS.match(t)
                      else t.replace("\u00a0", "")) for t in published]
    numbers = pd.to_numeric(pd.Series(cleaned, dtype=object), errors="coerce").astype("float64")
    out = []
    for t, number in zip(published, numbers):
        censored = bool(re.match(CENSORED.pattern, t))
        status = ("censored" if censored else "ok" if not math.isnan(number) else
                  "missing" if t.casefold() in MISSING_TOKENS else "unparsed")
        out.append((float("nan") if censored else number, t, status))
    return out


def test_parse_values_as_cell_by_cell_on_shipped_and_odd_cells():
    shipped = pd.read_csv(EUROSTAT_FLAGGED, dtype=str, keep_default_na=False)["OBS_VALUE"]
    odd = pd.Series(["1,234", "1 234", "<5", ":", "", None, float("nan"), 7, 7.0, " 12\u00a0", "n/a", "x"],
                    dtype=object)
    for text in (shipped, odd):
        got = parse_values(text)
        assert list(got.index) == list(text.index)
        expected = _row_by_row(text)
        for (value, published, status), row in zip(expected, got.itertuples(index=False)):
            assert (row.value == value or (math.isnan(row.value) and math.isnan(value)))
            assert (row.value_text, row.status) == (published, status)


def test_year_text_once_per_distinct_value():
    years = pd.Series([2019, 2019.0, "2019", "2019.0", float("nan"), "2001 to 2010", " 2020 ", 2021.5],
                      dtype=object, index=range(10, 18), name="Year")
    got = year_text(years)
    assert got.tolist() == ["2019", "2019", "2019", "2019", "", "2001 to 2010", "2020", "2021.5"]
    assert list(got.index) == list(range(10, 18)) and got.name == "Year"


def test_per_distinct_gives_what_the_function_gives_on_every_row():
    shipped = pd.read_csv(EUROSTAT_FLAGGED, dtype=str, keep_default_na=False)
    odd = pd.Series([" Total", "total ", None, float("nan"), "", "Q3 2020", "Q3 2020", "x\u00a0"],
                    index=range(100, 108), name="Quarter")
    functions = [lambda t: t.str.strip(), lambda t: t.str.strip().str.casefold() == "total",
                 lambda t: t.str.extract(r"(\d)", expand=False), lambda t: t.str.fullmatch(r"[A-Z]{2}"),
                 lambda t: t.str.contains("e")]
    for values in (shipped["geo"], shipped["OBS_FLAG"], odd, odd.astype(object), odd.astype(str),
                   odd.iloc[:0]):
        for function in functions:
            pd.testing.assert_series_equal(per_distinct(values, function), function(values),
                                           check_exact=True)


def test_eurostat_own_files_parsed_once_for_their_content(tmp_path):
    """A file in Eurostat's own layout is parsed once per process (an extract's check reads it
    again), each caller getting its own copy, and parsed again when its content changes."""
    layout = eurostat.ADAPTER.match(sources.files.read_columns(EUROSTAT))
    first = eurostat.parse(EUROSTAT, layout)
    first.obs["value"] = -1.0  # a caller's change does not reach the next caller
    second = eurostat.parse(EUROSTAT, layout)
    assert (second.obs["value"] != -1.0).all()
    pd.testing.assert_frame_equal(second.obs, eurostat._parse(EUROSTAT, layout).obs, check_exact=True)
    copy = tmp_path / EUROSTAT.name
    text = EUROSTAT.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    before = eurostat.parse(copy, layout).obs
    lines = text.splitlines(keepends=True)
    copy.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")  # one row less
    assert len(eurostat.parse(copy, layout).obs) < len(before)


def test_combined_ingest_is_cached_whole_and_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    first = sources.ingest([EUROSTAT])
    assert len(list((tmp_path / "cache").glob("ingest-*.pickle"))) == 1
    second = sources.ingest([EUROSTAT])
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs == first.attrs and second.attrs["read"]


def test_an_ingest_with_a_failed_file_is_not_cached_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "eurostat"
    folder.mkdir()
    (folder / EUROSTAT.name).write_bytes(EUROSTAT.read_bytes())
    (folder / "broken.csv.gz").write_bytes(b"not gzip")
    for _ in range(2):
        obs = sources.ingest([folder])
        assert obs.attrs["failed"] and obs.attrs["read"]
    assert not list((tmp_path / "cache").glob("ingest-*.pickle"))


@pytest.mark.slow
def test_hdx_table_read_with_csv_is_the_one_hdx_loads():
    """hdx_country() against hdx's own loader (through frictionless), in a process of its own."""
    code = """
import copy
from hdx.location.country import Country
Country.countriesdata(use_live=False)
theirs = copy.deepcopy(Country._countriesdata)
Country._countriesdata = None
from gcmtools.catalogue.countries import hdx_country
assert hdx_country()._countriesdata == theirs
print("same")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "same", done.stderr[-2000:]


def _parts_over_total_by_merge(df: pd.DataFrame) -> pd.DataFrame:
    """checks.parts_over_total as it was written before: totals grouped, parts merged on them."""
    counts = df[df["unit"].isin(checks.additive_units()) & df["value"].notna()]
    if counts.empty:
        return pd.DataFrame(columns=["obs_row", "obs_value", "total_value"])
    base = [c for c in checks.key_columns(counts) if c not in ("sex", "age", *checks.DETAIL_COLUMNS)]
    frame = counts[base].fillna("").astype(str).assign(obs_value=counts["value"], obs_row=counts.index)
    total_mask = checks._is_total(counts).to_numpy()
    totals = frame[total_mask].groupby(base, sort=False).agg(
        total_value=("obs_value", "max"), total_n=("obs_value", "size")).reset_index()
    parts = frame[~total_mask].merge(totals[totals["total_n"] == 1], on=base, how="inner")
    bad = parts[parts["obs_value"] > parts["total_value"] + checks.TOLERANCE]
    return bad[["obs_row", "obs_value", "total_value"]].reset_index(drop=True)


def test_parts_over_total_as_by_merge_on_shipped_and_made_rows():
    shipped = [sources.read_source(ROOT / "data" / "sdg_global_db_unece" / "data" / name)
               for name in ("indicator_10-7-2-SG_CPA_MIGRS.csv", "indicator_10-7-3.csv")]
    shipped.append(sources.read_source(EUROSTAT_FLAGGED))
    row = {"indicator": "i", "geo": "ARM", "year": "2020", "unit": "persons", "note": "",
           "obs_status": "final", "source": "s"}
    made = pd.DataFrame([
        {**row, "sex": "total", "age": "total", "value": 10.0},
        {**row, "sex": "female", "age": "total", "value": 12.0},   # over its total
        {**row, "sex": "male", "age": "total", "value": 3.0},
        {**row, "geo": "AZE", "sex": "total", "age": "total", "value": 5.0},
        {**row, "geo": "AZE", "sex": "total", "age": "total", "value": 6.0},  # total twice
        {**row, "geo": "AZE", "sex": "female", "age": "total", "value": 9.0},
        {**row, "geo": "GEO", "sex": "female", "age": "total", "value": 9.0},  # no total
        {**row, "geo": None, "sex": "total", "age": "total", "value": 1.0},
        {**row, "geo": "", "sex": "child", "age": "total", "value": 2.0},  # None and "" one key
        {**row, "year": "2021", "sex": "total", "age": "total", "value": float("nan")},
        {**row, "year": "2021", "sex": "female", "age": "total", "value": 4.0},
    ], index=[5, 3, 9, 1, 2, 8, 7, 6, 4, 0, 10])
    for frame in [*shipped, made, made.iloc[:0], made[made["sex"] != "total"]]:
        got, expected = checks.parts_over_total(frame), _parts_over_total_by_merge(frame)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert checks.parts_over_total(made)["obs_row"].tolist() == [3, 4]


def test_provenance_check_names_every_blank_row_and_passes_a_whole_file():
    obs = sources.read_source(EUROSTAT)
    assert checks._provenance_problems(obs) == []
    odd = obs.head(6).astype({"vintage": object})
    odd.loc[odd.index[0], "publisher"] = None
    odd.loc[odd.index[1], "dataset"] = "  "
    odd.loc[odd.index[2], "licence"] = ""
    odd.loc[odd.index[3], "vintage"] = float("nan")
    found = [(p["row"], p["column"]) for p in checks._provenance_problems(odd)]
    assert found == [(odd.index[0], "publisher"), (odd.index[1], "dataset"),
                     (odd.index[3], "vintage"), (odd.index[2], "licence")]
