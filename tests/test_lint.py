"""ruff over the package, the tests, the scripts and the benchmark (rules in pyproject.toml)."""

import subprocess
import sys

from conftest import ROOT


def test_ruff_is_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "gcmtools", "tests", "scripts", "bench"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


def test_vulture_finds_nothing_unused():
    """Dead code: what vulture cannot see used is named, with the reason, in pyproject.toml."""
    run = subprocess.run([sys.executable, "-m", "vulture", "gcmtools", "--min-confidence", "60"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


#: functions above complexity C that the README's "Complexity" note defends, with their grade
DEFENDED = {"gcmtools/brief/charts.py trend_chart": "D"}


def test_no_function_is_more_complex_than_c_unless_defended():
    run = subprocess.run([sys.executable, "-m", "radon", "cc", "gcmtools", "-s", "-n", "D"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    found, module = {}, ""
    for line in run.stdout.splitlines():
        if not line.startswith(" "):
            module = line.strip()
        elif line.strip():
            # "    F 143:0 trend_chart - D (22)"
            kind, _where, name, _dash, grade, *_ = line.split()
            found[f"{module} {name}"] = grade
    assert found == DEFENDED
