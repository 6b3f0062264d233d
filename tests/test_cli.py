"""The command line, run as a user runs it: exit codes, messages, the report, the help.

In this process (conftest's `gcm` fixture, `cli.main`), but for the console entry point, run as
a real process once (`python -m gcmtools --help`)."""

import csv
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good" / "two_practices.csv"


def gcm_process(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "gcmtools", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_validate_good_file_exits_0(gcm):
    run = gcm("validate", GOOD)
    assert run.returncode == 0, run.stderr
    assert "2 rows read = 2 accepted + 0 rejected" in run.stdout


def test_validate_bad_rows_exits_1_names_every_bad_row_and_writes_report(tmp_path, gcm):
    report = tmp_path / "rejections.csv"
    run = gcm("validate", BAD / "unknown_principle.csv", BAD / "unresolvable_country.csv",
              "--report", report)
    assert run.returncode == 1, run.stderr
    assert "unknown_principle.csv: row 4, column principles: 'human-right' is not a valid" in run.stdout
    assert "unresolvable_country.csv: row 4, column country: country 'Narnia'" in run.stdout
    assert "6 rows read = 2 accepted + 4 rejected" in run.stdout  # T-001/T-002 repeat across files
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert list(rows[0]) == ["file", "row", "practice_id", "column", "value", "reason", "rule", "advice"]
    # the ids T-001, T-002 repeated + the bad principle + the bad country; the two T-003 rows are
    # rejected for their own reasons and claim no id, so neither is a duplicate (issue 16)
    assert len(rows) == 4


def test_validate_unreadable_exits_2_with_one_line_and_no_traceback(gcm):
    run = gcm("validate", BAD / "json_object.json")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "JSON must be a list of records" in run.stderr and "Traceback" not in run.stderr


def test_contract_command_is_the_readme_section(gcm):
    run = gcm("contract")
    assert run.returncode == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert run.stdout.strip() in readme, "README's contract section drifted: paste `gcmtools contract`"


def test_console_script_and_help():
    run = gcm_process("--help")
    assert run.returncode == 0
    for command in ("validate", "contract", "sources", "ingest"):
        assert command in run.stdout


def test_sources_lists_every_adapter(gcm):
    run = gcm("sources")
    assert run.returncode == 0
    for name in ("mmp:", "glotip:", "unhcr:", "eurostat:", "uk_home_office:", "open_sdg:", "undesa:"):
        assert name in run.stdout


SHIPPED = [
    ("data/mmp_global_2014_2024/Missing_Migrants_Global_Figures_allData.xlsx", "mmp_dead_missing"),
    ("data/unodc_glotip_2003_2021", "unodc_detected_victims"),
    ("data/unhcr_refugees_1951_2025", "unhcr_stateless"),
    ("data/eurostat_enforcement_2014_2023", "eurostat_refused_entry"),
    ("data/uk_home_office_immigration_2004_2023", "uk_detention_stock"),
    ("data/sdg_national_armenia", "sdg_16_9_1"),
    ("data/undesa_migrant_stock_1990_2020", "undesa_migrant_stock"),
]


@pytest.mark.slow
@pytest.mark.parametrize("path, indicator", SHIPPED, ids=[p.split("/")[1] for p, _ in SHIPPED])
def test_ingest_each_shipped_source(tmp_path, path, indicator, gcm):
    out = tmp_path / "obs.csv"
    run = gcm("ingest", path, "--out", out)
    assert run.returncode == 0, run.stderr
    obs = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert indicator in set(obs["indicator"])
    assert (obs[["publisher", "dataset", "file", "vintage", "licence"]] != "").all().all()


def test_ingest_open_sdg_file_with_geo(tmp_path, gcm):
    src = tmp_path / "indicator_16-9-1.csv"
    src.write_bytes((ROOT / "data/sdg_national_armenia/data/indicator_16-9-1.csv").read_bytes())
    without = gcm("ingest", src, "--out", tmp_path / "a.csv")
    assert without.returncode == 2 and "--geo" in without.stderr
    run = gcm("ingest", src, "--geo", "ARM", "--out", tmp_path / "a.csv")
    assert run.returncode == 0, run.stderr
    assert set(pd.read_csv(tmp_path / "a.csv")["geo"]) == {"ARM"}


def test_ingest_unknown_layout_exits_2_naming_columns_and_layouts(tmp_path, gcm):
    f = tmp_path / "x.csv"
    f.write_text("alpha,beta\n1,2\n", encoding="utf-8")
    run = gcm("ingest", f, "--out", tmp_path / "o.csv")
    assert run.returncode == 2
    assert "alpha" in run.stderr and "Layouts known" in run.stderr and "Traceback" not in run.stderr


def test_template_and_feedback_commands(tmp_path, gcm):
    run = gcm("template", tmp_path / "t.xlsx")
    assert run.returncode == 0 and (tmp_path / "t.xlsx").is_file()
    assert gcm("template", tmp_path / "t.csv").returncode == 2
    run = gcm("feedback", BAD / "unknown_principle.csv", "--out", tmp_path / "fb")
    assert run.returncode == 1
    assert (tmp_path / "fb" / "ngo-x.xlsx").is_file() and (tmp_path / "fb" / "ngo-x.html").is_file()


def test_every_command_the_readme_shows_exists(gcm):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"(?:bin/|`)gcmtools (\w+)", readme))
    assert {"validate", "build", "ingest", "template", "feedback"} <= shown
    help_text = gcm("--help").stdout
    for command in shown:
        assert command in help_text, f"README shows `gcmtools {command}`, which does not exist"
    for target in re.findall(r"make (\w+)", readme):
        assert f"make {target}" in subprocess.run(["make", "help"], cwd=ROOT, capture_output=True,
                                                  text=True).stdout or target in ("test", "briefs")


