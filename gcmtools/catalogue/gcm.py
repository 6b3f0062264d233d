"""The GCM itself, read from reference/: objectives.csv, principles.csv and gcm_actions.yaml
(with the transcription of A/RES/73/195 in data/) in; the objectives (numbers, titles, labels),
their commitments and actions (13a ... 13h, each with our label), the guiding principles and the
checks that a number is an objective and a code an action out.

The objective numbers are read from objectives.csv, never written out: `objective_numbers()`
and `objective_range()` ("1-23") are what every other module asks.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import AfterValidator, StringConstraints

from gcmtools.catalogue.models import Model, ModelError, Text, load
from gcmtools.paths import PACKAGE_DIR, REFERENCE_DIR, data_dir, findable


@cache
def objectives() -> pd.DataFrame:
    """The 23 GCM objectives: number, official title (A/RES/73/195 para. 16), short label."""
    df = pd.read_csv(REFERENCE_DIR / "objectives.csv", dtype={"number": int}, keep_default_na=False)
    return df.set_index("number", drop=False)


@cache
def objective_numbers() -> tuple[int, ...]:
    """The numbers of the GCM objectives, in order, as objectives.csv lists them."""
    return tuple(int(n) for n in objectives()["number"])


def number_range(numbers: Iterable[int]) -> str:
    """Numbers as a reader writes them: '1-23' when they run without a gap, else '1, 2, 4'.

    >>> number_range(range(1, 24)), number_range([1, 2, 4]), number_range([3])
    ('1-23', '1, 2, 4', '3')
    """
    nums = sorted(set(int(n) for n in numbers))
    if len(nums) > 2 and nums == list(range(nums[0], nums[-1] + 1)):
        return f"{nums[0]}-{nums[-1]}"
    return ", ".join(map(str, nums))


def objective_range() -> str:
    """The objective numbers as a reader is told them: "1-23"."""
    return number_range(objective_numbers())


def check_objective(number: int) -> int:
    """`number` if it is a GCM objective; ValueError naming it and the objectives otherwise."""
    if number not in objective_numbers():
        raise ValueError(f"objective {number} is not a GCM objective ({objective_range()})")
    return number


# A field of a validated model that holds a GCM objective number.
ObjectiveNumber = Annotated[int, AfterValidator(check_objective)]


def objective_title(number: int) -> str:
    """The official title of objective `number`; KeyError for a number that is not an objective."""
    return str(objectives().loc[int(number), "title"])


def objective_label(number: int) -> str:
    """The short label of objective `number`."""
    return str(objectives().loc[int(number), "label"])


def objectives_reference(numbers: Iterable[int]) -> str:
    """The objectives a guiding question names, as the background note writes them.

    >>> objectives_reference([4]), objectives_reference([8, 11]), objectives_reference([4, 8, 11])
    ('(GCM objective 4)', '(GCM objectives 8 and 11)', '(GCM objectives 4, 8 and 11)')
    """
    n = [str(o) for o in numbers]
    if len(n) == 1:
        return f"(GCM objective {n[0]})"
    return f"(GCM objectives {', '.join(n[:-1])} and {n[-1]})"


@cache
def principles() -> pd.DataFrame:
    """The 10 guiding principles (para. 15): slug, name, summary."""
    return pd.read_csv(REFERENCE_DIR / "principles.csv", keep_default_na=False)


# --- the GCM's commitments and actions --------------------------------------------------------
#
# Read from the shipped transcription of A/RES/73/195 in data/ (not copied into the package:
# one copy of the raw text, beside its SOURCE.txt), corrected and labelled by
# reference/gcm_actions.yaml.

ACTIONS_FILE = REFERENCE_DIR / "gcm_actions.yaml"
TRANSCRIPTION = ("gcm_framework", "gcms_long.md")
ACTION_COLUMNS = ["code", "objective", "letter", "label", "text"]
_CODE = re.compile(r"^(\d{1,2})([a-z])$")
_LEAD_IN = "To realize this commitment"


def transcription_file() -> Path:
    """The transcription of A/RES/73/195 the actions are read from: data/gcm_framework/gcms_long.md
    under the project root ($GCM_ROOT) when the project has it, else the one shipped in the
    checkout that holds this package (the GCM's text is reference data, not a project input: a
    project of one's own, or a test's, need not copy it)."""
    own = data_dir().joinpath(*TRANSCRIPTION)
    return own if own.is_file() else PACKAGE_DIR.parent.joinpath("data", *TRANSCRIPTION)


class Correction(Model):
    """One defect of the transcription, fixed as it is read: `found` (spaces and all) becomes
    `fixed` in `part` (title, commitment or an action's letter) of `objective`."""

    objective: ObjectiveNumber
    part: Annotated[str, StringConstraints(pattern=r"^(title|commitment|[a-z])$")]
    found: Annotated[str, StringConstraints(min_length=1)]
    fixed: str
    why: Text


class Heading(Model):
    """A subheading of the resolution among an objective's actions (not an action)."""

    objective: ObjectiveNumber
    before: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    text: Text


Letter = Annotated[str, StringConstraints(pattern=r"^[a-z]$")]


class ActionsFile(Model):
    """reference/gcm_actions.yaml: the corrections, the subheadings and a label per action."""

    corrections: list[Correction]
    headings: list[Heading] = []
    labels: dict[ObjectiveNumber, dict[Letter, Text]]


@dataclass
class _Objective:
    """One objective as the transcription has it, before corrections."""

    number: int
    line: int
    title: str = ""
    commitment: list[str] = dc_field(default_factory=list)
    actions: dict[str, str] = dc_field(default_factory=dict)
    headings: list[tuple[str, str]] = dc_field(default_factory=list)  # (letter after, text)

    def part(self, name: str) -> str | None:
        if name == "title":
            return self.title
        if name == "commitment":
            return " ".join(self.commitment)
        return self.actions.get(name)


_OBJECTIVE = re.compile(r"^# Objective (\d+)\s*$")
_TITLE = re.compile(r"^## Title: (.+)$")
_ACTION = re.compile(r"^- ([a-z])\. (.+)$")


def _read_transcription(text: str, source: str) -> dict[int, _Objective]:
    """The objectives of the transcription's Markdown, each part as written (trailing spaces
    dropped); a line that fits no part is a ModelError naming the file and the line."""
    found: dict[int, _Objective] = {}
    cur, in_actions = None, False
    for i, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if m := _OBJECTIVE.match(line):
            cur, in_actions = _Objective(int(m.group(1)), i), False
            found[cur.number] = cur
        elif not line:
            continue
        elif cur is None:
            raise ModelError(f"{source}: line {i}: text before the first objective: {line[:60]!r}")
        elif m := _TITLE.match(line):
            cur.title = m.group(1)
        elif line == "## Associated actions":
            in_actions = True
        elif in_actions and (m := _ACTION.match(line)):
            if m.group(1) in cur.actions:
                raise ModelError(f"{source}: line {i}: objective {cur.number} lists action "
                                 f"{m.group(1)} twice")
            cur.actions[m.group(1)] = m.group(2)
        elif in_actions:
            cur.headings.append((chr(ord(max(cur.actions, default="`")) + 1), line))
        elif not line.startswith(_LEAD_IN):
            cur.commitment.append(line)
    return found


def _check_transcription(found: dict[int, _Objective], source: str) -> None:
    """Every objective once, in order, each with a title, a commitment and actions a, b, c...
    without a gap."""
    problems = []
    if list(found) != list(objective_numbers()):
        problems.append(f"{source}: objectives {number_range(found)} found, "
                        f"the GCM's are {objective_range()}")
    for o in found.values():
        letters = "".join(o.actions)
        if not o.title or not o.commitment or not letters:
            problems.append(f"{source}: line {o.line}: objective {o.number} lacks its title, "
                            "commitment or actions")
        elif letters != string.ascii_lowercase[: len(letters)]:
            problems.append(f"{source}: line {o.line}: objective {o.number}'s actions are "
                            f"{', '.join(letters)}, not a, b, c... without a gap")
    if problems:
        raise ModelError("\n".join(problems))


def _apply(found: dict[int, _Objective], spec: ActionsFile, source: str) -> dict[tuple[int, str], str]:
    """Each part's text with the corrections applied: (objective, part) -> text. A correction
    whose `found` is not exactly once in its part, a heading the transcription does not have
    (or one it has and the file does not list) is a ModelError naming the key."""
    texts = {(o.number, p): o.part(p) for o in found.values()
             for p in ("title", "commitment", *o.actions)}
    problems = []
    for i, c in enumerate(spec.corrections):
        text = texts.get((c.objective, c.part))
        count = 0 if text is None else text.count(c.found)
        if count != 1:
            problems.append(f"{source}: key 'corrections[{i}].found': {c.found!r} is {count} times in "
                            f"objective {c.objective} {c.part} of {findable(transcription_file())}, "
                            "not once")
            continue
        texts[(c.objective, c.part)] = text.replace(c.found, c.fixed)
    listed = {(h.objective, h.before, h.text) for h in spec.headings}
    there = {(o.number, after, line) for o in found.values() for after, line in o.headings}
    problems += [f"{source}: key 'headings': objective {n} has a line {line!r} among its actions "
                 f"(before {after}) that is neither an action nor a listed heading"
                 for n, after, line in sorted(there - listed)]
    problems += [f"{source}: key 'headings': objective {n} has no heading {line!r} before {after}"
                 for n, after, line in sorted(listed - there)]
    if problems:
        raise ModelError("\n".join(problems))
    return texts


def _check_labels(found: dict[int, _Objective], spec: ActionsFile, source: str) -> None:
    """A label for every action of the transcription, and none for an action it lacks."""
    have = {f"{o.number}{letter}" for o in found.values() for letter in o.actions}
    labelled = {f"{n}{letter}" for n, labels in spec.labels.items() for letter in labels}
    problems = [f"{source}: key 'labels.{c[:-1]}.{c[-1]}' is missing (action {c} has no label)"
                for c in sorted(have - labelled, key=_code_order)]
    problems += [f"{source}: key 'labels.{c[:-1]}.{c[-1]}': action {c} is not in the transcription"
                 for c in sorted(labelled - have, key=_code_order)]
    if problems:
        raise ModelError("\n".join(problems))


def _code_order(code: str) -> tuple[int, str]:
    m = _CODE.match(code)
    return (int(m.group(1)), m.group(2)) if m else (0, code)


def read_actions(transcription: str | Path, actions_file: str | Path = ACTIONS_FILE
                 ) -> tuple[pd.DataFrame, dict[int, str]]:
    """The actions (ACTION_COLUMNS, indexed by code) and the commitments (objective -> text) of
    a transcription, corrected and labelled by `actions_file`; ModelError naming the file, the
    key or the line where either does not fit, or where a corrected title differs from
    objectives.csv's."""
    # load: the two files, each checked on its own
    spec = load(ActionsFile, actions_file)
    transcription, source = Path(transcription), findable(actions_file)
    try:
        found = _read_transcription(transcription.read_text(encoding="utf-8"), findable(transcription))
    except OSError as exc:
        raise ModelError(f"{findable(transcription)}: cannot be read ({exc.strerror or exc}); "
                         "the GCM's text is read from data/ under the project root or the "
                         "checkout that holds gcmtools") from None
    _check_transcription(found, findable(transcription))
    # process: corrections applied, labels and titles checked against the catalogue
    texts = _apply(found, spec, source)
    _check_labels(found, spec, source)
    wrong = [f"{source}: objective {n}'s title reads {texts[(n, 'title')]!r} once corrected; "
             f"objectives.csv has {objective_title(n)!r}" for n in found
             if texts[(n, "title")] != objective_title(n)]
    if wrong:
        raise ModelError("\n".join(wrong))
    rows = [(f"{o.number}{letter}", o.number, letter, spec.labels[o.number][letter],
             texts[(o.number, letter)]) for o in found.values() for letter in o.actions]
    table = pd.DataFrame(rows, columns=ACTION_COLUMNS).set_index("code", drop=False)
    return table, {n: texts[(n, "commitment")] for n in found}


@cache
def _actions_and_commitments() -> tuple[pd.DataFrame, dict[int, str]]:
    return read_actions(transcription_file())


def actions() -> pd.DataFrame:
    """Every action of the 23 objectives, indexed by code ("13a"): code, objective (int),
    letter, label (ours), text (the official text, corrected). A copy: change it freely."""
    return _actions_and_commitments()[0].copy()


def commitment(objective: int) -> str:
    """The commitment paragraph of `objective` ("We commit to ..."), corrected."""
    return _actions_and_commitments()[1][check_objective(int(objective))]


def objective_actions(objective: int) -> list[str]:
    """The codes of `objective`'s actions, in order ("13a" ... "13h")."""
    table = _actions_and_commitments()[0]
    return list(table.index[table["objective"] == check_objective(int(objective))])


def close_actions(code: str) -> list[str]:
    """The actions a mistyped `code` may have meant: digits swapped ("31a" -> 13a), else
    the actions of its objective ("13i" -> 13a ... 13h), else the closest spellings."""
    codes = list(_actions_and_commitments()[0].index)
    typed = str(code).strip().lower().replace(" ", "")
    if typed in codes:
        return [typed]
    m = _CODE.match(typed)
    if m:
        number, letter = m.groups()
        swapped = [c for c in codes if c[-1] == letter and c[:-1] != number
                   and sorted(c[:-1]) == sorted(number)]
        if swapped:
            return swapped
        if int(number) in objective_numbers():
            return objective_actions(int(number))
    return difflib.get_close_matches(typed, codes, n=3, cutoff=0.5)


def action_range(codes: list[str]) -> str:
    """['13a', ..., '13h'] -> '13a-13h'; a list with a gap as '8a, 8c'."""
    if len(codes) > 2 and "".join(c[-1] for c in codes) == string.ascii_lowercase[: len(codes)]:
        return f"{codes[0]}-{codes[-1]}"
    return ", ".join(codes)


def check_action(code: str) -> str:
    """`code` ("13a") if it is a GCM action; ValueError naming it, with the actions it may have
    meant, otherwise."""
    if code in _actions_and_commitments()[0].index:
        return code
    raise ValueError(f"action {code!r} is not a GCM action: {action_hint(code)}")


def action_hint(code: str) -> str:
    """What to write instead of a code that is not an action, for messages."""
    close = close_actions(code)
    m = _CODE.match(str(code).strip().lower())
    if (m and close and int(m.group(1)) in objective_numbers()
            and close == objective_actions(int(m.group(1)))):
        return f"objective {m.group(1)} has actions {action_range(close)}"
    hint = f" (did you mean {action_range(close)}?)" if close else ""
    return f"an action is an objective's number and a letter, as 13a{hint}"
