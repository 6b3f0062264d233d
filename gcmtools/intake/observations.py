"""Indicator observations in the contract's layout: a CSV in, a typed table and its problems out.

This is for observation tables that already follow the contract (written by `gcmtools ingest`
or by hand); custodians' own files are read by gcmtools.sources. Checks are vectorised pandera
checks, so a million rows validate in about a second.
"""

from __future__ import annotations

from pathlib import Path

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


def schema() -> pa.DataFrameSchema:
    """The observation schema, made from the contract."""
    voc = contract.vocabulary
    checks = {
        "indicator": [pa.Check(_matches(r"^[a-z][a-z0-9_]*$"), error="indicator id in lower snake case")],
        "geo": [pa.Check(_matches(GEO_PATTERN), error="ISO3 code or aggregate code")],
        "year": [pa.Check(_matches(YEAR_PATTERN), error="a year (2020) or a period (2001 to 2010)")],
        "value": [pa.Check(_value_ok, error="a number (empty only when obs_status is censored)")],
        "unit": [pa.Check(_matches(r"\S"), error="unit is required")],
        "sex": [pa.Check(_among(voc("sex")), error=f"one of {', '.join(voc('sex'))}")],
        "age": [pa.Check(_among(voc("age")), error=f"one of {', '.join(voc('age'))}")],
        "source": [pa.Check(_matches(r"\S"), error="source is required")],
        "obs_status": [pa.Check(_among(("",) + voc("obs_status")), error=f"one of {', '.join(voc('obs_status'))}")],
    }
    cols = {}
    for spec in contract.columns("observations"):
        if spec.name == "value":
            cols[spec.name] = pa.Column(None, checks=checks["value"], required=True)
        else:
            cols[spec.name] = pa.Column(None, checks=checks.get(spec.name, []), required=spec.required,
                                        nullable=False)
    return pa.DataFrameSchema(cols, strict=False)


def _matches(pattern: str):
    """A check that tests the pattern once per distinct value (columns repeat a few values)."""
    def check(s: pd.Series) -> pd.Series:
        uniques = pd.Series(pd.unique(s), dtype=object)
        good = uniques[uniques.astype(str).str.match(pattern)]
        return s.isin(good)

    return check


def _among(allowed: tuple[str, ...]):
    return lambda s: s.isin(allowed)


def _value_ok(s: pd.Series) -> pd.Series:
    numeric = pd.to_numeric(s, errors="coerce")
    return numeric.notna() | (s == "")


def validate_observations(df: pd.DataFrame, file: str = "") -> pd.DataFrame:
    """Every problem of an observation table (file, row as in a spreadsheet, column, value, reason)."""
    missing = [c for c in contract.required_columns("observations") if c not in df.columns]
    if missing:
        return pd.DataFrame([(file, 1, c, "", f"required column {c!r} is missing") for c in missing],
                            columns=PROBLEM_COLUMNS)
    frame = df.copy()
    if "obs_status" not in frame.columns:
        frame["obs_status"] = ""
    try:
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
    censored_empty = (frame["value"] == "") & (frame["obs_status"] != "censored")
    extra = pd.DataFrame({"file": file, "row": frame.index[censored_empty] + 2, "column": "value",
                          "value": "", "reason": "value is empty but obs_status is not censored"})
    out = pd.concat([problems, extra], ignore_index=True) if len(extra) else problems
    return out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
