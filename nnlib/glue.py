"""Numbers a chapter shares with its text, shown both in the HTML book and in a running
notebook.

A chapter computes a number and glues it under a name::

    from nnlib.glue import glue
    glue("final_loss", float(loss), display=False)

and its text quotes it as ``{eval}`glue.text("final_loss:.4f")` `` (name, then an
optional format spec, as in myst-nb's ``{glue:text}`` role).  The two readers resolve
that one piece of markup apart:

* the HTML book (Jupyter Book with cached execution) pastes the glued value, as
  ``{glue:text}`` would: ``glue`` calls myst-nb's ``glue``, and
  ``book/_ext/glue_eval.py`` reads the role;
* JupyterLab and Notebook 7 with ``jupyterlab-myst`` ask the running kernel to evaluate
  ``glue.text("final_loss:.4f")``: this object kept the value and formats it the same
  way.

Where myst-nb is not installed (e.g. Colab) gluing only keeps the value (and shows it if
asked to).
"""
from __future__ import annotations

from ast import literal_eval


class Glue:
    """Call it like ``myst_nb.glue(name, value, display=True)``; ``text``/``md`` give a
    glued value back."""

    def __init__(self):
        # name -> the value's display data {mime type: content}, as myst-nb stores it
        self.outputs = {}

    def __call__(self, name, variable, display=True):
        from IPython.core.formatters import format_display_data

        self.outputs[name], _ = format_display_data(variable)
        try:
            from myst_nb import glue as myst_nb_glue
        except ImportError:
            if display:
                from IPython.display import display as show

                show(variable)
            return
        myst_nb_glue(name, variable, display=display)

    def _output(self, name, mime_type):
        if name not in self.outputs:
            raise KeyError(f"nothing is glued as {name!r} yet: run the cells above "
                           "first (glued so far: "
                           f"{', '.join(self.outputs) or 'nothing'})")
        if mime_type not in self.outputs[name]:
            raise KeyError(f"{name!r} has no {mime_type} form (it has "
                           f"{', '.join(self.outputs[name])})")
        return self.outputs[name][mime_type]

    def text(self, name_and_format):
        """``"name:.3f"`` -> the glued value formatted with ``.3f`` (the rule of
        myst-nb's glue:text)."""
        if ":" in name_and_format:
            name, _, spec = name_and_format.rpartition(":")
        else:
            name, spec = name_and_format, ""
        return format_plain_text(self._output(name, "text/plain"), spec)

    def md(self, name):
        """The glued value's Markdown form (it was glued as
        ``IPython.display.Markdown``)."""
        from IPython.display import Markdown

        return Markdown(self._output(name, "text/markdown"))


def format_plain_text(plain, spec):
    """A value's ``text/plain`` form formatted with ``spec``: the number for a numeric
    spec, else the text."""
    try:
        value = literal_eval(plain)  # a repr back to the number (or string) it shows
    except (SyntaxError, ValueError):
        value = plain
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    elif kind == "s":
        value = str(value)
    return format(value, spec)


glue = Glue()
