"""Rewrite myst-nb glue roles as ``{eval}`` roles that both the HTML book and JupyterLab render.

    python tools/glue_to_eval.py book                 # convert every chapter in place (idempotent)
    python tools/glue_to_eval.py --check book         # exit 1 if a notebook still needs converting

In markdown cells ``{glue:text}`name:.3f``` becomes ``{eval}`glue.text("name:.3f")` `` and
``{glue:md}`name``` becomes ``{eval}`glue.md("name")` ``; in code cells the line
``from myst_nb import glue`` becomes ``from nnlib.glue import glue`` (the same ``glue``, which also
keeps the value for the kernel: see nnlib/glue.py and book/_ext/glue_eval.py).  Only the lines that
change are rewritten: every other cell, line and byte of the notebook stays as it was.
"""
from __future__ import annotations

import json
import re
import sys

from normalize_notebooks import dump, notebooks  # this folder is on sys.path when a tool runs

ROLE = re.compile(r"\{glue:(?P<form>text|md)\}`(?P<key>[^`\"']+)`")
IMPORT = re.compile(r"^(?P<indent>\s*)from myst_nb import glue(?P<end>\s*)$")


def convert_markdown(line):
    return ROLE.sub(lambda m: f'{{eval}}`glue.{m["form"]}("{m["key"]}")`', line)


def convert_code(line):
    return IMPORT.sub(lambda m: f'{m["indent"]}from nnlib.glue import glue{m["end"]}', line)


def converted(nb):
    """``nb`` (parsed JSON) with its glue roles and imports rewritten; cells keep their line lists."""
    for cell in nb["cells"]:
        convert = {"markdown": convert_markdown, "code": convert_code}.get(cell["cell_type"])
        if convert is None:
            continue
        lines = cell["source"] if isinstance(cell["source"], list) else [cell["source"]]
        new = [convert(line) for line in lines]
        if new != lines:
            cell["source"] = new if isinstance(cell["source"], list) else new[0]
    return nb


def main(argv):
    check = "--check" in argv
    stale = []
    for path in notebooks(a for a in argv if a != "--check"):
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        before = dump(nb)
        after = dump(converted(nb))
        if after == before:
            continue
        stale.append(path)
        if not check:
            # Re-serialising unchanged JSON reproduces a normalized file byte for byte; if this file was
            # laid out differently, write it in that layout only where a line actually changed.
            path.write_text(after if text == before else _patch(text, before, after), encoding="utf-8")
    if check and stale:
        print("glue roles left (run tools/glue_to_eval.py on them):", *stale, sep="\n  ")
        return 1
    return 0


def _patch(text, before, after):
    """Apply the line changes between ``before`` and ``after`` to ``text`` (same JSON, other layout)."""
    for old, new in zip(before.splitlines(), after.splitlines()):
        if old != new:
            text = text.replace(old.strip(), new.strip(), 1)
    return text


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
