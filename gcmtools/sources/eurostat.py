"""Eurostat enforcement and asylum files (SDMX-CSV 1.0/2.0, older bulk-download CSV, and
third-party reshaped tables) in; refused entry, illegally present, ordered to leave,
returned and asylum applicants by reporting country (EU aggregates as EU27_2020, EU28) out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import aggregate_code, resolve_country
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical
from gcmtools.sources.reference import not_recorded_geo
from gcmtools.sources.vocab import age_columns, map_unit, parse_values, sex_columns

SDMX = Layout(
    "SDMX-CSV 1.0 (data browser download, codes or labels)",
    ("DATAFLOW", "geo", "TIME_PERIOD", "OBS_VALUE"),
    "one row per value; flags in OBS_FLAG; the dataset code in DATAFLOW",
)
SDMX2 = Layout(
    "SDMX-CSV 2.0 (codes with labels)",
    ("STRUCTURE", "STRUCTURE_ID", "geo", "TIME_PERIOD", "OBS_VALUE"),
    "each dimension code column followed by its label column",
)
BULK = Layout(
    "bulk-download CSV (older Data Explorer)",
    ("TIME", "GEO", "Value", "Flag and Footnotes"),
    "Latin-1, ':' for missing, '1,234' thousands separators; dataset code in the file name",
)
ORDERED = Layout(
    "ordered to leave, reshaped (citizen, geo, year)",
    ("citizen", "geo", "year", "Third Country Nationals Ordered to Leave"),
    "migr_eiord reshaped by a third party: no totals, no flags",
)
PRESENT = Layout(
    "illegally present, reshaped (citizen, geo, year)",
    ("citizen", "geo", "year", "Illegal Third Country Nationals"),
    "migr_eipre reshaped by a third party: no totals, no flags",
)
DATASETS = {
    "migr_eirfs": "eurostat_refused_entry",
    "migr_eipre": "eurostat_illegally_present",
    "migr_eiord": "eurostat_ordered_to_leave",
    "migr_eirtn": "eurostat_returned",
    "migr_asyappctza": "eurostat_asylum_applicants",
}
RESHAPED = {ORDERED.name: ("eurostat_ordered_to_leave", ORDERED.required[3]),
            PRESENT.name: ("eurostat_illegally_present", PRESENT.required[3])}
# Eurostat's own two-letter codes that are not ISO 3166 alpha-2.
EUROSTAT_CODES = {"EL": "GRC", "UK": "GBR", "XK": "XKX"}
FLAGS = {
    "b": "break in time series", "c": "confidential", "d": "definition differs",
    "e": "estimated", "f": "forecast", "n": "not significant", "p": "provisional",
    "r": "revised", "s": "Eurostat estimate", "u": "low reliability", "z": "not applicable",
}
DIMENSION_NAMES = {"citizen": "citizenship", "apprehen": "apprehension",
                   "asyl_app": "applicant_type"}
NOT_DIMENSIONS = {"dataflow", "last update", "freq", "structure", "structure_id",
                  "structure_name", "time_period", "time", "obs_value", "value", "obs_flag",
                  "conf_status", "flag and footnotes", "geo", "unit", "sex", "age"}
AGGREGATE_LABEL = re.compile(r"^(european|euro area|eu\b|eu\d|ea\d|efta|total)", re.IGNORECASE)


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one Eurostat file in any of its layouts."""
    # load: every cell as text, so flags, ':' and '1,234' arrive as published
    raw = files.read_table(path, dtype=str, keep_default_na=False)
    raw = canonical(raw, layout.required)
    notes: list[str] = []
    # process: bring each layout to one long shape, then map it to observations
    if layout.name in RESHAPED:
        long, indicator = _reshaped(raw, layout)
    elif layout.name == BULK.name:
        long, indicator = _bulk(raw, path)
    else:
        long, indicator = _sdmx(raw, layout)
    obs = _observations(long, indicator, notes)
    return Parsed(obs=obs, vintage=_vintage(path, raw), notes=tuple(notes))


