"""Reading an explorer's static page in tests, the way the page's own script reads it."""
import functools
import json
import re

import numpy as np


def static_spec(html):
    """The JSON of a static page, with shared traces put back in place (as the page's script does)."""
    spec = json.loads(re.search(r'<script type="application/json" class="nnlib-data">(.*?)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))
    shared = spec.pop("shared", [])
    for frame in spec["frames"]:
        frame["data"] = [shared[t["$shared"]] if isinstance(t, dict) and "$shared" in t else t for t in frame["data"]]
    return spec


def n_combinations(explorer):
    return int(np.prod([len(v) for v in explorer.controls.values()]))


def frame_index(explorer, **values):
    """Index of a combination in the static page (row-major over the controls, as the page computes it)."""
    return explorer.combinations().index(explorer.initial | values)


def frame_of(explorer, spec, **values):
    """The precomputed frame for a combination of control values."""
    return spec["frames"][frame_index(explorer, **values)]


@functools.lru_cache(maxsize=None)
def built(name):
    """(explorer, its static page, the page's data) for the explorer function ``name`` with its
    defaults, built once per test session: the page tests and the explorer's own tests share it."""
    import nnlib.widgets

    explorer = getattr(nnlib.widgets, name)()
    html = explorer.to_html()
    return explorer, html, static_spec(html)
