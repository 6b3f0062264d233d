"""A brief's inputs, loaded once: parameters in, a BriefContext out (review, validated
practices, indicator data with what was missing, key figures, the run manifest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools import sources as src
from gcmtools.analysis import disclosure, evidence, keyfigures, series
from gcmtools.analysis.keyfigures import KeyFigures
from gcmtools.analysis.series import Series
from gcmtools.catalogue import Review, keyfigure_specs
from gcmtools.catalogue.indicators import indicators as indicator_catalogue
from gcmtools.intake.validate import IntakeResult, validate_paths_cached
from gcmtools.paths import from_root as _resolve
from gcmtools.paths import relative
from gcmtools.sources import base as _base
from gcmtools.sources.units import VINTAGE_YEARS as _VINTAGE_YEARS
from gcmtools.sources.units import data_files as _data_files
from gcmtools.sources.units import newest_vintages  # noqa: F401 - the brief's API (tests, notebooks)
from gcmtools.sources.units import source_units as _source_units

#: the columns every brief's observations have (normalise_observations), in their order: the
#: contract's, value_text after value, then the provenance the adapters add
_COLUMNS = tuple(_base.contract_columns()) + _base.PROVENANCE_COLUMNS


@dataclass
class SourceStatus:
    """One custodian's data set as this run found it: loaded, missing or failed."""

    path: str
    status: str
    rows: int = 0
    indicators: str = ""
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class BriefContext:
    """Everything one brief (or the overview, objective None) shows, loaded once."""

    review: Review
    objective: int | None
    intake: IntakeResult
    all_practices: pd.DataFrame
    practices: pd.DataFrame
    observations: pd.DataFrame
    sources: list[SourceStatus]
    indicators: pd.DataFrame
    figures: dict[int, KeyFigures]
    trend: Series | None = None
    comparison: Series | None = None
    manifest: dict | None = None
    manifest_path: str = ""
    manifest_error: str = ""
    thin_threshold: int = evidence.THIN_THRESHOLD
    small_count_threshold: int = disclosure.SMALL_COUNT_THRESHOLD
    previous: dict | None = None  # the previous build's publication record (brief.changes)
    previous_error: str = ""

    @property
    def illustrative(self) -> bool:
        """True when the practices include illustrative ones (practice_id 'ILL-...')."""
        return evidence.is_illustrative(self.all_practices)

    @property
    def key_figures(self) -> KeyFigures | None:
        """The key figures of this brief's objective (None for the overview)."""
        return self.figures.get(self.objective) if self.objective is not None else None


def _split(paths: str | list[str] | tuple[str, ...]) -> list[str]:
    if isinstance(paths, (list, tuple)):
        return [str(p).strip() for p in paths if str(p).strip()]
    return [p.strip() for p in str(paths).split(";") if p.strip()]


def load_context(review: str = catalogue.DEFAULT_REVIEW, objective: int | None = None,
                 practices: str = "data/practices", sources: str = "data",
                 manifest: str = "", thin_threshold: int = evidence.THIN_THRESHOLD,
                 observations: pd.DataFrame | None = None, use_cache: bool = True,
                 small_count_threshold: int = disclosure.SMALL_COUNT_THRESHOLD,
                 previous: str = "") -> BriefContext:
    """Load a brief's inputs: review, validated practices, indicator data, key figures, manifest.

    Paths are ';'-separated and relative to the project root. A source that is absent or
    cannot be read is recorded (never fatal); `observations` replaces reading the sources
    (tests). Counts of people below `small_count_threshold` in disaggregated sensitive series
    are shown as "<threshold" (gcmtools.analysis.disclosure). `previous`: the JSON file of the
    previous build's publication record, which the build passes ("" for none). Raises ValueError for an objective outside
    the review's roundtable or a threshold below 1, and BriefSanityError when the key figures
    do not add up.
    """
    # load: review and objective
    small = disclosure.check_threshold(small_count_threshold)
    rev = _review(review, objective)
    # load: practices, through the validator (guiding questions must be the review's)
    result, accepted, mine = _practices(rev, objective, practices)
    # load: indicator data and catalogue
    wanted = [int(objective)] if objective is not None else list(rev.objectives)
    if observations is None:
        needed = sorted({i for o in wanted for i in keyfigures.expected_indicators(o)})
        observations, statuses = read_sources(_split(sources), needed, use_cache=use_cache)
    else:
        statuses = [SourceStatus("(observations given)", "loaded", len(observations),
                                 ", ".join(sorted(set(observations.get("indicator", [])))))]
    observations = normalise_observations(observations)
    indicators = indicator_catalogue()
    # process: key figures (sanity checks raise here), trend and comparison
    computed = {o: objective_figures(observations, o, indicators, small, rev.period_years)
                for o in wanted}
    figs = {o: c[0] for o, c in computed.items()}
    trend_s, comp_s = computed[int(objective)][1] if objective is not None else (None, None)
    # load: the run manifest
    data, error = _read_json(manifest, f"the build manifest {relative(manifest)}" if manifest else "")
    before, before_error = _read_json(previous, "the previous build's record")
    return BriefContext(review=rev, objective=None if objective is None else int(objective),
                        intake=result, all_practices=accepted, practices=mine,
                        observations=observations, sources=statuses, indicators=indicators,
                        figures=figs, trend=trend_s, comparison=comp_s, manifest=data,
                        manifest_path=relative(manifest) if manifest else "",
                        manifest_error=error, thin_threshold=int(thin_threshold),
                        small_count_threshold=small, previous=before, previous_error=before_error)


