"""Datasets the book uses, all generated here or shipped by an installed package
(nothing is downloaded), and the usual preprocessing: one-hot coding, standardization,
splits, k-fold, augmentation.

Classification sets return ``X`` (N, features) and integer labels ``y`` (N,); use
``one_hot`` for softmax outputs or ``y[:, None]`` for a single sigmoid output.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_2d, in_range, lookup

GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
    "xnor": [1, 0, 0, 1],
}


def logic_gate(name, coding="binary"):
    """Truth table of a 2-input gate: X rows (0,0), (0,1), (1,0), (1,1) and targets t.

    ``coding="bipolar"`` maps 0 ↦ −1 for inputs and targets alike.
    """
    gate = lookup(GATES, name.lower(), "logic gate")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array(gate, dtype=float)
    if coding == "bipolar":
        return 2 * X - 1, 2 * t - 1
    if coding != "binary":
        raise ValueError(f"unknown coding {coding!r}; valid codings are: binary, "
                         "bipolar")
    return X, t


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (classes 0 and 1), with Gaussian noise of std
    ``noise``."""
    rng = np.random.default_rng(seed)
    n0 = n // 2
    a0, a1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n - n0)
    X = np.vstack([np.c_[np.cos(a0), np.sin(a0)],
                   np.c_[1 - np.cos(a1), 0.5 - np.sin(a1)]])
    y = np.r_[np.zeros(n0, int), np.ones(n - n0, int)]
    return X + rng.normal(0, noise, X.shape), y


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0); ``factor`` is the ratio of
    radii."""
    rng = np.random.default_rng(seed)
    n0 = n // 2
    angles = rng.uniform(0, 2 * np.pi, n)
    radius = np.r_[np.ones(n0), np.full(n - n0, factor)]
    X = np.c_[radius * np.cos(angles), radius * np.sin(angles)]
    y = np.r_[np.zeros(n0, int), np.ones(n - n0, int)]
    return X + rng.normal(0, noise, X.shape), y


def spirals(n=300, classes=2, noise=0.2, turns=1.5, seed=0):
    """``classes`` interleaved spiral arms, one per class."""
    rng = np.random.default_rng(seed)
    per = n // classes
    X, y = [], []
    for k in range(classes):
        r = np.linspace(0.1, 1, per)
        theta = (2 * np.pi * turns * r + 2 * np.pi * k / classes
                 + rng.normal(0, noise * 0.5, per))
        X.append(np.c_[r * np.cos(theta), r * np.sin(theta)])
        y.append(np.full(per, k))
    return np.vstack(X), np.concatenate(y)


def blobs(n=300, centers=3, std=0.6, seed=0, box=4.0):
    """Gaussian clusters; ``centers`` is a count (placed at random in [−box, box]²) or
    an array of centres."""
    rng = np.random.default_rng(seed)
    C = rng.uniform(-box, box,
                    (centers, 2)) if np.isscalar(centers) else np.asarray(centers,
                                                                          float)
    y = np.arange(n) % len(C)
    return C[y] + rng.normal(0, std, (n, C.shape[1])), y


def regression_curve(n=100, kind="sine", noise=0.1, seed=0):
    """1-D regression data x ∈ [−1, 1] (N, 1) → t (N, 1): ``sine`` (sin 3x), ``cubic``
    or ``step``."""
    curves = {"sine": lambda x: np.sin(3 * x), "cubic": lambda x: x ** 3 - 0.5 * x,
              "step": lambda x: (x > 0) * 1.0}
    curve = lookup(curves, kind, "curve")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, n))
    return x[:, None], (curve(x) + rng.normal(0, noise, n))[:, None]


def linear_regression(n=50, slope=0.52, intercept=-0.1, noise=1.0, seed=0):
    """Points scattered around the line t = slope·x + intercept, x ∈ [0, 10] (the
    example of topic 28).

    Returns 1-D arrays x and t.  The defaults make the line 0.52x − 0.1 the one the data
    were drawn around.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 10, n))
    return x, slope * x + intercept + rng.normal(0, noise, n)


