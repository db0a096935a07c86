"""Hebbian, perceptron and ADALINE learning on the logic gates; the worked examples of the notes."""
import numpy as np
import pytest

from nnlib import data, learning_rules, neuron


def test_or_and_and_neurons_of_the_notes():
    X, t_or = data.logic_gate("or")
    _, t_and = data.logic_gate("and")
    assert np.array_equal(neuron.neuron([-0.5, 1, 1], X), t_or)
    assert np.array_equal(neuron.neuron([-2, 1.5, 1], X), t_and)


def test_hebbian_or_example_step_by_step():
    """±1 coding, η = 1/2, w = 0, sign with 0 ↦ 0: the first three samples are mistakes."""
    X, t = data.logic_gate("or", coding="bipolar")
    trace = learning_rules.hebbian(X, t, eta=0.5)
    first = [s.weights.tolist() for s in trace.steps[:4]]
    assert first == [[-0.5, 0.5, 0.5], [0.0, 0.0, 1.0], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    assert trace.steps[0].output == 0.0  # wᵀx = 0 gives output 0, which is a mistake for t = −1
    # The second epoch makes no mistake, so learning stops at w = (½, ½, ½) — not at the (−½, 1, 1)
    # the notes announce.
    assert trace.converged and trace.epochs == 2 and trace.n_updates == 3
    assert np.allclose(trace.weights, [0.5, 0.5, 0.5])
    assert learning_rules.errors(trace.weights, X, t, coding="bipolar") == 0
    assert "| epoch |" in trace.table() and "converged" in trace.reason


def test_perceptron_update_example():
    dw = learning_rules.perceptron_update(w=[-1.0, 0.0, 0.0], x=[1.0, 0.0, 1.0], t=1.0, eta=0.1)
    assert np.allclose(dw, [0.1, 0.0, 0.1])


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
@pytest.mark.parametrize("coding", ["binary", "bipolar"])
def test_perceptron_converges_on_separable_gates(gate, coding):
    X, t = data.logic_gate(gate, coding)
    trace = learning_rules.perceptron(X, t, eta=0.1, coding=coding, max_epochs=100)
    assert trace.converged, trace.reason
    assert learning_rules.errors(trace.weights, X, t, coding) == 0


def test_perceptron_never_converges_on_xor():
    X, t = data.logic_gate("xor")
    trace = learning_rules.perceptron(X, t, eta=0.1, max_epochs=50)
    assert not trace.converged and trace.epochs == 50
    assert "max_epochs" in trace.reason and min(trace.epoch_errors) > 0


def test_sample_order_changes_the_number_of_epochs():
    X, t = data.logic_gate("and")
    epochs = {learning_rules.perceptron(X, t, eta=0.1, order=order).epochs
              for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1])}
    assert len(epochs) > 1


def epoch_map_radius(Xb, eta):
    """Spectral radius of one ADALINE epoch's linear part, Π (I − η x xᵀ): below 1 the epoch-end weights settle."""
    A = np.eye(Xb.shape[1])
    for x in Xb:
        A = (np.eye(len(x)) - eta * np.outer(x, x)) @ A
    return max(abs(np.linalg.eigvals(A)))


def test_adaline_small_step_ends_in_a_small_limit_cycle_near_least_squares():
    X, t = data.logic_gate("and", coding="bipolar")
    trace = learning_rules.adaline(X, t, eta=0.05, max_epochs=500, tol=1e-12)
    Xb = neuron.with_bias_input(X)
    w_star = np.linalg.lstsq(Xb, t, rcond=None)[0]
    assert trace.status == "limit cycle" and not trace.converged and "limit cycle" in trace.reason
    assert 0 < trace.cycle_size < 0.2
    assert np.allclose(trace.weights, w_star, atol=0.05)
    assert learning_rules.errors(trace.weights, X, t, "bipolar") == 0
    assert trace.epoch_errors[-1] < trace.epoch_errors[0]


