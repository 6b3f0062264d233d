"""Figures: titles, labelled axes, source lines, alt text, thousands separators, no pyplot state."""

import html
import re

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


# --- readable in print, on screen, in greyscale and with colour-blindness ---------------------

def _srgb_to_linear(hex_colour: str):
    import numpy as np

    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear):
    """CIE L*a*b* (D65) of linear sRGB."""
    import numpy as np

    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB
DEUTERANOPIA = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
PROTANOPIA = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]


def test_series_colours_differ_in_greyscale_and_for_colour_blind_readers():
    import numpy as np

    a, b = (_srgb_to_linear(c) for c in charts.PALETTE)
    luminance = np.array([0.2126, 0.7152, 0.0722])
    assert abs(_lab(a)[0] - _lab(b)[0]) >= 20  # greyscale: L* apart (Okabe-Ito blue and orange: ~25)
    assert abs(luminance @ a - luminance @ b) >= 0.2
    for matrix in (DEUTERANOPIA, PROTANOPIA):
        m = np.array(matrix)
        assert np.linalg.norm(_lab(m @ a) - _lab(m @ b)) >= 20  # CIE76 ΔE: clearly different


def test_source_line_is_9_pt_printed_and_12_px_on_screen():
    s = Series("trend", "A trend", "x", "persons", "Some custodian", "v1", "A caveat",
               pd.DataFrame({"year": ["2019", "2020"], "value": [1.0, 2.0], "value_text": ["1", "2"],
                             "suppressed": [False, False]}))
    fig = charts.trend_chart(s)
    source = next(t for t in fig.texts if t.get_text().startswith("Source:"))
    size_pt = source.get_fontsize()
    shown_px = int(re.search(r'width="(\d+)"', charts.figure_img(fig)).group(1))
    on_screen_px = size_pt * charts.DPI / 72 * shown_px / (fig.get_figwidth() * charts.DPI)
    a4_text_width_in = 8.27 - 2 * 2 / 2.54
    printed_pt = size_pt * min(1.0, a4_text_width_in / fig.get_figwidth())
    assert on_screen_px >= 12 and printed_pt >= 9, (on_screen_px, printed_pt)
    # outside the plot: below the axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    assert source.get_window_extent(renderer).y1 < fig.axes[0].get_window_extent(renderer).y0
