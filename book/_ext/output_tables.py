"""Tables that code prints read as tables: padding, rules, numbers right-aligned in their column.

Chapters return tables as HTML (``IPython.display.HTML``, pandas ``DataFrame._repr_html_``). After
myst-nb has chosen each output's MIME type, every HTML table in a cell output gets the class
``nnlib-table`` (styled in ``nnlib-book.css``) and every cell that holds a number — optionally signed,
with digits, a decimal point, an exponent, a percent sign or thousands separators — the class ``num``,
so the stylesheet can right-align numbers without touching words. The table is wrapped in a box that
scrolls sideways on a narrow screen instead of widening the page.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

NUMBER = re.compile(r"^[+\-−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+\-−]?\d+)?\s*%?$")


def is_number(text):
    text = text.strip()
    return bool(text) and any(ch.isdigit() for ch in text) and bool(NUMBER.match(text))


def style_tables(html):
    """``html`` with its tables marked up for the book's stylesheet (unchanged if it has none)."""
    if "<table" not in html:
        return html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for table in soup.find_all("table"):
        _add_class(table, "nnlib-table")
        rows = [row.find_all(["td", "th"]) for row in table.find_all("tr")]
        for row in rows:
            for cell in row:
                if cell.name == "td" and is_number(cell.get_text()):
                    _add_class(cell, "num")
        # A heading sits over its numbers when every data cell of its column is a number.
        body = [row for row in rows if row and all(c.name == "td" for c in row)]
        for row in rows:
            if row and all(c.name == "th" for c in row) and all(len(r) == len(row) for r in body):
                for k, heading in enumerate(row):
                    if body and all("num" in (r[k].get("class") or []) for r in body):
                        _add_class(heading, "num")
        if not (table.parent and "nnlib-table-scroll" in (table.parent.get("class") or [])):
            table.wrap(soup.new_tag("div", attrs={"class": "nnlib-table-scroll"}))
    return str(soup)


def _add_class(tag, name):
    tag["class"] = list(dict.fromkeys((tag.get("class") or []) + [name]))


class StyleOutputTables(SphinxPostTransform):
    default_priority = 11  # after myst-nb's SelectMimeType (4)
    formats = ("html",)

    def run(self, **kwargs):
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split() or "<table" not in raw.astext():
                continue
            if not any(isinstance(p, nodes.container) and p.get("nb_element") == "cell_code_output"
                       for p in _ancestors(raw)):
                continue
            styled = style_tables(raw.astext())
            raw.replace_self(nodes.raw("", styled, format="html"))


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def setup(app):
    app.add_post_transform(StyleOutputTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
