"""Fitting a line y = a x + b by minimizing the mean squared error (the book's first
loss surface).

    E(a, b) = (1/N) Σ_i (t_i − (a x_i + b))²
    ∂E/∂a = −(2/N) Σ_i x_i (t_i − (a x_i + b))
    ∂E/∂b = −(2/N) Σ_i (t_i − (a x_i + b))

(The minus signs come from the chain rule: y = a x + b enters the residual t − y with a
minus sign, so ∂(t − y)/∂a = −x and ∂(t − y)/∂b = −1.)
"""
from __future__ import annotations

import numpy as np


def _data(x, t):
    x, t = np.asarray(x, float).ravel(), np.asarray(t, float).ravel()
    if x.shape != t.shape:
        raise ValueError(f"shape mismatch: x has shape {x.shape} but t has shape "
                         f"{t.shape}")
    return x, t


def mse(a, b, x, t):
    """E(a, b); a and b may be arrays of the same shape (e.g. a meshgrid), giving E on
    every point."""
    x, t = _data(x, t)
    a, b = np.asarray(a, float), np.asarray(b, float)
    # Expand Σ (t − a x − b)² so a whole grid of (a, b) costs O(grid) instead of O(grid
    # × N).
    Sxx, Sx, St, Stt, Sxt, N = x @ x, x.sum(), t.sum(), t @ t, x @ t, len(x)
    return (Stt + a * a * Sxx + N * b * b
            - 2 * a * Sxt - 2 * b * St + 2 * a * b * Sx) / N


def gradient(a, b, x, t):
    """(∂E/∂a, ∂E/∂b) at one point (a, b)."""
    x, t = _data(x, t)
    r = t - (a * x + b)
    return np.array([-2.0 * np.mean(x * r), -2.0 * np.mean(r)])


def least_squares(x, t):
    """The exact minimizer (a*, b*) from the normal equations."""
    x, t = _data(x, t)
    A = np.c_[x, np.ones_like(x)]
    return np.linalg.lstsq(A, t, rcond=None)[0]


def hessian(x):
    """The constant Hessian of E: (2/N) [[Σx², Σx], [Σx, N]].  GD diverges for η > 2 /
    λ_max."""
    x = np.asarray(x, float).ravel()
    return 2.0 / len(x) * np.array([[x @ x, x.sum()], [x.sum(), len(x)]])


def max_stable_lr(x):
    """2 / λ_max(H): plain gradient descent on E converges for every η below this bound
    and diverges above it."""
    return 2.0 / np.linalg.eigvalsh(hessian(x)).max()
