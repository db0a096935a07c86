"""Explorer: gradient descent with momentum on the linear-regression MSE surface
(curriculum topics 28–31).

Left: contour plot of E(a, b) over slope a ∈ [−2, 4] and intercept b ∈ [−6, 8] with the
path the optimizer takes; right: the loss after every step (log scale), so a learning
rate that is too small crawls, a good one converges, and one that is too large visibly
diverges.
"""
from __future__ import annotations

import numpy as np

from .. import data, linear_regression as lr_model, optim
from .explorer import Explorer

A_RANGE, B_RANGE = (-2.0, 4.0), (-6.0, 8.0)
LEARNING_RATES = [0.001, 0.003, 0.01, 0.02, 0.025, 0.03, 0.035]
MOMENTA = [0.0, 0.5, 0.8, 0.9, 0.95]
START = (-1.5, 7.0)
BLOW_UP = 1e6  # a path beyond this is diverging: stop following it


def trajectory(x, t, lr, momentum=0.0, steps=60, start=START, nesterov=False):
    """Points (a, b) visited by gradient descent with momentum, and the loss at each."""
    opt = optim.SGD(lr=lr, momentum=momentum, nesterov=nesterov and momentum > 0)
    w = np.array(start, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        opt.step([w], [lr_model.gradient(w[0], w[1], x, t)])
        path.append(w.copy())
        if np.abs(w).max() > BLOW_UP:
            break
    path = np.array(path)
    return path, lr_model.mse(path[:, 0], path[:, 1], x, t)


def gradient_descent_explorer(x=None, t=None, learning_rates=LEARNING_RATES,
                              momenta=MOMENTA, steps=60,
                              start=START, lr=0.01, momentum=0.0):
    """Learning-rate and momentum sliders → the path on the MSE contour and the loss per
    step."""
    from plotly.subplots import make_subplots

    if x is None:
        x, t = data.linear_regression()
    a_grid = np.linspace(*A_RANGE, 90)
    b_grid = np.linspace(*B_RANGE, 90)
    A, B = np.meshgrid(a_grid, b_grid)
    E = lr_model.mse(A, B, x, t)
    a_star, b_star = lr_model.least_squares(x, t)

    base = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45],
                         subplot_titles=("path on the loss surface E(a, b)",
                                         "loss per step"))
    base.add_contour(x=a_grid, y=b_grid, z=np.log10(E), colorscale="Viridis",
                     showscale=False, ncontours=25,
                     contours={"coloring": "lines"}, name="log₁₀ E", hoverinfo="skip",
                     row=1, col=1)
    base.add_scatter(x=[a_star], y=[b_star], mode="markers",
                     marker={"symbol": "star", "size": 14, "color": "gold",
                     "line": {"color": "black", "width": 1}}, name="minimum", row=1,
                     col=1)
    base.update_xaxes(title_text="slope a", range=list(A_RANGE), row=1, col=1)
    base.update_yaxes(title_text="intercept b", range=list(B_RANGE), row=1, col=1)
    base.update_xaxes(title_text="step", range=[0, steps], row=1, col=2)
    base.update_yaxes(title_text="E (log scale)", type="log",
                      range=[np.log10(max(E.min(), 1e-3)) - 0.2, 7],
                      row=1, col=2)
    base.update_layout(margin={"l": 50, "r": 20, "t": 60, "b": 50}, showlegend=False)

    def render(lr, momentum):
        path, losses = trajectory(x, t, lr, momentum, steps, start)
        shown = np.clip(path, -1e3, 1e3)
        diverged = losses[-1] > losses[0] or not np.isfinite(losses[-1])
        verdict = "diverges" if diverged else f"E = {losses[-1]:.3g}"
        return {
            "data": [
                {"type": "scatter", "x": shown[:, 0], "y": shown[:, 1],
                 "mode": "lines+markers", "marker": {"size": 4, "color": "crimson"},
                 "line": {"color": "crimson"}, "name": "path",
                 "xaxis": "x", "yaxis": "y"},
                {"type": "scatter", "x": np.arange(len(losses)), "y": losses,
                 "mode": "lines",
                 "line": {"color": "crimson"}, "name": "loss", "xaxis": "x2",
                 "yaxis": "y2"},
            ],
            "title": f"η = {lr:g}, μ = {momentum:g}: after {len(losses) - 1} steps "
                     f"{verdict}",
        }

    return Explorer({"lr": list(learning_rates), "momentum": list(momenta)}, render,
                    base, initial={"lr": lr, "momentum": momentum},
                    labels={"lr": "learning rate η", "momentum": "momentum μ"},
                    height=430)
