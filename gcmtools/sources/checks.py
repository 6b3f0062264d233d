"""Observations in; every sanity problem found, raised at once as a SanityError (or nothing).

Checks: the fixed columns are there; sex, age and obs_status are in the contract's
vocabulary; provenance is filled on every row; a missing value is censored; counts are not
negative; no total is smaller than one of its parts; no key appears twice; and the figures
custodians published (reference/indicators.yaml) are reproduced.

The totals-vs-parts rule lives here, with its tolerance, for every layer above: a total may
not be smaller than one of its parts (parts_over_total) nor than the sum of a pair of parts
that make it up, female + male or children + adults (totals_below_parts). An adapter that
relays a custodian's values one to one notes such totals as the custodian publishes them
(flag_published_inconsistencies); the analysis reads the note (gcmtools.analysis.select).
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
from gcmtools.sources.vocab import per_distinct

SHOW = 20  # problems printed in the message; all are kept in SanityError.problems
NOT_KEYS = {"value", VALUE_TEXT, "obs_status", "note", "file", "flag", "total_check"}
TOLERANCE = 0.5  # counts are whole numbers: a total may not fall short of its parts by more
PUBLISHED_TOLERANCE = 1e-6  # a custodian's published figure is reproduced exactly
INCONSISTENT_AS_PUBLISHED = "kept as published"
PAIRS = {"sex": ("female", "male"), "age": ("child", "adult")}  # parts that make up a total
PAIR_LABELS = {"sex": "female + male", "age": "children + adults"}
REPEAT = "repeat"  # copies of a key a source publishes more than once: 1, 2, ... ("" if once)


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
        # once per distinct value: provenance is the same on every row of a file
        distinct = df[column].unique()
        if not any(pd.isna(v) or str(v).strip() == "" for v in distinct):
            continue  # nothing blank: no row to name (the usual case, without a Series' cost)
        values = pd.Series(distinct, dtype=object)
        blank = values[values.isna() | (values.astype(str).str.strip() == "")]
        empty = df[column].isna() | df[column].isin(blank) if len(blank) else df[column].isna()
        for index in df.index[empty]:
            problems.append(_problem(df, index, column, "provenance is empty"))
    return problems


def _value_problems(df: pd.DataFrame) -> list[dict]:
    problems = []
    censored = df["obs_status"] == "censored"
    for index in df.index[df["value"].isna() & ~censored]:
        problems.append(_problem(df, index, "value", "empty but not censored"))
    no_text = df[VALUE_TEXT].isna() | per_distinct(df[VALUE_TEXT].astype(str),
                                                   lambda t: t.str.strip() == "")
    for index in df.index[censored & no_text]:
        problems.append(_problem(df, index, VALUE_TEXT, "censored without the published value"))
    counts = df["unit"].isin(additive_units())
    # a custodian's own net figure below zero (IOM's corrections) passes when its note says so
    note = df["note"] if "note" in df.columns else pd.Series("", index=df.index)
    as_published = per_distinct(note.astype(str), _noted_as_published)
    for index in df.index[counts & (df["value"] < 0) & ~as_published]:
        problems.append(_problem(df, index, "value", "negative count"))
    return problems


def _noted_as_published(notes: pd.Series) -> pd.Series:
    return notes.str.contains(INCONSISTENT_AS_PUBLISHED, regex=False)


def parts_over_total(df: pd.DataFrame) -> pd.DataFrame:
    """Parts larger than their total, for counts: obs_row, obs_value, total_value.

    A part is a row with a sex, age or detail breakdown; its total is the row with the same
    other keys whose sex and age are "total". Censored values are not compared.
    """
    counts = df[df["unit"].isin(additive_units()) & df["value"].notna()]
    if counts.empty:
        return pd.DataFrame(columns=["obs_row", "obs_value", "total_value"])
    base = [c for c in key_columns(counts) if c not in ("sex", "age", *DETAIL_COLUMNS)]
    # each row's key (its other key columns, as text) as one number, found once
    group = counts[base].fillna("").astype(str).groupby(base, sort=False).ngroup().to_numpy()
    total_mask = _is_total(counts).to_numpy()
    value = counts["value"]
    totals = value[total_mask].groupby(group[total_mask]).agg(["max", "size"])
    total_of = totals.loc[totals["size"] == 1, "max"]  # duplicated totals: _duplicate_problems
    parts, part_group = value[~total_mask], group[~total_mask]
    has_total = pd.Index(total_of.index).get_indexer(part_group)
    parts, has_total = parts[has_total >= 0], has_total[has_total >= 0]
    total_value = total_of.to_numpy()[has_total]
    bad = parts.to_numpy() > total_value + TOLERANCE
    return pd.DataFrame({"obs_row": parts.index[bad], "obs_value": parts.to_numpy()[bad],
                         "total_value": total_value[bad]})


def totals_below_parts(obs: pd.DataFrame) -> list[dict]:
    """Every total smaller than the sum of a pair of its parts, for counts (censored cells aside).

    Pairs (PAIRS): female + male at age total, children + adults at sex total, each part
    alone possibly within the total. The key is every other key column (key_columns, without
    sex, age and their detail columns, which must be empty or "total", and without REPEAT: a
    part published in several copies of its key counts where one copy alone has a value).
    Each finding: `row` (the total's index in `obs`), `where` (indicator, geo, year and the other breakdowns not at
    their total), `dim`, `total`, `parts` ({part: value}) and `noted` (a row of the key, at the
    other breakdown's total, is noted INCONSISTENT_AS_PUBLISHED by its adapter).
    """
    counts = obs[obs["value"].notna() & obs["unit"].isin(additive_units())]
    found = []
    for dim, parts in PAIRS.items():
        other = "age" if dim == "sex" else "sex"
        mine = counts[counts[other] == "total"]
        for detail in DETAIL_COLUMNS:
            if detail in mine.columns:
                mine = mine[mine[detail].fillna("").astype(str).isin(["", "total"])]
        if mine.empty:
            continue
        keys = [c for c in key_columns(mine) if c not in ("sex", "age", REPEAT, *DETAIL_COLUMNS)]
        found += _pair_findings(mine, keys, dim, parts)
    return found


def _pair_findings(mine: pd.DataFrame, keys: list[str], dim: str,
                   parts: tuple[str, str]) -> list[dict]:
    """totals_below_parts for one pair, over rows at the other breakdown's total."""
    noted = (per_distinct(mine["note"].astype(str), _noted_as_published)
             if "note" in mine.columns else pd.Series(False, index=mine.index))
    frame = mine[keys].fillna("").astype(str).assign(
        _dim=mine[dim].astype(str), _v=mine["value"], _row=mine.index, _noted=noted)
    in_pair = frame[frame["_dim"].isin(parts)]
    # each part's sum and count by key, in one groupby (two pivot_tables took 4 times as long)
    grouped = in_pair.groupby(keys + ["_dim"], sort=True)["_v"].agg(["sum", "count"])
    sums = grouped["sum"].unstack("_dim")
    if not set(parts) <= set(sums.columns):
        return []
    # each part once: a part valued in two copies of its key has no single value to add
    once = grouped["count"].unstack("_dim")
    sums = sums.loc[(once[list(parts)] == 1).all(axis=1), list(parts)]
    totals = frame[frame["_dim"] == "total"].merge(sums.reset_index(), on=keys, how="inner")
    bad = totals[totals["_v"] + TOLERANCE < totals[list(parts)].sum(axis=1)]
    if bad.empty:
        return []
    # whether any row of a found key is noted as published (asked only when one is found)
    key_noted = frame.groupby(keys)["_noted"].any().rename("_key_noted").reset_index()
    bad = bad.merge(key_noted, on=keys, how="left")
    shown = [k for k in keys if k in ("indicator", "geo", "year") or is_dimension(k)]
    return [{"row": r["_row"], "dim": dim, "total": float(r["_v"]),
             "where": {k: r[k] for k in shown if r[k] not in ("", "total")},
             "parts": {p: float(r[p]) for p in parts},
             "noted": bool(r["_key_noted"])} for r in bad.to_dict("records")]


def flag_published_inconsistencies(obs: pd.DataFrame, custodian: str) -> int:
    """Note, in place, every part a custodian publishes larger than its total, and every total
    it publishes smaller than a pair of its parts (totals_below_parts); return how many.

    For adapters that relay published values one to one: the numbers stay as published and
    reach the reader with this note, and the totals checks accept them. Adapters that add
    values up themselves must make their sums consistent instead.
    """
    bad = parts_over_total(obs)
    for row in bad.itertuples():
        _note(obs, row.obs_row, f"{custodian} publishes this part ({row.obs_value:g}) larger "
              f"than its total ({row.total_value:g}); {INCONSISTENT_AS_PUBLISHED}")
    pairs = totals_below_parts(obs)
    for b in pairs:
        _note(obs, b["row"], f"{custodian} publishes {PAIR_LABELS[b['dim']]} "
              f"({sum(b['parts'].values()):g}) larger than this total ({b['total']:g}); "
              f"{INCONSISTENT_AS_PUBLISHED}")
    return len(bad) + len(pairs)


def _note(obs: pd.DataFrame, row: object, text: str) -> None:
    old = obs.at[row, "note"]
    obs.at[row, "note"] = f"{old}; {text}" if old else text


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
        if abs(found - float(fig.value)) > PUBLISHED_TOLERANCE:
            problems.append({"file": str(rows["file"].iloc[0]), "row": "-",
                             "indicator": fig.indicator, "column": "value", "value": found,
                             "reason": f"{fig.year} {fig.where}: published figure is "
                                       f"{fig.value:,} ({fig.reference})"})
    if problems:
        raise SanityError(problems)
    return checked


__all__ = ["SanityError", "check_observations", "check_published_figures", "figure_value",
           "is_dimension"]
