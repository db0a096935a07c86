"""Small HTML helpers for the instructor's reports: one self-contained page, plots embedded as PNG data (offline)."""
from __future__ import annotations

import base64
import html
import io

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #fafafa; border: 1px solid #ddd; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
mark { background: #ffe28a; }
.note { color: #555; }
"""


def escape(text):
    return html.escape(str(text))


def page(title, body):
    """A complete HTML document (UTF-8, no external resources)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n<h1>{escape(title)}</h1>\n{body}\n</body></html>\n")


def table(header, rows, numeric=()):
    """An HTML table; cells are escaped unless given as ``Raw``; columns in ``numeric`` align right."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    lines = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = value.html if isinstance(value, Raw) else escape(value)
            cells.append(f'<td class="number">{text}</td>' if i in numeric else f"<td>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(lines) + "\n</tbody></table>"


class Raw:
    """HTML that ``table`` puts in a cell as it is (already escaped by the caller)."""

    def __init__(self, html_text):
        self.html = html_text


def new_figure(width, height):
    """A matplotlib Figure that needs no GUI backend (nothing global is touched)."""
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height))


def figure_png(figure, alt):
    """A matplotlib figure as an <img> with the PNG inline."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def percent(fraction):
    return "—" if fraction is None else f"{100 * fraction:.0f} %"
