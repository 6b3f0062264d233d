"""`make bench`: the build against its floor and a plain papermill loop, rebuilds, intake at scale,
and how often `gcmtools suggest` proposes what submitters listed (bench_suggest.py).

Prints a table with each figure beside its target and writes bench/results.json. Everything runs
on a temporary copy of the project's notebooks, params and data (GCM_ROOT), so the checkout and
its outputs are left alone.

    .venv/bin/python bench/bench.py            # all measurements (a few minutes)
    .venv/bin/python bench/bench.py --quick    # skips the plain-loop comparison
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KERNEL = "gcm-workbook"
RESULTS = ROOT / "bench" / "results.json"


def sh(*args: str, env: dict | None = None, cwd: Path = ROOT) -> float:
    """Run a command; return its wall time in seconds (raise if it fails)."""
    t0 = time.perf_counter()
    subprocess.run(list(args), check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def project_copy(tmp: Path) -> Path:
    """A copy of what a build reads: notebooks, params, data (the package itself is shared)."""
    root = tmp / "project"
    for part in ("notebooks", "params", "data"):
        shutil.copytree(ROOT / part, root / part)
    return root


def objectives_of(params: Path) -> list[int]:
    import yaml

    plan = yaml.safe_load(params.read_text())
    return [b["parameters"]["objective"] for b in plan["briefs"] if "objective" in (b.get("parameters") or {})]


# --- 1 and 2: the build against a plain loop and against the floor ---------------------------


def bench_build(root: Path, env: dict, quick: bool) -> dict:
    out = root / "outputs"
    # HTML only, as every build measured before the formats (the params file asks for PDF and DOCX)
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--force", "--formats", "html"]
    cold_s = sh(*gcm, "--jobs", "2", env=env, cwd=root)  # empty caches: sources parsed, figures computed
    build_s = min(sh(*gcm, "--jobs", "2", env=env, cwd=root) for _ in range(2))
    build_seq_s = min(sh(*gcm, "--jobs", "1", env=env, cwd=root) for _ in range(2))
    n = len(objectives_of(root / "params" / "unece-2020-rt3.yaml")) + 1
    result = {"briefs": n, "build_cold_jobs2_s": cold_s, "build_jobs2_s": build_s, "build_jobs1_s": build_seq_s,
              "per_brief_s": build_seq_s / n}
    if not quick:
        result["plain_loop_s"] = plain_loop(root, env)
        result["ratio_to_plain_loop"] = build_s / result["plain_loop_s"]
    floor = kernel_floor(n)
    result["floor_per_brief_s"] = floor / n
    result["ratio_to_floor"] = result["per_brief_s"] / result["floor_per_brief_s"]
    result["forked_kernel_per_brief_s"] = forked_kernel(n, root, env) / n
    # the same --jobs 1 build with every chart drawn (none remembered), as after a change of
    # gcmtools' code: not a target, shown so the remembered charts' share is visible
    for chart in Path(env["GCM_CACHE"]).glob("chart-*.pickle"):
        chart.unlink()
    result["build_jobs1_charts_drawn_s"] = sh(*gcm, "--jobs", "1", env=env, cwd=root)
    result["ratio_to_floor_charts_drawn"] = result["build_jobs1_charts_drawn_s"] / n / result["floor_per_brief_s"]
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


def bench_scale(root: Path, env: dict, extra: int = 56) -> dict:
    """A generated review with `extra` more briefs (the objective briefs again, under new ids):
    time per brief at 8 and at 8 + extra briefs, to show that the build stays linear."""
    import yaml

    plan = yaml.safe_load((root / "params" / "unece-2020-rt3.yaml").read_text())
    objectives = objectives_of(root / "params" / "unece-2020-rt3.yaml")
    plan["briefs"] = plan["briefs"] + [
        {"id": f"extra-{i:02d}", "notebook": "notebooks/brief.ipynb",
         "parameters": {"objective": objectives[i % len(objectives)]}} for i in range(extra)]
    big = root / "params" / "scale.yaml"
    big.write_text(yaml.safe_dump(plan, sort_keys=False))
    out = root / "outputs-scale"
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--force", "--jobs", "2", "--formats", "html"]
    small_s = sh(*gcm, env=env, cwd=root)
    big_s = sh(*gcm, "--params", str(big), env=env, cwd=root)
    n_small, n_big = len(objectives) + 1, len(plan["briefs"])
    return {"briefs_small": n_small, "seconds_small": small_s, "per_brief_small_s": small_s / n_small,
            "briefs_big": n_big, "seconds_big": big_s, "per_brief_big_s": big_s / n_big,
            "per_brief_big_over_small": (big_s / n_big) / (small_s / n_small)}


def bench_cluster(root: Path, env: dict, scale: dict) -> dict:
    """Issue 17: the builds of bench_scale (8 briefs, then the generated 64) again on a
    two-worker LocalCluster (`--scheduler local --jobs 2`, its start included): per-brief time
    beside the process pool's of the same run, and linear from 8 to 64."""
    out = root / "outputs-cluster"
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--force", "--jobs", "2", "--formats", "html",
           "--scheduler", "local"]
    small_s = sh(*gcm, env=env, cwd=root)
    big_s = sh(*gcm, "--params", str(root / "params" / "scale.yaml"), env=env, cwd=root)
    per_small, per_big = small_s / scale["briefs_small"], big_s / scale["briefs_big"]
    return {"seconds_small": small_s, "per_brief_small_s": per_small, "seconds_big": big_s,
            "per_brief_big_s": per_big, "per_brief_big_over_small": per_big / per_small,
            "per_brief_big_over_pool": per_big / scale["per_brief_big_s"]}


