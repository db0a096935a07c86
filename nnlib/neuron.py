"""The artificial neuron: y = h(wᵀx) with the bias folded in as w₀ on a constant input
x₀ = 1.

Weights are written w = (w₀, w₁, …, w_I); inputs are given without the constant, X of
shape (N, I), and ``with_bias_input`` prepends the column of ones.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_2d

CODINGS = ("binary", "bipolar")


def with_bias_input(X):
    """Prepend x₀ = 1 to every row of X: (N, I) → (N, I + 1)."""
    X = as_2d(X, "X (inputs)", dtype=float)
    return np.hstack([np.ones((len(X), 1)), X])


def threshold(s, coding="binary"):
    """The neuron's output for weighted sums s = wᵀx.

    binary (0/1 coding):  1 if s > 0 else 0 (Heaviside). bipolar (±1 coding):  sign(s),
    which is 0 when s = 0 exactly — a sample that lands on the boundary counts as
    neither class (and so as a mistake).
    """
    s = np.asarray(s, dtype=float)
    if coding == "binary":
        return (s > 0).astype(float)
    if coding == "bipolar":
        return np.sign(s)
    raise ValueError(f"unknown coding {coding!r}; valid codings are: "
                     f"{', '.join(CODINGS)}")


def weighted_sum(w, X):
    """s = wᵀx for every row x of X (the bias input x₀ = 1 is added here)."""
    Xb = with_bias_input(X)
    w = np.asarray(w, dtype=float).ravel()
    if w.shape[0] != Xb.shape[1]:
        raise ValueError(f"shape mismatch: w has shape {w.shape} but X has "
                         f"{Xb.shape[1] - 1} inputs (w needs {Xb.shape[1]} entries: w₀ "
                         "for the bias, then one per input)")
    return Xb @ w


def neuron(w, X, coding="binary"):
    """Outputs h(wᵀx) of a threshold neuron with weights w = (w₀, w₁, …) for every row
    of X."""
    return threshold(weighted_sum(w, X), coding)


def boundary_line(w, x1):
    """Points (x1, x2) on the decision boundary w₀ + w₁x₁ + w₂x₂ = 0 of a 2-input
    neuron.

    Returns x2 for the given x1 values; raises if w₂ = 0 (then the boundary is the
    vertical line x₁ = −w₀/w₁).
    """
    w0, w1, w2 = np.asarray(w, dtype=float).ravel()[:3]
    if w2 == 0:
        raise ValueError("w₂ = 0: the boundary is vertical, x₁ = −w₀/w₁; it has no x₂ "
                         "= f(x₁) form")
    return -(w0 + w1 * np.asarray(x1, dtype=float)) / w2
