"""The analysts' explorer: accepted practices in, a filtered selection (table, chart, export) out.

The filtering is a pure function (`select`), tested without a browser; the ipywidgets controls
only collect values and call it. Setting a widget's value runs its callback at once, so tests
drive the explorer by setting values and reading `Explorer.selection`.

The text search finds the practices whose title, description or submitter hold every word
asked for, in any order, each compared by its Snowball stems in English, French and Russian
(catalogue.stems: "alternative detention" finds "alternatives to detention"). The chart is
sent to the front end as a PNG image (a Figure built without pyplot has no inline display of
its own: JupyterLab showed only its text). Exports are written relative to the project folder
and carry no machine path.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from gcmtools import catalogue, paths
from gcmtools.catalogue.stems import search_stems
from gcmtools.html import render
from gcmtools.intake import export

ANY = "(any)"
TABLE_COLUMNS = ["practice_id", "title", "submitter", "submitter_type", "country", "objectives",
                 "guiding_questions", "practice_type", "covid19", "year_start"]


@dataclass(frozen=True)
class Filters:
    """What the analyst asked for; empty values mean 'any'."""

    objective: int | None = None
    question: int | None = None
    country: str = ""
    subregion: str = ""
    submitter_type: str = ""
    principle: str = ""
    target_group: str = ""
    covid19: str = ""  # "yes", "no" or ""
    text: str = ""


def select(practices: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The accepted practices matching every filter, sorted by practice_id."""
    df = practices
    keep = pd.Series(True, index=df.index)
    if f.objective is not None:
        keep &= df["objectives"].map(lambda o: f.objective in o)
    if f.question is not None:
        keep &= df["guiding_questions"].map(lambda q: f.question in q)
    if f.country:
        keep &= df["country"].map(lambda cs: f.country in cs)
    if f.subregion:
        members = set(catalogue.unece_states().query("subregion == @f.subregion")["iso3"])
        keep &= df["country"].map(lambda cs: bool(members.intersection(cs)))
    if f.submitter_type:
        keep &= df["submitter_type"] == f.submitter_type
    if f.principle:
        keep &= df["principles"].map(lambda p: f.principle in p)
    if f.target_group:
        keep &= df["target_groups"].map(lambda t: f.target_group in t)
    if f.covid19:
        keep &= df["covid19"] == f.covid19
    asked = search_stems(f.text)
    if asked:
        hay = (df["title"] + " " + df["description"] + " " + df["submitter"]).map(
            lambda text: frozenset().union(*search_stems(text)))
        keep &= hay.map(lambda stems: all(stems & word for word in asked))
    return df[keep].sort_values("practice_id", kind="stable").reset_index(drop=True)


def table(selection: pd.DataFrame) -> pd.DataFrame:
    """The selection as the explorer's table: lists joined for reading."""
    out = selection.reindex(columns=TABLE_COLUMNS).copy()
    for col in ("country", "objectives", "guiding_questions"):
        out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else "")
    return out


def practice_html(row: pd.Series) -> str:
    """One practice in full (templates/explorer_practice.html): every submitted value escaped,
    only an http(s) source_ref clickable."""
    fields = [(col, "; ".join(map(str, value)) if isinstance(value, list)
               else ("" if pd.isna(value) else str(value)))
              for col, value in row.items() if not col.startswith("_")]
    return render("explorer_practice.html", fields=fields).rstrip("\n")


