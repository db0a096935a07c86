"""One assignment's graded results, read from records only: the gradebook's scores, the journal's failure kinds,
and the concept tags of the source notebook's test cells.

A test cell of ``solutions/<assignment>/*.ipynb`` says what it checks in its cell metadata:

    "curriculum": {"chapter": "08_backpropagation", "concepts": ["output delta", "sign of the error"]}

Scores come from nbgrader's gradebook (a manual score, where a grader gave one, wins over the automatic one, as in
nbgrader); the kind of each failure ("shape", "factor", "sign", ...) from the grading run's journal
(``autograded/.grading/<assignment>/journal.jsonl``), which records it with every verdict.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..journal import Journal
from ..errors import InsightError  # noqa: F401 (re-exported)


@dataclass(frozen=True)
class TestItem:
    notebook: str
    grade_id: str
    points: float
    chapter: str | None = None
    concepts: tuple = ()

    @property
    def key(self):
        return (self.notebook, self.grade_id)


@dataclass(frozen=True)
class Outcome:
    score: float
    points: float
    kind: str | None            # None: passed; "unrecorded": failed, but the journal does not say how

    @property
    def passed(self):
        return self.score >= self.points


@dataclass
class AssignmentResults:
    assignment: str
    items: list                                      # TestItem, in the source notebooks' order
    outcomes: dict                                   # student -> {item key: Outcome}
    not_graded: dict = field(default_factory=dict)   # student -> why (a failed grading run)

    @property
    def students(self):
        return sorted(self.outcomes)

    @property
    def max_score(self):
        return sum(item.points for item in self.items)

    def total(self, student):
        return sum(outcome.score for outcome in self.outcomes[student].values())


def test_cells(course, assignment):
    """The test cells of the source notebooks, with their concept tags, in order."""
    items = []
    for path in sorted(Path(course.source_dir(assignment)).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {})
            grader = meta.get("nbgrader", {})
            if cell.get("cell_type") != "code" or not grader.get("grade") or grader.get("solution"):
                continue
            tags = meta.get("curriculum", {})
            items.append(TestItem(path.stem, grader["grade_id"], float(grader.get("points") or 0),
                                  tags.get("chapter"), tuple(tags.get("concepts", ()))))
    return items


def gradebook_scores(course, assignment):
    """student -> {(notebook, grade_id): score} for every graded cell of the assignment in the gradebook."""
    from nbgrader.api import Assignment, Grade, GradeCell, Notebook, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    if course.db_url.startswith("sqlite:///") and not Path(course.db_url.removeprefix("sqlite:///")).exists():
        return {}
    engine = create_engine(course.db_url)
    try:
        with Session(engine) as db:
            rows = (db.query(SubmittedAssignment.student_id, Notebook.name, GradeCell.name, Grade.auto_score,
                             Grade.manual_score)
                    .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
                    .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                    .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                    .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
                    .join(GradeCell, GradeCell.id == Grade.cell_id)
                    .filter(Assignment.name == assignment).all())
    finally:
        engine.dispose()
    scores = {}
    for student, notebook, cell, auto, manual in rows:
        score = manual if manual is not None else auto
        if score is not None:
            scores.setdefault(student, {})[(notebook, cell)] = float(score)
    return scores


def load_results(course, assignment):
    """The AssignmentResults of ``assignment``, or InsightError saying in one line why there are none."""
    journal_path = course.state_dir(assignment) / "journal.jsonl"
    if not journal_path.exists() and not course.submissions(assignment):
        raise InsightError(f"{assignment} has not been graded and {course.folder('submitted')} holds no submission "
                           f"of it (an empty class): nothing to analyze")
    if not journal_path.exists():
        raise InsightError(f"{assignment} has not been graded in {course.root}: no journal {journal_path} "
                           f"(run `python -m grading autograde {assignment}` first)")
    items = test_cells(course, assignment)
    if not items:
        raise InsightError(f"{assignment}: no test cells in {course.source_dir(assignment)}")
    entries = Journal(journal_path).latest()
    scores = gradebook_scores(course, assignment)
    outcomes, not_graded = {}, {}
    for student, entry in sorted(entries.items()):
        if entry.get("status") != "graded":
            not_graded[student] = entry.get("reason") or "not graded"
            continue
        if student not in scores:
            not_graded[student] = "graded in the journal, but not in the gradebook"
            continue
        kinds = entry.get("verdicts") or {}
        outcomes[student] = {item.key: _outcome(item, scores[student], kinds) for item in items}
    if not outcomes:
        raise InsightError(f"{assignment}: no graded submission in {course.root} "
                           f"({len(not_graded)} failed to grade, none graded): nothing to analyze")
    return AssignmentResults(assignment, items, outcomes, not_graded)


def _outcome(item, scores, kinds):
    score = scores.get(item.key, 0.0)
    kind = None
    if score < item.points:
        recorded = kinds.get(item.notebook, {}).get(item.grade_id) or {}
        kind = recorded.get("kind") or "unrecorded"
    return Outcome(score, item.points, kind)


def graded_assignments(course):
    """The assignments of the course that a grading run has a journal for."""
    return [name for name in course.assignments() if (course.state_dir(name) / "journal.jsonl").exists()]
