"""Suggestions an analyst accepts, never applied: practices (title, description, language,
objectives) in; for each, the GCM objectives and actions, the review's guiding questions and the
guiding principles its text speaks to out, ranked, each with a score and the words that matched.

The search is TF-IDF (scikit-learn) over the GCM's own text: each objective is its title, its
commitment, its actions and their labels; each action its label and its text; each question its text as the
review words it; each principle its name and summary. Words are reduced to their Snowball stems
(PyStemmer). The GCM's text is English: a practice in French or Russian meets it through the
glossary of the catalogue (French and Russian words for the GCM's terms), a French word not in
it through its English cognate ("coopération" -> cooperation). A practice's `language` ("en",
"fr", "ru") says how its Latin-script words are read (Cyrillic words are always Russian); where
it is empty it is detected (lingua, restricted to English, French and Russian; nothing is
downloaded). Another language code is read as English, the GCM's language.

A score is the cosine similarity of the practice's words and the document's (0 to 1); nothing
with no word in common is suggested. The indexes are built once per process (functools.cache),
and scikit-learn, PyStemmer and lingua are imported only when a suggestion is asked for. A
brief's best action per practice (best_actions) is scored by Scorer, the fitted action index in
numpy kept in the disk cache, so that a brief whose practices changed needs no scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from gcmtools import catalogue
from gcmtools.catalogue import Review, gcm
from gcmtools.catalogue.glossary import glossary
from gcmtools.catalogue.stems import CYRILLIC as _CYRILLIC
from gcmtools.catalogue.stems import STEMMERS as _STEMMERS
from gcmtools.catalogue.stems import plain as _plain
from gcmtools.catalogue.stems import stemmer as _stemmer
from gcmtools.catalogue.stems import words as _words
from gcmtools.paths import REFERENCE_DIR

SUGGEST_COLUMNS = ["practice_id", "kind", "value", "rank", "score", "matched"]
KINDS = ("objective", "action", "question", "principle")
MATCHED_WORDS = 4  # words shown per suggestion, those that weigh most in its score
_LONGEST_PHRASE = 6


# --- words ------------------------------------------------------------------------------------


STOP_WORDS_FILE = REFERENCE_DIR / "stop_words_en.txt"


@cache
def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, from reference/stop_words_en.txt (a copy: reading
    them costs no import of scikit-learn)."""
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def english_terms(text: str) -> list[str]:
    """The English stems of `text`'s words, stop words left out ("Ending detention of
    children" -> ['end', 'detent', 'children'])."""
    stop = _english_stop_words()
    return _stemmer("en").stemWords([_plain(w) for w in _words(text) if w not in stop])


@cache
def _phrases(language: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The glossary for `language`: its words' stems (a phrase as a tuple) -> the English
    term's stems."""
    stem = _stemmer(language).stemWords
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for english, words in glossary().items():
        for phrase in words[language]:
            key = tuple(stem(_words(phrase)))
            if key:
                out[key] = tuple(dict.fromkeys(out.get(key, ()) + tuple(english_terms(english))))
    return out


def _through_glossary(words: list[str], language: str) -> list[str | tuple[str, ...]]:
    """Each run of `words` that is a glossary phrase (longest first) as its English stems (a
    tuple); the other words as they are."""
    stems = _stemmer(language).stemWords(words)
    phrases = _phrases(language)
    out: list[str | tuple[str, ...]] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            found = phrases.get(tuple(stems[i:i + n]))
            if found:
                out.append(found)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def query_terms(text: str, language: str) -> list[str]:
    """The English stems a practice's `text` in `language` ("en", "fr" or "ru") is searched with:
    Cyrillic words through the Russian glossary, Latin words through the French glossary (then
    as English cognates) in French, as English otherwise."""
    words = _words(text)
    cyrillic = [w for w in words if _CYRILLIC.search(w)]
    latin = [w for w in words if not _CYRILLIC.search(w)]
    out = [t for found in _through_glossary(cyrillic, "ru") if isinstance(found, tuple) for t in found]
    if language == "fr":
        for found in _through_glossary(latin, "fr"):
            out += list(found) if isinstance(found, tuple) else english_terms(found)
    else:
        out += english_terms(" ".join(latin))
    return out


# --- languages --------------------------------------------------------------------------------


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH,
                                                  Language.RUSSIAN).build()


