"""Flood the output (prints and raw writes to stdout/stderr, tens of MB): it is cut off, the autograded notebook
stays small, the grades are right."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

FLOOD = ("for i in range(30):\n    print('x' * 10**6)",
         "import os\nfor i in range(30):\n    os.write(1, b'y' * 10**6)\n    os.write(2, b'z' * 10**6)")


def submit(course, ctx):
    course.submit(student(__name__), answers(), add_cells(*FLOOD))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
    assert len(course.autograded(name)) < 300_000
