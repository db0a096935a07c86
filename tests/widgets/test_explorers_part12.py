"""Parts I–II explorers: neuron (1), learning-rule stepper (2), activation (3) and capacity (4)."""
import itertools

import numpy as np
import pytest

import nnlib
from nnlib import activations, learning_rules
from nnlib.widgets.activation import NAMES
from nnlib.widgets.capacity import dataset, regions, train
from nnlib.widgets.learning_rule import LABELS, POINTS, START, run, weights_after
from nnlib.widgets.neuron import (BOOLEAN_FUNCTIONS, boolean_function, boundary_segment, positive_region, truth_table)
from tests.widgets.pages import built, frame_of

SIZE_LIMIT = 300_000


# ---- explorer 1: the neuron -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def neuron_page():
    return built("neuron_explorer")


def test_neuron_frames_differ_and_name_the_gates(neuron_page):
    explorer, _, spec = neuron_page
    or_frame = frame_of(explorer, spec, w0=-0.5, w1=1.0, w2=1.0)
    and_frame = frame_of(explorer, spec, w0=-2.0, w1=1.5, w2=1.0)
    assert or_frame["title"].endswith("→ OR") and and_frame["title"].endswith("→ AND")
    assert or_frame["data"] != and_frame["data"]
    # every frame has the same four traces, so the template styles line up
    assert {len(frame["data"]) for frame in spec["frames"]} == {4}


def test_neuron_truth_tables_match_nnlib():
    X, _ = nnlib.data.logic_gate("and")
    for w in [(-0.5, 1, 1), (-2, 1.5, 1), (1.5, -1, -1), (0.5, -1, -1)]:
        y, s = truth_table(np.array(w, float))
        assert np.array_equal(y, nnlib.neuron.neuron(w, X)) and np.allclose(s, nnlib.neuron.weighted_sum(w, X))
    assert boolean_function(truth_table([1.5, -1.0, -1.0])[0]) == "NAND"
    assert boolean_function(truth_table([0.5, -1.0, -1.0])[0]) == "NOR"
    # the names cover all 16 functions, and each name matches its truth table for the named gates
    assert len(BOOLEAN_FUNCTIONS) == 16 == len(set(BOOLEAN_FUNCTIONS.values()))
    for gate, outputs in nnlib.data.GATES.items():
        assert BOOLEAN_FUNCTIONS[tuple(outputs)] == gate.upper()


def test_neuron_grid_reaches_every_separable_function_but_xor(neuron_page):
    explorer, _, _ = neuron_page
    found = {boolean_function(truth_table([a, b, c])[0])
             for a, b, c in itertools.product(*explorer.controls.values())}
    assert found == set(BOOLEAN_FUNCTIONS.values()) - {"XOR", "XNOR"}


def test_neuron_geometry():
    w = np.array([-0.5, 1.0, 1.0])
    ends = boundary_segment(w)
    assert np.allclose(nnlib.neuron.weighted_sum(w, ends), 0)
    region = positive_region(w)
    assert np.all(nnlib.neuron.weighted_sum(w, region) >= -1e-12)
    assert boundary_segment([1.0, 0.0, 0.0]) is None and len(positive_region([-1.0, 0.0, 0.0])) == 0
    vertical = boundary_segment([-0.5, 1.0, 0.0])
    assert np.allclose(vertical[:, 0], 0.5)


# ---- explorer 2: learning rules -------------------------------------------------------------------
@pytest.fixture(scope="module")
def rule_page():
    return built("learning_rule_explorer")


def test_rule_frames_differ_between_steps_rules_and_rates(rule_page):
    explorer, _, spec = rule_page
    # every step of every run has its own title (after a run converges, its last frame repeats)
    titles = [frame["title"] for combo, frame in zip(explorer.combinations(), spec["frames"]) if combo["step"] <= 16]
    assert len(set(titles)) == len(titles) == 3 * 4 * 17
    start = frame_of(explorer, spec, rule="perceptron", eta=0.1, step=0)
    later = frame_of(explorer, spec, rule="perceptron", eta=0.1, step=24)
    assert start["data"][1] != later["data"][1]                     # the boundary moved
    assert frame_of(explorer, spec, rule="ADALINE", eta=0.1, step=5)["data"][1] != \
        frame_of(explorer, spec, rule="ADALINE", eta=0.4, step=5)["data"][1]


