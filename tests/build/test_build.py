"""`gcmtools build` on a small project made in the test: checks, failures, staleness, lock, rebuilds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from filelock import FileLock

from buildproject import make_project, run, statuses
from conftest import FIXTURES
from gcmtools import build, catalogue


@pytest.fixture
def project(tmp_path, monkeypatch):
    return make_project(tmp_path, monkeypatch)


# --- parameter checks, before any kernel -----------------------------------------------------


@pytest.mark.parametrize("edit, message", [
    (("review: unece-2020-rt3", "review: unece-2020-rt3\nreveiw: x"), "unknown key 'reveiw'"),
    (("objective: 10}", "objectiv: 10}"), "key 'parameters.objectiv': the notebook notebooks/brief.ipynb has no such parameter"),
    (("objective: 10}", "objective: 30}"), "30 is not a GCM objective (1-23)"),
    (("objective: 10}", "objective: 5}"), "objective 5 is not in roundtable 3"),
    (("review: unece-2020-rt3", "review: no-such-review"), "unknown review 'no-such-review'"),
    (("practices: data/practices", "practices: data/nothing"), "data/nothing does not exist"),
])
def test_bad_parameters_are_refused_naming_file_and_key(project, edit, message):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace(*edit, 1))
    with pytest.raises(build.PlanError, match="run.yaml") as err:
        build.load_plan("params/run.yaml")
    assert message in str(err.value)


@pytest.mark.parametrize("edit, message", [
    (("practices: data/practices", "practises: data/practices"),
     "params/run.yaml: unknown key 'practises' (value 'data/practices'): is it misspelt?"),
    (("{id: overview, notebook:", "{id: overview, notebok:"),
     "params/run.yaml: unknown key 'briefs[2].notebok' (value 'notebooks/brief.ipynb'): is it misspelt?"),
    (("review: unece-2020-rt3\n", ""), "params/run.yaml: key 'review' is missing"),
    (("practices: data/practices\n", ""), "params/run.yaml: key 'practices' is missing"),
    (("{id: overview, notebook: notebooks/brief.ipynb}", "{id: overview}"),
     "params/run.yaml: key 'briefs[2].notebook' is missing"),
    (("execution_timeout: 60", "execution_timeout: '60'"), "params/run.yaml: key 'execution_timeout': Input should be a valid integer"),
    (("{id: overview,", "{id: ../overview,"), "params/run.yaml: key 'briefs[2].id': String should match pattern"),
])
def test_params_file_is_its_model_misspelt_or_missing_keys_named(project, edit, message, gcm):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace(*edit, 1))
    with pytest.raises(build.PlanError) as err:
        build.load_plan("params/run.yaml")
    assert message in str(err.value)
    refused = gcm("build", "--params", "params/run.yaml", cwd=project)
    assert refused.returncode == 2 and f"error: {message}" in refused.stderr and "Traceback" not in refused.stderr


def test_cli_exit_2_on_bad_parameter(project, gcm):
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("objective: 10}", "objective: 99}"))
    run_ = gcm("build", "--params", "params/run.yaml", cwd=project)
    assert run_.returncode == 2
    assert "run.yaml: briefs[0]: key 'parameters.objective': 99" in run_.stderr
    assert "Traceback" not in run_.stderr
    assert not (project / "outputs").exists()


# --- building -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_publishes_html_without_code_and_index(small_build):
    """Reads the shared build (tests/conftest.py: `--jobs 2`, every brief published, exit 0)."""
    project, out = small_build, small_build / "outputs" / "unece-2020-rt3"
    page = (out / "objective-10.html").read_text()
    assert "brief for objective 10 with manifest True" in page
    assert "SECRET-CODE-MARKER" not in page and "<script" not in page
    assert "Content-Security-Policy" in page
    key_figures = json.loads((out / "objective-10.key-figures.json").read_text())
    assert key_figures["objective"] == 10 and key_figures["practices"]["by_objective"] == {
        "4": 0, "8": 0, "9": 0, "10": 1, "11": 1, "13": 0, "21": 0}
    run_manifest = json.loads((out / "objective-10.manifest.json").read_text())
    assert run_manifest["parameters"]["objective"] == 10
    assert run_manifest["input_hashes"]["data/practices/p.csv"]
    assert {"gcmtools", "git_commit", "started"} <= set(run_manifest)
    index = (out / "index.html").read_text()
    assert 'href="objective-10.html"' in index and "1 practices; 0 of 56 UNECE States reporting" in index  # a stakeholder practice
    assert not list(out.glob(".build-*")) and not list(out.glob("*.tmp"))
    for f in out.iterdir():  # no machine path in anything published, executed notebooks included
        if f.is_file() and not f.name.startswith("."):
            data = f.read_bytes()
            if f.suffix == ".xlsx":  # a zip of XML files: the text is in them
                with zipfile.ZipFile(f) as z:
                    data = b"".join(z.read(n) for n in z.namelist())
            assert str(project).encode() not in data, f"{f.name} holds a machine path"


@pytest.mark.slow
def test_one_failing_brief_does_not_stop_the_others_and_stays_stale(built_project, monkeypatch):
    project, out = built_project, built_project / "outputs" / "unece-2020-rt3"  # built: exit 0
    good_html = (out / "objective-11.html").read_text()
    monkeypatch.setenv("GCM_TEST_FAIL", "11")
    report, lines, out = run(project, force=True)
    assert report.exit_code == 1
    assert statuses(report) == {"objective-10": "published", "objective-11": "failed", "overview": "published"}
    failed = next(o for o in report.outcomes if o.status == "failed")
    assert "cell 3" in failed.error and "AssertionError: asked to fail objective 11" in failed.error
    assert failed.stale
    assert (out / "objective-11.html").read_text() == good_html  # last good brief kept
    index = (out / "index.html").read_text()
    assert "STALE: the last build failed" in index
    state = json.loads((out / "manifest.json").read_text())
    assert state["briefs"]["objective-11"]["status"] == "failed"
    # the next build recovers by itself once the cause is gone
    monkeypatch.delenv("GCM_TEST_FAIL")
    report, _, out = run(project)
    assert statuses(report) == {"objective-10": "up to date", "objective-11": "published", "overview": "up to date"}


@pytest.mark.slow
def test_failure_with_no_earlier_brief(project, monkeypatch):
    monkeypatch.setenv("GCM_TEST_FAIL", "10")
    report, _, out = run(project)
    assert report.exit_code == 1 and not (out / "objective-10.html").exists()
    assert "FAILED, never published" in (out / "index.html").read_text()


@pytest.mark.slow
def test_timeout_is_a_failure(project, monkeypatch):
    monkeypatch.setenv("GCM_TEST_SLEEP", "10")
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("execution_timeout: 60", "execution_timeout: 3"))
    report, _, _ = run(project, only=[10])
    [o] = report.outcomes
    assert o.status == "failed" and "timeout" in o.error


def test_lock_refuses_a_second_build(project):
    # the second build is a real process (the command's one subprocess here), as a user's is
    plan = build.load_plan("params/run.yaml")
    plan.out_dir.mkdir(parents=True)
    with FileLock(str(plan.out_dir / ".build.lock")):
        with pytest.raises(build.BuildLocked, match="another build is running"):
            build.build(plan, jobs=1, log=lambda _: None)
        refused = subprocess.run([sys.executable, "-m", "gcmtools", "build", "--params", "params/run.yaml"],
                                 cwd=project, capture_output=True, text=True, timeout=60,
                                 env={**__import__("os").environ, "GCM_ROOT": str(project)})
    assert refused.returncode == 2 and "another build is running" in refused.stderr
    assert "building" not in refused.stdout  # refused before it says it is building


@pytest.mark.slow
def test_rebuild_decisions(built_project):
    project = built_project  # built once, then copied: a copy is up to date as the build left it
    report, _, _ = run(project)
    assert set(statuses(report).values()) == {"up to date"}
    # change one practice row: T-002 is objective 10 only
    p = project / "data" / "practices" / "p.csv"
    p.write_text(p.read_text().replace("Shelter for victims", "Shelters for victims"))
    report, _, _ = run(project)
    assert statuses(report) == {"objective-10": "published", "objective-11": "up to date",
                                "overview": "published"}
    # a row made invalid changes the intake counts every brief shows: every brief
    p.write_text(p.read_text().replace(",10,Shelters", ",99,Shelters", 1))
    report, _, _ = run(project)
    assert set(statuses(report).values()) == {"published"}
    # one brief's parameters changed: that brief only
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("{objective: 11}", "{objective: 11, practices: data/practices/p.csv}"))
    report, _, _ = run(project)
    assert statuses(report) == {"objective-10": "up to date", "objective-11": "published", "overview": "up to date"}
    report, _, _ = run(project, force=True)
    assert set(statuses(report).values()) == {"published"}


@pytest.mark.slow
def test_only_builds_the_named_objectives(project):
    report, _, _ = run(project, only=[11])
    assert statuses(report) == {"objective-11": "published"}
    with pytest.raises(build.PlanError, match="--only: objective 9"):
        build.load_plan("params/run.yaml", only=[9])
    report, _, _ = run(project, only=["overview", 10])  # brief ids too
    assert statuses(report) == {"objective-10": "published", "overview": "published"}
    with pytest.raises(build.PlanError, match="no brief 'overveiw'.*its briefs: objective-10, objective-11, overview"):
        build.load_plan("params/run.yaml", only=["overveiw"])


@pytest.mark.parametrize("args, message", [
    (["--jobs", "0"], "--jobs 0: at least 1"),
    (["--only", ","], "expected objective numbers or brief ids"),
    (["--only", "9"], "--only: objective 9 has no brief"),
])
def test_cli_refuses_bad_options_before_building(project, args, message, gcm):
    refused = gcm("build", "--params", "params/run.yaml", *args, cwd=project)
    assert refused.returncode == 2 and message in refused.stderr and "Traceback" not in refused.stderr
    assert not (project / "outputs").exists()


def test_inputs_outside_the_project_and_a_review_file_reach_the_notebooks_whole(project, tmp_path_factory):
    """A practices folder elsewhere and a review given as a file are what the briefs read: the
    notebooks get paths they can open (relative to the root inside it, whole outside it) and the
    review file itself, not the shipped review of the same id."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(FIXTURES / "good" / "two_practices.csv", elsewhere / "p.csv")
    reviews = project / "reviews"
    reviews.mkdir()
    shipped = Path(catalogue.review_files()["unece-2020-rt3"])
    shutil.copy(shipped, reviews / shipped.name)
    for note in shipped.parent.glob("*.txt"):
        shutil.copy(note, reviews / note.name)
    f = project / "params" / "run.yaml"
    f.write_text(f.read_text().replace("review: unece-2020-rt3", f"review: reviews/{shipped.name}")
                 .replace("practices: data/practices", f"practices: {elsewhere}"), encoding="utf-8")
    plan = build.load_plan("params/run.yaml")
    params = plan.briefs[0].parameters
    assert params["practices"] == elsewhere.as_posix()
    assert params["review"] == f"reviews/{shipped.name}"
    (elsewhere / "p.csv").unlink()
    with pytest.raises(build.PlanError) as refused:
        f.write_text(f.read_text().replace(str(elsewhere), str(elsewhere / "gone")), encoding="utf-8")
        build.load_plan("params/run.yaml")
    assert f"{elsewhere.as_posix()}/gone does not exist" in str(refused.value)


@pytest.mark.slow
def test_a_relative_outputs_folder_is_the_working_directorys(tmp_path, monkeypatch):
    """`--out` relative, typed in a folder that is not the project root: the brief is run and
    published there (the kernels run in the project root: its work folder was handed to them
    relative, and papermill looked for it under the project root)."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project", monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    plan = build.load_plan(project / "params" / "run.yaml", out="briefs", only=[10])
    lines = []
    report = build.build(plan, jobs=1, log=lines.append)
    assert report.exit_code == 0 and statuses(report) == {"objective-10": "published"}, lines
    assert (elsewhere / "briefs" / "unece-2020-rt3" / "objective-10.html").is_file()
    assert not (project / "briefs").exists()
