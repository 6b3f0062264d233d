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


def test_brief_parts_name_each_part_once_the_shared_ones_first():
    """The shipped plan's parts: the intake and the layouts, then each objective's figures once
    (the overview's are its objectives'), then each brief's actions; none of the profiles'."""
    from gcmtools import build
    from gcmtools.build.warm import brief_parts

    plan = build.load_plan()
    parts = brief_parts(plan, plan.briefs)
    names = [(p[1], p[3]) for p in parts]
    objectives = list(plan.review.objectives)
    assert names == ([("practices", None), ("layouts", None)] + [("figures", o) for o in objectives]
                     + [("actions", o) for o in objectives] + [("actions", None)])
    assert {p[2:3] + p[4:] for p in parts} == {(plan.briefs[0].parameters["review"], plan.briefs[0].parameters["practices"],
                                                plan.briefs[0].parameters["sources"])}
    assert any(b.country for b in plan.briefs)  # the profiles are in the plan, and have no part
    overview = [b for b in plan.briefs if b.id == "overview"]
    assert [p[1] for p in brief_parts(plan, overview)].count("figures") == len(objectives)
    assert brief_parts(plan, [b for b in plan.briefs if b.country]) == []


def test_a_warmed_part_is_what_the_brief_reads(tmp_path, monkeypatch):
    """The figures and the actions warmed for objective 4 (Kazakhstan's 16.9.1) are the entries its
    brief then reads: the brief computes none of its own."""
    from gcmtools import brief
    from gcmtools.brief.warm import warm

    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    args = ("unece-2020-rt3", 4, "data/practices", "data/sdg_national_kazakhstan")
    assert warm("figures", *args) == "" and warm("actions", *args) == ""
    kinds = ("figures", "actions")
    made = {k: sorted((tmp_path / "cache").glob(f"{k}-*.pickle")) for k in kinds}
    assert all(len(v) == 1 for v in made.values())
    ctx = brief.load_context(*args)
    brief.key_messages(ctx)
    assert ctx.key_figures.figures and len(ctx.practices)
    assert {k: sorted((tmp_path / "cache").glob(f"{k}-*.pickle")) for k in kinds} == made


def test_a_part_that_fails_says_why_and_an_unknown_one_is_refused(tmp_path, monkeypatch):
    import pytest

    from gcmtools.brief.warm import warm

    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    why = warm("figures", "unece-2020-rt3", 99, "data/practices", "data/sdg_national_armenia")
    assert why.startswith("ValueError: objective 99 is not in roundtable")
    with pytest.raises(ValueError, match="no part 'charts'"):
        warm("charts", "unece-2020-rt3", 8, "data/practices", "")
