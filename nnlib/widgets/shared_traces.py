"""Explorers that keep their static page small.

* ``SharedTracesExplorer`` — an Explorer whose static page stores every trace that
  recurs in several frames (e.g. the scatter of a dataset's points) only once;
* ``LiveGridExplorer`` — an Explorer whose live widget offers more control values than
  its static page.

The training playground (``playground.py``) and the optimizer race
(``optimizer_race.py``) use them.
"""
from __future__ import annotations

import json

from .explorer import Explorer

_RESOLVER = """<script>(function() {
  var el = document.currentScript.previousElementSibling;
  var spec = JSON.parse(el.textContent);
  spec.frames.forEach(function(f) {
    f.data = f.data.map(function(t) {
      return (t && t.$shared !== undefined) ? spec.shared[t.$shared] : t;
    });
  });
  delete spec.shared;
  el.textContent = JSON.stringify(spec);
})();</script>"""


class SharedTracesExplorer(Explorer):
    """An Explorer whose static page stores a trace that appears in several frames only
    once.

    ``static_data()`` is the usual, complete description (one list of traces per frame).
    ``to_html()`` replaces every trace that occurs in more than one frame by
    ``{"$shared": i}`` and adds a few lines of JavaScript, run before the explorer's own
    script, that put the shared traces back in place.
    """

    def static_data(self):
        if getattr(self, "_static", None) is None:
            self._static = super().static_data()
        return self._static

    def shared_static_data(self):
        """static_data() with recurring traces replaced by references into a ``shared``
        list."""
        full = self.static_data()
        def key(trace):
            return json.dumps(trace, sort_keys=True, separators=(",", ":"))

        keys = [[key(t) for t in fr["data"]] for fr in full["frames"]]
        counts = {}
        for frame_keys in keys:
            for k in set(frame_keys):
                counts[k] = counts.get(k, 0) + 1
        shared, index = [], {}
        frames = []
        for fr, frame_keys in zip(full["frames"], keys):
            data = []
            for trace, k in zip(fr["data"], frame_keys):
                if counts[k] > 1:
                    if k not in index:
                        index[k] = len(shared)
                        shared.append(trace)
                    data.append({"$shared": index[k]})
                else:
                    data.append(trace)
            frames.append({**fr, "data": data})
        return {**full, "frames": frames, "shared": shared}

    def to_html(self):
        html = super().to_html()
        full = json.dumps(self.static_data(), separators=(",", ":"),
                          allow_nan=False).replace("</", "<\\/")
        small = json.dumps(self.shared_static_data(), separators=(",", ":"),
                           allow_nan=False).replace("</", "<\\/")
        tag = f'class="nnlib-data">{full}</script>'
        # the explorer's page looks different from what we expect: keep it complete
        if html.count(tag) != 1:
            return html
        return html.replace(tag, f'class="nnlib-data">{small}</script>\n{_RESOLVER}')


class LiveGridExplorer(SharedTracesExplorer):
    """A SharedTracesExplorer whose live widget offers the finer ``live_controls`` (the
    static page: ``controls``)."""

    def __init__(self, controls, render, base=None, live_controls=None, **kwargs):
        super().__init__(controls, render, base, **kwargs)
        self.live = Explorer(live_controls or controls, render, base, **kwargs)

    def widget(self):
        box = self.live.widget()
        box.static_html = self.to_html
        return box


__all__ = ["SharedTracesExplorer", "LiveGridExplorer"]
