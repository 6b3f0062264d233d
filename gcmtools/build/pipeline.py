"""`gcmtools build`: params file in, published briefs out (HTML, executed notebook, index, manifest).

A straight line of steps: load and check the plan (before any kernel starts), fingerprint each
brief's inputs, run the out-of-date briefs with papermill (a fresh kernel each, up to --jobs at
once), render them without code, publish atomically, and write the index and the manifest.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gcmtools import catalogue, store
from gcmtools.build import worker
from gcmtools.paths import from_root, outputs_dir, project_root

DEFAULT_PARAMS = Path("params") / "unece-2020-rt3.yaml"
PLAN_KEYS = {"review", "practices", "sources", "execution_timeout", "briefs"}
BRIEF_KEYS = {"id", "notebook", "parameters", "title"}
INJECTED = ("manifest", "key_figures_out")


class PlanError(Exception):
    """The params file or the command line asks for something impossible (exit 2)."""


class BuildLocked(Exception):
    """Another build holds the lock on the same outputs (exit 2)."""


@dataclass
class Brief:
    """One brief of the plan: its notebook and the parameters papermill injects."""

    id: str
    notebook: Path
    parameters: dict
    title: str
    objective: int | None = None


@dataclass
class Plan:
    """What a build run will do, checked against the catalogue and the notebooks."""

    params_file: Path
    review: catalogue.Review
    practices: list[Path]
    sources: list[Path]
    briefs: list[Brief]
    out_dir: Path
    execution_timeout: int = 600
    all_briefs: list[Brief] = field(default_factory=list)  # the index lists these (--only or not)


@dataclass
class Outcome:
    """What happened to one brief in this run."""

    id: str
    status: str  # published | up to date | failed
    seconds: float = 0.0
    error: str = ""
    stale: bool = False


@dataclass
class BuildReport:
    """The run's outcomes and its exit code (0 all published, 1 some failed, 2 nothing run)."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0


# --- 1. the plan --------------------------------------------------------------------------


def load_plan(params_file: Path | str = DEFAULT_PARAMS, out: Path | str | None = None,
              only: list[int | str] | None = None) -> Plan:
    """Read the params file and check every key and value before any kernel starts."""
    params_file = Path(params_file)
    path = from_root(params_file)
    if not path.is_file():
        raise PlanError(f"{params_file}: no such params file")
    try:
        raw = store.load_yaml(path.read_text(encoding="utf-8")) or {}
    except store.YAMLError as exc:
        raise PlanError(f"{params_file}: not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(raw, dict):
        raise PlanError(f"{params_file}: expected a mapping of keys, found {type(raw).__name__}")
    unknown = sorted(set(raw) - PLAN_KEYS)
    if unknown:
        raise PlanError(f"{params_file}: unknown key {unknown[0]!r} (known: {', '.join(sorted(PLAN_KEYS))})")
    try:
        review = catalogue.load_review(raw.get("review", catalogue.DEFAULT_REVIEW))
    except ValueError as exc:
        raise PlanError(f"{params_file}: key 'review': {exc}") from None
    practices = [from_root(p) for p in _as_list(raw.get("practices", "data/practices"))]
    sources = [from_root(p) for p in _as_list(raw.get("sources", []))]
    for key, paths in (("practices", practices), ("sources", sources)):
        for p in paths:
            if not p.exists():
                raise PlanError(f"{params_file}: key {key!r}: {store.relative(p)} does not exist")
    common = {
        "review": review.id,
        "practices": ";".join(store.relative(p) for p in practices),
        "sources": ";".join(store.relative(p) for p in sources),
    }
    briefs = [_brief(params_file, review, i, b, common) for i, b in enumerate(raw.get("briefs") or [])]
    if not briefs:
        raise PlanError(f"{params_file}: key 'briefs' lists no brief")
    all_briefs = list(briefs)
    if only:
        objectives = {int(x) for x in only if isinstance(x, int) or str(x).isdigit()}
        ids = {str(x) for x in only} - {str(o) for o in objectives}
        bad_objective = sorted(objectives - {b.objective for b in briefs})
        if bad_objective:
            raise PlanError(f"--only: objective {bad_objective[0]} has no brief in {params_file}")
        bad_id = sorted(ids - {b.id for b in briefs})
        if bad_id:
            raise PlanError(f"--only: no brief {bad_id[0]!r} in {params_file} "
                            f"(its briefs: {', '.join(b.id for b in briefs)})")
        briefs = [b for b in briefs if b.objective in objectives or b.id in ids]
    ids = [b.id for b in briefs]
    if len(set(ids)) != len(ids):
        raise PlanError(f"{params_file}: key 'briefs': brief ids repeat")
    out_dir = Path(out) if out else outputs_dir()
    return Plan(path, review, practices, sources, briefs, out_dir / review.id,
                int(raw.get("execution_timeout", 600)), all_briefs)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _brief(params_file: Path, review: catalogue.Review, i: int, raw: object, common: dict) -> Brief:
    """One entry of `briefs`, checked: known keys, a notebook that declares every parameter."""
    where = f"{params_file}: briefs[{i}]"
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: expected a mapping")
    unknown = sorted(set(raw) - BRIEF_KEYS)
    if unknown:
        raise PlanError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(BRIEF_KEYS))})")
    notebook = from_root(str(raw.get("notebook", "")))
    if not notebook.is_file():
        raise PlanError(f"{where}: key 'notebook': {raw.get('notebook')!r} is not a notebook file")
    params = dict(raw.get("parameters") or {})
    objective = params.get("objective")
    if objective is not None:
        if not isinstance(objective, int) or not 1 <= objective <= 23:
            raise PlanError(f"{where}: key 'parameters.objective': {objective!r} is not a GCM objective (1-23)")
        if objective not in review.objectives:
            raise PlanError(f"{where}: key 'parameters.objective': objective {objective} is not in "
                            f"roundtable {review.roundtable_number} ({', '.join(map(str, review.objectives))})")
    declared = _declared_parameters(notebook)
    for key in list(params) + list(common) + list(INJECTED):
        if key not in declared:
            raise PlanError(f"{where}: key 'parameters.{key}': the notebook {store.relative(notebook)} "
                            f"has no such parameter (it declares: {', '.join(sorted(declared))})")
    brief_id = str(raw.get("id") or (f"objective-{objective:02d}" if objective else notebook.stem))
    title = str(raw.get("title") or (f"Objective {objective}: {catalogue.objective_title(objective)}"
                                     if objective else "Roundtable overview"))
    return Brief(brief_id, notebook, {**common, **params}, title, objective)


