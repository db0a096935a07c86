"""The book as readers use it, in Chromium at phone (390 px, touch) and desktop (1366 px) width.

Every page is opened once per width in a fresh browser context with the cache disabled (a cold load),
and must:
* transfer at most 1.5 MB, or 3 MB with an explorer (bytes on the wire, counted by the DevTools protocol);
* be no wider than the screen: long code, tables and formulas scroll inside their own box;
* show every display formula whole, or in a box that scrolls sideways;
* have no serious or critical accessibility violation (axe-core 4.14.1 from npm, ``make install``);
* on explorer pages: no toolbar over the figure, titles inside the figure, and sliders that announce the
  value they stand for after they move.
The navigation tests tap (phone) and click (desktop) the sidebar buttons and check that the chapter list
and the page contents become visible.

Readers whose system is dark get the theme's dark scheme (it follows ``prefers-color-scheme``): every page is
opened again at both widths with the dark preference, must be shown dark, must have no serious or critical
axe-core violation, and every figure (matplotlib image or explorer) must sit on a light panel. The theme
toggle in the header switches a light page to dark, and the choice is kept on the next page.
"""
from __future__ import annotations

import pytest

from .conftest import ROOT, toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages() + ["genindex.html", "search.html", "prf-prf.html"]
SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
MAX_BYTES = 1_500_000
MAX_EXPLORER_BYTES = 3_000_000
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, culprits = [];
  if (document.documentElement.scrollWidth <= width) return [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || getComputedStyle(e).position === "fixed") continue;
    let p = e.parentElement, boxed = false;
    for (; p; p = p.parentElement) {
      if (getComputedStyle(p).position === "fixed") { boxed = true; break; }
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)
          && p.getBoundingClientRect().right <= width + 1) { boxed = true; break; }
    }
    if (!boxed) culprits.push(`${e.tagName.toLowerCase()}.${String(e.className).slice(0, 40)} (right edge ${Math.round(r.right)} px)`);
  }
  return [`page is ${document.documentElement.scrollWidth} px wide`].concat(culprits.slice(0, 5));
}"""
CUT_FORMULAS_JS = """() => {
  const width = document.documentElement.clientWidth, cut = [];
  for (const e of document.querySelectorAll("main div.math, main mjx-container[display='true']")) {
    const r = e.getBoundingClientRect();
    if (!e.getClientRects().length || r.width === 0) continue;  // inside a closed dropdown
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
    if ((e.scrollWidth > e.clientWidth + 1 && !scrolls) || r.right > width + 1)
      cut.push(e.textContent.trim().slice(0, 50));
  }
  return cut;
}"""
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.nodes.length} × ` + v.nodes.slice(0, 2).map(n => n.target.join(" ")).join(" | "));
}"""
EXPLORER_JS = """() => Array.from(document.querySelectorAll(".nnlib-explorer")).flatMap(root => {
  const plot = root.querySelector(".nnlib-plot"), box = plot.getBoundingClientRect(), out = [];
  const bar = plot.querySelector(".modebar");
  if (bar && bar.getBoundingClientRect().width > 0 && getComputedStyle(bar).display !== "none")
    out.push(`${root.id}: a toolbar is drawn over the figure`);
  const heading = root.querySelector(".nnlib-figure-title");
  if (!heading || !heading.textContent.trim()) out.push(`${root.id}: the figure has no title`);
  for (const t of plot.querySelectorAll(".gtitle, .g-gtitle text, .annotation-text")) {
    const r = t.getBoundingClientRect();
    if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1))
      out.push(`${root.id}: the text "${t.textContent.slice(0, 40)}" is cut off at the figure's edge`);
  }
  const notes = Array.from(plot.querySelectorAll(".annotation-text")).map(t => [t, t.getBoundingClientRect()]);
  for (let i = 0; i < notes.length; i++) for (let j = i + 1; j < notes.length; j++) {
    const [a, ra] = notes[i], [b, rb] = notes[j];
    if (ra.width && rb.width && ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom)
      out.push(`${root.id}: "${a.textContent.slice(0, 30)}" overlaps "${b.textContent.slice(0, 30)}"`);
  }
  return out;
})"""


