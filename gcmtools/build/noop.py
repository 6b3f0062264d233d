"""`gcmtools build` with nothing to do, answered from file stamps: no pandas, no pydantic, no git.

A build that found every brief up to date (and published nothing) records, in the cache folder,
what it was asked (`key`: the command's arguments, the project root, the working folder, the
hash of gcmtools' code), the stamps (size, modification and change times, inode) of everything
such a build reads or writes (the project's params, notebooks and data, the plan's inputs, the
review file, the outputs folder, the checkout's HEAD and git index) and the lines it logged.
The next build asked the same answers with those lines when every stamp is still the same: the
same bytes are in place, so the fingerprints, the published files and the index a full check
would find and write are the same. Anything else (a stamp changed, a file added or removed, a
build's work or staging folder left behind, another build holding the lock, --force) takes the
full path, which then records again.

What this skips that a full no-op redoes: writing the index, the manifest and the roundtable's
key-figures workbook again with the same content; and `git status`, so a tracked file edited
outside the build's inputs (the README) shows as "+dirty" in the index only from the next
build that runs something. Imports the standard library only (tests/build/test_noop.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

#: the outputs folder's entries that a no-op build touches without changing what is published
UNSTAMPED = (".build.lock",)
SKIPPED_DIRS = ("__pycache__", ".ipynb_checkpoints")


def record_path(cache: Path, key: list) -> Path:
    """Where the record of a build asked `key` lives (one small JSON file in the cache folder)."""
    blob = json.dumps(key, sort_keys=True, default=str).encode("utf-8")
    return Path(cache) / f"noop-{hashlib.sha256(blob).hexdigest()}.json"


def stamps(roots: Iterable[str | Path]) -> dict[str, list[int] | None]:
    """Each root and everything under it (recursively): path -> [size, mtime_ns, ctime_ns,
    inode]; a root that does not exist -> None (so that its appearance is a change)."""
    out: dict[str, list[int] | None] = {}
    for root in roots:
        top = os.path.abspath(root)
        if top in out:
            continue  # inside a root walked already (the plan's inputs under data/)
        if not os.path.lexists(top):
            out.setdefault(top, None)
            continue
        stack = [top]
        while stack:
            path = stack.pop()
            st = os.stat(path)
            out[path] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
            if stat.S_ISDIR(st.st_mode):  # from the stat taken: os.path.isdir would take another
                with os.scandir(path) as entries:
                    stack += [e.path for e in entries
                              if e.name not in UNSTAMPED and e.name not in SKIPPED_DIRS]
    return out


def git_files(root: Path) -> list[Path]:
    """The checkout's HEAD, the ref it names, packed refs and the git index (a commit, a checkout
    or a `git add` changes one of them); [] outside git."""
    dot = Path(root) / ".git"
    if dot.is_file():  # a worktree: "gitdir: <path>"
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        gitdir = Path(text.removeprefix("gitdir:").strip())
    elif dot.is_dir():
        gitdir = dot
    else:
        return []
    common = gitdir
    if (gitdir / "commondir").is_file():
        common = (gitdir / (gitdir / "commondir").read_text().strip()).resolve()
    found = [gitdir / "HEAD", gitdir / "index", common / "packed-refs"]
    head = (gitdir / "HEAD").read_text(encoding="utf-8", errors="replace").strip() if found[0].is_file() else ""
    if head.startswith("ref:"):
        found.append(common / head.removeprefix("ref:").strip())
    return found


@contextlib.contextmanager
def _lock_free(out_dir: Path) -> Iterator[bool]:
    """True in the block when no build holds the outputs folder's lock (flock, as filelock takes
    it); the lock is held meanwhile."""
    try:
        fd = os.open(Path(out_dir) / ".build.lock", os.O_RDWR)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remember(cache: Path, key: list, roots: list[str | Path], out_dir: Path, lines: list[str]) -> None:
    """Record a build that had nothing to do (see the module's text); a failed write is no error
    (the next build takes the full path)."""
    record = {"key": key, "out_dir": str(out_dir), "roots": [str(r) for r in roots],
              "stamps": stamps(roots), "lines": lines}
    path = record_path(cache, key)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, path)


def recall(cache: Path, key: list) -> list[str] | None:
    """The lines of the recorded build asked `key` if nothing it stamped has changed; else None."""
    try:
        record = json.loads(record_path(cache, key).read_text(encoding="utf-8"))
        if record.get("key") != json.loads(json.dumps(key, default=str)):
            return None
        with _lock_free(Path(record["out_dir"])) as free:
            if free and stamps(record["roots"]) == record["stamps"]:
                return [str(line) for line in record["lines"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None
