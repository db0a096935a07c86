"""nnlib — the small NumPy neural-network library of the book.

    import nnlib
    net = nnlib.MLP([2, 3, 1], hidden="sigmoid", output="linear", seed=0)
    Y = net.forward(X)
    grads = net.backward(T, loss="mse")
    history = nnlib.fit(net, X, T, loss="mse",
                        optimizer=nnlib.optim.SGD(lr=0.1, momentum=0.9))

Modules: activations, losses, neuron, learning_rules, init, layers, mlp, regularization,
optim, train, gradcheck, metrics, data, linear_regression, plot, widgets (imported on
first use).
"""
from . import (activations, data, gradcheck, init, layers, learning_rules,
               linear_regression, losses, metrics, neuron, optim, regularization)
from .layers import Dense
from .mlp import MLP
from .train import History, TrainingDiverged, batches, fit

__version__ = "1.0.0"

__all__ = ["MLP", "Dense", "fit", "History", "TrainingDiverged", "batches",
           "activations", "data", "gradcheck", "init", "layers", "learning_rules",
           "linear_regression", "losses", "metrics", "neuron", "optim",
           "regularization"]


def __getattr__(name):
    # plot and widgets pull in matplotlib / plotly / ipywidgets: import them only when
    # asked for.
    if name in ("plot", "widgets"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
