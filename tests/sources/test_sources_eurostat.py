"""gcmtools.sources.eurostat: SDMX-CSV, older bulk downloads and reshaped tables."""

from __future__ import annotations

import pandas as pd
import pytest

from gcmtools import sources
from gcmtools.catalogue import keyfigure_specs
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


# --- aggregates by vintage, ':' never 0, the extract check, flags (issue 12) ----------------

SDMX_HEAD = "DATAFLOW,LAST UPDATE,freq,citizen,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


def _sdmx(tmp_path, name: str, rows: list[str], last_update: str = "") -> pd.DataFrame:
    path = tmp_path / name
    body = "".join(f"ESTAT:MIGR_EIRFS(1.0),{last_update},Annual,{r}\n" for r in rows)
    path.write_text(SDMX_HEAD + body, encoding="utf-8")
    return sources.read_source(path)


def test_an_eu27_label_is_read_by_the_date_the_file_was_made(tmp_path) -> None:
    row = ["Total,Person,European Union (27 countries),2018,500000,"]
    old = _sdmx(tmp_path, "old.csv", row, last_update="15/06/19 23:00:00")
    new = _sdmx(tmp_path, "new.csv", row, last_update="2024-03-28 23:00:00")
    assert set(old["geo"]) == {"EU27_2007"}  # the EU of 2007-2013, with the United Kingdom
    assert set(new["geo"]) == {"EU27_2020"}
    assert any("read as EU27_2007" in n for n in old.attrs["notes"])
    explicit = _sdmx(tmp_path, "explicit.csv",
                     ["Total,Person,European Union - 27 countries (2007-2013),2018,1,"],
                     last_update="2024-03-28")
    assert set(explicit["geo"]) == {"EU27_2007"}


def test_an_eu27_label_of_unknown_date_is_not_coded(tmp_path) -> None:
    # no last update, no SOURCE.txt date, and data that end before 2019: the label is ambiguous
    obs = _sdmx(tmp_path, "undated.csv", ["Total,Person,EU27,2015,1000,"])
    assert "EU27_2020" not in set(obs["geo"]) and "EU27_2007" not in set(obs["geo"])
    assert any("not coded" in n for n in obs.attrs["notes"])


def test_aggregates_of_different_compositions_are_never_chained(tmp_path) -> None:
    from gcmtools.analysis import select as sel

    old = _sdmx(tmp_path, "old.csv", ["Total,Person,European Union (27 countries),2018,500000,"],
                last_update="15/06/19")
    new = _sdmx(tmp_path, "new.csv", ["Total,Person,European Union (27 countries),2021,139520,"],
                last_update="2024-03-28")
    obs = pd.concat([old, new], ignore_index=True)
    table = sel.yearly(sel.select(obs, "eurostat_refused_entry", (), "EU27_2020"))
    assert table["year"].tolist() == ["2021"]  # the 2018 value is of the EU of 2007-2013


def test_a_not_available_total_is_never_zero(tmp_path) -> None:
    obs = _sdmx(tmp_path, "colon.csv", [
        "Total,Person,Austria,2014,:,",
        "Ukraine,Person,Austria,2014,0,",
        "Syria,Person,Austria,2014,0,",
        "Total,Person,Austria,2015,455,",
        "Ukraine,Person,Austria,2015,0,",
    ])
    assert "2014" not in set(obs["year"])  # neither the ':' nor the zeros beside it
    assert any("left out where Eurostat publishes ':'" in n for n in obs.attrs["notes"])
    from gcmtools.analysis import select as sel

    table = sel.yearly(sel.select(obs, "eurostat_refused_entry", (), "AUT"))
    assert table.set_index("year")["value"].to_dict() == {"2015": 455.0}


EXTRACT_HEAD = "citizen,geo,year,Third Country Nationals Ordered to Leave\n"
MEMBERS = ["Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark",
           "Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy",
           "Latvia", "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal",
           "Romania", "Slovakia", "Slovenia", "Spain", "Sweden"]