# In the dark scheme a figure drawn on white (matplotlib, the explorers' Plotly) must sit on a light panel:
# the nearest painted background (its own, or an ancestor's) has a relative luminance of at least 0.5.
FIGURE_PANELS_JS = """() => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => c / 255)
      .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const panel = (e) => {
    for (let n = e; n; n = n.parentElement) {
      const bg = getComputedStyle(n).backgroundColor;
      if (bg && !/rgba\\(.*,\\s*0\\)$/.test(bg) && bg !== "transparent") return bg;
    }
    return "rgb(255, 255, 255)";
  };
  const out = [];
  for (const e of document.querySelectorAll("main div.cell_output img, main .nnlib-explorer .nnlib-plot")) {
    if (!e.getClientRects().length) continue;
    const own = panel(e);
    if (luminance(own) < 0.5)
      out.push(`${e.tagName.toLowerCase()} `
               + `${(e.getAttribute("alt") || e.closest(".nnlib-explorer")?.id || "").slice(0, 40)} on ${own}`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def screens(browser):
    contexts = {name: browser.fresh_context(**options) for name, options in SCREENS.items()}
    yield contexts
    for context in contexts.values():
        context.close()


def open_cold(context, url):
    """Open ``url`` with the browser cache disabled; return the tab and the bytes transferred per URL."""
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, transferred = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]))
    tab.goto(url, wait_until="load")  # every script, stylesheet and image of the page has arrived
    _wait_until_drawn(tab)
    return tab, {urls.get(k, k): v for k, v in transferred.items()}


def _wait_until_drawn(tab):
    """Wait for every web font the page uses and every explorer's figure."""
    tab.evaluate("document.fonts.ready.then(() => true)")
    tab.wait_for_function("() => Array.from(document.querySelectorAll('.nnlib-explorer .nnlib-plot'))"
                          ".every(p => p.querySelector('.main-svg'))", timeout=15_000)


def _weight_problems(page, transferred, has_explorer):
    limit = MAX_EXPLORER_BYTES if has_explorer else MAX_BYTES
    total = sum(transferred.values())
    if total <= limit:
        return []
    largest = sorted(transferred.items(), key=lambda kv: -kv[1])[:5]
    return [f"{total / 1e6:.2f} MB transferred on a cold load (limit {limit / 1e6:.1f} MB); largest: "
            + ", ".join(f"{url.rsplit('/', 1)[-1][:40]} {size / 1e6:.2f} MB" for url, size in largest)]


def _slider_problems(tab):
    """Move each explorer's first slider with the keyboard; its announced value must follow."""
    problems = []
    for slider in tab.locator(".nnlib-explorer input[type=range]").all()[:3]:
        slider.scroll_into_view_if_needed()
        slider.focus()
        slider.press("End")
        text = slider.get_attribute("aria-valuetext") or ""
        shown = slider.evaluate("e => e.parentNode.querySelector('output').textContent")
        label = slider.get_attribute("aria-label")
        if text != f"{label} = {shown}":
            problems.append(f"slider {label!r} at {shown} announces {text!r}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page", PAGES)
def test_reader_page(browser, screens, server, page, screen):
    assert AXE_JS.exists(), f"{AXE_JS} is missing: `make install` installs axe-core from npm"
    tab, transferred = open_cold(screens[screen], server + page)
    try:
        has_explorer = tab.locator(".nnlib-explorer").count() > 0
        problems = _weight_problems(page, transferred, has_explorer)
        problems += tab.evaluate(OVERFLOW_JS)
        problems += [f"display formula cut off: {f!r}" for f in tab.evaluate(CUT_FORMULAS_JS)]
        if has_explorer:
            problems += tab.evaluate(EXPLORER_JS)
        tab.add_script_tag(path=str(AXE_JS))
        problems += [f"axe-core: {v}" for v in tab.evaluate(AXE_RUN_JS)]
        if has_explorer and screen == "phone":
            problems += _slider_problems(tab)
    finally:
        tab.close()
    assert not problems, f"{page} at {SCREENS[screen]['viewport']['width']} px:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def dark_screens(browser):
    contexts = {name: browser.fresh_context(color_scheme="dark", **options) for name, options in SCREENS.items()}
    yield contexts
    for context in contexts.values():
        context.close()


def open_warm(context, url):
    """Open ``url`` and wait until its fonts and explorer figures are drawn (cache allowed)."""
    tab = context.new_page()
    tab.goto(url, wait_until="load")
    _wait_until_drawn(tab)
    return tab


