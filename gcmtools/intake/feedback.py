"""Feedback to submitters: an intake result in, one XLSX and one HTML file per submitter out.

Each file lists the submitter's rejected rows (row, column, value, reason, what to change: the
advice of the rule the row breaks, intake.rules) and
their accepted practices as the workbook understood them (countries resolved, objectives,
principles), so that they can correct and resubmit.

A submitter's files are in English, French or Russian: the language asked for (`--lang`), else
the one their rows give in `language` (the most frequent; ties go to en, fr, ru in that order),
else English. The page's text, the sheet names and "what to change" are translated (catalogue.
translations); the reason stays in English, as the analyst's report gives it. File names keep
the submitter's name, transliterated to ASCII (export.safe_filename); two names that read alike
get a short hash of the name each, so that the same names always give the same files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pandas as pd

from gcmtools import catalogue
from gcmtools.catalogue.translations import LANGUAGES, check_language, language_of, translate
from gcmtools.html import page, render
from gcmtools.intake import export, rules
from gcmtools.intake.validate import IntakeResult

UNKNOWN_SUBMITTER = "(submitter not given)"
# the key of the rows that name no submitter: empty, so that no submitter's own name (not even
# "(submitter not given)") can be given the rows of others
NO_SUBMITTER = ""
REJECTED_COLUMNS = ["file", "row", "practice_id", "column", "value", "reason", "what_to_change",
                    "rule"]
ACCEPTED_COLUMNS = ["practice_id", "title", "countries", "objectives", "guiding_questions",
                    "principles", "file", "row"]


def feedback_tables(result: IntakeResult) -> dict[str, dict[str, pd.DataFrame]]:
    """Submitter -> {'rejected': ..., 'accepted': ...}, every row of the intake assigned once: to
    the submitter the row names, or to NO_SUBMITTER ('') when it names none."""
    rejected = result.problems.copy()
    rejected["what_to_change"] = rejected["advice"]
    # the submitter of a problem row is the one written on that row, as submitted
    who = {}
    if len(result.rejected):
        for r in result.rejected.itertuples(index=False):
            named = r.submitter if isinstance(r.submitter, str) and r.submitter.strip() else NO_SUBMITTER
            who[(r.source_file, int(r.source_row))] = named
    rejected["submitter"] = [who.get((f, int(r)), NO_SUBMITTER) for f, r in zip(rejected["file"], rejected["row"])]

    acc = result.accepted
    accepted = pd.DataFrame({
        "submitter": acc["submitter"] if len(acc) else [],
        "practice_id": acc["practice_id"] if len(acc) else [],
        "title": acc["title"] if len(acc) else [],
        "countries": acc["country"].map(lambda cs: "; ".join(f"{catalogue.country_name(c)} ({c})" for c in cs)) if len(acc) else [],
        "objectives": acc["objectives"].map(lambda os_: "; ".join(f"{o} ({catalogue.objective_label(o)})" for o in os_)) if len(acc) else [],
        "guiding_questions": acc["guiding_questions"].map(lambda qs: "; ".join(map(str, qs))) if len(acc) else [],
        "principles": acc["principles"].map("; ".join) if len(acc) else [],
        "file": acc["source_file"] if len(acc) else [],
        "row": acc["source_row"] if len(acc) else [],
    })
    replaced = _replaced(result, rejected)
    # submitters see their own file names, never the analyst's folders
    paths = set(rejected["file"]) | set(accepted["file"])
    for frame in (rejected, accepted):
        frame["file"] = frame["file"].map(lambda f: Path(str(f)).name)
    if len(rejected):
        rejected["reason"] = rejected["reason"].map(lambda r: _without_folders(r, paths))
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name in sorted(set(rejected["submitter"]) | set(accepted["submitter"])):
        mine = rejected["submitter"] == name
        out[name] = {
            "rejected": rejected[mine & ~replaced][REJECTED_COLUMNS].reset_index(drop=True),
            "replaced": rejected[mine & replaced][REJECTED_COLUMNS].reset_index(drop=True),
            "accepted": accepted[accepted["submitter"] == name][ACCEPTED_COLUMNS].reset_index(drop=True),
        }
    return out


def _replaced(result: IntakeResult, rejected: pd.DataFrame) -> pd.Series:
    """The problems a submitter has nothing to do about: rows superseded by their own later file
    (rule row-superseded), and rejected rows whose practice_id the same submitter had accepted
    from a later file (the correction came in; dated as resubmission dates rows: `submitted`,
    else the file's time). Listed apart, never as "to correct"."""
    from gcmtools.intake import resubmission
    from gcmtools.intake.schema import id_key

    acc, rej = result.accepted, result.rejected
    superseded = rejected["rule"] == "row-superseded"
    if not len(acc) or not len(rej):
        return superseded
    dates = resubmission.file_dates(sorted(set(acc["source_file"]) | set(rej["source_file"])))

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"who": frame["submitter"].map(lambda w: " ".join(str(w).casefold().split())),
                             "id": frame["practice_id"].map(lambda p: id_key(str(p))),
                             "date": resubmission.row_dates(frame, dates).astype(str),
                             "where": list(zip(frame["source_file"], frame["source_row"].astype(int)))})

    latest = keyed(acc).groupby(["who", "id"])["date"].max().to_dict()
    corrected = {r.where for r in keyed(rej).itertuples() if r.id and latest.get((r.who, r.id), "") > r.date}
    return superseded | pd.Series([(f, int(r)) in corrected for f, r in zip(rejected["file"], rejected["row"])],
                                  index=rejected.index, dtype=bool)


