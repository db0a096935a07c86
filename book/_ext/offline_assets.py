"""Serve every script the book needs from its own _static folder, so no page loads anything from the internet.

* MathJax 3 comes from the PyPI package ``sphinx-mathjax-offline`` (copied next to the pages).
* plotly.js comes from the ``plotly`` package itself (``plotly/package_data/plotly.min.js``); the
  explorers' precomputed pages call the global ``Plotly`` it defines.
"""
import importlib
import os
import shutil

import plotly


def _copy_assets(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    static = os.path.join(app.outdir, "_static")
    os.makedirs(static, exist_ok=True)
    src = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    dst = os.path.join(static, "plotly.min.js")
    if not os.path.exists(dst) or os.path.getsize(dst) != os.path.getsize(src):
        shutil.copyfile(src, dst)


def setup(app):
    # Registers MathJax's files and sets mathjax_path to the local copy.
    importlib.import_module("sphinx-mathjax-offline").setup(app)
    app.add_js_file("plotly.min.js")
    app.connect("build-finished", _copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
