"""Custodians' files as published in; one checked observation table with provenance out.

The registry of adapters (one module per custodian) and the public API:
list_adapters, describe_layouts, read_source, ingest, write_observations,
check_observations, shipped_sources, indicators.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gcmtools import store
from gcmtools.catalogue.indicators import indicators, published_figures
from gcmtools.paths import data_dir
from gcmtools.sources import (
    eurostat,
    files,
    glotip,
    mmp,
    open_sdg,
    sdg_global,
    uk_home_office,
    undesa,
    unhcr,
)
from gcmtools.sources.base import (
    PROVENANCE_COLUMNS,
    Adapter,
    GeoRequiredError,
    Layout,
    UnknownLayoutError,
    contract_columns,
    empty_observations,
    finish,
    is_dimension,
)
from gcmtools.sources.checks import SanityError, check_observations, check_published_figures
from gcmtools.sources.files import ParquetUnavailableError, parquet_available

ADAPTERS: dict[str, Adapter] = {
    a.name: a
    for a in (mmp.ADAPTER, glotip.ADAPTER, unhcr.ADAPTER, eurostat.ADAPTER,
              uk_home_office.ADAPTER, open_sdg.ADAPTER, undesa.ADAPTER, sdg_global.ADAPTER)
}

__all__ = [
    "ADAPTERS",
    "GeoRequiredError",
    "ParquetUnavailableError",
    "SanityError",
    "UnknownLayoutError",
    "check_observations",
    "check_published_figures",
    "describe_layouts",
    "detect",
    "get_adapter",
    "indicators",
    "ingest",
    "list_adapters",
    "parquet_available",
    "published_figures",
    "read_source",
    "shipped_sources",
    "write_observations",
]


# --- the registry ---------------------------------------------------------------------------


def get_adapter(name: str) -> Adapter:
    """The adapter called `name`; ValueError naming the known ones otherwise."""
    if name not in ADAPTERS:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(ADAPTERS)}")
    return ADAPTERS[name]


def list_adapters() -> list[dict]:
    """Each adapter: name, publisher, dataset, licence, layouts (readable), indicators."""
    return [
        {
            "name": a.name,
            "publisher": a.publisher,
            "dataset": a.dataset,
            "licence": a.licence,
            "layouts": [lay.describe() for lay in a.layouts],
            "indicators": list(a.indicators),
        }
        for a in ADAPTERS.values()
    ]


def describe_layouts() -> str:
    """The adapters and the layouts each recognises, as text (`gcmtools sources`)."""
    lines = ["Source adapters: a file's layout is recognised by its columns (case and spacing",
             "ignored); --source NAME forces an adapter.", ""]
    for a in ADAPTERS.values():
        lines += [f"{a.name}: {a.source}", f"  publisher: {a.publisher}",
                  f"  licence:   {a.licence}", f"  indicators: {', '.join(a.indicators)}",
                  "  layouts (name: required columns):"]
        for lay in a.layouts:
            lines.append(f"    - {lay.describe()}")
            if lay.description:
                lines.append(f"      {lay.description}")
        lines.append("")
    return "\n".join(lines)


def _all_layouts(adapters: Iterable[Adapter]) -> list[str]:
    return [f"{a.name} / {lay.describe()}" for a in adapters for lay in a.layouts]


@lru_cache(maxsize=1024)
def _detect(path_str: str, content: str, source: str | None) -> tuple[str, str]:
    """Adapter and layout names for a file; remembered on disk, since each brief is a new process
    and reading an xlsx header costs ~0.1 s (key: the file's content hash and the forced source:
    a file replaced by another of the same size and time is recognised again)."""
    return store.cached("layout", [content, source or ""],
                        lambda: _detect_from_columns(path_str, source))


def _detect_from_columns(path_str: str, source: str | None) -> tuple[str, str]:
    path = Path(path_str)
    columns = files.read_columns(path)
    candidates = [get_adapter(source)] if source else list(ADAPTERS.values())
    fits = [(a, a.match(columns)) for a in candidates]
    fits = [(a, lay) for a, lay in fits if lay is not None]
    if not fits:
        raise UnknownLayoutError(path, columns, _all_layouts(candidates))
    best = max(len(lay.required) for _, lay in fits)
    fits = [(a, lay) for a, lay in fits if len(lay.required) == best]
    if len(fits) > 1:
        names = ", ".join(f"{a.name} ({lay.name})" for a, lay in fits)
        raise ValueError(f"{path.name}: columns fit several layouts ({names}); "
                         "choose one with source=...")
    adapter, layout = fits[0]
    return adapter.name, layout.name


def detect(path: Path, source: str | None = None) -> tuple[Adapter, Layout]:
    """The adapter and layout for a file, recognised by its columns (or forced by `source`)."""
    path = Path(path).resolve()
    if source is not None:
        get_adapter(source)
    name, layout_name = _detect(str(path), store.file_hash(path), source)
    adapter = ADAPTERS[name]
    return adapter, next(lay for lay in adapter.layouts if lay.name == layout_name)


# --- reading --------------------------------------------------------------------------------


def read_source(path: str | Path, source: str | None = None,
                geo: str | None = None) -> pd.DataFrame:
    """One custodian's file as published in; checked observations out (never cached).

    `source` forces an adapter (see list_adapters()); `geo` names the country (ISO3) of an
    Open SDG file without REF_AREA. Raises UnknownLayoutError for a layout no adapter knows,
    GeoRequiredError for a national file without a country, SanityError when the rows fail a
    sanity check or miss a published figure. Notes (rows left out, breaks, ...) are in
    df.attrs["notes"].
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    adapter, layout = detect(path, source)
    parsed = adapter.parse(path, layout, geo)
    obs = finish(parsed, adapter, path)
    check_observations(obs)
    check_published_figures(obs)
    shown = files.display_path(path)
    obs.attrs["notes"] = [f"{shown}: {n.removeprefix(path.name + ': ')}" for n in parsed.notes]
    return obs


