"""National SDG platform files (Open SDG: indicator_16-2-2.csv with Year, free disaggregation
columns, Value) in; sdg_16_2_2-style observations for the country the caller names out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import resolve_country
from gcmtools.sources import files
from gcmtools.sources.base import (
    Adapter,
    GeoRequiredError,
    Layout,
    Parsed,
    canonical,
    contract_columns,
    default_sidecars,
)
from gcmtools.sources.vocab import age_columns, map_unit, parse_values, sex_columns

LAYOUT = Layout(
    "Open SDG indicator file",
    ("Year", "Value"),
    "indicator_<goal>-<target>-<indicator>[-<series>].csv; any disaggregation columns; "
    "country from REF_AREA or --geo",
)
FILE_NAME = re.compile(r"^indicator_(\d+(?:-\d+)+(?:-[a-z])?)\.csv(\.gz)?$", re.IGNORECASE)
UNIT_COLUMNS = ("units", "unit_measure", "unit")
SEX_COLUMNS = ("sex",)
AGE_COLUMNS = ("age",)
AREA_COLUMNS = ("ref_area",)
FOLDER_WORDS = {"sdg", "sdgs", "data", "national", "platform", "open", "indicators", "site"}


def parse(path: Path, layout: Layout, geo: str | None = None) -> Parsed:
    """Read one national indicator file; `geo` names its country unless REF_AREA does."""
    # load: every cell as text; an empty cell in a disaggregation column is the total
    path = Path(path)
    indicator = indicator_id(path)
    raw = canonical(files.read_table(path, dtype=str, keep_default_na=False), LAYOUT.required)
    text = files.source_txt(path)
    publisher = files.source_field(text, "Publisher") or None
    source = f"{publisher} (national SDG platform)" if publisher else None
    vintage = _vintage(text)
    notes: list[str] = []
    if raw.empty:
        notes.append(f"{path.name}: no data rows (header only): no observations")
        return Parsed(obs=pd.DataFrame(columns=["indicator", "geo", "year", "value", "unit"]),
                      vintage=vintage, notes=tuple(notes), publisher=publisher, source=source)
    # process: values, then unit, geo, sex, age and the other disaggregations
    values = parse_values(raw["Value"])
    dropped = ~values["status"].isin(["ok", "censored"])
    if dropped.any():
        notes.append(f"{path.name}: {int(dropped.sum())} row(s) without a value left out")
    raw, values = raw[~dropped], values[~dropped]
    if raw.empty:
        notes.append(f"{path.name}: no values: no observations")
    obs = pd.DataFrame({"indicator": indicator, "year": raw["Year"].str.strip(),
                        "value": values["value"], "value_text": values["value_text"]},
                       index=raw.index)
    obs["obs_status"] = values["status"].map({"censored": "censored"}).fillna("final")
    columns = {c.casefold().strip(): c for c in raw.columns}
    obs["unit"] = _units(raw, columns, path)
    obs["geo"], area = _geo(raw, columns, geo, path)
    if area is not None:
        obs["ref_area"] = area
    sex_column = next((columns[c] for c in SEX_COLUMNS if c in columns), None)
    age_column = next((columns[c] for c in AGE_COLUMNS if c in columns), None)
    try:
        if sex_column:
            obs["sex"], detail = sex_columns(raw[sex_column])
            if (detail != "total").any():
                obs["sex_detail"] = detail
        if age_column:
            obs["age"], obs["age_group"] = age_columns(raw[age_column])
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}; add the spelling to the spellings of "
                         "gcmtools/reference/indicators.yaml") from exc
    used = {"year", "value", *UNIT_COLUMNS, *SEX_COLUMNS, *AGE_COLUMNS, *AREA_COLUMNS}
    for key, column in columns.items():
        if key not in used:
            obs[_dimension_name(column)] = _totals_named(raw[column])
    _check_distinct(obs, raw, path)
    return Parsed(obs=obs.reset_index(drop=True), vintage=vintage, notes=tuple(notes),
                  publisher=publisher, source=source)


def _check_distinct(obs: pd.DataFrame, raw: pd.DataFrame, path: Path) -> None:
    """ValueError when rows repeat the same year and breakdown (values cannot be told apart).

    Countries' files sometimes hold a column without a name whose cells are empty, or
    several values for one year: the file says what it holds in no way a reader can use.
    """
    keys = [c for c in obs.columns if c not in ("value", "value_text", "obs_status", "note")]
    repeated = obs.duplicated(subset=keys, keep=False)
    if not repeated.any():
        return
    first = repeated[repeated].index[0]
    position = int(first) + 2  # the header is line 1 (raw keeps the file's row order)
    year = obs.loc[first, "year"]
    unnamed = [i + 1 for i, c in enumerate(raw.columns)
               if not str(c).strip() or re.fullmatch(r"Unnamed: \d+", str(c))]
    why = (f"; column {', '.join(map(str, unnamed))} has no name" if unnamed else "")
    raise ValueError(f"{path.name}: {int(repeated.sum())} rows give more than one value for the "
                     f"same year and breakdown (first: line {position}, year {year}){why}, so "
                     "their values cannot be told apart")


def indicator_id(path: Path) -> str:
    """sdg_16_2_2 for indicator_16-2-2.csv (series suffix kept: sdg_10_7_2_a)."""
    match = FILE_NAME.match(Path(path).name)
    if not match:
        raise ValueError(f"{Path(path).name}: an Open SDG file names its indicator only in the "
                         "file name; expected indicator_<goal>-<target>-<indicator>.csv, "
                         "e.g. indicator_16-2-2.csv")
    return "sdg_" + match.group(1).lower().replace("-", "_")


def geo_hint(path: Path) -> str | None:
    """ISO3 of the country an Open SDG folder is named after (sdg_national_armenia -> ARM).

    Looks at the folder of the file (or the folder itself) and its parent, only at names
    starting with "sdg"; returns None when no word of them is a country name.
    """
    path = Path(path)
    folders = [path] if path.is_dir() else []
    folders += [path.parent, path.parent.parent] if path.is_file() else [path.parent]
    for folder in folders:
        if not folder.name.casefold().startswith("sdg"):
            continue
        words = [w for w in re.split(r"[-_ .]+", folder.name.casefold())
                 if w and w not in FOLDER_WORDS]
        for candidate in [" ".join(words)] + words:
            iso3 = resolve_country(candidate, fuzzy=False) if candidate else None
            if iso3:
                return iso3
    return None


def _geo(raw: pd.DataFrame, columns: dict[str, str], geo: str | None,
         path: Path) -> tuple[pd.Series, pd.Series | None]:
    """geo per row from REF_AREA when it holds a country code, else the caller's geo.

    REF_AREA values that are not country codes (sub-national areas) stay in a ref_area
    dimension ("total" for the national rows).
    """
    area_column = next((columns[c] for c in AREA_COLUMNS if c in columns), None)
    area = raw[area_column].str.strip() if area_column else pd.Series("", index=raw.index)
    codes = {a: _country_code(a) for a in area.unique() if a}
    country = area.map(lambda a: codes.get(a))
    needs_geo = country.isna()
    if needs_geo.any() and not geo:
        raise GeoRequiredError(
            f"{Path(path).name} names no country (no REF_AREA with a country code): pass the "
            "country's ISO3 code, geo='ARM' in Python or --geo ARM on the command line"
        )
    geo_series = country.where(~needs_geo, geo).astype(str)
    subnational = area.where(area.ne("") & country.isna(), "total")
    return geo_series, (subnational if (subnational != "total").any() else None)


def _country_code(area: str) -> str | None:
    """ISO3 for a REF_AREA value that is an ISO3 or UN M49 country code; else None."""
    if re.fullmatch(r"[A-Z]{3}", area):
        # an ISO3 code resolves to itself; XKX (our override for Kosovo, not in hdx's ISO3
        # list) has always stayed a sub-national area here
        return area if area != "XKX" and resolve_country(area, fuzzy=False) == area else None
    if re.fullmatch(r"\d{1,3}", area):
        from gcmtools.catalogue.countries import hdx_country

        return hdx_country().get_iso3_from_m49(int(area), use_live=False)
    return None


def _units(raw: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.Series:
    """The unit per row: the file's unit column, else the metadata's, else 'as published'."""
    fallback = map_unit(_meta(path).get("computation_units"), default="as published")
    unit_column = next((columns[c] for c in UNIT_COLUMNS if c in columns), None)
    if unit_column is None:
        return pd.Series(fallback, index=raw.index)
    return raw[unit_column].map(lambda u: map_unit(u, default=fallback))


def _meta(path: Path) -> dict:
    """The front matter of the indicator's metadata file (../meta/16-2-2.md or .yml)."""
    for meta in meta_files(path):
        return files.read_front_matter(meta)
    return {}


