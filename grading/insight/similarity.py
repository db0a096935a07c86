"""``python -m grading similarity ASSIGNMENT``: which students' code is alike — evidence for a human to look at,
never a penalty.

1. Each student's code is everything of theirs that the grader executes (``marking.submission.plan_notebook``:
   answer cells, extra code cells, duplicated answer cells; locked and test cells are the source's, and answer
   cells left as released are skipped), normalised (``normalize.py``: names, comments, whitespace do not count) and fingerprinted by
   winnowing (Schleimer, Wilkerson & Aiken 2003) with copydetect's ``winnow``: of every window of ``WINDOW``
   consecutive k-gram hashes the smallest is kept, so any match of at least ``K + WINDOW - 1`` normalised
   characters is found.  Each top-level function is fingerprinted on its own, so their order does not matter.
   Fingerprints of the released template are removed.
2. An inverted index (fingerprint → students) gives every fingerprint's rarity in the class and, through each
   student's rarest fingerprints, the pairs worth comparing (``candidates``); only those are compared, so the
   work grows with the matches, not with the number of pairs of students.
3. A student's share of a pair is the part of their fingerprints that the other student has too, each weighted
   by its rarity (log of class size over the number of students who have it), as in text retrieval's idf: a
   shared line everybody writes weighs nothing, a shared oddity a lot.  A pair's score is the larger of the two
   shares (containment: one student's code is largely inside the other's, whatever else the other wrote: dead code
   added around a renamed copy does not hide it); pairs at or above ``threshold`` are ranked, grouped (students
   linked by such pairs) and shown side by side, the shared parts marked (copydetect's ``get_copied_slices`` and
   ``highlight_overlap``).

copydetect's own ``CopyDetector`` is not used: it compares every pair of files (quadratic in the class size),
hashes with Python's salted ``hash`` (scores would change from run to run) and reads whole files, not notebook cells.
"""
from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
from copydetect.utils import get_copied_slices, highlight_overlap, winnow

from ..course import Course
from ..marking.submission import plan_notebook, read_notebook
from ..names import match_notebooks, submitted_notebooks
from ..source import load_assignment
from .normalize import concatenate, kgram_hashes, normalize
from .page import escape, page, percent, table
from .records import InsightError

K = 20                  # characters of normalised code per k-gram (shorter matches are noise)
WINDOW = 12             # winnowing window: every match of K + WINDOW - 1 = 31 normalised characters is found
PREFIX = 12             # each student's rarest fingerprints, through which pairs are found (``candidates``)
MIN_SHARED = 3          # ... of which the other student must have this many for the pair to be compared
SHOWN_PAIRS = 200       # side-by-side views in the page (the CSV lists every pair above the threshold)


@dataclass
class Answers:
    """One student's answer cells as one document, with fingerprints."""
    student: str
    code: str                               # the executed cells, each under a "# ── notebook: cell ──" header
    normalized: object                      # normalize.Normalized of the cells, one after the other
    fingerprints: dict = field(default_factory=dict)    # hash -> positions in the normalised text
    kgrams: object = None                   # every k-gram's hash by position (-1: template, or spans two blocks)


@dataclass
class Pair:
    a: str
    b: str
    score: float
    shares: tuple                           # (share of a's code, share of b's code)
    slices: tuple | None                    # shared parts in a's and b's code (2 × n arrays of offsets)
    group: int = 0


@dataclass
class Similarity:
    assignment: str
    students: int
    pairs: list
    notes: list                             # one line per student who could not be compared, and why
    html: Path
    csv: Path

    def summary(self):
        groups = len({p.group for p in self.pairs})
        lines = [f"{self.assignment}: {self.students} students compared, {len(self.pairs)} pairs at or above the "
                 f"threshold in {groups} groups (evidence to look at, not a verdict)"]
        lines += [f"  {note}" for note in self.notes]
        lines += [f"report: {self.html}", f"CSV: {self.csv}"]
        return "\n".join(lines)


def executed_cells(nb_spec, nb):
    """[(label, source)] of the student's code that grading runs (``plan_notebook``): answer cells changed from
    the release (labelled by grade_id) and every other cell of theirs (labelled "cell N"); never locked or test
    cells, which the grader takes from the source."""
    plan = plan_notebook(nb_spec, nb)
    by_position = {position: grade_id for grade_id, position in plan.positions.items()}
    found = []
    for position in plan.run:
        cell, grade_id = plan.cells[position], by_position.get(position)
        if cell["metadata"].get("nbgrader", {}).get("locked") or grade_id in plan.unanswered:
            continue
        found.append((grade_id or f"cell {position + 1}", cell["source"]))
    return found


def _text(source):
    return "".join(source) if isinstance(source, list) else str(source)


def _has_answer_cells(nb):
    return any(type(cell) is dict and type(cell.get("metadata")) is dict
               and (cell["metadata"].get("nbgrader") or {}).get("solution") for cell in nb["cells"])


