"""`gcmtools build` on a small project made in the test: checks, failures, staleness, lock, rebuilds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock

from conftest import FIXTURES
from gcmtools import build
from gcmtools.build import pool, worker

PARAMS_CELL = '''review: str = "unece-2020-rt3"  # review id
objective: int = 8  # GCM objective of this brief
practices: str = "data/practices"  # practices, relative to the root
sources: str = ""  # custodians' files
manifest: str = ""  # run manifest JSON
key_figures_out: str = ""  # key figures JSON
'''
BODY = '''import json, os, pathlib, time
# SECRET-CODE-MARKER: code must never reach the HTML
failing = os.environ.get("GCM_TEST_FAIL", "").split(",")
assert str(objective) not in failing, f"asked to fail objective {objective}"
if os.environ.get("GCM_TEST_SLEEP") == str(objective):
    time.sleep(60)
if os.environ.get("GCM_TEST_KILL") == str(objective):
    os.kill(os.getpid(), 9)  # the kernel dies in the middle of the brief
if key_figures_out:  # as the real briefs publish them: the index reads the practice counts
    from gcmtools import brief
    brief.save_key_figures(brief.load_context(review, objective, practices, sources), key_figures_out)
print(f"brief for objective {objective} with manifest {bool(manifest)}")
'''


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMS_CELL)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test brief"), params, nbformat.v4.new_code_cell(BODY)]
    nb.metadata["kernelspec"] = {"name": "gcm-workbook", "display_name": "GCM Workbook (.venv)",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project root with one brief notebook, two practices and a params file for 10, 11 and overview."""
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "brief.ipynb")
    (tmp_path / "data" / "practices").mkdir(parents=True)
    shutil.copy(FIXTURES / "good" / "two_practices.csv", tmp_path / "data" / "practices" / "p.csv")
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "run.yaml").write_text(
        "review: unece-2020-rt3\npractices: data/practices\nsources: []\nexecution_timeout: 20\n"
        "briefs:\n"
        "  - {notebook: notebooks/brief.ipynb, parameters: {objective: 10}}\n"
        "  - {notebook: notebooks/brief.ipynb, parameters: {objective: 11}}\n"
        "  - {id: overview, notebook: notebooks/brief.ipynb}\n",
        encoding="utf-8")
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))
    monkeypatch.delenv("GCM_TEST_FAIL", raising=False)
    return tmp_path


def run(project, **kw):
    lines = []
    plan = build.load_plan("params/run.yaml", only=kw.pop("only", None))
    report = build.build(plan, jobs=kw.pop("jobs", 1), force=kw.pop("force", False), log=lines.append)
    return report, lines, plan.out_dir


def statuses(report):
    return {o.id: o.status for o in report.outcomes}


# --- parameter checks, before any kernel -----------------------------------------------------


@pytest.mark.parametrize("edit, message", [
    (("review: unece-2020-rt3", "review: unece-2020-rt3\nreveiw: x"), "unknown key 'reveiw'"),
    (("objective: 10}", "objectiv: 10}"), "key 'parameters.objectiv': the notebook notebooks/brief.ipynb has no such parameter"),
    (("objective: 10}", "objective: 30}"), "30 is not a GCM objective (1-23)"),
    (("objective: 10}", "objective: 5}"), "objective 5 is not in roundtable 3"),
    (("review: unece-2020-rt3", "review: no-such-review"), "unknown review 'no-such-review'"),
    (("practices: data/practices", "practices: data/nothing"), "data/nothing does not exist"),
])
def test_bad_parameters_are_refused_naming_file_and_key(project, edit, message):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace(*edit, 1))
    with pytest.raises(build.PlanError, match="run.yaml") as err:
        build.load_plan("params/run.yaml")
    assert message in str(err.value)


@pytest.mark.parametrize("edit, message", [
    (("practices: data/practices", "practises: data/practices"),
     "params/run.yaml: unknown key 'practises' (value 'data/practices'): is it misspelt?"),
    (("{id: overview, notebook:", "{id: overview, notebok:"),
     "params/run.yaml: unknown key 'briefs[2].notebok' (value 'notebooks/brief.ipynb'): is it misspelt?"),
    (("review: unece-2020-rt3\n", ""), "params/run.yaml: key 'review' is missing"),
    (("practices: data/practices\n", ""), "params/run.yaml: key 'practices' is missing"),
    (("{id: overview, notebook: notebooks/brief.ipynb}", "{id: overview}"),
     "params/run.yaml: key 'briefs[2].notebook' is missing"),
    (("execution_timeout: 20", "execution_timeout: '20'"), "params/run.yaml: key 'execution_timeout': Input should be a valid integer"),
    (("{id: overview,", "{id: ../overview,"), "params/run.yaml: key 'briefs[2].id': String should match pattern"),
])
def test_params_file_is_its_model_misspelt_or_missing_keys_named(project, edit, message):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace(*edit, 1))
    with pytest.raises(build.PlanError) as err:
        build.load_plan("params/run.yaml")
    assert message in str(err.value)
    refused = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml"],
                             cwd=project, capture_output=True, text=True, timeout=60,
                             env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert refused.returncode == 2 and f"error: {message}" in refused.stderr and "Traceback" not in refused.stderr


