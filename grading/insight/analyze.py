"""``python -m grading analyze ASSIGNMENT``: what the class did not understand.

For every test cell: how many passed, how the points were distributed, and the most common kinds of failure (a
wrong shape, a transposed matrix, a constant factor off, a sign error, ... as the assertions recognised them while
grading).  For every concept the test cells are tagged with (see ``records.py``): the class's share of the points
in this assignment and in every other graded one (a concept × assignment heat map), and the students below
``help_below`` of a concept's points over all graded assignments: the ones to offer help.

Writes ``analysis.html`` (plots embedded), ``analysis.csv`` (one row per test cell) and ``concepts.csv`` (one row
per concept and assignment) next to the grading report, in ``autograded/.grading/<assignment>/``.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..course import Course
from . import plots
from .page import Raw, escape, page, percent, table
from .records import InsightError, graded_assignments, load_results

# The failure kinds the verdicts record (grading/marking/feedback.py: failure_kind), in the instructor's words.
KIND_WORDS = {
    "values": "wrong values", "shape": "wrong shape", "transposed": "a transposed matrix",
    "factor": "a constant factor off", "sign": "a sign error", "nan": "NaN or infinity", "type": "wrong type",
    "condition": "a stated condition failed", "assertion": "an assertion failed",
    "not-implemented": "not implemented", "undefined": "a name not defined", "raised": "the function raised",
    "timeout": "did not return in time", "crashed": "the kernel crashed", "not-run": "not run",
    "too-large": "returned far too much", "error": "an error in the check", "test-broken": "the test is broken",
    "unrecorded": "not recorded (graded before kinds were recorded)",
}


@dataclass
class ItemStats:
    item: object                # records.TestItem
    students: int
    passed: int
    scores: Counter             # score -> number of students
    kinds: Counter              # failure kind -> number of students

    @property
    def pass_rate(self):
        return self.passed / self.students if self.students else None

    @property
    def mean_score(self):
        return sum(s * n for s, n in self.scores.items()) / self.students if self.students else None


def item_stats(results):
    stats = []
    for item in results.items:
        outcomes = [results.outcomes[s][item.key] for s in results.students]
        stats.append(ItemStats(item, len(outcomes), sum(o.passed for o in outcomes),
                               Counter(o.score for o in outcomes), Counter(o.kind for o in outcomes if o.kind)))
    return stats


def concept_points(results):
    """concept -> student -> [points earned, points possible] over the assignment's test cells with that tag."""
    points = {}
    for item in results.items:
        for concept in item.concepts:
            per_student = points.setdefault(concept, {})
            for student in results.students:
                earned = per_student.setdefault(student, [0.0, 0.0])
                earned[0] += results.outcomes[student][item.key].score
                earned[1] += item.points
    return points


def class_share(per_student):
    earned = sum(e for e, _ in per_student.values())
    possible = sum(p for _, p in per_student.values())
    return earned / possible if possible else None


@dataclass
class Analysis:
    results: object
    stats: list
    concepts: dict              # concept -> assignment -> student -> [earned, possible]
    needing_help: dict          # concept -> [(student, share)] below help_below, weakest first
    html: Path
    csv: Path
    concepts_csv: Path

    def summary(self):
        r = self.results
        failed = f", {len(r.not_graded)} not graded" if r.not_graded else ""
        return (f"{r.assignment}: {len(r.students)} graded submissions{failed}, {len(r.items)} test cells, "
                f"{len(self.concepts)} concepts\nreport: {self.html}\nCSV: {self.csv}, {self.concepts_csv}")


def analyze(root, assignment, help_below=0.5, log=lambda message: None):
    """Analyze ``assignment`` of the course in ``root``; returns an Analysis (InsightError: nothing to analyze)."""
    course = Course(root)
    results = load_results(course, assignment)
    concepts = {}
    for name in graded_assignments(course):
        try:
            other = results if name == assignment else load_results(course, name)
        except InsightError as error:
            log(f"concept view: {error}")
            continue
        for concept, per_student in concept_points(other).items():
            concepts.setdefault(concept, {})[name] = per_student
    needing_help = {concept: _weakest(by_assignment, help_below) for concept, by_assignment in concepts.items()}
    folder = course.state_dir(assignment)
    analysis = Analysis(results, item_stats(results), concepts, needing_help, folder / "analysis.html",
                        folder / "analysis.csv", folder / "concepts.csv")
    _write_csv(analysis)
    analysis.html.write_text(_html(analysis, help_below), encoding="utf-8")
    return analysis


