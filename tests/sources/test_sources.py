"""gcmtools.sources: the registry, the whole shipped ingest, checks, cache and writing."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from conftest import sources_cache
from gcmtools import catalogue, sources
from gcmtools.paths import data_dir
from gcmtools.sources import base, vocab
from gcmtools.sources.checks import SanityError, check_observations

PROVENANCE = ["publisher", "dataset", "file", "vintage", "licence"]
MMP_XLSX = data_dir() / "mmp_global_2014_2024" / "Missing_Migrants_Global_Figures_allData.xlsx"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Every shipped source, ingested once for this module (cache shared by the session)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest(sources.shipped_sources())


def _obs(rows: list[dict]) -> pd.DataFrame:
    """A small observation table: one count indicator in Armenia, 2020, unless overridden."""
    row = {"indicator": "test_count", "geo": "ARM", "year": "2020", "value": 10.0,
           "value_text": "10", "unit": "persons", "sex": "total", "age": "total",
           "source": "test", "obs_status": "final", "note": "", "publisher": "p",
           "dataset": "d", "file": "f.csv", "vintage": "v", "licence": "l"}
    return pd.DataFrame([{**row, **r} for r in rows])


# --- registry and description -------------------------------------------------------------


def test_list_adapters_names_layouts_and_indicators() -> None:
    listed = {a["name"]: a for a in sources.list_adapters()}
    assert set(listed) == {"mmp", "glotip", "unhcr", "eurostat", "uk_home_office", "open_sdg",
                           "undesa", "sdg_global"}
    for adapter in listed.values():
        assert adapter["publisher"] and adapter["layouts"] and adapter["indicators"]
    assert any("Web ID" in layout for layout in listed["mmp"]["layouts"])


def test_describe_layouts_lists_every_adapter_and_layout() -> None:
    text = sources.describe_layouts()
    for adapter in sources.ADAPTERS.values():
        assert f"{adapter.name}: " in text
        for layout in adapter.layouts:
            assert layout.name in text


def test_unknown_layout_error_lists_columns_seen_and_layouts_known(tmp_path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("country,when,how_many\nARM,2020,3\n", encoding="utf-8")
    with pytest.raises(sources.UnknownLayoutError) as err:
        sources.read_source(path)
    message = str(err.value)
    for column in ("country", "when", "how_many"):
        assert column in message
    assert "txtVALUE" in message and "Incident Year" in message and "TIME_PERIOD" in message
    assert err.value.columns == ["country", "when", "how_many"]


def test_forcing_a_source_that_does_not_fit_names_its_layouts(tmp_path) -> None:
    path = tmp_path / "indicator_16-2-2.csv"
    path.write_text("Year,Value\n2020,1\n", encoding="utf-8")
    with pytest.raises(sources.UnknownLayoutError, match="glotip / GLOTIP country data"):
        sources.read_source(path, source="glotip")
    with pytest.raises(ValueError, match="unknown source 'nope'"):
        sources.read_source(path, source="nope")


# --- the shipped data ---------------------------------------------------------------------


def test_shipped_sources_are_the_recognised_data_files() -> None:
    names = {p.name for p in sources.shipped_sources()}
    assert "Missing_Migrants_Global_Figures_allData.xlsx" in names
    assert "data_glotip.xlsx" in names and "stocks.csv.gz" in names
    assert "countries.csv.gz" not in names  # UNHCR lookup table, no indicator
    assert "SOURCE.txt" not in names


@pytest.mark.slow
def test_every_row_has_provenance(shipped: pd.DataFrame) -> None:
    assert len(shipped) > 100_000
    for column in PROVENANCE:
        assert (shipped[column].str.strip() != "").all(), column
    assert set(shipped["file"].str.split("/").str[0]) == {"data"}  # relative to the root


@pytest.mark.slow
def test_every_indicator_is_in_the_catalogue(shipped: pd.DataFrame) -> None:
    catalogued = set(sources.indicators()["id"])
    assert set(shipped["indicator"]) <= catalogued
    declared = {i for a in sources.ADAPTERS.values() for i in a.indicators}
    assert declared <= catalogued


def test_catalogue_has_the_columns_and_valid_objectives() -> None:
    table = sources.indicators()
    assert list(table.columns[:6]) == ["id", "name", "unit", "objectives", "custodian", "caveat"]
    assert table["id"].is_unique
    known = set(catalogue.objectives()["number"])
    for objectives in table["objectives"]:
        assert set(objectives) <= known
    assert (table["caveat"].str.len() > 20).all()
    mmp = table.set_index("id").loc["mmp_dead_missing", "caveat"]
    assert "minimum estimates of deaths and disappearances recorded by IOM" in mmp
    assert "Spain 2020" in table.set_index("id").loc["eurostat_refused_entry", "caveat"]


@pytest.mark.slow
def test_shipped_observations_pass_the_checks(shipped: pd.DataFrame) -> None:
    check_observations(shipped)
    # no period in the shipped data; UNHCR's mid-year stock of its release year says so
    assert set(shipped.loc[~shipped["year"].str.startswith("mid-"), "year"].str.len()) == {4}
    assert set(shipped.loc[shipped["year"].str.startswith("mid-"), "indicator"]) == {
        "unhcr_stateless", "unhcr_refugees", "unhcr_asylum_seekers"}
    assert shipped["value"].dtype == "float64"


@pytest.mark.slow
def test_notes_say_what_was_left_out(shipped: pd.DataFrame) -> None:
    notes = "\n".join(shipped.attrs["notes"])
    assert "header only" in notes
    assert "2009 left out" in notes
    assert "kept apart in column repeat" in notes


# --- check_observations -------------------------------------------------------------------


def test_check_accepts_a_consistent_table() -> None:
    check_observations(_obs([{}, {"sex": "female", "value": 4.0}, {"sex": "male", "value": 6.0},
                             {"age": "child", "value": 10.0}]))


def test_check_catches_a_negative_count() -> None:
    with pytest.raises(SanityError, match="negative count"):
        check_observations(_obs([{"value": -3.0}]))


def test_negative_values_are_fine_when_not_counts() -> None:
    check_observations(_obs([{"value": -3.0, "unit": "percent"}]))


def test_check_catches_a_part_larger_than_its_total() -> None:
    df = _obs([{}, {"sex": "female", "value": 12.0}, {"age": "child", "value": 3.0}])
    with pytest.raises(SanityError) as err:
        check_observations(df)
    assert "part 12 larger than its total 10" in str(err.value)
    assert [p["row"] for p in err.value.problems] == [1]


def test_check_accepts_a_part_the_custodian_publishes_too_large_when_noted() -> None:
    df = _obs([{}, {"sex": "female", "value": 12.0,
                    "note": "UNODC publishes this part (12) larger than its total (10); "
                            "kept as published"}])
    check_observations(df)


def test_check_reports_every_problem_at_once() -> None:
    df = _obs([{"sex": "girls"}, {"age": "elderly", "year": "2021"},
               {"obs_status": "guessed", "year": "2022"}, {"vintage": "", "year": "2023"},
               {"value": float("nan"), "year": "2024"}, {"year": "2024", "value": 1.0}])
    with pytest.raises(SanityError) as err:
        check_observations(df)
    reasons = " | ".join(p["reason"] for p in err.value.problems)
    assert "not in ['female', 'male', 'total']" in reasons
    assert "not in ['adult', 'child', 'total']" in reasons
    assert "provenance is empty" in reasons
    assert "empty but not censored" in reasons
    assert "same key as an earlier row" in reasons
    assert {p["column"] for p in err.value.problems} >= {"sex", "age", "obs_status", "vintage"}


def test_censored_values_need_their_published_text() -> None:
    check_observations(_obs([{"value": float("nan"), "value_text": "<5",
                              "obs_status": "censored"}]))
    with pytest.raises(SanityError, match="censored without the published value"):
        check_observations(_obs([{"value": float("nan"), "value_text": "",
                                  "obs_status": "censored"}]))


# --- the cache ----------------------------------------------------------------------------


def test_second_ingest_reads_the_cache_not_the_xlsx(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    adapter = sources.get_adapter("mmp")
    calls = []
    real_parse = adapter.parse

    def counting_parse(*args, **kwargs):
        if calls:
            raise AssertionError("the xlsx was parsed again")
        calls.append(args[0])
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(adapter, "parse", counting_parse)
    first = sources.ingest([MMP_XLSX])
    started = time.process_time()  # this process's CPU time: the machine's load does not count
    second = sources.ingest([MMP_XLSX])
    elapsed = time.process_time() - started
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs["notes"] == first.attrs["notes"]
    assert elapsed < 0.5
    entries = list((tmp_path / "cache").glob("*sources-*"))
    assert len(entries) == 1 and entries[0].suffix == ".pickle"  # no temporary file left


def test_cache_is_keyed_on_content_and_geo(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "indicator_16-2-2.csv"
    path.write_text("Year,Value\n2020,1\n", encoding="utf-8")
    assert sources.ingest([path], geo="ARM")["value"].tolist() == [1.0]
    path.write_text("Year,Value\n2020,2\n", encoding="utf-8")
    assert sources.ingest([path], geo="ARM")["value"].tolist() == [2.0]
    assert sources.ingest([path], geo="GEO")["geo"].tolist() == ["GEO"]
    assert len(list((tmp_path / "cache").glob("sources-*.pickle"))) == 3


def test_no_cache_parses_again(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "indicator_16-2-2.csv"
    path.write_text("Year,Value\n2020,1\n", encoding="utf-8")
    adapter = sources.get_adapter("open_sdg")
    calls = []
    real_parse = adapter.parse
    monkeypatch.setattr(adapter, "parse", lambda *a, **k: calls.append(a) or real_parse(*a, **k))
    sources.ingest([path], geo="ARM", use_cache=False)
    sources.ingest([path], geo="ARM", use_cache=False)
    assert len(calls) == 2
    assert not list((tmp_path / "cache").glob("*sources-*"))  # the parse is never kept


# --- ingest of folders, writing -------------------------------------------------------------


def test_folder_ingest_skips_unknown_files_with_a_note_but_named_files_raise(
        tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sdg_national_armenia" / "data"
    folder.mkdir(parents=True)
    (folder / "indicator_16-2-2.csv").write_text("Year,Value\n2020,1\n", encoding="utf-8")
    (folder / "lookup.csv").write_text("code,label\nA,b\n", encoding="utf-8")
    (folder / "README.md").write_text("not data", encoding="utf-8")
    obs = sources.ingest([folder.parent])
    assert obs["geo"].tolist() == ["ARM"]  # the folder names the country
    assert any("lookup.csv: not a layout any adapter knows; skipped" in n
               for n in obs.attrs["notes"])
    with pytest.raises(sources.UnknownLayoutError):
        sources.ingest([folder / "lookup.csv"])
    with pytest.raises(FileNotFoundError):
        sources.ingest([tmp_path / "absent.csv"])


def test_write_observations_csv_round_trip(tmp_path) -> None:
    df = _obs([{}, {"value": float("nan"), "value_text": "<5", "obs_status": "censored",
                    "year": "2021"}])
    out = sources.write_observations(df, tmp_path / "out" / "obs.csv")
    back = pd.read_csv(out, dtype={"year": str, "value_text": str}, keep_default_na=False,
                       na_values={"value": [""]})
    assert back["value_text"].tolist() == ["10", "<5"]
    assert back["value"].isna().tolist() == [False, True]


def test_write_parquet_without_pyarrow_says_so(tmp_path) -> None:
    if sources.parquet_available():
        sources.write_observations(_obs([{}]), tmp_path / "obs.parquet")
        assert (tmp_path / "obs.parquet").exists()
    else:
        with pytest.raises(sources.ParquetUnavailableError, match="pyarrow, which is not"):
            sources.write_observations(_obs([{}]), tmp_path / "obs.parquet")
        assert not (tmp_path / "obs.parquet").exists()


# --- spellings and values -------------------------------------------------------------------


@pytest.mark.parametrize(("label", "expected"), [
    ("Men", ("male", "total")), ("Women", ("female", "total")), ("FEMALE", ("female", "total")),
    (" male ", ("male", "total")), ("F", ("female", "total")), ("", ("total", "total")),
    ("Both sexes", ("total", "total")), ("_T", ("total", "total")),
    ("Other", ("total", "other")), ("Unknown", ("total", "unknown")),
])
def test_sex_spellings(label: str, expected: tuple[str, str]) -> None:
    assert vocab.map_sex(label) == expected


@pytest.mark.parametrize(("label", "expected"), [
    ("0 to 17 years", "child"), ("17 and under", "child"), ("aged 0-17 years", "child"),
    ("Y_LT18", "child"), ("Less than 14 years", "child"), ("M12T23", "child"),
    ("Y0", "child"), ("18 years or over", "adult"), ("aged 65 and older", "adult"),
    ("Y_GE65", "adult"), ("70 and over", "adult"), ("From 18 to 34 years", "adult"),
    ("15-24", "total"), ("Total", "total"), ("", "total"), ("Unknown", "total"),
])
def test_age_bands(label: str, expected: str) -> None:
    assert vocab.map_age(label)[0] == expected


def test_unknown_spellings_raise() -> None:
    with pytest.raises(ValueError, match="unknown sex label"):
        vocab.map_sex("purple")


def test_values_as_published() -> None:
    parsed = vocab.parse_values(pd.Series(["<5", "1,282", " 14.6", ":", "n.a.x", "12 345"]))
    assert parsed["status"].tolist() == ["censored", "ok", "ok", "missing", "unparsed", "ok"]
    assert parsed["value"].tolist()[1:3] == [1282.0, 14.6]
    assert parsed["value"].iloc[5] == 12345.0
    assert pd.isna(parsed["value"].iloc[0]) and parsed["value_text"].iloc[0] == "<5"


def test_year_text_keeps_periods() -> None:
    years = pd.Series([2019, 2020.0, "2021", "2001 to 2010", " 2015-2017 "], dtype="object")
    assert base.year_text(years).tolist() == ["2019", "2020", "2021", "2001 to 2010",
                                              "2015-2017"]
