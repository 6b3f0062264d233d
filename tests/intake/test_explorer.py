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


def practices_with(tmp_path, **titles):
    """The good fixture with the titles and descriptions given per practice_id."""
    text = (FIXTURES / "good" / "two_practices.csv").read_text(encoding="utf-8")
    text = text.replace("Joint border patrols", titles.get("T-001", "Joint border patrols"))
    text = text.replace("Shelter for victims", titles.get("T-002", "Shelter for victims"))
    f = tmp_path / "practices.csv"
    f.write_text(text, encoding="utf-8")
    return validate_paths([f]).accepted


@pytest.mark.parametrize("asked, found", [
    ("alternative detention", ["T-001"]),  # the case: every word, any order, stemmed
    ("detention alternatives", ["T-001"]),
    ("détention", ["T-001"]),  # accents aside
    ("rétention", ["T-002"]),
    ("rétention administrative", ["T-002"]),
    ("задержания", ["T-002"]),
    ("alternative shelter", []),
    ("", ["T-001", "T-002"]),
])
def test_text_search_matches_all_words_stemmed_in_three_languages(tmp_path, asked, found):
    df = practices_with(tmp_path, **{"T-001": "Alternatives to detention for families",
                                     "T-002": "Rétentions administratives et задержание мигрантов"})
    assert list(explorer.select(df, explorer.Filters(text=asked))["practice_id"]) == found


def test_drop_downs_show_country_names(practices):
    ex = explorer.Explorer(practices)
    assert ex.controls["country"].options[1:] == (("Armenia (ARM)", "ARM"), ("Georgia (GEO)", "GEO"))
    ex.controls["country"].value = "ARM"
    assert list(ex.selection["practice_id"]) == ["T-002"]


def test_chart_is_an_image_and_follows_the_selection(practices):
    ex = explorer.Explorer(practices)
    assert ex.chart.startswith(b"\x89PNG")
    before = ex.chart
    ex.controls["objective"].value = "11"
    assert ex.chart.startswith(b"\x89PNG") and ex.chart != before


def test_rejected_rows_are_counted_beside_the_selection(practices):
    ex = explorer.Explorer(practices, rejected=3)
    assert ex.count.value == "<b>2</b> of 2 practices; 3 submitted row(s) rejected by validation, not shown"


def test_export_goes_to_the_project_folder_without_machine_paths(practices, tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))
    ex = explorer.Explorer(practices)
    ex.export_to.value = "outputs/selection.xlsx"
    ex.export_button.click()
    out = tmp_path / "outputs" / "selection.xlsx"
    assert ex.export_status.value == "2 practice(s) written to outputs/selection.xlsx"
    cells = [str(c.value) for row in openpyxl.load_workbook(out)["Selection"].iter_rows() for c in row]
    assert "two_practices.csv" in cells  # outside the project folder: the file's name alone
    assert not [c for c in cells if str(FIXTURES) in c or c.startswith("/")]
    ex.export_to.value = "outputs/selection.txt"
    ex.export_button.click()
    assert "export to .csv or .xlsx" in ex.export_status.value


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