# --- each layout to one long shape: geo, year, value, flag, unit?, sex?, age?, dimensions ---


def _sdmx(raw: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, str]:
    flow_column = "DATAFLOW" if layout.name == SDMX.name else "STRUCTURE_ID"
    indicator = _indicator(" ".join(raw[flow_column].unique()))
    labelled = _with_labels(raw)
    long = pd.DataFrame({"geo": labelled["geo"], "year": raw["TIME_PERIOD"],
                         "value": raw["OBS_VALUE"],
                         "flag": raw["OBS_FLAG"] if "OBS_FLAG" in raw.columns else ""})
    for column in labelled.columns:
        if column.casefold() in ("unit", "sex", "age"):
            long[column.casefold()] = labelled[column]
        elif column.casefold() not in NOT_DIMENSIONS and re.fullmatch(r"[a-z_]+", column):
            long[DIMENSION_NAMES.get(column, column)] = labelled[column]
    return long, indicator


def _with_labels(raw: pd.DataFrame) -> pd.DataFrame:
    """Dimension columns with their labels where the file gives them (SDMX-CSV 2.0)."""
    out = raw.copy()
    columns = list(raw.columns)
    for i, column in enumerate(columns[:-1]):
        following = columns[i + 1]
        is_code = re.fullmatch(r"[a-z_]+", column) is not None
        is_label = re.fullmatch(r"[a-z_]+|[A-Z_]+", following) is None
        if is_code and is_label and column.casefold() not in ("structure",):
            labels = raw[following].where(raw[following].str.strip() != "", raw[column])
            out[column] = labels
    return out


def _bulk(raw: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, str]:
    match = re.search(r"migr_[a-z]+", Path(path).name.casefold())
    if not match or match.group(0) not in DATASETS:
        raise ValueError(
            f"{Path(path).name}: a Eurostat bulk-download file names its dataset only in the "
            f"file name; rename it after the dataset code ({', '.join(DATASETS)}), e.g. "
            "migr_eiord_1_Data.csv"
        )
    long = pd.DataFrame({"geo": raw["GEO"], "year": raw["TIME"], "value": raw["Value"],
                         "flag": raw["Flag and Footnotes"]})
    for column in raw.columns:
        key = column.casefold()
        if key in ("unit", "sex", "age"):
            long[key] = raw[column]
        elif key not in NOT_DIMENSIONS:
            name = re.sub(r"[^a-z0-9]+", "_", key).strip("_")
            long[DIMENSION_NAMES.get(name, name)] = raw[column]
    return long, DATASETS[match.group(0)]


def _reshaped(raw: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, str]:
    indicator, value_column = RESHAPED[layout.name]
    long = pd.DataFrame({"geo": raw["geo"], "year": raw["year"], "value": raw[value_column],
                         "flag": "", "citizenship": raw["citizen"]})
    return long, indicator


def _indicator(dataflow: str) -> str:
    found = [DATASETS[code] for code in re.findall(r"migr_[a-z]+", dataflow.casefold())
             if code in DATASETS]
    if not found:
        raise ValueError(f"Eurostat dataset {dataflow!r} is not one this adapter maps; "
                         f"known: {', '.join(DATASETS)}")
    return found[0]


# --- the long shape to observations ---------------------------------------------------------


