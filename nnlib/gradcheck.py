"""Gradient checking: compare analytic gradients with central finite differences.

    ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / (2h)      (error O(h²))

and report the relative error ‖g_analytic − g_numeric‖ / (‖g_analytic‖ + ‖g_numeric‖).
In float64 with h = 1e-5, a correct gradient gives about 1e-8 or less; 1e-6 is a fine
threshold; anything above 1e-3 is a bug.
"""
from __future__ import annotations

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function f at the array x (x is
    restored afterwards)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise ValueError("x must be a float array so it can be nudged by h, got dtype "
                         f"{x.dtype}")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old - h
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖), and 0 when both are exactly zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch: a has shape {a.shape} but b has shape "
                         f"{b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_gradients(net, X, T, loss="mse", h=1e-5):
    """Compare ``net.backward`` with numerical gradients of ``net.loss`` for every W and
    b.

    Returns one dict per layer: ``{"layer": i, "W": rel. error, "b": rel. error,
    "W_abs": largest absolute difference, "b_abs": ...}``.  The absolute difference
    matters where a gradient is itself tiny (a saturated unit): there the relative error
    only measures round-off.  Dropout is switched off (its random mask would make the
    loss a different function at every call).
    """
    if net.dtype != np.float64:
        raise ValueError("gradient checking needs a float64 network; float32 "
                         "round-off swamps the differences")
    analytic = [(dW.copy(), db.copy()) for dW, db in net.gradients(X, T, loss)]
    f = lambda _: net.loss(X, T, loss)
    report = []
    for i, layer in enumerate(net.layers):
        num_W, num_b = numerical_gradient(f, layer.W,
                                          h), numerical_gradient(f, layer.b, h)
        report.append({
            "layer": i + 1,
            "W": rel_error(analytic[i][0], num_W),
            "b": rel_error(analytic[i][1], num_b),
            "W_abs": float(np.max(np.abs(analytic[i][0] - num_W))),
            "b_abs": float(np.max(np.abs(analytic[i][1] - num_b))),
        })
    return report


def worst(report):
    """The largest relative error in a ``check_gradients`` report."""
    return max(max(r["W"], r["b"]) for r in report)
