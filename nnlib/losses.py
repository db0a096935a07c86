"""Loss functions E(Y, T) and their gradients ∂E/∂Y.

Y and T have shape (N, K): N samples in rows, K outputs.  The conventions, used
everywhere in the book:

* ``sse``  E = ½ Σ_n Σ_k (y − t)²                       (a sum; the ½ cancels the 2 of
  the derivative)
* ``mse``  E = (1/N) Σ_n Σ_k (y − t)²
* ``binary_cross_entropy``  E = −(1/N) Σ_n Σ_k [t log y + (1 − t) log(1 − y)]
* ``cross_entropy``  E = −(1/N) Σ_n Σ_k t log y          (T one-hot or a probability
  distribution)

``MLP.backward`` returns the gradient of exactly the number these functions return.  The
``*_with_logits`` versions take the pre-activation a of the output layer and never
evaluate log 0 or overflow, however large the logits (as long as the differences between
a sample's logits are finite floats).
"""
from __future__ import annotations

import numpy as np

from . import activations
from ._checks import as_2d, lookup, same_shape

# Probabilities are raised to at least EPS before a log (and, for the binary
# cross-entropy, lowered to at most 1 − EPS), so a saturated output gives a large but
# finite loss.
EPS = 1e-12


def _pair(Y, T):
    Y, T = as_2d(Y, "Y (outputs)"), as_2d(T, "T (targets)")
    same_shape(Y, T, "Y (outputs)", "T (targets)")
    return Y, T


class Loss:
    """A loss: ``value(Y, T)`` is E, ``grad(Y, T)`` is ∂E/∂Y (same shape as Y)."""

    def __init__(self, name, value, grad, formula):
        self.name, self._value, self._grad, self.formula = name, value, grad, formula

    def __call__(self, Y, T):
        return float(self._value(*_pair(Y, T)))

    value = __call__

    def grad(self, Y, T):
        return self._grad(*_pair(Y, T))

    def __repr__(self):
        return f"<loss {self.name}: {self.formula}>"


def _bce(Y, T):
    Y = np.clip(Y, EPS, 1 - EPS)
    return -np.sum(T * np.log(Y) + (1 - T) * np.log(1 - Y)) / len(Y)


def _bce_grad(Y, T):
    Y = np.clip(Y, EPS, 1 - EPS)
    return (Y - T) / (Y * (1 - Y)) / len(Y)


def _ce(Y, T):
    return -np.sum(T * np.log(np.maximum(Y, EPS))) / len(Y)


def _ce_grad(Y, T):
    return -T / np.maximum(Y, EPS) / len(Y)


LOSSES = {
    loss.name: loss
    for loss in [
        Loss("sse", lambda Y, T: 0.5 * np.sum((Y - T) ** 2), lambda Y, T: Y - T,
             "½ Σ_n Σ_k (y − t)²"),
        Loss("mse", lambda Y, T: np.sum((Y - T) ** 2) / len(Y), lambda Y,
             T: 2 * (Y - T) / len(Y),
             "(1/N) Σ_n Σ_k (y − t)²"),
        Loss("binary_cross_entropy", _bce, _bce_grad,
             "−(1/N) Σ [t log y + (1 − t) log(1 − y)]"),
        Loss("cross_entropy", _ce, _ce_grad, "−(1/N) Σ_n Σ_k t log y"),
    ]
}
NAMES = tuple(LOSSES)

sse = LOSSES["sse"]
mse = LOSSES["mse"]
binary_cross_entropy = LOSSES["binary_cross_entropy"]
cross_entropy = LOSSES["cross_entropy"]


def get(name):
    """The loss called ``name`` (or ``name`` itself if it already is a Loss)."""
    return lookup(LOSSES, name, "loss", Loss)


def cross_entropy_with_logits(A, T):
    """Cross-entropy of softmax(A): −(1/N) Σ t log softmax(a), through log-softmax (no
    log 0)."""
    A, T = _pair(A, T)
    return float(-np.sum(T * activations.log_softmax(A)) / len(A))


def binary_cross_entropy_with_logits(A, T):
    """BCE of σ(A): log(1 + e^a) − t a per element, through softplus (no overflow, no
    log 0)."""
    A, T = _pair(A, T)
    return float(np.sum(activations.softplus(A) - T * A) / len(A))


# Output activations whose derivative cancels against the loss's: δ = ∂E/∂a = (y − t)/N.
FUSED = {("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")}


def _resolve(output, loss):
    """(Activation, Loss) from names or objects; objects pass through without a lookup
    (the training hot path)."""
    act = output if isinstance(output,
                               activations.Activation) else activations.get(output)
    return act, (loss if isinstance(loss, Loss) else get(loss))


def output_delta(output, loss, A, Y, T):
    """δ of the output layer, ∂E/∂a, for output activation ``output`` and loss ``loss``.

    For the matched pairs in FUSED, σ'(a) cancels the loss's denominator and δ = (y −
    t)/N, which is exact and stable.  Any other pairing applies the chain rule: δ =
    σ'(a) ⊙ ∂E/∂y (a Jacobian product for softmax).
    """
    act, loss = _resolve(output, loss)
    if (act.name, loss.name) in FUSED:
        delta = Y - T
        delta /= len(Y)  # in place: one temporary array fewer
        return delta
    return act.backward(A, Y, loss.grad(Y, T))


def loss_from_logits(output, loss, A, Y, T, log_Y=None):
    """E computed from the logits when that is stabler (fused pairs), else from the
    outputs Y.

    ``log_Y``, if given, is log softmax(A) already computed by the output layer.
    """
    act, loss = _resolve(output, loss)
    if (act.name, loss.name) == ("softmax", "cross_entropy"):
        if log_Y is not None:
            # Σ t log y in one call (no temporary array)
            return float(-np.vdot(T, log_Y) / len(Y))
        return cross_entropy_with_logits(A, T)
    if (act.name, loss.name) == ("sigmoid", "binary_cross_entropy"):
        return binary_cross_entropy_with_logits(A, T)
    return loss(Y, T)
