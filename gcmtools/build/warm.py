"""The sources parsed once per build, before the briefs' kernels start.

Every brief ingests the plan's sources in its own kernel (gcmtools.brief.context.read_sources),
each file's observations kept in the disk cache by the file's content (gcmtools.sources). With
an empty cache, the kernels of a `--jobs 2` build would parse the same files at once, each
paying for all of them; `warm_sources` parses each file once, up to `jobs` files at a time in
processes of its own, biggest first, so that the kernels unpickle them. A file that cannot be
parsed is left to the brief that reads it, which reports it as it always has.

When it parsed files (a cache that lacked them lacks what the briefs compute from them too),
the same processes then compute the parts of the briefs to build that every kernel would
compute cold (gcmtools.brief.warm: the intake, the shipped files' layouts, each objective's key
figures once for its brief and the overview, the actions), so that the kernels of a first build
work as on a warm cache.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gcmtools.build.plan import Brief, Plan


def warm_sources(sources: list[Path], jobs: int | None, parts: list[tuple] = ()) -> list[Path]:
    """Parse every data file under `sources` that the disk cache does not hold yet, `jobs` at
    a time (in processes of their own; in this one when `jobs` is 1 or one file is left), then,
    if it parsed any, the briefs' `parts` (brief_parts). The files parsed: none when the cache
    holds them all, or keeps nothing (GCM_CACHE_MAX_MB=0)."""
    import os

    from gcmtools import sources as src
    from gcmtools import store
    from gcmtools.sources.units import source_files

    if store.cache_limit() == 0:
        return []
    todo = sorted((f for f in source_files([str(p) for p in sources]) if _known(f) and not src.is_warm(f)),
                  key=lambda f: -f.stat().st_size)
    if not todo:
        return todo
    files = [("file", str(f)) for f in todo]
    # the intake and the layouts need no source: they fill the time the last files take
    first, then = files + [p for p in parts if p[1] in _ANY], [p for p in parts if p[1] not in _ANY]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(first)))
    if workers == 1:
        list(map(_warm, first + then))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_warm, first))
            list(pool.map(_warm, then))  # the figures read the files parsed above
    return todo


#: the parts every brief shares (gcmtools.brief.warm.PARTS)
_ANY = ("practices", "layouts")


def brief_parts(plan: Plan, briefs: list[Brief]) -> list[tuple]:
    """The warm parts (gcmtools.brief.warm) of the objectives' briefs and the overview among
    `briefs`, each once: ("part", name, review, objective, practices, sources), the parameters
    as the plan gives them to every brief. The country profiles compute none of these; the
    overview reads every objective of the review."""
    shown = [b for b in briefs if b.country is None]
    if not shown:
        return []
    common = [shown[0].parameters[k] for k in ("review", "practices", "sources")]
    review, practices, sources = common
    objectives: list[int] = []
    for b in shown:
        wanted = [b.objective] if b.objective is not None else list(plan.review.objectives)
        objectives += [o for o in wanted if o not in objectives]
    actions = list(dict.fromkeys(b.objective for b in shown))
    return ([("part", name, review, None, practices, sources) for name in _ANY]
            + [("part", "figures", review, o, practices, sources) for o in objectives]
            + [("part", "actions", review, o, practices, sources) for o in actions])


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


def _warm(task: tuple) -> str:
    """One task in a warming process (its modules imported there, not in the build's own): a
    file parsed (sources.warm), or a brief's part computed (gcmtools.brief.warm)."""
    if task[0] == "file":
        from gcmtools import sources as src

        return src.warm(task[1])
    from gcmtools.brief.warm import warm

    return warm(*task[1:])
