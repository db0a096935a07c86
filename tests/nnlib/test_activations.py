"""Every activation derivative against central finite differences, plus softmax's Jacobian and stability."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib import activations
from nnlib.gradcheck import numerical_gradient, rel_error

ELEMENTWISE = [n for n in activations.NAMES if n != "softmax"]
KINKED = {"relu", "leaky_relu", "elu", "selu", "step", "sign"}  # not differentiable at a = 0

values = arrays(np.float64, st.integers(1, 12), elements=st.floats(-6, 6))


def away_from_kink(name, a):
    return a if name not in KINKED else np.where(np.abs(a) < 1e-3, 0.5, a)


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(a=values)
@settings(max_examples=40, deadline=None)
def test_derivative_matches_finite_differences(name, a):
    act = activations.get(name)
    a = away_from_kink(name, a)
    numeric = np.array([(act(np.array(v + 1e-6)) - act(np.array(v - 1e-6))) / 2e-6 for v in a])
    assert np.allclose(act.derivative(a), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_uses_same_derivative_as_derivative(name):
    act = activations.get(name)
    a = away_from_kink(name, np.linspace(-3, 3, 13))
    g = np.random.default_rng(0).normal(size=a.shape)
    assert np.allclose(act.backward(a, act(a), g), g * act.derivative(a))


def test_known_values():
    a = np.array([-2.0, 0.0, 3.0])
    assert np.allclose(activations.get("sigmoid")(np.array([0.0])), 0.5)
    assert np.allclose(activations.get("relu")(a), [0, 0, 3])
    assert np.allclose(activations.get("leaky_relu")(a), [-0.02, 0, 3])
    assert np.allclose(activations.get("elu")(a), [np.exp(-2) - 1, 0, 3])
    assert np.allclose(activations.get("step")(a), [0, 0, 1])
    assert np.allclose(activations.get("sign")(a), [-1, 0, 1])
    assert np.allclose(activations.get("softplus")(a), np.log1p(np.exp(a)))
    # the derivative of sigmoid peaks at a = 0 with value 1/4
    assert activations.get("sigmoid").derivative(np.array([0.0])) == pytest.approx(0.25)


def test_sigmoid_and_softplus_do_not_overflow():
    a = np.array([-1000.0, 1000.0])
    with np.errstate(over="raise"):
        assert np.allclose(activations.sigmoid(a), [0, 1])
        assert np.allclose(activations.softplus(a), [0, 1000])


@given(a=arrays(np.float64, st.integers(2, 8), elements=st.floats(-5, 5)))
@settings(max_examples=40, deadline=None)
def test_softmax_jacobian_matches_finite_differences(a):
    J = activations.softmax_jacobian(a)
    numeric = np.array([numerical_gradient(lambda v: activations.softmax(v)[i], a.copy()) for i in range(len(a))])
    assert rel_error(J, numeric) < 1e-6


def test_softmax_backward_is_jacobian_transpose_product():
    rng = np.random.default_rng(1)
    A, G = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    Z = activations.softmax(A)
    delta = activations.get("softmax").backward(A, Z, G)
    expected = np.array([activations.softmax_jacobian(a).T @ g for a, g in zip(A, G)])
    assert np.allclose(delta, expected)


def test_softmax_is_stable_for_large_logits():
    a = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise"):
        y = activations.softmax(a)
        log_y = activations.log_softmax(a)
    assert np.allclose(y.sum(axis=1), 1.0)
    assert np.allclose(y[0], activations.softmax(np.array([0.0, 1.0, 2.0])))
    assert np.all(np.isfinite(log_y))


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(ValueError, match="softmax_jacobian"):
        activations.get("softmax").derivative(np.zeros(3))


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError) as err:
        activations.get("sigmod")
    assert "sigmod" in str(err.value) and "sigmoid" in str(err.value) and "leaky_relu" in str(err.value)


def test_float32_stays_float32():
    a = np.linspace(-2, 2, 5, dtype=np.float32)
    for name in ELEMENTWISE:
        act = activations.get(name)
        assert act(a).dtype == np.float32, name
        assert act.backward(a, act(a), np.ones_like(a)).dtype == np.float32, name


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_may_overwrite_its_gradient_only_when_the_dtype_allows(name):
    act = activations.get(name)
    a = away_from_kink(name, np.linspace(-3, 3, 13))
    g = np.random.default_rng(1).normal(size=a.shape)
    expected = act.backward(a, act(a), g.copy())
    mine = g.copy()
    assert np.array_equal(act.backward(a, act(a), mine, overwrite=True), expected)
    # float32 a with a float64 gradient: δ is float64, so the float32 slope must not be written into g
    a32, g64 = a.astype(np.float32), g.copy()
    out = act.backward(a32, act(a32), g64, overwrite=True)
    assert out.dtype == np.float64 and np.allclose(out, expected, rtol=1e-5, atol=1e-6)