# --- 2b: the formats for circulation --------------------------------------------------------


def bench_formats(root: Path, env: dict, html_only_s: float) -> dict:
    """The --jobs 2 build of bench_build (HTML only) again with PDF and DOCX (and roundtable.pdf):
    what the formats add. Chromium is the system's; without it, not measured. (gcmtools is not
    imported here: bench_rebuild imports it later, once GCM_ROOT names the copy.)"""
    if not (os.environ.get("GCM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")):
        return {}
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(root / "outputs"), "--force", "--jobs", "2"]
    all_s = min(sh(*gcm, "--formats", "html,pdf,docx", env=env, cwd=root) for _ in range(2))
    return {"html_only_jobs2_s": html_only_s, "html_pdf_docx_jobs2_s": all_s, "added_s": all_s - html_only_s}


# --- 3: rebuilds ------------------------------------------------------------------------------


def bench_rebuild(root: Path, env: dict) -> dict:
    out = root / "outputs"
    gcm = [str(BIN / "gcmtools"), "build", "--out", str(out), "--formats", "html"]
    sh(*gcm, env=env, cwd=root)
    nothing_cli = min(sh(*gcm, env=env, cwd=root) for _ in range(3))
    # in-process: what the build itself costs, without Python's start-up and imports
    sys.path.insert(0, str(ROOT))
    os.environ["GCM_ROOT"] = str(root)
    os.environ["GCM_CACHE"] = env["GCM_CACHE"]  # the same cache as the CLI builds above
    from gcmtools import build

    t0 = time.perf_counter()
    plan = build.load_plan("params/unece-2020-rt3.yaml", out=out, formats="html")
    report = build.build(plan, log=lambda _: None)
    nothing_inproc = time.perf_counter() - t0
    assert all(o.status == "up to date" for o in report.outcomes), report.outcomes
    # change one practice row (an objective-13 practice): only its briefs and the overview rebuild
    import pandas as pd

    csv_path = root / "data" / "practices" / "illustrative_practices.csv"
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    i = df.index[df["objectives"].str.strip() == "13"][0]
    df.loc[i, "title"] += " (revised)"
    df.to_csv(csv_path, index=False)
    t0 = time.perf_counter()
    report = build.build(build.load_plan("params/unece-2020-rt3.yaml", out=out, formats="html"), log=lambda _: None)
    one_row = time.perf_counter() - t0
    rebuilt = sorted(o.id for o in report.outcomes if o.status == "published")
    affected = ["objective-13", "overview"]  # the row names objective 13 only
    extra_or_missing = len(set(rebuilt) ^ set(affected))
    return {"nothing_changed_cli_s": nothing_cli, "nothing_changed_in_process_s": nothing_inproc,
            "one_row_change_s": one_row, "one_row_rebuilt": rebuilt, "one_row_affected": affected,
            "one_row_wrong_briefs": extra_or_missing}