def submitter_languages(result: IntakeResult) -> dict[str, str | None]:
    """Submitter (as feedback_tables keys them) -> the language their rows give in `language`
    (the most frequent of en, fr, ru; ties in that order), or None when they give none."""
    found: dict[str, Counter] = {}
    for frame in (result.accepted, result.rejected):
        if not len(frame) or "language" not in frame:
            continue
        for who, lang in zip(frame["submitter"], frame["language"]):
            name = who if isinstance(who, str) and who.strip() else NO_SUBMITTER
            if language_of(lang):
                found.setdefault(name, Counter())[language_of(lang)] += 1
    return {name: max(LANGUAGES, key=lambda lang, c=c: (c[lang], -LANGUAGES.index(lang)))
            for name, c in found.items()}


def _without_folders(reason: str, paths: set) -> str:
    for p in sorted(map(str, paths), key=len, reverse=True):
        reason = reason.replace(p, Path(p).name)
    return reason


def file_stems(names: list[str]) -> dict[str, str]:
    """Submitter -> a safe, unique file name stem (a short hash is added where two collide)."""
    stems: dict[str, str] = {}
    taken: dict[str, int] = {}
    def stem_of(name: str) -> str:
        return export.safe_filename(name or UNKNOWN_SUBMITTER, fallback="submitter")

    for name in names:
        stem = stem_of(name)
        taken[stem] = taken.get(stem, 0) + 1
    for name in names:
        stem = stem_of(name)
        if taken[stem] > 1:
            stem += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        stems[name] = stem
    return stems


def write_feedback(result: IntakeResult, out_dir: str | Path, lang: str | None = None) -> list[Path]:
    """Write <submitter>.xlsx and <submitter>.html for every submitter, in `lang` (en, fr, ru)
    or, when None, in each submitter's own language (submitter_languages; else English);
    returns the files."""
    if lang is not None:
        check_language(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = feedback_tables(result)
    stems = file_stems(list(tables))
    own = submitter_languages(result)
    written = []
    for name, t in tables.items():
        stem, language = stems[name], lang or own.get(name) or "en"
        rejected, replaced = in_language(t["rejected"], language), in_language(t["replaced"], language)
        written.append(export.write_xlsx(
            {translate(SHEET_REJECTED, language): rejected,
             **({translate(SHEET_REPLACED, language): replaced} if len(replaced) else {}),
             translate(SHEET_ACCEPTED, language): t["accepted"]},
            out_dir / f"{stem}.xlsx",
            widths={"reason": 70, "what_to_change": 50, "title": 50, "value": 30, "countries": 40}))
        html_path = out_dir / f"{stem}.html"
        export._atomic(html_path, lambda tmp, n=name or UNKNOWN_SUBMITTER, r=rejected, t=t, la=language, rp=replaced:
                       Path(tmp).write_text(feedback_page(n, r, t["accepted"], la, rp), encoding="utf-8"))
        written.append(html_path)
    return written


def in_language(rejected: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected rows with "what to change" in `lang` (intake.rules.advice_in)."""
    out = rejected.copy()
    out["what_to_change"] = [rules.advice_in(code, advice, lang)
                             for code, advice in zip(out["rule"], out["what_to_change"])]
    return out


SHEET_REJECTED, SHEET_ACCEPTED, SHEET_REPLACED = "Rejected rows", "Accepted practices", "Replaced rows"
#: the page's own words (templates/feedback.html), by the name the template uses
PAGE_TEXT = {
    "title": "Feedback: {submitter}",
    "heading": "Feedback on your submission: {submitter}",
    "problems": "Problems to correct: {count}",
    "problems_intro": "These rows could not be accepted. Please correct them and send the file again.",
    "no_problems": "No problems found",
    "no_problems_intro": "Every row you submitted was accepted.",
    "accepted": "Practices accepted, as we understood them: {count}",
    "replaced": "Replaced by a later file of yours, nothing to change: {count}",
}


def messages() -> list[str]:
    """Every message of the feedback files, as the translation catalogues hold them."""
    return [SHEET_REJECTED, SHEET_ACCEPTED, SHEET_REPLACED, *PAGE_TEXT.values()]


def feedback_page(submitter: str, rejected: pd.DataFrame, accepted: pd.DataFrame,
                  lang: str = "en", replaced: pd.DataFrame | None = None) -> str:
    """The feedback as a self-contained page (templates/feedback.html in the page shell), in
    `lang`; the templates escape every submitted value. `replaced`: the rows a later file of
    the submitter replaced (nothing to change), listed apart."""
    replaced = rejected.iloc[0:0] if replaced is None else replaced
    counts = {"problems": len(rejected), "replaced": len(replaced)}
    text = {key: translate(message, lang).format(submitter=submitter, count=counts.get(key, len(accepted)))
            for key, message in PAGE_TEXT.items()}
    body = render("feedback.html", submitter=submitter, rejected=rejected, accepted=accepted,
                  replaced=replaced, text=text, lang=lang)
    return page(text["title"], body.rstrip("\n"))
