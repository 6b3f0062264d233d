"""The indicator catalogue (reference/indicators.yaml) in; indicators, figures and spellings out."""

from __future__ import annotations

from functools import cache

import pandas as pd

from gcmtools import store
from gcmtools.paths import REFERENCE_DIR

INDICATORS_FILE = REFERENCE_DIR / "indicators.yaml"


@cache
def _raw() -> dict:
    return store.load_yaml(INDICATORS_FILE.read_text(encoding="utf-8"))


def indicators() -> pd.DataFrame:
    """The indicator catalogue: id, name, unit, objectives (list of GCM objective numbers),
    custodian, caveat, then sdg, adapter and the small-count flags: sensitive (bool),
    sensitive_age ("" for every row, "child" for the rows with age child) and sensitive_reason."""
    rows = [
        {
            "id": key,
            "name": " ".join(str(spec["name"]).split()),
            "unit": str(spec["unit"]),
            "objectives": [int(o) for o in spec.get("objectives") or []],
            "custodian": str(spec["custodian"]),
            "caveat": " ".join(str(spec["caveat"]).split()),
            "sdg": str(spec.get("sdg", "")),
            "adapter": str(spec.get("adapter", "")),
            "sensitive": bool(spec.get("sensitive", False)),
            "sensitive_age": str(spec.get("sensitive_age") or ""),
            "sensitive_reason": " ".join(str(spec.get("sensitive_reason") or "").split()),
        }
        for key, spec in _raw()["indicators"].items()
    ]
    return pd.DataFrame(rows)


@cache
def indicator_ids() -> frozenset[str]:
    """Every indicator id in the catalogue."""
    return frozenset(_raw()["indicators"])


def caveat(indicator: str) -> str:
    """The sentence a brief prints beside `indicator` (KeyError if not catalogued)."""
    return " ".join(str(_raw()["indicators"][indicator]["caveat"]).split())


def published_figures() -> pd.DataFrame:
    """Figures custodians published: indicator, year, where (dict), value, vintage, check, reference."""
    rows = [dict(f) for f in _raw().get("published_figures", [])]
    for row in rows:
        row["year"] = str(row["year"])
        row["where"] = dict(row.get("where") or {})
        row["check"] = bool(row.get("check", False))
    return pd.DataFrame(rows)


@cache
def additive_units() -> frozenset[str]:
    """Units whose values add up (counts): the only ones the totals and sign checks apply to."""
    return frozenset(_raw()["conventions"]["additive_units"])


@cache
def not_recorded_geo() -> str:
    """The geo code for 'no single identified country' (XXX)."""
    return str(_raw()["conventions"]["not_recorded_geo"])


@cache
def spellings(kind: str) -> dict[str, str]:
    """How files spell a category of `kind` (sex, age, unit): spelling (casefolded) -> category."""
    table = _raw()["spellings"][kind]
    return {
        " ".join(str(s).split()).casefold(): category
        for category, variants in table.items()
        for s in variants
    }
