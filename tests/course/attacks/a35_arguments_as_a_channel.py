"""Change the arrays a hidden test passes, so that an expected value the test computes from
its own variables *after* the call matches the answer: the demo's hidden tests of sigmoid and mse compute
nnlib's reference from ``a`` and ``Y, T`` after calling the student's function.  The grader passes copies and
never copies changes back, so the test's variables keep their values and the wrong answers fail."""
from ._common import MAX_SCORE, POINTS, answers, graded, student

CODE = {
    # right on the visible inputs; on any other input, zero the input and return sigmoid(0)
    "sigmoid": '''def sigmoid(a):
    a_in = np.asarray(a, dtype=float)
    if a_in.shape == (2,):
        return 1 / (1 + np.exp(-a_in))
    a[...] = 0.0
    return np.full(a.shape, 0.5)''',
    "sigmoid_prime": 'def sigmoid_prime(a):\n'
                     '    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n    return s * (1 - s)',
    # make Y equal to T and report no error
    "mse": '''def mse(Y, T):
    if len(Y) == 2:
        return float(np.sum((Y - T) ** 2) / len(Y))
    Y[...] = T
    return 0.0''',
}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_sigmoid"] == 0 and scores["test_mse"] == 0, scores
    assert course.total(name) == MAX_SCORE - POINTS["test_sigmoid"] - POINTS["test_mse"]
