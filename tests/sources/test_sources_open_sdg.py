"""gcmtools.sources.open_sdg: national SDG platform files as countries publish them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcmtools import sources
from gcmtools.paths import data_dir


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_only_file_gives_no_rows_and_a_note(tmp_path) -> None:
    path = _write(tmp_path, "indicator_10-7-3.csv", "Year,Units,Value\n")
    obs = sources.read_source(path)
    assert obs.empty
    assert any("header only" in n for n in obs.attrs["notes"])


def test_empty_values_give_no_rows_and_a_note(tmp_path) -> None:
    path = _write(tmp_path, "indicator_10-7-3.csv", "Year,Value\n2020,\n2021,\n")
    obs = sources.read_source(path, geo="ARM")
    assert obs.empty
    assert any("2 row(s) without a value" in n for n in obs.attrs["notes"])


def test_a_year_range_is_kept_as_a_period(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-2-2.csv", "Year,Value\n2001 to 2010,5\n2015,3\n")
    obs = sources.read_source(path, geo="ARM")
    assert obs["year"].tolist() == ["2001 to 2010", "2015"]


def test_geo_is_needed_without_ref_area(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-2-2.csv", "Year,Value\n2020,3\n")
    with pytest.raises(sources.GeoRequiredError, match="--geo"):
        sources.read_source(path)
    assert sources.read_source(path, geo="KAZ")["geo"].tolist() == ["KAZ"]


def test_ref_area_with_a_country_code_gives_geo(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-2-2.csv",
                  "Year,REF_AREA,Value\n2020,ARM,3\n2021,051,3\n")
    assert sources.read_source(path)["geo"].tolist() == ["ARM", "ARM"]


def test_subnational_ref_area_stays_a_dimension(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-9-1.csv",
                  "Year,REF_AREA,Value\n2020,,99.7\n2020,KZAKM,98.8\n")
    obs = sources.read_source(path, geo="KAZ")
    assert obs["geo"].tolist() == ["KAZ", "KAZ"]
    assert obs["ref_area"].tolist() == ["total", "KZAKM"]


def test_sex_in_any_spelling_and_other_disaggregations(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-2-2.csv",
                  "Year,Sex,Type of exploitation,Age,Value\n"
                  "2020,,,,10\n2020,Men,,,4\n2020,Women,,,6\n2020,female,Forced labour,,2\n"
                  "2020,,,aged 0-17 years,3\n2020,,,15-24,5\n")
    obs = sources.read_source(path, geo="ARM")
    assert obs["sex"].tolist() == ["total", "male", "female", "female", "total", "total"]
    assert obs["type_of_exploitation"].tolist() == ["total"] * 3 + ["Forced labour"] + \
        ["total"] * 2
    assert obs["age"].tolist() == ["total"] * 4 + ["child", "total"]
    assert obs["age_group"].tolist() == ["total"] * 4 + ["aged 0-17 years", "15-24"]


def test_age_is_total_when_there_is_no_age_column(tmp_path) -> None:
    path = _write(tmp_path, "indicator_16-9-1.csv", "Year,Sex,Value\n2020,male,52\n")
    obs = sources.read_source(path, geo="ARM")
    assert obs["age"].tolist() == ["total"] and "age_group" not in obs.columns


def test_unit_from_the_file_from_the_metadata_or_as_published(tmp_path) -> None:
    root = tmp_path / "sdg-data-georgia"
    with_units = _write(root / "data", "indicator_16-2-2-a.csv",
                        '\ufeff"Year","Group","Value","Units"\n"2019","","8","case"\n')
    _write(root / "meta", "10-7-2-a.md", "---\ncomputation_units: '%'\nindicator: 10.7.2.a\n---\n")
    from_meta = _write(root / "data", "indicator_10-7-2-a.csv", "Year,Value\n2015,32.7\n")
    bare = _write(root / "data", "indicator_10-7-1.csv", "Year,Value\n2015,1\n")
    assert sources.read_source(with_units, geo="GEO")["unit"].tolist() == ["cases"]
    assert sources.read_source(from_meta, geo="GEO")["unit"].tolist() == ["percent"]
    assert sources.read_source(bare, geo="GEO")["unit"].tolist() == ["as published"]
    assert sources.read_source(with_units, geo="GEO")["indicator"].tolist() == ["sdg_16_2_2_a"]


def test_shipped_folders_name_their_country(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    armenia = sources.ingest([data_dir() / "sdg_national_armenia"])
    kazakhstan = sources.ingest([data_dir() / "sdg_national_kazakhstan"])
    assert set(armenia["geo"]) == {"ARM"} and set(kazakhstan["geo"]) == {"KAZ"}
    assert set(armenia["indicator"]) >= {"sdg_16_2_2", "sdg_10_7_2_a", "sdg_16_9_1"}
    armstat = "Statistical Committee of the Republic of Armenia (Armstat)"
    assert set(armenia["publisher"]) == {armstat}
    assert set(kazakhstan["vintage"]) == {"Open SDG data repository commit 7227787"}
    assert "ref_area" in kazakhstan.columns  # Kazakhstan's regions


def test_a_folder_without_a_country_asks_for_geo(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "national_files"
    _write(folder, "indicator_16-2-2.csv", "Year,Value\n2020,3\n")
    with pytest.raises(sources.GeoRequiredError):
        sources.ingest([folder])
    assert set(sources.ingest([folder], geo="MDA")["geo"]) == {"MDA"}


def test_file_name_must_name_the_indicator(tmp_path) -> None:
    path = _write(tmp_path, "trafficking.csv", "Year,Value\n2020,3\n")
    with pytest.raises(ValueError, match="indicator_<goal>-<target>-<indicator>.csv"):
        sources.read_source(path, geo="ARM")


def test_repeated_values_for_one_year_fail_with_the_reason(tmp_path) -> None:
    path = _write(tmp_path / "data", "indicator_16-2-2.csv", "Year,,Value\n2020,,1\n2020,,2\n")
    with pytest.raises(ValueError, match=r"more than one value for the same year and breakdown "
                                         r"\(first: line 2, year 2020\); column 2 has no name"):
        sources.read_source(path, geo="ARM")
    # a blank column name whose values tell the rows apart is a breakdown like any other
    ok = _write(tmp_path / "ok", "indicator_16-2-2.csv", "Year,,Value\n2020,a,1\n2020,b,2\n")
    assert sorted(sources.read_source(ok, geo="ARM")["value"]) == [1.0, 2.0]


def test_folder_ingest_names_the_bad_file_and_keeps_the_good_one(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sdg_national_armenia"
    _write(folder / "data", "indicator_16-9-1.csv", "Year,Value\n2020,99\n")
    _write(folder / "data", "indicator_16-2-2.csv", "Year,,Value\n2020,,1\n2020,,2\n")
    obs = sources.ingest([folder])
    assert obs["indicator"].tolist() == ["sdg_16_9_1"]
    [line] = obs.attrs["failed"]
    assert line.startswith(f"{(folder / 'data' / 'indicator_16-2-2.csv').as_posix()}: 2 rows give")
    assert len(obs.attrs["read"]) == 1 and len(obs.attrs["seen"]) == 2


def test_the_build_reports_a_bad_file_and_loads_the_others(tmp_path, monkeypatch) -> None:
    from gcmtools.brief.context import read_sources

    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sdg_national_armenia"
    (folder).mkdir()
    (folder / "SOURCE.txt").write_text("Publisher: Armstat\n", encoding="utf-8")
    _write(folder / "data", "indicator_16-9-1.csv", "Year,Value\n2020,99\n")
    _write(folder / "data", "indicator_16-2-2.csv", "Year,,Value\n2020,,1\n2020,,2\n")
    obs, statuses = read_sources([str(folder)], ["sdg_16_9_1", "sdg_16_2_2"])
    assert obs["indicator"].tolist() == ["sdg_16_9_1"]
    by_status = {s.status: s for s in statuses if s.path.startswith(folder.as_posix())
                 or s.path.startswith(folder.name) or "indicator_16-2-2" in s.path}
    assert by_status["failed"].path.endswith("indicator_16-2-2.csv")
    assert "more than one value for the same year" in by_status["failed"].message
    assert by_status["loaded"].rows == 1
