"""Objective 8's numbers recomputed from IOM's raw export with plain pandas, not the adapter.

Every key figure, the trend, the country comparison and the 2020 missing-only figure shown
beside the background note's sentence are recomputed from the shipped xlsx (sheet
'Worksheet') and compared with what gcmtools computes.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from gcmtools import brief
from gcmtools.analysis import series as ser
from gcmtools.paths import REFERENCE_DIR, data_dir

pytestmark = pytest.mark.slow  # recomputed from the whole shipped raw files

MMP_XLSX = data_dir() / "mmp_global_2014_2024" / "Missing_Migrants_Global_Figures_allData.xlsx"
NOTE = REFERENCE_DIR / "reviews" / "unece-2020-rt3-background-note.txt"
SENTENCE = ("In 2020 alone, IOM estimates that over 700 migrants went missing in in the "
            "Mediterranean")
ROUTES = ["Central Mediterranean", "Western Mediterranean", "Eastern Mediterranean",
          "Western Africa / Atlantic route to the Canary Islands", "Western Balkans",
          "Türkiye-Europe land route", "Belarus-EU border", "Ukraine to Europe",
          "Italy to France", "English Channel to the UK", "Iran to Türkiye", "Syria to Türkiye",
          "US-Mexico border crossing", "Caribbean to US"]
TOTAL, DEAD, MISSING = ("Total Number of Dead and Missing", "Number of Dead",
                        "Minimum Estimated Number of Missing")
LATEST = 2023  # the export is of 2024-11-15: 2024 is not a complete year; shown as context
PERIOD, PREVIOUS = 2020, 2019  # the review period is 2019-2020: its latest year, and the one before


@pytest.mark.parametrize("vintage", ["mmp_global_2014_2024", "mmp_global_2014_2025"])
def test_the_two_readers_agree_on_the_export(vintage):
    """The recomputations read IOM's xlsx with pandas' calamine engine (a fifth of openpyxl's
    time), as the adapter does: openpyxl, the reference reader, gives the same frame, so the
    figures recomputed here do not rest on calamine's reading of the file alone."""
    path = data_dir() / vintage / MMP_XLSX.name
    pd.testing.assert_frame_equal(pd.read_excel(path, sheet_name="Worksheet", engine="calamine"),
                                  pd.read_excel(path, sheet_name="Worksheet", engine="openpyxl"))


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """IOM's export as published, with the UNECE States marked by their names in IOM's file."""
    df = pd.read_excel(MMP_XLSX, sheet_name="Worksheet", engine="calamine")  # the same frame as openpyxl: test_the_two_readers_agree_on_the_export
    states = pd.read_csv(REFERENCE_DIR / "unece_states.csv")
    names = set(states["name"]) | {"Netherlands"}  # IOM's spelling of the Kingdom of the Netherlands
    df["in_unece"] = df["Country of Incident"].isin(names)
    return df


@pytest.fixture(scope="module")
def ctx():
    # the 2024-11 export, as the shipped params read it (data/ holds the newer 2025-05 one too)
    return brief.load_context("unece-2020-rt3", 8, "data/practices", "data/mmp_global_2014_2024")


def _figure(ctx, label_start: str, year: int):
    hits = [f for f in ctx.key_figures.figures
            if f.label.startswith(label_start) and f.year == str(year)]
    assert len(hits) == 1, [f.label for f in ctx.key_figures.figures]
    return hits[0]


def test_every_key_figure_is_recomputed(ctx, raw) -> None:
    year = raw["Incident Year"]

    def total(mask, y):
        return raw[mask & (year == y)][TOTAL].sum()

    unece, routes = raw["in_unece"], raw["Migration Route"].isin(ROUTES)
    med, west_asia = (raw["Region of Incident"] == r for r in ("Mediterranean", "Western Asia"))
    # (label, year shown): (mask, has the latest year as context)
    expected = {
        ("Dead and missing migrants, incidents in UNECE States", PERIOD): (unece, True),
        ("Dead and missing migrants on routes into and within", PERIOD): (routes, True),
        ("Dead and missing migrants on routes into and within", PREVIOUS): (routes, False),
        ("Dead and missing migrants, IOM region Mediterranean", PERIOD): (med, True),
        ("Dead and missing migrants, IOM region Mediterranean", PREVIOUS): (med, False),
        ("Dead and missing migrants, IOM region Western Asia", PERIOD): (west_asia, True),
    }
    assert len(ctx.key_figures.figures) == len(expected) and not ctx.key_figures.missing
    for (label, y), (mask, context) in expected.items():
        figure = _figure(ctx, label, y)
        assert figure.value == total(mask, y), label
        if context:
            assert (figure.context_year, figure.context_value) == (
                str(LATEST), total(mask, LATEST)), label
        else:
            assert figure.context_year == "", label
    assert [total(m, LATEST) for m in (unece, routes, med, west_asia)] == [1934, 5041, 3155, 570]
    assert total(med, 2020) == 1449  # IOM's published figure
    # IOM's Western Asia is mostly Yemen and Saudi Arabia; 28 of its 570 (2023) are in UNECE States
    latest_wa = raw[west_asia & (year == LATEST)]
    by_country = latest_wa.groupby("Country of Incident")[TOTAL].sum()
    assert by_country[["Yemen", "Saudi Arabia"]].sum() == 535
    assert latest_wa.loc[latest_wa["in_unece"], TOTAL].sum() == 28
    states = raw.loc[unece & (year == PERIOD), "Country of Incident"].nunique()
    assert _figure(ctx, "Dead and missing migrants, incidents in UNECE States", PERIOD).place == (
        f"UNECE States (incidents recorded in {states} of 56)")


