"""Explorer: the Hebbian, perceptron and ADALINE rules, one update at a time (curriculum
topics 9–13).

A small separable data set of eight points in the plane; a dropdown picks the learning
rule, a slider the learning rate η and a second slider the step k.  The figure shows the
boundary wᵀx = 0 and the half-plane the neuron assigns to class +1 after k online
updates, the sample used in step k (ringed) and the samples the current weights get
wrong (crossed).  The title prints the step: epoch, sample, target t, output y, the
update Δw and the new weights.

Every run starts from the same weights w = (1, −1, ½), which get the data wrong, so that
η matters (from w = 0 the perceptron's boundaries do not depend on η at all: every
weight vector is η times a sum of ±x).  Hebbian learning uses targets ±1, the perceptron
0/1 (Rosenblatt's form, Δw = η(t − y)x) and ADALINE ±1; the traces come from
``nnlib.learning_rules``.
"""
from __future__ import annotations

import numpy as np

from .. import learning_rules, neuron
from .explorer import Explorer, styled_template
from .neuron import boundary_segment, positive_region

# Eight points: class +1 up and to the right, class −1 down and to the left, with two
# near the boundary.
POINTS = np.array([[1.0, 1.5], [2.0, 0.5], [0.3, 0.9], [1.2, -0.2],
                   [-1.0, -0.5], [0.0, -1.2], [-1.5, 0.8], [0.2, -0.1]])
LABELS = np.array([1, 1, 1, 1, -1, -1, -1, -1], dtype=float)
START = (1.0, -1.0, 0.5)
RULES = ("Hebbian", "perceptron", "ADALINE")
ETAS = (0.05, 0.1, 0.2, 0.4)
STEPS = 48
BOX = (-2.5, 2.5)
COLORS = {-1: "#1f77b4", 1: "#d62728"}

STYLES = [
    # the data (base)
    {}, {},
    {"mode": "lines", "fill": "toself", "fillcolor": "rgba(214,39,40,0.10)",
     "line": {"width": 0},
     # class +1 region
     "hoverinfo": "skip"},
    # boundary
    {"mode": "lines", "line": {"color": "black", "width": 2}, "hoverinfo": "skip"},
    # mistakes
    {"mode": "markers", "hoverinfo": "skip", "marker": {"symbol": "x-thin", "size": 16,
                "line": {"width": 2, "color": "black"}}},
    # current sample
    {"mode": "markers", "hoverinfo": "skip",
     "marker": {"symbol": "circle-open", "size": 26, "color": "#2ca02c",
                "line": {"width": 3}}},
]


def run(rule, eta, X=POINTS, t=LABELS, w0=START, max_epochs=50):
    """The nnlib trace of ``rule`` on (X, t) with bipolar targets t (converted to 0/1
    for the perceptron)."""
    t = np.asarray(t, float)
    if rule == "Hebbian":
        return learning_rules.hebbian(X, t, eta=eta, w0=w0, max_epochs=max_epochs)
    if rule == "perceptron":
        return learning_rules.perceptron(X, (t + 1) / 2, eta=eta, w0=w0,
                                         coding="binary", max_epochs=max_epochs)
    if rule == "ADALINE":
        return learning_rules.adaline(X, t, eta=eta, w0=w0, max_epochs=max_epochs,
                                      tol=0.0)
    raise ValueError(f"unknown rule {rule!r}; valid rules are: {', '.join(RULES)}")


def weights_after(trace, k):
    """w after k steps of the trace (k = 0: the initial weights; past the end: the final
    weights)."""
    if k == 0 or not trace.steps:
        return np.asarray(trace.initial, float)
    return np.asarray(trace.steps[min(k, len(trace.steps)) - 1].weights, float)


def _mistakes(n):
    return f"{n} mistake" + ("" if n == 1 else "s")


def _vec(v):
    # + 0.0 turns −0 into 0
    return "(" + ", ".join(f"{x + 0.0:.3g}" for x in np.atleast_1d(v)) + ")"


def learning_rule_explorer(X=POINTS, t=LABELS, rules=RULES, etas=ETAS, steps=STEPS,
                           w0=START, rule="perceptron", eta=0.1):
    """Rule dropdown, η slider and step slider → boundary, mistakes and the update of
    that step."""
    X, t = np.asarray(X, float), np.asarray(t, float)
    lo, hi = BOX
    base = {"data": [{"type": "scatter", "x": X[t == c, 0], "y": X[t == c, 1],
                      "mode": "markers",
                      "name": f"t = {c:+d}", "marker": {"size": 12, "color": COLORS[c],
                                                        "line": {"color": "black",
                                                                 "width": 1}}}
                     for c in (-1, 1)],
            "layout": {"template": styled_template(STYLES), "showlegend": False,
                       "xaxis": {"title": {"text": "x₁"}, "range": [lo, hi],
                                 "zeroline": False, "constrain": "domain"},
                       "yaxis": {"title": {"text": "x₂"}, "range": [lo, hi],
                                 "zeroline": False, "scaleanchor": "x", "scaleratio": 1,
                                 "constrain": "domain"},
                       "margin": {"l": 50, "r": 20, "t": 70, "b": 50},
                       "title": {"font": {"size": 13}}}}
    traces = {}

    def render(rule, eta, step):
        if (rule, eta) not in traces:
            traces[rule, eta] = run(rule, eta, X, t, w0)
        trace = traces[rule, eta]
        w = weights_after(trace, step)
        region, segment = positive_region(w, BOX), boundary_segment(w, BOX)
        coding = "binary" if rule == "perceptron" else "bipolar"
        wrong = neuron.neuron(w, X,
                              coding) != ((t + 1) / 2 if coding == "binary" else t)
        empty = {"type": "scatter", "x": [], "y": []}
        frame = [dict(empty), dict(empty),
                 {"type": "scatter", "x": X[wrong, 0], "y": X[wrong, 1]}, dict(empty)]
        if len(region):
            closed = np.vstack([region, region[:1]])
            frame[0] = {"type": "scatter", "x": closed[:, 0], "y": closed[:, 1]}
        if segment is not None:
            frame[1] = {"type": "scatter", "x": segment[:, 0], "y": segment[:, 1]}
        if step == 0:
            title = (f"{rule}, η = {eta:g}: initial weights w = {_vec(w)}, "
                     f"{_mistakes(int(wrong.sum()))}")
        elif step > len(trace.steps):
            title = (f"{rule}, η = {eta:g}: {trace.reason} after {len(trace.steps)} "
                     f"steps; w = {_vec(w)}")
        else:
            s = trace.steps[step - 1]
            frame[3] = {"type": "scatter", "x": [X[s.sample, 0]], "y": [X[s.sample, 1]]}
            out = f"wᵀx = {s.output:.3g}" if rule == "ADALINE" else f"y = {s.output:g}"
            title = (f"{rule}, η = {eta:g}, step {step} (epoch {s.epoch}, sample "
                     f"{s.sample}): t = {s.target:g}, {out}<br>Δw = {_vec(s.update)}, "
                     f"w = {_vec(w)}, {_mistakes(int(wrong.sum()))}")
        return {"data": frame, "title": title}

    return Explorer({"rule": list(rules), "eta": list(etas),
                     "step": list(range(steps + 1))}, render, base,
                    initial={"rule": rule, "eta": eta, "step": 8},
                    labels={"rule": "rule", "eta": "learning rate η",
                            "step": "step k"}, height=520)