def _expand(paths: str | Path | Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Files to read: (file, named explicitly); folders give the data files inside them."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[tuple[Path, bool]] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            out += [(f, False) for f in sorted(path.rglob("*")) if files.is_data_file(f)]
        elif path.is_file():
            out.append((path, True))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return out


def _sidecars(path: Path) -> list[Path]:
    # each distinct sidecar function once (most adapters share default_sidecars)
    finders = {a.sidecars for a in ADAPTERS.values()}
    return sorted({p for find in finders for p in find(path)})


def ingest(paths: str | Path | Iterable[str | Path], source: str | None = None,
           geo: str | None = None, use_cache: bool = True) -> pd.DataFrame:
    """Many files or folders in; one observation table out, cached per file.

    Folders are expanded to the data files inside them. A file in a folder that no adapter
    recognises is skipped with a note; a file in a known layout that cannot be read (a bad
    cell, values that repeat for the same key, a failed sanity check) is reported and the
    other files are read. A file named explicitly in no known layout raises
    UnknownLayoutError; a national file without a country raises GeoRequiredError (both are
    fixed by the caller, not the file). Open SDG files without `geo` take the country their
    folder is named after (sdg_national_armenia -> ARM).

    In df.attrs: "notes" (rows left out, files skipped, ...), "failed" (one line per file
    that could not be read: "file: why"), "read" and "seen" (the files read and all the
    data files looked at, as shown paths).

    The combined table is cached too (by every file's cache key and the paths it shows), when
    every file was read: a brief's kernel then unpickles one table instead of concatenating its
    files' tables again (the concatenation was most of a cached ingest).
    """
    expanded = _expand(paths)
    if not use_cache:
        return _ingest(expanded, source, geo, use_cache)
    key = [source or "auto", geo or "",
           [(_reported(path), files.display_path(path), explicit,
             _file_key(path, source, geo or open_sdg.geo_hint(path))) for path, explicit in expanded]]

    def whole() -> tuple[pd.DataFrame, dict]:
        combined = _ingest(expanded, source, geo, use_cache)
        if combined.attrs["failed"]:
            raise _NotKept(combined)  # a file that failed is read again next time
        return combined, dict(combined.attrs)

    try:
        combined, attrs = store.cached("ingest", key, whole)
    except _NotKept as kept:
        return kept.result
    combined.attrs = attrs
    return combined


class _NotKept(Exception):
    """An ingest that is returned but not cached (some file could not be read)."""

    def __init__(self, result: pd.DataFrame) -> None:
        super().__init__("not cached")
        self.result = result


def _ingest(expanded: list[tuple[Path, bool]], source: str | None, geo: str | None,
            use_cache: bool) -> pd.DataFrame:
    """ingest's work, file by file (each file's table cached on its own)."""
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    failed: list[str] = []
    read: list[str] = []
    seen: list[str] = []
    for path, explicit in expanded:
        shown = files.display_path(path)
        seen.append(_reported(path))
        file_geo = geo or open_sdg.geo_hint(path)
        try:
            obs, file_notes = _read_cached(path, source, file_geo, use_cache)
        except UnknownLayoutError:
            if explicit:
                raise
            notes.append(f"{shown}: not a layout any adapter knows; skipped")
            continue
        except GeoRequiredError:
            raise
        except (ValueError, KeyError, IndexError, TypeError, OSError) as exc:
            failed.append(f"{_reported(path)}: {_one_line(exc, path)}")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file costs that file, not its data set
            failed.append(f"{_reported(path)}: {type(exc).__name__}: {_one_line(exc, path)}")
            continue
        obs = obs.assign(file=shown)  # the same content may have been cached from another path
        frames.append(obs)
        read.append(_reported(path))
        notes.extend(file_notes)
    combined = _combine(frames)
    combined.attrs.update(notes=notes, failed=failed, read=read, seen=seen)
    return combined


def is_warm(path: str | Path) -> bool:
    """Whether the disk cache holds the observations that `warm(path)` would parse."""
    path = Path(path)
    return store.is_cached("sources", _file_key(path, None, open_sdg.geo_hint(path)))


def warm(path: str | Path) -> str:
    """Parse one file into the disk cache as `ingest` of its folder would (its adapter
    recognised by its columns, an Open SDG file's country taken from its folder), so that the
    briefs that read it later unpickle it instead; '' when it was read, else why not in one
    line (a brief's ingest reads the file again and reports it)."""
    path = Path(path)
    try:
        _read_cached(path, None, open_sdg.geo_hint(path), True)
    except Exception as exc:  # noqa: BLE001 - reported by the brief that reads the file
        return f"{type(exc).__name__}: {_one_line(exc, path)}"
    return ""


def _read_cached(path: Path, source: str | None, geo: str | None,
                 use_cache: bool) -> tuple[pd.DataFrame, list[str]]:
    """read_source's observations and notes, kept in the disk cache (store.cached) under the
    adapter asked for, the geo, the file's content and that of the files beside it that the
    parse reads (SOURCE.txt, Open SDG metadata); a file that fails is never kept."""
    def parse() -> tuple[pd.DataFrame, list[str]]:
        obs = read_source(path, source=source, geo=geo)
        return obs, list(obs.attrs.get("notes", []))

    if not use_cache:
        return parse()
    return store.cached("sources", _file_key(path, source, geo), parse)


def _file_key(path: Path, source: str | None, geo: str | None) -> list:
    """What a file's observations depend on: the adapter asked for, the geo, the file's content
    and that of the files beside it that the parse reads."""
    return [source or "auto", geo or "", store.file_hash(path),
            [(p.name, store.file_hash(p)) for p in _sidecars(path) if p.is_file()]]


def _reported(path: Path) -> str:
    """A file as a report names it: relative to the project root inside it, else as given."""
    shown = files.display_path(path)
    return shown if shown != path.name or path.parent == Path(".") else path.as_posix()


def _one_line(exc: BaseException, path: Path) -> str:
    """Why a file could not be read, in one line, without repeating its name."""
    if isinstance(exc, SanityError) and exc.problems:
        first = exc.problems[0]
        more = len(exc.problems) - 1
        text = (f"failed a sanity check at row {first.get('row', '?')}: {first.get('reason')}"
                + (f" (and {more} more row(s))" if more else ""))
    elif isinstance(exc, OSError):
        text = exc.strerror or str(exc)
    else:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.removeprefix(f"{path.name}: ")


def _combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate observation tables; a dimension absent from a source is empty there."""
    if not frames:
        return empty_observations()
    dimensions: list[str] = []
    for frame in frames:
        dimensions += [c for c in frame.columns if is_dimension(c) and c not in dimensions]
    columns = contract_columns() + dimensions + list(PROVENANCE_COLUMNS)
    for frame in frames:
        frame.attrs = {}
    combined = pd.concat(frames, ignore_index=True, sort=False)
    combined[dimensions] = combined[dimensions].fillna("")
    return combined[columns]


def write_observations(df: pd.DataFrame, out: str | Path) -> Path:
    """Write observations: CSV, or Parquet when `out` ends in .parquet.

    Parquet needs the optional package pyarrow; without it this raises
    ParquetUnavailableError (check parquet_available() before a long ingest). In CSV a whole
    number is written without a decimal point (3155, not 3155.0).
    """
    out = Path(out)
    if out.suffix.lower() != ".parquet" and "value" in df.columns:
        df = df.copy()
        df["value"] = df["value"].map(_plain_number)
    return files.write_table(df, out)


def _plain_number(v: object) -> object:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def shipped_sources() -> list[Path]:
    """The data files under data_dir() that an adapter recognises (what the briefs use)."""
    found = []
    for path in sorted(data_dir().rglob("*")):
        if not files.is_data_file(path):
            continue
        try:
            detect(path)
        except (UnknownLayoutError, ValueError):
            continue
        found.append(path)
    return found
