"""notebooks/explore.ipynb executed by papermill in a real kernel: the explorer's chart reaches
the front end as an image (image/png in its Output widget), not as the text of a Figure."""

import json

import pytest

from conftest import ROOT, run_notebook


@pytest.mark.slow
def test_explore_notebook_sends_the_chart_as_an_image(tmp_path):
    out = tmp_path / "explore.ipynb"
    run_notebook(ROOT / "notebooks" / "explore.ipynb", out,
                 parameters={"practices": "tests/fixtures/good/two_practices.csv"}, cwd=ROOT / "notebooks")
    nb = json.loads(out.read_text(encoding="utf-8"))
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = [o for m in state.values() if m["model_name"] == "OutputModel"
             for o in m["state"].get("outputs", [])]
    images = [o for o in shown if "image/png" in o.get("data", {})]
    assert len(images) == 1 and images[0]["data"]["image/png"].startswith("iVBOR")  # PNG, base64
    assert not any("<Figure size" in str(o.get("data", {}).get("text/plain", "")) for o in shown)
    labels = [m["state"].get("_options_labels") for m in state.values() if m["model_name"] == "DropdownModel"]
    assert ["(any)", "Armenia (ARM)", "Georgia (GEO)"] in labels
    buttons = [m["state"]["description"] for m in state.values() if m["model_name"] == "ButtonModel"]
    assert buttons == ["Export"]
