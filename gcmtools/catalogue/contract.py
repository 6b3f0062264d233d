"""The data contract, read once from reference/contract.yaml: column specs in, schema facts out.

The validator (intake), the README's contract section (`gcmtools contract`) and the Excel
template are all made from this one definition. The file is parsed into a validated model
(catalogue.models): a misspelt or missing key, a kind the validator does not know or a
vocabulary that is not defined is an error naming the file, the key and the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from gcmtools import catalogue
from gcmtools.catalogue.models import Model, load
from gcmtools.paths import REFERENCE_DIR

CONTRACT_FILE = REFERENCE_DIR / "contract.yaml"
LIST_SEPARATOR = ";"
YEAR_MIN = 1900
PRINCIPLES = "principles"  # the vocabulary that is the catalogue's guiding principles

Kind = Literal["text", "id", "country", "objective", "action", "question", "principle",
               "vocabulary", "yes_no", "year", "url_or_ref", "date"]


class ColumnModel(Model):
    """One column of a table as contract.yaml writes it."""

    name: str
    required: bool
    description: str
    example: str = ""
    kind: Kind = "text"
    vocabulary: str = ""
    multi: bool = False

    @model_validator(mode="after")
    def _vocabulary_named(self) -> ColumnModel:
        if self.kind == "vocabulary" and not self.vocabulary:
            raise ValueError(f"column {self.name!r} is of kind vocabulary but names no vocabulary")
        return self


class TableModel(Model):
    """A table of the contract: its description and its columns, in order."""

    description: str
    columns: list[ColumnModel]
    list_separator: Literal[";"] = ";"

    @model_validator(mode="after")
    def _names_unique(self) -> TableModel:
        names = [c.name for c in self.columns]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"column(s) named twice: {', '.join(twice)}")
        return self


class ContractModel(Model):
    """contract.yaml: the practices and observations tables and the controlled vocabularies."""

    practices: TableModel
    vocabularies: dict[str, list[str]]
    observations: TableModel

    @model_validator(mode="after")
    def _vocabularies_defined(self) -> ContractModel:
        known = set(self.vocabularies) | {PRINCIPLES}
        for table in (self.practices, self.observations):
            for c in table.columns:
                if c.vocabulary and c.vocabulary not in known:
                    raise ValueError(f"column {c.name!r} names vocabulary {c.vocabulary!r}, "
                                     f"which is not defined (known: {', '.join(sorted(known))})")
        return self


def load_contract(path: str | Path = CONTRACT_FILE) -> ContractModel:
    """A contract file as a ContractModel; ModelError naming the file, key and value if it does
    not fit."""
    return load(ContractModel, path)


@cache
def _model() -> ContractModel:
    return load_contract()


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table in the contract."""

    name: str
    required: bool
    kind: str
    description: str
    example: str = ""
    vocabulary: str = ""
    multi: bool = False

    def allowed_values(self) -> tuple[str, ...]:
        """The values this column accepts, if the contract has a closed list of them; else ().

        Guiding questions are the review's, so their list is not the contract's; the GCM's
        actions (187) are checked against the catalogue, not offered as a list."""
        if self.kind == "objective":
            return tuple(str(n) for n in catalogue.objective_numbers())
        if self.kind == "principle":
            return vocabulary(PRINCIPLES)
        if self.kind == "yes_no":
            return vocabulary("yes_no")
        if self.vocabulary:
            return vocabulary(self.vocabulary)
        return ()


@cache
def vocabulary(name: str) -> tuple[str, ...]:
    """A controlled vocabulary by name (submitter_types, practice_types, ...)."""
    if name == PRINCIPLES:
        return tuple(catalogue.principles()["slug"])
    return tuple(_model().vocabularies[name])


def label_key(text: str) -> str:
    """A label as common_labels.yaml compares it: case-folded, spaces, hyphens and dots removed."""
    return "".join(c for c in str(text).casefold() if c not in " -._")


@cache
def common_labels(name: str) -> dict[str, str]:
    """Labels submitters commonly write for values of vocabulary `name` (reference/
    common_labels.yaml: 'NGO' -> 'civil_society'), by label_key; each value checked against
    the vocabulary (ValueError naming the file, label and value otherwise)."""
    from gcmtools.store import load_yaml

    path = REFERENCE_DIR / "common_labels.yaml"
    out = {}
    for label, value in (load_yaml(path.read_text(encoding="utf-8")).get(name) or {}).items():
        if value not in vocabulary(name):
            raise ValueError(f"{path.name}: {name}: {label!r} -> {value!r} is not a value of {name}")
        out[label_key(label)] = value
    return out


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Every controlled vocabulary of the contract, by name (principles included)."""
    names = list(_model().vocabularies) + [PRINCIPLES]
    return {n: vocabulary(n) for n in names}


def _table(table: str) -> TableModel:
    if table not in ("practices", "observations"):
        raise KeyError(f"the contract has no table {table!r} (practices, observations)")
    return getattr(_model(), table)


@cache
def columns(table: str = "practices") -> tuple[ColumnSpec, ...]:
    """The column specs of `table` ('practices' or 'observations'), in contract order."""
    return tuple(
        ColumnSpec(name=c.name, required=c.required, kind=c.kind,
                   description=" ".join(c.description.split()), example=c.example,
                   vocabulary=c.vocabulary, multi=c.multi)
        for c in _table(table).columns
    )


def column_names(table: str = "practices") -> list[str]:
    """Column names of `table`, in contract order."""
    return [c.name for c in columns(table)]


def required_columns(table: str = "practices") -> list[str]:
    """Names of the required columns of `table`."""
    return [c.name for c in columns(table) if c.required]


def table_description(table: str) -> str:
    """The contract's one-paragraph description of `table`."""
    return " ".join(_table(table).description.split())


def year_max(today: dt.date | None = None) -> int:
    """The latest year accepted: ten years from now."""
    return (today or dt.date.today()).year + 10


def to_markdown() -> str:
    """The contract as Markdown (the README's contract section is this text)."""
    lines = ["### Practices", "", table_description("practices"), ""]
    lines += _columns_table("practices")
    lines += ["", "Vocabularies:", ""]
    for name, values in vocabularies().items():
        if name in ("sex", "age", "obs_status", "yes_no"):
            continue
        lines.append(f"- `{name}`: " + ", ".join(f"`{v}`" for v in values))
    lines += [
        "",
        f"Lists are separated by `{_model().practices.list_separator}`. Years run from {YEAR_MIN} to ten years from now.",
        "",
        "### Indicator observations",
        "",
        table_description("observations"),
        "",
    ]
    lines += _columns_table("observations")
    return "\n".join(lines) + "\n"


def _columns_table(table: str) -> list[str]:
    """A Markdown table of the columns of `table`."""
    rows = ["| column | required | description | example |", "|---|---|---|---|"]
    for c in columns(table):
        allowed = c.allowed_values()
        desc = c.description
        if c.kind == "objective":
            desc += f" GCM objectives: {catalogue.number_range(catalogue.objective_numbers())}."
        elif c.kind == "question":
            review = catalogue.load_review(catalogue.DEFAULT_REVIEW)
            desc += (f" In {review.id} (the default review): "
                     f"{catalogue.number_range(q.number for q in review.guiding_questions)}.")
        elif allowed and len(allowed) <= 12:
            desc += " One of: " + ", ".join(f"`{v}`" for v in allowed) + "."
        example = f"`{c.example}`" if c.example else "(empty)"
        rows.append(f"| `{c.name}` | {'yes' if c.required else 'no'} | {desc} | {example} |")
    return rows
