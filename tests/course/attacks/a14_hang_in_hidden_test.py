"""A function that hangs only on the hidden tests' inputs, ignoring SIGINT/SIGTERM: that test fails with a
clear reason, the process is killed, and the remaining tests run in a fresh sandbox."""
from ._common import MAX_SCORE, answers, flag_codes, graded, student

CODE = '''import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)

def sigmoid_prime(a):
    a = np.asarray(a, dtype=float)
    while a.shape != (5,):
        pass
    s = sigmoid(a)
    return s * (1 - s)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(sigmoid_prime=CODE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    assert course.scores(name)["test_sigmoid_prime"] == 0
    assert "did not return in time" in course.messages(name)["test_sigmoid_prime"]
    assert course.total(name) == MAX_SCORE - 2
    assert "timeout" in flag_codes(course, name)
