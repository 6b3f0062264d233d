"""What changed between builds, and sign-off, on a small real project: the real brief notebook
for objective 8 over the IOM Missing Migrants data, built three times (first build; nothing
changed; a new MMP vintage and one practice changed), with a sign-off between the second and
the third. Figures are recomputed from the raw xlsx with plain pandas."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from conftest import ROOT
from gcmtools import build, cli
from gcmtools.build import signoff

pytestmark = pytest.mark.slow
MMP = "Missing_Migrants_Global_Figures_allData.xlsx"
PARAMS = ("review: unece-2020-rt3\npractices: data/practices\nsources: data/{mmp}\n"
          "briefs:\n  - {{notebook: notebooks/brief.ipynb, parameters: {{objective: 8}}}}\n")


def mediterranean_2016(folder: str) -> int:
    raw = pd.read_excel(ROOT / "data" / folder / MMP, engine="calamine")  # as openpyxl reads it: test_recompute_mmp
    rows = raw[(raw["Region of Incident"] == "Mediterranean") & (raw["Incident Year"] == 2016)]
    return int(rows["Total Number of Dead and Missing"].sum())


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The project and what each of its three builds logged, with the pages after each."""
    root = tmp_path_factory.mktemp("changes")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    for folder in ("mmp_global_2014_2024", "mmp_global_2014_2025"):
        shutil.copytree(ROOT / "data" / folder, root / "data" / folder)
    (root / "data" / "practices").mkdir()
    with open(ROOT / "data" / "practices" / "illustrative_practices.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "8" in r["objectives"].split(";")][:6]
    practices = root / "data" / "practices" / "p.csv"

    def write(rows):
        with open(practices, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)

    write(rows)
    (root / "params").mkdir()
    params = root / "params" / "run.yaml"
    params.write_text(PARAMS.format(mmp="mmp_global_2014_2024"), encoding="utf-8")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_ROOT", str(root))

        def run(name):
            lines = []
            plan = build.load_plan("params/run.yaml")
            report = build.build(plan, jobs=1, log=lines.append)
            assert report.exit_code == 0, lines
            out[name] = {"log": "\n".join(lines), "report": report, "plan": plan,
                         "brief": (plan.out_dir / "objective-08.html").read_text(encoding="utf-8"),
                         "index": (plan.out_dir / "index.html").read_text(encoding="utf-8")}

        run("first")
        run("again")
        out["unknown"] = cli.main(["signoff", "objective-99", "--by", "A. Reviewer", "--params", "params/run.yaml"])
        out["signed"] = cli.main(["signoff", "objective-08", "--by", "A. Reviewer", "--params", "params/run.yaml"])
        plan = out["again"]["plan"]
        out["approved_page"] = (plan.out_dir / "objective-08.html").read_text(encoding="utf-8")
        out["approved_index"] = (plan.out_dir / "index.html").read_text(encoding="utf-8")
        out["approved"] = signoff.approved_briefs(plan)
        # the next build: IOM's 2025-05 export instead of 2024-11, one practice's title changed
        params.write_text(PARAMS.format(mmp="mmp_global_2014_2025"), encoding="utf-8")
        out["changed_id"] = rows[0]["practice_id"]
        rows[0] = {**rows[0], "title": rows[0]["title"] + " (revised title)"}
        write(rows)
        run("changed")
        out["signoff_file"] = signoff.signoff_file(plan).read_text(encoding="utf-8")
    return out


def test_first_build_says_there_is_nothing_to_compare_with(builds):
    assert "First build of this brief" in builds["first"]["brief"]
    assert "<td>first build</td>" in builds["first"]["index"]  # not "no change"
    assert "no change" not in builds["first"]["index"]


def test_a_build_with_nothing_changed_rebuilds_nothing_and_says_so(builds):
    """The previous publication is not in the fingerprint: the second build finds the brief
    up to date, and the index says nothing changed in it."""
    assert [o.status for o in builds["again"]["report"].outcomes] == ["up to date"]
    assert builds["again"]["brief"] == builds["first"]["brief"]
    assert '<td>no change</td>' in builds["again"]["index"]


def test_a_new_vintage_and_a_changed_practice_are_in_what_changed(builds):
    old, new = mediterranean_2016("mmp_global_2014_2024"), mediterranean_2016("mmp_global_2014_2025")
    assert (old, new) == (5136, 5097)
    page = builds["changed"]["brief"]
    assert "Changed since the previous build" in page
    row = page[page.index("Dead and missing migrants, IOM region Mediterranean: 2016"):]
    row = row[:row.index("</tr>")]
    assert f"{old:,}" in row and f"{new:,}" in row
    assert "MMP export 2024-11-15" in row and "MMP export 2025-04-29" in row
    changed = page[page.index("Practices changed"):]
    assert builds["changed_id"] in changed[:changed.index("</ul>")]
    index = builds["changed"]["index"]
    assert 'class="changed"' in index and "1 practice changed" in index
    assert "1 practice changed" in builds["changed"]["log"]


def test_signoff_is_shown_and_a_changed_brief_returns_to_draft(builds):
    assert builds["unknown"] == 2
    assert builds["signed"] == 0 and builds["approved"] == {"objective-08"}
    for text in (builds["approved_page"], builds["approved_index"]):
        assert "approved" in text and "A. Reviewer" in text
    assert "Status: draft" in builds["again"]["brief"]  # before any sign-off
    reason = "returned to draft"
    assert reason in builds["changed"]["brief"] and "Status: draft" in builds["changed"]["brief"]
    assert reason in builds["changed"]["index"] and reason in builds["changed"]["log"]
    assert "status: draft" in builds["signoff_file"] and "A. Reviewer" in builds["signoff_file"]
