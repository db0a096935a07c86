"""Delete every test cell. nbgrader would leave NULL grades ("needs manual grading"); here the tests are
restored from the source and graded."""
from ._common import POINTS, answers, flag_codes, graded, student


def drop_tests(nb):
    nb["cells"] = [c for c in nb["cells"] if not c["metadata"].get("nbgrader", {}).get("grade")]
    return nb


def submit(course, ctx):
    course.submit(student(__name__), answers(), drop_tests)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name) == POINTS
    assert "deleted-test-cell" in flag_codes(course, name)
