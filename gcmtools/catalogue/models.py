"""YAML files parsed into validated models: a file that does not fit is an error naming the file,
the key and the value, never a silent default.

Every model forbids keys it does not know (a misspelt key is refused) and names the keys it
needs (a missing one is refused); `load` reads a file into one, `parse` checks data already
read. A check across keys (a question naming an objective outside its roundtable) raises
`Invalid`, which names the key inside the value it checks; such a check runs once the keys it
reads fit (pydantic runs a record's checks after its fields). `ModelError` is what the command
line reports with exit code 2: one line per problem, all those found at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError

from gcmtools import store
from gcmtools.paths import findable

M = TypeVar("M")

CONFIG = ConfigDict(extra="forbid", frozen=True)


class ModelError(ValueError):
    """A file that does not fit its model: one line per problem, each naming file, key, value."""


class Invalid(ValueError):
    """Problems a cross-check found below the key it validates.

    Each problem is (key, value, reason): `key` the path below the validated key, as a tuple
    ((2, "objectives", 0) for the first objective of the third question), `value` the value
    found there, `reason` what is wrong with it.
    """

    def __init__(self, problems: list[tuple[tuple, object, str]]) -> None:
        super().__init__("; ".join(reason for _, _, reason in problems))
        self.problems = problems


class Model(BaseModel):
    """A record read from a file: unknown keys refused, nothing changed after reading."""

    model_config = CONFIG


def flat(text: object) -> str:
    """`text` with its line breaks and runs of spaces as one space."""
    return " ".join(str(text).split())


def _some_text(text: str) -> str:
    if not text:
        raise ValueError("is empty")
    return text


# Text a person reads, its line breaks and runs of spaces as one space: `Flat` may be empty,
# `Text` may not.
Flat = Annotated[str, AfterValidator(flat)]
Text = Annotated[str, AfterValidator(flat), AfterValidator(_some_text)]


def key_path(loc: tuple) -> str:
    """('objectives', 2, 'title') -> 'objectives[2].title'; a mapping's key is shown as itself."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(source: str, loc: tuple, kind: str, msg: str, value: object) -> str:
    key = key_path(loc) or "(top level)"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return f"{source}: unknown key {key!r} (value {value!r}): is it misspelt?"
    if kind in ("missing", "missing_argument"):
        return f"{source}: key {key!r} is missing"
    return f"{source}: key {key!r}: {msg} (value {value!r})"


def describe(exc: ValidationError, source: str) -> str:
    """pydantic's errors as lines a person can act on: file, key, value, what is wrong."""
    lines = []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, Invalid):
            lines += [_line(source, tuple(err["loc"]) + tuple(key), "invalid", reason, value)
                      for key, value, reason in cause.problems]
            continue
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        lines.append(_line(source, tuple(err["loc"]), err["type"], msg, err.get("input")))
    return "\n".join(lines)


def parse(model: type[M], data: object, source: str | Path, context: dict[str, Any] | None = None) -> M:
    """`data` as a `model`, or ModelError naming `source` (a file, or a file and a place in it).

    `model` is a Model or a pydantic dataclass; `context` reaches its validators (for instance
    the folder of the file, to check a file it names).
    """
    source = findable(source) if isinstance(source, Path) else source
    try:
        return TypeAdapter(model).validate_python(data, context=context)
    except ValidationError as exc:
        raise ModelError(describe(exc, str(source))) from None


def load(model: type[M], path: str | Path, context: dict[str, Any] | None = None) -> M:
    """The YAML file at `path` as a `model`, or ModelError naming the file (and the line, for
    YAML that does not parse)."""
    path = Path(path)
    try:
        data = store.load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{findable(path)}: cannot be read ({exc.strerror or exc})") from None
    except store.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ModelError(f"{findable(path)}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return parse(model, {} if data is None else data, path, context)
