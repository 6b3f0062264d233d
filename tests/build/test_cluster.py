"""`gcmtools build --scheduler`: the briefs as tasks on a Dask cluster (gcmtools.build.cluster).

One LocalCluster of two worker processes and one small project (buildproject, three briefs) for
the module; the project's notebook gains a cell that hangs objective 10 once when a flag file
is there, so that a test can kill its worker or interrupt the build while it runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time

import nbformat
import pytest

from buildproject import make_project, statuses
from conftest import ROOT
from gcmtools import build
from gcmtools.build import cluster

pytestmark = pytest.mark.slow

HANG = '''import pathlib, time
flag = pathlib.Path(f"hang-{objective}")
if flag.exists():  # once: the test kills this brief's worker, or interrupts the build, meanwhile
    flag.unlink()
    time.sleep(30)
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = make_project(tmp_path_factory.mktemp("cluster"), mp)
    nb_path = root / "notebooks" / "brief.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(HANG))
    nbformat.write(nb, nb_path)
    yield root
    mp.undo()


@pytest.fixture(scope="module")
def dask_client(project):
    """The module's cluster (its workers inherit GCM_ROOT: the project), and a client of it."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": cluster.ALLOWED_FAILURES}):
        lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, resources=cluster.RESOURCES,
                          dashboard_address=None, silence_logs=40)
    client = Client(lc)
    yield client
    client.close()
    lc.close()


def run(client, out=None, **kw):
    lines = []
    plan = build.load_plan("params/run.yaml", out=out)
    report = build.build(plan, jobs=2, force=kw.pop("force", False), log=lines.append,
                         scheduler=kw.pop("scheduler", client.scheduler.address if client else None))
    return report, lines, plan.out_dir


@pytest.fixture(scope="module")
def built(project, dask_client):
    """The project built on the cluster, then by the process pool into another folder."""
    from distributed import get_task_stream

    with get_task_stream(dask_client) as stream:
        report, lines, out = run(dask_client)
    local_report, _, local_out = run(None, out=project / "outputs-local", scheduler=None)
    return {"report": report, "lines": lines, "out": out, "tasks": stream.data,
            "local": local_report, "local_out": local_out}


def _published(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*")) if p.is_file() and p.name != ".build.lock"}


def _no_leftovers(out):
    assert not list(out.glob(".build-*")) and not list(out.glob(".publish-*"))
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))


def test_the_cluster_publishes_what_the_process_pool_does(built):
    report = built["report"]
    assert statuses(report) == {"objective-10": "published", "objective-11": "published", "overview": "published"}
    assert statuses(built["local"]) == statuses(report)
    # one task per brief, keyed by its id and fingerprint, run where the KERNEL resource is
    keys = sorted(t["key"] for t in built["tasks"])
    manifest = (built["out"] / "manifest.json").read_text()
    assert [k.rsplit("-", 1)[0] for k in keys] == ["objective-10", "objective-11", "overview"]
    assert all(k.rsplit("-", 1)[1] in manifest for k in keys)
    assert any("3 brief(s) submitted to the Dask scheduler" in line for line in built["lines"])
    same = subprocess.run(["bash", str(ROOT / "scripts" / "compare_builds.sh"), str(built["local_out"]),
                           str(built["out"])], capture_output=True, text=True, timeout=60)
    assert same.returncode == 0, same.stdout
    # the executed notebook came back too, and the worker's folder was removed
    assert nbformat.read(built["out"] / "objective-10.ipynb", as_version=4).cells
    _no_leftovers(built["out"])


def test_a_second_build_submits_nothing(built, dask_client):
    from distributed import get_task_stream

    with get_task_stream(dask_client) as stream:
        report, lines, _ = run(dask_client)
    assert set(statuses(report).values()) == {"up to date"} and stream.data == []
    assert not any("submitted" in line for line in lines)


def _worker_running(client, project, timeout=60):
    """The address of the worker running objective 10's task, once its notebook hangs."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for addr, keys in client.processing().items():
            if any(k.startswith("objective-10-") for k in keys) and not (project / "hang-10").exists():
                return addr
        time.sleep(0.1)
    raise AssertionError("objective-10 never ran")


@pytest.fixture
def hanging(project, dask_client):
    """objective 10 hangs on its first run; a helper to find its worker."""
    (project / "hang-10").write_text("")
    yield lambda: _worker_running(dask_client, project)
    (project / "hang-10").unlink(missing_ok=True)


def test_a_worker_killed_mid_build_costs_only_its_brief(built, dask_client, hanging):
    def kill():
        addr = hanging()
        time.sleep(0.5)
        pid = dask_client.run(os.getpid, workers=[addr])[addr]
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill)
    killer.start()
    report, lines, out = run(dask_client, force=True)
    killer.join()
    done = statuses(report)
    # the scheduler ran objective 10 again elsewhere (no flag the second time): published
    assert done["objective-11"] == "published" and done["overview"] == "published"
    assert done["objective-10"] == "published", lines
    _no_leftovers(out)
    dask_client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker


def test_an_interrupt_cancels_and_leaves_nothing_half_published(built, dask_client, hanging, project):
    out = built["out"]
    before = _published(out)

    def interrupt():
        hanging()
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)  # as a scheduler stopping the build

    t = threading.Thread(target=interrupt)
    t.start()
    with pytest.raises(KeyboardInterrupt):
        run(dask_client, force=True)
    t.join()
    _no_leftovers(out)
    after = _published(out)
    assert set(after) == set(before)  # each brief is its old version or its new one, whole
    # the cancelled briefs are forgotten, and their kernels killed: the workers' folders go
    assert not any(dask_client.processing().values())
    tasks = project / ".cache" / "gcmtools" / "tasks"
    deadline = time.time() + 30
    while time.time() < deadline and list(tasks.iterdir()):
        time.sleep(0.1)
    assert not list(tasks.iterdir())  # well before objective 10's 30 s sleep would have ended


def test_a_worker_with_other_data_refuses(built, dask_client, tmp_path, monkeypatch):
    """The client's copy of the project has one practice more than the workers' project."""
    other = tmp_path / "client-copy"
    shutil.copytree(os.environ["GCM_ROOT"], other, ignore=shutil.ignore_patterns("outputs*", ".cache"))
    practices = other / "data" / "practices" / "p.csv"
    practices.write_text(practices.read_text().rstrip("\n").rsplit("\n", 1)[0] + "\n")
    monkeypatch.setenv("GCM_ROOT", str(other))
    report, lines, _ = run(dask_client)
    failed = {o.id: o.error for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {"objective-10", "objective-11", "overview"}, lines
    assert all(e.startswith("worker ") and "input data/practices/p.csv differs from the client's: sha256 "
               in e for e in failed.values()), failed


def test_a_bad_scheduler_is_a_usage_error(project, capsys):
    from gcmtools.cli import main

    assert main(["build", "--params", "params/run.yaml", "--scheduler", "tcp//nowhere"]) == 2
    assert "--scheduler 'tcp//nowhere': expected 'local' or a scheduler's address" in capsys.readouterr().err
