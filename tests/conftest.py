"""Shared test helpers: paths to fixtures and to the shipped data, the shared builds, and how the
suite is spread over pytest-xdist's two workers.

Shared builds (use them instead of building again; each is built at most once per worker):

- `shipped_build` (session): the shipped params (params/unece-2020-rt3.yaml) built once, with
  their formats (HTML, PDF, DOCX; HTML only when Chromium is missing), into a temporary folder:
  the published folder (`.../unece-2020-rt3`). For tests that only READ a real build's outputs
  (pages, key figures, PDFs, downloads): never write into it (test_notebooks, test_formats_build).
- `built_project` (function): tests/build/buildproject.py's small project (one test notebook
  that can be told to fail, hang or die; objectives 10, 11 and the overview), already built
  once (every brief published) and copied into this test's `tmp_path` (the project root;
  GCM_ROOT points at it). For fault tests that start from a published state: each gets its own
  copy, so a fault cannot reach another test. The build itself (`small_build`, session) runs
  once per worker. A test that needs the project unbuilt uses `buildproject.make_project`.

- `sources_cache(tmp_path_factory)` (a function): the GCM_CACHE folder, one per run, for the
  modules that ingest the shipped sources (their module fixtures set it, or the module uses the
  `shipped_sources_cache` fixture, which sets it: test_brief, test_answers).

Spreading the suite (pyproject's addopts: `--dist loadfile --no-loadscope-reorder`, with `-n 2`
from the Makefile): each test file is one unit of work, sent whole to one worker, so a module
fixture is made once; files start longest first (LONGEST, seconds from `make test-timed`'s
bench/tests.json), so that the suite does not end with one worker running a long file while the
other waits. (`--dist loadgroup` would let `shipped_build`'s two modules share one worker, but
with pytest 9.2 and pytest-xdist 3.8 its xdist_group marks have no effect: xdist renames
`item._nodeid`, which pytest 9 no longer reads; so `shipped_build` is built once per worker
that runs its tests, at most twice.) `pytest_xdist_make_scheduler` below does what loadgroup
would: it sends the files of one GROUPS entry to one worker as one unit of work, so
`shipped_build` is built once per run.

- `gcm(*args)`: `gcmtools ARGS` run in this process (`cli.main`), its exit code and what it
  printed, as a subprocess's would be. Use it instead of a subprocess (which pays the
  interpreter's start and the imports, a second or more each); keep a real process for what
  only a process shows (the console entry point, signals, a second build beside a lock).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# jsonschema (imported by nbformat, papermill, nbval) imports rfc3987_syntax when it is installed,
# which builds some thirty Lark parsers at import: 2 s of each worker's start. The build's
# workers do without it (gcmtools.build.worker.start_worker, python-jsonschema/jsonschema#1428):
# so does the suite (no notebook schema uses its "iri" format). Only where nothing imported
# jsonschema before this file: `make test-fast` (-p no:nbval), not nbval's `make test`.
sys.modules.setdefault("rfc3987_syntax", None)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"

#: the longest units of work, seconds on a quiet 2-core machine (bench/tests.json, per_file_s,
#: `make test-timed` of 2026-12-02): they are started first; every other unit keeps its
#: collection order after them
LONGEST = {
    "tests/build/test_notebooks.py": 144,  # with test_formats_build (26): the shipped build's group
    "tests/build/test_build.py": 58,
    "tests/brief/test_brief.py": 55,
    "tests/build/test_forkkernel.py": 49,
    "tests/build/test_build_recovery.py": 45,
    "tests/build/test_cluster.py": 41,
    "tests/build/test_formats.py": 38,
    "tests/build/test_country_build.py": 34,
    "tests/test_hostile_inputs.py": 33,
    "tests/build/test_build_faults.py": 28,
    "tests/build/test_formats_build.py": 26,
    "tests/build/test_browser.py": 23,
    "tests/build/test_changes.py": 23,
    "tests/sources/test_excel_head.py": 22,
    "tests/build/test_build_reviews.py": 21,
    "tests/analysis/test_recompute_mmp.py": 20,
    "tests/test_cli.py": 16,
    "tests/brief/test_country.py": 13,
}


def run_notebook(source, out, **kw):
    """papermill as the build runs it, for a test: the project's kernel with the build's client
    (gcmtools.build.forkkernel: its channels do not sleep through a lost ZeroMQ wakeup, which
    once hung a test here for 900 s) and every cell bounded, so that a wedged kernel fails its
    test with a CellTimeoutError instead of holding the run."""
    import papermill

    from gcmtools.build import forkkernel

    settings = {"kernel_name": "gcm-workbook", "progress_bar": False, "log_output": False,
                "shutdown_kernel": "immediate", "execution_timeout": 600, "start_timeout": 300,
                "kernel_manager_class": forkkernel.ForkingKernelManager, **kw}
    return papermill.execute_notebook(str(source), str(out), **settings)


#: files that share an expensive setup, each group run on one worker as one unit of work
#: (see the module's text): the shipped build (`shipped_build`)
GROUPS = {
    "tests/build/test_notebooks.py": "shipped-build",
    "tests/build/test_formats_build.py": "shipped-build",
}


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with the files of one GROUPS entry as one unit of work."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupedFiles(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return GROUPS.get(file, file)

    return GroupedFiles(config, log)


@dataclass
class Ran:
    """What a command did, as subprocess.run's result says it: exit code, stdout, stderr."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def gcm(capsys):
    """`gcm(*args, cwd=ROOT)`: `gcmtools ARGS` in this process (see the module's text)."""
    from gcmtools import cli

    def run(*args, cwd=ROOT) -> Ran:
        capsys.readouterr()
        with contextlib.chdir(cwd):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exit:  # argparse: --help, usage errors
                code = exit.code
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


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


