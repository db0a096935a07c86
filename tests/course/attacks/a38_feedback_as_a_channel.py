"""Log every argument the tests pass and smuggle it out through what the student sees: a cell after the tests
prints the log, a later function raises an error quoting it, another returns an object of a class named after
it.  Nothing of the hidden tests' inputs may reach the autograded notebook or the feedback."""
import numpy as np

from ._common import add_cells, answers, graded, student

CODE = {
    "sigmoid": '''LOG = []
def sigmoid(a):
    LOG.append(np.asarray(a).tolist())
    a = np.asarray(a, dtype=float)
    return 1 / (1 + np.exp(-a))''',
    "sigmoid_prime": '''def sigmoid_prime(a):
    LOG.append(np.asarray(a).tolist())
    if len(LOG) > 2:
        return type("LEAK_" + repr(LOG[1])[:70].replace(" ", ""), (), {})()
    s = sigmoid(a)
    return s * (1 - s)''',
    "mse": '''def mse(Y, T):
    raise ValueError("LEAK " + repr(LOG))''',
}
AFTER = 'print("LEAK", repr(LOG), len(LOG))'


def _hidden_numbers():
    """A few of the inputs of the demo's hidden test of sigmoid (default_rng(7), shape (4, 7))."""
    a = np.random.default_rng(7).normal(size=(4, 7))
    return [repr(float(x))[:8] for x in a.flat[:6]]


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE), add_cells(AFTER, after=None))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    shown = course.outputs(name) + ctx.feedback(name)      # (the feedback shows the cells' code, too)
    assert ctx.feedback(name), "no feedback was generated"
    for number in _hidden_numbers():
        assert number not in shown, number
    assert "LEAK_[" not in shown and "LEAK [" not in shown
    assert course.scores(name)["test_sigmoid"] == 1 and course.scores(name)["test_mse"] == 0
