"""A brief's files in the work folder in, published files out: the brief (published as one
step, see publish_brief), the index and the build manifest.

The index shows what each brief published: its coverage and the illustrative banner come from
the brief's key-figures JSON (`practices`), never from reading the practices again, and so does
what changed in this build (`changes`, gcmtools.brief.changes). Each brief's page header and the
index show its sign-off status (gcmtools.build.signoff); a brief whose status changed without a
rebuild is wrapped again in the page shell (its body as published, html.page_body).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gcmtools import store
from gcmtools.build.plan import Brief, Plan

#: a brief's files, in the order they are published (the HTML last: a reader who sees it sees
#: all); `.previous.json` is the publication record it replaced, which its "what changed" compared
#: with; `.tables` is the folder of its tables' CSV and XLSX files (gcmtools.build.downloads)
SUFFIXES = (".ipynb", ".manifest.json", ".previous.json", ".key-figures.json", ".key-figures.csv",
            ".key-figures.xlsx", ".tables", ".pdf", ".docx", ".html")
#: files of an earlier version that this build may not have made again: removed when it has not
#: (a brief is published whole: no PDF of an older version beside a newer HTML)
OPTIONAL = (".key-figures.csv", ".key-figures.xlsx", ".tables", ".pdf", ".docx")
#: the formats a brief may be published in beside its HTML, linked from the index when present
FORMATS = {".html": "HTML", ".pdf": "PDF", ".docx": "Word"}


#: the folder a brief's files wait in, in the outputs folder, until they are switched into place
STAGING = ".publish-"
#: written in the staging folder once every file is in it: the one step that publishes the brief
#: (a build killed before it leaves the old version whole; one killed after it is finished by the
#: next build, see recover)
READY = "READY.json"


def publish_brief(work: Path, out_dir: Path, brief_id: str) -> None:
    """Publish the brief's files as one step: moved into a staging folder, the READY record
    written (the step), then each renamed into place (HTML last) and the earlier version's files
    that this version does not have removed. SIGINT and SIGTERM wait for the end (pool.deferred);
    a build killed outright between the renames is finished by the next build's `recover`."""
    from gcmtools.build import pool

    staging = out_dir / f"{STAGING}{brief_id}"
    with pool.deferred():
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        names = []
        for suffix in SUFFIXES:
            src = work / f"{brief_id}{suffix}"
            if src.exists():
                os.replace(src, staging / src.name)
                names.append(src.name)
        store.write_json_atomic({"brief": brief_id, "files": names}, staging / READY)
        _switch(staging, out_dir, brief_id, names)


def _switch(staging: Path, out_dir: Path, brief_id: str, names: list[str]) -> None:
    """Rename the staged files `names` into place (those already renamed are skipped), remove
    the optional files the version does not have, then the staging folder."""
    for suffix in SUFFIXES:
        name = f"{brief_id}{suffix}"
        src, dst = staging / name, out_dir / name
        if name in names and src.is_dir():  # a folder cannot replace one that has files: move it aside
            old = staging / f"{name}.old"
            if dst.is_dir():
                os.replace(dst, old)
            os.replace(src, dst)
        elif name in names and src.exists():
            os.replace(src, dst)
        elif name not in names and suffix in OPTIONAL and dst.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
        elif name not in names and suffix in OPTIONAL:
            dst.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover(out_dir: Path, log) -> None:
    """Staging folders of a build killed while publishing: finished when READY was written (the
    brief was published), else removed (the earlier version is still whole)."""
    for staging in sorted(out_dir.glob(f"{STAGING}*")):
        brief_id = staging.name.removeprefix(STAGING)
        ready = store.read_json(staging / READY, default=None)
        if isinstance(ready, dict) and isinstance(ready.get("files"), list):
            _switch(staging, out_dir, brief_id, [str(n) for n in ready["files"]])
            log(f"{brief_id}: finished publishing it (a killed build had begun)")
        else:
            shutil.rmtree(staging, ignore_errors=True)
            log(f"{brief_id}: removed its half-staged files (a killed build); the published version is whole")


def has_formats(plan: Plan, brief_id: str) -> bool:
    """Whether the brief's published files include every format the plan asks of it."""
    from gcmtools.build.formats import FORMAT_SUFFIXES, wanted

    return all((plan.out_dir / f"{brief_id}{FORMAT_SUFFIXES[f]}").is_file()
               for f in wanted(plan.formats, plan.formats_for, brief_id))