def _extract(folder, values: dict[str, float], eu27: float | None) -> pd.DataFrame:
    folder.mkdir()
    (folder / "migr_eiord_processed.csv").write_text(EXTRACT_HEAD + "".join(
        f"Afghanistan,{geo},2023,{v}\n" for geo, v in values.items()), encoding="utf-8")
    if eu27 is not None:
        (folder / "migr_eiord_totals.csv").write_text(
            "DATAFLOW,LAST UPDATE,freq,citizen,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
            "ESTAT:MIGR_EIORD(1.0),,Annual,Total,Person,"
            f"European Union - 27 countries (from 2020),2023,{eu27},\n", encoding="utf-8")
    return sources.ingest(folder, use_cache=False)


def test_a_partial_extract_fails_the_eu27_check_and_makes_no_total(tmp_path) -> None:
    from gcmtools.analysis import keyfigures

    values = {m: 1000.0 for m in MEMBERS}  # 27,000 in the extract
    obs = _extract(tmp_path / "partial", values, eu27=484160)
    extract = obs[obs["file"].str.contains("processed")]
    assert extract["total_check"].str.contains("27,000 for 2023").all()
    assert extract["total_check"].str.contains("484,160").all()
    spec = keyfigure_specs.FigureSpec("Ordered to leave, France, {year}", "eurostat_ordered_to_leave",
                                 "FRA")
    missing = keyfigures.key_figure(obs, spec, 21)
    assert isinstance(missing, keyfigures.MissingFigure)
    assert "third party's extract" in missing.reason and "484,160" in missing.reason
    eu = keyfigures.key_figure(obs, keyfigure_specs.FigureSpec("EU", "eurostat_ordered_to_leave",
                                                          "EU27_2020"), 21)
    assert eu.value == 484160  # Eurostat's own figure is shown, never the extract's sum


def test_an_extract_that_adds_up_passes_the_check(tmp_path) -> None:
    values = {m: 1000.0 for m in MEMBERS}
    obs = _extract(tmp_path / "whole", values, eu27=27005)  # within Eurostat's rounding
    assert (obs["total_check"] == "").all()


def test_an_extract_with_nothing_to_check_against_makes_no_total(tmp_path) -> None:
    obs = _extract(tmp_path / "alone", {"France": 12965.0}, eu27=None)
    # the shipped figures (reference/indicators.yaml) give Eurostat's 484,160 for 2023
    assert obs["total_check"].str.contains("484,160").all()


def test_a_flag_travels_to_the_key_figure_the_html_and_the_json(tmp_path) -> None:
    import json

    from gcmtools.analysis import keyfigures
    from gcmtools.analysis import select as sel
    from gcmtools.brief import sections

    obs = _sdmx(tmp_path, "flags.csv", [
        "Total,Person,European Union - 27 countries (from 2020),2022,142420,",
        "Total,Person,European Union - 27 countries (from 2020),2023,123260,e",
        "Total,Person,France,2023,9650,e",
        "Total,Person,Germany,2023,20000,p",
    ])
    spec = keyfigure_specs.FigureSpec("Refused entry, EU-27, {year}", "eurostat_refused_entry",
                                 "EU27_2020")
    figure = keyfigures.key_figure(obs, spec, 11)
    assert (figure.value, figure.display, figure.flags) == (123260.0, "123,260", "e")
    data = sections.figures_data(keyfigures.KeyFigures(11, [figure], []))
    assert data["rows"][0]["value"] == "123,260 e" and data["flags"] == "e estimated"
    path = keyfigures.write_key_figures(keyfigures.KeyFigures(11, [figure], []),
                                        tmp_path / "kf.json")
    assert json.loads(path.read_text())["figures"][0]["flags"] == "e"
    # a sum carries every flag of its parts
    both = sel.select(obs[obs["geo"].isin(["FRA", "DEU"])], "eurostat_refused_entry")
    assert sel.yearly(both).set_index("year").loc["2023", "flags"] == "ep"


def test_the_shipped_refused_entry_keeps_its_e_flag_in_the_brief_table(refused) -> None:
    from gcmtools.analysis import series as ser
    from gcmtools.brief import sections

    series = ser.trend(refused, 11)
    assert series.data.set_index("year").loc["2023", "flags"] == "e"
    data = sections.series_data(series)
    assert "123,260 e" in set(data["table"].iloc[:, 1]) and data["flags"] == "e estimated"
