"""ruff over the package, the tests, the scripts and the benchmark (rules in pyproject.toml)."""

import subprocess
import sys

from conftest import ROOT


def test_ruff_is_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "gcmtools", "tests", "scripts", "bench"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
