"""A params file in, a checked Plan out: every key and value refused or accepted before any kernel starts.

The file is parsed into `Params` (a validated model: a misspelt or missing key is an error naming
the file and the key), then checked against the catalogue (the review, its objectives) and the
notebooks (every parameter declared).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from gcmtools import catalogue, store
from gcmtools.build import PlanError
from gcmtools.catalogue.models import Model, ModelError, load
from gcmtools.paths import findable, from_root, outputs_dir

DEFAULT_PARAMS = Path("params") / "unece-2020-rt3.yaml"
#: the notebook of every country profile (`countries` in a params file): one brief per State
COUNTRY_NOTEBOOK = "notebooks/country.ipynb"
#: parameters the build gives every brief itself (the run manifest, where to write key figures,
#: the previous build's publication record: not in the fingerprint, see gcmtools.brief.changes)
INJECTED = ("manifest", "key_figures_out", "previous")


class BriefParams(Model):
    """One entry of `briefs`: the notebook, the parameters papermill injects, an id and a title."""

    notebook: str
    parameters: dict[str, Any] = {}
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] | None = None  # a file name
    title: str | None = None


class Params(Model):
    """A params file: the review, its inputs, the cell timeout and the briefs to build."""

    review: str
    practices: str | list[str]
    sources: str | list[str]
    execution_timeout: Annotated[int, Field(gt=0, strict=True)] = 600  # seconds per cell
    # what each brief is published as besides HTML (gcmtools.build.formats); --formats overrides
    formats: Annotated[list[Literal["html", "pdf", "docx"]], Field(min_length=1)] = ["html"]
    briefs: list[BriefParams] = []
    # the country profiles to build: "all" (every UNECE State of the catalogue) or ISO3 codes
    countries: Literal["all"] | list[str] = []


@dataclass
class Brief:
    """One brief of the plan: its notebook and the parameters papermill injects."""

    id: str
    notebook: Path
    parameters: dict
    title: str
    objective: int | None = None
    country: str | None = None  # the ISO3 code of a country profile


@dataclass
class Plan:
    """What a build run will do, checked against the catalogue and the notebooks."""

    params_file: Path
    review: catalogue.Review
    practices: list[Path]
    sources: list[Path]
    briefs: list[Brief]
    out_dir: Path
    execution_timeout: int = 600
    all_briefs: list[Brief] = field(default_factory=list)  # the index lists these (--only or not)
    formats: tuple[str, ...] = ("html",)  # gcmtools.build.formats.FORMATS, HTML first
    # the briefs that get the formats beyond HTML (None: every brief); sign-off narrows it
    formats_for: set[str] | None = None


def load_plan(params_file: Path | str = DEFAULT_PARAMS, out: Path | str | None = None,
              only: list[int | str] | None = None, formats: str | None = None) -> Plan:
    """Read the params file and check every key and value before any kernel starts; `formats`
    ('html,pdf', from --formats) replaces the file's `formats`."""
    # load: the file, as the model
    params_file = Path(params_file)
    path = from_root(params_file)
    if not path.is_file():
        raise PlanError(f"{params_file}: no such params file")
    try:
        params = load(Params, path)
    except ModelError as exc:
        raise PlanError(str(exc)) from None
    # process: the review and the inputs it names
    try:
        review = catalogue.load_review(from_root(params.review) if Path(params.review).suffix else params.review)
    except ValueError as exc:
        raise PlanError(f"{params_file}: key 'review': {exc}") from None
    practices = [from_root(p) for p in _as_list(params.practices)]
    sources = [from_root(p) for p in _as_list(params.sources)]
    for key, paths in (("practices", practices), ("sources", sources)):
        for p in paths:
            if not p.exists():
                raise PlanError(f"{params_file}: key {key!r}: {findable(p)} does not exist")
    common = {
        # a review given as a file goes to the notebooks as that file, an id as the id
        "review": findable(from_root(params.review)) if Path(params.review).suffix else review.id,
        "practices": ";".join(findable(p) for p in practices),
        "sources": ";".join(findable(p) for p in sources),
    }
    # process: the briefs, each checked against its notebook
    briefs = _all_briefs(params_file, review, params, common)
    ids = [b.id for b in briefs]
    if len(set(ids)) != len(ids):
        raise PlanError(f"{params_file}: key 'briefs': brief ids repeat")
    chosen = _only(params_file, briefs, only) if only else briefs
    out_dir = Path(out) if out else outputs_dir()
    from gcmtools.build.formats import FormatError, parse_formats

    try:
        chosen_formats = parse_formats(formats) if formats is not None else parse_formats(params.formats)
    except FormatError as exc:
        raise PlanError(str(exc)) from None
    return Plan(path, review, practices, sources, chosen, out_dir / review.id,
                params.execution_timeout, briefs, chosen_formats)


