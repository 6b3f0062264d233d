"""`gcmtools build` with nothing to do (gcmtools.build.noop): answered from file stamps, importing
neither pandas, matplotlib, nbformat nor jupyter_client, writing nothing; any change, an added
file, another build's lock or --force takes the full path."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from buildproject import make_project
from gcmtools import cli
from gcmtools.build import noop

HEAVY = ("pandas", "matplotlib", "nbformat", "jupyter_client")


# --- the record and its stamps, on files made here -----------------------------------------


@pytest.fixture
def recorded(tmp_path):
    """A record of three roots (a folder, a file, a file that does not exist) and an outputs
    folder with its lock file."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.csv").write_text("a\n1\n")
    (tmp_path / "params.yaml").write_text("x: 1\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".build.lock").touch()
    (out / "index.html").write_text("<p>index</p>")
    roots = [inputs, tmp_path / "params.yaml", tmp_path / "absent.yaml", out]
    noop.remember(tmp_path / "cache", ["key"], roots, out, ["building 1 brief(s)", "x: up to date"])
    return tmp_path, roots


def test_recall_gives_the_lines_while_nothing_changed(recorded):
    tmp, _ = recorded
    assert noop.recall(tmp / "cache", ["key"]) == ["building 1 brief(s)", "x: up to date"]
    assert noop.recall(tmp / "cache", ["another key"]) is None


@pytest.mark.parametrize("change", [
    lambda t: (t / "inputs" / "a.csv").write_text("a\n2\n"),           # content
    lambda t: os.utime(t / "inputs" / "a.csv", ns=(1, 1)),              # time only
    lambda t: (t / "inputs" / "b.csv").write_text("b\n"),               # a file added
    lambda t: (t / "inputs" / "a.csv").unlink(),                        # a file removed
    lambda t: (t / "absent.yaml").write_text("now here\n"),             # a root appears
    lambda t: (t / "out" / "index.html").write_text("<p>other</p>"),    # an output rewritten
    lambda t: (t / "out" / ".build-123").mkdir(),                       # a killed build's folder
    lambda t: (t / "out" / ".build.lock").unlink(),                     # no lock file to take
])
def test_any_change_takes_the_full_path(recorded, change):
    tmp, _ = recorded
    change(tmp)
    assert noop.recall(tmp / "cache", ["key"]) is None


def test_a_build_holding_the_lock_takes_the_full_path(recorded):
    tmp, _ = recorded
    with FileLock(str(tmp / "out" / ".build.lock")):
        assert noop.recall(tmp / "cache", ["key"]) is None
    assert noop.recall(tmp / "cache", ["key"]) is not None


def test_a_damaged_record_takes_the_full_path(recorded):
    tmp, _ = recorded
    noop.record_path(tmp / "cache", ["key"]).write_text("{not json")
    assert noop.recall(tmp / "cache", ["key"]) is None


# --- a real build, then the no-op from the command line ------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small build project, built and then built again with nothing to do (the full path,
    which records), in-process; the lines that second build printed."""
    root = tmp_path_factory.mktemp("noop")
    with pytest.MonkeyPatch.context() as mp:
        make_project(root, mp)
        mp.setenv("GCM_CACHE", str(root / "cache"))
        mp.chdir(root)
        assert cli.main(["build", "--params", "params/run.yaml", "--jobs", "1"]) == 0
        lines = _run_cli(root, [])[1]
        yield root, lines


def _run_cli(root: Path, flags: list[str]) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = {**os.environ, "GCM_ROOT": str(root), "GCM_CACHE": str(root / "cache")}
    done = subprocess.run([sys.executable, *flags, "-m", "gcmtools", "build", "--params", "params/run.yaml"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", "", line) for line in done.stdout.splitlines()]
    return done, lines


def _imported(stderr: str) -> set[str]:
    """The top-level packages `python -X importtime` reports."""
    return {m.split(".")[0] for m in re.findall(r"\|\s*([\w.]+)\s*$", stderr, re.MULTILINE)}


@pytest.mark.slow
def test_noop_build_imports_no_heavy_module_and_writes_nothing(built):
    root, full_lines = built
    out = root / "outputs" / "unece-2020-rt3"
    before = noop.stamps([out])
    done, lines = _run_cli(root, ["-X", "importtime"])
    assert not _imported(done.stderr) & set(HEAVY), sorted(_imported(done.stderr) & set(HEAVY))
    assert "pydantic" not in _imported(done.stderr)
    # what the full no-op said, without the workbook it rewrites with the same content
    assert lines == [line for line in full_lines if not line.endswith(": written")]
    assert lines[-1].startswith("0 published, 3 up to date, 0 failed; index: ")
    assert noop.stamps([out]) == before


@pytest.mark.slow
def test_a_touched_input_takes_the_full_path_then_the_fast_one_again(built):
    root, _ = built
    practice = root / "data" / "practices" / "p.csv"
    practice.write_bytes(practice.read_bytes())  # the same bytes, new stamps: fingerprints decide
    done, lines = _run_cli(root, ["-X", "importtime"])
    assert "pandas" in _imported(done.stderr)  # the full path: the intake and fingerprints
    assert lines[-1].startswith("0 published, 3 up to date, 0 failed")
    done, _ = _run_cli(root, ["-X", "importtime"])
    assert "pandas" not in _imported(done.stderr)


def test_a_project_folders_own_files_are_stamped(tmp_path, monkeypatch):
    """A project folder's key-figure specs, reviews and marker are among what a no-op stamps
    (an edited key_figures/*.yaml must rebuild, never be answered "up to date")."""
    from gcmtools.build import plan as build_plan

    folder = tmp_path / "review"
    assert cli.main(["init", str(folder)]) == 0
    (folder / "key_figures" / "mine.yaml").write_text("objectives: {}\n")
    monkeypatch.setenv("GCM_ROOT", str(folder))
    roots = {Path(p).resolve() for p in cli._noop_roots(build_plan.load_plan(folder / "params" / "unece-2020-rt3.yaml"))}
    for own in ("gcm-project.yaml", "reviews", "key_figures", "key_figures/mine.yaml", "submissions"):
        assert (folder / own).resolve() in roots or (folder / own).parent.resolve() in roots, own


def test_the_workbooks_settings_are_in_the_key(monkeypatch):
    """A build asked under other limits or another cache is not the same question."""
    import argparse

    args = argparse.Namespace(params=None, out=None, only=None, formats=None, approved_only=False, scheduler=None)
    monkeypatch.delenv("GCMTOOLS_LIMIT_ROWS", raising=False)
    before = cli._noop_key(args)
    monkeypatch.setenv("GCMTOOLS_LIMIT_ROWS", "10")
    assert cli._noop_key(args) != before
