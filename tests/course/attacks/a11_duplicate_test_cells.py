"""Duplicate test cells (three copies of one, two of another): each test is graded once, for its own points."""
import copy

from ._common import POINTS, answers, flag_codes, graded, student


def duplicate(nb):
    cells = []
    for cell in nb["cells"]:
        cells.append(cell)
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        copies = {"test_sigmoid": 2, "test_sgd": 1}.get(grade_id, 0)
        cells += [copy.deepcopy(cell) for _ in range(copies)]
    nb["cells"] = cells
    return nb


def submit(course, ctx):
    course.submit(student(__name__), answers(), duplicate)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name) == POINTS
    assert sum(1 for row in course.grade_rows() if row[0] == name) == len(POINTS)
    assert "duplicated-cell" in flag_codes(course, name)