def detect_language(text: str) -> str:
    """"en", "fr" or "ru": the one of the three `text` is most likely written in ("en" when
    lingua cannot tell, as for a text with no word)."""
    found = _detector().detect_language_of(str(text))
    return {"ENGLISH": "en", "FRENCH": "fr", "RUSSIAN": "ru"}.get(found.name if found else "", "en")


def practice_languages(practices: pd.DataFrame) -> pd.Series:
    """Each practice's language as the search reads it: its `language` when given ("en", "fr",
    "ru"; another code is read as "en"), detected from its title and description when empty."""
    given = practices.get("language", pd.Series("", index=practices.index)).fillna("").astype(str)
    given = given.str.strip().str.lower()
    out = given.where(given.isin(list(_STEMMERS)), "en")
    empty = given == ""
    if empty.any():
        texts = _texts(practices[empty])
        out[empty] = [detect_language(t) for t in texts]
    return out


# --- the indexes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    """One kind's documents: their values, the fitted vectorizer and their TF-IDF rows."""

    kind: str
    values: tuple[str, ...]
    vectorizer: object
    matrix: object  # scipy sparse, one l2-normalised row per document
    surface: dict[str, str]  # stem -> the word of the GCM's text it stands for most often


def _surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """Each stem of `texts` -> its most frequent word there (for showing what matched)."""
    counts: dict[str, dict[str, int]] = {}
    stop = _english_stop_words()
    for text in texts:
        words = [w for w in _words(text) if w not in stop]
        for word, stem in zip(words, _stemmer("en").stemWords([_plain(w) for w in words])):
            counts.setdefault(stem, {}).setdefault(word, 0)
            counts[stem][word] += 1
    return {s: max(ws, key=lambda w: (ws[w], -len(w))) for s, ws in counts.items()}


