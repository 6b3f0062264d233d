"""Figures: titles, labelled axes, source lines, alt text, thousands separators, no pyplot state."""

import html

import pandas as pd
import pytest
from matplotlib.figure import Figure

from gcmtools.analysis.series import Series
from gcmtools.brief import charts


def series(kind="trend", n=4, summed=False):
    if kind == "trend":
        data = pd.DataFrame({"year": [str(2016 + i) for i in range(n)],
                             "value": [1500.0 * (i + 1) for i in range(n)],
                             "value_text": [f"{1500 * (i + 1):,}" for i in range(n)],
                             "geos": [3 + i for i in range(n)]})
    else:
        data = pd.DataFrame({"geo": ["GRC", "ITA"], "country": ["Greece", "Italy"],
                             "value": [12000.0, float("nan")], "value_text": ["12,000", "<5"]})
    return Series(kind=kind, title="Dead and missing migrants", indicator="mmp_dead_missing",
                  unit="persons", source="IOM, Missing Migrants Project", vintage="export 2024",
                  caveat="", data=data, note="a note", summed_states=summed)


def texts(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.texts)


@pytest.fixture
def practice_tables():
    by_q = pd.DataFrame({"question": [3, 5], "short": ["Border procedures", "Trafficking"],
                         "by_states": [2, 0], "by_stakeholders": [1, 4]})
    lens = pd.DataFrame({"lens": ["human-rights", "child-sensitive"],
                         "name": ["Human rights", "Child-sensitive"], "practices": [3, 1],
                         "of": [4, 4], "share": [0.75, 0.25]})
    objs = pd.DataFrame({"objective": [8, 10], "label": ["Missing migrants", "Trafficking"],
                         "by_states": [1, 2], "by_stakeholders": [0, 3]})
    return by_q, lens, objs


def all_charts(practice_tables):
    by_q, lens, objs = practice_tables
    return [charts.trend_chart(series()), charts.trend_chart(series(summed=True)),
            charts.comparison_chart(series("comparison")), charts.questions_chart(by_q),
            charts.lens_chart(lens), charts.objectives_chart(objs)]


def test_every_chart_has_title_axis_labels_source_and_alt(practice_tables):
    for fig in all_charts(practice_tables):
        assert isinstance(fig, Figure)
        assert fig.get_suptitle()
        ax = fig.axes[0]
        assert ax.get_xlabel() and ax.get_ylabel()
        assert "Source:" in texts(fig)
        assert len(charts.alt_text(fig)) > 30
        assert fig.get_figwidth() == charts.WIDTH and fig.dpi == charts.DPI


def test_units_and_thousands_separators():
    fig = charts.trend_chart(series())
    charts.figure_png(fig)  # draws the figure, so the tick labels exist
    ax = fig.axes[0]
    assert ax.get_ylabel() == "persons" and ax.get_xlabel() == "Year"
    assert any("," in t.get_text() for t in ax.get_yticklabels())
    assert "IOM, Missing Migrants Project (data vintage: export 2024)" in texts(fig)
    alt = charts.alt_text(fig)
    assert "2016 to 2019" in alt and "latest 6,000 in 2019" in alt


def test_states_reporting_are_drawn_beside_a_sum_over_states():
    fig = charts.trend_chart(series(summed=True))
    assert len(fig.axes) == 2 and "States reporting" in fig.axes[1].get_ylabel()
    assert "States reporting, 6 in 2019" in charts.alt_text(fig)


def test_comparison_shows_censored_values_as_published():
    fig = charts.comparison_chart(series("comparison"))
    labels = [t.get_text().strip() for t in fig.axes[0].texts]
    assert labels == ["<5", "12,000"]
    assert "Largest: Greece with 12,000" in charts.alt_text(fig)


def test_empty_inputs_still_give_a_labelled_chart(practice_tables):
    by_q, lens, objs = practice_tables
    for fig in (charts.trend_chart(None, "Trend of x"), charts.comparison_chart(None),
                charts.questions_chart(by_q.iloc[0:0]), charts.lens_chart(lens.iloc[0:0]),
                charts.objectives_chart(objs.iloc[0:0])):
        assert fig.get_suptitle() and fig.axes[0].get_xlabel()
        assert "no " in charts.alt_text(fig).lower()


def test_png_is_deterministic_and_no_pyplot_figure_is_left_open(practice_tables):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    first = [charts.figure_png(f) for f in all_charts(practice_tables)]
    second = [charts.figure_png(f) for f in all_charts(practice_tables)]
    assert first == second
    assert plt.get_fignums() == before


def test_figure_img_embeds_the_png_with_escaped_alt_text():
    fig = charts.set_alt(charts.trend_chart(series()), 'Chart of "<script>alert(1)</script>"')
    markup = charts.figure_img(fig)
    assert markup.startswith("<img src=\"data:image/png;base64,")
    assert "<script" not in markup
    assert f'alt="{html.escape(charts.alt_text(fig), quote=True)}"' in markup
    assert 'alt="other text"' in charts.figure_img(fig, "other text")