@pytest.fixture(scope="module")
def shipped_sources_cache(tmp_path_factory):
    """GCM_CACHE set to `sources_cache` for a module (`pytestmark =
    pytest.mark.usefixtures("shipped_sources_cache")`): what its briefs read and compute (the
    sources parsed, the key figures) is computed once per run, whichever module asks first."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        yield


SHIPPED_BUILD_BRIEFS = ["4", "8", "9", "10", "11", "13", "21", "overview", "country-GRC", "country-AND"]


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped params built once, with their formats (see the module's text)."""
    from gcmtools import cli
    from gcmtools.build import formats

    out = tmp_path_factory.mktemp("shipped-build")
    # the roundtable's 8 briefs and two of the 56 country profiles (a State with much data, one
    # with little): all 64 with their PDF and DOCX are `make briefs`' work, not every test run's
    args = ["build", "--out", str(out), "--jobs", "2", "--only", ",".join(SHIPPED_BUILD_BRIEFS)]
    if formats.chromium() is None:  # the PDFs need Chromium; their tests are skipped without it
        args += ["--formats", "html"]
    with pytest.MonkeyPatch.context() as mp:  # the sources parsed once a run (see sources_cache)
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
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


def _file(item: pytest.Item) -> str:
    return item.path.relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else str(item.path)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval's kernels (`make test` runs every notebook) read and write the run's sources cache,
    as the modules that ingest the shipped sources do: a notebook started with the checkout's
    own cache, empty on a fresh clone, parsed every shipped source again (country.ipynb's first
    cell: 54 s cold, 4 s warm). A kernel takes the environment when nbval starts it, before its
    first cell; GCM_CACHE set by whoever runs the suite is left as it is."""
    if type(item).__name__ != "IPyNbCell" or "GCM_CACHE" in os.environ:
        return (yield)
    os.environ["GCM_CACHE"] = str(sources_cache(item.config._tmp_path_factory))
    try:
        return (yield)  # the notebook's setup (its first cell's) starts the kernel
    finally:
        del os.environ["GCM_CACHE"]  # the tests after it keep their own


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Longest files first (see the module's text); every file keeps its own order."""
    first = {}
    for i, item in enumerate(items):
        first.setdefault(_file(item), i)
    items.sort(key=lambda item: (-LONGEST.get(_file(item), 0), first[_file(item)]))
