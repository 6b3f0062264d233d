"""The data contract, read once from reference/contract.yaml: column specs in, schema facts out.

The validator (intake), the README's contract section (`gcmtools contract`) and the Excel
template are all made from this one definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from gcmtools import catalogue, store
from gcmtools.paths import REFERENCE_DIR

LIST_SEPARATOR = ";"
YEAR_MIN = 1900


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
        """The values this column accepts, if it has a closed list; else ()."""
        if self.kind == "objective":
            return tuple(str(n) for n in range(1, 24))
        if self.kind == "principle":
            return tuple(catalogue.principles()["slug"])
        if self.kind == "yes_no":
            return vocabulary("yes_no")
        if self.vocabulary:
            return vocabulary(self.vocabulary)
        return ()


@cache
def _raw() -> dict:
    return store.load_yaml((REFERENCE_DIR / "contract.yaml").read_text(encoding="utf-8"))


@cache
def vocabulary(name: str) -> tuple[str, ...]:
    """A controlled vocabulary by name (submitter_types, practice_types, ...)."""
    if name == "principles":
        return tuple(catalogue.principles()["slug"])
    return tuple(str(v) for v in _raw()["vocabularies"][name])


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Every controlled vocabulary of the contract, by name (principles included)."""
    names = list(_raw()["vocabularies"]) + ["principles"]
    return {n: vocabulary(n) for n in names}


@cache
def columns(table: str = "practices") -> tuple[ColumnSpec, ...]:
    """The column specs of `table` ('practices' or 'observations'), in contract order."""
    return tuple(
        ColumnSpec(
            name=c["name"],
            required=bool(c.get("required", False)),
            kind=str(c.get("kind", "text")),
            description=" ".join(str(c.get("description", "")).split()),
            example=str(c.get("example", "")),
            vocabulary=str(c.get("vocabulary", "")),
            multi=bool(c.get("multi", False)),
        )
        for c in _raw()[table]["columns"]
    )


def column_names(table: str = "practices") -> list[str]:
    """Column names of `table`, in contract order."""
    return [c.name for c in columns(table)]


def required_columns(table: str = "practices") -> list[str]:
    """Names of the required columns of `table`."""
    return [c.name for c in columns(table) if c.required]


def table_description(table: str) -> str:
    """The contract's one-paragraph description of `table`."""
    return " ".join(str(_raw()[table]["description"]).split())


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
        f"Lists are separated by `{LIST_SEPARATOR}`. Years run from {YEAR_MIN} to ten years from now.",
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
        if allowed and c.kind not in ("objective",) and len(allowed) <= 12:
            desc += " One of: " + ", ".join(f"`{v}`" for v in allowed) + "."
        example = f"`{c.example}`" if c.example else "(empty)"
        rows.append(f"| `{c.name}` | {'yes' if c.required else 'no'} | {desc} | {example} |")
    return rows
