"""Reviews as data: reference/reviews/<id>.yaml (or any path) in, validated against the catalogue;
a Review record out, with its roundtable, guiding questions and the documents it cites.

The file is read into `ReviewFile` (every key, nested); a misspelt key, a missing required key
(`id`, `review`, `period`, the roundtable's `number`, `title` and `objectives`, ...), an
objective that is not a GCM objective or not one of the roundtable's, a lens that is not a
guiding principle, or a quote that is not word for word in its document is a ModelError naming
the file, the key and the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from gcmtools.catalogue.gcm import ObjectiveNumber, objectives_reference, principles
from gcmtools.catalogue.indicators import indicator_ids
from gcmtools.catalogue.models import Flat, Invalid, Model, ModelError, Text, flat, load
from gcmtools.paths import PROJECT_MARKER, REFERENCE_DIR, from_root, project_root
from gcmtools.store import load_yaml

REVIEWS_DIR = REFERENCE_DIR / "reviews"
DEFAULT_REVIEW = "unece-2020-rt3"

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-\u2013]\s*(\d{4}))?\s*$")


def parse_period(text: str) -> tuple[int, int] | None:
    """The first and last year of a review period ("2019-2020" or "2020"); None if empty.

    >>> parse_period("2019-2020"), parse_period("2020"), parse_period("")
    ((2019, 2020), (2020, 2020), None)
    """
    if not str(text).strip():
        return None
    m = _PERIOD.match(str(text))
    if not m:
        raise ValueError(f"period {text!r} is not a year or a range of years (YYYY-YYYY)")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise ValueError(f"period {text!r} ends before it starts")
    return first, last


# --- the file --------------------------------------------------------------------------------


def _period(value: object) -> str:
    text = str(value)  # a period of one year may be written unquoted (2020)
    if parse_period(text) is None:
        raise ValueError("the review period is empty (YYYY-YYYY or YYYY)")
    return text


def _principle(slug: str) -> str:
    if slug not in set(principles()["slug"]):
        raise ValueError(f"lens {slug!r} is not a guiding principle slug "
                         f"({', '.join(principles()['slug'])})")
    return slug


def _indicator(indicator: str) -> str:
    if indicator not in indicator_ids():
        raise ValueError(f"indicator {indicator!r} is not in indicators.yaml")
    return indicator


Period = Annotated[str | int, AfterValidator(_period)]
Lens = Annotated[str, AfterValidator(_principle)]
IndicatorId = Annotated[str, AfterValidator(_indicator)]


class Roundtable(Model):
    """The roundtable the review examines."""

    number: int = Field(ge=1)
    title: Text
    objectives: list[ObjectiveNumber] = Field(min_length=1)


class QuestionPart(Model):
    """A sentence of a guiding question that names its own objectives."""

    text: Text
    objectives: list[ObjectiveNumber] = Field(min_length=1)


class QuestionEntry(Model):
    """A guiding question: `text` with the `objectives` it names, or `parts` that carry them."""

    number: int = Field(ge=1)
    short: Text
    text: Text | None = None
    objectives: list[ObjectiveNumber] = []
    parts: list[QuestionPart] = []

    @model_validator(mode="after")
    def _text_or_parts(self) -> QuestionEntry:
        if (self.text is None) == (not self.parts):
            raise Invalid([(("text",), self.text, "give `text` (with `objectives`) or `parts`, "
                            "one of the two")])
        if self.text is not None and not self.objectives:
            raise Invalid([(("objectives",), self.objectives,
                            "a question given as `text` names its objectives")])
        return self

    def all_objectives(self) -> list[int]:
        """Its objectives, then those of its parts, each once, in order."""
        out = list(self.objectives)
        out += [o for p in self.parts for o in p.objectives if o not in out]
        return out


class Material(Model):
    """One of the background materials the roundtable's note lists."""

    kind: Text
    publisher: Flat
    title: Text


class CrossCutting(Model):
    """A cross-cutting theme the brief counts practices for."""

    id: Text
    title: Text
    description: Flat = ""


class ComparedWith(Model):
    """The data's figure beside a cited one."""

    label: Text
    indicator: IndicatorId
    year: str
    where: dict[str, str] = {}
    first_reported: IndicatorId | None = None


