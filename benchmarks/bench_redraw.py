"""Redraw latency of the live explorers: from a control change to the updated figure, in a real JupyterLab.

    .venv/bin/python benchmarks/bench_redraw.py [--repeat 5] [--chapters book/part3/07_gradient_descent.ipynb ...]

It starts JupyterLab from the venv (as tests/jupyter do), opens every chapter that has an explorer in
Chromium, runs all cells, then moves each control of each explorer ``--repeat`` times (a mouse drag of a
slider's handle to the next stop and back, or a dropdown's next option).  One sample is the time from the
input event (the mouse button's release, or the key press that picks the option; ``performance.now()``
in the page) to the first animation frame in which the explorer shows its new, fully drawn Plotly
figure.  That includes the kernel's work (``render`` for the new values), the widget messages both
ways and Plotly drawing the figure.  It prints the median and the worst sample per explorer, and the
median over all samples.  Targets on the 2-core development machine: median ≤ 150 ms, worst explorer
(its median) ≤ 400 ms.  Not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.jupyter import notebook_page as nbp  # noqa: E402
from tests.jupyter.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.jupyter.lab import JupyterServer  # noqa: E402

# Stamp every input event's time; then wait (one check per animation frame) until a new figure is drawn.
ARM = f"""(i) => {{
    window.__input = null;
    if (!window.__stamping) {{
        window.__stamping = true;
        for (const kind of ['pointerup', 'mouseup', 'keydown'])
            document.addEventListener(kind, () => {{ window.__input = performance.now(); }}, true);
    }}
    const old = {nbp.CURRENT}.content.widgets[i].node.querySelector('.widget-output .js-plotly-plot');
    window.__redrawn = new Promise(resolve => {{
        function frame(now) {{
            const plot = {nbp.CURRENT}.content.widgets[i].node.querySelector('.widget-output .js-plotly-plot');
            if (plot && plot !== old && plot._fullLayout && window.__input !== null) resolve(now - window.__input);
            else requestAnimationFrame(frame);
        }}
        requestAnimationFrame(frame);
    }});
}}"""


def explorer_names(chapter):
    """The explorer function each explorer cell of the chapter calls, in order."""
    nb = json.loads((ROOT / chapter).read_text())
    names = []
    for cell in nb["cells"]:
        lines = [line for line in "".join(cell["source"]).splitlines() if line.strip()]
        if cell["cell_type"] == "code" and lines and "_explorer(" in lines[-1]:
            names.append(lines[-1].split("(")[0].split(".")[-1])
    return names


def chapters_with_explorers():
    return [str(p.relative_to(ROOT)) for p in sorted((ROOT / "book").rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts and explorer_names(str(p.relative_to(ROOT)))]


def measure(chapters, repeat, chromium="/usr/bin/chromium"):
    """{(chapter, explorer name): [milliseconds, ...]} over every control of every explorer."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="nnbook-bench-redraw-"))
    shutil.copytree(ROOT / "book", work / "root" / "book")
    server = JupyterServer(work / "root", work / "home")
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            nbp.open_lab(page, server)
            for chapter in chapters:
                nbp.open_in_lab(page, chapter)
                nbp.run_all(page)
                for cell, name in zip(nbp.explorer_cells(page), explorer_names(chapter)):
                    samples = results.setdefault((chapter, name), [])
                    for _ in range(repeat):
                        for k in range(len(nbp.controls(page, cell["index"]))):
                            control = nbp.controls(page, cell["index"])[k]
                            page.evaluate(ARM, cell["index"])
                            nbp.press(page, cell["index"], k, control)
                            samples.append(page.evaluate("window.__redrawn"))
                nbp.close_current(page)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return results


def table(results):
    rows = ["| explorer (chapter) | samples | median | worst |", "|---|---|---|---|"]
    for (chapter, name), ms in results.items():
        rows.append(f"| {name} ({Path(chapter).stem}) | {len(ms)} | {statistics.median(ms):.0f} ms | "
                    f"{max(ms):.0f} ms |")
    every = [m for ms in results.values() for m in ms]
    medians = {key: statistics.median(ms) for key, ms in results.items()}
    slowest = max(medians, key=medians.get)
    rows.append(f"\nall {len(every)} samples: median {statistics.median(every):.0f} ms (target ≤ 150 ms); slowest "
                f"explorer {slowest[1]}: median {medians[slowest]:.0f} ms (target ≤ 400 ms)")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="moves of each control (default 5)")
    parser.add_argument("--chapters", nargs="*", default=None, help="default: every chapter with an explorer")
    args = parser.parse_args(argv)
    print(table(measure(args.chapters or chapters_with_explorers(), args.repeat)))


if __name__ == "__main__":
    main()