def _as_list(value: str | list[str]) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _only(params_file: Path, briefs: list[Brief], only: list[int | str]) -> list[Brief]:
    """The briefs `--only` names (objective numbers or brief ids); PlanError for any other."""
    objectives = {int(x) for x in only if isinstance(x, int) or str(x).isdigit()}
    ids = {str(x) for x in only} - {str(o) for o in objectives}
    bad_objective = sorted(objectives - {b.objective for b in briefs})
    if bad_objective:
        raise PlanError(f"--only: objective {bad_objective[0]} has no brief in {params_file}")
    bad_id = sorted(ids - {b.id for b in briefs})
    if bad_id:
        raise PlanError(f"--only: no brief {bad_id[0]!r} in {params_file} "
                        f"(its briefs: {', '.join(b.id for b in briefs)})")
    return [b for b in briefs if b.objective in objectives or b.id in ids]


def _brief(params_file: Path, review: catalogue.Review, i: int, raw: BriefParams, common: dict,
           where: str = "") -> Brief:
    """One entry of `briefs`, checked: an objective of the roundtable, a notebook that declares
    every parameter."""
    where = where or f"{params_file}: briefs[{i}]"
    notebook = from_root(raw.notebook)
    if not notebook.is_file():
        raise PlanError(f"{where}: key 'notebook': {raw.notebook!r} is not a notebook file")
    params = dict(raw.parameters)
    objective = params.get("objective")
    if objective is not None:
        numbers = catalogue.objective_numbers()
        if not isinstance(objective, int) or isinstance(objective, bool) or objective not in numbers:
            raise PlanError(f"{where}: key 'parameters.objective': {objective!r} is not a GCM objective "
                            f"({catalogue.objective_range()})")
        if objective not in review.objectives:
            raise PlanError(f"{where}: key 'parameters.objective': objective {objective} is not in "
                            f"roundtable {review.roundtable_number} ({', '.join(map(str, review.objectives))})")
    country = params.get("country")
    if country is not None:
        try:
            params["country"] = country = catalogue.check_profile_country(country)
        except ValueError as exc:
            raise PlanError(f"{where}: key 'parameters.country': {exc}") from None
    declared = _declared_parameters(notebook)
    for key in list(params) + list(common) + list(INJECTED):
        if key not in declared:
            raise PlanError(f"{where}: key 'parameters.{key}': the notebook {store.relative(notebook)} "
                            f"has no such parameter (it declares: {', '.join(sorted(declared))})")
    brief_id = raw.id or (f"objective-{objective:02d}" if objective else notebook.stem)
    title = raw.title or (f"Objective {objective}: {catalogue.objective_title(objective)}"
                          if objective else "Roundtable overview")
    return Brief(brief_id, notebook, {**common, **params}, title, objective, country)


def _all_briefs(params_file: Path, review: catalogue.Review, params: Params, common: dict) -> list[Brief]:
    """The entries of `briefs`, then the country profiles of `countries`; PlanError for none."""
    briefs = [_brief(params_file, review, i, b, common) for i, b in enumerate(params.briefs)]
    briefs += _country_briefs(params_file, review, params.countries, common)
    if not briefs:
        raise PlanError(f"{params_file}: no briefs: give key 'briefs', key 'countries' or both")
    _link_profiles(briefs)
    return briefs


def _country_briefs(params_file: Path, review: catalogue.Review, countries: str | list[str],
                    common: dict) -> list[Brief]:
    """One brief of COUNTRY_NOTEBOOK per State `countries` names ("all": the catalogue's 56),
    each code checked against the catalogue (a PlanError naming the params file, the entry and
    the brief)."""
    codes = sorted(catalogue.unece_iso3()) if countries == "all" else list(countries)
    briefs = []
    for i, code in enumerate(codes):
        where = "countries" if countries == "all" else f"countries[{i}]"
        try:
            iso3 = catalogue.check_profile_country(code)
        except ValueError as exc:
            raise PlanError(f"{params_file}: key {where!r} (brief country-{code}): {exc}") from None
        raw = BriefParams(notebook=COUNTRY_NOTEBOOK, parameters={"country": iso3}, id=f"country-{iso3}",
                          title=f"Country profile: {catalogue.country_name(iso3)}")
        briefs.append(_brief(params_file, review, i, raw, common, where=f"{params_file}: {where}"))
    return briefs


def _link_profiles(briefs: list[Brief]) -> None:
    """Give the ISO3 codes of the plan's country profiles (';'-separated) to every other brief
    whose notebook declares `profiles` (the overview links each State to its profile)."""
    codes = ";".join(b.country for b in briefs if b.country)
    if not codes:
        return
    for b in briefs:
        if b.country is None and "profiles" in _declared_parameters(b.notebook):
            b.parameters["profiles"] = codes


def _declared_parameters(notebook: Path) -> set[str]:
    """Names in the notebook's cell tagged `parameters` (papermill's own reading of it).

    Remembered per notebook content in the disk cache: importing papermill costs about a
    second, which a build with nothing to do should not pay.
    """
    def inspect() -> list[str]:
        import papermill

        return sorted(papermill.inspect_notebook(str(notebook)))

    declared = store.cached("notebook-parameters", store.file_hash(notebook), inspect)
    if not declared:
        raise PlanError(f"{store.relative(notebook)}: no cell tagged 'parameters'")
    return set(declared)
