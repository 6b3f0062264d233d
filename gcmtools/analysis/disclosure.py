"""Observation rows and the indicator catalogue in; which small counts of people to hide, and how to show them, out.

The rule (stated in every brief, `rule_sentence`): in a sensitive series, a count of people
below the threshold (default 5) in a disaggregated row is shown as "<5"; totals stay exact.

- Sensitive: the catalogue (reference/indicators.yaml) marks the indicator `sensitive`, and
  where it sets `sensitive_age` (child), the row's age is that age: trafficking victims and
  potential victims, children in UK immigration detention, dead and missing children (MMP).
- Disaggregated: any breakdown (sex, age, every source dimension such as exploitation, region,
  route, cause, return_type, method, age_group, citizenship) is neither "total" nor empty.
  A number whose breakdowns are all at their total is a total, whether the source published
  the total row or the brief adds up every category of a breakdown or every place: exact.
- Only counts of people (unit persons) are masked; a zero stays "0" (it points to no one);
  a value the source censored itself (value empty, value_text "<5") is kept as published.

Secondary suppression (`reveals_small`): a figure derived from counts, such as a share
female, is itself suppressed when it would give back a count the rule hides.

Masking changes what is shown (`display`, `suppressed`), never the number: callers keep
`value` for the audit trail and must render `display`. `disclose` applies the rule to the
numbers of a key figure, trend or comparison. Nothing here reads files but the shipped
indicator catalogue, for a caller that gives none.
"""

from __future__ import annotations

import math

import pandas as pd

from gcmtools.catalogue.indicators import indicators as shipped_indicators

SMALL_COUNT_THRESHOLD = 5
PEOPLE = "persons"  # the unit of counts of people: the only unit masked
# Observation columns that are never a breakdown (the contract's, value_text, provenance);
# sex and age are breakdowns. select.CORE is this set.
CORE = frozenset({"indicator", "geo", "year", "value", "value_text", "unit", "sex", "age",
                  "source", "obs_status", "note", "publisher", "dataset", "file", "vintage",
                  "licence", "flag", "total_check"})
BREAKDOWNS_ALWAYS = ("sex", "age")
SENSITIVE_GROUPS = "trafficking victims, children in detention, missing children"


def check_threshold(threshold: int) -> int:
    """The threshold as an int (at least 1; 1 masks nothing); ValueError otherwise."""
    if isinstance(threshold, bool) or int(threshold) != threshold or threshold < 1:
        raise ValueError(f"small-count threshold must be a whole number of at least 1, "
                         f"not {threshold!r}")
    return int(threshold)


def rule_sentence(threshold: int = SMALL_COUNT_THRESHOLD) -> str:
    """The rule as a brief states it (plain text: escape it for HTML)."""
    t = check_threshold(threshold)
    return (f"Counts of people below {t} in disaggregated sensitive series ({SENSITIVE_GROUPS}) "
            f"are shown as <{t}; totals published by the source are exact.")


# --- which rows ------------------------------------------------------------------------------


def breakdowns(rows: pd.DataFrame) -> list[str]:
    """The breakdown columns of an observation table: sex, age and every source dimension."""
    return [c for c in rows.columns if c in BREAKDOWNS_ALWAYS or c not in CORE]


def is_disaggregated(rows: pd.DataFrame) -> pd.Series:
    """True for a row with any breakdown neither "total" nor empty (female, child, a route...)."""
    columns = breakdowns(rows)
    if not columns or rows.empty:
        return pd.Series(False, index=rows.index, dtype=bool)
    values = rows[columns].fillna("").astype(str).apply(lambda s: s.str.strip().str.casefold())
    return (~values.isin(["", "total"])).any(axis=1)


def _flags(indicators: pd.DataFrame | None) -> dict[str, str]:
    """Sensitive indicator id -> its sensitive_age ("" for every row); {} without the flags."""
    if indicators is None or not {"id", "sensitive"} <= set(indicators.columns):
        return {}
    marked = indicators[indicators["sensitive"].fillna(False).astype(bool)]
    ages = (marked["sensitive_age"].fillna("").astype(str) if "sensitive_age" in marked.columns
            else pd.Series("", index=marked.index))
    return dict(zip(marked["id"].astype(str), ages))


def is_sensitive(rows: pd.DataFrame, indicators: pd.DataFrame | None) -> pd.Series:
    """True for a row of a sensitive indicator (and of its `sensitive_age`, where one is set)."""
    flags = _flags(indicators)
    if "indicator" not in rows.columns or not flags:
        return pd.Series(False, index=rows.index, dtype=bool)
    ids = rows["indicator"].astype(str)
    only = ids.map(lambda i: flags.get(i, ""))
    age = rows["age"].fillna("").astype(str) if "age" in rows.columns else ""
    return ids.isin(flags) & (only.eq("") | only.eq(age))