def template_hashes(spec):
    """Every k-gram hash of the released answer and plain code cells (code every student was given), sorted and
    unique."""
    hashes = [kgram_hashes(normalize(_text(cell.release.get("source", ""))).text, K)
              for nb in spec.notebooks.values() for cell in nb.cells if cell.kind in ("solution", "plain")]
    return np.unique(np.concatenate(hashes)) if hashes else np.zeros(0, dtype=np.int64)


def top_level_blocks(source):
    """(block, offset) of each top-level function or class (with its decorators) and of the statements between."""
    starts, previous = [0], ""
    for line in re.finditer(r"^\S.*$", source, flags=re.M):          # the lines at column 0
        text = line.group(0)
        if line.start() and text.startswith(("def ", "class ", "async def ", "@")) and not previous.startswith("@"):
            starts.append(line.start())
        previous = text
    return [(source[a:b], a) for a, b in zip(starts, starts[1:] + [len(source)])]


def fingerprint(student, cells, template):
    """Answers of ``cells`` [(notebook, grade_id, code)]: normalised and winnowed one top-level block at a time
    (no k-gram spans two functions, so their order does not matter), the template's k-grams removed."""
    parts, code, length, kgrams = [], "", 0, []
    answers = Answers(student, "", None)
    for notebook, grade_id, source in cells:
        code += f"# ── {notebook}: {grade_id} ──\n"
        for block, start in top_level_blocks(source):
            part = normalize(block, offset=len(code) + start)
            hashes = kgram_hashes(part.text, K)
            if len(hashes):
                selected, positions = winnow(hashes, WINDOW, remove_duplicates=False)
                own = ~np.isin(selected, template)
                for value, position in zip(selected[own].tolist(), positions[own].tolist()):
                    answers.fingerprints.setdefault(value, []).append(position + length)
            block_kgrams = np.full(len(part), -1, dtype=np.int64)
            block_kgrams[:len(hashes)] = np.where(np.isin(hashes, template), -1, hashes)
            kgrams.append(block_kgrams)
            parts.append(part)
            length += len(part)
        code += source.rstrip() + "\n\n"
    answers.code, answers.normalized = code, concatenate(parts)
    answers.kgrams = np.concatenate(kgrams) if kgrams else np.zeros(0, dtype=np.int64)
    return answers


def _raw_slices(answers, positions):
    """Matching parts in the student's own text, from k-gram positions in the normalised text."""
    starts, ends = get_copied_slices(np.asarray(positions, dtype=np.int64), K)
    norm = answers.normalized
    raw = sorted((int(norm.starts[s]), int(norm.ends[e - 1])) for s, e in zip(starts, ends) if e > s)
    merged = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.array(merged, dtype=np.int64).T.reshape(2, -1)


def compare(a, b, weight, totals):
    """The Pair of two students: the share of each one's code, weighted by rarity, that the other has too."""
    matched = sum(weight[h] for h in a.fingerprints.keys() & b.fingerprints.keys())
    shares = tuple(matched / totals[x.student] if totals[x.student] else 0.0 for x in (a, b))
    return Pair(a.student, b.student, max(shares), shares, None)


def shared_parts(a, b):
    """(a's, b's) parts of their code that the other has too: every shared k-gram, not only the fingerprints."""
    shared = np.intersect1d(a.kgrams[a.kgrams >= 0], b.kgrams[b.kgrams >= 0])
    return tuple(_raw_slices(x, np.flatnonzero(np.isin(x.kgrams, shared) & (x.kgrams >= 0))) for x in (a, b))


def candidates(class_answers, index):
    """Pairs worth comparing: B holds at least ``MIN_SHARED`` of A's ``PREFIX`` rarest fingerprints (or all of
    them, if A has fewer).  A pair whose code largely matches shares the rarest parts too; a pair that shares only
    what many students write is never listed, so the work grows with the matches, not with the pairs of students."""
    found = set()
    for a in class_answers:
        rarest = sorted(a.fingerprints, key=lambda h: (len(index[h]), h))[:PREFIX]
        hits = Counter(b for h in rarest for b in index[h] if b != a.student)
        need = min(MIN_SHARED, len(rarest))
        found |= {tuple(sorted((a.student, b))) for b, n in hits.items() if n >= need}
    return found


def ranked_pairs(class_answers, threshold):
    """Pairs at or above ``threshold``, best first, found through an inverted index of fingerprints."""
    index = {}
    for answers in class_answers:
        for value in answers.fingerprints:
            index.setdefault(value, []).append(answers.student)
    n = len(class_answers)
    weight = {value: math.log(n / len(holders)) for value, holders in index.items()}
    totals = {a.student: sum(weight[h] for h in a.fingerprints) for a in class_answers}
    by_student = {answers.student: answers for answers in class_answers}
    pairs = [compare(by_student[a], by_student[b], weight, totals) for a, b in candidates(class_answers, index)]
    pairs = sorted((p for p in pairs if p.score >= threshold), key=lambda p: (-p.score, -max(p.shares), p.a, p.b))
    for p in pairs:
        p.slices = shared_parts(by_student[p.a], by_student[p.b])
    _group(pairs)
    return pairs


