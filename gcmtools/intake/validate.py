"""Submitted practice files and the review they answer in, validated tables out: accepted,
quarantined, and every problem with the rule it breaks (intake.rules).

Accepted + rejected = rows read, for every file, always. Accepted rows are normalised
(countries to ISO3, lists split, whitespace trimmed, a vocabulary value in other letter case
and an objective written as words read as the value: `No` as no, `Objective 13` as 13, each
reported in `normalised`) and not altered otherwise; rejected rows are kept as submitted. Guiding
questions are checked against the review's (the default review unless one is given).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gcmtools import catalogue
from gcmtools.catalogue import Review, contract
from gcmtools.intake import resubmission, rules
from gcmtools.intake.files import (
    MARKS,
    MAX_CELL,
    RawTable,
    UnreadableFile,
    account_paths,
    column_letter,
    printable,
    read_table,
)

# the rejection report's columns: rule (the code of intake.rules) and advice came after reason
PROBLEM_COLUMNS = ["file", "row", "practice_id", "column", "value", "reason", "rule", "advice"]
CELL_COLUMNS = ["index", "column", "value", "rule", "reason", "advice"]
COUNT_COLUMNS = ["file", "read", "accepted", "rejected", "blank_rows"]
NORMALISED_COLUMNS = ["file", "row", "practice_id", "column", "value", "normalised", "note"]


@dataclass
class IntakeResult:
    """What an intake run found.

    accepted: normalised practices (lists as Python lists, `country` as ISO3 codes), with
      `source_file` and `source_row` for tracing.
    rejected: the quarantined rows as submitted, with `source_file`, `source_row`, `reasons`.
    problems: one row per problem: file, row, practice_id, column, value, reason, rule (its
      code in intake.rules), advice (what the submitter should change).
    counts: per file: read, accepted, rejected, blank_rows.
    unreadable: one line per file that could not be read as a table.
    normalised: one row per cell read as a valid value it was written otherwise (letter case,
      an objective as words): file, row, practice_id, column, value, normalised, note.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    counts: pd.DataFrame
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    normalised: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NORMALISED_COLUMNS))

    @property
    def exit_code(self) -> int:
        """0 all accepted (or superseded by a later file); 1 some rows rejected; 2 a file could
        not be read at all."""
        if self.unreadable:
            return 2
        return 1 if len(self.rejected) > self.superseded else 0

    @property
    def superseded(self) -> int:
        """How many rows a later file of their submitter superseded (rejected, not failures)."""
        if not len(self.problems):
            return 0
        rules_of = self.problems.groupby(["file", "row"])["rule"].agg(set)
        return int(sum(r == {"row-superseded"} for r in rules_of))

    def summary(self) -> str:
        """Counts per file and in all, saying that accepted + rejected = read."""
        lines = []
        for r in self.counts.itertuples(index=False):
            blank = f", {r.blank_rows} blank rows skipped" if r.blank_rows else ""
            lines.append(f"{r.file}: {_rows(r.read)} read = {r.accepted} accepted + {r.rejected} rejected{blank}")
        lines += self.notes
        lines += [f"{r.file} row {r.row}, {r.column}: {r.note}"
                  for r in self.normalised.itertuples(index=False)]
        read, acc, rej = (int(self.counts[c].sum()) for c in ("read", "accepted", "rejected"))
        lines.append(
            f"in all: {len(self.counts)} file(s), {_rows(read)} read = {acc} accepted + {rej} rejected"
            + (f" ({self.superseded} of them superseded by a later file: nothing to correct)"
               if self.superseded else "")
            + (f"; {len(self.unreadable)} file(s) unreadable" if self.unreadable else "")
        )
        return "\n".join(lines)


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def review_of(review: Review | str | Path) -> Review:
    """A Review as given, or read by id or path (catalogue.load_review)."""
    return review if isinstance(review, Review) else catalogue.load_review(review)


