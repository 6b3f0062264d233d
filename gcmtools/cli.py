"""The `gcmtools` command line: parses arguments and calls the library, nothing more.

Exit codes: 0 success; 1 some rows or briefs failed; 2 nothing could be done (bad input or
arguments, or a reference or review file that does not fit its model). Errors are one line
on stderr (one per problem of a file), never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from gcmtools import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_UNUSABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (its help is the documentation)."""
    parser = argparse.ArgumentParser(
        prog="gcmtools",
        description="GCM Review Workbook: validate submissions, read indicator data, build briefs.",
    )
    parser.add_argument("--version", action="version", version=f"gcmtools {__version__}")
    parser.add_argument("--project", metavar="DIR", default=None,
                        help="the project folder to work in (made by `gcmtools init`; default: $GCM_ROOT, "
                        "else the folder at or above the working directory that holds "
                        "gcm-project.yaml, else the checkout); paths are relative to it")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="lay out a project folder of your own",
                       description="Make DIR a project folder: submissions/, reviews/, params/, "
                       "key_figures/, outputs/, a marker file gcm-project.yaml, a README.txt "
                       "saying what goes where and params/<review>.yaml that builds the review's "
                       "briefs from submissions/. Commands run inside DIR (or with --project DIR) "
                       "then read and write there, with the package's reviews, key-figure specs, "
                       "notebooks and data as defaults that the folder's files extend. Exit 0: "
                       "made; 2: DIR is a file or a project already (nothing changed).")
    p.add_argument("folder", metavar="DIR", help="the folder to lay out (made if absent)")
    p.add_argument("--review", default=None, metavar="ID",
                   help="the review of its params file and default --review (default: unece-2020-rt3)")

    p = sub.add_parser("validate", help="validate practice submissions (CSV, XLSX, JSON)",
                       description="Validate practice submissions against the data contract. "
                       "Exit 0: every row accepted; 1: some rows rejected; 2: a file cannot be "
                       "read as a table.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of submissions")
    p.add_argument("--report", metavar="OUT.csv", help="write every rejection to this CSV")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--review", default=None, metavar="ID|FILE",
                   help="review whose guiding questions the practices may name: an id (the "
                   "project's reviews/<id>.yaml, else the package's) or a file (default: the "
                   "project's review, else unece-2020-rt3)")

    sub.add_parser("contract", help="print the data contract as Markdown",
                   description="Print the data contract (practices and observations) as Markdown.")

    sub.add_parser("sources", help="list the indicator source adapters and their layouts",
                   description="List the adapters for custodians' files and the layouts each recognises.")

    p = sub.add_parser("ingest", help="convert custodians' files to the observation table",
                       description="Read custodians' files as published and write observations "
                       "(CSV, or Parquet when OUT ends in .parquet). Exit 0: every file in a known "
                       "layout read; 1: some file could not be read (one line each, naming it "
                       "and why; the other files are written); 2: nothing readable (a file named "
                       "in an unknown layout, or no file in a known layout: the files seen are "
                       "named). Files in a folder in no known layout are skipped with a note.")
    p.add_argument("files", nargs="+", metavar="FILE", help="files or folders as published")
    p.add_argument("--source", help="force an adapter (see `gcmtools sources`)")
    p.add_argument("--geo", help="ISO3 country of Open SDG files without REF_AREA")
    p.add_argument("--out", required=True, metavar="OUT.csv", help="where to write observations")
    p.add_argument("--no-cache", action="store_true", help="parse again even if cached")

    p = sub.add_parser("template", help="write the Excel template that submitters fill in",
                       description="Write the submission template (.xlsx) made from the data "
                       "contract: a Practices sheet with drop-downs and input messages, README, "
                       "Reference and Lists sheets.")
    p.add_argument("out", metavar="OUT.xlsx", help="where to write the template")
    p.add_argument("--review", default=None, metavar="ID|FILE",
                   help="review whose guiding questions it lists (default: the project's review, "
                   "else unece-2020-rt3)")
    p.add_argument("--lang", choices=("en", "fr", "ru"), default="en",
                   help="language of the README sheet and the input messages (default: %(default)s)")

    p = sub.add_parser("feedback", help="write one feedback file per submitter",
                       description="Validate submissions and write, for each submitter, an XLSX "
                       "and an HTML file listing their rejected rows (with the reason and what to "
                       "change) and their accepted practices as the workbook understood them. "
                       "Exit codes as for validate.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of submissions")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the feedback files")
    p.add_argument("--review", default=None, metavar="ID|FILE",
                   help="review whose guiding questions the practices may name: an id (the "
                   "project's reviews/<id>.yaml, else the package's) or a file (default: the "
                   "project's review, else unece-2020-rt3)")
    p.add_argument("--lang", choices=("en", "fr", "ru"), default=None,
                   help="language of every feedback file (default: each submitter's own, from "
                   "the language column of their rows; English where they give none)")

    p = sub.add_parser("suggest", help="suggest GCM objectives, actions, questions and principles",
                       description="Read practice submissions as validate does and write OUT.xlsx: "
                       "the accepted practices in the template's columns, then, for each, the GCM "
                       "objectives, actions, guiding questions and principles its title and "
                       "description speak to (suggested_objectives, suggested_gcm_actions, "
                       "suggested_guiding_questions, suggested_principles: each '13 (0.41: "
                       "detention, alternatives); ...', score and matched words), and a sheet "
                       "Rejected with the rows validate rejects and why. Nothing is applied: "
                       "accept a suggestion by copying it into the submission's own column, then "
                       "validate. Exit codes as for validate.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of submissions")
    p.add_argument("--out", required=True, metavar="OUT.xlsx", help="where to write the suggestions")
    p.add_argument("--review", default=None, metavar="ID|FILE",
                   help="review whose guiding questions are suggested and may be named: an id "
                   "or a file (default: the project's review, else unece-2020-rt3)")
    p.add_argument("--top", type=int, default=3, metavar="N",
                   help="suggestions per kind and practice (default: %(default)s)")

    p = sub.add_parser("build", help="build the evidence briefs (papermill + nbconvert)",
                       description="Build the briefs a params file lists: check every parameter "
                       "before any kernel starts, run each out-of-date brief in a fresh kernel, "
                       "publish HTML atomically and write outputs/<review>/index.html. Exit 0: "
                       "every brief published or up to date; 1: some briefs failed (their last "
                       "good version stays published, marked stale); 2: nothing run (bad "
                       "parameters, another build running, outputs not writable); 130: "
                       "interrupted (Ctrl-C, SIGTERM), published briefs left as they were. "
                       "On Linux kernels are forked from a process that has imported pandas, "
                       "matplotlib and gcmtools once; GCM_FORK_KERNELS=0 launches each kernel "
                       "the usual way.")
    p.add_argument("--params", default="params/unece-2020-rt3.yaml", metavar="FILE",
                   help="the run's params file (default: %(default)s)")
    p.add_argument("--out", default=None, metavar="DIR", help="outputs folder (default: outputs/)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="briefs built at once (default: the number of cores)")
    p.add_argument("--only", default=None, metavar="8,13,overview",
                   help="build only these briefs: objective numbers or brief ids, comma-separated")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="run each brief as a task on a Dask distributed cluster: a scheduler's "
                   "address (workers started with `dask worker tcp://HOST:8786 --nthreads 1 "
                   "--resources KERNEL=1`), or 'local' for a LocalCluster of --jobs workers here "
                   "(default: this machine's process pool)")
    p.add_argument("--formats", default=None, metavar="html,pdf,docx",
                   help="formats to publish each brief in, comma-separated: html (always), pdf "
                   "(and roundtable.pdf), docx (default: the params file's `formats`, else html)")
    p.add_argument("--approved-only", action="store_true",
                   help="publish the formats beyond HTML only for the briefs approved with "
                   "`gcmtools signoff` (for circulation); the others get their HTML")

    p = sub.add_parser("signoff", help="record that a published brief was reviewed or approved",
                       description="Record who reviewed or approved a published brief, and when, in "
                       "the sign-off file beside the params file (<params>.signoff.yaml), then show "
                       "it in the brief's header and the index. A later build that changes the "
                       "brief's figures or practices returns it to draft and says why. Exit 0: "
                       "recorded; 2: unknown brief (the known ids are named), nothing published "
                       "to sign off, or a bad sign-off file.")
    p.add_argument("brief", metavar="BRIEF", help="the brief's id, such as objective-08 or overview")
    p.add_argument("--by", required=True, metavar="NAME", help="who signs off")
    p.add_argument("--status", choices=["reviewed", "approved"], default="approved",
                   help="the brief's new status (default: %(default)s)")
    p.add_argument("--params", default="params/unece-2020-rt3.yaml", metavar="FILE",
                   help="the run's params file (default: %(default)s)")
    p.add_argument("--out", default=None, metavar="DIR", help="outputs folder (default: outputs/)")

    p = sub.add_parser("render", help="render an executed notebook as the build publishes a brief",
                       description="Render a brief run by hand (papermill on notebooks/brief.ipynb) "
                       "to the build's locked-down HTML (no script, a Content-Security-Policy), "
                       "with its tables as CSV and XLSX, and to PDF and DOCX. Exit 0: written; "
                       "1: a format failed (the files written are named); 2: not an executed "
                       "notebook, or a bad option.")
    p.add_argument("notebook", metavar="NOTEBOOK", help="an executed notebook (.ipynb)")
    p.add_argument("--formats", default="html", metavar="html,pdf,docx",
                   help="formats to write, comma-separated (default: %(default)s; html always)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="folder to write into (default: the notebook's folder)")
    p.add_argument("--title", default=None, help="the page's title (default: from the notebook's parameters)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script and of `python -m gcmtools`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_UNUSABLE
    handler = {
        "init": _init,
        "validate": _validate,
        "contract": _contract,
        "sources": _sources,
        "ingest": _ingest,
        "build": _build,
        "signoff": _signoff,
        "template": _template,
        "feedback": _feedback,
        "suggest": _suggest,
        "render": _render,
    }[args.command]
    try:
        with _project(args.project):
            return handler(args)
    except KeyboardInterrupt:
        print("gcmtools: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # imported here: a build with nothing to do needs no pydantic (gcmtools.build.noop)
        from gcmtools.catalogue.models import ModelError

        if not isinstance(exc, ModelError):
            raise
        # a reference or review file that does not fit its model
        print("\n".join(f"error: {line}" for line in str(exc).splitlines()), file=sys.stderr)
        return EXIT_UNUSABLE


@contextmanager
def _project(folder: str | None):
    """`--project DIR`: the project root for the command, as $GCM_ROOT (so that the build's
    workers and kernels inherit it); restored afterwards."""
    if folder is None:
        yield
        return
    before = os.environ.get("GCM_ROOT")
    os.environ["GCM_ROOT"] = str(Path(folder).resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("GCM_ROOT", None)
        else:
            os.environ["GCM_ROOT"] = before


def _init(args: argparse.Namespace) -> int:
    from gcmtools.build.project import ProjectError, init_project
    from gcmtools.catalogue import DEFAULT_REVIEW

    try:
        written = init_project(args.folder, args.review or DEFAULT_REVIEW)
    except (ProjectError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"project folder {args.folder}: submissions/, reviews/, params/, key_figures/, outputs/ "
          f"and {', '.join(p.relative_to(args.folder).as_posix() for p in written)}")
    print(f"next: cd {args.folder} && gcmtools template outputs/submission-template.xlsx (see README.txt)")
    return EXIT_OK


def _intake(args: argparse.Namespace):
    """The intake result of `args.paths` for `args.review`, its unreadable files reported; or
    EXIT_UNUSABLE for a review that cannot be read."""
    from gcmtools.intake.files import printable
    from gcmtools.intake.validate import review_of, validate_paths

    try:
        review = review_of(args.review)
    except (OSError, ValueError) as exc:
        print(f"error: --review {args.review}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    result = validate_paths(args.paths, review)
    for line in result.unreadable:
        print(f"error: {printable(line)}", file=sys.stderr)
    return result


def _validate(args: argparse.Namespace) -> int:
    from gcmtools.intake.files import printable
    from gcmtools.intake.validate import write_report

    if args.report and Path(args.report).is_dir():
        print(f"error: --report {args.report}: is a folder; give a file name (.csv or .xlsx)", file=sys.stderr)
        return EXIT_UNUSABLE
    result = _intake(args)
    if isinstance(result, int):
        return result
    if not args.quiet:
        for p in result.problems.itertuples(index=False):
            where = f"{p.file}: row {p.row}" + (f", column {p.column}" if p.column else "")
            print(printable(f"{where}: {p.reason}"))
    print(printable(result.summary()))
    if args.report:
        try:
            out = write_report(result.problems, args.report)
        except OSError as exc:
            print(f"error: --report {args.report}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
            return EXIT_UNUSABLE
        print(f"report: {len(result.problems)} problem(s) written to {out}")
    return result.exit_code


def _contract(args: argparse.Namespace) -> int:
    from gcmtools.catalogue.contract import to_markdown

    sys.stdout.write(to_markdown())
    return EXIT_OK


def _sources(args: argparse.Namespace) -> int:
    from gcmtools import sources

    sys.stdout.write(sources.describe_layouts())
    return EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    from gcmtools import sources

    if str(args.out).lower().endswith(".parquet") and not sources.parquet_available():
        print(f"error: {args.out}: writing Parquet needs pyarrow (pip install pyarrow); "
              "or write .csv", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        obs = sources.ingest(args.files, source=args.source, geo=args.geo,
                             use_cache=not args.no_cache)
    except (sources.UnknownLayoutError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    failed, read = obs.attrs.get("failed", []), obs.attrs.get("read", [])
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if not read:
        seen = obs.attrs.get("seen", [])
        if failed:  # each said above, naming its file
            return EXIT_UNUSABLE
        if seen:
            print(f"error: no file in a layout gcmtools can read; files seen: {', '.join(seen)} "
                  "(see `gcmtools sources`)", file=sys.stderr)
        else:
            others = [str(f) for a in args.files if Path(a).is_dir()
                      for f in sorted(Path(a).rglob("*")) if f.is_file()]
            kinds = ", ".join(sources.files.DATA_SUFFIXES)
            print(f"error: no data file ({kinds}) to read; files seen: "
                  f"{', '.join(others) if others else '(none)'}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        out = sources.write_observations(obs, Path(args.out))
    except OSError as exc:
        print(f"error: {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"{len(obs)} observations of {obs['indicator'].nunique()} indicator(s) from "
          f"{len(read)} file(s) written to {out}")
    for note in obs.attrs.get("notes", []):
        print(f"note: {note}")
    if failed:
        print(f"{len(failed)} file(s) not read (see the errors above)", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    import datetime as dt

    from gcmtools import build

    only = None
    if args.only is not None:
        only = [x.strip() for x in args.only.split(",") if x.strip()]
        if not only:
            print(f"error: --only {args.only!r}: expected objective numbers or brief ids such as "
                  "8,13,overview", file=sys.stderr)
            return EXIT_UNUSABLE
    if args.jobs is not None and args.jobs < 1:
        print(f"error: --jobs {args.jobs}: at least 1 brief at a time", file=sys.stderr)
        return EXIT_UNUSABLE
    tty = sys.stdout.isatty()
    logged: list[str] = []

    def log(line: str) -> None:
        stamp = "" if tty else dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S ")
        print(f"{stamp}{line}", flush=True)
        logged.append(line)

    key = _noop_key(args)
    if _recalled(args, key, log):
        return EXIT_OK
    try:
        plan = build.load_plan(args.params, out=args.out, only=only, formats=args.formats,
                               approved_only=args.approved_only)
        if args.scheduler is not None:  # checked before anything runs; dask imported only then
            from gcmtools.build.cluster import check_scheduler

            check_scheduler(args.scheduler)
        report = build.build(plan, jobs=args.jobs, force=args.force, log=log, scheduler=args.scheduler)
    except (build.PlanError, build.BuildLocked) as exc:
        for line in str(exc).splitlines():  # a params file may have several problems: one line each
            print(f"error: {line}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as exc:  # a full disk, a folder that cannot be written: every write is atomic
        print(f"error: {exc.filename or plan_out(args)}: {exc.strerror or exc}; what was published "
              "before stays as it was (each file is replaced whole or not at all)", file=sys.stderr)
        return EXIT_UNUSABLE
    counts = {s: sum(o.status == s for o in report.outcomes) for s in ("published", "up to date", "failed")}
    log(", ".join(f"{n} {s}" for s, n in counts.items()) + f"; index: {plan.out_dir / 'index.html'}")
    _remember(args, key, plan, report, logged)
    return report.exit_code


def _remember(args: argparse.Namespace, key: list, plan, report, logged: list[str]) -> None:
    """A build that had nothing to do is recorded for the next (gcmtools.build.noop), with what
    it logged but the workbook it rewrites with the same content."""
    from gcmtools.build import noop
    from gcmtools.paths import cache_dir

    if not args.force and report.outcomes and all(o.status == "up to date" for o in report.outcomes):
        noop.remember(cache_dir(), key, _noop_roots(plan), plan.out_dir,
                      [line for line in logged if not line.endswith(": written")])


def _recalled(args: argparse.Namespace, key: list, log) -> bool:
    """True when nothing changed since a build asked the same that had nothing to do
    (gcmtools.build.noop): its lines are logged again and nothing else is done."""
    from gcmtools.build import noop
    from gcmtools.paths import cache_dir

    recalled = None if args.force else noop.recall(cache_dir(), key)
    for line in recalled or []:
        log(line)
    return recalled is not None


def _noop_key(args: argparse.Namespace) -> list:
    """What a build's answer depends on besides the files gcmtools.build.noop stamps."""
    import os

    from gcmtools import store
    from gcmtools.paths import project_root

    # the workbook's own settings ($GCM_*, $GCMTOOLS_LIMIT_*: the cache, intake's limits) too
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("GCM"))
    return [str(project_root()), os.getcwd(), store.code_hash(), args.params, args.out, args.only,
            args.formats, args.approved_only, getattr(args, "scheduler", None), settings]


def _noop_roots(plan) -> list[Path]:
    """Everything a build with nothing to do reads or writes: the project's params, notebooks
    and data, the plan's inputs, notebooks, review file and sign-offs, the outputs, git's HEAD."""
    from gcmtools.build import noop
    from gcmtools.build.signoff import signoff_file
    from gcmtools.catalogue.keyfigure_specs import spec_files
    from gcmtools.catalogue.reviews import review_inputs
    from gcmtools.paths import PACKAGE_DIR, project_root

    root = project_root()
    briefs = plan.all_briefs or plan.briefs
    review = [Path(plan.review.source_file)] if plan.review.source_file else []
    # a project folder's own files: its marker, reviews, key-figure specs (gcmtools init)
    own = [root / "gcm-project.yaml", root / "reviews", root / "key_figures"]
    review += review_inputs(plan.review) + spec_files()
    return ([root / "params", root / "notebooks", root / "data", plan.params_file, signoff_file(plan)] + own
            + [b.notebook for b in briefs] + plan.practices + plan.sources + review + [plan.out_dir]
            + noop.git_files(PACKAGE_DIR.parent))  # gcmtools' checkout: store.git_commit


def plan_out(args: argparse.Namespace) -> str:
    """The outputs folder a build command writes into, as the user gave it."""
    return args.out or "outputs/"


def _signoff(args: argparse.Namespace) -> int:
    from gcmtools import build

    try:
        plan = build.load_plan(args.params, out=args.out)
        entry = build.sign_off(plan, args.brief, args.by, args.status)
    except (build.PlanError, build.BuildLocked) as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"{args.brief}: {entry.status} by {entry.by} on {entry.date}")
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from gcmtools.intake.template import write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"error: {out}: the template is an .xlsx file", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        write_template(out, args.review, args.lang)
    except (OSError, ValueError) as exc:
        print(f"error: {out}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"template written to {out}")
    return EXIT_OK


def _feedback(args: argparse.Namespace) -> int:
    from gcmtools.intake.feedback import write_feedback

    result = _intake(args)
    if isinstance(result, int):
        return result
    try:
        files = write_feedback(result, args.out, args.lang)
    except OSError as exc:
        print(f"error: {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(result.summary())
    print(f"{len(files) // 2} submitter(s): {len(files)} feedback file(s) written to {args.out}")
    return result.exit_code


def _suggest(args: argparse.Namespace) -> int:
    from gcmtools.analysis.suggest import suggestions_sheets
    from gcmtools.intake.export import write_xlsx
    from gcmtools.intake.validate import review_of

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx" or args.top < 1:
        problem = "the suggestions file is an .xlsx file" if args.top >= 1 else f"--top {args.top}: at least 1"
        print(f"error: {out}: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    result = _intake(args)
    if isinstance(result, int):
        return result
    if result.unreadable:
        return result.exit_code
    sheets = suggestions_sheets(result.accepted, result.rejected, review_of(args.review), args.top)
    try:
        write_xlsx(sheets, out)
    except OSError as exc:
        print(f"error: {out}: {exc.strerror}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(result.summary())
    print(f"suggestions for {len(result.accepted)} accepted practice(s) written to {out} "
          "(sheet Practices)")
    if len(result.rejected):
        print(f"{len(result.rejected)} rejected row(s), not suggested for: listed with their "
              f"reasons in the sheet Rejected of {out} (fix them, then suggest again)")
    return result.exit_code


def _render(args: argparse.Namespace) -> int:
    from gcmtools.build.formats import FormatError, parse_formats, render_notebook

    try:
        formats = parse_formats(args.formats)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    notebook = Path(args.notebook)
    out = Path(args.out) if args.out else notebook.parent
    try:
        written = render_notebook(notebook, out, formats, title=args.title)
    except (OSError, ValueError) as exc:  # missing, unreadable, not a notebook
        print(f"error: {notebook}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except FormatError as exc:
        print(f"error: {notebook}: {exc}; nothing written", file=sys.stderr)
        return EXIT_SOME_FAILED
    for path in written:
        print(f"written: {path}")
    return EXIT_OK
