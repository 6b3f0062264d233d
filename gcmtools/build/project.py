"""`gcmtools init DIR`: an analyst's own project folder laid out (submissions, reviews, params,
key figures, outputs), with its marker file, a README.txt and a params file for the review.

Commands run inside the folder (or with `--project DIR`) read and write there
(gcmtools.paths.project_root); what the folder does not hold comes from the package: the
shipped reviews, key-figure specs, notebooks and custodians' data are the defaults its files
extend.
"""

from __future__ import annotations

from pathlib import Path

from gcmtools import catalogue, store
from gcmtools.paths import PROJECT_MARKER

FOLDERS = ("submissions", "reviews", "params", "key_figures", "outputs")
#: the custodians' data the package ships (its checkout's data/), as the params file names them
SHIPPED_SOURCES = ("data/mmp_global_2014_2024", "data/unodc_glotip_2003_2022",
                   "data/unhcr_refugees_1951_2025", "data/eurostat_enforcement_2014_2023",
                   "data/uk_home_office_immigration_2004_2023", "data/sdg_national_armenia",
                   "data/sdg_national_kazakhstan", "data/undesa_migrant_stock_1990_2020")

README = """\
A GCM Review Workbook project folder (made by `gcmtools init`).

Run gcmtools inside this folder (or anywhere with `gcmtools --project {folder}`): every
command then reads and writes here, and takes from the package what the folder does not hold.

  gcm-project.yaml  marks this folder as a project (keep it; its `review` is the default of
                    --review for validate, feedback, suggest and template)
  submissions/      the practice files submitters send (CSV, XLSX, JSON), as received: never
                    edit them; a corrected file goes beside the first, with a later
                    `submitted` date (it supersedes the earlier rows with the same practice_id)
  reviews/          your own review files (<id>.yaml): found by id (`--review <id>`, `review:
                    <id>` in params) before the package's shipped reviews, or by path
                    (reviews/<id>.yaml)
  params/           the build's params files; params/{review}.yaml builds every brief of the
                    review from submissions/ (the custodians' data: the package's data/)
  key_figures/      key-figure specs (*.yaml, laid out as the package's key_figures.yaml:
                    `objectives: {{N: {{figures, trend, comparison}}}}`): an objective named
                    here replaces the package's specs for it, or adds one the package lacks
  outputs/          what the commands write: briefs (outputs/<review>/index.html), feedback,
                    suggestions, exports
"""


class ProjectError(ValueError):
    """The folder cannot be made a project (it is a file, or a project already)."""


def init_project(folder: Path | str, review: str = catalogue.DEFAULT_REVIEW) -> list[Path]:
    """Lay out `folder` as a project for `review` (an id of the package's reviews); the files
    written. ProjectError if it already is a project or is not a folder."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder}: is a file, not a folder")
    if (folder / PROJECT_MARKER).exists():
        raise ProjectError(f"{folder}: is a project already ({PROJECT_MARKER} is there); nothing changed")
    rev = catalogue.load_review(review)
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    written = {
        folder / PROJECT_MARKER: (f"# A GCM Review Workbook project (gcmtools init): gcmtools commands run in\n"
                                  f"# this folder, or with --project, read and write here.\n"
                                  f"gcm_project: 1\nreview: {rev.id}  # the default --review\n"),
        folder / "README.txt": README.format(folder=folder, review=rev.id),
        folder / "params" / f"{rev.id}.yaml": params_text(rev),
    }
    for path, text in written.items():
        store.write_text_atomic(text, path)
    return list(written)


def params_text(review: catalogue.Review) -> str:
    """The params file of a new project: the review's briefs, from submissions/ and the
    package's custodians' data."""
    briefs = "".join(f"  - notebook: notebooks/brief.ipynb\n    parameters: {{objective: {n}}}\n"
                     for n in review.objectives)
    sources = "".join(f"  - {s}\n" for s in SHIPPED_SOURCES)
    return (f"# The briefs of {review.id}, built from this project's submissions. Paths are relative\n"
            f"# to the project folder; what it does not hold (notebooks/, data/) is the package's.\n"
            f"review: {review.id}  # an id (reviews/<id>.yaml here, else the package's) or a path\n"
            f"practices: submissions\n"
            f"sources:\n{sources}"
            f"execution_timeout: 600  # seconds per cell\n"
            f"formats: [html]  # add pdf, docx for circulation\n"
            f"briefs:\n{briefs}"
            f"  - id: overview\n    notebook: notebooks/overview.ipynb\n")