def validate_paths(paths: list[str | Path],
                   review: Review | str | Path = catalogue.DEFAULT_REVIEW) -> IntakeResult:
    """Read and validate every file under `paths` in one pass; never stops at the first error.

    Guiding questions must be `review`'s (a Review, or a review id or file)."""
    review = review_of(review)
    # load: every readable file; an unreadable one is noted and the others still run
    tables: list[RawTable] = []
    unreadable: list[str] = []
    try:
        found = account_paths(list(paths))
    except UnreadableFile as exc:
        return _empty_result([str(exc)])
    for f in found.files:
        try:
            tables.append(read_table(f))
        except UnreadableFile as exc:
            unreadable.append(str(exc))
    result = validate_tables(tables, review)
    result.unreadable = unreadable + found.refused
    result.notes = found.ignored + found.notes + result.notes
    return result


def validate_paths_cached(paths: list[str | Path],
                          review: Review | str | Path = catalogue.DEFAULT_REVIEW) -> IntakeResult:
    """validate_paths, remembered in the cache folder by the files' content, the review's
    guiding questions and gcmtools' code.

    Every brief validates the same practice files in its own kernel; this reads the answer
    instead (and so does not even import pandera). Any change to a file or to the code
    validates again.
    """
    from gcmtools import store

    review = review_of(review)
    questions = (review.id, list(review.question_numbers))
    try:
        found = account_paths(list(paths))
        key = [questions, [(str(Path(f).resolve()), store.file_hash(f)) for f in found.files],
               found.refused, found.ignored, found.notes]
    except (UnreadableFile, OSError):
        return validate_paths(paths, review)  # the uncached run reports what is wrong
    return store.cached("intake", key, lambda: validate_paths(paths, review))


def validate_tables(tables: list[RawTable],
                    review: Review | str | Path = catalogue.DEFAULT_REVIEW) -> IntakeResult:
    """Validate already-read tables together (practice_id is unique across all of them);
    guiding questions must be `review`'s."""
    # process: one frame of all rows with their origin, checked by the schema at once
    frame, notes, extra = _combine(tables)
    from gcmtools.intake import schema  # pandera: imported only when something is validated

    distinct = schema.Distinct(frame)  # each column factorised once for all the checks
    checked, normalised = schema.normalise_cells(frame, distinct)
    if checked is not frame:
        distinct = schema.Distinct(checked)
    problems = schema.find_problems(checked, review_of(review), distinct) if len(frame) else pd.DataFrame(
        columns=CELL_COLUMNS)
    # a missing column fails the 'required' check too: keep only the clearer reason
    same_cell = pd.MultiIndex.from_frame(problems[["index", "column"]]).isin(
        pd.MultiIndex.from_frame(extra[["index", "column"]]))
    problems = pd.concat([problems[~same_cell], extra], ignore_index=True)
    # process: resubmissions and repeated ids, among the rows with no other problem
    later = resubmission.problems(frame[~frame.index.isin(list(set(problems["index"].astype(int))))],
                                  resubmission.file_dates([t.file for t in tables]))
    if later:
        problems = pd.concat([problems, pd.DataFrame([(i, c, v, p.rule, p.reason, p.advice) for i, c, v, p in later],
                                                     columns=CELL_COLUMNS)], ignore_index=True)
    bad = set(problems["index"].astype(int))
    ok_mask = ~frame.index.isin(list(bad))

    accepted = normalise(checked, distinct) if ok_mask.all() else normalise(checked[ok_mask])
    rejected = _quarantine(frame[~ok_mask], problems)
    problems_out = _problem_table(frame, problems)
    counts = _counts(tables, frame, ok_mask)
    return IntakeResult(accepted, rejected, problems_out, counts,
                        notes=notes + resubmission.superseded_lines(problems_out),
                        normalised=_traced(frame, normalised))


def _combine(tables: list[RawTable]) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """All tables in one frame with every contract column (trimmed text) and its origin, the
    notes on the files, and the problems of their layout and cells (CELL_COLUMNS)."""
    names = contract.column_names("practices")
    frames, notes, extra = [], [], []
    offset = 0
    for t in tables:
        f, file_notes, file_extra = _one_table(t, names, offset)
        offset += len(f)
        frames.append(f)
        notes += file_notes
        extra += file_extra
    if len(frames) == 1:
        frame = frames[0]
    else:
        frame = pd.concat(frames, ignore_index=False) if frames else pd.DataFrame(
            columns=names + ["source_file", "source_row"])
    for c in names if len(frames) != 1 else ():  # a table without a column of another leaves it NA there
        if frame[c].dtype != object or frame[c].isna().any():
            frame[c] = frame[c].fillna("").astype(object)
    extra_df = pd.DataFrame([(i, c, v, p.rule, p.reason, p.advice) for i, c, v, p in extra],
                            columns=CELL_COLUMNS)
    return frame, notes, extra_df


