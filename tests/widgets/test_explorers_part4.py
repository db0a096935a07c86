"""Part IV explorers: vanishing gradients (explorer 8) and regularization (explorer 9)."""

import numpy as np
import pytest

import nnlib
from nnlib.widgets.regularization import moons_task, train
from nnlib.widgets.vanishing_gradients import digits_batch, layer_statistics
from tests.widgets.pages import built, frame_index


# ---- explorer 8: vanishing gradients ------------------------------------------------------------
@pytest.fixture(scope="module")
def vanishing():
    return built("vanishing_gradients_explorer")


def test_vanishing_frames_differ_between_controls(vanishing):
    explorer, _, spec = vanishing
    titles = [frame["title"] for frame in spec["frames"]]
    assert len(set(titles)) == len(titles)
    a = spec["frames"][frame_index(explorer, activation="sigmoid", init="glorot")]["data"][3]["y"]
    b = spec["frames"][frame_index(explorer, activation="relu", init="he")]["data"][3]["y"]
    assert a != b


def test_vanishing_numbers_match_a_direct_nnlib_computation(vanishing):
    explorer, _, spec = vanishing
    X, T = digits_batch()
    net = nnlib.MLP([64] + [64] * 5 + [10], hidden="tanh", output="softmax", init="glorot", seed=0)
    norms = [np.linalg.norm(dW) for dW, _ in net.gradients(X, T, loss="cross_entropy")]
    spread = [layer.z.std() for layer in net.layers[:-1]]
    s, g = layer_statistics(5, "tanh", "glorot", X, T)
    np.testing.assert_allclose(g, norms, rtol=1e-9)
    np.testing.assert_allclose(s, spread, rtol=1e-9)
    shown = spec["frames"][frame_index(explorer, depth=5, activation="tanh", init="glorot")]["data"]
    np.testing.assert_allclose(shown[3]["y"], norms, rtol=1e-2)   # rounded to 3 significant digits
    np.testing.assert_allclose(shown[2]["y"], spread, rtol=1e-2)
    assert shown[3]["x"] == list(range(1, 7))


def test_sigmoid_gradients_vanish_and_he_relu_gradients_do_not():
    X, T = digits_batch()
    _, sigmoid = layer_statistics(10, "sigmoid", "glorot", X, T)
    _, relu = layer_statistics(10, "relu", "he", X, T)
    _, exploding = layer_statistics(10, "relu", "normal", X, T)
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    # Every layer further down multiplies δ by at most σ'max = 1/4 times ‖W‖; measured: about 1/4.
    per_layer = (sigmoid[0] / sigmoid[-2]) ** (1 / 9)
    assert 0.15 < per_layer < 0.35
    assert 0.1 < relu[0] / relu[-1] < 10
    assert exploding.min() > 1e5


def test_tiny_gradients_survive_the_static_page(vanishing):
    explorer, _, spec = vanishing
    y = spec["frames"][frame_index(explorer, depth=20, activation="sigmoid", init="small")]["data"][3]["y"]
    assert all(v is not None and v > 0 for v in y) and min(y) < 1e-30


# ---- explorer 9: regularization -----------------------------------------------------------------
@pytest.fixture(scope="module")
def regularization():
    return built("regularization_explorer")


def test_regularization_frames_differ_between_controls(regularization):
    explorer, _, spec = regularization
    titles = [frame["title"] for frame in spec["frames"]]
    assert len(set(titles)) == len(titles)
    none = spec["frames"][frame_index(explorer, l2=0.0, p=0.0)]["data"]
    decay = spec["frames"][frame_index(explorer, l2=0.03, p=0.0)]["data"]
    dropout = spec["frames"][frame_index(explorer, l2=0.0, p=0.4)]["data"]
    assert none[0]["z"] != decay[0]["z"] and none[0]["z"] != dropout[0]["z"]


def test_regularization_curves_match_a_direct_fit(regularization):
    explorer, _, spec = regularization
    train_set, val_set = moons_task()
    net = nnlib.MLP([2, 64, 64, 1], hidden="relu", output="sigmoid", seed=0, l2=0.01, dropout=0.2)
    nnlib.fit(net, *train_set, loss="binary_cross_entropy", optimizer=nnlib.optim.Adam(lr=0.01), epochs=200,
              seed=0, progress=False)
    final_val = nnlib.losses.binary_cross_entropy(net.predict(val_set[0]), val_set[1])
    shown = spec["frames"][frame_index(explorer, l2=0.01, p=0.2)]["data"]
    assert shown[2]["y"][-1] == pytest.approx(final_val, rel=1e-3)
    assert shown[1]["x"][-1] == 200


def test_weight_decay_shrinks_weights_and_narrows_the_generalization_gap():
    train_set, val_set = moons_task()
    plain, plain_curves = train(0.0, 0.0, train_set, val_set)
    decayed, decayed_curves = train(0.03, 0.0, train_set, val_set)
    norm = lambda net: sum(np.sum(layer.W ** 2) for layer in net.layers)  # noqa: E731
    assert norm(decayed) < norm(plain)
    gap = lambda c: c["val"][-1] - c["train"][-1]  # noqa: E731
    assert gap(decayed_curves) < gap(plain_curves)
    assert plain_curves["train"][-1] < 0.01 < plain_curves["val"][-1]
