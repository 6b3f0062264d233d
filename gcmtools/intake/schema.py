"""The practices schema as a pandera DataFrameSchema built from the contract and the review.

In: a table of text cells (whitespace trimmed) with the contract's columns, and the review
whose guiding questions the practices may name. Out: every failing cell as a row of a problems
table (index, column, value, rule, reason, advice; the rules are intake.rules), found in one
lazy pass.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from gcmtools import catalogue
from gcmtools.catalogue import Review, contract, gcm
from gcmtools.catalogue.contract import ColumnSpec
from gcmtools.intake import rules
from gcmtools.intake.rules import Problem

SEP = contract.LIST_SEPARATOR
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|(?:javascript|vbscript|data|file|mailto):)", re.I)
_HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.I)
_YEAR = re.compile(r"^[0-9]{4}$")  # ASCII digits: "２０１９" and "٢٠١٩" are not years here
_INT = re.compile(r"^[0-9]+$")
# a web address without its scheme ("www.example.org/report"): a link, not a document reference
_WWW = re.compile(r"^www\.[^\s/?#]+\.[^\s/?#]+", re.I)
# several references in one source_ref: separated by ';' or by new lines
_REF_SEPARATORS = re.compile(r"[;\r\n]+")
# an objective written as words: "Objective 13", "GCM objective no. 13", "Objectif 13", "Цель 13"
_OBJECTIVE_WORDS = re.compile(
    r"^(?:gcm\s+)?(?:objective|objectif|цель)\s*(?:no\.?|n°|nº|№|#)?\s*([0-9]{1,2})$", re.I)
# the problems of cells, before they are traced to files and rows
CELL_COLUMNS = ["index", "column", "value", "rule", "reason", "advice"]

Check = Callable[[str], Problem | None]


def split_list(value: str) -> list[str]:
    """'ARM; GEO;' -> ['ARM', 'GEO']: a contract list split on ';', blanks dropped."""
    return [t.strip() for t in str(value).split(SEP) if t.strip()]


def country_code(token: str) -> str | None:
    """ISO3 for a country token, the aggregate code for UNECE-like tokens, or None: exact names
    and codes only (a close name is a suggestion, never a resolution)."""
    return catalogue.aggregate_code(token) or catalogue.resolve_country(token, fuzzy=False)


_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# letters of other scripts that look like Latin ones (Unicode's confusables, the ones of Cyrillic
# and Greek that a keyboard layout gives)
_CONFUSABLE = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧονρ",
    "ABESIJKMHOPCTXYaeijopcxysdhqwABEZHIKMNOPTYXovp")


def id_key(value: str) -> str:
    """practice_id as compared for duplicates (a skeleton, as Unicode's confusables check makes
    one): NFKC, invisible characters dropped, Cyrillic and Greek letters that look Latin read as
    the Latin they look like ('GСM-1' with a Cyrillic С is 'GCM-1')."""
    import unicodedata

    text = str(value)
    if text.isascii():  # NFKC, the invisible and the look-alike characters leave ASCII as it is
        return text
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_CONFUSABLE)


def id_keys(ids: pd.Series) -> pd.Series:
    """id_key of every cell: the cells themselves when all are ASCII text (found at C speed over
    them joined: id_key leaves ASCII as it is), else each distinct cell's id_key."""
    values = ids.tolist()
    if _ascii_text(values):
        return pd.Series(values, index=ids.index, name=ids.name, dtype=object)
    return map_unique(ids, id_key)


def _ascii_text(values: list) -> bool:
    """True when every value is text and all of it ASCII."""
    try:
        return "".join(values).isascii()
    except TypeError:  # a value that is not text
        return False


def tokens(spec: ColumnSpec, value: str) -> list[str]:
    """The values of one cell that are checked one by one: a list column's, split on ';'; a
    source_ref's references, split on ';' or new lines; else the cell itself."""
    if spec.multi:
        return split_list(value)
    if spec.kind == "url_or_ref":
        return [t.strip() for t in _REF_SEPARATORS.split(value) if t.strip()]
    return [value] if value else []