def _one_table(t: RawTable, names: list[str], offset: int
               ) -> tuple[pd.DataFrame, list[str], list[tuple[int, str, str, rules.Problem]]]:
    """One file's rows with every contract column and their origin (index from `offset`), its
    notes, and the problems of its columns and cells."""
    index = pd.RangeIndex(offset, offset + len(t.frame))
    missing = [c for c in names if c not in t.frame.columns]
    unknown = [c for c in t.frame.columns if c not in names]
    # trimmed text (str.strip of each cell; pandas' .str costs ten times more), then every
    # contract column the file lacks, empty, then the origin
    columns = list(t.frame.columns) + missing
    cells = np.empty((len(index), len(columns)), dtype=object, order="F")  # one block, filled in place
    for j, c in enumerate(t.frame.columns):
        cells[:, j] = _trimmed_cells(t.frame[c].tolist())
    cells[:, len(t.frame.columns):] = ""
    f = pd.DataFrame(cells, index=index, columns=columns, dtype=object, copy=False)
    f["source_file"] = t.file
    f["source_row"] = t.rows
    notes, extra = [], []
    required_missing = [c for c in missing if c in contract.required_columns()] if len(f) else []
    for c in required_missing:
        close = _close_header(c, unknown)
        hint = f" (did you mean the column {close!r}?)" if close else ""
        notes.append(f"{t.file}: required column {c!r} is missing{hint}: every row is rejected")
        found = (rules.problem("column-misnamed", column=c, close=close) if close
                 else rules.problem("column-missing", column=c))
        extra += [(i, c, "", found) for i in f.index]
    if unknown:
        notes.append(f"{t.file}: column(s) not in the contract, kept as they are: {', '.join(unknown)}")
    extra += _cell_problems(t, f)
    if not len(f) and len(t.frame.columns):
        notes.append(f"{t.file}: header only: no rows")
    notes += [f"{t.file}: {n}" for n in t.notes]
    return f, notes, extra


def _trimmed_cells(values: list) -> list[str]:
    """Each cell trimmed (_trimmed): str.strip mapped at C speed while every cell is text."""
    try:
        return list(map(str.strip, values))
    except TypeError:  # a cell that is not text (NA): each by _trimmed
        return [_trimmed(v) for v in values]


def _trimmed(value: object) -> str:
    """A cell as text, trimmed; '' for an empty (NA) cell: `fillna("").astype(str).str.strip()`."""
    if isinstance(value, str):
        return value.strip()
    return "" if value is None or pd.isna(value) else str(value).strip()


def _cell_problems(t: RawTable, f: pd.DataFrame) -> list[tuple[int, str, str, rules.Problem]]:
    """What is wrong with the cells of one file, whatever their column: values beyond the
    header, the spreadsheet's own problems (files.py), NUL characters, overlong cells."""
    out = []
    row_index = dict(zip(f["source_row"], f.index)) if t.overflow or t.cell_problems else {}
    for row, n in t.overflow.items():
        out.append((row_index[row], "", "", rules.problem("cell-beyond-header", count=n)))
    letters = {column_letter(j): c for j, c in enumerate(t.frame.columns)}
    for row, letter, value, found in t.cell_problems:
        out.append((row_index[row], letters.get(letter, letter), value, found))
    holds = MARKS if t.holds is None else t.holds  # what the file's text holds anywhere
    long_cells = t.longest is None or t.longest > MAX_CELL
    for col in t.frame.columns:
        out += _column_problems(f, col, holds, long_cells)
    return out


