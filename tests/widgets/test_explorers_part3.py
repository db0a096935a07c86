"""Explorers of Part III (training): optimizer race, backprop stepper, mini-batch paths, playground.

Each explorer builds, its static page has one frame per combination of control values, different control
values give different frames, the page stays small, and the numbers it shows are the ones nnlib computes.
"""
import json

import numpy as np
import pytest

import nnlib
from nnlib import linear_regression as line
from nnlib.widgets.backprop_stepper import (STEPS, backprop_stepper_explorer, example_network, snapshots, X_EXAMPLE,
                                            T_EXAMPLE)
from nnlib.widgets.explorer import Explorer, compact
from nnlib.widgets.gradient_descent_batches import minibatch_path
from nnlib.widgets.optimizer_race import OPTIMIZERS, SURFACES, race, run
from nnlib.widgets.playground import STATIC_GRID, load_dataset, train
from nnlib.widgets.shared_traces import SharedTracesExplorer
from tests.widgets.pages import built, static_spec

MAX_HTML = 300_000


# ---- optimizer race ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def race_explorer():
    return built("optimizer_race_explorer")[0]


def test_race_static_page_decodes_to_the_full_one(race_explorer):
    spec = built("optimizer_race_explorer")[2]
    assert spec == json.loads(json.dumps(race_explorer.static_data()))  # the shared-trace page decodes to the full one
    titles = [f["title"] for f in spec["frames"]]
    assert len(set(titles)) == len(titles)  # every surface × learning rate gives a different picture


def test_race_frames_differ_between_learning_rates(race_explorer):
    a = race_explorer.frame(surface="valley", lr=0.01)["data"]
    b = race_explorer.frame(surface="valley", lr=0.1)["data"]
    sgd = lambda d: [t for t in d if t.get("name") == "SGD"][0]
    assert sgd(a)["x"] != sgd(b)["x"]


def test_race_sgd_is_plain_gradient_descent():
    s = SURFACES["valley"]
    path, gap = run("valley", "SGD", 0.1, steps=20)
    w = np.array(s["start"], float)
    for k in range(20):
        w = w - 0.1 * s["grad"](w)
    assert np.allclose(path[-1], w) and np.isclose(gap[-1], s["f"](*w) - s["f_min"])


def test_race_adam_first_step_is_eta_per_coordinate():
    path, _ = run("rosenbrock", "Adam", 0.03, steps=1)
    assert np.allclose(np.abs(path[1] - path[0]), 0.03, rtol=1e-6)


def test_race_divergence_is_cut_short():
    paths = race("rosenbrock", 0.3, steps=100)
    assert set(paths) == set(OPTIMIZERS)
    assert len(paths["SGD"][0]) < 101 and len(paths["Adam"][0]) == 101
    assert all(np.all(np.isfinite(p)) for p, _ in paths.values())


# ---- backprop stepper -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stepper():
    return built("backprop_stepper_explorer")[0]


def test_stepper_frames_differ_between_steps_and_iterations(stepper):
    first, last = stepper.frame(step=0, iteration=0), stepper.frame(step=len(STEPS) - 1, iteration=0)
    assert first["data"][0]["text"] != last["data"][0]["text"]
    assert stepper.frame(step=5, iteration=0)["title"] != stepper.frame(step=5, iteration=10)["title"]


def test_stepper_numbers_are_the_backprop_equations():
    W1 = np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.4]])
    W2 = np.array([[0.7, -0.4, 0.9]])
    s = snapshots(example_network(), X_EXAMPLE, T_EXAMPLE, iterations=(0,))[0]
    x, t = X_EXAMPLE, T_EXAMPLE
    sig = lambda a: 1 / (1 + np.exp(-a))
    a1 = W1 @ x
    z1 = sig(a1)
    y = sig(W2 @ z1)
    delta2 = (y - t) * y * (1 - y)                  # E = ½(y − t)²
    delta1 = z1 * (1 - z1) * W2[0] * delta2
    assert np.allclose(s["a1"], a1) and np.allclose(s["y"], y) and np.isclose(s["E"], 0.5 * (y[0] - t) ** 2)
    assert np.allclose(s["delta2"], delta2) and np.allclose(s["delta1"], delta1)
    assert np.allclose(s["dW2"], np.outer(delta2, z1)) and np.allclose(s["dW1"], np.outer(delta1, x))


def test_stepper_shows_the_values_and_learns(stepper):
    s = snapshots(example_network(), X_EXAMPLE, T_EXAMPLE)
    losses = [s[k]["E"] for k in sorted(s)]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert all(s[k]["E_after"] < s[k]["E"] for k in s)
    table = stepper.frame(step=5, iteration=0)["data"][-1]
    assert table["type"] == "table" and f"{s[0]['delta2'][0]:+.4f}" in table["cells"]["values"][2]


def test_stepper_needs_a_231_network():
    with pytest.raises(ValueError, match="2–3–1"):
        backprop_stepper_explorer(nnlib.MLP([2, 4, 1]))


