"""Math in the feedback pages that renders with no script and no network: ``$…$`` and ``$$…$$`` become MathML.

``nbgrader generate_feedback`` writes HTML whose math is TeX for MathJax, which a browser shows as raw ``$…$``
when the page's scripts do not run (JupyterLab shows an HTML file with scripts off until "Trust HTML" is clicked)
or MathJax cannot be fetched.  ``MathToMathML``, one of ``c.GenerateFeedback.preprocessors`` in
``nbgrader_config.py``, converts the math of every markdown cell to MathML (``latex2mathml``), which browsers render
natively.  Code spans and fenced code keep their dollars; math that cannot be converted is left as it was.
"""
from __future__ import annotations

import re

from latex2mathml.converter import convert
from nbconvert.preprocessors import Preprocessor

CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
MATH = re.compile(r"(?<![\\$])\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?!\s)(?P<inline>[^$\n]+?)(?<!\\)\$(?![$\d])",
                  re.S)


def _mathml(match):
    display = match.group("display") is not None
    tex = (match.group("display") if display else match.group("inline")).strip()
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception:
        mathml = ">\\"
    # TeX that latex2mathml does not know (it raised, or wrote a command out as text): leave it as it was
    return match.group(0) if ">\\" in mathml else mathml


def markdown_with_mathml(text):
    """``text`` (Markdown) with its math as MathML; code spans and blocks unchanged."""
    return "".join(part if i % 2 else MATH.sub(_mathml, part) for i, part in enumerate(CODE.split(text)))


class MathToMathML(Preprocessor):
    """nbconvert preprocessor: the math of markdown cells as MathML."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = markdown_with_mathml(cell.source)
        return cell, resources
