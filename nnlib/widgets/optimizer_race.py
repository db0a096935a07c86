"""Explorer: six optimizers race on one 2-D loss surface (curriculum topic 37, explorer
6).

SGD, momentum, Nesterov, Adagrad, RMSProp and Adam (all from ``nnlib.optim``) start from
the same point with the same learning rate η.  Left: their paths over the contour plot
of the surface; right: how far above the minimum each one is, step by step (log scale;
the curves pass through every third step and the last).  The surfaces:

* ``valley``      f = 0.1 x² + 2 y²: a long, narrow quadratic valley (Hessian
  eigenvalues 0.2 and 4);
* ``rosenbrock``  f = (1 − x)² + 10 (y − x²)²: a curved banana-shaped valley, minimum at
  (1, 1);
* ``saddle``      f = ½ x² + ¼ y⁴ − ½ y²: a saddle at the origin between two minima (0,
  ±1), with the start almost on the ridge, where the gradient across it is tiny.
"""
from __future__ import annotations

import numpy as np

from .. import optim
from .._checks import lookup
from .shared_traces import SharedTracesExplorer

BLOW_UP = 1e3  # a point this far out has left the picture for good: stop following it
FLOOR = 1e-10  # f − f* is drawn on a log axis; exact zeros are shown at this floor


def _surface(f, grad, start, x_range, y_range, minima, f_min, formula):
    return {"f": f, "grad": grad, "start": start, "x_range": x_range,
            "y_range": y_range, "minima": minima, "f_min": f_min, "formula": formula}


SURFACES = {
    "valley": _surface(lambda x, y: 0.1 * x ** 2 + 2 * y ** 2,
                       lambda w: np.array([0.2 * w[0], 4.0 * w[1]]),
                       (-4.5, 1.5), (-5.0, 5.0), (-2.0, 2.0), [(0.0, 0.0)], 0.0,
                       "f = 0.1 x² + 2 y²"),
    "rosenbrock": _surface(lambda x, y: (1 - x) ** 2 + 10 * (y - x ** 2) ** 2,
                           lambda w: np.array(
                               [-2 * (1 - w[0]) - 40 * w[0] * (w[1] - w[0] ** 2),
                                20 * (w[1] - w[0] ** 2)]),
                           (-1.5, 2.5), (-2.0, 2.0), (-1.0, 3.0), [(1.0, 1.0)], 0.0,
                           "f = (1 − x)² + 10 (y − x²)²"),
    "saddle": _surface(lambda x, y: 0.5 * x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2,
                       lambda w: np.array([w[0], w[1] ** 3 - w[1]]),
                       (2.5, 0.001), (-3.0, 3.0), (-1.6, 1.6),
                       [(0.0, 1.0), (0.0, -1.0)], -0.25, "f = ½ x² + ¼ y⁴ − ½ y²"),
}
OPTIMIZERS = ("SGD", "momentum", "Nesterov", "Adagrad", "RMSProp", "Adam")
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
LEARNING_RATES = (0.003, 0.01, 0.03, 0.1, 0.3)
MOMENTUM = 0.9


def make_optimizer(name, lr):
    """A fresh nnlib optimizer called ``name`` with learning rate ``lr`` (μ = 0.9 for
    the momentum methods)."""
    makers = {
        "SGD": lambda: optim.SGD(lr),
        "momentum": lambda: optim.SGD(lr, momentum=MOMENTUM),
        "Nesterov": lambda: optim.SGD(lr, momentum=MOMENTUM, nesterov=True),
        "Adagrad": lambda: optim.Adagrad(lr),
        "RMSProp": lambda: optim.RMSProp(lr),
        "Adam": lambda: optim.Adam(lr),
    }
    return lookup(makers, name, "optimizer")()


def run(surface, name, lr, steps=100):
    """The points visited by optimizer ``name`` on ``surface`` and f − f* at each (stops
    if it blows up)."""
    s = SURFACES[surface]
    opt = make_optimizer(name, lr)
    w = np.array(s["start"], dtype=float)
    path = [w.copy()]
    # a diverging run overflows on purpose; we stop following it
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            opt.step([w], [s["grad"](w)])
            if not np.all(np.isfinite(w)) or np.abs(w).max() > BLOW_UP:
                break
            path.append(w.copy())
    path = np.array(path)
    return path, s["f"](path[:, 0], path[:, 1]) - s["f_min"]


def race(surface, lr, steps=100):
    """{optimizer name: (path, f − f*)} for all six optimizers."""
    return {name: run(surface, name, lr, steps) for name in OPTIMIZERS}


def _rounded(values, digits=3):
    """Plain floats with ``digits`` significant digits (small JSON; tiny values keep
    their size for a log axis).

    NaN becomes None, which Plotly draws as a gap."""
    return [float(f"{v:.{digits}g}") if np.isfinite(v) else None for v in values]


