"""Explorer: backpropagation step by step on a 2–3–1 sigmoid network (curriculum topics
34–35, explorer 7).

One training sample (x, t) and the squared error E = ½(y − t)² (nnlib's ``sse`` for a
batch of one). The ``step`` control walks through one forward and one backward pass,
revealing a new quantity at every step: the pre-activations a, the activations z, the
loss, the output δ, the output-layer gradients, the hidden δ's, the hidden-layer
gradients and finally the gradient-descent update.  The ``iteration`` control chooses
how many updates w ← w − η ∂E/∂w were made before the pass shown, so you can watch the
δ's shrink as the output approaches its target.

Every a, z, δ, gradient and loss comes from ``nnlib.MLP.forward`` / ``backward`` (the
layers' ``a``, ``z``, ``delta``, ``dW``, ``db``) and ``nnlib.optim.SGD``; the table only
multiplies out how they arise (σ′(a⁽²⁾) = y(1 − y), ∂E/∂y = y − t, the new weights).
"""
from __future__ import annotations

import numpy as np

from .. import optim
from ..mlp import MLP
from .explorer import Explorer

# The worked example of the backpropagation chapter: no biases, as in the lecture notes
# it follows.
W1 = np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.4]])
W2 = np.array([[0.7, -0.4, 0.9]])
X_EXAMPLE = np.array([1.0, 2.0])
T_EXAMPLE = 1.0
LEARNING_RATE = 2.0
ITERATIONS = (0, 1, 2, 3, 5, 10, 20, 50, 100)

STEPS = (
    ("the network", "weights on the edges, input x and target t"),
    ("forward, hidden layer", "a⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾"),
    ("forward, hidden layer", "z⁽¹⁾ = σ(a⁽¹⁾)"),
    ("forward, output layer", "a⁽²⁾ = W⁽²⁾ z⁽¹⁾ + b⁽²⁾"),
    ("forward, output layer", "y = σ(a⁽²⁾) and the loss E = ½(y − t)²"),
    ("backward, output layer", "δ⁽²⁾ = σ′(a⁽²⁾) ∂E/∂y = y(1 − y)(y − t)"),
    ("backward, output weights", "∂E/∂w⁽²⁾₁ₖ = δ⁽²⁾ z⁽¹⁾ₖ,  ∂E/∂b⁽²⁾ = δ⁽²⁾"),
    ("backward, hidden layer", "δ⁽¹⁾ⱼ = σ′(a⁽¹⁾ⱼ) w⁽²⁾₁ⱼ δ⁽²⁾"),
    ("backward, hidden weights", "∂E/∂w⁽¹⁾ⱼₖ = δ⁽¹⁾ⱼ xₖ,  ∂E/∂b⁽¹⁾ⱼ = δ⁽¹⁾ⱼ"),
    ("update", "w ← w − η ∂E/∂w for every weight, then the loss again"),
)


def example_network(W1=W1, W2=W2):
    """The 2–3–1 sigmoid network of the worked example (biases 0), as an nnlib MLP."""
    net = MLP([2, 3, 1], hidden="sigmoid", output="sigmoid")
    net.set_weights([np.array(W1, float), np.zeros(3), np.array(W2, float),
                     np.zeros(1)])
    return net


def snapshots(net, x, t, lr=LEARNING_RATE, iterations=ITERATIONS):
    """For each k in ``iterations``: the state of one forward + backward pass after k
    updates.

    Returns {k: dict(W1, b1, W2, b2, a1, z1, a2, y, E, delta2, delta1, dW1, db1, dW2,
    db2, E_after)}, every array taken from the network's layers.  ``E_after`` is the
    loss after the (k + 1)-th update.
    """
    net = net.copy()
    X, T = np.atleast_2d(np.asarray(x, float)), np.array([[float(t)]])
    opt = optim.SGD(lr)
    out, done = {}, 0
    for k in sorted(iterations):
        while done < k:
            net.gradients(X, T, "sse")
            opt.step(net.parameters(), net.parameter_gradients())
            done += 1
        W = [p.copy() for p in net.parameters()]
        E = net.loss(X, T, "sse")
        net.backward(T, "sse")
        h, o = net.layers
        snap = {"W1": W[0], "b1": W[1], "W2": W[2], "b2": W[3], "a1": h.a[0].copy(),
                "z1": h.z[0].copy(), "a2": o.a[0].copy(), "y": o.z[0].copy(), "E": E,
                "delta2": o.delta[0].copy(),
                "delta1": h.delta[0].copy(), "dW1": h.dW.copy(), "db1": h.db.copy(),
                "dW2": o.dW.copy(), "db2": o.db.copy()}
        trial = net.copy()
        optim.SGD(lr).step(trial.parameters(), trial.parameter_gradients())
        snap["E_after"] = trial.loss(X, T, "sse")
        out[k] = snap
    return out


# Positions of the units in the diagram: layer l at x = l, units spread vertically.
_POS = {(0, 0): (0, 0.6), (0, 1): (0, -0.6), (1, 0): (1, 1.2), (1, 1): (1, 0.0),
        (1, 2): (1, -1.2), (2, 0): (2, 0.0)}
