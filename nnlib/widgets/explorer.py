"""One explorer, two faces: live ipywidgets in Jupyter, a precomputed Plotly page in the
static book.

An explorer is a figure whose traces depend on a few controls.  ``render(**values)``
returns the traces (Plotly trace dicts) for one choice of control values; the figure's
fixed parts (a contour plot, axes, titles) live in ``base``.  Displaying an ``Explorer``
yields one output carrying both

* ``application/vnd.jupyter.widget-view+json`` — sliders and dropdowns that call
  ``render`` live, which Jupyter shows when a kernel is running, and
* ``text/html`` — the same controls in plain HTML, with ``render`` evaluated in advance
  for every combination of control values and a few lines of JavaScript that swap the
  traces with ``Plotly.react``; the book shows this one (its configuration drops the
  widget view for HTML).

So the page needs no kernel, and the controls move the figure in the HTML exactly as in
Jupyter. ``plotly.min.js`` must be loaded by the page (the book serves it from
``_static``).
"""
from __future__ import annotations

import html
import itertools
import json
import uuid

import numpy as np

# digits kept in precomputed figure data: plenty for a picture, 3–4× smaller JSON
SIGNIFICANT = 4


def compact(obj):
    """Make ``obj`` JSON-ready: arrays to lists rounded to ``SIGNIFICANT`` digits,
    NaN/inf to None."""
    if isinstance(obj, dict):
        return {k: compact(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [compact(v) for v in obj]
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "iub":
        return obj.tolist()
    if isinstance(obj, np.ndarray) and obj.dtype.kind == "f":
        # Each number keeps SIGNIFICANT significant digits of its own, so tiny values on
        # a log axis survive.
        out = np.array([float(f"{v:.{SIGNIFICANT}g}") if np.isfinite(v) else None
                        for v in obj.ravel().tolist()], dtype=object)
        return out.reshape(obj.shape).tolist()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (np.floating, float)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


class Explorer:
    """An interactive figure over a grid of control values.

    ``controls``: {name: list of values}; numbers give a slider, strings a dropdown.
    ``render(**values)``: returns a list of Plotly trace dicts, or a dict {"data":
    [...], "title": str}. ``base``: a ``plotly.graph_objects.Figure`` (or its dict)
    holding fixed traces and the layout. ``initial``: starting values (default: the
    first of each list). ``labels``: {name: text shown next to the control}.
    """

    def __init__(self, controls, render, base=None, initial=None, labels=None,
                 title="", height=450):
        if not controls:
            raise ValueError("an explorer needs at least one control")
        self.controls = {name: list(values) for name, values in controls.items()}
        for name, values in self.controls.items():
            if not values:
                raise ValueError(f"control {name!r} has no values")
        self.render = render
        if hasattr(base, "to_dict"):
            base = base.to_dict()
        base = base or {"data": [], "layout": {}}
        self.base = {"data": list(base.get("data", [])),
                     "layout": dict(base.get("layout", {}))}
        first = {name: values[0] for name, values in self.controls.items()}
        self.initial = first | dict(initial or {})
        for name, value in self.initial.items():
            if name not in self.controls or value not in self.controls[name]:
                raise ValueError(f"initial value {name}={value!r} is not one of the "
                                 f"control's values {self.controls.get(name)}")
        self.labels = {name: name for name in self.controls} | dict(labels or {})
        self.title = title
        self.height = height

    # ---- evaluating ------------------------------------------------------------------
    def frame(self, **values):
        """Traces and title for one choice of values (unspecified ones take their
        initial value)."""
        values = self.initial | values
        out = self.render(**values)
        if isinstance(out, dict):
            return {"data": list(out.get("data", [])),
                    "title": out.get("title", self.title)}
        return {"data": list(out), "title": self.title}

    def combinations(self):
        """Every combination of control values, in the order the static page indexes
        them."""
        names = list(self.controls)
        return [dict(zip(names, combo))
                for combo in itertools.product(*self.controls.values())]

    def figure(self, **values):
        """A plotly Figure for one choice of values."""
        import plotly.graph_objects as go

        fr = self.frame(**values)
        fig = go.Figure({"data": self.base["data"] + fr["data"],
                         "layout": self.base["layout"]})
        if fr["title"]:
            fig.update_layout(title=fr["title"])
        fig.update_layout(height=self.height)
        return fig

    # ---- static face -----------------------------------------------------------------
    def static_data(self):
        frames = [compact(self.frame(**combo)) for combo in self.combinations()]
        return {
            "names": list(self.controls),
            "values": [compact(list(v)) for v in self.controls.values()],
            "base": compact(self.base),
            "frames": frames,
            "height": self.height,
        }

    def to_html(self):
        """Self-contained HTML (controls, figure div, data, script); needs the global
        ``Plotly``."""
        uid = "nnlib-" + uuid.uuid4().hex[:10]
        data = json.dumps(self.static_data(), separators=(",", ":"), allow_nan=False)
        controls = []
        for i, (name, values) in enumerate(self.controls.items()):
            label = html.escape(str(self.labels[name]))
            start = values.index(self.initial[name])
            if all(isinstance(v, str) for v in values):
                options = "".join(
                    f'<option value="{k}"{" selected" if k == start else ""}>'
                    f'{html.escape(v)}</option>' for k, v in enumerate(values))
                widget = (f'<select data-index="{i}" aria-label="{label}">'
                          f'{options}</select>')
            else:
                # A screen reader announces the value the slider stands for ("η =
                # 0.01"), not its index.
                shown = html.escape(_fmt(values[start]))
                widget = (f'<input type="range" data-index="{i}" min="0" '
                          f'max="{len(values) - 1}" step="1" value="{start}" '
                          f'aria-label="{label}" aria-valuetext="{label} = {shown}">'
                          f'<output>{shown}</output>')
            controls.append(f'<label class="nnlib-control">{label} {widget}</label>')
        return _TEMPLATE.format(uid=uid, controls="".join(controls),
                                data=data.replace("</", "<\\/"), height=self.height)

    # ---- live face -------------------------------------------------------------------
    def widget(self):
        """The live ipywidgets version: controls that re-render the figure on every
        change."""
        import ipywidgets as w

        inputs = {}
        for name, values in self.controls.items():
            if all(isinstance(v, str) for v in values):
                inputs[name] = w.Dropdown(options=values, value=self.initial[name],
                                          description=self.labels[name])
            else:
                inputs[name] = w.SelectionSlider(options=[(_fmt(v), v) for v in values],
                                                 value=self.initial[name],
                                                 description=self.labels[name],
                                                 continuous_update=False)
        # Reserve the figure's height, so the page does not jump while one figure
        # replaces the last.
        out = w.Output(layout=w.Layout(min_height=f"{self.height}px"))

        def redraw(_=None):
            values = {name: control.value for name, control in inputs.items()}
            out.outputs = (self.figure_output(**values),)

        for control in inputs.values():
            control.observe(redraw, names="value")
        redraw()
        box = _DualBox([w.HBox(list(inputs.values()),
                               layout=w.Layout(flex_flow="row wrap")), out])
        box.static_html = self.to_html
        return box

    def figure_output(self, **values):
        """The figure for ``values`` as one notebook output, in Plotly's own MIME type.

        The live widget sets its Output's outputs to this directly.  A plotly 7 figure
        displays itself, so capturing its display (``with out:`` or
        ``append_display_data``) would send the figure to the cell, outside the widget;
        and a headless run (nbclient) can stall on ``with out:`` capture.
        """
        import plotly.io as pio

        fig = self.figure(**values)
        spec = json.loads(pio.to_json(fig, validate=False))
        spec["config"] = {"displaylogo": False, "responsive": True}
        return {"output_type": "display_data", "metadata": {},
                "data": {"application/vnd.plotly.v1+json": spec,
                         "text/plain": fig.layout.title.text or self.title}}

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": f"<Explorer: {', '.join(self.controls)}>",
                  "text/html": self.to_html()}
        try:
            bundle.update(self.widget()._widget_bundle())
        # no ipywidgets: the static page still works in any notebook
        except ImportError:
            pass
        return bundle


def styled_template(styles):
    """Plotly's default template with ``styles`` as the cycle of scatter-trace defaults.

    Traces then need not repeat their style in every precomputed frame, which keeps the
    page small. Set it as a whole (``layout["template"] = ...``): plotly.py's
    update_layout would merge it.
    """
    import plotly.io as pio

    template = pio.templates["plotly"].to_plotly_json()
    template["data"]["scatter"] = [dict(style, type="scatter") for style in styles]
    return template


def one_blas_thread():
    """A context in which NumPy's BLAS uses one thread.

    A precomputation over many small matrices gains nothing from BLAS threads; on a
    machine busy with other processes they only add synchronization and can make it
    several times slower.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _fmt(value):
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)


def _dual_box_class():
    import ipywidgets as w

    class DualBox(w.VBox):
        """A VBox whose output also carries the static HTML, for front ends without a
        kernel."""

        static_html = None

        def _widget_bundle(self):
            return super()._repr_mimebundle_() or {}

        def _repr_mimebundle_(self, **kwargs):
            bundle = self._widget_bundle()
            if self.static_html is not None:
                bundle["text/html"] = self.static_html()
            return bundle

    return DualBox


def _DualBox(children):
    return _dual_box_class()(children)


_TEMPLATE = """<div class="nnlib-explorer" id="{uid}">
<div class="nnlib-controls">{controls}</div>
<div class="nnlib-figure-title" aria-live="polite"></div>
<div class="nnlib-plot" style="width:100%;height:{height}px"></div>
<script type="application/json" class="nnlib-data">{data}</script>
<script>
(function() {{
  var root = document.getElementById("{uid}");
  function start() {{
    if (!window.Plotly) {{
      root.querySelector(".nnlib-plot").textContent = "(this figure needs plotly.js)";
      return;
    }}
    var spec = JSON.parse(root.querySelector(".nnlib-data").textContent);
    var plot = root.querySelector(".nnlib-plot");
    var inputs = root.querySelectorAll(".nnlib-controls [data-index]");
    var heading = root.querySelector(".nnlib-figure-title");
    // the figure's title as text above it: it wraps, and is never cut off
    function showTitle(text) {{
      var lines = String(text || "").split(/<br\\s*\\/?>/).map(function(line) {{
        return line.replace(/<[^>]*>/g, "");
      }});
      heading.textContent = lines.join("\\n");
    }}
    // Text labels in the figure (subplot titles, labels placed side by side) overlapped
    // and ran off a phone's screen: on a narrow figure each label without an arrow gets
    // smaller type and wraps to its share of the width (the labels at the same height
    // share it), and the top margin makes room for subplot titles of several lines.
    function fitLabels(layout) {{
      if (plot.clientWidth >= 600) return;
      var labels = (layout.annotations || []).filter(function(a) {{
        return a.showarrow === false && a.text;
      }});
      var rows = {{}}, most = 1;
      labels.forEach(function(a) {{
        var key = a.yref + ":" + a.y;
        rows[key] = (rows[key] || 0) + 1;
      }});
      labels.forEach(function(a) {{
        var share = plot.clientWidth / rows[a.yref + ":" + a.y];
        var width = Math.max(8, Math.floor(share / 7.5)), lines = [""];
        String(a.text).split(" ").forEach(function(w) {{
          var last = lines[lines.length - 1];
          if (last && (last + " " + w).length > width) lines.push(w);
          else lines[lines.length - 1] = last ? last + " " + w : w;
        }});
        a.text = lines.join("<br>");
        a.font = Object.assign({{}}, a.font, {{size: 11}});
        if (a.yref === "paper" && a.yanchor === "bottom") {{
          most = Math.max(most, lines.length);
        }}
      }});
      layout.margin.t = Math.max(layout.margin.t, 16 * most + 14);
    }}
    function draw() {{
      var k = 0;
      inputs.forEach(function(el) {{
        var i = +el.dataset.index, v = +el.value;
        k = k * spec.values[i].length + v;
        var out = el.parentNode.querySelector("output");
        if (out) out.textContent = spec.values[i][v];
        if (el.type === "range") {{
          el.setAttribute("aria-valuetext",
                          el.getAttribute("aria-label") + " = " + spec.values[i][v]);
        }}
      }});
      var frame = spec.frames[k];
      var layout = JSON.parse(JSON.stringify(spec.base.layout || {{}}));
      layout.height = spec.height;
      // The title goes above the figure as text (Plotly cuts long titles off on a phone
      // and drew multi-line ones partly outside the figure); screen readers hear it
      // change (aria-live).
      var title = frame.title
                  || (layout.title && (layout.title.text || layout.title)) || "";
      delete layout.title;
      // no room kept for a title in the figure
      layout.margin = Object.assign({{t: 30}}, layout.margin || {{}});
      fitLabels(layout);
      showTitle(typeof title === "string" ? title : "");
      // No toolbar: on the static page it covered the figure's top (the figure still
      // zooms and hovers).
      Plotly.react(plot, (spec.base.data || []).concat(frame.data), layout,
                   {{responsive: true, displaylogo: false, displayModeBar: false}});
      root.dataset.frame = k;
    }}
    inputs.forEach(function(el) {{
      el.addEventListener("input", draw);
      el.addEventListener("change", draw);
    }});
    draw();
  }}
  if (document.readyState === "loading") {{
    document.addEventListener("DOMContentLoaded", start);
  }} else {{
    start();
  }}
}})();
</script>
</div>"""
