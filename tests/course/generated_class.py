"""A generated class for the demo assignment with a known structure, for the similarity and analysis tests and
``benchmarks/bench_insight.py``.

* **Independent students** solve each task in one of several genuinely different ways (vectorised, a loop, a
  stable variant, ...), with the small choices anyone makes differently (``len(Y)`` or ``Y.shape[0]``, ``2 * h``
  or ``h + h``, converting the input first or not, naming the result or returning it), their own names,
  comments and spacing.
* **Copy groups**: one student's answers, copied by the others of the group, each disguised: every local name
  renamed, comments replaced, spacing changed, and the functions of a cell put in another order.
* **Template only**: the release submitted as it is, or with one one-line answer.

``make_class(...)`` returns every student's answers (grade_id -> code) and the set of copied pairs.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from tests.course.fixtures.demo import SIGNATURES

# grade_id -> ways to write the body (after the released signature); {names} are the student's own names,
# at ⟦a|b|...⟧ each student picks one alternative (an empty one leaves the part out).
STYLES = {
    "sigmoid": [
        "    {z} = np.asarray(a, dtype=⟦float|np.float64⟧)\n⟦|    assert np.all(np.isfinite({z}))\n⟧"
        "    return ⟦1|1.0⟧ / (⟦1|1.0⟧ + np.exp(-{z}))",
        "    {e} = np.exp(⟦np.asarray(a, dtype=float)|np.array(a, dtype=float)|a⟧)\n"
        "    return ⟦{e} / (1 + {e})|1 - 1 / (1 + {e})|{e} / ({e} + 1)⟧",
        "⟦|    a = np.asarray(a, dtype=float)\n⟧    return ⟦0.5 * (1 + np.tanh(0.5 * a))|(np.tanh(a / 2) + 1) / 2⟧",
        "    return {helper}(np.array(a, dtype=float))\n\n\ndef {helper}({z}):\n"
        "    {out} = np.⟦empty_like|zeros_like⟧({z})\n"
        "    {pos} = {z} >= 0\n    {out}[{pos}] = 1 / (1 + np.exp(-{z}[{pos}]))\n    {e} = np.exp({z}[~{pos}])\n"
        "    {out}[~{pos}] = {e} / (1 + {e})\n    return {out}",
    ],
    "sigmoid_prime": [
        "    {s} = sigmoid(⟦a|np.asarray(a, dtype=float)⟧)\n"
        "    return ⟦{s} * (1 - {s})|(1 - {s}) * {s}|{s} * (1.0 - {s})⟧",
        "    return ⟦sigmoid(a) * (1 - sigmoid(a))|(1 - sigmoid(a)) * sigmoid(a)⟧",
        "    {e} = np.exp(-np.⟦asarray|array⟧(a, dtype=float))\n"
        "    return ⟦{e} / (1 + {e}) ** 2|{e} / ((1 + {e}) * (1 + {e}))⟧",
        "    {s} = sigmoid(a)\n    return ⟦{s} - {s} ** 2|{s} - {s} * {s}|-{s} ** 2 + {s}⟧",
    ],
    "mse": [
        "⟦|    Y, T = np.asarray(Y, dtype=float), np.asarray(T, dtype=float)\n⟧"
        "    return float(np.sum((Y - T) ** 2) / ⟦len(Y)|Y.shape[0]⟧)",
        "    {n} = ⟦Y.shape[0]|len(Y)⟧\n    {d} = ⟦Y - T|T - Y⟧\n"
        "    return float(⟦({d} * {d}).sum()|np.sum({d} ** 2)⟧ / {n})",
        "    {total} = 0.0\n    for {y}, {t} in zip(Y, T):\n"
        "        {total} += ⟦np.sum(({y} - {t}) ** 2)|(({y} - {t}) ** 2).sum()"
        "|np.dot({y} - {t}, {y} - {t})⟧\n    return float({total} / len(Y))",
        "    return float(np.mean(np.sum((Y - T) ** 2, axis=⟦1|-1⟧)))",
    ],
    "n_params": ["n_params = 13", "n_params = 2 * 3 + 3 + 3 * 1 + 1", "n_params = (2 + 1) * 3 + (3 + 1) * 1",
                 "{l} = [2, 3, 1]\nn_params = sum(({i} + 1) * {o} for {i}, {o} in zip({l}[:-1], {l}[1:]))"],
    "numgrad": [
        "    {g} = np.zeros_like(x, dtype=float)\n    for {i} in range(⟦x.size|len(x.flat)⟧):\n"
        "        {old} = x.flat[{i}]\n"
        "        x.flat[{i}] = {old} + h\n        {fp} = ⟦f(x)|float(f(x))⟧\n        x.flat[{i}] = {old} - h\n"
        "        {fm} = ⟦f(x)|float(f(x))⟧\n        x.flat[{i}] = {old}\n"
        "        {g}.flat[{i}] = ⟦({fp} - {fm}) / (2 * h)|({fp} - {fm}) / 2 / h|0.5 * ({fp} - {fm}) / h⟧\n"
        "    return {g}",
        "    {g} = ⟦np.zeros(x.shape)|np.zeros_like(x, dtype=float)⟧\n"
        "    for {idx} in np.ndindex(⟦*x.shape|x.shape⟧):\n"
        "        {old} = x[{idx}]\n        x[{idx}] = {old} + h\n        {fp} = f(x)\n        x[{idx}] = {old} - h\n"
        "        {g}[{idx}] = ({fp} - f(x)) / ⟦(2 * h)|(h + h)|(2.0 * h)⟧\n        x[{idx}] = {old}\n    return {g}",
        "    {g} = np.⟦empty|zeros⟧(x.size)\n    {e} = np.zeros(x.size)\n    for {i} in range(x.size):\n"
        "        {e}[{i}] = h\n"
        "        {step} = {e}.reshape(x.shape)\n        {g}[{i}] = ⟦(f(x + {step}) - f(x - {step})) / (2 * h)|"
        "(f(x + {step}) - f(x - {step})) / h / 2⟧\n        {e}[{i}] = 0.0\n    return {g}.reshape(x.shape)",
        "    return np.array([{helper}(f, x, {i}, h) for {i} in range(x.size)]).reshape(x.shape)\n\n\n"
        "def {helper}(f, x, {i}, h):\n    {bump} = np.zeros(⟦x.size|x.size, dtype=float⟧)\n    {bump}[{i}] = h\n"
        "    {bump} = {bump}.reshape(x.shape)\n    return ⟦(f(x + {bump}) - f(x - {bump})) / (2 * h)|"
        "0.5 * (f(x + {bump}) - f(x - {bump})) / h⟧",
    ],
    "minibatches": [
        "    for {start} in range(0, N, batch_size):\n        ⟦yield np.arange({start}, min({start} + batch_size, N))|"
        "{stop} = min({start} + batch_size, N)\n        yield np.arange({start}, {stop})⟧",
        "    {idx} = np.arange(N)\n    for {start} in range(0, N, batch_size):\n"
        "        yield {idx}[{start}:⟦{start} + batch_size|min({start} + batch_size, N)⟧]",
        "    {start} = 0\n    while {start} ⟦< N|!= N⟧:\n        {stop} = min({start} + batch_size, N)\n"
        "        yield np.arange({start}, {stop})\n        {start} = {stop}",
        "    {count} = ⟦-(-N // batch_size)|(N + batch_size - 1) // batch_size|int(np.ceil(N / batch_size))⟧\n"
        "    for {b} in range({count}):\n        yield np.arange({b} * batch_size, min(({b} + 1) * batch_size, N))",
    ],
    "sgd": [
        "    w -= ⟦lr * grad|grad * lr⟧", "    w[...] = w - ⟦lr * grad|grad * lr⟧",
        "    np.subtract(w, lr * grad, out=w)",
        "    for {i} in range(w.size):\n        w.flat[{i}] -= lr * grad.flat[{i}]",
    ],
}
NAMES = ["s", "z", "e", "out", "pos", "one", "n", "d", "total", "y", "t", "l", "i", "o", "g", "old", "fp", "fm",
         "idx", "step", "bump", "start", "stop", "count", "b", "helper", "res"]
WORDS = ["value", "result", "tmp", "acc", "item", "k", "j", "cur", "prev", "buf", "vec", "arr", "v", "u", "p", "q",
         "entry", "part", "piece", "chunk", "elem", "num", "m", "c", "r", "delta", "diff", "res", "x0", "x1"]
COMMENTS = ["# compute it", "# vectorised", "# see the lecture notes", "# works for arrays too", "# the formula",
            "# careful with shapes", "# central difference", "# elementwise", "# TODO tidy up", "# checked by hand",
            "# from the book", "# one pass", "# avoids overflow", "# simple version"]


def _names(rng):
    """A fresh, consistent choice of the student's own names."""
    words = rng.sample(WORDS, len(NAMES))
    return {name: (f"_{word}" if name == "helper" else word) for name, word in zip(NAMES, words)}


