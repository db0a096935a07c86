"""Explorer: batch, mini-batch and stochastic gradient descent on the line-fit MSE
(curriculum topics 31–32).

The same data and loss surface as ``gradient_descent_explorer``: E(a, b) = (1/N) Σ (t −
(a x + b))² over slope a ∈ [−2, 4] and intercept b ∈ [−6, 8].  Each update uses the
gradient of a mini-batch of B samples (``nnlib.batches`` shuffles every epoch), so one
epoch makes ⌈N / B⌉ updates: B = N is batch gradient descent, B = 1 stochastic (online)
gradient descent.  Left: the path of (a, b) over a fixed number of epochs; right: the
full-data loss after every update against the epochs elapsed.  The schedule control
switches between a constant learning rate and a step decay (η halves every few epochs),
which calms the bouncing of small batches near the minimum.
"""
from __future__ import annotations

import numpy as np

from .. import data, linear_regression as lr_model, optim
from .._checks import lookup
from ..train import batches
from .explorer import Explorer
from .gradient_descent import A_RANGE, B_RANGE

BATCH_SIZES = (1, 5, 10, 25, 50)
LEARNING_RATES = (0.002, 0.005, 0.009)
SCHEDULES = ("constant", "step decay")
EPOCHS = 10
DECAY_EVERY = 3
# Across the valley from the minimum: the steep direction is crossed in a few updates,
# so the noise of small batches near the minimum shows within a few epochs (along the
# valley floor progress is slow for everyone).
START = (3.0, 1.0)


def make_schedule(kind, lr, every=DECAY_EVERY):
    """A constant rate, or ``nnlib.optim.StepDecay`` halving η every ``every`` epochs.
    """
    makers = {"constant": lambda: lr,
              "step decay": lambda: optim.StepDecay(lr, factor=0.5, every=every)}
    return lookup(makers, kind, "schedule")()


def minibatch_path(x, t, batch_size, lr, epochs=EPOCHS, schedule="constant",
                   start=START, seed=0):
    """Every (a, b) visited by mini-batch gradient descent, and the epoch count at each
    point.

    Returns (path of shape (updates + 1, 2), epochs elapsed at each point).
    """
    x, t = np.asarray(x, float), np.asarray(t, float)
    rng = np.random.default_rng(seed)
    opt = optim.SGD(make_schedule(schedule, lr))
    w = np.array(start, dtype=float)
    path, when = [w.copy()], [0.0]
    per_epoch = int(np.ceil(len(x) / batch_size))
    for epoch in range(int(epochs)):
        opt.start_epoch(epoch)
        for k, idx in enumerate(batches(len(x), batch_size, shuffle=True, rng=rng)):
            opt.step([w], [lr_model.gradient(w[0], w[1], x[idx], t[idx])])
            path.append(w.copy())
            when.append(epoch + (k + 1) / per_epoch)
    return np.array(path), np.array(when)


def gradient_descent_batches_explorer(x=None, t=None, batch_sizes=BATCH_SIZES,
                                      learning_rates=LEARNING_RATES,
                                      schedules=SCHEDULES, epochs=EPOCHS,
                                      batch_size=10, lr=0.005, start=START):
    """Batch-size, learning-rate and schedule controls → the noisy path on the MSE
    contour and the loss curve."""
    from plotly.subplots import make_subplots

    if x is None:
        x, t = data.linear_regression()
    a_grid, b_grid = np.linspace(*A_RANGE, 80), np.linspace(*B_RANGE, 80)
    A, B = np.meshgrid(a_grid, b_grid)
    E = lr_model.mse(A, B, x, t)
    a_star, b_star = lr_model.least_squares(x, t)
    E_min = lr_model.mse(a_star, b_star, x, t)

    base = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45],
                         horizontal_spacing=0.14,
                         subplot_titles=("path on the loss surface E(a, b)",
                                         "E − E_min per update"))
    base.add_contour(x=a_grid, y=b_grid, z=np.log10(E), colorscale="Viridis",
                     showscale=False, ncontours=25,
                     contours={"coloring": "lines"}, hoverinfo="skip", row=1, col=1)
    base.add_scatter(x=[a_star], y=[b_star], mode="markers",
                     marker={"symbol": "star", "size": 14, "color": "gold",
                     "line": {"color": "black", "width": 1}}, name="minimum", row=1,
                     col=1)
    base.update_xaxes(title_text="slope a", range=list(A_RANGE), row=1, col=1)
    base.update_yaxes(title_text="intercept b", range=list(B_RANGE), row=1, col=1)
    base.update_xaxes(title_text="epochs", range=[0, epochs], row=1, col=2)
    base.update_yaxes(title_text="E − E_min", type="log", range=[-3, 2],
                      exponentformat="power", dtick=1, row=1, col=2)
    base.update_layout(margin={"l": 50, "r": 20, "t": 105, "b": 50}, showlegend=False,
                       template={"layout": {"title": {"font": {"size": 14}}}})

    def render(batch_size, lr, schedule):
        path, when = minibatch_path(x, t, batch_size, lr, epochs, schedule, start)
        gap = lr_model.mse(path[:, 0], path[:, 1], x, t) - E_min
        per_epoch = int(np.ceil(len(x) / batch_size))
        last = path[-per_epoch:]
        # how much the last epoch jitters
        spread = np.sqrt(np.mean(np.sum((last - last.mean(axis=0)) ** 2, axis=1)))
        return {
            "data": [
                {"type": "scatter", "x": np.round(path[:, 0], 3),
                 "y": np.round(path[:, 1], 3), "mode": "lines",
                 "line": {"color": "crimson", "width": 1.2}, "xaxis": "x",
                 "yaxis": "y"},
                {"type": "scatter", "x": np.round(when, 3),
                 "y": [float(f"{v:.3g}") for v in np.maximum(gap, 1e-4)],
                 "mode": "lines",
                 "line": {"color": "crimson", "width": 1.2}, "xaxis": "x2",
                 "yaxis": "y2"},
            ],
            "title": (f"B = {batch_size}: {per_epoch} "
                      f"update{'s' if per_epoch > 1 else ''} per epoch, "
                      f"{len(path) - 1} in {epochs} epochs (η = {lr:g}, "
                      f"{schedule})<br><sub>at the end E − E_min = {gap[-1]:.3g}; the "
                      f"last epoch's points jitter by {spread:.3f} (RMS)</sub>"),
        }

    return Explorer({"batch_size": list(batch_sizes), "lr": list(learning_rates),
                     "schedule": list(schedules)},
                    render, base, initial={"batch_size": batch_size, "lr": lr},
                    labels={"batch_size": "batch size B", "lr": "learning rate η",
                            "schedule": "schedule"}, height=450)
