"""Fixtures of the grading tests: a course folder with the small demo assignment, in a temporary directory.

The template course (nbgrader_config.py, solutions/demo, exercises/demo and a gradebook that knows the
assignment) is built once per session with `nbgrader generate_assignment`; each test copies it.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from grading.limits import Limits
from tests.conftest import ROOT
from tests.course.fixtures.demo import SOURCE, submission, write_submission

# The demo assignment's source notebook and the attack submissions are data, not tests (nbval would run them).
collect_ignore = ["fixtures", "attacks"]

# Short limits keep the attacks on time and memory quick to grade.
TEST_LIMITS = Limits(notebook_seconds=60, cell_seconds=4, call_seconds=4, cpu_seconds=20, memory_mb=1024,
                     processes=32, max_restarts=3, scratch_mb=64)


def venv_env():
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


class DemoCourse:
    """A course folder with the demo assignment: submit notebooks, grade them, read the results."""

    assignment = "demo"

    def __init__(self, root):
        self.root = Path(root)
        self.release = json.loads((self.root / "exercises" / "demo" / "demo.ipynb").read_text())
        self.db = self.root / "gradebook.db"

    def submit(self, student, answers=None, mutate=None, text=None):
        nb = None if text is not None else submission(self.release, answers, mutate)
        return write_submission(self.root, student, nb, text)

    def grade(self, **kwargs):
        from grading.autograde import autograde
        kwargs.setdefault("workers", 2)
        kwargs.setdefault("limits", TEST_LIMITS)
        return autograde(self.root, self.assignment, progress=False, log=lambda message: None, **kwargs)

    def cli(self, *args, timeout=600):
        return subprocess.run([sys.executable, "-m", "grading", *args], cwd=self.root, env=venv_env(),
                              capture_output=True, text=True, timeout=timeout)

    def scores(self, student):
        """grade_id -> auto_score of the student's test cells (None where no score was stored)."""
        with sqlite3.connect(self.db) as db:
            rows = db.execute(
                "SELECT base_cell.name, grade.auto_score FROM grade "
                "JOIN base_cell ON grade.cell_id = base_cell.id "
                "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                "WHERE submitted_assignment.student_id = ?", (student,)).fetchall()
        return dict(rows)

    def total(self, student):
        return sum(score or 0 for score in self.scores(student).values())

    def grade_rows(self):
        """(student, cell) of every grade row in the gradebook (duplicates would show up twice)."""
        with sqlite3.connect(self.db) as db:
            return db.execute(
                "SELECT submitted_assignment.student_id, base_cell.name, grade.auto_score FROM grade "
                "JOIN base_cell ON grade.cell_id = base_cell.id "
                "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id"
            ).fetchall()

    def flagged(self, student):
        with sqlite3.connect(self.db) as db:
            rows = db.execute(
                "SELECT submitted_notebook.flagged FROM submitted_notebook JOIN submitted_assignment ON "
                "submitted_notebook.assignment_id = submitted_assignment.id WHERE student_id = ?",
                (student,)).fetchall()
        return any(flag for (flag,) in rows)

    def report(self):
        return json.loads((self.root / "autograded" / ".grading" / "demo" / "report.json").read_text())

    def entry(self, student):
        return self.report()["submissions"][student]

    def autograded(self, student):
        path = self.root / "autograded" / student / "demo" / "demo.ipynb"
        return path.read_text() if path.exists() else ""

    def outputs(self, student):
        """All outputs of the student's autograded notebook, as one text."""
        text = self.autograded(student)
        if not text:
            return ""
        nb = json.loads(text)
        parts = []
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                parts.append(str(output.get("text", "")) + str(output.get("evalue", "")))
        return "\n".join(parts)

    def messages(self, student):
        """grade_id -> the verdict text shown under each test cell."""
        nb = json.loads(self.autograded(student))
        found = {}
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in (cell_id for cell_id in self.scores(student)) and cell.get("outputs"):
                output = cell["outputs"][0]
                found[grade_id] = output.get("text") or output.get("evalue")
        return found


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-template")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(SOURCE.parent, root / "solutions" / "demo")
    result = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "demo", "--force"],
                            cwd=root, env=venv_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def demo_course(demo_template, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(demo_template, root)
    return DemoCourse(root)
