"""MLP backpropagation against central finite differences (float64, relative error < 1e-6), for every
hidden activation × every output/loss pairing, random shapes and batch sizes."""
import zlib

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.gradcheck import check_gradients, numerical_gradient, rel_error

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus"]
PAIRINGS = [  # (output activation, loss)
    ("linear", "mse"), ("linear", "sse"), ("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"),
    ("sigmoid", "mse"), ("tanh", "sse"), ("softplus", "mse"), ("softmax", "mse"), ("sigmoid", "sse"),
]
TOL = 1e-6
# Not twice differentiable at a = 0: a pre-activation within h·|x| of 0 makes the central difference
# straddle the kink and lose its O(h²) accuracy, so such draws say nothing about backprop.
KINKED = {"relu", "leaky_relu", "elu", "selu"}


ABS_FLOOR = 1e-8  # a gradient this small (a saturated unit) is checked absolutely: its relative error is round-off


def gradients_agree(report):
    return all(row[k] < TOL or row[f"{k}_abs"] < ABS_FLOOR for row in report for k in ("W", "b"))


def near_kink(net, X, margin=1e-3):
    net.forward(X)
    return any(layer.activation.name in KINKED and np.any(np.abs(layer.a) < margin) for layer in net.layers[:-1])


def make_net(sizes, hidden, output, seed, **kw):
    """An MLP with random non-zero biases too: with zero biases a dead ReLU unit would put the next
    layer's pre-activation exactly on the kink a = 0, where finite differences are meaningless."""
    net = nnlib.MLP(sizes, hidden=hidden, output=output, seed=seed, **kw)
    rng = np.random.default_rng(seed + 1)
    for layer in net.layers:
        layer.b[...] = rng.normal(0, 0.5, layer.b.shape)
    return net


def problem(output, loss, sizes, N, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, sizes[0]))
    K = sizes[-1]
    if loss == "cross_entropy":
        T = np.eye(K)[rng.integers(0, K, N)]
    elif loss == "binary_cross_entropy":
        T = rng.integers(0, 2, (N, K)).astype(float)
    else:
        T = rng.normal(size=(N, K))
    return X, T


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,loss", PAIRINGS)
def test_every_activation_and_pairing(hidden, output, loss):
    sizes = [3, 4, 5, 3] if output == "softmax" else [3, 4, 5, 2]
    seed = zlib.crc32(f"{hidden}-{output}-{loss}".encode()) % 1000  # fixed per case (hash() is salted)
    net = make_net(sizes, hidden, output, seed=1)
    X, T = problem(output, loss, sizes, N=7, seed=seed)
    while near_kink(net, X):
        seed += 1000
        X, T = problem(output, loss, sizes, N=7, seed=seed)
    assert gradients_agree(check_gradients(net, X, T, loss))


@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5), N=st.integers(1, 9),
       hidden=st.sampled_from(HIDDEN), pairing=st.sampled_from(PAIRINGS), seed=st.integers(0, 10_000))
@settings(max_examples=60, deadline=None)
def test_random_shapes_and_batches(sizes, N, hidden, pairing, seed):
    output, loss = pairing
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    X, T = problem(output, loss, sizes, N, seed)
    net = make_net(sizes, hidden, output, seed=seed)
    assume(not near_kink(net, X))
    assert gradients_agree(check_gradients(net, X, T, loss))


@pytest.mark.parametrize("l2,l1", [(0.1, 0.0), (0.0, 0.05), (0.2, 0.03)])
def test_weight_decay_gradients(l2, l1):
    X, T = problem("softmax", "cross_entropy", [4, 6, 3], 8, 5)
    net = nnlib.MLP([4, 6, 3], hidden="tanh", output="softmax", seed=2, l2=l2, l1=l1)
    assert gradients_agree(check_gradients(net, X, T, "cross_entropy"))
    # the penalty is part of the loss and only weights are penalized
    plain = nnlib.MLP([4, 6, 3], hidden="tanh", output="softmax", seed=2)
    expected = sum(0.5 * l2 * np.sum(L.W ** 2) + l1 * np.sum(np.abs(L.W)) for L in plain.layers)
    assert net.loss(X, T, "cross_entropy") - plain.loss(X, T, "cross_entropy") == pytest.approx(expected)


def test_dropout_gradients_with_a_fixed_mask():
    X, T = problem("linear", "mse", [3, 8, 8, 2], 6, 0)
    net = nnlib.MLP([3, 8, 8, 2], hidden="relu", output="linear", seed=0, dropout=0.5)

    def reseeded_forward():
        for i, layer in enumerate(net.layers):
            layer._rng = np.random.default_rng(100 + i)  # the same mask at every call
        return net.forward(X, training=True)

    reseeded_forward()
    analytic = [dW.copy() for dW, _ in net.backward(T, "mse")]
    assert any(layer.mask is not None and (layer.mask == 0).any() for layer in net.layers)

    def loss(_):
        reseeded_forward()
        return net.current_loss(T, "mse")

    for layer, dW in zip(net.layers, analytic):
        assert rel_error(dW, numerical_gradient(loss, layer.W)) < TOL


def test_backward_keeps_deltas_and_matches_the_book_formulas():
    """δ⁽ᴸ⁾ = σ'(a) ⊙ ∂E/∂y, δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾), ∂E/∂W = δᵀ z, written out for 2–3–1."""
    X = np.array([[0.35, 0.9]])
    T = np.array([[0.5]])
    net = nnlib.MLP([2, 3, 1], hidden="sigmoid", output="sigmoid", seed=4)
    grads = net.gradients(X, T, "sse")
    h, o = net.layers
    s = nnlib.activations.sigmoid
    z1 = s(X @ h.W.T + h.b)
    y = s(z1 @ o.W.T + o.b)
    delta2 = y * (1 - y) * (y - T)
    delta1 = z1 * (1 - z1) * (delta2 @ o.W)
    assert np.allclose(o.delta, delta2) and np.allclose(h.delta, delta1)
    assert np.allclose(grads[1][0], delta2.T @ z1) and np.allclose(grads[0][0], delta1.T @ X)
    assert np.allclose(grads[0][1], delta1.sum(0)) and h.delta.shape == (1, 3)


def test_gradient_is_of_the_mean_loss():
    X, T = problem("linear", "mse", [2, 3, 1], 10, 0)
    net = nnlib.MLP([2, 3, 1], hidden="tanh", seed=0)
    g_all = net.gradients(X, T, "mse")
    g_halves = [net.gradients(X[s], T[s], "mse") for s in (slice(0, 5), slice(5, 10))]
    for l in range(2):
        assert np.allclose(g_all[l][0], (g_halves[0][l][0] + g_halves[1][l][0]) / 2)
