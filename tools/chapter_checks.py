"""Mechanical checks of the chapter notebooks (issue #21, rules 1 and 5 of the chapter protocol).

Each check reads a notebook's JSON (no execution) and returns a list of problems, each naming the cell:

* ``control_characters``  — a control character other than newline inside any string (a ``\\tfrac`` typed with
  one backslash in JSON is a TAB);
* ``colon_without_code``  — a markdown cell ending with ':' that the reader does not see followed by a code cell
  (cells tagged ``remove-cell`` are skipped, as the reader never sees them); inside a cell, a paragraph ending
  with ':' followed by a heading or plain prose, or a ':' that runs into a new sentence on the next line;
* ``test_set_use``        — a chapter that reads a held-out test set (``X_test``, ``y_test``, ``T_test``, …) has
  exactly one code cell marked ``# test set: the one evaluation``, and every later code cell that names a
  test-set variable carries ``# test set: post-hoc report, feeds no decision``;
* ``assertion_tags``      — every ``assert`` carries ``# exact`` or ``# outcome: …`` on its own first line or in the
  comment directly above it; ``assertion_counts`` counts them.

Figure numbers and captions are what the build makes of the outputs: tests/html/test_figures.py checks them.

    python tools/chapter_checks.py            # every check over book/, then the assertion counts per chapter
    python tools/chapter_checks.py --counts   # only the counts (exact / outcome / untagged)
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_EVALUATION = "# test set: the one evaluation"
POST_HOC = "# test set: post-hoc report, feeds no decision"
# a held-out data set (X_test, y_test, T_test, Y_test, X_target_test): its use makes a chapter a test-set chapter
TEST_DATA = re.compile(r"^[XYyT](?:_\w+)?_test$")
# any name that may carry test-set information (test_accuracy, raw_test, …): after the one evaluation it is labelled
TEST_NAME = re.compile(r"^(?:\w+_test|test_\w+)$")
EXACT = re.compile(r"#\s*exact\b")              # a comment that starts with the tag
OUTCOME = re.compile(r"#\s*outcome:\s*\S")
FENCE = re.compile(r"^(:{3,}|`{3,})\s*$")


def chapters() -> list[Path]:
    return sorted((ROOT / "book").glob("**/*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def python_of(cell: dict) -> str:
    """The cell's code with IPython magics and shell lines blanked (line numbers kept)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source(cell).split("\n"))


def label(index: int, cell: dict) -> str:
    first = next((line.strip() for line in source(cell).split("\n") if line.strip()), "")
    return f"cell {index} ({cell['cell_type']}: {first[:60]!r})"


def control_characters(nb: dict) -> list[str]:
    problems = []

    def walk(value, where):
        if isinstance(value, str):
            for match in re.finditer(r"[\x00-\x09\x0b-\x1f\x7f]", value):
                start = max(match.start() - 25, 0)
                problems.append(f"{where}: control character {match.group()!r} in "
                                f"{value[start:match.start() + 25]!r}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, where)
        elif isinstance(value, list):
            for item in value:
                walk(item, where)

    for i, cell in enumerate(nb["cells"]):
        walk({k: v for k, v in cell.items() if k != "outputs"}, label(i, cell))
    return problems


# what may follow a paragraph that ends with ':' inside a markdown cell: display math, a list, a table, a directive,
# a fenced block, an image, a quote or raw HTML
SHOWS_WHAT_THE_COLON_ANNOUNCES = re.compile(r"^\s*(\$\$|[-*+] |\d+[.)] |\||:::|```|\{|!\[|>|<)")


def _colons_inside(text: str) -> list[str]:
    """Lines of a markdown cell that end with ':' and run into a new sentence, a heading or a plain paragraph."""
    lines, problems, in_code = text.split("\n"), [], False
    for j, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if in_code or not line.rstrip().endswith(":") or FENCE.match(line.strip()):
            continue
        rest = lines[j + 1:]
        if not rest:
            continue
        if rest[0].strip() and re.match(r"^[A-Z][a-z]", rest[0].lstrip()):
            problems.append(f"{line.strip()[-50:]!r} runs into a new sentence: {rest[0].strip()[:50]!r}")
        elif not rest[0].strip():
            after = next((r for r in rest if r.strip()), None)
            if after is not None and not SHOWS_WHAT_THE_COLON_ANNOUNCES.match(after):
                problems.append(f"{line.strip()[-50:]!r} is followed by {after.strip()[:50]!r}")
    return problems


def colon_without_code(nb: dict) -> list[str]:
    visible = [(i, c) for i, c in enumerate(nb["cells"]) if "remove-cell" not in tags(c)]
    problems = []
    for (i, cell), following in zip(visible, visible[1:] + [(None, None)]):
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell).rstrip()
        problems += [f"{label(i, cell)}: {p}" for p in _colons_inside(text)]
        if not text.endswith(":") or FENCE.match(text.split("\n")[-1].strip()):
            continue
        _, after = following
        if after is None or after["cell_type"] != "code":
            what = "the end of the chapter" if after is None else f"a {after['cell_type']} cell"
            problems.append(f"{label(i, cell)} ends with ':' but the reader next sees {what}, not a code cell")
        elif {"remove-input", "remove-output"} <= set(tags(after)):
            problems.append(f"{label(i, cell)} ends with ':' but the next code cell shows neither input nor output")
    return problems


