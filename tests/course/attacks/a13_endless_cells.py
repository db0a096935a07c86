"""Cells that never finish (a busy loop, a sleeping loop): each is stopped at the cell time limit and skipped;
the other cells still run and every test is graded."""
from ._common import MAX_SCORE, add_cells, answers, flag_codes, graded, student


def submit(course, ctx):
    loops = add_cells("while True:\n    pass", "import time\nwhile True:\n    time.sleep(0.5)", after="worked")
    course.submit(student(__name__), answers(), loops)


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
    assert "timeout" in flag_codes(course, name)
