"""Words and their Snowball stems in English, French and Russian: text in, words or stems out.

Shared by the suggestions (analysis.suggest) and the explorer's search (intake.explorer), which
may not import each other; PyStemmer is imported only when a stem is asked for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

STEMMERS = {"en": "english", "fr": "french", "ru": "russian"}
WORD = re.compile(r"[^\W\d_]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SEARCH_WORD = re.compile(r"[^\W_]+")  # letters or digits: "2019" is a word to search for


@cache
def stemmer(language: str):
    """The Snowball stemmer of "en", "fr" or "ru" (PyStemmer)."""
    import Stemmer

    return Stemmer.Stemmer(STEMMERS[language])


def plain(word: str) -> str:
    """'coopération' -> 'cooperation': a Latin word without its accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The lower-case words of `text` longer than two letters."""
    return [w for w in WORD.findall(str(text).lower()) if len(w) > 2]


def search_stems(text: str) -> list[frozenset[str]]:
    """For each word of `text` (letters or digits, any length), the stems it may have in
    English, French or Russian: a Cyrillic word its Russian stem, a Latin word its English and
    French stems, with and without accents ("détention" -> {'detent', 'détent'})."""
    out = []
    for word in _SEARCH_WORD.findall(unicodedata.normalize("NFC", str(text)).casefold()):
        if CYRILLIC.search(word):
            out.append(frozenset({stemmer("ru").stemWord(word.replace("ё", "е"))}))
        else:
            bare = plain(word)
            out.append(frozenset({stemmer("en").stemWord(bare), stemmer("fr").stemWord(word),
                                  stemmer("fr").stemWord(bare)}))
    return out
