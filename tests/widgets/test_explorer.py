"""The explorer mechanism: one display carrying a live widget and a precomputed static page."""
import json

import numpy as np
import pytest

from nnlib import data, linear_regression
from nnlib.widgets import Explorer, compact
from nnlib.widgets.gradient_descent import trajectory
from tests.widgets.pages import built, static_spec


def toy():
    return Explorer({"k": [1, 2, 3], "kind": ["sin", "cos"]},
                    lambda k, kind: [{"type": "scatter", "x": np.arange(3), "y": getattr(np, kind)(k * np.arange(3))}],
                    title="toy")


def test_static_page_has_one_frame_per_combination_in_product_order():
    spec = static_spec(toy().to_html())
    assert spec["names"] == ["k", "kind"] and len(spec["frames"]) == 6
    # index = i_k * 2 + i_kind, as the page's script computes it
    assert spec["frames"][1 * 2 + 1]["data"][0]["y"] == compact(np.cos(2 * np.arange(3)))


def test_static_page_controls():
    html = toy().to_html()
    assert html.count('type="range"') == 1 and html.count("<select") == 1 and "Plotly.react" in html


def test_mimebundle_carries_widget_and_html():
    bundle = toy()._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_compact_rounds_and_nulls():
    out = compact({"y": np.array([1.23456789, np.nan, np.inf]), "n": np.int64(3)})
    assert out == {"y": [1.235, None, None], "n": 3}
    assert compact(np.array([[1.0, 1e-6]])) == [[1.0, 1e-6]]  # small values keep their own digits
    json.dumps(out, allow_nan=False)


def test_bad_controls():
    with pytest.raises(ValueError, match="initial"):
        Explorer({"k": [1, 2]}, lambda k: [], initial={"k": 5})
    with pytest.raises(ValueError, match="at least one control"):
        Explorer({}, lambda: [])


def test_gradient_descent_explorer_frames_differ():
    spec = built("gradient_descent_explorer")[2]
    titles = {f["title"] for f in spec["frames"]}
    assert len(titles) == len(spec["frames"])  # every slider position shows something different


def test_gradient_descent_converges_below_and_diverges_above_the_stable_rate():
    x, t = data.linear_regression()
    limit = linear_regression.max_stable_lr(x)
    a_star, b_star = linear_regression.least_squares(x, t)
    _, loss_ok = trajectory(x, t, lr=0.9 * limit, steps=3000)
    _, loss_bad = trajectory(x, t, lr=1.1 * limit, steps=200)
    assert loss_ok[-1] == pytest.approx(linear_regression.mse(a_star, b_star, x, t), rel=1e-3)
    assert loss_bad[-1] > 1e3 * loss_bad[0]
    # momentum lets a rate that is too large for plain GD converge
    _, loss_momentum = trajectory(x, t, lr=1.1 * limit, momentum=0.5, steps=3000)
    assert loss_momentum[-1] == pytest.approx(loss_ok[-1], rel=1e-3)
