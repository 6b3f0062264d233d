"""Issue 18, second round: the build parses the sources once before its kernels start
(gcmtools.build.warm). In process, with an empty cache of its own and one small data set."""

from __future__ import annotations

from gcmtools import sources as src
from gcmtools.build.warm import warm_sources
from gcmtools.paths import data_dir
from gcmtools.sources.units import source_files


def test_source_files_are_the_newest_vintages_files():
    """Every file read_sources may read: of two vintages, the newest only."""
    files = source_files([str(data_dir())])
    names = {f.relative_to(data_dir()).parts[0] for f in files}
    assert "mmp_global_2014_2025" in names and "mmp_global_2014_2024" not in names
    assert "unodc_glotip_2003_2022" in names and "unodc_glotip_2003_2021" not in names


def test_warm_fills_the_cache_that_ingest_reads(tmp_path, monkeypatch):
    """After warm_sources, one file of a small data set is in the cache under the key
    ingest looks up, a second warm parses nothing, and the brief's read gives the same table as
    an uncached one."""
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = data_dir() / "sdg_national_armenia" / "data" / "indicator_10-7-4.csv"
    assert not any(src.is_warm(f) for f in source_files([str(folder)]))
    parsed = warm_sources([folder], jobs=1)
    assert parsed and all(src.is_warm(f) for f in parsed)
    assert warm_sources([folder], jobs=1) == []
    cached, fresh = src.ingest(folder), src.ingest(folder, use_cache=False)
    assert cached.equals(fresh) and len(cached)


def test_nothing_is_warmed_when_the_cache_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GCM_CACHE_MAX_MB", "0")
    assert warm_sources([data_dir() / "sdg_national_armenia"], jobs=2) == []
