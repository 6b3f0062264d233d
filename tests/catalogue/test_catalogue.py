"""The reference catalogue: objectives, principles, States, reviews, country names."""

import json
import re

import pytest

from conftest import ROOT
from gcmtools import catalogue


def test_23_objectives_with_official_titles():
    obj = catalogue.objectives()
    assert list(obj["number"]) == list(range(1, 24))
    assert obj["title"].str.len().min() > 20
    assert obj["label"].str.len().min() > 3
    assert catalogue.objective_title(13) == (
        "Use migration detention only as a measure of last resort and work towards alternatives"
    )


def test_titles_match_the_resolution_text_except_documented_corrections():
    text = (ROOT / "data/gcm_framework/gcms_long.md").read_text(encoding="utf-8")
    source = {int(n): t.strip() for n, t in re.findall(r"# Objective (\d+)\n## Title: (.+)", text)}
    obj = catalogue.objectives()
    for n, title in source.items():
        if obj.loc[n, "correction"]:
            assert title != obj.loc[n, "title"]
        else:
            assert title == obj.loc[n, "title"], n
    assert list(obj.index[obj["correction"] != ""]) == [13]


def test_10_principles_with_their_slugs():
    assert list(catalogue.principles()["slug"]) == [
        "people-centred", "international-cooperation", "national-sovereignty", "rule-of-law",
        "sustainable-development", "human-rights", "gender-responsive", "child-sensitive",
        "whole-of-government", "whole-of-society",
    ]


def test_56_unece_states():
    states = catalogue.unece_states()
    assert len(states) == 56 and states["iso3"].is_unique
    assert {"ARM", "USA", "CAN", "ISR", "TUR", "GBR", "MDA", "UZB"} <= set(states["iso3"])
    assert "XKX" not in set(states["iso3"])
    assert states["subregion"].ne("").all()


def test_roundtable_3_as_data():
    review = catalogue.load_review("unece-2020-rt3")
    assert review.roundtable_number == 3
    assert review.roundtable_title == "Rights-based border governance"
    assert review.objectives == (4, 8, 9, 10, 11, 13, 21)
    qs = {q.number: q.objectives for q in review.guiding_questions}
    assert qs == {1: (4,), 2: (11,), 3: (8, 11), 4: (9,), 5: (10, 4, 8, 11), 6: (13,)}
    q5 = review.guiding_questions[4]
    assert [p["objectives"] for p in q5.parts] == [[10], [4, 8, 11]]
    assert [c["id"] for c in review.cross_cutting] == ["covid19"]
    assert [q.number for q in review.questions_for(11)] == [2, 3, 5]


def test_another_review_is_a_data_file(tmp_path):
    f = tmp_path / "my-review.yaml"
    f.write_text(
        "id: my-review\nreview: Test review\nperiod: 2021-2022\n"
        "roundtable: {number: 1, title: Labour, objectives: [5, 6]}\n"
        "guiding_questions:\n  - {number: 1, short: Practices, text: Which practices, objectives: [6]}\n",
        encoding="utf-8")
    review = catalogue.load_review(f)
    assert review.objectives == (5, 6) and review.questions_for(6)[0].text == "Which practices"


