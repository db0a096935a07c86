"""Return objects whose unpickling would run a command on the grader's machine: results are never unpickled
(they cross as JSON data), so the command never runs, and the test fails."""
from ._common import MAX_SCORE, answers, graded, student

MARKER = "/tmp/grading-attack-a27-pwned"
CODE = f'''import os

class Payload:
    def __reduce__(self):
        return (os.system, ("touch {MARKER}",))

def sigmoid(a):
    return Payload()'''


def submit(course, ctx):
    course.submit(student(__name__), answers(sigmoid=CODE, sigmoid_prime="def sigmoid_prime(a):\n"
                  "    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n    return s * (1 - s)"))


def check(course, ctx):
    import os
    name = student(__name__)
    graded(course, name)
    assert not os.path.exists(MARKER)
    assert course.scores(name)["test_sigmoid"] == 0
    assert course.total(name) == MAX_SCORE - 1
