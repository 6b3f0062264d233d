"""Shared by every adapter: Adapter and Layout records in, finished observation rows out.

Holds the observation columns (the contract's, `value_text`, the provenance columns), the
layout matching by column names, and `finish`, the one step that gives every adapter's rows
their defaults, provenance, types and column order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import contract
from gcmtools.sources import files
from gcmtools.sources.vocab import format_numbers, parse_values

VALUE_TEXT = "value_text"
PROVENANCE_COLUMNS = ("publisher", "dataset", "file", "vintage", "licence")
DETAIL_COLUMNS = ("sex_detail", "age_group")
DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def contract_columns() -> list[str]:
    """The contract's observation columns, with value_text right after value."""
    names = contract.column_names("observations")
    at = names.index("value") + 1
    return names[:at] + [VALUE_TEXT] + names[at:]


def is_dimension(column: str) -> bool:
    """True for a source dimension column (not a contract, value_text or provenance column)."""
    return column not in contract_columns() and column not in PROVENANCE_COLUMNS


# --- errors ---------------------------------------------------------------------------------


class UnknownLayoutError(ValueError):
    """A file whose columns match no layout an adapter recognises."""

    def __init__(self, path: Path | str, columns: Iterable[str], known: Iterable[str]) -> None:
        self.path = str(path)
        self.columns = [str(c) for c in columns]
        self.known = list(known)
        seen = ", ".join(self.columns) if self.columns else "(no columns: empty file?)"
        listed = "\n  ".join(self.known)
        super().__init__(
            f"{Path(self.path).name}: unknown layout. Columns seen: {seen}.\n"
            f"Layouts known (name: required columns):\n  {listed}"
        )


class GeoRequiredError(ValueError):
    """A national file that names no country, read without --geo."""


# --- layouts and adapters -------------------------------------------------------------------


def normalise_name(name: object) -> str:
    """A column name as matching sees it: BOM and extra spaces removed, case ignored."""
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class Layout:
    """One way a publisher lays out a file, recognised by the columns it must have."""

    name: str
    required: tuple[str, ...]
    description: str = ""

    def matches(self, columns: Iterable[str]) -> bool:
        """True if every required column is present (case and spacing ignored)."""
        seen = {normalise_name(c) for c in columns}
        return all(normalise_name(c) in seen for c in self.required)

    def describe(self) -> str:
        """The layout in one line: name, then its required columns."""
        return f"{self.name}: {', '.join(self.required)}"


@dataclass(frozen=True)
class Parsed:
    """What an adapter's parse returns: observation rows, the data vintage, notes."""

    obs: pd.DataFrame
    vintage: str
    notes: tuple[str, ...] = ()
    publisher: str | None = None  # when the file names its publisher (national platforms)
    source: str | None = None


def default_sidecars(path: Path) -> list[Path]:
    """Files beside the data whose content the parse reads: the SOURCE.txt."""
    found = files.find_source_txt(path)
    return [found] if found else []


@dataclass
class Adapter:
    """A custodian's files: who publishes them, the layouts recognised, how to parse them.

    `parse(path, layout, geo)` returns a Parsed; `sidecars(path)` lists the other files a
    parse reads (their content is part of the cache key).
    """

    name: str
    publisher: str
    dataset: str
    source: str
    licence: str
    layouts: tuple[Layout, ...]
    indicators: tuple[str, ...]
    parse: Callable[[Path, Layout, str | None], Parsed]
    sidecars: Callable[[Path], list[Path]] = field(default=default_sidecars)

    def match(self, columns: Iterable[str]) -> Layout | None:
        """The most specific layout (most required columns) that `columns` satisfy."""
        columns = list(columns)
        fits = [lay for lay in self.layouts if lay.matches(columns)]
        return max(fits, key=lambda lay: len(lay.required)) if fits else None