def _group(pairs):
    """Number the groups of students linked by the pairs (connected components), in order of the ranking."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[root(p.a)] = root(p.b)
    numbers = {}
    for p in pairs:
        p.group = numbers.setdefault(root(p.a), len(numbers) + 1)


def class_answers(course, assignment, spec):
    """Code of every student who wrote some, and one note per student who could not be compared."""
    template = template_hashes(spec)
    found, notes = [], []
    submissions = course.submissions(assignment)
    if not submissions:
        raise InsightError(f"{assignment}: nobody has submitted it in {course.folder('submitted')} "
                           f"(an empty class): nothing to compare")
    for submission in submissions:
        cells, problems = [], []
        files = None if submission.linked else \
            match_notebooks(list(spec.notebooks), submitted_notebooks(submission.path))
        for name, nb_spec in spec.notebooks.items():
            filename = files.found.get(name) if files is not None else None
            nb, problem = read_notebook(str(Path(submission.path) / filename)) if filename else \
                (None, "not submitted")
            if nb is None:
                problems.append(f"{name}.ipynb: {problem}")
                continue
            executed = [(name, label, code) for label, code in executed_cells(nb_spec, nb) if code.strip()]
            if not executed and not _has_answer_cells(nb):
                problems.append(f"{name}.ipynb has no answer cells (deleted, or their nbgrader metadata removed)")
            cells += executed
        if cells:
            found.append(fingerprint(submission.student, cells, template))
        else:
            notes.append(f"{submission.student}: not compared: "
                         + ("; ".join(problems) if problems else "every answer cell is as released"))
    return found, notes


def similarity(root, assignment, threshold=0.8):
    """Compare the class's answers to ``assignment``; writes similarity.html and similarity.csv."""
    course = Course(root)
    spec = load_assignment(course, assignment)
    answers, notes = class_answers(course, assignment, spec)
    pairs = ranked_pairs(answers, threshold)
    folder = course.state_dir(assignment)
    folder.mkdir(parents=True, exist_ok=True)
    result = Similarity(assignment, len(answers), pairs, notes, folder / "similarity.html", folder / "similarity.csv")
    with open(result.csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["rank", "group", "student_a", "student_b", "score", "share_of_a", "share_of_b"])
        for rank, p in enumerate(pairs, start=1):
            out.writerow([rank, p.group, p.a, p.b, f"{p.score:.4f}", f"{p.shares[0]:.4f}", f"{p.shares[1]:.4f}"])
    result.html.write_text(_html(result, {a.student: a for a in answers}, threshold), encoding="utf-8")
    return result


def _side_by_side(pair, answers):
    columns = []
    for student, slices in ((pair.a, pair.slices[0]), (pair.b, pair.slices[1])):
        code = answers[student].code
        marked = highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)[0] \
            if slices.shape[1] else escape(code)
        columns.append(f"<div><h4>{escape(student)}</h4><pre>{marked}</pre></div>")
    return f'<div class="pair">{"".join(columns)}</div>'


def _html(result, answers, threshold):
    parts = [f"<p>{result.students} students' code compared (every cell of theirs that grading runs). A pair is "
             f"listed when at least {percent(threshold)} of one student's own code (not the released template; each "
             "part weighted by how few students wrote it) is in the other's too, after names, comments, whitespace "
             "and the order of functions are set aside. <strong>This is evidence for a person to look at, never a verdict or a "
             "penalty:</strong> short tasks have few ways to be solved.</p>"]
    if result.notes:
        parts.append("<h2>Not compared</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in result.notes) + "</ul>")
    parts.append("<h2>Ranked pairs</h2>")
    if not result.pairs:
        parts.append("<p>No pair reaches the threshold.</p>")
    parts.append(table(["rank", "group", "student", "student", "score (larger share)", "share of first",
                        "share of second"],
                       [[i, p.group, p.a, p.b, f"{p.score:.2f}", percent(p.shares[0]), percent(p.shares[1])]
                        for i, p in enumerate(result.pairs, start=1)], numeric=(0, 1, 4, 5, 6)))
    for i, pair in enumerate(result.pairs[:SHOWN_PAIRS], start=1):
        parts.append(f"<h3>{i}. {escape(pair.a)} and {escape(pair.b)}: {pair.score:.2f}</h3>"
                     + _side_by_side(pair, answers))
    return page(f"Similar answers: {result.assignment}", "\n".join(parts))
