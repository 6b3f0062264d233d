"""What the workbook keeps on disk: content hashes, atomic writes, JSON and YAML, the disk cache
(one folder, bounded, least recently used entries evicted first)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from gcmtools.paths import PACKAGE_DIR, cache_dir, project_root, relative  # noqa: F401 - manifest.relative

MANIFEST_NAME = "manifest.json"
T = TypeVar("T")


def file_hash(path: Path) -> str:
    """SHA-256 of a file's content (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def text_hash(*parts: object) -> str:
    """SHA-256 of the JSON of `parts` (sorted keys): a fingerprint of plain values."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@cache
def code_hash() -> str:
    """One hash over every file of the gcmtools package (code and reference data, but for the
    shipped reviews: a brief depends on its own review's files alone, gcmtools.build.fingerprint,
    and the caches key on what they read of a review), taken once per process, when gcmtools is
    imported (gcmtools/__init__.py)."""
    h = hashlib.sha256()
    files = []  # relative paths, as parts: in the order of sorted(PACKAGE_DIR.rglob("*"))
    top = str(PACKAGE_DIR)
    for folder, dirs, names in os.walk(top):  # os.walk, not rglob: a no-op build's start (issue 18)
        rel = os.path.relpath(folder, top)
        parts = [] if rel == "." else rel.split(os.sep)
        if parts[:2] == ["reference", "reviews"]:  # each brief's fingerprint has its review's files
            dirs.clear()
            continue
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [parts + [n] for n in names if not n.endswith(".pyc")]
    for parts in sorted(files):
        h.update("/".join(parts).encode())
        h.update(file_hash(Path(top, *parts)).encode())
    return h.hexdigest()


@cache
def git_commit() -> str:
    """The commit of the checkout gcmtools runs from (with '+dirty' if files differ), or
    'unknown' when gcmtools is not run from a git checkout. Gcmtools' own checkout, not the
    project folder's (`gcmtools init` makes folders that are no checkout, or another one)."""
    import subprocess  # here, as tempfile and yaml below: a build with nothing to do needs none

    root = PACKAGE_DIR.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def tool_versions() -> dict[str, str]:
    """gcmtools version and commit, for the run manifest."""
    import importlib.metadata  # here: it costs 80 ms, and most imports of gcmtools never ask

    return {"gcmtools": importlib.metadata.version("gcmtools"), "git_commit": git_commit()}


