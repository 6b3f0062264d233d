"""The reference catalogue: objectives, principles, States, reviews, country names."""

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
        "id: my-review\nreview: Test review\nroundtable: {number: 1, title: Labour, objectives: [5, 6]}\n"
        "guiding_questions:\n  - {number: 1, text: Which practices, objectives: [6]}\n", encoding="utf-8")
    review = catalogue.load_review(f)
    assert review.objectives == (5, 6) and review.questions_for(6)[0].text == "Which practices"


def test_review_naming_an_unknown_objective_is_refused(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("id: bad\nreview: Bad\nroundtable: {objectives: [4, 30]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="objective 30"):
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