def _observations(long: pd.DataFrame, indicator: str, notes: list[str]) -> pd.DataFrame:
    values = parse_values(long["value"])
    flags = long["flag"].fillna("").astype(str).str.strip().str.casefold()
    censored = (values["status"] == "missing") & flags.str.contains("c")
    usable = (values["status"] == "ok") | censored
    for kind in ("missing", "unparsed"):
        dropped = (values["status"] == kind) & ~censored
        if dropped.any():
            notes.append(f"{int(dropped.sum())} value(s) {kind} (e.g. ':') left out")
    long, values, flags, censored = long[usable], values[usable], flags[usable], censored[usable]
    obs = pd.DataFrame({"indicator": indicator, "year": long["year"].str.strip(),
                        "value": values["value"], "value_text": values["value_text"]},
                       index=long.index)
    obs.loc[censored, "value_text"] = obs.loc[censored, "value_text"] + flags[censored]
    obs["geo"], geo_note = _geo(long["geo"], notes)
    obs["obs_status"] = [_status(f, c) for f, c in zip(flags, censored)]
    flag_note = flags.map(_flag_note)
    obs["note"] = [("; ".join(x for x in pair if x)) for pair in zip(geo_note, flag_note)]
    obs["unit"] = long["unit"].map(map_unit) if "unit" in long.columns else "persons"
    if "sex" in long.columns:
        obs["sex"], obs["sex_detail"] = sex_columns(long["sex"])
    if "age" in long.columns:
        obs["age"], obs["age_group"] = age_columns(long["age"])
    for column in long.columns:
        if column not in ("geo", "year", "value", "flag", "unit", "sex", "age"):
            text = long[column].astype(str).str.strip()
            obs[column] = text.where(~text.str.fullmatch(r"(?i)total"), "total")
    return obs.reset_index(drop=True)


def _status(flag: str, censored: bool) -> str:
    if censored:
        return "censored"
    if "e" in flag or "s" in flag:
        return "estimated"
    if "p" in flag:
        return "provisional"
    return "final"


def _flag_note(flag: str) -> str:
    meanings = [f"{ch} ({FLAGS[ch]})" for ch in flag if ch in FLAGS and ch not in "ep"]
    return "Eurostat flag " + ", ".join(meanings) if meanings else ""


def _geo(labels: pd.Series, notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """Reporting country as ISO3, EU aggregates as their codes; else XXX with a note."""
    mapping = {label: _geo_code(label) for label in labels.unique()}
    geo = labels.map(lambda v: mapping[v] or not_recorded_geo())
    unresolved = sorted(label for label, code in mapping.items() if code is None)
    note = labels.map(lambda v: "" if mapping[v] else f"geo as published: {v}")
    if unresolved:
        notes.append(f"geo not resolved (XXX): {unresolved}")
    return geo, note


def _geo_code(label: str) -> str | None:
    text = " ".join(str(label).split())
    # aggregate_code also reads the period-less labels of older bulk downloads ("European
    # Union - 28 countries" is EU28); "European Union - 27 countries" is left out on purpose:
    # before 2020 it meant the EU of 2007-2013, not EU27_2020.
    aggregate = aggregate_code(text)
    if aggregate:
        return aggregate
    if re.fullmatch(r"[A-Z]{2}", text):
        # ISO 3166 alpha-2 after Eurostat's own codes; exact only, through the name cache
        return EUROSTAT_CODES.get(text) or resolve_country(text, fuzzy=False)
    if AGGREGATE_LABEL.match(text):
        return None  # an aggregate the catalogue does not know: never a country
    return resolve_country(text)


def _vintage(path: Path, raw: pd.DataFrame) -> str:
    """Eurostat's last update if the file has it; else the extraction's commit; else years."""
    if "LAST UPDATE" in raw.columns and (raw["LAST UPDATE"].str.strip() != "").any():
        return f"Eurostat, last update {raw['LAST UPDATE'].str.strip().max()}"
    commit = files.source_field(files.source_txt(path), "Commit")
    if commit:
        return f"Eurostat extraction in repository commit {commit[:7]}"
    years = next((raw[c] for c in ("TIME_PERIOD", "TIME", "year") if c in raw.columns), None)
    return f"Eurostat extraction, data to {years.max()}" if years is not None else "Eurostat"


ADAPTER = Adapter(
    name="eurostat",
    publisher="Eurostat",
    dataset="Eurostat enforcement of immigration legislation (migr_eirfs, migr_eipre, "
            "migr_eiord, migr_eirtn) and asylum applicants (migr_asyappctza)",
    source="Eurostat",
    licence="CC BY 4.0 (Commission Decision 2011/833/EU); Source: Eurostat",
    layouts=(SDMX, SDMX2, BULK, ORDERED, PRESENT),
    indicators=tuple(DATASETS.values()),
    parse=parse,
)
