"""Explorer: the training playground (curriculum explorer 10, the capstone of Part III).

Choose a 2-D dataset, the number of hidden layers, the units per layer, the hidden
activation, the learning rate η, the momentum μ and the batch size; an nnlib MLP with a
sigmoid output is trained with binary cross-entropy for a fixed number of epochs, and
the figure shows the probability it assigns to class 1 over the plane (left) and the
training loss per epoch (right).

The static page of the book holds a coarse grid of settings, precomputed with short
training; the live version in Jupyter offers finer choices and trains on demand
(``LiveGridExplorer`` from
``nnlib.widgets.shared_traces``, whose static page stores the recurring scatter of a
dataset's points only once).
"""
from __future__ import annotations

import functools

import numpy as np

from .. import data as datasets
from .. import optim
from .._checks import lookup
from ..mlp import MLP
from ..train import TrainingDiverged, fit
from .explorer import compact
from .shared_traces import LiveGridExplorer

N_POINTS = 100
EPOCHS = 40
RESOLUTION = 16
CLASS_COLORS = ("#1f77b4", "#d62728")

STATIC_GRID = {
    "dataset": ["xor", "moons", "circles", "spirals"],
    "layers": [1, 2],
    "units": [3, 8],
    "activation": ["tanh", "relu"],
    "lr": [0.1, 1.0],
    "momentum": [0.0, 0.9],
    "batch_size": [20, N_POINTS],
}
LIVE_GRID = {
    "dataset": ["xor", "moons", "circles", "spirals"],
    "layers": [1, 2, 3],
    "units": [2, 3, 4, 8, 16],
    "activation": ["tanh", "relu", "sigmoid", "leaky_relu", "elu"],
    "lr": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0],
    "momentum": [0.0, 0.5, 0.9, 0.95],
    "batch_size": [1, 5, 10, 20, 50, N_POINTS],
}
LABELS = {"dataset": "dataset", "layers": "hidden layers", "units": "units per layer",
          "activation": "hidden activation", "lr": "learning rate η",
          "momentum": "momentum μ",
          "batch_size": f"batch size ({N_POINTS} = full batch)"}
INITIAL = {"dataset": "moons", "layers": 1, "units": 8, "activation": "tanh",
           "lr": 1.0, "momentum": 0.9, "batch_size": 20}


# ---- datasets
# ---------------------------------------------------------------------------------
def _xor(n, seed):
    X, y = datasets.blobs(n, centers=np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0],
                                               [1.0, -1.0]]), std=0.45, seed=seed)
    return X, y % 2  # opposite corners share a class


@functools.lru_cache(maxsize=None)
def load_dataset(name, n=N_POINTS):
    """(X, y) of one of the playground's datasets (seeded, so always the same
    points)."""
    makers = {
        "xor": lambda: _xor(n, 1),
        "moons": lambda: datasets.two_moons(n, noise=0.15, seed=1),
        "circles": lambda: datasets.circles(n, noise=0.08, seed=1),
        "spirals": lambda: datasets.spirals(n, noise=0.1, turns=1.0, seed=1),
    }
    X, y = lookup(makers, name, "dataset")()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


# ---- training
# ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def train(dataset_name, layers, units, activation, lr, momentum, batch_size,
          epochs=EPOCHS, seed=0):
    """Train the playground's network once; returns (net or None if it diverged, History
    or None)."""
    X, y = load_dataset(dataset_name)
    net = MLP([2] + [int(units)] * int(layers) + [1], hidden=activation,
              output="sigmoid", seed=seed)
    opt = optim.SGD(lr, momentum=momentum)
    try:
        # a diverging run may overflow; fit stops it with TrainingDiverged
        with np.errstate(all="ignore"):
            history = fit(net, X, y[:, None].astype(float),
                          loss="binary_cross_entropy", optimizer=opt,
                          epochs=epochs, batch_size=int(batch_size), seed=seed,
                          metrics=[], progress=False)
    except TrainingDiverged:
        return None, None
    return net, history


def grid(dataset_name, resolution=RESOLUTION, margin=0.4):
    """The corner (x0, y0), the spacing (dx, dy) and the points of a resolution ×
    resolution grid over the data."""
    X, _ = load_dataset(dataset_name)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1],
                                                                resolution)
    xx, yy = np.meshgrid(xs, ys)
    return (xs[0], ys[0]), (xs[1] - xs[0], ys[1] - ys[0]), np.c_[xx.ravel(), yy.ravel()]


