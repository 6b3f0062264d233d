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
