"""Explorer: one threshold neuron with two inputs (curriculum topics 6–8).

Sliders set the weights w = (w₀, w₁, w₂) of y = h(w₀ + w₁x₁ + w₂x₂), where h is the step
function (1 if its argument is > 0, else 0) and w₀ is the bias weight on the constant
input x₀ = 1.  The figure is the input plane: the boundary line w₀ + w₁x₁ + w₂x₂ = 0,
the half-plane where the neuron outputs 1 (shaded), the weight vector (w₁, w₂) drawn as
an arrow normal to the line, and the four rows of the truth table coloured by the
neuron's output.  The title names the Boolean function the weights compute: OR for w =
(−½, 1, 1), AND for w = (−2, 3/2, 1).
"""
from __future__ import annotations

import numpy as np

from .. import data, neuron
from .explorer import Explorer, styled_template

BOX = (-0.75, 1.75)                      # the square of the input plane that is drawn
BIASES = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]
WEIGHTS = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
OUTPUT_COLORS = ("#1f77b4", "#d62728")    # output 0, output 1

# Every Boolean function of two inputs, keyed by its outputs on the rows (0,0), (0,1),
# (1,0), (1,1).
BOOLEAN_FUNCTIONS = {
    (0, 0, 0, 0): "FALSE (always 0)", (0, 0, 0, 1): "AND",
    (0, 0, 1, 0): "x₁ AND NOT x₂", (0, 0, 1, 1): "x₁",
    (0, 1, 0, 0): "NOT x₁ AND x₂", (0, 1, 0, 1): "x₂", (0, 1, 1, 0): "XOR",
    (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR", (1, 0, 0, 1): "XNOR", (1, 0, 1, 0): "NOT x₂",
    (1, 0, 1, 1): "x₁ OR NOT x₂",
    (1, 1, 0, 0): "NOT x₁", (1, 1, 0, 1): "NOT x₁ OR x₂", (1, 1, 1, 0): "NAND",
    (1, 1, 1, 1): "TRUE (always 1)",
}


def truth_table(w):
    """The neuron's outputs y on the rows (0,0), (0,1), (1,0), (1,1), and the weighted
    sums s = wᵀx."""
    X, _ = data.logic_gate("and")  # only the input rows are used
    return neuron.neuron(w, X), neuron.weighted_sum(w, X)


def boolean_function(outputs):
    """The name of the Boolean function with these four outputs (see BOOLEAN_FUNCTIONS).
    """
    return BOOLEAN_FUNCTIONS[tuple(int(v) for v in outputs)]


def positive_region(w, box=BOX):
    """Corners of the part of the square box² where w₀ + w₁x₁ + w₂x₂ > 0 (clipping a
    square by a half-plane).

    Returns an array (corners, 2), empty if the neuron outputs 0 on the whole square.
    """
    lo, hi = box
    square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
    s = neuron.weighted_sum(w, square)
    corners = []
    for k in range(4):
        p, q, sp, sq = square[k], square[(k + 1) % 4], s[k], s[(k + 1) % 4]
        if sp > 0:
            corners.append(p)
        if (sp > 0) != (sq > 0) and sp != sq:   # the boundary crosses this edge
            corners.append(p + (q - p) * sp / (sp - sq))
    return np.array(corners).reshape(-1, 2)


def boundary_segment(w, box=BOX):
    """The two end points of the boundary line w₀ + w₁x₁ + w₂x₂ = 0 inside the square,
    or None if it misses it."""
    w0, w1, w2 = (float(v) for v in w)
    lo, hi = box
    points = []
    for c in (lo, hi):
        if w2 != 0:                                   # crossing of the edge x₁ = c
            points.append((c, float(neuron.boundary_line(w, c))))
        if w1 != 0:                                   # crossing of the edge x₂ = c
            points.append((-(w0 + w2 * c) / w1, c))
    eps = 1e-9
    ends = []
    for p in points:
        inside = lo - eps <= p[0] <= hi + eps and lo - eps <= p[1] <= hi + eps
        if inside and all(np.hypot(p[0] - q[0], p[1] - q[1]) > eps for q in ends):
            ends.append(p)
    return np.array(ends[:2]) if len(ends) >= 2 else None


def _fmt(v):
    return f"{v:g}"


# Trace styles live in the layout's template (Plotly applies template.data.scatter[k] to
# the k-th scatter trace), so each of the many precomputed frames carries only its
# numbers.
STYLES = [
    {"mode": "lines", "fill": "toself", "fillcolor": "rgba(214,39,40,0.12)",
     "line": {"width": 0},
     # output-1 region
     "hoverinfo": "skip"},
    # boundary line
    {"mode": "lines", "line": {"color": "black", "width": 2}, "hoverinfo": "skip"},
    # weight vector
    {"mode": "lines+markers", "line": {"color": "gray"}, "hoverinfo": "skip",
     "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 12],
                "color": "gray"}},
    # truth table
    {"mode": "markers+text", "textposition": "top center",
     "marker": {"size": 18, "line": {"color": "black", "width": 1}}},
]