def probabilities(net, dataset_name, resolution=RESOLUTION):
    """P(class 1) predicted on the grid, shape (resolution, resolution), rows along
    y."""
    _, _, pts = grid(dataset_name, resolution)
    return net.predict(pts)[:, 0].reshape(resolution, resolution)


def accuracy(net, dataset_name):
    X, y = load_dataset(dataset_name)
    return float(np.mean(net.classify(X) == y))


# ---- the playground
# ---------------------------------------------------------------------------
def _rounded(values, digits=3):
    return [float(f"{v:.{digits}g}") for v in values]


def playground_explorer(static_grid=None, live_grid=None, initial=None, epochs=EPOCHS,
                        resolution=RESOLUTION):
    """Dataset, architecture and optimizer controls → decision map and loss curve after
    short training."""
    from plotly.subplots import make_subplots

    static_grid = {**STATIC_GRID, **(static_grid or {})}
    live_grid = {**LIVE_GRID, **(live_grid or {})}
    initial = {**INITIAL, **(initial or {})}
    for name, value in initial.items():  # the start must be on both grids
        for g in (static_grid, live_grid):
            if value not in g[name]:
                g[name] = sorted(set(g[name]) | {value},
                                 key=lambda v: (isinstance(v, str), v))

    base = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5],
                         horizontal_spacing=0.14,
                         subplot_titles=("P(class 1) after training",
                                         "training loss per epoch"))
    base.update_xaxes(title_text="x₁", row=1, col=1)
    base.update_yaxes(title_text="x₂", scaleanchor="x", row=1, col=1)
    base.update_xaxes(title_text="epoch", range=[0, epochs], row=1, col=2)
    base.update_yaxes(title_text="cross-entropy", type="log", range=[-3, 0.5],
                      exponentformat="power", dtick=1, row=1, col=2)
    # Trace styles live in the shared layout's template, so the precomputed frames carry
    # only numbers.
    base.update_layout(margin={"l": 50, "r": 20, "t": 100, "b": 50}, showlegend=False,
                       template={
        "layout": {"title": {"font": {"size": 14}}},
        "data": {"contour": [{"zmin": 0, "zmax": 10, "showscale": False,
                              "hoverinfo": "skip",
                              "colorscale": [[0, "#6baed6"], [0.5, "#f7f7f7"],
                                             [1, "#fb6a4a"]],
                              "autocontour": False,
                              "contours": {"start": 1, "end": 9, "size": 2},
                              "line": {"smoothing": 1.3, "color": "rgba(0,0,0,0.3)",
                                       "width": 1}, "opacity": 0.8}],
                 "scatter": [{"hoverinfo": "skip"}]}})

    def render(dataset, layers, units, activation, lr, momentum, batch_size):
        X, y = load_dataset(dataset)
        net, history = train(dataset, layers, units, activation, lr, momentum,
                             batch_size, epochs)
        points = [{"type": "scatter", "x": _rounded(X[y == k, 0]),
                   "y": _rounded(X[y == k, 1]), "mode": "markers",
                   "marker": {"size": 6, "color": CLASS_COLORS[k],
                              "line": {"color": "white", "width": 0.5}},
                   "xaxis": "x", "yaxis": "y"} for k in (0, 1)]
        if net is None:
            return {"data": points,
                    "title": "training diverged: the loss became NaN or infinite"}
        (x0, y0), (dx, dy), _ = grid(dataset, resolution)
        P = probabilities(net, dataset, resolution)
        heat = {"type": "contour", "x0": round(x0, 3), "dx": round(dx, 4),
                "y0": round(y0, 3), "dy": round(dy, 4),
                "z": np.round(10 * P).astype(int).tolist(), "xaxis": "x", "yaxis": "y"}
        keep = np.r_[np.arange(0, len(history.loss) - 1, 3), len(history.loss) - 1]
        curve = {"type": "scatter", "x": (keep + 1).tolist(),
                 "y": _rounded([history.loss[i] for i in keep]),
                 "mode": "lines", "line": {"color": "black"}, "xaxis": "x2",
                 "yaxis": "y2"}
        title = (f"after {history.epochs} epochs = {history.iterations} updates: loss "
                 f"{history.loss[-1]:.3f}, accuracy {accuracy(net, dataset):.0%}")
        return {"data": [heat] + points + [curve], "title": title}

    return LiveGridExplorer(static_grid, render, base, live_controls=live_grid,
                            initial=initial, labels=LABELS, height=480)


def static_size(explorer):
    """Length in characters of the explorer's static page (what the book embeds)."""
    return len(explorer.to_html())


__all__ = ["playground_explorer", "load_dataset", "train", "grid",
           "probabilities", "accuracy", "static_size", "compact"]
