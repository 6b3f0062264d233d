"""`make bench`: issue 18's targets, each measured beside its floor in the same run, and the
figures that are no target (a plain papermill loop, the kernel floor, the build at 64 briefs, the
formats, how often `gcmtools suggest` proposes what submitters listed: bench_suggest.py).

Prints one table, each target's figure beside its floor, the ratio (or the difference) and the
limit, and writes bench/results.json; exits 1 when a target is missed. Everything runs on a
temporary copy of the project's notebooks, params and data (GCM_ROOT) with its own cache
(GCM_CACHE), so the checkout, its outputs and its cache are left alone.

    .venv/bin/python bench/bench.py                  # every target and the figures beside them
    .venv/bin/python bench/bench.py --quick          # the targets only
    .venv/bin/python bench/bench.py --only 2,3,5 --repeat 3   # some targets, three times: the spread
    .venv/bin/python bench/bench.py --tests          # also time `make test` and `make test-fast`

Target 6 (the test suite's wall time) is read from bench/tests.json ({"test_s": ..., "test_fast_s":
...}, written by whoever timed the suite on a quiet machine) unless --tests measures it here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KERNEL = "gcm-workbook"
RESULTS = ROOT / "bench" / "results.json"
TESTS_FILE = ROOT / "bench" / "tests.json"
PARAMS = "params/unece-2020-rt3.yaml"
#: what a build with nothing to rebuild must not import (issue 18, target 3)
HEAVY = ("pandas", "matplotlib", "nbformat", "jupyter_client")


def sh(*args: str, env: dict | None = None, cwd: Path = ROOT) -> float:
    """Run a command; return its wall time in seconds (raise if it fails)."""
    return run(*args, env=env, cwd=cwd)[0]


def run(*args: str, env: dict | None = None, cwd: Path = ROOT) -> tuple[float, str, str]:
    """Run a command; (wall time in seconds, stdout, stderr); raise if it fails."""
    t0 = time.perf_counter()
    out = subprocess.run(list(args), check=False, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if out.returncode:
        raise RuntimeError(f"{' '.join(args)} exited {out.returncode}:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return took, out.stdout, out.stderr


def project_copy(tmp: Path) -> Path:
    """A copy of what a build reads: notebooks, params, data (the package itself is shared)."""
    root = tmp / "project"
    for part in ("notebooks", "params", "data"):
        shutil.copytree(ROOT / part, root / part)
    # targets 1-5 measure the roundtable's 8 briefs; the shipped params' 56 country profiles
    # (`countries: all`) go to params/with-profiles.yaml, built by part 7 (bench_scale)
    import yaml

    params = root / PARAMS
    plan = yaml.safe_load(params.read_text())
    if "countries" in plan:
        (root / "params" / "with-profiles.yaml").write_text(yaml.safe_dump(plan, sort_keys=False))
        del plan["countries"]
        params.write_text(yaml.safe_dump(plan, sort_keys=False))
    return root


def objectives_of(params: Path) -> list[int]:
    import yaml

    plan = yaml.safe_load(params.read_text())
    return [b["parameters"]["objective"] for b in plan["briefs"] if "objective" in (b.get("parameters") or {})]


def gcm_build(root: Path, *extra: str) -> list[str]:
    """`gcmtools build` of the shipped review into the copy's outputs, HTML only (as every build
    measured before the formats; the params file asks for PDF and DOCX too)."""
    return [str(BIN / "gcmtools"), "build", "--out", str(root / "outputs"), "--formats", "html", *extra]


# --- target 1: the first build, empty caches against warm caches ---------------------------


def bench_first_build(root: Path, env: dict, rounds: int = 2) -> dict:
    """The same full build (--force --jobs 2) with an empty cache and with a warm one, taken in
    turns (cold, warm, cold, warm) so that the machine's load falls on both; best of each.
    Leaves env's cache warm."""
    cold, warm = [], []
    for i in range(rounds):
        env["GCM_CACHE"] = str(Path(env["GCM_CACHE"]).with_name(f"cache-cold-{i}"))
        cold.append(sh(*gcm_build(root, "--force", "--jobs", "2"), env=env, cwd=root))
        warm.append(sh(*gcm_build(root, "--force", "--jobs", "2"), env=env, cwd=root))
    return {"cold_s": min(cold), "warm_s": min(warm), "cold_runs": cold, "warm_runs": warm,
            "briefs": len(objectives_of(root / PARAMS)) + 1}