def atomic_write(path: Path, write: Callable[[str], object]) -> Path:
    """Call write(temporary path) beside `path`, then rename it into place: readers never see
    half a file, and a failure leaves nothing behind. The file gets the usual public mode."""
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, public_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(text: str, path: Path) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write(Path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_json_atomic(data: object, path: Path) -> Path:
    """Write JSON (sorted keys, indented) atomically."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return write_text_atomic(text, path)


# --- the disk cache -------------------------------------------------------------------------
#
# One folder (paths.cache_dir()), one file per entry: `<kind>-<sha256>.pickle`, holding the
# pickle of (CACHE_FORMAT, digest, value). The digest is taken over the format, code_hash(),
# the kind and the caller's key, so no entry outlives the code that made it. A hit sets the
# entry's modification time to now; after each write the least recently used entries are
# removed until the folder holds at most cache_limit() bytes.

CACHE_FORMAT = 1
CACHE_MAX_MB = 500  # the default bound; $GCM_CACHE_MAX_MB overrides it
_MISSING = object()
_STALE_TEMPORARY_S = 3600  # a writer's temporary file this old belongs to a killed process
_KIND = re.compile(r"[a-z][a-z0-9-]*")


def cached(kind: str, key: object, compute: Callable[[], T]) -> T:
    """compute(), kept in the disk cache under `kind` and `key`.

    `key` (plain values: strings, numbers, lists) must name everything the answer depends on
    besides gcmtools' own code, which every key includes (code_hash()). A missing, damaged or
    unwritable entry only costs the time to compute; an exception from compute() is raised
    and nothing is kept.
    """
    path, digest = _entry(kind, key)
    found = _read_entry(path, digest)
    if found is not _MISSING:
        return found
    result = compute()
    _write_entry(path, digest, result)
    return result


def is_cached(kind: str, key: object) -> bool:
    """Whether the disk cache holds an entry under `kind` and `key` (as `cached` would look it
    up; a damaged one counts: reading it is `cached`'s business)."""
    return _entry(kind, key)[0].is_file()


def cache_limit() -> int:
    """The cache's bound in bytes: $GCM_CACHE_MAX_MB megabytes (10**6 bytes), 500 if unset."""
    text = os.environ.get("GCM_CACHE_MAX_MB", "").strip()
    if not text:
        return CACHE_MAX_MB * 10**6
    try:
        megabytes = float(text)
    except ValueError:
        raise ValueError(f"GCM_CACHE_MAX_MB={text!r}: not a number of megabytes") from None
    if not megabytes >= 0 or megabytes == float("inf"):
        raise ValueError(f"GCM_CACHE_MAX_MB={text!r}: give 0 or more megabytes")
    return int(megabytes * 10**6)


def evict(limit: int | None = None) -> int:
    """Remove the least recently used entries until the cache holds at most `limit` bytes
    (default cache_limit()); returns the bytes it now holds. Entries another process removes
    meanwhile are skipped; a writer's temporary file is left alone unless it is an hour old."""
    limit = cache_limit() if limit is None else limit
    entries, total = _cache_files()
    entries.sort()
    for _mtime, path, size in entries:
        if total <= limit:
            break
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass  # another process evicted it first
        except OSError:
            continue
        total -= size
    return total


def _entry(kind: str, key: object) -> tuple[Path, str]:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"cache kind {kind!r}: use lower-case letters, digits and hyphens")
    digest = text_hash(CACHE_FORMAT, code_hash(), kind, key)
    return cache_dir() / f"{kind}-{digest}.pickle", digest


def _read_entry(path: Path, digest: str) -> object:
    """The value stored at `path` for `digest` (its time set to now), or _MISSING."""
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
    except FileNotFoundError:
        return _MISSING
    except Exception as exc:  # noqa: BLE001 - damaged or foreign, whatever the error: compute again
        return _set_aside(path, f"could not be read ({type(exc).__name__})")
    if not (isinstance(stored, tuple) and len(stored) == 3
            and stored[:2] == (CACHE_FORMAT, digest)):
        return _set_aside(path, "is not an entry of this cache")
    try:
        os.utime(path)  # recency: the least recently used entries are evicted first
    except OSError:
        pass
    return stored[2]


def _set_aside(path: Path, why: str) -> object:
    """Move a damaged file aside (`<name>.damaged`), saying so on stderr; _MISSING, so that the
    caller makes it again."""
    aside = Path(f"{path}.damaged")
    try:
        os.replace(path, aside)
    except OSError:
        return _MISSING  # removed meanwhile, or a read-only cache: computed again all the same
    print(f"gcmtools: {path} {why}: moved aside to {aside.name}; made again", file=sys.stderr)
    return _MISSING


def _write_entry(path: Path, digest: str, value: object) -> None:
    """Keep `value` at `path` (atomically), then evict; a failure only loses the entry."""
    try:
        blob = pickle.dumps((CACHE_FORMAT, digest, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a value that cannot be pickled is not kept
        return
    try:
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(blob))
    except OSError:
        return  # a read-only cache only costs the next run its speed
    evict()


def _cache_files() -> tuple[list[tuple[int, str, int]], int]:
    """(mtime, path, size) of each entry, and the bytes they and the writers' files hold.
    Only the cache's own files count: entries and their temporary files."""
    entries, total = [], 0
    try:
        listing = list(os.scandir(cache_dir()))
    except OSError:
        return entries, total
    old = time.time() - _STALE_TEMPORARY_S
    for item in listing:
        temporary = _is_temporary(item.name)
        if not (temporary or item.name.endswith(".pickle")):
            continue
        try:
            stat = item.stat()
        except OSError:
            continue  # removed meanwhile
        if temporary and stat.st_mtime < old:
            with contextlib.suppress(OSError):
                os.unlink(item.path)
        elif temporary:
            total += stat.st_size
        else:
            total += stat.st_size
            entries.append((stat.st_mtime_ns, item.path, stat.st_size))
    return entries, total


def _is_temporary(name: str) -> bool:
    """An entry being written: atomic_write's `.<name>.pickle.<random>.tmp`."""
    return name.startswith(".") and name.endswith(".tmp") and ".pickle." in name


def public_mode() -> int:
    """The mode an ordinary new file gets here (0o666 less the umask): mkstemp's 0o600 would
    hide published files from the web server or colleague that serves them."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def read_json(path: Path, default: object = None) -> object:
    """Read JSON; `default` if the file is missing or unreadable (a damaged manifest is rebuilt)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def read_state(path: Path) -> dict:
    """A state file of ours (a JSON object: the build manifest, ...); {} if it is missing. One
    that does not parse or is no JSON object is moved aside (`<name>.damaged`, said on stderr)
    and {} returned: the caller rebuilds it, and no later run fails on it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        _set_aside(path, f"could not be read ({type(exc).__name__})")
        return {}
    if not isinstance(data, dict):
        _set_aside(path, f"is not a JSON object (a {type(data).__name__})")
        return {}
    return data


def __getattr__(name: str) -> object:
    """store.YAMLError, yaml's error class: PyYAML is imported when first asked for (its
    resolver's regular expressions cost 20-40 ms, which a build with nothing to do skips)."""
    if name == "YAMLError":
        import yaml

        return yaml.YAMLError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_yaml(text: str):
    """The data in a YAML text (as yaml.safe_load), parsed by libyaml when PyYAML has it: about
    ten times faster than the pure-Python parser, which took 0.1 s of each brief."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
