"""Every rule the intake applies to a submitted row, in one place: a code, a reason, an advice.

A check that finds a problem records it with `problem(code, **values)`: the reason the
rejection report shows and the advice the submitter reads (feedback's "what to change") are
this rule's templates filled with the values of the failing cell. The advice is also given in
French and Russian (`advice_in`, from the catalogues of catalogue.translations): the reason is
the analyst's, in English. The checks themselves are in
schema (one value, one row against the others), validate (the file's columns) and files
(spreadsheet cells); the ranges they name come from the catalogue (GCM objectives) and from the
review (its guiding questions), never from code.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Rule:
    """One rejection rule: a stable code, and the reason and the advice as format templates."""

    code: str
    reason: str
    advice: str

    def pattern(self) -> re.Pattern[str]:
        """A regular expression that every reason this rule makes matches (several reasons of
        one cell are joined with '; ')."""
        one = ""
        for literal, field_name, _spec, _conv in _FORMATTER.parse(self.reason):
            one += re.escape(literal) + ("(?:.+?)" if field_name is not None else "")
        return re.compile(f"(?:{one})(?:; (?:{one}))*", re.S)


@dataclass(frozen=True)
class Problem:
    """What one check found in one cell: the rule's code, its reason and its advice, filled in."""

    rule: str
    reason: str
    advice: str


RULES: tuple[Rule, ...] = (
    # one value of a cell
    Rule("required-empty", "{column} is required but empty",
         "Fill in this required field"),
    Rule("objective-not-a-number", "objective {token!r} is not a number (GCM objectives are {objectives})",
         "Use GCM objective numbers ({objectives}), separated by ';'"),
    Rule("objective-unknown", "objective {token} is not a GCM objective ({objectives})",
         "Use GCM objective numbers ({objectives})"),
    Rule("action-unknown", "action {token!r} is not a GCM action ({hint})",
         "Use the code of a GCM action, an objective's number and the action's letter ({hint}); "
         "the template's Reference sheet lists them"),
    Rule("question-unknown",
         "guiding question {token!r} is not one of {questions} (the guiding questions of {review})",
         "Use the numbers of the guiding questions of {review} ({questions}); the template's "
         "Reference sheet lists them"),
    Rule("country-unresolved", "country {token!r} cannot be resolved to an ISO3 code",
         "Use the country's ISO3 code (for example ARM) or its English name"),
    Rule("country-misspelt",
         "country {token!r} is not a country name the workbook knows (did you mean {close!r}?)",
         "Replace the value with {close!r}, or use the country's ISO3 code"),
    Rule("country-region", "{token!r} is {kind}, not a country",
         "Name each country of the practice (separated by ';'), or its ISO3 code"),
    Rule("not-in-vocabulary", "{token!r} is not a valid value for {column}",
         "Choose a value from the list in the template: {allowed}"),
    Rule("value-misspelt", "{token!r} is not a valid value for {column} (did you mean {close!r}?)",
         "Replace the value with {close!r}"),
    Rule("not-a-year", "year {token!r} is not a year from {first} to {last}",
         "Give a four-digit year from {first} to {last}"),
    Rule("not-a-date", "submitted {token!r} is not a date (YYYY-MM-DD)",
         "Give the date the file was sent as YYYY-MM-DD, such as 2020-05-31, or leave it empty"),
    Rule("not-http", "source_ref {token!r} is a link but not an http(s) URL",
         "Give a web address starting with https:// or a document reference"),
    Rule("link-no-scheme",
         "source_ref {token!r} is a link without its scheme (http:// or https://), not a "
         "document reference",
         "Write the web address in full, starting with https:// (for example https://{token})"),
    Rule("separator-comma", "{detail} (separate several values with ';', not ',')",
         "Separate several values with ';' instead of ','"),
    # a row against the others
    Rule("duplicate-id", "practice_id {value!r} duplicates an earlier row ({where})",
         "Give each practice its own practice_id"),
    Rule("duplicate-id-lookalike",
         "practice_id {value!r} is the id {first!r} of an earlier row ({where}) but for invisible, "
         "width or look-alike characters",
         "Give each practice its own practice_id, typed in plain letters and digits"),
    Rule("row-superseded",
         "superseded by {file} row {row} (submitted {date}), a later submission of the same "
         "submitter with the same practice_id: kept here, not used",
         "Nothing to change if the later file replaces this practice; if both are meant, give "
         "the later one its own practice_id"),
    Rule("action-not-in-objectives",
         "action {token} is an action of objective {objective}, which is not among the practice's "
         "objectives ({objectives})",
         "Add objective {objective} to objectives, or use an action of the practice's objectives "
         "({actions})"),
    Rule("year-order", "year_end {end} is before year_start {start}",
         "Check the start and end years"),
    # the file's layout
    Rule("column-missing", "required column {column!r} is missing from the file",
         "Add this column to the header row (see the template)"),
    Rule("column-misnamed",
         "required column {column!r} is missing from the file (did you mean the column {close!r}?)",
         "Rename the column {close!r} to {column!r}"),
    Rule("cell-beyond-header", "{count} value(s) beyond the last named column",
         "Remove the values to the right of the last column, or quote cells that contain the delimiter"),
    Rule("nul-character", "value contains a NUL character (U+0000): retype it",
         "Retype the value: it holds an invisible NUL character (often left by copying from "
         "another program)"),
    Rule("control-character", "value contains the control character {char} ({name}): retype it",
         "Retype the value without the invisible control character (often left by copying from "
         "another program or a terminal)"),
    Rule("spreadsheet-error", "value {token!r} is a spreadsheet error, not a value",
         "Type the value itself: the cell shows an error of a formula or a lookup ({token})"),
    Rule("cell-too-long", "value is {length:,} characters long; a cell holds at most {most:,}",
         "Shorten the text to at most {most:,} characters; give the full document in source_ref"),
    # JSON records
    Rule("json-nested", "the value of {key!r} is a nested list or object, not a value or a list of values",
         "Give {key!r} one value, or a list of plain values (they are joined with ';')"),
    Rule("json-duplicate-key", "the record gives the key {key!r} more than once",
         "Give each key once per record"),
    # spreadsheet cells
    Rule("merged-cell",
         "cell {cell} is part of merged cells {merged}: the value is only in {first}; unmerge and "
         "fill every row",
         "Unmerge the cells and type the value in every row"),
    Rule("formula-unsaved", "cell {cell} holds a formula with no saved value: type the value",
         "Type the value instead of the formula (or open and save the file in Excel, which saves "
         "the formula's result)"),
)

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def problem(code: str, **values: object) -> Problem:
    """The problem that rule `code` records for a cell with these values (KeyError: no such rule)."""
    rule = BY_CODE[code]
    return Problem(code, rule.reason.format(**values), rule.advice.format(**values))


