"""The notebooks: lint rules, stored outputs for nbval, nbval failing on a changed input, and the
key-figures JSON of a real build checked against the data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import axecheck
from conftest import ROOT, sources_cache
from gcmtools import sources
from gcmtools.build import notebooks
from gcmtools.intake.feedback import write_feedback
from gcmtools.intake.validate import validate_paths

NOTEBOOKS = notebooks.notebook_paths(ROOT)
NBVAL = ["--nbval", "--nbval-kernel-name", "gcm-workbook",
         "--nbval-sanitize-with", str(ROOT / "notebooks" / "nbval-sanitize.cfg"), "-p", "no:cacheprovider"]


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} == {"brief.ipynb", "overview.ipynb", "explore.ipynb", "country.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lint(path):
    assert notebooks.lint(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_with_outputs_and_no_volatile_metadata(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2, "run `make regold`"
    assert "papermill" not in nb.metadata
    text = path.read_text(encoding="utf-8")
    assert str(ROOT) not in text and "/tmp/" not in text


def test_lint_catches_what_it_should(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("def f():\n    plt.plot()")]
    nb.metadata["kernelspec"] = {"name": "python3"}
    path = tmp_path / "Untitled1.ipynb"
    nbformat.write(nb, path)
    problems = " | ".join(notebooks.lint(path))
    for expected in ("scratch notebook name", "0 cells tagged 'parameters'", "defines a function",
                     "calls plt.", "kernel 'python3'"):
        assert expected in problems


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for part in ("notebooks", "data"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("*.xlsx"))
    for mmp in ("mmp_global_2014_2024", "mmp_global_2014_2025"):  # both vintages, as the notebooks read data/
        shutil.copytree(ROOT / "data" / mmp, root / "data" / mmp, dirs_exist_ok=True)
    return root


def _nbval(root: Path, notebook: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GCM_ROOT": str(root), "GCM_CACHE": str(cache)}  # the sources parsed once a run
    return subprocess.run([sys.executable, "-m", "pytest", "-q", str(root / "notebooks" / notebook), *NBVAL],
                          capture_output=True, text=True, cwd=root, env=env, timeout=300)


@pytest.mark.slow
def test_nbval_fails_on_the_cell_a_changed_input_affects(tmp_path, tmp_path_factory):
    root = _project_copy(tmp_path)
    cache = sources_cache(tmp_path_factory)
    ok = _nbval(root, "brief.ipynb", cache)
    assert ok.returncode == 0, ok.stdout[-3000:]
    # change one value of one objective-8 practice in the copy of the input data
    csv_path = root / "data" / "practices" / "illustrative_practices.csv"
    practices = validate_paths([csv_path]).accepted
    target = practices[practices["objectives"].map(lambda o: o == [8])].iloc[0]
    text = csv_path.read_text(encoding="utf-8")
    assert text.count(target["title"]) == 1
    csv_path.write_text(text.replace(target["title"], target["title"] + " (revised)"), encoding="utf-8")
    changed = _nbval(root, "brief.ipynb", cache)
    assert changed.returncode == 1
    failed = sorted({line.split("::")[1].split(" - ")[0] for line in changed.stdout.splitlines()
                     if line.startswith("FAILED")})
    assert failed, changed.stdout[-3000:]
    # the cell that lists the practices is among those that fail; the parameters cell is not
    assert "Cell 0" not in failed
    assert "(revised)" in changed.stdout


@pytest.fixture
def built(shipped_build):
    """The shipped params' build, shared with test_formats_build.py (tests/conftest.py)."""
    return shipped_build


@pytest.mark.slow
def test_build_publishes_every_brief_with_key_figures(built):
    names = ["objective-04", "objective-08", "objective-09", "objective-10", "objective-11",
             "objective-13", "objective-21", "overview"]
    for n in names:
        assert (built / f"{n}.html").is_file() and (built / f"{n}.key-figures.json").is_file()
        page = (built / f"{n}.html").read_text(encoding="utf-8")
        assert "Illustrative data" in page and "<script" not in page.lower()
        assert "from gcmtools import brief" not in page  # no code in the HTML
    index = (built / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{n}.html"' in index for n in names)


@pytest.mark.slow
def test_objective_8_mediterranean_figures_equal_the_mmp_adapter(built):
    data = json.loads((built / "objective-08.key-figures.json").read_text())
    obs = sources.ingest([ROOT / "data" / "mmp_global_2014_2024"])
    med = obs[(obs["indicator"] == "mmp_dead_missing") & (obs["region"] == "Mediterranean")
              & (obs["sex"] == "total") & (obs["age"] == "total")]
    by_year = med.groupby("year")["value"].sum()
    mediterranean = [f for f in data["figures"] if f["filter"].get("region") == "Mediterranean"]
    assert len(mediterranean) >= 2
    for f in mediterranean:
        assert f["value"] == by_year[f["year"]]
        assert f["source"] and f["vintage"] == "MMP export 2024-11-15" and f["unit"] == "persons"
    assert by_year["2019"] == 1885 and by_year["2020"] == 1449


@pytest.mark.slow
def test_overview_counts_equal_the_intake(built):
    data = json.loads((built / "overview.key-figures.json").read_text())
    result = validate_paths([ROOT / "data" / "practices"])
    counts = data["practices"]
    assert (counts["read"], counts["accepted"], counts["rejected"]) == (
        int(result.counts["read"].sum()), len(result.accepted), len(result.rejected))
    for o, n in counts["by_objective"].items():
        assert n == int(result.accepted["objectives"].map(lambda objs: int(o) in objs).sum())
        brief = json.loads((built / f"objective-{int(o):02d}.key-figures.json").read_text())
        assert brief["practices"]["by_objective"][o] == n


@pytest.mark.slow
@pytest.mark.skipif(axecheck.CHROMIUM is None, reason="chromium not installed: run `make browser`")
def test_axe_finds_no_violation_on_any_published_page(built, tmp_path):
    """axe-core, best practices included, over every page of the real build (the seven briefs,
    the overview, two country profiles, the index) and a feedback page: not one violation. A page that breaks the
    rules is caught, so the check can fail."""
    pages = sorted(built.glob("*.html"))
    assert len(pages) == 11, pages  # seven briefs, the overview, two country profiles, the index
    feedback = [p for p in write_feedback(validate_paths([ROOT / "tests" / "fixtures" / "bad" / "unknown_principle.csv"]),
                                          tmp_path / "feedback") if p.suffix == ".html"]
    assert feedback
    control = tmp_path / "control.html"
    control.write_text('<html><body><h1>t</h1><h3>skips a level</h3><img src="data:,"></body></html>')
    found = axecheck.violations([*pages, *feedback, control])
    assert {line.split(":")[0] for line in found} == {"control.html"}, found
    assert any("heading-order" in line for line in found) and any("image-alt" in line for line in found)
