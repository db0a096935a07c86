"""nnlib reads like the book: the backward pass is the algorithm box of chapter 8, no switch that
exists only for speed sits in the API students read, and every line fits beside a page."""
import inspect
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib import activations

NNLIB = Path(nnlib.__file__).parent
PAGE_WIDTH = 88


def test_every_line_fits_beside_a_page():
    long = [f"{path.relative_to(NNLIB.parent)}:{n}"
            for path in sorted(NNLIB.rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > PAGE_WIDTH]
    assert not long, f"{len(long)} lines longer than {PAGE_WIDTH} characters: {long[:10]}"


def test_backward_is_the_algorithm_box_line_by_line():
    """Chapter 8 prints MLP.backward and walks it line by line: one equation a line, l = L … 1."""
    lines = [line.strip() for line in inspect.getsource(nnlib.MLP.backward).splitlines()]
    steps = ["# δ⁽ᴸ⁾", "for l in range(L, 0, -1):", "# δ⁽ˡ⁾ = σ'(a⁽ˡ⁾) ⊙ (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾)",
             "# ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ z⁽ˡ⁻¹⁾", "# ∂E/∂b⁽ˡ⁾ = Σₙ δ⁽ˡ⁾"]
    where = [next(i for i, line in enumerate(lines) if step in line) for step in steps]
    assert where == sorted(where)
    assert len(lines) <= 30  # a reader takes it in at a glance, as Nielsen's backprop


@pytest.mark.parametrize("function", [nnlib.MLP.forward, nnlib.MLP.current_loss, nnlib.MLP.backward,
                                      nnlib.optim.Optimizer.step, nnlib.optim.SGD.step])
def test_no_switch_that_only_buys_speed(function):
    assert "checked" not in inspect.signature(function).parameters


def test_one_backward_pass():
    assert not hasattr(nnlib.MLP, "backpropagate")
    assert not hasattr(nnlib.Dense, "set_delta")


@pytest.mark.parametrize("name", activations.NAMES)
def test_any_activation_may_give_its_log(name):
    act = activations.get(name)
    a = np.linspace(-3, 3, 12).reshape(3, 4)
    z, log_z = act.with_log(a)
    assert np.allclose(z, act(a))
    if name == "softmax":
        assert np.allclose(log_z, activations.log_softmax(a))
    else:
        assert log_z is None


def test_one_name_lookup():
    """Unknown names are reported by one helper, whatever the registry."""
    callers = [path.name for path in NNLIB.rglob("*.py")
               if "unknown_name(" in path.read_text(encoding="utf-8") and path.name != "_checks.py"]
    assert not callers
    for lookup, kind in [(lambda: activations.get("sigmod"), "activation"),
                         (lambda: nnlib.losses.get("bce"), "loss"),
                         (lambda: nnlib.optim.get("adamw"), "optimizer"),
                         (lambda: nnlib.init.weights("kaiming", 2, 2, None), "initialization"),
                         (lambda: nnlib.data.logic_gate("nor3"), "logic gate"),
                         (lambda: nnlib.data.regression_curve(kind="sawtooth"), "curve")]:
        with pytest.raises(ValueError, match=f"unknown {kind} .*valid names are"):
            lookup()
