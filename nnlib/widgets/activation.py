"""Explorer: activation functions and their derivatives (curriculum topic 21).

A dropdown picks the activation σ, a slider a point a₀.  Left: σ(a) with its tangent
line at a₀, whose slope is σ'(a₀); right: σ'(a) with the point (a₀, σ'(a₀)) marked.
Values come from ``nnlib.activations``.  At a = 0, where ReLU and leaky ReLU have a kink
and step and sign a jump, the derivative shown is nnlib's convention: the value for
a < 0 (0 for step and sign, whose jump has no derivative).  ELU with α = 1 has no kink:
both sides have slope 1 there.
"""
from __future__ import annotations

import numpy as np

from .. import activations
from .explorer import Explorer, styled_template

NAMES = ("linear", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
         "softplus")
POINTS = (-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0)
A_RANGE = (-4.0, 4.0)
TANGENT_HALF_WIDTH = 1.5
STYLES = [
    # σ
    {"mode": "lines", "line": {"color": "#1f77b4", "width": 2.5}, "hoverinfo": "x+y"},
    # tangent
    {"mode": "lines", "line": {"color": "#ff7f0e", "width": 2, "dash": "dash"},
     "hoverinfo": "skip"},
    # (a₀, σ(a₀))
    {"mode": "markers", "marker": {"size": 10, "color": "#ff7f0e"}},
    # σ'
    {"mode": "lines", "line": {"color": "#2ca02c", "width": 2.5}, "hoverinfo": "x+y"},
    # (a₀, σ'(a₀))
    {"mode": "markers", "marker": {"size": 10, "color": "#ff7f0e"}},
]


def curve(fn, a):
    """fn(a) with None where the curve jumps (step, sign), so no vertical line is drawn
    across the jump."""
    y = np.asarray(fn(a), float)
    jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.5)
    return np.insert(a, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan)


def activation_explorer(names=NAMES, points=POINTS, a_range=A_RANGE, name="sigmoid",
                        a0=1.0):
    """Function dropdown and a₀ slider → σ with its tangent at a₀, and σ' with the point
    (a₀, σ'(a₀))."""
    from plotly.subplots import make_subplots

    a = np.round(np.linspace(*a_range, 81), 6)
    base = make_subplots(rows=1, cols=2,
                         subplot_titles=("σ(a) and its tangent at a₀", "σ′(a)"))
    base.update_layout(showlegend=False, margin={"l": 50, "r": 20, "t": 80, "b": 50})
    base.update_xaxes(title_text="a", range=list(a_range), zeroline=True)
    base.update_yaxes(autorange=True)   # each function gets the vertical range it needs
    base = base.to_dict()
    # set as a whole: plotly.py would merge it
    base["layout"]["template"] = styled_template(STYLES)

    def render(name, a0):
        act = activations.get(name)
        f0, d0 = float(act(np.array(a0))), float(act.derivative(np.array(a0)))
        fx, fy = curve(act, a)
        dx, dy = curve(act.derivative, a)
        ta = np.array([a0 - TANGENT_HALF_WIDTH, a0 + TANGENT_HALF_WIDTH])
        kinked = name in ("step", "sign", "relu", "leaky_relu")
        kink = " (nnlib's convention at the kink)" if a0 == 0 and kinked else ""
        return {"data": [
            {"type": "scatter", "x": fx, "y": fy, "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "x": ta, "y": f0 + d0 * (ta - a0), "xaxis": "x",
             "yaxis": "y"},
            {"type": "scatter", "x": [a0], "y": [f0], "xaxis": "x", "yaxis": "y"},
            {"type": "scatter", "x": dx, "y": dy, "xaxis": "x2", "yaxis": "y2"},
            {"type": "scatter", "x": [a0], "y": [d0], "xaxis": "x2", "yaxis": "y2"},
        ], "title": f"{name}: {act.formula};  at a₀ = {a0:g}: σ(a₀) = {f0:.4g}, σ′(a₀) "
                    f"= {d0:.4g}{kink}"}

    return Explorer({"name": list(names), "a0": list(points)}, render, base,
                    initial={"name": name, "a0": a0},
                    labels={"name": "activation σ", "a0": "point a₀"}, height=430)