_EDGES = ([((0, k), (1, j)) for j in range(3) for k in range(2)]
          + [((1, j), (2, 0)) for j in range(3)])


def _f(v):
    return f"{v:+.4f}"


def _base(height):
    import plotly.graph_objects as go

    fig = go.Figure()
    for (l0, k), (l1, j) in _EDGES:
        (x0, y0), (x1, y1) = _POS[(l0, k)], _POS[(l1, j)]
        fig.add_scatter(x=[x0, x1], y=[y0, y1], mode="lines",
                        line={"color": "#bbbbbb", "width": 1.5},
                        hoverinfo="skip", showlegend=False)
    for l, name in enumerate(("input", "hidden (sigmoid)", "output (sigmoid)")):
        fig.add_annotation(x=l, y=1.95, text=f"<b>{name}</b>", showarrow=False,
                           font={"size": 12})
    # The diagram on top, the table of the current step below it: fits a narrow page.
    fig.update_layout(
        xaxis={"domain": [0, 1], "range": [-0.45, 2.55], "visible": False},
        yaxis={"domain": [0.42, 1], "range": [-2.05, 2.1], "visible": False},
        margin={"l": 10, "r": 10, "t": 80, "b": 10}, showlegend=False,
        plot_bgcolor="white", height=height,
        template={"layout": {"title": {"font": {"size": 14}}}},
    )
    return fig


def backprop_stepper_explorer(net=None, x=X_EXAMPLE, t=T_EXAMPLE, lr=LEARNING_RATE,
                              iterations=ITERATIONS):
    """Step and iteration controls → every a, z, δ and gradient of the 2–3–1 network,
    one step at a time."""
    net = example_network() if net is None else net
    if net.sizes != [2, 3, 1]:
        raise ValueError(f"the stepper draws a 2–3–1 network, got sizes {net.sizes}")
    snaps = snapshots(net, x, t, lr, iterations)
    x = np.asarray(x, float)
    height = 780

    def render(step, iteration):
        s = snaps[iteration]
        # Text beside every unit, revealed step by step.
        unit_text, unit_color, unit_xy = [], [], []
        for (l, j), (px, py) in _POS.items():
            lines = []
            if l == 0:
                lines.append(f"x{j + 1} = {x[j]:g}")
                color = "#dddddd"
            else:
                a, z, d = (s["a1"][j], s["z1"][j],
                           s["delta1"][j]) if l == 1 else (s["a2"][0], s["y"][0],
                                                           s["delta2"][0])
                first = 1 if l == 1 else 3
                if step >= first:
                    lines.append(f"a = {_f(a)}")
                if step >= first + 1:
                    lines.append(("z" if l == 1 else "y") + f" = {_f(z)}")
                if step >= (7 if l == 1 else 5):
                    lines.append(f"δ = {_f(d)}")
                active = {1: (1, 2, 7, 8), 2: (3, 4, 5, 6)}[l]
                done = "#9ecae1" if step > min(active) else "white"
                color = "#ff9f40" if step in active else done
            # never "": Plotly.react drops text that was empty
            unit_text.append("<br>".join(lines) or " ")
            unit_color.append(color)
            unit_xy.append((px, py))
        xy = np.array(unit_xy)
        traces = [{"type": "scatter", "x": xy[:, 0], "y": xy[:, 1],
                   "mode": "markers+text", "text": unit_text,
                   "textposition": "bottom center", "textfont": {"size": 11},
                   "marker": {"size": 34, "color": unit_color,
                              "line": {"color": "black", "width": 1.5}},
                   "hoverinfo": "skip", "xaxis": "x", "yaxis": "y"}]
        # Edge labels: the weight, and its gradient once it is known.
        ex, ey, etext = [], [], []
        for (l0, k), (l1, j) in _EDGES:
            (x0, y0), (x1, y1) = _POS[(l0, k)], _POS[(l1, j)]
            frac = 0.66 if l0 == 0 else 0.45
            ex.append(x0 + frac * (x1 - x0))
            ey.append(y0 + frac * (y1 - y0) + 0.1)
            w, g, known = ((s["W1"][j, k], s["dW1"][j, k], step >= 8) if l0 == 0
                           else (s["W2"][0, k], s["dW2"][0, k], step >= 6))
            etext.append(f"w={w:.3f}" + (f"<br><i>∂E/∂w={g:+.4f}</i>" if known else ""))
        traces.append({"type": "scatter", "x": ex, "y": ey, "mode": "text",
                       "text": etext, "textfont": {"size": 9, "color": "#444444"},
                       "hoverinfo": "skip", "xaxis": "x", "yaxis": "y"})
        traces.append({"type": "scatter", "x": [2], "y": [-0.95], "mode": "text",
                       "text": [f"target t = {float(t):g}"
                                + (f"<br>E = {s['E']:.5f}" if step >= 4 else "")],
                       "textfont": {"size": 11}, "hoverinfo": "skip", "xaxis": "x",
                       "yaxis": "y"})
        traces.append(_table(step, s, x, float(t), lr))
        what, formula = STEPS[step]
        title = (f"step {step} of {len(STEPS) - 1}: {what}<br><sub>{formula}  ·  after "
                 f"{iteration} update{'s' if iteration != 1 else ''} with η = "
                 f"{lr:g}</sub>")
        return {"data": traces, "title": title}

    return Explorer({"step": list(range(len(STEPS))), "iteration": list(iterations)},
                    render, _base(height),
                    labels={"step": "step",
                            "iteration": "updates made before this pass"},
                    height=height)