# --- how to show them ------------------------------------------------------------------------


def _plain(value: float) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def is_small(values: pd.Series, threshold: int = SMALL_COUNT_THRESHOLD) -> pd.Series:
    """True for a count above 0 and below the threshold (censored, empty and 0 are not)."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    return numbers.gt(0) & numbers.lt(check_threshold(threshold))


def maskable(rows: pd.DataFrame, indicators: pd.DataFrame | None) -> pd.Series:
    """True for a row the rule applies to: a count of people, sensitive and disaggregated."""
    unit = rows["unit"].astype(str) if "unit" in rows.columns else PEOPLE
    return is_sensitive(rows, indicators) & is_disaggregated(rows) & pd.Series(
        unit, index=rows.index).eq(PEOPLE)


def apply(rows: pd.DataFrame, indicators: pd.DataFrame | None,
          threshold: int = SMALL_COUNT_THRESHOLD) -> pd.DataFrame:
    """The rows with `display` (what a reviewer sees) and `suppressed` (True where masked).

    `display` is value_text (or the number written out), "<threshold" where the rule applies;
    `value` is left as it was.
    """
    out = rows.copy()
    numbers = pd.to_numeric(out["value"], errors="coerce")
    shown = (out["value_text"].fillna("").astype(str) if "value_text" in out.columns
             else numbers.map(_plain).astype(object))
    out["suppressed"] = maskable(out, indicators) & is_small(numbers, threshold)
    out["display"] = shown.mask(out["suppressed"], f"<{check_threshold(threshold)}")
    return out


# --- the numbers of a brief ------------------------------------------------------------------


def _sensitivity(indicators: pd.DataFrame | None) -> pd.DataFrame:
    """The catalogue that says which series are sensitive: `indicators` if it has the flags,
    else the shipped one (a figure is not left unmasked for want of a catalogue argument)."""
    if indicators is not None and "sensitive" in indicators.columns:
        return indicators
    return shipped_indicators()


def disclose(table: pd.DataFrame, indicator: str, where: tuple[tuple[str, str], ...],
             unit: str, indicators: pd.DataFrame | None,
             threshold: int) -> tuple[pd.DataFrame, bool]:
    """`table` (value, value_text) with value_text masked under the small-count rule and a
    `suppressed` column; and whether the series is sensitive.

    Each number stands for the rows gcmtools.analysis.select adds up: the breakdowns in
    `where` as given, every other one at its total.
    """
    flags = _sensitivity(indicators)
    described = {"indicator": indicator, "unit": unit, "sex": "total", "age": "total",
                 **dict(where)}
    rows = pd.DataFrame([described] * len(table), index=table.index, columns=list(described))
    rows = apply(rows.assign(value=table["value"], value_text=table["value_text"]),
                 flags, threshold)
    sensitive = bool(is_sensitive(pd.DataFrame([described]), flags).iloc[0])
    return table.assign(value_text=rows["display"], suppressed=rows["suppressed"]), sensitive


#: what a brief shows for a figure suppressed because it would reveal a small count
SECONDARY = "not shown"


def reveals_small(counts: tuple[float, ...], indicator: str, where: tuple[tuple[str, str], ...],
                  indicators: pd.DataFrame | None, threshold: int) -> bool:
    """Secondary suppression: True when a figure derived from `counts` (a share female from the
    female and male counts, a difference) would reveal one of them that the rule hides. Beside
    an exact total, a share gives each part back (a total of 4 and "75% female": 3 women), so
    the figure is suppressed when any part is a small count of a sensitive series by sex."""
    numbers = pd.Series([float(c) for c in counts], dtype="float64")
    if not is_small(numbers, threshold).any():
        return False
    by_sex = pd.DataFrame([{"indicator": indicator, "unit": PEOPLE, "age": "total",
                            **dict(where), "sex": "female"}])
    return bool(maskable(by_sex, _sensitivity(indicators)).iloc[0])


def secondary_note(threshold: int) -> str:
    """The note beside a figure suppressed by reveals_small."""
    return (f"not shown: with the published total it would reveal a count below {threshold} "
            "in a sensitive breakdown")


def masked_note(table: pd.DataFrame, threshold: int) -> str:
    """'2 count(s) below 5 in a sensitive breakdown shown as <5' ('' when none is masked)."""
    n = int(table["suppressed"].sum())
    return (f"{n} count(s) below {threshold} in a sensitive breakdown shown as <{threshold}"
            if n else "")
