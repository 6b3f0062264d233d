"""A Plan in, each brief's fingerprint out: a hash of everything the brief depends on.

A brief depends on its notebook, its parameters, the gcmtools code (and reference data), and
the content of every practice and source file of the plan. Files are hashed, never read as
practices or observations: which practices a brief uses is the brief's business, so a changed
practice file rebuilds every brief.
"""

from __future__ import annotations

from pathlib import Path

from gcmtools import store
from gcmtools.build.plan import Plan


def input_hashes(plan: Plan) -> dict[str, str]:
    """SHA-256 of every practice and source file, by path relative to the project root."""
    return {store.relative(f): store.file_hash(f) for f in files(plan.practices) + files(plan.sources)}


def fingerprints(plan: Plan, inputs: dict[str, str]) -> dict[str, str]:
    """Each brief's fingerprint, by brief id, from the plan and its `input_hashes`."""
    inputs_fp = store.text_hash(inputs)
    return {b.id: store.text_hash(store.file_hash(b.notebook), b.parameters, store.code_hash(), inputs_fp)
            for b in plan.briefs}


def files(paths: list[Path]) -> list[Path]:
    """The files of `paths`: a folder's files (recursively, sorted), a file itself."""
    out = []
    for p in paths:
        out += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return out
