"""gcmtools.sources.eurostat: SDMX-CSV, older bulk downloads and reshaped tables."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.paths import data_dir
from gcmtools.sources.checks import figure_value

FOLDER = data_dir() / "eurostat_enforcement_2014_2023"


@pytest.fixture(scope="module")
def refused() -> pd.DataFrame:
    return sources.read_source(FOLDER / "migr_eirfs_refused_entry_totals.csv")


def test_reproduces_eu27_refused_entry(refused: pd.DataFrame) -> None:
    assert figure_value(refused, "eurostat_refused_entry", "2019", {"geo": "EU27_2020"}) == 670795
    assert figure_value(refused, "eurostat_refused_entry", "2020", {"geo": "EU27_2020"}) == 137840


def test_spain_break_is_kept(refused: pd.DataFrame) -> None:
    spain = refused[refused["geo"] == "ESP"].set_index("year")["value"]
    assert spain["2019"] == 493455 and spain["2020"] == 3515


def test_country_names_become_iso3_and_aggregates_keep_their_codes(
        refused: pd.DataFrame) -> None:
    geos = set(refused["geo"])
    assert {"AUT", "GRC", "GBR", "CHE", "MNE"} <= geos
    assert "EU27_2020" in geos
    assert all(len(g) == 3 for g in geos - {"EU27_2020"})


def test_flags_become_status_and_notes(refused: pd.DataFrame) -> None:
    row = refused[(refused["geo"] == "EU27_2020") & (refused["year"] == "2023")].iloc[0]
    assert row["obs_status"] == "estimated"
    present = sources.read_source(FOLDER / "migr_eipre_illegally_present_by_reason.csv")
    assert present["note"].str.contains(r"Eurostat flag b \(break in time series\)").any()
    assert {"EU27_2020", "EU28"} <= set(present["geo"])


def test_sdmx_2_with_codes_and_labels() -> None:
    asylum = sources.read_source(FOLDER / "migr_asyappctza_asylum_applicants_totals.csv")
    assert set(asylum["indicator"]) == {"eurostat_asylum_applicants"}
    assert {"GRC", "GBR", "DEU"} <= set(asylum["geo"])  # EL and UK are Eurostat's codes
    assert set(asylum["citizenship"]) == {"total", "Ukraine"}  # labels, not codes


def test_reshaped_tables_by_citizenship() -> None:
    ordered = sources.read_source(
        FOLDER / "migr_eiord_ordered_to_leave_by_citizenship_processed.csv")
    assert set(ordered["indicator"]) == {"eurostat_ordered_to_leave"}
    assert "Kosovo*" in set(ordered["citizenship"])
    assert any("220 value(s) missing" in n for n in ordered.attrs["notes"])


BULK = (
    '"TIME","GEO","CITIZEN","SEX","AGE","UNIT","Value","Flag and Footnotes"\n'
    '"2019","European Union - 28 countries","Total","Total","Total","Person","1,234",""\n'
    '"2019","Germany (until 1990 former territory of the FRG)","Total","Total","Total",'
    '"Person","56,789","e"\n'
    '"2019","Germany (until 1990 former territory of the FRG)","Côte d\'Ivoire","Total",'
    '"Total","Person","15",""\n'
    '"2020","Germany (until 1990 former territory of the FRG)","Total","Total","Total",'
    '"Person",":",""\n'
    '"2019","Germany (until 1990 former territory of the FRG)","Total","Females","Total",'
    '"Person","9,870","b"\n'
)


def test_reads_the_older_bulk_download_layout(tmp_path) -> None:
    path = tmp_path / "migr_eiord_1_Data.csv"
    path.write_bytes(BULK.encode("latin-1"))
    obs = sources.read_source(path)
    assert set(obs["indicator"]) == {"eurostat_ordered_to_leave"}
    eu = obs[obs["geo"] == "EU28"].iloc[0]
    assert (eu["value"], eu["value_text"]) == (1234.0, "1,234")
    germany = obs[(obs["geo"] == "DEU") & (obs["sex"] == "total") &
                  (obs["citizenship"] == "total")].iloc[0]
    assert (germany["value"], germany["obs_status"]) == (56789.0, "estimated")
    assert "Côte d'Ivoire" in set(obs["citizenship"])  # Latin-1 decoded
    assert "2020" not in set(obs["year"])  # ':' is not a value
    assert any("missing" in n for n in obs.attrs["notes"])
    female = obs[obs["sex"] == "female"].iloc[0]
    assert female["note"] == "Eurostat flag b (break in time series)"


def test_a_bulk_file_must_name_its_dataset(tmp_path) -> None:
    path = tmp_path / "download.csv"
    path.write_bytes(BULK.encode("latin-1"))
    with pytest.raises(ValueError, match="rename it after the dataset code"):
        sources.read_source(path)
