"""The explorer, driven by setting widget values as an analyst would, with no browser."""

import openpyxl
import pandas as pd
import pytest

from conftest import FIXTURES
from gcmtools.intake import explorer
from gcmtools.intake.validate import validate_paths


@pytest.fixture(scope="module")
def practices():
    return validate_paths([FIXTURES / "good" / "two_practices.csv"]).accepted


def test_select_by_each_filter(practices):
    sel = lambda **kw: list(explorer.select(practices, explorer.Filters(**kw))["practice_id"])  # noqa: E731
    assert sel() == ["T-001", "T-002"]
    assert sel(objective=10) == ["T-002"]
    assert sel(question=2) == ["T-001"]
    assert sel(country="ARM") == ["T-002"]
    assert sel(subregion="Western Asia") == ["T-001", "T-002"]
    assert sel(subregion="Central Asia") == []
    assert sel(submitter_type="member_state") == ["T-001"]
    assert sel(principle="gender-responsive") == ["T-002"]
    assert sel(target_group="women") == ["T-002"]
    assert sel(covid19="no") == ["T-001", "T-002"]
    assert sel(text="SHELTER") == ["T-002"]
    assert sel(text="shelter", objective=11) == []


def test_widgets_update_the_selection(practices):
    ex = explorer.Explorer(practices)
    assert len(ex.selection) == 2
    ex.controls["objective"].value = "11"
    assert list(ex.selection["practice_id"]) == ["T-001"]
    assert "<b>1</b> of 2 practices" in ex.count.value
    ex.controls["objective"].value = explorer.ANY
    ex.controls["text"].value = "legal aid"
    assert list(ex.selection["practice_id"]) == ["T-002"]
    assert ex.detail.options == ("T-002",)


def test_export_csv_and_xlsx(practices, tmp_path):
    ex = explorer.Explorer(practices)
    ex.controls["country"].value = "GEO"
    csv_path = ex.export(tmp_path / "sel.csv")
    assert list(pd.read_csv(csv_path)["practice_id"]) == ["T-001", "T-002"]
    xlsx = ex.export(tmp_path / "sel.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Selection"]
    assert ws.max_row == 3
    with pytest.raises(ValueError, match="csv or .xlsx"):
        ex.export(tmp_path / "sel.txt")


def test_practice_in_full_is_escaped():
    row = pd.Series({"title": "<img src=x onerror=alert(1)>", "source_ref": "javascript:alert(1)",
                     "country": ["ARM"]})
    out = explorer.practice_html(row)
    assert "<img" not in out and "&lt;img" in out and "href" not in out
    row["source_ref"] = "https://example.org/a?b=1&c=2"
    assert 'href="https://example.org/a?b=1&amp;c=2"' in explorer.practice_html(row)


def test_chart(practices):
    from gcmtools.catalogue import load_review
    fig = explorer.selection_figure(practices, load_review())
    ax = fig.axes[0]
    assert ax.get_title().startswith("Selected practices by objective") and ax.get_xlabel()