# --- not targets: the build against a plain loop and the kernel floor ----------------------


def bench_build_extras(root: Path, env: dict, warm_s: float) -> dict:
    """What is no target of issue 18 but shows where a brief's time goes: the --jobs 1 build per
    brief against a launched kernel's floor, the build's forked kernel, charts drawn again, and
    the plain papermill + nbconvert loop."""
    n = len(objectives_of(root / PARAMS)) + 1
    seq = min(sh(*gcm_build(root, "--force", "--jobs", "1"), env=env, cwd=root) for _ in range(2))
    floor = kernel_floor(n)
    result = {"build_jobs2_s": warm_s, "build_jobs1_s": seq, "per_brief_s": seq / n,
              "floor_per_brief_s": floor / n, "ratio_to_floor": seq / floor,
              "forked_kernel_per_brief_s": forked_kernel(n, root, env) / n,
              "plain_loop_s": plain_loop(root, env)}
    result["ratio_to_plain_loop"] = warm_s / result["plain_loop_s"]
    for chart in Path(env["GCM_CACHE"]).glob("chart-*.pickle"):  # as after a change of gcmtools' code
        chart.unlink()
    result["build_jobs1_charts_drawn_s"] = sh(*gcm_build(root, "--force", "--jobs", "1"), env=env, cwd=root)
    return result


def plain_loop(root: Path, env: dict) -> float:
    """The papermill CLI on each brief, one after another, then nbconvert --no-input on each."""
    work = root / "plain"
    work.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    runs = [(f"objective-{o:02d}", ["-p", "objective", str(o)], "brief.ipynb")
            for o in objectives_of(root / "params" / "unece-2020-rt3.yaml")]
    runs.append(("overview", [], "overview.ipynb"))
    for name, params, nb in runs:
        sh(str(BIN / "papermill"), str(root / "notebooks" / nb), str(work / f"{name}.ipynb"),
           *params, "-k", KERNEL, "--cwd", str(root), env=env, cwd=root)
    for name, _, _ in runs:
        sh(str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(work / f"{name}.ipynb"),
           env=env, cwd=root)
    return time.perf_counter() - t0


def kernel_floor(n: int) -> float:
    """Start a kernel, import pandas and matplotlib in it, stop it: n times, one after another."""
    from jupyter_client.manager import start_new_kernel

    t0 = time.perf_counter()
    for _ in range(n):
        km, kc = start_new_kernel(kernel_name=KERNEL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=60)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return time.perf_counter() - t0


def forked_kernel(n: int, root: Path, env: dict) -> float:
    """The floor's steps as the build takes them: a kernel forked by the zygote (pandas and
    matplotlib already imported there), the same import run in it, then stopped; n times."""
    code = f"""
import asyncio, os, sys, time
os.environ.update({{"GCM_ROOT": {str(root)!r}}})
from gcmtools.build import forkkernel
assert forkkernel.start_zygote({KERNEL!r}, {str(root)!r}), "no zygote here"

async def one():
    km = forkkernel.ForkingKernelManager(kernel_name={KERNEL!r})
    await km.start_kernel(cwd={str(root)!r})
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    await kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=60)
    kc.stop_channels()
    await km.shutdown_kernel(now=True)

asyncio.run(one())  # the zygote's imports are paid once per worker, not per brief
t0 = time.perf_counter()
for _ in range({n}):
    asyncio.run(one())
print(time.perf_counter() - t0)
forkkernel.stop_zygote()
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=root, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def bench_scale(root: Path, env: dict) -> dict:
    """Issue 17: the 8 roundtable briefs, then the shipped review with its 56 country profiles
    (64 briefs), on the process pool (`--jobs 2`): time per brief at 8 and at 64, to show that
    the build stays linear."""
    big = root / "params" / "with-profiles.yaml"
    out = root / "outputs-scale"
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--force", "--jobs", "2", "--formats", "html"]
    small_s = sh(*gcm, env=env, cwd=root)
    big_s = sh(*gcm, "--params", str(big), env=env, cwd=root)
    n_small = len(objectives_of(root / PARAMS)) + 1
    n_big = n_small + len(_profiles(big))
    return {"briefs_small": n_small, "seconds_small": small_s, "per_brief_small_s": small_s / n_small,
            "briefs_big": n_big, "seconds_big": big_s, "per_brief_big_s": big_s / n_big,
            "per_brief_big_over_small": (big_s / n_big) / (small_s / n_small)}


def _profiles(params: Path) -> list[str]:
    """The country profiles a params file asks for (`countries: all` or a list)."""
    import yaml

    countries = yaml.safe_load(params.read_text()).get("countries") or []
    if countries == "all":
        sys.path.insert(0, str(ROOT))
        from gcmtools import catalogue

        return sorted(catalogue.unece_iso3())
    return list(countries)


def bench_cluster(root: Path, env: dict, scale: dict) -> dict:
    """Issue 17: the builds of bench_scale (8 briefs, then the 64 with the profiles) again on a
    two-worker LocalCluster (`--scheduler local --jobs 2`, its start included): per-brief time
    beside the process pool's of the same run, and linear from 8 to 64."""
    out = root / "outputs-cluster"
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--force", "--jobs", "2", "--formats", "html",
           "--scheduler", "local"]
    small_s = sh(*gcm, env=env, cwd=root)
    big_s = sh(*gcm, "--params", str(root / "params" / "with-profiles.yaml"), env=env, cwd=root)
    per_small, per_big = small_s / scale["briefs_small"], big_s / scale["briefs_big"]
    return {"seconds_small": small_s, "per_brief_small_s": per_small, "seconds_big": big_s,
            "per_brief_big_s": per_big, "per_brief_big_over_small": per_big / per_small,
            "per_brief_big_over_pool": per_big / scale["per_brief_big_s"]}