# --- normalisation: an unambiguous form of a valid value, read as that value and reported ----

NOTE_COLUMNS = ["index", "column", "value", "normalised", "note"]


def normalised_token(spec: ColumnSpec, token: str) -> tuple[str, str] | None:
    """(value, note) when `token` is an unambiguous other form of one valid value of `spec`'s
    column: a vocabulary value in other letter case ('No' -> 'no', 'Ongoing' -> 'ongoing'), or
    an objective written as words ('Objective 13' -> '13': the number is written out, only
    the word around it differs). Else None (a suggestion, if any, is the check's)."""
    if spec.kind in ("vocabulary", "principle", "yes_no"):
        allowed = spec.allowed_values()
        if token in allowed:
            return None
        same = [a for a in allowed if a.casefold() == token.casefold()]
        return (same[0], "letter case") if same else None
    if spec.kind == "objective":
        m = _OBJECTIVE_WORDS.match(token.strip())
        if m and int(m.group(1)) in catalogue.objective_numbers():
            return str(int(m.group(1))), "objective written as words"
    return None


def _normalise_cell(spec: ColumnSpec, value: str) -> tuple[str, list[str]]:
    """A cell with each normalisable value replaced, and the notes saying what was read how."""
    parts = split_list(value) if spec.multi else [value]
    out, notes = [], []
    for token in parts:
        found = normalised_token(spec, token)
        if found:
            notes.append(f"{token!r} read as {found[0]!r} ({found[1]})")
        out.append(found[0] if found else token)
    return (f"{SEP} ".join(out) if notes else value), notes


