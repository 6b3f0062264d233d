"""A test that hangs fails, with its stack, and the run goes on (pytest-timeout, pyproject's
`timeout` and `timeout_method`): a hang must never again run CI out of its 90 minutes silently."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import ROOT

HANGS = '''
import threading, time

def test_hangs():
    threading.Event().wait()  # a wait that never ends, as a deadlocked lock's

def test_after_it():
    assert True
'''


@pytest.mark.slow  # a pytest run of its own, with a worker: 7 s of the edit-test loop otherwise
def test_a_hanging_test_fails_with_its_stack_and_the_run_goes_on(tmp_path):
    (tmp_path / "test_hangs.py").write_text(HANGS)
    started = time.monotonic()
    # the project's own settings (its timeout method), with a timeout of 3 s instead of 900
    ran = subprocess.run([sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir",
                          str(tmp_path), "-p", "no:cacheprovider", "-p", "no:nbval", "-n", "1",
                          "-o", "timeout=3", "-o", "addopts=", str(tmp_path / "test_hangs.py")],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    elapsed = time.monotonic() - started
    out = ran.stdout + ran.stderr
    assert ran.returncode == 1, out
    assert "1 failed, 1 passed" in out, out
    # which test, and where it waited: its stack, in the report
    assert "FAILED test_hangs.py::test_hangs - Failed: Timeout" in out, out
    assert "threading.Event().wait()" in out, out
    assert elapsed < 100, elapsed


def test_the_project_sets_a_timeout():
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert options["timeout_method"] == "signal" and 0 < options["timeout"] <= 900
    assert "--nbval-cell-timeout 600" in (ROOT / "Makefile").read_text()
