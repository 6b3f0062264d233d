"""Time ingesting every shipped source, cold (empty cache) and cached, beside the time the
fastest reader takes to read the same files into DataFrames; print a table, return numbers.

    .venv/bin/python bench/bench_sources.py                 # prints the table
    .venv/bin/python bench/bench_sources.py --json OUT.json # also writes the numbers

Targets (issue 18, target 2), on a 2-core machine: cold at most 2 times the floor (python-calamine
for xlsx, pandas' C parser or pyarrow's CSV engine for CSV, whichever is faster, on the same files
in the same run), cached under 0.3 s. The cache lives in a temporary folder for the run
(GCM_CACHE), so the project's own cache is left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_COLD_RATIO = 2.0
TARGET_CACHED_S = 0.3


def fastest_read(path: Path) -> float:
    """Seconds to read `path` into a DataFrame with the fastest reader there is (best of two):
    calamine for a workbook's first sheet (what every adapter reads), pandas' C parser or, where
    pyarrow is installed, pyarrow's CSV engine for a text file (separator and encoding as
    gcmtools.sources.files sniffs them, sniffed before the clock starts)."""
    import importlib.util

    import pandas as pd

    from gcmtools.sources import files

    if files.is_excel(path):
        readers = [lambda: pd.read_excel(path, sheet_name=0, engine="calamine")]
    else:
        encoding, sep = files.text_format(path)
        engines = ["c"] + (["pyarrow"] if importlib.util.find_spec("pyarrow") else [])
        readers = [lambda e=e: pd.read_csv(path, sep=sep, encoding=encoding, engine=e) for e in engines]
    best = float("inf")
    for read in readers:
        for _ in range(2):
            t0 = time.perf_counter()
            read()
            best = min(best, time.perf_counter() - t0)
    return best


def run(cached_repeats: int = 3) -> dict:
    """Cold ingest file by file (empty cache), then the cached ingest of them all (best of N)."""
    started = time.perf_counter()
    from gcmtools import sources  # the import is part of what a cold run pays

    import_s = time.perf_counter() - started
    previous = os.environ.get("GCM_CACHE")
    try:
        with tempfile.TemporaryDirectory(prefix="gcm-bench-cache-") as tmp:
            os.environ["GCM_CACHE"] = tmp
            t0 = time.perf_counter()
            paths = sources.shipped_sources()
            shipped_s = time.perf_counter() - t0
            floor: dict[str, float] = {}
            for path in paths:
                name = sources.detect(path)[0].name
                floor[name] = floor.get(name, 0.0) + fastest_read(path)
            # cold: every file parsed, checked and cached
            per_adapter: dict[str, float] = {}
            rows = 0
            for path in paths:
                adapter, _layout = sources.detect(path)
                t0 = time.perf_counter()
                rows += len(sources.ingest([path]))
                per_adapter[adapter.name] = per_adapter.get(adapter.name, 0.0) + (
                    time.perf_counter() - t0)
            cold_s = shipped_s + sum(per_adapter.values())  # after the imports, as the floor
            # cached: the same files, nothing parsed
            cached = []
            for _ in range(cached_repeats):
                t0 = time.perf_counter()
                combined = sources.ingest(paths)
                cached.append(time.perf_counter() - t0)
    finally:
        if previous is None:
            os.environ.pop("GCM_CACHE", None)
        else:
            os.environ["GCM_CACHE"] = previous
    result = {
        "files": len(paths),
        "rows": rows,
        "indicators": int(combined["indicator"].nunique()),
        "import_s": round(import_s, 3),
        "shipped_sources_s": round(shipped_s, 3),
        "cold_by_adapter_s": {k: round(v, 3) for k, v in sorted(per_adapter.items())},
        "floor_by_adapter_s": {k: round(v, 3) for k, v in sorted(floor.items())},
        "cold_s": round(cold_s, 3),
        "floor_s": round(sum(floor.values()), 3),
        "cached_s": round(min(cached), 3),
        "target_cold_ratio": TARGET_COLD_RATIO,
        "target_cached_s": TARGET_CACHED_S,
        "cpus": os.cpu_count(),
    }
    result["ok"] = (result["cold_s"] <= TARGET_COLD_RATIO * result["floor_s"]
                    and result["cached_s"] < TARGET_CACHED_S)
    return result


def table(result: dict) -> str:
    """The numbers as a small text table."""
    lines = [f"{'step':<34}{'seconds':>10}{'floor':>10}", "-" * 54,
             f"{'import gcmtools.sources':<34}{result['import_s']:>10.2f}",
             f"{'shipped_sources() (detect layouts)':<34}{result['shipped_sources_s']:>10.2f}"]
    lines += [f"{'  cold ' + name:<34}{secs:>10.2f}{result['floor_by_adapter_s'].get(name, 0):>10.2f}"
              for name, secs in result["cold_by_adapter_s"].items()]
    cached = f"{'cached, all sources':<34}{result['cached_s']:>10.2f}{'':>10}   target < {TARGET_CACHED_S:g}"
    summary = (f"{result['files']} files, {result['rows']:,} observations, "
               f"{result['indicators']} indicators, {result['cpus']} CPUs: "
               f"{'OK' if result['ok'] else 'TOO SLOW'}")
    ratio = result["cold_s"] / result["floor_s"]
    lines += ["-" * 54,
              f"{'cold, all sources':<34}{result['cold_s']:>10.2f}{result['floor_s']:>10.2f}   "
              f"x{ratio:.2f}, target <= x{TARGET_COLD_RATIO:g}",
              cached, summary]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="OUT", help="also write the numbers to this file")
    args = parser.parse_args(argv)
    result = run()
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
