"""A Plan in, each brief's fingerprint out: a hash of everything the brief depends on.

A brief depends on its notebook, its parameters, the gcmtools code (and reference data), the
content of every source file of the plan, its review's files, the project's key-figure specs,
and what it reads of the practices (`depends_on`, kept in the manifest so that the log says
what changed, `why_rebuilt`): a brief for
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


def combined(parts: dict[str, str]) -> str:
    """One fingerprint of a brief's `depends_on` parts."""
    return store.text_hash(sorted(parts.items()))


def depends_on(plan: Plan, inputs: dict[str, str]) -> dict[str, dict[str, str]]:
    """What each brief depends on, by brief id, each part a hash: `notebook`, `parameters`,
    `code`, `practices` (the accepted rows it reads, with the intake counts), and one entry per
    file it reads (`file <path>`): every source file, its review's files (the review, its
    background note, the documents it quotes) and the project's key-figure specs. A review
    file that no brief of the plan reads is in no fingerprint."""
    from gcmtools.catalogue.keyfigure_specs import spec_files
    from gcmtools.catalogue.reviews import review_inputs
    from gcmtools.intake.validate import dependencies

    practice_files = files(plan.practices)
    practices = dependencies(practice_files, plan.review) if practice_files else {}
    practice_names = {store.relative(f) for f in practice_files}
    read = {k: v for k, v in inputs.items() if k not in practice_names}
    read |= {store.relative(f): store.file_hash(f)
             for f in review_inputs(plan.review) + spec_files()[1:] if f.is_file()}
    code = store.code_hash()
    return {b.id: {"notebook": store.file_hash(b.notebook), "parameters": store.text_hash(b.parameters),
                   "code": code, "practices": practices.get(str(b.objective) if b.objective else "all", ""),
                   **{f"file {k}": v for k, v in sorted(read.items())}}
            for b in plan.briefs}


#: how the build log names a part of depends_on that changed
_PART_NAMES = {"notebook": "its notebook", "parameters": "its parameters", "code": "gcmtools' code",
               "practices": "the practices it reads"}


def why_rebuilt(entry: dict, parts: dict[str, str], published: bool, force: bool) -> str:
    """Why a brief is run again, for the build log: forced, never built, its last build
    failed, its published files missing, or what changed of what it depends on (its manifest
    `entry` keeps the parts of its last published build)."""
    if force:
        return "--force"
    if entry.get("status") is None:
        return "first build"
    if entry.get("status") != "published":
        return "its last build failed"
    if not published:
        return "its published files are missing"
    before = entry.get("depends_on")
    if entry.get("fingerprint") == UNSURE:
        return "its inputs changed while it last ran"
    if not isinstance(before, dict):
        return "built by an earlier gcmtools (no record of what it read)"
    changed = [k for k in dict.fromkeys([*before, *parts]) if before.get(k) != parts.get(k)]
    names = [_PART_NAMES.get(k, k.removeprefix("file ")
                             + (" removed" if k not in parts else " added" if k not in before else ""))
             for k in changed]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"changed: {shown}" if names else "its fingerprint changed"


def files(paths: list[Path]) -> list[Path]:
    """The files of `paths`: a folder's files (recursively, sorted), a file itself."""
    out = []
    for p in paths:
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out
