"""The seven graded problem sets through the real course pipeline.

* exercises/ is exactly what ``nbgrader generate_assignment`` makes of solutions/ today, and contains no solution
  and no hidden test;
* ``python -m grading autograde`` (sandboxed, two workers, on a temporary copy of the course) gives the solution
  full marks, the untouched exercise 0, and every realistic wrong answer of ``wrong_answers.py`` exactly the partial
  credit intended for it, with feedback that says in words what failed and never quotes a hidden test.

Each assignment is graded once, with all its students in one run (``grader`` caches the results).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.conftest import require
from tests.course.wrong_answers import WRONG_ANSWERS

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ["ps01_neuron", "ps02_forward", "ps03_losses", "ps04_gradient_descent", "ps05_backprop",
               "ps06_optimizers", "ps07_regularization"]
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
VOLATILE_CELL_KEYS = ("id", "execution_count", "outputs")
WRONG_CASES = [(a, w) for a in ASSIGNMENTS for w in WRONG_ANSWERS[a]]


def _env():
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")   # nbgrader calls alembic
    return env


def _source_path(assignment):
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def _exercise_path(assignment):
    return ROOT / "exercises" / assignment / f"{assignment}.ipynb"


def _nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _test_points(nb):
    return {_nbgrader_meta(c)["grade_id"]: _nbgrader_meta(c)["points"] for c in nb.cells
            if _nbgrader_meta(c).get("grade") and c.cell_type == "code"}


def _split_markers(source, begin, end):
    """(stripped lines inside begin/end marker pairs, stripped lines outside them); marker lines in neither."""
    inside, outside, within = [], [], False
    for line in source.split("\n"):
        if begin in line:
            within = True
        elif end in line:
            within = False
        else:
            (inside if within else outside).append(line.strip())
    return inside, outside


def _secret_lines(source_nb):
    """Lines of solution regions and hidden tests that appear nowhere outside them (at least 10 characters)."""
    secret, public = set(), set()
    for cell in source_nb.cells:
        solution, rest = _split_markers(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
        hidden, rest = _split_markers("\n".join(rest), "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        secret |= set(solution) | set(hidden)
        public |= set(rest)
    return {line for line in secret - public if len(line) >= 10 and not line.startswith("#")}


def _hidden_lines(source_nb):
    lines = set()
    for cell in source_nb.cells:
        lines |= set(_split_markers(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")[0])
    return {line for line in lines if len(line) >= 10 and not line.startswith("#")}


def _normalized(nb):
    cells = []
    for cell in nb.cells:
        cells.append({key: value for key, value in cell.items() if key not in VOLATILE_CELL_KEYS})
    return {"metadata": nb.metadata, "cells": cells}


# -- exercises/ is a fresh, clean generation of solutions/ ------------------------------------------------------

# Generates every assignment in one process with nbgrader's own GenerateAssignment converter and the course's
# nbgrader_config.py, into a temporary release folder and a temporary gradebook (creating a gradebook costs
# seconds, so all assignments share one).
GENERATE = """
import sys
from traitlets.config.loader import PyFileConfigLoader
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
root, release, db = sys.argv[1:4]
config = PyFileConfigLoader("nbgrader_config.py", path=root).load_config()
config.CourseDirectory.root = root
config.CourseDirectory.release_directory = release
config.CourseDirectory.db_url = "sqlite:///" + db
for assignment in sys.argv[4:]:
    config.CourseDirectory.assignment_id = assignment
    converter = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
    converter.force = True
    converter.start()