def test_review_naming_an_unknown_objective_is_refused(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("id: bad\nreview: Bad\nperiod: 2020\nroundtable: {number: 1, title: T, objectives: [4, 30]}\n",
                 encoding="utf-8")
    with pytest.raises(ValueError, match="key 'roundtable.objectives\\[1\\]': objective 30 is not a GCM objective"):
        catalogue.load_review(f)


@pytest.mark.parametrize("name, iso3", [
    ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Republic of Moldova", "MDA"),
    ("Czech Republic", "CZE"), ("Czechia", "CZE"), ("Kosovo", "XKX"),
    ("Kosovo (under UNSC res. 1244)", "XKX"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("Côte d'Ivoire", "CIV"), ("Germany (until 1990 former territory of the FRG)", "DEU"),
    ("Netherlands (Kingdom of the)", "NLD"), ("ARM", "ARM"), ("  Georgia ", "GEO"),
])
def test_country_spellings_resolve(name, iso3):
    assert catalogue.resolve_country(name) == iso3


@pytest.mark.parametrize("name", ["Narnia", "", "European Union - 27 countries (from 2020)"])
def test_unresolvable_or_aggregate_is_not_a_country(name):
    assert catalogue.resolve_country(name) is None


def test_aggregates_have_their_own_codes():
    assert catalogue.aggregate_code("European Union - 27 countries (from 2020)") == "EU27_2020"
    assert catalogue.aggregate_code("European Union - 28 countries (2013-2020)") == "EU28"
    assert catalogue.aggregate_code("UNECE") == "UNECE"
    assert catalogue.aggregate_code("Armenia") is None


# --- the roundtable's own words ---------------------------------------------------------------

NOTE = ROOT / "gcmtools" / "reference" / "reviews" / "unece-2020-rt3-background-note.txt"
SHARED_NOTE = ROOT.parent / "shared" / "review" / "roundtable-3-background-note.txt"


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as one space."""
    return " ".join(text.split())


def test_the_background_note_is_shipped_unmodified():
    if not SHARED_NOTE.exists():
        pytest.skip("the shared copy of the note is not beside this checkout")
    assert NOTE.read_bytes() == SHARED_NOTE.read_bytes()


def test_every_guiding_question_is_the_notes_word_for_word():
    note = flat(NOTE.read_text(encoding="utf-8"))
    review = catalogue.load_review("unece-2020-rt3")
    assert review.background_note == NOTE.name
    assert len(review.guiding_questions) == 6
    for q in review.guiding_questions:
        texts = [p["text"] for p in q.parts] or [q.text]
        for text in texts:
            assert text in note, (q.number, text)
        # quoted with its objectives, the question is the note's numbered line itself
        assert f"{q.number}. {q.quoted}" in note, q.number
    assert review.questions_preamble in note
    assert review.questions_preamble.startswith(
        "All guiding questions should be assessed through the prism of the GCM’s guiding")


def test_question_5_keeps_its_second_sentence_with_its_own_objectives():
    q5 = catalogue.load_review("unece-2020-rt3").guiding_questions[4]
    assert [p["objectives"] for p in q5.parts] == [[10], [4, 8, 11]]
    assert q5.parts[1]["text"] == ("Does the current level of bilateral and regional cooperation "
                                   "suffice to ensure a human-rights based approach to border "
                                   "management systems?")
    assert q5.text == f"{q5.parts[0]['text']} {q5.parts[1]['text']}"
    assert q5.quoted.endswith("border management systems? (GCM objectives 4, 8 and 11)")
    assert "(GCM objective 10) Does the current" in q5.quoted
    assert q5.short == "Cooperation against trafficking"  # our label, not the note's


def test_no_wording_notice_is_left():
    for path in [*(ROOT / "gcmtools").rglob("*.py"), *(ROOT / "gcmtools").rglob("*.yaml"),
                 ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "wording_status" not in text and "concept note" not in text, path
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        sources = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
        assert "wording_status" not in sources and "concept note" not in sources, path


def test_background_materials_are_the_notes_titles():
    note = flat(NOTE.read_text(encoding="utf-8"))
    materials = catalogue.load_review("unece-2020-rt3").background_materials
    assert len(materials) == 6
    for m in materials:
        assert f"{m['kind']}](#): {m['title']}" in note, m
        assert f"{m['publisher']} [{m['kind']}" in note if m["publisher"] else True
    assert [m["publisher"] for m in materials].count("UN Network on Migration") == 3


@pytest.mark.parametrize("text, years", [
    ("2019-2020", (2019, 2020)), ("2020", (2020, 2020)), (" 2022 - 2023 ", (2022, 2023)),
    ("2019–2020", (2019, 2020)), ("", None)])
def test_review_period_parsing(text, years):
    assert catalogue.parse_period(text) == years


@pytest.mark.parametrize("text", ["2020-2019", "last two years", "19-20", "2019-2020-2021"])
def test_a_review_period_that_is_not_years_is_refused(tmp_path, text):
    with pytest.raises(ValueError):
        catalogue.parse_period(text)
    f = tmp_path / "bad-period.yaml"
    f.write_text(f"id: x\nreview: X\nperiod: '{text}'\nroundtable: {{number: 1, title: T, objectives: [4]}}\n",
                 encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad-period.yaml: key 'period'"):
        catalogue.load_review(f)


def test_the_shipped_review_period():
    assert catalogue.load_review("unece-2020-rt3").period_years == (2019, 2020)


@pytest.mark.parametrize("iso3, name", [
    ("TUR", "Türkiye"), ("MDA", "Republic of Moldova"), ("CZE", "Czechia"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("NLD", "Netherlands (Kingdom of the)"), ("MKD", "North Macedonia"),
    ("RUS", "Russian Federation"), ("USA", "United States of America"), ("XKX", "Kosovo"),
    ("IRN", "Iran (Islamic Republic of)"), ("EU27_2020", "European Union - 27 countries (from 2020)"),
])
def test_country_names_as_the_un_writes_them(iso3, name):
    assert catalogue.country_name(iso3) == name


def test_every_unece_state_resolves_from_its_un_name():
    states = catalogue.unece_states()
    assert not states["name"].str.contains(r"Turkey|Czech Republic|Moldova, Republic|Macedonia,",
                                           regex=True).any()
    for iso3, name in zip(states["iso3"], states["name"]):
        assert catalogue.resolve_country(name) == iso3


def test_editorial_texts():
    texts = catalogue.editorial()
    assert texts["disclaimer"].startswith("The designations employed and the presentation of the "
                                          "material in this publication do not imply the expression "
                                          "of any opinion whatsoever on the part of the Secretariat "
                                          "of the United Nations concerning the legal status")
    assert texts["disclaimer"].endswith("or concerning the delimitation of its frontiers or "
                                        "boundaries.")
    assert texts["kosovo_footnote"] == ("References to Kosovo shall be understood to be in the "
                                        "context of Security Council resolution 1244 (1999).")
    assert catalogue.mentions_kosovo(["Pristina, Kosovo", "x"])
    assert catalogue.mentions_kosovo(["XKX"]) and not catalogue.mentions_kosovo(["Kosovska", "ARM"])
