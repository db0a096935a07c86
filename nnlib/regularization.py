"""Weight penalties added to the data loss: Ω(W) = (λ₂/2) Σ w² + λ₁ Σ |w| over every
weight (the L2 term alone is weight decay).

Biases are not penalized (they shift a boundary; shrinking them does not make a model
simpler). ∂Ω/∂W = λ₂ W + λ₁ sign(W).
"""
from __future__ import annotations

import numpy as np


def penalty(weights, l2=0.0, l1=0.0):
    """Ω = (λ₂/2) Σ_l ‖W⁽ˡ⁾‖² + λ₁ Σ_l Σ |w⁽ˡ⁾|."""
    total = 0.0
    for W in weights:
        if l2:
            total += 0.5 * l2 * float(np.sum(W * W))
        if l1:
            total += l1 * float(np.sum(np.abs(W)))
    return total


def penalty_gradient(W, l2=0.0, l1=0.0):
    """∂Ω/∂W = λ₂ W + λ₁ sign(W) for one weight matrix (0 if neither penalty is on)."""
    grad = 0.0
    if l2:
        grad = l2 * W
    if l1:
        grad = grad + l1 * np.sign(W)
    return grad


def dropout_mask(shape, p, rng):
    """Inverted-dropout mask: each entry is 0 with probability p, else 1/(1 − p), so
    E[mask] = 1."""
    keep = 1.0 - p
    return (rng.random(shape) < keep) / keep
