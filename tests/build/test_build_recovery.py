"""Recovery by construction: an input changed during a build, state files that do not parse."""

from __future__ import annotations

import os

import pytest

from buildproject import make_project, processes_of, run, statuses


@pytest.fixture
def project(tmp_path, monkeypatch):
    return make_project(tmp_path, monkeypatch)


@pytest.mark.slow
def test_an_input_changed_during_a_build_is_read_again_by_the_next(project, monkeypatch):
    # objective 10's brief reads the practices with one removed, then they are put back (bytes
    # and modification time): the fingerprint taken at the start is that of the restored file
    monkeypatch.setenv("GCM_TEST_EDIT", "10")
    report, lines, _ = run(project, only=[10])
    assert statuses(report) == {"objective-10": "published"}, lines
    assert any("inputs changed during the build (data/practices/p.csv)" in line for line in lines), lines
    monkeypatch.delenv("GCM_TEST_EDIT")
    report, lines, _ = run(project, only=[10])
    assert statuses(report) == {"objective-10": "published"}, lines  # not "up to date"
    assert not any("inputs changed during the build" in line for line in lines), lines
    assert "objective-10: to build (its inputs changed while it last ran)" in lines  # the log says why
    report, _, _ = run(project, only=[10])
    assert statuses(report) == {"objective-10": "up to date"}


def _corrupt_every_state_file(project, out) -> list[str]:
    """Every cache entry truncated, and the build manifest and a brief's key figures (which the
    next build reads for its "what changed") of the wrong JSON shape: what was damaged."""
    damaged = []
    entries = sorted((project / ".cache" / "gcmtools").glob("*.pickle"))
    kinds = {p.name.rsplit("-", 1)[0] for p in entries}
    assert {"notebook-parameters", "intake", "practice-dependencies"} <= kinds, kinds
    for p in entries:
        p.write_bytes(p.read_bytes()[:20])
        damaged.append(p.name)
    (out / "manifest.json").write_text('["not", "a", "manifest"]', encoding="utf-8")
    (out / "objective-10.key-figures.json").write_text('{"publication": ', encoding="utf-8")
    return damaged


@pytest.mark.slow
def test_damaged_caches_and_state_files_are_set_aside_and_every_brief_published(built_project, capfd):
    project, out = built_project, built_project / "outputs" / "unece-2020-rt3"  # every brief published
    damaged = _corrupt_every_state_file(project, out)
    capfd.readouterr()
    report, lines, _ = run(project)
    assert statuses(report) == {"objective-10": "published", "objective-11": "published",
                                "overview": "published"}, lines
    err = capfd.readouterr().err
    assert "manifest.json is not a JSON object (a list): moved aside" in err, err
    assert (out / "manifest.json.damaged").is_file()
    assert "could not be read (UnpicklingError)" in err or "could not be read (EOFError)" in err
    aside = {p.name.removesuffix(".damaged") for p in (project / ".cache" / "gcmtools").glob("*.damaged")}
    assert aside & set(damaged), "the build process's own cache entries are set aside"
    report, _, _ = run(project)
    assert set(statuses(report).values()) == {"up to date"}


def _new_work(out, old):
    return [f for f in out.glob(".build-*") if f not in old]


#: moments to kill a build at: (what, seen when, seconds after that)
MOMENTS = [
    ("workers starting", lambda out, old: bool(_new_work(out, old)), 0.3),
    ("briefs running", lambda out, old: any((f / "objective-10.manifest.json").is_file()
                                            for f in _new_work(out, old)), 1.5),
    ("overview running, the others published", lambda out, old: bool(_new_work(out, old)) and all(
        (out / f"objective-{n}.html").is_file() for n in (10, 11)), 0.5),
]


