"""Broken and hostile submissions: each gets one clear message and the right exit code.

The corpus is tests/fixtures/hostile/ (regenerate with its make_corpus.py); expected.csv holds
each file's exit code and a piece of its message. Nothing is ever silently dropped.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from gcmtools.catalogue import contract
from gcmtools.intake.files import RawTable
from gcmtools.intake.validate import validate_paths, validate_tables

HOSTILE = FIXTURES / "hostile"
EXPECTED = list(csv.DictReader((HOSTILE / "expected.csv").open(encoding="utf-8")))


def test_corpus_is_complete():
    files = {p.name for p in HOSTILE.iterdir() if p.name not in ("expected.csv", "make_corpus.py")}
    assert files == {e["file"] for e in EXPECTED}
    assert len(EXPECTED) + len(list((FIXTURES / "bad").iterdir())) >= 30


@pytest.mark.parametrize("case", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_each_hostile_file(case, capsys):
    """`gcmtools validate` on each file, in this process (a process each cost a second of
    imports per file); an exception escaping the command fails the test as a traceback would."""
    from gcmtools import cli

    code = cli.main(["validate", str(HOSTILE / case["file"])])
    run = capsys.readouterr()
    out = run.out + run.err
    assert code == int(case["exit_code"]), out
    assert case["message"] in out, out
    if code == 2:
        assert len(run.err.strip().splitlines()) == 1  # one line saying why


def test_a_hostile_file_through_the_command_itself():
    """The same, once, as a user runs it: the exit code and the one line come out of the process."""
    case = next(e for e in EXPECTED if e["exit_code"] == "2")
    run = subprocess.run([sys.executable, "-m", "gcmtools", "validate", str(HOSTILE / case["file"])],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2 and case["message"] in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_merged_and_formula_rows_are_rejected_not_dropped():
    result = validate_paths([HOSTILE / "merged_cells.xlsx"])
    assert list(result.rejected["source_row"]) == [4]
    assert list(result.accepted["practice_id"]) == ["H-1", "H-2"]


@pytest.mark.slow
def test_a_million_rows(tmp_path):
    path = tmp_path / "million.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("practice_id,submitter,submitter_type,country,objectives,title,description\n")
        for i in range(1_000_000):
            bad = "nope" if i % 250_000 == 7 else "member_state"
            fh.write(f"M-{i},Ministry,{bad},{'ARM' if i % 3 else 'Georgia'},{4 + i % 2},Title {i},D\n")
    result = validate_paths([path])
    assert result.counts.loc[0, "read"] == 1_000_000
    assert len(result.rejected) == 4 and len(result.accepted) == 999_996
    assert list(result.problems["row"]) == [9, 250_009, 500_009, 750_009]


# --- property-based: random defects in random rows -------------------------------------------

GOOD_ROW = {"practice_id": "P", "submitter": "Ministry", "submitter_type": "member_state",
            "country": "ARM", "objectives": "10", "title": "T", "description": "D",
            "guiding_questions": "5", "principles": "human-rights", "practice_type": "service",
            "target_groups": "women", "covid19": "no", "year_start": "2019", "year_end": "",
            "status": "ongoing", "partners": "", "source_ref": "https://example.org", "language": "en"}
DEFECTS = {
    "submitter": ["", "  "], "submitter_type": ["member-state", "x", ""], "country": ["Narnia", "ARM; Atlantis", ""],
    "objectives": ["0", "24", "ten", "4,5", ""], "guiding_questions": ["7", "x"],
    "principles": ["human_rights", "love"], "covid19": ["yess", "maybe"], "year_start": ["1899", "20x9", "3000"],
    "source_ref": ["javascript:alert(1)", "ftp://x", "data:text/html,x"], "status": ["done"],
    "title": ["", "\x00"],
}
defect = st.sampled_from([(c, v) for c, vs in DEFECTS.items() for v in vs])
junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), defect, junk), min_size=1, max_size=25),
       st.lists(st.tuples(st.sampled_from(contract.column_names()), junk), max_size=5))
def test_intake_property(rows, fuzz):
    records, expect_bad = [], set()
    for i, (is_bad, (col, value), _) in enumerate(rows):
        rec = dict(GOOD_ROW, practice_id=f"P-{i}")
        if is_bad:
            rec[col] = value
            expect_bad.add(i)
        records.append(rec)
    for j, (col, value) in enumerate(fuzz):  # arbitrary text in arbitrary cells
        records[j % len(records)][col] = value
    frame = pd.DataFrame(records, dtype=object)
    table = RawTable("generated.csv", frame, rows=list(range(2, len(records) + 2)))
    result = validate_tables([table])
    # accepted + rejected = read, every rejection has a reason, no exception escapes
    assert len(result.accepted) + len(result.rejected) == len(records)
    assert result.rejected["reasons"].str.len().gt(0).all()
    assert set(result.problems["row"]) == set(result.rejected["source_row"])
    if not fuzz:
        assert set(result.rejected["source_row"]) == {i + 2 for i in expect_bad}
