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
