"""The sources parsed once per build, before the briefs' kernels start.

Every brief ingests the plan's sources in its own kernel (gcmtools.brief.context.read_sources),
each file's observations kept in the disk cache by the file's content (gcmtools.sources). With
an empty cache, the kernels of a `--jobs 2` build would parse the same files at once, each
paying for all of them; `warming` parses each file once, up to `jobs` files at a time in
processes of its own, biggest first, so that the kernels unpickle them. A file that cannot be
parsed is left to the brief that reads it, which reports it as it always has.

When it parsed files (a cache that lacked them lacks what the briefs compute from them too),
the same processes then compute the parts of the briefs to build that every kernel would
compute cold (gcmtools.brief.warm: the intake, the shipped files' layouts, each objective's key
figures once for its brief and the overview, the actions), so that the kernels of a first build
work as on a warm cache: the parts every brief shares before any kernel starts, each brief's
own while the kernels of the briefs before it run (`warming`; a brief's kernel starts when its
parts are done, pool.execute).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gcmtools.build.plan import Brief, Plan


@dataclass
class Warming:
    """The warm step under way: the files it parsed, and per brief id the futures of the parts
    its kernel must wait for (pool.execute's `after`; none when they are all done)."""

    files: list[Path] = field(default_factory=list)
    after: dict[str, list[Future]] = field(default_factory=dict)


@contextmanager
def warming(sources: list[Path], jobs: int | None, parts: dict[str, list[tuple]] | None = None) -> Iterator[Warming]:
    """The warm step: parse every data file under `sources` that the disk cache lacks, and the
    parts every brief shares, `jobs` at a time (in processes of their own; in this one when
    `jobs` is 1 or one task is left), before the block; then, while the block runs (the
    kernels), each brief's own parts in the order of `parts` (brief id -> its parts), which the
    Warming yielded gives per brief. Nothing is warmed when no file was parsed (a cache that
    holds the files holds the rest, or will from the kernels). Leaving the block waits for what
    is still computing; an error or an interrupt in it stops the processes."""
    import os

    from gcmtools.build import pool as build_pool

    todo = cold_files(sources)
    if not todo:
        yield Warming()
        return
    every = list(dict.fromkeys(p for brief in (parts or {}).values() for p in brief))
    # the intake and the layouts need no source: they fill the time the last files take
    first = [("file", str(f)) for f in todo] + [p for p in every if p[1] in _ANY]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(first)))
    if workers == 1:
        list(map(_warm, first + [p for p in every if p[1] not in _ANY]))
        yield Warming(todo)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(os.getpid(),))
    try:
        list(pool.map(_warm, first))
        yield Warming(todo, _submit_own(pool, parts or {}))  # the figures read the files parsed above
        pool.shutdown(wait=True)
    except BaseException:
        with build_pool.uninterrupted():
            build_pool.kill_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)
        raise


def cold_files(sources: list[Path]) -> list[Path]:
    """The data files under `sources` that an adapter reads and the disk cache lacks, biggest
    first; none when the cache keeps nothing (GCM_CACHE_MAX_MB=0)."""
    from gcmtools import sources as src
    from gcmtools import store
    from gcmtools.sources.units import source_files

    if store.cache_limit() == 0:
        return []
    return sorted((f for f in source_files([str(p) for p in sources]) if _known(f) and not src.is_warm(f)),
                  key=lambda f: -f.stat().st_size)


def _submit_own(pool: ProcessPoolExecutor, parts: dict[str, list[tuple]]) -> dict[str, list[Future]]:
    """Each brief's own parts (not those every brief shares) submitted in the briefs' order, a
    part two briefs share once: brief id -> the futures its kernel waits for."""
    futures: dict[tuple, Future] = {}
    for own in parts.values():
        for p in own:
            if p[1] not in _ANY and p not in futures:
                futures[p] = pool.submit(_warm, p)
    return {brief: [futures[p] for p in own if p[1] not in _ANY] for brief, own in parts.items()}


#: the parts every brief shares (gcmtools.brief.warm.PARTS)
_ANY = ("practices", "layouts")


def brief_parts(plan: Plan, briefs: list[Brief]) -> dict[str, list[tuple]]:
    """The warm parts (gcmtools.brief.warm) of the objectives' briefs and the overview among
    `briefs`, by brief id, in their order: ("part", name, review, objective, practices,
    sources), the parameters as the plan gives them to every brief. The country profiles
    compute none of these; the overview reads every objective of the review."""
    out = {}
    for b in briefs:
        if b.country is not None:
            continue
        review, practices, sources = (b.parameters[k] for k in ("review", "practices", "sources"))
        wanted = [b.objective] if b.objective is not None else list(plan.review.objectives)
        out[b.id] = ([("part", name, review, None, practices, sources) for name in _ANY]
                     + [("part", "figures", review, o, practices, sources) for o in wanted]
                     + [("part", "actions", review, b.objective, practices, sources)])
    return out


def _known(path: Path) -> bool:
    """Whether an adapter recognises the file (its layout is remembered on disk: cheap after
    the first build): a file no adapter reads (the practices under data/) is never parsed, and
    so never in the cache, and must not make every build start the warming processes."""
    from gcmtools import sources as src

    try:
        src.detect(path)
    except Exception:  # noqa: BLE001 - unknown or unreadable: the brief that reads it says so
        return False
    return True


def _start(build_pid: int) -> None:
    """A warming process, as a build worker (worker.start_worker): killed when the build ends,
    however it ends (kill -9 included: it lives while the kernels run and holds the build's
    stdout), and SIGINT ignored (the build stops it)."""
    from gcmtools.build.worker import owned_by

    owned_by(build_pid)


def _warm(task: tuple) -> str:
    """One task in a warming process (its modules imported there, not in the build's own): a
    file parsed (sources.warm), or a brief's part computed (gcmtools.brief.warm)."""
    if task[0] == "file":
        from gcmtools import sources as src

        return src.warm(task[1])
    from gcmtools.brief.warm import warm

    return warm(*task[1:])
