"""nbgrader's Validate gives the grader's verdict on the visible tests: nnlib cannot be imported (as in the sandbox),
and it fails the same test cells as ``python -m grading check`` (the JupyterLab button: tests/jupyter)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from grading.graded_kernel import KERNEL_NAME, SETTINGS
from tests.conftest import ROOT
from tests.course.conftest import venv_env
from tests.course.test_problem_sets import ASSIGNMENTS, _exercise_path, _source_path, _submission
from tests.course.wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.slow
NNLIB_ANSWER = "from nnlib.neuron import neuron"        # ps01's task 1.2 answered with the library's own neuron
# what the Validate button's server handler does: the settings of the notebook's server, then Validator.validate
VALIDATE_AS_THE_BUTTON = """
import json, os, sys
from jupyter_core.paths import jupyter_config_path
from nbgrader.apps import NbGrader
from nbgrader.validator import Validator
app = NbGrader()
app.config_file_paths.append([os.getcwd()] + jupyter_config_path())
app.load_config_file()
print(json.dumps(Validator(config=app.config).validate(sys.argv[1])))
"""


def with_answer(assignment, grade_id=None, code=None, wrong=None):
    """The released notebook with every answer filled in from the solution, then one answer replaced."""
    nb = _submission(nbformat.read(_exercise_path(assignment), as_version=4),
                     nbformat.read(_source_path(assignment), as_version=4), wrong)
    for cell in nb.cells:
        if grade_id is not None and cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code
    return nb


@pytest.fixture
def course(tmp_path):
    """A student's folder inside a copy of the course's settings."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    return tmp_path


def _write(course, name, nb):
    path = course / name
    nbformat.write(nb, path)
    return path


def _run(course, *args):
    return subprocess.run(args, cwd=course, env=venv_env(), capture_output=True, text=True, timeout=600)


def test_the_course_settings_name_the_graded_kernel():
    settings = (ROOT / "nbgrader_config.py").read_text().splitlines()
    assert set(SETTINGS) <= set(settings)
    assert KERNEL_NAME in subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list"], env=venv_env(),
                                         capture_output=True, text=True, check=True).stdout


def test_nbgrader_validate_fails_an_answer_that_imports_nnlib(course):
    path = _write(course, "ps01_neuron.ipynb", with_answer("ps01_neuron", "neuron", NNLIB_ANSWER))
    result = _run(course, sys.executable, "-m", "nbgrader", "validate", str(path))
    assert "Success" not in result.stdout, result.stdout[-2000:]
    assert "VALIDATION FAILED" in result.stdout
    assert "No module named 'nnlib': it is not available when graded" in result.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_passes_validate(course, assignment):
    """Validate also fails answer cells that raise or write to stderr: no solution does either."""
    path = _write(course, f"{assignment}.ipynb", with_answer(assignment))
    result = _run(course, sys.executable, "-c", VALIDATE_AS_THE_BUTTON, str(path))
    assert result.returncode == 0 and json.loads(result.stdout) == {}, (result.stdout + result.stderr)[-3000:]


def _failed_by_check(course, path):
    result = _run(course, sys.executable, "-m", "grading", "check", str(path))
    return {line.split()[1] for line in result.stdout.splitlines() if line.startswith("  ✘ ")}


def _failed_by_validate(course, path, nb):
    result = _run(course, sys.executable, "-c", VALIDATE_AS_THE_BUTTON, str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    failed = [cell["source"] for cell in json.loads(result.stdout).get("failed", [])]
    return {cell.metadata.nbgrader["grade_id"] for cell in nb.cells if cell.source.strip() in failed
            and not cell.metadata.nbgrader.get("solution")}


CASES = [("ps01_neuron", "neuron", NNLIB_ANSWER), ("ps01_neuron", WRONG_ANSWERS["ps01_neuron"][1], None),
         ("ps02_forward", WRONG_ANSWERS["ps02_forward"][0], None),
         ("ps02_forward", "sigmoid", "import nnlib\nsigmoid = nnlib.activations.sigmoid")]


@pytest.mark.parametrize("assignment,change,code", CASES,
                         ids=["ps01-imports-nnlib", "ps01-no-bias", "ps02-sigmoid-prime", "ps02-imports-nnlib"])
def test_validate_and_the_check_fail_the_same_tests(course, assignment, change, code):
    if code is None:
        nb = with_answer(assignment, wrong=change)
    else:
        nb = with_answer(assignment, change, code)
    path = _write(course, f"{assignment}.ipynb", nb)
    by_check = _failed_by_check(course, path)
    assert by_check, "the wrong answer should fail some visible test"
    assert _failed_by_validate(course, path, nb) == by_check
