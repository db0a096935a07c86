/* Sidebar buttons that work wherever the theme puts them.
 *
 * sphinx-book-theme 1.3.0 shows its own "Toggle primary/secondary sidebar" buttons in the article header,
 * while pydata-sphinx-theme 0.17.1 (which opens the sidebars as dialogs on narrow screens) and
 * sphinx-book-theme (which collapses the primary sidebar on wide screens) wire only the FIRST
 * .primary-toggle / .secondary-toggle of the page: the header's hidden ones. So the visible buttons did
 * nothing. Every other toggle now passes its click on to the first, which both themes listen to.
 */
document.addEventListener("DOMContentLoaded", function () {
  [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
    var toggles = document.querySelectorAll(selector);
    for (var i = 1; i < toggles.length; i++) {
      toggles[i].addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        toggles[0].click();
      });
    }
  });
});

/* Accessibility repairs of theme and extension markup (axe-core finds no serious issue afterwards;
 * tests/html/test_reader.py checks every page).
 *
 * 1. An accessible name must contain the visible text (WCAG 2.5.3, "label in name"): the theme's search
 *    buttons say "Search Ctrl+K" but are labelled "Search"; myst-nb's "Show code cell source" toggles
 *    are labelled "Toggle hidden content". The visible text now leads the label.
 * 2. A box that scrolls sideways (a long formula, a wide table on a phone) must be reachable with the
 *    keyboard: it gets tabindex=0 while it overflows.
 * 3. Sphinx's citation list says role="list" but its entries use a deprecated role: they become list items.
 */
(function () {
  function visibleText(el) {
    return (el.innerText || "").replace(/\s+/g, " ").trim();
  }
  function labelContainsText() {
    document.querySelectorAll("[aria-label]").forEach(function (el) {
      var text = visibleText(el), label = el.getAttribute("aria-label");
      if (!text || label.toLowerCase().indexOf(text.toLowerCase()) !== -1) return;
      el.setAttribute("aria-label", text.toLowerCase().indexOf(label.toLowerCase()) !== -1 ? text : text + " (" + label + ")");
    });
  }
  var SCROLLERS = "mjx-container[display='true'], div.math, .nnlib-table-scroll, .pst-scrollable-table-container, "
    + "div.cell_output, div.output, div.highlight pre";
  function scrollersFocusable() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); el.dataset.nnlibScroll = "1"; }
      if (!scrolls && el.dataset.nnlibScroll) { el.removeAttribute("tabindex"); delete el.dataset.nnlibScroll; }
    });
  }
  function citationListItems() {
    document.querySelectorAll(".citation-list[role='list'] > .citation").forEach(function (el) {
      el.setAttribute("role", "listitem");
    });
  }
  function repair() { labelContainsText(); scrollersFocusable(); citationListItems(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", repair); else repair();
  window.addEventListener("load", repair);
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(scrollersFocusable, 200); });
})();
