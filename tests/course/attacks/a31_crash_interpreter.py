"""Crash the interpreter (a segmentation fault through ctypes) when a test calls the function: that test fails
with the reason, the process is replaced, the others are graded."""
from ._common import MAX_SCORE, answers, flag_codes, graded, student

CODE = '''import ctypes

def sigmoid(a):
    return ctypes.string_at(0)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(sigmoid=CODE, sigmoid_prime="def sigmoid_prime(a):\n"
                  "    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n    return s * (1 - s)"))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid"] == 0
    assert course.total(name) == MAX_SCORE - 1
    assert "kernel-died" in flag_codes(course, name)