def _review(review: str, objective: int | None) -> Review:
    """The review a brief names (an id, or a YAML file); ValueError for an objective outside its
    roundtable."""
    rev = catalogue.load_review(_resolve(review) if Path(review).suffix else review)
    if objective is not None and int(objective) not in rev.objectives:
        raise ValueError(f"objective {objective} is not in roundtable {rev.roundtable_number} "
                         f"of {rev.id} ({', '.join(map(str, rev.objectives))})")
    return rev


def _practices(rev: Review, objective: int | None, practices: str) -> tuple[IntakeResult, pd.DataFrame, pd.DataFrame]:
    """The intake of the practices, its accepted rows, and those the brief reports on: the
    objective's, or (overview) the roundtable's."""
    result = validate_paths_cached([_resolve(p) for p in _split(practices)], rev)
    accepted = evidence.ensure_columns(result.accepted)
    mine = (evidence.for_objective(accepted, int(objective)) if objective is not None
            else evidence.for_review(accepted, rev))
    return result, accepted, mine


def practices_context(review: str, objective: int | None, practices: str) -> BriefContext:
    """A brief's context without its indicator data (no observations, no key figures): what the
    sections on practices read, for the build's warm step (gcmtools.brief.warm)."""
    rev = _review(review, objective)
    result, accepted, mine = _practices(rev, objective, practices)
    return BriefContext(review=rev, objective=None if objective is None else int(objective),
                        intake=result, all_practices=accepted, practices=mine,
                        observations=normalise_observations(None), sources=[],
                        indicators=pd.DataFrame(), figures={})


def warm_figures(review: str, objective: int, sources: str) -> None:
    """Compute one objective's key figures, trend and comparison into the cache, from its rows
    as its brief reads them (load_context): what the objective's brief and the overview then
    read (objective_figures keys them by those rows, whichever brief loaded them)."""
    rev = _review(review, objective)
    observations, _ = read_sources(_split(sources), sorted(keyfigures.expected_indicators(int(objective))))
    objective_figures(normalise_observations(observations), int(objective), indicator_catalogue(),
                      disclosure.check_threshold(disclosure.SMALL_COUNT_THRESHOLD), rev.period_years)


def objective_figures(observations: pd.DataFrame, objective: int, indicators: pd.DataFrame,
                      small: int, period: tuple[int, int] | None = None,
                      ) -> tuple[KeyFigures, tuple[Series | None, Series | None]]:
    """Key figures, trend and comparison of one objective, remembered in the cache folder.

    `period`: the review's first and last year (Review.period_years); the key figures answer
    for it, with the latest year available beside them. They depend only on the rows of the
    objective's own indicators (whatever else a brief loaded), on gcmtools' code and reference
    data, on the period and on the small-count threshold; the
    overview and a rebuild read what the objective's brief computed. Sanity checks run when
    the figures are computed, and a failing check is never cached.
    """
    import hashlib

    import numpy as np

    from gcmtools import store

    own = _canonical(observations[observations["indicator"].isin(keyfigures.expected_indicators(objective))]
                     if len(observations) else observations)
    rows = np.sort(pd.util.hash_pandas_object(own, index=False).to_numpy()) if len(own) else np.array([])
    content = hashlib.sha256(rows.tobytes() + ",".join(map(str, own.columns)).encode()).hexdigest()
    key = [content, int(objective), int(small), keyfigures.period_text(period),
           keyfigure_specs.signature(objective)]  # a project's key_figures/ may change the specs
    return store.cached("figures", key, lambda: (
        keyfigures.key_figures(own, objective, indicators, small, period),
        series.main_series(own, int(objective), indicators, small)))