class CitedFigure(Model):
    """A sentence with a figure, quoted word for word from a document beside the review file."""

    objective: ObjectiveNumber
    document: Text
    file: Text
    quote: Text
    compared_with: ComparedWith
    sic: str = ""
    note: str = ""


class ReviewFile(Model):
    """reviews/<id>.yaml, every key. Optional keys: short_review (default: review), region,
    dates, background_note, guiding_questions_preamble, guiding_questions, background_materials,
    cross_cutting, lenses, cited_figures."""

    id: Text
    review: Text
    period: Period
    roundtable: Roundtable
    short_review: Text | None = None
    region: Flat = ""
    dates: Flat = ""
    background_note: str = ""
    guiding_questions_preamble: Flat = ""
    guiding_questions: list[QuestionEntry] = []
    background_materials: list[Material] = []
    cross_cutting: list[CrossCutting] = []
    lenses: list[Lens] = []
    cited_figures: list[CitedFigure] = []

    @field_validator("background_note")
    @classmethod
    def _note_is_beside(_cls, name: str, info: ValidationInfo) -> str:
        folder = (info.context or {}).get("folder")
        if name and folder is not None and not (Path(folder) / name).is_file():
            raise ValueError(f"no file {name!r} beside the review file")
        return name

    @model_validator(mode="after")
    def _within_the_roundtable(self) -> ReviewFile:
        """Every objective a question or a cited figure names is one of the roundtable's."""
        rt = self.roundtable
        ours = f"not an objective of roundtable {rt.number} ({', '.join(map(str, rt.objectives))})"
        problems = []
        for i, q in enumerate(self.guiding_questions):
            places = [((), q.objectives)] + [(("parts", k), p.objectives) for k, p in enumerate(q.parts)]
            problems += [(("guiding_questions", i, *where, "objectives", j), o,
                          f"guiding question {q.number} names objective {o}, {ours}")
                         for where, objs in places for j, o in enumerate(objs) if o not in rt.objectives]
        problems += [(("cited_figures", i, "objective"), c.objective,
                      f"cited figure {i + 1} is for objective {c.objective}, {ours}")
                     for i, c in enumerate(self.cited_figures) if c.objective not in rt.objectives]
        numbers = [q.number for q in self.guiding_questions]
        problems += [(("guiding_questions", i, "number"), n, f"guiding question {n} is listed twice")
                     for i, n in enumerate(numbers) if n in numbers[:i]]
        if problems:
            raise Invalid(problems)
        return self

    @model_validator(mode="after")
    def _quotes_are_word_for_word(self, info: ValidationInfo) -> ReviewFile:
        """A cited sentence is, word for word, in its document beside the review file."""
        folder = (info.context or {}).get("folder")
        if folder is None:
            return self
        problems = []
        for i, c in enumerate(self.cited_figures):
            document = Path(folder) / c.file
            if not document.is_file():
                problems.append(((i, "file"), c.file, f"cited figure {i + 1}: document {c.file!r} not found"))
            elif c.quote not in flat(document.read_text(encoding="utf-8")):
                problems.append(((i, "quote"), c.quote,
                                 f"cited figure {i + 1}: the quote is not word for word in {document.name}"))
        if problems:
            raise Invalid([(("cited_figures", *key), value, reason) for key, value, reason in problems])
        return self


# --- the record ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuidingQuestion:
    """One guiding question of a roundtable, with the objectives it names.

    `text` is the question as the roundtable words it; `parts` (dicts with text and objectives)
    when its sentences name different objectives, and then `text` is the parts in order.
    `short` is the workbook's own label.
    """

    number: int
    short: str
    text: str
    objectives: tuple[int, ...]
    parts: tuple[dict, ...] = ()

    @property
    def quoted(self) -> str:
        """The question with the objectives it names, as the background note prints it."""
        if self.parts:
            return " ".join(f"{p['text']} {objectives_reference(p['objectives'])}"
                            for p in self.parts)
        return f"{self.text} {objectives_reference(self.objectives)}" if self.objectives \
            else self.text


