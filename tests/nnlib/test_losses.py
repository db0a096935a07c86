"""Loss values, their gradients against finite differences, stable evaluation and fused output deltas."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import activations, losses
from nnlib.gradcheck import numerical_gradient, rel_error


def targets_for(loss, rng, N, K):
    if loss == "cross_entropy":
        return np.eye(K)[rng.integers(0, K, N)]
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (N, K)).astype(float)
    return rng.normal(size=(N, K))


def outputs_for(loss, rng, N, K):
    if loss == "cross_entropy":
        return activations.softmax(rng.normal(size=(N, K)))
    if loss == "binary_cross_entropy":
        return rng.uniform(0.05, 0.95, (N, K))
    return rng.normal(size=(N, K))


@pytest.mark.parametrize("name", losses.NAMES)
@given(N=st.integers(1, 6), K=st.integers(1, 5), seed=st.integers(0, 10_000))
@settings(max_examples=30, deadline=None)
def test_gradient_matches_finite_differences(name, N, K, seed):
    K = max(K, 2) if name == "cross_entropy" else K  # one class makes softmax ≡ 1
    rng = np.random.default_rng(seed)
    Y, T = outputs_for(name, rng, N, K), targets_for(name, rng, N, K)
    loss = losses.get(name)
    numeric = numerical_gradient(lambda y: loss(y, T), Y.copy())
    assert rel_error(loss.grad(Y, T), numeric) < 1e-6


def test_values_follow_the_book_conventions():
    Y = np.array([[1.0, 2.0], [3.0, 5.0]])
    T = np.array([[0.0, 2.0], [1.0, 1.0]])
    # squared errors: 1, 0, 4, 16 → total 21
    assert losses.sse(Y, T) == pytest.approx(21 / 2)
    assert losses.mse(Y, T) == pytest.approx(21 / 2)  # N = 2 samples
    P = np.array([[0.7, 0.2, 0.1]])
    assert losses.cross_entropy(P, np.array([[1.0, 0, 0]])) == pytest.approx(-np.log(0.7))
    assert losses.binary_cross_entropy(np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])) == \
        pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)


def test_logit_versions_agree_and_stay_finite():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 4))
    T = np.eye(4)[rng.integers(0, 4, 5)]
    assert losses.cross_entropy_with_logits(A, T) == pytest.approx(losses.cross_entropy(activations.softmax(A), T))
    B = rng.normal(size=(5, 1))
    t = rng.integers(0, 2, (5, 1)).astype(float)
    assert losses.binary_cross_entropy_with_logits(B, t) == pytest.approx(
        losses.binary_cross_entropy(activations.sigmoid(B), t))
    huge = np.array([[1000.0, -1000.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        ce = losses.cross_entropy_with_logits(huge, np.array([[0.0, 1.0, 0.0]]))
        bce = losses.binary_cross_entropy_with_logits(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [1.0]]))
    assert ce == pytest.approx(2000.0) and bce == pytest.approx(1000.0)


def test_probability_versions_never_take_log_of_zero():
    with np.errstate(divide="raise", invalid="raise"):
        assert np.isfinite(losses.cross_entropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])))
        assert np.isfinite(losses.binary_cross_entropy(np.array([[1.0]]), np.array([[0.0]])))


@pytest.mark.parametrize("output,loss", sorted(losses.FUSED))
def test_fused_delta_equals_chain_rule(output, loss):
    rng = np.random.default_rng(3)
    A = rng.normal(size=(6, 3) if output == "softmax" else (6, 1))
    Y = activations.get(output)(A)
    T = targets_for(loss, rng, *A.shape)
    fused = losses.output_delta(output, loss, A, Y, T)
    chained = activations.get(output).backward(A, Y, losses.get(loss).grad(Y, T))
    assert np.allclose(fused, (Y - T) / len(Y))
    assert np.allclose(fused, chained)


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        losses.mse(np.zeros((3, 2)), np.zeros((2, 3)))


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="cross_entropy"):
        losses.get("crossentropy")