def canonical(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Rename the columns that match `names` (case and spacing ignored) to those spellings."""
    wanted = {normalise_name(n): n for n in names}
    mapping = {c: wanted[normalise_name(c)] for c in df.columns if normalise_name(c) in wanted}
    return df.rename(columns=mapping)


# --- building rows --------------------------------------------------------------------------


def year_text(years: pd.Series) -> pd.Series:
    """Years as text: 2019, 2019.0 and "2019" give "2019"; periods ("2001 to 2010") kept."""

    def one(v: object) -> str:
        if isinstance(v, float):
            if math.isnan(v):
                return ""
            return str(int(v)) if v.is_integer() else str(v)
        text = " ".join(str(v).split())
        return text[:-2] if re.fullmatch(r"\d{4}\.0", text) else text

    # once per distinct value (a file has a few dozen years); 2019 and 2019.0, which factorize
    # takes for one value, give the same text
    codes, distinct = pd.factorize(years, use_na_sentinel=False)
    texts = pd.Series([one(v) for v in distinct], dtype=object)
    return pd.Series(texts.to_numpy()[codes], index=years.index, name=years.name).astype(str)


def counts(values: pd.Series, path: Path, column: str) -> pd.Series:
    """A column of published numbers as numbers (float; missing and "<5"-style cells NaN).

    Thousands separators ("1,234", "1 234", no-break and narrow no-break spaces) are removed
    by vocab.parse_values, so a column with one such cell is never read as text (where a sum
    would join 100 and 234 into 100234). A cell that is no number raises ValueError naming
    the file, the data row (1 = the first row under the header) and the column.
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    parsed = parse_values(values)
    bad = parsed.index[parsed["status"] == "unparsed"]
    if len(bad):
        first = bad[0]
        row = values.index.get_loc(first) + 1
        raise ValueError(f"{Path(path).name}: data row {row}, column {column}: "
                         f"{parsed.at[first, 'value_text']!r} is not a number"
                         + (f" (and {len(bad) - 1} more cell(s))" if len(bad) > 1 else ""))
    return parsed["value"]


def margins(frame: pd.DataFrame, by: list[str], value: str, breakdowns: list[str],
            complete: bool = False) -> pd.DataFrame:
    """Totals over everything but `by`, and one-way breakdowns beside them.

    For each column in `breakdowns`, rows summing `value` by that column (rows where it is
    missing count in the totals only); the other breakdown columns carry "total". With
    `complete`, a category seen anywhere in the frame gets a 0 row in every group where it
    has none (for tables that leave out their zero cells).
    """
    pieces = []
    total = frame.groupby(by, dropna=False, sort=True)[value].sum()
    pieces.append(total.reset_index().assign(**{b: "total" for b in breakdowns}))
    for column in breakdowns:
        part = frame[frame[column].notna()]
        part = part.groupby(by + [column], dropna=False, sort=True)[value].sum()
        if complete and len(part):
            categories = sorted(part.index.get_level_values(column).unique())
            full = pd.MultiIndex.from_tuples(
                [(*(g if isinstance(g, tuple) else (g,)), c) for g in total.index
                 for c in categories], names=by + [column])
            part = part.reindex(full, fill_value=0.0)
        pieces.append(part.reset_index().assign(**{b: "total" for b in breakdowns
                                                   if b != column}))
    return pd.concat(pieces, ignore_index=True)


# --- finishing ------------------------------------------------------------------------------


def finish(parsed: Parsed, adapter: Adapter, path: Path) -> pd.DataFrame:
    """An adapter's rows in; observations out, with defaults, provenance, types and order.

    Defaults: sex and age "total", obs_status "final", note "", value_text the value written
    out. Provenance on every row: publisher, dataset, file, vintage, licence.
    """
    obs = parsed.obs.copy()
    # defaults for the contract columns an adapter may leave out
    for column, default in (("sex", "total"), ("age", "total"), ("obs_status", "final"),
                            ("note", ""), ("source", parsed.source or adapter.source)):
        if column not in obs.columns:
            obs[column] = default
        else:
            obs[column] = obs[column].fillna(default)
    if "value" not in obs.columns:
        obs["value"] = float("nan")
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce").astype("float64")
    if VALUE_TEXT not in obs.columns:
        obs[VALUE_TEXT] = format_numbers(obs["value"])
    obs["year"] = year_text(obs["year"]) if len(obs) else obs.get("year", pd.Series(dtype=str))
    # provenance on every row
    obs["publisher"] = parsed.publisher or adapter.publisher
    obs["dataset"] = adapter.dataset
    obs["file"] = files.display_path(path)
    obs["vintage"] = parsed.vintage
    obs["licence"] = adapter.licence
    # types and order: contract columns, dimensions, provenance
    missing = [c for c in contract_columns() if c not in obs.columns]
    if missing:
        raise ValueError(f"adapter {adapter.name} left out columns {missing}")
    dimensions = [c for c in obs.columns if is_dimension(c)]
    bad = [c for c in dimensions if not DIMENSION_NAME.match(c)]
    if bad:
        raise ValueError(f"adapter {adapter.name}: dimension names not in lower snake case: {bad}")
    text_columns = [c for c in obs.columns if c != "value"]
    obs[text_columns] = obs[text_columns].fillna("").astype(str)
    ordered = contract_columns() + dimensions + list(PROVENANCE_COLUMNS)
    return obs[ordered].reset_index(drop=True)


def empty_observations() -> pd.DataFrame:
    """An observation table with no rows (and only the fixed columns)."""
    columns = contract_columns() + list(PROVENANCE_COLUMNS)
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    frame["value"] = frame["value"].astype("float64")
    return frame
