"""Sign-off of the briefs: a plan and the reviewers' decisions in, each brief's status out
(draft, reviewed, approved, with name and date), kept in a YAML file beside the params file.

`gcmtools signoff BRIEF --by NAME [--status reviewed|approved]` records who signed off what:
the hash of the brief's published figures and practices (`publication` in its key-figures
JSON). A build that publishes other figures or practices for a reviewed or approved brief
returns it to draft, with the reason, in the same file: the outputs can be rebuilt or removed
without losing a decision.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from gcmtools import store
from gcmtools.build import PlanError
from gcmtools.build.plan import Plan
from gcmtools.catalogue.models import Model, ModelError, load


class Signoff(Model):
    """One brief's sign-off: its status, who and when, what was signed off, why it is a draft again."""

    status: Literal["draft", "reviewed", "approved"]
    by: str
    date: str
    publication: str = ""  # store.text_hash of the published `publication` record signed off
    reason: str = ""  # why a build returned it to draft
    out: str = ""  # the output folder it was given for, relative to the project root ('': the default)


class SignoffFile(Model):
    """The sign-off file of a params file: one entry per brief id."""

    briefs: dict[str, Signoff] = {}


HEADER = ("# Sign-off of the briefs built from {params}: written by `gcmtools signoff` and, when a\n"
          "# build changes a signed-off brief's figures or practices, by `gcmtools build`.\n")


def signoff_file(plan: Plan) -> Path:
    """Where a params file's sign-offs live: beside it, `<params>.signoff.yaml`."""
    return plan.params_file.with_name(f"{plan.params_file.stem}.signoff.yaml")


def load_signoffs(plan: Plan) -> dict[str, Signoff]:
    """The sign-offs of the plan's briefs given for its output folder ({} without a file): a
    scratch build into another --out neither shows nor changes them; PlanError naming the file
    and key of anything that does not fit the model."""
    return {k: v for k, v in _load_all(plan).items() if _folder(plan, v) == store.relative(plan.out_dir)}


def _folder(plan: Plan, entry: Signoff) -> str:
    """The output folder a sign-off was given for (an entry without one: the default, outputs/)."""
    from gcmtools.paths import outputs_dir

    return entry.out or store.relative(outputs_dir() / plan.review.id)


def _load_all(plan: Plan) -> dict[str, Signoff]:
    path = signoff_file(plan)
    if not path.is_file():
        return {}
    try:
        return dict(load(SignoffFile, path).briefs)
    except ModelError as exc:
        raise PlanError(str(exc)) from None


def save_signoffs(plan: Plan, entries: dict[str, Signoff]) -> None:
    """Write the sign-off file atomically, briefs in the plan's order."""
    import yaml

    order = [b.id for b in plan.all_briefs or plan.briefs]
    data = {"briefs": {k: entries[k].model_dump() for k in sorted(entries, key=lambda k: (
        order.index(k) if k in order else len(order), k))}}
    text = HEADER.format(params=store.relative(plan.params_file)) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True)
    store.write_text_atomic(text, signoff_file(plan))


def publication_hash(out_dir: Path, brief_id: str) -> str | None:
    """The hash of a published brief's figures and practices; None if it has none published."""
    data = store.read_json(out_dir / f"{brief_id}.key-figures.json", default=None)
    record = data.get("publication") if isinstance(data, dict) else None
    return store.text_hash(record) if isinstance(record, dict) else None


def sign(plan: Plan, brief_id: str, by: str, status: str = "approved") -> Signoff:
    """Record that `by` gave the published brief `status` now; PlanError for an unknown brief,
    an empty name, or a brief with no published figures to sign off."""
    known = [b.id for b in plan.all_briefs or plan.briefs]
    if brief_id not in known:
        raise PlanError(f"no brief {brief_id!r} in {store.relative(plan.params_file)} "
                        f"(its briefs: {', '.join(known)})")
    if not by.strip():
        raise PlanError("--by: the name of who signs off is empty")
    signed = publication_hash(plan.out_dir, brief_id)
    if signed is None:
        raise PlanError(f"{brief_id}: nothing published in {store.relative(plan.out_dir)} to sign off "
                        "(build it first)")
    entries = _load_all(plan)
    entries[brief_id] = Signoff(status=status, by=by.strip(), date=_today(), publication=signed,
                                out=store.relative(plan.out_dir))
    save_signoffs(plan, entries)
    return entries[brief_id]


def after_publish(plan: Plan, brief_id: str, why: str) -> str:
    """A brief was published: a reviewed or approved brief whose figures or practices are not the
    ones signed off returns to draft, saying `why` (what changed). The log line; '' if none."""
    entries = _load_all(plan)
    entry = load_signoffs(plan).get(brief_id)
    if entry is None or entry.status == "draft" or entry.publication == publication_hash(plan.out_dir, brief_id):
        return ""
    reason = (f"returned to draft on {_today()}: its figures or practices changed since {entry.by} "
              f"marked it {entry.status} on {entry.date} ({why or 'see what changed'})")
    entries[brief_id] = entry.model_copy(update={"status": "draft", "reason": reason})
    save_signoffs(plan, entries)
    return reason


def status(entry: Signoff | None) -> dict:
    """A brief's status as the page header and the index show it: {"status", "text"}."""
    if entry is None:
        return {"status": "draft", "text": "not yet reviewed"}
    if entry.status == "draft":
        return {"status": "draft", "text": entry.reason or f"marked draft by {entry.by} on {entry.date}"}
    return {"status": entry.status, "text": f"{entry.by}, {entry.date}"}


def approved_briefs(plan: Plan) -> set[str]:
    """The ids of the plan's briefs approved for circulation (for `--formats` to circulate)."""
    return {k for k, v in load_signoffs(plan).items() if v.status == "approved"}


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()