def keep_previous(out_dir: Path, work: Path, brief_id: str, entry: dict) -> Path | None:
    """The brief's published publication record, with the time it was built, copied into the
    work folder for the next run of the brief to compare with; None if nothing is published."""
    data = store.read_json(out_dir / f"{brief_id}.key-figures.json", default=None)
    if not isinstance(data, dict):
        return None
    return store.write_json_atomic({"built": entry.get("built", ""), "publication": data.get("publication")},
                                   work / f"{brief_id}.previous.json")


def after_publish(plan: Plan, brief: Brief, entry: dict, run: str, first: bool = False) -> str:
    """Record in the brief's manifest `entry` what changed in this run (as its key-figures JSON
    says; "first build" when `first`, nothing published before it) and the sign-off status its page shows; return a signed-off brief to draft if its
    figures or practices changed. What the log adds to the brief's line ('' if nothing)."""
    from gcmtools.build import signoff

    data = store.read_json(plan.out_dir / f"{brief.id}.key-figures.json", default=None) or {}
    changes = data.get("changes") if isinstance(data, dict) else None
    summary = changes.get("summary", "") if isinstance(changes, dict) else ""
    entry.update({"published_in": run, "changes": FIRST_BUILD if first else summary,
                  "shell": signoff.status(signoff.load_signoffs(plan).get(brief.id))})
    # the status its PDF and DOCX show (made from the page as the worker rendered it)
    entry.pop("formats_shell", None)
    if any((plan.out_dir / f"{brief.id}{suffix}").is_file() for suffix in FORMATS if suffix != ".html"):
        entry["formats_shell"] = entry["shell"]
    said = f"; changed since the previous build: {summary}" if summary else ""
    reason = signoff.after_publish(plan, brief.id, summary)
    return said + (f"; {reason}" if reason else "")


#: what the index says of a brief's changes on the build that first published it
FIRST_BUILD = "first build"


def refresh_pages(plan: Plan, state: dict) -> None:
    """Wrap again the published page of every brief whose sign-off status is not the one it
    shows (the manifest `state` records what each shows)."""
    from gcmtools.build import signoff
    from gcmtools.html import page, page_body

    signoffs = signoff.load_signoffs(plan)
    for b in plan.all_briefs or plan.briefs:
        entry = state.get("briefs", {}).get(b.id)
        path = plan.out_dir / f"{b.id}.html"
        wanted = signoff.status(signoffs.get(b.id))
        if entry is None or not path.is_file() or entry.get("shell") == wanted:
            continue
        text = path.read_text(encoding="utf-8")
        store.write_text_atomic(page(b.title, page_body(text), links=True, toc=True, status=wanted), path)
        entry["shell"] = wanted


def write_manifest(state: dict, out_dir: Path) -> None:
    """The build manifest (every brief's status, fingerprint and last attempt), written atomically."""
    store.write_json_atomic(state, out_dir / store.MANIFEST_NAME)


def write_index(plan: Plan, state: dict) -> None:
    """index.html: every brief of the params file with its status, build time and coverage."""
    from gcmtools.html import page

    out = plan.out_dir / "index.html"
    store.write_text_atomic(page(f"{plan.review.short_review}: briefs", index_body(plan, state), links=True), out)


def index_body(plan: Plan, state: dict) -> str:
    """The index's body (templates/index.html), from the manifest's `state` and the published
    key-figures JSON of each brief."""
    from gcmtools.build import signoff
    from gcmtools.html import render

    signoffs = signoff.load_signoffs(plan)
    rows, illustrative = [], False
    for b in plan.all_briefs or plan.briefs:
        entry = state.get("briefs", {}).get(b.id, {})
        published = (plan.out_dir / f"{b.id}.html").is_file()
        counts = published_counts(plan.out_dir, b.id) if published else None
        illustrative = illustrative or bool(counts and counts.get("illustrative"))
        status = _status(entry, published)
        rows.append({"id": b.id, "title": b.title, "published": published, "status": status,
                     "stale": status not in ("published", NOT_BUILT),
                     "built": str(entry.get("built", "")).replace("+00:00", ""),
                     "seconds": entry.get("seconds", ""),
                     "coverage": coverage(counts, b) if published else "",
                     "formats": formats(plan.out_dir, b.id),
                     "signoff": signoff.status(signoffs.get(b.id)),
                     "changes": _changed(entry, state.get("run"), published)})
    roundtable = [{"href": f, "label": what} for f, what in ROUNDTABLE_FILES.items() if (plan.out_dir / f).is_file()]
    briefs = plan.all_briefs or plan.briefs
    profiles = profiles_by_subregion([(b, r) for b, r in zip(briefs, rows) if b.country])
    body = render("index.html", review=plan.review, illustrative=illustrative,
                  rows=[r for b, r in zip(briefs, rows) if not b.country], roundtable=roundtable,
                  profiles=profiles, footnote=profile_footnote(briefs),
                  version=store.tool_versions()["gcmtools"], commit=store.git_commit())
    return body.removesuffix("\n")  # page() places the body on its own lines


