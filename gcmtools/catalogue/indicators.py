"""The indicator catalogue (reference/indicators.yaml) in, validated; indicators, figures and
spellings out."""

from __future__ import annotations

from functools import cache
from typing import Literal

import pandas as pd
from pydantic import model_validator

from gcmtools.catalogue.gcm import ObjectiveNumber
from gcmtools.catalogue.models import Flat, Invalid, Model, Text, load
from gcmtools.paths import REFERENCE_DIR

INDICATORS_FILE = REFERENCE_DIR / "indicators.yaml"


class Indicator(Model):
    """One indicator an adapter emits. `objectives: []` is context only (outside the GCM)."""

    name: Text
    unit: Text
    objectives: list[ObjectiveNumber]
    custodian: Text
    caveat: Text
    adapter: Text
    sdg: str = ""
    sensitive: bool = False
    sensitive_age: Literal["", "child"] = ""
    sensitive_reason: Flat = ""

    @model_validator(mode="after")
    def _sensitive_says_why(self) -> Indicator:
        if self.sensitive and not self.sensitive_reason:
            raise Invalid([(("sensitive_reason",), "", "a sensitive indicator says why")])
        if not self.sensitive and (self.sensitive_age or self.sensitive_reason):
            raise Invalid([(("sensitive",), self.sensitive,
                            "sensitive_age and sensitive_reason are for a sensitive indicator")])
        return self


class PublishedFigure(Model):
    """A figure a custodian published that the data must reproduce (`check: true`) or that
    documents a later revision."""

    indicator: str
    year: str
    where: dict[str, str]
    value: int | float
    vintage: Text
    check: bool
    reference: Text


class Conventions(Model):
    """Conventions of the observation table."""

    not_recorded_geo: Text
    additive_units: list[Text]


class Spellings(Model):
    """How files spell the contract's categories: category -> spellings, for each kind."""

    sex: dict[str, list[str]]
    age: dict[str, list[str]]
    unit: dict[str, list[str]]


class IndicatorCatalogue(Model):
    """reference/indicators.yaml: every key required; a published figure names a listed indicator."""

    conventions: Conventions
    indicators: dict[str, Indicator]
    published_figures: list[PublishedFigure]
    spellings: Spellings

    @model_validator(mode="after")
    def _figures_name_listed_indicators(self) -> IndicatorCatalogue:
        unknown = [((i, "indicator"), f.indicator, f"indicator {f.indicator!r} is not in `indicators`")
                   for i, f in enumerate(self.published_figures) if f.indicator not in self.indicators]
        if unknown:
            raise Invalid([(("published_figures", *key), value, reason) for key, value, reason in unknown])
        return self


@cache
def catalogue() -> IndicatorCatalogue:
    """reference/indicators.yaml, validated (ModelError naming file, key and value if not)."""
    return load(IndicatorCatalogue, INDICATORS_FILE)


def indicators() -> pd.DataFrame:
    """The indicator catalogue: id, name, unit, objectives (list of GCM objective numbers),
    custodian, caveat, then sdg, adapter and the small-count flags: sensitive (bool),
    sensitive_age ("" for every row, "child" for the rows with age child) and sensitive_reason."""
    columns = ["name", "unit", "objectives", "custodian", "caveat", "sdg", "adapter",
               "sensitive", "sensitive_age", "sensitive_reason"]
    rows = [{"id": key, **spec.model_dump(include=set(columns))}
            for key, spec in catalogue().indicators.items()]
    return pd.DataFrame(rows, columns=["id", *columns])


@cache
def indicator_ids() -> frozenset[str]:
    """Every indicator id in the catalogue."""
    return frozenset(catalogue().indicators)


def caveat(indicator: str) -> str:
    """The sentence a brief prints beside `indicator` (KeyError if not catalogued)."""
    return catalogue().indicators[indicator].caveat


def published_figures() -> pd.DataFrame:
    """Figures custodians published: indicator, year, where (dict), value, vintage, check, reference."""
    return pd.DataFrame([f.model_dump() for f in catalogue().published_figures])


@cache
def additive_units() -> frozenset[str]:
    """Units whose values add up (counts): the only ones the totals and sign checks apply to."""
    return frozenset(catalogue().conventions.additive_units)


@cache
def not_recorded_geo() -> str:
    """The geo code for 'no single identified country' (XXX)."""
    return catalogue().conventions.not_recorded_geo


@cache
def spellings(kind: str) -> dict[str, str]:
    """How files spell a category of `kind` (sex, age, unit): spelling (casefolded) -> category."""
    table = getattr(catalogue().spellings, kind)
    return {
        " ".join(str(s).split()).casefold(): category
        for category, variants in table.items()
        for s in variants
    }
