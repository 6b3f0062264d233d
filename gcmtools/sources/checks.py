"""Observations in; every sanity problem found, raised at once as a SanityError (or nothing).

Checks: the fixed columns are there; sex, age and obs_status are in the contract's
vocabulary; provenance is filled on every row; a missing value is censored; counts are not
negative; no total is smaller than one of its parts; no key appears twice; and the figures
custodians published (reference/indicators.yaml) are reproduced.
"""

from __future__ import annotations

import pandas as pd

from gcmtools.catalogue import contract
from gcmtools.catalogue.indicators import additive_units, published_figures
from gcmtools.sources.base import (
    DETAIL_COLUMNS,
    PROVENANCE_COLUMNS,
    VALUE_TEXT,
    contract_columns,
    is_dimension,
)

SHOW = 20  # problems printed in the message; all are kept in SanityError.problems
NOT_KEYS = {"value", VALUE_TEXT, "obs_status", "note", "file", "flag", "total_check"}
TOLERANCE = 1e-6
INCONSISTENT_AS_PUBLISHED = "kept as published"


class SanityError(ValueError):
    """Observations that fail a sanity check; `problems` lists every failing row."""

    def __init__(self, problems: list[dict]) -> None:
        self.problems = problems
        lines = [_describe(p) for p in problems[:SHOW]]
        more = len(problems) - SHOW
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(f"{len(problems)} sanity problem(s):\n- " + "\n- ".join(lines))


def _describe(problem: dict) -> str:
    where = f"{problem.get('file') or '?'} row {problem.get('row', '?')}"
    return f"{where}: {problem['column']}={problem['value']!r}: {problem['reason']}"


def _problem(df: pd.DataFrame, index: object, column: str, reason: str) -> dict:
    row = df.loc[index]
    return {
        "file": str(row.get("file", "")),
        "row": index,
        "indicator": str(row.get("indicator", "")),
        "column": column,
        "value": row.get(column, None),
        "reason": reason,
    }


def _is_total(df: pd.DataFrame) -> pd.Series:
    """Rows that are totals over sex and age (and over their detail columns)."""
    total = (df["sex"] == "total") & (df["age"] == "total")
    for column in DETAIL_COLUMNS:
        if column in df.columns:
            total &= df[column].isin(["", "total"])
    return total


def key_columns(df: pd.DataFrame) -> list[str]:
    """The columns that identify an observation (everything but value, status, note, file)."""
    return [c for c in df.columns if c not in NOT_KEYS]


# --- the checks -----------------------------------------------------------------------------


def _column_problems(df: pd.DataFrame) -> list[dict]:
    missing = [c for c in contract_columns() + list(PROVENANCE_COLUMNS) if c not in df.columns]
    return [{"file": "", "row": "-", "indicator": "", "column": c, "value": None,
             "reason": "required column missing"} for c in missing]


def _vocabulary_problems(df: pd.DataFrame) -> list[dict]:
    problems = []
    for column in ("sex", "age", "obs_status"):
        allowed = set(contract.vocabulary(column))
        for index in df.index[~df[column].isin(allowed)]:
            problems.append(_problem(df, index, column, f"not in {sorted(allowed)}"))
    return problems


def _provenance_problems(df: pd.DataFrame) -> list[dict]:
    problems = []
    for column in PROVENANCE_COLUMNS:
        empty = df[column].isna() | (df[column].astype(str).str.strip() == "")
        for index in df.index[empty]:
            problems.append(_problem(df, index, column, "provenance is empty"))
    return problems


def _value_problems(df: pd.DataFrame) -> list[dict]:
    problems = []
    censored = df["obs_status"] == "censored"
    for index in df.index[df["value"].isna() & ~censored]:
        problems.append(_problem(df, index, "value", "empty but not censored"))
    no_text = df[VALUE_TEXT].isna() | (df[VALUE_TEXT].astype(str).str.strip() == "")
    for index in df.index[censored & no_text]:
        problems.append(_problem(df, index, VALUE_TEXT, "censored without the published value"))
    counts = df["unit"].isin(additive_units())
    # a custodian's own net figure below zero (IOM's corrections) passes when its note says so
    note = df["note"] if "note" in df.columns else pd.Series("", index=df.index)
    as_published = note.astype(str).str.contains(INCONSISTENT_AS_PUBLISHED, regex=False)
    for index in df.index[counts & (df["value"] < 0) & ~as_published]:
        problems.append(_problem(df, index, "value", "negative count"))
    return problems


