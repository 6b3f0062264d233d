"""Shared test helpers: paths to fixtures and to the shipped data, the shared builds, and how the
suite is spread over pytest-xdist's two workers.

Shared builds (use them instead of building again; each is built at most once per worker):

- `shipped_build` (session): the shipped params (params/unece-2020-rt3.yaml) built once, with
  their formats (HTML, PDF, DOCX; HTML only when Chromium is missing), into a temporary folder:
  the published folder (`.../unece-2020-rt3`). For tests that only READ a real build's outputs
  (pages, key figures, PDFs, downloads): never write into it. Every test that asks for it is put
  in the xdist group "shipped-build", so that one worker builds it once for all of them.
- `built_project` (function): tests/build/buildproject.py's small project (one test notebook
  that can be told to fail, hang or die; objectives 10, 11 and the overview), already built
  once (every brief published) and copied into this test's `tmp_path` (the project root;
  GCM_ROOT points at it). For fault tests that start from a published state: each gets its own
  copy, so a fault cannot reach another test. The build itself (`small_build`, session) runs
  once per worker. A test that needs the project unbuilt uses `buildproject.make_project`.

- `sources_cache(tmp_path_factory)` (a function): the GCM_CACHE folder, one per run, for the
  modules that ingest the shipped sources (their module fixtures set it).

Spreading the suite (pyproject's addopts: `--dist loadgroup --no-loadscope-reorder`, with `-n 2`
from the Makefile): a module with a module-scoped (or class-scoped) fixture is one unit of work,
sent whole to one worker (as `--dist loadfile`), so its fixture is made once; a test using only
function- and session-scoped fixtures is a unit of its own (as `--dist load`); the tests of an
`xdist_group` mark, or of a shared build above (SHARED_BUILDS), go together to one worker. Units
start longest first (LONGEST, from `make test-timed`'s bench/tests.json), so that the suite does
not end with one worker running a long unit while the other waits. A new slow module that builds
once for several tests: a module-scoped fixture, or a session one listed in SHARED_BUILDS.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"

#: the longest units of work, seconds on a quiet 2-core machine (bench/tests.json, per_file_s):
#: they are started first; every other unit keeps its collection order after them
LONGEST = {
    "tests/brief/test_brief.py": 100,
    "shipped-build": 80,
    "tests/build/test_build.py::test_rebuild_decisions": 60,
    "tests/test_hostile_inputs.py::test_a_million_rows": 50,
    "tests/sources/test_sources.py": 32,
    "tests/build/test_build.py::test_only_builds_the_named_objectives": 30,
    "tests/build/test_notebooks.py::test_nbval_fails_on_the_cell_a_changed_input_affects": 26,
    "tests/analysis/test_recompute_national.py": 25,
    "tests/intake/test_issue19_corpus.py": 22,
    "tests/analysis/test_keyfigures.py": 20,
    "tests/test_cli.py::test_ingest_each_shipped_source[unodc_glotip_2003_2021]": 20,
    "tests/build/test_changes.py": 16,
    "tests/build/test_build_recovery.py::test_a_build_killed_outright_leaves_no_process_and_the_next_cleans_up": 12,
    "tests/build/test_browser.py": 11,
}
#: session fixtures whose tests must share one worker (so that the fixture is built once)
SHARED_BUILDS = {"shipped_build": "shipped-build"}


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def root() -> Path:
    return ROOT


def sources_cache(tmp_path_factory) -> Path:
    """The disk cache (GCM_CACHE) of the modules that ingest the shipped sources: one folder for
    the whole run, both workers included (store.cached writes atomically), so each shipped file is
    parsed once per run rather than once per module and worker."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "sources-cache"


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped params built once, with their formats (see the module's text)."""
    from gcmtools import cli
    from gcmtools.build import formats

    out = tmp_path_factory.mktemp("shipped-build")
    args = ["build", "--out", str(out), "--jobs", "2"]
    if formats.chromium() is None:  # the PDFs need Chromium; their tests are skipped without it
        args += ["--formats", "html"]
    assert cli.main(args) == 0
    return out / "unece-2020-rt3"


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> Path:
    """buildproject's small project, built once with `--jobs 2` (every brief published): copied by `built_project`."""
    from buildproject import make_project, run, statuses  # tests/build/, on sys.path for its tests

    project = tmp_path_factory.mktemp("small-build")
    with pytest.MonkeyPatch.context() as mp:
        make_project(project, mp)
        report, lines, _ = run(project, jobs=2)
    assert report.exit_code == 0 and statuses(report) == {
        "objective-10": "published", "objective-11": "published", "overview": "published"}, lines
    return project


@pytest.fixture
def built_project(small_build, tmp_path, monkeypatch) -> Path:
    """A copy of `small_build` in this test's tmp_path, GCM_ROOT set to it (see the module's text)."""
    shutil.copytree(small_build, tmp_path, symlinks=True, dirs_exist_ok=True)
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))
    monkeypatch.delenv("GCM_TEST_FAIL", raising=False)
    return tmp_path


def _group(item: pytest.Item) -> str:
    """The unit of work an item belongs to: its xdist_group, a shared build's, or its file."""
    marks = [m.args[0] if m.args else m.kwargs.get("name", "default") for m in item.iter_markers("xdist_group")]
    shared = [g for f, g in SHARED_BUILDS.items() if f in getattr(item, "fixturenames", ())]
    if marks or shared:
        return "_".join(sorted({*map(str, marks), *shared}))
    if isinstance(item, pytest.Function) and not _shares_a_fixture(item):
        return item.nodeid  # a unit of its own: the long modules spread over both workers
    return item.path.relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else str(item.path)


def _shares_a_fixture(item: pytest.Function) -> bool:
    """Whether the test uses a module-, class- or package-scoped fixture (its module then stays
    on one worker, so that the fixture is made once)."""
    defs = item._fixtureinfo.name2fixturedefs.values()
    return any(d and getattr(d[-1], "scope", "function") in ("module", "class", "package") for d in defs)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    groups = {id(item): _group(item) for item in items}
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[id(item)]))
    first = {}
    for i, item in enumerate(items):
        first.setdefault(groups[id(item)], i)
    items.sort(key=lambda item: (-LONGEST.get(groups[id(item)], 0), first[groups[id(item)]]))
