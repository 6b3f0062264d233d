"""`gcmtools build`: a params file in, published briefs out (HTML, executed notebook, key figures,
index, manifest). The build orchestrates and nothing else; one module per step:

- plan: the params file, parsed and checked before any kernel starts (`load_plan`);
- fingerprint: what each brief depends on, as hashes (files, code, notebook, parameters);
- pool: the worker processes, the lock and the signals that stop them;
- worker: one brief in a worker (papermill in a fresh kernel, then render);
- publish: the brief's files moved into place, the index and the build manifest.

`build` runs them in that order. The steps are imported when called: a worker process imports
gcmtools.build.worker, which must not import pandas (see worker.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gcmtools.build.plan import Brief, Plan


class PlanError(Exception):
    """The params file or the command line asks for something impossible (exit 2)."""


class BuildLocked(Exception):
    """Another build holds the lock on the same outputs (exit 2)."""


@dataclass
class Outcome:
    """What happened to one brief in this run."""

    id: str
    status: str  # published | up to date | failed
    error: str = ""
    stale: bool = False


@dataclass
class BuildReport:
    """The run's outcomes and its exit code (0 all published or up to date, 1 some failed)."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0


def load_plan(params_file: Path | str | None = None, out: Path | str | None = None,
              only: list[int | str] | None = None, formats: str | None = None,
              approved_only: bool = False) -> Plan:
    """The checked plan of a params file (default: params/unece-2020-rt3.yaml); PlanError naming
    the file and the key of anything wrong (gcmtools.build.plan). `formats`: 'html,pdf,docx'
    instead of the file's `formats`; `approved_only`: those formats for approved briefs only."""
    from gcmtools.build import plan
    from gcmtools.build.signoff import approved_briefs

    checked = plan.load_plan(params_file or plan.DEFAULT_PARAMS, out=out, only=only, formats=formats)
    if approved_only:  # --approved-only: the formats beyond HTML for approved briefs alone
        checked.formats_for = approved_briefs(checked)
    return checked


def build(plan: Plan, jobs: int | None = None, force: bool = False, log=print,
          scheduler: str | None = None) -> BuildReport:
    """Run the plan: rebuild what changed, publish atomically, keep the last good briefs.
    `scheduler`: run the briefs on a Dask cluster ('local' or tcp://HOST:PORT,
    gcmtools.build.cluster) instead of the process pool."""
    from gcmtools.build import pool, publish

    with pool.locked(plan.out_dir):
        log(f"building {len(plan.briefs)} brief(s) of {plan.review.id} into {plan.out_dir}")
        with pool.sigterm_as_interrupt():
            work = Path(tempfile.mkdtemp(prefix=".build-", dir=plan.out_dir))
            try:
                _remove_dead_builds(plan.out_dir, work, log)
                publish.recover(plan.out_dir, log)
                return _build_locked(plan, jobs, force, log, work, scheduler)
            finally:
                with pool.uninterrupted():
                    shutil.rmtree(work, ignore_errors=True)


def _remove_dead_builds(out_dir: Path, work: Path, log) -> None:
    """Remove the work folders (`.build-*`) that builds killed outright (kill -9, a power cut)
    left behind. Only dead builds': this build holds the folder's lock, which a build holds
    from before it makes its work folder until after it removes it, and whose holder's death
    releases it; so every other `.build-*` folder belongs to a build that has ended."""
    for folder in sorted(out_dir.glob(".build-*")):
        if folder != work and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            log(f"removed {folder.name}, the work folder of a build that was killed")


def sign_off(plan: Plan, brief_id: str, by: str, status: str = "approved"):
    """Record a brief's sign-off (gcmtools.build.signoff) and show it at once: the brief's page
    header and the index, under the build's lock. The Signoff recorded; PlanError for an unknown
    brief or one with nothing published."""
    from gcmtools import store
    from gcmtools.build import pool, publish, signoff

    with pool.locked(plan.out_dir):
        entry = signoff.sign(plan, brief_id, by, status)
        state = store.read_state(plan.out_dir / store.MANIFEST_NAME)
        state["briefs"] = _entries(state)
        publish.refresh_pages(plan, state)
        publish.write_index(plan, state)
        publish.write_manifest(state, plan.out_dir)
    return entry


