"""Patch builtins (isinstance, len, AssertionError) so the visible checks would pass in the student's kernel."""
from ._common import MAX_SCORE, add_cells, answers, graded, student

PATCH = """import builtins
builtins.isinstance = lambda obj, cls: True
builtins.len = lambda obj: 3
builtins.AssertionError = type("Nothing", (Exception,), {})
"""


def submit(course, ctx):
    wrong = answers(n_params="n_params = 12.5",
                    minibatches="def minibatches(N, batch_size):\n    return [np.arange(N)]")
    course.submit(student(__name__), wrong, add_cells(PATCH, after=None))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_n_params"] == 0 and scores["test_minibatches"] == 0
    assert course.total(name) <= MAX_SCORE - 2
