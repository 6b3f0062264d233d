"""Issue 18, second round: the build parses the sources once before its kernels start
(gcmtools.build.warm). In process, with an empty cache of its own and one small data set."""

from __future__ import annotations

import time

import pytest

from gcmtools import sources as src
from gcmtools.build.warm import warming
from gcmtools.paths import data_dir
from gcmtools.sources.units import source_files


def test_source_files_are_the_newest_vintages_files():
    """Every file read_sources may read: of two vintages, the newest only."""
    files = source_files([str(data_dir())])
    names = {f.relative_to(data_dir()).parts[0] for f in files}
    assert "mmp_global_2014_2025" in names and "mmp_global_2014_2024" not in names
    assert "unodc_glotip_2003_2022" in names and "unodc_glotip_2003_2021" not in names


def test_warm_fills_the_cache_that_ingest_reads(tmp_path, monkeypatch):
    """After the warm step, one file of a small data set is in the cache under the key
    ingest looks up, a second warm parses nothing, and the brief's read gives the same table as
    an uncached one."""
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = data_dir() / "sdg_national_armenia" / "data" / "indicator_10-7-4.csv"
    assert not any(src.is_warm(f) for f in source_files([str(folder)]))
    with warming([folder], jobs=1) as warmed:
        parsed = warmed.files
    assert parsed and all(src.is_warm(f) for f in parsed)
    with warming([folder], jobs=1) as again:
        assert again.files == []
    cached, fresh = src.ingest(folder), src.ingest(folder, use_cache=False)
    assert cached.equals(fresh) and len(cached)


def test_nothing_is_warmed_when_the_cache_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GCM_CACHE_MAX_MB", "0")
    with warming([data_dir() / "sdg_national_armenia"], jobs=2) as warmed:
        assert warmed.files == [] and warmed.after == {}


def test_brief_parts_are_each_briefs_shared_ones_first():
    """The shipped plan's parts by brief: the intake and the layouts, then an objective's
    figures and its actions; the overview's figures are its objectives'; the profiles have none."""
    from gcmtools import build
    from gcmtools.build.warm import brief_parts

    plan = build.load_plan()
    parts = brief_parts(plan, plan.briefs)
    objectives = list(plan.review.objectives)
    assert list(parts) == [f"objective-{o:02d}" for o in objectives] + ["overview"]
    shared = [("practices", None), ("layouts", None)]
    assert [(p[1], p[3]) for p in parts["objective-13"]] == shared + [("figures", 13), ("actions", 13)]
    assert [(p[1], p[3]) for p in parts["overview"]] == (shared + [("figures", o) for o in objectives]
                                                         + [("actions", None)])
    given = plan.briefs[0].parameters
    assert {p[2:3] + p[4:] for ps in parts.values() for p in ps} == {
        (given["review"], given["practices"], given["sources"])}
    assert any(b.country for b in plan.briefs)  # the profiles are in the plan, and have no part
    assert brief_parts(plan, [b for b in plan.briefs if b.country]) == {}


@pytest.mark.slow  # process pools of its own, as a build starts them
def test_warming_gives_each_brief_its_parts_and_waits_for_them(tmp_path, monkeypatch):
    """A cold cache: the file parsed and the shared parts done before the block, each brief's
    own parts given to it (one future for a part two briefs share), all done after the block."""
    monkeypatch.setenv("GCM_CACHE", str(tmp_path / "cache"))
    folder = data_dir() / "sdg_national_kazakhstan" / "data" / "indicator_16-9-1.csv"
    part = ("part", "figures", "unece-2020-rt3", 4, "data/practices", str(folder))
    shared = ("part", "practices", "unece-2020-rt3", None, "data/practices", str(folder))
    parts = {"a": [shared, part], "b": [shared, part, part[:1] + ("actions",) + part[2:]]}
    with warming([folder], 2, parts) as warmed:
        assert warmed.files == [folder] and src.is_warm(folder)
        assert list(warmed.after) == ["a", "b"] and len(warmed.after["b"]) == 2
        assert warmed.after["a"][0] is warmed.after["b"][0]  # the figures, computed once
        assert len(list((tmp_path / "cache").glob("intake-*.pickle"))) == 1  # shared: done already
    assert all(f.done() and f.result() == "" for fs in warmed.after.values() for f in fs)
    assert len(list((tmp_path / "cache").glob("figures-*.pickle"))) == 1
    with warming([folder], 2, parts) as again:  # the file is in the cache: nothing to warm
        assert again.files == [] and again.after == {}


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


