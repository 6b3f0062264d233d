"""Run a command with the machine kept busy: one busy loop per core beside it, as a shared CI
runner or a laptop doing something else would be (`make test-loaded` runs the whole suite so:
no test may depend on the machine's load). Exits with the command's exit code.

    .venv/bin/python scripts/under_load.py make test
    .venv/bin/python scripts/under_load.py --loops 4 .venv/bin/python -m pytest -q tests/build

stress-ng is not needed: the loops are plain Python processes, stopped (by their own pids) when
the command ends, however it ends.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

BUSY = "while True: pass"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loops", type=int, default=os.cpu_count() or 2, help="busy loops (default: one per core)")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="the command to run under load")
    args = ap.parse_args(argv)
    if not args.command:
        ap.error("give the command to run, e.g. make test")
    loops = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.loops)]
    started = time.perf_counter()
    try:
        code = subprocess.run(args.command).returncode
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    print(f"under load ({args.loops} busy loops on {os.cpu_count()} cores): "
          f"{' '.join(args.command)} exited {code} after {time.perf_counter() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
