"""The French and Russian words for the GCM's own terms, read from reference/suggest_glossary.yaml:
English term -> {"fr": [...], "ru": [...]} out, for `gcmtools suggest` to meet a practice
written in French or Russian with the English text of the GCM."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field

from gcmtools.catalogue.models import Model, Text, load
from gcmtools.paths import REFERENCE_DIR

GLOSSARY_FILE = REFERENCE_DIR / "suggest_glossary.yaml"
LANGUAGES = ("fr", "ru")

Words = Annotated[list[Text], Field(min_length=1)]


class Translations(Model):
    """The words of one English term in French and in Russian: both lists, neither empty."""

    fr: Words
    ru: Words


class Glossary(Model):
    """reference/suggest_glossary.yaml."""

    terms: dict[Text, Translations]


@cache
def glossary() -> dict[str, dict[str, tuple[str, ...]]]:
    """English term -> language ("fr", "ru") -> its words and phrases in that language."""
    terms = load(Glossary, GLOSSARY_FILE).terms
    return {en: {lang: tuple(getattr(t, lang)) for lang in LANGUAGES} for en, t in terms.items()}