@pytest.mark.slow  # process pools of its own, as a build starts them
def test_a_job_starts_once_its_warm_parts_are_done_and_the_jobs_keep_their_order(tmp_path):
    """pool.execute's `after`: with one worker, a job behind one that waits for its parts waits
    too (the kernels take the briefs in order), and both run once the parts are done."""
    import threading
    from concurrent.futures import Future

    from gcmtools.build import pool

    def job(name):  # a notebook that is not there: the worker reports it at once
        return {"id": name, "notebook": str(tmp_path / f"{name}.ipynb"), "parameters": {}, "title": name,
                "work_dir": str(tmp_path), "cwd": str(tmp_path), "timeout": 60, "status": "draft"}

    parts = Future()

    def warm():  # the part "writes" what the brief reads: the notebook appears, then the part is done
        time.sleep(1)
        (tmp_path / "waits.ipynb").write_text("not a notebook yet")
        parts.set_result("")

    threading.Thread(target=warm).start()
    results = list(pool.execute([job("waits"), job("behind")], 1, {"waits": [parts]}))
    assert [r["id"] for r in results] == ["waits", "behind"] and not any(r["ok"] for r in results)
    # started after its part: it found the notebook the part wrote (too early: no such file)
    assert results[0]["error"].startswith("NotJSONError"), results[0]["error"]
    assert results[1]["error"].startswith("FileNotFoundError"), results[1]["error"]


@pytest.mark.slow  # a process pool of its own
def test_a_brief_whose_part_hangs_starts_after_its_timeout(tmp_path):
    """A warm part that never ends holds its brief for the brief's timeout (a cell's), no longer:
    the brief then starts and computes the part itself under that timeout, as without the warm
    step; the briefs behind it follow."""
    from concurrent.futures import Future

    from gcmtools.build import pool

    def job(name, timeout):
        return {"id": name, "notebook": str(tmp_path / f"{name}.ipynb"), "parameters": {}, "title": name,
                "work_dir": str(tmp_path), "cwd": str(tmp_path), "timeout": timeout, "status": "draft"}

    never = Future()
    started = time.monotonic()
    results = list(pool.execute([job("hung", 2), job("behind", 60)], 1, {"hung": [never]}))
    assert [r["id"] for r in results] == ["hung", "behind"]
    assert 2 <= time.monotonic() - started < 120 and not never.done()


WARMS_THEN_WAITS = """
import sys, time
from pathlib import Path
from gcmtools.build.warm import warming
with warming([Path(p) for p in sys.argv[1:]], 2):
    print("warming", flush=True)  # the kernels would run now, the warming processes beside them
    time.sleep(300)
"""


@pytest.mark.slow  # a process pool of its own, and a build killed outright
def test_the_warming_processes_end_with_a_build_killed_outright(tmp_path):
    """kill -9 of a build while its kernels run: the warming processes, alive beside the kernels,
    end with it (as the build's workers do), instead of living on holding its output pipe."""
    import contextlib
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    folder = data_dir() / "sdg_national_armenia" / "data"
    files = [str(folder / "indicator_10-7-4.csv"), str(folder / "indicator_10-7-2.csv")]
    env = {**os.environ, "GCM_CACHE": str(tmp_path / "cache")}
    build = subprocess.Popen([sys.executable, "-c", WARMS_THEN_WAITS, *files], env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert build.stdout.readline().strip() == "warming"
        warmers = psutil.Process(build.pid).children(recursive=True)
        assert warmers  # the pool's processes (and multiprocessing's resource tracker)
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        deadline = time.monotonic() + 60
        while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in warmers):
            assert time.monotonic() < deadline, [p.pid for p in warmers if p.is_running()]
            time.sleep(0.1)
    finally:
        build.kill()
        for p in warmers if "warmers" in locals() else []:
            with contextlib.suppress(psutil.Error):
                p.kill()