def _inside(path, x_range, y_range):
    """The path with the points outside the plotted box replaced by NaN (drawn as gaps).
    """
    lo, hi = np.array([x_range[0], y_range[0]]), np.array([x_range[1], y_range[1]])
    shown = path.astype(float)
    shown[np.any((path < lo) | (path > hi), axis=1)] = np.nan
    return shown


def optimizer_race_explorer(surfaces=tuple(SURFACES), learning_rates=LEARNING_RATES,
                            steps=100, lr=0.03, surface="valley", resolution=48):
    """Surface and learning-rate controls → six optimizer paths on the contour plot and
    f − f* per step."""
    from plotly.subplots import make_subplots

    grids = {}
    for name in surfaces:
        s = SURFACES[name]
        xs, ys = np.linspace(*s["x_range"], resolution), np.linspace(*s["y_range"],
                                                                     resolution)
        X, Y = np.meshgrid(xs, ys)
        Z = np.log10(s["f"](X, Y) - s["f_min"] + 1e-2)
        grids[name] = (xs, ys, np.round(Z, 2))

    base = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45],
                         horizontal_spacing=0.12,
                         subplot_titles=("paths on the surface", "f − f* per step"))
    base.update_xaxes(title_text="x", row=1, col=1)
    base.update_yaxes(title_text="y", row=1, col=1)
    base.update_xaxes(title_text="step", range=[0, steps], row=1, col=2)
    base.update_yaxes(title_text="f − f*", type="log", range=[np.log10(FLOOR), 3],
                      exponentformat="power", row=1, col=2)
    base.update_layout(margin={"l": 50, "r": 20, "t": 135, "b": 50},
                       legend={"orientation": "h", "y": -0.18},
                       template={"layout": {"title": {"font": {"size": 14}}}})

    def render(surface, lr):
        s = SURFACES[surface]
        xs, ys, Z = grids[surface]
        traces = [{"type": "contour", "x": xs, "y": ys, "z": Z,
                   "colorscale": "Viridis", "showscale": False,
                   "ncontours": 22, "contours": {"coloring": "lines"},
                   "line": {"smoothing": 1.0},
                   "hoverinfo": "skip", "showlegend": False, "xaxis": "x",
                   "yaxis": "y"},
                  {"type": "scatter", "x": [s["start"][0]], "y": [s["start"][1]],
                   "mode": "markers",
                   "marker": {"symbol": "circle-open", "size": 12, "color": "black"},
                   "name": "start", "showlegend": False, "xaxis": "x", "yaxis": "y"},
                  {"type": "scatter", "x": [m[0] for m in s["minima"]],
                   "y": [m[1] for m in s["minima"]],
                   "mode": "markers",
                   "marker": {"symbol": "star", "size": 13, "color": "gold",
                              "line": {"color": "black", "width": 1}},
                   "name": "minimum", "showlegend": False, "xaxis": "x", "yaxis": "y"}]
        finals = []
        for k, (name, (path, gap)) in enumerate(race(surface, lr, steps).items()):
            done = len(path) - 1 < steps
            finals.append(f"{name} {'diverged' if done else f'{gap[-1]:.1e}'}")
            color = COLORS[k]
            shown = _inside(path, s["x_range"], s["y_range"])
            traces.append({"type": "scatter", "x": _rounded(shown[:, 0]),
                           "y": _rounded(shown[:, 1]),
                           "mode": "lines", "line": {"color": color, "width": 2},
                           "name": name,
                           "legendgroup": name, "xaxis": "x", "yaxis": "y"})
            every = np.r_[np.arange(0, len(gap), 3),
                          len(gap) - 1] if len(gap) > 1 else np.arange(len(gap))
            traces.append({"type": "scatter", "x": every.tolist(),
                           "y": _rounded(np.maximum(gap[every], FLOOR)),
                           "mode": "lines", "line": {"color": color, "width": 2},
                           "name": name, "legendgroup": name,
                           "showlegend": False, "xaxis": "x2", "yaxis": "y2"})
        title = (f"{s['formula']}, η = {lr:g}, {steps} steps<br><sub>f − f* at the "
                 f"end: {', '.join(finals[:3])}<br>{', '.join(finals[3:])}</sub>")
        return {"data": traces, "title": title}

    # The contour of a surface recurs in every learning-rate frame: the static page
    # stores it once.
    return SharedTracesExplorer({"surface": list(surfaces),
                                 "lr": list(learning_rates)}, render, base,
                                initial={"surface": surface, "lr": lr},
                                labels={"surface": "surface", "lr": "learning rate η"},
                                height=540)
