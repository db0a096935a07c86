"""The multilayer perceptron: a stack of Dense layers, forward and back propagation.

Notation (the book's): for layer l, a⁽ˡ⁾ = W⁽ˡ⁾ z⁽ˡ⁻¹⁾ + b⁽ˡ⁾, z⁽ˡ⁾ = σ(a⁽ˡ⁾), z⁽⁰⁾ = x,
and δ⁽ˡ⁾ = ∂E/∂a⁽ˡ⁾.  Backpropagation:

    δ⁽ᴸ⁾ = σ'(a⁽ᴸ⁾) ⊙ ∂E/∂y      (or (y − t)/N for softmax + CE and sigmoid + BCE)
    δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾)
    ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ z⁽ˡ⁻¹⁾ᵀ,   ∂E/∂b⁽ˡ⁾ = δ⁽ˡ⁾    (summed over the samples of the batch)

With samples in rows, as in code, δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾) and
∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ z⁽ˡ⁻¹⁾: ``MLP.backward`` is these lines, from l = L down to 1.
"""
from __future__ import annotations

import copy

import numpy as np

from . import activations, losses
from ._checks import as_2d, same_shape
from .layers import Dense
from .regularization import penalty, penalty_gradient

# Default initialization per activation: He for ReLU-like units, LeCun for SELU (its
# self-normalization is derived for Var(w) = 1/n_in; chapter 10 shows what He does to
# it), Glorot for everything else.
DEFAULT_INIT = {"relu": "he", "leaky_relu": "he", "elu": "he", "selu": "lecun"}


def _per_layer(value, n, what):
    values = list(value) if isinstance(value, (list, tuple)) else [value] * n
    if len(values) != n:
        raise ValueError(f"{what}: got {len(values)} values for {n} hidden layers")
    return values


