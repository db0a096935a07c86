"""Figures around image outputs only.

A code cell's ``mystnb: figure: {caption, name}`` metadata makes myst-nb wrap *every* display output of
the cell in a captioned figure. A cell that draws a plot and then returns a table would show the
table as a second figure with the same caption. After myst-nb has chosen each output's MIME type,
this post-transform unwraps every figure that holds no image: its outputs stay, its caption goes.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class UnwrapFiguresWithoutImages(SphinxPostTransform):
    default_priority = 10  # after myst-nb's SelectMimeType (4)

    def run(self, **kwargs):
        for figure in list(self.document.findall(nodes.figure)):
            parent = figure.parent
            in_cell_output = isinstance(parent, nodes.container) and parent.get("nb_element") == "cell_code_output"
            if not in_cell_output or any(True for _ in figure.findall(nodes.image)):
                continue
            figure.replace_self([child for child in figure.children
                                 if not isinstance(child, (nodes.caption, nodes.legend))])


def setup(app):
    app.add_post_transform(UnwrapFiguresWithoutImages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
