"""A brief's first computations with an empty cache, made before its kernel starts: a part's
name and the brief's parameters in, the part in the disk cache out.

The build's warm step (gcmtools.build.warm) calls `warm` in its processes, once per part, so
that the kernels unpickle what each of them would otherwise compute itself (the intake, the
shipped files' layouts, scikit-learn imported for the actions) and the overview what the
objectives' briefs compute too (their key figures). Each part is computed as load_context and
the sections compute it, under the same cache keys; a part that fails is left to the brief,
which reports it as it always has.
"""

from __future__ import annotations

#: the parts, in the order the warm step asks for them: the first two for any brief
PARTS = ("practices", "layouts", "figures", "actions")


def warm(part: str, review: str, objective: int | None, practices: str, sources: str) -> str:
    """Compute `part` of a brief (its review, objective (None: the overview), practices and
    sources as the build passes them) into the cache: "practices" the intake; "layouts" the
    layout of every shipped file (each brief looks for the shipped data sets it did not load);
    "figures" the objective's key figures, trend and comparison; "actions" the actions each of
    the brief's practices implements (and the overview's question x action map). '' when done,
    else why not in one line."""
    from gcmtools import sources as src
    from gcmtools.brief import answers, context

    if part not in PARTS:
        raise ValueError(f"no part {part!r} to warm ({', '.join(PARTS)})")
    try:
        if part == "layouts":
            src.shipped_sources()
        elif part == "figures":
            context.warm_figures(review, int(objective), sources)
        else:
            ctx = context.practices_context(review, objective, practices)
            if part == "actions":
                answers.assignments(ctx)
                if objective is None:
                    answers.overview_action_map_data(ctx)
    except Exception as exc:  # noqa: BLE001 - the brief that computes it reports it
        return f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[0]}"
    return ""