def _column_problems(f: pd.DataFrame, col: str, holds: frozenset[str] | tuple[str, ...] = MARKS,
                     long_cells: bool = True) -> list[tuple[int, str, str, rules.Problem]]:
    """_cell_problems of one column. A search for what the file holds nowhere (`holds`: of
    files.MARKS; `long_cells`: False when no cell can be too long) is not run; the others run over the cells row by row only when the column
    holds what they look for, which one search over all its cells joined finds at C speed (a
    line feed between them: no rule's character)."""
    out: list[tuple[int, str, str, rules.Problem]] = []
    values = f[col].tolist()
    joined = "\n".join(values) if holds else ""
    if "\x00" in joined:
        for i in f.index[f[col].str.contains("\x00", regex=False)]:
            out.append((i, col, f.at[i, col].replace("\x00", "\\0")[:200],
                        rules.problem("nul-character")))
    if "control" in holds and _CONTROL.search(joined):
        for i in f.index[f[col].str.contains(_CONTROL, regex=True)]:
            char = _CONTROL.search(f.at[i, col]).group()
            out.append((i, col, printable(f.at[i, col][:200]), rules.problem(
                "control-character", char=f"U+{ord(char):04X}",
                name=unicodedata.name(char, _CONTROL_NAMES.get(char, "a control character")))))
    if "#" in joined:  # every spreadsheet error begins with it
        for i in f.index[f[col].isin(SPREADSHEET_ERRORS)]:
            out.append((i, col, f.at[i, col], rules.problem("spreadsheet-error", token=f.at[i, col])))
    if long_cells and max(map(len, values), default=0) > MAX_CELL:
        for i in f.index[f[col].str.len() > MAX_CELL]:
            out.append((i, col, f.at[i, col][:200] + "...",
                        rules.problem("cell-too-long", length=len(f.at[i, col]), most=MAX_CELL)))
    return out


# C0 controls other than tab, line feed, carriage return (and NUL: its own rule), DEL, C1
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {"\x0b": "vertical tab", "\x0c": "form feed", "\x1b": "escape", "\x7f": "delete"}
# what a spreadsheet shows for a formula that failed: never a value
SPREADSHEET_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                      "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!")


def _close_header(name: str, candidates: list[str]) -> str:
    """The submitted column name closest to the contract's `name`, or ''."""
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else ""


def normalise(frame: pd.DataFrame, distinct=None) -> pd.DataFrame:
    """Accepted rows: lists split, countries to ISO3, objectives and questions to int.
    `distinct`: frame's columns factorised (schema.Distinct), if known."""
    from gcmtools.intake import schema

    distinct = distinct or schema.Distinct(frame)
    out = frame.copy()
    numbered = ("country", "objectives", "guiding_questions")  # lists of codes and numbers, below
    for spec in contract.columns("practices"):
        if spec.multi and spec.name not in numbered:
            out[spec.name] = schema.map_unique(frame[spec.name], schema.split_list, distinct(spec.name))
    out["country_as_submitted"] = frame["country"]
    out["country"] = schema.map_unique(frame["country"], lambda v: sorted(
        {schema.country_code(t) for t in schema.split_list(v)}), distinct("country"))
    for col in ("objectives", "guiding_questions"):
        out[col] = schema.map_unique(frame[col], lambda v: sorted({int(t) for t in schema.split_list(v)}),
                                     distinct(col))
    for col in ("year_start", "year_end"):
        out[col] = _years(frame[col], distinct(col))
    return out.reset_index(drop=True)


def _years(column: pd.Series, found: tuple[np.ndarray, np.ndarray] | None = None) -> pd.Series:
    """Year cells as Int64, '' as NA: `pd.to_numeric(column.replace("", None)).astype("Int64")`,
    each distinct cell converted once (`found`: the column's codes and distinct values)."""
    codes, uniques = found if found is not None else pd.factorize(np.asarray(column, dtype=object))
    if (codes < 0).any():  # NA cells: converted as they are
        return pd.to_numeric(column.replace("", None), errors="raise").astype("Int64")
    numbers = pd.to_numeric(pd.Series(uniques, dtype=object).replace("", None), errors="raise").astype("Int64")
    return pd.Series(numbers.array.take(codes), index=column.index, name=column.name)