def _table(step, s, x, t, lr):
    """A table trace with the quantities of the current step."""
    rows = []
    if step == 0:
        rows = [("x", "input", ", ".join(f"{v:g}" for v in x)),
                ("t", "target", f"{t:g}"), ("W⁽¹⁾", "3×2",
                 "; ".join(", ".join(f"{w:.3f}" for w in r) for r in s["W1"])),
                ("W⁽²⁾", "1×3", ", ".join(f"{w:.3f}" for w in s["W2"][0])),
                ("b", "biases",
                 f"b⁽¹⁾ = {', '.join(f'{v:.3f}' for v in s['b1'])}; b⁽²⁾ = "
                 f"{s['b2'][0]:.3f}")]
    elif step == 1:
        rows = [(f"a⁽¹⁾{j + 1}",
                 f"{s['W1'][j, 0]:.3f}·{x[0]:g} + {s['W1'][j, 1]:.3f}·{x[1]:g} + "
                 f"{s['b1'][j]:.3f}", _f(s["a1"][j])) for j in range(3)]
    elif step == 2:
        rows = [(f"z⁽¹⁾{j + 1}", f"σ({_f(s['a1'][j])})",
                 _f(s["z1"][j])) for j in range(3)]
    elif step == 3:
        rows = [("a⁽²⁾",
                 " + ".join(f"{s['W2'][0, j]:.3f}·{s['z1'][j]:.4f}" for j in range(3))
                 + f" + {s['b2'][0]:.3f}", _f(s["a2"][0]))]
    elif step == 4:
        rows = [("y", f"σ({_f(s['a2'][0])})", _f(s["y"][0])),
                ("E", f"½({s['y'][0]:.4f} − {t:g})²", f"{s['E']:.6f}")]
    elif step == 5:
        y = s["y"][0]
        rows = [("σ′(a⁽²⁾)", f"y(1 − y) = {y:.4f}·{1 - y:.4f}", f"{y * (1 - y):.6f}"),
                ("∂E/∂y", f"y − t = {y:.4f} − {t:g}", f"{y - t:+.6f}"),
                ("δ⁽²⁾", "σ′(a⁽²⁾) · ∂E/∂y", _f(s["delta2"][0]))]
    elif step == 6:
        rows = [(f"∂E/∂w⁽²⁾1{j + 1}", f"{_f(s['delta2'][0])} · {s['z1'][j]:.4f}",
                 _f(s["dW2"][0, j])) for j in range(3)]
        rows.append(("∂E/∂b⁽²⁾", "δ⁽²⁾", _f(s["db2"][0])))
    elif step == 7:
        rows = [(f"δ⁽¹⁾{j + 1}",
                 f"{s['z1'][j]:.4f}(1 − {s['z1'][j]:.4f}) · {s['W2'][0, j]:.3f} · "
                 f"{_f(s['delta2'][0])}", _f(s["delta1"][j])) for j in range(3)]
    elif step == 8:
        rows = [(f"∂E/∂w⁽¹⁾{j + 1}{k + 1}", f"{_f(s['delta1'][j])} · {x[k]:g}",
                 _f(s["dW1"][j, k]))
                for j in range(3) for k in range(2)]
        rows.append(("∂E/∂b⁽¹⁾", "δ⁽¹⁾", ", ".join(_f(v) for v in s["db1"])))
    else:
        new2 = s["W2"][0] - lr * s["dW2"][0]
        new1 = s["W1"] - lr * s["dW1"]
        rows = [("W⁽²⁾ new", f"W⁽²⁾ − {lr:g} ∂E/∂W⁽²⁾",
                 ", ".join(f"{w:.3f}" for w in new2)),
                ("W⁽¹⁾ new", f"W⁽¹⁾ − {lr:g} ∂E/∂W⁽¹⁾",
                 "; ".join(", ".join(f"{w:.3f}" for w in r) for r in new1)),
                ("E before", "", f"{s['E']:.6f}"),
                ("E after", "same x, new weights", f"{s['E_after']:.6f}")]
    cols = [list(c) for c in zip(*rows)]
    return {"type": "table", "domain": {"x": [0.0, 1.0], "y": [0.0, 0.38]},
            "columnwidth": [1.0, 3.0, 1.4],
            "header": {"values": ["<b>quantity</b>", "<b>computed as</b>",
                                  "<b>value</b>"], "align": "left",
                       "fill": {"color": "#e8eef7"}},
            "cells": {"values": cols, "align": "left", "height": 26,
                      "font": {"size": 11}}}
