"""Explorer: vanishing and exploding gradients (curriculum topics 38–40).

A deep MLP with ``depth`` hidden layers of ``width`` units each gets one forward and one
backward pass on a batch of standardized digits (softmax output, cross-entropy).  For
every layer l the explorer shows

* left, the forward pass: the standard deviation of the activations z⁽ˡ⁾ (does the
  signal die out, stay put, or blow up?);
* right, the backward pass: the norm ‖∂E/∂W⁽ˡ⁾‖ of the weight gradient, with ∂E/∂W⁽ˡ⁾ =
  δ⁽ˡ⁾ᵀ z⁽ˡ⁻¹⁾ and δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾), so a product of one factor σ'·W
  per layer above l.

Controls: depth × hidden activation × initialization scheme.  Both vertical axes are
logarithmic (the layer axes are not), so a straight falling line is a gradient that
shrinks by the same factor in every layer.
"""
from __future__ import annotations

import numpy as np

from .. import data
from ..mlp import MLP
from .explorer import Explorer, one_blas_thread

DEPTHS = [2, 5, 10, 15, 20]
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"]
INITS = ["normal", "small", "glorot", "he"]


def digits_batch(n=256, seed=0):
    """A batch of ``n`` standardized digit images X (n, 64) and one-hot targets T (n,
    10)."""
    X, y = data.digits()
    X, _, _ = data.standardize(X)
    idx = np.random.default_rng(seed).permutation(len(X))[:n]
    return X[idx], data.one_hot(y[idx], 10)


def deep_net(depth, activation, init, n_in=64, n_out=10, width=64, seed=0):
    """MLP([n_in, width × depth, n_out]) with the given hidden activation and init for
    every layer."""
    return MLP([n_in] + [width] * depth + [n_out], hidden=activation, output="softmax",
               init=init, seed=seed)


def layer_statistics(depth, activation, init, X, T, width=64, seed=0):
    """One forward and backward pass of ``deep_net``; returns (spread, norms).

    ``spread[l]`` is the standard deviation of z over the batch and the units of hidden
    layer l + 1; ``norms[l]`` is the Frobenius norm ‖∂E/∂W⁽ˡ⁺¹⁾‖ of layer l + 1 (the
    last entry is the output layer).
    """
    net = deep_net(depth, activation, init, X.shape[1], T.shape[1], width, seed)
    with np.errstate(over="ignore", under="ignore",
                     invalid="ignore"), one_blas_thread():
        grads = net.gradients(X, T, loss="cross_entropy")
    spread = np.array([float(layer.z.std()) for layer in net.layers[:-1]])
    norms = np.array([float(np.linalg.norm(dW)) for dW, _ in grads])
    return spread, norms


def _log_axis_values(values, digits=3):
    """Values for a log axis, as a list of floats rounded to ``digits`` significant
    digits.

    Zero (a gradient that is exactly zero) and non-finite values become None, a gap in
    the line.  Each value keeps its own significant digits, so the tiny gradients of
    the first layers are not rounded to zero.
    """
    return [float(f"{v:.{digits}g}") if np.isfinite(v) and v > 0 else None
            for v in np.asarray(values, float)]


def _span(low, high, values, xaxis, yaxis):
    """An invisible trace that makes a log axis show at least [low, high] (so 1 is
    always in view and a flat line looks flat) besides the range of ``values``."""
    finite = [v for v in _log_axis_values(values) if v is not None]
    y = [min([low] + finite), max([high] + finite)]
    return {"type": "scatter", "x": [1, 1], "y": y, "mode": "markers",
            "marker": {"opacity": 0},
            "hoverinfo": "skip", "showlegend": False, "xaxis": xaxis, "yaxis": yaxis}


def vanishing_gradients_explorer(X=None, T=None, depths=DEPTHS,
                                 activations=ACTIVATIONS, inits=INITS, width=64,
                                 seed=0, depth=10, activation="sigmoid", init="glorot"):
    """Depth × activation × initialization → per-layer activation spread and gradient
    norm."""
    from plotly.subplots import make_subplots

    if X is None:
        X, T = digits_batch()
    base = make_subplots(rows=1, cols=2, subplot_titles=("forward: std of z⁽ˡ⁾",
                                         "backward: ‖∂E/∂W⁽ˡ⁾‖"))
    base.update_xaxes(title_text="hidden layer l", row=1, col=1)
    base.update_xaxes(title_text="layer l (last = output)", row=1, col=2)
    base.update_yaxes(type="log", exponentformat="power", row=1, col=1)
    base.update_yaxes(type="log", exponentformat="power", row=1, col=2)
    base.update_layout(margin={"l": 60, "r": 20, "t": 70, "b": 50}, showlegend=False)

    def render(depth, activation, init):
        spread, norms = layer_statistics(depth, activation, init, X, T, width, seed)
        ratio = norms[0] / norms[-1] if norms[-1] > 0 else np.nan
        layers = np.arange(1, len(norms) + 1)
        return {
            "data": [
                _span(0.1, 10.0, spread, "x", "y"),
                _span(0.1, 10.0, norms, "x2", "y2"),
                {"type": "scatter", "x": layers[:-1], "y": _log_axis_values(spread),
                 "mode": "lines+markers",
                 "line": {"color": "#1f77b4"}, "name": "std of z", "xaxis": "x",
                 "yaxis": "y"},
                {"type": "scatter", "x": layers, "y": _log_axis_values(norms),
                 "mode": "lines+markers",
                 "line": {"color": "crimson"}, "name": "‖∂E/∂W‖", "xaxis": "x2",
                 "yaxis": "y2"},
            ],
            "title": f"{activation}, {init}, depth {depth}: first/last layer gradient "
                     f"{ratio:.1e}",
        }

    return Explorer({"depth": list(depths), "activation": list(activations),
                     "init": list(inits)}, render, base,
                    initial={"depth": depth, "activation": activation, "init": init},
                    labels={"depth": "hidden layers", "activation": "activation",
                            "init": "initialization"},
                    height=430)
