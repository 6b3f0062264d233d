"""Reference knowledge of the GCM, read from the data files in gcmtools/reference/.

In: objectives.csv, principles.csv, unece_states.csv, aggregates.csv, country_overrides.csv,
editorial.yaml, reviews/*.yaml. Out: DataFrames, a Review record, and country names resolved to ISO3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from gcmtools import store
from gcmtools.paths import REFERENCE_DIR

REVIEWS_DIR = REFERENCE_DIR / "reviews"
DEFAULT_REVIEW = "unece-2020-rt3"


# --- objectives, principles, States -------------------------------------------------------


@cache
def objectives() -> pd.DataFrame:
    """The 23 GCM objectives: number, official title (A/RES/73/195 para. 16), short label."""
    df = pd.read_csv(REFERENCE_DIR / "objectives.csv", dtype={"number": int}, keep_default_na=False)
    return df.set_index("number", drop=False)


def objective_title(number: int) -> str:
    """The official title of objective `number` (1-23); KeyError for any other number."""
    return str(objectives().loc[int(number), "title"])


def objective_label(number: int) -> str:
    """The short label of objective `number`."""
    return str(objectives().loc[int(number), "label"])


@cache
def principles() -> pd.DataFrame:
    """The 10 guiding principles (para. 15): slug, name, summary."""
    return pd.read_csv(REFERENCE_DIR / "principles.csv", keep_default_na=False)


@cache
def unece_states() -> pd.DataFrame:
    """The 56 UNECE member States: iso3, name, subregion (UN M49 sub-region)."""
    return pd.read_csv(REFERENCE_DIR / "unece_states.csv", keep_default_na=False)


@cache
def unece_iso3() -> frozenset[str]:
    """ISO3 codes of the 56 UNECE member States."""
    return frozenset(unece_states()["iso3"])


def country_name(iso3: str) -> str:
    """A readable name for an ISO3 or aggregate code (the code itself if unknown).

    UNECE States are named as in unece_states.csv (the UN short names of UNTERM: Türkiye,
    Republic of Moldova, Czechia, Netherlands (Kingdom of the), United Kingdom of Great Britain
    and Northern Ireland); Kosovo is "Kosovo", and a text naming it carries the footnote
    editorial()["kosovo_footnote"] once.
    """
    states = unece_states().set_index("iso3")["name"]
    if iso3 in states.index:
        return str(states[iso3])
    aggs = aggregates().set_index("code")["name"]
    if iso3 in aggs.index:
        return str(aggs[iso3])
    if iso3 == "XKX":
        return "Kosovo"  # as the UN writes it, with the footnote editorial()["kosovo_footnote"]
    from hdx.location.country import Country

    return Country.get_country_name_from_iso3(iso3, use_live=False) or iso3


@cache
def editorial() -> dict[str, str]:
    """UN editorial texts (reference/editorial.yaml): disclaimer, kosovo_footnote."""
    raw = store.load_yaml((REFERENCE_DIR / "editorial.yaml").read_text(encoding="utf-8"))
    return {str(k): " ".join(str(v).split()) for k, v in raw.items()}


def mentions_kosovo(texts: Iterable[str]) -> bool:
    """True if any text names Kosovo (or carries its code XKX as a whole word)."""
    return any(re.search(r"\bkosovo\b|\bXKX\b", str(t), re.IGNORECASE) for t in texts)


# --- country names to ISO3 ----------------------------------------------------------------


@cache
def aggregates() -> pd.DataFrame:
    """Aggregate codes that are never counted as countries: code, name, pattern (regex)."""
    return pd.read_csv(REFERENCE_DIR / "aggregates.csv", keep_default_na=False)


@cache
def _overrides() -> list[tuple[re.Pattern[str], str]]:
    df = pd.read_csv(REFERENCE_DIR / "country_overrides.csv", keep_default_na=False)
    return [(re.compile(p, re.IGNORECASE), iso3) for p, iso3 in zip(df["pattern"], df["iso3"])]


@cache
def _aggregate_patterns() -> list[tuple[re.Pattern[str], str, re.Pattern[str] | None, str, str]]:
    """(label pattern, code, label-by-vintage pattern, from, until) for each aggregate."""
    df = aggregates()
    out = []
    for _, row in df.iterrows():
        by_vintage = row.get("label_by_vintage", "")
        out.append((re.compile(row["pattern"], re.IGNORECASE), row["code"],
                    re.compile(by_vintage, re.IGNORECASE) if by_vintage else None,
                    row.get("from", ""), row.get("until", "")))
    return out


def aggregate_code(name: str, vintage: str | None = None) -> str | None:
    """The aggregate code for `name` (UNECE, EU27_2020, ...), or None if it is not one.

    Some labels change meaning with the vintage: "European Union (27 countries)" in a download
    made before February 2020 is the EU of 2007-2013 (EU27_2007), later EU27_2020. Such a label
    is read by `vintage`, the ISO date (YYYY-MM-DD) the file was made; "" (unknown) leaves it
    unresolved (None); None reads it as written today (a submission made now).

    >>> aggregate_code("European Union (27 countries)", "2019-06-30")
    'EU27_2007'
    >>> aggregate_code("European Union (27 countries)", "2024-04-01")
    'EU27_2020'
    >>> aggregate_code("European Union (27 countries)", "") is None
    True
    """
    key = " ".join(str(name).split())
    when = date.today().isoformat() if vintage is None else str(vintage)[:10]
    for pattern, code, by_vintage, start, until in _aggregate_patterns():
        if pattern.match(key):
            return code
        if by_vintage is not None and when and by_vintage.match(key) \
                and (not start or when >= start) and (not until or when <= until):
            return code
    return None


def aggregate_members(code: str) -> list[str]:
    """The ISO3 codes of the countries an aggregate adds up ([] if the catalogue lists none)."""
    hit = aggregates()[aggregates()["code"] == code]
    members = hit["members"].iloc[0] if len(hit) and "members" in hit.columns else ""
    return str(members).split()


@lru_cache(maxsize=65536)
def resolve_country(name: str, fuzzy: bool = True) -> str | None:
    """ISO3 code for a country name or code as real files spell it, or None.

    Order: the project's overrides (Kosovo -> XKX), the UNECE States' own codes and names,
    then hdx-python-country (OCHA's maintained country data, offline), exact match first, then
    its fuzzy match. Aggregates (UNECE, EU27_2020) are not countries: use aggregate_code().
    hdx takes about 3 s to load its tables, so its answers are kept in the disk cache
    (store.cached, keyed on the hdx version) and a name is looked up there only once.
    `fuzzy=False` accepts exact names and codes only (for guessing a country from a folder name).
    """
    key = " ".join(str(name).split())
    if not key:
        return None
    for pattern, iso3 in _overrides():
        if pattern.match(key):
            return iso3
    own = _unece_lookup().get(key.casefold())
    if own:
        return own
    return _hdx_iso3(key, fuzzy)


@cache
def _unece_lookup() -> dict[str, str]:
    """casefolded ISO3 code or name of a UNECE State -> ISO3 (no library needed for these)."""
    states = unece_states()
    pairs = list(zip(states["iso3"], states["iso3"])) + list(zip(states["name"], states["iso3"]))
    return {k.casefold(): v for k, v in pairs}


def _hdx_iso3(key: str, fuzzy: bool) -> str | None:
    """hdx's answer for a name, kept in the disk cache (store.cached) with hdx's version."""
    from importlib.metadata import version

    from gcmtools import store

    def lookup() -> str | None:
        from hdx.location.country import Country  # import here: loading its data costs ~3 s

        iso3 = Country.get_iso3_country_code(key, use_live=False)
        if iso3 is None and fuzzy and len(key) > 3:
            iso3, _exact = Country.get_iso3_country_code_fuzzy(key, use_live=False)
        return iso3

    return store.cached("country-name", [version("hdx-python-country"), key, fuzzy], lookup)


def resolve_countries(names: Iterable[str]) -> pd.Series:
    """Resolve many names at once (each distinct name once): a Series name -> ISO3 or None."""
    unique = pd.unique(pd.Series(list(names), dtype="object").dropna().astype(str))
    return pd.Series({n: resolve_country(n) for n in unique}, dtype="object")


# --- reviews --------------------------------------------------------------------------------


def objectives_reference(numbers: Iterable[int]) -> str:
    """The objectives a guiding question names, as the background note writes them.

    >>> objectives_reference([4]), objectives_reference([8, 11]), objectives_reference([4, 8, 11])
    ('(GCM objective 4)', '(GCM objectives 8 and 11)', '(GCM objectives 4, 8 and 11)')
    """
    n = [str(o) for o in numbers]
    if len(n) == 1:
        return f"(GCM objective {n[0]})"
    return f"(GCM objectives {', '.join(n[:-1])} and {n[-1]})"


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
    def period_years(self) -> tuple[int, int] | None:
        """First and last year of the review period (checked when the file is read)."""
        return parse_period(self.period)


def review_files() -> dict[str, Path]:
    """Review id -> file, for every review shipped in the package."""
    return {p.stem: p for p in sorted(REVIEWS_DIR.glob("*.yaml"))}


def load_review(ref: str | Path = DEFAULT_REVIEW) -> Review:
    """Read a review by id (a shipped file) or by path to a YAML file, checked against the catalogue."""
    path = Path(ref)
    if not path.suffix:
        files = review_files()
        if str(ref) not in files:
            raise ValueError(f"unknown review {ref!r}; known: {', '.join(files)}")
        path = files[str(ref)]
    raw = store.load_yaml(path.read_text(encoding="utf-8"))
    return _review_from_dict(raw, path)


def _flat(text: object) -> str:
    return " ".join(str(text).split())


def _question(q: dict) -> GuidingQuestion:
    """A guiding question from its YAML entry: text and objectives, or parts that carry them."""
    parts = tuple({"text": _flat(p["text"]), "objectives": [int(o) for o in p.get("objectives", [])]}
                  for p in q.get("parts", []) or [])
    objs: list[int] = [int(o) for o in q.get("objectives", [])]
    for p in parts:
        objs += [o for o in p["objectives"] if o not in objs]
    text = _flat(q["text"]) if q.get("text") else " ".join(p["text"] for p in parts)
    return GuidingQuestion(number=int(q["number"]), short=str(q.get("short", "")), text=text,
                           objectives=tuple(objs), parts=parts)


def _review_from_dict(raw: dict, path: Path) -> Review:
    """Build a Review and check that it names only known objectives and principles."""
    problems = []
    rt = raw.get("roundtable") or {}
    objs = tuple(int(o) for o in rt.get("objectives", []))
    questions = []
    for i, q in enumerate(raw.get("guiding_questions", []) or [], start=1):
        if not (q.get("text") or q.get("parts")) or "number" not in q:
            problems.append(f"guiding question {i} has no number, or neither text nor parts")
            continue
        questions.append(_question(q))
    known = set(objectives()["number"])
    for o in objs + tuple(o for q in questions for o in q.objectives):
        if o not in known:
            problems.append(f"objective {o} is not a GCM objective (1-23)")
    lenses = tuple(raw.get("lenses", []))
    for lens in lenses:
        if lens not in set(principles()["slug"]):
            problems.append(f"lens {lens!r} is not a guiding principle slug")
    cited = tuple(raw.get("cited_figures") or [])
    problems += _cited_problems(cited, path)
    for key in ("id", "review"):
        if not raw.get(key):
            problems.append(f"missing key {key!r}")
    try:
        parse_period(str(raw.get("period", "") or ""))
    except ValueError as exc:
        problems.append(f"key 'period': {exc}")
    materials = tuple({k: _flat(m.get(k, "") or "") for k in ("kind", "publisher", "title")}
                      for m in raw.get("background_materials", []) or [])
    for i, m in enumerate(materials, start=1):
        if not m["title"]:
            problems.append(f"background material {i} has no title")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return Review(
        id=str(raw["id"]),
        review=str(raw["review"]),
        short_review=str(raw.get("short_review", raw["review"])),
        region=str(raw.get("region", "")),
        dates=str(raw.get("dates", "")),
        period=str(raw.get("period", "") or ""),
        roundtable_number=int(rt.get("number", 0)),
        roundtable_title=str(rt.get("title", "")),
        objectives=objs,
        guiding_questions=tuple(questions),
        cross_cutting=tuple(raw.get("cross_cutting", []) or []),
        lenses=lenses,
        questions_preamble=_flat(raw.get("guiding_questions_preamble", "") or ""),
        background_note=str(raw.get("background_note", "") or ""),
        background_materials=materials,
        source_file=str(path),
        cited_figures=cited,
    )


def _cited_problems(cited: tuple[dict, ...], path: Path) -> list[str]:
    """A quoted sentence that is not, word for word, in its document beside the review file."""
    problems = []
    for i, c in enumerate(cited, start=1):
        document = Path(path).parent / str(c.get("file", ""))
        if not c.get("file") or not document.is_file():
            problems.append(f"cited figure {i}: document {c.get('file')!r} not found")
        elif " ".join(str(c.get("quote", "")).split()) not in " ".join(
                document.read_text(encoding="utf-8").split()):
            problems.append(f"cited figure {i}: the quote is not word for word in {document.name}")
    return problems
