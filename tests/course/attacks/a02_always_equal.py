"""Return objects that compare equal to everything and convert to the visible test's expected array."""
from ._common import MAX_SCORE, answers, graded, student

CODE = {
    "sigmoid": '''class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __array__(self, *args, **kwargs): return np.array([0.5, 0.880797078])
    def __len__(self): return 2
    def __getattr__(self, name): return lambda *a, **k: True

def sigmoid(a):
    return Anything()''',
    "mse": '''class FakeArray(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), dtype=bool)

def mse(Y, T):
    return np.array([0.5]).view(FakeArray)''',
}


def submit(course, ctx):
    constant = "def sigmoid_prime(a):\n    return np.full(np.shape(a), 0.25)"
    course.submit(student(__name__), answers(**CODE, sigmoid_prime=constant))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_sigmoid"] == 0 and scores["test_mse"] == 0 and scores["test_sigmoid_prime"] == 0
    assert course.total(name) == MAX_SCORE - 4
    messages = course.messages(name)
    assert "object of type Anything" in messages["test_sigmoid"]
    # after the hidden tests of sigmoid had called the student's code, a class name could carry their inputs
    assert "expected a number but got an object the grader cannot check" in messages["test_mse"]
    assert "FakeArray" not in messages["test_mse"]
