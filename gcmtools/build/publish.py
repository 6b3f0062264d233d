"""A brief's files in the work folder in, published files out: the brief (renamed into place
atomically), the index and the build manifest.

The index shows what each brief published: its coverage and the illustrative banner come from
the brief's key-figures JSON (`practices`), never from reading the practices again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gcmtools import store
from gcmtools.build.plan import Brief, Plan

#: a brief's files, in the order they are published (the HTML last: a reader who sees it sees
#: all); `.tables` is the folder of its tables' CSV and XLSX files (gcmtools.build.downloads)
SUFFIXES = (".ipynb", ".manifest.json", ".key-figures.json", ".key-figures.csv", ".key-figures.xlsx",
            ".tables", ".pdf", ".docx", ".html")
#: files of an earlier version that this build may not have made again: removed when it has not
#: (a brief is published whole: no PDF of an older version beside a newer HTML)
OPTIONAL = (".key-figures.csv", ".key-figures.xlsx", ".tables", ".pdf", ".docx")


def publish_brief(work: Path, out_dir: Path, brief_id: str) -> None:
    """Move the brief's files into place, each by an atomic rename (HTML last); remove the
    earlier version's files that this version does not have."""
    for suffix in SUFFIXES:
        src, dst = work / f"{brief_id}{suffix}", out_dir / f"{brief_id}{suffix}"
        if src.is_dir():  # a folder cannot replace a folder that has files: move the old one aside
            old = work / f"{brief_id}{suffix}.old"
            if dst.is_dir():
                os.replace(dst, old)
            os.replace(src, dst)
            shutil.rmtree(old, ignore_errors=True)
        elif src.exists():
            os.replace(src, dst)
        elif suffix in OPTIONAL and dst.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
        elif suffix in OPTIONAL:
            dst.unlink(missing_ok=True)


def has_formats(plan: Plan, brief_id: str) -> bool:
    """Whether the brief's published files include every format the plan asks of it."""
    from gcmtools.build.formats import FORMAT_SUFFIXES, wanted

    return all((plan.out_dir / f"{brief_id}{FORMAT_SUFFIXES[f]}").is_file()
               for f in wanted(plan.formats, plan.formats_for, brief_id))


def write_manifest(state: dict, out_dir: Path) -> None:
    """The build manifest (every brief's status, fingerprint and last attempt), written atomically."""
    store.write_json_atomic(state, out_dir / store.MANIFEST_NAME)


def write_index(plan: Plan, state: dict) -> None:
    """index.html: every brief of the params file with its status, build time and coverage."""
    from gcmtools.html import page

    out = plan.out_dir / "index.html"
    store.write_text_atomic(page(f"{plan.review.short_review}: briefs", index_body(plan, state)), out)


def index_body(plan: Plan, state: dict) -> str:
    """The index's body (templates/index.html), from the manifest's `state` and the published
    key-figures JSON of each brief."""
    from gcmtools.html import render

    rows, illustrative = [], False
    for b in plan.all_briefs or plan.briefs:
        entry = state.get("briefs", {}).get(b.id, {})
        published = (plan.out_dir / f"{b.id}.html").is_file()
        counts = published_counts(plan.out_dir, b.id) if published else None
        illustrative = illustrative or bool(counts and counts.get("illustrative"))
        status = _status(entry, published)
        rows.append({"id": b.id, "title": b.title, "published": published, "status": status,
                     "stale": status != "published",
                     "built": str(entry.get("built", "")).replace("+00:00", ""),
                     "seconds": entry.get("seconds", ""),
                     "coverage": coverage(counts, b) if published else ""})
    body = render("index.html", review=plan.review, illustrative=illustrative, rows=rows,
                  version=store.tool_versions()["gcmtools"], commit=store.git_commit(),
                  roundtable=[(f, what) for f, what in ROUNDTABLE_FILES.items() if (plan.out_dir / f).is_file()])
    return body.removesuffix("\n")  # page() places the body on its own lines


#: what the index offers for the whole roundtable, when the build wrote it (gcmtools.build.formats)
ROUNDTABLE_FILES = {"roundtable.pdf": "the overview and every brief in one PDF",
                    "roundtable.key-figures.xlsx": "every brief's key figures in one workbook"}


def _status(entry: dict, published: bool) -> str:
    if entry.get("status") == "published":
        return "published"
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
        if brief.objective:
            n = counts["by_objective"][str(brief.objective)]
            reporting = counts["states_reporting_by_objective"][str(brief.objective)]
        else:
            n, reporting = counts["accepted"], counts["states_reporting"]
        return f"{n} practices; {reporting} of {counts['states']} UNECE States reporting"
    except (KeyError, TypeError) as exc:
        return f"its key-figures JSON lacks the count {exc}"
