"""The package is its pipeline: no module imports one that stands above it.

reference data -> catalogue -> html -> intake and sources -> analysis -> brief -> build -> cli.
Imports inside functions count as much as those at the top, and so does a module named by
string (the forked kernel's preload list): a lazy import that runs back up is still a cycle.
"""

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "gcmtools"

#: each part of the package and its height in the pipeline (higher imports lower, never back)
LAYERS = {
    "gcmtools": 0, "gcmtools.paths": 0, "gcmtools.store": 0,
    "gcmtools.catalogue": 1,
    "gcmtools.html": 2,
    "gcmtools.intake": 3, "gcmtools.sources": 3,
    "gcmtools.analysis": 4,
    "gcmtools.brief": 5,
    "gcmtools.build": 6,
    "gcmtools.cli": 7, "gcmtools.__main__": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int:
    """The height of the longest LAYERS prefix of `module`."""
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """Every gcmtools module that `path` imports or names as a string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in MODULES:
            found.add(node.value)
    return {m for m in found if m == "gcmtools" or m.startswith("gcmtools.")}


def test_every_module_has_a_layer():
    assert MODULES and all(layer(m) >= 0 for m in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_one_above_it(module):
    up = sorted(m for m in imported(MODULES[module]) if layer(m) > layer(module))
    assert not up, f"{module} (layer {layer(module)}) imports {up}, above it in the pipeline"


def test_the_package_itself_imports_nothing_above_the_store():
    """Importing gcmtools (what a build worker does first) must not import pandas' world."""
    assert all(layer(m) == 0 for m in imported(PACKAGE / "__init__.py"))


def test_the_rule_catches_an_import_running_back_up(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from gcmtools.build import plan\n", encoding="utf-8")
    assert "gcmtools.build.plan" in imported(bad) and layer("gcmtools.build.plan") > layer("gcmtools.intake")
