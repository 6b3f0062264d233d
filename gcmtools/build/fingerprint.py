"""A Plan in, each brief's fingerprint out: a hash of everything the brief depends on.

A brief depends on its notebook, its parameters, the gcmtools code (and reference data), the
content of every source file of the plan, and what it reads of the practices: a brief for
objective N the accepted practices naming N (with the intake counts every brief shows), the
overview all of them. Which practices those are is the intake's answer
(`intake.validate.dependencies`, kept in the disk cache by the files' content): the build
never reads a practice itself, and one changed practice row rebuilds only the briefs it reaches.

The fingerprints are taken when the build starts; a brief reads its inputs later, in its kernel.
So that a brief is recorded with the fingerprint of the bytes it read, the build stamps every
input (`stamps`: size, modification and change times, inode) before hashing it, and after each
brief compares the stamps again (`changed`): when an input changed meanwhile, even back to the
same bytes, the brief may have read another version than the one hashed, and it is recorded
with UNSURE, which no fingerprint equals, so the next build runs it again.
"""

from __future__ import annotations

from pathlib import Path

from gcmtools import store
from gcmtools.build.plan import Plan

#: the fingerprint recorded for a brief whose inputs changed while it ran (see the module's text)
UNSURE = "inputs changed while the brief ran"


def input_hashes(plan: Plan) -> dict[str, str]:
    """SHA-256 of every practice and source file, by path relative to the project root."""
    return {store.relative(f): store.file_hash(f) for f in files(plan.practices) + files(plan.sources)}


def stamps(plan: Plan) -> dict[str, tuple[int, ...]]:
    """Every practice and source file's (size, mtime, ctime, inode), taken before input_hashes:
    a write, a replacement or a restored copy changes at least one of them."""
    out = {}
    for f in files(plan.practices) + files(plan.sources):
        st = f.stat()
        out[store.relative(f)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return out


def changed(plan: Plan, before: dict[str, tuple[int, ...]]) -> list[str]:
    """The inputs (relative paths) whose stamps differ from `before`: changed, added or removed."""
    try:
        now = stamps(plan)
    except OSError:  # an input removed while being listed: changed
        return ["(an input removed during the build)"]
    return sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))


def fingerprints(plan: Plan, inputs: dict[str, str]) -> dict[str, str]:
    """Each brief's fingerprint, by brief id, from the plan and its `input_hashes`."""
    from gcmtools.intake.validate import dependencies

    practice_files = files(plan.practices)
    practices = dependencies(practice_files, plan.review) if practice_files else {}
    practice_names = {store.relative(f) for f in practice_files}
    sources_fp = store.text_hash({k: v for k, v in inputs.items() if k not in practice_names})
    return {b.id: store.text_hash(store.file_hash(b.notebook), b.parameters, store.code_hash(), sources_fp,
                                  practices.get(str(b.objective) if b.objective else "all", ""))
            for b in plan.briefs}


def files(paths: list[Path]) -> list[Path]:
    """The files of `paths`: a folder's files (recursively, sorted), a file itself."""
    out = []
    for p in paths:
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out
