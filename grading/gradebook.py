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

from nbgrader.api import Gradebook, MissingEntry


class GradebookError(Exception):
    """The gradebook cannot be brought in line with the source notebooks."""


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
    """Scores of finished submissions into the gradebook, one transaction per submission."""

    def __init__(self, course, assignment):
        venv_tools_on_path()
        self.assignment = assignment
        self.gb = Gradebook(course.db_url, course.course_id)

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
            self._record(result, timestamp)

    def _record(self, result, timestamp):
        student = result["student"]
        try:
            self.gb.update_or_create_student(student)
            try:
                self.gb.update_or_create_submission(self.assignment, student,
                                                    **({"timestamp": timestamp} if timestamp else {}))
            except Exception:
                self.gb.db.rollback()           # an unreadable timestamp.txt: keep the submission, untimed
                self.gb.update_or_create_submission(self.assignment, student)
            for name, outcome in result["notebooks"].items():
                notebook = self.gb.find_submission_notebook(name, self.assignment, student)
                for grade in notebook.grades:
                    verdict = outcome["verdicts"].get(grade.name)
                    if verdict is None:
                        continue                # a manually graded cell: left to the graders
                    grade.auto_score = float(verdict["score"])
                    grade.needs_manual_grade = grade.manual_score is not None
                for comment in notebook.comments:
                    comment.auto_comment = "No response." if comment.name in outcome["unanswered"] else None
                if result["flags"]:
                    notebook.flagged = True     # never cleared here: a grader may have flagged it by hand
            self.gb.db.commit()
        except Exception:
            self.gb.db.rollback()
            raise