# --- not a target: the formats for circulation -------------------------------------------


def bench_formats(root: Path, env: dict, html_only_s: float) -> dict:
    """The --jobs 2 build of bench_build (HTML only) again with PDF and DOCX (and roundtable.pdf):
    what the formats add. Chromium is the system's; without it, not measured. (gcmtools is not
    imported here: bench_rebuild imports it later, once GCM_ROOT names the copy.)"""
    if not (os.environ.get("GCM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")):
        return {}
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(root / "outputs"), "--force", "--jobs", "2"]
    all_s = min(sh(*gcm, "--formats", "html,pdf,docx", env=env, cwd=root) for _ in range(2))
    return {"html_only_jobs2_s": html_only_s, "html_pdf_docx_jobs2_s": all_s, "added_s": all_s - html_only_s}



# --- target 3: the no-op -----------------------------------------------------------------


def bench_noop(root: Path, env: dict, repeats: int = 5) -> dict:
    """`gcmtools build` with nothing to rebuild (after a build and a first no-op), best of
    `repeats`, against a bare `python -c pass` of the same interpreter taken in turns with it;
    and the heavy modules the no-op imported (python -X importtime)."""
    cmd = gcm_build(root)
    sh(*cmd, env=env, cwd=root)  # whatever is out of date is built now
    sh(*cmd, env=env, cwd=root)  # the first no-op after a build that published something
    noop, bare = [], []
    for _ in range(repeats):
        noop.append(sh(*cmd, env=env, cwd=root))
        bare.append(sh(sys.executable, "-c", "pass", env=env, cwd=root))
    _, out, err = run(sys.executable, "-X", "importtime", *cmd, env=env, cwd=root)
    assert "up to date" in out and not re.search(r"^\S* ?\S* ?\[\d+/\d+\] ", out, re.MULTILINE), out
    imported = sorted({m.split(".")[0] for m in re.findall(r"\|\s*([\w.]+)\s*$", err, re.MULTILINE)}
                      & set(HEAVY))
    return {"noop_cli_s": min(noop), "python_pass_s": min(bare), "noop_runs": noop,
            "python_pass_runs": bare, "heavy_imported": imported, "heavy_imported_n": len(imported)}


# --- target 4: one practice row changed ---------------------------------------------------


