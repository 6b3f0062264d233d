"""Country profiles in the plan: `countries: all` gives the 56 States' briefs, a list gives its
codes, an unknown code is a parameters error naming the params file and the brief before any
kernel starts; the index groups the profiles by sub-region; the overview is told which
profiles are built."""

from __future__ import annotations

import pytest

from gcmtools import catalogue
from gcmtools.build import PlanError
from gcmtools.build.plan import load_plan
from gcmtools.build.publish import profile_footnote, profiles_by_subregion

HEAD = "review: unece-2020-rt3\npractices: data/practices\nsources: data/sdg_global_db_unece\n"
OVERVIEW = "briefs:\n  - id: overview\n    notebook: notebooks/overview.ipynb\n"


def params(tmp_path, text: str):
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_the_shipped_params_build_56_profiles_beside_the_roundtable() -> None:
    plan = load_plan()
    profiles = [b for b in plan.briefs if b.country]
    assert len(profiles) == 56 == len(catalogue.unece_iso3())
    assert {b.id for b in profiles} == {f"country-{c}" for c in catalogue.unece_iso3()}
    assert all(b.notebook.name == "country.ipynb" and b.parameters["country"] == b.country for b in profiles)
    assert len(plan.briefs) == 64
    overview = next(b for b in plan.briefs if b.id == "overview")
    assert sorted(overview.parameters["profiles"].split(";")) == sorted(catalogue.unece_iso3())
    assert "profiles" not in next(b for b in plan.briefs if b.objective == 8).parameters


def test_a_list_of_codes_without_objective_briefs(tmp_path) -> None:
    plan = load_plan(params(tmp_path, "countries: [ITA, AND, XKX]\n"))
    assert [b.id for b in plan.briefs] == ["country-ITA", "country-AND", "country-XKX"]
    assert plan.briefs[2].title == "Country profile: Kosovo"


@pytest.mark.parametrize(("text", "message"), [
    ("countries: [ITA, XYZ]\n", r"p.yaml: key 'countries\[1\]' \(brief country-XYZ\): 'XYZ' is not the ISO3 code"),
    ("countries: [Italy]\n", r"country-Italy\): 'Italy' is not the ISO3 code .*did you mean ITA"),
    ("countries: every\n", r"p.yaml.*countries"),
    (OVERVIEW + "  - notebook: notebooks/country.ipynb\n    parameters: {country: FRX}\n",
     r"p.yaml: briefs\[1\]: key 'parameters.country': 'FRX' is not the ISO3 code"),
    ("", r"p.yaml: no briefs"),
])
def test_an_unknown_code_is_refused_before_any_kernel(tmp_path, text, message) -> None:
    with pytest.raises(PlanError, match=message):
        load_plan(params(tmp_path, text))


def test_the_overview_gets_the_profiles_of_the_plan_only(tmp_path) -> None:
    plan = load_plan(params(tmp_path, OVERVIEW + "countries: [GRC, AND]\n"))
    assert plan.briefs[0].parameters["profiles"] == "GRC;AND"
    alone = load_plan(params(tmp_path, OVERVIEW))
    assert "profiles" not in alone.briefs[0].parameters


def test_the_index_groups_profiles_by_subregion(tmp_path) -> None:
    plan = load_plan(params(tmp_path, "countries: [SWE, XKX, ALB, DNK, KAZ]\n"))
    groups = profiles_by_subregion([(b, {"id": b.id, "title": b.title}) for b in plan.briefs])
    assert [(g["subregion"], [r["title"] for r in g["rows"]]) for g in groups] == [
        ("Central Asia", ["Kazakhstan"]), ("Northern Europe", ["Denmark", "Sweden"]),
        ("Southern Europe", ["Albania"]), (catalogue.OTHER_PLACES, ["Kosovo*"])]
    assert "Security Council resolution" in profile_footnote(plan.briefs)
    assert profile_footnote(plan.briefs[:1]) == ""


def test_the_build_refuses_an_unknown_code_with_exit_2(tmp_path, capsys) -> None:
    from gcmtools import cli

    code = cli.main(["build", "--params", str(params(tmp_path, "countries: [ITA, XYZ]\n")),
                     "--out", str(tmp_path / "out")])
    assert code == 2
    assert "brief country-XYZ" in capsys.readouterr().err
    assert not (tmp_path / "out" / "unece-2020-rt3").exists()  # nothing ran
