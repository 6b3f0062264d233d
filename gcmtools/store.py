"""What the workbook keeps on disk: content hashes, atomic writes, JSON and YAML, the disk cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml

from gcmtools.paths import PACKAGE_DIR, project_root, relative  # noqa: F401 - manifest.relative

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
    """One hash over every file of the gcmtools package (code and reference data), taken once
    per process, when gcmtools is imported (gcmtools/__init__.py)."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(file_hash(p).encode())
    return h.hexdigest()


@cache
def git_commit() -> str:
    """The checkout's commit (with '+dirty' if files differ), or 'unknown' outside git."""
    root = project_root()
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
    return {"gcmtools": importlib.metadata.version("gcmtools"), "git_commit": git_commit()}


def atomic_write(path: Path, write: Callable[[str], object]) -> Path:
    """Call write(temporary path) beside `path`, then rename it into place: readers never see
    half a file, and a failure leaves nothing behind. The file gets the usual public mode."""
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


def write_json_atomic(data: object, path: Path) -> Path:
    """Write JSON (sorted keys, indented) atomically."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return atomic_write(Path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """compute(), remembered in the cache folder under `key` (which must name everything the
    answer depends on). A missing, damaged or unwritable cache only costs the time to compute."""
    import pickle

    from gcmtools.paths import cache_dir

    cached = cache_dir() / f"{kind}-{key[:32]}.pickle"
    try:
        with open(cached, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    result = compute()
    try:
        atomic_write(cached, lambda tmp: Path(tmp).write_bytes(
            pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
    except OSError:
        pass
    return result


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


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load_yaml(text: str):
    """The data in a YAML text (as yaml.safe_load), parsed by libyaml when PyYAML has it: about
    ten times faster than the pure-Python parser, which took 0.1 s of each brief."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
