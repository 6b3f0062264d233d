"""Where things live: every path the workbook uses comes from here.

The project root is, in order: $GCM_ROOT (set by `gcmtools --project DIR` too); else the
nearest folder at or above the working directory that holds the marker file `gcm-project.yaml`
(an analyst's own project, made by `gcmtools init`); else the checkout that holds this package.
In a project folder a relative path that the folder does not hold is read from the checkout
(its notebooks, the custodians' data): the folder's files extend the package's defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"
CHECKOUT = PACKAGE_DIR.parent
#: the marker file of an analyst's project folder (`gcmtools init`)
PROJECT_MARKER = "gcm-project.yaml"


def find_project(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above `start` (default: the working directory) holding
    PROJECT_MARKER, or None."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    return None


def project_root() -> Path:
    """The project root: $GCM_ROOT if set, else the project folder around the working
    directory (find_project), else the checkout that holds this package."""
    env = os.environ.get("GCM_ROOT")
    if env:
        return Path(env).resolve()
    return find_project() or CHECKOUT


def in_project_folder() -> bool:
    """True when the project root is a project folder of one's own (it holds PROJECT_MARKER)."""
    return (project_root() / PROJECT_MARKER).is_file()


def from_root(path: str | Path) -> Path:
    """A path as given in params and notebook parameters: relative to the project root; in a
    project folder, one the folder does not hold is the checkout's when the checkout has it."""
    p = Path(path)
    if p.is_absolute():
        return p
    own = project_root() / p
    if own.exists() or not in_project_folder():
        return own
    shipped = CHECKOUT / p
    return shipped if shipped.exists() else own


def _from_root(path: str | Path) -> str | None:
    """`path` relative to the project root (as given if relative), or to the checkout from a
    project folder, or None outside both."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    bases = [project_root()] + ([CHECKOUT] if in_project_folder() else [])
    for base in bases:
        try:
            return p.resolve().relative_to(base).as_posix()
        except ValueError:
            continue
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
    """Shipped data: real sources with their SOURCE.txt, and the illustrative practices (the
    checkout's from a project folder that has no data/ of its own)."""
    return from_root("data")


def outputs_dir() -> Path:
    """Generated briefs (git-ignored)."""
    return project_root() / "outputs"


def cache_dir() -> Path:
    """The disk cache's folder (store.cached; $GCM_CACHE overrides; git-ignored)."""
    env = os.environ.get("GCM_CACHE")
    return Path(env).resolve() if env else project_root() / ".cache" / "gcmtools"
