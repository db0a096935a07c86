"""Abuse the function a test passes in (numerical_gradient(f, x)): call it forever, with junk: that test fails
on its time limit; the grader stays responsive and grades the rest."""
from ._common import MAX_SCORE, POINTS, answers, graded, student

CODE = '''def numerical_gradient(f, x, h=1e-5):
    for junk in ["text", None, {"a": 1}, [1, 2, 3]]:
        try:
            f(junk)
        except Exception:
            pass
    while True:
        f(x)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(numgrad=CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_numgrad"] == 0
    assert course.total(name) == MAX_SCORE - 2 - POINTS["test_numgrad_check"]   # (which uses numerical_gradient)