def _weakest(by_assignment, help_below):
    totals = {}
    for per_student in by_assignment.values():
        for student, (earned, possible) in per_student.items():
            total = totals.setdefault(student, [0.0, 0.0])
            total[0] += earned
            total[1] += possible
    shares = {s: e / p for s, (e, p) in totals.items() if p}
    return sorted(((s, share) for s, share in shares.items() if share < help_below), key=lambda x: (x[1], x[0]))


def _counts(counter, words=None):
    """"label: count, ..." with the most frequent first; scores as numbers, kinds in words."""
    label = (lambda k: words.get(k, k)) if words else _number
    return ", ".join(f"{label(k)}: {n}" for k, n in sorted(counter.items(), key=lambda kn: (-kn[1], str(kn[0]))))


def _number(x):
    return f"{x:g}"


def _write_csv(analysis):
    with open(analysis.csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["assignment", "notebook", "test", "points", "chapter", "concepts", "students", "passed",
                      "pass_rate", "mean_score", "points_distribution", "failure_kinds"])
        for s in analysis.stats:
            out.writerow([analysis.results.assignment, s.item.notebook, s.item.grade_id, _number(s.item.points),
                          s.item.chapter or "", "; ".join(s.item.concepts), s.students, s.passed,
                          f"{s.pass_rate:.4f}", f"{s.mean_score:.4f}",
                          " ".join(f"{_number(k)}:{n}" for k, n in sorted(s.scores.items())),
                          " ".join(f"{k}:{n}" for k, n in s.kinds.most_common())])
    with open(analysis.concepts_csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["concept", "assignment", "students", "class_share", "students_needing_help"])
        for concept, by_assignment in sorted(analysis.concepts.items()):
            helped = " ".join(f"{s}:{share:.2f}" for s, share in analysis.needing_help[concept])
            for name, per_student in sorted(by_assignment.items()):
                out.writerow([concept, name, len(per_student), f"{class_share(per_student):.4f}", helped])


def _html(analysis, help_below):
    r, stats = analysis.results, analysis.stats
    totals = [r.total(s) for s in r.students]
    parts = [f"<p>{len(r.students)} graded submissions of {escape(r.assignment)} ({_number(r.max_score)} points"
             f" in {len(r.items)} test cells); mean score {sum(totals) / len(totals):.1f}."
             + (f" {len(r.not_graded)} submissions failed to grade and are left out." if r.not_graded else "")
             + "</p>",
             "<h2>Test cells</h2>", plots.pass_rates(stats),
             table(["notebook", "test", "points", "chapter", "concepts", "passed", "points: students",
                    "most common failures"],
                   [[s.item.notebook, s.item.grade_id, _number(s.item.points), s.item.chapter or "",
                     ", ".join(s.item.concepts), f"{s.passed}/{s.students} ({percent(s.pass_rate)})",
                     _counts(s.scores), _counts(s.kinds, KIND_WORDS)] for s in stats], numeric=(2,)),
             "<h2>Scores</h2>", plots.score_histogram(totals, r.max_score)]
    parts += ["<h2>Concepts across assignments</h2>",
              '<p class="note">Share of the points of the test cells tagged with each concept, by assignment '
              "(all graded assignments of the course).</p>"]
    if analysis.concepts:
        parts.append(plots.concept_heat_map(analysis.concepts, class_share))
        parts.append(f"<h2>Students who may need help (below {percent(help_below)} of a concept's points)</h2>")
        rows = [[concept, Raw(", ".join(f"{escape(s)} ({percent(share)})" for s, share in weakest) or "nobody")]
                for concept, weakest in sorted(analysis.needing_help.items())]
        parts.append(table(["concept", "students (their share of its points, all graded assignments)"], rows))
    else:
        parts.append('<p class="note">No test cell is tagged with concepts (cell metadata "curriculum").</p>')
    return page(f"Item analysis: {r.assignment}", "\n".join(parts))