def test_cli_exit_2_on_bad_parameter(project):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("objective: 10}", "objective: 99}"))
    run_ = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml"],
                          cwd=project, capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert run_.returncode == 2
    assert "run.yaml: briefs[0]: key 'parameters.objective': 99" in run_.stderr
    assert "Traceback" not in run_.stderr
    assert not (project / "outputs").exists()


# --- building -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_publishes_html_without_code_and_index(project):
    report, lines, out = run(project, jobs=2)
    assert report.exit_code == 0
    assert statuses(report) == {"objective-10": "published", "objective-11": "published", "overview": "published"}
    page = (out / "objective-10.html").read_text()
    assert "brief for objective 10 with manifest True" in page
    assert "SECRET-CODE-MARKER" not in page and "<script" not in page
    assert "Content-Security-Policy" in page
    key_figures = json.loads((out / "objective-10.key-figures.json").read_text())
    assert key_figures["objective"] == 10 and key_figures["practices"]["by_objective"] == {
        "4": 0, "8": 0, "9": 0, "10": 1, "11": 1, "13": 0, "21": 0}
    run_manifest = json.loads((out / "objective-10.manifest.json").read_text())
    assert run_manifest["parameters"]["objective"] == 10
    assert run_manifest["input_hashes"]["data/practices/p.csv"]
    assert {"gcmtools", "git_commit", "started"} <= set(run_manifest)
    index = (out / "index.html").read_text()
    assert 'href="objective-10.html"' in index and "1 practices; 0 of 56 UNECE States reporting" in index  # a stakeholder practice
    assert not list(out.glob(".build-*")) and not list(out.glob("*.tmp"))
    for f in out.iterdir():  # no machine path in anything published, executed notebooks included
        if f.is_file() and not f.name.startswith("."):
            assert str(project) not in f.read_text(encoding="utf-8"), f"{f.name} holds a machine path"


@pytest.mark.slow
def test_one_failing_brief_does_not_stop_the_others_and_stays_stale(project, monkeypatch):
    report, _, out = run(project)
    assert report.exit_code == 0
    good_html = (out / "objective-11.html").read_text()
    monkeypatch.setenv("GCM_TEST_FAIL", "11")
    report, lines, out = run(project, force=True)
    assert report.exit_code == 1
    assert statuses(report) == {"objective-10": "published", "objective-11": "failed", "overview": "published"}
    failed = next(o for o in report.outcomes if o.status == "failed")
    assert "cell 3" in failed.error and "AssertionError: asked to fail objective 11" in failed.error
    assert failed.stale
    assert (out / "objective-11.html").read_text() == good_html  # last good brief kept
    index = (out / "index.html").read_text()
    assert "STALE: the last build failed" in index
    state = json.loads((out / "manifest.json").read_text())
    assert state["briefs"]["objective-11"]["status"] == "failed"
    # the next build recovers by itself once the cause is gone
    monkeypatch.delenv("GCM_TEST_FAIL")
    report, _, out = run(project)
    assert statuses(report) == {"objective-10": "up to date", "objective-11": "published", "overview": "up to date"}


@pytest.mark.slow
def test_failure_with_no_earlier_brief(project, monkeypatch):
    monkeypatch.setenv("GCM_TEST_FAIL", "10")
    report, _, out = run(project)
    assert report.exit_code == 1 and not (out / "objective-10.html").exists()
    assert "FAILED, never published" in (out / "index.html").read_text()


@pytest.mark.slow
def test_timeout_is_a_failure(project, monkeypatch):
    monkeypatch.setenv("GCM_TEST_SLEEP", "10")
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("execution_timeout: 20", "execution_timeout: 3"))
    report, _, _ = run(project, only=[10])
    [o] = report.outcomes
    assert o.status == "failed" and "timeout" in o.error


