"""nbgrader's gradebook (gradebook.db), written only by the parent process of a grading run.

The assignment's notebooks and cells are created exactly as ``nbgrader generate_assignment`` creates them (it is
run with a temporary release folder, so exercises/ is not touched) whenever the gradebook does not match the
source yet.  Scores go in as nbgrader's own autograder stores them: ``auto_score`` of each test cell's grade, and
"No response." for answer cells left as released, so that ``nbgrader generate_feedback``, ``nbgrader export``
and the formgrader work on the result.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import warnings

from nbgrader.api import (Comment, Grade, Gradebook, MissingEntry, Student, SubmittedAssignment,
                         SubmittedNotebook, new_uuid)
from nbgrader.utils import parse_utc
from sqlalchemy import insert

from .errors import GradebookError  # noqa: F401 (re-exported)


def venv_tools_on_path():
    """nbgrader's Gradebook runs `alembic` from PATH: put this interpreter's bin folder (the venv's) first."""
    folder = os.path.dirname(sys.executable)
    if folder not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")


def assignment_matches(course, assignment, spec):
    """Does the gradebook have this assignment with the same notebooks and test cells (and points)?"""
    venv_tools_on_path()
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            stored = {nb.name: nb for nb in gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            return False
        if set(stored) != set(spec.notebooks):
            return False
        for name, nb_spec in spec.notebooks.items():
            cells = {cell.name: cell.max_score for cell in stored[name].grade_cells}
            if any(cells.get(test.grade_id) != test.points for test in nb_spec.tests):
                return False
    return True


def ensure_assignment(course, assignment, spec):
    """Create or update the assignment in the gradebook from the source; True if it had to be (re)created."""
    if assignment_matches(course, assignment, spec):
        return False
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="grading-release-") as release:
        command = [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force",
                   f"--CourseDirectory.release_directory={release}", f"--CourseDirectory.root={course.root}"]
        result = subprocess.run(command, cwd=course.root, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not assignment_matches(course, assignment, spec):
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
        raise GradebookError(f"nbgrader generate_assignment {assignment} could not record the assignment in "
                             f"the gradebook {course.db_url}:\n{tail}")
    return True


class GradebookWriter:
    """Scores of finished submissions into the gradebook, one transaction per submission.

    A first submission gets the rows nbgrader's ``add_submission`` creates (submitted assignment, notebooks, a
    Grade per graded cell, a Comment per answer cell), scores included: one multi-row INSERT per table into
    nbgrader's own tables, in one transaction, from the assignment's cell ids read once per run.  nbgrader's
    API commits three times per submission and reloads the assignment's cells after each commit: about 30 ms
    of the parent's CPU per submission, CPU the workers need.  A submission already in the gradebook (a
    regrade) is updated through nbgrader's API, which keeps any manual scores and comments.
    ``tests/course/test_gradebook.py`` checks that both ways leave the same rows.
    """

    def __init__(self, course, assignment):
        venv_tools_on_path()
        self.assignment = assignment
        self.gb = Gradebook(course.db_url, course.course_id)
        self._cells = None          # notebook name -> (notebook id, [(cell id, name, kind)]), read once
        self._students = None       # student ids already in the gradebook

    def close(self):
        self.gb.close()

    def has_grades(self, student, spec):
        """True if every test cell of this student's submission has an automatic score."""
        try:
            for name, nb_spec in spec.notebooks.items():
                notebook = self.gb.find_submission_notebook(name, self.assignment, student)
                scores = {grade.name: grade.auto_score for grade in notebook.grades}
                if any(scores.get(test.grade_id) is None for test in nb_spec.tests):
                    return False
        except MissingEntry:
            return False
        return True

    def record(self, result, timestamp=None):
        with warnings.catch_warnings():         # nbgrader's add_submission makes SQLAlchemy warn; it is harmless
            warnings.simplefilter("ignore")
            try:
                if self._is_new(result.student):
                    self._create(result, timestamp)
                else:
                    self._update(result, timestamp)
            except Exception:
                self.gb.db.rollback()
                raise

    # ---- a first submission: the rows add_submission creates, with the scores, in one transaction ----------
    def _structure(self):
        if self._cells is None:
            db, assignment = self.gb.db, self.gb.find_assignment(self.assignment)
            self._assignment_id = assignment.id
            self._cells = {}
            for notebook in assignment.notebooks:
                cells = [(c.id, c.name, "grade") for c in notebook.grade_cells]
                cells += [(c.id, c.name, "solution") for c in notebook.solution_cells]
                cells += [(c.id, c.name, "task") for c in notebook.task_cells]
                self._cells[notebook.name] = (notebook.id, cells)
            self._students = {row[0] for row in db.query(Student.id)}
        return self._cells

    def _is_new(self, student):
        self._structure()
        return self.gb.db.query(SubmittedAssignment.id).filter_by(
            assignment_id=self._assignment_id, student_id=student).first() is None

    def _create(self, result, timestamp):
        db, student = self.gb.db, result.student
        if student not in self._students:
            db.execute(insert(Student), [{"id": student}])
        submission_id = new_uuid()
        rows = {SubmittedNotebook: [], Grade: [], Comment: []}
        for name, (notebook_id, cells) in self._structure().items():
            outcome = result.notebooks.get(name, {"verdicts": {}, "unanswered": ()})
            notebook = {"id": new_uuid(), "notebook_id": notebook_id, "assignment_id": submission_id,
                        "flagged": bool(result.flags) and name in result.notebooks}
            rows[SubmittedNotebook].append(notebook)
            for cell_id, cell_name, kind in cells:
                if kind in ("solution", "task"):
                    rows[Comment].append({"id": new_uuid(), "cell_id": cell_id, "notebook_id": notebook["id"],
                                          "auto_comment": "No response." if cell_name in outcome["unanswered"]
                                          else None})
                if kind in ("grade", "task"):
                    verdict = outcome["verdicts"].get(cell_name)   # None: a manually graded cell, for the graders
                    rows[Grade].append({"id": new_uuid(), "cell_id": cell_id, "notebook_id": notebook["id"],
                                        "auto_score": None if verdict is None else float(verdict["score"]),
                                        "needs_manual_grade": verdict is None})
        db.execute(insert(SubmittedAssignment), [{"id": submission_id, "assignment_id": self._assignment_id,
                                                  "student_id": student, "timestamp": _timestamp(timestamp)}])
        for table, values in rows.items():  # one multi-row INSERT per table, without the ORM's bookkeeping
            if values:
                db.execute(insert(table), values)
        db.commit()
        self._students.add(student)

    # ---- a regrade: through nbgrader's API, keeping what graders entered by hand ---------------------------
    def _update(self, result, timestamp):
        student = result.student
        try:
            self.gb.update_or_create_submission(self.assignment, student,
                                                **({"timestamp": timestamp} if timestamp else {}))
        except Exception:
            self.gb.db.rollback()               # an unreadable timestamp.txt: keep the submission, untimed
            self.gb.update_or_create_submission(self.assignment, student)
        for name, outcome in result.notebooks.items():
            notebook = self.gb.find_submission_notebook(name, self.assignment, student)
            for grade in notebook.grades:
                verdict = outcome["verdicts"].get(grade.name)
                if verdict is None:
                    continue                    # a manually graded cell: left to the graders
                grade.auto_score = float(verdict["score"])
                grade.needs_manual_grade = grade.manual_score is not None
            for comment in notebook.comments:
                comment.auto_comment = "No response." if comment.name in outcome["unanswered"] else None
            if result.flags:
                notebook.flagged = True         # never cleared here: a grader may have flagged it by hand
        self.gb.db.commit()


def _timestamp(text):
    """A submission's timestamp.txt as nbgrader parses it, or None if it cannot be read."""
    try:
        return parse_utc(text) if text else None
    except (ValueError, OverflowError, TypeError):
        return None
