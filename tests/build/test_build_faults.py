"""Faults during a build: killed kernels, unwritable outputs, signals, failed starts, reaping."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from buildproject import make_project, processes_of, run, statuses
from gcmtools import build
from gcmtools.build import pool, worker


@pytest.fixture
def project(tmp_path, monkeypatch):
    return make_project(tmp_path, monkeypatch)


# --- faults during a build -------------------------------------------------------------------


def _published_state(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*")) if p.is_file() and p.name != ".build.lock"}


def _no_leftovers(out):
    assert not list(out.glob(".build-*")) and not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_kernel_killed_mid_brief(built_project, monkeypatch):
    project = built_project
    monkeypatch.setenv("GCM_TEST_KILL", "10")
    report, _, out = run(project, force=True)
    failed = {o.id: o for o in report.outcomes if o.status == "failed"}
    assert list(failed) == ["objective-10"] and "kernel died" in failed["objective-10"].error
    assert report.exit_code == 1 and failed["objective-10"].stale
    json.loads((out / "manifest.json").read_text())
    _no_leftovers(out)


def test_output_folder_that_cannot_be_written(project, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the outputs folder should be")
    plan = build.load_plan("params/run.yaml", out=blocker)
    with pytest.raises(build.PlanError, match="cannot write to"):
        build.build(plan, jobs=1, log=lambda _: None)
    run_ = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml",
                           "--out", str(blocker)], cwd=project, capture_output=True, text=True,
                          timeout=60, env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert run_.returncode == 2 and "cannot write to" in run_.stderr and "Traceback" not in run_.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGINT to the group, twice"])
def test_interrupted_build_keeps_published_briefs_and_recovers(built_project, sig):
    """SIGTERM from a scheduler; Ctrl-C; Ctrl-C pressed twice at a terminal, which reaches the
    workers and zygotes too (`timeout -s INT` does the same: the command, then its group).
    The brief that sleeps would run for 60 s (its cell timeout is raised to 120 s here), so a
    build that stops within STOP_WITHIN stopped because of the signal, on a loaded machine too."""
    import os
    import signal
    import time

    project = built_project  # published by `--jobs 2`, as the command below builds it
    params = project / "params" / "run.yaml"
    params.write_text(params.read_text().replace("execution_timeout: 60", "execution_timeout: 120"))
    env = {**os.environ, "GCM_ROOT": str(project)}
    cmd = [sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml", "--jobs", "2"]
    out = project / "outputs" / "unece-2020-rt3"
    before = _published_state(out)
    proc = subprocess.Popen(cmd + ["--force"], cwd=project, env={**env, "GCM_TEST_SLEEP": "10"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline and not list(out.glob(".build-*/objective-10.manifest.json")):
        time.sleep(0.1)  # wait until the briefs are running
    time.sleep(1.5)
    assert len(processes_of(project)) >= 3  # the build, its workers, their kernels
    if sig.endswith("twice"):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.02)  # the second arrives while the build is stopping its workers
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, sig))
    t0 = time.time()
    stdout, stderr = proc.communicate(timeout=120)
    assert time.time() - t0 < STOP_WITHIN, "the build took long to stop"
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr
    after = _published_state(out)
    assert after["objective-10.html"] == before["objective-10.html"]  # the running brief: untouched
    for name, content in after.items():  # anything republished meanwhile is whole
        if name.endswith(".json"):
            json.loads(content)
        if name.endswith(".html"):
            assert content.rstrip().endswith(b"</html>")
    _no_leftovers(out)
    assert not processes_of(project), "workers or kernels of the interrupted build are still running"
    again = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr


#: seconds an interrupted build may take to stop: well under the 60 s the sleeping brief would run
STOP_WITHIN = 30


@pytest.mark.slow
def test_only_keeps_every_brief_in_the_index_and_files_are_readable(built_project):
    project = built_project
    report, _, out = run(project, only=[11], force=True)
    assert statuses(report) == {"objective-11": "published"}
    index = (out / "index.html").read_text()
    assert all(f'href="{n}.html"' in index for n in ("objective-10", "objective-11", "overview"))
    for f in out.iterdir():
        if f.is_file() and not f.name.startswith("."):
            assert f.stat().st_mode & 0o044 == 0o044, f"{f.name} is not readable by others"


@pytest.mark.slow
def test_a_kernel_that_fails_to_start_is_retried(tmp_path, monkeypatch):
    import papermill

    calls = []

    def flaky(notebook, output, **kwargs):
        calls.append(output)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        nbformat.write(nbformat.v4.new_notebook(), output)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    job = {"id": "b", "notebook": str(tmp_path / "n.ipynb"), "parameters": {}, "title": "B",
           "work_dir": str(tmp_path), "cwd": str(tmp_path), "timeout": 10}
    result = worker.run_brief(job)
    assert result["ok"] and len(calls) == 2 and (tmp_path / "b.html").is_file()
    assert worker._kernel_did_not_start(RuntimeError("Kernel died before replying to kernel_info"))
    assert not worker._kernel_did_not_start(RuntimeError("Kernel died"))  # mid-brief: the brief failed


@pytest.mark.slow
def test_killed_workers_are_reaped_by_the_pool_so_the_build_can_exit(tmp_path):
    """After its workers are killed the build can still exit. A new user saw a build spin at
    100% CPU at exit after Ctrl-C, with the workers reaped behind multiprocessing's back
    (psutil.wait_procs did); this does not reproduce that race, it guards the path."""
    script = tmp_path / "kill_pool.py"
    script.write_text(
        "import multiprocessing, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from gcmtools.build import pool as build_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn'))\n"
        "    futures = [pool.submit(time.sleep, 30) for _ in range(4)]\n"
        "    time.sleep(2)\n"
        "    build_pool.kill_workers(pool)\n"
        "    pool.shutdown(wait=False, cancel_futures=True)\n"
        "    print('killed')\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "killed", done.stderr


def test_clean_up_is_not_cut_short_by_a_second_interrupt():
    import os
    import signal

    before = signal.getsignal(signal.SIGINT)
    with pool.uninterrupted():
        os.kill(os.getpid(), signal.SIGINT)  # ignored: no KeyboardInterrupt here
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        __import__("time").sleep(1)