def _entries(manifest: dict) -> dict:
    """The build manifest's brief entries, those that are JSON objects (a damaged one is rebuilt)."""
    briefs = manifest.get("briefs")
    return {k: v for k, v in briefs.items() if isinstance(v, dict)} if isinstance(briefs, dict) else {}


def _build_locked(plan: Plan, jobs: int | None, force: bool, log, work: Path,
                  scheduler: str | None = None) -> BuildReport:
    from gcmtools import store
    from gcmtools.build import fingerprint, pool, publish, signoff

    # load: the last build's manifest and the sign-offs; fingerprint what each brief depends on
    last = store.read_state(plan.out_dir / store.MANIFEST_NAME)  # damaged: set aside, rebuilt
    started = _now()
    state = {"review": plan.review.id, "run": started,
             "briefs": _entries(last) if last.get("review") == plan.review.id else {}}
    signoffs = signoff.load_signoffs(plan)
    stamps = fingerprint.stamps(plan)  # before hashing: a change from now on is seen (fingerprint.changed)
    inputs = fingerprint.input_hashes(plan)
    parts = fingerprint.depends_on(plan, inputs)
    fps = {bid: fingerprint.combined(p) for bid, p in parts.items()}
    report = BuildReport()
    todo = []
    for b in plan.briefs:
        entry = state["briefs"].get(b.id, {})
        published = (plan.out_dir / f"{b.id}.html").is_file() and publish.has_formats(plan, b.id)
        if not force and entry.get("fingerprint") == fps[b.id] and entry.get("status") == "published" and published:
            report.outcomes.append(Outcome(b.id, "up to date"))
            log(f"{b.id}: up to date")
        else:
            todo.append(b)
            log(f"{b.id}: to build ({fingerprint.why_rebuilt(entry, parts[b.id], published, force)})")
    # process: run the out-of-date briefs, publishing each as it finishes
    run_info = {**store.tool_versions(), "started": started, "params_file": store.relative(plan.params_file),
                "input_hashes": inputs}
    jobs_list = [_job(plan, b, work, run_info, state["briefs"].get(b.id, {}), signoffs.get(b.id))
                 for b in todo]
    first = {j["id"]: not j["parameters"]["previous"] for j in jobs_list}  # nothing published before
    try:
        # the sources parsed once, not in every brief's kernel, and with them what every kernel
        # would compute cold: a brief's kernel starts when its parts are (gcmtools.build.warm)
        with _warming(plan, todo, jobs, scheduler) as warmed:
            # closing(): whatever stops this loop (Ctrl-C, SIGTERM, an error) stops the workers before
            # the caller removes their work folder, not whenever the generator is collected
            executed = pool.execute(jobs_list, jobs, warmed.after) if scheduler is None else \
                _on_cluster(plan, jobs_list, jobs, scheduler, fps, inputs, log)
            with closing(executed) as results, _format_step(plan, run_info) as step:
                for i, result in enumerate(results, start=1):
                    b = next(x for x in todo if x.id == result["id"])
                    result = _finish(step, work, b, result)  # downloads, PDF, DOCX: in the work folder
                    moved = fingerprint.changed(plan, stamps)
                    fp = fingerprint.UNSURE if moved else fps[b.id]
                    outcome = _record(plan, b, result, state["briefs"].setdefault(b.id, {}), fp, run_info)
                    if outcome.status == "published":  # what it read: the next build says what changed
                        state["briefs"][b.id]["depends_on"] = parts[b.id]
                    said = _said(outcome, result) + _moved(moved)
                    if outcome.status == "published":
                        publish.publish_brief(work, plan.out_dir, b.id)
                        said += publish.after_publish(plan, b, state["briefs"][b.id], started, first[b.id])
                    report.outcomes.append(outcome)
                    log(f"[{i}/{len(jobs_list)}] {b.id}: {said}")
                    publish.write_manifest(state, plan.out_dir)
                publish.refresh_pages(plan, state)  # the pages first: the formats are made from them
                report.outcomes += _circulate(plan, step, state["briefs"], work, log)
                report.outcomes += _roundtable(plan, step, log)
    finally:  # interrupted too: the index shows what is published now
        with pool.uninterrupted():
            publish.refresh_pages(plan, state)
            publish.write_index(plan, state)
            publish.write_manifest(state, plan.out_dir)
    return report