def messages() -> list[str]:
    """Every advice template, as the translation catalogues hold them."""
    return [r.advice for r in RULES]


def _advice_pattern(rule: Rule) -> re.Pattern[str]:
    """A pattern matching one advice of `rule`, a named group per placeholder."""
    one, seen = "", set()
    for literal, name, _spec, _conv in _FORMATTER.parse(rule.advice):
        one += re.escape(literal)
        if name is not None:
            one += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
    return re.compile(one + "(?=; |$)", re.S)


def _filled(template: str, values: dict[str, str]) -> str:
    """`template` with each placeholder replaced by the text it stood for in the English advice
    (formatted already: conversions and format specs are not applied again)."""
    out = ""
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        out += literal + (values[name] if name is not None else "")
    return out


def advice_in(code: str, advice: str, lang: str) -> str:
    """The advice of rule `code` (as a problem row holds it: one or several, joined with '; ')
    in `lang` ('en', 'fr', 'ru'): each read back into its values and the rule's translated
    template filled with them. ValueError when `advice` is not this rule's."""
    from gcmtools.catalogue.translations import translate

    if lang == "en":
        return advice
    rule = BY_CODE[code]
    pattern, template = _advice_pattern(rule), translate(rule.advice, lang)
    out, pos = [], 0
    while pos <= len(advice):
        m = pattern.match(advice, pos)
        if m is None:
            raise ValueError(f"advice {advice!r} is not one of rule {code!r}")
        out.append(_filled(template, m.groupdict()))
        pos = m.end() + 2
        if m.end() == len(advice):
            break
    return "; ".join(out)


def joined(found: list[Problem]) -> list[Problem]:
    """Problems of one cell, one per rule: the reasons (and distinct advice) of each rule joined."""
    out = []
    for code in dict.fromkeys(p.rule for p in found):
        mine = [p for p in found if p.rule == code]
        out.append(Problem(code, "; ".join(p.reason for p in mine),
                           "; ".join(dict.fromkeys(p.advice for p in mine))))
    return out
