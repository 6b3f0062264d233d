"""Observation rows for the analysis tests, in the sources' layout, and the shipped MMP data."""

from functools import cache

import pandas as pd

from conftest import ROOT
from gcmtools import sources


@cache
def mmp_observations() -> pd.DataFrame:
    """IOM's Missing Migrants data as shipped, ingested once per test process."""
    return sources.ingest([ROOT / "data" / "mmp_global_2014_2024"])


def obs(*rows):
    """Observations in the sources' layout: text columns '' when empty, value a float."""
    base = {"indicator": "x", "geo": "GBR", "year": "2020", "value": 0.0, "value_text": "",
            "unit": "persons", "sex": "total", "age": "total", "source": "S", "obs_status": "final",
            "note": "", "publisher": "Pub", "dataset": "Data", "file": "data/f.csv",
            "vintage": "v1", "licence": "CC BY 4.0"}
    df = pd.DataFrame([{**base, **r} for r in rows])
    for c in df.columns:
        if c != "value":
            df[c] = df[c].fillna("").astype(str)
    return df


def glotip(*rows):
    """GLOTIP-like rows: a total in every breakdown unless a row says otherwise."""
    base = {"indicator": "unodc_detected_victims", "exploitation": "total",
            "citizenship": "total", "repatriation": "total", "sex_detail": "total",
            "repeat": "", "dataset": "GLOTIP", "file": "data/glotip.xlsx", "year": "2021"}
    return obs(*({**base, **r} for r in rows))
