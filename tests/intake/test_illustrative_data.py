"""Checks on the ILLUSTRATIVE practices file (data/practices/illustrative_practices.csv).

The file is invented test and demonstration data (see data/practices/README.md). These tests
check that it covers what the workbook must be exercised on, that it follows the data contract,
and that the generator reproduces it byte for byte.
"""

from __future__ import annotations

import collections
import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = ROOT / "data" / "practices" / "illustrative_practices.csv"
SCRIPT = ROOT / "scripts" / "make_illustrative_practices.py"
CONTRACT = ROOT / "gcmtools" / "reference" / "contract.yaml"

UNECE_ISO3 = {
    "ALB",
    "AND",
    "ARM",
    "AUT",
    "AZE",
    "BLR",
    "BEL",
    "BIH",
    "BGR",
    "CAN",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "GEO",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "IRL",
    "ISR",
    "ITA",
    "KAZ",
    "KGZ",
    "LVA",
    "LIE",
    "LTU",
    "LUX",
    "MLT",
    "MCO",
    "MNE",
    "NLD",
    "MKD",
    "NOR",
    "POL",
    "PRT",
    "MDA",
    "ROU",
    "RUS",
    "SMR",
    "SRB",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
    "CHE",
    "TJK",
    "TUR",
    "TKM",
    "UKR",
    "GBR",
    "USA",
    "UZB",
}
assert len(UNECE_ISO3) == 56
# Real-world spellings the file must contain, so that country resolution gets exercised.
SPELLINGS = {
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Republic of Moldova": "MDA",
    "Czechia": "CZE",
    "Czech Republic": "CZE",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
}
ROUNDTABLE_OBJECTIVES = [4, 8, 9, 10, 11, 13, 21]
# Guiding question -> GCM objectives it belongs to (Q5's second part also covers 4, 8, 11).
QUESTION_OBJECTIVES = {1: {4}, 2: {11}, 3: {8, 11}, 4: {9}, 5: {10, 4, 8, 11}, 6: {13}}
COMMON_PRINCIPLES = [
    "gender-responsive",
    "child-sensitive",
    "whole-of-government",
    "whole-of-society",
    "human-rights",
]
URL_HOSTS = {"www.example.org", "example.org", "example.gov", "www.example.gov"}


@pytest.fixture(scope="module")
def contract():
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw() -> bytes:
    return CSV_PATH.read_bytes()


@pytest.fixture(scope="module")
def header(raw):
    return next(csv.reader(io.StringIO(raw.decode("utf-8"))))


@pytest.fixture(scope="module")
def rows(raw):
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def resolve(token: str) -> str:
    return SPELLINGS.get(token, token)


def count_multi(rows, column) -> collections.Counter:
    counter = collections.Counter()
    for row in rows:
        counter.update(split(row[column]))
    return counter


# ------------------------------------------------------------------ format and contract
def test_encoding_and_line_endings(raw):
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")


def test_columns_follow_contract(header, contract):
    expected = [c["name"] for c in contract["practices"]["columns"]]
    assert header == expected


def test_required_fields_filled(rows, contract):
    required = [c["name"] for c in contract["practices"]["columns"] if c["required"]]
    for row in rows:
        for name in required:
            assert row[name].strip(), (row["practice_id"], name)


def test_vocabularies(rows, contract):
    voc = contract["vocabularies"]
    for row in rows:
        assert row["submitter_type"] in voc["submitter_types"], row["practice_id"]
        assert row["practice_type"] in voc["practice_types"], row["practice_id"]
        assert row["status"] in voc["statuses"], row["practice_id"]
        assert row["covid19"] in voc["yes_no"], row["practice_id"]
        for group in split(row["target_groups"]):
            assert group in voc["target_groups"], (row["practice_id"], group)


def test_list_separator(rows):
    for row in rows:
        for column in (
            "country",
            "objectives",
            "guiding_questions",
            "principles",
            "target_groups",
            "partners",
        ):
            value = row[column]
            if value:
                assert "; ".join(split(value)) == value, (row["practice_id"], column, value)


# ------------------------------------------------------------------ identifiers and size
def test_ids_unique_illustrative_and_sorted(rows):
    ids = [r["practice_id"] for r in rows]
    assert len(rows) >= 170
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"ILL-\d{4}", i) for i in ids)
    assert ids == sorted(ids)


# ------------------------------------------------------------------ submitters
def test_member_states_and_stakeholders(rows, contract):
    states = {
        resolve(split(r["country"])[0]) for r in rows if r["submitter_type"] == "member_state"
    }
    assert states <= UNECE_ISO3
    assert len(states) >= 32
    stakeholders = {r["submitter"] for r in rows if r["submitter_type"] != "member_state"}
    assert len(stakeholders) >= 18
    used_types = {r["submitter_type"] for r in rows}
    assert used_types == set(contract["vocabularies"]["submitter_types"])


# ------------------------------------------------------------------ countries
def test_countries(rows):
    tokens = collections.Counter()
    for row in rows:
        parts = split(row["country"])
        assert parts, row["practice_id"]
        tokens.update(parts)
        for token in parts:
            assert token == "UNECE" or resolve(token) in UNECE_ISO3, (row["practice_id"], token)
    assert not any("kosovo" in t.lower() for t in tokens)
    for spelling in SPELLINGS:
        assert tokens[spelling] >= 1, f"spelling {spelling!r} missing"
    assert tokens["UNECE"] >= 3
    assert sum(1 for r in rows if len(split(r["country"])) > 1) >= 5
    iso_rows = sum(1 for r in rows if all(t in UNECE_ISO3 for t in split(r["country"])))
    assert iso_rows > len(rows) * 0.8, "mostly ISO3 codes"


