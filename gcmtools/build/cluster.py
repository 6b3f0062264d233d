"""Jobs in, results out as they finish, on a Dask distributed cluster (`gcmtools build --scheduler`).

The same interface as gcmtools.build.pool.execute, on an existing engine: each brief is one task
(key: the brief's id and fingerprint; `resources={"KERNEL": 1}`, so a worker started with
`--nthreads 1 --resources KERNEL=1` runs one kernel at a time). On the worker (`run_task`) the
brief's inputs are hashed and compared with the client's before anything runs, the notebook
runs in a folder of the worker's own (gcmtools.build.worker.run_brief: one fresh kernel, the
same timeout), and the files it made come back to the client as bytes, written into the
build's work folder: the build publishes them as it publishes the process pool's.

A brief whose notebook fails is not retried (run_brief reports the failure, it raises nothing);
a task whose worker is lost is run again by the scheduler, at most `ALLOWED_FAILURES` times
(the scheduler's `distributed.scheduler.allowed-failures`, set so for `--scheduler local`; see
the README for a real cluster). An interrupt cancels every submitted task; a `LocalCluster`
started here is closed, which kills its workers and their kernels.

Dask is imported only here, and only when --scheduler is given.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gcmtools.build import PlanError

#: the times the scheduler runs a task again after losing the worker that ran it
ALLOWED_FAILURES = 2
#: the resource a worker offers one of per kernel it may run (`dask worker --resources KERNEL=1`)
RESOURCES = {"KERNEL": 1}
#: the work-folder files the client sends with a task (the notebook reads them)
SENT = (".manifest.json", ".previous.json")
#: the notebook parameters that name files of the work folder
WORK_PARAMETERS = ("manifest", "key_figures_out", "previous")


class InputsDiffer(Exception):
    """A worker's project or data are not the client's: it refuses the brief."""


def check_scheduler(value: str) -> str:
    """`--scheduler`'s value: 'local' or a scheduler address (tcp://HOST:PORT); PlanError else."""
    if value == "local" or (value.startswith(("tcp://", "tls://")) and value.rpartition(":")[2].isdigit()):
        return value
    raise PlanError(f"--scheduler {value!r}: expected 'local' or a scheduler's address such as "
                    "tcp://HOST:8786")


# --- the client's side ----------------------------------------------------------------------


def execute(plan, jobs_list: list[dict], jobs: int | None, scheduler: str,
            fingerprints: dict[str, str], inputs: dict[str, str], log=print) -> Iterator[dict]:
    """Run the jobs of `plan` as tasks on the cluster at `scheduler` ('local': a LocalCluster of
    `jobs` worker processes started here), yielding results as they finish, their files written
    into each job's work folder. `fingerprints`: each brief's, by id; `inputs`: the build's
    input hashes (gcmtools.build.fingerprint.input_hashes), which each worker checks."""
    if not jobs_list:
        return
    from distributed import as_completed

    expected = expected_hashes(plan, inputs)
    with connect(scheduler, jobs, len(jobs_list)) as client:
        tasks = {}
        try:  # from the first submit on, an interrupt must cancel what was submitted
            for job in jobs_list:
                notebook = _from_root(job["notebook"])
                task = {**job, "notebook": notebook, "sent": _sent_files(job),
                        "inputs": {**expected, notebook: _hash(job["notebook"])}}
                key = task["key"] = f"{job['id']}-{fingerprints[job['id']]}"
                tasks[client.submit(run_task, task, key=key, resources=RESOURCES, retries=0, pure=False)] = job
            log(f"{len(tasks)} brief(s) submitted to the Dask scheduler at {client.scheduler.address}")
            for future in as_completed(list(tasks)):
                yield _received(future, tasks[future])
        except BaseException:
            from gcmtools.build import pool

            with pool.uninterrupted():
                client.cancel(list(tasks), force=True)
                _stop_running(client, [f.key for f in tasks])
            raise