def _fill(style, names, picks):
    """The style with the student's names and, at each ⟦a|b|...⟧, the alternative ``picks`` says."""
    alternatives = iter(picks)
    return re.sub(r"⟦(.*?)⟧", lambda m: m.group(1).split("|")[next(alternatives)], style, flags=re.S).format(**names)


def _picks(style, rng):
    """A random alternative for every ⟦a|b|...⟧ of the style (an empty alternative: the part is left out)."""
    return [rng.randrange(len(m.split("|"))) for m in re.findall(r"⟦(.*?)⟧", style, flags=re.S)]


def _decorate(code, rng):
    """Comments and spacing of the student's own: nothing the grader or the similarity check should care about."""
    lines = []
    for line in code.split("\n"):
        if line.strip() and rng.random() < 0.3:
            indent = line[:len(line) - len(line.lstrip())]
            lines.append(indent + rng.choice(COMMENTS))
        if rng.random() < 0.3:
            line = line.replace(" = ", "  =  ", 1) if " = " in line else line.rstrip() + "   " + rng.choice(COMMENTS)
        lines.append(line)
        if not line.strip().startswith("#") and line.strip() and rng.random() < 0.15:
            lines.append("")
    return "\n".join(lines)


ARRAY_INPUT = {"sigmoid": "a", "sigmoid_prime": "a", "mse": "Y", "numgrad": "x"}