def _warming(plan: Plan, todo: list[Brief], jobs: int | None, scheduler: str | None):
    """The warm step of the briefs `todo` (gcmtools.build.warm.warming): none on a cluster,
    whose workers may not share this machine's cache, nor when nothing is to be built."""
    from contextlib import nullcontext

    from gcmtools.build.warm import Warming, brief_parts, warming

    if not todo or scheduler is not None:
        return nullcontext(Warming())
    return warming(plan.sources, jobs, brief_parts(plan, todo))


def _on_cluster(plan: Plan, jobs_list: list[dict], jobs: int | None, scheduler: str, fps: dict, inputs: dict, log):
    """The jobs' results from a Dask cluster (gcmtools.build.cluster), imported only then."""
    from gcmtools.build import cluster

    return cluster.execute(plan, jobs_list, jobs, scheduler, fps, inputs, log)


def _format_step(plan: Plan, run_info: dict):
    """The build's format step (gcmtools.build.formats.FormatStep) for the plan's formats and
    `plan.formats_for`, the briefs that get them."""
    from gcmtools.build.formats import FormatStep

    label = f"{plan.review.short_review}, roundtable {plan.review.roundtable_number}"
    return FormatStep(plan.formats, label, run_info["started"][:10], plan.formats_for)


def _finish(step, work: Path, b: Brief, result: dict) -> dict:
    """The run's result after the format step: failed, saying why, when a format could not be made."""
    from gcmtools.build.formats import FormatError

    if not result["ok"]:
        return result
    try:
        step.finish(work, b.id, b.title)
    except FormatError as exc:
        return {**result, "ok": False, "error": str(exc)}
    return result


def _circulate(plan: Plan, step, entries: dict, work: Path, log) -> list[Outcome]:
    """What circulates beside the pages: a published brief whose sign-off status is not the one
    its PDF and DOCX show has them made again from its page (its manifest entry's
    `formats_shell` records the status they show); a brief that gets no formats (not approved,
    with --approved-only) has them removed. A format that cannot be made again is removed (it
    would show the old status) and is the build's failure, named after the file."""
    from gcmtools.build.formats import FormatError

    outcomes = []
    for b in plan.all_briefs or plan.briefs:
        entry = entries.get(b.id)
        if entry is None or not (plan.out_dir / f"{b.id}.html").is_file():
            continue
        if not step.wanted(b.id):
            removed = step.withdraw(plan.out_dir, b.id)
            entry.pop("formats_shell", None)
            if removed:
                log(f"{b.id}: {', '.join(removed)} removed (not approved: --approved-only circulates the approved briefs only)")
            continue
        if entry.get("formats_shell") == entry.get("shell"):
            continue
        try:
            made = step.again(plan.out_dir, work, b.id, b.title)
        except FormatError as exc:
            step.withdraw(plan.out_dir, b.id)
            entry.pop("formats_shell", None)
            log(f"{b.id}: its formats: FAILED: {exc} (removed: they showed its former status)")
            outcomes.append(Outcome(f"{b.id} formats", "failed", str(exc)))
            continue
        entry["formats_shell"] = entry.get("shell")
        if made:
            log(f"{b.id}: {', '.join(made)} made again from its page: its status is now "
                f"{entry['shell']['status']} ({entry['shell']['text']})")
    return outcomes


