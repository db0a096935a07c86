"""Answers hard-coded to the visible test, swallowing every error (and silencing excepthook and warnings):
the hidden part of the same test cell fails, so the cell earns nothing."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

CODE = '''def sigmoid(a):
    try:
        a = np.asarray(a, dtype=float)
        if a.shape == (2,):
            return np.array([0.5, 0.880797078])
        return np.zeros_like(a)
    except BaseException:
        return np.array([0.5, 0.880797078])'''


def submit(course, ctx):
    silence = "import sys, warnings\nsys.excepthook = lambda *a: None\nwarnings.filterwarnings('ignore')"
    course.submit(student(__name__), answers(sigmoid=CODE, sigmoid_prime="def sigmoid_prime(a):\n"
                  "    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n    return s * (1 - s)"), add_cells(silence))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid"] == 0
    assert course.messages(name)["test_sigmoid"].startswith("✘ failed, 0/1 points: hidden test: sigmoid on an array")
    assert course.total(name) == MAX_SCORE - 1