def test_lock_refuses_a_second_build(project):
    plan = build.load_plan("params/run.yaml")
    plan.out_dir.mkdir(parents=True)
    with FileLock(str(plan.out_dir / ".build.lock")):
        with pytest.raises(build.BuildLocked, match="another build is running"):
            build.build(plan, jobs=1, log=lambda _: None)
        refused = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml"],
                                 cwd=project, capture_output=True, text=True, timeout=60,
                                 env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert refused.returncode == 2 and "another build is running" in refused.stderr
    assert "building" not in refused.stdout  # refused before it says it is building


@pytest.mark.slow
def test_rebuild_decisions(project):
    run(project)
    report, _, _ = run(project)
    assert set(statuses(report).values()) == {"up to date"}
    # change one practice row: T-002 is objective 10 only
    p = project / "data" / "practices" / "p.csv"
    p.write_text(p.read_text().replace("Shelter for victims", "Shelters for victims"))
    report, _, _ = run(project)
    assert statuses(report) == {"objective-10": "published", "objective-11": "up to date",
                                "overview": "published"}
    # a row made invalid changes the intake counts every brief shows: every brief
    p.write_text(p.read_text().replace(",10,Shelters", ",99,Shelters", 1))
    report, _, _ = run(project)
    assert set(statuses(report).values()) == {"published"}
    # one brief's parameters changed: that brief only
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("{objective: 11}", "{objective: 11, practices: data/practices/p.csv}"))
    report, _, _ = run(project)
    assert statuses(report) == {"objective-10": "up to date", "objective-11": "published", "overview": "up to date"}
    report, _, _ = run(project, force=True)
    assert set(statuses(report).values()) == {"published"}


@pytest.mark.slow
def test_only_builds_the_named_objectives(project):
    report, _, _ = run(project, only=[11])
    assert statuses(report) == {"objective-11": "published"}
    with pytest.raises(build.PlanError, match="--only: objective 9"):
        build.load_plan("params/run.yaml", only=[9])
    report, _, _ = run(project, only=["overview", 10])  # brief ids too
    assert statuses(report) == {"objective-10": "published", "overview": "published"}
    with pytest.raises(build.PlanError, match="no brief 'overveiw'.*its briefs: objective-10, objective-11, overview"):
        build.load_plan("params/run.yaml", only=["overveiw"])


@pytest.mark.parametrize("args, message", [
    (["--jobs", "0"], "--jobs 0: at least 1"),
    (["--only", ","], "expected objective numbers or brief ids"),
    (["--only", "9"], "--only: objective 9 has no brief"),
])
def test_cli_refuses_bad_options_before_building(project, args, message):
    refused = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml", *args],
                             cwd=project, capture_output=True, text=True, timeout=60,
                             env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert refused.returncode == 2 and message in refused.stderr and "Traceback" not in refused.stderr
    assert not (project / "outputs").exists()


# --- faults during a build -------------------------------------------------------------------


def _processes_of(project):
    """Processes (workers, kernels) started for builds of `project`: they inherit its GCM_ROOT."""
    import os

    import psutil

    found = []
    for p in psutil.process_iter():
        try:
            if p.pid != os.getpid() and p.environ().get("GCM_ROOT") == str(project):
                found.append(p)
        except psutil.Error:
            pass
    return found


def _published_state(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*")) if p.is_file() and p.name != ".build.lock"}


def _no_leftovers(out):
    assert not list(out.glob(".build-*")) and not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_kernel_killed_mid_brief(project, monkeypatch):
    run(project)
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
def test_interrupted_build_keeps_published_briefs_and_recovers(project, sig):
    """SIGTERM from a scheduler; Ctrl-C; Ctrl-C pressed twice at a terminal, which reaches the
    workers and zygotes too (`timeout -s INT` does the same: the command, then its group)."""
    import os
    import signal
    import time

    env = {**os.environ, "GCM_ROOT": str(project)}
    cmd = [sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml", "--jobs", "2"]
    first = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    out = project / "outputs" / "unece-2020-rt3"
    before = _published_state(out)
    proc = subprocess.Popen(cmd + ["--force"], cwd=project, env={**env, "GCM_TEST_SLEEP": "10"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".build-*/objective-10.manifest.json")):
        time.sleep(0.1)  # wait until the briefs are running
    time.sleep(1.5)
    assert len(_processes_of(project)) >= 3  # the build, its workers, their kernels
    if sig.endswith("twice"):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.02)  # the second arrives while the build is stopping its workers
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, sig))
    t0 = time.time()
    stdout, stderr = proc.communicate(timeout=60)
    assert time.time() - t0 < 10, "the build took long to stop"
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
    assert not _processes_of(project), "workers or kernels of the interrupted build are still running"
    again = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.slow
def test_only_keeps_every_brief_in_the_index_and_files_are_readable(project):
    run(project)
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
