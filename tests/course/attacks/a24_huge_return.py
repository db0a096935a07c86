"""Return an array far larger than any answer (tens of MB): the grader refuses the message instead of running
out of memory, that test fails, the others are graded in a fresh sandbox."""
from ._common import MAX_SCORE, answers, graded, student


def submit(course, ctx):
    course.submit(student(__name__), answers(
        sigmoid="def sigmoid(a):\n    return np.zeros((6000, 1000))",
        sigmoid_prime="def sigmoid_prime(a):\n    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n"
                      "    return s * (1 - s)"))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid"] == 0
    assert course.total(name) == MAX_SCORE - 1
