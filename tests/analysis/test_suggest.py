"""Suggestions on practices written in the test in English, French and Russian: the objectives,
actions, questions and principles their words speak to, each with its score and matched words;
best_actions per objective, <NA> where no word matches."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import catalogue
from gcmtools.analysis import suggest as sg
from gcmtools.catalogue import gcm

PRACTICES = pd.DataFrame({
    "practice_id": ["EN-1", "FR-1", "RU-1", "EN-2", "NONE"],
    "title": ["Ending the detention of migrant children",
              "Alternatives à la rétention pour les familles avec enfants",
              "Горячая линия для жертв торговли людьми",
              "Search and rescue at sea",
              "Lorem ipsum"],
    "description": [
        "Families with children are no longer held in immigration detention; they are placed in "
        "community-based care.",
        "Les familles avec enfants ne sont plus placées en centre de rétention : assignation à "
        "résidence et accompagnement social.",
        "Круглосуточная горячая линия помогает жертвам торговли людьми получить защиту и "
        "юридическую помощь.",
        "The coast guard coordinates search and rescue operations for boats in distress and "
        "records the migrants who died or went missing.",
        "Dolor sit amet.",
    ],
    "language": ["en", "", "", "en", "en"],
    "objectives": [[13], [13], [10], [8], [13]],
})


@pytest.fixture(scope="module")
def review():
    return catalogue.load_review(catalogue.DEFAULT_REVIEW)


@pytest.fixture(scope="module")
def suggestions(review):
    return sg.suggest(PRACTICES, review)


def top(suggestions, pid, kind):
    rows = suggestions[(suggestions["practice_id"] == pid) & (suggestions["kind"] == kind)]
    return list(rows.sort_values("rank")["value"])


def test_the_long_table_has_its_columns_kinds_and_ranks(suggestions):
    assert list(suggestions.columns) == sg.SUGGEST_COLUMNS
    assert set(suggestions["kind"]) == set(sg.KINDS)
    for _, rows in suggestions.groupby(["practice_id", "kind"]):
        assert list(rows["rank"]) == list(range(1, len(rows) + 1)) and len(rows) <= 3
        assert rows["score"].is_monotonic_decreasing and (rows["score"] > 0).all()
    assert (suggestions["matched"] != "").all()


@pytest.mark.parametrize(("pid", "objective", "action", "question"), [
    ("EN-1", "13", "13h", "6"),
    ("FR-1", "13", "13b", "6"),
    ("RU-1", "10", "10h", "5"),
    ("EN-2", "8", "8a", None),
])
def test_each_language_finds_its_objective_action_and_question(suggestions, pid, objective, action,
                                                               question):
    assert top(suggestions, pid, "objective")[0] == objective
    assert action in top(suggestions, pid, "action")
    if question:
        assert top(suggestions, pid, "question")[0] == question


def test_the_matched_words_are_the_practices_and_the_documents(suggestions):
    row = suggestions[(suggestions["practice_id"] == "EN-1") & (suggestions["kind"] == "action")
                      & (suggestions["value"] == "13h")].iloc[0]
    words = row["matched"].split("; ")
    assert "detention" in words
    text = gcm.actions().loc["13h", "text"].lower()
    practice = (PRACTICES.loc[0, "title"] + " " + PRACTICES.loc[0, "description"]).lower()
    assert all(w[:5] in text and w[:5] in practice for w in words)
    fr = suggestions[(suggestions["practice_id"] == "FR-1") & (suggestions["value"] == "13")]
    assert "detention" in fr.iloc[0]["matched"]  # rétention, through the glossary


def test_a_text_with_no_word_of_the_gcm_gets_no_suggestion(suggestions):
    assert suggestions[suggestions["practice_id"] == "NONE"].empty


def test_questions_only_when_a_review_is_given():
    assert "question" not in set(sg.suggest(PRACTICES.head(1))["kind"])


def test_languages_are_detected_only_where_empty():
    assert list(sg.practice_languages(PRACTICES)) == ["en", "fr", "ru", "en", "en"]
    given = PRACTICES.assign(language=["de", "fr", "ru", "", "en"])
    assert list(sg.practice_languages(given)) == ["en", "fr", "ru", "en", "en"]


def test_best_actions_per_objective_and_na_where_nothing_matches(suggestions):
    best = sg.best_actions(PRACTICES, 13)
    assert list(best.index) == ["EN-1", "FR-1", "NONE"]
    assert best["EN-1"] == "13h" and best["FR-1"] == top(suggestions, "FR-1", "action")[0]
    assert pd.isna(best["NONE"])
    assert list(sg.best_actions(PRACTICES, 10)) == [top(suggestions, "RU-1", "action")[0]]
    assert sg.best_actions(PRACTICES, 21).empty
    submitted = PRACTICES.assign(objectives=["13", "13", "10", "8; 11", "13"])  # cells as submitted
    assert sg.best_actions(submitted, 8).tolist() == ["8a"]
    with pytest.raises(ValueError, match="objective 24 is not a GCM objective"):
        sg.best_actions(PRACTICES, 24)


def test_the_index_is_built_once_per_process():
    assert sg.gcm_index("action") is sg.gcm_index("action")
    assert len(sg.gcm_index("action").values) == len(gcm.actions())


def test_the_command_line_and_the_build_do_not_import_the_retrieval_libraries():
    code = ("import sys, gcmtools.cli, gcmtools.build, gcmtools.brief, gcmtools.analysis.suggest; "
            "print(sorted(m for m in ('sklearn', 'Stemmer', 'lingua', 'scipy') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