def _stop_running(client, keys: list[str]) -> None:
    """A running task is not stopped by its cancel: the kernels of those among `keys` are."""
    try:
        client.run(stop_kernels, keys)
    except Exception:  # a worker gone meanwhile: nothing of it to stop
        pass


@contextmanager
def connect(scheduler: str, jobs: int | None, n_tasks: int):
    """A Dask client of the scheduler at `scheduler`, or of a LocalCluster started for the
    block ('local': `jobs` single-threaded worker processes, default the number of cores, at
    most one per task), each worker's kernel zygote started."""
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler == "local":
            with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
                workers = max(1, min(jobs or os.cpu_count() or 1, n_tasks))
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       resources=RESOURCES, dashboard_address=":8787", silence_logs=40)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except OSError as exc:  # no scheduler there (distributed raises OSError on timeout too)
        if cluster is not None:
            cluster.close()
        raise PlanError(f"--scheduler {scheduler}: cannot reach the scheduler: {exc}") from None
    try:
        client.run(start_zygote)
        yield client
    finally:
        from gcmtools.build import pool

        with pool.uninterrupted():
            client.close()
            if cluster is not None:
                cluster.close()


def expected_hashes(plan, inputs: dict[str, str]) -> dict[str, str]:
    """The hashes a worker's files must have: every input of `plan` (by its path relative to
    the project root, as a worker resolves it) and the gcmtools code (`CODE`)."""
    from gcmtools import store
    from gcmtools.build.fingerprint import files

    hashes = {_from_root(f): inputs[store.relative(f)] for f in files(plan.practices) + files(plan.sources)}
    return {**hashes, CODE: store.code_hash()}


#: the key, among a task's input hashes, of the gcmtools code's hash (gcmtools.store.code_hash)
CODE = "the gcmtools package"


def _from_root(path: str | Path) -> str:
    """A client's path relative to its project root (`..` included when outside it)."""
    from gcmtools.paths import project_root

    return os.path.relpath(path, project_root())


def _hash(path: str | Path) -> str:
    from gcmtools import store

    return store.file_hash(Path(path))


def _sent_files(job: dict) -> dict[str, bytes]:
    """The work-folder files the notebook reads (its run manifest, the previous publication record)."""
    work = Path(job["work_dir"])
    return {f"{job['id']}{s}": (work / f"{job['id']}{s}").read_bytes() for s in SENT
            if (work / f"{job['id']}{s}").is_file()}


def _received(future, job: dict) -> dict:
    """A finished task's result, its files written into the job's work folder; a task that
    raised (a worker that refused, a worker lost too often) is the brief's failure."""
    from distributed.scheduler import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        return {"id": job["id"], "ok": False, "seconds": 0.0,
                "error": f"the worker running this brief was lost ({ALLOWED_FAILURES + 1} times, "
                         f"the scheduler's allowed failures included)"}
    except Exception as exc:  # the task's own error, raised on the worker
        return {"id": job["id"], "ok": False, "seconds": 0.0, "error": str(exc) or type(exc).__name__}
    work = Path(job["work_dir"])
    for name, data in result.pop("files", {}).items():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return result


# --- the worker's side ----------------------------------------------------------------------


def start_zygote() -> bool:
    """On a worker (Client.run, as the build connects; run_task, for a worker that joins later):
    its kernel zygote (gcmtools.build.forkkernel) started, importing while the briefs are sent."""
    from gcmtools.build import forkkernel, worker
    from gcmtools.paths import project_root

    return forkkernel.start_zygote(worker.KERNEL_NAME, str(project_root()))


