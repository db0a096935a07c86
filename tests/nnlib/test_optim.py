"""Optimizers against steps worked out by hand, and learning-rate schedules."""
import numpy as np
import pytest

from nnlib import optim


def run(opt, grads, w0=1.0):
    w = np.array([w0])
    trace = []
    for g in grads:
        opt.step([w], [np.array([g])])
        trace.append(float(w[0]))
    return trace


def test_sgd():
    assert run(optim.SGD(lr=0.1), [2.0, 4.0]) == pytest.approx([0.8, 0.4])


def test_momentum_velocity_remembers_the_previous_step():
    # v1 = −0.1·2 = −0.2, w = 0.8; v2 = 0.9·(−0.2) − 0.1·4 = −0.58, w = 0.22
    assert run(optim.SGD(lr=0.1, momentum=0.9), [2.0, 4.0]) == pytest.approx([0.8, 0.22])


def test_nesterov():
    # v1 = −0.2, w = 1 + 0.9·(−0.2) − 0.2 = 0.62; v2 = −0.58, w = 0.62 + 0.9·(−0.58) − 0.4 = −0.302
    assert run(optim.SGD(lr=0.1, momentum=0.9, nesterov=True), [2.0, 4.0]) == pytest.approx([0.62, -0.302])


def test_adagrad():
    # G = 4 → w = 1 − 0.1·2/2 = 0.9; G = 20 → w = 0.9 − 0.1·4/√20
    assert run(optim.Adagrad(lr=0.1, eps=0), [2.0, 4.0]) == pytest.approx([0.9, 0.9 - 0.4 / np.sqrt(20)])


def test_rmsprop():
    # s = 0.1·4 = 0.4 → w = 1 − 0.01·2/√0.4; s = 0.9·0.4 + 0.1·16 = 1.96 → minus 0.01·4/1.4
    w1 = 1 - 0.02 / np.sqrt(0.4)
    assert run(optim.RMSProp(lr=0.01, rho=0.9, eps=0), [2.0, 4.0]) == pytest.approx([w1, w1 - 0.04 / 1.4])


def test_adam_bias_correction():
    # step 1: m̂ = g, v̂ = g² → the step is exactly lr·sign(g), whatever the size of g
    assert run(optim.Adam(lr=0.01, eps=0), [123.0]) == pytest.approx([0.99])
    # step 2: m = 0.9·0.1·2 + 0.1·4 = 0.58, v = 0.999·0.004 + 0.001·16 = 0.019996
    m_hat, v_hat = 0.58 / (1 - 0.81), 0.019996 / (1 - 0.999 ** 2)
    assert run(optim.Adam(lr=0.01, eps=0), [2.0, 4.0]) == pytest.approx([0.99, 0.99 - 0.01 * m_hat / np.sqrt(v_hat)])


def test_state_is_per_parameter():
    opt = optim.SGD(lr=0.1, momentum=0.5)
    a, b = np.array([1.0]), np.array([1.0, 1.0])
    opt.step([a, b], [np.array([1.0]), np.array([0.0, 0.0])])
    opt.step([a, b], [np.array([1.0]), np.array([0.0, 0.0])])
    assert a[0] == pytest.approx(1 - 0.1 - 0.15) and np.all(b == 1.0)


def test_schedules():
    assert [optim.StepDecay(1.0, factor=0.5, every=2)(e) for e in range(5)] == [1, 1, 0.5, 0.5, 0.25]
    assert optim.ExponentialDecay(0.1, rate=0.5)(2) == pytest.approx(0.1 * np.exp(-1))
    opt = optim.SGD(lr=optim.StepDecay(0.2, factor=0.1, every=1))
    opt.start_epoch(1)
    assert opt.lr == pytest.approx(0.02)


def test_minimize_returns_the_path():
    path = optim.minimize(lambda w: 2 * w, [1.0, -2.0], optim.SGD(lr=0.25), steps=3)
    assert path.shape == (4, 2) and np.allclose(path[-1], [0.125, -0.25])


@pytest.mark.parametrize("name", optim.NAMES)
def test_every_optimizer_minimizes_a_quadratic(name):
    opt = optim.get(name, lr=0.05)
    path = optim.minimize(lambda w: np.array([2 * w[0], 20 * w[1]]), [1.0, 1.0], opt, steps=500)
    assert np.abs(path[-1]).max() < 0.05, name


def test_bad_settings_fail_loudly():
    with pytest.raises(ValueError, match="learning rate"):
        optim.SGD(lr=-1)
    with pytest.raises(ValueError, match="momentum"):
        optim.SGD(lr=0.1, momentum=1.5)
    with pytest.raises(ValueError, match="nesterov"):
        optim.SGD(lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="adam"):
        optim.get("adamw")
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        optim.SGD(0.1).step([np.zeros(2)], [np.zeros(3)])
