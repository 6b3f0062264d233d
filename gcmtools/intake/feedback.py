"""Feedback to submitters: an intake result in, one XLSX and one HTML file per submitter out.

Each file lists the submitter's rejected rows (row, column, value, reason, what to change: the
advice of the rule the row breaks, intake.rules) and
their accepted practices as the workbook understood them (countries resolved, objectives,
principles), so that they can correct and resubmit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools.html import page, render
from gcmtools.intake import export
from gcmtools.intake.validate import IntakeResult

UNKNOWN_SUBMITTER = "(submitter not given)"
# the key of the rows that name no submitter: empty, so that no submitter's own name (not even
# "(submitter not given)") can be given the rows of others
NO_SUBMITTER = ""
REJECTED_COLUMNS = ["file", "row", "practice_id", "column", "value", "reason", "what_to_change",
                    "rule"]
ACCEPTED_COLUMNS = ["practice_id", "title", "countries", "objectives", "guiding_questions",
                    "principles", "file", "row"]


def feedback_tables(result: IntakeResult) -> dict[str, dict[str, pd.DataFrame]]:
    """Submitter -> {'rejected': ..., 'accepted': ...}, every row of the intake assigned once: to
    the submitter the row names, or to NO_SUBMITTER ('') when it names none."""
    rejected = result.problems.copy()
    rejected["what_to_change"] = rejected["advice"]
    # the submitter of a problem row is the one written on that row, as submitted
    who = {}
    if len(result.rejected):
        for r in result.rejected.itertuples(index=False):
            named = r.submitter if isinstance(r.submitter, str) and r.submitter.strip() else NO_SUBMITTER
            who[(r.source_file, int(r.source_row))] = named
    rejected["submitter"] = [who.get((f, int(r)), NO_SUBMITTER) for f, r in zip(rejected["file"], rejected["row"])]

    acc = result.accepted
    accepted = pd.DataFrame({
        "submitter": acc["submitter"] if len(acc) else [],
        "practice_id": acc["practice_id"] if len(acc) else [],
        "title": acc["title"] if len(acc) else [],
        "countries": acc["country"].map(lambda cs: "; ".join(f"{catalogue.country_name(c)} ({c})" for c in cs)) if len(acc) else [],
        "objectives": acc["objectives"].map(lambda os_: "; ".join(f"{o} {catalogue.objective_label(o)}" for o in os_)) if len(acc) else [],
        "guiding_questions": acc["guiding_questions"].map(lambda qs: "; ".join(map(str, qs))) if len(acc) else [],
        "principles": acc["principles"].map("; ".join) if len(acc) else [],
        "file": acc["source_file"] if len(acc) else [],
        "row": acc["source_row"] if len(acc) else [],
    })
    # submitters see their own file names, never the analyst's folders
    paths = set(rejected["file"]) | set(accepted["file"])
    for frame in (rejected, accepted):
        frame["file"] = frame["file"].map(lambda f: Path(str(f)).name)
    if len(rejected):
        rejected["reason"] = rejected["reason"].map(lambda r: _without_folders(r, paths))
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name in sorted(set(rejected["submitter"]) | set(accepted["submitter"])):
        out[name] = {
            "rejected": rejected[rejected["submitter"] == name][REJECTED_COLUMNS].reset_index(drop=True),
            "accepted": accepted[accepted["submitter"] == name][ACCEPTED_COLUMNS].reset_index(drop=True),
        }
    return out


def _without_folders(reason: str, paths: set) -> str:
    for p in sorted(map(str, paths), key=len, reverse=True):
        reason = reason.replace(p, Path(p).name)
    return reason


def file_stems(names: list[str]) -> dict[str, str]:
    """Submitter -> a safe, unique file name stem (a short hash is added where two collide)."""
    stems: dict[str, str] = {}
    taken: dict[str, int] = {}
    def stem_of(name: str) -> str:
        return export.safe_filename(name or UNKNOWN_SUBMITTER, fallback="submitter")

    for name in names:
        stem = stem_of(name)
        taken[stem] = taken.get(stem, 0) + 1
    for name in names:
        stem = stem_of(name)
        if taken[stem] > 1:
            stem += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        stems[name] = stem
    return stems


def write_feedback(result: IntakeResult, out_dir: str | Path) -> list[Path]:
    """Write <submitter>.xlsx and <submitter>.html for every submitter; returns the files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = feedback_tables(result)
    stems = file_stems(list(tables))
    written = []
    for name, t in tables.items():
        stem = stems[name]
        written.append(export.write_xlsx(
            {"Rejected rows": t["rejected"], "Accepted practices": t["accepted"]},
            out_dir / f"{stem}.xlsx",
            widths={"reason": 70, "what_to_change": 50, "title": 50, "value": 30, "countries": 40}))
        html_path = out_dir / f"{stem}.html"
        export._atomic(html_path, lambda tmp, n=name or UNKNOWN_SUBMITTER, t=t: Path(tmp).write_text(
            feedback_page(n, t["rejected"], t["accepted"]), encoding="utf-8"))
        written.append(html_path)
    return written


def feedback_page(submitter: str, rejected: pd.DataFrame, accepted: pd.DataFrame) -> str:
    """The feedback as a self-contained page (templates/feedback.html in the page shell); the
    templates escape every submitted value."""
    body = render("feedback.html", submitter=submitter, rejected=rejected, accepted=accepted)
    return page(f"Feedback: {submitter}", body.rstrip("\n"))