def _canonical(own: pd.DataFrame) -> pd.DataFrame:
    """An objective's rows as its key figures read them, whichever brief loaded them: the
    columns of normalise_observations first, then the others that hold a value, by name. A
    brief's table has a column for everything its other sources carry (the overview's, some
    thirty more than an objective's, empty on these rows, in another order): without them, the
    overview and the objective's brief compute the figures from the same table, and share them."""
    core = [c for c in _COLUMNS if c in own.columns]
    rest = sorted(c for c in own.columns if c not in _COLUMNS and own[c].ne("").any())
    return own if list(own.columns) == core + rest else own[core + rest]


def _read_json(path: str, what: str) -> tuple[object | None, str]:
    """The JSON file a parameter names, and ""; (None, why) when it cannot be read; (None, '')
    when no file is named (an interactive run)."""
    if not path:
        return None, ""
    try:
        return json.loads(_resolve(path).read_text(encoding="utf-8")), ""
    except (OSError, ValueError) as exc:
        return None, f"{what} could not be read ({type(exc).__name__})"


def _needed(path: Path, wanted: set[str] | None) -> bool:
    """True if the file's adapter emits a wanted indicator (unknown layouts are not sources)."""
    try:
        adapter, _layout = src.detect(path)
    except src.UnknownLayoutError:
        return False
    except Exception:  # noqa: BLE001 - unreadable: ingest fails on it and it is reported
        return True
    return wanted is None or bool(set(adapter.indicators) & wanted)


def read_sources(paths: list[str], indicators: list[str] | None = None,
                 use_cache: bool = True) -> tuple[pd.DataFrame, list[SourceStatus]]:
    """Ingest the data sets under `paths` with gcmtools.sources; record what failed or is absent.

    A data set is a folder with a SOURCE.txt (or a file given as such). With `indicators`,
    only the files whose adapter emits one of them are read. A source that cannot be read is
    recorded as failed (so is a single file of it that cannot be read, the others loaded), a
    path or shipped data set that is absent as missing: never fatal.
    """
    wanted = set(indicators) if indicators is not None else None
    frames, statuses = [], []
    found = []
    for given in paths:
        root = _resolve(given)
        if not root.exists():
            statuses.append(SourceStatus(relative(root), "missing",
                                         message="no such file or folder"))
            continue
        found.extend(u for u in _source_units(root) if u not in found)
    units, superseded = newest_vintages(found)
    statuses.extend(SourceStatus(relative(old), "superseded",
                                 message=f"an earlier vintage of {relative(new)}, which is read instead")
                    for old, new in superseded)
    for unit in units:
        needed = [f for f in _data_files(unit) if _needed(f, wanted)]
        if not needed:
            continue
        try:
            obs = src.ingest(needed, use_cache=use_cache)
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the brief
            first = (str(exc).strip().splitlines() or [""])[0]
            statuses.append(SourceStatus(relative(unit), "failed",
                                         message=f"{type(exc).__name__}: {first}"))
            continue
        for line in obs.attrs.get("failed", []):  # one unreadable file, the others read
            path, _, why = str(line).partition(": ")
            statuses.append(SourceStatus(path, "failed", message=why))
        frames.append(obs)
        statuses.append(SourceStatus(
            relative(unit), "loaded", len(obs),
            ", ".join(sorted(set(obs["indicator"]))) if len(obs) else "",
            notes=[str(n) for n in obs.attrs.get("notes", [])]))
    statuses.extend(_shipped_but_absent(statuses, wanted))
    frames = [f for f in frames if len(f)]
    obs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return obs, sorted(statuses, key=lambda s: (s.status != "loaded", s.path))


def _shipped_but_absent(statuses: list[SourceStatus],
                        wanted: set[str] | None) -> list[SourceStatus]:
    """Shipped data sets (sources.shipped_sources) this brief needs but did not load."""
    shipped = [p for p in src.shipped_sources() if _needed(p, wanted)]
    seen = [s.path for s in statuses]
    # another vintage of a data set read in this run (same folder name but its years) is
    # not missing: data/unodc_glotip_2003_2021 beside data/unodc_glotip_2003_2022
    read = {_VINTAGE_YEARS.sub("", s.path) for s in statuses if s.status in ("loaded", "superseded")}
    units = set()
    for path in shipped:
        source_txt = src.files.find_source_txt(path)
        units.add(relative(source_txt.parent if source_txt else path))
    out = []
    for unit in sorted(units):
        covered = any(unit == s or unit.startswith(s + "/") or s.startswith(unit + "/")
                      for s in seen)
        if not covered and _VINTAGE_YEARS.sub("", unit) not in read:
            out.append(SourceStatus(unit, "missing", message="shipped data set not loaded"))
    return out


def normalise_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations with text columns as str ('' for empty) and value as float, sorted."""
    if obs is None or obs.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else object)
                             for c in _COLUMNS})
    out = obs.copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    for c in out.columns:
        if c != "value":
            out[c] = out[c].fillna("").astype(str)
    return out.reset_index(drop=True)
