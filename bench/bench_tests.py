"""The test suite's time: `make test-timed` runs the suite as `make test` does and the fast subset
as `make test-fast` does, and writes bench/tests.json (wall and CPU time of each, the tests'
durations summed per file, the 20 longest); `lines` gives bench.py its two targets.

    .venv/bin/python bench/bench_tests.py          # both runs, then bench/tests.json
    .venv/bin/python bench/bench_tests.py --fast   # the fast subset only (keeps the last whole run)

It exits non-zero when a test failed; whether the times meet their targets is for `make bench`
to say (`lines`).

CPU time is that of pytest and everything it started (workers, kernels, browsers): on a machine
shared with other work the wall time is longer than on a quiet one, and CPU time / cores is the
floor a quiet 2-core machine approaches.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "tests.json"
KERNEL = "gcm-workbook"
#: the two runs, as the Makefile's `test` and `test-fast` targets run them
WHOLE = ["-n", "2", "-q", "tests", "notebooks", "--nbval", "--nbval-kernel-name", KERNEL,
         "--nbval-sanitize-with", "notebooks/nbval-sanitize.cfg", "--nbval-cell-timeout", "600",
         "--nbval-kernel-startup-timeout", "120"]
FAST = ["-n", "2", "-q", "-p", "no:nbval", "-m", "not slow", "tests"]
#: `make test` and `make test-fast` on a quiet 2-core machine (issue 18, target 6), in seconds
TARGETS = {"whole": 300.0, "fast": 60.0}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(args: list[str]) -> dict:
    """One pytest run: exit code, wall and CPU seconds, per-file sums and the 20 longest tests."""
    with tempfile.TemporaryDirectory(prefix="gcm-tests-") as t:
        junit = Path(t) / "junit.xml"
        cpu, wall = _children_cpu(), time.perf_counter()
        rc = subprocess.run([sys.executable, "-m", "pytest", *args, f"--junitxml={junit}",
                             "-p", "no:cacheprovider"], cwd=ROOT).returncode
        wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
        cases = [(c.get("classname", ""), c.get("name", ""), float(c.get("time", 0)))
                 for c in ElementTree.parse(junit).getroot().iter("testcase")] if junit.is_file() else []
    per_file: dict[str, float] = defaultdict(float)
    for classname, _, seconds in cases:
        per_file[_file_of(classname)] += seconds
    longest = sorted(cases, key=lambda c: -c[2])[:20]
    return {"exit_code": rc, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "cpu_per_core_s": round(cpu / 2, 1), "tests": len(cases),
            "sum_of_durations_s": round(sum(c[2] for c in cases), 1),
            "per_file_s": {k: round(v, 1) for k, v in sorted(per_file.items(), key=lambda kv: -kv[1])},
            "longest": [{"test": f"{c}::{n}", "s": round(s, 1)} for c, n, s in longest],
            "load_average_1min_after": round(os.getloadavg()[0], 2)}


def _file_of(classname: str) -> str:
    """junit's classname (tests.build.test_build, or ...test_x.TestClass, or notebooks.brief.ipynb)
    as the file's path."""
    if classname.endswith(".ipynb"):
        return classname.removesuffix(".ipynb").replace(".", "/") + ".ipynb"
    parts = classname.split(".")
    for n in range(len(parts), 0, -1):
        for suffix in (".py", ""):
            path = "/".join(parts[:n]) + suffix
            if (ROOT / path).is_file():
                return path
    return classname


def lines(results: dict) -> list[tuple[str, str, bool | None]]:
    """For bench.py: (label, line, target met; None when not measured) for `make test` and
    `make test-fast`, from bench/tests.json (`make test-timed` writes it) or `results`."""
    out = []
    for key, label in (("whole", "make test (s, wall)"), ("fast", "make test-fast (s, wall)")):
        run = results.get(key)
        if not run:
            out.append((label, f"{label:52} {'-':>10} {TARGETS[key]:>10}  not measured (make test-timed)", None))
            continue
        met = run["exit_code"] == 0 and run["wall_s"] <= TARGETS[key]
        note = f"(CPU {run['cpu_s']:.0f} s; {run['tests']} tests; exit {run['exit_code']})"
        out.append((label, f"{label:52} {run['wall_s']:>10.1f} {TARGETS[key]:>10}  "
                           f"{'yes' if met else 'NO'} {note}", met))
    return out


def load() -> dict:
    """The last `make test-timed` figures (empty when it has not been run)."""
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", action="store_true", help="time the fast subset only")
    args = ap.parse_args()
    results = load()
    results["machine"] = {"cpus": os.cpu_count(), "load_average_1min_before": round(os.getloadavg()[0], 2)}
    if not args.fast:
        results["whole"] = timed(WHOLE)
    results["fast"] = timed(FAST)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n".join(line for _, line, _ in lines(results)))
    for run in ("whole", "fast"):
        if run in results:
            print(f"\n{run}: the 20 longest tests")
            print("\n".join(f"  {t['s']:7.1f} s  {t['test']}" for t in results[run]["longest"]))
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    return max(results[run]["exit_code"] for run in ("whole", "fast") if run in results)  # the targets are bench's


if __name__ == "__main__":
    sys.exit(main())
