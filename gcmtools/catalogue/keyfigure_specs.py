"""What each objective's brief shows, read from reference/key_figures.yaml and validated: the
key-figure specs, trends and comparisons of each objective out (gcmtools.analysis.keyfigures
computes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass

from gcmtools.catalogue.gcm import ObjectiveNumber
from gcmtools.catalogue.indicators import indicator_ids
from gcmtools.catalogue.models import Invalid, Model, Text, load
from gcmtools.paths import REFERENCE_DIR, project_root

KEY_FIGURES_FILE = REFERENCE_DIR / "key_figures.yaml"

Where = tuple[tuple[str, str], ...]


def _pairs(value: object) -> object:
    """`where` as (column, value) pairs; the file writes it as a mapping."""
    return tuple((str(k), v) for k, v in value.items()) if isinstance(value, dict) else value


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class FigureSpec:
    """How to compute one key figure from the observations.

    geo: an ISO3 or aggregate code; "UNECE" sums the 56 member States (or uses UNECE rows if
    the source has them); None sums every geo. where: (column, value) pairs; a value starting
    with "~" is a case-insensitive pattern. year: latest | previous | latest_complete |
    previous_complete (within the review period when one is given: see _pick_year).
    measure: sum | share_female.
    """

    label: Text
    indicator: Text
    geo: str | None = None
    where: Where = ()
    year: Literal["latest_complete", "previous_complete", "latest", "previous"] = "latest_complete"
    measure: Literal["sum", "share_female"] = "sum"
    place: str = ""  # the place as the brief says it ({states}: how many geos, {of}: of 56)
    note: str = ""  # shown under the label (which rows the figure takes, and why)

    @field_validator("where", mode="before")
    @classmethod
    def _where(_cls, value: object) -> object:
        return _pairs(value)


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class SeriesSpec:
    """The trend (by year) or comparison (by country, one year) of an objective's main indicator."""

    title: Text
    indicator: Text
    geo: str | None = None
    where: Where = ()
    note: str = ""

    @field_validator("where", mode="before")
    @classmethod
    def _where(_cls, value: object) -> object:
        return _pairs(value)


class ObjectiveShows(Model):
    """What one objective's brief shows: three to six key figures, the trend and comparison
    candidates (the first present in the data wins; either list may be empty)."""

    figures: list[FigureSpec] = Field(min_length=3, max_length=6)
    trend: list[SeriesSpec]
    comparison: list[SeriesSpec]


class KeyFigureSpecs(Model):
    """reference/key_figures.yaml: objectives (GCM objective numbers) -> what each shows; every
    indicator named is one of indicators.yaml."""

    objectives: dict[ObjectiveNumber, ObjectiveShows]

    @model_validator(mode="after")
    def _indicators_are_catalogued(self) -> KeyFigureSpecs:
        known = indicator_ids()
        unknown = [(("objectives", o, kind, i, "indicator"), spec.indicator,
                    f"indicator {spec.indicator!r} is not in indicators.yaml")
                   for o, shows in self.objectives.items()
                   for kind in ("figures", "trend", "comparison")
                   for i, spec in enumerate(getattr(shows, kind))
                   if spec.indicator not in known]
        if unknown:
            raise Invalid(unknown)
        return self


def spec_files() -> list[Path]:
    """reference/key_figures.yaml, then the project folder's key_figures/*.yaml (sorted by name)."""
    own = project_root() / "key_figures"
    return [KEY_FIGURES_FILE, *sorted(own.glob("*.yaml"))] if own.is_dir() else [KEY_FIGURES_FILE]


def _shows() -> tuple[dict[int, tuple[FigureSpec, ...]], dict[int, tuple[SeriesSpec, ...]],
                      dict[int, tuple[SeriesSpec, ...]]]:
    """Key figures, trends and comparisons of each objective, from spec_files(): each file is
    validated as the package's, and an objective a later file names replaces the earlier specs
    of that objective (a project's key_figures/ adds to or overrides the package's)."""
    specs: dict[int, ObjectiveShows] = {}
    for path in spec_files():
        specs.update(load(KeyFigureSpecs, path).objectives)
    return ({o: tuple(s.figures) for o, s in specs.items()},
            {o: tuple(s.trend) for o, s in specs.items()},
            {o: tuple(s.comparison) for o, s in specs.items()})


# What each objective shows (read when this module is first imported: a brief's kernel, which
# starts in the project folder).
SPECS, TRENDS, COMPARISONS = _shows()


def signature(objective: int) -> str:
    """What `objective`'s brief shows, as text for cache keys (the project may override it)."""
    o = int(objective)
    return repr((SPECS.get(o), TRENDS.get(o), COMPARISONS.get(o)))