def _habits(grade_id, body, names, habits):
    """Two habits some students have: converting the input first, and naming the result before returning it."""
    if habits["convert"] and grade_id in ARRAY_INPUT:
        body = f"    {ARRAY_INPUT[grade_id]} = np.asarray({ARRAY_INPUT[grade_id]}, dtype=float)\n" + body
    if habits["name result"]:
        body = re.sub(r"^(\s+)return (.+)$", lambda m: f"{m.group(1)}{names['res']} = {m.group(2)}\n"
                      f"{m.group(1)}return {names['res']}", body, count=1, flags=re.M)
    return body


def answer(grade_id, style, names, rng, picks):
    alternatives, habits = picks
    body = _habits(grade_id, _fill(STYLES[grade_id][style], names, alternatives), names, habits)
    code = body if grade_id == "n_params" else SIGNATURES[grade_id] + body
    return _decorate(code, rng)


@dataclass
class GeneratedClass:
    answers: dict = field(default_factory=dict)         # student -> {grade_id: code}; None: the release as is
    copied: set = field(default_factory=set)            # frozenset({a, b}) of every pair in one copy group
    groups: list = field(default_factory=list)          # lists of the students of each copy group


def _student_answers(rng):
    """An independent student's choices: a style per task, an alternative at each choice point, their names."""
    choices = {gid: rng.randrange(len(styles)) for gid, styles in STYLES.items()}
    picks = {gid: (_picks(STYLES[gid][choices[gid]], rng),
                   {"convert": rng.random() < 0.3, "name result": rng.random() < 0.4}) for gid in STYLES}
    return choices, picks, _names(rng)


def _write(choices, picks, names, rng, reorder=False):
    """The answers those choices give, with comments and spacing drawn from ``rng``."""
    answers = {}
    for gid in STYLES:
        code = answer(gid, choices[gid], names, rng, picks[gid])
        answers[gid] = _move_helpers(code) if reorder else code
    return answers


def _move_helpers(code):
    """Put a cell's helper functions before the released function (a reordering that changes nothing)."""
    parts = re.split(r"\n\n\n(?=def )", code)
    return code if len(parts) < 2 else "\n\n\n".join(parts[1:] + parts[:1])


def make_class(independent=40, groups=(2, 3, 3, 4), template_only=4, seed=0):
    rng = random.Random(seed)
    result = GeneratedClass()
    number = iter(range(1, 10 ** 6))
    for _ in range(independent):
        result.answers[f"s{next(number):04d}"] = _write(*_student_answers(rng), rng)
    for size in groups:
        choices, picks, names = _student_answers(rng)
        members = [f"s{next(number):04d}" for _ in range(size)]
        result.answers[members[0]] = _write(choices, picks, names, rng)
        for member in members[1:]:          # renamed, re-commented, re-spaced, functions reordered
            result.answers[member] = _write(choices, picks, _names(rng), rng, reorder=True)
        result.groups.append(members)
        result.copied |= {frozenset(pair) for pair in combinations(members, 2)}
    for i in range(template_only):
        student = f"s{next(number):04d}"
        result.answers[student] = None if i % 2 == 0 else {"n_params": "n_params = 13"}
    return result


def precision_recall(flagged, copied):
    """Precision and recall of the flagged pairs (frozensets) against the copied ones."""
    hits = len(flagged & copied)
    return (hits / len(flagged) if flagged else 1.0), (hits / len(copied) if copied else 1.0)


def tag(root, assignment, tags):
    """Write concept tags {grade_id: (chapter, [concepts])} into the course's demo source notebook."""
    path = Path(root) / "solutions" / assignment / "demo.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in tags:
            chapter, concepts = tags[grade_id]
            cell["metadata"]["curriculum"] = {"chapter": chapter, "concepts": concepts}
    path.write_text(json.dumps(nb))


def write_class(root, generated, release, assignment="demo"):
    """Submit every generated student's notebook: the release (an nbformat dict) with their answers."""
    from tests.course.fixtures.demo import submission, write_submission
    for student, answers in generated.answers.items():
        write_submission(root, student, submission(release, answers or {}), assignment=assignment)