def neuron_explorer(biases=BIASES, weights=WEIGHTS, w=(-0.5, 1.0, 1.0)):
    """Sliders w₀, w₁, w₂ → the boundary line, the output-1 half-plane and the coloured
    truth table."""
    X, _ = data.logic_gate("and")
    lo, hi = BOX
    base = {"data": [], "layout": {
        "template": styled_template(STYLES),
        "xaxis": {"title": {"text": "x₁"}, "range": [lo, hi], "zeroline": False,
                  "dtick": 0.5, "constrain": "domain"},
        "yaxis": {"title": {"text": "x₂"}, "range": [lo, hi], "zeroline": False,
                  "dtick": 0.5,
                  "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
        "margin": {"l": 50, "r": 20, "t": 60, "b": 50}, "showlegend": False,
        "shapes": [{"type": "rect", "x0": lo, "x1": hi, "y0": lo, "y1": hi,
                    "line": {"color": "gray", "width": 1}}],
    }}
    empty = {"type": "scatter", "x": [], "y": []}

    def render(w0, w1, w2):
        wv = np.array([w0, w1, w2])
        y, s = truth_table(wv)
        region, segment = positive_region(wv), boundary_segment(wv)
        # always four traces, so the styles line up
        traces = [dict(empty), dict(empty), dict(empty)]
        if len(region):
            closed = np.vstack([region, region[:1]])
            traces[0] = {"type": "scatter", "x": closed[:, 0], "y": closed[:, 1]}
        if segment is not None:
            traces[1] = {"type": "scatter", "x": segment[:, 0], "y": segment[:, 1]}
            # The weight vector (w₁, w₂), drawn from the middle of the boundary, points
            # to the output-1 side.
            mid = segment.mean(axis=0)
            arrow = np.array([mid, mid + 0.4 * np.array([w1, w2]) / np.hypot(w1, w2)])
            traces[2] = {"type": "scatter", "x": arrow[:, 0], "y": arrow[:, 1]}
        traces.append({"type": "scatter", "x": X[:, 0], "y": X[:, 1],
                       "marker": {"color": [OUTPUT_COLORS[int(v)] for v in y]},
                       "text": [f"s={_fmt(v)}, y={int(o)}" for v, o in zip(s, y)]})
        return {"data": traces,
                "title": f"w = ({_fmt(w0)}, {_fmt(w1)}, {_fmt(w2)}): outputs "
                         f"({', '.join(str(int(v)) for v in y)}) → "
                         f"{boolean_function(y)}"}

    return Explorer({"w0": list(biases), "w1": list(weights), "w2": list(weights)},
                    render, base, initial={"w0": w[0], "w1": w[1], "w2": w[2]},
                    labels={"w0": "bias w₀", "w1": "weight w₁", "w2": "weight w₂"},
                    height=520)