def digits(flatten=True):
    """The 1,797 handwritten 8×8 digits that scikit-learn ships (UCI optdigits test
    set).

    Returns X (1797, 64) with pixel values scaled to [0, 1] (or images (1797, 8, 8) if
    not flatten) and labels y (1797,).
    """
    from sklearn.datasets import load_digits  # ships with scikit-learn: no download

    d = load_digits()
    X = d.images / 16.0
    return (X.reshape(len(X), -1) if flatten else X), d.target.astype(int)


def one_hot(y, n_classes=None):
    """Integer labels (N,) → one-hot rows (N, K): row n has a 1 in column y_n."""
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise ValueError(f"labels must be a 1-D integer array, got shape {y.shape} and "
                         f"dtype {y.dtype}")
    K = int(n_classes or y.max() + 1)
    if y.min() < 0 or y.max() >= K:
        raise ValueError(f"labels must lie in 0 … {K - 1}, got values from {y.min()} "
                         f"to {y.max()}")
    out = np.zeros((len(y), K))
    out[np.arange(len(y)), y] = 1.0
    return out


def standardize(X, mean=None, std=None):
    """(X − mean) / std per column; returns (Z, mean, std).  Pass the training set's
    mean and std to transform validation and test data with the same statistics.
    Constant columns get std 1."""
    X = as_2d(X, "X", dtype=float)
    mean = X.mean(axis=0) if mean is None else np.asarray(mean, float)
    if std is None:
        std = X.std(axis=0)
        std = np.where(std > 0, std, 1.0)
    return (X - mean) / std, mean, np.asarray(std, float)


def split(X, y, fractions=(0.6, 0.2, 0.2), seed=0, stratify=False):
    """Shuffle and split (X, y) into parts of the given fractions (e.g. train,
    validation, test).

    With ``stratify=True`` each part keeps the class proportions of integer labels y.
    Returns a list of (X_part, y_part).
    """
    fractions = np.asarray(fractions, float)
    if np.any(fractions <= 0) or not np.isclose(fractions.sum(), 1.0):
        raise ValueError("fractions must be positive and sum to 1, got "
                         f"{tuple(fractions)}")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"shape mismatch: X has shape {X.shape} but y has shape "
                         f"{y.shape}")
    rng = np.random.default_rng(seed)
    if stratify:
        groups = [np.flatnonzero(y == c) for c in np.unique(y)]
    else:
        groups = [np.arange(len(X))]
    parts = [[] for _ in fractions]
    for idx in groups:
        idx = rng.permutation(idx)
        cuts = np.round(np.cumsum(fractions)[:-1] * len(idx)).astype(int)
        for part, chunk in zip(parts, np.split(idx, cuts)):
            part.append(chunk)
    parts = [rng.permutation(np.concatenate(p)) for p in parts]
    return [(X[p], y[p]) for p in parts]


def kfold(n, k=5, seed=0):
    """Yield (train_indices, validation_indices) for k-fold cross-validation over n
    samples."""
    if not 2 <= k <= n:
        raise ValueError(f"k must be between 2 and the number of samples ({n}), "
                         f"got {k}")
    folds = np.array_split(np.random.default_rng(seed).permutation(n), k)
    for i in range(k):
        yield np.concatenate(folds[:i] + folds[i + 1:]), folds[i]


def add_noise(X, std=0.1, seed=0):
    """X plus Gaussian noise of standard deviation ``std`` (a simple augmentation)."""
    return X + np.random.default_rng(seed).normal(0, std, np.shape(X))


def shift_images(images, dx=0, dy=0):
    """Shift images (N, H, W) by dx columns and dy rows, filling with 0 (no
    wrap-around)."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError("images must have shape (N, height, width), got "
                         f"{images.shape}")
    out = np.zeros_like(images)
    H, W = images.shape[1:]
    if abs(dx) >= W or abs(dy) >= H:
        return out
    src = images[:, max(0, -dy):H - max(0, dy), max(0, -dx):W - max(0, dx)]
    out[:, max(0, dy):max(0, dy) + src.shape[1],
        max(0, dx):max(0, dx) + src.shape[2]] = src
    return out
