"""The data sets under the paths a brief reads, and their files: each folder with a SOURCE.txt
a data set, of two vintages of one (the same name but the years it ends with) the newest.
gcmtools.brief.context reads these; the build lists them (gcmtools.build.warm) without
importing the brief's modules.
"""

from __future__ import annotations

import re
from pathlib import Path

from gcmtools.paths import from_root as _resolve
from gcmtools.sources import files as _files


def source_units(path: Path) -> list[Path]:
    """The data sets under a path: each sub-folder with a SOURCE.txt, else the path itself."""
    if path.is_dir() and not (path / "SOURCE.txt").is_file():
        subs = sorted(p for p in path.iterdir() if p.is_dir() and (p / "SOURCE.txt").is_file())
        if subs:
            return subs
    return [path]


VINTAGE_YEARS = re.compile(r"(_\d{4}){1,2}$")


def newest_vintages(units: list[Path]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """The data sets to read, and the (earlier, newest) vintages set aside.

    Two folders that differ only by the years their names end with are vintages of one data
    set (data/mmp_global_2014_2024 and data/mmp_global_2014_2025): a brief reads the newest,
    the one whose years sort last, and says that it set the other aside, so that figures
    from one vintage never sit under the name of another.

    >>> newest_vintages([Path("d/mmp_2014_2024"), Path("d/mmp_2014_2025"), Path("d/uk_2004_2023")])[0]
    [PosixPath('d/mmp_2014_2025'), PosixPath('d/uk_2004_2023')]
    """
    groups: dict[tuple[Path, str], list[Path]] = {}
    for unit in units:
        groups.setdefault((unit.parent, VINTAGE_YEARS.sub("", unit.name)), []).append(unit)
    keep = {max(g, key=lambda u: u.name) for g in groups.values()}
    superseded = [(u, max(g, key=lambda v: v.name)) for g in groups.values() for u in g if u not in keep]
    return [u for u in units if u in keep], superseded


def data_files(unit: Path) -> list[Path]:
    """A data set's data files (gcmtools.sources.files.is_data_file), or the file it is."""
    if unit.is_file():
        return [unit]
    return sorted(f for f in unit.rglob("*") if _files.is_data_file(f))


def source_files(paths: list[str]) -> list[Path]:
    """Every data file that read_sources(paths) may read: the newest vintage of each data set
    under `paths` (absent paths left out), every data file of it. What a build parses once,
    before its kernels start (gcmtools.build.warm)."""
    found: list[Path] = []
    for given in paths:
        root = _resolve(given)
        if root.exists():
            found.extend(u for u in source_units(root) if u not in found)
    return [f for unit in newest_vintages(found)[0] for f in data_files(unit)]
