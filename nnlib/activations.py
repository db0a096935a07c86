"""Activation functions σ and their derivatives with respect to the pre-activation a.

Every activation maps the pre-activation ``a`` of a layer to its output ``z = σ(a)``.
``derivative(a)`` is σ'(a), elementwise.  ``backward(a, z, grad_z)`` turns ∂E/∂z into δ
= ∂E/∂a; for elementwise functions that is ``grad_z * σ'(a)``, for softmax it applies
the Jacobian (softmax is the one activation whose outputs depend on every input).
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ._checks import lookup

LEAKY_RELU_ALPHA = 0.01
ELU_ALPHA = 1.0
# SELU constants (Klambauer et al., 2017), chosen so activations keep mean 0 and
# variance 1.
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


class Activation:
    """An elementwise activation: ``f`` computes σ(a), ``df`` computes σ'(a)."""

    def __init__(self, name, f, df, formula="", df_from_z=None):
        self.name, self._f, self._df, self.formula = name, f, df, formula
        # σ' written in terms of the output z = σ(a), when that is cheaper (sigmoid: z(1
        # − z)).
        self._df_from_z = df_from_z

    def __call__(self, a):
        return self._f(_floats(a))

    def derivative(self, a):
        return self._df(_floats(a))

    def with_log(self, a):
        """(σ(a), log σ(a)) where one pass gives both (softmax), else (σ(a), None).

        A layer keeps the log so that the cross-entropy needs no second exp (measured:
        a 64–128–10 epoch with batches of 32 took a fifth less time than without).
        """
        return self._f(a), None  # a comes from a layer, so it is already a float array

    def backward(self, a, z, grad_z, overwrite=False):
        """δ = ∂E/∂a = ∂E/∂z ⊙ σ'(a).  ``overwrite=True`` may reuse grad_z's memory for
        δ."""
        slope = self._df(a) if self._df_from_z is None else self._df_from_z(z)
        if overwrite:  # the product goes into grad_z and keeps its dtype
            return np.multiply(grad_z, slope, out=grad_z)
        return grad_z * slope

    def __repr__(self):
        return f"<activation {self.name}: {self.formula}>"


def _floats(a):
    """a as a float array (integers and booleans become float64; float32 stays float32).
    """
    a = np.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def sigmoid(a):
    """σ(a) = 1 / (1 + e^(−a)), evaluated without overflow for large |a|."""
    a = np.asarray(a)
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(a):
    """log(1 + e^a) = max(a, 0) + log(1 + e^(−|a|)), stable for large |a|."""
    a = np.asarray(a)
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def softmax(a, axis=-1):
    """softmax(a)_k = e^(a_k) / Σ_j e^(a_j); the row maximum is subtracted first so no
    exp overflows."""
    a = np.asarray(a)
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(a, axis=-1):
    """log softmax(a), computed as a − max − log Σ e^(a − max) (never log 0)."""
    a = np.asarray(a)
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_jacobian(a):
    """∂y_i/∂a_j = y_i (1[i=j] − y_j) for one vector a of K logits; returns a K×K
    matrix."""
    y = softmax(np.asarray(a, dtype=float).ravel())
    return np.diag(y) - np.outer(y, y)


def _elu(a):
    return np.where(a > 0, a, ELU_ALPHA * np.expm1(np.minimum(a, 0)))


def _selu(a):
    return SELU_SCALE * np.where(a > 0, a, SELU_ALPHA * np.expm1(np.minimum(a, 0)))


class Softmax(Activation):
    """softmax over the last axis; its derivative is a Jacobian, not an elementwise
    function."""

    def __init__(self):
        super().__init__("softmax", softmax, None, "e^(a_k) / Σ_j e^(a_j)")

    def derivative(self, a):
        raise ValueError(
            "softmax has no elementwise derivative: every output depends on every "
            "input. Use nnlib.activations.softmax_jacobian(a) for one sample, or "
            ".backward(a, z, grad_z)."
        )

    def with_log(self, a):
        """softmax(a) and log softmax(a) from one exp pass."""
        # np.maximum.reduce and np.add.reduce: a.max and e.sum without Python wrappers
        shifted = a - np.maximum.reduce(a, axis=-1, keepdims=True)
        e = np.exp(shifted)
        total = np.add.reduce(e, axis=-1, keepdims=True)
        # e becomes softmax(a), shifted becomes log softmax(a): no new arrays
        e /= total
        shifted -= np.log(total)
        return e, shifted

    def backward(self, a, z, grad_z, overwrite=False):
        """δ_j = Σ_i g_i y_i (1[i=j] − y_j) = y_j (g_j − Σ_i g_i y_i) per row, with
        y = z = softmax(a) and g = ∂E/∂y = grad_z."""
        return z * (grad_z - np.sum(grad_z * z, axis=-1, keepdims=True))


def _build():
    one, zero = np.ones_like, np.zeros_like
    table = [
        Activation("linear", lambda a: a, one, "a"),
        # Heaviside step; σ'(a) = 0 wherever it is defined (a ≠ 0), so gradients cannot
        # train it.
        Activation("step", lambda a: (a > 0).astype(a.dtype), zero,
                   "1 if a > 0 else 0"),
        Activation("sign", np.sign, zero, "+1, 0 or −1"),
        Activation("sigmoid", sigmoid, lambda a: sigmoid(a) * (1 - sigmoid(a)),
                   "1 / (1 + e^(−a))", df_from_z=lambda z: z * (1 - z)),
        Activation("tanh", np.tanh, lambda a: 1 - np.tanh(a) ** 2, "tanh(a)",
                   df_from_z=lambda z: 1 - z * z),
        # partial(np.maximum, 0)(a) = max(0, a); its derivative from the output,
        # partial(np.less, 0)(z) = (0 < z).
        Activation("relu", partial(np.maximum, 0), lambda a: (a > 0).astype(a.dtype),
                   "max(0, a)", df_from_z=partial(np.less, 0)),
        Activation("leaky_relu", lambda a: np.where(a > 0, a, LEAKY_RELU_ALPHA * a),
                   lambda a: np.where(a > 0, np.ones_like(a), LEAKY_RELU_ALPHA),
                   "a if a > 0 else 0.01 a"),
        Activation("elu", _elu,
                   lambda a: np.where(a > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(a, 0))),
                   "a if a > 0 else e^a − 1"),
        Activation("selu", _selu, lambda a: SELU_SCALE * np.where(
                       a > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(a, 0))),
                   "λ a if a > 0 else λ α (e^a − 1)"),
        Activation("softplus", softplus, sigmoid, "log(1 + e^a)"),
        Softmax(),
    ]
    return {act.name: act for act in table}


ACTIVATIONS = _build()
NAMES = tuple(ACTIVATIONS)


def get(name):
    """The activation called ``name`` (or ``name`` itself if it already is an
    Activation)."""
    return lookup(ACTIVATIONS, name, "activation", Activation)


def derivative(name, a):
    """σ'(a) for the activation called ``name``."""
    return get(name).derivative(a)
