"""Eurostat enforcement and asylum files (SDMX-CSV 1.0/2.0, older bulk-download CSV, and
third-party reshaped tables) in; refused entry, illegally present, ordered to leave,
returned and asylum applicants by reporting country (EU aggregates as EU27_2020, EU28) out.

Read as Eurostat means them: an aggregate label is coded by label and vintage ("European
Union (27 countries)" before February 2020 is EU27_2007); ':' is not available, never 0, and
breakdown zeros beside a ':' total are left out too; Eurostat's flags (e, p, b, c, ...) are
kept in the `flag` column. A third party's extract by citizenship is checked against
Eurostat's EU-27 figure (from a Eurostat file beside it, or a figure Eurostat published): when
its 27 Member States do not add up to it within Eurostat's rounding, its rows carry the reason
in `total_check`, and no total is made from them (gcmtools.analysis.select).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import aggregate_code, aggregate_members, resolve_country
from gcmtools.catalogue.indicators import not_recorded_geo, published_figures
from gcmtools.sources import files
from gcmtools.sources.base import Adapter, Layout, Parsed, canonical, default_sidecars
from gcmtools.sources.vocab import age_columns, map_unit, parse_values, per_distinct, sex_columns
from gcmtools.store import file_hash

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
TOTALS = frozenset({"total", "t", "_t"})  # how a dimension's total is spelled (labels, codes)
ROUNDING = 5  # Eurostat rounds these counts to the nearest 5
CHECKED_AGGREGATE = "EU27_2020"
LABELS_CHANGED = "2020-02-01"  # Eurostat's EU27 became EU27_2020 (EU of 2007-2013 before)
AGGREGATE_LABEL = re.compile(r"^(european|euro area|eu\b|eu\d|ea\d|efta|total)", re.IGNORECASE)


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one Eurostat file in any of its layouts.

    A file in Eurostat's own layouts is parsed once per process for its content and its
    SOURCE.txt (_parse_own): an extract's check (_published_aggregates) reads the files beside
    it, which an ingest of the folder reads again for themselves.
    """
    if layout.name in RESHAPED:
        return _parse(path, layout, geo)
    resolved = Path(path).resolve()
    parsed = _parse_own(str(resolved), file_hash(resolved), files.source_txt(resolved),
                        layout.name, geo)
    return replace(parsed, obs=parsed.obs.copy())


@lru_cache(maxsize=16)
def _parse_own(path_str: str, content: str, source_txt: str, layout_name: str,
               geo: str | None) -> Parsed:
    """_parse of a file in one of Eurostat's own layouts, remembered by what it reads."""
    layout = next(lay for lay in ADAPTER.layouts if lay.name == layout_name)
    return _parse(Path(path_str), layout, geo)


def _parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
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
    long = _not_available(long, notes)
    obs = _observations(long, indicator, notes, _made_on(path, raw))
    # check: a third party's extract against Eurostat's EU-27 figure; own files noted only
    if layout.name in RESHAPED:
        obs["total_check"] = _extract_check(obs, indicator, path, notes)
    else:
        _member_check(obs, notes)
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


