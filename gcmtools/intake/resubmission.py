"""Resubmissions and duplicates: the rows that passed every other check in, the problems of
those that a later file supersedes or that repeat a practice_id out.

A rejected row claims nothing: only rows with no other problem take part. A row's date is its
`submitted` cell (YYYY-MM-DD) when given, else its file's modification time: the submitter's
own date wins because it travels with the rows, while a file's time changes whenever the file
is copied, unzipped or saved from an e-mail. Among the rows of one submitter (compared without
case and spacing) with one practice_id (compared as `schema.id_key`), those of files dated
before the latest one are superseded by it, whatever the order in which the files were named
or listed. Rows that still share a practice_id (other submitters, one file, equal dates) are
duplicates, the first read kept, as before resubmissions were known.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gcmtools.intake import rules
from gcmtools.intake.schema import id_keys, map_unique

#: a problem found here: (index of the row in the intake frame, column, value, Problem)
Found = tuple[int, str, str, rules.Problem]


def file_dates(files: list[str]) -> dict[str, str]:
    """Each file's modification time, UTC, as ISO text ('' when it cannot be read)."""
    out = {}
    for f in dict.fromkeys(files):
        try:
            stamp = Path(f).stat().st_mtime
        except OSError:
            out[f] = ""
            continue
        out[f] = dt.datetime.fromtimestamp(stamp, dt.UTC).replace(microsecond=0).isoformat()[:19]
    return out


def row_dates(frame: pd.DataFrame, dates: dict[str, str]) -> pd.Series:
    """Each row's date: its `submitted` cell, else its file's (file_dates)."""
    given = frame["submitted"] if "submitted" in frame.columns else pd.Series("", index=frame.index)
    return given.where(given != "", frame["source_file"].map(dates).fillna(""))


def problems(frame: pd.DataFrame, dates: dict[str, str]) -> list[Found]:
    """The superseded and duplicated rows of `frame` (the rows with no other problem), each
    with its problem on practice_id."""
    if not len(frame):
        return []
    # only the columns the checks read, so that sorting copies no more
    rows = pd.DataFrame({
        "practice_id": frame["practice_id"], "source_file": frame["source_file"],
        "source_row": frame["source_row"], "_id": id_keys(frame["practice_id"])}, index=frame.index)
    if (rows["source_file"] == rows["source_file"].iloc[0]).all():
        # one file supersedes none of its rows (_superseded): duplicates only, in the order read
        return duplicates(rows if rows.index.is_monotonic_increasing else rows.sort_index())
    rows["_date"] = row_dates(frame, dates)
    rows["_by"] = map_unique(frame["submitter"], lambda s: " ".join(str(s).casefold().split()))
    rows = rows.sort_values(["_date", "source_file", "source_row"], kind="stable")
    found = _superseded(rows[rows["_id"] != ""])
    superseded = {i for i, *_ in found}
    rest = rows[~rows.index.isin(list(superseded))].sort_index()  # as read: the first named is kept
    return found + duplicates(rest)


def _superseded(rows: pd.DataFrame) -> list[Found]:
    """Among `rows` (sorted by date, file and row), those of one submitter and practice_id
    dated before the last of them and from another file: superseded by that last row. In the
    order of the groups as they first appear, each group's rows in their order."""
    if not len(rows) or (rows["source_file"] == rows["source_file"].iloc[0]).all():
        return []  # one file: no row is from another file than its group's last
    groups = rows.groupby(["_by", "_id"], sort=False)
    last = groups[["_date", "source_file", "source_row"]].transform("last")
    earlier = rows[(rows["_date"] < last["_date"]) & (rows["source_file"] != last["source_file"])]
    if not len(earlier):
        return []
    order = groups.ngroup()[earlier.index]
    earlier = earlier.assign(_group=order).sort_values("_group", kind="stable")
    latest = last.loc[earlier.index]
    return [(i, "practice_id", pid, rules.problem("row-superseded", file=file, row=row, date=date))
            for i, pid, file, row, date in zip(earlier.index, earlier["practice_id"], latest["source_file"],
                                               latest["source_row"], latest["_date"])]


def duplicates(rows: pd.DataFrame) -> list[Found]:
    """Rows (in order) whose practice_id an earlier row has: the same id, or one that differs
    only by invisible, width or look-alike characters."""
    out = []
    named = rows["_id"] != ""
    again = rows[named & rows["_id"].duplicated(keep="first")]
    if not len(again):
        return out
    first = rows[named].drop_duplicates("_id")
    by_id = dict(zip(first["_id"], first.index))
    for i, pid, key in zip(again.index, again["practice_id"], again["_id"]):
        j = by_id[key]
        earlier = rows.at[j, "practice_id"]
        where = f"{rows.at[j, 'source_file']} row {int(rows.at[j, 'source_row'])}"
        found = (rules.problem("duplicate-id", value=pid, where=where) if earlier == pid
                 else rules.problem("duplicate-id-lookalike", value=pid, first=earlier, where=where))
        out.append((i, "practice_id", pid, found))
    return out


def superseded_lines(problem_table: pd.DataFrame) -> list[str]:
    """What the summary says of each superseded row: which file (and row) supersedes it."""
    mine = problem_table[problem_table["rule"] == "row-superseded"]
    return [f"{p.file}: row {p.row} (practice_id {p.practice_id!r}) {p.reason}"
            for p in mine.itertuples(index=False)]
