"""Explorer: what depth and width buy a classifier (curriculum topics 18–19).

Dropdown: a 2-D data set (circles and two spirals by default; "two moons" is also
available); sliders: the number of hidden layers and the units per hidden layer.  For
every combination a small tanh network with a sigmoid output is trained (Adam, full
batch, binary cross-entropy, a fixed number of epochs, fixed seed) and the figure shows
the regions it assigns to each class, the data, and its training accuracy in the title.

Training is cached per (data set, layers, units), so a chapter's static figure and the
explorer share the same networks.  Everything is seeded, so the precomputed pages are
reproducible.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import data, metrics, optim
from .._checks import lookup
from ..mlp import MLP
from ..train import fit
from .explorer import Explorer, styled_template

DATASETS = ("circles", "spirals")       # the explorer's default choices
ALL_DATASETS = ("two moons", "circles", "spirals")
LAYERS = (1, 2, 3)
UNITS = (1, 2, 4, 8, 16)
EPOCHS = 200
LEARNING_RATE = 0.05
RESOLUTION = 40
# x₁ from, x₁ to, x₂ from, x₂ to: covers all three data sets
BOX = (-1.6, 1.6, -1.6, 1.6)


@lru_cache(maxsize=None)
def dataset(name):
    """(X, y) for one of ALL_DATASETS: 120 noisy points (160 for the spirals), seeded.
    """
    return lookup(_MAKERS, name, "data set")()


def _two_moons():
    X, y = data.two_moons(n=120, noise=0.15, seed=0)
    return X - [0.5, 0.25], y  # centred in the common box


def _spirals():
    X, y = data.spirals(n=160, noise=0.1, seed=0)
    return 1.3 * X, y


_MAKERS = {"two moons": _two_moons,
           "circles": lambda: data.circles(n=120, noise=0.08, seed=0),
           "spirals": _spirals}


@lru_cache(maxsize=None)
def train(name, layers, units, epochs=EPOCHS, seed=0):
    """A trained MLP([2, units × layers, 1]) (tanh hidden, sigmoid output) and its
    training accuracy."""
    X, y = dataset(name)
    T = y[:, None].astype(float)
    net = MLP([2] + [int(units)] * int(layers) + [1], hidden="tanh", output="sigmoid",
              seed=seed)
    fit(net, X, T, loss="binary_cross_entropy", optimizer=optim.Adam(lr=LEARNING_RATE),
        epochs=epochs, metrics=[], progress=False)
    return net, metrics.accuracy(net.predict(X), T)


def grid(resolution=RESOLUTION, box=BOX):
    """The x₁ and x₂ coordinates of the evaluation grid and the grid points
    (resolution², 2)."""
    g1 = np.linspace(box[0], box[1], resolution)
    g2 = np.linspace(box[2], box[3], resolution)
    G1, G2 = np.meshgrid(g1, g2)
    return g1, g2, np.c_[G1.ravel(), G2.ravel()]


def regions(net, resolution=RESOLUTION, box=BOX):
    """The class (0 or 1) the network assigns to every grid point, shape (resolution,
    resolution)."""
    g1, g2, points = grid(resolution, box)
    return net.classify(points).reshape(len(g2), len(g1))


STYLES = [
    # class 0
    {"mode": "markers", "hoverinfo": "skip", "marker": {"size": 7, "color": "#1f77b4",
                "line": {"color": "black", "width": 0.5}}},
    # class 1
    {"mode": "markers", "hoverinfo": "skip", "marker": {"size": 7, "color": "#d62728",
                "line": {"color": "black", "width": 0.5}}},
]


def capacity_explorer(datasets=DATASETS, layers=LAYERS, units=UNITS, epochs=EPOCHS,
                      dataset_name="spirals"):
    """Data-set dropdown, hidden-layer and unit sliders → the trained network's decision
    regions."""
    g1, g2, _ = grid()
    base = {"data": [], "layout": {
        "template": styled_template(STYLES), "showlegend": False,
        "xaxis": {"title": {"text": "x₁"}, "range": [BOX[0], BOX[1]],
                  "constrain": "domain"},
        "yaxis": {"title": {"text": "x₂"}, "range": [BOX[2], BOX[3]],
                  "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
        "margin": {"l": 50, "r": 20, "t": 60, "b": 50}}}
    colorscale = [[0, "rgba(31,119,180,0.25)"], [1, "rgba(214,39,40,0.25)"]]

    def render(dataset_name, layers, units):
        X, y = dataset(dataset_name)
        net, accuracy = train(dataset_name, layers, units, epochs)
        sizes = "–".join(str(s) for s in net.sizes)
        return {"data": [
            {"type": "heatmap", "x": g1, "y": g2, "z": regions(net).tolist(),
             "zmin": 0, "zmax": 1, "showscale": False,
             "colorscale": colorscale, "zsmooth": "best", "hoverinfo": "skip"},
            {"type": "scatter", "x": X[y == 0, 0], "y": X[y == 0, 1]},
            {"type": "scatter", "x": X[y == 1, 0], "y": X[y == 1, 1]},
        ], "title": f"{sizes} network ({net.n_parameters} parameters): training "
                    f"accuracy {accuracy:.1%}"}

    return Explorer({"dataset_name": list(datasets), "layers": list(layers),
                     "units": list(units)}, render, base,
                    initial={"dataset_name": dataset_name, "layers": 1, "units": 4},
                    labels={"dataset_name": "data", "layers": "hidden layers",
                            "units": "units per layer"},
                    height=480)