def parts_over_total(df: pd.DataFrame) -> pd.DataFrame:
    """Parts larger than their total, for counts: obs_row, obs_value, total_value.

    A part is a row with a sex, age or detail breakdown; its total is the row with the same
    other keys whose sex and age are "total". Censored values are not compared.
    """
    counts = df[df["unit"].isin(additive_units()) & df["value"].notna()]
    if counts.empty:
        return pd.DataFrame(columns=["obs_row", "obs_value", "total_value"])
    base = [c for c in key_columns(counts) if c not in ("sex", "age", *DETAIL_COLUMNS)]
    keyed = counts[base].fillna("").astype(str)
    frame = keyed.assign(obs_value=counts["value"], obs_row=counts.index)
    total_mask = _is_total(counts).to_numpy()
    totals = frame[total_mask].groupby(base, sort=False).agg(
        total_value=("obs_value", "max"), total_n=("obs_value", "size")).reset_index()
    totals = totals[totals["total_n"] == 1]  # duplicated totals: see _duplicate_problems
    parts = frame[~total_mask].merge(totals, on=base, how="inner")
    bad = parts[parts["obs_value"] > parts["total_value"] + TOLERANCE]
    return bad[["obs_row", "obs_value", "total_value"]].reset_index(drop=True)


def flag_published_inconsistencies(obs: pd.DataFrame, custodian: str) -> int:
    """Note, in place, every part a custodian publishes larger than its total; return how many.

    For adapters that relay published values one to one: the numbers stay as published and
    reach the reader with this note, and the totals check accepts them. Adapters that add
    values up themselves must make their sums consistent instead.
    """
    bad = parts_over_total(obs)
    for row in bad.itertuples():
        text = (f"{custodian} publishes this part ({row.obs_value:g}) larger than its total "
                f"({row.total_value:g}); {INCONSISTENT_AS_PUBLISHED}")
        old = obs.at[row.obs_row, "note"]
        obs.at[row.obs_row, "note"] = f"{old}; {text}" if old else text
    return len(bad)


def _totals_problems(df: pd.DataFrame) -> list[dict]:
    """Every part no larger than its total, unless noted as inconsistent as published."""
    bad = parts_over_total(df)
    problems = []
    for row in bad.itertuples():
        if INCONSISTENT_AS_PUBLISHED in str(df.at[row.obs_row, "note"]):
            continue
        problems.append(_problem(df, row.obs_row, "value",
                                 f"part {row.obs_value:g} larger than its total "
                                 f"{row.total_value:g}"))
    return problems


def _duplicate_problems(df: pd.DataFrame) -> list[dict]:
    keys = key_columns(df)
    dup = df[keys].fillna("").astype(str).duplicated(keep="first")
    return [_problem(df, index, "indicator", "same key as an earlier row")
            for index in df.index[dup.to_numpy()]]


def check_observations(df: pd.DataFrame) -> None:
    """Raise SanityError listing every problem in `df`; return None if there is none.

    No negative counts; sex, age and obs_status in the contract's vocabulary; no part
    (female, male, child, adult, other or unknown sex, an age band) larger than its total
    for the same other keys; provenance non-empty on every row; empty values only when
    censored; no key twice.
    """
    problems = _column_problems(df)
    if problems:
        raise SanityError(problems)
    for check in (_vocabulary_problems, _provenance_problems, _value_problems,
                  _totals_problems, _duplicate_problems):
        problems.extend(check(df))
    if problems:
        raise SanityError(problems)


# --- published figures ----------------------------------------------------------------------


def figure_value(df: pd.DataFrame, indicator: str, year: str, where: dict) -> float:
    """The sum of an indicator's total rows (sex and age total) for `year` and `where`."""
    rows = df[(df["indicator"] == indicator) & (df["year"] == str(year)) & _is_total(df)]
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted] if column in rows.columns else rows.iloc[0:0]
    return float(rows["value"].sum())


def check_published_figures(df: pd.DataFrame) -> list[dict]:
    """Compare `df` with the published figures of its vintage; raise SanityError on a miss.

    Returns the figures checked (indicator, year, where, expected, found).
    """
    figures = published_figures()
    checked, problems = [], []
    if figures.empty or df.empty:
        return checked
    vintages = set(df["vintage"].unique())
    indicators = set(df["indicator"].unique())
    for fig in figures[figures["check"]].itertuples():
        if fig.indicator not in indicators or fig.vintage not in vintages:
            continue
        rows = df[df["vintage"] == fig.vintage]
        found = figure_value(rows, fig.indicator, fig.year, fig.where)
        checked.append({"indicator": fig.indicator, "year": fig.year, "where": fig.where,
                        "expected": fig.value, "found": found})
        if abs(found - float(fig.value)) > TOLERANCE:
            problems.append({"file": str(rows["file"].iloc[0]), "row": "-",
                             "indicator": fig.indicator, "column": "value", "value": found,
                             "reason": f"{fig.year} {fig.where}: published figure is "
                                       f"{fig.value:,} ({fig.reference})"})
    if problems:
        raise SanityError(problems)
    return checked


__all__ = ["SanityError", "check_observations", "check_published_figures", "figure_value",
           "is_dimension"]
