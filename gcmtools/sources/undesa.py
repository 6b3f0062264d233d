"""UN DESA International Migrant Stock origin-destination table (to, from, t, sex, v) in;
migrant stock by destination (UNECE States), female, male and total, summed over origin, out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import unece_iso3
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical, counts, margins
from gcmtools.sources.vocab import sex_columns

LAYOUT = Layout(
    "origin-destination stock, long (gdiviz stocks)",
    ("to", "from", "t", "sex", "v"),
    "ISO3 destination (to) and origin (from, XXX = others), year t, sex Male/Female, value v",
)


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Sum the stock over origins for each UNECE destination, year and sex."""
    # load
    raw = canonical(files.read_table(path), LAYOUT.required)
    notes: list[str] = []
    # process: the file has female and male only; the total is their sum
    rows = raw[raw["to"].isin(unece_iso3())].copy()
    rows["sex"] = sex_columns(rows["sex"])[0]
    if (rows["sex"] == "total").any():
        rows = rows[rows["sex"] != "total"]  # a published total would double the sum
        notes.append("rows with sex total ignored: the total is female plus male")
    rows["value"] = counts(rows["v"], path, "v").fillna(0.0)
    obs = margins(rows.rename(columns={"to": "geo", "t": "year"}), ["geo", "year"], "value",
                  ["sex"], complete=True)
    obs["indicator"] = "undesa_migrant_stock"
    obs["unit"] = "persons"
    missing = sorted(unece_iso3() - set(rows["to"]))
    if missing:
        notes.append(f"UNECE States without data in this file: {missing}")
    return Parsed(obs=obs, vintage=_vintage(path, raw), notes=tuple(notes))


def _vintage(path: Path, raw: pd.DataFrame) -> str:
    match = re.search(r"International Migrant Stock (\d{4})", files.source_txt(path))
    if match:
        return f"UN DESA International Migrant Stock {match.group(1)}"
    return f"UN DESA migrant stock, data to {raw['t'].max()}"


ADAPTER = Adapter(
    name="undesa",
    publisher="United Nations Department of Economic and Social Affairs (UN DESA), "
              "Population Division",
    dataset="International Migrant Stock, origin and destination by sex",
    source="UN DESA International Migrant Stock",
    licence="UN DESA terms of use: free use with attribution to UN DESA Population Division",
    layouts=(LAYOUT,),
    indicators=("undesa_migrant_stock",),
    parse=parse,
)
