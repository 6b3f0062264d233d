"""Indicator observations in the contract's layout: a CSV in, a typed table and its problems out.

This is for observation tables that already follow the contract (written by `gcmtools ingest`
or by hand); custodians' own files are read by gcmtools.sources. Checks are vectorised pandera
checks, so a million rows validate in about a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from gcmtools.catalogue import contract

GEO_PATTERN = r"^(?:[A-Z]{3}|[A-Z][A-Z0-9_]{1,15})$"
YEAR_PATTERN = r"^\d{4}(?: to \d{4})?$"
PROBLEM_COLUMNS = ["file", "row", "column", "value", "reason"]


def read_observations(path: str | Path) -> pd.DataFrame:
    """Read an observation CSV: every column as text except `value` (numbers).

    pyarrow's CSV reader is used where pyarrow is installed (it is optional, not a dependency:
    it reads a million rows faster); pandas' own C reader otherwise.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                     engine="pyarrow" if _has_pyarrow() else "c")
    return df


def _has_pyarrow() -> bool:
    """True if the optional pyarrow is installed."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _checks() -> dict[str, list[tuple]]:
    """Each column's checks: (a function of a Series giving one boolean per value, its error)."""
    voc = contract.vocabulary
    return {
        "indicator": [(_matches(r"^[a-z][a-z0-9_]*$"), "indicator id in lower snake case")],
        "geo": [(_matches(GEO_PATTERN), "ISO3 code or aggregate code")],
        "year": [(_matches(YEAR_PATTERN), "a year (2020) or a period (2001 to 2010)")],
        "value": [(_value_ok, "a number (empty only when obs_status is censored)")],
        "unit": [(_matches(r"\S"), "unit is required")],
        "sex": [(_among(voc("sex")), f"one of {', '.join(voc('sex'))}")],
        "age": [(_among(voc("age")), f"one of {', '.join(voc('age'))}")],
        "source": [(_matches(r"\S"), "source is required")],
        "obs_status": [(_among(("",) + voc("obs_status")), f"one of {', '.join(voc('obs_status'))}")],
    }


def schema() -> pa.DataFrameSchema:
    """The observation schema, made from the contract."""
    checks = {name: [pa.Check(fn, error=error) for fn, error in found] for name, found in _checks().items()}
    cols = {}
    for spec in contract.columns("observations"):
        if spec.name == "value":
            cols[spec.name] = pa.Column(None, checks=checks["value"], required=True)
        else:
            cols[spec.name] = pa.Column(None, checks=checks.get(spec.name, []), required=spec.required,
                                        nullable=False)
    return pa.DataFrameSchema(cols, strict=False)


def _passes(frame: pd.DataFrame, found: dict | None = None) -> bool:
    """True when schema() has nothing to report on `frame`: every column it requires present,
    no cell NA, every distinct value of a column passing its checks (the checks are of one
    value at a time). Found once per distinct value, where pandera asks each column for its
    NAs once per check (a third of a second a million rows, each time); when False, pandera
    says what fails. A column without checks is only looked at for NAs. Each checked column's
    codes and distinct values are left in `found` (a dict by column) for the caller."""
    checks = _checks()
    found = {} if found is None else found
    for spec in contract.columns("observations"):
        if spec.name not in frame.columns:
            if spec.required or spec.name == "value":
                return False
            continue
        if spec.name not in checks:
            if frame[spec.name].isna().any():
                return False
            continue
        codes, uniques = found[spec.name] = _factorize(np.asarray(frame[spec.name], dtype=object))
        if (codes < 0).any():
            return False
        distinct = pd.Series(uniques, dtype=object)
        if not all(np.asarray(fn(distinct), dtype=bool).all() for fn, _ in checks[spec.name]):
            return False
    return True


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize(values); a column of one value (a file's unit or source, often) found by
    comparing every cell with the first, at C speed, without hashing them."""
    try:
        if len(values) and isinstance(values[0], str) and (values[:1000] == values[0]).all() \
                and (values == values[0]).all():
            return np.zeros(len(values), dtype=np.intp), values[:1].copy()
    except TypeError:  # a pd.NA among the cells (a nullable string column): its truth is ambiguous
        pass
    return pd.factorize(values)


def _censored_empty(frame: pd.DataFrame, found: dict):
    """`(frame["value"] == "") & (frame["obs_status"] != "censored")`: from the two columns'
    codes when `found` (_passes) has them and neither holds an NA, at C speed."""
    known = [found.get(c) for c in ("value", "obs_status")]
    if any(f is None or (f[0] < 0).any() for f in known):
        return (frame["value"] == "") & (frame["obs_status"] != "censored")
    (value_codes, values), (status_codes, statuses) = known
    return (values == "")[value_codes] & (statuses != "censored")[status_codes]


def _per_distinct(series: pd.Series, ok) -> pd.Series:
    """`ok` (a function of a Series of distinct values, giving booleans) answered for every
    row: computed once per distinct value (columns repeat a few values) and spread back."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    good = np.asarray(ok(pd.Series(uniques, dtype=object)), dtype=bool)
    return pd.Series(good[codes], index=series.index)


def _matches(pattern: str):
    """A check that tests the pattern once per distinct value."""
    return lambda s: _per_distinct(s, lambda u: u.astype(str).str.match(pattern))


def _among(allowed: tuple[str, ...]):
    return lambda s: _per_distinct(s, lambda u: u.isin(allowed))


def _value_ok(s: pd.Series) -> pd.Series:
    return _per_distinct(s, lambda u: pd.to_numeric(u, errors="coerce").notna() | (u == ""))


def validate_observations(df: pd.DataFrame, file: str = "") -> pd.DataFrame:
    """Every problem of an observation table (file, row as in a spreadsheet, column, value, reason)."""
    missing = [c for c in contract.required_columns("observations") if c not in df.columns]
    if missing:
        return pd.DataFrame([(file, 1, c, "", f"required column {c!r} is missing") for c in missing],
                            columns=PROBLEM_COLUMNS)
    frame = df if "obs_status" in df.columns else df.assign(obs_status="")  # never changed in place
    found: dict = {}  # the columns _passes factorised
    try:
        if not _passes(frame, found):
            schema().validate(frame, lazy=True)
        problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
    except SchemaErrors as err:
        fc = err.failure_cases.dropna(subset=["index"])
        problems = pd.DataFrame({
            "file": file,
            "row": fc["index"].astype(int) + 2,
            "column": fc["column"],
            "value": fc["failure_case"].astype(str),
            "reason": fc["check"].astype(str),
        })
    censored_empty = _censored_empty(frame, found)
    extra = pd.DataFrame({"file": file, "row": frame.index[censored_empty] + 2, "column": "value",
                          "value": "", "reason": "value is empty but obs_status is not censored"})
    out = pd.concat([problems, extra], ignore_index=True) if len(extra) else problems
    return out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
