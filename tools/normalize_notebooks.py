"""Strip outputs and execution counts from notebooks and give them the python3 kernelspec.

Chapter notebooks are committed without outputs (the book build executes them).  Usage:

    python tools/normalize_notebooks.py book/part1/*.ipynb      # rewrite in place
    python tools/normalize_notebooks.py --check book             # exit 1 if any notebook needs it

Chapters may be authored as py:percent scripts and converted first:
    .venv/bin/jupytext --to ipynb -o book/part1/02_the_neuron.ipynb /tmp/02_the_neuron.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def normalized(nb):
    nb = json.loads(json.dumps(nb))
    nb["metadata"] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def dump(nb):
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def notebooks(paths):
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts)
        else:
            yield p


def main(argv):
    check = "--check" in argv
    bad = []
    for path in notebooks(a for a in argv if a != "--check"):
        text = path.read_text(encoding="utf-8")
        want = dump(normalized(json.loads(text)))
        if text != want:
            bad.append(path)
            if not check:
                path.write_text(want, encoding="utf-8")
    if check and bad:
        print("not normalized (run tools/normalize_notebooks.py on them):", *bad, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