def _declared_parameters(notebook: Path) -> set[str]:
    """Names in the notebook's cell tagged `parameters` (papermill's own reading of it).

    Remembered per notebook content in the disk cache: importing papermill costs about a
    second, which a build with nothing to do should not pay.
    """
    def inspect() -> list[str]:
        import papermill

        return sorted(papermill.inspect_notebook(str(notebook)))

    declared = store.cached("notebook-parameters", store.file_hash(notebook), inspect)
    if not declared:
        raise PlanError(f"{store.relative(notebook)}: no cell tagged 'parameters'")
    return set(declared)


# --- 2. fingerprints ----------------------------------------------------------------------


def fingerprints(plan: Plan, previous: dict) -> tuple[dict[str, str], dict]:
    """Each brief's fingerprint: notebook, parameters, gcmtools code and the inputs it reads.

    A brief for objective N depends on the accepted practices that name N (and the intake
    counts); the overview on all practices; every brief on the indicator files' content.
    The intake runs only when a practice file's content changed since the last build.
    """
    practice_files = _files(plan.practices)
    practice_hashes = {store.relative(p): store.file_hash(p) for p in practice_files}
    source_hashes = {store.relative(p): store.file_hash(p) for p in _files(plan.sources)}
    by_objective = previous.get("practice_fingerprints") if previous.get("practice_hashes") == practice_hashes else None
    if by_objective is None:
        by_objective = _practice_fingerprints(practice_files, plan.review.objectives)
    sources_fp = store.text_hash(source_hashes)
    result = {}
    for b in plan.briefs:
        key = str(b.objective) if b.objective else "all"
        result[b.id] = store.text_hash(
            store.file_hash(b.notebook), b.parameters, store.code_hash(), sources_fp,
            by_objective.get(key, ""))
    state = {"practice_hashes": practice_hashes, "practice_fingerprints": by_objective,
             "input_hashes": {**practice_hashes, **source_hashes}}
    return result, state


