"""The GCM's actions as reference data: every action of the transcription read, each correction
recorded and applied, a label per action; a bad reference file is refused naming file and key.

Expected counts and texts are recomputed from the raw Markdown with plain `re`, not through
the parser under test."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT
from gcmtools import catalogue
from gcmtools.catalogue import gcm
from gcmtools.catalogue.models import ModelError

RAW = gcm.transcription_file().read_text(encoding="utf-8")
SPEC = yaml.safe_load(gcm.ACTIONS_FILE.read_text(encoding="utf-8"))


def raw_letters() -> dict[int, str]:
    """Objective -> the letters of its actions, as the raw file lists them."""
    out = {}
    for block in re.split(r"^# Objective ", RAW, flags=re.M)[1:]:
        number = int(block.split("\n", 1)[0])
        out[number] = "".join(re.findall(r"^- ([a-z])\. ", block, flags=re.M))
    return out


def raw_part(objective: int, part: str) -> str:
    block = re.split(r"^# Objective ", RAW, flags=re.M)[objective]
    if part == "title":
        return re.search(r"^## Title: (.*)$", block, flags=re.M).group(1)
    if part == "commitment":
        return re.search(r"^## Title: .*\n(We commit.*)$", block, flags=re.M).group(1)
    return re.search(rf"^- {part}\. (.*)$", block, flags=re.M).group(1)


def test_every_action_of_every_objective_is_read():
    table = gcm.actions()
    expected = raw_letters()
    assert len(table) == sum(len(v) for v in expected.values()) == 187
    for number, letters in expected.items():
        assert "".join(table.loc[table["objective"] == number, "letter"]) == letters, number
    assert list(table.columns) == ["code", "objective", "letter", "label", "text"]
    assert table["objective"].dtype.kind == "i"


def test_the_roundtable_objectives_have_their_actions():
    review = catalogue.load_review(catalogue.DEFAULT_REVIEW)
    expected = raw_letters()
    for number in review.objectives:
        codes = gcm.objective_actions(number)
        assert codes == [f"{number}{letter}" for letter in expected[number]]
    assert gcm.objective_actions(13) == [f"13{c}" for c in "abcdefgh"]
    assert gcm.actions().loc["13h", "label"] == "End child detention"
    assert gcm.actions().loc["13a", "label"] == "Independent monitoring of detention"


def test_every_action_has_a_short_label():
    labels = gcm.actions()["label"]
    assert labels.str.len().gt(0).all()
    assert labels.str.split().str.len().le(7).all(), labels[labels.str.split().str.len() > 7]


def test_each_correction_is_in_the_raw_text_and_applied():
    table = gcm.actions()
    for c in SPEC["corrections"]:
        n, part = c["objective"], c["part"]
        assert raw_part(n, part).count(c["found"]) == 1, c
        if part == "title":
            now = catalogue.objective_title(n)
        elif part == "commitment":
            now = gcm.commitment(n)
        else:
            now = table.loc[f"{n}{part}", "text"]
        assert c["fixed"] in now and c["found"] not in now, c
    assert catalogue.objective_title(13).startswith("Use migration detention")


def test_every_spacing_defect_of_the_raw_text_is_a_recorded_correction():
    """Each comma without a space after it, space before a comma, double space or footnote number
    in the raw text is inside one recorded `found`; none is left in the corrected text."""
    defects = re.compile(r"\S,[^\s\d]\S*| ,|\S  \S|[a-z]\d+ ")
    recorded = [c["found"] for c in SPEC["corrections"]]
    for m in defects.finditer(RAW.replace(" \n", "\n")):
        assert any(m.group(0) in f for f in recorded), m.group(0)
    texts = list(gcm.actions()["text"]) + [gcm.commitment(n) for n in catalogue.objective_numbers()]
    assert not [t for t in texts if defects.search(t)]
    assert all(t.endswith(".") for t in gcm.actions()["text"])


def test_commitment_is_the_paragraph_that_opens_with_we_commit():
    assert gcm.commitment(13) == raw_part(13, "commitment").strip()
    assert gcm.commitment(8).startswith("We commit to cooperate internationally to save lives")
    with pytest.raises(ValueError, match="objective 24 is not a GCM objective"):
        gcm.commitment(24)


@pytest.mark.parametrize(("code", "message"), [
    ("13i", "action '13i' is not a GCM action: objective 13 has actions 13a-13h"),
    ("31a", r"action '31a' is not a GCM action: .*did you mean 13a\?"),
    ("13A", r"did you mean 13a\?"),
    ("x", "action 'x' is not a GCM action: an action is an objective's number and a letter"),
])
def test_check_action_names_the_code_and_what_was_meant(code, message):
    assert gcm.check_action("13h") == "13h"
    with pytest.raises(ValueError, match=message):
        gcm.check_action(code)


def _read(tmp_path, spec: dict):
    path = tmp_path / "my-actions.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return gcm.read_actions(gcm.transcription_file(), path)



def test_the_shipped_file_reads_the_same_from_a_copy(tmp_path):
    table, commitments = _read(tmp_path, SPEC)
    assert table.equals(gcm.actions()) and commitments[13] == gcm.commitment(13)


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.update(labls=s.pop("labels")), r"my-actions.yaml: unknown key 'labls'"),
    (lambda s: s["labels"][13].pop("h"), r"my-actions.yaml: key 'labels.13.h' is missing"),
    (lambda s: s["labels"][13].update(z="Nothing"), r"key 'labels.13.z': action 13z is not in the"),
    (lambda s: s["labels"].update({24: {"a": "x"}}), r"key 'labels\[24\]': objective 24 is not a GCM objective"),
    (lambda s: s["corrections"][0].update(found="accurate ; reliable"),
     r"key 'corrections\[0\].found': 'accurate ; reliable' is 0 times in objective 1 commitment"),
    (lambda s: s["corrections"][0].pop("why"), r"key 'corrections\[0\].why' is missing"),
    (lambda s: s["corrections"][0].update(part="preamble"), r"key 'corrections\[0\].part'"),
    (lambda s: s.update(headings=[]), r"key 'headings': objective 2 has a line 'Natural disasters"),
    (lambda s: s["corrections"].pop(11), r"objective 13's title reads 'Use immigration detention"),
])
def test_a_bad_actions_file_is_refused_naming_file_and_key(tmp_path, change, message):
    spec = yaml.safe_load(gcm.ACTIONS_FILE.read_text(encoding="utf-8"))
    change(spec)
    with pytest.raises(ModelError, match=message):
        _read(tmp_path, spec)


def test_a_transcription_that_is_not_there_names_the_path(tmp_path):
    with pytest.raises(ModelError, match=r"gcms_long.md: cannot be read .*the checkout that holds gcmtools"):
        gcm.read_actions(tmp_path / "gcm_framework" / "gcms_long.md")


def test_a_project_without_the_gcm_text_reads_the_checkout_s(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))
    assert gcm.transcription_file() == ROOT / "data" / "gcm_framework" / "gcms_long.md"
    (tmp_path / "data" / "gcm_framework").mkdir(parents=True)
    (tmp_path / "data" / "gcm_framework" / "gcms_long.md").write_text("# Objective 1\n", encoding="utf-8")
    assert gcm.transcription_file() == tmp_path / "data" / "gcm_framework" / "gcms_long.md"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("- k. Cooperate with relevant", "- m. Cooperate with relevant",
     r"gcms_long.md: line 1: objective 1's actions are a, b, c, d, e, f, g, h, i, j, m, not a, b, c"),
    ("- c. Develop a global programme", "- b. Develop a global programme",
     r"gcms_long.md: line 8: objective 1 lists action b twice"),
    ("# Objective 23", "# Objective 24", r"objectives 1, 2, .*, 22, 24 found, the GCM.s are 1-23"),
    ("## Title: Save lives", "Save lives", r"line 113: objective 8 lacks its title"),
])
def test_a_transcription_that_does_not_fit_is_refused_naming_the_line(tmp_path, old, new, message):
    path = tmp_path / "gcms_long.md"
    assert RAW.count(old) == 1
    path.write_text(RAW.replace(old, new), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        gcm.read_actions(path)