def test_rule_traces_are_nnlib_traces():
    trace = run("perceptron", 0.2)
    direct = learning_rules.perceptron(POINTS, (LABELS + 1) / 2, eta=0.2, w0=START)
    assert np.allclose(trace.weights, direct.weights) and trace.converged
    assert np.allclose(weights_after(trace, 0), START)
    assert np.allclose(weights_after(trace, 10 ** 6), trace.weights)
    ada = run("ADALINE", 0.05)
    first = ada.steps[0]
    x = np.r_[1.0, POINTS[0]]
    assert np.allclose(first.update, 0.05 * (LABELS[0] - np.dot(START, x)) * x)
    # Hebb (±1 targets) and the perceptron (0/1 targets) take identical steps on these points
    hebb = run("Hebbian", 0.1)
    assert all(np.allclose(a.weights, b.weights) for a, b in zip(hebb.steps, run("perceptron", 0.1).steps))


def test_rule_title_reports_the_step(rule_page):
    explorer, _, spec = rule_page
    trace = run("perceptron", 0.1)
    step = trace.steps[1]
    title = frame_of(explorer, spec, rule="perceptron", eta=0.1, step=2)["title"]
    assert f"sample {step.sample}" in title and "Δw = (0.1, 0.2, 0.05)" in title
    mistakes = learning_rules.errors(step.weights, POINTS, (LABELS + 1) / 2)
    assert f"{mistakes} mistake" in title


# ---- explorer 3: activations ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def activation_page():
    return built("activation_explorer")


def test_activation_frames_match_nnlib(activation_page):
    explorer, _, spec = activation_page
    for name in NAMES:
        act = activations.get(name)
        for a0 in (-2.0, 0.5):
            frame = frame_of(explorer, spec, name=name, a0=a0)
            point, slope_point = frame["data"][2], frame["data"][4]
            assert np.isclose(point["y"][0], float(act(np.array(a0))), rtol=1e-3, atol=1e-4)
            assert np.isclose(slope_point["y"][0], float(act.derivative(np.array(a0))), rtol=1e-3, atol=1e-4)
            tangent = frame["data"][1]
            slope = (tangent["y"][1] - tangent["y"][0]) / (tangent["x"][1] - tangent["x"][0])
            assert np.isclose(slope, float(act.derivative(np.array(a0))), rtol=1e-2, atol=1e-3)
    assert frame_of(explorer, spec, name="tanh")["data"][0] != frame_of(explorer, spec, name="relu")["data"][0]


def test_activation_jumps_are_not_joined(activation_page):
    explorer, _, spec = activation_page
    curve = frame_of(explorer, spec, name="step")["data"][0]["y"]
    assert None in curve                       # a gap at the jump, no vertical line
    assert None not in frame_of(explorer, spec, name="sigmoid")["data"][0]["y"]


# ---- explorer 4: capacity -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capacity_page():
    return built("capacity_explorer")


def test_capacity_frames_differ_and_report_accuracy(capacity_page):
    explorer, _, spec = capacity_page
    small = frame_of(explorer, spec, dataset_name="spirals", layers=1, units=1)
    large = frame_of(explorer, spec, dataset_name="spirals", layers=3, units=16)
    assert small["data"][0]["z"] != large["data"][0]["z"]
    net, accuracy = train("spirals", 3, 16)
    X, y = dataset("spirals")
    assert np.isclose(accuracy, nnlib.metrics.accuracy(net.predict(X), y[:, None].astype(float)))
    assert f"training accuracy {accuracy:.1%}" in large["title"] and f"{net.n_parameters} parameters" in large["title"]
    assert accuracy > 0.95 > train("spirals", 1, 1)[1]
    assert large["data"][0]["z"] == regions(net).tolist()


def test_capacity_training_is_cached_and_seeded():
    assert train("circles", 1, 4) is train("circles", 1, 4)
    again = train.__wrapped__("circles", 1, 4)
    assert np.allclose(again[0].predict(dataset("circles")[0]), train("circles", 1, 4)[0].predict(dataset("circles")[0]))
    with pytest.raises(ValueError, match="valid names"):
        dataset("no such data")
