"""Claim the number a test asks the notebook to compute (numgrad_error, like ps05's grad_check_error) instead of
computing it, with a numerical_gradient that is wrong: the hidden part recomputes it from the student's own
function on the trusted side, so the claim earns nothing."""
from ._common import POINTS, answers, graded, student

CODE = {
    "numgrad": "def numerical_gradient(f, x, h=1e-5):\n    return np.zeros_like(x, dtype=float)",
    "numgrad_check": "numgrad_error = 0.0",
}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_numgrad"] == 0 and scores["test_numgrad_check"] == 0, scores
    assert course.total(name) == sum(POINTS.values()) - POINTS["test_numgrad"] - POINTS["test_numgrad_check"]