@dataclass(frozen=True)
class Review:
    """A review and the roundtable it examines, as read from reviews/<id>.yaml."""

    id: str
    review: str
    short_review: str
    region: str
    dates: str
    period: str
    roundtable_number: int
    roundtable_title: str
    objectives: tuple[int, ...]
    guiding_questions: tuple[GuidingQuestion, ...]
    cross_cutting: tuple[dict, ...] = ()
    lenses: tuple[str, ...] = ()
    questions_preamble: str = ""
    background_note: str = ""
    background_materials: tuple[dict, ...] = ()
    source_file: str = field(default="", compare=False)
    # sentences with a figure quoted from the roundtable's documents, and the data to show
    # beside each (objective, document, file, quote, sic, compared_with, note)
    cited_figures: tuple[dict, ...] = ()

    def questions_for(self, objective: int) -> list[GuidingQuestion]:
        """The guiding questions that name `objective`."""
        return [q for q in self.guiding_questions if objective in q.objectives]

    @property
    def question_numbers(self) -> tuple[int, ...]:
        """The numbers of the roundtable's guiding questions, in order."""
        return tuple(q.number for q in self.guiding_questions)

    @property
    def period_years(self) -> tuple[int, int] | None:
        """First and last year of the review period (checked when the file is read)."""
        return parse_period(self.period)


def review_files() -> dict[str, Path]:
    """Review id -> file: every review shipped in the package, then the project folder's
    reviews/<id>.yaml (which win over a shipped one of the same id)."""
    own = project_root() / "reviews"
    return {p.stem: p for folder in (REVIEWS_DIR, own) for p in sorted(folder.glob("*.yaml"))}


def default_review() -> str:
    """The review a command uses when none is named: the project folder's (its marker file's
    `review`), else DEFAULT_REVIEW."""
    marker = project_root() / PROJECT_MARKER
    if marker.is_file():
        config = load_yaml(marker.read_text(encoding="utf-8"))
        if isinstance(config, dict) and config.get("review"):
            return str(config["review"])
    return DEFAULT_REVIEW


def review_path(ref: str | Path | None = None) -> Path:
    """The file of a review given by id (the project's reviews/, else the package's) or by path
    (as given, else relative to the project root); None: default_review(). ModelError for an
    unknown id, naming the known ones."""
    ref = default_review() if ref is None or str(ref) == "" else ref
    path = Path(ref)
    if not path.suffix:
        files = review_files()
        if str(ref) not in files:
            raise ModelError(f"unknown review {str(ref)!r}; known: {', '.join(files)} (or give "
                             "a review file's path, such as reviews/my-review.yaml)")
        return files[str(ref)]
    return path if path.is_file() else from_root(path)


def load_review(ref: str | Path | None = None) -> Review:
    """Read a review by id or by path to a YAML file (review_path), checked against the
    catalogue (ModelError naming file, key and value if it does not fit)."""
    path = review_path(ref)
    return _record(load(ReviewFile, path, context={"folder": path.parent}), path)


def review_inputs(review: Review) -> list[Path]:
    """The files a brief reads of its review: the review file, its background note and the
    documents its cited figures quote (beside it)."""
    path = Path(review.source_file)
    beside = [review.background_note] + [c["file"] for c in review.cited_figures]
    return [path] + [path.parent / name for name in dict.fromkeys(beside) if name]


def _question(q: QuestionEntry) -> GuidingQuestion:
    parts = tuple({"text": p.text, "objectives": list(p.objectives)} for p in q.parts)
    text = q.text if q.text is not None else " ".join(p.text for p in q.parts)
    return GuidingQuestion(number=q.number, short=q.short, text=text,
                           objectives=tuple(q.all_objectives()), parts=parts)


def _dicts(items: Iterable[Model]) -> tuple[dict, ...]:
    return tuple(item.model_dump() for item in items)


def _record(f: ReviewFile, path: Path) -> Review:
    """The Review a brief reads, from its validated file."""
    return Review(
        id=f.id, review=f.review, short_review=f.short_review or f.review,
        region=f.region, dates=f.dates, period=str(f.period),
        roundtable_number=f.roundtable.number, roundtable_title=f.roundtable.title,
        objectives=tuple(f.roundtable.objectives),
        guiding_questions=tuple(_question(q) for q in f.guiding_questions),
        cross_cutting=_dicts(f.cross_cutting), lenses=tuple(f.lenses),
        questions_preamble=f.guiding_questions_preamble, background_note=f.background_note,
        background_materials=_dicts(f.background_materials), source_file=str(path),
        cited_figures=_dicts(f.cited_figures),
    )
