"""``python -m grading export ASSIGNMENT --format canvas|csv``: the gradebook's scores, as a file an LMS imports.

Scores come from nbgrader's gradebook (a grader's manual scores included, each cell's score being its manual score
if one was given, else its automatic one), minus the late-submission penalty of nbgrader_config.py (grading/late.py),
exactly as ``nbgrader export`` computes its ``score`` column.  Every student of the gradebook gets a row; one who
did not submit gets 0, as in ``nbgrader export``.

``--format canvas`` writes what Canvas's Gradebook > Import accepts (the layout of Canvas's own gradebook export):

    Student,ID,SIS User ID,SIS Login ID,Section,<column>
    Points Possible,,,,,<max score>
    "Doe, Jane",12345,,,,17.5

Canvas finds each student by ``ID`` (its numeric user id: the student id that ``nbgrader zip_collect`` gives
Canvas downloads) or else by ``SIS Login ID`` (where a non-numeric student id, e.g. a JupyterHub login, goes).  The
score column is titled ``--column`` (default: the assignment's name; write Canvas's ``Name (id)`` to update an
existing Canvas assignment; a new title makes a new one).  ``--questions`` adds one column per test cell (``<column>:
<cell>``; each becomes its own Canvas assignment).  ``--format csv`` writes one row per student with the raw score,
the late penalty, the score, the LMS's late mark, the timestamp and every test cell's score.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .gradebook import venv_tools_on_path
from .errors import ExportError  # noqa: F401 (re-exported)
from .late import apply_late_penalties
from .lms import late_marks

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass
class StudentScore:
    student: str
    name: str
    email: str
    submitted: bool
    timestamp: str = ""
    raw: float = 0.0
    penalty: float = 0.0
    max_score: float = 0.0
    questions: dict = field(default_factory=dict)    # "notebook/cell" -> score

    @property
    def score(self):
        return max(0.0, self.raw - self.penalty)


def gradebook_scores(course, assignment):
    """(questions, [StudentScore]) of ``assignment``: questions are (column name, points) of every test cell."""
    venv_tools_on_path()
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            stored = gb.find_assignment(assignment)
        except MissingEntry:
            raise ExportError(f"the gradebook {course.db_url} has no assignment {assignment!r}: grade it first "
                              f"(python -m grading autograde {assignment})") from None
        questions = [(f"{nb.name}/{cell.name}", cell.max_score) for nb in stored.notebooks for cell in nb.grade_cells]
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            name = ", ".join(p for p in (student.last_name, student.first_name) if p) or student.id
            row = StudentScore(student.id, name, student.email or "", False, max_score=stored.max_score)
            try:
                submission = gb.find_submission(assignment, student.id)
            except MissingEntry:
                rows.append(row)
                continue
            row.submitted = True
            row.timestamp = submission.timestamp.isoformat(" ") if submission.timestamp else ""
            row.raw, row.penalty = float(submission.score), float(submission.late_submission_penalty or 0.0)
            row.questions = {f"{nb.name}/{grade.name}": float(grade.score)
                             for nb in submission.notebooks for grade in nb.grades}
            rows.append(row)
    return questions, rows


def _number(value):
    return f"{value:g}"


def canvas_rows(assignment, questions, rows, column=None, per_question=False):
    column = column or assignment
    extra = [(f"{column}: {name.split('/', 1)[1]}", name, points) for name, points in questions] if per_question else []
    table = [CANVAS_COLUMNS + [column] + [title for title, _, _ in extra],
             ["Points Possible", "", "", "", "", _number(rows[0].max_score if rows else 0)]
             + [_number(points) for _, _, points in extra]]
    for row in rows:
        numeric = re.fullmatch(r"\d+", row.student) is not None
        table.append([row.name, row.student if numeric else "", "", "" if numeric else row.student, "",
                      _number(row.score)] + [_number(row.questions.get(name, 0.0)) for _, name, _ in extra])
    return table


def csv_rows(assignment, questions, rows, late):
    header = ["assignment", "student_id", "name", "email", "submitted", "timestamp", "late_in_lms", "raw_score",
              "late_submission_penalty", "score", "max_score"] + [name for name, _ in questions]
    table = [header]
    for row in rows:
        table.append([assignment, row.student, row.name, row.email, "yes" if row.submitted else "no", row.timestamp,
                      "late" if row.student in late else "", _number(row.raw), _number(row.penalty),
                      _number(row.score), _number(row.max_score)]
                     + [_number(row.questions.get(name, 0.0)) for name, _ in questions])
    return table


def export(course, assignment, fmt="canvas", output=None, column=None, per_question=False):
    """Write the file; returns (path, number of students)."""
    apply_late_penalties(course, assignment)
    questions, rows = gradebook_scores(course, assignment)
    if fmt == "canvas":
        table = canvas_rows(assignment, questions, rows, column, per_question)
    else:
        table = csv_rows(assignment, questions, rows, late_marks(course.root, assignment))
    path = Path(output) if output else course.root / "exports" / f"{assignment}-{fmt}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    return path, len(rows)
