"""Weight initialization schemes for a layer with ``n_in`` inputs and ``n_out`` units.

* ``glorot`` (Xavier, uniform): W ~ U(−r, r), r = √(6 / (n_in + n_out)); keeps the
  variance of activations and of gradients roughly constant through tanh/sigmoid layers.
* ``glorot_normal``: W ~ N(0, 2 / (n_in + n_out)).
* ``he`` (Kaiming, normal): W ~ N(0, 2 / n_in); the factor 2 makes up for ReLU zeroing
  half its inputs.
* ``lecun`` (normal): W ~ N(0, 1 / n_in); the variance SELU's self-normalization is
  derived for.
* ``normal``: W ~ N(0, 1) — the naive choice, kept to show what goes wrong with it.
* ``small``: W ~ N(0, 0.01²).
* ``zeros``: every weight 0 (shows the symmetry problem: all hidden units stay
  identical).
Biases start at 0.
"""
from __future__ import annotations

import numpy as np

from ._checks import lookup


def _glorot(rng, n_in, n_out):
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_out, n_in))


SCHEMES = {
    "glorot": _glorot, "xavier": _glorot, "glorot_normal": lambda rng, n_in,
    n_out: rng.normal(0, np.sqrt(2.0 / (n_in + n_out)), (n_out, n_in)),
    "he": lambda rng, n_in, n_out: rng.normal(0, np.sqrt(2.0 / n_in), (n_out, n_in)),
    "lecun": lambda rng, n_in, n_out: rng.normal(0, np.sqrt(1.0 / n_in), (n_out, n_in)),
    "normal": lambda rng, n_in, n_out: rng.normal(0, 1.0, (n_out, n_in)),
    "small": lambda rng, n_in, n_out: rng.normal(0, 0.01, (n_out, n_in)),
    "zeros": lambda rng, n_in, n_out: np.zeros((n_out, n_in)),
}
NAMES = tuple(SCHEMES)


def weights(scheme, n_in, n_out, rng):
    """A weight matrix of shape (n_out, n_in) drawn by ``scheme`` from the Generator
    ``rng``."""
    return lookup(SCHEMES, scheme, "initialization")(rng, n_in, n_out)
