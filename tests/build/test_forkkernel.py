"""Kernels forked by the zygote (gcmtools.build.forkkernel): fresh for every brief, stopped like any
other kernel, and never used where they would differ from a launched one."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from gcmtools.build import forkkernel, worker

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is used on Linux only")]

PROBE = '''import json, os, sys
import numpy, gcmtools
seen = {"pid": os.getpid(), "cwd": os.getcwd(), "probe": os.environ.get("GCM_PROBE"),
        "preloaded": "pandas" in sys.modules, "leaked": hasattr(gcmtools, "_left_by_a_brief"),
        "draw": float(numpy.random.random()), "argv0": os.path.basename(sys.argv[0])}
gcmtools._left_by_a_brief = True  # a later brief must not see this
json.dump(seen, open(out, "w"))
'''


def _notebook(path: Path, *cells: str) -> Path:
    params = nbformat.v4.new_code_cell('out = "probe.json"')
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, *map(nbformat.v4.new_code_cell, cells)])
    nb.metadata["kernelspec"] = {"name": worker.KERNEL_NAME, "language": "python", "display_name": "Python"}
    nbformat.write(nb, path)
    return path


def _execute(nb: Path, out: Path, cwd: Path, **kw) -> None:
    papermill.execute_notebook(str(nb), str(out.with_suffix(".ipynb")), parameters={"out": str(out)},
                               kernel_name=worker.KERNEL_NAME, cwd=str(cwd), progress_bar=False,
                               shutdown_kernel="immediate",
                               kernel_manager_class=forkkernel.ForkingKernelManager,
                               # a launched kernel's start waits for an event; papermill's default 60 s
                               # was missed once on a loaded machine: generous, never load-dependent
                               **{"start_timeout": 300, **kw})


@pytest.fixture
def zygote(tmp_path):
    assert forkkernel.start_zygote(worker.KERNEL_NAME, str(tmp_path))
    yield forkkernel._zygote
    forkkernel.stop_zygote()


def _gone(pid: int, within: float = 30.0) -> bool:  # returns as soon as it is gone
    deadline = time.time() + within
    while time.time() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.05)
    return False


def test_each_brief_gets_a_fresh_forked_kernel(zygote, tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_PROBE", "set after the zygote started")
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    _execute(nb, tmp_path / "a.json", tmp_path)
    _execute(nb, tmp_path / "b.json", tmp_path)
    a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
    assert a["preloaded"] and b["preloaded"], "the kernels were launched, not forked"
    assert a["pid"] != b["pid"] and zygote.process.pid not in (a["pid"], b["pid"])
    assert not a["leaked"] and not b["leaked"], "one brief's state reached the next"
    assert a["draw"] != b["draw"], "forked kernels share the zygote's random state"
    assert a["cwd"] == b["cwd"] == str(tmp_path)
    assert a["probe"] == "set after the zygote started"  # the environment of the launch, not the zygote's
    assert a["argv0"] == "ipykernel_launcher.py"
    assert _gone(a["pid"]) and _gone(b["pid"]), "a kernel outlived its brief"


def test_a_forked_kernel_is_stopped_on_timeout_and_its_death_is_seen(zygote, tmp_path):
    nb = _notebook(tmp_path / "slow.ipynb", PROBE, "import time; time.sleep(60)")
    t0 = time.perf_counter()
    with pytest.raises(CellTimeoutError):  # 5 s for the probe cell too, on a loaded machine
        _execute(nb, tmp_path / "slow.json", tmp_path, execution_timeout=5)
    assert time.perf_counter() - t0 < 45  # the cell would sleep for 60
    assert _gone(json.loads((tmp_path / "slow.json").read_text())["pid"])

    dying = _notebook(tmp_path / "dying.ipynb", PROBE, "import os; os.kill(os.getpid(), 9)")
    with pytest.raises(DeadKernelError):
        _execute(dying, tmp_path / "dying.json", tmp_path)
    assert zygote.process.poll() is None, "the zygote must outlive its kernels"


def test_kernels_end_with_their_zygote(zygote, tmp_path):
    import asyncio

    async def start_and_orphan():
        km = forkkernel.ForkingKernelManager(kernel_name=worker.KERNEL_NAME)
        await km.start_kernel(cwd=str(tmp_path))
        pid = km.provisioner.pid
        assert psutil.Process(pid).ppid() == zygote.process.pid  # really forked by the zygote
        zygote.process.send_signal(signal.SIGKILL)  # as when a worker and its zygote are killed
        gone = _gone(pid)
        await km.cleanup_resources()
        return gone

    assert asyncio.run(start_and_orphan()), "an orphaned forked kernel kept running"


def test_zygote_ends_at_the_end_of_its_input(tmp_path):
    assert forkkernel.start_zygote(worker.KERNEL_NAME, str(tmp_path))
    proc = forkkernel._zygote.process
    forkkernel.stop_zygote()  # closed at once: while it is still importing
    assert proc.poll() == 0 and forkkernel._zygote is None


#: a zygote whose imports take SLOW_IMPORTS s (longer than the 5 s after which close() used to
#: kill it), then answers ready and ends at the end of its input, as the real one does
SLOW_ZYGOTE = ("import sys, time; time.sleep({}); print('{{\"ready\": true}}', flush=True); "
               "sys.stdin.read()")
SLOW_IMPORTS = 6


def test_closing_a_zygote_still_importing_waits_for_it(tmp_path):
    slow = forkkernel.Zygote([sys.executable, "-c", SLOW_ZYGOTE.format(SLOW_IMPORTS)], str(tmp_path))
    t0 = time.perf_counter()
    slow.close()
    assert slow.process.returncode == 0, "a zygote still importing was killed"
    assert time.perf_counter() - t0 >= SLOW_IMPORTS - 0.5


def test_closing_a_stuck_zygote_kills_it(tmp_path, monkeypatch):
    monkeypatch.setattr(forkkernel.Zygote, "READY_TIMEOUT", 1.0)
    stuck = forkkernel.Zygote([sys.executable, "-c", "import time; time.sleep(60)"], str(tmp_path))
    t0 = time.perf_counter()
    stuck.close()
    assert stuck.process.returncode == -signal.SIGKILL and time.perf_counter() - t0 < 10


def test_kernels_are_launched_as_usual_where_a_fork_could_differ(zygote, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    _execute(nb, tmp_path / "c.json", other)  # another working directory (its matplotlibrc)
    seen = json.loads((tmp_path / "c.json").read_text())
    assert not seen["preloaded"] and seen["cwd"] == str(other)


def test_which_kernelspecs_a_zygote_stands_in_for(monkeypatch, tmp_path):
    py = sys.executable
    assert forkkernel.interpreter_of([py, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"]) \
        == [py, "-Xfrozen_modules=off"]
    assert forkkernel.interpreter_of(["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "c"]) is None
    assert forkkernel.interpreter_of([py, "-m", "some_other_kernel", "-f", "c"]) is None
    assert forkkernel.interpreter_of([py, "-c", "print(1)", "-m", "ipykernel_launcher"]) is None
    assert forkkernel.interpreter_of(["R", "--slave"]) is None
    monkeypatch.setenv("GCM_FORK_KERNELS", "0")
    assert not forkkernel.enabled() and not forkkernel.start_zygote(worker.KERNEL_NAME, str(tmp_path))
    assert forkkernel._zygote is None
    monkeypatch.delenv("GCM_FORK_KERNELS")
    assert not forkkernel.start_zygote("no-such-kernel", str(tmp_path)) and forkkernel._zygote is None


def test_without_a_zygote_the_manager_launches_kernels(tmp_path):
    assert forkkernel._zygote is None
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    _execute(nb, tmp_path / "d.json", tmp_path)
    assert not json.loads((tmp_path / "d.json").read_text())["preloaded"]
    assert os.environ.get("GCM_FORK_KERNELS") is None


def test_a_build_worker_starts_without_pandas():
    import subprocess

    code = "import sys, gcmtools.build.worker, gcmtools.build.forkkernel; print(sorted({'pandas', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("program, wait, says", [
    ("import time; time.sleep(60)", 1.0, "did not answer within 1 s"),  # hangs while importing
    ("pass", 60.0, "exited"),  # dies before it is ready (however long a loaded machine takes to start it)
])
def test_a_broken_zygote_gives_way_to_launched_kernels(program, wait, says, tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setattr(forkkernel.Zygote, "READY_TIMEOUT", wait)
    broken = forkkernel.Zygote([sys.executable, "-c", program], str(tmp_path))
    with pytest.raises(RuntimeError, match=says):
        broken.fork(["-f", "x.json"], str(tmp_path), None)
    assert broken.process.wait(timeout=10) is not None
    t0 = time.perf_counter()
    with pytest.raises(RuntimeError, match=says):  # no second wait
        broken.fork(["-f", "x.json"], str(tmp_path), None)
    assert time.perf_counter() - t0 < 0.5

    # standing in for this kernelspec, it is asked, fails, and the kernel is launched instead
    broken.interpreter = forkkernel.interpreter_of(KernelSpecManager().get_kernel_spec(worker.KERNEL_NAME).argv)
    monkeypatch.setattr(forkkernel, "_zygote", broken)
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    _execute(nb, tmp_path / "e.json", tmp_path)
    assert not json.loads((tmp_path / "e.json").read_text())["preloaded"]


def test_a_kernel_whose_zygote_is_already_gone_ends_at_once():
    import subprocess

    code = "import os; from gcmtools.build.forkkernel import die_with; die_with({}); print('alive')"
    orphan = subprocess.run([sys.executable, "-c", code.format(2 ** 22 + 7)], capture_output=True, text=True)
    assert orphan.returncode == 1 and "alive" not in orphan.stdout
    owned = subprocess.run([sys.executable, "-c", code.format("os.getppid()")], capture_output=True, text=True)
    assert owned.returncode == 0 and owned.stdout.strip() == "alive"



def test_a_zygote_whose_worker_is_gone_ends_before_its_imports(tmp_path):
    """A build that is interrupted kills its workers; a zygote they started must not live on
    importing: it watches its worker from its first line (the worker's pid in its environment)."""
    import os
    import subprocess

    gone = {**os.environ, forkkernel.PARENT_ENV: str(2 ** 22 + 7)}  # no such process: not its parent
    zygote = subprocess.run([sys.executable, "-m", "gcmtools.build.forkkernel"], env=gone, cwd=tmp_path,
                            input="", capture_output=True, text=True, timeout=120)
    assert zygote.returncode == 1 and "ready" not in zygote.stdout
    started = forkkernel.Zygote([sys.executable], str(tmp_path))  # as a worker starts one: it is the parent
    started.close()
    assert started.process.returncode == 0


SNAPSHOT = '''import json, os, signal, sys
from ipykernel.kernelapp import IPKernelApp
preloaded = "pandas" in sys.modules
print(json.dumps({"preloaded": preloaded, "path": sys.path, "env": sorted(os.environ), "argv0": sys.argv[0],
                  "argc": len(sys.argv), "cwd": os.getcwd(), "main": sys.modules["__main__"].__name__,
                  "signals": {s: str(signal.getsignal(getattr(signal, s))) for s in ("SIGINT", "SIGCHLD", "SIGTERM", "SIGPIPE")},
                  "parent_handle": bool(IPKernelApp.instance().parent_handle),
                  "backend": __import__("matplotlib").get_backend()}))
'''


def test_a_forked_kernel_looks_like_a_launched_one(zygote, tmp_path):
    from nbclient import NotebookClient

    seen = {}
    for how, manager in (("forked", forkkernel.ForkingKernelManager), ("launched", None)):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SNAPSHOT)])
        kw = {"kernel_manager_class": manager} if manager else {}
        NotebookClient(nb, kernel_name=worker.KERNEL_NAME, resources={"metadata": {"path": str(tmp_path)}},
                       timeout=300, **kw).execute()  # bounded: the launched kernel's client is jupyter_client's
        seen[how] = json.loads(nb.cells[0].outputs[0]["text"])
    assert seen["forked"].pop("preloaded") and not seen["launched"].pop("preloaded")
    assert seen["forked"] == seen["launched"]


def test_an_exited_kernel_not_yet_reaped_counts_as_gone():
    import subprocess

    done = subprocess.Popen(["true"])  # exits at once; not waited for, it stays a zombie
    deadline = time.time() + 10
    while psutil.Process(done.pid).status() != psutil.STATUS_ZOMBIE and time.time() < deadline:
        time.sleep(0.01)
    assert forkkernel.ForkedProcess(done.pid).poll() == -1
    alive = subprocess.Popen(["sleep", "30"])
    try:
        assert forkkernel.ForkedProcess(alive.pid).poll() is None
    finally:
        alive.kill()
        alive.wait()
        done.wait()