def _files(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out


def _practice_fingerprints(files: list[Path], objectives: tuple[int, ...]) -> dict[str, str]:
    """Hash of the accepted practices of each objective, and of all practices ('all')."""
    from gcmtools.intake.validate import validate_paths_cached as validate_paths

    result = validate_paths(files)
    acc = result.accepted.copy()
    if len(acc):
        acc["source_file"] = acc["source_file"].map(lambda f: store.relative(Path(f)))
    counts = result.counts.assign(file=result.counts["file"].map(lambda f: store.relative(Path(f))))
    counts_fp = counts.to_json(orient="records")
    records = acc.to_json(orient="records", default_handler=str) if len(acc) else "[]"
    fps = {"all": store.text_hash(records, counts_fp, result.unreadable)}
    for n in objectives:
        mine = acc[acc["objectives"].map(lambda objs: n in objs)] if len(acc) else acc
        fps[str(n)] = store.text_hash(mine.to_json(orient="records", default_handler=str)
                                         if len(mine) else "[]", counts_fp, result.unreadable)
    return fps


# --- 4. the build -------------------------------------------------------------------------


def build(plan: Plan, jobs: int | None = None, force: bool = False, log=print) -> BuildReport:
    """Run the plan: rebuild what changed, publish atomically, keep the last good briefs."""
    from filelock import FileLock, Timeout

    out_dir = plan.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(out_dir / ".build.lock"))
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLocked(f"another build is running on {out_dir} (lock {out_dir / '.build.lock'})") from None
    except OSError as exc:
        raise PlanError(f"cannot write to {out_dir}: {exc.strerror}") from None
    log(f"building {len(plan.briefs)} brief(s) of {plan.review.id} into {out_dir}")
    previous_handler = _sigterm_as_interrupt()
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        return _build_locked(plan, jobs, force, log, work)
    finally:
        with _uninterrupted():
            shutil.rmtree(work, ignore_errors=True)
            lock.release()
        signal.signal(signal.SIGTERM, previous_handler)


@contextmanager
def _uninterrupted():
    """Clean-up that a second Ctrl-C or SIGTERM must not cut short.

    Ctrl-C pressed twice, or `timeout -s INT`, which signals the command and then its process
    group, interrupted the killing of the workers half-way, and they went on writing into a
    work folder already removed. The build is stopping already: the signals are ignored until
    the clean-up is done.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _sigterm_as_interrupt():
    """SIGTERM (a scheduler stopping us) is handled like Ctrl-C: clean up, keep published briefs."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


def _build_locked(plan: Plan, jobs: int | None, force: bool, log, work: Path) -> BuildReport:
    mpath = plan.out_dir / store.MANIFEST_NAME
    state = store.read_json(mpath, default={}) or {}
    if state.get("review") != plan.review.id:
        state = {"review": plan.review.id, "briefs": {}}
    briefs_state = state.setdefault("briefs", {})
    fps, inputs = fingerprints(plan, state)
    report = BuildReport()

    todo = []
    for b in plan.briefs:
        entry = briefs_state.get(b.id, {})
        published = (plan.out_dir / f"{b.id}.html").is_file()
        if not force and entry.get("fingerprint") == fps[b.id] and entry.get("status") == "published" and published:
            report.outcomes.append(Outcome(b.id, "up to date"))
            log(f"{b.id}: up to date")
        else:
            todo.append(b)

    run_info = {**store.tool_versions(), "started": _now(), "params_file": store.relative(plan.params_file),
                "input_hashes": inputs["input_hashes"]}
    jobs_list = [_job(plan, b, work, run_info) for b in todo]
    total = len(jobs_list)
    state.update({"practice_hashes": inputs["practice_hashes"],
                  "practice_fingerprints": inputs["practice_fingerprints"]})
    try:
        # closing(): whatever stops this loop (Ctrl-C, SIGTERM, an error) stops the workers before
        # the caller removes their work folder, not whenever the generator is collected
        with closing(_execute(jobs_list, jobs)) as results:
            for i, result in enumerate(results, start=1):
                b = next(x for x in todo if x.id == result["id"])
                entry = briefs_state.setdefault(b.id, {})
                entry.update({"title": b.title, "objective": b.objective, "notebook": store.relative(b.notebook),
                              "parameters": b.parameters, "last_attempt": run_info["started"]})
                if result["ok"]:
                    _publish(work, plan.out_dir, b.id)
                    entry.update({"status": "published", "fingerprint": fps[b.id], "error": "",
                                  "built": _now(), "seconds": round(result["seconds"], 1),
                                  "git_commit": run_info["git_commit"], "gcmtools": run_info["gcmtools"]})
                    report.outcomes.append(Outcome(b.id, "published", result["seconds"]))
                    restarts = result.get("kernel_restarts", 0)
                    again = f"; its kernel failed to start {restarts} time(s) and was started again" if restarts else ""
                    log(f"[{i}/{total}] {b.id}: published ({result['seconds']:.1f} s{again})")
                else:
                    stale = (plan.out_dir / f"{b.id}.html").is_file()
                    entry.update({"status": "failed", "error": result["error"], "stale": stale})
                    report.outcomes.append(Outcome(b.id, "failed", result["seconds"], result["error"], stale))
                    kept = "the last good brief stays published, marked stale" if stale else "no earlier brief to keep"
                    log(f"[{i}/{total}] {b.id}: FAILED: {result['error']} ({kept})")
                store.write_json_atomic(state, plan.out_dir / store.MANIFEST_NAME)
    finally:  # interrupted too: the index shows what is published now
        with _uninterrupted():
            _write_index(plan, state)  # records the coverage it computed in `state`
            store.write_json_atomic(state, plan.out_dir / store.MANIFEST_NAME)
    return report


