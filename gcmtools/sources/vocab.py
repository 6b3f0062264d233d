"""Published spellings in, contract categories out: sex, age, unit, and values such as "<5"."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from gcmtools.catalogue.indicators import spellings

CENSORED = re.compile(r"^\s*[<>≤≥]\s*=?\s*\d")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
MISSING_TOKENS = frozenset({"", ":", "..", "...", "-", "–", "nan", "na", "n/a", "none", "null"})


def _key(label: object) -> str:
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return ""
    return " ".join(str(label).split()).casefold()


# --- sex ------------------------------------------------------------------------------------


def map_sex(label: object) -> tuple[str, str]:
    """(sex, sex_detail) for a published sex label.

    sex is the contract's total/female/male; sex_detail is "total" for those, and "other" or
    "unknown" for categories outside the contract (their sex is "total"). A label not in the
    spellings raises ValueError.
    """
    category = spellings("sex").get(_key(label))
    if category is None:
        raise ValueError(f"unknown sex label {label!r}")
    if category in ("other", "unknown"):
        return "total", category
    return category, "total"


# --- age ------------------------------------------------------------------------------------

_SDMX_RANGE = re.compile(r"^y(\d+)t(\d+)$")
_SDMX_LT = re.compile(r"^y_?lt(\d+)$")
_SDMX_GE = re.compile(r"^y_?ge(\d+)$")
_SDMX_ONE = re.compile(r"^y(\d+)$")
_MONTHS = re.compile(r"^m\d+(t\d+)?$|\bmonths?\b")


def age_band(label: object) -> tuple[float, float] | None:
    """The (lowest, highest) age in years of a published band, or None if it is not a band.

    Reads SDMX codes (Y15T24, Y_LT18, Y_GE65, M12T23) and text ("aged 0-17 years",
    "0 to 17 years", "17 and under", "18 years or over", "65 and older", "Less than 14 years",
    "From 14 to 17 years", "under 18", "65+").
    """
    text = _key(label)
    if not text:
        return None
    if _MONTHS.search(text):
        return (0.0, 4.0)
    for pattern, build in (
        (_SDMX_RANGE, lambda m: (float(m[1]), float(m[2]))),
        (_SDMX_LT, lambda m: (0.0, float(m[1]) - 1)),
        (_SDMX_GE, lambda m: (float(m[1]), math.inf)),
        (_SDMX_ONE, lambda m: (float(m[1]), float(m[1]))),
    ):
        match = pattern.match(text)
        if match:
            return build(match)
    numbers = [float(n) for n in re.findall(r"\d+", text)]
    if not numbers:
        return None
    if re.search(r"and under|or under|or younger|and younger", text) and len(numbers) == 1:
        return (0.0, numbers[0])
    if re.search(r"less than|under|below|younger than|<", text) and len(numbers) == 1:
        return (0.0, numbers[0] - 1)
    if re.search(r"over|older|and above|or more|\+|≥|>=", text) and len(numbers) == 1:
        return (numbers[0], math.inf)
    if len(numbers) >= 2:
        return (numbers[0], numbers[1])
    return (numbers[0], numbers[0])


def map_age(label: object) -> tuple[str, str]:
    """(age, age_group) for a published age label.

    age is the contract's total/child/adult: child when the whole band is under 18, adult
    when it is 18 or over, total for the total and for bands spanning both (and for unknown
    ages, whose age_group is "unknown"). age_group is "total" for the total, else the band as
    published.
    """
    key = _key(label)
    category = spellings("age").get(key)
    if category == "total":
        return "total", "total"
    if category == "unknown":
        return "total", "unknown"
    published = " ".join(str(label).split())
    if category in ("child", "adult"):
        return category, published
    band = age_band(label)
    if band is None:
        raise ValueError(f"unknown age label {label!r}")
    low, high = band
    if high < 18:
        return "child", published
    if low >= 18:
        return "adult", published
    return "total", published


def sex_columns(labels: pd.Series) -> tuple[pd.Series, pd.Series]:
    """map_sex over a Series (each distinct label once): (sex, sex_detail)."""
    text = labels.astype("object").where(labels.notna(), "")
    lookup = {label: map_sex(label) for label in text.unique()}
    return (text.map({k: v[0] for k, v in lookup.items()}).astype(str),
            text.map({k: v[1] for k, v in lookup.items()}).astype(str))


def age_columns(labels: pd.Series) -> tuple[pd.Series, pd.Series]:
    """map_age over a Series (each distinct label once): (age, age_group)."""
    text = labels.astype("object").where(labels.notna(), "")
    lookup = {label: map_age(label) for label in text.unique()}
    return (text.map({k: v[0] for k, v in lookup.items()}).astype(str),
            text.map({k: v[1] for k, v in lookup.items()}).astype(str))


# --- units ----------------------------------------------------------------------------------


def map_unit(label: object, default: str = "as published") -> str:
    """The catalogue's spelling of a unit (percent, persons, ...); other labels as published."""
    key = _key(label)
    if not key:
        return default
    return spellings("unit").get(key, " ".join(str(label).split()))


# --- values ---------------------------------------------------------------------------------


def parse_values(text: pd.Series) -> pd.DataFrame:
    """Published values in; value (float), value_text (as published) and status out.

    status is "ok" (a number: thousands separators such as "1,234" and spaces removed),
    "censored" (e.g. "<5": value NaN, never turned into a number), "missing" (":", "", ...)
    or "unparsed" (text that is none of these).
    """
    raw = text.astype("object").where(text.notna(), "")
    # every result depends on the cell's text only: work once per distinct text (a column
    # repeats its values), then spread the answers back over the rows
    codes, distinct = pd.factorize(pd.Series([str(v) for v in raw], dtype=object))
    table = _parse_distinct(pd.Series(distinct, dtype=object))
    return table.iloc[codes].set_axis(text.index)


def _parse_distinct(texts: pd.Series) -> pd.DataFrame:
    """parse_values' answer for distinct texts (value, value_text, status)."""
    published = texts.map(lambda v: " ".join(v.split()))
    cleaned = published.map(
        lambda v: v.replace(",", "") if THOUSANDS.match(v) else v.replace("\u00a0", "")
    )
    cleaned = cleaned.str.replace(r"(?<=\d) (?=\d{3}\b)", "", regex=True)
    value = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    censored = published.str.match(CENSORED.pattern)
    missing = published.str.casefold().isin(MISSING_TOKENS)
    status = np.select(
        [censored, value.notna(), missing], ["censored", "ok", "missing"], default="unparsed"
    )
    value = value.where(~censored)
    return pd.DataFrame(
        {"value": value, "value_text": published.astype(str), "status": status},
        index=texts.index,
    )


# --- text, once per distinct value ----------------------------------------------------------


def per_distinct(values: pd.Series, function: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """What `function(values)` gives, computed on each distinct value once.

    `function` works cell by cell (pandas' .str methods, a comparison): it gets the distinct
    values as a Series of the same dtype and name, and its answers are spread back over the
    rows. A custodian's column repeats a few labels over thousands of rows, and pandas' .str
    methods call Python for every cell. For text: values equal as keys (1, 1.0 and True) are
    one distinct value.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    answers = function(pd.Series(distinct, dtype=values.dtype, name=values.name))
    return answers.iloc[codes].set_axis(values.index)


def format_number(value: float) -> str:
    """A number as text: integers without decimals ("1885"), others as Python prints them."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def format_numbers(values: pd.Series) -> pd.Series:
    """format_number over a Series."""
    return values.map(format_number).astype(str)
