"""The practices schema as a pandera DataFrameSchema built from the contract.

In: a table of text cells (whitespace trimmed) with the contract's columns. Out: every failing
cell as a row of a problems table (index, column, value, reason), found in one lazy pass.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from gcmtools import catalogue
from gcmtools.catalogue import contract
from gcmtools.catalogue.contract import ColumnSpec

SEP = contract.LIST_SEPARATOR
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|(?:javascript|vbscript|data|file|mailto):)", re.I)
_HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.I)
_YEAR = re.compile(r"^\d{4}$")
_INT = re.compile(r"^\d+$")
QUESTIONS = tuple(str(n) for n in range(1, 7))


def split_list(value: str) -> list[str]:
    """'ARM; GEO;' -> ['ARM', 'GEO']: a contract list split on ';', blanks dropped."""
    return [t.strip() for t in str(value).split(SEP) if t.strip()]


def country_code(token: str) -> str | None:
    """ISO3 for a country token, the aggregate code for UNECE-like tokens, or None."""
    return catalogue.aggregate_code(token) or catalogue.resolve_country(token)


# --- token checks: each returns None when the token is valid, else the reason ------------


def _check_objective(token: str) -> str | None:
    if not _INT.match(token):
        return f"objective {token!r} is not a number (GCM objectives are 1-23)"
    if not 1 <= int(token) <= 23:
        return f"objective {token} is outside 1-23"
    return None


def _check_question(token: str) -> str | None:
    if token not in QUESTIONS:
        return f"guiding question {token!r} is not one of 1-6"
    return None


def _check_country(token: str) -> str | None:
    if country_code(token) is None:
        return f"country {token!r} cannot be resolved to an ISO3 code"
    return None


def _vocabulary_check(spec: ColumnSpec) -> Callable[[str], str | None]:
    allowed = spec.allowed_values()

    def check(token: str) -> str | None:
        if token in allowed:
            return None
        close = difflib.get_close_matches(token.lower().replace(" ", "_").replace("-", "_"),
                                          [a.replace("-", "_") for a in allowed], n=1, cutoff=0.6)
        hint = ""
        if close:
            hint = f" (did you mean {allowed[[a.replace('-', '_') for a in allowed].index(close[0])]!r}?)"
        return f"{token!r} is not a valid value for {spec.name}{hint}"

    return check


def _check_year(token: str) -> str | None:
    top = contract.year_max()
    if not _YEAR.match(token) or not contract.YEAR_MIN <= int(token) <= top:
        return f"year {token!r} is not a year from {contract.YEAR_MIN} to {top}"
    return None


def _check_ref(token: str) -> str | None:
    if _URL_LIKE.match(token) and not _HTTP_URL.match(token):
        return f"source_ref {token[:80]!r} is a link but not an http(s) URL"
    return None


def token_check(spec: ColumnSpec) -> Callable[[str], str | None] | None:
    """The function that explains what is wrong with one value of `spec`'s column, if any."""
    if spec.kind == "objective":
        return _check_objective
    if spec.kind == "question":
        return _check_question
    if spec.kind == "country":
        return _check_country
    if spec.kind in ("vocabulary", "principle", "yes_no"):
        return _vocabulary_check(spec)
    if spec.kind == "year":
        return _check_year
    if spec.kind == "url_or_ref":
        return _check_ref
    return None


# --- the pandera schema ---------------------------------------------------------------------


def map_unique(series: pd.Series, fn: Callable) -> pd.Series:
    """`series.map(fn)` computing `fn` once per distinct value (lists of codes repeat a lot)."""
    uniques = pd.unique(series)
    return series.map(dict(zip(uniques, map(fn, uniques))))


def _vectorised(spec: ColumnSpec, check: Callable[[str], str | None]) -> Callable[[pd.Series], pd.Series]:
    """A column check over a Series: each distinct cell is checked once (fast on 100k rows)."""
    tokens_of = split_list if spec.multi else (lambda v: [v] if v else [])

    def cell_ok(value: str) -> bool:
        return all(check(t) is None for t in tokens_of(value))

    def run(series: pd.Series) -> pd.Series:
        return map_unique(series, cell_ok).astype(bool)

    return run


def practices_schema() -> pa.DataFrameSchema:
    """The pandera schema of the practices table, made from the contract's column specs."""
    cols = {}
    for spec in contract.columns("practices"):
        checks = []
        if spec.required:
            checks.append(pa.Check(lambda s: s != "", name="required", error="required"))
        fn = token_check(spec)
        if fn is not None:
            checks.append(pa.Check(_vectorised(spec, fn), name=spec.kind, error=spec.kind))
        if spec.kind == "id":
            checks.append(pa.Check(lambda s: (s == "") | ~s.duplicated(keep="first"),
                                   name="unique", error="unique"))
        cols[spec.name] = pa.Column(object, checks=checks, nullable=False, required=True)
    return pa.DataFrameSchema(
        cols,
        checks=[pa.Check(_years_in_order, name="year_order", error="year_order")],
        strict=False,
    )


def _years_in_order(df: pd.DataFrame) -> pd.Series:
    start = pd.to_numeric(df["year_start"].where(df["year_start"].str.match(r"^\d{4}$")), errors="coerce")
    end = pd.to_numeric(df["year_end"].where(df["year_end"].str.match(r"^\d{4}$")), errors="coerce")
    return ~(start.notna() & end.notna() & (end < start))


def find_problems(frame: pd.DataFrame) -> pd.DataFrame:
    """Every problem in `frame` (all contract columns present, text trimmed), in one pass.

    Returns columns: index (of frame), column, value, reason. Several problems of one cell
    (say, two unknown countries) are one row with both reasons.
    """
    try:
        practices_schema().validate(frame, lazy=True)
        return pd.DataFrame(columns=["index", "column", "value", "reason"])
    except SchemaErrors as err:
        cases = err.failure_cases
    specs = {s.name: s for s in contract.columns("practices")}
    out = []
    for case in cases.itertuples(index=False):
        idx = case.index
        if idx is None or pd.isna(idx):
            continue  # schema-level cases (none expected: every column is present)
        idx = int(idx)
        if case.check == "year_order":
            if case.column != "year_end":
                continue  # a frame-wide check lists every column of the row: report it once
            out.append((idx, "year_end", frame.at[idx, "year_end"],
                        f"year_end {frame.at[idx, 'year_end']} is before year_start {frame.at[idx, 'year_start']}"))
            continue
        column = case.column
        value = frame.at[idx, column]
        out.append((idx, column, value, _explain(specs[column], str(case.check), value, frame, idx)))
    problems = pd.DataFrame(out, columns=["index", "column", "value", "reason"])
    return problems.drop_duplicates(["index", "column", "reason"])


def _explain(spec: ColumnSpec, check: str, value: str, frame: pd.DataFrame, idx: int) -> str:
    """The reason a person reads for one failing cell."""
    if check.startswith("required"):
        return f"{spec.name} is required but empty"
    if check.startswith("unique"):
        first = frame.index[(frame[spec.name] == value)][0]
        return f"practice_id {value!r} duplicates an earlier row ({frame.at[first, '_where']})"
    fn = token_check(spec)
    tokens = split_list(value) if spec.multi else [value]
    reasons = [r for r in (fn(t) for t in tokens) if r] if fn else []
    hint = ""
    if spec.multi and "," in value and fn and all(fn(t.strip()) is None for t in value.split(",")):
        hint = " (separate several values with ';', not ',')"
    return ("; ".join(reasons) or f"invalid {spec.name}") + hint