def _job(plan: Plan, b: Brief, work: Path, run_info: dict) -> dict:
    """The picklable description of one brief's run, with its run manifest written beside it."""
    run_manifest = {**run_info, "brief": b.id, "notebook": store.relative(b.notebook),
                    "parameters": b.parameters}
    # the notebook reads its run manifest from the work folder; it is published beside the HTML
    store.write_json_atomic(run_manifest, work / f"{b.id}.manifest.json")
    # relative to the project root, the kernel's working directory (the notebooks resolve them
    # from there): the published notebook shows no machine path
    params = {**b.parameters,
              "manifest": os.path.relpath(work / f"{b.id}.manifest.json", project_root()),
              "key_figures_out": os.path.relpath(work / f"{b.id}.key-figures.json", project_root())}
    return {"id": b.id, "notebook": str(b.notebook), "parameters": params, "title": b.title,
            "work_dir": str(work), "cwd": str(project_root()), "timeout": plan.execution_timeout}


def _execute(jobs_list: list[dict], jobs: int | None):
    """Run the jobs, up to `jobs` at once, yielding results as they finish."""
    if not jobs_list:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    import multiprocessing

    log_file = str(Path(jobs_list[0]["work_dir"]) / "kernels.log")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker.start_worker, initargs=(log_file, jobs_list[0]["cwd"]))
    try:  # from the first submit on, workers exist and an interrupt must stop them
        futures: dict[Future, dict] = {pool.submit(worker.run_brief, j): j for j in jobs_list}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                try:
                    yield f.result()
                except BrokenProcessPool:
                    yield {"id": futures[f]["id"], "ok": False, "seconds": 0.0,
                           "error": "the worker process running this brief died"}
        pool.shutdown(wait=True)
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM) or failing: stop the workers and their kernels now,
        # rather than waiting for briefs whose results will not be published
        with _uninterrupted():
            _kill_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)
        raise


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes and everything they started (zygotes, kernels).

    The workers are killed and joined through multiprocessing, which must be the one to reap
    them: reaped by anyone else, the pool's shutdown takes them for still running and spins
    at exit. Their descendants are not our children: they are killed and watched until gone.
    """
    import psutil

    workers = dict(getattr(pool, "_processes", None) or {})
    descendants = []
    for pid in workers:
        try:
            descendants += psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            pass
    for p in descendants:
        try:
            p.kill()
        except psutil.Error:
            pass
    for w in workers.values():
        try:
            w.kill()
        except (OSError, ValueError):  # already gone, or closed
            pass
    _wait_gone(descendants, timeout=5)
    for w in workers.values():
        try:
            w.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


def _wait_gone(procs: list, timeout: float) -> list:
    """Wait until every process has exited; those still running after `timeout`.

    An exited process that is not our child stays a zombie until its new parent (init) reaps
    it, which can take seconds: it has stopped, so it counts as gone.
    """
    import psutil

    deadline = time.monotonic() + timeout
    alive = list(procs)
    while alive and time.monotonic() < deadline:
        still = []
        for p in alive:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    still.append(p)
            except psutil.Error:  # gone
                pass
        alive = still
        if alive:
            time.sleep(0.01)
    return alive


def _publish(work: Path, out_dir: Path, brief_id: str) -> None:
    """Move the brief's files into place, each by an atomic rename (HTML last)."""
    for suffix in (".ipynb", ".manifest.json", ".key-figures.json", ".html"):
        src = work / f"{brief_id}{suffix}"
        if src.exists():
            os.replace(src, out_dir / f"{brief_id}{suffix}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# --- 5. the index -------------------------------------------------------------------------


def _write_index(plan: Plan, state: dict) -> None:
    """index.html: every brief with its status, build time and coverage; written atomically."""
    from gcmtools.html import page

    rows = []
    for b in plan.all_briefs or plan.briefs:
        e = state["briefs"].get(b.id, {})
        published = (plan.out_dir / f"{b.id}.html").is_file()
        if e.get("status") == "published":
            status = "published"
        elif published:
            status = f"STALE: the last build failed ({e.get('error', '')}); this is the previous version"
        else:
            status = f"FAILED, never published ({e.get('error', '')})"
        link = (f'<a href="{html.escape(b.id)}.html">{html.escape(b.title)}</a>' if published
                else html.escape(b.title))
        cls = ' class="stale"' if status != "published" else ""
        rows.append(
            f"<tr{cls}><td>{link}</td><td>{html.escape(status)}</td>"
            f"<td class=\"nowrap\">{html.escape(str(e.get('built', '')).replace('+00:00', ''))}</td>"
            f"<td class=\"num\">{e.get('seconds', '')}</td>"
            f"<td>{html.escape(_coverage(plan, b, state))}</td></tr>"
        )
    review = plan.review
    body = (
        f"<h1>{html.escape(review.review)}</h1>\n"
        f"<p>Roundtable {review.roundtable_number}: {html.escape(review.roundtable_title)}. "
        f"Review id <code>{html.escape(review.id)}</code>.</p>\n"
        + _illustrative_note(plan, state)
        + "<table>\n<tr><th>brief</th><th>status</th><th>built (UTC)</th><th class=\"num\">build time (s)</th>"
        "<th>coverage</th></tr>\n" + "\n".join(rows) + "\n</table>\n"
        f"<p class=\"muted\">gcmtools {html.escape(store.tool_versions()['gcmtools'])}, "
        f"commit {html.escape(store.git_commit())}. Each brief's inputs and parameters are in "
        "its <code>.manifest.json</code>.</p>"
    )
    store.write_text_atomic(page(f"{review.short_review}: briefs", body), plan.out_dir / "index.html")


_COVERAGE: dict[str, object] = {}


def _coverage(plan: Plan, b: Brief, state: dict | None = None) -> str:
    """'N practices, M of 56 UNECE States reporting' for an objective; all practices for the overview.

    Kept in the manifest with the practices' fingerprint, so an unchanged build reads no practice.
    """
    fp = (state or {}).get("practice_fingerprints", {}).get(str(b.objective) if b.objective else "all")
    saved = (state or {}).get("coverage", {}).get(b.id)
    if fp and saved and saved.get("fingerprint") == fp:
        return saved["text"]
    text = _coverage_text(plan, b)
    if state is not None and fp:
        state.setdefault("coverage", {})[b.id] = {"fingerprint": fp, "text": text}
    return text


def _coverage_text(plan: Plan, b: Brief) -> str:
    key = "|".join(map(str, plan.practices))
    if key not in _COVERAGE:
        from gcmtools.intake.validate import validate_paths_cached as validate_paths

        _COVERAGE[key] = validate_paths(plan.practices).accepted
    acc = _COVERAGE[key]
    if not len(acc):
        return "no practices"
    from gcmtools.analysis import evidence

    mine = evidence.for_objective(acc, b.objective) if b.objective else acc
    cov = evidence.coverage(mine)  # the briefs' own rule: a State reports through its own practices
    return f"{len(mine)} practices; {int(cov['reported'].sum())} of {len(cov)} UNECE States reporting"


def _illustrative_note(plan: Plan, state: dict) -> str:
    if state.get("illustrative") is None or state.get("illustrative_for") != state.get("practice_hashes"):
        from gcmtools.intake.validate import validate_paths_cached as validate_paths

        key = "|".join(map(str, plan.practices))
        acc = _COVERAGE.get(key)
        if acc is None:
            acc = _COVERAGE[key] = validate_paths(plan.practices).accepted
        state["illustrative"] = bool(len(acc) and acc["practice_id"].str.startswith("ILL-").any())
        state["illustrative_for"] = state.get("practice_hashes")
    if state["illustrative"]:
        return ('<p class="banner"><strong>Illustrative data.</strong> The practices behind these '
                "briefs are invented for demonstration; they were not submitted by any State or "
                "organisation.</p>\n")
    return ""


def default_jobs() -> int:
    """--jobs default: the number of cores."""
    return os.cpu_count() or 1


def is_tty() -> bool:
    return sys.stdout.isatty()