def _national_folder(root, bad: str | None):
    """An Open SDG folder as a country publishes it: a good file, and maybe a bad one."""
    data = root / "sdg_national_armenia" / "data"
    data.mkdir(parents=True)
    (data / "indicator_16-9-1.csv").write_text("Year,Value\n2020,99.5\n2021,99.6\n",
                                               encoding="utf-8")
    if bad is not None:
        (data / "indicator_16-2-2.csv").write_text(bad, encoding="utf-8")
    return root / "sdg_national_armenia"


def test_ingest_reports_an_unreadable_file_and_reads_the_others(tmp_path, gcm):
    # a blank column name and several values for one year: the values cannot be told apart
    folder = _national_folder(tmp_path, "Year,,Value\n2020,,1.5\n2020,,2.5\n2021,,3\n")
    out = tmp_path / "obs.csv"
    run = gcm("ingest", folder, "--out", out, "--no-cache")
    assert run.returncode == 1
    bad = folder / "data" / "indicator_16-2-2.csv"
    assert run.stderr == (
        f"error: {bad.as_posix()}: 2 rows give more than one value for the same year and "
        "breakdown (first: line 2, year 2020); column 2 has no name, so their values cannot "
        "be told apart\n1 file(s) not read (see the errors above)\n")
    assert run.stdout.splitlines()[0] == f"2 observations of 1 indicator(s) from 1 file(s) written to {out}"
    written = pd.read_csv(out)
    assert written[["indicator", "geo", "year", "value"]].values.tolist() == [
        ["sdg_16_9_1", "ARM", 2020, 99.5], ["sdg_16_9_1", "ARM", 2021, 99.6]]


def test_ingest_of_a_folder_with_no_known_layout_exits_2_naming_the_files(tmp_path, gcm):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "lookup.csv").write_text("code,label\nA,Alpha\n", encoding="utf-8")
    (folder / "notes.csv").write_text("text\nhello\n", encoding="utf-8")
    run = gcm("ingest", folder, "--out", tmp_path / "obs.csv")
    assert run.returncode == 2
    assert run.stderr == (
        f"error: no file in a layout gcmtools can read; files seen: {(folder / 'lookup.csv').as_posix()}, "
        f"{(folder / 'notes.csv').as_posix()} (see `gcmtools sources`)\n")
    assert run.stdout == "" and not (tmp_path / "obs.csv").exists()


def test_ingest_of_a_folder_with_no_data_file_exits_2_naming_what_it_holds(tmp_path, gcm):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello\n", encoding="utf-8")
    run = gcm("ingest", folder, "--out", tmp_path / "obs.csv")
    assert run.returncode == 2
    assert run.stderr == ("error: no data file (.xlsx, .xlsm, .xls, .csv, .csv.gz, .tsv, .tsv.gz) "
                          f"to read; files seen: {folder / 'notes.txt'}\n")
    assert run.stdout == "" and not (tmp_path / "obs.csv").exists()


def test_ingest_of_a_folder_all_read_exits_0(tmp_path, gcm):
    folder = _national_folder(tmp_path, None)
    run = gcm("ingest", folder, "--out", tmp_path / "obs.csv", "--no-cache")
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.splitlines() == [
        f"2 observations of 1 indicator(s) from 1 file(s) written to {tmp_path / 'obs.csv'}"]