class MLP:
    """A fully connected feedforward network.

    ``sizes`` lists the units per layer, inputs first: ``MLP([2, 3, 1])`` has 2 inputs,
    one hidden layer of 3 units and 1 output.  ``hidden`` names the hidden activation
    (or one per hidden layer), ``output`` the output activation.  ``init``, if given,
    applies to every layer; by default each layer gets the scheme of its own activation:
    He for the ReLU family, LeCun for SELU, Glorot otherwise.  ``dropout`` (one rate,
    or one per hidden layer) applies inverted dropout to hidden outputs during
    training; ``l2`` and ``l1`` add a weight penalty Ω to the loss (the L2 penalty is
    also called weight decay).
    """

    def __init__(self, sizes, hidden="sigmoid", output="linear", seed=0, init=None,
                 dropout=0.0, l2=0.0, l1=0.0, dtype=np.float64):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("sizes must list at least 2 positive layer sizes "
                             f"(inputs, ..., outputs), got {sizes}")
        n_hidden = len(sizes) - 2
        hidden = _per_layer(hidden, n_hidden, "hidden activations")
        dropout = _per_layer(dropout, n_hidden, "dropout rates")
        if l2 < 0 or l1 < 0:
            raise ValueError(f"weight penalties must be ≥ 0, got l2={l2}, l1={l1}")
        rng = np.random.default_rng(seed)
        self.Y = None
        self.sizes, self.dtype = sizes, np.dtype(dtype)
        self.l2, self.l1 = float(l2), float(l1)
        names = hidden + [output]
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            act = activations.get(names[i])
            scheme = init or DEFAULT_INIT.get(act.name, "glorot")
            p = dropout[i] if i < n_hidden else 0.0
            self.layers.append(Dense(n_in, n_out, act, scheme, rng, self.dtype,
                                     dropout=p))
        self.output = self.layers[-1].activation.name

    # ---- forward ---------------------------------------------------------------------
    def forward(self, X, training=False):
        """Propagate a batch X of shape (N, inputs); return the outputs Y of shape (N,
        outputs).

        Every layer keeps its a and z.  Dropout is active only with ``training=True``.
        """
        z = self._inputs(X)  # z⁽⁰⁾ = x
        for layer in self.layers:
            z = layer.forward(z, training)  # z⁽ˡ⁾ = σ(W⁽ˡ⁾ z⁽ˡ⁻¹⁾ + b⁽ˡ⁾)
        self.Y = z
        return z

    def _inputs(self, X):
        """X as a 2-D array of the network's dtype, one column per input."""
        if not (isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype == self.dtype):
            X = as_2d(X, "X (inputs)").astype(self.dtype, copy=False)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"shape mismatch: X has shape {X.shape} but the network "
                             f"expects {self.sizes[0]} inputs per row, i.e. shape (N, "
                             f"{self.sizes[0]})")
        return X

    def check_data(self, X, T):
        """Validate a whole data set once and convert it to the network's dtype: returns
        (X, T)."""
        X, T = self._inputs(X), as_2d(T, "T (targets)")
        if len(X) != len(T):
            raise ValueError(f"shape mismatch: X has shape {X.shape} but T has shape "
                             f"{T.shape} (they need the same number of rows)")
        if T.shape[1] != self.sizes[-1]:
            raise ValueError(f"shape mismatch: the network has {self.sizes[-1]} "
                             f"outputs per row but T has shape {T.shape}, i.e. "
                             f"{T.shape[1]} targets per row")
        return X, T.astype(self.dtype, copy=False)

    __call__ = forward

    def predict(self, X):
        """Outputs for X in evaluation mode (no dropout)."""
        return self.forward(X, training=False)

    def classify(self, X):
        """Class labels: argmax for several outputs; for one, threshold at 0.5 (sigmoid
        or step output) or at 0 (any other output activation)."""
        Y = self.predict(X)
        if Y.shape[1] > 1:
            return Y.argmax(axis=1)
        threshold = 0.5 if self.output in ("sigmoid", "softmax", "step") else 0.0
        return (Y[:, 0] > threshold).astype(int)

    # ---- loss and backward -----------------------------------------------------------
    def _targets(self, T):
        """T as a numeric array of the last output's shape, in the network's dtype."""
        if self.Y is None:
            raise RuntimeError("call forward(X) before computing a loss or backward(T)")
        if not (isinstance(T, np.ndarray) and T.shape == self.Y.shape
                and T.dtype == self.dtype):  # convert it, or say what is wrong with it
            T = as_2d(T, "T (targets)").astype(self.dtype, copy=False)
            same_shape(self.Y, T, "the network's output Y", "T (targets)")
        return T

    def penalty(self):
        """The weight penalty Ω (L2 and L1 terms) added to the data loss."""
        return penalty([layer.W for layer in self.layers], self.l2, self.l1)

    def loss(self, X, T, loss="mse", training=False):
        """E(net(X), T) + Ω, computed from the logits when the output/loss pair allows
        it."""
        self.forward(X, training)
        return self.current_loss(T, loss)

    def current_loss(self, T, loss="mse"):
        """The loss of the last forward pass against T (plus the weight penalty)."""
        out = self.layers[-1]
        T = self._targets(T)
        data = losses.loss_from_logits(out.activation, loss, out.a, self.Y, T,
                                       out.log_z)
        return data + self.penalty() if (self.l2 or self.l1) else data

    def backward(self, T, loss="mse"):
        """Backpropagation: [(∂E/∂W⁽ˡ⁾, ∂E/∂b⁽ˡ⁾) for l = 1, …, L].

        It reads the values the last forward pass stored.  E is exactly
        ``nnlib.losses.<loss>(Y, T)`` plus Ω: mse, bce and ce are means over the batch,
        sse is a sum.  Each layer keeps ``delta`` = δ⁽ˡ⁾ (N, units), ``dW`` and ``db``.
        Rows are samples, so the book's δ⁽ˡ⁾ z⁽ˡ⁻¹⁾ᵀ summed over the batch is
        δ⁽ˡ⁾ᵀ z⁽ˡ⁻¹⁾, and its W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾ is δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾.
        """
        T = self._targets(T)
        L = len(self.layers)
        layer = [None, *self.layers]  # layer[l] is layer l = 1, …, L, as in the book
        # δ⁽ᴸ⁾ from the loss: σ'(a⁽ᴸ⁾) ⊙ ∂E/∂y, or (y − t)/N for the fused pairs
        delta = losses.output_delta(layer[L].activation, loss, layer[L].a, self.Y, T)
        for l in range(L, 0, -1):
            if l < L:  # δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾)
                delta = layer[l].backward_from_output(delta @ layer[l + 1].W)
            layer[l].delta = delta
            layer[l].dW = delta.T @ layer[l].z_in  # ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ z⁽ˡ⁻¹⁾
            layer[l].db = delta.sum(axis=0)  # ∂E/∂b⁽ˡ⁾ = Σₙ δ⁽ˡ⁾
            if self.l2 or self.l1:  # + ∂Ω/∂W⁽ˡ⁾, the weight penalty's share
                layer[l].dW += penalty_gradient(layer[l].W, self.l2, self.l1)
        return [(layer[l].dW, layer[l].db) for l in range(1, L + 1)]

    def gradients(self, X, T, loss="mse", training=False):
        """Forward then backward on (X, T); returns the list of (∂E/∂W, ∂E/∂b)."""
        self.forward(X, training)
        return self.backward(T, loss)

    # ---- parameters ------------------------------------------------------------------
    @property
    def deltas(self):
        return [layer.delta for layer in self.layers]

    def parameters(self, trainable_only=False):
        """[W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾, ...] — the arrays themselves, so updating them
        updates the net."""
        return [p for layer in self.layers if not (trainable_only and layer.frozen)
                for p in (layer.W, layer.b)]

    def parameter_gradients(self, trainable_only=False):
        """[∂E/∂W⁽¹⁾, ∂E/∂b⁽¹⁾, ...] from the last backward pass, in the order of
        ``parameters``."""
        return [g for layer in self.layers if not (trainable_only and layer.frozen)
                for g in (layer.dW, layer.db)]

    @property
    def n_parameters(self):
        return int(sum(p.size for p in self.parameters()))

    def get_weights(self):
        """A copy of every W and b, for restoring later with ``set_weights``."""
        return [p.copy() for p in self.parameters()]

    def set_weights(self, weights):
        params = self.parameters()
        if len(weights) != len(params):
            raise ValueError(f"expected {len(params)} arrays (W and b per layer), got "
                             f"{len(weights)}")
        for p, w in zip(params, weights):
            w = np.asarray(w)
            same_shape(p, w, "parameter", "the array given")
            p[...] = w

    def copy(self):
        return copy.deepcopy(self)

    def freeze(self, n_layers):
        """Freeze the first ``n_layers`` layers (``fit`` leaves their weights unchanged)
        and unfreeze all the others."""
        for i, layer in enumerate(self.layers):
            layer.frozen = i < n_layers
        return self

    def transfer_from(self, source, n_layers, freeze=True):
        """Copy the first ``n_layers`` layers' W and b from ``source`` (transfer
        learning)."""
        for i in range(n_layers):
            mine, theirs = self.layers[i], source.layers[i]
            same_shape(mine.W, theirs.W, f"layer {i} W of this network",
                       f"layer {i} W of the source")
            mine.W[...], mine.b[...] = theirs.W, theirs.b
        if freeze:
            self.freeze(n_layers)
        return self

    def summary(self):
        """A table of the layers: shape, activation, parameters."""
        rows = [f"{'layer':<6}{'units':>7}{'activation':>13}"
                f"{'weights':>10}{'biases':>8}"]
        for i, layer in enumerate(self.layers, 1):
            rows.append(f"{i:<6}{layer.W.shape[0]:>7}{layer.activation.name:>13}"
                        f"{layer.W.size:>10}{layer.b.size:>8}"
                        + ("  (frozen)" if layer.frozen else ""))
        rows.append(f"total parameters: {self.n_parameters}")
        return "\n".join(rows)

    def __repr__(self):
        acts = "→".join(layer.activation.name for layer in self.layers)
        return f"MLP({self.sizes}, {acts})"
