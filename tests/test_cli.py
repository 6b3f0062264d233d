"""The command line, run as a user runs it: exit codes, messages, the report, the help."""

import csv
import subprocess
import sys

from conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good" / "two_practices.csv"


def gcm(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "gcmtools", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_validate_good_file_exits_0():
    run = gcm("validate", GOOD)
    assert run.returncode == 0, run.stderr
    assert "2 rows read = 2 accepted + 0 rejected" in run.stdout


def test_validate_bad_rows_exits_1_names_every_bad_row_and_writes_report(tmp_path):
    report = tmp_path / "rejections.csv"
    run = gcm("validate", BAD / "unknown_principle.csv", BAD / "unresolvable_country.csv",
              "--report", report)
    assert run.returncode == 1, run.stderr
    assert "unknown_principle.csv: row 4, column principles: 'human-right' is not a valid" in run.stdout
    assert "unresolvable_country.csv: row 4, column country: country 'Narnia'" in run.stdout
    assert "6 rows read = 2 accepted + 4 rejected" in run.stdout  # T-001/T-002 repeat across files
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert list(rows[0]) == ["file", "row", "practice_id", "column", "value", "reason"]
    assert len(rows) == 5  # 3 duplicated ids + the bad principle + the bad country


def test_validate_unreadable_exits_2_with_one_line_and_no_traceback():
    run = gcm("validate", BAD / "json_object.json")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "JSON must be a list of records" in run.stderr and "Traceback" not in run.stderr


def test_contract_command_is_the_readme_section():
    run = gcm("contract")
    assert run.returncode == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert run.stdout.strip() in readme, "README's contract section drifted: paste `gcmtools contract`"


def test_console_script_and_help():
    run = gcm("--help")
    assert run.returncode == 0
    for command in ("validate", "contract", "sources", "ingest"):
        assert command in run.stdout