def normalise_cells(frame: pd.DataFrame, distinct: Distinct | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`frame` with every unambiguous other form of a valid value read as that value, and a
    note per changed cell (NOTE_COLUMNS: index, column, value as submitted, normalised, note).
    The submitted frame is not changed. `distinct`: frame's columns factorised, if known."""
    out, notes = frame, []
    for spec in contract.columns("practices"):
        if spec.kind not in ("vocabulary", "principle", "yes_no", "objective") or spec.name not in frame:
            continue
        # each distinct cell once: a million rows hold a few distinct values per column
        codes, uniques = distinct(spec.name) if distinct is not None else ([], [])
        if distinct is None or (codes < 0).any():  # NA kept among the distinct values
            uniques = pd.unique(frame[spec.name])
        found = {v: done for v in uniques if (done := _normalise_cell(spec, v))[1]}
        if not found:
            continue
        if out is frame:
            out = frame.copy()
        changed = frame[spec.name].isin(list(found))
        out.loc[changed, spec.name] = frame.loc[changed, spec.name].map(lambda v: found[v][0])
        notes += [(idx, spec.name, v, found[v][0], "; ".join(found[v][1]))
                  for idx, v in frame.loc[changed, spec.name].items()]
    return out, pd.DataFrame(notes, columns=NOTE_COLUMNS)


# --- token checks: each returns None when the token is valid, else the rule's problem -------


def _objective_check() -> Check:
    numbers = catalogue.objective_numbers()
    known, text = {str(n) for n in numbers}, catalogue.number_range(numbers)

    def check(token: str) -> Problem | None:
        if not _INT.match(token):
            return rules.problem("objective-not-a-number", token=token, objectives=text)
        if str(int(token)) not in known:
            return rules.problem("objective-unknown", token=token, objectives=text)
        return None

    return check


def _check_action(token: str) -> Problem | None:
    """A GCM action of the catalogue ("13h"); whether it belongs to the row's objectives is the
    row's check (_actions_in_objectives)."""
    try:
        gcm.check_action(token)
    except ValueError:
        return rules.problem("action-unknown", token=token, hint=gcm.action_hint(token))
    return None


def _misplaced_actions(actions: str, objectives: str) -> list[Problem]:
    """The valid actions of a row that belong to none of its objectives (none while an
    objective is itself wrong: that is the objectives column's problem, reported there)."""
    tokens = split_list(objectives)
    if not all(_INT.match(t) and int(t) in catalogue.objective_numbers() for t in tokens):
        return []
    mine = {int(t) for t in tokens}
    out = []
    for token in split_list(actions):
        if _check_action(token) is not None or int(token[:-1]) in mine:
            continue
        ours = [c for n in sorted(mine) for c in gcm.objective_actions(n)]
        out.append(rules.problem("action-not-in-objectives", token=token, objective=int(token[:-1]),
                                 objectives=", ".join(map(str, sorted(mine))) or "none",
                                 actions=_ranges(ours) or "none"))
    return out


def _ranges(codes: list[str]) -> str:
    """Action codes as ranges per objective: '8a-8f, 13a-13h'."""
    by_objective: dict[str, list[str]] = {}
    for c in codes:
        by_objective.setdefault(c[:-1], []).append(c)
    return ", ".join(gcm.action_range(cs) for cs in by_objective.values())


def _question_check(review: Review) -> Check:
    """A guiding question is one of `review`'s: its numbers, not a range written here."""
    numbers = list(review.question_numbers)
    known = {str(n) for n in numbers}
    text = catalogue.number_range(numbers) if numbers else "none (the review lists no question)"

    def check(token: str) -> Problem | None:
        if token in known:
            return None
        return rules.problem("question-unknown", token=token, questions=text, review=review.id)

    return check


def _check_country(token: str) -> Problem | None:
    if country_code(token) is not None:
        return None
    kind = catalogue.region_kind(token)
    if kind:
        return rules.problem("country-region", token=token, kind=kind)
    close = catalogue.suggest_country(token)
    if close:
        return rules.problem("country-misspelt", token=token, close=close)
    return rules.problem("country-unresolved", token=token)


def _vocabulary_check(spec: ColumnSpec) -> Check:
    allowed = spec.allowed_values()
    folded = [a.replace("-", "_") for a in allowed]

    common = contract.common_labels(spec.vocabulary) if spec.vocabulary else {}

    def check(token: str) -> Problem | None:
        if token in allowed:
            return None
        if contract.label_key(token) in common:
            return rules.problem("value-misspelt", token=token, column=spec.name,
                                 close=common[contract.label_key(token)])
        close = difflib.get_close_matches(token.lower().replace(" ", "_").replace("-", "_"),
                                          folded, n=1, cutoff=0.6)
        if close:
            return rules.problem("value-misspelt", token=token, column=spec.name,
                                 close=allowed[folded.index(close[0])])
        return rules.problem("not-in-vocabulary", token=token, column=spec.name,
                             allowed=", ".join(allowed))

    return check


def _check_year(token: str) -> Problem | None:
    top = contract.year_max()
    if not _YEAR.match(token) or not contract.YEAR_MIN <= int(token) <= top:
        return rules.problem("not-a-year", token=token, first=contract.YEAR_MIN, last=top)
    return None


def _check_date(token: str) -> Problem | None:
    import datetime as dt

    try:
        if _DATE.match(token):
            dt.date.fromisoformat(token)
            return None
    except ValueError:
        pass
    return rules.problem("not-a-date", token=token[:40])


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _check_ref(token: str) -> Problem | None:
    """One reference of a source_ref: a document reference, or an http(s) URL written in full."""
    if _WWW.match(token):
        return rules.problem("link-no-scheme", token=token[:80])
    if _URL_LIKE.match(token) and not _HTTP_URL.match(token):
        return rules.problem("not-http", token=token[:80])
    return None


def token_check(spec: ColumnSpec, review: Review) -> Check | None:
    """The function that finds what is wrong with one value of `spec`'s column, if anything;
    guiding questions are checked against `review`'s."""
    if spec.kind == "objective":
        return _objective_check()
    if spec.kind == "question":
        return _question_check(review)
    if spec.kind == "action":
        return _check_action
    if spec.kind == "country":
        return _check_country
    if spec.kind in ("vocabulary", "principle", "yes_no"):
        return _vocabulary_check(spec)
    if spec.kind == "year":
        return _check_year
    if spec.kind == "url_or_ref":
        return _check_ref
    if spec.kind == "date":
        return _check_date
    return None


# --- the pandera schema ---------------------------------------------------------------------


class Distinct:
    """Each column of one frame as its rows' codes and its distinct values (pd.factorize, NA
    coded -1), found once, however many checks ask."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._found: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        if column not in self._found:
            self._found[column] = pd.factorize(np.asarray(self.frame[column], dtype=object))
        return self._found[column]


def map_unique(series: pd.Series, fn: Callable, found: tuple[np.ndarray, np.ndarray] | None = None
               ) -> pd.Series:
    """`series.map(fn)` computing `fn` once per distinct value (lists of codes repeat a lot):
    the distinct values' answers (their dtype inferred as Series.map infers it) taken by each
    row's code, at C speed. `found`: the series' codes and distinct values, if known (Distinct)."""
    codes, uniques = found if found is not None else pd.factorize(np.asarray(series, dtype=object))
    if not len(uniques) or (codes < 0).any():  # NA's kinds apart, as Series.map keeps them
        uniques = pd.unique(series)
        return series.map(dict(zip(uniques, map(fn, uniques))))
    answers = pd.Series([fn(u) for u in uniques])
    return pd.Series(answers.array.take(codes), index=series.index, name=series.name)


def _vectorised(spec: ColumnSpec, check: Check) -> Callable[[pd.Series], pd.Series]:
    """A column check over a Series: each distinct cell is checked once (fast on 100k rows)."""
    def cell_ok(value: str) -> bool:
        return all(check(t) is None for t in tokens(spec, value))

    def run(series: pd.Series) -> pd.Series:
        return map_unique(series, cell_ok).astype(bool)

    return run


def practices_schema(review: Review) -> pa.DataFrameSchema:
    """The pandera schema of the practices table, made from the contract's column specs and
    `review`'s guiding questions."""
    cols = {}
    for spec in contract.columns("practices"):
        checks = []
        if spec.required:
            checks.append(pa.Check(lambda s: s != "", name="required", error="required"))
        fn = token_check(spec, review)
        if fn is not None:
            checks.append(pa.Check(_vectorised(spec, fn), name=spec.kind, error=spec.kind))
        cols[spec.name] = pa.Column(object, checks=checks, nullable=False, required=True)
    return pa.DataFrameSchema(
        cols,
        checks=[pa.Check(_years_in_order, name="year_order", error="year_order"),
                pa.Check(_actions_in_objectives, name="action_objective", error="action_objective")],
        strict=False,
    )


def _years_in_order(df: pd.DataFrame) -> pd.Series:
    start = pd.to_numeric(df["year_start"].where(df["year_start"].str.match(r"^[0-9]{4}$")), errors="coerce")
    end = pd.to_numeric(df["year_end"].where(df["year_end"].str.match(r"^[0-9]{4}$")), errors="coerce")
    return ~(start.notna() & end.notna() & (end < start))


def _actions_in_objectives(df: pd.DataFrame) -> pd.Series:
    pairs = pd.Series(list(zip(df["gcm_actions"], df["objectives"])), index=df.index)
    return map_unique(pairs, lambda p: not _misplaced_actions(*p)).astype(bool)


def _passes(frame: pd.DataFrame, review: Review, distinct: Distinct | None = None) -> bool:
    """True when practices_schema(review) has nothing to report on `frame`: its checks run
    once each, without pandera's work around them (NAs looked for once per check, failure
    cases gathered), each distinct cell of a checked column once (`distinct`: frame's, if
    known); when False, pandera says what fails."""
    distinct = distinct or Distinct(frame)
    for spec in contract.columns("practices"):
        column = frame.get(spec.name)
        if column is None or column.dtype != object:
            return False
        fn = token_check(spec, review)
        if fn is None:  # every cell text (so no NA), and none empty ('' is the only false text)
            if len(column) and pd.api.types.infer_dtype(column, skipna=False) != "string":
                return False
            if spec.required and not all(column.tolist()):
                return False
            continue
        codes, uniques = distinct(spec.name)
        if (codes < 0).any() or (spec.required and "" in set(uniques)):
            return False
        if not all(all(fn(t) is None for t in tokens(spec, v)) for v in uniques):
            return False
    return _years_ordered(frame, distinct) and _actions_placed(frame, distinct)


def _years_ordered(frame: pd.DataFrame, distinct: Distinct | None = None) -> bool:
    """_years_in_order(frame).all() on text cells (no NA), each distinct year cell read once."""
    distinct = distinct or Distinct(frame)

    def numbers(column: str) -> np.ndarray:
        codes, uniques = distinct(column)
        return np.array([float(u) if _YEAR.match(u) else np.nan for u in uniques] + [np.nan])[codes]

    return not np.any(numbers("year_end") < numbers("year_start"))


def _actions_placed(frame: pd.DataFrame, distinct: Distinct | None = None) -> bool:
    """_actions_in_objectives(frame).all() on text cells, each distinct pair of cells once."""
    distinct = distinct or Distinct(frame)
    actions, action_values = distinct("gcm_actions")
    objectives, objective_values = distinct("objectives")
    _, pairs = pd.factorize(actions.astype(np.int64) * len(objective_values) + objectives)
    return not any(_misplaced_actions(action_values[p // len(objective_values)],
                                      objective_values[p % len(objective_values)]) for p in pairs)


# a check across a row's columns: the column its problems are reported in, and what they are
ROW_CHECKS: dict[str, tuple[str, Callable[[pd.DataFrame, int], list[Problem]]]] = {
    "year_order": ("year_end", lambda f, i: [rules.problem("year-order", end=f.at[i, "year_end"],
                                                          start=f.at[i, "year_start"])]),
    "action_objective": ("gcm_actions",
                         lambda f, i: rules.joined(_misplaced_actions(f.at[i, "gcm_actions"],
                                                                      f.at[i, "objectives"]))),
}


def find_problems(frame: pd.DataFrame, review: Review, distinct: Distinct | None = None) -> pd.DataFrame:
    """Every problem in `frame` (all contract columns present, text trimmed), in one pass.

    Returns CELL_COLUMNS: index (of frame), column, value, rule, reason, advice. Several
    problems of one rule in one cell (say, two unknown countries) are one row with both
    reasons; problems of different rules in one cell are a row each. `distinct`: frame's
    columns factorised, if known.
    """
    try:
        if not _passes(frame, review, distinct):
            practices_schema(review).validate(frame, lazy=True)
        return pd.DataFrame(columns=CELL_COLUMNS)
    except SchemaErrors as err:
        cases = err.failure_cases
    specs = {s.name: s for s in contract.columns("practices")}
    checks = {s.name: token_check(s, review) for s in specs.values()}
    out = []
    for case in cases.itertuples(index=False):
        idx = case.index
        if idx is None or pd.isna(idx):
            continue  # schema-level cases (none expected: every column is present)
        idx = int(idx)
        if case.check in ROW_CHECKS:
            column, explain = ROW_CHECKS[case.check]
            if case.column != column:
                continue  # a frame-wide check lists every column of the row: report it once
            out += [(idx, column, frame.at[idx, column], p.rule, p.reason, p.advice)
                    for p in explain(frame, idx)]
            continue
        column = case.column
        value = frame.at[idx, column]
        found = _explain(specs[column], checks[column], str(case.check), value, frame, idx)
        out += [(idx, column, value, p.rule, p.reason, p.advice) for p in found]
    problems = pd.DataFrame(out, columns=CELL_COLUMNS)
    return problems.drop_duplicates(["index", "column", "rule", "reason"])


def _explain(spec: ColumnSpec, fn: Check | None, check: str, value: str, frame: pd.DataFrame,
             idx: int) -> list[Problem]:
    """The problems of one failing cell, one per rule."""
    if check.startswith("required"):
        return [rules.problem("required-empty", column=spec.name)]
    found = [p for p in map(fn, tokens(spec, value)) if p] if fn else []
    if spec.multi and "," in value and fn and all(fn(t.strip()) is None for t in value.split(",")):
        detail = "; ".join(p.reason for p in found)
        return [rules.problem("separator-comma", detail=detail)]
    return rules.joined(found)