def test_the_routes_are_iom_s_and_the_note_names_each(ctx, raw) -> None:
    assert set(ROUTES) <= set(raw["Migration Route"].dropna())  # IOM's own route names
    routes = _figure(ctx, "Dead and missing migrants on routes into and within", PERIOD)
    assert routes.place == f"{len(ROUTES)} IOM migration routes into and within the UNECE region"
    assert routes.filter["route"].startswith("matches /^(?:")
    pattern = re.compile(routes.filter["route"][len("matches /"):-len("/i")], re.IGNORECASE)
    assert sorted(r for r in set(raw["Migration Route"].dropna()) if pattern.match(r)) == sorted(
        ROUTES)
    for word in ("Canary Islands", "Western Balkans", "English Channel", "US-Mexico border",
                 "Mayotte", "Puerto Rico", "Darien"):
        assert word in routes.note


def test_the_trend_reproduces_iom_s_mediterranean_figures(ctx, raw) -> None:
    med = raw[raw["Region of Incident"] == "Mediterranean"]
    expected = med[med["Incident Year"] <= LATEST].groupby("Incident Year")[TOTAL].sum()
    series = ctx.trend
    assert series.title == "Dead and missing migrants, IOM region Mediterranean"
    found = dict(zip(series.data["year"].astype(int), series.data["value"]))
    assert found == {int(y): float(v) for y, v in expected.items()}
    assert (found[2019], found[2020]) == (1885, 1449)  # IOM's published figures


def test_the_comparison_is_by_country_of_incident_within_unece_states(ctx, raw) -> None:
    latest = raw[raw["in_unece"] & (raw["Incident Year"] == LATEST)]
    expected = latest.groupby("Country of Incident")[TOTAL].sum().sort_values(ascending=False)
    series = ctx.comparison
    assert series.year == str(LATEST)
    top = expected.head(ser.COMPARISON_TOP)
    assert list(series.data["value"]) == [float(v) for v in top]
    assert series.data["country"].iloc[0] == top.index[0] == "Greece"
    assert f"{len(expected)} UNECE State(s) with data for {LATEST}" in series.note


def test_the_2020_missing_figure_beside_the_note_s_sentence(ctx, raw) -> None:
    med = raw[(raw["Region of Incident"] == "Mediterranean") & (raw["Incident Year"] == 2020)]
    net = med[MISSING].sum()  # IOM's figure, net of its corrections
    first_reported = med[MISSING].clip(lower=0).sum()
    found_dead = -med[MISSING].clip(upper=0).sum()
    assert (net, first_reported, found_dead) == (945, 949, 4)
    assert med[DEAD].sum() + net == med[TOTAL].sum() == 1449  # with the dead, IOM's total
    [cited] = brief.cited_figures(ctx)
    assert (cited["net"], cited["first_reported"], cited["corrections"]) == (945, 949, 4)
    assert cited["vintage"] == "MMP export 2024-11-15" and cited["year"] == "2020"
    assert cited["quote"] == SENTENCE


def test_the_sentence_is_word_for_word_in_the_background_note() -> None:
    text = NOTE.read_text(encoding="utf-8")
    assert SENTENCE in text  # "in in" as the note has it
    assert "Guiding questions" in text and "Background materials" in text  # the whole note


def test_a_review_that_misquotes_its_document_is_refused(tmp_path) -> None:
    from gcmtools import catalogue

    (tmp_path / "note.txt").write_text("In 2020 alone, IOM estimates that over 700 migrants "
                                       "went missing in in the Mediterranean.\n", encoding="utf-8")
    review = tmp_path / "r.yaml"
    text = ("id: r\nreview: R\nperiod: 2020\nroundtable: {number: 3, title: T, objectives: [8]}\n"
            "cited_figures:\n  - {objective: 8, document: Note, file: note.txt, quote: %s,\n"
            "     compared_with: {label: Missing, indicator: mmp_missing, year: '2020'}}\n")
    review.write_text(text % "'over 700 migrants went missing in in the Mediterranean'",
                      encoding="utf-8")
    assert catalogue.load_review(review).cited_figures[0]["file"] == "note.txt"
    review.write_text(text % "'over 700 migrants went missing in the Mediterranean'",
                      encoding="utf-8")
    with pytest.raises(ValueError, match="cited figure 1: the quote is not word for word in note.txt"):
        catalogue.load_review(review)