def meta_files(path: Path) -> list[Path]:
    """The metadata files of an indicator file, where Open SDG keeps them."""
    match = FILE_NAME.match(Path(path).name)
    if not match:
        return []
    folder = Path(path).resolve().parent.parent / "meta"
    return [folder / f"{match.group(1)}{ext}" for ext in (".md", ".yml", ".yaml")
            if (folder / f"{match.group(1)}{ext}").is_file()]


def _dimension_name(column: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", column.casefold()).strip("_") or "dimension"
    if not name[0].isalpha():
        name = f"d_{name}"
    return f"{name}_published" if name in contract_columns() else name


def _totals_named(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str).str.strip()
    return text.where(~text.str.fullmatch(r"(?i)|total"), "total")


def _vintage(source_text: str) -> str:
    commit = files.source_field(source_text, "Commit")
    if commit:
        return f"Open SDG data repository commit {commit[:7]}"
    return "national SDG platform file (no date given)"


def sidecars(path: Path) -> list[Path]:
    """SOURCE.txt and the indicator's metadata file (the unit may come from it)."""
    return default_sidecars(path) + meta_files(path)


ADAPTER = Adapter(
    name="open_sdg",
    publisher="national statistical office (Open SDG platform)",
    dataset="national SDG indicator data (Open SDG platform)",
    source="national SDG platform",
    licence="official statistics of the national statistical office; platform repository "
            "under the MIT licence, no separate data licence stated",
    layouts=(LAYOUT,),
    indicators=("sdg_10_7_1", "sdg_10_7_2", "sdg_10_7_2_a", "sdg_10_7_2_b", "sdg_10_7_3",
                "sdg_10_7_4", "sdg_16_2_2", "sdg_16_2_2_a", "sdg_16_9_1"),
    parse=parse,
    sidecars=sidecars,
)