# --- 4: intake at scale (each in its own process, for an honest peak memory) ------------------

INTAKE_SCRIPT = r"""
import json, sys, time
from pathlib import Path
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if kind == "practices":
    from gcmtools.intake.validate import validate_paths
    r = validate_paths([path]); n = int(r.counts["read"].sum()); bad = len(r.rejected)
else:
    from gcmtools.intake.observations import read_observations, validate_observations
    df = read_observations(path); n = len(df); bad = len(validate_observations(df, path))
s = time.perf_counter() - t0
# VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited at fork)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"rows": n, "rejected": bad, "seconds": s, "peak_mb": hwm / 1024}))
"""


def bench_intake(tmp: Path) -> dict:
    import pandas as pd

    practices = pd.read_csv(ROOT / "data" / "practices" / "illustrative_practices.csv", dtype=str,
                            keep_default_na=False)
    big = pd.concat([practices] * (100_000 // len(practices) + 1), ignore_index=True).head(100_000)
    big["practice_id"] = [f"B-{i}" for i in range(len(big))]
    p_path = tmp / "practices_100k.csv"
    big.to_csv(p_path, index=False)
    import numpy as np

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

    def run(kind: str, path: Path) -> dict:
        out = subprocess.run([sys.executable, "-c", INTAKE_SCRIPT, kind, str(path)], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        return json.loads(out.stdout.strip().splitlines()[-1])

    return {"practices_100k": run("practices", p_path), "observations_1m": run("observations", o_path)}


# --- 5: sources, and the report ---------------------------------------------------------------


def bench_sources() -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_sources

    return bench_sources.run()


TARGETS = [
    ("build vs plain papermill+nbconvert loop (ratio)", ("build", "ratio_to_plain_loop"), 0.6),
    ("per-brief cost vs kernel+imports floor (ratio)", ("build", "ratio_to_floor"), 1.3),
    ("rebuild, nothing changed, CLI (s)", ("rebuild", "nothing_changed_cli_s"), 0.5),
    ("rebuild, nothing changed, in process (s)", ("rebuild", "nothing_changed_in_process_s"), 0.5),
    ("one row changed: briefs rebuilt beyond/short of it", ("rebuild", "one_row_wrong_briefs"), 0),
    ("linear: s per brief at 64 briefs / at 8 (ratio)", ("scale", "per_brief_big_over_small"), 1.2),
    ("Dask LocalCluster (2 workers) / pool, s per brief at 64", ("cluster", "per_brief_big_over_pool"), 1.15),
    ("pool linear, issue 17's target (same figure)", ("scale", "per_brief_big_over_small"), 1.1),
    ("Dask linear: s per brief at 64 briefs / at 8 (ratio)", ("cluster", "per_brief_big_over_small"), 1.1),
    ("validate 100,000 practices (s)", ("intake", "practices_100k", "seconds"), 3.0),
    ("read + validate 1,000,000 observations (s)", ("intake", "observations_1m", "seconds"), 2.0),
    ("  peak memory, 1,000,000 observations (MB)", ("intake", "observations_1m", "peak_mb"), 1024),
    ("ingest every shipped source, cold (s)", ("sources", "cold_s"), 30.0),
    ("ingest every shipped source, cached (s)", ("sources", "cached_s"), 1.0),
]


def suggestion_agreement() -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_suggest

    return bench_suggest.run()


def dig(d: dict, path: tuple) -> object:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the plain papermill loop")
    args = ap.parse_args()
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}  # the last run's figures
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform()}}
    with tempfile.TemporaryDirectory(prefix="gcm-bench-") as t:
        tmp = Path(t)
        root = project_copy(tmp)
        env = {**os.environ, "GCM_ROOT": str(root), "GCM_CACHE": str(tmp / "cache")}
        results["sources"] = bench_sources()
        results["build"] = bench_build(root, env, args.quick)
        results["formats"] = bench_formats(root, env, results["build"]["build_jobs2_s"])
        results["rebuild"] = bench_rebuild(root, env)
        results["scale"] = bench_scale(root, env)
        results["cluster"] = bench_cluster(root, env, results["scale"])
        results["intake"] = bench_intake(tmp)
        results["suggest"] = suggestion_agreement()
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\n{'measure':52} {'value':>10} {'target':>10}  ok")
    missed = []
    for label, path, target in TARGETS:
        value = dig(results, path)
        if value is None:
            print(f"{label:52} {'-':>10} {target:>10}  not measured")
            continue
        print(f"{label:52} {value:>10.2f} {target:>10}  {'yes' if value <= target else 'NO'}")
        if value > target:
            missed.append(label.strip())
    import bench_suggest

    for label, line, met in bench_suggest.lines(results["suggest"]):
        print(line)
        if met is False:
            missed.append(label)
    b = results["build"]
    print(f"full build of {b['briefs']} briefs, --jobs 2: {b['build_jobs2_s']:.1f} s "
          f"({b['build_cold_jobs2_s']:.1f} s with empty caches); --jobs 1: {b['build_jobs1_s']:.1f} s; "
          f"floor {b['floor_per_brief_s']:.2f} s per brief (a launched kernel); the same steps with "
          f"the build's forked kernel {b['forked_kernel_per_brief_s']:.2f} s; --jobs 1 with every chart "
          f"drawn: {b['build_jobs1_charts_drawn_s']:.1f} s (ratio {b['ratio_to_floor_charts_drawn']:.2f})")
    f, before = results["formats"], dig(previous, ("build", "build_jobs2_s"))
    was = f"{before:.1f} s in the previous run" if isinstance(before, (int, float)) else "no previous run"
    if f:
        print(f"formats: HTML only, --jobs 2: {f['html_only_jobs2_s']:.1f} s ({was}); with PDF and DOCX "
              f"(and roundtable.pdf): {f['html_pdf_docx_jobs2_s']:.1f} s, +{f['added_s']:.1f} s")
    else:
        print(f"formats: HTML only, --jobs 2: {b['build_jobs2_s']:.1f} s ({was}); PDF not measured (no chromium)")
    sc = results["scale"]
    print(f"scale: {sc['briefs_small']} briefs {sc['per_brief_small_s']:.2f} s per brief; "
          f"{sc['briefs_big']} briefs {sc['per_brief_big_s']:.2f} s per brief (--jobs 2)")
    cl = results["cluster"]
    print(f"Dask LocalCluster, 2 workers: {sc['briefs_small']} briefs {cl['per_brief_small_s']:.2f} s per brief; "
          f"{sc['briefs_big']} briefs {cl['per_brief_big_s']:.2f} s per brief (pool: {sc['per_brief_big_s']:.2f})")
    print(f"one-row change rebuilt: {', '.join(results['rebuild']['one_row_rebuilt'])} "
          f"in {results['rebuild']['one_row_change_s']:.1f} s")
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    if missed:
        print(f"missed: {'; '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
