"""Parsed observations in and out of the cache under cache_dir(), keyed on what they come from.

The key is the SHA-256 of: CACHE_VERSION, a digest of the adapters' code and reference
files, the adapter asked for ("auto" when detected), the geo, the file's content and the
content of the files beside it that the parse reads (SOURCE.txt, Open SDG metadata). Entries
are pickles written atomically (temporary file, then os.replace); a damaged entry is ignored.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path

import pandas as pd

from gcmtools.paths import REFERENCE_DIR, cache_dir
from gcmtools.store import atomic_write, file_hash

CACHE_VERSION = "1"
PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def code_digest() -> str:
    """A digest of the adapters' code and the reference files they read."""
    digest = hashlib.sha256()
    paths = sorted(PACKAGE_DIR.glob("*.py")) + [REFERENCE_DIR / "indicators.yaml",
                                                 REFERENCE_DIR / "contract.yaml"]
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(path: Path, source: str | None, geo: str | None, sidecars: list[Path]) -> str:
    """The cache key of parsing `path` with adapter `source` (None: detected) and `geo`."""
    parts = [CACHE_VERSION, code_digest(), source or "auto", geo or "", file_hash(path)]
    parts += [f"{p.name}:{file_hash(p)}" for p in sorted(set(sidecars)) if p.is_file()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def entry(key: str) -> Path:
    return cache_dir() / "sources" / f"{key}.pkl"


def load(key: str) -> tuple[pd.DataFrame, list[str]] | None:
    """The cached (observations, notes) for `key`, or None if absent or unreadable."""
    path = entry(key)
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
        return stored["obs"], list(stored["notes"])
    except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError,
            AttributeError, ImportError):  # a damaged or foreign entry: parse again
        return None


def store(key: str, obs: pd.DataFrame, notes: list[str]) -> Path:
    """Write (observations, notes) under `key`, atomically."""
    payload = {"version": CACHE_VERSION, "obs": obs, "notes": list(notes)}

    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)

    return atomic_write(entry(key), write)
