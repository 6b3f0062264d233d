"""What changed between two builds: a BriefContext in, its publication record (the figures and
practices it shows) out; two records in, what was revised, added or withdrawn out.

The record is published in the brief's key-figures JSON (`publication`); the build hands the
next run the record it published before (the `previous` parameter, a JSON file it keeps beside
the brief as `<brief>.previous.json`), and the brief says what changed since. The previous
publication is not an input of the brief's fingerprint: a brief is rebuilt only when its own
inputs change, and then says how its figures moved.
"""

from __future__ import annotations

import hashlib
import json

from gcmtools.brief.context import BriefContext
from gcmtools.html import fragment


def publication(ctx: BriefContext) -> dict:
    """The figures and practices this brief shows, each under a key that names it: the key
    figures (label, value as shown, year, vintage), the trend's and comparison's points, and the
    practices (id, title and a digest of the whole accepted row)."""
    figures = []
    for objective, kf in sorted(ctx.figures.items()):
        prefix = "" if ctx.objective is not None else f"Objective {objective}: "
        figures += [{"key": prefix + f.label, "value": f.display, "year": str(f.year), "vintage": f.vintage}
                    for f in kf.figures]
    for series in (ctx.trend, ctx.comparison):
        if series is None:
            continue
        first = "year" if series.kind == "trend" else "country"
        where = "" if series.kind == "trend" else f", {series.year}"
        figures += [{"key": f"{series.title}{where}: {row[first]}", "value": str(row["value_text"]),
                     "year": str(row[first]) if series.kind == "trend" else str(series.year),
                     "vintage": series.vintage}
                    for _, row in series.data.iterrows()]
    practices = [{"practice_id": str(row["practice_id"]), "title": str(row.get("title", "")),
                  "digest": hashlib.sha256(json.dumps({k: str(v) for k, v in row.items()},
                                                      sort_keys=True).encode()).hexdigest()[:16]}
                 for _, row in ctx.practices.sort_values("practice_id").iterrows()]
    return {"figures": figures, "practices": practices}


def compare(old: dict, new: dict) -> dict:
    """What changed from the publication record `old` to `new`: figures revised (old and new
    value, old and new vintage), added and withdrawn; practices added, changed and withdrawn."""
    before = {f["key"]: f for f in old.get("figures", [])}
    after = {f["key"]: f for f in new.get("figures", [])}
    revised = [{"key": k, "old": before[k]["value"], "new": after[k]["value"],
                "old_vintage": before[k]["vintage"], "new_vintage": after[k]["vintage"]}
               for k in after if k in before and before[k]["value"] != after[k]["value"]]
    p_before = {p["practice_id"]: p for p in old.get("practices", [])}
    p_after = {p["practice_id"]: p for p in new.get("practices", [])}
    return {
        "figures_revised": revised,
        "figures_added": [after[k] for k in after if k not in before],
        "figures_withdrawn": [before[k] for k in before if k not in after],
        "practices_added": [p_after[i] for i in p_after if i not in p_before],
        "practices_changed": [p_after[i] for i in p_after if i in p_before
                              and p_before[i]["digest"] != p_after[i]["digest"]],
        "practices_withdrawn": [p_before[i] for i in p_before if i not in p_after],
    }


def summary(changes: dict | None) -> str:
    """One line for the index and the build log: '2 figures revised, 1 practice added'; ''
    when nothing changed."""
    if not changes:
        return ""
    words = {"figures_revised": ("figure", "revised"), "figures_added": ("figure", "added"),
             "figures_withdrawn": ("figure", "withdrawn"), "practices_added": ("practice", "added"),
             "practices_changed": ("practice", "changed"), "practices_withdrawn": ("practice", "withdrawn")}
    parts = [f"{len(changes[k])} {noun}{'s' if len(changes[k]) != 1 else ''} {verb}"
             for k, (noun, verb) in words.items() if changes.get(k)]
    return ", ".join(parts)


def what_changed_data(ctx: BriefContext) -> dict:
    """The 'what changed' section: whether there was a previous build (and when it was built),
    and what changed since, the figures' values as shown."""
    previous = ctx.previous
    if previous is None:
        return {"previous": False, "error": ctx.previous_error, "built": "", "changes": None, "summary": ""}
    if not isinstance(previous.get("publication"), dict):
        return {"previous": True, "error": "the previous build did not record its figures and practices",
                "built": str(previous.get("built", "")), "changes": None, "summary": ""}
    changes = compare(previous["publication"], publication(ctx))
    return {"previous": True, "error": "", "built": str(previous.get("built", "")).replace("+00:00", " UTC"),
            "changes": changes, "summary": summary(changes)}


def what_changed(ctx: BriefContext):
    """The brief's 'what changed since the previous build' section."""
    return fragment("brief/what_changed.html", **what_changed_data(ctx))
