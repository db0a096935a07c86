"""Driving one notebook in a real JupyterLab / Notebook 7 page, and reading what it shows.

Cells are run through the front end's own command (``notebook:run-all-cells``, what Run ▸ Run All
does); controls are moved with real input events, as a student would: a slider's handle is dragged
with the mouse to the next stop, a dropdown is opened with a click and stepped with the arrow keys.  What the page shows is read from the DOM: the text of
rendered markdown cells, and each Plotly figure's title and data (``div.data``, ``div.layout``).
"""
from __future__ import annotations

import ast
import json
import re
import time

# Raw MyST a student must never see in a rendered markdown cell: a role or directive name in braces
# ({glue:text}, {prf:definition}, {eval}), a colon or backtick fence, or an {eval} expression left unevaluated.
RAW_MYST = re.compile(r"\{[a-z]+(?::[a-z-]+)?\}|^\s*(?::::|```)|glue\.(?:text|md)\(", re.M)

CURRENT = "window.jupyterapp?.shell.currentWidget"
KERNEL = f"{CURRENT}?.sessionContext?.session?.kernel"


def open_notebook(page, url, timeout=90_000):
    """Load a notebook page and wait until its kernel is ready."""
    page.goto(url)
    wait_for_kernel(page, timeout)


def open_lab(page, server, timeout=90_000):
    """Load JupyterLab itself (a fresh workspace, no tab open) and wait until its plugins are ready."""
    page.goto(f"{server.url}/lab?reset&token={server.token}")
    page.wait_for_function("window.jupyterapp !== undefined", timeout=timeout)
    page.evaluate("async () => { await jupyterapp.restored; }")


def open_in_lab(page, path, timeout=90_000):
    """Open the notebook ``path`` in the JupyterLab already loaded in ``page``, as a new tab."""
    page.evaluate("async (path) => { await jupyterapp.commands.execute('docmanager:open', {path}); }", path)
    page.wait_for_function(f"(path) => {CURRENT}?.context?.path === path", arg=path, timeout=timeout)
    wait_for_kernel(page, timeout)


def close_current(page):
    """Shut the current notebook's kernel down and close its tab (nothing was saved: autosave is off)."""
    page.evaluate(f"""async () => {{
        const panel = {CURRENT};
        await panel.sessionContext.shutdown();
        panel.context.model.dirty = false;
        panel.dispose();
    }}""")


def wait_for_kernel(page, timeout=90_000):
    page.wait_for_function(f"""() => {{ return {KERNEL}?.status === "idle"; }}""",
                           timeout=timeout, polling=250)


def run_all(page, timeout=180_000):
    """Run every cell (Run ▸ Run All Cells) and wait until the run is over (``wait_for_run``)."""
    start_run_all(page)
    wait_for_run(page, timeout)


def start_run_all(page):
    page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_for_run(page, timeout=180_000):
    """Wait until the current notebook's run is over: each code cell has run, or one raised (JupyterLab
    then leaves the cells below it unrun), and the kernel is idle."""
    page.wait_for_function(f"""() => {{
        const code = {CURRENT}.content.widgets.filter(c => c.model.type === 'code');
        const busy = code.some(c => c.node.querySelector('.jp-InputPrompt').textContent.includes('*'));
        const raised = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
        return {KERNEL}?.status === 'idle' && !busy && (raised || code.every(c => c.model.executionCount !== null));
    }}""", timeout=timeout, polling=500)


def activate(page, path):
    """Bring the tab of the open notebook ``path`` to the front (it keeps running while in the back)."""
    page.evaluate("""(path) => {
        const panel = Array.from(jupyterapp.shell.widgets('main')).find(w => w.context?.path === path);
        jupyterapp.shell.activateById(panel.id);
    }""", path)
    page.wait_for_function(f"(path) => {CURRENT}?.context?.path === path", arg=path)


def errors(page):
    """The error outputs of the notebook's code cells (ename: evalue)."""
    return page.evaluate(f"""() => {CURRENT}.content.widgets.filter(c => c.model.type === 'code').flatMap(c =>
        c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))""")


def markdown_texts(page):
    """The text of every rendered markdown cell, in order."""
    return page.evaluate(f"""() => {CURRENT}.content.widgets.filter(c => c.model.type === 'markdown').map(c => {{
        const out = c.node.querySelector('.jp-MarkdownOutput') || c.node;
        return out.innerText;
    }})""")


def expression_results(page):
    """(cell number among markdown cells, expression, status or error) for each {eval} expression whose
    result jupyterlab-myst has not stored (yet) or which failed; empty once every expression rendered."""
    return page.evaluate(f"""() => {CURRENT}.content.widgets.filter(c => c.model.type === 'markdown')
        .flatMap((c, i) => {{
            const wanted = (c.model.sharedModel.getSource().match(/\\{{eval\\}}`[^`]*`/g) || []).length;
            const got = c.model.getMetadata('user_expressions') || [];
            if (got.length < wanted) return [[i, `${{got.length}} of ${{wanted}} expressions evaluated`, 'pending']];
            return got.filter(e => e.result.status !== 'ok').map(e => [i, e.expression, e.result.ename + ': ' + e.result.evalue]);
        }})""")


