"""A generator that never ends where a finite iterator is expected: it is cut off (or timed out) and fails."""
from ._common import MAX_SCORE, answers, graded, student

CODE = '''def minibatches(N, batch_size):
    i = 0
    while True:
        yield np.arange(i, i + batch_size)
        i += batch_size'''


def submit(course, ctx):
    course.submit(student(__name__), answers(minibatches=CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_minibatches"] == 0
    assert course.total(name) == MAX_SCORE - 1
