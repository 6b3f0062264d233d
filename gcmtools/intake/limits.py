"""The limits a submitted file is checked against before it is read, in one place.

Each limit has a default here and can be changed for one run with an environment variable
`GCMTOOLS_LIMIT_<NAME>` (say `GCMTOOLS_LIMIT_XLSX_ROWS=500000`). A file over a limit is refused
with one line naming the file, what was found and the limit (exit code 2), before its content is
read: a zip bomb or a stray cell in XFD1048576 costs a glance at the archive, not gigabytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """What a submitted file may hold (the README's "Hostile and broken inputs" lists them)."""

    xlsx_uncompressed_mb: int = 1024  # all members of the archive, uncompressed
    xlsx_ratio: int = 250  # uncompressed / compressed size of a member over 1 MB
    xlsx_sheets: int = 200
    xlsx_rows: int = 200_000  # the furthest row holding a cell with a value
    xlsx_columns: int = 500  # the furthest column holding a cell with a value
    xlsx_cells: int = 5_000_000  # rows x columns of the sheet's real extent
    csv_columns: int = 500
    json_depth: int = 20  # nesting of lists and objects
    json_number_digits: int = 50  # digits of one number


def current() -> Limits:
    """The limits of this run: the defaults, each replaced by its GCMTOOLS_LIMIT_<NAME>."""
    values = {}
    for f in fields(Limits):
        raw = os.environ.get(f"GCMTOOLS_LIMIT_{f.name.upper()}")
        if raw is not None and raw.strip().isdigit():
            values[f.name] = int(raw)
    return Limits(**values)
