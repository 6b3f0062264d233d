"""Submitted practice files in, validated tables out: accepted, quarantined, and every problem.

Accepted + rejected = rows read, for every file, always. Accepted rows are normalised
(countries to ISO3, lists split, whitespace trimmed) and not altered otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gcmtools.catalogue import contract
from gcmtools.intake.files import MAX_CELL, RawTable, UnreadableFile, column_letter, expand_paths, read_table

PROBLEM_COLUMNS = ["file", "row", "practice_id", "column", "value", "reason"]
COUNT_COLUMNS = ["file", "read", "accepted", "rejected", "blank_rows"]


@dataclass
class IntakeResult:
    """What an intake run found.

    accepted: normalised practices (lists as Python lists, `country` as ISO3 codes), with
      `source_file` and `source_row` for tracing.
    rejected: the quarantined rows as submitted, with `source_file`, `source_row`, `reasons`.
    problems: one row per problem: file, row, practice_id, column, value, reason.
    counts: per file: read, accepted, rejected, blank_rows.
    unreadable: one line per file that could not be read as a table.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    counts: pd.DataFrame
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all accepted; 1 some rows rejected; 2 a file could not be read at all."""
        if self.unreadable:
            return 2
        return 1 if len(self.rejected) else 0

    def summary(self) -> str:
        """Counts per file and in all, saying that accepted + rejected = read."""
        lines = []
        for r in self.counts.itertuples(index=False):
            blank = f", {r.blank_rows} blank rows skipped" if r.blank_rows else ""
            lines.append(f"{r.file}: {_rows(r.read)} read = {r.accepted} accepted + {r.rejected} rejected{blank}")
        lines += self.notes
        read, acc, rej = (int(self.counts[c].sum()) for c in ("read", "accepted", "rejected"))
        lines.append(
            f"in all: {len(self.counts)} file(s), {_rows(read)} read = {acc} accepted + {rej} rejected"
            + (f"; {len(self.unreadable)} file(s) unreadable" if self.unreadable else "")
        )
        return "\n".join(lines)


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def validate_paths(paths: list[str | Path]) -> IntakeResult:
    """Read and validate every file under `paths` in one pass; never stops at the first error."""
    # load: every readable file; an unreadable one is noted and the others still run
    tables: list[RawTable] = []
    unreadable: list[str] = []
    try:
        files = expand_paths(list(paths))
    except UnreadableFile as exc:
        return _empty_result([str(exc)])
    for f in files:
        try:
            tables.append(read_table(f))
        except UnreadableFile as exc:
            unreadable.append(str(exc))
    result = validate_tables(tables)
    result.unreadable = unreadable
    return result


def validate_paths_cached(paths: list[str | Path]) -> IntakeResult:
    """validate_paths, remembered in the cache folder by the files' content and gcmtools' code.

    Every brief validates the same practice files in its own kernel; this reads the answer
    instead (and so does not even import pandera). Any change to a file or to the code
    validates again.
    """
    from gcmtools import store

    try:
        files = expand_paths(list(paths))
        key = [(str(Path(f).resolve()), store.file_hash(f)) for f in files]
    except (UnreadableFile, OSError):
        return validate_paths(paths)  # the uncached run reports what is wrong
    return store.cached("intake", key, lambda: validate_paths(paths))


def validate_tables(tables: list[RawTable]) -> IntakeResult:
    """Validate already-read tables together (practice_id is unique across all of them)."""
    # process: one frame of all rows with their origin, checked by the schema at once
    frame, notes, extra = _combine(tables)
    from gcmtools.intake import schema  # pandera: imported only when something is validated

    problems = schema.find_problems(frame) if len(frame) else pd.DataFrame(
        columns=["index", "column", "value", "reason"])
    # a missing column fails the 'required' check too: keep only the clearer reason
    same_cell = pd.MultiIndex.from_frame(problems[["index", "column"]]).isin(
        pd.MultiIndex.from_frame(extra[["index", "column"]]))
    problems = pd.concat([problems[~same_cell], extra], ignore_index=True)
    bad = set(problems["index"].astype(int))
    ok_mask = ~frame.index.isin(list(bad))

    accepted = normalise(frame[ok_mask])
    rejected = _quarantine(frame[~ok_mask], problems)
    problems_out = _problem_table(frame, problems)
    counts = _counts(tables, frame, ok_mask)
    return IntakeResult(accepted, rejected, problems_out, counts, notes=notes)


def _combine(tables: list[RawTable]) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """All tables in one frame with every contract column (trimmed text) and its origin."""
    names = contract.column_names("practices")
    frames, notes, extra = [], [], []
    offset = 0
    for t in tables:
        f = t.frame.copy()
        for c in f.columns:
            f[c] = f[c].fillna("").astype(str).str.strip().astype(object)
        missing = [c for c in names if c not in f.columns]
        unknown = [c for c in f.columns if c not in names]
        for c in missing:
            f[c] = ""
        f["source_file"] = t.file
        f["source_row"] = t.rows
        f["_where"] = [f"{t.file} row {r}" for r in t.rows]
        f.index = range(offset, offset + len(f))
        offset += len(f)
        required_missing = [c for c in missing if c in contract.required_columns()] if len(f) else []
        for c in required_missing:
            hint = _close_header(c, unknown)
            notes.append(f"{t.file}: required column {c!r} is missing{hint}: every row is rejected")
            extra += [(i, c, "", f"required column {c!r} is missing from the file{hint}") for i in f.index]
        if unknown:
            notes.append(f"{t.file}: column(s) not in the contract, kept as they are: {', '.join(unknown)}")
        row_index = dict(zip(f["source_row"], f.index))
        for row, n in t.overflow.items():
            extra.append((row_index[row], "", "", f"{n} value(s) beyond the last named column"))
        letters = {column_letter(j): c for j, c in enumerate(t.frame.columns)}
        for row, letter, value, reason in t.cell_problems:
            extra.append((row_index[row], letters.get(letter, letter), value, reason))
        for col in t.frame.columns:
            for i in f.index[f[col].str.contains("\x00", regex=False)]:
                extra.append((i, col, f.at[i, col].replace("\x00", "\\0")[:200],
                              "value contains a NUL character (U+0000): retype it"))
            long_cells = f[col].str.len() > MAX_CELL
            for i in f.index[long_cells]:
                extra.append((i, col, f.at[i, col][:200] + "...",
                              f"value is {len(f.at[i, col]):,} characters long; a cell holds at most {MAX_CELL:,}"))
        if not len(f) and len(t.frame.columns):
            notes.append(f"{t.file}: header only: no rows")
        notes += [f"{t.file}: {n}" for n in t.notes]
        frames.append(f)
    frame = pd.concat(frames, ignore_index=False) if frames else pd.DataFrame(
        columns=names + ["source_file", "source_row", "_where"])
    for c in names:
        frame[c] = frame[c].fillna("").astype(object)
    extra_df = pd.DataFrame(extra, columns=["index", "column", "value", "reason"])
    return frame, notes, extra_df


def _close_header(name: str, candidates: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean the column {close[0]!r}?)" if close else ""


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Accepted rows: lists split, countries to ISO3, objectives and questions to int."""
    from gcmtools.intake import schema

    out = frame.drop(columns=["_where"]).copy()
    for spec in contract.columns("practices"):
        if spec.multi:
            out[spec.name] = schema.map_unique(out[spec.name], schema.split_list)
    out["country_as_submitted"] = frame["country"]
    out["country"] = schema.map_unique(frame["country"], lambda v: sorted(
        {schema.country_code(t) for t in schema.split_list(v)}))
    for col in ("objectives", "guiding_questions"):
        out[col] = schema.map_unique(frame[col], lambda v: sorted({int(t) for t in schema.split_list(v)}))
    for col in ("year_start", "year_end"):
        out[col] = pd.to_numeric(out[col].replace("", None), errors="raise").astype("Int64")
    return out.reset_index(drop=True)


def _quarantine(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows as submitted, each with all its reasons."""
    reasons = problems.groupby("index")["reason"].apply(lambda r: " | ".join(dict.fromkeys(r)))
    out = frame.drop(columns=["_where"]).copy()
    out["reasons"] = reasons.reindex(out.index).fillna("").values
    return out.reset_index(drop=True)


def _problem_table(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Problems as the analyst reads them: file, row, practice_id, column, value, reason."""
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
    })
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
    """Write every rejection as CSV (file, row, practice_id, column, value, reason), or XLSX
    when `out` ends in .xlsx; cells that a spreadsheet would run as formulas are neutralised."""
    from gcmtools.intake import export

    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        return export.write_xlsx({"Rejections": problems[PROBLEM_COLUMNS]}, out)
    return export.write_csv(problems[PROBLEM_COLUMNS], out)
