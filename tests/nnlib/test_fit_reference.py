"""fit's History equals a plain NumPy training loop written out below, step by step.

The loop is the book's algorithm with nothing of nnlib but the starting weights: every
epoch visits a permutation drawn from default_rng(seed), each batch does forward, loss,
backpropagation and the optimizer's update, and the epoch's training loss and accuracy
are measured on the batches as they were trained on.  Any speed-up of ``fit`` must keep
these numbers (to rounding).
"""
import numpy as np
import pytest

import nnlib
from nnlib import data, optim

RTOL = 1e-12

HIDDEN = {"relu": (lambda a: np.maximum(a, 0), lambda a, z: (a > 0).astype(a.dtype)),
          "tanh": (np.tanh, lambda a, z: 1 - z * z)}


def log_softmax(a):
    shifted = a - a.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def reference_fit(weights, X, T, hidden, output, lr, momentum, l2, batch, epochs, seed,
                  validation=None):
    """(losses, accuracies, val_losses, val_accuracies, iterations) of the loop."""
    W = [w.copy() for w in weights[0::2]]
    b = [w.copy() for w in weights[1::2]]
    velocity = [np.zeros_like(p) for p in W + b]
    sigma, sigma_slope = HIDDEN[hidden]

    def forward(x):
        a1 = x @ W[0].T + b[0]
        z1 = sigma(a1)
        a2 = z1 @ W[1].T + b[1]
        return a1, z1, a2

    def loss_and_output(a2, t):
        omega = 0.5 * l2 * sum(np.sum(w * w) for w in W)
        if output == "softmax":  # cross-entropy −(1/N) Σ t log y
            log_y = log_softmax(a2)
            return -np.sum(t * log_y) / len(t) + omega, np.exp(log_y)
        return np.sum((a2 - t) ** 2) / len(t) + omega, a2  # mean squared error

    rng = np.random.default_rng(seed)
    history = ([], [], [], [], 0)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total, outputs = 0.0, np.empty_like(T)
        for start in range(0, len(X), batch):
            idx = order[start:start + batch]
            x, t = X[idx], T[idx]
            a1, z1, a2 = forward(x)
            loss, y = loss_and_output(a2, t)
            total += loss * len(t)
            outputs[start:start + len(t)] = y
            # δ⁽²⁾ = (y − t)/N for softmax + CE, 2 (y − t)/N for a linear output + MSE
            delta2 = (y - t) / len(t) * (1 if output == "softmax" else 2)
            delta1 = (delta2 @ W[1]) * sigma_slope(a1, z1)
            grads = [delta1.T @ x + l2 * W[0], delta2.T @ z1 + l2 * W[1],
                     delta1.sum(axis=0), delta2.sum(axis=0)]
            for p, g, v in zip(W + b, grads, velocity):
                v *= momentum
                v -= lr * g
                p += v
        history[0].append(total / len(X))
        history[1].append(np.mean(outputs.argmax(axis=1) == T[order].argmax(axis=1)))
        if validation is not None:
            X_val, T_val = validation
            loss, y = loss_and_output(forward(X_val)[2], T_val)
            history[2].append(loss)
            history[3].append(np.mean(y.argmax(axis=1) == T_val.argmax(axis=1)))
    return history[:4] + (epochs * -(-len(X) // batch),)


CASES = {  # hidden, output, loss, η, μ, λ₂, batch (the last batch of 23 is smaller)
    "relu-softmax-sgd": ("relu", "softmax", "cross_entropy", 0.05, 0.0, 0.0, 5),
    "tanh-momentum-l2": ("tanh", "softmax", "cross_entropy", 0.05, 0.9, 0.01, 4),
    "relu-linear-mse": ("relu", "linear", "mse", 0.005, 0.0, 0.0, 6),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("case", CASES)
def test_fit_history_equals_the_plain_loop(case, seed):
    hidden, output, loss, lr, momentum, l2, batch = CASES[case]
    X, labels = data.blobs(23 + 11, centers=3, seed=seed)
    T = data.one_hot(labels, 3)
    train, validation = (X[:23], T[:23]), (X[23:], T[23:])
    net = nnlib.MLP([2, 7, 3], hidden=hidden, output=output, seed=seed, l2=l2)
    expected = reference_fit(net.get_weights(), *train, hidden, output, lr, momentum,
                             l2, batch, epochs=4, seed=seed + 10, validation=validation)
    metrics = ["accuracy"] if output == "linear" else None
    history = nnlib.fit(net, *train, loss=loss, epochs=4, batch_size=batch,
                        optimizer=optim.SGD(lr=lr, momentum=momentum),
                        seed=seed + 10, validation=validation, metrics=metrics,
                        progress=False)
    np.testing.assert_allclose(history.loss, expected[0], rtol=RTOL)
    np.testing.assert_allclose(history.metrics["accuracy"], expected[1], rtol=RTOL)
    np.testing.assert_allclose(history.val_loss, expected[2], rtol=RTOL)
    np.testing.assert_allclose(history.metrics["val_accuracy"], expected[3], rtol=RTOL)
    assert history.iterations == expected[4] and history.lr == [lr] * 4
