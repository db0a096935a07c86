"""Classification metrics."""
from __future__ import annotations

import numpy as np


def labels(Y):
    """Class labels from outputs or targets: argmax of a one-hot/probability row, else
    threshold at 0.5.

    A 1-D array of integers is taken to be labels already and returned as it is.
    """
    Y = np.asarray(Y)
    if Y.ndim == 1 and Y.dtype.kind in "iu":
        return Y
    if Y.ndim == 2 and Y.shape[1] > 1:
        return Y.argmax(axis=1)
    return (Y.reshape(-1) > 0.5).astype(int)


def accuracy(Y, T):
    """Fraction of samples whose predicted class equals the target class (Y, T: outputs,
    targets or labels)."""
    return float(np.mean(labels(Y) == labels(T)))


def confusion_matrix(predicted, actual, n_classes=None):
    """C[i, j] = number of samples of true class i predicted as class j."""
    predicted, actual = np.asarray(predicted, int).ravel(), np.asarray(actual,
                                                                       int).ravel()
    if predicted.shape != actual.shape:
        raise ValueError(f"shape mismatch: predicted has shape {predicted.shape} but "
                         f"actual has shape {actual.shape}")
    k = n_classes or int(max(predicted.max(initial=0), actual.max(initial=0)) + 1)
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (actual, predicted), 1)
    return C