def suppressed(kind):
    """A series with values masked by the small-count rule (true values 3 and 2)."""
    s = series(kind)
    if kind == "trend":
        s.data = pd.DataFrame({"year": ["2019", "2020", "2021"], "value": [3.0, 40.0, 2.0],
                               "value_text": ["<5", "40", "<5"],
                               "suppressed": [True, False, True]})
    else:
        s.data = pd.DataFrame({"geo": ["GRC", "ITA"], "country": ["Greece", "Italy"],
                               "value": [40.0, 3.0], "value_text": ["40", "<5"],
                               "suppressed": [False, True]})
    return s


def test_a_suppressed_value_is_drawn_at_the_threshold_never_at_its_value():
    fig = charts.trend_chart(suppressed("trend"))
    charts.figure_png(fig)
    ax = fig.axes[0]
    line = [y for y in ax.lines[0].get_ydata() if y == y]  # the line skips suppressed points
    assert line == [40.0]
    [points] = ax.collections
    assert [y for _x, y in points.get_offsets()] == [5.0, 5.0]  # hollow, at the threshold
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["<5", "<5"] and "3" not in " ".join(labels)
    assert "fewer than 5, drawn hollow at 5" in ax.get_legend().get_texts()[0].get_text()
    assert "latest <5 in 2021" in charts.alt_text(fig) and "Hollow points" in charts.alt_text(fig)

    fig = charts.comparison_chart(suppressed("comparison"))
    ax = fig.axes[0]
    bars = {p.get_y(): p for p in ax.patches}
    widths = sorted(p.get_width() for p in bars.values())
    assert widths == [5.0, 40.0]
    hatched = [p for p in bars.values() if p.get_hatch()]
    assert [p.get_width() for p in hatched] == [5.0]
    assert [t.get_text().strip() for t in ax.texts] == ["<5", "40"]
    assert "fewer than 5, drawn hatched at 5" in ax.get_legend().get_texts()[0].get_text()
    assert "Hatched bars" in charts.alt_text(fig)


def test_a_remembered_chart_is_the_chart_drawn_again_and_only_for_the_same_inputs(monkeypatch, tmp_path):
    import matplotlib

    monkeypatch.setenv("GCM_CACHE", str(tmp_path))
    drawn = []
    real_img = charts.figure_img
    monkeypatch.setattr(charts, "figure_img", lambda fig, alt=None: drawn.append(1) or real_img(fig, alt))

    s = series()
    first = charts.chart_img(charts.trend_chart, s)
    assert first == real_img(charts.trend_chart(s)) and len(drawn) == 1
    assert charts.chart_img(charts.trend_chart, s) == first and len(drawn) == 1  # remembered
    assert len(list(tmp_path.glob("chart-*.pickle"))) == 1

    changed = series()
    changed.data.loc[0, "value"] = 1501.0  # one value
    assert charts.chart_img(charts.trend_chart, changed) != first and len(drawn) == 2
    charts.chart_img(charts.trend_chart, s, title="Another title")  # another argument
    assert len(drawn) == 3
    as_float = series()
    as_float.data["geos"] = as_float.data["geos"].astype(float)  # same numbers, another dtype
    charts.chart_img(charts.trend_chart, as_float)
    assert len(drawn) == 4
    with matplotlib.rc_context({"font.size": 14}):  # other settings draw another picture
        assert charts.chart_img(charts.trend_chart, s) != first and len(drawn) == 5
    assert charts.chart_img(charts.trend_chart, s) == first and len(drawn) == 5


def test_only_gcmtools_functions_with_picklable_arguments_are_remembered(monkeypatch, tmp_path):
    import functools

    monkeypatch.setenv("GCM_CACHE", str(tmp_path))
    s = series()
    # a function from elsewhere (a notebook's): its code is not in the key
    assert charts.chart_img(_trend_elsewhere, s, "red") == charts.figure_img(charts.trend_chart(s, "red"))
    # a lambda or closure: what it closes over is not in the key
    for title in ("one", "two"):
        assert charts.chart_img(lambda series_: charts.trend_chart(series_, title), s) \
            == charts.figure_img(charts.trend_chart(s, title))
    # a partial or a bound method: state outside the arguments
    assert charts.chart_img(functools.partial(charts.trend_chart, title="p"), s) \
        == charts.figure_img(charts.trend_chart(s, "p"))
    # an argument that cannot be pickled
    charts.chart_img(charts.trend_chart, s, title=_Unpicklable())
    assert not list(tmp_path.glob("chart-*"))


def test_the_code_hash_is_taken_when_gcmtools_is_imported():
    import subprocess
    import sys

    code = "import gcmtools.store as m; print(m.code_hash.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def _trend_elsewhere(s, title):
    return charts.trend_chart(s, title)


class _Unpicklable(str):
    def __new__(cls):
        return super().__new__(cls, "Trend")

    def __reduce__(self):
        raise TypeError("not picklable")
