"""gcmtools.sources.glotip: UNODC GLOTIP country data, censored values kept."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.paths import data_dir
from gcmtools.sources import files

GLOTIP_XLSX = data_dir() / "unodc_glotip_2003_2021" / "data_glotip.xlsx"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return files.read_table(GLOTIP_XLSX, dtype=str)


@pytest.fixture(scope="module")
def glotip(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GCM_CACHE", str(tmp_path_factory.getbasetemp() / "sources-cache"))
        return sources.ingest([GLOTIP_XLSX])


def test_every_published_row_is_kept(raw: pd.DataFrame, glotip: pd.DataFrame) -> None:
    assert len(glotip) == len(raw) == 46556


def test_under_five_is_censored_never_a_number(raw: pd.DataFrame, glotip: pd.DataFrame) -> None:
    published = int((raw["txtVALUE"].str.strip() == "<5").sum())
    censored = glotip[glotip["obs_status"] == "censored"]
    assert len(censored) == published == 23076
    assert censored["value"].isna().all()
    assert (censored["value_text"] == "<5").all()
    assert glotip.loc[glotip["obs_status"] != "censored", "value"].notna().all()


def test_thousands_are_read_and_kept_as_published(glotip: pd.DataFrame) -> None:
    row = glotip[glotip["value_text"] == "1,282"].iloc[0]
    assert row["value"] == 1282.0


def test_indicators_and_dimensions(glotip: pd.DataFrame) -> None:
    assert {"unodc_detected_victims", "unodc_persons_prosecuted",
            "unodc_persons_convicted"} <= set(glotip["indicator"])
    victims = glotip[glotip["indicator"] == "unodc_detected_victims"]
    assert {"total", "Sexual exploitation", "Forced labour",
            "Other forms of exploitation"} == set(victims["exploitation"])
    assert set(glotip["sex"]) == {"total", "female", "male"}
    assert set(glotip["age"]) == {"total", "child", "adult"}
    assert set(glotip["sex_detail"]) == {"total", "other", "unknown"}


def test_regional_rows_are_not_countries(glotip: pd.DataFrame) -> None:
    regional = glotip[glotip["geo"].str.startswith("UNODC_")]
    assert set(regional["geo"]) == {"UNODC_CAR", "UNODC_CAS", "UNODC_EEU", "UNODC_MCA",
                                    "UNODC_MCN", "UNODC_SAF", "UNODC_SAM"}
    assert "CAR" not in set(glotip["geo"])  # CAR here is a UNODC region, not Central Africa


def test_repeated_keys_are_kept_apart_and_noted(glotip: pd.DataFrame) -> None:
    repeated = glotip[glotip["repeat"] != ""]
    assert len(repeated) == 860
    assert repeated["note"].str.contains("more than once").all()


def test_published_inconsistencies_reach_the_reader(glotip: pd.DataFrame) -> None:
    noted = glotip[glotip["note"].str.contains("larger than its total")]
    assert len(noted) == 124
    angola = noted[(noted["geo"] == "AGO") & (noted["year"] == "2017")]
    assert angola["value"].tolist() == [12.0]  # adults convicted, all ages: 6


def test_vintage_and_provenance(glotip: pd.DataFrame) -> None:
    assert set(glotip["vintage"]) == {"GLOTIP 2022"}
    assert glotip["publisher"].iloc[0].startswith("United Nations Office on Drugs and Crime")
