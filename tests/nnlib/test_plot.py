"""nnlib.plot draws what it promises (checked on the artists, with the Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib  # noqa: E402
from nnlib import data, linear_regression, plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_decision_boundary_shades_each_class():
    X, y = data.blobs(60, centers=3, seed=0)
    net = nnlib.MLP([2, 8, 3], hidden="tanh", output="softmax", seed=0)
    nnlib.fit(net, X, data.one_hot(y), loss="cross_entropy", epochs=50, progress=False)
    ax = plot.decision_boundary(net, X, y, resolution=50)
    assert len(ax.collections) >= 2 and len(ax.get_legend_handles_labels()[1]) == 3


def test_loss_surface_with_paths():
    x, t = data.linear_regression()
    path = nnlib.optim.minimize(lambda w: linear_regression.gradient(w[0], w[1], x, t), [-1, 6],
                                nnlib.optim.SGD(0.01), steps=20)
    ax = plot.loss_surface(lambda a, b: linear_regression.mse(a, b, x, t), (-2, 4), (-6, 8),
                           paths={"GD": path}, resolution=40)
    line = ax.get_lines()[0]
    assert np.allclose(line.get_xydata(), path) and ax.get_xlim() == (-2, 4)


def test_training_curves_and_activation_plot():
    h = nnlib.History(loss=[3, 2, 1], val_loss=[3, 2.5, 2.6], best_epoch=1)
    ax = plot.training_curves(h)
    assert [l.get_label() for l in ax.get_lines()] == ["training loss", "validation loss", "best epoch"]
    ax = plot.activation(["sigmoid", "relu"])
    assert len(ax.get_lines()) == 2 * 2 + 2  # f and f′ each, plus the two axes lines


def test_network_diagram_draws_every_weight():
    net = nnlib.MLP([2, 3, 1], seed=0)
    ax = plot.network_diagram(net)
    assert len(ax.get_lines()) == 2 * 3 + 3 * 1


def test_images_grid():
    X, y = data.digits(flatten=False)
    fig = plot.images(X[:12], y[:12], ncols=6)
    assert len(fig.axes) == 12 and fig.axes[0].get_title() == str(y[0])