def run_task(task: dict) -> dict:
    """On a worker: refuse the brief (InputsDiffer) if this worker's inputs hash otherwise than
    the client's; else run it in a folder of its own and return its result, with the files it
    made as bytes (`files`, by name)."""
    from gcmtools.build import worker
    from gcmtools.paths import cache_dir, project_root

    root = project_root()
    differs = differing_input(task["inputs"], root)
    if differs:
        raise InputsDiffer(f"worker {socket.gethostname()}: {differs}")
    start_zygote()
    folders = cache_dir() / "tasks"
    folders.mkdir(parents=True, exist_ok=True)
    _remove_dead_folders(folders)
    own = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{task['id']}-", dir=folders))
    _RUNNING.add(task["key"])
    done = threading.Event()
    threading.Thread(target=_watch, args=(task["key"], done), daemon=True).start()
    try:
        for name, data in task["sent"].items():
            (own / name).write_bytes(data)
        job = {**task, "notebook": str(root / task["notebook"]), "cwd": str(root),
               "work_dir": str(own), "parameters": _parameters_in(task, own, root)}
        result = worker.run_brief(job)
        sent = set(task["sent"])
        result["files"] = {p.relative_to(own).as_posix(): p.read_bytes() for p in sorted(own.rglob("*"))
                           if p.is_file() and p.name not in sent}
        return result
    finally:
        done.set()
        _RUNNING.discard(task["key"])
        _CANCELLED.discard(task["key"])
        shutil.rmtree(own, ignore_errors=True)


#: the keys of the tasks this worker process is running, and of those cancelled meanwhile
_RUNNING: set[str] = set()
_CANCELLED: set[str] = set()


def stop_kernels(keys: list[str]) -> int:
    """On a worker (Client.run): the tasks among `keys` that this worker runs are cancelled, so
    their kernels are killed (`_watch`) and the briefs end now, failed, their folders removed
    (a task's cancel does not stop it); how many."""
    running = _RUNNING & set(keys)
    _CANCELLED.update(running)
    return len(running)


def _watch(key: str, done: threading.Event) -> None:
    """While a task runs: once it is cancelled, kill this worker's kernels, as they start too
    (a worker runs one brief at a time, and one cancelled before its kernel started would
    start it later)."""
    while not done.wait(0.1):
        if key in _CANCELLED:
            _kill_kernels()


def _kill_kernels() -> None:
    """Kill this process's kernels: the children of its zygote, and kernels launched as usual."""
    import psutil

    kernels = []
    for child in psutil.Process().children():
        try:
            command = " ".join(child.cmdline())
            if "gcmtools.build.forkkernel" in command:  # the zygote: its children are kernels
                kernels += child.children(recursive=True)
            elif "ipykernel" in command:
                kernels += [child, *child.children(recursive=True)]
        except psutil.Error:
            pass
    for p in kernels:
        try:
            p.kill()
        except psutil.Error:
            pass


def _parameters_in(task: dict, own: Path, root: Path) -> dict:
    """The notebook's parameters, those naming work-folder files moved to the worker's folder."""
    params = dict(task["parameters"])
    for name in WORK_PARAMETERS:
        if params.get(name):
            params[name] = os.path.relpath(own / Path(params[name]).name, root)
    return params


_HASHED: dict[tuple, str] = {}


def differing_input(expected: dict[str, str], root: Path) -> str:
    """What differs between the client's input hashes and this worker's files under `root`
    ('' if nothing): the first input missing or with other bytes. Hashes are remembered by
    file stamp (size, times, inode), so a worker hashes each input once."""
    from gcmtools import store

    for name, want in sorted(expected.items()):
        if name == CODE:
            here = store.code_hash()
            if here != want:
                return (f"{CODE} differs from the client's: code hash {here[:12]} here, "
                        f"{want[:12]} at the client (install the same gcmtools on the workers)")
            continue
        path = root / name
        try:
            st = path.stat()
        except OSError:
            return f"input {name} differs from the client's: missing here (under {root})"
        stamp = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        here = _HASHED.get(stamp) or _HASHED.setdefault(stamp, store.file_hash(path))
        if here != want:
            return (f"input {name} differs from the client's: sha256 {here[:12]} here, "
                    f"{want[:12]} at the client (under {root})")
    return ""


def _remove_dead_folders(folders: Path) -> None:
    """Task folders of worker processes that are gone (killed outright): their pid leads the name."""
    import psutil

    for folder in folders.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
