"""The README's analysts' workflow, run as written on a fresh `gcmtools init` folder (issue 16).

The shell block of README.md's section "The analysts' workflow" is parsed and run line by line
in-process (`gcmtools.cli.main`): `cd` changes the working directory; a comment line is a step
done by hand, done here by the function STEPS names after its number; `~/gcm-review` is a
temporary folder. Two deviations, to stay cheap: `gcmtools build` builds one brief
(`--only 10`), and the disk cache is the run's sources cache (tests/conftest.py). Change the README's block and this test runs the new one.
"""

from __future__ import annotations

import csv
import os
import re
import shlex

import openpyxl
import pandas as pd
import pytest

from conftest import FIXTURES, ROOT, run_notebook, sources_cache
from gcmtools import cli

pytestmark = pytest.mark.slow


def readme_block() -> list[str]:
    """The lines of the first ```sh block of "## The analysts' workflow"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The analysts' workflow", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1).splitlines()


def fill_submissions(folder):
    """Step 2: two files of one submitter, the second a resubmission dated later (its T-002
    supersedes the first's; its T-001 corrects the first's rejected row)."""
    with open(FIXTURES / "good" / "two_practices.csv", encoding="utf-8") as f:
        rows = {r["practice_id"]: r for r in csv.DictReader(f)}
    rows["T-001"]["submitter"] = rows["T-002"]["submitter"]
    first = [{**rows["T-001"], "objectives": "99"}, {**rows["T-002"], "title": "Shelter (first version)"}]
    second = [rows["T-001"], {**rows["T-002"], "title": "Shelter and legal aid for victims"}]
    for name, records, date in (("caritas.csv", first, "2020-03-01"), ("caritas-corrected.csv", second, "2020-04-15")):
        with open(folder / "submissions" / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, [*records[0], "submitted"], lineterminator="\n")
            w.writeheader()
            w.writerows({**r, "submitted": date} for r in records)


def explore_and_export(folder):
    """Step 7: explore.ipynb executed in a real kernel inside the project folder, on its
    submissions (the chart reaches the front end as an image), then its selection exported."""
    import json

    from gcmtools.intake import explorer

    executed = folder / "outputs" / "explore.ipynb"
    run_notebook(ROOT / "notebooks" / "explore.ipynb", executed, parameters={"practices": "submissions"},
                 cwd=folder)
    state = json.loads(executed.read_text(encoding="utf-8"))["metadata"]["widgets"][
        "application/vnd.jupyter.widget-state+json"]["state"]
    shown = [o for m in state.values() if m["model_name"] == "OutputModel" for o in m["state"].get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in shown)
    ex = explorer.open_explorer("submissions", "unece-2020-rt3")
    out = ex.export("outputs/selection.xlsx")  # relative to the project folder
    assert out.resolve() == (folder / "outputs" / "selection.xlsx").resolve()
    exported = pd.read_excel(out, engine="openpyxl")
    assert sorted(exported["practice_id"]) == ["T-001", "T-002"]
    assert not exported["source_file"].astype(str).str.contains(str(folder)).any()  # no machine path


STEPS = {"2": fill_submissions, "7": explore_and_export}


def test_the_readme_workflow_runs_on_a_fresh_project_folder(tmp_path, tmp_path_factory, monkeypatch, capsys):
    monkeypatch.delenv("GCM_ROOT", raising=False)
    # the run's sources cache: the shipped sources parsed once a run (their cold parse is the
    # build tests' to check, not the workflow's)
    monkeypatch.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "gcm-review"
    codes, done = {}, []
    for line in readme_block():
        command = line.split("  #", 1)[0].strip()
        if line.startswith("#"):
            number = re.match(r"# (\d+)\.", line).group(1)
            STEPS[number](home)
            done.append(number)
            continue
        args = shlex.split(command.replace("~/gcm-review", str(home)))
        if args[0] == "cd":
            os.chdir(args[1])
            continue
        assert args[0] == "gcmtools", line
        if args[1] == "build":
            args += ["--only", "10"]
        codes[args[1]] = cli.main(args[1:])
        done.append(args[1])
    assert done == ["init", "template", "template", "template", "2", "validate", "feedback", "suggest", "build", "7"]
    out = capsys.readouterr().out
    # template out: the contract's columns, the resubmission's date among them
    sheet = openpyxl.load_workbook(home / "outputs" / "submission-template.xlsx")["Practices"]
    assert "submitted" in [c.value for c in sheet[1]]
    # ... and in French and Russian: the README sheet in the submitter's language
    readme = {lang: " ".join(str(c.value) for row in openpyxl.load_workbook(home / "outputs" / name)["README"].iter_rows()
                             for c in row if c.value)
              for lang, name in (("fr", "modele-de-soumission.xlsx"), ("ru", "shablon-predstavleniya.xlsx"))}
    assert "Pacte mondial" in readme["fr"] and "Глобальный договор" in readme["ru"]
    # validate: the rejected row claimed nothing, the first T-002 superseded by the later file
    assert codes["validate"] == 1 and codes["init"] == codes["template"] == 0
    assert "submissions/caritas.csv: row 3 (practice_id 'T-002') superseded by submissions/caritas-corrected.csv row 3" in out
    assert "= 2 accepted + 2 rejected (1 of them superseded by a later file: nothing to correct)" in out
    report = pd.read_csv(home / "outputs" / "rejections.csv")
    assert sorted(report["rule"]) == ["objective-unknown", "row-superseded"]
    # feedback and suggestions
    assert [p.suffix for p in sorted((home / "outputs" / "feedback").iterdir())] == [".html", ".xlsx"]
    practices = pd.read_excel(home / "outputs" / "suggestions.xlsx", sheet_name="Practices", engine="openpyxl")
    assert sorted(practices["practice_id"]) == ["T-001", "T-002"]
    # build: the project's submissions, not the illustrative practices
    assert codes["build"] == 0
    briefs = home / "outputs" / "unece-2020-rt3"
    page = (briefs / "objective-10.html").read_text(encoding="utf-8")
    assert "Shelter and legal aid for victims" in page and "first version" not in page
    assert "ILL-" not in page and "Illustrative data" not in page
    assert "not built yet" in (briefs / "index.html").read_text(encoding="utf-8")
