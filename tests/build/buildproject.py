"""A small project for build tests: one brief notebook (which can be told to fail, hang or die),
two practices and a params file for objectives 10, 11 and the overview; `make_project` makes it
(the `project` fixture of each file), `run` builds it. Shared by test_build.py and test_build_faults.py (two files, so that
the suite's two workers can run them side by side)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from conftest import FIXTURES
from gcmtools import build

PARAMS_CELL = '''review: str = "unece-2020-rt3"  # review id
objective: int = 8  # GCM objective of this brief
practices: str = "data/practices"  # practices, relative to the root
sources: str = ""  # custodians' files
manifest: str = ""  # run manifest JSON
key_figures_out: str = ""  # key figures JSON
previous: str = ""  # the previous build's publication record
'''
BODY = '''import json, os, pathlib, time
# SECRET-CODE-MARKER: code must never reach the HTML
failing = os.environ.get("GCM_TEST_FAIL", "").split(",")
assert str(objective) not in failing, f"asked to fail objective {objective}"
if os.environ.get("GCM_TEST_SLEEP") == str(objective):
    time.sleep(60)
if os.environ.get("GCM_TEST_KILL") == str(objective):
    os.kill(os.getpid(), 9)  # the kernel dies in the middle of the brief
edited = pathlib.Path(practices) / "p.csv"
if os.environ.get("GCM_TEST_EDIT") == str(objective):  # a practice removed while the brief reads...
    original, st = edited.read_bytes(), edited.stat()
    edited.write_bytes(original.rsplit(b"\\n", 2)[0] + b"\\n")
if key_figures_out:  # as the real briefs publish them: the index reads the practice counts
    from gcmtools import brief
    brief.save_key_figures(brief.load_context(review, objective, practices, sources), key_figures_out)
if os.environ.get("GCM_TEST_EDIT") == str(objective):  # ...and put back, bytes and time
    edited.write_bytes(original)
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
print(f"brief for objective {objective} with manifest {bool(manifest)}")
'''


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMS_CELL)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test brief"), params, nbformat.v4.new_code_cell(BODY)]
    nb.metadata["kernelspec"] = {"name": "gcm-workbook", "display_name": "GCM Workbook (.venv)",
                                 "language": "python"}
    nbformat.write(nb, path)


def make_project(tmp_path: Path, monkeypatch) -> Path:
    """A project root with one brief notebook, two practices and a params file for 10, 11 and overview."""
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "brief.ipynb")
    (tmp_path / "data" / "practices").mkdir(parents=True)
    shutil.copy(FIXTURES / "good" / "two_practices.csv", tmp_path / "data" / "practices" / "p.csv")
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "run.yaml").write_text(
        "review: unece-2020-rt3\npractices: data/practices\nsources: []\nexecution_timeout: 60\n"
        "briefs:\n"
        "  - {notebook: notebooks/brief.ipynb, parameters: {objective: 10}}\n"
        "  - {notebook: notebooks/brief.ipynb, parameters: {objective: 11}}\n"
        "  - {id: overview, notebook: notebooks/brief.ipynb}\n",
        encoding="utf-8")
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))
    monkeypatch.delenv("GCM_TEST_FAIL", raising=False)
    return tmp_path


def run(project, **kw):
    lines = []
    plan = build.load_plan("params/run.yaml", only=kw.pop("only", None), formats=kw.pop("formats", None))
    report = build.build(plan, jobs=kw.pop("jobs", 1), force=kw.pop("force", False), log=lines.append)
    return report, lines, plan.out_dir


def statuses(report):
    return {o.id: o.status for o in report.outcomes}


def processes_of(project):
    """Processes (workers, zygotes, kernels, multiprocessing's resource tracker) started for
    builds of `project`: they inherit its GCM_ROOT."""
    import os

    import psutil

    found = []
    for p in psutil.process_iter():
        try:
            if p.pid != os.getpid() and p.environ().get("GCM_ROOT") == str(project):
                found.append(p)
        except psutil.Error:
            pass
    return found
