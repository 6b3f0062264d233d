"""`make bench`, suggestions: how often `gcmtools suggest` proposes what a submitter listed.

Two sets. The shipped practices (data/practices, illustrative, written by us): the share whose
first-listed objective is among its top 3 suggested objectives, and, where gcm_actions is
given, whose first-listed action is among its top 3 suggested actions. Held out, real text that
is not ours: the GCM's own action paragraphs (A/RES/73/195), each searched for with the action's
paragraph left out of the index (of its objective's text too), so the paragraph is never found
by itself: the share whose own objective is among the top 3.

    .venv/bin/python bench/bench_suggest.py     # this part alone (about half a minute)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90  # the first objective a submitter listed is among the top 3 for >= 90%
TOP = 3


def first(value: object) -> str:
    """The first item of an accepted list (objectives, gcm_actions) as text, '' if none."""
    items = list(value) if isinstance(value, (list, tuple)) else []
    return str(items[0]) if items else ""


def agreement(practices: pd.DataFrame, suggestions: pd.DataFrame, kind: str, column: str,
              top: int = TOP) -> dict:
    """Of the practices with a value in `column`, how many have their first-listed value among
    their `top` suggestions of `kind`: {"n", "hits", "share", "missed"} (share None when n = 0)."""
    wanted = {pid: first(v) for pid, v in zip(practices["practice_id"], practices[column]) if first(v)}
    mine = suggestions[(suggestions["kind"] == kind) & (suggestions["rank"] <= top)]
    offered = mine.groupby("practice_id")["value"].apply(set).to_dict()
    missed = sorted(pid for pid, v in wanted.items() if v not in offered.get(pid, set()))
    n = len(wanted)
    return {"n": n, "hits": n - len(missed), "share": (n - len(missed)) / n if n else None,
            "missed": missed}


def shipped() -> dict:
    """Agreement on the shipped practices (data/practices)."""
    from gcmtools import catalogue
    from gcmtools.analysis import suggest as sg
    from gcmtools.intake.validate import validate_paths

    accepted = validate_paths([ROOT / "data" / "practices"]).accepted
    start = time.perf_counter()
    review = catalogue.load_review(catalogue.DEFAULT_REVIEW)
    suggestions = sg.suggest(accepted, review, top=TOP)
    seconds = time.perf_counter() - start
    return {"practices": len(accepted), "seconds": seconds,
            "objective": agreement(accepted, suggestions, "objective", "objectives"),
            "action": agreement(accepted, suggestions, "action", "gcm_actions")}


def held_out() -> dict:
    """Agreement on the GCM's action paragraphs, each with itself left out of the index."""
    from gcmtools.analysis import suggest as sg
    from gcmtools.catalogue import gcm

    rows = []
    for a in gcm.actions().itertuples():
        index = sg.build_index("objective", sg.gcm_documents("objective", frozenset({a.code})))
        practice = pd.DataFrame({"practice_id": [a.code], "title": [""], "description": [a.text],
                                 "language": ["en"], "objectives": [[a.objective]]})
        rows.append((a.code, sg.ranked(practice, index, TOP), practice))
    suggestions = pd.concat([s for _, s, _ in rows], ignore_index=True)
    practices = pd.concat([p for _, _, p in rows], ignore_index=True)
    return {"paragraphs": len(practices),
            "objective": agreement(practices, suggestions, "objective", "objectives")}


def run() -> dict:
    """Both sets, as make bench records them."""
    return {"shipped": shipped(), "held_out": held_out(), "target": TARGET, "top": TOP}


def lines(results: dict) -> list[tuple[str, str, bool | None]]:
    """The measurements as printed, each beside its target: (label, line, target met; None
    where there is no target or nothing to measure)."""
    def row(label: str, a: dict, target: bool) -> tuple[str, str, bool | None]:
        if not a["n"]:
            return label, f"{label:52} {'-':>10} {'-':>10}  not measured (no practice gives it)", None
        met = a["share"] >= TARGET if target else None
        ok = {True: "yes", False: "NO", None: "  "}[met]
        goal = f">= {TARGET:.0%}" if target else "-"
        return label, f"{label:52} {a['share']:>10.1%} {goal:>10}  {ok} ({a['hits']} of {a['n']})", met

    s, h = results["shipped"], results["held_out"]
    return [
        row("first objective in top 3, shipped practices", s["objective"], True),
        row("first gcm_action in top 3, shipped practices", s["action"], False),
        row("own objective in top 3, GCM action paragraphs held out", h["objective"], True),
    ]


if __name__ == "__main__":
    res = run()
    print("\n".join(line for _, line, _ in lines(res)))
    print("missed, shipped:", ", ".join(res["shipped"]["objective"]["missed"]))
    print("missed, held out:", ", ".join(res["held_out"]["objective"]["missed"]))
    sys.exit(0 if all(met is not False for _, _, met in lines(res)) else 1)
