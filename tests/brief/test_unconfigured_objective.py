"""A review that names an objective no key-figure specification covers (issue 16): the brief
says so, never "indicators it uses ()" nor "published for one country only"."""

from __future__ import annotations

import re

import pandas as pd

from conftest import ROOT
from gcmtools import brief
from gcmtools.brief import sections

REVIEW = """id: test-rt9
review: A test review
period: 2019-2020
roundtable:
  number: 9
  title: Data
  objectives: [1, 8]
"""


def text(fragment) -> str:
    html = fragment.data if hasattr(fragment, "data") else fragment._repr_html_()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_objective_without_key_figure_specs_is_said_to_have_none(tmp_path):
    review = tmp_path / "rt9.yaml"
    review.write_text(REVIEW, encoding="utf-8")
    empty = pd.DataFrame(columns=["indicator", "geo", "year", "value", "unit", "source"])
    ctx = brief.load_context(str(review), 1, str(ROOT / "data" / "practices"), "", observations=empty)
    shown = {name: text(getattr(sections, name)(ctx)) for name in ("key_figures", "trend", "comparison", "header")}
    assert "No key figures: no key-figure specification names objective 1" in shown["key_figures"]
    assert shown["trend"] == "No trend: no key-figure specification names objective 1."
    assert shown["comparison"] == "No country comparison: no key-figure specification names objective 1."
    assert "()" not in " ".join(shown.values())  # nor the review's empty dates
    assert "one country only" not in " ".join(shown.values())