@pytest.mark.slow
def test_a_build_killed_outright_leaves_no_process_and_the_next_cleans_up(project):
    """kill -9 of the build at three moments: nothing it started survives it (workers, zygotes,
    kernels, multiprocessing's resource tracker), and the next build removes its work folder."""
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "GCM_ROOT": str(project), "GCM_TEST_SLEEP": "8"}  # the overview sleeps
    cmd = [sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml", "--jobs", "2"]
    out = project / "outputs" / "unece-2020-rt3"
    for moment, ready, wait in MOMENTS:
        old = set(out.glob(".build-*"))
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 180  # event-driven: generous, for a loaded machine
        while time.time() < deadline and not ready(out, old):
            time.sleep(0.05)
        assert ready(out, old), moment
        time.sleep(wait)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline, left = time.time() + 30, processes_of(project)
        while left and time.time() < deadline:
            time.sleep(0.1)
            left = [p for p in processes_of(project) if p.status() != "zombie"]
        assert not left, f"{moment}: {[' '.join(p.cmdline()[:4]) for p in left]} survived the build"
        assert list(out.glob(".build-*")) == _new_work(out, old), "the dead build's folder is removed"
    again = subprocess.run(cmd, cwd=project, env={**env, "GCM_TEST_SLEEP": ""},
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "the work folder of a build that was killed" in again.stdout
    assert not list(out.glob(".build-*")) and not list(out.glob(".publish-*"))
    assert all((out / f"{b}.html").is_file() for b in ("objective-10", "objective-11", "overview"))
    assert not processes_of(project)


def _brief_files(folder, version: str, suffixes=(".ipynb", ".key-figures.json", ".pdf", ".html")):
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in suffixes:
        (folder / f"objective-08{suffix}").write_text(version, encoding="utf-8")
    (folder / "objective-08.tables").mkdir(exist_ok=True)
    (folder / "objective-08.tables" / "t.csv").write_text(version, encoding="utf-8")


def _versions(out):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_publication_killed_between_two_renames_is_finished_by_the_next_build(tmp_path, monkeypatch):
    from gcmtools.build import publish

    out, work = tmp_path / "out", tmp_path / "out" / ".build-x"
    _brief_files(out, "old")
    _brief_files(work, "new", suffixes=(".ipynb", ".key-figures.json", ".html"))  # no PDF now
    # the build stopped dead after the one step (READY written) and the first rename
    with monkeypatch.context() as m:
        m.setattr(publish, "_switch", lambda staging, out_dir, brief_id, names: os.replace(
            staging / "objective-08.ipynb", out_dir / "objective-08.ipynb"))
        publish.publish_brief(work, out, "objective-08")
    assert _versions(out)["objective-08.ipynb"] == "new" and _versions(out)["objective-08.html"] == "old"
    lines = []
    publish.recover(out, lines.append)
    assert lines == ["objective-08: finished publishing it (a killed build had begun)"]
    assert _versions(out) == {"objective-08.html": "new", "objective-08.ipynb": "new",
                              "objective-08.key-figures.json": "new", "t.csv": "new"}
    assert not list(out.glob(".publish-*"))


def test_a_publication_killed_before_its_one_step_leaves_the_old_version_whole(tmp_path):
    from gcmtools.build import publish

    out = tmp_path / "out"
    _brief_files(out, "old")
    before = _versions(out)
    _brief_files(out / ".publish-objective-08", "new")  # staged, READY never written
    lines = []
    publish.recover(out, lines.append)
    assert lines == ["objective-08: removed its half-staged files (a killed build); the published "
                     "version is whole"]
    assert _versions(out) == before and not list(out.glob(".publish-*"))


@pytest.mark.slow
def test_practices_outside_the_project_root_are_read_by_every_brief(project, tmp_path_factory):
    import json
    import shutil

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.move(project / "data" / "practices" / "p.csv", elsewhere / "p.csv")
    params = project / "params" / "run.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace(
        "practices: data/practices", f"practices: {elsewhere.as_posix()}"), encoding="utf-8")
    report, lines, out = run(project, only=[10])
    assert statuses(report) == {"objective-10": "published"}, lines
    counts = json.loads((out / "objective-10.key-figures.json").read_text(encoding="utf-8"))["practices"]
    assert (counts["accepted"], counts["by_objective"]["10"]) == (2, 1)
    reporting = counts["states_reporting_by_objective"]["10"]  # the index says what the brief read
    assert f"1 practices; {reporting} of 56 UNECE States reporting" in (out / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.slow
def test_a_full_disk_while_the_index_is_written_keeps_the_old_index_and_says_so(project, monkeypatch, capsys):
    """A disk cannot be filled here: the index's write is made to fail as a full disk fails it
    (ENOSPC from the write), through the real atomic writer, which must leave the old file whole."""
    import errno

    from gcmtools import cli, store

    out = project / "outputs" / "unece-2020-rt3"
    out.mkdir(parents=True)
    (out / "index.html").write_text("the previous index", encoding="utf-8")

    real = store.write_text_atomic

    def full(text, path):
        if path.name != "index.html":
            return real(text, path)

        def write(tmp):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return store.atomic_write(path, write)

    monkeypatch.setattr(store, "write_text_atomic", full)
    assert cli.main(["build", "--params", "params/run.yaml", "--only", "10", "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "index.html: No space left on device; what was published before stays as it was" in err
    assert "Traceback" not in err
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous index"
    assert (out / "objective-10.html").is_file()  # the brief was published before the index
    assert not list(out.glob(".index.html.*.tmp"))
