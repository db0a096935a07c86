"""Matplotlib figures the book draws again and again.

Every function takes an optional ``ax`` and returns it, so figures can be combined in
subplots.
"""
from __future__ import annotations

import numpy as np

from . import activations as act_module

CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf"]


def _axes(ax, figsize=(5, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def grid_over(X, resolution=200, margin=0.5):
    """A grid of points covering the 2-D data X: returns (xx, yy, points (resolution²,
    2))."""
    X = np.asarray(X, float)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()]


def scatter_classes(X, y, ax=None, markers="o", size=30):
    """Scatter 2-D points coloured by integer class."""
    ax = _axes(ax)
    y = np.asarray(y).ravel()
    for k in np.unique(y):
        pts = X[y == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=size, c=CLASS_COLORS[int(k) % 10],
                   edgecolors="k", linewidths=0.5, marker=markers, label=f"class {k:g}")
    return ax


def decision_boundary(model, X, y=None, ax=None, resolution=200, margin=0.5,
                      title=None):
    """Shade the regions a classifier assigns to each class, draw its boundary, and
    scatter (X, y).

    ``model`` is an MLP (its ``classify`` is used) or any function mapping points (M, 2)
    to labels (M,).
    """
    ax = _axes(ax)
    xx, yy, pts = grid_over(X, resolution, margin)
    classify = model.classify if hasattr(model, "classify") else model
    labels = np.asarray(classify(pts)).reshape(xx.shape)
    n = int(max(labels.max(), 0 if y is None else np.max(y))) + 1
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(CLASS_COLORS[:max(n, 2)])
    ax.contourf(xx, yy, labels, levels=np.arange(-0.5, max(n, 2)), cmap=cmap,
                alpha=0.25)
    ax.contour(xx, yy, labels, levels=np.arange(0.5, max(n, 2) - 0.5), colors="k",
               linewidths=1)
    if y is not None:
        scatter_classes(X, y, ax)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    return ax


def loss_surface(f, a_range, b_range, ax=None, resolution=120, levels=30, paths=None,
                 log=True, labels=("$a$", "$b$")):
    """Contour plot of f(a, b) over a_range × b_range, with optional trajectories.

    ``f`` is called on meshgrid arrays (vectorized) or, failing that, point by point.
    ``paths`` maps a label to an array of points (steps, 2) drawn as a line with
    markers.
    """
    ax = _axes(ax, (6, 5))
    A, B = np.meshgrid(np.linspace(*a_range, resolution),
                       np.linspace(*b_range, resolution))
    try:
        Z = np.asarray(f(A, B), float)
        if Z.shape != A.shape:
            raise ValueError
    except (ValueError, TypeError):
        Z = np.vectorize(f)(A, B)
    lv = np.geomspace(max(Z.min(), 1e-3), Z.max(),
                      levels) if log and Z.min() >= 0 else levels
    cs = ax.contour(A, B, Z, levels=lv, cmap="viridis", linewidths=0.8)
    ax.figure.colorbar(cs, ax=ax, label="loss")
    for k, (label, path) in enumerate((paths or {}).items()):
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], "o-", ms=3, lw=1.2, color=CLASS_COLORS[k % 10],
                label=label)
    if paths:
        ax.legend(loc="upper right", fontsize=8)
    ax.set(xlim=a_range, ylim=b_range, xlabel=labels[0], ylabel=labels[1])
    return ax


def training_curves(history, ax=None, metric=None, log=False):
    """Training (and validation) loss per epoch from a History; or a metric with
    ``metric="accuracy"``."""
    ax = _axes(ax)
    if metric is None:
        train, val, name = history.loss, history.val_loss, "loss"
    else:
        train, name = history.metrics[metric], metric
        val = history.metrics.get(f"val_{metric}", [])
    epochs = np.arange(1, len(train) + 1)
    ax.plot(epochs, train, label=f"training {name}")
    if len(val):
        ax.plot(epochs[:len(val)], val, label=f"validation {name}")
    if history.best_epoch is not None and metric is None and len(val):
        ax.axvline(history.best_epoch, color="gray", ls="--", lw=1, label="best epoch")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel=name)
    ax.legend()
    return ax


def network_diagram(net, ax=None, max_width=4.0, show_bias=False):
    """Draw an MLP as circles and edges; edge width ∝ |w|, colour: blue positive, red
    negative."""
    ax = _axes(ax, (6, 4))
    sizes = net.sizes
    pos = []
    for l, n in enumerate(sizes):
        ys = np.linspace(-(n - 1) / 2, (n - 1) / 2, n)
        pos.append([(l, y) for y in ys])
    wmax = max(np.abs(layer.W).max() for layer in net.layers) or 1.0
    for l, layer in enumerate(net.layers):
        for j in range(layer.W.shape[0]):
            for k in range(layer.W.shape[1]):
                w = layer.W[j, k]
                (x0, y0), (x1, y1) = pos[l][k], pos[l + 1][j]
                ax.plot([x0, x1], [y0, y1], color="#1f77b4" if w >= 0 else "#d62728",
                        lw=0.3 + max_width * abs(w) / wmax, alpha=0.8, zorder=1)
    for l, column in enumerate(pos):
        for j, (x, y) in enumerate(column):
            ax.scatter([x], [y], s=300, c="white", edgecolors="k", zorder=2)
            if show_bias and l > 0:
                ax.annotate(f"{net.layers[l - 1].b[j]:.2f}", (x, y), ha="center",
                            va="center", fontsize=7, zorder=3)
    names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    for l, name in enumerate(names):
        ax.text(l, (max(sizes) + 1) / 2, name, ha="center")
    ax.set_axis_off()
    return ax


def activation(names=("sigmoid", "tanh", "relu"), ax=None, a_range=(-4, 4),
               derivative=True):
    """Plot activation functions (solid) and their derivatives σ'(a) (dashed)."""
    ax = _axes(ax, (6, 4))
    a = np.linspace(*a_range, 801)
    names = [names] if isinstance(names, str) else names
    for k, name in enumerate(names):
        fn = act_module.get(name)
        color = CLASS_COLORS[k % 10]
        ax.plot(a, fn(a), color=color, label=name)
        if derivative and name != "softmax":
            ax.plot(a, fn.derivative(a), "--", color=color, label=f"{name}′")
    ax.axhline(0, color="gray", lw=0.5)
    ax.axvline(0, color="gray", lw=0.5)
    ax.set(xlabel="$a$", ylabel="value")
    ax.legend(fontsize=8)
    return ax


def images(imgs, labels=None, ncols=10, ax_size=0.9, cmap="gray_r"):
    """Show a grid of small images (N, H, W) with optional titles; returns the figure.
    """
    import matplotlib.pyplot as plt

    imgs = np.asarray(imgs)
    n = len(imgs)
    nrows = max(1, int(np.ceil(n / ncols)))
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * ax_size,
                                      nrows * ax_size * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(imgs[i], cmap=cmap)
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=8)
    return fig
