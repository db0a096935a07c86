"""Replace the assertion helpers (in the namespace, in the grading.asserts module, and CheckFailed)."""
from ._common import MAX_SCORE, add_cells, answers, flag_codes, graded, student

PATCH = """import grading.asserts as ga
noop = lambda *args, **kwargs: None
ga.assert_close = ga.assert_equal = ga.assert_true = ga.assert_shape = noop
ga.CheckFailed = type("CheckFailed", (Exception,), {})
assert_close = assert_equal = assert_true = assert_shape = noop
"""


def submit(course, ctx):
    wrong = answers(sigmoid="def sigmoid(a):\n    return a", n_params="n_params = 12",
                    sigmoid_prime="def sigmoid_prime(a):\n    return a")
    course.submit(student(__name__), wrong, add_cells(PATCH))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_sigmoid"] == scores["test_n_params"] == scores["test_sigmoid_prime"] == 0
    assert course.total(name) == MAX_SCORE - 4
    assert "suspicious-code" in flag_codes(course, name)