# ---- mini-batch paths -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def batches_explorer():
    return built("gradient_descent_batches_explorer")[0]


def test_batches_frames_differ_between_batch_sizes_and_schedules(batches_explorer):
    a = batches_explorer.frame(batch_size=1, lr=0.009, schedule="constant")
    b = batches_explorer.frame(batch_size=1, lr=0.009, schedule="step decay")
    c = batches_explorer.frame(batch_size=50, lr=0.009, schedule="constant")
    assert a["title"] != b["title"] and compact(a["data"][0]["x"]) != compact(c["data"][0]["x"])


def test_minibatch_path_counts_updates_and_full_batch_is_gradient_descent():
    x, t = nnlib.data.linear_regression()
    for B in (1, 7, 10, 50):
        path, when = minibatch_path(x, t, B, 0.005, epochs=3)
        assert len(path) == 3 * int(np.ceil(len(x) / B)) + 1 and np.isclose(when[-1], 3)
    path, _ = minibatch_path(x, t, len(x), 0.01, epochs=20, start=(3.0, 1.0))
    gd = nnlib.optim.minimize(lambda w: line.gradient(w[0], w[1], x, t), [3.0, 1.0], nnlib.optim.SGD(0.01), steps=20)
    assert np.allclose(path, gd)


def test_step_decay_calms_sgd():
    x, t = nnlib.data.linear_regression()
    jitter = {}
    for schedule in ("constant", "step decay"):
        path, _ = minibatch_path(x, t, 1, 0.009, epochs=10, schedule=schedule, start=(3.0, 1.0))
        last = path[-len(x):]
        jitter[schedule] = np.sqrt(np.mean(np.sum((last - last.mean(0)) ** 2, axis=1)))
    assert jitter["step decay"] < jitter["constant"] / 2


# ---- playground -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def playground():
    return built("playground_explorer")[0]


def test_playground_page_stores_the_dataset_scatters_once(playground):
    _, html, spec = built("playground_explorer")
    assert '"$shared"' in html  # the dataset scatters are stored once
    assert spec == json.loads(json.dumps(playground.static_data()))


def test_playground_frames_differ(playground):
    base = dict(dataset="moons", layers=1, units=8, activation="tanh", lr=1.0, momentum=0.9, batch_size=20)
    frames = [playground.frame(**(base | change)) for change in
              ({}, {"units": 3}, {"activation": "relu"}, {"lr": 0.1}, {"momentum": 0.0}, {"batch_size": 100},
               {"layers": 2}, {"dataset": "circles"})]
    heat = [json.dumps(compact(f["data"][0]["z"])) for f in frames]
    assert len(set(heat)) == len(heat)


def test_playground_training_is_nnlib_fit(playground):
    net, history = train("moons", 1, 8, "tanh", 1.0, 0.9, 20)
    assert history.epochs == 40 and history.iterations == 40 * 5
    X, y = load_dataset("moons")
    assert np.mean(net.classify(X) == y) > 0.95
    assert "accuracy 100%" in playground.frame(dataset="moons", layers=1, units=8, activation="tanh", lr=1.0,
                                               momentum=0.9, batch_size=20)["title"]
    # full batch: one update per epoch
    assert train("moons", 1, 8, "tanh", 0.1, 0.0, 100)[1].iterations == 40


def test_playground_live_grid_is_finer(playground):
    live = playground.live.controls
    for name, values in playground.controls.items():
        assert set(values) <= set(live[name])
    assert sum(len(v) for v in live.values()) > sum(len(v) for v in playground.controls.values())


def test_shared_traces_explorer_round_trip():
    common = {"type": "scatter", "x": [0, 1, 2], "y": [2, 1, 0]}
    explorer = SharedTracesExplorer({"k": [1, 2, 3]}, lambda k: [dict(common), {"type": "scatter", "x": [k], "y": [k]}])
    html = explorer.to_html()
    plain = Explorer({"k": [1, 2, 3]}, lambda k: [dict(common), {"type": "scatter", "x": [k], "y": [k]}]).to_html()
    assert html.count('"$shared"') == 3 and "spec.shared" in html
    assert static_spec(html)["frames"] == static_spec(plain)["frames"]


def test_explorers_display_as_html_and_widget(stepper, playground):
    for explorer in (stepper, playground):
        bundle = explorer._repr_mimebundle_()
        assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    # the playground's live widget offers the finer grid; its static face stays the coarse page
    box = playground.widget()
    sliders = box.children[0].children
    assert len(sliders) == len(playground.live.controls) and box.static_html == playground.to_html


@pytest.mark.parametrize("name", STATIC_GRID["dataset"])
def test_playground_datasets_are_fixed(name):
    X1, y1 = load_dataset(name)
    X2, _ = load_dataset(name)
    assert X1 is X2 and not X1.flags.writeable and set(np.unique(y1)) == {0, 1} and len(X1) == 100
