"""A fully connected layer: a = W z_in + b, z = σ(a), with optional inverted dropout.

In code a batch is a matrix with one sample per row, so the layer computes ``a = z_in @ W.T + b``.
``W`` has shape (units out, units in), like W⁽ˡ⁾ in the book.
"""
from __future__ import annotations

import numpy as np

from . import activations
from . import init as initializers
from ._checks import in_range
from .regularization import dropout_mask


class Dense:
    """One layer of an MLP.

    After ``forward`` the layer keeps ``z_in`` (its input), ``a`` (pre-activation) and ``z`` (output);
    after ``backward`` it keeps ``delta`` = ∂E/∂a and the gradients ``dW``, ``db``.
    """

    def __init__(self, n_in, n_out, activation="sigmoid", init="glorot", rng=None, dtype=np.float64,
                 dropout=0.0):
        rng = np.random.default_rng(rng)
        self.activation = activations.get(activation)
        self.W = initializers.weights(init, n_in, n_out, rng).astype(dtype)
        self.b = np.zeros(n_out, dtype=dtype)
        self.dropout = in_range(float(dropout), 0.0, 1.0, "dropout rate p")
        self.frozen = False
        self._rng = rng
        self.z_in = self.a = self.z = self.log_z = self.mask = self.delta = self.dW = self.db = None

    @property
    def shape(self):
        return self.W.shape

    def forward(self, z_in, training=False):
        """a = z_in Wᵀ + b; z = σ(a); in training, inverted dropout keeps each unit with prob. 1 − p."""
        self.z_in = z_in
        self.a = a = z_in @ self.W.T
        a += self.b  # in place: one temporary array fewer
        if self.activation.name == "softmax":  # keep log z too: the cross-entropy then needs no second exp
            z, self.log_z = self.activation.forward_with_log(a)
        else:  # a is already a float array: skip the activation's input conversion
            z, self.log_z = self.activation._f(a), None
        self.z, self.mask = z, None
        if training and self.dropout > 0:
            # Scaling by 1/(1 − p) at training time means evaluation needs no rescaling at all.
            self.mask = dropout_mask(z.shape, self.dropout, self._rng).astype(z.dtype)
            return z * self.mask
        return z

    def backward_from_output(self, grad_out):
        """δ = ∂E/∂a from ∂E/∂(layer output), through dropout's mask and σ'."""
        if self.mask is not None:
            grad_out = grad_out * self.mask
        # grad_out comes fresh from the layer above (δ W), so δ may take over its memory
        return self.activation.backward(self.a, self.z, grad_out, overwrite=True)

    def set_delta(self, delta, need_input_grad=True):
        """Store δ and compute ∂E/∂W = δᵀ z_in (Σ over the batch of δ zᵀ) and ∂E/∂b = Σ_n δ.

        Returns ∂E/∂z_in = δ W, the gradient handed to the layer below (or None if not needed).
        """
        self.delta = delta
        self.dW = delta.T @ self.z_in
        self.db = delta.sum(axis=0)
        return delta @ self.W if need_input_grad else None

    def __repr__(self):
        extra = f", dropout={self.dropout}" if self.dropout else ""
        extra += ", frozen" if self.frozen else ""
        return f"Dense({self.W.shape[1]} → {self.W.shape[0]}, {self.activation.name}{extra})"
