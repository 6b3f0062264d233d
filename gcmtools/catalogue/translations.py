"""Messages for submitters in English, French and Russian: an English message in, its
translation out.

The catalogues are gettext PO files, reference/locale/<lang>/LC_MESSAGES/gcmtools.po (edit them
with any PO editor; the English message is the msgid). Babel reads a catalogue and compiles it
into gettext's binary form in memory the first time a language is asked for (a few
milliseconds), so no .mo file is committed or built and none can be stale. English is the
messages themselves. A message missing from a catalogue is a KeyError naming the language and
the message, never an English text slipped into a French file (tests check that every message
is in every catalogue with the same placeholders).
"""

from __future__ import annotations

import gettext
import io
from functools import cache

from gcmtools.paths import REFERENCE_DIR

LANGUAGES = ("en", "fr", "ru")
LOCALE_DIR = REFERENCE_DIR / "locale"
DOMAIN = "gcmtools"


def po_file(lang: str):
    """The PO catalogue of `lang` (fr, ru)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(lang: str):
    """The Babel Catalog of `lang` as read from its PO file."""
    from babel.messages.pofile import read_po

    with open(po_file(lang), "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


@cache
def _translations(lang: str) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog(lang))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def check_language(lang: str) -> str:
    """`lang` if it is one of LANGUAGES, else ValueError naming the ones there are."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def translate(message: str, lang: str) -> str:
    """`message` (English, a msgid) in `lang`; KeyError when the catalogue lacks it."""
    if check_language(lang) == "en" or not message:
        return message
    cat = _translations(lang)._catalog  # gettext's table: tells a missing message
    if message not in cat:
        raise KeyError(f"{po_file(lang).name} ({lang}) has no translation of {message!r}")
    return cat[message]


def language_of(value: object) -> str | None:
    """A submission's `language` cell as one of LANGUAGES ('FR', 'fr-CH', 'ru_RU' -> 'fr',
    'ru'), or None when it names none of them."""
    code = str(value or "").strip().casefold().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None
