"""``make check`` (python -m grading check) runs a student's code as grading does — without nnlib — says so first,
and reports a notebook that is not JSON, a cell that never finishes and a path with spaces in one clear line."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT
from tests.course.conftest import venv_env
from tests.course.fixtures.demo import POINTS, SOLUTIONS, submission

pytestmark = pytest.mark.slow
USES_NNLIB = dict(SOLUTIONS, sigmoid="import nnlib\ndef sigmoid(a):\n    return nnlib.activations.sigmoid(a)")


def _notebook(demo_course, relative, answers=None, text=None):
    path = demo_course.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else json.dumps(submission(demo_course.release, answers)))
    return path


def test_an_answer_that_needs_nnlib_fails_the_check_as_it_fails_grading(demo_course):
    path = _notebook(demo_course, "work/uses_nnlib.ipynb", USES_NNLIB)
    result = demo_course.cli("check", str(path))
    assert result.returncode == 1, result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"Checking {path} as it is graded") and "without nnlib" in first
    assert "✘ test_sigmoid (1 point)" in result.stdout
    assert "ModuleNotFoundError: No module named 'nnlib': it is not available when graded" \
        in result.stdout
    assert f"{len(POINTS) - 2} of {len(POINTS)} test cells pass" in result.stdout      # sigmoid and sigmoid_prime


def test_a_notebook_that_is_not_json_gets_one_line(demo_course):
    good = json.dumps(submission(demo_course.release, SOLUTIONS))
    path = _notebook(demo_course, "work/cut.ipynb", text=good[: len(good) // 2])
    result = demo_course.cli("check", str(path))
    assert result.returncode == 2
    assert result.stdout.strip().splitlines() == [
        f"{path} is not a notebook Jupyter can open (it is not valid JSON: cut short, or edited outside Jupyter); "
        f"restore it from a checkpoint (File > Revert Notebook to Checkpoint) or fetch the assignment again"]
    assert not result.stderr.strip()


def test_a_hanging_cell_gets_one_line_and_the_tests_before_it_count(demo_course):
    path = _notebook(demo_course, "work/hangs.ipynb", dict(SOLUTIONS, mse="while True:\n    pass"))
    result = demo_course.cli("check", str(path), "--timeout", "3")
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("  !")]
    assert problems == ["  ! the notebook did not run to the end: cell 7 ('while True:') did not finish within 3 s "
                        "(an endless loop, or too slow?); it and the cells after it did not run"]
    assert "✔ test_sigmoid_prime" in result.stdout and "✘ test_mse (1 point): did not run" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr and not result.stderr.strip()


def test_make_check_takes_a_path_with_spaces(demo_course):
    path = _notebook(demo_course, "my work/ps 01.ipynb", SOLUTIONS)
    result = subprocess.run(["make", "-s", "check", f"NOTEBOOK={path}"], cwd=ROOT, env=venv_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(POINTS)} of {len(POINTS)} test cells pass" in result.stdout
