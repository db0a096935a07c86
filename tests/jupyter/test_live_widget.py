"""The live face of an explorer, without a browser: one Output, one Plotly figure in it, replaced per change."""
from __future__ import annotations

from nnlib.widgets import gradient_descent_explorer

PLOTLY = "application/vnd.plotly.v1+json"


def outputs_and_sliders():
    explorer = gradient_descent_explorer()
    box = explorer.widget()
    sliders, out = box.children
    return explorer, out, sliders.children


def test_the_output_holds_exactly_the_figure_of_the_current_values():
    explorer, out, (lr, momentum) = outputs_and_sliders()
    assert [o["output_type"] for o in out.outputs] == ["display_data"]
    shown = out.outputs[0]["data"][PLOTLY]
    assert shown["layout"]["title"]["text"] == explorer.frame(lr=0.01, momentum=0.0)["title"]

    lr.value, momentum.value = 0.025, 0.9
    assert len(out.outputs) == 1
    assert out.outputs[0]["data"][PLOTLY]["layout"]["title"]["text"] == \
        explorer.frame(lr=0.025, momentum=0.9)["title"] == out.outputs[0]["data"]["text/plain"]


def test_the_figure_output_is_plain_json_with_the_base_and_frame_traces():
    import json

    explorer, out, _ = outputs_and_sliders()
    spec = out.outputs[0]["data"][PLOTLY]
    json.dumps(spec)  # what the widget's comm sends must be JSON
    assert len(spec["data"]) == len(explorer.base["data"]) + len(explorer.frame()["data"])
    assert spec["config"]["displaylogo"] is False