def _not_available(long: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Leave out zeros that stand beside a ':' total: not available is never 0.

    Where a place and year's total (every dimension at its total) is ':', or where the file
    has no total and every one of its cells is 0 or ':', the place and year is not available:
    its zero breakdown cells go too, so that no sum of them can pass for a 0 total.
    """
    dims = [c for c in long.columns if c not in ("geo", "year", "value", "flag")]
    values = parse_values(long["value"])
    empty = values["status"] == "missing"
    zero_or_empty = empty | ((values["status"] == "ok") & (values["value"] == 0))
    is_total = pd.Series(True, index=long.index)
    for column in dims:
        if column != "unit":
            is_total &= per_distinct(long[column].astype(str),
                                     lambda t: t.str.strip().str.casefold().isin(TOTALS))
    keys = [long["geo"], long["year"]] + ([long["unit"]] if "unit" in long.columns else [])
    has_total = is_total.groupby(keys).transform("any")
    total_empty = (is_total & empty).groupby(keys).transform("any")
    all_zero = zero_or_empty.groupby(keys).transform("all")
    gone = all_zero & (total_empty | ~has_total) & ~empty
    if gone.any():
        places = sorted({f"{g} {y}" for g, y in zip(long.loc[gone, "geo"], long.loc[gone, "year"])})
        notes.append(f"{int(gone.sum())} value(s) of 0 left out where Eurostat publishes ':' "
                     f"(not available) for the total, not 0: {', '.join(places)}")
    return long[~gone]


def _observations(long: pd.DataFrame, indicator: str, notes: list[str],
                  made_on: str = "") -> pd.DataFrame:
    values = parse_values(long["value"])
    flags = per_distinct(long["flag"].fillna("").astype(str), lambda f: f.str.strip().str.casefold())
    censored = (values["status"] == "missing") & per_distinct(flags, lambda f: f.str.contains("c"))
    usable = (values["status"] == "ok") | censored
    for kind in ("missing", "unparsed"):
        dropped = (values["status"] == kind) & ~censored
        if dropped.any():
            notes.append(f"{int(dropped.sum())} value(s) {kind} (e.g. ':') left out")
    long, values, flags, censored = long[usable], values[usable], flags[usable], censored[usable]
    obs = pd.DataFrame({"indicator": indicator,
                        "year": per_distinct(long["year"], lambda y: y.str.strip()),
                        "value": values["value"], "value_text": values["value_text"]},
                       index=long.index)
    obs.loc[censored, "value_text"] = obs.loc[censored, "value_text"] + flags[censored]
    obs["geo"], geo_note = _geo(long["geo"], notes, made_on)
    obs["obs_status"] = [_status(f, c) for f, c in zip(flags.tolist(), censored.tolist())]
    obs["flag"] = per_distinct(flags, lambda f: f.str.replace(r"[^a-z]", "", regex=True))
    flag_note = per_distinct(flags, lambda f: f.map(_flag_note))
    obs["note"] = [("; ".join(x for x in pair if x))
                   for pair in zip(geo_note.tolist(), flag_note.tolist())]
    obs["unit"] = (per_distinct(long["unit"], lambda u: u.map(map_unit))
                   if "unit" in long.columns else "persons")
    if "sex" in long.columns:
        obs["sex"], obs["sex_detail"] = sex_columns(long["sex"])
    if "age" in long.columns:
        obs["age"], obs["age_group"] = age_columns(long["age"])
    for column in long.columns:
        if column not in ("geo", "year", "value", "flag", "unit", "sex", "age"):
            obs[column] = per_distinct(long[column].astype(str), _total_spelled)
    return obs.reset_index(drop=True)


def _total_spelled(labels: pd.Series) -> pd.Series:
    """A dimension's labels stripped, any spelling of total as "total"."""
    text = labels.str.strip()
    return text.where(~text.str.fullmatch(r"(?i)total"), "total")


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


def _geo(labels: pd.Series, notes: list[str], made_on: str = "") -> tuple[pd.Series, pd.Series]:
    """Reporting country as ISO3, EU aggregates as their codes (by label and the date the
    file was made); else XXX with a note."""
    mapping = {label: _geo_code(label, made_on) for label in labels.unique()}
    for label, code in mapping.items():
        text = " ".join(str(label).split())
        if aggregate_code(text, "") is None and AGGREGATE_LABEL.match(text):
            notes.append(f"{label!r} read as {code}: a label whose meaning changed in "
                         f"{LABELS_CHANGED[:7]}, read by the date the file was made "
                         f"({made_on or 'unknown'})" if code else
                         f"{label!r} not coded: its meaning changed in {LABELS_CHANGED[:7]} "
                         "and the date the file was made is unknown")
    geo = labels.map(lambda v: mapping[v] or not_recorded_geo())
    unresolved = sorted(label for label, code in mapping.items() if code is None)
    note = labels.map(lambda v: "" if mapping[v] else f"geo as published: {v}")
    if unresolved:
        notes.append(f"geo not resolved (XXX): {unresolved}")
    return geo, note


def _geo_code(label: str, made_on: str = "") -> str | None:
    text = " ".join(str(label).split())
    # the period-less labels of older downloads are read by the date the file was made:
    # "European Union - 27 countries" meant the EU of 2007-2013 before February 2020
    aggregate = aggregate_code(text, made_on)
    if aggregate:
        return aggregate
    if re.fullmatch(r"[A-Z]{2}", text):
        # ISO 3166 alpha-2 after Eurostat's own codes; exact only, through the name cache
        return EUROSTAT_CODES.get(text) or resolve_country(text, fuzzy=False)
    if AGGREGATE_LABEL.match(text):
        return None  # an aggregate the catalogue does not know: never a country
    return resolve_country(text)


def _made_on(path: Path, raw: pd.DataFrame) -> str:
    """The date (YYYY-MM-DD) the file was made, as far as it tells: Eurostat's last update,
    else a download date in its SOURCE.txt, else the first day after its latest data year
    when that is after February 2020 (annual data for a year are published after it ends, so
    a file with 2020 data was made after Eurostat's labels changed); "" when none is known."""
    if "LAST UPDATE" in raw.columns:
        stamps = raw["LAST UPDATE"].str.strip()
        stamps = stamps[stamps != ""]
        iso = stamps.str.match(r"^\d{4}-")
        when = pd.concat([pd.to_datetime(stamps[iso], errors="coerce"),
                          pd.to_datetime(stamps[~iso], errors="coerce", dayfirst=True)])
        if when.notna().any():
            return when.max().date().isoformat()
    text = files.source_txt(path)
    for key in ("Downloaded", "Retrieved", "Accessed", "Extracted", "Download date"):
        found = re.search(r"\d{4}-\d{2}-\d{2}", files.source_field(text, key))
        if found:
            return found.group(0)
    column = next((c for c in ("TIME_PERIOD", "TIME", "year") if c in raw.columns), None)
    years = pd.to_numeric(raw[column].str[:4], errors="coerce") if column else pd.Series()
    after = f"{int(years.max()) + 1}-01-01" if years.notna().any() else ""
    return after if after >= LABELS_CHANGED else ""  # a lower bound: it proves a late file only


# --- the EU-27 check ------------------------------------------------------------------------


def _member_sums(obs: pd.DataFrame) -> pd.DataFrame:
    """Per year, the sum of the EU-27 Member States' values and how many of them report."""
    members = aggregate_members(CHECKED_AGGREGATE)
    rows = obs[obs["geo"].isin(members) & obs["value"].notna()]
    return rows.groupby("year").agg(sum=("value", "sum"), states=("geo", "nunique"))


def _totals_only(obs: pd.DataFrame) -> pd.DataFrame:
    """Rows with every dimension at its total (the published totals of a Eurostat file)."""
    keep = pd.Series(True, index=obs.index)
    for column in obs.columns:
        if column not in ("indicator", "geo", "year", "value", "value_text", "unit",
                          "obs_status", "note", "flag", "age_group", "sex_detail"):
            keep &= obs[column].astype(str).isin(["total", ""])
    return obs[keep]


def _member_check(obs: pd.DataFrame, notes: list[str]) -> None:
    """Eurostat's own file: note the years its EU-27 figure is not the sum of its Member States
    (within rounding); the brief shows Eurostat's EU-27 figure, never the sum."""
    totals = _totals_only(obs)
    eu = totals[totals["geo"] == CHECKED_AGGREGATE].groupby("year")["value"].sum()
    sums = _member_sums(totals)
    off = []
    for year, aggregate in eu.items():
        if year in sums.index and sums.loc[year, "states"] == 27:
            gap = sums.loc[year, "sum"] - aggregate
            if abs(gap) > ROUNDING / 2 * 28:
                off.append(f"{year} ({gap:+,.0f})")
    if off:
        notes.append("Eurostat's EU-27 figure differs from the sum of its 27 Member States by "
                     f"more than rounding in {', '.join(off)}; the EU-27 figure is Eurostat's "
                     "as published")


def _published_aggregates(indicator: str, path: Path) -> dict[str, float]:
    """Eurostat's EU-27 figures for `indicator` by year: from the Eurostat files beside `path`
    (their published totals), else from the figures Eurostat published (indicators.yaml)."""
    found: dict[str, float] = {}
    figures = published_figures()
    for _, fig in figures[figures["indicator"] == indicator].iterrows():
        if fig["where"].get("geo") == CHECKED_AGGREGATE:
            found[str(fig["year"])] = float(fig["value"])
    for sibling in _siblings(path):
        layout = ADAPTER.match(files.read_columns(sibling))
        if layout is None or layout.name in RESHAPED:
            continue
        try:
            other = parse(sibling, layout).obs
        except ValueError:
            continue  # a file this adapter cannot map is not a reference for the check
        other = _totals_only(other[other["indicator"] == indicator])
        other = other[(other["geo"] == CHECKED_AGGREGATE) & other["value"].notna()]
        found.update({str(y): float(v) for y, v in zip(other["year"], other["value"])})
    return found


def _extract_check(obs: pd.DataFrame, indicator: str, path: Path, notes: list[str]) -> str:
    """"" if the extract's Member States add up to Eurostat's EU-27 figure in every year that
    can be checked (within rounding); else the reason, in words, why no total is made from it."""
    aggregates = _published_aggregates(indicator, path)
    sums = _member_sums(obs)
    checked = [(y, sums.loc[y, "sum"], aggregates[y]) for y in sorted(sums.index)
               if y in aggregates]
    failed = [(y, s, a) for y, s, a in checked if abs(s - a) > ROUNDING / 2 * 28]
    what = ("a third party's extract by citizenship of a Eurostat table, without Eurostat's "
            "totals")
    if checked and not failed:
        return ""
    if not checked:
        reason = (f"not shown: {what}, and no Eurostat EU-27 figure to check its sums "
                  "against, so its sums cannot be taken for Eurostat's totals")
    else:
        year, total, aggregate = failed[-1]
        reason = (f"not shown: {what}; its 27 EU Member States add up to {total:,.0f} for "
                  f"{year}, where Eurostat publishes {aggregate:,.0f} for the EU-27, so it "
                  "holds only part of the figures and no total is taken from it")
    notes.append(reason)
    return reason


def _siblings(path: Path) -> list[Path]:
    """The other data files in the folder of `path`."""
    folder = Path(path).parent
    return sorted(p for p in folder.iterdir() if p != Path(path) and files.is_data_file(p))


def sidecars(path: Path) -> list[Path]:
    """The SOURCE.txt, and for a reshaped extract the files beside it (read by its check)."""
    found = default_sidecars(path)
    if Path(path).suffix.casefold() != ".csv":
        return found  # the reshaped extracts are CSV; reading an xlsx header costs time
    try:
        with open(path, "rb") as fh:  # both reshaped layouts have a citizen column: without
            if b"citizen" not in fh.readline(files.SNIFF_BYTES).lower():  # it, no parse
                return found
    except OSError:
        return found
    try:
        layout = ADAPTER.match(files.read_columns(Path(path)))
    except (OSError, ValueError, UnicodeDecodeError):
        return found
    return found + _siblings(path) if layout is not None and layout.name in RESHAPED else found


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
    sidecars=sidecars,
)