def selection_figure(selection: pd.DataFrame, review: catalogue.Review) -> Figure:
    """Bar chart: the selected practices per roundtable objective."""
    counts = {o: int(selection["objectives"].map(lambda x: o in x).sum()) for o in review.objectives}
    fig = Figure(figsize=(7, 3), dpi=100)
    ax = fig.subplots()
    labels = [f"{o} {catalogue.objective_label(o)}" for o in counts]
    ax.barh(labels, list(counts.values()), color="#1f5fa8")
    ax.invert_yaxis()
    ax.set_xlabel("practices (number)")
    ax.set_title(f"Selected practices by objective ({len(selection)} in all)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes: what the explorer displays (as an image, not as text)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def country_options(iso3s) -> list[tuple[str, str]]:
    """(label, value) pairs of a country drop-down: 'Armenia (ARM)' -> 'ARM', by name."""
    labels = {c: f"{catalogue.country_name(c)} ({c})" for c in set(iso3s)}
    return sorted(((label, c) for c, label in labels.items()), key=lambda p: p[0].casefold())


def export_selection(selection: pd.DataFrame, out: str | Path) -> Path:
    """Write the selection to CSV or XLSX (by suffix), formula-safe, to `out` (a relative path
    is relative to the project folder); the files are named relative to the project folder
    (or by their name alone when outside it), never by a machine path."""
    out = Path(out)
    # written into the project folder itself (never read-side fallbacks to the checkout)
    out = out if out.is_absolute() else paths.project_root() / out
    frame = selection.drop(columns=[c for c in selection.columns if c.startswith("_")])
    if "source_file" in frame.columns:
        frame = frame.assign(source_file=frame["source_file"].map(paths.relative))
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise ValueError(f"{out.name}: export to .csv or .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        return export.write_xlsx({"Selection": frame}, out)
    return export.write_csv(frame, out)


@dataclass
class Explorer:
    """ipywidgets controls over `practices`; `selection` always holds the current result and
    `chart` its chart (PNG bytes, as displayed).
    `rejected` is the number of submitted rows validation refused (not explorable; shown
    beside the selection so that the analyst knows what the table leaves out)."""

    practices: pd.DataFrame
    review: catalogue.Review = field(default_factory=catalogue.load_review)
    rejected: int = 0
    selection: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        import ipywidgets as w

        df = self.practices
        options = lambda values: [ANY] + sorted({str(v) for v in values})  # noqa: E731
        self.controls = {
            "objective": w.Dropdown(description="Objective", options=[ANY] + [str(o) for o in self.review.objectives]),
            "question": w.Dropdown(description="Question", options=[ANY] + [str(q.number) for q in self.review.guiding_questions]),
            "country": w.Dropdown(description="Country", options=[(ANY, ANY)] + country_options(
                c for cs in df["country"] for c in cs)),
            "subregion": w.Dropdown(description="Subregion", options=options(catalogue.unece_states()["subregion"])),
            "submitter_type": w.Dropdown(description="Submitter", options=options(df["submitter_type"])),
            "principle": w.Dropdown(description="Principle", options=[ANY] + list(catalogue.principles()["slug"])),
            "target_group": w.Dropdown(description="Target group", options=options(t for ts in df["target_groups"] for t in ts)),
            "covid19": w.Dropdown(description="COVID-19", options=[ANY, "yes", "no"]),
            "text": w.Text(description="Text", placeholder="words in title, description, submitter"),
        }
        self.export_to = w.Text(description="Export to", value="outputs/selection.xlsx",
                                placeholder="a .xlsx or .csv file, relative to the project folder")
        self.export_button = w.Button(description="Export", icon="download",
                                      tooltip="Write the current selection to the file named beside")
        self.export_status = w.HTML()
        self.detail = w.Dropdown(description="Open", options=[])
        self.table_out, self.chart_out, self.detail_out = w.Output(), w.Output(), w.Output()
        self.count = w.HTML()
        for c in self.controls.values():
            c.observe(self._changed, names="value")
        self.detail.observe(self._open, names="value")
        self.export_button.on_click(self._export_clicked)
        self._changed()

    def filters(self) -> Filters:
        """The controls' values as Filters."""
        v = {k: c.value for k, c in self.controls.items()}
        pick = lambda k: "" if v[k] == ANY else v[k]  # noqa: E731
        return Filters(
            objective=None if v["objective"] == ANY else int(v["objective"]),
            question=None if v["question"] == ANY else int(v["question"]),
            country=pick("country"), subregion=pick("subregion"),
            submitter_type=pick("submitter_type"), principle=pick("principle"),
            target_group=pick("target_group"), covid19=pick("covid19"), text=v["text"],
        )

    def _changed(self, _change=None) -> None:
        from IPython.display import HTML, Image, display

        self.selection = select(self.practices, self.filters())
        rejected = (f"; {self.rejected} submitted row(s) rejected by validation, not shown"
                    if self.rejected else "")
        self.count.value = f"<b>{len(self.selection)}</b> of {len(self.practices)} practices{rejected}"
        self.detail.options = list(self.selection["practice_id"])
        self.table_out.clear_output(wait=True)
        with self.table_out:
            display(HTML(table(self.selection).to_html(index=False, escape=True, border=0)))
        self.chart = figure_png(selection_figure(self.selection, self.review))
        self.chart_out.clear_output(wait=True)
        with self.chart_out:
            display(Image(data=self.chart, format="png"))

    def _open(self, _change=None) -> None:
        from IPython.display import HTML, display

        self.detail_out.clear_output()
        if self.detail.value:
            row = self.selection.set_index("practice_id", drop=False).loc[self.detail.value]
            with self.detail_out:
                display(HTML(practice_html(row)))

    def _export_clicked(self, _button=None) -> None:
        import html

        try:
            written = self.export(self.export_to.value.strip())
        except (ValueError, OSError) as exc:
            self.export_status.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        self.export_status.value = (f"{len(self.selection)} practice(s) written to "
                                    f"{html.escape(paths.relative(written))}")

    def export(self, out: str | Path) -> Path:
        """Export the current selection (CSV or XLSX; a relative path is relative to the
        project folder)."""
        return export_selection(self.selection, out)

    def widget(self):
        """The explorer's layout, to display in JupyterLab: the controls with the export
        beside them, the counts, the chart, the table, a practice in full."""
        import ipywidgets as w

        controls = list(self.controls.values())
        exporting = w.VBox([self.export_to, self.export_button, self.export_status])
        return w.VBox([w.HBox([w.VBox(controls[:5]), w.VBox(controls[5:]), exporting]), self.count,
                       self.chart_out, self.table_out, self.detail, self.detail_out])


def open_explorer(practices: str = "data/practices", review: str = catalogue.DEFAULT_REVIEW) -> Explorer:
    """Validate the practices under `practices` (relative to the project root) and explore them."""
    from gcmtools.intake.validate import validate_paths

    found = [paths.from_root(p.strip()) for p in practices.split(";") if p.strip()]
    rev = catalogue.load_review(review)
    result = validate_paths(found, rev)
    return Explorer(result.accepted, rev, rejected=len(result.rejected))
