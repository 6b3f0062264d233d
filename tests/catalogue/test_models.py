"""Every reference file parsed into a validated model: a misspelt or missing key, and each
cross-check, refused with the file, the key and the value named; the shipped files load."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from gcmtools import catalogue, store
from gcmtools.catalogue import indicators as ind
from gcmtools.catalogue import keyfigure_specs as kfs
from gcmtools.catalogue import models, reviews, texts
from gcmtools.paths import REFERENCE_DIR

REVIEW = reviews.REVIEWS_DIR / "unece-2020-rt3.yaml"
NOTE = reviews.REVIEWS_DIR / "unece-2020-rt3-background-note.txt"


def shipped(path) -> dict:
    return store.load_yaml(path.read_text(encoding="utf-8"))


def write(tmp_path, name: str, data: dict):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def at(data: dict, where: tuple) -> dict:
    for step in where:
        data = data[step]
    return data


def read_review(tmp_path, data: dict) -> catalogue.Review:
    """The review `data` read as a file beside a copy of its background note."""
    shutil.copy(NOTE, tmp_path / NOTE.name)
    return catalogue.load_review(write(tmp_path, "my-review.yaml", data))


def read_indicators(tmp_path, data: dict):
    return models.load(ind.IndicatorCatalogue, write(tmp_path, "my-indicators.yaml", data))


def read_key_figures(tmp_path, data: dict):
    return models.load(kfs.KeyFigureSpecs, write(tmp_path, "my-key-figures.yaml", data))


def read_editorial(tmp_path, data: dict):
    return models.load(texts.Editorial, write(tmp_path, "my-editorial.yaml", data))


READERS = {"review": (REVIEW, read_review, "my-review.yaml"),
           "indicators": (REFERENCE_DIR / "indicators.yaml", read_indicators, "my-indicators.yaml"),
           "key_figures": (REFERENCE_DIR / "key_figures.yaml", read_key_figures, "my-key-figures.yaml"),
           "editorial": (REFERENCE_DIR / "editorial.yaml", read_editorial, "my-editorial.yaml")}

# (model, file, where one of its records is in the file, a key the model requires)
EVERY_MODEL = [
    ("Editorial", "editorial", (), "disclaimer"),
    ("IndicatorCatalogue", "indicators", (), "published_figures"),
    ("Conventions", "indicators", ("conventions",), "not_recorded_geo"),
    ("Indicator", "indicators", ("indicators", "mmp_dead"), "caveat"),
    ("PublishedFigure", "indicators", ("published_figures", 0), "vintage"),
    ("Spellings", "indicators", ("spellings",), "age"),
    ("KeyFigureSpecs", "key_figures", (), "objectives"),
    ("ObjectiveShows", "key_figures", ("objectives", 8), "figures"),
    ("FigureSpec", "key_figures", ("objectives", 8, "figures", 1), "indicator"),
    ("SeriesSpec (trend)", "key_figures", ("objectives", 9, "trend", 0), "title"),
    ("SeriesSpec (comparison)", "key_figures", ("objectives", 10, "comparison", 0), "indicator"),
    ("ReviewFile", "review", (), "review"),
    ("Roundtable", "review", ("roundtable",), "title"),
    ("QuestionEntry", "review", ("guiding_questions", 2), "short"),
    ("QuestionPart", "review", ("guiding_questions", 4, "parts", 1), "text"),
    ("Material", "review", ("background_materials", 3), "publisher"),
    ("CrossCutting", "review", ("cross_cutting", 0), "title"),
    ("CitedFigure", "review", ("cited_figures", 0), "quote"),
    ("ComparedWith", "review", ("cited_figures", 0, "compared_with"), "indicator"),
]


def key_name(where: tuple, key: str) -> str:
    return models.key_path((*where, key))


@pytest.mark.parametrize("model, file, where, key", EVERY_MODEL, ids=[m[0] for m in EVERY_MODEL])
def test_a_misspelt_key_is_refused_naming_file_and_key(tmp_path, model, file, where, key):
    path, read, name = READERS[file]
    data = shipped(path)
    record = at(data, where)
    misspelt = key[:-2] + key[-1] + key[-2]  # two letters swapped: "disclaimre"
    record[misspelt] = record.pop(key)
    with pytest.raises(models.ModelError) as exc:
        read(tmp_path, data)
    message = str(exc.value)
    assert f"{name}: unknown key {key_name(where, misspelt)!r}" in message, message
    assert "is it misspelt?" in message
    assert f"{name}: key {key_name(where, key)!r} is missing" in message, message


@pytest.mark.parametrize("model, file, where, key", EVERY_MODEL, ids=[m[0] for m in EVERY_MODEL])
def test_a_missing_required_key_is_refused_naming_file_and_key(tmp_path, model, file, where, key):
    path, read, name = READERS[file]
    data = shipped(path)
    del at(data, where)[key]
    with pytest.raises(models.ModelError, match="^[^ ]*/" + f"{name}: key '{key_name(where, key)}' is missing$".
                       replace("[", r"\[").replace("]", r"\]")):
        read(tmp_path, data)


# --- the shipped files --------------------------------------------------------------------------


def test_the_shipped_reference_files_load():
    review = models.load(reviews.ReviewFile, REVIEW, context={"folder": REVIEW.parent})
    assert review.roundtable.objectives == [4, 8, 9, 10, 11, 13, 21]
    assert catalogue.load_review().period == "2019-2020"
    indicators = models.load(ind.IndicatorCatalogue, ind.INDICATORS_FILE)
    assert "mmp_dead_missing" in indicators.indicators and indicators.published_figures
    specs = models.load(kfs.KeyFigureSpecs, kfs.KEY_FIGURES_FILE)
    assert sorted(specs.objectives) == [4, 8, 9, 10, 11, 13, 21]
    assert kfs.SPECS[8][1] == kfs.FigureSpec(**{**shipped(kfs.KEY_FIGURES_FILE)["objectives"][8]["figures"][1]})
    assert set(catalogue.editorial()) == {"disclaimer", "kosovo_footnote"}
    for path in sorted(reviews.REVIEWS_DIR.glob("*.yaml")):
        assert catalogue.load_review(path).id == path.stem


def test_objective_numbers_are_read_from_objectives_csv():
    assert catalogue.objective_numbers() == tuple(catalogue.objectives()["number"])
    assert catalogue.objective_numbers() == tuple(range(1, 24))
    assert catalogue.objective_range() == "1-23"
    assert catalogue.check_objective(23) == 23
    with pytest.raises(ValueError, match=r"objective 24 is not a GCM objective \(1-23\)"):
        catalogue.check_objective(24)


# --- the cross-checks ---------------------------------------------------------------------------


def test_a_review_without_period_is_refused(tmp_path):
    data = shipped(REVIEW)
    del data["period"]
    with pytest.raises(models.ModelError, match=r"^[^ ]*/my-review.yaml: key 'period' is missing$"):
        read_review(tmp_path, data)
    data["period"] = ""
    with pytest.raises(models.ModelError, match=r"my-review.yaml: key 'period': the review period is empty"):
        read_review(tmp_path, data)


def test_a_guiding_question_naming_an_objective_outside_its_roundtable_is_refused(tmp_path):
    data = shipped(REVIEW)
    data["guiding_questions"][1]["objectives"] = [11, 5]
    data["guiding_questions"][4]["parts"][1]["objectives"] = [4, 6]
    with pytest.raises(models.ModelError) as exc:
        read_review(tmp_path, data)
    lines = str(exc.value).splitlines()
    assert lines == [  # the file by its whole path: it is outside the project
        f"{tmp_path.as_posix()}/my-review.yaml: key 'guiding_questions[1].objectives[1]': guiding question 2 names "
        "objective 5, not an objective of roundtable 3 (4, 8, 9, 10, 11, 13, 21) (value 5)",
        f"{tmp_path.as_posix()}/my-review.yaml: key 'guiding_questions[4].parts[1].objectives[1]': guiding question 5 "
        "names objective 6, not an objective of roundtable 3 (4, 8, 9, 10, 11, 13, 21) (value 6)"]


def test_a_cited_figure_outside_the_roundtable_or_of_an_unknown_indicator_is_refused(tmp_path):
    data = shipped(REVIEW)
    data["cited_figures"][0]["compared_with"]["first_reported"] = "mmp_found_dead"
    with pytest.raises(models.ModelError, match=(
            r"^[^ ]*/my-review.yaml: key 'cited_figures\[0\].compared_with.first_reported': indicator "
            r"'mmp_found_dead' is not in indicators.yaml \(value 'mmp_found_dead'\)$")):
        read_review(tmp_path, data)
    data = shipped(REVIEW)
    data["cited_figures"][0]["objective"] = 5
    with pytest.raises(models.ModelError, match=(
            r"^[^ ]*/my-review.yaml: key 'cited_figures\[0\].objective': cited figure 1 is for objective 5, "
            r"not an objective of roundtable 3 \(4, 8, 9, 10, 11, 13, 21\) \(value 5\)$")):
        read_review(tmp_path, data)


@pytest.mark.parametrize("where, value", [
    (("roundtable", "objectives", 2), 24), (("guiding_questions", 0, "objectives", 0), 0),
    (("cited_figures", 0, "objective"), 30)])
def test_a_review_objective_that_is_not_a_gcm_objective_is_refused(tmp_path, where, value):
    data = shipped(REVIEW)
    at(data, where[:-1])[where[-1]] = value
    with pytest.raises(models.ModelError, match=(
            f"my-review.yaml: key '{models.key_path(where)}': objective {value} is not a GCM "
            rf"objective \(1-23\) \(value {value}\)").replace("[", r"\[").replace("]", r"\]")):
        read_review(tmp_path, data)


def test_a_review_question_needs_text_or_parts_not_both_and_each_number_once(tmp_path):
    data = shipped(REVIEW)
    data["guiding_questions"][4]["text"] = "Both?"
    with pytest.raises(models.ModelError, match=r"key 'guiding_questions\[4\].text': give `text` "
                       r"\(with `objectives`\) or `parts`, one of the two \(value 'Both\?'\)"):
        read_review(tmp_path, data)
    data = shipped(REVIEW)
    data["guiding_questions"][5]["number"] = 1
    with pytest.raises(models.ModelError, match=r"^[^ ]*/my-review.yaml: key 'guiding_questions\[5\].number': "
                       r"guiding question 1 is listed twice \(value 1\)$"):
        read_review(tmp_path, data)


def test_a_lens_that_is_not_a_principle_and_a_missing_note_are_refused(tmp_path):
    data = shipped(REVIEW)
    data["lenses"][1] = "child-sensitve"
    data["background_note"] = "no-such-note.txt"
    with pytest.raises(models.ModelError) as exc:
        read_review(tmp_path, data)
    message = str(exc.value)
    assert "key 'lenses[1]': lens 'child-sensitve' is not a guiding principle slug" in message
    assert "key 'background_note': no file 'no-such-note.txt' beside the review file" in message


def test_every_problem_of_a_review_is_reported_at_once(tmp_path):
    data = shipped(REVIEW)
    del data["period"]
    data["roundtable"]["titel"] = data["roundtable"].pop("title")
    data["lenses"][0] = "nope"
    with pytest.raises(models.ModelError) as exc:
        read_review(tmp_path, data)
    assert len(str(exc.value).splitlines()) == 4  # period, titel, title, lens


@pytest.mark.parametrize("kind, i", [("figures", 2), ("trend", 0), ("comparison", 0)])
def test_a_key_figure_or_series_naming_an_unknown_indicator_is_refused(tmp_path, kind, i):
    data = shipped(kfs.KEY_FIGURES_FILE)
    data["objectives"][10][kind][i]["indicator"] = "unodc_victims"
    with pytest.raises(models.ModelError, match=(
            rf"^[^ ]*/my-key-figures.yaml: key 'objectives\[10\].{kind}\[{i}\].indicator': indicator "
            r"'unodc_victims' is not in indicators.yaml \(value 'unodc_victims'\)$")):
        read_key_figures(tmp_path, data)


def test_key_figures_for_an_objective_that_is_not_a_gcm_objective_are_refused(tmp_path):
    data = shipped(kfs.KEY_FIGURES_FILE)
    data["objectives"][30] = copy.deepcopy(data["objectives"][8])
    with pytest.raises(models.ModelError, match=(
            r"^[^ ]*/my-key-figures.yaml: key 'objectives\[30\]': objective 30 is not a GCM objective "
            r"\(1-23\) \(value 30\)$")):
        read_key_figures(tmp_path, data)


def test_a_key_figure_rule_or_measure_outside_its_list_and_too_few_figures_are_refused(tmp_path):
    data = shipped(kfs.KEY_FIGURES_FILE)
    data["objectives"][4]["figures"][1]["year"] = "previous_completed"
    data["objectives"][10]["figures"][1]["measure"] = "share_women"
    data["objectives"][13]["figures"] = data["objectives"][13]["figures"][:2]
    with pytest.raises(models.ModelError) as exc:
        read_key_figures(tmp_path, data)
    message = str(exc.value)
    assert "key 'objectives[4].figures[1].year'" in message and "'previous_completed'" in message
    assert "key 'objectives[10].figures[1].measure'" in message and "'share_women'" in message
    assert "key 'objectives[13].figures': List should have at least 3 items" in message


def test_an_indicator_objective_that_is_not_a_gcm_objective_is_refused(tmp_path):
    data = shipped(ind.INDICATORS_FILE)
    data["indicators"]["uk_returns"]["objectives"] = [21, 24]
    with pytest.raises(models.ModelError, match=(
            r"^[^ ]*/my-indicators.yaml: key 'indicators.uk_returns.objectives\[1\]': objective 24 is "
            r"not a GCM objective \(1-23\) \(value 24\)$")):
        read_indicators(tmp_path, data)


def test_a_published_figure_of_an_unknown_indicator_and_an_unexplained_sensitive_flag_are_refused(tmp_path):
    data = shipped(ind.INDICATORS_FILE)
    data["published_figures"][1]["indicator"] = "mmp_dead_and_missing"
    del data["indicators"]["uk_nrm_referrals"]["sensitive_reason"]
    data["indicators"]["uk_returns"]["sensitive_age"] = "child"
    with pytest.raises(models.ModelError) as exc:
        read_indicators(tmp_path, data)
    message = str(exc.value)
    assert ("my-indicators.yaml: key 'indicators.uk_nrm_referrals.sensitive_reason': a sensitive "
            "indicator says why (value '')") in message
    assert "key 'indicators.uk_returns.sensitive': sensitive_age and sensitive_reason are for a " \
           "sensitive indicator (value False)" in message
    data["indicators"]["uk_nrm_referrals"]["sensitive_reason"] = "why"
    del data["indicators"]["uk_returns"]["sensitive_age"]
    with pytest.raises(models.ModelError, match=(
            r"^[^ ]*/my-indicators.yaml: key 'published_figures\[1\].indicator': indicator "
            r"'mmp_dead_and_missing' is not in `indicators` \(value 'mmp_dead_and_missing'\)$")):
        read_indicators(tmp_path, data)


def test_an_empty_editorial_text_is_refused(tmp_path):
    with pytest.raises(models.ModelError, match=r"^[^ ]*/my-editorial.yaml: key 'kosovo_footnote': is empty"):
        read_editorial(tmp_path, {"disclaimer": "The designations ...", "kosovo_footnote": " "})


def test_yaml_that_does_not_parse_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nreview: [unclosed\n", encoding="utf-8")
    with pytest.raises(models.ModelError, match=r"^[^ ]*/broken.yaml: line \d+ is not valid YAML"):
        catalogue.load_review(path)


# --- the command line ---------------------------------------------------------------------------


def test_a_review_that_does_not_fit_ends_the_build_with_exit_2(tmp_path, capsys):
    from gcmtools import cli

    data = shipped(REVIEW)
    data["peroid"] = data.pop("period")
    shutil.copy(NOTE, tmp_path / NOTE.name)
    review = write(tmp_path, "my-review.yaml", data)
    params = tmp_path / "params.yaml"
    params.write_text(f"review: {review}\npractices: data/practices\nsources: data\n"
                      "briefs:\n  - notebook: notebooks/overview.ipynb\n", encoding="utf-8")
    assert cli.main(["build", "--params", str(params), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "my-review.yaml: unknown key 'peroid' (value '2019-2020'): is it misspelt?" in err
    assert "my-review.yaml: key 'period' is missing" in err and "Traceback" not in err


def test_a_reference_file_that_does_not_fit_ends_a_command_with_exit_2(tmp_path, monkeypatch, capsys):
    from conftest import FIXTURES
    from gcmtools import cli

    broken = tmp_path / "editorial.yaml"
    broken.write_text("disclaimer: The designations ...\nkosovo_fotnote: References ...\n",
                      encoding="utf-8")
    monkeypatch.setattr(texts, "EDITORIAL_FILE", broken)
    texts.editorial.cache_clear()
    try:
        code = cli.main(["feedback", str(FIXTURES / "good" / "two_practices.csv"),
                         "--out", str(tmp_path / "fb")])
    finally:
        texts.editorial.cache_clear()
    err = capsys.readouterr().err
    assert code == 2, err
    assert "editorial.yaml: unknown key 'kosovo_fotnote'" in err
    assert "editorial.yaml: key 'kosovo_footnote' is missing" in err