def build_index(kind: str, documents: dict[str, str]) -> Index:
    """An Index of `documents` (value -> English text)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform([english_terms(t) for t in documents.values()])
    return Index(kind, tuple(documents), vectorizer, matrix, _surface_forms(documents.values()))


def gcm_documents(kind: str, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """The GCM's documents of `kind` ("objective", "action", "principle"): value -> text, the
    actions in `exclude` left out (of their objective's text too)."""
    table = gcm.actions()
    table = table[~table["code"].isin(exclude)]
    if kind == "objective":
        return {str(n): " ".join([catalogue.objective_title(n)] * 2 + [gcm.commitment(n)]
                                 + list(table.loc[table["objective"] == n, "text"])
                                 + list(table.loc[table["objective"] == n, "label"]) * 2)
                for n in catalogue.objective_numbers()}
    if kind == "action":
        return {r.code: f"{r.label}. {r.label}. {r.text}" for r in table.itertuples()}
    return {r.slug: f"{r.name}. {r.summary}" for r in catalogue.principles().itertuples()}


@cache
def gcm_index(kind: str, exclude: frozenset[str] = frozenset()) -> Index:
    """The index of the GCM's `kind` documents (built once per process and `exclude`)."""
    return build_index(kind, gcm_documents(kind, exclude))


@dataclass(frozen=True)
class Scorer:
    """An Index reduced to what scoring a practice against its documents needs, in numpy: its
    vocabulary (stem -> column), the idf of each column and the documents' TF-IDF rows (dense).
    Scores are those of the Index (scikit-learn's transform, then the product with its matrix),
    computed in the same order, so equal to the last bit (tests/analysis/test_scorer.py)."""

    values: tuple[str, ...]
    columns: dict[str, int]
    idf: np.ndarray
    documents: np.ndarray  # one l2-normalised row per document

    @classmethod
    def of(cls, index: Index) -> Scorer:
        v = index.vectorizer
        return cls(index.values, {str(t): int(j) for t, j in v.vocabulary_.items()},
                   np.asarray(v.idf_, dtype=float), index.matrix.toarray())

    def scores(self, term_lists: Iterable[list[str]]) -> np.ndarray:
        """practices x documents: the cosine of each practice's terms (one list per practice)
        with each document, as `(index.vectorizer.transform(terms) @ index.matrix.T)` gives it."""
        rows = []
        for terms in term_lists:
            counts: dict[int, int] = {}
            for t in terms:
                j = self.columns.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = sorted(counts)  # scikit-learn's CSR rows hold their columns in order
            # sublinear tf, times idf (its transform), then the row's l2 norm summed in column
            # order (sklearn.utils.sparsefuncs_fast), then the product summed in the same order
            weights = (np.log(np.array([counts[j] for j in cols], dtype=float)) + 1) * self.idf[cols]
            norm = 0.0
            for w in weights:
                norm += w * w
            out = np.zeros(len(self.values))
            if norm > 0:
                weights = weights / np.sqrt(norm)
                for w, j in zip(weights, cols):
                    out += w * self.documents[:, j]
            rows.append(out)
        return np.array(rows).reshape(len(rows), len(self.values))


def _scorer_key(kind: str, documents: dict[str, str]) -> list:
    import hashlib
    from importlib.metadata import version

    text = "\x1f".join(f"{k}\x1e{v}" for k, v in documents.items())
    return [kind, hashlib.sha256(text.encode("utf-8")).hexdigest(), version("scikit-learn")]


@cache
def gcm_scorer(kind: str) -> Scorer:
    """The Scorer of the GCM's `kind` documents: fitted by scikit-learn once, then kept in the
    disk cache (gcmtools.store), so that a brief whose practices changed scores them without
    importing scikit-learn (2.4 s of a kernel's time)."""
    from gcmtools import store

    documents = gcm_documents(kind)
    return store.cached("gcm-scorer", _scorer_key(kind, documents),
                        lambda: Scorer.of(build_index(kind, documents)))


@cache
def _question_index(questions: tuple[tuple[int, str], ...]) -> Index:
    return build_index("question", {str(n): text for n, text in questions})


def question_index(review: Review) -> Index:
    """The index of `review`'s guiding questions (each its short title and its text)."""
    return _question_index(tuple((q.number, f"{q.short}. {q.text}") for q in review.guiding_questions))


# --- scoring ----------------------------------------------------------------------------------


def _texts(practices: pd.DataFrame) -> list[str]:
    """Each practice's searched text: its title (twice: it says what the practice is) and its
    description."""
    title = practices.get("title", pd.Series("", index=practices.index)).fillna("").astype(str)
    desc = practices.get("description", pd.Series("", index=practices.index)).fillna("").astype(str)
    return [f"{t}. {t}. {d}" for t, d in zip(title, desc)]


def query_terms_of(practices: pd.DataFrame) -> list[list[str]]:
    """Each practice's search terms (query_terms of its text in its language)."""
    languages = practice_languages(practices)
    return [query_terms(t, lang) for t, lang in zip(_texts(practices), languages)]


def query_matrix(practices: pd.DataFrame, index: Index):
    """The practices' TF-IDF rows in `index`'s vocabulary (words it does not have drop out)."""
    return index.vectorizer.transform(query_terms_of(practices))


def _matched(query_row, doc_row, index: Index) -> str:
    """The words a practice and a document share, those that weigh most in the score first."""
    shared = query_row.multiply(doc_row).tocoo()
    order = np.argsort(-shared.data, kind="stable")[:MATCHED_WORDS]
    names = index.vectorizer.get_feature_names_out()
    return "; ".join(index.surface.get(names[shared.col[i]], names[shared.col[i]]) for i in order)


def ranked(practices: pd.DataFrame, index: Index, top: int) -> pd.DataFrame:
    """The `top` documents of `index` for each practice (score > 0 only), SUGGEST_COLUMNS."""
    if not len(practices):
        return pd.DataFrame(columns=SUGGEST_COLUMNS)
    queries = query_matrix(practices, index)
    scores = (queries @ index.matrix.T).toarray()
    rows = []
    for i, pid in enumerate(practices["practice_id"]):
        order = [j for j in np.argsort(-scores[i], kind="stable")[:top] if scores[i, j] > 0]
        rows += [(pid, index.kind, index.values[j], rank, round(float(scores[i, j]), 3),
                  _matched(queries[i], index.matrix[j], index))
                 for rank, j in enumerate(order, start=1)]
    return pd.DataFrame(rows, columns=SUGGEST_COLUMNS)


def suggest(practices: pd.DataFrame, review: Review | None = None, top: int = 3) -> pd.DataFrame:
    """For each practice (practice_id, title, description; language optional), its `top` GCM
    objectives, actions, principles and, when `review` is given, the review's guiding questions,
    long: SUGGEST_COLUMNS (kind: objective, action, question, principle; value: the objective's
    number, the action's code, the question's number, the principle's slug; rank from 1; score;
    matched: the words that matched, joined by "; ")."""
    indexes = {kind: gcm_index(kind) for kind in ("objective", "action", "principle")}
    if review is not None:
        indexes["question"] = question_index(review)
    parts = [ranked(practices, indexes[kind], top) for kind in KINDS if kind in indexes]
    out = pd.concat(parts, ignore_index=True)
    out["rank"] = out["rank"].astype(int)
    out["score"] = out["score"].astype(float)
    return out


def _listed(value: object) -> list[int]:
    """A practice's objectives: an accepted list, or a cell as submitted ("4; 11")."""
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    return [int(t) for t in re.findall(r"\d+", str(value))]


def best_actions(practices: pd.DataFrame, objective: int) -> pd.Series:
    """For each practice listing `objective`, the best-scoring action of that objective, by
    practice_id; <NA> where no word of the practice is in any of its actions."""
    objective = catalogue.check_objective(int(objective))
    mine = practices[practices["objectives"].map(lambda v: objective in _listed(v))]
    scorer = gcm_scorer("action")
    own = set(gcm.objective_actions(objective))
    columns = [i for i, v in enumerate(scorer.values) if v in own]
    out = pd.Series(pd.NA, index=pd.Index(mine["practice_id"], name="practice_id"),
                    dtype="string", name="action")
    if not len(mine):
        return out
    scores = scorer.scores(query_terms_of(mine))[:, columns]
    best = scores.argmax(axis=1)
    found = scores[np.arange(len(mine)), best] > 0
    out[found] = [scorer.values[columns[j]] for j in best[found]]
    return out


# --- the suggestions file ---------------------------------------------------------------------

# the suggestion columns of the file, after the template's, by kind
FILE_COLUMNS = {"objective": "suggested_objectives", "action": "suggested_gcm_actions",
                "question": "suggested_guiding_questions", "principle": "suggested_principles"}


def suggestion_cells(suggestions: pd.DataFrame, practice_ids: Iterable[str]) -> pd.DataFrame:
    """The long suggestions as one cell per practice and kind, by practice_id: "13 (0.41:
    detention, alternatives); 8 (0.12: ...)" (rank order; empty where nothing matched)."""
    ids = list(practice_ids)
    out = pd.DataFrame({c: [""] * len(ids) for c in FILE_COLUMNS.values()}, index=ids)
    for (pid, kind), rows in suggestions.groupby(["practice_id", "kind"], sort=False):
        rows = rows.sort_values("rank")
        out.at[pid, FILE_COLUMNS[kind]] = "; ".join(
            f"{r.value} ({r.score:.2f}: {r.matched.replace('; ', ', ')})" for r in rows.itertuples())
    return out


def suggestions_sheets(accepted: pd.DataFrame, rejected: pd.DataFrame, review: Review | None,
                       top: int = 3) -> dict[str, pd.DataFrame]:
    """The suggestions file's sheets: Practices (the accepted practices in the template's
    columns, then a suggestion column per kind) and Rejected (the rows the intake rejected, as
    submitted, with their reasons: fix them, then suggest again)."""
    from gcmtools.catalogue import contract

    names = contract.column_names("practices")
    practices = accepted.reindex(columns=names) if len(accepted) else pd.DataFrame(columns=names)
    cells = suggestion_cells(suggest(practices, review, top), practices["practice_id"])
    sheet = pd.concat([practices.reset_index(drop=True), cells.reset_index(drop=True)], axis=1)
    kept = [c for c in [*names, "source_file", "source_row", "reasons"] if c in rejected.columns]
    return {"Practices": sheet, "Rejected": rejected.reindex(columns=kept)}
