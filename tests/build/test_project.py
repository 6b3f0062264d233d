"""`gcmtools init` and the project folder: the marker found from inside the folder, its reviews
found by id, its files extending the package's, `--project DIR` from anywhere."""

from __future__ import annotations

import shutil

import pytest

from gcmtools import catalogue, cli, paths
from gcmtools.build import project


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh `gcmtools init` folder, the working directory, with no $GCM_ROOT."""
    monkeypatch.delenv("GCM_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "proj"]) == 0
    monkeypatch.chdir(tmp_path / "proj")
    return tmp_path / "proj"


def test_init_lays_out_the_folder_and_commands_find_it_from_inside(folder, capsys):
    for name in project.FOLDERS:
        assert (folder / name).is_dir()
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert all(f"{name}/" in readme for name in project.FOLDERS)
    assert paths.project_root() == folder.resolve()
    (folder / "submissions" / "deep").mkdir()
    assert paths.find_project(folder / "submissions" / "deep") == folder.resolve()
    # what the folder does not hold is the checkout's; what it holds is its own
    assert paths.from_root("notebooks/brief.ipynb") == paths.CHECKOUT / "notebooks" / "brief.ipynb"
    assert paths.from_root("submissions") == folder.resolve() / "submissions"
    assert paths.data_dir() == paths.CHECKOUT / "data"
    assert paths.outputs_dir() == folder.resolve() / "outputs"
    assert paths.relative(paths.CHECKOUT / "data" / "practices") == "data/practices"


def test_init_refuses_a_project_twice_and_a_file(folder, tmp_path, capsys):
    assert cli.main(["init", str(folder)]) == 2
    assert "is a project already" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert cli.main(["init", str(tmp_path / "afile")]) == 2
    assert "is a file" in capsys.readouterr().err


def test_a_review_of_the_folder_is_found_by_id_and_is_the_default(folder, tmp_path, monkeypatch):
    shipped = catalogue.REVIEWS_DIR
    text = (shipped / "unece-2020-rt3.yaml").read_text(encoding="utf-8").replace(
        "id: unece-2020-rt3", "id: mine-2026", 1)
    (folder / "reviews" / "mine-2026.yaml").write_text(text, encoding="utf-8")
    shutil.copy(shipped / "unece-2020-rt3-background-note.txt", folder / "reviews")
    assert catalogue.load_review("mine-2026").id == "mine-2026"
    assert catalogue.load_review("reviews/mine-2026.yaml").id == "mine-2026"
    assert catalogue.load_review().id == "unece-2020-rt3"  # the marker's review
    marker = folder / paths.PROJECT_MARKER
    marker.write_text(marker.read_text(encoding="utf-8").replace("review: unece-2020-rt3", "review: mine-2026"))
    assert catalogue.load_review().id == "mine-2026"
    # --project from elsewhere: the same folder
    monkeypatch.chdir(tmp_path)
    assert paths.find_project() is None
    assert cli.main(["--project", str(folder), "template", str(tmp_path / "t.xlsx"), "--review", "mine-2026"]) == 0
    assert "GCM_ROOT" not in __import__("os").environ  # restored after the command


def test_key_figure_specs_of_the_folder_extend_and_override_the_package(folder):
    from gcmtools.catalogue import keyfigure_specs
    from gcmtools.catalogue.models import ModelError
    from gcmtools.store import load_yaml

    shipped = load_yaml(keyfigure_specs.KEY_FIGURES_FILE.read_text(encoding="utf-8"))["objectives"]
    mine = {"objectives": {1: shipped[4], 8: {**shipped[8], "trend": []}}}
    import yaml

    (folder / "key_figures" / "mine.yaml").write_text(yaml.safe_dump(mine), encoding="utf-8")
    specs, trends, _ = keyfigure_specs._shows()
    assert [s.label for s in specs[1]] == [f["label"] for f in shipped[4]["figures"]]  # added
    assert trends[8] == () and len(trends[4]) == len(shipped[4]["trend"])  # overridden, the rest kept
    mine["objectives"][1]["figures"][0]["indicator"] = "no_such_indicator"
    (folder / "key_figures" / "mine.yaml").write_text(yaml.safe_dump(mine), encoding="utf-8")
    with pytest.raises(ModelError, match=r"mine\.yaml.*no_such_indicator"):
        keyfigure_specs._shows()
