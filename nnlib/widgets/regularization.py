"""Explorer: regularization against overfitting (curriculum topics 41–42).

A 2–64–64–1 ReLU network with a sigmoid output learns the two-moons problem from only a
few noisy training points, the situation in which a large network overfits.  Two
controls:

* λ, the L2 weight decay: the loss becomes E + (λ/2) Σ w², so the gradient of every
  weight gains λ w (biases are not decayed).  Plain gradient descent would then shrink
  each weight by η λ w per step; the explorer trains with Adam, which rescales this
  share together with the data gradient;
* p, the inverted-dropout rate of both hidden layers: in training each hidden unit is
  zeroed with probability p and the survivors are scaled by 1/(1 − p).

Left: the predicted probability of class 1 over the plane (the middle contour line, 0.5,
is the decision boundary), the training points (large) and the validation points
(small).  Right: the training and validation cross-entropy (data term only, in
evaluation mode) as training goes on.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import data, losses, metrics, optim
from ..mlp import MLP
from ..train import fit
from .explorer import Explorer, one_blas_thread

L2_VALUES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1]
DROPOUT_RATES = [0.0, 0.2, 0.4, 0.6]
SIZES = (2, 64, 64, 1)
EPOCHS, EVERY, LEARNING_RATE = 200, 4, 0.01
X_RANGE, Y_RANGE = (-1.6, 2.6), (-1.3, 1.8)
GRID = 30


def moons_task(n_train=40, n=400, noise=0.3, seed=1):
    """Two moons: ``n_train`` training points and the rest for validation, as (X, T)
    pairs with T (N, 1)."""
    X, y = data.two_moons(n=n, noise=noise, seed=seed)
    fractions = (n_train / n, 1 - n_train / n)
    (X_train, y_train), (X_val, y_val) = data.split(X, y, fractions, seed=0,
                                                    stratify=True)
    return (X_train, y_train[:, None].astype(float)), (X_val,
                                                       y_val[:, None].astype(float))


def train(l2, p, train_set, val_set, sizes=SIZES, epochs=EPOCHS, every=EVERY,
          lr=LEARNING_RATE, seed=0):
    """Train one network with weight decay ``l2`` and dropout ``p``; return (net,
    curves).

    ``curves`` holds ``epoch`` and the data loss (binary cross-entropy without the
    penalty, dropout off) on the training and the validation set, measured every
    ``every`` epochs.
    """
    net = MLP(list(sizes), hidden="relu", output="sigmoid", seed=seed, l2=l2, dropout=p)
    curves = {"epoch": [], "train": [], "val": []}

    def record(epoch, history, net):
        if epoch % every == 0:
            curves["epoch"].append(epoch)
            bce = losses.binary_cross_entropy
            curves["train"].append(bce(net.predict(train_set[0]), train_set[1]))
            curves["val"].append(losses.binary_cross_entropy(net.predict(val_set[0]),
                                                             val_set[1]))

    with one_blas_thread():
        fit(net, *train_set, loss="binary_cross_entropy", optimizer=optim.Adam(lr=lr),
            epochs=epochs, seed=seed, metrics=[], progress=False, callback=record)
    return net, {k: np.array(v) for k, v in curves.items()}


def regularization_explorer(l2_values=L2_VALUES, dropout_rates=DROPOUT_RATES,
                            n_train=40, noise=0.3, epochs=EPOCHS,
                            seed=0, l2=0.0, p=0.0):
    """λ (L2 weight decay) and dropout rate p → decision boundary and
    training/validation curves."""
    from plotly.subplots import make_subplots

    train_set, val_set = moons_task(n_train=n_train, noise=noise)
    gx, gy = np.linspace(*X_RANGE, GRID), np.linspace(*Y_RANGE, GRID)
    grid = np.c_[np.repeat(gx[None, :], GRID, 0).ravel(),
                 np.repeat(gy[:, None], GRID, 1).ravel()]

    @lru_cache(maxsize=None)
    def run(l2, p):
        return train(l2, p, train_set, val_set, epochs=epochs, seed=seed)

    base = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5],
                         subplot_titles=("P(class 1); boundary at 0.5",
                                         "loss: training (blue), validation (orange)"))
    for (X, T), size, opacity, name in ((val_set, 4, 0.35, "validation"),
                                        (train_set, 10, 1.0, "training")):
        colors = np.where(T[:, 0] > 0.5, "#d62728", "#1f77b4").tolist()
        base.add_scatter(x=X[:, 0], y=X[:, 1], mode="markers", name=name,
                         hoverinfo="skip",
                         marker={"color": colors, "size": size, "opacity": opacity,
                                 "line": {"color": "black",
                                          "width": 1 if size > 5 else 0}}, row=1, col=1)
    base.update_xaxes(title_text="x₁", range=list(X_RANGE), row=1, col=1)
    base.update_yaxes(title_text="x₂", range=list(Y_RANGE), row=1, col=1)
    base.update_xaxes(title_text="epoch", range=[0, epochs], row=1, col=2)
    base.update_yaxes(type="log", range=[-3, 1], row=1, col=2)
    base.update_layout(margin={"l": 50, "r": 20, "t": 70, "b": 50}, showlegend=False)

    def render(l2, p):
        net, curves = run(l2, p)
        with one_blas_thread():
            prob = np.round(net.predict(grid)[:, 0].reshape(GRID, GRID), 2)
        acc_train = metrics.accuracy(net.predict(train_set[0]), train_set[1])
        acc_val = metrics.accuracy(net.predict(val_set[0]), val_set[1])
        # Plotly draws contour traces in a layer below scatter traces, so the points
        # stay on top.
        return {
            "data": [
                {"type": "contour", "x": gx, "y": gy, "z": prob, "colorscale": "RdBu",
                 "reversescale": True,
                 "zmin": 0, "zmax": 1, "opacity": 0.6, "showscale": False,
                 "hoverinfo": "skip",
                 "contours": {"start": 0.1, "end": 0.9, "size": 0.4},
                 "line": {"width": 1.5},
                 "xaxis": "x", "yaxis": "y"},
                {"type": "scatter", "x": curves["epoch"], "y": curves["train"],
                 "mode": "lines",
                 "name": "training", "line": {"color": "#1f77b4"}, "xaxis": "x2",
                 "yaxis": "y2"},
                {"type": "scatter", "x": curves["epoch"], "y": curves["val"],
                 "mode": "lines",
                 "name": "validation", "line": {"color": "#ff7f0e"}, "xaxis": "x2",
                 "yaxis": "y2"},
            ],
            "title": f"λ = {l2:g}, p = {p:g}: accuracy {acc_train:.0%} (training), "
                     f"{acc_val:.0%} (validation)",
        }

    return Explorer({"l2": list(l2_values), "p": list(dropout_rates)}, render, base,
                    initial={"l2": l2, "p": p},
                    labels={"l2": "weight decay λ", "p": "dropout rate p"}, height=430)
