"""Every chapter in a real JupyterLab with a kernel: it runs, reads cleanly, and its explorers redraw live.

For each chapter the test opens it in Chromium, runs all cells, and checks that
* no cell raised, and no rendered markdown cell shows raw MyST (roles, directives, unevaluated {eval});
* each explorer shows exactly one figure, inside its widget, none in the cell beside it;
* moving each control one step (a slider's handle dragged with the mouse, a dropdown clicked open and
  stepped with the arrow keys) redraws that figure, and the new figure is the one the
  explorer computes for the values the controls now show (asked of the notebook's own kernel).
For the learning-rate slider of chapter 7 it also checks what the control means: a larger η takes a
longer first step.
"""
from __future__ import annotations

import json
import math

import pytest

from tests.conftest import ROOT
from tests.jupyter import notebook_page as nbp

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTERS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def explorer_calls(chapter):
    """How many explorers the chapter displays (cells whose last line calls ``..._explorer(...)``)."""
    nb = json.loads((ROOT / chapter).read_text())
    count = 0
    for cell in nb["cells"]:
        lines = [line for line in "".join(cell["source"]).splitlines() if line.strip()]
        if cell["cell_type"] == "code" and lines and "_explorer(" in lines[-1] and "=" not in lines[-1].split("(")[0]:
            count += 1
    return count


def expected_title(page, count, shown):
    """The title the explorer in ``Out[count]`` computes for the control values ``shown`` (as displayed)."""
    return nbp.kernel_eval(page, f"""(lambda e, shown, fmt: e.frame(**{{
        name: next(v for v in values if fmt(v) == shown[k]) for k, (name, values) in enumerate(e.controls.items())
    }})["title"])(getattr(Out[{count}], "live", Out[{count}]), {json.dumps(shown)},
                   __import__("nnlib.widgets.explorer", fromlist=["_fmt"])._fmt)""")


def first_step(fig):
    path = next(t for t in fig["data"] if t["type"] == "scatter" and t["x"] and len(t["x"]) > 2)
    return math.hypot(path["x"][1] - path["x"][0], path["y"][1] - path["y"][0])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_reads_cleanly_and_its_explorers_redraw(lab, chapters_ahead, chapter):
    page = chapters_ahead.ran(chapter)  # opened and Run All'ed (the next chapter now runs behind it)
    try:
        check_chapter(page, chapter)
    finally:
        nbp.close_current(page)


def check_chapter(page, chapter):
    """Check the chapter open in ``page`` whose cells have all run."""
    assert nbp.errors(page) == []

    assert nbp.wait_for_expressions(page) == []
    assert nbp.markdown_texts(page), "no markdown cell was rendered"
    assert nbp.wait_for_clean_markdown(page) == []

    cells = nbp.explorer_cells(page)
    assert len(cells) == explorer_calls(chapter)
    for cell in cells:
        assert (cell["inside"], cell["outside"], cell["outputs"]) == (1, 0, 1), cell
        controls = nbp.controls(page, cell["index"])
        assert controls
        for k in range(len(controls)):
            before = nbp.figure(page, cell["index"])
            forward = nbp.press(page, cell["index"], k, controls[k])
            after = nbp.wait_for_new_figure(page, cell["index"], before)
            now = nbp.controls(page, cell["index"])
            assert now[k]["at"] == controls[k]["at"] + (1 if forward else -1), (k, controls[k], now[k])
            assert after["title"] == expected_title(page, cell["count"], [c["shown"] for c in now])
            if chapter.endswith("07_gradient_descent.ipynb") and k == 0 and cell is cells[0]:
                # the learning-rate slider: one step up gives a longer first step on the loss surface
                assert forward and first_step(after) > first_step(before) * 1.2
            controls = now