def names_in(cell: dict) -> dict[str, set]:
    """{'load': names read, 'store': names assigned} in a code cell (all identifiers if it does not parse)."""
    try:
        tree = ast.parse(python_of(cell))
    except SyntaxError:
        words = set(re.findall(r"\b\w+\b", source(cell)))
        return {"load": words, "store": set()}
    found = {"load": set(), "store": set()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found["store" if isinstance(node.ctx, (ast.Store, ast.Del)) else "load"].add(node.id)
        elif isinstance(node, ast.arg):
            found["store"].add(node.arg)
        elif isinstance(node, ast.keyword) and node.arg:
            found["load"].add(node.arg)
    return found


def test_set_use(nb: dict) -> list[str]:
    code = [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    reads_test_data = [i for i, c in code if any(TEST_DATA.match(n) for n in names_in(c)["load"])]
    evaluations = [i for i, c in code if ONE_EVALUATION in source(c)]
    if not reads_test_data and not evaluations:
        return []
    if len(evaluations) != 1:
        return [f"the chapter reads a held-out test set (cells {reads_test_data[:8]}) and has {len(evaluations)} "
                f"cells marked {ONE_EVALUATION!r}: exactly one evaluates on it"]
    problems = []
    for i, cell in code:
        if i <= evaluations[0]:
            continue
        named = sorted(n for kind in names_in(cell).values() for n in kind if TEST_NAME.match(n))
        if named and POST_HOC not in source(cell):
            problems.append(f"{label(i, cell)} names {named} after the one evaluation without {POST_HOC!r}")
    return problems


def _comments(code: str) -> dict[int, str]:
    """{line number: comment text} of a cell's code."""
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string
    except (tokenize.TokenError, IndentationError):
        pass
    return found


def _tag_of(line: int, comments: dict[int, str], lines: list[str]) -> str:
    """'exact', 'outcome', 'both' or '' for the assert starting at ``line`` (1-based)."""
    texts = [comments.get(line, "")]
    above = line - 1
    # the comment directly above: the comment-only lines ending on the line above (a tag may open the block)
    while above >= 1 and lines[above - 1].lstrip().startswith("#"):
        texts.append(comments.get(above, ""))
        above -= 1
    exact, outcome = any(EXACT.match(t) for t in texts), any(OUTCOME.match(t) for t in texts)
    return "both" if exact and outcome else "exact" if exact else "outcome" if outcome else ""


def assertions(nb: dict) -> list[tuple[int, int, str, str]]:
    """(cell index, line, tag, assert's first line) of every assert statement in the code cells."""
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        code = python_of(cell)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        comments, lines = _comments(code), code.split("\n")
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert):
                found.append((i, node.lineno, _tag_of(node.lineno, comments, lines), lines[node.lineno - 1].strip()))
    return sorted(found)


def assertion_counts(nb: dict) -> dict[str, int]:
    counts = {"exact": 0, "outcome": 0, "untagged": 0, "both": 0}
    for *_, tag, _ in assertions(nb):
        counts[tag or "untagged"] += 1
    return counts


def assertion_tags(nb: dict) -> list[str]:
    problems = []
    for i, line, tag, text in assertions(nb):
        if tag in ("", "both"):
            why = "carries both '# exact' and '# outcome:'" if tag else "has neither '# exact' nor '# outcome: …'"
            problems.append(f"cell {i} line {line}: {text[:90]!r} {why}")
    return problems


CHECKS = {"control_characters": control_characters, "colon_without_code": colon_without_code,
          "test_set_use": test_set_use, "assertion_tags": assertion_tags}


def counts_table(paths: list[Path]) -> str:
    rows = [(p.stem, assertion_counts(load(p))) for p in paths]
    total = {k: sum(c[k] for _, c in rows) for k in ("exact", "outcome", "untagged", "both")}
    lines = [f"{'chapter':45s} {'exact':>6s} {'outcome':>8s} {'untagged':>9s}"]
    for name, c in rows + [("all chapters", total)]:
        extra = f"  ({c['both']} with both tags)" if c["both"] else ""
        lines.append(f"{name[:45]:45s} {c['exact']:6d} {c['outcome']:8d} {c['untagged']:9d}{extra}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in book/")
    parser.add_argument("--counts", action="store_true", help="only the exact/outcome counts per chapter")
    args = parser.parse_args(argv)
    paths = args.notebooks or chapters()
    failed = 0
    if not args.counts:
        for path in paths:
            nb = load(path)
            for name, check in CHECKS.items():
                for problem in check(nb):
                    failed += 1
                    print(f"{path}: {name}: {problem}")
        print()
    print(counts_table(paths))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
