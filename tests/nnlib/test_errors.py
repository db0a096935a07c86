"""Bad input fails loudly: shape mismatches name both shapes; unknown names list the valid ones."""
import numpy as np
import pytest

import nnlib


def test_forward_shape_mismatch_names_both_shapes():
    net = nnlib.MLP([3, 4, 2])
    with pytest.raises(ValueError, match=r"X has shape \(5, 2\).*\(N, 3\)"):
        net.forward(np.zeros((5, 2)))


def test_backward_target_shape_mismatch():
    net = nnlib.MLP([3, 4, 2])
    net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"\(5, 2\).*\(5, 3\)"):
        net.backward(np.zeros((5, 3)))


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="forward"):
        nnlib.MLP([2, 1]).backward(np.zeros((1, 1)))


@pytest.mark.parametrize("kwargs,match", [
    (dict(hidden="sigmod"), "sigmoid"),
    (dict(output="soft_max"), "softmax"),
    (dict(init="kaiming"), "he"),
    (dict(dropout=1.0), "dropout"),
    (dict(l2=-1), "weight penalties must be ≥ 0"),
    (dict(hidden=["relu"]), "hidden layers"),
])
def test_bad_constructor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nnlib.MLP([2, 3, 3, 1], **kwargs)


def test_unknown_loss_in_backward():
    net = nnlib.MLP([2, 1])
    net.forward(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="binary_cross_entropy"):
        net.backward(np.zeros((1, 1)), loss="bce")


def test_non_numeric_input():
    with pytest.raises(ValueError, match="numeric"):
        nnlib.MLP([1, 1]).forward(np.array([["a"]]))


def test_set_weights_checks_shapes():
    net = nnlib.MLP([2, 3, 1])
    w = net.get_weights()
    w[0] = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        net.set_weights(w)


def test_gradcheck_refuses_float32():
    net = nnlib.MLP([2, 1], dtype=np.float32)
    with pytest.raises(ValueError, match="float64"):
        nnlib.gradcheck.check_gradients(net, np.zeros((1, 2)), np.zeros((1, 1)))


def test_default_initialization_per_activation():
    import numpy as np

    net = nnlib.MLP([400, 400, 400, 1], hidden=["relu", "tanh"], seed=0)
    stds = [float(np.std(layer.W)) for layer in net.layers[:2]]
    assert np.allclose(stds, [np.sqrt(2 / 400), np.sqrt(1 / 400)], rtol=0.02)  # He, Glorot
    lecun = nnlib.MLP([400, 400, 1], hidden="selu", init="lecun", seed=0)
    assert np.std(lecun.layers[0].W) == pytest.approx(np.sqrt(1 / 400), rel=0.02)
