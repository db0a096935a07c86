"""A fully connected layer: a = W z_in + b, z = σ(a), with optional inverted dropout.

In code a batch is a matrix with one sample per row, so the layer computes
``a = z_in @ W.T + b``.  ``W`` has shape (units out, units in), like W⁽ˡ⁾ in the book.
"""
from __future__ import annotations

import numpy as np

from . import activations
from . import init as initializers
from ._checks import in_range
from .regularization import dropout_mask


class Dense:
    """One layer of an MLP.

    After ``forward`` the layer keeps ``z_in`` (its input), ``a`` (pre-activation) and
    ``z`` (output); after ``MLP.backward`` it keeps ``delta`` = ∂E/∂a and the gradients
    ``dW``, ``db``.
    """

    def __init__(self, n_in, n_out, activation="sigmoid", init="glorot", rng=None,
                 dtype=np.float64, dropout=0.0):
        rng = np.random.default_rng(rng)
        self.activation = activations.get(activation)
        self.W = initializers.weights(init, n_in, n_out, rng).astype(dtype)
        self.b = np.zeros(n_out, dtype=dtype)
        self.dropout = in_range(float(dropout), 0.0, 1.0, "dropout rate p")
        self.frozen = False
        self._rng = rng
        self.z_in = self.a = self.z = self.log_z = self.mask = None
        self.delta = self.dW = self.db = None

    @property
    def shape(self):
        return self.W.shape

    def forward(self, z_in, training=False):
        """a = z_in Wᵀ + b; z = σ(a).

        In training, inverted dropout keeps each unit with probability 1 − p.  The layer
        also keeps log z where its activation gives it for free (softmax), for the
        cross-entropy.
        """
        a = z_in @ self.W.T
        a += self.b  # in place: one temporary array fewer
        z, log_z = self.activation.with_log(a)
        self.z_in, self.a, self.z, self.log_z, self.mask = z_in, a, z, log_z, None
        if training and self.dropout > 0:
            # Scaling by 1/(1 − p) while training: evaluation then needs no rescaling.
            mask = dropout_mask(z.shape, self.dropout, self._rng)
            self.mask = mask.astype(z.dtype)
            return z * self.mask
        return z

    def backward_from_output(self, grad_out):
        """δ = ∂E/∂a = σ'(a) ⊙ ∂E/∂z from ∂E/∂z, the gradient of the layer's output.

        With dropout, the output was z ⊙ mask, so ∂E/∂z is first multiplied by the mask.
        ``grad_out`` may be overwritten (it is δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾, a fresh array nobody else
        holds).
        """
        if self.mask is not None:
            grad_out = grad_out * self.mask
        return self.activation.backward(self.a, self.z, grad_out, overwrite=True)

    def __repr__(self):
        extra = f", dropout={self.dropout}" if self.dropout else ""
        extra += ", frozen" if self.frozen else ""
        return (f"Dense({self.W.shape[1]} → {self.W.shape[0]}, "
                f"{self.activation.name}{extra})")