"""


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    """(release folder, gradebook) of every assignment generated anew from solutions/."""
    out = tmp_path_factory.mktemp("release")
    release, db = out / "exercises", out / "gradebook.db"
    result = subprocess.run([sys.executable, "-c", GENERATE, str(ROOT), str(release), str(db), *ASSIGNMENTS],
                            cwd=out, env=_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"nbgrader's GenerateAssignment failed:\n{result.stderr[-3000:]}"
    return release, db


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercise_equals_a_fresh_generation(assignment, fresh_release):
    committed = nbformat.read(_exercise_path(assignment), as_version=4)
    fresh = nbformat.read(fresh_release[0] / assignment / f"{assignment}.ipynb", as_version=4)
    assert len(committed.cells) == len(fresh.cells), \
        f"exercises/{assignment} is out of date: regenerate it with nbgrader generate_assignment --force {assignment}"
    for i, (a, b) in enumerate(zip(_normalized(committed)["cells"], _normalized(fresh)["cells"])):
        assert a == b, f"exercises/{assignment} cell {i} ({_nbgrader_meta(a).get('grade_id')}) differs from a fresh " \
                       f"generation: regenerate it with nbgrader generate_assignment --force {assignment}"
    assert _normalized(committed)["metadata"] == _normalized(fresh)["metadata"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercise_contains_no_solution_and_no_hidden_test(assignment):
    source = nbformat.read(_source_path(assignment), as_version=4)
    exercise = nbformat.read(_exercise_path(assignment), as_version=4)
    text = _exercise_path(assignment).read_text(encoding="utf-8")
    for marker in MARKERS:
        assert marker not in text, f"exercises/{assignment} contains {marker!r}"
    assert "import nnlib" not in text, f"exercises/{assignment} imports nnlib (only hidden tests may)"
    secrets = _secret_lines(source)
    assert secrets, "the source should have solution code and hidden tests"
    for i, cell in enumerate(exercise.cells):
        leaked = secrets & {line.strip() for line in cell.source.split("\n")}
        assert not leaked, f"exercises/{assignment} cell {i} contains solution or hidden-test lines: {sorted(leaked)[:3]}"
        assert not cell.get("outputs"), f"exercises/{assignment} cell {i} has outputs"
        if _nbgrader_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_follows_the_contract(assignment):
    """The setup cell, unique grade ids, test cells with points and hidden tests, the total in the introduction."""
    nb = nbformat.read(_source_path(assignment), as_version=4)
    ids = [_nbgrader_meta(c)["grade_id"] for c in nb.cells if _nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    setup = [c for c in nb.cells if _nbgrader_meta(c).get("grade_id") == "setup"]
    assert len(setup) == 1 and _nbgrader_meta(setup[0])["locked"] and not _nbgrader_meta(setup[0])["solution"]
    assert setup[0].source.split("\n") == [
        "import numpy as np", "from grading.asserts import assert_close, assert_shape, assert_equal, assert_true"]
    points = _test_points(nb)
    assert len(points) >= 8 and all(p > 0 for p in points.values())
    total = sum(points.values())
    assert f"**Points:** {total:g} in total" in nb.cells[0].source, "the introduction must state the total"
    hidden = [g for g in points if "### BEGIN HIDDEN TESTS" in next(
        c.source for c in nb.cells if _nbgrader_meta(c).get("grade_id") == g)]
    assert len(hidden) >= len(points) // 2, "most test cells should have hidden tests"
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        if meta.get("grade") and cell.cell_type == "code":
            assert meta["locked"] and not meta["solution"]
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "nnlib" not in visible, f"{meta['grade_id']}: nnlib may only be used in hidden tests"
        if meta.get("solution"):
            assert not meta["grade"] and "### BEGIN SOLUTION" in cell.source
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for name in (n for w in WRONG_ANSWERS[assignment] for n in w.fails):
        assert name in points, f"wrong_answers.py names an unknown test cell {name}"


# -- grading with the real engine ---------------------------------------------------------------------------------

@dataclass
class Graded:
    assignment: str
    points: dict            # test grade_id -> points
    scores: dict            # student -> {grade_id: auto_score}
    feedback: dict          # student -> {grade_id: the test cell's output text in the autograded notebook}
    hidden_lines: set
    log: str

    @property
    def total(self):
        return sum(self.points.values())


def _strip_markers(source):
    return "\n".join(line for line in source.split("\n")
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def _submission(exercise, source, wrong=None):
    """The exercise with every answer cell filled in from the solution (one cell changed by ``wrong``)."""
    nb = nbformat.from_dict(json.loads(json.dumps(exercise)))
    answers = {_nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if _nbgrader_meta(c).get("solution")}
    for cell in nb.cells:
        grade_id = _nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            code = answers[grade_id]
            if wrong is not None and wrong.cell == grade_id:
                code = wrong.apply(code)
            cell.source = _strip_markers(code)
    if wrong is not None:
        assert wrong.cell in answers, f"{wrong.student}: no answer cell {wrong.cell}"
    return nb


def _output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        parts += [output.get("text", ""), output.get("evalue", ""), "\n".join(output.get("traceback", []))]
    return "\n".join(parts)


def _grade(assignment, course, gradebook):
    """Copy the course, submit the solution, the untouched exercise and every wrong answer, autograde once.

    ``gradebook`` already records the assignment (as after ``nbgrader generate_assignment``), which spares the
    grader from creating one; it checks that the recorded test cells match the source and re-records them if not.
    """
    (course / "solutions").mkdir()
    (course / "exercises").mkdir()
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    shutil.copytree(ROOT / "exercises" / assignment, course / "exercises" / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copy(gradebook, course / "gradebook.db")
    source = nbformat.read(_source_path(assignment), as_version=4)
    exercise = nbformat.read(_exercise_path(assignment), as_version=4)
    submissions = {"solution": _submission(exercise, source), "untouched": exercise}
    for wrong in WRONG_ANSWERS[assignment]:
        submissions[wrong.student] = _submission(exercise, source, wrong)
    for student, nb in submissions.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
    result = subprocess.run([sys.executable, "-m", "grading", "autograde", assignment, "--workers", "2",
                             "--no-progress"], cwd=course, env=_env(), capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"python -m grading autograde {assignment} failed:\n{log[-4000:]}"

    from nbgrader.api import Gradebook
    scores, feedback = {}, {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in submissions:
            notebook = gb.find_submission_notebook(assignment, assignment, student)
            scores[student] = {grade.name: grade.auto_score for grade in notebook.grades}
    for student in submissions:
        autograded = nbformat.read(course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)
        feedback[student] = {_nbgrader_meta(c)["grade_id"]: _output_text(c) for c in autograded.cells
                             if _nbgrader_meta(c).get("grade") and c.cell_type == "code"}
    return Graded(assignment, _test_points(source), scores, feedback, _hidden_lines(source), log)


@pytest.fixture(scope="session")
def grader(tmp_path_factory, fresh_release):
    """``grader(assignment)`` -> Graded, computed once per assignment per session."""
    cache = {}

    def get(assignment):
        require("bwrap", "sandboxed grading")
        if assignment not in cache:
            cache[assignment] = _grade(assignment, tmp_path_factory.mktemp(f"course-{assignment}"), fresh_release[1])
        return cache[assignment]
    return get


@pytest.mark.sandbox
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_gets_full_marks(assignment, grader):
    graded = grader(assignment)
    failed = {g: graded.feedback["solution"][g] for g, s in graded.scores["solution"].items() if s != graded.points[g]}
    assert not failed, f"the solution of {assignment} lost points: {failed}"
    assert sum(graded.scores["solution"].values()) == graded.total


@pytest.mark.sandbox
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_exercise_gets_zero(assignment, grader):
    graded = grader(assignment)
    passed = [g for g, s in graded.scores["untouched"].items() if s]
    assert not passed, f"the untouched exercise of {assignment} earned points in {passed}"
    assert set(graded.scores["untouched"]) == set(graded.points)
    for grade_id, text in graded.feedback["untouched"].items():
        assert "not implemented" in text or "not defined" in text, f"{grade_id}: unexpected feedback {text!r}"


@pytest.mark.sandbox
@pytest.mark.parametrize("assignment,wrong", WRONG_CASES, ids=[f"{a}-{w.student}" for a, w in WRONG_CASES])
def test_wrong_answer_gets_the_intended_partial_credit(assignment, wrong, grader):
    graded = grader(assignment)
    scores = graded.scores[wrong.student]
    failed = {g for g, s in scores.items() if s != graded.points[g]}
    assert failed == set(wrong.fails), (
        f"{wrong.student} ({wrong.mistake}) failed {sorted(failed)}, intended {sorted(wrong.fails)}; "
        f"feedback: { {g: graded.feedback[wrong.student][g] for g in failed ^ set(wrong.fails)} }")
    assert all(scores[g] == 0 for g in failed)
    intended = graded.total - sum(graded.points[g] for g in wrong.fails)
    assert sum(scores.values()) == intended
    assert 0 < intended < graded.total

    texts = graded.feedback[wrong.student]
    said = "\n".join(texts[g] for g in wrong.fails)
    for g in wrong.fails:
        assert "failed" in texts[g] and len(texts[g]) > 40, f"{g}: the feedback does not say what failed: {texts[g]!r}"
    for word in wrong.feedback:
        assert word in said, f"the feedback for {wrong.student} should mention {word!r}; it says:\n{said}"
    for g, text in texts.items():
        quoted = [line for line in graded.hidden_lines if line in text]
        assert not quoted, f"the feedback of {g} quotes hidden tests: {quoted[:2]}"
        assert "nnlib" not in text and "HIDDEN TESTS" not in text and "Traceback" not in text
