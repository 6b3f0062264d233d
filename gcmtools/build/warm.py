"""The sources parsed once per build, before the briefs' kernels start.

Every brief ingests the plan's sources in its own kernel (gcmtools.brief.context.read_sources),
each file's observations kept in the disk cache by the file's content (gcmtools.sources). With
an empty cache, the kernels of a `--jobs 2` build would parse the same files at once, each
paying for all of them; `warm_sources` parses each file once, up to `jobs` files at a time in
processes of its own, biggest first, so that the kernels unpickle them. A file that cannot be
parsed is left to the brief that reads it, which reports it as it always has.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def warm_sources(sources: list[Path], jobs: int | None) -> list[Path]:
    """Parse every data file under `sources` that the disk cache does not hold yet, `jobs` at
    a time (in processes of their own; in this one when `jobs` is 1 or one file is left). The
    files parsed: none when the cache holds them all, or keeps nothing (GCM_CACHE_MAX_MB=0)."""
    import os

    from gcmtools import sources as src
    from gcmtools import store
    from gcmtools.sources.units import source_files

    if store.cache_limit() == 0:
        return []
    todo = sorted((f for f in source_files([str(p) for p in sources]) if _known(f) and not src.is_warm(f)),
                  key=lambda f: -f.stat().st_size)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        list(map(src.warm, todo))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_warm, [str(f) for f in todo]))
    return todo


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


def _warm(path: str) -> str:
    """sources.warm in a warming process (imported there, not in the build's own)."""
    from gcmtools import sources as src

    return src.warm(path)
