"""The built book in a real browser (Debian's Chromium driven by Playwright), served from 127.0.0.1 only.

Every page of the table of contents must load without console or page errors, request nothing outside
the local server, and show typeset math (no raw TeX left in the text); a full-page screenshot of each is
saved under test-output/screenshots/. On every static explorer (div.nnlib-explorer), moving each slider
and changing each dropdown must redraw the figure with other data. (Each page is loaded once for all of
this: one browser, one tab per page.)
"""
from __future__ import annotations

import re

import pytest

from .conftest import toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages() + ["search.html", "genindex.html"]
# Raw TeX in the visible text (code, outputs and typeset math removed): $, $$, \[ \] \( \), \command
RAW_TEX = re.compile(r"\$|\\[\[\]()]|\\[A-Za-z]{2,}")
VISIBLE_TEXT_JS = """() => {
  const main = (document.querySelector("main") || document.body).cloneNode(true);
  main.querySelectorAll("pre, code, script, style, textarea, svg, mjx-container, .nnlib-explorer, "
                        + ".cell_output, .output").forEach(e => e.remove());
  return main.textContent;
}"""
WAIT_FOR_MATHJAX_JS = """async () => {
  if (!window.MathJax) return "absent";
  for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 25));
  if (!(MathJax.startup && MathJax.startup.promise)) return "not started";
  await MathJax.startup.promise;
  if (MathJax.typesetPromise) await MathJax.typesetPromise();
  return "done";
}"""


def _shot_name(page):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", page.removesuffix(".html")) + ".png"


@pytest.mark.parametrize("page", PAGES)
def test_page(browser, output_dir, page):
    """Loads offline with no error, math typeset, explorers respond; a full-page screenshot is saved."""
    problems = []  # console errors, page errors, failed requests (filled by the page's listeners)
    external_before = len(browser.external)
    tab = browser.open(page, problems)
    try:
        math_nodes = tab.locator("main .math").count()
        mathjax = tab.evaluate(WAIT_FOR_MATHJAX_JS)
        screenshots = output_dir / "screenshots"
        screenshots.mkdir(exist_ok=True)
        tab.screenshot(path=str(screenshots / _shot_name(page)), full_page=True)
        if math_nodes:
            typeset = tab.locator("main mjx-container").count()
            # Formulas are typeset at build time (book/_ext/page_weight.py): such a page loads no MathJax
            # ("absent") and must already contain MathJax's output for every formula.
            if mathjax not in ("done", "absent") or typeset < math_nodes:
                problems.append(f"only {typeset} of {math_nodes} formulas were typeset (MathJax: {mathjax})")
            problems += [f"MathJax error: {e}" for e in tab.locator("main mjx-merror").all_text_contents()]
        raw = sorted({m.group(0) for m in RAW_TEX.finditer(tab.evaluate(VISIBLE_TEXT_JS))})
        if raw:
            problems.append(f"raw TeX left in the text: {raw}")
        problems += check_explorers(tab, page)
    finally:
        tab.close()
    problems += [f"tried to load from outside the machine: {url}" for url in browser.external[external_before:]]
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_search_finds_pages(browser):
    problems = []
    tab = browser.open("search.html?q=gradient", problems)
    try:
        tab.wait_for_selector("#search-results ul.search li", timeout=15_000)
        assert tab.locator("#search-results ul.search li").count() >= 1
    finally:
        tab.close()
    assert not problems, "\n".join(problems)


PLOT_STATE_JS = """root => {
  const plot = root.querySelector(".nnlib-plot");
  return {frame: root.dataset.frame, data: JSON.stringify(plot.data || null),
          drawn: !!plot.querySelector(".main-svg"), text: plot.textContent.slice(0, 200)};
}"""


def _move(control):
    """Move one control as a user would: keys on a slider, a new option in a dropdown."""
    if control.evaluate("e => e.tagName") == "SELECT":
        count = control.locator("option").count()
        current = int(control.input_value())
        control.select_option(index=(current + 1) % count)
    else:
        at_end = control.evaluate("e => +e.value >= +e.max")
        control.focus()
        control.press("Home" if at_end else "End")


def check_explorers(tab, page):
    """Move every control of every static explorer on the page; return the explorers that did not redraw."""
    failures = []
    for root in tab.locator("div.nnlib-explorer").all():
        root.scroll_into_view_if_needed()
        name = f"{page}#{root.get_attribute('id')}"
        before = root.evaluate(PLOT_STATE_JS)
        if not before["drawn"] or before["data"] == "null":
            failures.append(f"{name}: the figure was not drawn ({before['text']!r})")
            continue
        controls = root.locator("input[type=range][data-index], select[data-index]").all()
        if not controls:
            failures.append(f"{name}: no controls")
        for control in controls:
            label = control.get_attribute("aria-label")
            _move(control)
            try:
                tab.wait_for_function("([root, frame]) => root.dataset.frame !== frame",
                                      arg=[root.element_handle(), before["frame"]], timeout=5_000)
            except Exception:
                failures.append(f"{name}: moving {label!r} did not change the frame")
                continue
            after = root.evaluate(PLOT_STATE_JS)
            if after["data"] == before["data"]:
                failures.append(f"{name}: moving {label!r} left the plotted data unchanged "
                                f"(frame {before['frame']} -> {after['frame']})")
            before = after
    return failures