def test_adaline_converges_only_when_every_sample_is_fitted():
    X, _ = data.logic_gate("or", coding="bipolar")
    t = X[:, 0]  # t = x₁ is linear in x: w = (0, 1, 0) fits every sample, so the updates die out
    trace = learning_rules.adaline(X, t, eta=0.1, max_epochs=500)
    assert trace.status == "converged" and trace.converged and "converged" in trace.reason
    assert np.allclose(trace.weights, [0, 1, 0], atol=1e-5)


@pytest.mark.parametrize("eta", [0.5, 0.6])
def test_adaline_near_the_bound_is_a_limit_cycle_not_convergence(eta):
    """Bipolar OR: ‖x‖² = 3, so every step is stable for η < 2/3; near it the cycle is large and far from least squares."""
    X, t = data.logic_gate("or", coding="bipolar")
    trace = learning_rules.adaline(X, t, eta=eta, max_epochs=2000)
    assert trace.eta_bound == pytest.approx(2 / 3)
    assert trace.status == "limit cycle" and not trace.converged
    assert "converged" not in trace.reason and "limit cycle" in trace.reason
    w_star = np.linalg.lstsq(neuron.with_bias_input(X), t, rcond=None)[0]
    assert np.linalg.norm(trace.weights - w_star) > 0.5 and trace.cycle_size > 0.5


@pytest.mark.parametrize("eta", [0.7, 1.0])
def test_adaline_above_the_bound_reports_divergence_early(eta):
    X, t = data.logic_gate("or", coding="bipolar")
    trace = learning_rules.adaline(X, t, eta=eta, max_epochs=1000)
    assert trace.status == "diverged" and not trace.converged
    assert "diverged" in trace.reason and "smaller learning rate" in trace.reason
    assert trace.epochs < 20 and np.all(np.abs(trace.weights) < 1e6)  # long before overflow


def test_adaline_status_agrees_with_the_epoch_maps_stability():
    """On random data and η from 5 % to 300 % of the bound: 'diverged' exactly when the epoch map is unstable."""
    checked = 0
    for seed in range(3):
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(8, 2)) * rng.uniform(0.3, 3, size=2)
        t = np.where(X[:, 0] + 0.5 * rng.normal(size=8) > 0, 1.0, -1.0)
        Xb = neuron.with_bias_input(X)
        bound = 2 / np.max(np.sum(Xb ** 2, axis=1))
        for fraction in np.linspace(0.05, 3.0, 25):
            radius = epoch_map_radius(Xb, fraction * bound)
            if abs(radius - 1) < 0.02:
                continue  # marginal: neither outcome is wrong within a finite number of epochs
            trace = learning_rules.adaline(X, t, eta=fraction * bound, max_epochs=2000)
            assert (trace.status == "diverged") == (radius > 1), (seed, fraction, radius, trace.reason)
            if fraction < 1:
                assert trace.status != "diverged"
            checked += 1
    assert checked > 60


def test_bad_inputs():
    X, t = data.logic_gate("or")
    with pytest.raises(ValueError, match="coding"):
        learning_rules.hebbian(X, t)  # 0/1 targets with the default ±1 coding
    with pytest.raises(ValueError, match=r"w0 has shape \(2,\)"):
        learning_rules.perceptron(X, t, w0=[0, 0])
    with pytest.raises(ValueError, match="logic gate"):
        data.logic_gate("xand")
    with pytest.raises(ValueError, match="w₂ = 0"):
        neuron.boundary_line([1, 1, 0], [0, 1])


def test_hebbs_rule_proper_adds_every_sample():
    """on_mistakes_only=False: one epoch from w = 0 is w = η Σ t x, right or wrong (the error-gated rule adds less)."""
    X, t = data.logic_gate("or", coding="bipolar")
    proper = learning_rules.hebbian(X, t, eta=0.5, on_mistakes_only=False, max_epochs=1)
    assert np.allclose(proper.weights, 0.5 * (t[:, None] * neuron.with_bias_input(X)).sum(axis=0))
    assert np.all([np.any(s.update) for s in proper.steps])
    gated = learning_rules.hebbian(X, t, eta=0.5, max_epochs=1)
    assert gated.n_updates == 3 < proper.n_updates == 4