def wait_for_expressions(page, timeout=20):
    """Wait until every {eval} expression of every markdown cell has a stored result; return the failures."""
    deadline = time.monotonic() + timeout
    while (left := expression_results(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return left


def wait_for_clean_markdown(page, timeout=20):
    """Raw MyST still visible once the rendered markdown has settled (jupyterlab-myst re-renders a cell
    a moment after its expressions' results arrive), or [] when none is."""
    deadline = time.monotonic() + timeout
    while (raw := raw_myst(markdown_texts(page))) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return raw


def raw_myst(texts):
    """(cell number, offending text) for every markdown text that shows raw MyST syntax."""
    found = []
    for i, text in enumerate(texts):
        for m in RAW_MYST.finditer(text):
            found.append((i, text[max(0, m.start() - 40):m.end() + 40]))
    return found


def explorer_cells(page):
    """For each code cell whose output holds a widget: its index, execution count and how many figures
    it shows inside the widget and outside it."""
    return page.evaluate(f"""() => {CURRENT}.content.widgets.map((c, index) => ({{c, index}}))
        .filter(({{c}}) => c.model.type === 'code' && c.node.querySelector('.jp-OutputArea-output .widget-output'))
        .map(({{c, index}}) => ({{
            index, count: c.model.executionCount,
            inside: c.node.querySelectorAll('.widget-output .js-plotly-plot').length,
            outside: Array.from(c.node.querySelectorAll('.js-plotly-plot')).filter(p => !p.closest('.widget-output')).length,
            outputs: c.model.outputs.length}}))""")


def controls(page, cell):
    """The controls of the explorer in cell ``cell``: kind ('slider'/'dropdown') and shown value."""
    return page.evaluate(f"""(i) => {{
        const cell = {CURRENT}.content.widgets[i].node;
        return Array.from(cell.querySelectorAll('.widget-slider, .widget-dropdown')).map(w => {{
            if (w.classList.contains('widget-dropdown')) {{
                const s = w.querySelector('select');
                return {{kind: 'dropdown', shown: s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' '), at: s.selectedIndex, n: s.options.length}};
            }}
            const h = w.querySelector('.noUi-handle');
            return {{kind: 'slider', shown: w.querySelector('.widget-readout').textContent.trim(),
                     at: +h.getAttribute('aria-valuenow'), n: +h.getAttribute('aria-valuemax') + 1}};
        }});
    }}""", cell)


def figure(page, cell):
    """Title and data of the figure inside the explorer of cell ``cell``, plus a digest of the data.

    The data are Plotly's decoded traces (``_fullData``): plotly 7 sends arrays base64-encoded.
    """
    return page.evaluate(f"""(i) => {{
        const plot = {CURRENT}.content.widgets[i].node.querySelector('.widget-output .js-plotly-plot');
        if (!plot || !plot.data) return null;
        const title = plot.layout.title && (plot.layout.title.text !== undefined ? plot.layout.title.text : plot.layout.title);
        return {{title: title || '', data: plot._fullData.map(t => ({{type: t.type, x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null}})),
                 digest: JSON.stringify(plot.data.map(t => [t.x, t.y, t.z, t.text]))}};
    }}""", cell)


def press(page, cell, k, control):
    """Move control ``k`` one step with mouse and keyboard (right/down, or back at the end of its range)."""
    forward = control["at"] < control["n"] - 1
    page.evaluate(f"(i) => {CURRENT}.content.widgets[i].node.setAttribute('data-explorer-cell', i)", cell)
    handle = page.locator(f"[data-explorer-cell='{cell}']").locator(
        ".widget-slider .noUi-handle, .widget-dropdown select").nth(k)
    handle.scroll_into_view_if_needed()
    if control["kind"] == "slider":  # drag the handle with the mouse to the next stop of the track
        track = handle.locator("xpath=ancestor::*[contains(@class, 'noUi-target')][1]").bounding_box()
        box = handle.bounding_box()
        to = control["at"] + (1 if forward else -1)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(track["x"] + track["width"] * to / (control["n"] - 1), box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
    else:  # open the dropdown with the mouse, pick the next (or previous) option with the keyboard
        handle.click()
        page.keyboard.press("ArrowDown" if forward else "ArrowUp")
        page.keyboard.press("Enter")
    return forward


def wait_for_new_figure(page, cell, before, timeout=30_000):
    """Wait until the figure in cell ``cell`` differs from ``before`` (title or data); return it."""
    page.wait_for_function(f"""([i, title, digest]) => {{
        const plot = {CURRENT}.content.widgets[i].node.querySelector('.widget-output .js-plotly-plot');
        if (!plot || !plot.data) return false;
        const t = plot.layout.title && (plot.layout.title.text !== undefined ? plot.layout.title.text : plot.layout.title);
        return (t || '') !== title || JSON.stringify(plot.data.map(t => [t.x, t.y, t.z, t.text])) !== digest;
    }}""", arg=[cell, before["title"], before["digest"]], timeout=timeout, polling=50)
    return figure(page, cell)


def kernel_eval(page, expression, timeout=30_000):
    """Evaluate ``expression`` in the notebook's kernel (a user expression, no cell) and return its value.

    The expression must give a JSON-serialisable value; it comes back through ``json.dumps``.
    """
    reply = page.evaluate(f"""async (expr) => {{
        const future = {KERNEL}.requestExecute({{code: '', silent: true, store_history: false,
                                                 user_expressions: {{value: expr}}}});
        const reply = await future.done;
        return reply.content.user_expressions.value;
    }}""", f"__import__('json').dumps({expression})")
    if reply.get("status") != "ok":
        raise AssertionError(f"kernel could not evaluate {expression!r}: {reply.get('ename')}: {reply.get('evalue')}")
    return json.loads(ast.literal_eval(reply["data"]["text/plain"]))  # text/plain is the repr of the JSON
