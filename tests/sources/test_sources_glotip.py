"""gcmtools.sources.glotip: UNODC GLOTIP country data as published, censored values kept.

The briefs read the untouched 2024 edition (data/unodc_glotip_2003_2022, header on row 3
after UNODC's two preamble rows); the 2022 edition (data/unodc_glotip_2003_2021, re-saved by a
third party without the preamble) is kept as an earlier vintage.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import sources_cache
from gcmtools import sources
from gcmtools.paths import data_dir
from gcmtools.sources import files, glotip

GLOTIP_XLSX = data_dir() / "unodc_glotip_2003_2022" / "data_glotip.xlsx"
EARLIER_XLSX = data_dir() / "unodc_glotip_2003_2021" / "data_glotip.xlsx"
COLUMNS = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category",
           "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]


#: the tests that read UNODC's shipped workbooks whole (make test-fast leaves them out)
WHOLE = pytest.mark.slow


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_excel(GLOTIP_XLSX, header=2, dtype=str, engine="calamine")


def _ingest(path, tmp_path_factory) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(sources_cache(tmp_path_factory)))
        return sources.ingest([path])


@pytest.fixture(scope="module")
def glotip_obs(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _ingest(GLOTIP_XLSX, tmp_path_factory)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _ingest(EARLIER_XLSX, tmp_path_factory)


def _write_glotip(path, preamble: list[list[str]], rows: list[list[str]]) -> None:
    """A GLOTIP-layout xlsx: preamble rows, then the header, then `rows`."""
    width = len(COLUMNS)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in preamble] + [COLUMNS] + rows)
    frame.to_excel(path, header=False, index=False)


def _row(dimension: str, category: str | None, value: str, sex: str = "Total",
         age: str = "Total") -> list[str]:
    return ["TJK", "Tajikistan", "Asia", "Central Asia", "Persons convicted", dimension,
            category, sex, age, "2021", "Counts", value, "GLOTIP"]


# --- the header row and the vintage -------------------------------------------------------------


def test_header_row_is_found_by_its_columns() -> None:
    assert files.header_row(GLOTIP_XLSX) == 2  # "UNODC", then the release date, then the header
    assert files.header_row(GLOTIP_XLSX, glotip.LAYOUT.required) == 2
    assert files.header_row(EARLIER_XLSX, glotip.LAYOUT.required) == 0  # preamble removed
    assert files.read_columns(GLOTIP_XLSX) == COLUMNS
    assert sources.detect(GLOTIP_XLSX)[0].name == "glotip"


def test_header_row_anywhere_in_the_first_rows(tmp_path) -> None:
    path = tmp_path / "glotip.xlsx"
    _write_glotip(path, [["UNODC"], ["Country data"], ["01/02/2026"], [None]],
                  [_row("Total", "Total", "31")])
    assert files.header_row(path, glotip.LAYOUT.required) == 4
    obs = sources.read_source(path)
    assert obs["value"].tolist() == [31.0]
    assert set(obs["vintage"]) == {"GLOTIP data to 2021, released 1 February 2026"}
    with pytest.raises(ValueError, match="no row among the first"):
        files.header_row(path, ("Iso3_code", "No such column"))


@WHOLE
def test_vintage_is_the_edition_and_unodc_release_date(glotip_obs, earlier) -> None:
    assert set(glotip_obs["vintage"]) == {"GLOTIP 2024, released 14 April 2025"}
    assert set(earlier["vintage"]) == {"GLOTIP 2022"}  # its preamble (30/05/2023) was deleted
    assert set(glotip_obs["year"]) == {str(y) for y in range(2003, 2023)}
    assert glotip_obs["publisher"].iloc[0].startswith("United Nations Office on Drugs and Crime")


# --- rows as published ------------------------------------------------------------------------


@WHOLE
def test_every_published_row_is_kept(raw: pd.DataFrame, glotip_obs: pd.DataFrame) -> None:
    assert len(glotip_obs) == len(raw) == 58769


@WHOLE
def test_under_five_is_censored_never_a_number(raw, glotip_obs) -> None:
    published = int((raw["txtVALUE"].str.strip() == "<5").sum())
    censored = glotip_obs[glotip_obs["obs_status"] == "censored"]
    assert len(censored) == published
    assert censored["value"].isna().all()
    assert (censored["value_text"] == "<5").all()
    assert glotip_obs.loc[glotip_obs["obs_status"] != "censored", "value"].notna().all()


@WHOLE
def test_thousands_are_read_and_kept_as_published(raw, glotip_obs) -> None:
    text = raw.loc[raw["txtVALUE"].str.contains(",", na=False), "txtVALUE"].iloc[0]
    row = glotip_obs[glotip_obs["value_text"] == text].iloc[0]
    assert row["value"] == float(text.replace(",", ""))


@WHOLE
def test_indicators_and_dimensions(glotip_obs: pd.DataFrame) -> None:
    assert set(glotip_obs["indicator"]) == set(glotip.INDICATORS.values())
    victims = glotip_obs[glotip_obs["indicator"] == "unodc_detected_victims"]
    assert {"total", "Sexual exploitation", "Forced labour",
            "Other forms of exploitation"} == set(victims["exploitation"])
    assert set(glotip_obs["sex"]) == {"total", "female", "male"}
    assert set(glotip_obs["age"]) == {"total", "child", "adult"}
    assert set(glotip_obs["sex_detail"]) == {"total", "other", "unknown"}


@WHOLE
def test_totals_are_the_rows_unodc_publishes_as_totals(raw, glotip_obs) -> None:
    total = ((raw["Dimension"] == "Total") & (raw["Category"] == "Total")
             & (raw["Sex"] == "Total") & (raw["Age"] == "Total"))
    at_total = ((glotip_obs[["exploitation", "citizenship", "repatriation", "sex", "age",
                             "sex_detail"]] == "total").all(axis=1))
    assert int(at_total.sum()) == int(total.sum())


@WHOLE
def test_repatriations_keep_their_own_dimension(earlier: pd.DataFrame) -> None:
    """Kazakhstan 2012: total 153; 399 victims repatriated to Uzbekistan are another count."""
    kaz = earlier[(earlier["geo"] == "KAZ") & (earlier["year"] == "2012")
                  & (earlier["indicator"] == "unodc_detected_victims")
                  & (earlier["sex"] == "total") & (earlier["age"] == "total")]
    repatriated = kaz[kaz["repatriation"] != "total"]
    assert repatriated.loc[repatriated["repatriation"] == "Uzbekistan", "value"].tolist() == [399.0]
    assert (repatriated[["citizenship", "exploitation"]] == "total").all(axis=None)
    totals = kaz[(kaz[["citizenship", "repatriation", "exploitation"]] == "total").all(axis=1)]
    assert totals["value"].tolist() == [153.0]


@WHOLE
def test_a_blank_category_keeps_its_dimension(earlier: pd.DataFrame, tmp_path) -> None:
    """Tajikistan 2021 convicted: total 31; a 'by citizenship' row with no Category, 15."""
    tjk = earlier[(earlier["geo"] == "TJK") & (earlier["year"] == "2021")
                  & (earlier["indicator"] == "unodc_persons_convicted")
                  & (earlier["sex"] == "total") & (earlier["age"] == "total")]
    blank = tjk[tjk["citizenship"] == glotip.BLANK_CATEGORY]
    assert blank["value"].tolist() == [15.0]
    assert "" not in set(earlier["citizenship"]) | set(earlier["repatriation"])
    # the same in a file made here, with the note saying so
    path = tmp_path / "glotip.xlsx"
    _write_glotip(path, [], [_row("Total", "Total", "31"), _row("by citizenship", None, "15"),
                             _row("by country of repatriation", "Uzbekistan", "<5")])
    obs = sources.read_source(path)
    assert obs[["citizenship", "repatriation"]].values.tolist() == [
        ["total", "total"], [glotip.BLANK_CATEGORY, "total"], ["total", "Uzbekistan"]]
    assert any("blank Category" in n for n in obs.attrs["notes"])


def test_an_unknown_dimension_is_refused(tmp_path) -> None:
    path = tmp_path / "glotip.xlsx"
    _write_glotip(path, [], [_row("by region of origin", "Asia", "3")])
    with pytest.raises(ValueError, match="column Dimension: unknown value"):
        sources.read_source(path)


@WHOLE
def test_rows_without_a_country_code_are_kept_and_named(raw, glotip_obs) -> None:
    """The 2024 edition has no UNODC regional rows; Sark has no ISO3 code."""
    assert raw["Iso3_code"].isna().sum() == 26 and set(raw.loc[raw["Iso3_code"].isna(),
                                                               "Country"]) == {"Sark"}
    unnamed = glotip_obs[glotip_obs["geo"] == "XXX"]
    assert len(unnamed) == 26 and (unnamed["note"] == "country as published: Sark").all()
    assert not glotip_obs["geo"].str.startswith("UNODC_").any()


@WHOLE
def test_regional_rows_of_the_earlier_edition_are_not_countries(earlier) -> None:
    regional = earlier[earlier["geo"].str.startswith("UNODC_")]
    assert set(regional["geo"]) == {"UNODC_CAR", "UNODC_CAS", "UNODC_EEU", "UNODC_MCA",
                                    "UNODC_MCN", "UNODC_SAF", "UNODC_SAM"}
    assert "CAR" not in set(earlier["geo"])  # CAR here is a UNODC region, not Central Africa


@WHOLE
def test_repeated_keys_are_kept_apart_and_noted(raw, glotip_obs) -> None:
    key = ["Iso3_code", "Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year"]
    published = int(raw.fillna("").duplicated(key, keep=False).sum())
    repeated = glotip_obs[glotip_obs["repeat"] != ""]
    assert len(repeated) == published == 1216
    assert repeated["note"].str.contains("more than once").all()


@WHOLE
def test_published_inconsistencies_reach_the_reader(glotip_obs: pd.DataFrame) -> None:
    moldova = glotip_obs[(glotip_obs["geo"] == "MDA") & (glotip_obs["year"] == "2022")
                         & (glotip_obs["indicator"] == "unodc_detected_victims")
                         & (glotip_obs["sex"] == "total") & (glotip_obs["age"] == "total")
                         & (glotip_obs["exploitation"] == "total")
                         & (glotip_obs["citizenship"] == "total")
                         & (glotip_obs["repatriation"] == "total")
                         & (glotip_obs["sex_detail"] == "total")]
    assert moldova["value"].tolist() == [43.0]  # children 44 + adults 107 published beside it
    assert "children + adults (151) larger than this total (43)" in moldova["note"].iloc[0]
