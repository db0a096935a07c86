"""Input validation shared by nnlib's modules: errors that say what was wrong and what
is valid."""
from __future__ import annotations

import numpy as np


def unknown_name(kind, name, valid):
    return ValueError(f"unknown {kind} {name!r}; valid names are: {', '.join(valid)}")


def lookup(table, name, kind, instance_of=()):
    """``table[name]``, or ``name`` itself if it already is an ``instance_of``.

    An unknown name raises ValueError listing the valid ones.
    """
    if instance_of and isinstance(name, instance_of):
        return name
    if not isinstance(name, str) or name not in table:
        raise unknown_name(kind, name, tuple(table))
    return table[name]


def as_2d(x, what, dtype=None):
    """Return x as a 2-D numeric array (N, features); a 1-D array becomes one column.

    Integers and booleans keep their dtype unless ``dtype`` is given.
    """
    arr = np.asarray(x, dtype=dtype)
    if arr.dtype.kind not in "fiub":
        raise ValueError(f"{what} must be numeric, got dtype {arr.dtype}")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{what} must have shape (N, features), got shape {arr.shape}")
    return arr


def same_shape(a, b, what_a, what_b):
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch: {what_a} has shape {a.shape} but {what_b} "
                         f"has shape {b.shape}")


def positive(value, what):
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number, got {value!r}")
    return value


def in_range(value, low, high, what):
    if not (low <= value < high):
        raise ValueError(f"{what} must be in [{low}, {high}), got {value!r}")
    return value