def bench_one_row(root: Path, env: dict) -> dict:
    """Change one practice row (an objective-13 practice): the build must rebuild objective 13
    and the overview, no more, no fewer, in at most the time those two briefs take to build
    alone (--only ... --force, right after) plus 1 s."""
    import pandas as pd

    sh(*gcm_build(root), env=env, cwd=root)  # up to date first
    csv_path = root / "data" / "practices" / "illustrative_practices.csv"
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    i = df.index[df["objectives"].str.strip() == "13"][0]
    df.loc[i, "title"] += " (revised)"
    df.to_csv(csv_path, index=False)
    one_row, out, _ = run(*gcm_build(root, "--jobs", "2"), env=env, cwd=root)
    rebuilt = sorted(re.findall(r"^(?:\S+ \S+ )?\[\d+/\d+\] (\S+): published", out, re.MULTILINE))
    affected = ["objective-13", "overview"]  # the row names objective 13 only
    own = sh(*gcm_build(root, "--jobs", "2", "--force", "--only", ",".join(affected)), env=env, cwd=root)
    return {"one_row_s": one_row, "own_build_s": own, "rebuilt": rebuilt, "affected": affected,
            "wrong_briefs": len(set(rebuilt) ^ set(affected))}


# --- target 5: intake at scale (each in its own process, for an honest peak memory) ------------

INTAKE_SCRIPT = r"""
import json, sys, time
kind, path = sys.argv[1], sys.argv[2]
import pandas as pd
from gcmtools.intake.validate import validate_paths
from gcmtools.intake.observations import read_observations, validate_observations
from gcmtools.intake import schema  # imported before the clock starts, as pandas is for the floor

def status(key):
    return next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith(key))

open("/proc/self/clear_refs", "w").write("5")  # VmHWM := VmRSS: the peak from here on
base = status("VmRSS")
t0 = time.perf_counter()
if kind == "floor":
    df = pd.read_csv(path, dtype=str, keep_default_na=False); n = len(df); bad = 0
elif kind == "practices":
    r = validate_paths([path]); n = int(r.counts["read"].sum()); bad = len(r.rejected); df = r.accepted
else:
    df = read_observations(path); n = len(df); bad = len(validate_observations(df, path))
s = time.perf_counter() - t0
print(json.dumps({"rows": n, "rejected": bad, "seconds": s, "peak_rss_above_start": status("VmHWM") - base,
                  "frame_bytes": int(df.memory_usage(deep=True, index=True).sum())}))
"""


