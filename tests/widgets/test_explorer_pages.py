"""Every explorer's static page: one precomputed frame per combination of control values, in the
order the page's script indexes them, the controls it promises (sliders for numbers, drop-downs for
names) and a size the book can embed."""
import numpy as np
import pytest

from nnlib.widgets.activation import NAMES as ACTIVATION_NAMES
from nnlib.widgets.backprop_stepper import STEPS
from nnlib.widgets.capacity import DATASETS
from nnlib.widgets.optimizer_race import SURFACES
from nnlib.widgets.playground import STATIC_GRID
from tests.widgets.pages import built, n_combinations

MAX_HTML = 300_000

PAGES = {  # explorer: (frames, range sliders, drop-downs)
    "neuron_explorer": (9 * 7 * 7, 3, 0),
    "learning_rule_explorer": (3 * 4 * 49, 2, 1),
    "activation_explorer": (len(ACTIVATION_NAMES) * 9, 1, 1),
    "capacity_explorer": (len(DATASETS) * 3 * 5, 2, 1),
    "gradient_descent_explorer": (None, 2, 0),
    "gradient_descent_batches_explorer": (5 * 3 * 2, 2, 1),
    "optimizer_race_explorer": (len(SURFACES) * 5, 1, 1),
    "backprop_stepper_explorer": (None, 2, 0),
    "playground_explorer": (int(np.prod([len(v) for v in STATIC_GRID.values()])), 5, 2),
    "vanishing_gradients_explorer": (120, 1, 2),
    "regularization_explorer": (24, 2, 0),
}
# frames that follow from the explorer's own grid rather than a fixed count
DERIVED = {
    "gradient_descent_explorer": lambda e: len(e.controls["lr"]) * len(e.controls["momentum"]),
    "backprop_stepper_explorer": lambda e: len(STEPS) * len(e.controls["iteration"]),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_static_page_has_one_frame_per_combination(name):
    explorer, html, spec = built(name)
    frames, ranges, selects = PAGES[name]
    frames = DERIVED[name](explorer) if frames is None else frames
    assert len(spec["frames"]) == n_combinations(explorer) == frames
    assert html.count('type="range"') == ranges and html.count("<select") == selects
    assert len(html) < MAX_HTML
