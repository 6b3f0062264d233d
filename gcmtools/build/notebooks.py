"""The workbook's own notebooks: lint them, and re-execute them in place (`make regold`).

In: notebooks/*.ipynb. Out: a list of lint problems, or the notebooks rewritten with fresh
outputs and without volatile metadata (papermill's timings, execution timestamps), so that a
refresh is one readable diff and nbval has outputs to compare.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from gcmtools.build.worker import KERNEL_NAME
from gcmtools.paths import project_root

DEF_OR_CLASS = re.compile(r"^\s*(def|class)\s", re.M)
PLT_CALL = re.compile(r"\bplt\.")


def notebook_paths(root: Path | None = None) -> list[Path]:
    """Every notebook under notebooks/ (checkpoints excluded), sorted."""
    folder = (root or project_root()) / "notebooks"
    return sorted(p for p in folder.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def lint(path: Path) -> list[str]:
    """What is wrong with a notebook by the project's rules (empty list: nothing)."""
    problems = []
    if path.stem.lower().startswith("untitled"):
        problems.append(f"{path.name}: scratch notebook name")
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code:
        problems.append(f"{path.name}: no code cell")
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        problems.append(f"{path.name}: {len(tagged)} cells tagged 'parameters' (want exactly one)")
    elif tagged[0] != 0:
        problems.append(f"{path.name}: the parameters cell is not the first code cell")
    else:
        for line in code[0].source.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                if "#" not in line or ":" not in line.split("=")[0]:
                    problems.append(f"{path.name}: parameter line without a type and a comment: {line.strip()!r}")
    for i, c in enumerate(code):
        if DEF_OR_CLASS.search(c.source):
            problems.append(f"{path.name}: code cell {i + 1} defines a function or class")
        if PLT_CALL.search(c.source):
            problems.append(f"{path.name}: code cell {i + 1} calls plt. directly")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != KERNEL_NAME:
        problems.append(f"{path.name}: kernel {kernel!r}, not {KERNEL_NAME!r}")
    return problems


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what changes on every run and means nothing to a reader (timings, papermill metadata)."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def regold(paths: list[Path] | None = None, timeout: int = 600) -> list[Path]:
    """Execute each notebook in place with its default parameters and the project's kernel."""
    import papermill

    done = []
    for path in paths or notebook_paths():
        papermill.execute_notebook(str(path), str(path), kernel_name=KERNEL_NAME,
                                   cwd=str(project_root()), progress_bar=False,
                                   request_save_on_cell_execute=False, execution_timeout=timeout,
                                   # the build's client: it does not sleep through a lost wakeup
                                   kernel_manager_class="gcmtools.build.forkkernel.ForkingKernelManager")
        nb = strip_volatile(nbformat.read(path, as_version=4))
        nbformat.write(nb, path)
        done.append(path)
    return done
