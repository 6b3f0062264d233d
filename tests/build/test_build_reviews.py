"""A review given by path in params (the case of issue 16: `unknown review 'unece-2020-rt1'` in
every brief), and what enters a brief's fingerprint: the files its review reads, not the other
review files beside it; the build log says why each brief is rebuilt."""

from __future__ import annotations

import shutil

import pytest

from buildproject import make_project, run, statuses
from gcmtools import catalogue

pytestmark = pytest.mark.slow  # every test reads a real build of the small project

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small build project with `review: reviews/unece-2020-rt1.yaml` (an id no shipped
    review has), objective 10 built once."""
    mp = pytest.MonkeyPatch()
    project = make_project(tmp_path_factory.mktemp("reviews"), mp)
    (project / "reviews").mkdir()
    shipped = catalogue.REVIEWS_DIR
    text = (shipped / "unece-2020-rt3.yaml").read_text(encoding="utf-8")
    (project / "reviews" / "unece-2020-rt1.yaml").write_text(
        text.replace("id: unece-2020-rt3", "id: unece-2020-rt1", 1), encoding="utf-8")
    (project / "reviews" / "other.yaml").write_text(
        text.replace("id: unece-2020-rt3", "id: other", 1), encoding="utf-8")
    for f in shipped.glob("*.txt"):
        shutil.copy(f, project / "reviews")
    params = project / "params" / "run.yaml"
    params.write_text(params.read_text().replace("review: unece-2020-rt3", "review: reviews/unece-2020-rt1.yaml"))
    first = run(project, only=[10])
    yield project, first
    mp.undo()


def test_a_review_by_path_reaches_every_brief_as_that_file(built):
    project, (report, lines, out) = built
    assert statuses(report) == {"objective-10": "published"}, lines
    assert "objective-10: to build (first build)" in lines
    assert out.name == "unece-2020-rt1"
    page = (out / "objective-10.html").read_text(encoding="utf-8")
    assert "unknown review" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "never published" not in index


def test_only_the_review_files_a_brief_reads_enter_its_fingerprint(built):
    project, _ = built
    other = project / "reviews" / "other.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    report, lines, _ = run(project, only=[10])
    assert statuses(report) == {"objective-10": "up to date"}, lines
    mine = project / "reviews" / "unece-2020-rt1.yaml"
    mine.write_text(mine.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    report, lines, _ = run(project, only=[10])
    assert statuses(report) == {"objective-10": "published"}, lines
    assert "objective-10: to build (changed: reviews/unece-2020-rt1.yaml)" in lines
    practices = project / "data" / "practices" / "p.csv"
    practices.write_text(practices.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    report, lines, _ = run(project, only=[10], force=True)
    assert "objective-10: to build (--force)" in lines


def test_the_index_says_not_built_yet_for_briefs_not_selected(built):
    """`--only` on a fresh output folder: the briefs it did not build are "not built yet", in
    neutral colours, never "FAILED, never published ()" in red."""
    project, (report, lines, out) = built
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = {line.split("<td>", 2)[1].split("</td>")[0]: line for line in index.splitlines() if line.startswith("<tr")
            and "<td>" in line}
    eleven = next(v for k, v in rows.items() if "Objective 11" in k)
    assert "<td>not built yet</td>" in eleven and 'class="stale"' not in eleven
    assert "FAILED" not in index