@pytest.mark.slow
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page", PAGES)
def test_reader_page_in_the_dark_scheme(dark_screens, server, page, screen):
    """A reader whose system is dark: the page is dark, readable (axe-core), and figures sit on light panels."""
    tab = open_warm(dark_screens[screen], server + page)
    try:
        problems = []
        theme = tab.evaluate("document.documentElement.dataset.theme")
        if theme != "dark":
            problems.append(f"the system asks for dark, the page is shown {theme!r}")
        problems += [f"figure not on a light panel: {f}" for f in tab.evaluate(FIGURE_PANELS_JS)]
        tab.add_script_tag(path=str(AXE_JS))
        problems += [f"axe-core: {v}" for v in tab.evaluate(AXE_RUN_JS)]
    finally:
        tab.close()
    width = SCREENS[screen]["viewport"]["width"]
    assert not problems, f"{page} in the dark scheme at {width} px:\n" + "\n".join(problems)


def test_theme_toggle_switches_to_dark_and_is_kept(browser, server):
    """On a light system the header's toggle turns the page dark, readable, and the next page stays dark."""
    context = browser.fresh_context(color_scheme="light", viewport=SCREENS["desktop"]["viewport"])
    try:
        tab = open_warm(context, server + "book/part3/09_optimizers.html")
        assert tab.evaluate("document.documentElement.dataset.theme") == "light"
        for _ in range(3):  # the toggle cycles light -> dark -> auto
            if tab.evaluate("document.documentElement.dataset.theme") == "dark":
                break
            tab.locator(".theme-switch-button").filter(visible=True).first.click()
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark", "the toggle never made the page dark"
        tab.add_script_tag(path=str(AXE_JS))
        assert tab.evaluate(AXE_RUN_JS) == []
        tab.goto(server + "book/part3/08_backpropagation.html", wait_until="load")
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark", "the reader's choice was not kept"
    finally:
        context.close()


NAV_PAGES = ["book/intro.html", "book/part3/08_backpropagation.html"]


def _visible_links(tab, selector):
    return sum(1 for link in tab.locator(selector).all() if link.is_visible())


@pytest.mark.parametrize("page", NAV_PAGES)
def test_phone_navigation_buttons_open_the_lists(screens, server, page):
    tab = screens["phone"].new_page()
    try:
        tab.goto(server + page, wait_until="networkidle")
        assert _visible_links(tab, ".bd-links a") == 0, "the chapter list is open before any tap"
        tab.locator(".primary-toggle").filter(visible=True).first.tap()
        tab.wait_for_selector("#pst-primary-sidebar-modal[open]", timeout=3_000)
        assert _visible_links(tab, "#pst-primary-sidebar-modal .bd-links a") >= 10, "tapping ☰ shows no chapter list"
        tab.keyboard.press("Escape")
        tab.wait_for_selector("#pst-primary-sidebar-modal:not([open])", state="attached", timeout=3_000)
        tab.locator(".secondary-toggle").filter(visible=True).first.tap()
        tab.wait_for_selector("#pst-secondary-sidebar-modal[open]", timeout=3_000)
        assert _visible_links(tab, "#pst-secondary-sidebar-modal .page-toc a") >= 2, \
            "tapping the contents button shows no list of the page's sections"
    finally:
        tab.close()


@pytest.mark.parametrize("page", NAV_PAGES)
def test_desktop_sidebar_collapses_and_returns(screens, server, page):
    tab = screens["desktop"].new_page()
    try:
        tab.goto(server + page, wait_until="networkidle")
        sidebar = tab.locator("#pst-primary-sidebar")
        assert sidebar.is_visible() and _visible_links(tab, "#pst-primary-sidebar .bd-links a") >= 10
        assert _visible_links(tab, ".bd-sidebar-secondary .page-toc a") >= 2, "no visible list of the page's sections"
        toggle = tab.locator(".primary-toggle").filter(visible=True).first
        toggle.click()
        tab.wait_for_function("() => document.querySelector('#pst-primary-sidebar').getBoundingClientRect().right <= 0"
                              " || !document.querySelector('#pst-primary-sidebar').checkVisibility()", timeout=3_000)
        tab.locator(".primary-toggle").filter(visible=True).first.click()
        tab.wait_for_function("() => document.querySelector('#pst-primary-sidebar').getBoundingClientRect().right > 0",
                              timeout=3_000)
        assert _visible_links(tab, "#pst-primary-sidebar .bd-links a") >= 10, "the chapter list did not come back"
    finally:
        tab.close()
