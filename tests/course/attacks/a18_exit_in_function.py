"""A function that kills its process when a test calls it: that test fails, the next tests get a fresh
sandbox."""
from ._common import MAX_SCORE, answers, flag_codes, graded, student


def submit(course, ctx):
    course.submit(student(__name__), answers(mse="def mse(Y, T):\n    import os\n    os._exit(0)"))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_mse"] == 0
    assert "ended" in course.messages(name)["test_mse"]
    assert course.total(name) == MAX_SCORE - 1
    assert "kernel-died" in flag_codes(course, name)