def bench_intake(tmp: Path, repeats: int = 2) -> dict:
    """1,000,000 observations read and validated, 100,000 practices validated (countries
    resolved), each against pandas' own read of the same file with the same dtypes (every column
    as text, no NA values) taken in turns with it; best of `repeats`. Memory: the peak resident
    size above the size at the start of the measure (VmHWM after resetting it through
    /proc/self/clear_refs), against the size of the final DataFrame (memory_usage(deep=True))."""
    import numpy as np
    import pandas as pd

    practices = pd.read_csv(ROOT / "data" / "practices" / "illustrative_practices.csv", dtype=str,
                            keep_default_na=False)
    big = pd.concat([practices] * (100_000 // len(practices) + 1), ignore_index=True).head(100_000)
    big["practice_id"] = [f"B-{i}" for i in range(len(big))]
    p_path = tmp / "practices_100k.csv"
    big.to_csv(p_path, index=False)
    rng = np.random.default_rng(7)
    n = 1_000_000
    obs = pd.DataFrame({
        "indicator": rng.choice(["mmp_dead", "eurostat_refused_entry", "unodc_detected_victims"], n),
        "geo": rng.choice(["ARM", "GEO", "ITA", "EU27_2020", "UNECE"], n),
        "year": rng.choice([str(y) for y in range(2010, 2024)], n),
        "value": rng.integers(0, 5000, n).astype(str), "unit": "persons",
        "sex": rng.choice(["total", "female", "male"], n), "age": rng.choice(["total", "child", "adult"], n),
        "source": "bench", "obs_status": "final", "note": ""})
    o_path = tmp / "observations_1m.csv"
    obs.to_csv(o_path, index=False)

    def one(kind: str, path: Path) -> dict:
        out = subprocess.run([sys.executable, "-c", INTAKE_SCRIPT, kind, str(path)], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        return json.loads(out.stdout.strip().splitlines()[-1])

    result: dict = {}
    for name, kind, path in (("practices_100k", "practices", p_path), ("observations_1m", "observations", o_path)):
        runs, floors = [], []
        for _ in range(repeats):
            floors.append(one("floor", path))
            runs.append(one(kind, path))
        best = min(runs, key=lambda r: r["seconds"])
        result[name] = {**best, "floor_s": min(f["seconds"] for f in floors),
                        "runs_s": [r["seconds"] for r in runs], "floor_runs_s": [f["seconds"] for f in floors],
                        "peak_over_frame": min(r["peak_rss_above_start"] / r["frame_bytes"] for r in runs)}
    return result


# --- target 2: the shipped sources ----------------------------------------------------------


def bench_sources() -> dict:
    """bench_sources.py in its own process: cold ingest by adapter beside the fastest reader's
    time for the same files, then the cached ingest."""
    with tempfile.TemporaryDirectory(prefix="gcm-bench-sources-") as t:
        out = Path(t) / "sources.json"
        # exit 1 is a missed target, reported here with the others
        subprocess.run([sys.executable, str(ROOT / "bench" / "bench_sources.py"), "--json", str(out)],
                       check=False, capture_output=True, cwd=ROOT)
        return json.loads(out.read_text())


# --- target 6: the test suite ---------------------------------------------------------------


def bench_tests(measure: bool) -> dict:
    """`make test` and `make test-fast` wall time (bench/bench_tests.py, which `make test-timed`
    runs and which writes bench/tests.json), and whether the whole suite passes beside a busy
    loop per core (scripts/under_load.py, `make test-loaded`): measured here with --tests, else
    read from bench/tests.json; {} when neither. A run that failed counts as missed."""
    if measure:
        subprocess.run([sys.executable, str(ROOT / "bench" / "bench_tests.py")], check=False, cwd=ROOT)
        loaded = subprocess.run([sys.executable, str(ROOT / "scripts" / "under_load.py"), "make",
                                 "--no-print-directory", "test"], check=False, cwd=ROOT).returncode
        data = json.loads(TESTS_FILE.read_text()) if TESTS_FILE.is_file() else {}
        data["loaded"] = {"exit_code": loaded}
        TESTS_FILE.write_text(json.dumps(data, indent=2) + "\n")
    elif not TESTS_FILE.is_file():
        return {}
    data = json.loads(TESTS_FILE.read_text())
    out: dict = {"from": str(TESTS_FILE.relative_to(ROOT))}
    for key, name in (("whole", "test_s"), ("fast", "test_fast_s")):
        run = data.get(key)
        if run:
            out[name] = run["wall_s"] if run["exit_code"] == 0 else float("inf")
            out[name.replace("_s", "_cpu_s")] = run["cpu_s"]
    if "loaded" in data:
        out["loaded_failed"] = int(data["loaded"]["exit_code"] != 0)
    return out


def suggestion_agreement() -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_suggest

    return bench_suggest.run()


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One of issue 18's targets: `value` against `floor` (paths into the results) by `how`:
    "ratio" (value / floor at most `limit`), "plus" (value - floor at most `limit` seconds),
    "at most" (value itself at most `limit`)."""

    number: int
    label: str
    value: tuple
    floor: tuple | None
    how: str
    limit: float


TARGETS = [
    Target(1, "first build: empty caches / warm caches (s)", ("first_build", "cold_s"),
           ("first_build", "warm_s"), "ratio", 1.5),
    Target(2, "ingest every source, cold / fastest reader (s)", ("sources", "cold_s"),
           ("sources", "floor_s"), "ratio", 2.0),
    Target(2, "ingest every source, cached (s)", ("sources", "cached_s"), None, "at most", 0.3),
    Target(3, "no-op build: pandas, matplotlib, nbformat, jupyter_client imported",
           ("noop", "heavy_imported_n"), None, "at most", 0),
    Target(3, "no-op build, CLI / python -c pass (s)", ("noop", "noop_cli_s"), ("noop", "python_pass_s"),
           "ratio", 3.0),
    Target(4, "one row changed: briefs rebuilt beyond/short of it", ("one_row", "wrong_briefs"), None,
           "at most", 0),
    Target(4, "one row changed - those briefs' own build (s)", ("one_row", "one_row_s"),
           ("one_row", "own_build_s"), "plus", 1.0),
    Target(5, "1,000,000 observations read+validated / pandas read (s)", ("intake", "observations_1m", "seconds"),
           ("intake", "observations_1m", "floor_s"), "ratio", 2.0),
    Target(5, "100,000 practices validated / pandas read (s)", ("intake", "practices_100k", "seconds"),
           ("intake", "practices_100k", "floor_s"), "ratio", 3.0),
    Target(5, "peak RSS, 1,000,000 observations / the DataFrame (MB)",
           ("intake", "observations_1m", "peak_rss_above_start"), ("intake", "observations_1m", "frame_bytes"),
           "ratio", 2.0),
    Target(6, "make test, wall time (s)", ("tests", "test_s"), None, "at most", 300),
    Target(6, "make test-fast, wall time (s)", ("tests", "test_fast_s"), None, "at most", 60),
    Target(6, "make test beside a busy loop per core: runs failed", ("tests", "loaded_failed"), None,
           "at most", 0),
    Target(7, "Dask LocalCluster (2 workers) / pool, s per brief at 64", ("cluster", "per_brief_big_s"),
           ("scale", "per_brief_big_s"), "ratio", 1.15),
    Target(7, "pool linear: s per brief at 64 / at 8", ("scale", "per_brief_big_s"),
           ("scale", "per_brief_small_s"), "ratio", 1.1),
    Target(7, "Dask linear: s per brief at 64 / at 8", ("cluster", "per_brief_big_s"),
           ("cluster", "per_brief_small_s"), "ratio", 1.1),
]
PARTS = {1: "first_build", 2: "sources", 3: "noop", 4: "one_row", 5: "intake", 6: "tests", 7: "scale"}


def dig(d: dict, path: tuple) -> object:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def score(t: Target, results: dict) -> tuple[float, float | None, float] | None:
    """(value, floor, what is compared with the limit) of a target; None if not measured."""
    value, floor = dig(results, t.value), dig(results, t.floor) if t.floor else None
    if value is None or (t.floor and floor is None):
        return None
    if t.how == "ratio":
        return value, floor, value / floor
    if t.how == "plus":
        return value, floor, value - floor
    return value, None, value


def _shown(x: float | None, path: tuple | None) -> str:
    if x is None:
        return "-"
    if path and path[-1] in ("peak_rss_above_start", "frame_bytes"):
        return f"{x / 2**20:.0f}"
    return f"{x:.2f}" if isinstance(x, float) else str(x)


def report(results: dict, runs: list[dict]) -> list[str]:
    """Print every target measured; return the labels of those missed."""
    print(f"\n{'target':3} {'measure':58} {'value':>8} {'floor':>8} {'compared':>9} {'limit':>7}  ok  spread")
    missed = []
    for t in TARGETS:
        got = score(t, results)
        if got is None:
            print(f"{t.number:<3} {t.label:58} {'-':>8} {'-':>8} {'-':>9} {t.limit:>7g}  not measured")
            continue
        value, floor, compared = got
        ok = compared <= t.limit
        many = [s[2] for s in (score(t, r) for r in runs) if s is not None]
        spread = f"{min(many):.2f}-{max(many):.2f} over {len(many)} runs" if len(many) > 1 else ""
        cmp = {"ratio": f"x{compared:.2f}", "plus": f"+{compared:.2f}"}.get(t.how, _shown(compared, t.value))
        print(f"{t.number:<3} {t.label:58} {_shown(value, t.value):>8} {_shown(floor, t.floor):>8} {cmp:>9} "
              f"{t.limit:>7g}  {'yes' if ok else 'NO '} {spread}")
        if not ok:
            missed.append(t.label)
    return missed


def report_extras(results: dict) -> list[str]:
    """The figures that are no target; the suggestion agreement (its own targets) last."""
    missed = []
    fb, n = results.get("first_build"), None
    if fb:
        n = fb["briefs"]
        print(f"first build of {n} briefs, --jobs 2, HTML: {fb['cold_s']:.1f} s with empty caches "
              f"({', '.join(f'{x:.1f}' for x in fb['cold_runs'])}), {fb['warm_s']:.1f} s warm "
              f"({', '.join(f'{x:.1f}' for x in fb['warm_runs'])})")
    s = results.get("sources")
    if s:
        print("ingest by adapter, cold / fastest reader (s): " + "; ".join(
            f"{k} {v:.2f} / {s['floor_by_adapter_s'].get(k, 0):.2f}" for k, v in s["cold_by_adapter_s"].items()))
    b = results.get("build")
    if b:
        print(f"not a target: --jobs 1 build {b['build_jobs1_s']:.1f} s, {b['per_brief_s']:.2f} s per brief against "
              f"a launched kernel's floor {b['floor_per_brief_s']:.2f} s (ratio {b['ratio_to_floor']:.2f}); the "
              f"build's forked kernel {b['forked_kernel_per_brief_s']:.2f} s; every chart drawn "
              f"{b['build_jobs1_charts_drawn_s']:.1f} s; the plain papermill + nbconvert loop {b['plain_loop_s']:.1f} s "
              f"(build / loop {b['ratio_to_plain_loop']:.2f})")
    f = results.get("formats")
    if f:
        print(f"not a target: formats, HTML only {f['html_only_jobs2_s']:.1f} s; with PDF and DOCX (and "
              f"roundtable.pdf) {f['html_pdf_docx_jobs2_s']:.1f} s, +{f['added_s']:.1f} s")
    sc = results.get("scale")
    for name, run in (("the process pool, --jobs 2", sc), ("a LocalCluster of 2 workers", results.get("cluster"))):
        if run:  # issue 17's targets are above; the cluster's start is in its figures
            print(f"{name}: {sc['briefs_small']} briefs {run['per_brief_small_s']:.2f} s per brief; "
                  f"{sc['briefs_big']} briefs {run['per_brief_big_s']:.2f} s per brief")
    o = results.get("one_row")
    if o:
        print(f"one-row change rebuilt: {', '.join(o['rebuilt'])} in {o['one_row_s']:.1f} s "
              f"(those briefs alone: {o['own_build_s']:.1f} s)")
    if results.get("noop"):
        no = results["noop"]
        print(f"no-op: {no['noop_cli_s'] * 1000:.0f} ms, python -c pass {no['python_pass_s'] * 1000:.0f} ms; "
              f"heavy modules imported: {', '.join(no['heavy_imported']) or 'none'}")
    if results.get("suggest"):
        import bench_suggest

        for label, line, met in bench_suggest.lines(results["suggest"]):
            print(line)
            if met is False:
                missed.append(label)
    return missed


def measure(args: argparse.Namespace, parts: set[int]) -> dict:
    """One run of the parts asked for, on a fresh copy of the project and an empty cache."""
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform(), "load_at_start": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="gcm-bench-") as t:
        tmp = Path(t)
        root = project_copy(tmp)
        env = {**os.environ, "GCM_ROOT": str(root), "GCM_CACHE": str(tmp / "cache")}
        # as on a user's machine, where pip compiled gcmtools at install: Python's bytecode is
        # written and read (a shell that sets PYTHONDONTWRITEBYTECODE compiles every module of
        # gcmtools on every command, 30-40 ms of a no-op)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if 2 in parts:
            results["sources"] = bench_sources()
        if parts & {1, 3, 4}:
            results["first_build"] = bench_first_build(root, env, rounds=2 if 1 in parts else 1)
        if not args.quick:
            results["build"] = bench_build_extras(root, env, results["first_build"]["warm_s"])
            results["formats"] = bench_formats(root, env, results["first_build"]["warm_s"])
        if 3 in parts:
            results["noop"] = bench_noop(root, env)
        if 4 in parts:
            results["one_row"] = bench_one_row(root, env)
        if 7 in parts:
            results["scale"] = bench_scale(root, env)
            results["cluster"] = bench_cluster(root, env, results["scale"])
        if 5 in parts:
            results["intake"] = bench_intake(tmp)
        if 6 in parts:
            results["tests"] = bench_tests(args.tests)
        if not args.quick:
            results["suggest"] = suggestion_agreement()
        results["machine"]["load_at_end"] = os.getloadavg()
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the targets only, none of the other figures")
    ap.add_argument("--only", default="1,2,3,4,5,6,7", metavar="1,2,...", help="the targets to measure")
    ap.add_argument("--repeat", type=int, default=1, metavar="N", help="measure N times: the spread")
    ap.add_argument("--tests", action="store_true", help="time `make test` and `make test-fast` (target 6)")
    args = ap.parse_args()
    parts = {int(x) for x in args.only.split(",") if x.strip()}
    args.quick = args.quick or parts != set(PARTS)
    runs = [measure(args, parts) for _ in range(max(1, args.repeat))]
    results = runs[-1]
    RESULTS.write_text(json.dumps({**results, "runs": runs if len(runs) > 1 else []}, indent=2, default=str) + "\n")
    missed = report(results, runs)
    missed += report_extras(results)
    load = results["machine"]
    print(f"load average (1, 5, 15 min) at the start {load['load_at_start']}, at the end {load['load_at_end']}; "
          f"{load['cpus']} CPUs; results written to {RESULTS.relative_to(ROOT)}")
    if missed:
        print(f"missed: {'; '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
