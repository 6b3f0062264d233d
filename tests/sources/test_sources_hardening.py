"""Hostile and broken custodian files: numbers with thousands separators, replaced files."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from gcmtools import sources

POPULATION = "year,coo_iso,coa_iso,refugees,asylum_seekers,stateless\n"
SOLUTIONS = "year,coo_iso,coa_iso,returned_refugees,resettlement,naturalisation\n"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))


def _write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_unhcr_counts_with_thousands_separators_are_numbers_not_joined_text(tmp_path) -> None:
    path = tmp_path / "population.csv"
    # one plain number, one "1 234", one with a no-break and one with a narrow no-break space
    _write(path, POPULATION + "2020,SYR,DEU,100,5,1\n2020,AFG,DEU,\"1 234\",6,2\n"
           "2020,IRQ,DEU,1\u00a0000,7,3\n2020,ERI,DEU,2\u202f000,8,4\n")
    obs = sources.ingest([path])
    assert obs.attrs["failed"] == []
    got = obs[(obs["indicator"] == "unhcr_refugees") & (obs["geo"] == "DEU")]["value"].tolist()
    raw = pd.read_csv(path, dtype=str)  # recomputed: the separators removed by hand
    expected = raw["refugees"].str.replace(r"[\s\u00a0\u202f]", "", regex=True).astype(int).sum()
    assert got == [float(expected)] == [4334.0]


def test_a_count_that_is_no_number_fails_its_file_naming_row_and_column(tmp_path) -> None:
    path = tmp_path / "population.csv"
    _write(path, POPULATION + "2020,SYR,DEU,100,5,1\n2020,AFG,DEU,many,6,2\n")
    obs = sources.ingest([path])
    assert obs.attrs["read"] == []
    assert obs.attrs["failed"] == [f"{path.as_posix()}: data row 2, column refugees: "
                                   "'many' is not a number"]


def test_a_file_replaced_by_another_of_the_same_size_and_time_is_recognised_again(tmp_path) -> None:
    path = tmp_path / "unhcr.csv"
    first = POPULATION + "2020,SYR,DEU,100,5,1\n"
    second = SOLUTIONS + "2020,TUR,DEU,10,20,30\n"
    first += "\n" * (len(second) - len(first))  # blank lines: the same size
    assert len(first) == len(second)
    _write(path, first)
    assert set(sources.ingest([path], use_cache=False)["indicator"]) == {
        "unhcr_refugees", "unhcr_asylum_seekers", "unhcr_stateless"}
    stat = path.stat()
    _write(path, second)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    obs = sources.ingest([path], use_cache=False)
    assert obs.attrs["failed"] == []
    assert set(obs["indicator"]) == {"unhcr_returned_refugees", "unhcr_resettlement",
                                     "unhcr_naturalisation"}


def test_ingest_neutralises_formulas_in_custodians_cells(tmp_path) -> None:
    import csv

    from gcmtools import cli

    hostile = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "\uff1d1+2", "\u00a0=1+2"]
    path = tmp_path / "asylum_applications.csv"
    header = "year,coo_iso,coa_iso,procedure_type,app_type,dec_level,app_pc,applied\n"
    body = "".join(f'2020,SYR,DEU,"{h.replace(chr(34), chr(34) * 2)}",N,FI,P,{i + 1}\n'
                   for i, h in enumerate(hostile))
    _write(path, header + body)
    out = tmp_path / "obs.csv"
    assert cli.main(["ingest", str(path), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert sorted(r["procedure_type"] for r in rows) == sorted("'" + h for h in hostile)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("population.csv.gz", "truncated gzip", "gzip file (Compressed file ended"),
    ("population.csv.gz", b"year,coo_iso\n2020,SYR\n", "gzip file (Not a gzipped file"),
    ("table.xlsx", "truncated xlsx", "Excel workbook (invalid Zip archive"),
    ("table.xlsx", b"not a workbook\n", "Excel workbook (invalid Zip archive"),
])
def test_a_broken_input_is_refused_in_one_line_naming_it_not_the_output(tmp_path, capsys, name,
                                                                         content, kind) -> None:
    from gcmtools import cli
    from gcmtools.paths import data_dir

    path = tmp_path / name
    if content == "truncated gzip":
        whole = (data_dir() / "unhcr_refugees_1951_2025" / "csv" / "population.csv.gz").read_bytes()
        content = whole[:3000]
    elif content == "truncated xlsx":
        whole = next((data_dir() / "unodc_glotip_2003_2022").rglob("*.xlsx")).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    assert cli.main(["ingest", str(path), "--out", str(tmp_path / "obs.csv")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"error: {path.as_posix()}: not a readable {kind}" + err.split(kind, 1)[1].rstrip()]
    assert "obs.csv" not in err and "Traceback" not in err and "is the file whole?" in err


@pytest.mark.slow
def test_in_a_build_one_bad_custodian_file_costs_that_file_not_its_data_set(tmp_path) -> None:
    import shutil

    from gcmtools.brief.context import read_sources
    from gcmtools.paths import data_dir

    folder = tmp_path / "uk_home_office_immigration_2004_2023"
    shutil.copytree(data_dir() / folder.name, folder)
    bad = folder / "csv" / "returns.csv.gz"
    bad.write_bytes(bad.read_bytes()[:2000])  # truncated
    obs, statuses = read_sources([str(folder)])
    failed = [s for s in statuses if s.status == "failed"]
    assert [s.path for s in failed] == [bad.as_posix()] and "not a readable gzip file" in failed[0].message
    loaded = [s for s in statuses if s.status == "loaded"]
    assert len(loaded) == 1 and len(obs)
    from gcmtools.sources import uk_home_office

    kept = set(obs["indicator"])  # every indicator but those of returns.csv.gz
    assert kept < set(uk_home_office.ADAPTER.indicators) and len(kept) >= 9, kept
