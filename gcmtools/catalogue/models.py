"""YAML files parsed into validated models: a file that does not fit is an error naming the file,
the key and the value, never a silent default.

Every model forbids keys it does not know (a misspelt key is refused), and `load` reads a file
into one; `ModelError` is what the command line reports with exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from gcmtools import store
from gcmtools.paths import relative

M = TypeVar("M", bound=BaseModel)


class ModelError(ValueError):
    """A file that does not fit its model: one line per problem, each naming file, key, value."""


class Model(BaseModel):
    """A record read from a file: unknown keys refused, nothing changed after reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def key_path(loc: tuple) -> str:
    """('objectives', 2, 'title') -> 'objectives[2].title'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(exc: ValidationError, source: str) -> str:
    """pydantic's errors as lines a person can act on: file, key, value, what is wrong."""
    lines = []
    for err in exc.errors():
        key = key_path(err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown key {key!r} (value {err['input']!r}): is it misspelt?")
        elif err["type"] == "missing":
            lines.append(f"{source}: key {key!r} is missing")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{source}: key {key!r}: {msg} (value {err['input']!r})")
    return "\n".join(lines)


def parse(model: type[M], data: object, source: str | Path) -> M:
    """`data` as a `model`, or ModelError naming `source` (a file, or a file and a place in it)."""
    source = relative(source) if isinstance(source, Path) else source
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ModelError(describe(exc, str(source))) from None


def load(model: type[M], path: str | Path) -> M:
    """The YAML file at `path` as a `model`, or ModelError naming the file (and the line, for
    YAML that does not parse)."""
    path = Path(path)
    try:
        data = store.load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{relative(path)}: cannot be read ({exc.strerror or exc})") from None
    except store.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ModelError(f"{relative(path)}:{where} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return parse(model, {} if data is None else data, path)
