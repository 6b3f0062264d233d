"""The brief's context: an objective's key figures shared by every brief that loads its rows."""

import pandas as pd

from gcmtools.analysis import disclosure
from gcmtools.brief import context
from gcmtools.catalogue.indicators import indicators


def _rows() -> pd.DataFrame:
    """Objective 10's detected victims, as an objective's brief loads them."""
    base = {"indicator": "unodc_detected_victims", "geo": "ARM", "year": "2020", "value": 1.0,
            "value_text": "1", "unit": "persons", "sex": "total", "age": "total",
            "source": "UNODC GLOTIP", "obs_status": "final", "note": "", "publisher": "UNODC",
            "dataset": "GLOTIP", "file": "data/glotip.xlsx", "vintage": "GLOTIP 2022",
            "licence": "attribution", "exploitation": "total"}
    return pd.DataFrame([base, {**base, "geo": "KAZ", "value": 30.0, "value_text": "30"},
                         {**base, "geo": "GEO", "value": 7.0, "value_text": "7", "exploitation": "sexual"}])


def _as_the_overview_loads_them(rows: pd.DataFrame) -> pd.DataFrame:
    """The same rows in a table that also holds another source's rows: that source's columns
    empty on these rows, the columns in another order, the rows too."""
    other = pd.DataFrame([{**rows.iloc[0].to_dict(), "indicator": "mmp_dead_missing", "region": "Mediterranean",
                           "route": "Central Mediterranean", "exploitation": ""}])
    both = pd.concat([other, rows.iloc[::-1]], ignore_index=True)
    both = context.normalise_observations(both)
    return both[list(reversed(both.columns))]


def test_canonical_drops_the_columns_empty_on_the_rows_and_orders_the_rest():
    rows = context.normalise_observations(_rows())
    wide = _as_the_overview_loads_them(rows)
    mine = wide[wide["indicator"] == "unodc_detected_victims"]
    out = context._canonical(mine)
    assert list(out.columns) == [*context._COLUMNS, "exploitation"]  # region, route: empty here
    assert list(context._canonical(rows).columns) == list(out.columns)
    pd.testing.assert_frame_equal(out.sort_values("geo").reset_index(drop=True),
                                  rows.sort_values("geo").reset_index(drop=True))
    assert context._canonical(rows) is rows  # already in that form: the same table, not a copy


def test_the_overview_reads_the_figures_its_objective_computed(tmp_path, monkeypatch):
    monkeypatch.setenv("GCM_CACHE", str(tmp_path))
    rows = context.normalise_observations(_rows())
    small = disclosure.SMALL_COUNT_THRESHOLD
    mine = context.objective_figures(rows, 10, indicators(), small, (2019, 2020))
    assert len(list(tmp_path.glob("figures-*.pickle"))) == 1
    theirs = context.objective_figures(_as_the_overview_loads_them(rows), 10, indicators(), small, (2019, 2020))
    assert len(list(tmp_path.glob("figures-*.pickle"))) == 1  # the same entry: computed once
    assert [f.display for f in theirs[0].figures] == [f.display for f in mine[0].figures]
    assert [f.label for f in theirs[0].figures] == [f.label for f in mine[0].figures]
