"""Return int and float subclasses whose __eq__ always says True (for assert_equal and assert_close)."""
from ._common import MAX_SCORE, answers, graded, student

CODE = {
    "n_params": '''class Thirteen(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__

n_params = Thirteen(99)''',
    "mse": '''class Half(float):
    def __eq__(self, other): return True
    def __float__(self): return 0.5

def mse(Y, T):
    return Half(123.0)''',
}


def submit(course, ctx):
    course.submit(student(__name__), answers(**CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    scores = course.scores(name)
    assert scores["test_n_params"] == 0 and scores["test_mse"] == 0
    assert course.total(name) == MAX_SCORE - 2
    assert "n_params must be an int" in course.messages(name)["test_n_params"]