def profiles_by_subregion(pairs: list[tuple[Brief, dict]]) -> list[dict]:
    """The index's rows of the country profiles grouped by the catalogue's UNECE sub-region
    (sub-regions in order, States by name; places outside the 56 States last)."""
    from gcmtools import catalogue

    where = catalogue.unece_states().set_index("iso3")["subregion"].to_dict()
    groups: dict[str, list[dict]] = {}
    for b, row in sorted(pairs, key=lambda p: catalogue.country_name(p[0].country or "")):
        name = catalogue.country_name(b.country or "")
        shown = dict(row, title=f"{name}*" if b.country == "XKX" else name)
        groups.setdefault(where.get(b.country, catalogue.OTHER_PLACES), []).append(shown)
    order = sorted(g for g in groups if g != catalogue.OTHER_PLACES) + \
        [g for g in groups if g == catalogue.OTHER_PLACES]
    return [{"subregion": g, "rows": groups[g]} for g in order]


def profile_footnote(briefs: list[Brief]) -> str:
    """The UN footnote on Kosovo when the index lists its profile ('' otherwise)."""
    from gcmtools import catalogue

    return catalogue.editorial()["kosovo_footnote"] if any(b.country == "XKX" for b in briefs) else ""


def formats(out_dir: Path, brief_id: str) -> list[dict]:
    """The formats the brief is published in (the files beside its HTML), as links."""
    return [{"href": f"{brief_id}{suffix}", "label": label} for suffix, label in FORMATS.items()
            if (out_dir / f"{brief_id}{suffix}").is_file()]


def _changed(entry: dict, run: str | None, published: bool) -> str:
    """What the index says of a brief's changes: those of this build, if it published the brief."""
    if not published:
        return ""
    if run and entry.get("published_in") == run:
        return entry.get("changes") or "no change"
    return "no change"


#: what the index offers for the whole roundtable, when the build wrote it (gcmtools.build.formats)
ROUNDTABLE_FILES = {"roundtable.pdf": "the overview and every brief in one PDF",
                    "roundtable.key-figures.xlsx": "every brief's key figures in one workbook"}


#: the index's status of a brief no build has attempted (not selected with --only): neutral
NOT_BUILT = "not built yet"


def _status(entry: dict, published: bool) -> str:
    if entry.get("status") == "published":
        return "published"
    if not published and entry.get("status") != "failed":
        return NOT_BUILT
    if published:
        return f"STALE: the last build failed ({entry.get('error', '')}); this is the previous version"
    return f"FAILED, never published ({entry.get('error', '')})"


def published_counts(out_dir: Path, brief_id: str) -> dict | None:
    """The `practices` counts of a brief's published key-figures JSON; None when it has none."""
    data = store.read_json(out_dir / f"{brief_id}.key-figures.json", default=None)
    counts = data.get("practices") if isinstance(data, dict) else None
    return counts if isinstance(counts, dict) else None


def coverage(counts: dict | None, brief: Brief) -> str:
    """'N practices; M of 56 UNECE States reporting' for the brief's objective (all practices for
    a brief of none), as the brief counted them."""
    if counts is None:
        return "no practice counts in its key-figures JSON"
    try:
        if not counts["accepted"]:
            return "no practices"
        if brief.country:
            return f"{counts['own']} practices by the State; {counts['naming']} of stakeholders naming it"
        if brief.objective:
            n = counts["by_objective"][str(brief.objective)]
            reporting = counts["states_reporting_by_objective"][str(brief.objective)]
        else:
            n, reporting = counts["accepted"], counts["states_reporting"]
        return f"{n} practices; {reporting} of {counts['states']} UNECE States reporting"
    except (KeyError, TypeError) as exc:
        return f"its key-figures JSON lacks the count {exc}"
