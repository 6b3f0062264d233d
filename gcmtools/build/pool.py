"""Jobs in, results out as they finish: the worker processes, the lock, and the signals that stop them.

Up to --jobs workers (spawned, each running gcmtools.build.worker) take one brief each at a
time. An interrupt (Ctrl-C, SIGTERM) kills the workers and everything they started (zygotes,
kernels) and is re-raised; the clean-up that follows is not cut short by a second one.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from gcmtools.build import BuildLocked, PlanError, worker


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the outputs folder's lock (`.build.lock`) for the block; BuildLocked if another build
    holds it, PlanError if the folder cannot be written."""
    from filelock import FileLock, Timeout

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(out_dir / ".build.lock"))
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLocked(f"another build is running on {out_dir} (lock {out_dir / '.build.lock'})") from None
    except OSError as exc:
        raise PlanError(f"cannot write to {out_dir}: {exc.strerror}") from None
    try:
        yield
    finally:
        with uninterrupted():
            lock.release()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler stopping us) is handled like Ctrl-C in the block: clean up, keep
    the published briefs."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Clean-up that a second Ctrl-C or SIGTERM must not cut short.

    Ctrl-C pressed twice, or `timeout -s INT`, which signals the command and then its process
    group, interrupted the killing of the workers half-way, and they went on writing into a
    work folder already removed. The build is stopping already: the signals are ignored until
    the clean-up is done.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """A step that must be done whole or not at all (a brief's publication): SIGINT and SIGTERM
    arriving in the block are acted on when it ends, as if they had come then."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: arrived.append(signum))
                for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if arrived:
            signal.raise_signal(arrived[0])


def execute(jobs_list: list[dict], jobs: int | None,
            after: dict[str, list[Future]] | None = None) -> Iterator[dict]:
    """Run the jobs (worker.run_brief), up to `jobs` at once, yielding results as they finish.
    `after`: a job's id -> futures (the warm step's, gcmtools.build.warm) that must be done
    before the job starts; the workers start meanwhile, and the jobs keep their order."""
    if not jobs_list:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    import multiprocessing

    log_file = str(Path(jobs_list[0]["work_dir"]) / "kernels.log")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker.start_worker, initargs=(log_file, jobs_list[0]["cwd"], os.getpid()))
    after = after or {}
    try:  # from the first submit on, workers exist and an interrupt must stop them
        if after:  # the workers (and their zygotes) start now, while the first jobs wait
            for _ in range(workers):
                pool.submit(int)
        futures: dict[Future, dict] = {}
        waiting = list(jobs_list)
        pending: set[Future] = set()
        since: dict[str, float] = {}  # when each job became the first waiting
        while waiting or pending:
            while waiting and _ready(waiting[0], after, since.setdefault(waiting[0]["id"], time.monotonic())):
                job = waiting.pop(0)
                try:
                    future = pool.submit(worker.run_brief, job)
                except BrokenProcessPool:  # a worker died: the pool takes no more jobs
                    for j in [job, *waiting]:
                        yield {"id": j["id"], "ok": False, "seconds": 0.0,
                               "error": "the worker process that would run this brief died"}
                    waiting.clear()
                    break
                futures[future] = job
                pending.add(future)
            gates = set(after.get(waiting[0]["id"], ())) if waiting else set()
            left = max(0.0, since[waiting[0]["id"]] + waiting[0]["timeout"] - time.monotonic()) if gates else None
            if not pending and not gates:
                continue
            done, _ = wait(pending | gates, timeout=left, return_when=FIRST_COMPLETED)
            for f in sorted(done & pending, key=list(futures).index):  # finished together: in order
                pending.discard(f)
                try:
                    yield f.result()
                except BrokenProcessPool:
                    yield {"id": futures[f]["id"], "ok": False, "seconds": 0.0,
                           "error": "the worker process running this brief died"}
        pool.shutdown(wait=True)
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM) or failing: stop the workers and their kernels now,
        # rather than waiting for briefs whose results will not be published
        with uninterrupted():
            kill_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)
        raise


def _ready(job: dict, after: dict[str, list[Future]], since: float) -> bool:
    """Whether `job` may start: its warm parts are done, or it has waited for them its
    `timeout` (a cell's; a part that hangs is then left to the kernel, which computes it itself
    under that timeout, as without the warm step)."""
    gates = after.get(job["id"], ())
    return all(f.done() for f in gates) or time.monotonic() - since >= job["timeout"]


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes and everything they started (zygotes, kernels).

    The workers are killed and joined through multiprocessing, which must be the one to reap
    them: reaped by anyone else, the pool's shutdown takes them for still running and spins
    at exit. Their descendants are not our children: they are killed and watched until gone.
    """
    import psutil

    workers = dict(getattr(pool, "_processes", None) or {})
    descendants = []
    for pid in workers:
        try:
            descendants += psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            pass
    for p in descendants:
        try:
            p.kill()
        except psutil.Error:
            pass
    for w in workers.values():
        try:
            w.kill()
        except (OSError, ValueError):  # already gone, or closed
            pass
    _wait_gone(descendants, timeout=5)
    for w in workers.values():
        try:
            w.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


def _wait_gone(procs: list, timeout: float) -> list:
    """Wait until every process has exited; those still running after `timeout`.

    An exited process that is not our child stays a zombie until its new parent (init) reaps
    it, which can take seconds: it has stopped, so it counts as gone.
    """
    import psutil

    deadline = time.monotonic() + timeout
    alive = list(procs)
    while alive and time.monotonic() < deadline:
        still = []
        for p in alive:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    still.append(p)
            except psutil.Error:  # gone
                pass
        alive = still
        if alive:
            time.sleep(0.01)
    return alive