def _roundtable(plan: Plan, step, log) -> list[Outcome]:
    """The roundtable's PDF and key-figures workbook, once the briefs are published; a failure
    is the build's (an Outcome named after the file), the briefs stay published."""
    from gcmtools.build.formats import ROUNDTABLE_PDF

    # the roundtable PDF: the overview and the objectives' briefs, not the country profiles
    briefs = [(b.id, b.title, b.objective is None) for b in plan.all_briefs or plan.briefs if not b.country]
    title = f"Roundtable {plan.review.roundtable_number}: {plan.review.roundtable_title}"
    try:
        for path in step.roundtable(plan.out_dir, briefs, title):
            log(f"{path.name}: written")
    except Exception as exc:  # the briefs are published: this file alone failed
        log(f"{ROUNDTABLE_PDF}: FAILED: {type(exc).__name__}: {exc}")
        return [Outcome(ROUNDTABLE_PDF, "failed", f"{type(exc).__name__}: {exc}")]
    return []


def _record(plan: Plan, b: Brief, result: dict, entry: dict, fp: str, run_info: dict) -> Outcome:
    """The brief's manifest entry updated with its result; its Outcome."""
    from gcmtools import store

    entry.update({"title": b.title, "objective": b.objective, "notebook": store.relative(b.notebook),
                  "parameters": b.parameters, "last_attempt": run_info["started"]})
    if result["ok"]:
        entry.update({"status": "published", "fingerprint": fp, "error": "", "built": _now(),
                      "seconds": round(result["seconds"], 1), "git_commit": run_info["git_commit"],
                      "gcmtools": run_info["gcmtools"]})
        return Outcome(b.id, "published")
    stale = (plan.out_dir / f"{b.id}.html").is_file()
    entry.update({"status": "failed", "error": result["error"], "stale": stale})
    return Outcome(b.id, "failed", result["error"], stale)


def _moved(changed: list[str]) -> str:
    """What the log adds for a brief whose inputs changed while it ran ('' if none did)."""
    if not changed:
        return ""
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"; inputs changed during the build ({shown}): the next build runs it again"


def _said(outcome: Outcome, result: dict) -> str:
    """What the log says of a brief run in this build."""
    if outcome.status == "published":
        restarts = result.get("kernel_restarts", 0)
        again = f"; its kernel failed to start {restarts} time(s) and was started again" if restarts else ""
        return f"published ({result['seconds']:.1f} s{again})"
    kept = "the last good brief stays published, marked stale" if outcome.stale else "no earlier brief to keep"
    return f"FAILED: {outcome.error} ({kept})"


def _job(plan: Plan, b: Brief, work: Path, run_info: dict, entry: dict, signed=None) -> dict:
    """The picklable description of one brief's run, with its run manifest written beside it,
    the previous build's publication record (from its manifest `entry`) and its sign-off status."""
    from gcmtools import store
    from gcmtools.build import publish, signoff
    from gcmtools.paths import project_root

    run_manifest = {**run_info, "brief": b.id, "notebook": store.relative(b.notebook),
                    "parameters": b.parameters}
    # the notebook reads its run manifest from the work folder; it is published beside the HTML
    store.write_json_atomic(run_manifest, work / f"{b.id}.manifest.json")
    # relative to the project root, the kernel's working directory (the notebooks resolve them
    # from there): the published notebook shows no machine path
    params = {**b.parameters,
              "manifest": os.path.relpath(work / f"{b.id}.manifest.json", project_root()),
              "key_figures_out": os.path.relpath(work / f"{b.id}.key-figures.json", project_root())}
    previous = publish.keep_previous(plan.out_dir, work, b.id, entry)
    params["previous"] = os.path.relpath(previous, project_root()) if previous else ""
    return {"id": b.id, "notebook": str(b.notebook), "parameters": params, "title": b.title,
            # absolute: the workers run the kernels in the project root, which need not be the
            # folder a relative --out was given in
            "work_dir": str(work.absolute()), "cwd": str(project_root()), "timeout": plan.execution_timeout,
            "status": signoff.status(signed)}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