# ------------------------------------------------------------------ objectives and questions
def test_objectives(rows):
    counts = collections.Counter()
    outside = 0
    for row in rows:
        objectives = [int(o) for o in split(row["objectives"])]
        assert all(1 <= o <= 23 for o in objectives), row["practice_id"]
        assert len(set(objectives)) == len(objectives), row["practice_id"]
        assert set(objectives) & set(ROUNDTABLE_OBJECTIVES), row["practice_id"]
        counts.update(objectives)
        outside += any(o not in ROUNDTABLE_OBJECTIVES for o in objectives)
    for objective in ROUNDTABLE_OBJECTIVES:
        assert counts[objective] >= 12, (objective, counts[objective])
    assert sum(1 for r in rows if len(split(r["objectives"])) > 1) >= 10
    assert 1 <= outside <= len(rows) * 0.1, "a handful name an objective outside the roundtable"


def test_guiding_questions(rows):
    counts = collections.Counter()
    for row in rows:
        objectives = {int(o) for o in split(row["objectives"])}
        for q in split(row["guiding_questions"]):
            question = int(q)
            assert question in QUESTION_OBJECTIVES, (row["practice_id"], q)
            assert objectives & QUESTION_OBJECTIVES[question], (row["practice_id"], q)
            counts[question] += 1
    for question in QUESTION_OBJECTIVES:
        assert counts[question] >= 8, (question, counts[question])
    assert any(not r["guiding_questions"] for r in rows)


# ------------------------------------------------------------------ principles
def test_principles(rows):
    allowed = {
        "people-centred",
        "international-cooperation",
        "national-sovereignty",
        "rule-of-law",
        "sustainable-development",
        "human-rights",
        "gender-responsive",
        "child-sensitive",
        "whole-of-government",
        "whole-of-society",
    }
    counts = collections.Counter()
    for row in rows:
        principles = split(row["principles"])
        assert 1 <= len(principles) <= 4, row["practice_id"]
        assert len(set(principles)) == len(principles), row["practice_id"]
        assert set(principles) <= allowed, row["practice_id"]
        counts.update(principles)
    for principle in allowed:
        assert counts[principle] >= 5, (principle, counts[principle])
    for principle in COMMON_PRINCIPLES:
        assert 25 <= counts[principle] < len(rows), (principle, counts[principle])


# ------------------------------------------------------------------ COVID-19, years, status
def test_covid(rows):
    covid = [r for r in rows if r["covid19"] == "yes"]
    assert len(covid) >= 15
    assert all(int(r["year_start"]) >= 2020 for r in covid)


def test_years_and_status(rows):
    for row in rows:
        pid = row["practice_id"]
        start = int(row["year_start"])
        assert 2012 <= start <= 2021, pid
        end = int(row["year_end"]) if row["year_end"] else None
        if end is not None:
            assert end >= start, pid
        if row["status"] == "completed":
            assert end is not None and end <= 2021, pid
        if row["status"] == "planned":
            assert start in (2020, 2021), pid
        if row["status"] == "ongoing" and end is not None:
            assert end >= 2021, pid
    statuses = collections.Counter(r["status"] for r in rows)
    assert all(statuses[s] >= 3 for s in ("planned", "ongoing", "completed"))


# ------------------------------------------------------------------ sources, language, partners
def test_source_refs(rows):
    empty = urls = docs = 0
    for row in rows:
        ref = row["source_ref"]
        if not ref:
            empty += 1
        elif ref.startswith(("http://", "https://")):
            urls += 1
            parsed = urlparse(ref)
            assert parsed.scheme == "https", ref
            assert parsed.hostname in URL_HOSTS, ref
        else:
            docs += 1
    assert min(empty, urls, docs) >= 15, (empty, urls, docs)


def test_languages(rows):
    counts = collections.Counter(r["language"] for r in rows)
    assert set(counts) <= {"en", "fr", "ru", "de", "es"}
    assert counts["en"] > len(rows) / 2
    for lang in ("fr", "ru", "de", "es"):
        assert counts[lang] >= 1, lang


def test_partners(rows):
    counts = count_multi(rows, "partners")
    assert any(not r["partners"] for r in rows)
    for org in ("IOM", "UNHCR", "UNODC", "UNICEF", "OHCHR", "Frontex", "OSCE", "ICRC"):
        assert counts[org] >= 1, org


# ------------------------------------------------------------------ texts
def test_texts_varied_and_clean(rows):
    titles = [r["title"] for r in rows]
    descriptions = [r["description"] for r in rows]
    assert len(set(titles)) == len(titles), "each practice has its own title"
    assert len(set(descriptions)) == len(descriptions)
    # not one template with names swapped: openings of descriptions vary widely
    openings = {" ".join(d.split()[:3]) for d in descriptions}
    assert len(openings) >= 100
    sentence_end = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"])")
    for row in rows:
        for column in ("title", "description"):
            text = row[column]
            assert text == text.strip() and "  " not in text, (row["practice_id"], column)
            assert not re.search(r"[{}]", text), (row["practice_id"], column)
        sentences = sentence_end.split(row["description"])
        assert 1 <= len(sentences) <= 3, (row["practice_id"], len(sentences))
        assert len(row["description"]) >= 80, row["practice_id"]


# ------------------------------------------------------------------ reproducibility
def test_generator_reproduces_file(tmp_path, raw):
    out = tmp_path / "practices.csv"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], check=True, env=env, capture_output=True
    )
    assert out.read_bytes() == raw
