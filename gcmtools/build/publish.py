"""A brief's files in the work folder in, published files out: the brief (renamed into place
atomically), the index and the build manifest.

The index shows what each brief published: its coverage and the illustrative banner come from
the brief's key-figures JSON (`practices`), never from reading the practices again.
"""

from __future__ import annotations

import os
from pathlib import Path

from gcmtools import store
from gcmtools.build.plan import Brief, Plan

#: a brief's files, in the order they are published (the HTML last: a reader who sees it sees all)
SUFFIXES = (".ipynb", ".manifest.json", ".key-figures.json", ".html")


def publish_brief(work: Path, out_dir: Path, brief_id: str) -> None:
    """Move the brief's files into place, each by an atomic rename (HTML last)."""
    for suffix in SUFFIXES:
        src = work / f"{brief_id}{suffix}"
        if src.exists():
            os.replace(src, out_dir / f"{brief_id}{suffix}")


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
                  version=store.tool_versions()["gcmtools"], commit=store.git_commit())
    return body.removesuffix("\n")  # page() places the body on its own lines


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