def _quarantine(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows as submitted, each with all its reasons."""
    reasons = problems.groupby("index")["reason"].apply(lambda r: " | ".join(dict.fromkeys(r)))
    out = frame.copy()
    out["reasons"] = reasons.reindex(out.index).fillna("").values
    return out.reset_index(drop=True)


def _problem_table(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Problems as the analyst reads them: PROBLEM_COLUMNS."""
    if problems.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    idx = problems["index"].astype(int)
    table = pd.DataFrame({
        "file": frame.loc[idx, "source_file"].values,
        "row": frame.loc[idx, "source_row"].astype(int).values,
        "practice_id": frame.loc[idx, "practice_id"].values,
        "column": problems["column"].values,
        "value": problems["value"].values,
        "reason": problems["reason"].values,
        "rule": problems["rule"].values,
        "advice": problems["advice"].values,
    })
    return table.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)


def _traced(frame: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """The normalisation notes (schema.NOTE_COLUMNS) with file, row and practice_id."""
    idx = notes["index"].astype(int)
    table = pd.DataFrame({
        "file": frame.loc[idx, "source_file"].values,
        "row": frame.loc[idx, "source_row"].astype(int).values,
        "practice_id": frame.loc[idx, "practice_id"].values,
        **{c: notes[c].values for c in ("column", "value", "normalised", "note")},
    }, columns=NORMALISED_COLUMNS)
    return table.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)


def _counts(tables: list[RawTable], frame: pd.DataFrame, ok_mask) -> pd.DataFrame:
    """Per file: rows read, accepted, rejected, blank rows; checks that they reconcile."""
    rows = []
    for t in tables:
        mine = (frame["source_file"] == t.file).to_numpy()
        read, acc = int(mine.sum()), int((mine & ok_mask).sum())
        rows.append((t.file, read, acc, read - acc, len(t.blank_rows)))
        assert read == len(t.rows), f"{t.file}: rows lost between reading and checking"
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _empty_result(unreadable: list[str]) -> IntakeResult:
    empty = pd.DataFrame()
    return IntakeResult(empty, empty, pd.DataFrame(columns=PROBLEM_COLUMNS),
                        pd.DataFrame(columns=COUNT_COLUMNS), unreadable=unreadable)


def write_report(problems: pd.DataFrame, out: str | Path) -> Path:
    """Write every rejection as CSV (PROBLEM_COLUMNS: file, row, practice_id, column, value,
    reason, rule, advice), or XLSX
    when `out` ends in .xlsx; cells that a spreadsheet would run as formulas are neutralised."""
    from gcmtools.intake import export

    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        return export.write_xlsx({"Rejections": problems[PROBLEM_COLUMNS]}, out)
    return export.write_csv(problems[PROBLEM_COLUMNS], out)


def dependencies(paths: list[str | Path], review: Review) -> dict[str, str]:
    """What each brief of `review` reads of the practices, as hashes: "all" for the overview
    and one per objective of the review (the accepted practices naming it, with the intake
    counts and unreadable files that every brief shows). The build's fingerprints ask here, so
    that a changed practice row rebuilds only the briefs it reaches; the answer is kept in the
    disk cache by the files' content, and the intake result behind it is the one the briefs'
    kernels then read from the cache."""
    from gcmtools import store

    files = [Path(p) for p in paths]
    key = [review.id, list(review.question_numbers), list(review.objectives),
           [(store.relative(f), store.file_hash(f)) for f in files]]
    return store.cached("practice-dependencies", key, lambda: _dependencies(files, review))


def _dependencies(files: list[Path], review: Review) -> dict[str, str]:
    from gcmtools import store

    result = validate_paths_cached(files, review)
    acc = result.accepted.copy()
    if len(acc):
        acc["source_file"] = acc["source_file"].map(lambda f: store.relative(Path(f)))
    counts = result.counts.assign(file=result.counts["file"].map(lambda f: store.relative(Path(f))))
    shown_by_all = (counts.to_json(orient="records"), list(result.unreadable))

    def records(rows: pd.DataFrame) -> str:
        return rows.to_json(orient="records", default_handler=str) if len(rows) else "[]"

    hashes = {"all": store.text_hash(records(acc), shown_by_all)}
    for n in review.objectives:
        mine = acc[acc["objectives"].map(lambda objs: n in objs)] if len(acc) else acc
        hashes[str(n)] = store.text_hash(records(mine), shown_by_all)
    return hashes
