"""Where things live: every path the workbook uses comes from here (override with GCM_ROOT)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"


def project_root() -> Path:
    """The project root: $GCM_ROOT if set, else the checkout that holds this package."""
    env = os.environ.get("GCM_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def from_root(path: str | Path) -> Path:
    """A path as given in params and notebook parameters: relative to the project root."""
    p = Path(path)
    return p if p.is_absolute() else project_root() / p


def _from_root(path: str | Path) -> str | None:
    """`path` relative to the project root (as given if relative), or None outside it."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return None


def relative(path: str | Path) -> str:
    """A path for display and manifests: relative to the project root when inside it, else its
    name (outputs never hold machine paths); a relative path is shown as given."""
    inside = _from_root(path)
    return Path(path).name if inside is None else inside


def findable(path: str | Path) -> str:
    """A path as a person or a notebook can find it again: relative to the project root when
    inside it, else whole (for error messages, and inputs passed to a brief's notebook)."""
    inside = _from_root(path)
    return Path(path).as_posix() if inside is None else inside


def data_dir() -> Path:
    """Shipped data: real sources with their SOURCE.txt, and the illustrative practices."""
    return project_root() / "data"


def outputs_dir() -> Path:
    """Generated briefs (git-ignored)."""
    return project_root() / "outputs"


def cache_dir() -> Path:
    """The disk cache's folder (store.cached; $GCM_CACHE overrides; git-ignored)."""
    env = os.environ.get("GCM_CACHE")
    return Path(env).resolve() if env else project_root() / ".cache" / "gcmtools"
