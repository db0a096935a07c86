"""A test that finds a name undefined says which of the student's cells raised before it, and why (issue #26): the
student's own cell's error is theirs to see, the error of a cell that ran after hidden tests never."""
from __future__ import annotations

import pytest

from grading.marking.feedback import name_the_failed_cell
from tests.course.fixtures.demo import SOLUTIONS

UNDEFINED = "sigmoid is not defined in your notebook (was its cell deleted, renamed, or did it fail to run?)"


def _position(demo_course, student, grade_id):
    import json
    cells = json.loads(demo_course.autograded(student))["cells"]
    return next(i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.mark.slow
@pytest.mark.sandbox
def test_the_feedback_names_the_cell_whose_import_of_nnlib_failed(demo_course):
    demo_course.submit("imports_nnlib", dict(SOLUTIONS, sigmoid="from nnlib.activations import sigmoid"))
    demo_course.submit("divides_by_zero", dict(SOLUTIONS, sigmoid="scale = 1 / 0\n" + SOLUTIONS["sigmoid"]))
    demo_course.grade()
    cell = _position(demo_course, "imports_nnlib", "sigmoid") + 1
    assert demo_course.messages("imports_nnlib")["test_sigmoid"].endswith(
        f"sigmoid is not defined in your notebook (was its cell deleted, renamed, or did it fail to run?); your cell "
        f"{cell} (`from nnlib.activations import sigmoid`) raised ModuleNotFoundError: No module named 'nnlib' — "
        f"nnlib is not available when your notebook is graded")
    said = demo_course.messages("divides_by_zero")["test_sigmoid"]
    assert f"; your cell {cell} (`scale = 1 / 0`) raised ZeroDivisionError: division by zero" in said
    assert "not available" not in said


CELLS = [{"cell_type": "code", "metadata": {}, "source": "import nnlib"},
         {"cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade": False}},
          "source": "def sigmoid(a):\n    return nnlib.sigmoid(a)"},
         {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "solution": False, "locked": True}},
          "source": "assert sigmoid(0) == 0.5"}]
RAISED = {"status": "error", "output": "", "error": "Traceback ...\nModuleNotFoundError: No module named 'nnlib'"}


def test_of_several_failed_cells_the_one_that_mentions_the_name_is_named():
    results = {0: RAISED, 1: dict(RAISED, error="NameError: name 'nnlib' is not defined")}
    said = name_the_failed_cell(UNDEFINED, CELLS, results, before=2)
    assert said.endswith("your cell 2 (`def sigmoid(a):`) raised NameError: name 'nnlib' is not defined")
    said = name_the_failed_cell(UNDEFINED.replace("sigmoid", "tanh"), CELLS, results, before=2)
    assert said.endswith("your cell 2 (`def sigmoid(a):`) raised NameError: name 'nnlib' is not defined")


def test_a_cell_whose_output_was_withheld_is_not_named():
    withheld = {"status": "withheld", "output": "", "error": None}
    assert name_the_failed_cell(UNDEFINED, CELLS, {0: withheld, 1: withheld}, before=2) == UNDEFINED
    assert name_the_failed_cell(UNDEFINED, CELLS, {0: RAISED}, before=0) == UNDEFINED        # a cell after the test
    assert name_the_failed_cell("wrong values", CELLS, {0: RAISED}, before=2) == "wrong values"


def test_the_error_of_a_test_or_locked_cell_is_not_the_students():
    assert name_the_failed_cell(UNDEFINED, CELLS, {2: RAISED}, before=3) == UNDEFINED
