"""The single-page HTML build that ``tools/build_pdf.py`` prints to the PDF edition.

Sphinx looks up node visitors by builder name and falls back to the format (``html``) only when the
builder has none of its own. Some extensions register visitors for ``singlehtml`` while myst-nb and
others register theirs for ``html`` only, so the single-page build stopped at myst-nb's hidden-cell
node. Every ``html`` visitor the single-page builder lacks is given to it here.
"""
from __future__ import annotations


def _share_html_visitors(app):
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def setup(app):
    app.connect("builder-inited", _share_html_visitors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
